"""The column footing reads what a total closes from the table's layout: a Summa its block, a result line its
section with costs subtracted when the table prints them positive, a total carried down from a subtotal; any
other run or ± mix of rows that would explain a total is named in a warning, never taken as consistent. Head
counts add up exactly. Small hand-made tables, rounding edges included."""

from __future__ import annotations

from finsam.model import Column, Row, Table, Value
from normalized.checks import check_document


def v(text: str) -> Value:
    clean = text.replace(" ", "").replace(",", ".").replace("−", "-")
    return Value(text, 0.0 if clean in ("-", "") else float(clean))


def table(rows, columns=("c",), kind="other", roles=None, unit="kr", totals=()) -> Table:
    """Rows (label, figure, …); a label starting Summa/Totalt, or named in `totals`, is a total."""
    cols = [Column(k, k, r, 2021) for k, r in zip(columns, roles or ["actual"] * len(columns), strict=True)]
    out = []
    for label, *cells in rows:
        values = {k: v(c) for k, c in zip(columns, cells, strict=False) if c is not None}
        total = label.startswith(("Summa", "Totalt", "SUMMA")) or label in totals
        out.append(Row(label, label, values, is_total=total, page=1))
    return Table(kind=kind, title="T", columns=cols, rows=out, unit=unit, id="t")


def found(t: Table, severities=("error", "warning")):
    return [
        (f.rule, f.severity, f.row, f.stated, f.expected)
        for f in check_document([t])
        if f.severity in severities
    ]


def test_a_total_only_a_subset_of_its_rows_explains_is_named_in_a_warning():
    [f] = [f for f in check_document([table([("A", "100"), ("B", "50"), ("C", "30"), ("Summa", "80")])])]
    assert (f.rule, f.severity, f.stated, f.expected) == ("column_sum", "warning", 80, 180)
    assert "holds only as B 50 + C 30" in f.message
    # a Summa equal to the row right above it is no sum of the block either
    [f] = check_document([table([("A", "100"), ("B", "50"), ("C", "30"), ("Summa", "30")])])
    assert (f.severity, f.expected) == ("warning", 180) and "holds only as C 30" in f.message
    # nor one that a ± mix of the rows explains
    [f] = check_document([table([("A", "100"), ("B", "50"), ("C", "30"), ("Summa", "20")])])
    assert f.severity == "warning" and "holds only as B 50 − C 30" in f.message


def test_a_result_line_closes_its_section_costs_printed_positive_subtracted():
    rows = [
        ("Intäkter", None),
        ("Medlemsbidrag", "5 000,0"),
        ("Summa intäkter", "5 000,0"),
        ("Kostnader", None),
        ("Kansli", "1 080,0"),
        ("Insatser", "3 910,0"),
        ("Summa kostnader", "4 990,0"),
        ("Finansiella poster", "-"),
        ("Årets resultat", "10,0"),
    ]
    t = table(rows, kind="budget", unit="tkr", totals=("Årets resultat",))
    assert found(t, ("error", "warning", "info")) == []
    rows[-1] = ("Årets resultat", "1 010,0")  # off by 1 000, a hundred times the figure: still a sum
    assert found(table(rows, kind="budget", unit="tkr", totals=("Årets resultat",))) == [
        ("column_sum", "warning", "Årets resultat", 1010, 10)
    ]


def test_net_cost_plus_financial_items_is_the_result():
    rows = [
        ("Verksamhetens intäkter", "18 064 870"),
        ("Verksamhetens kostnader", "-19 794 180"),
        ("Verksamhetens nettokostnad", "-1 729 310"),
        ("Finansiella intäkter", "351"),
        ("Finansiella kostnader", "-5 104"),
        ("Resultat före extraordinära poster", "-1 734 063"),
        ("Extraordinära intäkter", "0"),
        ("Årets resultat", "-1 734 063"),
    ]
    results = ("Verksamhetens nettokostnad", "Resultat före extraordinära poster", "Årets resultat")
    assert found(table(rows, kind="resultatrakning", totals=results)) == []
    rows[3] = ("Finansiella intäkter", "151")  # the result no longer follows: found, from the whole section
    assert ("column_sum", "warning", "Resultat före extraordinära poster", -1734063, -1734263) in found(
        table(rows, kind="resultatrakning", totals=results)
    )
    # a cost line printed without its minus, in a statement that prints its costs negative
    rows[3] = ("Finansiella intäkter", "351")
    rows[4] = ("Finansiella kostnader", "5 104")
    assert found(table(rows, kind="resultatrakning", totals=results))[:1] == [
        ("column_sum", "warning", "Resultat före extraordinära poster", -1734063, -1723855)
    ]


def test_a_result_line_within_the_rounding_of_its_parts():
    # 12 051 427 − 10 219 057 + 176 = 1 832 546: one krona from three rounded figures and the total is no error
    rows = [("Summa intäkter", "12 051 427"), ("Summa kostnader", "-10 219 057"), ("Ränteintäkter", "176")]
    t = table([*rows, ("Periodens resultat", "1 832 547")], totals=("Periodens resultat",))
    assert found(t) == []
    t = table(
        [*rows, ("Periodens resultat", "1 832 549")], totals=("Periodens resultat",)
    )  # 3 off: beyond ±2
    assert [x[:3] for x in found(t)] == [("column_sum", "warning", "Periodens resultat")]


def test_a_total_carried_down_from_a_subtotal():
    rows = [
        ("Verksamhetens resultat", "-113 652"),
        ("Finansiella kostnader", "-1 210"),
        ("Resultat efter finansiella poster", "-114 862"),
        ("Årets resultat", "-14 862"),
    ]
    t = table(rows, totals=("Verksamhetens resultat", "Resultat efter finansiella poster", "Årets resultat"))
    assert ("column_sum", "warning", "Årets resultat", -14862, -114862) in found(t)


def test_a_line_printing_nothing_above_the_total_makes_the_one_figure_a_sum():
    t = table([("Platskostnad", "333"), ("Övrigt", None), ("Totalt", "1 333")], unit="tkr")
    assert found(t) == [("column_sum", "error", "Totalt", 1333, 333)]
    assert found(table([("Platskostnad", "333"), ("Övrigt", None), ("Totalt", "333")], unit="tkr")) == []


def test_a_note_total_over_one_line():
    note = table([("Årets resultat", "-114 862"), ("Utgående eget kapital", "1 945 203")], kind="note")
    note.rows[1].is_total = True
    assert [x[:3] for x in found(note)] == [("column_sum", "warning", "Utgående eget kapital")]


def participants(rows):
    t = table(rows, columns=("kvinnor", "man", "totalt"), kind="participants", unit=None)
    for col in t.columns:
        col.role, col.header = "other", col.key.capitalize()
    return t


def test_head_counts_add_up_exactly():
    rows = [
        ("Steget Vidare", "61", "36", "97"),
        ("Unga Framåt", "59", "79", "138"),
        ("Totalt", "120", "115", "235"),
    ]
    assert found(participants(rows)) == []
    rows[-1] = ("Totalt", "120", "116", "235")  # one person off: no rounding hides it
    assert ("column_sum", "error", "Totalt", 116, 115) in found(participants(rows))


def test_a_negative_head_count_is_printed_wrong():
    rows = [
        ("Steget Vidare", "61", "36", "97"),
        ("Unga Framåt", "59", "-79", "138"),
        ("Totalt", "120", "115", "235"),
    ]
    assert ("row_arithmetic", "error", "Unga Framåt", 138, -20) in found(participants(rows))
    assert ("column_sum", "error", "Totalt", 115, -43) in found(participants(rows))


def test_a_share_column_keeps_its_reading_with_three_rows_of_seven_wrong():
    years = [("2011", "208", "134", "64"), ("2012", "144", "108", "75"), ("2013", "149", "82", "55")]
    years += [("2014", "145", "74", "52"), ("2015", "131", "74", "57"), ("2016", "111", "60", "54")]
    t = table(
        [*years, ("2011-2016", "888", "532", "65")],
        columns=("avslutade", "arbete_studier", "procent"),
        roles=["count", "count", "share"],
        unit=None,
    )
    for col, header in zip(
        t.columns, ["Avslutade", "Arbete/studier", "Arbete/studier (procent)"], strict=True
    ):
        col.header = header
    assert [x[2] for x in found(t) if x[0] == "percent"] == ["2014", "2015", "2011-2016"]

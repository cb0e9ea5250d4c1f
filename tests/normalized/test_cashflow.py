"""The cash-flow identities on small hand-made statements: a statement that adds up gives nothing, a broken
line gives one finding with where and by how much, rounding is no error, a line not printed gives no identity,
and the changes of working capital are held against the balance sheet's two years."""

from __future__ import annotations

from finsam.model import Column, Row, Table, Value
from normalized.checks import check_document
from normalized.number_repair import repair_numbers
from normalized.rules.cashflow import identities

RESULT = ("Årets resultat", "result")
ADJUST = ("Justering för ej likviditetspåverkande poster", "cf_non_cash_adjustments")
BEFORE = ("Medel från verksamheten före förändring av rörelsekapital", "cf_before_working_capital")
RECEIVABLES = ("Ökning/minskning kortfristiga fordringar", "cf_change_receivables")
LIABILITIES = ("Ökning/minskning kortfristiga skulder", "cf_change_liabilities")
OPERATING = ("Kassaflöde från den löpande verksamheten", "cf_operating")
INVESTING = ("Kassaflöde från investeringsverksamheten", "cf_investing")
FINANCING = ("Kassaflöde från finansieringsverksamheten", "cf_financing")
TOTAL = ("Årets kassaflöde", "cf_total")
OPENING = ("Likvida medel vid årets början", "cash_opening")
CLOSING = ("Likvida medel vid årets slut", "cash_closing")
TOTALS = {"cf_before_working_capital", "cf_operating", "cf_total", "cash_closing"}


def v(text: str) -> Value:
    clean = text.replace(" ", "").replace(",", ".").replace("−", "-")
    return Value(text, 0.0 if clean in ("-", "") else float(clean))


def statement(lines, years=(2016,), kind="kassaflodesanalys", unit="kr", title="Kassaflödesanalys", id="kf"):
    """lines: ((label, canonical), figure per year, ...); a figure None is not printed."""
    columns = [Column(f"c{y}", str(y), "actual", y) for y in years]
    rows = []
    for (label, key), *cells in lines:
        values = {c.key: v(x) for c, x in zip(columns, cells, strict=True) if x is not None}
        rows.append(Row(label, label, values, canonical=key, is_total=key in TOTALS, page=5))
    return Table(kind, title, columns, rows, unit=unit, id=id)


# 003's statement (kr): 1 078 245 + 0 = 1 078 245; + 685 031 − 3 428 166 = −1 664 890; 9 911 562 − 1 664 890
CLEAN = [
    (RESULT, "1 078 245"),
    (ADJUST, "0"),
    (BEFORE, "1 078 245"),
    (RECEIVABLES, "685 031"),
    (LIABILITIES, "-3 428 166"),
    (OPERATING, "-1 664 890"),
    (INVESTING, "0"),
    (FINANCING, "0"),
    (TOTAL, "-1 664 890"),
    (OPENING, "9 911 562"),
    (CLOSING, "8 246 672"),
]


def with_line(lines, line, figure):
    return [(key, figure if key == line else x) for key, x in lines]


def without(lines, *gone):
    return [(key, x) for key, x in lines if key not in gone]


def found(tables, severity=None):
    return [
        (f.rule, f.row, f.column, f.stated, f.expected, f.difference)
        for f in check_document(tables)
        if severity is None or f.severity == severity
    ]


def test_a_statement_that_adds_up_gives_nothing():
    t = statement(CLEAN)
    assert [i.name for i in identities(t)] == ["before_working_capital", "operating", "total", "closing"]
    assert check_document([t]) == []


def test_the_result_before_working_capital():
    t = statement(with_line(CLEAN, BEFORE, "1 087 245"))
    # the löpande line holds with the corrected figure, so the one typo is reported once
    [f] = check_document([t])
    assert (f.rule, f.severity, f.row, f.column, f.stated, f.expected, f.difference, f.page) == (
        "cash_flow",
        "error",
        BEFORE[0],
        "c2016",
        1087245,
        1078245,
        9000,
        5,
    )
    assert "Kassaflöde från den löpande verksamheten -1 664 890 holds with 1 078 245" in f.message


def test_the_operating_line_that_leaves_out_the_result():
    # 002's statement (tkr): −460,8 − 767,7 − 592,2 = −1 820,7, printed −1 359,9 (the two changes alone)
    lines = [
        (RESULT, "-460,8"),
        (ADJUST, "0,0"),
        (BEFORE, "-460,8"),
        (RECEIVABLES, "-767,7"),
        (LIABILITIES, "-592,2"),
        (OPERATING, "-1 359,9"),
        (TOTAL, "-1 820,6"),
        (OPENING, "13 982,2"),
        (CLOSING, "12 161,6"),
    ]
    t = statement(lines, unit="tkr")
    [f] = check_document([t])
    assert (f.rule, f.row, f.stated, f.expected, f.difference) == (
        "cash_flow",
        OPERATING[0],
        -1359.9,
        -1820.7,
        460.8,
    )
    assert "leaves out Medel från verksamheten före förändring av rörelsekapital (-460,8)" in f.message
    assert "Årets kassaflöde -1 820,6 holds with -1 820,7" in f.message  # not a second finding


def test_a_total_that_repeats_the_wrong_line_is_named_not_flagged():
    # 007-like: 613 + 226 − 673 = 166, printed 839; the year's flow repeats 839; cash 3 213 + 166 = 3 379
    lines = [
        (RESULT, "613"),
        (BEFORE, "613"),
        (RECEIVABLES, "226"),
        (LIABILITIES, "-673"),
        (OPERATING, "839"),
        (TOTAL, "839"),
        (OPENING, "3 213"),
        (CLOSING, "3 379"),
    ]
    [f] = check_document([statement(lines)])
    assert (f.row, f.stated, f.expected) == (OPERATING[0], 839, 166)
    assert "Årets kassaflöde 839 repeats the printed figure" in f.message
    assert "Likvida medel vid årets slut 3 379 holds with 166" in f.message


def test_the_year_flow_and_the_closing_cash():
    t = statement(with_line(CLEAN, TOTAL, "-1 664 980"))
    # the closing cash holds with the corrected flow: one finding, on the year's flow
    assert found([t]) == [("cash_flow", TOTAL[0], "c2016", -1664980, -1664890, -90)]
    t = statement(with_line(CLEAN, CLOSING, "8 264 672"))
    assert found([t]) == [("cash_flow", CLOSING[0], "c2016", 8264672, 8246672, 18000)]


def test_investing_and_financing_items_under_their_subtotals():
    lines = CLEAN[:6] + [
        (("Investering i inventarier", None), "-50 000"),
        (INVESTING, "-50 000"),
        (("Upptagna lån", None), "20 000"),
        (FINANCING, "20 000"),
        (TOTAL, "-1 694 890"),
        (OPENING, "9 911 562"),
        (CLOSING, "8 216 672"),
    ]
    assert check_document([statement(lines)]) == []
    broken = with_line(lines, TOTAL, "-1 644 890")  # the investment left out: −1 664 890 + 20 000
    assert found([statement(broken)], "error") == [
        ("cash_flow", TOTAL[0], "c2016", -1644890, -1694890, 50000)
    ]


def test_rounding_within_the_printed_precision_is_no_error():
    lines = [
        (RESULT, "-460,8"),
        (BEFORE, "-460,8"),
        (RECEIVABLES, "-767,7"),
        (LIABILITIES, "-592,2"),
        (OPERATING, "-1 820,6"),  # −1 820,7 by the lines: four figures may hide ±0,2
        (TOTAL, "-1 820,6"),
    ]
    assert check_document([statement(lines, unit="tkr")]) == []
    beyond = with_line(lines, OPERATING, "-1 820,4")
    assert found([statement(beyond, unit="tkr")]) == [
        ("cash_flow", OPERATING[0], "c2016", -1820.4, -1820.7, 0.3)
    ]


def test_a_line_not_printed_gives_no_identity():
    no_before = statement(without(CLEAN, BEFORE))
    assert [i.name for i in identities(no_before)] == ["operating", "total", "closing"]
    assert check_document([no_before]) == []  # the löpande line from the result and the lines after it
    broken = statement(with_line(without(CLEAN, BEFORE), OPERATING, "-1 664 990"))
    assert [(f.row, f.expected) for f in check_document([broken])][:1] == [(OPERATING[0], -1664890)]
    # without the löpande line no identity says what the year's flow should be; column_sum still adds the
    # rows above a total it does not leave to this rule
    no_operating = statement(with_line(without(CLEAN, OPERATING), TOTAL, "-1 000 000"))
    assert "total" not in [i.name for i in identities(no_operating)]
    assert [(f.rule, f.severity) for f in check_document([no_operating]) if f.row == TOTAL[0]] == [
        ("column_sum", "warning")
    ]
    # without the cash lines, no cash identity
    assert "closing" not in [i.name for i in identities(statement(without(CLEAN, OPENING)))]
    # a column that does not print a line gives no identity in that column
    t = statement([(key, x, None if key == BEFORE else x) for key, x in CLEAN], years=(2016, 2015))
    assert check_document([t]) == []


def test_a_line_printed_with_the_wrong_sign():
    t = statement(with_line(CLEAN, OPERATING, "1 664 890"))
    assert ("sign", OPERATING[0], "c2016", 1664890, -1664890, 3329780) in found([t])


def test_column_sum_leaves_the_statement_lines_to_the_cash_flow_rule():
    t = statement(with_line(CLEAN, OPERATING, "-1 664 990"))
    assert all(r.is_total for r in t.rows if r.canonical == "cf_operating")
    assert [f.rule for f in check_document([t])] == ["cash_flow"]


def test_a_finansieringsanalys_is_checked_the_same_way(tmp_path):
    from extractor import extract
    from parsers import read_document

    text = [
        "Årsredovisning 2021 för Samordningsförbundet Exempel",
        "",
        "Finansieringsanalys",
        "Belopp i kr\t2021\t2020",
        "Årets resultat\t-114 862\t916 295",
        "Justering för ej likviditetspåverkande poster\t0\t0",
        "Medel från verksamheten före förändring av rörelsekapital\t-114 862\t916 295",
        "Ökning/minskning kortfristiga fordringar\t-146 410\t62 440",
        "Ökning/minskning kortfristiga skulder\t179 303\t161 355",
        "Kassaflöde från den löpande verksamheten\t-81 969\t1 140 990",
        "Årets kassaflöde\t-81 969\t1 140 090",
        "Likvida medel vid årets början\t2 895 050\t1 754 960",
        "Likvida medel vid årets slut\t2 813 081\t2 895 050",
    ]
    path = tmp_path / "finansieringsanalys.txt"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    ex = extract(read_document(path))
    [t] = [t for t in ex.tables if t.kind == "kassaflodesanalys"]
    assert t.title == "Finansieringsanalys"
    # 916 295 + 62 440 + 161 355 = 1 140 090, printed 1 140 990 (the year's flow has the right figure)
    [f] = [f for f in check_document(ex.tables) if f.severity == "error"]
    assert (f.rule, f.row, f.stated, f.expected) == ("cash_flow", OPERATING[0], 1140990, 1140090)


# --- against the balance sheet ----------------------------------------------------------------------------


def balance(receivables=("1 117 204", "1 802 235"), liabilities=("3 290 633", "6 718 799"), extra=None):
    """003's balansräkning (kr), 2016 and 2015."""
    columns = [Column("b2016", "2016-12-31", "actual", 2016), Column("b2015", "2015-12-31", "actual", 2015)]
    cash = ("8 246 672", "9 911 562")
    assets = [v(r).value + v(c).value for r, c in zip(receivables, cash, strict=True)]
    lines = [(("Fordringar", "receivables"), receivables), (("Kassa och banktillgodohavande", "cash"), cash)]
    if extra:
        lines.append(((extra[0], None), extra[1]))
        assets = [a + v(x).value for a, x in zip(assets, extra[1], strict=True)]
    equity = [a - v(s).value for a, s in zip(assets, liabilities, strict=True)]
    as_text = lambda xs: tuple(f"{x:.0f}" for x in xs)  # noqa: E731
    lines += [
        (("Summa omsättningstillgångar", "current_assets_total"), as_text(assets)),
        (("Summa tillgångar", "assets_total"), as_text(assets)),
        (("Eget kapital", "equity"), as_text(equity)),
        (("Kortfristiga skulder", "liabilities_short"), liabilities),
        (("Summa eget kapital och skulder", "equity_and_liabilities_total"), as_text(assets)),
    ]
    rows = [
        Row(label, label, {c.key: v(x) for c, x in zip(columns, xs, strict=True)}, canonical=key, page=4)
        for (label, key), xs in lines
    ]
    return Table("balansrakning", "Balansräkning", columns, rows, unit="kr", id="br")


def cash_flow(lines=CLEAN):
    return statement([(key, x, x) for key, x in lines], years=(2016, 2015))


def test_changes_that_tie_to_the_balance_sheet_give_nothing():
    assert check_document([balance(), cash_flow()]) == []


def test_a_change_line_the_balance_sheet_does_not_bear_out():
    # fordringar went from 1 802 235 to 1 117 204: a decrease, +685 031 of cash; printed +658 031
    lines = with_line(CLEAN, RECEIVABLES, "658 031")
    lines = with_line(lines, BEFORE, "1 078 245")
    [f] = check_document([balance(), statement(lines, years=(2016,))])
    assert (f.rule, f.severity, f.row, f.stated, f.expected, f.difference) == (
        "cash_flow_balance",
        "error",
        RECEIVABLES[0],
        658031,
        685031,
        -27000,
    )
    # the löpande line was added with the right figure: it is named in the finding, not flagged again
    assert "Kassaflöde från den löpande verksamheten -1 664 890 holds with 685 031" in f.message
    assert "from 1 802 235 to 1 117 204" in f.message


def test_the_other_years_column_has_no_balance_sheet_to_tie_to():
    # 2015's changes would need a 2014 balance sheet: a wrong 2015 change line is the identities' to find
    lines = [(key, x, "1 000 000" if key == RECEIVABLES else x) for key, x in CLEAN]
    t = statement(lines, years=(2016, 2015))
    assert {(f.rule, f.column) for f in check_document([balance(), t])} == {("cash_flow", "c2015")}


def test_balance_sheet_lines_not_certainly_all_of_them_give_a_warning():
    # a line of prepaid costs beside fordringar: the cash flow's fordringar may include it
    br = balance(extra=("Förutbetalda kostnader och upplupna intäkter", ("27 000", "0")))
    lines = with_line(CLEAN, RECEIVABLES, "658 031")
    [f] = [f for f in check_document([br, statement(lines)]) if f.rule == "cash_flow_balance"]
    assert (f.severity, f.stated, f.expected) == ("warning", 658031, 685031)
    assert "may not be all of its fordringar" in f.message


def test_a_change_with_the_opposite_sign_is_a_warning():
    lines = with_line(with_line(CLEAN, RECEIVABLES, "-685 031"), OPERATING, "-3 034 952")
    lines = with_line(with_line(lines, TOTAL, "-3 034 952"), CLOSING, "6 876 610")
    [f] = [f for f in check_document([balance(), statement(lines)]) if f.rule == "cash_flow_balance"]
    assert (f.severity, f.stated, f.expected) == ("warning", -685031, 685031)
    assert "opposite" in f.message


def test_a_balance_sheet_printing_credits_negative():
    br = balance()
    for row in br.rows:
        if row.canonical in ("equity", "liabilities_short", "equity_and_liabilities_total"):
            row.values = {k: Value("-" + x.raw, -x.value) for k, x in row.values.items()}
    assert check_document([br, cash_flow()]) == []


# --- with the number repair ---------------------------------------------------------------------------------


def test_a_reading_on_trial_is_judged_by_its_total_and_then_checked():
    """002's 2017 column: '34825' lost its comma (3 482,5), and the löpande line leaves out the result.
    The reading is confirmed by the total that closes it; the statement's own error is then reported."""
    lines = [
        (RESULT, "-362,0"),
        (BEFORE, "-362,0"),
        (RECEIVABLES, "-1759,8"),
        (LIABILITIES, "34825"),
        (OPERATING, "1722,7"),
        (TOTAL, "1 360,6"),
        (OPENING, "12 621,6"),
        (CLOSING, "13 982,2"),
    ]
    t = statement(lines, years=(2017,), unit="tkr")
    damaged = t.rows[3].values["c2017"]
    damaged.uncertain = True
    assert repair_numbers([t], check_document) == 1
    assert (damaged.value, damaged.repaired, damaged.uncertain) == (3482.5, True, False)
    assert found([t]) == [("cash_flow", OPERATING[0], "c2017", 1722.7, 1360.7, 362.0)]

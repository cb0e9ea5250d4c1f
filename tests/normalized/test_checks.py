"""Each cross-check rule on small hand-made tables, rounding edge cases included."""

from __future__ import annotations

import pytest

from finsam.model import Column, DocumentMeta, Row, Table, Value
from normalized.checks import check_across, check_document, format_findings_text, registry
from normalized.rules.base import consistent, decimals, half_unit


def v(text: str) -> Value:
    """A Value parsed the simple way the tests need: Swedish spaces and decimal comma."""
    clean = text.replace(" ", "").replace(",", ".").replace("−", "-").replace("%", "")
    return Value(text, 0.0 if clean in ("-", "") else float(clean))


def table(rows, columns=("c2016",), kind="other", title="T", roles=None, years=None, **kw) -> Table:
    roles = roles or ["actual"] * len(columns)
    years = years or [2016] * len(columns)
    cols = [Column(k, k, r, y) for k, r, y in zip(columns, roles, years, strict=True)]
    out = []
    for spec in rows:
        label, *cells = spec
        total = label.startswith(("Summa", "Totalt", "S:a", "SUMMA"))
        out.append(
            Row(
                label,
                label,
                {k: v(c) for k, c in zip(columns, cells, strict=False) if c is not None},
                is_total=total,
                page=3,
            )
        )
    return Table(
        kind=kind,
        title=title,
        columns=cols,
        rows=out,
        unit=kw.get("unit", "kr"),
        id=kw.get("id", "t"),
        note_number=kw.get("note_number"),
    )


def rules_of(findings, severity="error"):
    return [(f.rule, f.row, f.column, f.stated, f.expected) for f in findings if f.severity == severity]


def test_registry_names_every_rule():
    document_rules, across_rules = registry()
    assert {
        "column_sum",
        "row_arithmetic",
        "percent",
        "note_tie_out",
        "cross_table",
        "statement_identity",
        "cash_flow",
        "participants",
        "member_shares",
    } <= set(document_rules)
    assert {"restatement", "revised_budget"} <= set(across_rules)


@pytest.mark.parametrize(
    ("raw", "digits", "half"),
    [("18 064 870", 0, 0.5), ("5 115,9", 1, 0.05), ("11,75", 2, 0.005), ("-", 0, 0.0), ("37 %", 0, 0.5)],
)
def test_printed_precision(raw, digits, half):
    assert decimals(Value(raw, 1.0)) == digits
    assert half_unit(Value(raw, 0.0 if raw == "-" else 1.0)) == half


def test_rounding_interval_overlap():
    # three whole-krona parts may hide 1.5 kr of rounding, the total 0.5 more
    assert consistent(v("101"), [v("33"), v("33"), v("34")])
    assert consistent(v("101"), [v("33"), v("33"), v("33")])  # off by 2 with 3 parts: within 2.0
    assert not consistent(v("103"), [v("101")])  # off by 2 with 1 part: beyond 1.0
    assert consistent(v("5 115,9"), [v("5 000,0"), v("115,9")])
    assert not consistent(v("5 116,2"), [v("5 000,0"), v("115,9")])


def test_column_sum_is_quiet_when_totals_add_up():
    t = table([("A", "100"), ("B", "200"), ("Summa", "300")])
    assert check_document([t]) == []


def test_column_sum_flags_a_wrong_total_with_where_and_how_much():
    t = table([("A", "100"), ("B", "200"), ("Summa", "310")])
    [f] = [f for f in check_document([t]) if f.rule == "column_sum"]
    assert (f.severity, f.row, f.column, f.stated, f.expected, f.difference, f.page) == (
        "error",
        "Summa",
        "c2016",
        310,
        300,
        10,
        3,
    )
    assert "310" in f.message and "300" in f.message


def test_rounding_is_not_an_error():
    t = table([("A", "1 000,4"), ("B", "2 000,4"), ("Summa", "3 000,9")], columns=("tkr",))
    assert rules_of(check_document([t])) == []


def test_nested_subtotals_and_grand_total():
    t = table(
        [
            ("Intäkter", None),
            ("A", "100"),
            ("B", "50"),
            ("Summa intäkter", "150"),
            ("Kostnader", None),
            ("C", "-70"),
            ("D", "-20"),
            ("Summa kostnader", "-90"),
            ("Totalt", "60"),
        ]
    )
    assert rules_of(check_document([t])) == []
    broken = table(
        [
            ("A", "100"),
            ("B", "50"),
            ("Summa intäkter", "150"),
            ("C", "-70"),
            ("D", "-20"),
            ("Summa kostnader", "-95"),
            ("Totalt", "55"),
        ]
    )
    assert rules_of(check_document([broken])) == [("column_sum", "Summa kostnader", "c2016", -95, -90)]


def test_result_as_income_minus_positive_costs():
    t = table(
        [
            ("A", "100"),
            ("Summa intäkter", "100"),
            ("C", "30"),
            ("Summa kostnader", "30"),
            ("Summa resultat", "70"),
        ]
    )
    assert rules_of(check_document([t])) == []


def test_total_with_the_wrong_sign_is_a_sign_error():
    t = table([("A", "-100"), ("B", "-200"), ("Totalt", "300")])
    assert rules_of(check_document([t])) == [("sign", "Totalt", "c2016", 300, -300)]


def test_share_columns_are_not_summed():
    t = table(
        [("A", "40", "10"), ("B", "60", "20"), ("Totalt", "100", "30")],
        columns=("pct", "n"),
        roles=["share", "count"],
        years=[None, None],
    )
    assert [f for f in check_document([t]) if f.rule == "column_sum"] == []


def budget_outcome(rows):
    return table(
        rows,
        columns=("utfall", "budget", "avvikelse"),
        roles=["actual", "budget", "variance"],
        kind="budget_outcome",
    )


def test_variance_convention_is_read_from_the_table():
    budget_minus_actual = budget_outcome(
        [("A", "80", "100", "20"), ("B", "50", "40", "-10"), ("C", "10", "10", "0")]
    )
    actual_minus_budget = budget_outcome(
        [("A", "80", "100", "-20"), ("B", "50", "40", "10"), ("C", "10", "10", "0")]
    )
    assert rules_of(check_document([budget_minus_actual])) == []
    assert rules_of(check_document([actual_minus_budget])) == []


def test_variance_row_that_does_not_add_up():
    t = budget_outcome([("A", "80", "100", "-20"), ("B", "50", "40", "10"), ("C", "10", "10", "5")])
    assert rules_of(check_document([t])) == [("row_arithmetic", "C", "avvikelse", 5, 0)]


def test_budget_printed_with_the_wrong_sign():
    t = budget_outcome([("Bidrag", "12 052", "-11 530", "522"), ("Kostnad", "-10 220", "-11 791", "1 571")])
    assert rules_of(check_document([t])) == [("sign", "Bidrag", "budget", -11530, 11530)]


def test_opening_plus_change_is_closing():
    t = table(
        [("Kassa", "100", "50", "150"), ("Skulder", "-80", "-30", "-120")],
        columns=("ing", "period", "utg"),
        roles=["opening", "change", "closing"],
        kind="balansrakning",
    )
    assert rules_of(check_document([t])) == [("row_arithmetic", "Skulder", "period", -30, -40)]


def test_change_column_found_without_roles():
    t = table(
        [("A", "10", "14", "4"), ("B", "1", "4", "3"), ("C", "47", "26", "-26"), ("D", "8", "12", "4")],
        columns=("vid", "efter", "forandring"),
        roles=["opening", "other", "change"],
        years=[None] * 3,
    )
    assert rules_of(check_document([t])) == [("row_arithmetic", "C", "forandring", -26, -21)]


def test_head_counts_add_up_exactly_and_a_change_one_off_is_reported():
    # a participant table counts whole persons: 26 − 47 printed −20 is off by one person, which a sum of
    # rounded amounts may be and a count may not
    t = table(
        [("A-kassa", "10", "14", "4"), ("Annat", "1", "4", "3"), ("Försörjningsstöd", "47", "26", "-20")],
        columns=("vid", "efter", "forandring"),
        roles=["opening", "other", "change"],
        years=[None] * 3,
        kind="participants",
        unit=None,
    )
    assert rules_of(check_document([t])) == [("row_arithmetic", "Försörjningsstöd", "forandring", -20, -21)]
    t.kind, t.unit = "other", "tkr"  # amounts rounded to whole tkr: one off is rounding
    assert rules_of(check_document([t])) == []


def test_percent_of_a_base_column():
    cols = ("deltagare", "avslutade", "arbete_studier", "andel")
    t = table(
        [
            ("2014", "200", "145", "74", "52"),
            ("2015", "180", "131", "65", "50"),
            ("2016", "150", "100", "45", "45"),
        ],
        columns=cols,
        roles=["count", "count", "count", "share"],
        years=[None] * 4,
    )
    for c, header in zip(
        t.columns, ["Deltagare", "Avslutade", "Arbete/studier", "Arbete/studier (procent)"], strict=True
    ):
        c.header = header
    assert rules_of(check_document([t])) == [("percent", "2014", "andel", 52, 51)]


def test_a_share_whose_part_its_row_proves_misprinted_is_a_consequence_not_a_second_error():
    # 2013's Arbete/studier read 7 where Till arbete + Till studier give 77: the row's arithmetic says so,
    # and the share 62 % holds with 77 of 124, so the share's finding is the same error's consequence (info)
    cols = ("avslutade", "arbete", "studier", "arbete_studier", "andel")
    t = table(
        [
            ("2012", "363", "195", "63", "258", "71"),
            ("2013", "124", "43", "34", "7", "62"),
            ("2014", "145", "52", "34", "86", "59"),
            ("2015", "50", "13", "14", "27", "54"),
        ],
        columns=cols,
        kind="participants",
        roles=["count", "count", "count", "count", "share"],
        years=[None] * 5,
        unit=None,
    )
    headers = ["Avslutade", "Till arbete", "Till studier", "Arbete/studier", "Arbete/studier (andel)"]
    for c, header in zip(t.columns, headers, strict=True):
        c.header = header
    found = {f.rule: f for f in check_document([t])}
    assert (found["row_arithmetic"].row, found["row_arithmetic"].expected) == ("2013", 77)
    assert (found["percent"].severity, found["percent"].row) == ("info", "2013")
    assert "consequence of row_arithmetic in 2013" in found["percent"].message
    t.rows[1].values["andel"] = v("63")  # a share wrong with the part put right too is an error of its own
    found = {f.rule: f for f in check_document([t])}
    assert found["percent"].severity == "error"


def test_percent_of_the_total_row():
    t = table(
        [
            ("Staten", "50,00", "8 003 994"),
            ("SLL", "25,00", "4 001 997"),
            ("Salem", "01,50", "240 120"),
            ("Huddinge", "23,50", "3 761 878"),
            ("Totalt", "100 %", "16 007 989"),
        ],
        columns=("andel", "c2017"),
        roles=["share", "actual"],
        years=[None, 2017],
    )
    t.columns[0].header = "Andel (%)"
    assert rules_of(check_document([t])) == []


def test_percent_of_amounts_rounded_to_tkr_allows_their_rounding():
    # shares worked out in kronor, amounts printed in whole tkr: 117 of 3 208 tkr gives 3,65 %, but 117,4 of
    # 3 207,6 tkr is 3,66 %, printed 3,7 % — rounding, as in a total, is no error
    rows = [
        ("Staten", "50,0 %", "1 604"),
        ("Region Värmland", "25,0 %", "802"),
        ("Säffle kommun", "3,7 %", "117"),
        ("Forshaga kommun", "21,3 %", "685"),
        ("Totalt", "100,0 %", "3 208"),
    ]
    t = table(
        rows,
        columns=("andel", "b2019"),
        roles=["share", "budget"],
        years=[2019, 2019],
        kind="member_contributions",
        unit="tkr",
    )
    t.columns[0].header = "Andel"
    assert rules_of(check_document([t])) == []
    # beyond the rounding of the amounts it is still an error
    t.rows[2].values["andel"] = v("3,9 %")
    assert rules_of(check_document([t])) == [("percent", "Säffle kommun", "andel", 3.9, 3.6)]
    # head counts are exact: 8 of 21 is 38 %, not 39 %
    counts = table(
        [("Jobbspåret", "21", "8", "39 %"), ("Unga", "27", "17", "63 %"), ("IPS", "7", "3", "43 %")],
        columns=("avslutade", "arbete", "andel"),
        roles=["count", "count", "share"],
        years=[None] * 3,
        kind="participants",
    )
    counts.columns[2].header = "Andel till arbete"
    assert rules_of(check_document([counts])) == [("percent", "Jobbspåret", "andel", 39, 38)]


def test_note_tie_out_both_ways_round():
    rr = table(
        [("Verksamhetens kostnader", "-19 794 180")], kind="resultatrakning", title="Resultaträkning", id="rr"
    )
    rr.rows[0].note_ref = 4
    note = table(
        [("Insatser", "16 586 489"), ("Övrigt", "3 212 795"), ("Summa", "19 799 284")],
        kind="note",
        title="Verksamhetens kostnader",
        note_number=4,
        id="not4",
    )
    [f] = [f for f in check_document([rr, note]) if f.rule == "note_tie_out"]
    assert (f.row, f.stated, f.expected, f.severity) == (
        "Verksamhetens kostnader",
        -19794180,
        -19799284,
        "error",
    )
    # the message gives the difference the finding holds: stated − expected, in the statement's sign
    assert f.difference == 5104 and "(difference 5 104, in the statement's sign)" in f.message
    note.rows[-1].values["c2016"] = v("19 794 180")
    note.rows[0].values["c2016"] = v("16 581 385")
    assert [f for f in check_document([rr, note]) if f.rule == "note_tie_out"] == []


def test_cross_table_detail_total_vs_summary_row():
    summary = table(
        [("Administration", "2 180"), ("Strukturinriktade insatser", "1 320"), ("Summa kostnader", "3 500")],
        columns=("p2017",),
        roles=["forecast"],
        years=[2017],
        kind="budget",
        title="Budget 2018",
        id="b",
    )
    detail = table(
        [("IPS", "350"), ("ASF", "870"), ("SUMMA", "1 220")],
        columns=("p2017",),
        roles=["forecast"],
        years=[2017],
        kind="budget",
        title="FINANSIERING AV STRUKTURINRIKATDE INSATSER",
        id="d",
    )
    found = rules_of(check_document([summary, detail]))
    assert found == [("cross_table", "Strukturinriktade insatser", "p2017", 1320, 1220)]


def test_cross_table_allows_rounding_of_the_components():
    summary = table(
        [("Balder", "-3 510")], columns=("u",), kind="budget_outcome", title="Per område", id="a", unit="tkr"
    )
    detail = table(
        [("Personal", "3 187"), ("Lokal", "181"), ("Övrigt", "141"), ("Totalt", "3 509")],
        columns=("u",),
        kind="budget_outcome",
        title="Balder",
        id="b",
        unit="tkr",
    )
    assert rules_of(check_document([summary, detail])) == []


def test_member_shares_warn_beyond_rounding():
    t = table(
        [
            ("Staten", "8 000 000"),
            ("Regionen", "4 000 000"),
            ("Huddinge kommun", "2 000 000"),
            ("Botkyrka kommun", "2 000 000"),
            ("Totalt", "16 000 000"),
        ],
        kind="member_contributions",
    )
    for row, key in zip(
        t.rows,
        [
            "member_contribution_state",
            "member_contribution_region",
            "member_contribution_municipality:huddinge",
            "member_contribution_municipality:botkyrka",
            "member_contributions_total",
        ],
        strict=True,
    ):
        row.canonical = key
    assert [f for f in check_document([t]) if f.rule == "member_shares"] == []
    t.rows[0].values["c2016"] = v("9 000 000")
    t.rows[-1].values["c2016"] = v("17 000 000")
    warnings = [f for f in check_document([t]) if f.rule == "member_shares"]
    assert warnings and all(f.severity == "warning" for f in warnings)


def test_uncertain_ocr_values_make_warnings_not_errors():
    t = table([("A", "100"), ("B", "200"), ("Summa", "310")])
    t.rows[1].values["c2016"].uncertain = True
    assert [f.severity for f in check_document([t])] == ["warning"]


def test_restatement_across_years():
    def report(year, prior):
        rr = table(
            [("Verksamhetens kostnader", prior)],
            columns=(f"c{year - 1}",),
            years=[year - 1],
            kind="resultatrakning",
            title="Resultaträkning",
        )
        rr.rows[0].canonical = "costs_total"
        return rr

    meta = lambda y: DocumentMeta("Samordningsförbundet X", "arsredovisning", y)  # noqa: E731
    this_year = table(
        [("Verksamhetens kostnader", "-900")], columns=("c2016",), years=[2016], kind="resultatrakning"
    )
    this_year.rows[0].canonical = "costs_total"
    docs = [(meta(2017), [report(2017, "-1 000")]), (meta(2016), [this_year])]
    [f] = check_across(docs)
    assert (f.rule, f.severity, f.document_index, f.other_document_index, f.stated, f.expected) == (
        "restatement",
        "warning",
        0,
        1,
        -1000,
        -900,
    )


def test_text_report_groups_by_document_with_pages():
    t = table([("A", "100"), ("B", "200"), ("Summa", "310")])
    findings = [
        {
            "rule": f.rule,
            "severity": f.severity,
            "table": f.table,
            "row": f.row,
            "page": f.page,
            "message": f.message,
        }
        for f in check_document([t])
    ]
    text = format_findings_text(
        [
            (
                {
                    "source_name": "x.pdf",
                    "federation": "F",
                    "doc_type": "arsredovisning",
                    "fiscal_year": 2016,
                },
                findings,
            )
        ]
    )
    assert "x.pdf" in text and "p. 3" in text and "1 errors" in text


def test_one_digit_differences_on_ocr_pages_are_warnings():
    from normalized.checks import soften_ocr_findings

    t = table([("A", "203 518"), ("B", "100"), ("Summa", "283 618")])
    [f] = soften_ocr_findings(check_document([t]), ocr_pages={3})
    assert (f.severity, f.difference) == ("warning", 80000) and "misread" in f.message
    t = table([("A", "200 000"), ("B", "100"), ("Summa", "205 204")])
    [f] = soften_ocr_findings(check_document([t]), ocr_pages={3})
    assert f.severity == "error"  # 5 104 is no single misread digit
    [f] = soften_ocr_findings(
        check_document([table([("A", "1"), ("B", "2"), ("Summa", "9")])]), ocr_pages=set()
    )
    assert f.severity == "error"  # not an OCR'd page


def test_differences_in_a_table_with_figures_not_read_for_certain_on_ocr_pages_are_warnings():
    from normalized.checks import soften_ocr_findings

    cols = ("c2016", "c2015")
    rows = [("A", "200 000", "10"), ("B", "100", None), ("C", "100", "30"), ("Summa", "205 204", "40")]
    t = table(rows, columns=cols)  # B's 2015 figure was not read: a hole between A's and C's
    [f] = soften_ocr_findings(check_document([t]), ocr_pages={3}, tables=[t])
    assert f.severity == "warning" and "1 figure(s) of the table were not read for certain" in f.message
    t = table([("A", "200 000"), ("B", "100"), ("Summa", "205 204")])  # every figure read: still an error
    [f] = soften_ocr_findings(check_document([t]), ocr_pages={3}, tables=[t])
    assert f.severity == "error"


def test_a_difference_resting_on_a_figure_ocr_read_unsurely_is_a_warning_that_names_it():
    from normalized.checks import soften_ocr_findings

    t = table([("A", "200 000"), ("B", "100"), ("Summa", "205 204")])
    for row in t.rows:
        for v in row.values.values():
            v.confidence = 96.0
    t.rows[-1].values["c2016"].confidence = 83.0  # the total was read less than clearly
    [f] = soften_ocr_findings(check_document([t]), ocr_pages={3}, tables=[t])
    assert f.severity == "warning" and '"205 204" read unsurely' in f.message
    t.rows[-1].values["c2016"].confidence = 96.0
    t.rows[1].values["c2016"].confidence = 72.0  # a part of the total read unsurely
    [f] = soften_ocr_findings(check_document([t]), ocr_pages={3}, tables=[t])
    assert f.severity == "warning" and '"100" read unsurely' in f.message
    t.rows[1].values["c2016"].confidence = 96.0  # every figure the total rests on read clearly: the report
    [f] = soften_ocr_findings(check_document([t]), ocr_pages={3}, tables=[t])
    assert f.severity == "error"


def test_combined_column_whose_ocr_header_lost_its_slash():
    t = table(
        [("2011", "77", "57", "134"), ("2012", "60", "20", "90")],
        columns=("arb", "stud", "both"),
        roles=["count", "count", "count"],
        years=[None] * 3,
    )
    for c, header in zip(t.columns, ["Till arbete", "Till studier", "Arbetelstudier"], strict=True):
        c.header = header
    assert rules_of(check_document([t])) == [("row_arithmetic", "2012", "both", 90, 80)]


def test_two_columns_claiming_one_sum_are_judged_by_their_rows():
    # a scan lost "(andel)" under the second 'Arbete/studier': its shares are no sum of the counts, and the
    # counts column still shows its one misprint
    t = table(
        [
            ("2011", "290", "77", "367", "74"),
            ("2012", "195", "63", "258", "71"),
            ("2013", "43", "34", "87", "62"),
        ],
        columns=("arb", "stud", "both", "share"),
        roles=["count"] * 4,
        years=[None] * 4,
    )
    for c, header in zip(
        t.columns, ["Till arbete", "Till studier", "Arbete/studier", "Arbete/studier"], strict=True
    ):
        c.header = header
    assert rules_of(check_document([t])) == [("row_arithmetic", "2013", "both", 87, 77)]


# --- layouts the footing and the row identities must read right ---------------------------------------------


def test_one_row_is_no_sum_unless_a_heading_names_the_total():
    # a key-figure overview: 'Summa verksamhetens intäkter' stands for lines it does not print
    overview = table(
        [
            ("Medlemsavgifter", "6 400 000", "6 200 000"),
            ("Summa verksamhetens intäkter", "6 688 450", "6 353 125"),
            ("Årets resultat", "-114 862", "916 295"),
        ],
        columns=("c2021", "c2020"),
        years=[2021, 2020],
    )
    overview.rows[2].is_total = True  # read as a total closing 'Summa verksamhetens intäkter' alone
    assert [f for f in check_document([overview]) if f.rule in ("column_sum", "sign")] == []
    # 'Skulder' … 'Summa skulder' says the one row is all the total closes
    closed = table([("Skulder", None), ("Kortfristiga skulder", "1 153 298"), ("Summa skulder", "1 135 298")])
    assert rules_of(check_document([closed])) == [("column_sum", "Summa skulder", "c2016", 1135298, 1153298)]


def balance_sheet(claims="3 089 501"):
    """005's balansräkning: the grand total adds two subtotals, each closing its own heading's section."""
    t = table(
        [
            ("TILLGÅNGAR", None),
            ("Omsättningstillgångar", None),
            ("Kortfristiga fordringar", "285 420"),
            ("Kassa och bank", "2 813 081"),
            ("Summa omsättningstillgångar", "3 098 501"),
            ("SUMMA TILLGÅNGAR", "3 098 501"),
            ("EGET KAPITAL OCH SKULDER", None),
            ("Eget kapital", None),
            ("Eget kapital vid årets början", "2 060 065"),
            ("Årets resultat", "-114 862"),
            ("Summa eget kapital", "1 945 203"),
            ("Skulder", None),
            ("Kortfristiga skulder", "1 153 298"),
            ("Summa skulder", "1 153 298"),
            ("SUMMA EGET KAPITAL OCH SKULDER", claims),
        ],
        kind="balansrakning",
        title="Balansräkning",
    )
    for row, key in zip(
        t.rows, [None] * 5 + ["assets_total"] + [None] * 8 + ["equity_and_liabilities_total"], strict=True
    ):
        row.canonical = key
    return t


def test_nested_subtotals_are_not_counted_with_their_parts():
    assert rules_of(check_document([balance_sheet("3 098 501")])) == []
    found = check_document([balance_sheet()])
    # Summa eget kapital 1 945 203 + Summa skulder 1 153 298 = 3 098 501 = SUMMA TILLGÅNGAR: one cell printed
    # wrong, found by the statement identity and by the footing alike, reported once
    assert rules_of(found) == [
        ("statement_identity", "SUMMA EGET KAPITAL OCH SKULDER", "c2016", 3089501, 3098501)
    ]
    assert "column_sum finds the same" in found[0].message
    footing = [f for f in check_document([balance_sheet()]) if "rows above" in f.message]
    assert footing == []  # not 6 197 002 from three rows, SUMMA TILLGÅNGAR among them


def test_a_footing_that_a_row_error_explains_is_its_consequence():
    t = budget_outcome(
        [
            ("Styrelse", "-138 519", "-160 000", "21 481"),
            ("Hälsoskolan", "-548 320", "-600 000", "57 680"),  # utfall − budget = 51 680
            ("Utvärdering", "-30 000", "-100 000", "70 000"),
            ("Summa kostnader", "-716 839", "-860 000", "143 161"),
        ]
    )
    found = check_document([t])
    assert rules_of(found) == [("row_arithmetic", "Hälsoskolan", "avvikelse", 57680, 51680)]
    [info] = [f for f in found if f.rule == "column_sum"]
    assert (info.severity, info.row, info.stated, info.expected) == (
        "info",
        "Summa kostnader",
        143161,
        149161,
    )
    assert "consequence of Hälsoskolan" in info.message
    # a second error in the column is no consequence: the corrected row does not make the footing hold
    t.rows[3].values["avvikelse"] = v("143 000")
    assert ("column_sum", "Summa kostnader", "avvikelse", 143000, 149161) in rules_of(check_document([t]))


def test_a_cost_printed_without_its_sign():
    t = table(
        [("Personalkostnader", "-1 690"), ("Finansierade insatser", "-7 180"), ("Övriga kostnader", "610")]
        + [("Summa verksamhetens kostnader", "-9 480")],
        unit="tkr",
    )
    [f] = check_document([t])
    assert (f.rule, f.row, f.stated, f.expected, f.severity) == (
        "sign",
        "Övriga kostnader",
        610,
        -610,
        "error",
    )
    # lines of one sign that a result line subtracts are no sign error (costs printed positive)
    t = table([("Intäkter A", "100"), ("Intäkter B", "50"), ("Kostnader", "30"), ("Summa resultat", "120")])
    assert check_document([t]) == []
    # one other line is too little to say which sign the block's lines have
    t = table([("A", "-1 690"), ("B", "610"), ("Summa", "-2 300")])
    assert [f for f in check_document([t]) if f.rule == "sign"] == []


def test_a_note_ties_to_the_column_of_its_own_period():
    rr = table(
        [("Medlemsbidrag", "6 400", "9 600")],
        columns=("u2022", "b2022"),
        roles=["actual", "budget"],
        years=[2022, 2022],
        kind="resultatrakning",
        title="Resultaträkning",
        id="rr",
        unit="tkr",
    )
    rr.rows[0].note_ref = 1
    rr.columns[0].period_end, rr.columns[1].period_end = "2022-08-31", "2022-12-31"
    note = table(
        [
            ("Staten", "4 800", "3 200"),
            ("Region", "4 800", "3 200"),
            ("Summa medlemsbidrag", "9 600", "6 400"),
        ],
        columns=("helar", "janaug"),
        years=[2022, 2022],
        kind="note",
        title="Medlemsbidrag",
        note_number=1,
        id="not1",
        unit="tkr",
    )
    note.columns[0].period_end, note.columns[1].period_end = "2022-12-31", "2022-08-31"
    assert [f for f in check_document([rr, note]) if f.rule == "note_tie_out"] == []
    note.rows[2].values["janaug"] = v("6 500")
    [f] = [f for f in check_document([rr, note]) if f.rule == "note_tie_out"]
    assert (f.row, f.column, f.stated, f.expected) == ("Medlemsbidrag", "u2022", 6400, 6500)
    # two note columns of the year that no period tells apart: no column to tie to, no error
    note.columns[0].period_end = note.columns[1].period_end = None
    assert [f for f in check_document([rr, note]) if f.rule == "note_tie_out"] == []


def participants_table(rows, headers=("Kvinnor", "Män", "Totalt"), **kw):
    t = table(
        rows,
        columns=tuple(f"c{i}" for i in range(len(headers))),
        roles=["other"] * len(headers),
        years=[None] * len(headers),
        kind="participants",
        unit=None,
        **kw,
    )
    for col, header in zip(t.columns, headers, strict=True):
        col.header = header
    return t


def test_kvinnor_and_men_add_up_to_totalt():
    t = participants_table(
        [
            ("Jobbspåret", "38", "29", "67"),
            ("Kvinnor i Arbete", "24", "-", "24"),
            ("IPS Östra Smålandskusten", "14", "9", "24"),
            ("Totalt", "76", "38", "115"),
        ]
    )
    # whole persons: one off is an error, no rounding to hide it
    assert rules_of(check_document([t])) == [
        ("row_arithmetic", "IPS Östra Smålandskusten", "c2", 24, 23),
        ("row_arithmetic", "Totalt", "c2", 115, 114),
    ]
    with_other = participants_table(
        [("Steget Vidare", "61", "36", "2", "99"), ("Unga Framåt", "59", "79", "0", "139")],
        headers=("Kvinnor 2021", "Män 2021", "Annat/okänt 2021", "Totalt 2021"),
    )
    assert rules_of(check_document([with_other])) == [("row_arithmetic", "Unga Framåt", "c3", 139, 138)]


def test_kvinnor_and_men_rows_add_up_to_the_totalt_row():
    t = participants_table(
        [
            ("Kvinnor", "368", "134"),
            ("Män", "270", "105"),
            ("Annat/okänd", "13", "7"),
            ("Totalt", "651", "247"),
        ],
        headers=("Antal deltagare", "Avslutade"),
    )
    assert rules_of(check_document([t])) == [("column_sum", "Totalt", "c1", 247, 246)]


def test_cross_table_subtotal_named_like_a_summary_row():
    summary = table(
        [("Kansli", "1 120,0", "1 080,0"), ("Individinriktade insatser", "3 450,0", "3 350,0")]
        + [("Strukturinriktade insatser", "520,0", "380,0"), ("Summa kostnader", "5 090,0", "4 810,0")],
        columns=("b2023", "b2022"),
        roles=["budget", "budget"],
        years=[2023, 2022],
        kind="budget",
        title="Tabell 4. Budget 2023, tkr",
        id="b",
        unit="tkr",
    )
    detail = table(
        [
            ("Individinriktade insatser", None, None),
            ("Vägen Vidare", "1 150,0", "1 120,0"),
            ("UngKraft", "980,0", "950,0"),
            ("IPS", "1 410,0", "1 280,0"),
            ("Summa individinriktade insatser", "3 540,0", "3 350,0"),
            ("Strukturinriktade insatser", None, None),
            ("Kompetensutveckling", "320,0", "280,0"),
            ("Arbetsgivarsamverkan", "200,0", "100,0"),
            ("Summa strukturinriktade insatser", "520,0", "380,0"),
        ],
        columns=("b2023", "b2022"),
        roles=["budget", "budget"],
        years=[2023, 2022],
        kind="budget",
        title="Tabell 5. Fördelning av insatsmedel 2023, tkr",
        id="d",
        unit="tkr",
    )
    [f] = check_document([summary, detail])
    assert (f.rule, f.table_id, f.row, f.column, f.stated, f.expected) == (
        "cross_table",
        "b",
        "Individinriktade insatser",
        "b2023",
        3450,
        3540,
    )
    assert "Summa individinriktade insatser" in f.message
    # a one-word total ('Summa kostnader') is not taken for every 'Kostnader' row
    detail.rows[4].label = "Summa kostnader"
    summary.rows[1].label = "Kostnader"
    assert [f for f in check_document([summary, detail]) if f.rule == "cross_table"] == []


def test_cross_table_part_named_like_the_whole_is_a_warning():
    """003 read in parts: a table titled 'Insatser' that holds one part (1 078 245) of the summary's
    'Insatser' (16 586 489) is more likely a part than a wrong copy — a warning that says so, not an error."""
    summary = table(
        [("Administration", "2 000 000"), ("Insatser", "16 586 489"), ("Summa kostnader", "18 586 489")],
        title="Verksamhetens kostnader",
        id="s",
    )
    part = table(
        [("Ung i Nynäs", "578 245"), ("Ung i Tyresö", "500 000"), ("Summa", "1 078 245")], title="Insatser"
    )
    found = check_document([summary, part])
    assert rules_of(found) == []
    (warned,) = [f for f in found if f.rule == "cross_table"]
    assert warned.severity == "warning" and "only a part of it" in warned.message
    # a copy off by a digit stays an error
    summary = table(
        [("Administration", "2 000 000"), ("Insatser", "1 978 245"), ("Summa kostnader", "3 978 245")],
        title="Verksamhetens kostnader",
        id="s",
    )
    assert rules_of(check_document([summary, part])) == [
        ("cross_table", "Insatser", "c2016", 1978245, 1078245)
    ]


def test_note_tie_out_through_a_misread_reference_is_a_warning():
    """A scan's Not column read '7' for '1': the line 'Verksamhetens medlemsavgifter' reaches the note on
    Kortfristiga skulder, a figure of another size. A note titled for another line, far from the figure,
    is a warning that the reference may be misread; a note that names the line stays an error."""
    rr = table(
        [("Verksamhetens medlemsavgifter", "18 064 870"), ("Övriga externa kostnader", "-400 000")],
        kind="resultatrakning",
        title="Resultaträkning",
        id="rr",
    )
    rr.rows[0].note_ref, rr.rows[1].note_ref = 7, 4
    skulder = table(
        [("Leverantörsskulder", "3 000 000"), ("Summa", "3 290 633")],
        kind="note",
        title="Kortfristiga skulder",
        note_number=7,
        id="n7",
    )
    skulder.rows[0].values["c2016"] = v("3 290 633")
    externa = table(
        [("Lokaler", "200 000"), ("Övrigt", "160 410"), ("Summa", "360 410")],
        kind="note",
        title="Övriga externa kostnader",
        note_number=4,
        id="n4",
    )
    found = [f for f in check_document([rr, skulder, externa]) if f.rule == "note_tie_out"]
    by_row = {f.row: f for f in found}
    assert {row: f.severity for row, f in by_row.items()} == {
        "Verksamhetens medlemsavgifter": "warning",
        "Övriga externa kostnader": "error",
    }
    assert "reference may be misread" in by_row["Verksamhetens medlemsavgifter"].message
    assert "misread" not in by_row["Övriga externa kostnader"].message


def test_a_total_over_a_part_that_could_not_be_read_is_not_confirmed_not_wrong():
    # OCR read the 71 of "Unga Framåt" as "ol": 48 + 128 + 22 is not 269, but nobody read the fourth part
    t = table(
        [
            ("Steget Vidare", "48"),
            ("Unga Framåt", "71"),
            ("Hälsoskolan", "128"),
            ("IPS", "22"),
            ("Totalt", "269"),
        ]
    )
    assert check_document([t]) == []
    t.rows[1].values["c2016"] = Value("ol", None)
    [f] = [f for f in check_document([t]) if f.rule == "column_sum"]
    assert f.severity == "warning" and "'ol'" in f.message and "not confirmed" in f.message

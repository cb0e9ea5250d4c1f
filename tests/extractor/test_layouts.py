"""Failure kinds of layouts finsam had never seen, each on a real report rendered by the sweep's reportlab
producer with the one layout choice that broke it: header cells wrapped in narrow columns with year and unit
on lines of their own, left-aligned and centred figures, running headers naming the federation, labels that
wrap over two lines, participant tables whose header words a narrow column broke, and figure columns set too
tight for the word gaps."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from corpus.sweep import chromium_producer, prepare, reportlab_producer, writer_producer
from corpus.sweep.document import read_report, title
from corpus.sweep.layout import random_layout
from extractor import extract
from parsers import read_document

AUTHORED = Path(__file__).resolve().parents[2] / "corpus" / "authored"


def _extract(text: str, tmp_path, name: str, producer=reportlab_producer, **layout):
    if not producer.available():
        pytest.skip(f"{producer.PROGRAM} is not installed")
    blocks = read_report(text)
    chosen = dataclasses.replace(random_layout(0, title(blocks)), **layout)
    pdf = producer.render_pdf(prepare(blocks, chosen), chosen, tmp_path / f"{name}.pdf")
    return extract(read_document(pdf))


def _table(extraction, kind: str, title_part: str = ""):
    return next(t for t in extraction.tables if t.kind == kind and title_part in t.title)


def _values(table, label: str) -> dict:
    row = next(r for r in table.rows if r.label == label)
    return {(c.role, c.year): row.values[c.key].value for c in table.columns if c.key in row.values}


@pytest.fixture(scope="module")
def report_text(corpus_texts) -> str:
    return corpus_texts["003"].read_text(encoding="utf-8")


def test_header_words_broken_by_narrow_centred_columns(tmp_path, report_text):
    # LibreOffice breaks a header word that does not fit its column ("Deltag" / "are"), stacks the year and
    # unit, and the header runs over six lines above centred figures
    ex = _extract(
        report_text,
        tmp_path,
        "narrow",
        writer_producer,
        figure_align="center",
        header_stack=True,
        figure_width=6.5,
        table_style="bare",
        size=10,
        table_font_scale=1.0,
    )
    team = next(t for t in ex.tables if t.kind == "participants" and [r for r in t.rows if r.label == "2011"])
    assert [c.header for c in team.columns][:3] == ["Deltagare", "Avslutade", "Till arbete"]
    row = next(r for r in team.rows if r.label == "2011")
    assert [v.value for v in row.values.values()][:3] == [317, 208, 77]
    balance = _table(ex, "balansrakning")
    assert _values(balance, "Summa eget kapital och skulder") == {
        ("actual", 2016): 9363876,
        ("actual", 2015): 11713797,
    }


def test_left_aligned_figures_stay_in_their_columns(tmp_path, report_text):
    ex = _extract(report_text, tmp_path, "left", figure_align="left", table_style="bare", figure_width=8)
    balance = _table(ex, "balansrakning")
    assert _values(balance, "Summa eget kapital och skulder") == {
        ("actual", 2016): 9363876,
        ("actual", 2015): 11713797,
    }
    assert _values(balance, "Långfristiga skulder") == {("actual", 2016): 0, ("actual", 2015): 0}


def test_a_running_header_naming_the_federation_is_not_its_name(tmp_path, report_text):
    # a federation whose name is no place name: only the line's end would end it
    text = report_text.replace("Östra Södertörn", "Norrhälsinge")
    header = "Samordningsförbundet Norrhälsinge Organisationsnummer 222000-1234"
    ex = _extract(text, tmp_path, "header", running_header=header, running_footer="Sida {n} av {total}")
    assert ex.meta.federation == "Samordningsförbundet Norrhälsinge"
    assert (ex.meta.doc_type, ex.meta.fiscal_year) == ("arsredovisning", 2016)
    assert not [r for t in ex.tables for r in t.rows if "Organisationsnummer" in r.label or "Sida" in r.label]


def test_a_label_wrapped_above_its_figures_keeps_the_table_whole(tmp_path, report_text):
    # seed 1's cells align at the bottom: "Kassaflöde från" stands on a line of its own above
    # "investeringsverksamheten 0 0"
    ex = _extract(
        report_text, tmp_path, "wrapped", label_share=0.22, figure_width=10, table_style="grid", seed=1
    )
    cash = [t for t in ex.tables if t.kind == "kassaflodesanalys"]
    assert len(cash) == 1
    labels = [r.label for r in cash[0].rows]
    assert "Kassaflöde från investeringsverksamheten" in labels
    assert "Likvida medel vid årets slut" in labels


def _extract_seed(path, tmp_path, seed: int, producer=reportlab_producer):
    """A report rendered with one whole random layout of the sweep (a development seed)."""
    if not producer.available():
        pytest.skip(f"{producer.PROGRAM} is not installed")
    blocks = read_report(path.read_text(encoding="utf-8"))
    chosen = random_layout(seed, title(blocks))
    pdf = producer.render_pdf(prepare(blocks, chosen), chosen, tmp_path / f"s{seed}.pdf")
    return extract(read_document(pdf))


def _row_values(table, label: str) -> list:
    row = next(r for r in table.rows if r.label == label)
    return [v.value for v in row.values.values()]


def test_labels_wrapped_over_several_lines_are_read_whole(tmp_path, corpus_texts):
    # seed 135 sets the label column narrow in padded cells with the figures on the label's last line:
    # "Second Chance" over "School | 14 | 6 …" (a capital, so only the lines' spacing says one cell),
    # a label over four lines, and one that leaves a parenthesis open ("(kvartal 4" over "2016)")
    ex = _extract_seed(corpus_texts["003"], tmp_path, 135)
    pilots = next(t for t in ex.tables if t.kind == "participants" and t.rows[0].label == "Kulturhantverket")
    assert _row_values(pilots, "Second Chance School") == [14, 6, 4, 0, 4, 67]
    assert _row_values(pilots, "Totalt") == [34, 19, 10, 3, 13, 68]
    claims = next(t for t in ex.tables if t.kind == "note" and t.title == "Fordringar")
    assert _row_values(claims, "Moms för perioden (kvartal 4 2016)") == [489524, 764214]
    follow_up = _table(ex, "budget_outcome", "Sammanställning")
    label = "Metodutveckling stöd och vård för personer med psykisk funktionsnedsättning - Framtidsmodellen"
    assert _row_values(follow_up, label) == [551047, 204000, 347047]


def test_a_word_broken_twice_by_a_narrow_column_is_made_whole(tmp_path, corpus_texts):
    # seed 142: "Antal deltagare, sa" / "mordningsförbunde" / "t", the figures on the first line
    ex = _extract_seed(corpus_texts["003"], tmp_path, 142)
    firms = next(t for t in ex.tables if any(r.label == "Antal sociala företag" for r in t.rows))
    assert _row_values(firms, "Antal deltagare, samordningsförbundet") == [0, 9, 43, 35, 31, 24]


def test_a_table_whose_first_page_holds_only_its_header_goes_on_over_the_break(tmp_path, corpus_texts):
    # seed 138 leaves the balance report's header and "TILLGÅNGAR" at the foot of a page; the header
    # repeats over the rows on the next
    ex = _extract_seed(corpus_texts["004"], tmp_path, 138)
    balance = next(t for t in ex.tables if any(r.label == "Kundfordringar" for r in t.rows))
    assert balance.kind == "balansrakning"
    assert _row_values(balance, "S:A TILLGÅNGAR") == [4589496, 4082568, 8672064]
    assert _row_values(balance, "S:a Kortfristiga skulder") == [-3575806, -2134021, -5825827]


def test_a_year_alone_on_a_header_line_is_no_page_number(tmp_path):
    # seed 130 wraps "Varav nya 2021" so that the year stands alone on the header's last line
    ex = _extract_seed(AUTHORED / "005_b2579b0be491ddb5.txt", tmp_path, 130)
    table = _table(ex, "participants", "Tabell 1")
    assert {(c.header, c.year) for c in table.columns} >= {("Varav nya 2021", 2021)}
    assert not [r for r in table.rows if not r.label]


def test_an_equity_table_is_no_budget_whatever_the_prose_above_says(tmp_path):
    # seed 144 runs the caption "Tabell 6. Eget kapital 2021–2023" into a line of prose about the budget
    ex = _extract_seed(AUTHORED / "006_88b1631a7c3ea89b.txt", tmp_path, 144)
    assert _table(ex, "other", "Tabell 6").rows


TURNOVER = [8684000, 13120000, 18006715, 23557679, 32739000, 26665000]  # 003's Summa omsättning 2011-2016


def _turnover(ex) -> list:
    """003's social enterprises' turnover, each year's figure in its own column."""
    firms = next(t for t in ex.tables if any(r.label == "Antal sociala företag" for r in t.rows))
    return _row_values(firms, "Summa omsättning")


def test_figures_run_together_in_tight_columns_are_cut_at_the_column_edges(tmp_path, corpus_texts):
    # LibreOffice, seed 131: six figures in one cell ("8 684 000 13 120 000 …"), and a header cell over two
    # columns beside one of its own ("Till arbete" | "Till studier Arbete/studier")
    ex = _extract_seed(corpus_texts["003"], tmp_path, 131, writer_producer)
    assert _turnover(ex) == TURNOVER
    team = next(t for t in ex.tables if t.kind == "participants" and t.title == "Ungdomsteamet")
    assert [c.header for c in team.columns][2:4] == ["Till arbete", "Till studier"]


def test_a_note_reference_run_into_signed_figures_is_split(tmp_path):
    # LibreOffice, seed 130: "Personalkostnader | 3 -1 406 687 -1 351 580", Not and figures in one cell
    ex = _extract_seed(AUTHORED / "005_b2579b0be491ddb5.txt", tmp_path, 130, writer_producer)
    income = _table(ex, "resultatrakning")
    row = next(r for r in income.rows if r.label == "Personalkostnader")
    assert row.note_ref == 3
    assert [v.value for v in row.values.values()] == [-1406687, -1351580]
    assert len(income.rows) >= 12


def _errors(ex) -> list:
    from normalized.checks import check_document

    return [f for f in check_document(ex.tables, ex.meta) if f.severity == "error"]


def test_a_caption_at_a_page_foot_after_a_closing_sum_starts_the_next_table(tmp_path, corpus_texts):
    # seed 147 prints "FINANSIERING AV STRUKTURINRIKTADE INSATSER" under the previous table's SUMMA at a
    # page's foot, the table's header opening the next page: two tables, so the detail table's 1 220 is
    # checked against the budget's 1 320 (the report's real inconsistency)
    ex = _extract_seed(corpus_texts["001"], tmp_path, 147)
    assert any(t.title.startswith("FINANSIERING AV STRUKTURINR") for t in ex.tables)
    found = [f for f in _errors(ex) if f.rule == "cross_table"]
    assert [(f.row, f.stated, f.expected) for f in found] == [("Strukturinriktade insatser", 1320, 1220)]


def test_a_page_break_inside_a_statement_is_no_break_between_its_rows(tmp_path):
    # seed 145 breaks the interim report's income statement between Personalkostnader and Finansierade
    # insatser: the costs are still one block, so 'Övriga kostnader 610' printed without its minus is found
    ex = _extract_seed(AUTHORED / "007_9a4fbef9f11a956c.txt", tmp_path, 145)
    assert [(f.row, f.stated) for f in _errors(ex) if f.rule == "sign"] == [("Övriga kostnader", 610)]


def test_a_section_heading_at_a_page_foot_after_a_named_subtotal_stays_in_the_table(tmp_path, corpus_texts):
    # seed 146: "S:a Eget kapital" then "Kortfristiga skulder" at a page's foot, the header repeated on the
    # next page: one balance report, the heading a section of it (only a sum that names nothing ends a table)
    ex = _extract_seed(corpus_texts["004"], tmp_path, 146)
    balance = next(t for t in ex.tables if any(r.label == "Kundfordringar" for r in t.rows))
    assert balance.kind == "balansrakning"
    assert _row_values(balance, "S:a Kortfristiga skulder") == [-3575806, -2134021, -5825827]


def test_a_header_row_broken_by_a_page_break_is_read_whole(tmp_path):
    # LibreOffice, seed 131: the cash-flow header's cells wrap, and Writer breaks the row over the page,
    # "Jan–aug | Jan–aug" at one page's foot, "2022 | 2021" at the next one's top
    ex = _extract_seed(AUTHORED / "007_9a4fbef9f11a956c.txt", tmp_path, 131, writer_producer)
    cash = _table(ex, "kassaflodesanalys")
    assert [(c.role, c.year) for c in cash.columns] == [("actual", 2022), ("actual", 2021)]
    assert _values(cash, "Likvida medel vid periodens slut") == {
        ("actual", 2022): 3379,
        ("actual", 2021): 3182,
    }
    assert all(r.label for r in cash.rows)
    assert not [f for f in _errors(ex) if f.rule == "cash_flow_balance"]


def test_a_header_line_of_run_together_words_above_a_section_heading_is_header(tmp_path):
    # LibreOffice, seed 135: "Belopp i tkr | Not aug 2022 aug 2021 helår 2022 | 2022", its words run
    # together, with "Verksamhetens intäkter" (a label alone) between it and the first figures
    ex = _extract_seed(AUTHORED / "007_9a4fbef9f11a956c.txt", tmp_path, 135, writer_producer)
    income = _table(ex, "resultatrakning")
    assert [(c.role, c.year) for c in income.columns] == [
        ("actual", 2022),
        ("actual", 2021),
        ("budget", 2022),
        ("forecast", 2022),
    ]
    assert "Belopp i tkr" not in [r.label for r in income.rows]


@pytest.mark.parametrize("producer", [writer_producer, chromium_producer], ids=["writer", "chromium"])
def test_header_words_run_together_are_cut_where_their_columns_end(tmp_path, producer):
    # seed 131: "Planerat" over "2023 Utfall 2021", one cell; "Utfall" stands about as near the first
    # column as the second, but "2023" ends where the first column's figures end
    ex = _extract_seed(AUTHORED / "006_88b1631a7c3ea89b.txt", tmp_path, 131, producer)
    planned = _table(ex, "participants", "Planerade deltagare")
    assert [(c.header, c.role, c.year) for c in planned.columns] == [
        ("Planerat 2023", "target", 2023),
        ("Utfall 2021", "actual", 2021),
    ]


def test_left_aligned_figures_run_together_are_cut_where_their_columns_start(tmp_path, corpus_texts):
    # LibreOffice, seed 134: left-aligned figures set too tight ("8 684 000 13 120 000 …" in one cell), and
    # a header cell "Deltagare Avslutad Till" over three left-aligned columns
    ex = _extract_seed(corpus_texts["003"], tmp_path, 134, writer_producer)
    assert _turnover(ex) == TURNOVER
    team = next(t for t in ex.tables if t.kind == "participants" and t.title == "Ungdomsteamet")
    assert [c.header for c in team.columns][:3] == ["Deltagare", "Avslutade", "Till arbete"]


def test_a_table_whose_header_repeats_only_its_first_line_goes_on_over_the_break(tmp_path, corpus_texts):
    # Chromium, seed 132: "Insatser | Utfall | Budget | Avvikelse" over "2016-12-31 | 2016", and on the next
    # page only the first line again over the last three rows, each with an outcome alone
    ex = _extract_seed(corpus_texts["003"], tmp_path, 132, chromium_producer)
    follow_up = next(t for t in ex.tables if any(r.label == "Intäkter/medlemsavgifter" for r in t.rows))
    assert _values(follow_up, "Resultat") == {("actual", 2016): 1078245}
    assert not [t for t in ex.tables if t.title == "Insatser" and t is not follow_up]


def test_a_caption_wrapped_over_two_lines_titles_its_table_whole(tmp_path, corpus_texts):
    # LibreOffice, seed 135: "FINANSIERING AV STRUKTURINRIKATDE" / "INSATSER" in a large heading font
    # above the detail table, so its SUMMA 1 220 is still checked against the budget's 1 320
    ex = _extract_seed(corpus_texts["001"], tmp_path, 135, writer_producer)
    assert any(t.title == "FINANSIERING AV STRUKTURINRIKATDE INSATSER" for t in ex.tables)
    found = [f for f in _errors(ex) if f.rule == "cross_table"]
    assert [(f.row, f.stated, f.expected) for f in found] == [("Strukturinriktade insatser", 1320, 1220)]


def test_a_label_run_into_its_figures_in_tight_columns_stays_a_row(tmp_path, corpus_texts):
    # LibreOffice, seed 145: 005's five-year overview is set so tight that "Summa verksamhetens intäkter
    # 6 688 450 6 353 125 …" has no gap at all; seed 136: a survey question's first line runs into "5,1"
    ex = _extract_seed(AUTHORED / "005_b2579b0be491ddb5.txt", tmp_path, 145, writer_producer)
    overview = next(
        t for t in ex.tables if any(r.label == "Årets resultat" for r in t.rows) and t.kind == "other"
    )
    assert _row_values(overview, "Summa verksamhetens intäkter") == [
        6688450,
        6353125,
        6088750,
        6121400,
        5846200,
    ]
    assert _row_values(overview, "Eget kapital vid årets slut") == [
        1945203,
        2060065,
        1143770,
        1208080,
        1089176,
    ]
    ex = _extract_seed(corpus_texts["003"], tmp_path, 136, writer_producer)
    question = "Har ni en strategi för hur vi arbetar med uppföljning och utvärdering av de samordnade rehabiliteringsinsatserna?"
    rows = [r for t in ex.tables if t.kind == "survey" for r in t.rows if r.label == question]
    assert [[v.value for v in r.values.values()] for r in rows][:1] == [[5.1]]


def test_a_long_question_wrapped_above_its_figure_stays_in_the_table(tmp_path, corpus_texts):
    # LibreOffice, seed 143: survey questions of more than ten words wrap, their figure on the last line
    # ("Har ni en strategi för hur vi arbetar med uppföljning och utvärdering av" / "de samordnade
    # rehabiliteringsinsatserna? | 5,1"): the long line ends left of the figures, so it is no prose
    ex = _extract_seed(corpus_texts["003"], tmp_path, 143, writer_producer)
    survey = [r for t in ex.tables if t.kind == "survey" for r in t.rows]
    labels = {r.label: [v.value for v in r.values.values()] for r in survey}
    question = "Har ni en strategi för hur vi arbetar med uppföljning och utvärdering av de samordnade rehabiliteringsinsatserna?"
    assert labels[question] == [5.1]
    assert labels["Upplever du att de du samverkar med hos andra myndigheter lyssnar på dig?"] == [5.0]


def test_a_label_wrapped_in_a_padded_cell_of_a_text_layer_is_one_label(tmp_path, corpus_texts):
    # LibreOffice, seed 145: cells padded a little, a label's two lines 3.4 pt apart against 5.7 pt between
    # rows ("Verksamhetsanknutna kostnader Grön" / "Rehab | -333 000 | -129 600", a capital, no joining word)
    ex = _extract_seed(corpus_texts["004"], tmp_path, 145, writer_producer)
    labels = {r.label: [v.value for v in r.values.values()] for t in ex.tables for r in t.rows}
    assert labels["Verksamhetsanknutna kostnader Grön Rehab"] == [-333000, -129600]
    assert labels["S:A EGET KAPITAL, AVSÄTTNINGAR OCH SKULDER"] == [-4589496, -4082568, -8672064]
    assert "Rehab" not in labels


def test_a_row_without_figures_in_a_table_set_solid_is_no_wrapped_label(tmp_path, corpus_texts):
    # Chromium, seed 151: rows set solid whose gaps vary by a point ("Arbetsförmedlingen" with no figure
    # 2.9 pt above "Kommunerna | 4173", 4.3 pt elsewhere): no gap is a point closer than all rows' gaps
    ex = _extract_seed(corpus_texts["004"], tmp_path, 151, chromium_producer)
    contributions = _table(ex, "member_contributions")
    assert [r.label for r in contributions.rows][:3] == [
        "Försäkringskassan",
        "Arbetsförmedlingen",
        "Kommunerna",
    ]
    assert _row_values(contributions, "Kommunerna") == [4173]


def test_a_header_cell_starting_on_a_left_edge_is_that_columns_though_it_runs_over_the_next(
    tmp_path, corpus_texts
):
    # Chromium, seed 136: left-aligned participant counts under "Till arbete", whose "arbete" reaches
    # nearer the next column's right edge than its own column's
    ex = _extract_seed(corpus_texts["003"], tmp_path, 136, chromium_producer)
    pilots = next(t for t in ex.tables if t.kind == "participants" and t.rows[0].label == "Kulturhantverket")
    assert [c.header for c in pilots.columns][:4] == ["Deltagare", "Avslutade", "Till arbete", "Till studier"]
    assert _row_values(pilots, "Totalt") == [34, 19, 10, 3, 13, 68]


def test_a_label_run_into_its_figure_at_a_page_foot_stays_a_row(tmp_path, corpus_texts):
    # Chromium, seed 136: the survey question that runs into "5,1" is the page's last row; the next row
    # is on the next page
    ex = _extract_seed(corpus_texts["003"], tmp_path, 136, chromium_producer)
    question = "Har ni en strategi för hur vi arbetar med uppföljning och utvärdering av de samordnade rehabiliteringsinsatserna?"
    rows = [r for t in ex.tables if t.kind == "survey" for r in t.rows if r.label == question]
    assert [[v.value for v in r.values.values()] for r in rows][:1] == [[5.1]]


def test_a_row_whose_figures_ran_together_with_a_share_is_no_header(tmp_path):
    # Chromium, seed 152: "Region Värmland | 25,00 % 1 300,0 1 250,0", three figures in one cell, under a
    # member whose name wrapped: a row of figures, not the header of a new table
    ex = _extract_seed(AUTHORED / "006_88b1631a7c3ea89b.txt", tmp_path, 152, chromium_producer)
    members = next(t for t in ex.tables if any(r.label == "Torsby kommun" for r in t.rows))
    assert _row_values(members, "Region Värmland") == [25.0, 1300.0, 1250.0]
    assert _row_values(members, "Totalt") == [100.0, 5200.0, 5000.0]


def test_dates_broken_at_their_hyphen_in_a_header_are_header(tmp_path, corpus_texts):
    # Chromium, seed 147: "2016-01-01 -2016-12-" over "Belopp i kr. | Not | 31 | 31": the days are the
    # dates' ends, not a row of figures, so the Not column is read and Not 4 is tied to its statement line
    ex = _extract_seed(corpus_texts["003"], tmp_path, 147, chromium_producer)
    income = _table(ex, "resultatrakning")
    assert "Belopp i kr." not in [r.label for r in income.rows]
    assert next(r for r in income.rows if r.label == "Verksamhetens kostnader").note_ref == 4
    found = {(f.row, f.stated) for f in _errors(ex) if f.rule == "note_tie_out"}
    assert ("Verksamhetens kostnader", -19794180) in found


def test_a_table_whose_rows_are_years_keeps_its_years_as_labels(tmp_path):
    # a participant table with a year a row and no label that is not a figure (the part of a table a page
    # break left above it): the years stand apart, left of every figure column, and are the labels
    text = (
        "Samordningsförbundet Testbygden\n\nÅrsredovisning 2016\n\n"
        "Teamet har arbetat med unga vuxna under året.\n\n"
        "Ung i Testbygden\tDeltagare\tAvslutade\tTill arbete\tTill studier\n"
        "2012\t624\t363\t195\t63\n2013\t236\t124\t43\t34\n2014\t221\t145\t52\t34\n\n"
        "Teamet fortsätter under nästa år.\n"
    )
    ex = _extract(text, tmp_path, "years", table_style="bare")
    (table,) = [t for t in ex.tables if t.kind == "participants"]
    assert table.title == "Ung i Testbygden"
    assert [r.label for r in table.rows] == ["2012", "2013", "2014"]
    assert [v.raw for v in table.rows[0].values.values()] == ["624", "363", "195", "63"]


def test_centred_dates_run_together_over_columns_of_equal_figures_are_dealt_out(tmp_path, corpus_texts):
    # LibreOffice, seed 196: 003's Not 6 centres "2016-12-31 2015-12-31" (one cell) over figures all as
    # wide in the first column and a sign's width apart in the second, so the second date ends a point off
    # the second column's edge: each date is its own column's header, not both the second's
    ex = _extract_seed(corpus_texts["003"], tmp_path, 196, writer_producer)
    equity = _table(ex, "note", "Eget kapital")
    assert [(c.role, c.year) for c in equity.columns] == [("actual", 2016), ("actual", 2015)]
    assert _values(equity, "Periodens/årets resultat") == {
        ("actual", 2016): 1078245,
        ("actual", 2015): -2719875,
    }


def test_a_header_repeated_over_a_page_break_is_no_page_furniture(tmp_path):
    # LibreOffice, seed 192: 006's Tabell 6 header stands at the foot of page 4 above its first row and
    # again at the top of page 5, two edges of a five-page plan: a running line stands in the same place
    # on its pages, so the header is read, and the columns keep their roles and years
    ex = _extract_seed(AUTHORED / "006_88b1631a7c3ea89b.txt", tmp_path, 192, writer_producer)
    equity = _table(ex, "other", "Tabell 6")
    assert [(c.role, c.year) for c in equity.columns] == [
        ("actual", 2021),
        ("forecast", 2022),
        ("budget", 2023),
    ]
    assert _row_values(equity, "Årets resultat") == [724.4, -180.5, -155.0]


def test_a_header_whose_label_cell_wraps_beside_wordy_column_headers_stays_header(tmp_path, corpus_texts):
    # LibreOffice, seed 189: 004's "Nettokostnad och finansnetto i tkr per" / "område" beside "Utfall jan-
    # budget jan-" / "aug": the header's lines name the rows too, and the rows of figures come under its
    # last line, so it is no text table's first row; seed 158: 003's "Samverkande partner" /
    # "chefsgrupper (13 svar)" beside "Medelvärde" / "mellan 1-6 där 1 =", one column over one figure each
    ex = _extract_seed(corpus_texts["004"], tmp_path, 189, writer_producer)
    areas = next(t for t in ex.tables if any(r.label == "Individsamverkansteam" for r in t.rows))
    assert [(c.role, c.year) for c in areas.columns][:3] == [
        ("actual", 2016),
        ("budget", 2016),
        ("variance", 2016),
    ]
    assert _row_values(areas, "Totalt") == [10238, -11797, 1559, -18095, -17703]
    assert any(f.rule == "sign" and f.row == "Totalt" for f in _errors(ex))  # the report's own slip
    ex = _extract_seed(corpus_texts["003"], tmp_path, 158, writer_producer)
    partners = next(t for t in ex.tables if t.rows[0].label == "Samverkande partner chefsgrupper (13 svar)")
    assert [c.header for c in partners.columns] == ["Medelvärde mellan 1-6"]  # as the other groups
    question = "Har ni strukturer för att initiera, upprätthålla och underhålla relationer mellan inblandade aktörer?"
    assert _row_values(partners, question) == [5.1]


def test_the_tail_of_a_label_left_open_goes_on_the_row_however_it_starts(tmp_path, corpus_texts):
    # LibreOffice, seed 154: 003's Not 5 wraps "Moms för perioden (kvartal | 489 524 | 764 214" over
    # "4 2016)": a parenthesis left open, so the line below is the label's tail, though it starts with a
    # figure as a numbered heading would; the note stays one table, its Summa over all its rows
    ex = _extract_seed(corpus_texts["003"], tmp_path, 154, writer_producer)
    receivables = _table(ex, "note", "Fordringar")
    assert [r.label for r in receivables.rows][2:] == [
        "Moms för perioden (kvartal 4 2016)",
        "Upplupna intäkter",
        "Summa",
    ]
    assert _row_values(receivables, "Summa") == [1117204, 1802235]


def test_a_caption_whose_last_line_is_a_wrapped_tail_titles_its_table_whole(tmp_path, corpus_texts):
    # LibreOffice, seed 176: 003's long caption wraps "… (antal deltagare" over "=122)" right above the
    # table: the tail alone named no kind, so the participants table was "other"; with its head it is whole
    ex = _extract_seed(corpus_texts["003"], tmp_path, 176, writer_producer)
    sources = next(t for t in ex.tables if any(r.label == "A-kassa/aktivitetsstöd" for r in t.rows))
    assert sources.kind == "participants"
    assert sources.title.startswith("Antal personer som avslutat sitt deltagande")
    assert sources.title.endswith("(antal deltagare =122)")


def test_a_long_question_wrapped_over_three_lines_above_its_figure_stays_in_the_table(tmp_path, corpus_texts):
    # LibreOffice, seed 167: cells aligned at their foot, "Har ni en strategi för hur vi arbetar med
    # uppföljning och" (eleven words) / "utvärdering av de samordnade" / "rehabiliteringsinsatserna? | 5,1":
    # the long line wraps into the row two lines down, not one, and is no prose ending the table
    ex = _extract_seed(corpus_texts["003"], tmp_path, 167, writer_producer)
    survey = {
        r.label: [v.value for v in r.values.values()] for t in ex.tables if t.kind == "survey" for r in t.rows
    }
    question = "Har ni en strategi för hur vi arbetar med uppföljning och utvärdering av de samordnade rehabiliteringsinsatserna?"
    assert survey[question] == [5.1]
    assert survey[
        "Använder ni uppföljning och utvärdering som underlag för att utveckla de samordnade rehabiliteringsinsatserna?"
    ] == [4.8]


@pytest.mark.parametrize(
    "seed, question",
    [
        (184, "Får stödet som ni ger ta den tid som behövs?"),  # the first row, under the header
        (166, "Fungerar de olika arbetssätt ni har i den samordnade insatsen bra tillsammans?"),  # the last
    ],
)
def test_a_label_run_into_its_figure_beside_one_row_only_stays_a_row(tmp_path, corpus_texts, seed, question):
    # LibreOffice: a survey question run into its "4,5" with a row of figures on one side only, a header
    # above it (seed 184) or its label's wrapped tail below it, the table's last row (seed 166)
    ex = _extract_seed(corpus_texts["003"], tmp_path, seed, writer_producer)
    rows = [r for t in ex.tables if t.kind == "survey" for r in t.rows if r.label == question]
    assert [[v.value for v in r.values.values()] for r in rows] == [[4.5]]


def test_a_wrapped_label_in_a_short_note_with_few_rows_side_by_side_is_one_label(tmp_path):
    # LibreOffice, seed 174: 005's Not 2 wraps two of its four labels, "Projektbidrag Länsstyrelsen |
    # 250 000 | 150 000" over "Gävleborg, Unga Framåt" 3.6 pt below against 6.5 pt between rows: only one
    # pair of rows of figures stands side by side, so the gap under a label's tail is a gap between rows too
    ex = _extract_seed(AUTHORED / "005_b2579b0be491ddb5.txt", tmp_path, 174, writer_producer)
    other = _table(ex, "note", "Övriga intäkter")
    assert [r.label for r in other.rows][:2] == [
        "Projektbidrag Länsstyrelsen Gävleborg, Unga Framåt",
        "Deltagaravgifter, regional samverkanskonferens",
    ]
    assert _row_values(other, "Projektbidrag Länsstyrelsen Gävleborg, Unga Framåt") == [250000, 150000]


def test_a_heading_wrapped_over_two_lines_names_its_section_whole(tmp_path):
    # LibreOffice, seed 154: 005's balance sheet wraps the heading "EGET KAPITAL OCH" over "SKULDER", no
    # figures on either line: one heading, so "SUMMA EGET KAPITAL OCH SKULDER" closes what it opens and
    # is checked against Eget kapital and Skulder, not against SUMMA TILLGÅNGAR as well (6 197 002); the
    # report's real slip against the assets (3 089 501 for 3 098 501) is still found, once
    ex = _extract_seed(AUTHORED / "005_b2579b0be491ddb5.txt", tmp_path, 154, writer_producer)
    balance = _table(ex, "balansrakning")
    assert "EGET KAPITAL OCH SKULDER" in [r.label for r in balance.rows]
    assert "SKULDER" not in [r.label for r in balance.rows]
    found = [(f.rule, f.stated, f.expected) for f in _errors(ex) if f.row == "SUMMA EGET KAPITAL OCH SKULDER"]
    assert found == [("statement_identity", 3089501, 3098501)]


def test_a_row_is_told_a_total_or_not_by_its_whole_wrapped_label(tmp_path, corpus_texts):
    # LibreOffice, seed 154: 003's cash flow wraps "Kassaflöde från | 0 | 0" over "investeringsverksamheten"
    # and "Likvida medel vid årets | 8 246 672 | …" over "slut": read from the first line alone, the one was
    # a total (footed, a warning: 0 against the 1 row above, −1 664 890) and the other not
    from normalized.checks import check_document

    text = extract(read_document(corpus_texts["003"]))
    ex = _extract_seed(corpus_texts["003"], tmp_path, 154, writer_producer)
    totals = [[(r.label, r.is_total) for r in _table(x, "kassaflodesanalys").rows] for x in (text, ex)]
    assert totals[1] == totals[0]
    assert not [
        f for f in check_document(ex.tables, ex.meta) if (f.table or "").startswith("Kassaflödesanalys")
    ]


COSTS = """Samordningsförbundet Mölndal

Resultaträkning

Belopp i kronor\tBudget 2018\tUtfall 2018
Rörelsens kostnader\t\t
Verksamhetsanknutna personalkostnader\t-8 687 000\t-7 529 706
Verksamhetsanknutna lokalkostnader\t-489 000\t-533 614
Verksamhetsanknutna kostnader, övrigt\t-836 000\t-266 941
Verksamhetsanknutna kostnader Grön Rehab\t-333 000\t-129 600
S:a Verksamhetsanknutna kostnader\t-10 345 000\t-8 459 861
Övriga kostnader\t\t
Arvoden\t-113 000\t-121 345
Övriga personalkostnader\t-1 013 000\t-1 087 062
Lokalkostnad kansli\t-47 000\t-50 534
S:a övriga kostnader\t-1 173 000\t-1 258 941
S:a Rörelsens kostnader\t-11 518 000\t-9 718 802
"""


@pytest.mark.parametrize("seed", [106, 110])  # bare at 200 dpi; grid at 300 dpi
def test_a_scanned_label_wrapped_onto_a_line_starting_with_a_capital_is_one_label(tmp_path, seed):
    """ "Verksamhetsanknutna kostnader" over "Grön Rehab": no lower-case start, no dangling word, and on a
    scan the space between the lines varies with the letters (a capital's top, an ascender) by as much as
    the cells' padding. The step from baseline to baseline does not: the lines of one cell stand the font's
    leading apart, rows that plus the padding."""
    from corpus.sweep import render
    from extractor.tables import extract_tables

    scan = render(COSTS, "reportlab-scan", seed, tmp_path / "costs.scan.pdf")
    (table,) = extract_tables(read_document(scan, cache_dir=tmp_path / "ocr-cache"))
    labels = [r.label for r in table.rows]
    assert "Verksamhetsanknutna kostnader Grön Rehab" in labels and "Grön Rehab" not in labels
    assert "Övriga kostnader" in labels  # a heading below a row of figures stays a heading
    assert _row_values(table, "Verksamhetsanknutna kostnader Grön Rehab") == [-333000, -129600]
    assert _row_values(table, "S:a Verksamhetsanknutna kostnader") == [-10345000, -8459861]


def test_the_last_rows_label_wrapped_in_capitals_is_read_whole(tmp_path, vindeladalen_texts):
    # seed 154 wraps the balance sheet's last label "SUMMA EGET KAPITAL" / "OCH SKULDER" in its narrow label
    # column: a tail in capitals, which only its conjunction tells from a heading; read apart, the row was a
    # second "Summa eget kapital" and the year's line of the next report did not meet it
    ex = _extract_seed(vindeladalen_texts["ar2018"], tmp_path, 154)
    balance = _table(ex, "balansrakning")
    assert [r.label for r in balance.rows][-2:] == ["Summa skulder", "SUMMA EGET KAPITAL OCH SKULDER"]
    assert balance.rows[-1].canonical == "equity_and_liabilities_total"


def test_a_column_header_run_into_a_group_label_is_the_columns_header(tmp_path, corpus_texts):
    # LibreOffice, seed 9052: the survey's second group label is long enough that its column's header
    # follows it 8 pt after, under a cell gap ("Samverkande partner chefsgrupper (13 svar) Medelvärde" over
    # "mellan 1-6", "där 1 = Inte", …), so that group's figures were read under a header without its first
    # word
    ex = _extract_seed(corpus_texts["003"], tmp_path, 9052, writer_producer)
    chefs = [
        t for t in ex.tables if t.kind == "survey" for r in t.rows if r.label.startswith("Har erfarenheter")
    ]
    assert len(chefs) == 1
    assert chefs[0].columns[0].header.startswith("Medelvärde mellan 1-6")
    assert [(r.label[:22], [v.value for v in r.values.values()]) for r in chefs[0].rows][-2:] == [
        ("Har ni strukturer för ", [5.1]),
        ("Har erfarenheter från ", [4.8]),
    ]


def test_a_header_label_wrapped_onto_a_line_of_its_own_is_header(tmp_path, corpus_texts):
    # reportlab, seed 9060: 004's "Nettokostnad och finansnetto / i tkr per" over "område", alone on its line
    # under the header, on both pages of the table: the header's end, not an empty row on the first page,
    # nor a tail of the last row before the page break ("Övrigt område") on the second
    ex = _extract_seed(corpus_texts["004"], tmp_path, 9060)
    (table,) = [t for t in ex.tables if any(r.label == "Gemensamt" for r in t.rows)]
    labels = [r.label for r in table.rows]
    assert "område" not in labels and "Övrigt område" not in labels
    assert _row_values(table, "Övrigt") == [-158, -186, 28, -600, -280]
    assert labels[-1] == "Totalt"


def test_a_column_header_a_space_from_a_group_label_is_split_off_over_its_column(tmp_path, corpus_texts):
    # LibreOffice, seed 9060: "Personal i insatser (28 svar) Medelvärde", the header only 5.8 pt after the
    # label (its spaces 4.2 pt), at the very edge of the header's other lines, each alone on its line
    # ("mellan 1-6", "där 1= Aldrig", "och 6=", "Alltid."): the group's column is headed "Medelvärde …"
    ex = _extract_seed(corpus_texts["003"], tmp_path, 9060, writer_producer)
    staff = [t for t in ex.tables if t.kind == "survey" for r in t.rows if r.label.startswith("Får stödet")]
    assert len(staff) == 1
    assert staff[0].columns[0].header.startswith("Medelvärde mellan 1-6")
    assert "Personal i insatser (28 svar)" in [r.label for r in staff[0].rows] + [staff[0].title]

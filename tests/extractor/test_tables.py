"""Table finding on small reports: tab-separated text, flattened OCR text and positioned PDF-like pages."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from extractor.tables import extract_tables
from finsam.model import DocumentMeta, ParsedDocument
from parsers.text import page_from_text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from layout import positioned_document  # noqa: E402

META = DocumentMeta(federation="Samordningsförbundet Test", doc_type="arsredovisning", fiscal_year=2016)

REPORT = """Årsredovisning 2016

Resultaträkning

Belopp i tkr\tNot\t2016\t2015
Verksamhetens medlemsavgifter\t1\t15 400,0\t16 008,0
Övriga intäkter\t\t-\t-
Verksamhetens kostnader\t2\t-20 449,2\t-19 000,0
Verksamhetens nettokostnad\t\t-5 049,2\t-2 992,0
Årets resultat³\t\t-5 049,2\t-2 992,0

Balansräkning

Belopp i tkr\tNot\t2016-12-31\t2015-12-31
Tillgångar\t\t\t
Omsättningstillgångar\t\t\t
Fordringar\t\t1 000,0\t900,0
Kassa och bank\t\t4 000,0\t5 000,0
Summa tillgångar\t\t5 000,0\t5 900,0
Eget kapital och skulder\t\t\t
Eget kapital\t\t4 500,0\t5 000,0
Kortfristiga skulder\t\t500,0\t900,0
Summa eget kapital och skulder\t\t5 000,0\t5 900,0

Not 1. Verksamhetens medlemsavgifter

\t2016\t2015
Driftbidrag från staten\t7 700,0\t8 004,0
Driftbidrag från Huddinge kommun\t7 700,0\t8 004,0
Summa\t15 400,0\t16 008,0

Styrelsen

Ordinarie\tErsättare
Anna Andersson\tBo Berg
Carl Carlsson\tDan Dahl

Insats\tUtfall\tBudget\tAvvikelse
Ungdomsteamet\t2 272\t2 290\t-18
Pilot och metodutveckling\t\t\t
- Case manager\t232\t0\t232
Summa insatser\t2 504\t2 290\t214
"""


def _doc(text: str) -> ParsedDocument:
    pages = [page_from_text(chunk, i + 1) for i, chunk in enumerate(text.split("\f"))]
    return ParsedDocument(path="test.txt", sha256="0" * 64, source_kind="text", pages=pages)


def _by_kind(tables):
    return {t.kind if t.note_number is None else f"note{t.note_number}": t for t in tables}


def test_statements_notes_and_budget_outcome_from_tab_text():
    tables = _by_kind(extract_tables(_doc(REPORT), META))
    assert set(tables) == {"resultatrakning", "balansrakning", "note1", "budget_outcome"}  # no name list
    rr = tables["resultatrakning"]
    assert rr.title == "Resultaträkning" and rr.unit == "tkr"
    assert [(c.role, c.year) for c in rr.columns] == [("actual", 2016), ("actual", 2015)]
    first = rr.rows[0]
    assert first.note_ref == 1 and first.canonical == "member_contributions_total"
    assert first.values[rr.columns[0].key].value == 15400.0
    assert first.values[rr.columns[0].key].raw == "15 400,0"
    other = rr.rows[1]
    assert other.values[rr.columns[0].key].value == 0.0  # a lone dash is nil
    result = rr.rows[-1]
    assert result.label == "Årets resultat" and result.label_raw == "Årets resultat³" and result.is_total
    assert result.canonical == "result"


def test_balance_sheet_sections_and_canonical_keys():
    br = _by_kind(extract_tables(_doc(REPORT), META))["balansrakning"]
    rows = {r.label: r for r in br.rows}
    assert rows["Tillgångar"].values == {} and rows["Tillgångar"].canonical is None
    assert rows["Fordringar"].section == "Omsättningstillgångar"
    assert rows["Summa tillgångar"].is_total and rows["Summa tillgångar"].canonical == "assets_total"
    assert rows["Kortfristiga skulder"].canonical == "liabilities_short"
    assert rows["Summa eget kapital och skulder"].canonical == "equity_and_liabilities_total"


def test_note_title_number_and_member_keys():
    note = _by_kind(extract_tables(_doc(REPORT), META))["note1"]
    assert note.kind == "note" and note.note_number == 1 and note.title == "Verksamhetens medlemsavgifter"
    assert note.unit == "tkr"  # from the statements' "Belopp i tkr"
    keys = [r.canonical for r in note.rows]
    assert keys == [
        "member_contribution_state",
        "member_contribution_municipality:huddinge",
        "member_contributions_total",
    ]


def test_sub_rows_under_a_heading():
    bo = _by_kind(extract_tables(_doc(REPORT), META))["budget_outcome"]
    assert [(c.role, c.year) for c in bo.columns] == [("actual", 2016), ("budget", 2016), ("variance", 2016)]
    heading = next(i for i, r in enumerate(bo.rows) if r.label == "Pilot och metodutveckling")
    case = next(r for r in bo.rows if r.label == "- Case manager")
    assert case.level == 1 and case.parent == heading and case.section == "Pilot och metodutveckling"
    total = bo.rows[-1]
    assert total.is_total and total.level == 0 and total.section is None


def test_table_continued_after_a_page_break_is_one_table():
    text = REPORT.replace(
        "Kassa och bank\t\t4 000,0\t5 000,0\n", "Kassa och bank\t\t4 000,0\t5 000,0\n\fJS\n\n"
    )
    br = _by_kind(extract_tables(_doc(text), META))["balansrakning"]
    assert [r.label for r in br.rows][-1] == "Summa eget kapital och skulder"
    assert br.page == 1 and br.page_end == 2


def test_contents_is_not_a_table():
    toc = "INNEHÅLL\tSida\n1. Förvaltningsberättelse.....\t3\n1.1 Om förbundet\t5\n2. Resultaträkning\t11\n"
    assert extract_tables(_doc(toc), META) == []


FLAT = """2. Resultatrakning

Belopp i tkr. Not 2018 2017
Verksamhetens medlemsavgifter 1 15 400,0 16 008,0
Intikter ESF 51159 3 057,2
Verksamhetens kostnader -21 089,7 -20 4492
Verksamhetens nettokostnad -460,8 -362,0
3. Balansrakning
Belopp i tkr. Not 2018 2017
Tillgangar
Omsittningstillgangar
Fordringar 2 2 580,0 18123
Summa tillgangar 14 741,6 15 794,5
"""


def test_flattened_ocr_statements_keep_raw_and_mark_doubtful_figures():
    tables = _by_kind(extract_tables(_doc(FLAT), DocumentMeta(doc_type="arsredovisning", fiscal_year=2018)))
    rr, br = tables["resultatrakning"], tables["balansrakning"]
    assert rr.unit == "tkr" and [c.year for c in rr.columns] == [2018, 2017]
    rows = {r.label: r for r in rr.rows}
    assert rows["Verksamhetens medlemsavgifter"].note_ref == 1
    esf = rows["Intikter ESF"].values[rr.columns[0].key]
    assert esf.raw == "51159" and esf.uncertain  # decimal comma lost in a one-decimal column
    costs = rows["Verksamhetens kostnader"]
    assert costs.canonical == "costs_total"
    assert costs.values[rr.columns[1].key].raw == "-20 4492" and costs.values[rr.columns[1].key].uncertain
    fordringar = next(r for r in br.rows if r.label == "Fordringar")
    assert fordringar.note_ref == 2 and fordringar.values[br.columns[0].key].value == 2580.0


@pytest.mark.parametrize("header", [None, "Samordningsförbundet Test – Årsredovisning 2016"])
def test_positioned_pages_read_like_text(header):
    text_tables = extract_tables(_doc(REPORT), META)
    pdf_tables = extract_tables(positioned_document(REPORT, lines_per_page=14, running_header=header), META)

    def cells(tables):
        return {
            (t.kind, t.note_number, r.label, c.role, c.year, v.value)
            for t in tables
            for r in t.rows
            for c in t.columns
            if (v := r.values.get(c.key)) is not None
        }

    assert cells(pdf_tables) == cells(text_tables)
    assert all(r.label != "Sida 1" for t in pdf_tables for r in t.rows)


def _space_aligned(text: str) -> str:
    """The report as a converter's layout mode prints it: labels padded, figures right-aligned with spaces."""
    out = []
    for line in text.split("\n"):
        fields = line.split("\t")
        if len(fields) == 1:
            out.append(line)
            continue
        out.append((fields[0].ljust(50) + "".join(f.rjust(16) for f in fields[1:])).rstrip())
    return "\n".join(out)


def test_space_aligned_text_reads_like_tabs():
    def cells(tables):
        return {
            (t.kind, r.label, c.role, c.year, v.value)
            for t in tables
            for r in t.rows
            for c in t.columns
            if (v := r.values.get(c.key)) is not None
        }

    tabbed = extract_tables(_doc(REPORT), META)
    spaced = extract_tables(_doc(_space_aligned(REPORT)), META)
    assert cells(spaced) == cells(tabbed)


def test_ocr_fragments_join_and_low_confidence_is_uncertain():
    from finsam.model import Cell, Line, Page, Word

    def cell(text, x0, conf=95.0, raw=None):
        x1 = x0 + 5.0 * len(text)
        return Cell(text, x0, x1, [Word(text, x0, x1, 0, 10, conf=conf, raw=raw)])

    rows = [
        [cell("Resultaträkning", 50)],
        [cell("Belopp i kr", 50), cell("2016", 310), cell("2015", 380)],
        [
            cell("Verksamhetens medlemsavgifter", 50),
            cell("1880", 265),
            cell("939", 315),
            cell("1 809 500", 355),
        ],
        [cell("Verksamhetens kostnader", 50), cell("-1 234 567", 280, conf=41.0), cell("-1 000 000", 350)],
        [cell("Summa", 50), cell("646 372", 295, raw="646 37Z"), cell("809 500", 355)],
    ]
    lines = [Line(page=1, index=i, cells=c, top=10.0 * i, bottom=10.0 * i + 8) for i, c in enumerate(rows)]
    page = Page(number=1, text="\n".join(ln.text for ln in lines), lines=lines, text_source="ocr")
    doc = ParsedDocument(path="scan.png", sha256="0" * 64, source_kind="image_ocr", pages=[page])
    (rr,) = extract_tables(doc, META)
    assert rr.kind == "resultatrakning" and rr.unit == "kr"
    first, costs, total = rr.rows
    c2016, c2015 = (c.key for c in rr.columns)
    assert first.values[c2016].value == 1880939 and first.values[c2016].uncertain  # "1880 939": OCR gap
    assert first.values[c2015].value == 1809500 and not first.values[c2015].uncertain
    assert costs.values[c2016].uncertain and not costs.values[c2015].uncertain  # low word confidence
    assert total.values[c2016].repaired


def test_note_reference_printed_in_the_label():
    text = "Balansräkning\n\nBelopp i kr\t2016\t2015\nFordringar (not 5)\t1 000\t900\nKassa och bank\t4 000\t5 000\n"
    (br,) = extract_tables(_doc(text), META)
    assert br.rows[0].note_ref == 5 and br.rows[1].note_ref is None


def test_label_run_into_its_first_figure_is_split():
    from finsam.model import Cell, Line, Page, Word

    def cell(*texts, x0):
        words, x = [], x0
        for t in texts:
            words.append(Word(t, x, x + 5.0 * len(t), 0, 10))
            x += 5.0 * (len(t) + 1)
        return Cell(" ".join(texts), words[0].x0, words[-1].x1, words)

    rows = [
        [cell("Not", "3.", "Fordringar", x0=50)],
        [cell("Belopp", "i", "kr", x0=50), cell("2016", x0=140), cell("2015", x0=210)],
        [cell("Kund", x0=50), cell("513", "745", x0=125), cell("415", "000", x0=195)],
        [cell("Moms", x0=50), cell("489", "524", x0=125), cell("764", "214", x0=195)],
        [cell("Summa", "1", "003", "269", x0=85), cell("1", "179", "214", x0=185)],
    ]
    lines = [Line(page=1, index=i, cells=c, top=10.0 * i, bottom=10.0 * i + 8) for i, c in enumerate(rows)]
    page = Page(number=1, text="\n".join(ln.text for ln in lines), lines=lines, text_source="pdf_text")
    doc = ParsedDocument(path="x.pdf", sha256="0" * 64, source_kind="pdf_text", pages=[page])
    (note,) = extract_tables(doc, META)
    total = note.rows[-1]
    assert total.label == "Summa" and [v.value for v in total.values.values()] == [1003269, 1179214]


def test_debug_view_marks_headers_and_rows():
    from extractor.tables import debug_text

    view = debug_text(_doc(REPORT))
    assert "  H1 p1   Belopp i tkr | Not | 2016 | 2015" in view
    assert "  R1 p1   Verksamhetens medlemsavgifter | 1 | 15 400,0 | 16 008,0" in view
    assert "   . p1   Resultaträkning" in view


def test_a_row_that_sums_the_rows_above_is_a_total():
    text = "Budget 2016\n\nPost\tBudget 2016\nBidrag staten\t500\nBidrag kommunerna\t250\nIntäkter\t750\nLokal\t100\n"
    (budget,) = extract_tables(_doc(text), META)
    assert [r.is_total for r in budget.rows] == [False, False, True, False]


def test_scan_noise_does_not_break_a_statement_apart():
    """A scan of a zebra-striped statement: a rule's stroke read as '|' beside the title, the shaded row's
    edge read faintly as a dash after a section label, a speck at the page's left edge. The title stays a
    title, the header keeps its section rows and figures, and no '1' is read from the stroke."""
    from finsam.model import Cell, Line, Page, Word

    def cell(text, x0, conf=95.0, right=None):
        words, x = [], x0
        for token in text.split(" "):
            words.append(Word(token, x, x + 5.0 * len(token), 0, 10, conf=conf))
            x += 5.0 * (len(token) + 1)
        if right is not None:  # right-aligned figures
            shift = right - words[-1].x1
            words = [Word(w.text, w.x0 + shift, w.x1 + shift, 0, 10, conf=w.conf) for w in words]
        return Cell(text, words[0].x0, words[-1].x1, words)

    def dash_after(label, x0):
        c = cell(label, x0)
        dash = Word("—", c.x1 + 5, c.x1 + 12, 0, 10, conf=47.0)
        return Cell(f"{label} —", c.x0, dash.x1, [*c.words, dash])

    rows = [
        [cell("'", 9, conf=30.0)],
        [cell("RESULTATRÄKNING", 75), Cell("|", 570, 571, [Word("|", 570, 571, 0, 10, conf=83.0)])],
        [cell("Budget 2016", 300, right=350), cell("Utfall 2016", 410, right=460)],
        [cell("Rörelsens intäkter", 80)],
        [dash_after("Övriga rörelseintäkter", 80)],
        [cell("Bidrag FK/Af", 80), cell("5 566 000", 0, right=350), cell("5 565 779", 0, right=460)],
        [cell("Bidrag ESF", 80), cell("400 000", 0, right=350), cell("416 016", 0, right=460)],
        [
            cell("S:a Övriga rörelseintäkter", 80),
            cell("5 966 000", 0, right=350),
            cell("5 981 795", 0, right=460),
        ],
    ]
    lines = [Line(page=1, index=i, cells=c, top=14.0 * i, bottom=14.0 * i + 10) for i, c in enumerate(rows)]
    page = Page(
        number=1, text="\n".join(ln.text for ln in lines), lines=lines, text_source="ocr", width=595.0
    )
    doc = ParsedDocument(path="scan.png", sha256="0" * 64, source_kind="image_ocr", pages=[page])
    (rr,) = extract_tables(doc, META)
    assert rr.kind == "resultatrakning"
    assert [r.label for r in rr.rows] == [
        "Rörelsens intäkter",
        "Övriga rörelseintäkter",
        "Bidrag FK/Af",
        "Bidrag ESF",
        "S:a Övriga rörelseintäkter",
    ]
    assert [(c.role, c.year) for c in rr.columns] == [("budget", 2016), ("actual", 2016)]
    assert rr.rows[-1].values[rr.columns[1].key].value == 5981795


NOTES = """Noter

Not 2 Övriga intäkter
\t2021\t2020
Projektbidrag Länsstyrelsen Gävleborg,\t\t
Unga Framåt\t250 000\t150 000
Deltagaravgifter\t36 500\t-
Summa övriga intäkter\t286 500\t150 000
Not 3 Personalkostnader
\t2021\t2020
Löner kansli\t868 400\t842 100
Sociala avgifter\t301 252\t291 340
Summa personalkostnader\t1 169 652\t1 133 440
"""


@pytest.mark.parametrize("positioned", [False, True])
def test_a_note_title_at_the_top_of_a_page_starts_the_next_note(positioned):
    """Not 3 on the next page, its header the same as Not 2's: a table of its own, not Not 2 run on over the
    break; and a label wrapped after a comma joins the figures below it."""
    doc = positioned_document(NOTES, lines_per_page=7) if positioned else _doc(NOTES)
    notes = [t for t in extract_tables(doc, META) if t.note_number]
    assert [(t.note_number, [r.label for r in t.rows]) for t in notes] == [
        (
            2,
            [
                "Projektbidrag Länsstyrelsen Gävleborg, Unga Framåt",
                "Deltagaravgifter",
                "Summa övriga intäkter",
            ],
        ),
        (3, ["Löner kansli", "Sociala avgifter", "Summa personalkostnader"]),
    ]


def test_an_equity_table_is_no_budget_whatever_its_columns():
    text = """Verksamhetsplan 2023

Tabell 6. Eget kapital 2021–2023, tkr

\tUtfall 2021\tPrognos 2022\tBudget 2023
Eget kapital vid årets början\t2 400,0\t2 100,0\t1 600,0
Årets resultat\t-300,0\t-500,0\t-400,0
Eget kapital vid årets slut\t2 100,0\t1 600,0\t1 200,0

Tabell 7. Budget 2023, tkr

\tBudget 2023\tBudget 2022\tUtfall 2021
Medlemsbidrag\t6 000,0\t6 000,0\t5 800,0
Kostnader\t-6 400,0\t-6 500,0\t-6 100,0
"""
    plan = DocumentMeta(federation="Samordningsförbundet Test", doc_type="verksamhetsplan", fiscal_year=2023)
    kinds = {t.title: t.kind for t in extract_tables(_doc(text), plan)}
    assert kinds == {"Tabell 6. Eget kapital 2021–2023, tkr": "other", "Tabell 7. Budget 2023, tkr": "budget"}


def test_a_percent_sign_misread_in_a_share_column_is_read_as_the_share():
    """Tesseract reads '25,00 %' as '25,00 2' or '7,64 Yo': in a share column of an OCR'd page the figure is
    the share, marked repaired with the printed text kept; outside a share column nothing is guessed."""
    from finsam.model import Cell, Line, Page, Word

    def cell(text, right):
        words, x = [], 0.0
        for token in text.split(" "):
            words.append(Word(token, x, x + 5.0 * len(token), 0, 10, conf=90.0))
            x += 5.0 * (len(token) + 1)
        shift = right - words[-1].x1
        words = [Word(w.text, w.x0 + shift, w.x1 + shift, 0, 10, conf=90.0) for w in words]
        return Cell(text, words[0].x0, words[-1].x1, words)

    def label(text):
        return Cell(text, 50, 50 + 5.0 * len(text), [Word(text, 50, 50 + 5.0 * len(text), 0, 10, conf=90.0)])

    rows = [
        [label("Medlemsbidrag 2023, tkr")],
        [label("Medlem"), cell("Andel", 250), cell("Bidrag 2023", 350)],
        [label("Staten"), cell("50,00", 250), cell("2 600,0", 350)],
        [label("Region Värmland"), cell("25,00 2", 250), cell("1 300,0", 350)],
        [label("Torsby kommun"), cell("7,64 Yo", 250), cell("397,1", 350)],
        [label("Övriga kommuner"), cell("17,36 2", 250), cell("902,9", 350)],
        [label("Totalt"), cell("100,00 2", 250), cell("5 200,0", 350)],
    ]
    lines = [Line(page=1, index=i, cells=c, top=14.0 * i, bottom=14.0 * i + 10) for i, c in enumerate(rows)]
    page = Page(
        number=1, text="\n".join(ln.text for ln in lines), lines=lines, text_source="ocr", width=595.0
    )
    doc = ParsedDocument(path="scan.png", sha256="0" * 64, source_kind="image_ocr", pages=[page])
    plan = DocumentMeta(federation="Samordningsförbundet Test", doc_type="verksamhetsplan", fiscal_year=2023)
    (table,) = extract_tables(doc, plan)
    share, money = table.columns
    assert share.role == "share"
    read = [
        (r.values[share.key].value, r.values[share.key].repaired, r.values[share.key].raw) for r in table.rows
    ]
    assert read == [
        (50.0, False, "50,00"),
        (25.0, True, "25,00 2"),
        (7.64, True, "7,64 Yo"),
        (17.36, True, "17,36 2"),
        (100.0, True, "100,00 2"),
    ]
    assert [r.values[money.key].value for r in table.rows][-1] == 5200.0


def test_signed_figures_run_together_in_a_narrow_column_are_split():
    """A text layer whose narrow columns left no gap between two figures ('-148 862 -1 799 685'): each minus
    sign starts a figure, so the row keeps its three columns instead of becoming a header of text."""
    from finsam.model import Cell, Line, Page, Word

    def cell(text, x0):
        words, x = [], x0
        for token in text.split(" "):
            words.append(Word(token, x, x + 5.0 * len(token), 0, 10))
            x += 5.0 * (len(token) + 1)
        return Cell(text, words[0].x0, words[-1].x1, words)

    def run(*parts):  # figures set apart on the page, read as one cell
        words = [w for text, x0 in zip(parts[::2], parts[1::2], strict=True) for w in cell(text, x0).words]
        return Cell(" ".join(w.text for w in words), words[0].x0, words[-1].x1, words)

    rows = [
        [cell("Balansräkning", 50)],
        [cell("Belopp i kr", 50), cell("Ing balans", 250), cell("Period", 330), cell("Utg balans", 400)],
        [cell("Eget kapital", 50), cell("-864 828", 260), cell("-148 862", 330), cell("-1 013 690", 400)],
        [cell("Årets resultat", 50), run("-148 862", 260, "-1 799 685", 320, "-1 832 547", 400)],
        [cell("S:a Eget kapital", 50), cell("-1 013 690", 250), cell("-1 948 547 -2 846 237", 330)],
    ]
    lines = [Line(page=1, index=i, cells=c, top=14.0 * i, bottom=14.0 * i + 10) for i, c in enumerate(rows)]
    page = Page(
        number=1, text="\n".join(ln.text for ln in lines), lines=lines, text_source="pdf_text", width=595.0
    )
    doc = ParsedDocument(path="t.pdf", sha256="0" * 64, source_kind="pdf_text", pages=[page])
    (table,) = extract_tables(doc, META)
    assert [c.role for c in table.columns] == ["opening", "change", "closing"]
    assert [[v.value for v in r.values.values()] for r in table.rows] == [
        [-864828, -148862, -1013690],
        [-148862, -1799685, -1832547],
        [-1013690, -1948547, -2846237],
    ]


def test_a_figure_glued_to_the_next_figures_sign_is_cut_at_the_sign():
    """A scan of columns set tight read '-10 220-11 791' (a word '220-11' across two columns): the last
    group of one figure and the sign of the next are cut apart, so the row keeps its columns; a date
    ('16-01-01') or a range of years in a row stays one word."""
    from finsam.model import Line, Page

    cell = ocr_cell
    rows = [
        [cell("Ekonomisk sammanfattning", 50)],
        [cell("Belopp i tkr", 50), cell("Utfall", 250), cell("Budget", 300), cell("Avvikelse", 350)],
        [cell("Nettokostnad", 50), cell("-10 220-11 791", 250, conf=12.0), cell("1 571", 360)],
        [cell("Bidrag", 50), cell("12 052", 250), cell("-11 530", 300), cell("522", 365)],
        [cell("Resultat", 50), cell("1 832", 250), cell("-261", 305), cell("2 093", 355)],
    ]
    lines = [Line(page=1, index=i, cells=c, top=14.0 * i, bottom=14.0 * i + 10) for i, c in enumerate(rows)]
    page = Page(
        number=1, text="\n".join(ln.text for ln in lines), lines=lines, text_source="ocr", width=595.0
    )
    doc = ParsedDocument(path="t.pdf", sha256="0" * 64, source_kind="ocr", pages=[page])
    (table,) = extract_tables(doc, META)
    assert [[v.value for v in r.values.values()] for r in table.rows][0] == [-10220, -11791, 1571]

    from extractor.lines import _unglued
    from finsam.model import Word

    for text in ("16-01-01", "2011-2016", "220-11"):  # alone, or after no figure group
        word = Word(text, 0, 30, 0, 10)
        assert [w.text for w in _unglued([Word("Period", -40, -5, 0, 10), word])] == ["Period", text]


def test_a_not_column_whose_header_a_scan_lost_still_gives_the_rows_their_note_references():
    # a scanned resultaträkning whose "Not" header was read too faintly to keep: its column of 2, 3, 4
    # beside the amounts is still the Not references, not a column of figures without a header
    from finsam.model import Line, Page

    cell = ocr_cell
    rows = [
        [cell("Resultaträkning", 50)],
        [cell("Belopp i kr", 50), cell("2016", 310), cell("2015", 370)],
        [
            cell("Verksamhetens medlemsavgifter", 50),
            cell("2", 270),
            cell("18 064 870", 290),
            cell("18 000 000", 350),
        ],
        [
            cell("EU-medel och andra bidrag", 50),
            cell("3", 270),
            cell("2 812 659", 295),
            cell("3 225 186", 355),
        ],
        [
            cell("Verksamhetens kostnader", 50),
            cell("4", 270),
            cell("-19 794 180", 285),
            cell("-23 942 009", 345),
        ],
        [cell("Verksamhetens nettokostnad", 50), cell("1 083 349", 295), cell("-2 716 823", 350)],
    ]
    lines = [Line(page=1, index=i, cells=c, top=14.0 * i, bottom=14.0 * i + 10) for i, c in enumerate(rows)]
    page = Page(
        number=1, text="\n".join(ln.text for ln in lines), lines=lines, text_source="ocr", width=595.0
    )
    doc = ParsedDocument(path="t.pdf", sha256="0" * 64, source_kind="ocr", pages=[page])
    (table,) = extract_tables(doc, META)
    assert [c.year for c in table.columns] == [2016, 2015]
    assert [r.note_ref for r in table.rows] == [2, 3, 4, None]
    assert not table.uncertain

    from extractor.tables import note_column

    money = [["2", "18 064 870"], ["3", "2 812 659"], ["4", "-19 794 180"]]
    assert note_column(["", "2016"], money) == 0
    assert note_column(["Not", "2016"], [["5", "1 000"]]) == 0
    assert (
        note_column(["", "2016"], [["4", "1 000 000"], ["2", "2 000 000"]]) is None
    )  # falling: no Not order
    assert note_column(["", "Kvinnor"], [["2", "3"], ["5", "7"]]) is None  # counts beside counts
    assert note_column(["Antal", "2016"], money) is None
    assert note_column(["", "2016"], [["2", "1 000"], ["12 500", "2 000"]]) is None  # an amount, no reference


def test_one_reading_of_a_not_reference_for_every_place_a_table_prints_one():
    from extractor.tables import note_reference

    assert [note_reference(c) for c in ("3", " Not 12", "not3", "4 a")] == [3, 12, 3, 4]
    assert [note_reference(c) for c in ("0", "41", "", "Not", "2016")] == [None] * 5  # none, or out of range
    assert note_reference("12 500", whole=True) is None and note_reference("12", whole=True) == 12


def test_the_table_finders_view_from_the_command_line(tmp_path, corpus_texts):
    """`python -m extractor.tables FILE` reads the file as ingest does and prints each line as the block
    finders see it; a file it cannot read gives one line and exit status 1, no traceback."""
    import re
    import subprocess
    import sys

    run = [sys.executable, "-m", "extractor.tables"]
    shown = subprocess.run([*run, str(corpus_texts["003"])], capture_output=True, text=True, timeout=120)
    assert shown.returncode == 0 and re.search(r"^ *H\d+ p\d+ ", shown.stdout, re.M)
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"junk")
    failed = subprocess.run([*run, str(junk)], capture_output=True, text=True, timeout=120)
    assert failed.returncode == 1 and failed.stderr.strip() == f"{junk}: not a PDF (no %PDF header)"


def test_a_header_broken_over_many_ocr_lines_stays_the_header():
    # LibreOffice breaks header words in narrow columns ("Deltaga" / "re", "Arbete/" / "studie" / "r" /
    # "(andel)"); a scan reads the lone "r" as "I" (no figure on a line of words) and a speck between the
    # lines as a mark, which the reader drops, leaving a blank line inside the header
    from finsam.model import Cell, Line, Page, Word

    def cell(text, x0, conf=95.0):
        x1 = x0 + 5.0 * len(text)
        return Cell(text, x0, x1, [Word(text, x0, x1, 0, 10, conf=conf)])

    rows = [
        [cell("Ung i Testby", 50), cell("Deltaga", 200), cell("Avsluta", 260), cell("Arbete/", 320)],
        [cell("re", 210), cell("de", 275), cell("studie", 320)],
        [cell(":", 330, conf=30.0)],
        [cell("I", 345, conf=70.0)],
        [cell("(andel)", 320)],
        [cell("2015", 50), cell("170", 220), cell("75", 285), cell("63", 340)],
        [cell("2016", 50), cell("143", 220), cell("65", 285), cell("72", 340)],
    ]
    lines = [Line(page=1, index=i, cells=c, top=12.0 * i, bottom=12.0 * i + 9) for i, c in enumerate(rows)]
    page = Page(number=1, text="\n".join(ln.text for ln in lines), lines=lines, text_source="ocr")
    doc = ParsedDocument(path="scan.png", sha256="0" * 64, source_kind="image_ocr", pages=[page])
    (table,) = extract_tables(doc, META)
    assert table.title == "Ung i Testby"
    assert [c.header for c in table.columns] == ["Deltagare", "Avslutade", "Arbete/studie I (andel)"]
    assert [r.label for r in table.rows] == ["2015", "2016"]


def test_a_percent_sign_misread_in_a_row_of_shares_is_read_as_the_share():
    # a five-year overview whose columns are years and one row of shares ("Eget kapital i procent av
    # medlemsavgifterna", over two lines: "30,4 %" read "30,4 40", "33,2 HW"); the other rows are money,
    # nothing is guessed there
    from finsam.model import Cell, Line, Page, Word

    def cell(text, x0):
        words, x = [], x0
        for token in text.split(" "):
            words.append(Word(token, x, x + 5.0 * len(token), 0, 10, conf=90.0))
            x += 5.0 * (len(token) + 1)
        return Cell(text, words[0].x0, words[-1].x1, words)

    rows = [
        [cell("Ekonomisk översikt 2019-2021", 50)],
        [cell("Belopp i kr", 50), cell("2021", 330), cell("2020", 400), cell("2019", 470)],
        [cell("Eget kapital", 50), cell("1 945 203", 300), cell("2 060 065", 370), cell("1 143 770", 440)],
        [cell("Eget kapital i procent av", 50)],  # the label wraps: its second line names no share
        [cell("medlemsavgifterna", 50), cell("30,4 40", 315), cell("33,2 HW", 385), cell("19,1 4", 460)],
        [cell("Årets resultat", 50), cell("-114 862", 305), cell("916 295", 380), cell("-64 310", 445)],
    ]
    lines = [Line(page=1, index=i, cells=c, top=14.0 * i, bottom=14.0 * i + 10) for i, c in enumerate(rows)]
    page = Page(
        number=1, text="\n".join(ln.text for ln in lines), lines=lines, text_source="ocr", width=595.0
    )
    doc = ParsedDocument(path="scan.png", sha256="0" * 64, source_kind="image_ocr", pages=[page])
    (table,) = extract_tables(doc, META)
    share = next(r for r in table.rows if "procent" in r.label)
    assert [(v.value, v.repaired, v.raw) for v in share.values.values()] == [
        (30.4, True, "30,4 40"),
        (33.2, True, "33,2 HW"),
        (19.1, True, "19,1 4"),
    ]
    assert [v.value for v in table.rows[-1].values.values()] == [-114862, 916295, -64310]


def test_a_note_heading_ocr_read_with_dots_on_its_o_is_the_note():
    # the Swedish model reads "Not 5" as "Nöt 5"; the heading still names Not 5 and its title
    from extractor.captions import title_and_note

    assert title_and_note("", ["Nöt 5 Övriga kostnader"]) == ("Övriga kostnader", 5, "Nöt 5 Övriga kostnader")
    assert title_and_note("", ["Not 5 Övriga kostnader"])[:2] == ("Övriga kostnader", 5)
    assert title_and_note("", ["Nötkreatur 2016"])[1] is None
    # and "Not 1" as "Not I" (a chromium scan, seed 9535), "NOT l", "Not |": Not 1; "Noter i" is no note
    assert title_and_note("", ["Not I Medlemsbidrag"])[:2] == ("Medlemsbidrag", 1)
    assert title_and_note("", ["NOT l Medlemsavgifter"])[:2] == ("Medlemsavgifter", 1)
    assert title_and_note("", ["Not | Medlemsavgifter"])[:2] == ("Medlemsavgifter", 1)
    assert title_and_note("", ["Noter i sammandrag"])[1] is None
    assert title_and_note("", ["Not Insatser"])[1] is None


def test_a_caption_wrapped_at_a_page_foot_after_a_closing_sum_ends_the_table():
    # "SUMMA | 18 494 | 20 435", then the next table's caption over two lines at the page's foot: the block
    # ends on a caption, so the same header opening the next page starts a table of its own
    from extractor.block_finders import Block, _ends_on_a_caption
    from extractor.lines import DocLine

    def line(*cells: str) -> DocLine:
        spans = [(60.0 + 100 * i, 90.0 + 100 * i) for i in range(len(cells))]
        return DocLine(1, "\t".join(cells), list(cells), spans, len(cells) > 1, True)

    rows = [
        line("Insatsens namn", "Prognos 2017", "2018"),
        line("MIA-projektet", "6 400", "10 725"),
        line("SUMMA", "18 494", "20 435"),
        line("FINANSIERING AV STRUKTURINRIKTADE"),
        line("INSATSER"),
    ]
    block = Block(0, len(rows), header=[0], rows=[1, 2, 3, 4])
    assert _ends_on_a_caption(rows, block)
    assert not _ends_on_a_caption(rows, Block(0, 3, header=[0], rows=[1, 2]))  # ends on its sum
    rows[2] = line("Lyra", "2 240", "2 250")  # words after a row that closes nothing: a section heading
    assert not _ends_on_a_caption(rows, block)


RESULTS_OVER_A_BREAK = """Tabell 2. Avslutade deltagare och resultat 2021

\t\t\t\tArbete eller\tAndel
Insats\tAvslutade\tTill arbete\tTill studier\tstudier\tarbete/studier
Steget Vidare\t42\t10\t3\t13\t31 %
Unga Framåt\t61\t21\t18\t39\t64 %
\f
\t\t\t\tArbete eller\tAndel
Insats\tAvslutade\tTill arbete\tTill studier\tstudier = arbete/studier
Hälsoskolan\t109\t11\t4\t15\t14 %
Totalt\t212\t42\t25\t67\t32 %
"""


def test_a_header_repeated_over_a_page_break_is_known_by_its_words_however_its_cells_were_split():
    """OCR ran two header cells of the repeated header together and read a speck between them as "=": the
    same words, so the same table, and its Totalt closes all four rows."""
    (table,) = extract_tables(_doc(RESULTS_OVER_A_BREAK), META)
    assert [r.label for r in table.rows] == ["Steget Vidare", "Unga Framåt", "Hälsoskolan", "Totalt"]
    assert (table.page, table.page_end) == (1, 2)


def test_a_heading_of_capitals_wrapped_over_two_scanned_lines_is_one_caption():
    # a scan: "FINANSIERING AV STRUKTURINRIKATDE" / "INSATSER", capitals whose ink boxes are 12.6 pt high and
    # 8 pt apart; lines of mixed case say nothing by their boxes, and a line further down starts anew
    from extractor.captions import wrapped_heading
    from extractor.lines import DocLine
    from finsam.model import Cell, Line, Word

    def line(text: str, top: float, height: float = 12.6) -> DocLine:
        word = Word(text, 64.0, 64.0 + 5 * len(text), top, top + height)
        ln = Line(
            page=11, index=0, cells=[Cell(text, word.x0, word.x1, [word])], top=top, bottom=top + height
        )
        return DocLine(11, text, [text], [(word.x0, word.x1)], False, True, line=ln, ocr=True)

    upper, lower = line("FINANSIERING AV STRUKTURINRIKATDE", 86.0), line("INSATSER", 106.6)
    assert wrapped_heading(upper, lower)
    assert not wrapped_heading(upper, line("INSATSER", 116.0))  # a blank line between
    assert not wrapped_heading(upper, line("INSATSER", 106.6, height=16.0))  # another size
    assert not wrapped_heading(line("Finansiering av strukturinriktade", 86.0), line("insatser", 106.6))


def test_a_quote_mark_a_label_opens_and_never_closes_is_no_part_of_it():
    # a scan read the rule's end before two labels as quote marks; a quoted name keeps its quotes
    from extractor.rows import clean_label

    assert clean_label('"Summa individinriktade insatser') == "Summa individinriktade insatser"
    assert clean_label("'Samverkansforum och stöd till SIP") == "Samverkansforum och stöd till SIP"
    assert clean_label("»Steget« – arbetsträning") == "»Steget« – arbetsträning"
    assert clean_label('"Steget" Haninge') == '"Steget" Haninge'


def _doc_line(cells: list[tuple[str, float, float]], ocr: bool = True):
    from extractor.lines import DocLine

    texts = [c[0] for c in cells]
    return DocLine(1, "\t".join(texts), texts, [(c[1], c[2]) for c in cells], len(cells) > 1, True, ocr=ocr)


def test_a_scanned_footnote_whose_mark_reads_as_a_digit_is_passed_over_for_the_statement_heading():
    # "BALANSRAPPORT", then two footnotes OCR read with plain digits ("4 | posten övriga kostnader …", its
    # last line "förbrukningsmaterial."), then the table: the statement heading still titles it
    from extractor.captions import caption_above, title_and_note
    from extractor.settings import TableSettings

    lines = [
        _doc_line([("BALANSRAPPORT", 44, 161)]),
        _doc_line([("3 Bidragen utgör de inkomster som kommit in per 31 augusti 2016. Det vi har", 43, 552)]),
        _doc_line([("fordran på balansräkningen.", 43, 154)]),
        _doc_line(
            [
                ("4", 43, 47),
                ("posten övriga kostnader ingår konferenser/utbildningar, revisionskostnader och", 55, 486),
            ]
        ),
        _doc_line([("förbrukningsmaterial.", 43, 126)]),
        _doc_line([("Period: 16-01-01 - 16-08-31", 43, 158)]),
        _doc_line([("", 43, 43), ("Ing balans", 287, 325), ("Period", 331, 354), ("Utg balans", 375, 399)]),
    ]
    captions = caption_above(lines, 6, TableSettings())
    assert title_and_note("", captions)[0] == "BALANSRAPPORT"


def test_a_wrapped_label_split_into_two_cells_left_of_the_figures_is_no_header():
    # "Metodutveckling … personer med | 551 047 | …" over "psykisk funktionsnedsättning - | Framtidsmodellen":
    # the scan set the label's last word apart, but it ends left of every figure
    from extractor.blocks import _left_of_figures

    row = _doc_line(
        [
            ("Metodutveckling stöd och vård för personer med", 71, 271),
            ("551 047", 326, 359),
            ("204 000", 409, 441),
        ]
    )
    tail = _doc_line([("psykisk funktionsnedsättning -", 72, 197), ("Framtidsmodellen", 205, 273)])
    header = _doc_line([("Insatser", 70, 103), ("Utfall", 335, 360), ("Budget", 412, 441)])
    assert _left_of_figures(tail, row)
    assert not _left_of_figures(header, row)


def test_header_words_run_together_over_columns_are_cut_at_the_gaps_between_them():
    # a scanned participant table whose header arrows OCR read as "-" and "="; the header words of four
    # columns come as one cell, and the figures' right edges jitter by two points, so no word ends on an
    # edge all of its column's figures end on except in the last two columns
    from finsam.model import Cell, Line, Page, Word

    def cell(*words):
        ws = [Word(text, x0, x1, 0, 10, conf=90.0) for text, x0, x1 in words]
        return Cell(" ".join(w.text for w in ws), ws[0].x0, ws[-1].x1, ws)

    header = [
        cell(("Ung", 50, 64), ("i", 67, 68), ("Testby", 71, 93)),
        cell(
            ("Deltagare", 254.5, 288.0),
            ("-", 292.7, 296.3),
            ("Avslutade", 301.0, 335.9),
            ("=", 340.6, 343.8),
            ("Till", 349.2, 359.6),
            ("arbete", 361.8, 384.1),
            ("=", 387.4, 391.0),
            ("Till", 394.6, 405.0),
            ("studier", 407.5, 432.0),
        ),
    ]
    figures = [  # (year, four figures with the right edges a scan gave them)
        ("2011", ("166", 288.0), ("104", 337.3), ("60", 384.0), ("13", 432.0)),
        ("2012", ("139", 289.4), ("94", 335.7), ("37", 384.0), ("24", 432.0)),
        ("2013", ("93", 287.7), ("56", 336.6), ("17", 383.8), ("11", 432.0)),
    ]
    rows = [header] + [
        [cell((year, 50, 66))] + [cell((text, right - 4.0 * len(text), right)) for text, right in cells]
        for year, *cells in figures
    ]
    lines = [Line(page=1, index=i, cells=c, top=14.0 * i, bottom=14.0 * i + 10) for i, c in enumerate(rows)]
    page = Page(
        number=1, text="\n".join(ln.text for ln in lines), lines=lines, text_source="ocr", width=595.0
    )
    doc = ParsedDocument(path="scan.png", sha256="0" * 64, source_kind="image_ocr", pages=[page])
    (table,) = extract_tables(doc, META)
    assert [c.header for c in table.columns] == [
        "Deltagare",
        "- Avslutade",
        "= Till arbete",
        "= Till studier",
    ]
    assert [v.value for v in table.rows[0].values.values()] == [166, 104, 60, 13]


def ocr_page(number: int, rows: list):
    """An OCR'd A4 page of the given rows of cells (each a list of `ocr_cell`s), a line every 14 points."""
    from finsam.model import Line, Page

    lines = [
        Line(page=number, index=i, cells=c, top=40.0 + 14.0 * i, bottom=50.0 + 14.0 * i)
        for i, c in enumerate(rows)
    ]
    text = "\n".join(ln.text for ln in lines)
    return Page(number=number, text=text, lines=lines, text_source="ocr", width=595.0, height=842.0)


def ocr_cell(text: str, x0: float, conf: float = 92.0):
    """An OCR'd cell starting at x0: a word a token, five points a character, a space between."""
    from finsam.model import Cell, Word

    words, x = [], x0
    for token in text.split(" "):
        words.append(Word(token, x, x + 5.0 * len(token), 0, 10, conf=conf))
        x += 5.0 * (len(token) + 1)
    return Cell(text, words[0].x0, words[-1].x1, words)


def test_a_dash_read_faintly_between_header_words_is_no_figure():
    # a scanned header "Belopp i tkr | Budget 2023 | Plan 2024 | Plan 2025" where a rule's stroke between
    # two header cells reads as a faint "—": the line is still the header, not a row of one nil figure
    from finsam.model import Line, Page

    cell = ocr_cell

    rows = [
        [cell("Tabell 7. Flerårsplan 2023-2025, tkr", 50)],
        [
            cell("Belopp i tkr", 50),
            cell("Budget 2023", 235),
            cell("—", 296, conf=46.0),
            cell("Plan 2024", 305),
            cell("Plan 2025", 345),
        ],
        [cell("Medlemsbidrag", 50), cell("5 200,0", 255), cell("5 200,0", 305), cell("5 200,0", 355)],
        [cell("Kostnader", 50), cell("-5 355,0", 250), cell("-5 500,0", 300), cell("-5 450,0", 350)],
        [cell("Årets resultat", 50), cell("-155,0", 260), cell("-300,0", 310), cell("-250,0", 360)],
    ]
    lines = [Line(page=1, index=i, cells=c, top=14.0 * i, bottom=14.0 * i + 10) for i, c in enumerate(rows)]
    page = Page(
        number=1, text="\n".join(ln.text for ln in lines), lines=lines, text_source="ocr", width=595.0
    )
    doc = ParsedDocument(path="scan.png", sha256="0" * 64, source_kind="image_ocr", pages=[page])
    (table,) = extract_tables(doc, META)
    assert [(c.header, c.year) for c in table.columns] == [
        ("Budget 2023", 2023),
        ("Plan 2024", 2024),
        ("Plan 2025", 2025),
    ]
    assert [r.label for r in table.rows] == ["Medlemsbidrag", "Kostnader", "Årets resultat"]


def test_a_section_heading_is_no_wrapped_label_where_only_a_stretched_box_sets_the_lines_close():
    # a scanned budget whose section rows ("Intäkter", "Kostnader") stand a row's step above the next row,
    # but OCR stretched the next row's label box over the shaded row's edge, so by their boxes the two lines
    # stand as close as the lines of one wrapped cell; by their baselines they are a row apart
    from finsam.model import Cell, Line, Page, Word

    step, height = 13.5, 6.5

    def foot(text):  # a box reaches below the baseline under descenders and a comma's tail
        return 2.0 if set(text) & set("gjpqy") else 1.4 if "," in text else 0.0

    def line(i, label, *figures, stretch=0.0):
        top = 40.0 + step * i
        words = [Word(label, 50.0, 50.0 + 5.0 * len(label), top - stretch, top + height + foot(label), 92.0)]
        cells = [Cell(label, words[0].x0, words[0].x1, words)]
        for k, text in enumerate(figures):  # OCR reads a figure's digit groups as words of their own
            x = 290.0 + 50.0 * k - 5.0 * len(text)
            ws = []
            for token in text.split():
                ws.append(Word(token, x, x + 5.0 * len(token), top, top + height + foot(token), conf=92.0))
                x += 5.0 * (len(token) + 1)
            cells.append(Cell(text, ws[0].x0, ws[-1].x1, ws))
        bottom = max(w.bottom for c in cells for w in c.words)
        return Line(page=1, index=i, cells=cells, top=top - stretch, bottom=bottom)

    lines = [
        line(0, "Budget 2023, tkr"),
        line(1, "Belopp i tkr", "Budget 2023", "Budget 2022", "Utfall 2021"),
        line(2, "Intäkter"),
        line(3, "Medlemsbidrag", "5 200,0", "5 000,0", "4 800,0", stretch=4.5),
        line(4, "Övriga intäkter", "0,0", "0,0", "86,4"),
        line(5, "Summa intäkter", "5 200,0", "5 000,0", "4 886,4"),
        line(6, "Kostnader"),
        line(7, "Styrelse", "185,0", "180,0", "142,6", stretch=4.5),
        line(8, "Kansli", "1 120,0", "1 080,0", "1 012,8"),
        line(9, "Summa kostnader", "1 305,0", "1 260,0", "1 155,4"),
    ]
    page = Page(
        number=1, text="\n".join(ln.text for ln in lines), lines=lines, text_source="ocr", width=595.0
    )
    doc = ParsedDocument(path="scan.png", sha256="0" * 64, source_kind="image_ocr", pages=[page])
    (table,) = extract_tables(doc, META)
    labels = [r.label for r in table.rows]
    assert "Medlemsbidrag" in labels and "Styrelse" in labels, labels


def test_a_year_with_its_unit_on_a_scanned_header_line_is_no_figure():
    # "Medlemsavgift" over "2021, kr" in a narrow column: OCR cleaning would read "2021, kr" as 2021 kronor,
    # making the header line a row "Medlem | Andel | 2021"
    from finsam.model import Line, Page

    cell = ocr_cell

    rows = [
        [cell("Medlemsavgifter 2021", 50)],
        [cell("Medlemsavgift", 285)],
        [cell("Medlem", 50), cell("Andel", 225), cell("2021, kr", 310)],
        [cell("Försäkringskassan (statens andel)", 50), cell("50,0 %", 220), cell("3 200 000", 305)],
        [cell("Region Gävleborg", 50), cell("25,0 %", 220), cell("1 600 000", 305)],
        [cell("Hudiksvalls kommun", 50), cell("25,0 %", 220), cell("1 600 000", 305)],
        [cell("Totalt", 50), cell("100,0 %", 215), cell("6 400 000", 305)],
    ]
    lines = [Line(page=1, index=i, cells=c, top=14.0 * i, bottom=14.0 * i + 10) for i, c in enumerate(rows)]
    page = Page(
        number=1, text="\n".join(ln.text for ln in lines), lines=lines, text_source="ocr", width=595.0
    )
    doc = ParsedDocument(path="scan.png", sha256="0" * 64, source_kind="image_ocr", pages=[page])
    (table,) = extract_tables(doc, META)
    assert [c.header for c in table.columns] == ["Andel", "Medlemsavgift 2021, kr"]
    assert [r.label for r in table.rows][0] == "Försäkringskassan (statens andel)"


@pytest.mark.parametrize("ocr", [True, False])
def test_a_small_letter_shaped_like_its_capital_says_nothing_of_case_in_a_scan(ocr):
    # OCR reads "Vägen Vidare" as "vägen Vidare" (v and V differ by size alone): under a section heading that
    # is no continuation of the heading; in a text layer a small letter is one, and the label goes on
    from extractor.rows import RawRow, build_rows
    from finsam.model import Column

    columns = [Column(key="budget_2023", header="Budget 2023", role="budget", year=2023)]
    raw = [
        RawRow("Individinriktade insatser", [""], None, 1, ocr=ocr),
        RawRow("vägen Vidare", ["1 150,0"], None, 1, ocr=ocr),
        RawRow("Arbetsträning i samverkan", ["460,0"], None, 1, ocr=ocr),
    ]
    labels = [r.label for r in build_rows(raw, columns, "budget", "Fördelning av insatsmedel")]
    if ocr:
        assert labels == ["Individinriktade insatser", "vägen Vidare", "Arbetsträning i samverkan"]
    else:
        assert labels == ["Individinriktade insatser vägen Vidare", "Arbetsträning i samverkan"]


def test_a_header_repeated_over_a_page_break_is_known_though_ocr_ran_two_of_its_words_together():
    # the next page repeats "Budget jan-aug 2016 | Utfall jan-aug 2016", which OCR read "Utfalljan-aug 2016"

    cell = ocr_cell

    page = ocr_page

    first = [
        [cell("RESULTATRÄKNING", 50)],
        [cell("Budget jan-aug 2016", 225), cell("Utfall jan-aug 2016", 325)],
        [cell("Bidrag FK/Af", 50), cell("5 566 000", 270), cell("5 565 779", 370)],
        [cell("Bidrag VG-region", 50), cell("2 782 000", 270), cell("2 782 000", 370)],
        [cell("Bidrag ESF", 50), cell("400 000", 280), cell("416 016", 380)],
    ]
    second = [
        [cell("Budget jan-aug 2016", 225), cell("Utfalljan-aug 2016", 330)],
        [cell("Arvoden", 50), cell("-113 000", 275), cell("-121 345", 375)],
        [cell("Lokalkostnad kansli", 50), cell("-47 000", 280), cell("-50 534", 380)],
        [cell("Övriga kostnader", 50), cell("-273 000", 275), cell("-500 255", 375)],
    ]
    doc = ParsedDocument(
        path="scan.pdf", sha256="0" * 64, source_kind="pdf_ocr", pages=[page(1, first), page(2, second)]
    )
    (table,) = extract_tables(doc, META)
    assert (table.page, table.page_end) == (1, 2)
    assert [r.label for r in table.rows][-1] == "Övriga kostnader"


def test_a_header_repeated_over_a_page_break_is_known_though_ocr_lost_a_short_word_of_its_label_cell():
    # the next page repeats "Belopp i kr. | Not | 2016-01-01 | 2015-01-01", read "Belopp | kr. | Not | …" (the
    # "i" lost, so "kr." stands as a cell of its own); a balansräkning's header with other dates is another

    cell = ocr_cell

    page = ocr_page

    header = [cell("Belopp i kr.", 50), cell("Not", 200), cell("2016-01-01", 260), cell("2015-01-01", 340)]
    first = [
        [cell("Resultaträkning", 50)],
        header,
        [
            cell("Verksamhetens medlemsavgifter", 50),
            cell("2", 205),
            cell("18 064 870", 270),
            cell("18 000 000", 350),
        ],
        [
            cell("EU-medel och andra bidrag", 50),
            cell("3", 205),
            cell("2 812 659", 275),
            cell("3 225 186", 355),
        ],
    ]
    lost = [
        cell("Belopp", 50),
        cell("kr.", 90),
        cell("Not", 200),
        cell("2016-01-01", 260),
        cell("2015-01-01", 340),
    ]
    second = [
        lost,
        [
            cell("Verksamhetens kostnader", 50),
            cell("4", 205),
            cell("-19 794 180", 265),
            cell("-23 942 009", 345),
        ],
        [cell("Verksamhetens nettokostnad", 50), cell("1 083 349", 270), cell("-2 716 823", 350)],
    ]
    doc = ParsedDocument(
        path="scan.pdf", sha256="0" * 64, source_kind="pdf_ocr", pages=[page(1, first), page(2, second)]
    )
    (table,) = extract_tables(doc, META)
    assert (table.page, table.page_end) == (1, 2)
    assert [r.label for r in table.rows][-1] == "Verksamhetens nettokostnad"

    other = [
        cell("Belopp", 50),
        cell("kr.", 90),
        cell("Not", 200),
        cell("2016-12-31", 260),
        cell("2015-12-31", 340),
    ]
    second[0] = other
    doc.pages[1] = page(2, second)
    assert len(extract_tables(doc, META)) == 2


def test_a_scanned_labels_wrapped_tail_of_one_small_word_still_goes_on():
    # "Kassaflöde från den löpande" over "verksamheten | 839 | 308": a tail alone is no name, its small v is
    # read as written
    from extractor.rows import RawRow, build_rows
    from finsam.model import Column

    columns = [Column(key="actual_2022", header="Jan-aug 2022", role="actual", year=2022)]
    raw = [
        RawRow("Kassaflöde från den löpande", [""], None, 1, ocr=True),
        RawRow("verksamheten", ["839"], None, 1, ocr=True),
    ]
    (row,) = build_rows(raw, columns, "kassaflodesanalys", "Kassaflödesanalys")
    assert row.label == "Kassaflöde från den löpande verksamheten"


def test_a_scanned_figure_behind_specks_is_read_uncertain_and_checked():
    # 004's balance report on a writer scan (seed 9534): "Kundfordringar 0 | 823 166 | =++$823166"; the
    # figure after the specks is read, uncertain, raw kept, and ingående + förändring = utgående holds with it
    from extractor.rows import RawRow, build_rows
    from finsam.model import Column, Table
    from normalized.checks import check_document

    columns = [
        Column(key="opening", header="Ing balans", role="opening", year=2016),
        Column(key="change", header="Period", role="change", year=2016),
        Column(key="closing", header="Utg balans", role="closing", year=2016),
    ]
    cells = ["0", "823 166", "=++$823166"]
    (row,) = build_rows([RawRow("Kundfordringar", cells, None, 1, ocr=True)], columns, "balansrakning", "")
    v = row.values["closing"]
    assert (v.value, v.raw, v.uncertain) == (823166, "=++$823166", True)
    t = Table(kind="balansrakning", title="Balansrapport", columns=columns, rows=[row], id="t")
    assert check_document([t]) == []
    row.values["closing"].value = 832166  # had the specks hidden a digit, the identity would not hold
    assert [(f.rule, f.row) for f in check_document([t])] == [("row_arithmetic", "Kundfordringar")]
    # a speck apart from the figure, before its minus too ("= 918310", "= -114 862")
    (row,) = build_rows(
        [RawRow("Resultat", ["= 918310", "= -114 862", ""], None, 1, ocr=True)], columns, "", ""
    )
    assert [v.value for v in row.values.values()] == [918310, -114862]
    # from a text layer the cell is what it says: no figure
    (row,) = build_rows([RawRow("Kundfordringar", cells, None, 1)], columns, "balansrakning", "")
    assert row.values["closing"].value is None
    # nor is a word behind a mark a figure
    (row,) = build_rows(
        [RawRow("Kundfordringar", ["0", "1", "=x1"], None, 1, ocr=True)], columns, "balansrakning", ""
    )
    assert row.values["closing"].value is None


def test_a_heading_set_tight_over_a_known_row_is_not_joined_to_it():
    # 006's budget on a reportlab scan (seed 9535): "Intäkter" set so close over "Medlemsbidrag 5 200,0 …"
    # that the geometry read one label wrapped; "Medlemsbidrag" is a line on its own, "Intäkter
    # Medlemsbidrag" none. Where the join is the known line ("Övriga" over "Intäkter") it stays joined.
    from extractor.rows import RawRow, build_rows
    from finsam.model import Column

    columns = [Column(key="budget_2023", header="Budget 2023", role="budget", year=2023)]

    def labels(first: str, second: str) -> list[str]:
        raw = [
            RawRow(first, [""], None, 1, wraps=True, ocr=True),
            RawRow(second, ["5 200,0"], None, 1, ocr=True),
        ]
        return [r.label for r in build_rows(raw, columns, "budget", "Tabell 4. Budget 2023, tkr")]

    assert labels("Intäkter", "Medlemsbidrag") == ["Intäkter", "Medlemsbidrag"]
    assert labels("Övriga", "Intäkter") == ["Övriga Intäkter"]


def test_a_scans_dash_apart_from_its_figure_is_a_speck_unless_the_arithmetic_says_minus():
    # seed 9536's scans read a rule's stub before a right-hand column: "Bank, Plusgiro 3 980 701 | -91 214 |
    # — 3889-487"; the figure is 3 889 487, read uncertain. Where ingående + förändring = utgående wants the
    # minus, the dash was one (normalized.number_repair), and where a figure printed without one breaks
    # the arithmetic, that is the report's error and stays
    from extractor.rows import RawRow, build_rows
    from finsam.model import Column, Table
    from normalized.checks import check_document
    from normalized.number_repair import repair_ocr_digits

    columns = [
        Column(key="opening", header="Ing balans", role="opening", year=2016),
        Column(key="change", header="Period", role="change", year=2016),
        Column(key="closing", header="Utg balans", role="closing", year=2016),
    ]

    def row(*cells: str):
        (r,) = build_rows(
            [RawRow("Bank, Plusgiro", list(cells), None, 1, ocr=True)], columns, "balansrakning", ""
        )
        return r, Table(kind="balansrakning", title="Balansrapport", columns=columns, rows=[r], id="t")

    r, t = row("3 980 701", "-91 214", "— 3889-487")
    assert (r.values["closing"].value, r.values["closing"].uncertain) == (3889487, True)
    assert check_document([t]) == [] and repair_ocr_digits([t], check_document, {1}) == 0
    r, t = row("-3 980 701", "91 214", "— 3 889 487")  # here the dash was the minus
    assert [f.rule for f in check_document([t])] == ["sign"]
    assert repair_ocr_digits([t], check_document, {1}) == 1 and r.values["closing"].value == -3889487
    r, t = row("-3 980 701", "91 214", "3 889 487")  # no dash read: the report's error
    assert repair_ocr_digits([t], check_document, {1}) == 0 and r.values["closing"].value == 3889487
    # from a text layer a dash is what it prints
    (r,) = build_rows([RawRow("Bank", ["— 3 889 487"], None, 1)], columns[:1], "balansrakning", "")
    assert r.values["opening"].value == -3889487
    # dates and year spans are no hyphened thousands
    r, _ = row("2015-12-31", "2019-2021", "1 234")
    assert [v.value for v in r.values.values()][:2] == [None, None]


def test_a_label_line_starting_with_och_goes_on_the_label_above():
    # "S:A EGET KAPITAL, AVSÄTTNINGAR | -4 589 496 …" over "OCH SKULDER" (a scan of 004, seed 9536)
    from extractor.rows import RawRow, build_rows
    from finsam.model import Column

    columns = [Column(key="closing", header="Utg balans", role="closing", year=2016)]
    raw = [
        RawRow("S:A EGET KAPITAL, AVSÄTTNINGAR", ["-8 672 064"], None, 1, ocr=True),
        RawRow("OCH SKULDER", [""], None, 1, ocr=True),
        RawRow("BERÄKNAT RESULTAT", ["0,00"], None, 1, ocr=True),
    ]
    rows = build_rows(raw, columns, "balansrakning", "Balansrapport")
    assert [r.label for r in rows] == ["S:A EGET KAPITAL, AVSÄTTNINGAR OCH SKULDER", "BERÄKNAT RESULTAT"]


def test_a_section_heading_set_tight_over_its_first_row_heads_it():
    # 005's budget follow-up on a chromium scan (seed 9536): "Kostnader" set close over "Styrelse -160 000 …"
    from extractor.rows import RawRow, build_rows
    from finsam.model import Column

    columns = [Column(key="budget_2021", header="Budget 2021", role="budget", year=2021)]
    raw = [
        RawRow("Kostnader", [""], None, 1, wraps=True, ocr=True),
        RawRow("Styrelse", ["-160 000"], None, 1, ocr=True),
    ]
    rows = build_rows(raw, columns, "budget_outcome", "Tabell 5. Budgetuppföljning 2021")
    assert [(r.label, r.section) for r in rows] == [("Kostnader", None), ("Styrelse", "Kostnader")]


def test_a_label_spaced_into_the_not_column_stays_the_label(tmp_path):
    # "SUMMA    EGET KAPITAL OCH SKULDER | 3 089 501 | 3 034 060" under "Belopp i kr | Not | 2021-12-31 | …":
    # the label's second word group stands where the Not references stand, and is no reference
    text = (
        "Balansräkning\n"
        "Belopp i kr\tNot\t2021-12-31\t2020-12-31\n"
        "Kassa och bank\t7\t2 813 081\t2 895 050\n"
        "SUMMA TILLGÅNGAR\t\t3 098 501\t3 034 060\n"
        "Summa eget kapital\t\t1 945 203\t2 060 065\n"
        "Kortfristiga skulder\t9\t1 153 298\t973 995\n"
        "SUMMA\tEGET KAPITAL OCH SKULDER\t3 098 501\t3 034 060\n"
    )
    doc = ParsedDocument("r.txt", "0" * 64, "text", [page_from_text(text, 1)])
    (table,) = extract_tables(doc, META)
    assert [(r.label, r.note_ref) for r in table.rows][-2:] == [
        ("Kortfristiga skulder", 9),
        ("SUMMA EGET KAPITAL OCH SKULDER", None),
    ]
    assert table.rows[-1].values["actual_2021"].value == 3098501


def test_a_column_of_figures_alike_wide_takes_the_alignment_its_neighbours_show():
    # writer-scan seed 9539, 003's pilot courses: left-aligned counts; "Till studier" holds "0", "3", "0",
    # "3", as flush right as left, and was taken for right-aligned, so the header "Till arbete" over the
    # column before, between the two, was cut in half ("Till" | "Till arbete studier")
    from extractor.header import FigureColumn, _aligned_alike, header_column

    counts = [[(316.4, 320.8), (316.8, 320.8), (316.4, 321.1), (317.0, 327.0)]]  # "5", "1", "4", "10"
    alike = [[(374.0, 378.4), (374.0, 378.4), (372.2, 380.2), (374.0, 378.4)]]  # "0", "3", "[0]", "3"
    clusters = counts + alike + [[(429.5, 433.8), (429.5, 434.2), (429.5, 434.2), (430.0, 440.0)]]
    alone = [FigureColumn.of(c) for c in clusters]
    assert alone[0].aligned == alone[2].aligned == "left" and alone[1].aligned != "left"
    columns = _aligned_alike(alone, clusters)
    assert [c.aligned for c in columns] == ["left", "left", "left"]
    assert header_column((316.0, 368.0), columns) == 0  # "Till arbete"
    # where the columns that can tell disagree, or none can, each keeps its own
    mixed = clusters + [[(500.0, 510.0), (495.0, 510.0)]]
    assert _aligned_alike([FigureColumn.of(c) for c in mixed], mixed)[1] == alone[1]
    assert _aligned_alike([FigureColumn.of(c) for c in alike], alike) == [alone[1]]


BALANCE_OVER_A_BREAK = """BALANSRAPPORT
Räkenskapsår:\t16-01-01 - 16-12-31
Period:\t16-01-01 - 16-08-31
\tIng balans\tPeriod\tUtg balans
TILLGÅNGAR
Kundfordringar\t120 000\t-20 000\t100 000
Fordran moms\t80 000\t20 000\t100 000
S:a fordringar\t200 000\t0\t200 000
Kortfristiga skulder
Leverantörsskulder\t-150 000\t50 000\t-100 000
\tIng balans\tPeriod\tUtg balans
Upplupna kostnader\t-50 000\t-50 000\t-100 000
S:a Kortfristiga skulder\t-200 000\t0\t-200 000
"""


def test_a_header_repeated_over_a_page_break_without_the_period_lines_above_it_runs_the_table_on():
    # writer-scan seed 9540, 004's balance report: the period lines above its column headers are not repeated
    # on the next page, where the report goes on under "Ing balans | Period | Utg balans" alone; read as a
    # table of its own, its subtotal broke against the rows of half the section
    doc = positioned_document(BALANCE_OVER_A_BREAK, lines_per_page=10)
    tables = [t for t in extract_tables(doc, META) if any(r.label == "Kundfordringar" for r in t.rows)]
    assert len(tables) == 1
    assert [r.label for r in tables[0].rows][-2:] == ["Upplupna kostnader", "S:a Kortfristiga skulder"]

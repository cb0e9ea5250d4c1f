"""Page furniture (extractor.furniture): running headers found by repetition, and known again on a page
where OCR misread a letter of them."""

from extractor.furniture import is_page_furniture, running_lines
from extractor.goal_layout import furniture_test
from finsam.model import Cell, Line, Page, ParsedDocument

HEADER = "Verksamhetsplan med budget 2023 Organisationsnummer 222000-7948"


def page(number: int, header: str, body: str) -> Page:
    lines = [
        Line(number, i, [Cell(t, 50.0, 300.0)], top=20.0 + 40 * i, bottom=30.0 + 40 * i)
        for i, t in enumerate([header, body, f"{number}(7)"])
    ]
    return Page(number, "\n".join(ln.text for ln in lines), lines, text_source="ocr")


def test_a_running_header_misread_on_one_page_is_still_furniture():
    pages = [page(n, HEADER, f"Avsnitt {n} om insatserna") for n in range(1, 6)]
    misread = HEADER.replace("Organisationsnummer", "Organisationsnhummer")
    pages.append(page(6, misread, "Mål och indikatorer"))
    doc = ParsedDocument("plan.pdf", "0" * 64, "pdf_scanned", pages)
    furniture = running_lines(doc)
    assert is_page_furniture(HEADER, furniture) and is_page_furniture(misread, furniture)
    assert furniture_test(doc, furniture)(pages[-1].lines[0])
    # a heading that only begins like the running header is no furniture
    assert not is_page_furniture("Verksamhetsplan med budget 2023", furniture)
    assert not is_page_furniture("Avsnitt 7 om insatserna i kommunerna", furniture)


def test_a_two_page_reports_running_header_is_furniture():
    # a short verksamhetsplan: the header at the top of both pages, a table split over the break between
    # them, whose rows must not stop at the header line
    pages = [page(1, HEADER, "Samordningsförbundet Vellingeåsen"), page(2, HEADER, "Insats\tBudget 2019")]
    doc = ParsedDocument("plan.pdf", "0" * 64, "pdf_text", pages)
    furniture = running_lines(doc)
    assert is_page_furniture(HEADER, furniture)
    assert not is_page_furniture("Samordningsförbundet Vellingeåsen", furniture)


def test_a_page_number_ocr_misread_as_letters_is_furniture_by_where_it_stands():
    # "– 7 –" read "sne" on one page, "Jr" and "ST" on others: no pattern knows them, but each stands
    # alone at the foot of its page where the page numbers of the other pages stand
    def scanned(number: int, foot: str, x: float = 290.0) -> Page:
        body = [f"Avsnitt {number} om insatserna", "Insatsen har haft många deltagare"]
        lines = [
            Line(number, i, [Cell(t, 50.0, 400.0)], top=80.0 + 20 * i, bottom=90.0 + 20 * i)
            for i, t in enumerate(body)
        ]
        lines.append(Line(number, 2, [Cell(foot, x, x + 15.0)], top=805.0, bottom=810.0))
        return Page(number, "\n".join(ln.text for ln in lines), lines, text_source="ocr", width=595.0)

    feet = ["– 1 –", "– 2 –", "sne", "Jr", "ST", "– 6 –"]
    doc = ParsedDocument("scan.pdf", "0" * 64, "pdf_scanned", [scanned(n + 1, f) for n, f in enumerate(feet)])
    furniture = running_lines(doc)
    assert all(is_page_furniture(f, furniture) for f in feet)
    assert not is_page_furniture("Mål", furniture)
    # a short line at the foot of one page only, elsewhere, is no page number
    doc.pages[3] = scanned(4, "Mål", x=80.0)
    assert not is_page_furniture("Mål", running_lines(doc))


def test_a_page_number_ocr_read_on_two_pages_only_is_furniture_by_where_it_stands():
    # "– 3 –" in a faint small type: OCR misses it on most pages and reads it "NG: -" and "TR" on two. Two
    # lines alone at one place at the foot of two pages are that place's page numbers (one of them below a
    # goal table's last row on its page had ended the table there, its rows on the next page lost).
    def scanned(number: int, foot: str | None) -> Page:
        body = [f"Avsnitt {number} om insatserna", "Insatsen har haft många deltagare"]
        lines = [
            Line(number, i, [Cell(t, 80.0, 400.0)], top=80.0 + 20 * i, bottom=90.0 + 20 * i)
            for i, t in enumerate(body)
        ]
        if foot is not None:
            lines.append(Line(number, 2, [Cell(foot, 73.0, 95.0)], top=802.0, bottom=810.0))
        return Page(number, "\n".join(ln.text for ln in lines), lines, text_source="ocr", width=595.0)

    feet = [None, None, "NG: -", None, None, "TR", None]
    doc = ParsedDocument("scan.pdf", "0" * 64, "pdf_scanned", [scanned(n + 1, f) for n, f in enumerate(feet)])
    furniture = running_lines(doc)
    assert is_page_furniture("NG: -", furniture) and is_page_furniture("TR", furniture)
    # at the foot of one page only, a short line is no page number
    doc.pages[5] = scanned(6, None)
    assert not is_page_furniture("NG: -", running_lines(doc))

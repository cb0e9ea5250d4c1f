"""Scans and images: OCR with Tesseract swe, word boxes in points, cached by content."""

from __future__ import annotations

import pytest

import parsers.ocr as ocr
from finsam.errors import NoTextError
from finsam.model import Word
from parsers import read_document
from parsers.layout import group_lines


def test_scanned_pdf_is_ocred_in_swedish(statement_scan, ocr_cache):
    doc = read_document(statement_scan, cache_dir=ocr_cache)
    assert doc.source_kind == "pdf_ocr"
    page = doc.pages[0]
    assert page.text_source == "ocr"
    assert "Samordningsförbundet Östra Södertörn" in page.text
    assert "Resultaträkning" in page.text
    assert page.quality.ocr_confidence > 70
    row = next(line for line in page.lines if line.cells[0].text.startswith("Verksamhetens medlemsavgifter"))
    assert [c.text for c in row.cells][-2:] == ["18 064 870", "18 000 000"]
    # boxes are in PDF points: an A4 page is 595 points wide
    assert all(0 <= w.x0 < w.x1 <= 600 for w in row.words)
    assert all(w.conf is not None for w in row.words)


def test_ocr_results_are_cached_by_content(statement_scan, ocr_cache, monkeypatch):
    first = read_document(statement_scan, cache_dir=ocr_cache)
    calls = []
    monkeypatch.setattr(ocr, "run_tesseract", lambda *a, **k: calls.append(a) or [])
    second = read_document(statement_scan, cache_dir=ocr_cache)
    assert calls == []
    assert second.pages[0].text == first.pages[0].text


def test_ocr_always_rereads_text_layer_pages_with_images(statement_pdf, ocr_cache):
    # a text-only PDF has no page image: --ocr always keeps its text layer
    assert read_document(statement_pdf, ocr="always", cache_dir=ocr_cache).source_kind == "pdf_text"


def test_image_input(tmp_path, statement_pdf, ocr_cache):
    import pypdfium2 as pdfium

    png = tmp_path / "page.png"
    pdfium.PdfDocument(str(statement_pdf))[0].render(scale=200 / 72).to_pil().save(png, dpi=(200, 200))
    doc = read_document(png, cache_dir=ocr_cache)
    assert doc.source_kind == "image_ocr"
    assert "Medlemsavgifter".lower() in doc.pages[0].text.lower()


def test_blank_image_has_no_text(tmp_path, ocr_cache):
    from PIL import Image

    blank = tmp_path / "blank.png"
    Image.new("L", (600, 400), 255).save(blank)
    with pytest.raises(NoTextError):
        read_document(blank, cache_dir=ocr_cache)


def test_percent_sign_misread_as_26_is_restored():
    from parsers.ocr import _percent_signs

    def words(text):
        return [Word(t, i * 26.0, i * 26.0 + 22, 100, 110) for i, t in enumerate(text.split())]

    [line] = _percent_signs(group_lines(words("Minst 30 26 av de som"), 1))
    assert line.text == "Minst 30 % av de som"
    assert [w.raw for w in line.words if w.raw] == ["26"]
    [line] = _percent_signs(group_lines(words("Summa 30 26 450"), 1))
    assert "%" not in line.text
    [line] = _percent_signs(group_lines(words("65 ?4 till arbete/studier"), 1))
    assert line.text == "65 % till arbete/studier"
    # the sign run into the figure after a bound: "Ytterligare minst 1596 av de som" (a writer scan of 001,
    # seed 9535); a count after a bound is printed with its space, a figure of three digits may be one
    [line] = _percent_signs(group_lines(words("Ytterligare minst 1596 av de som"), 1))
    assert line.text == "Ytterligare minst 15% av de som"
    for text in ("minst 1 596 av de som", "minst 596 av de som", "år 2020 av de som", "minst 1517 av de"):
        [line] = _percent_signs(group_lines(words(text), 1))
        assert "%" not in line.text, text


def test_a_header_unit_read_as_a_figure_in_parentheses_is_the_percent_sign():
    """'Andel' over '(%)' read '(260)' beside the years of the other columns: the header's unit. The same
    word in a row of figures is a negative figure, and stays."""
    from parsers.ocr import _percent_signs

    def line(y, *cells):
        return [Word(t, x, x + 6 * len(t), y, y + 10) for x, t in cells]

    header = line(100, (87, "Finansiär"), (318, "Andel"), (361, "Medlemsavgift"), (448, "Medlemsavgift"))
    units = line(114, (331, "(260)"), (411, "2017"), (498, "2018"))
    lines = _percent_signs(group_lines(header + units, 1))
    assert lines[1].text == "(%)\t2017\t2018" and lines[1].words[0].raw == "(260)"
    # the years with their unit ("2017 (kr)") are header cells too; "(26)" is the sign read otherwise
    units = line(114, (331, "(26)"), (411, "2017"), (437, "(kr)"), (498, "2018"), (524, "(kr)"))
    lines = _percent_signs(group_lines(header + units, 1))
    assert lines[1].text == "(%)\t2017 (kr)\t2018 (kr)" and lines[1].words[0].raw == "(26)"
    # ... and the unit run into its header's words, "Andel (26)"
    header = line(100, (87, "Finansiär"), (318, "Andel"), (349, "(26)"), (411, "Medlemsavgift"))
    lines = _percent_signs(group_lines(header, 1))
    assert lines[0].text == "Finansiär\tAndel (%)\tMedlemsavgift"
    # a heading of its own with a figure in parentheses is no header
    lines = _percent_signs(group_lines(line(100, (87, "Antal"), (120, "deltagare"), (176, "(26)")), 1))
    assert lines[0].text == "Antal deltagare (26)"
    header = line(100, (87, "Insats"), (318, "Budget"), (380, "Utfall"), (448, "Avvikelse"))
    row = line(114, (87, "Kansli"), (318, "1200"), (380, "1460"), (448, "(260)"))
    lines = _percent_signs(group_lines(header + row, 1))
    assert lines[1].text.endswith("(260)")


def test_percent_sign_at_the_start_of_a_wrapped_line():
    from parsers.ocr import _percent_signs

    words = [
        Word(t, 300 + i * 26.0, 322 + i * 26.0, 100, 110) for i, t in enumerate("Ca 300 deltagare 65".split())
    ]
    words += [Word("Resultat", 450, 500, 100, 110)]  # another column on the same line
    words += [
        Word(t, 300 + i * 26.0, 322 + i * 26.0, 114, 124) for i, t in enumerate("20 till arbete".split())
    ]
    lines = _percent_signs(group_lines(words, 1))
    assert lines[1].text == "% till arbete"


RULED_STATEMENT = """Samordningsförbundet Östra Södertörn

Resultaträkning

Belopp i kr.\tNot\t2016\t2015
Verksamhetens medlemsavgifter\t2\t18 064 870\t18 000 000
EU-medel och andra bidrag\t3\t2 812 659\t3 225 186
Övriga intäkter\t\t-\t-
Verksamhetens kostnader\t4\t-19 794 180\t-23 942 009
Avskrivningar\t\t-\t-
Verksamhetens nettokostnad\t\t1 083 349\t-2 716 823
Finansiella intäkter\t\t-\t351
Finansiella kostnader\t\t-5 104\t-3 403
Resultat före extraordinära intäkter\t\t1 078 245\t-2 719 875
"""


def test_a_scanned_grid_table_reads_its_figures(tmp_path, ocr_cache):
    """A table printed with full grid lines, scanned at 200 dpi with 0.77° of skew: the rules are found and
    painted out, and every figure reads as printed (without them Tesseract reads the rules as '|', 'EE')."""
    from corpus.sweep import render
    from corpus.sweep.layout import random_layout, random_scan

    seed = 178
    assert random_layout(seed).table_style == "grid" and random_scan(seed).dpi == 200
    scan = render(RULED_STATEMENT, "reportlab-scan", seed, tmp_path / "grid.scan.pdf")
    page = read_document(scan, cache_dir=ocr_cache).pages[0]
    assert len([r for r in page.rules if r.orientation == "h"]) == 11
    assert len([r for r in page.rules if r.orientation == "v"]) == 5
    assert all(
        abs(r.y1 - r.y0) < 1 for r in page.rules if r.orientation == "h"
    )  # the page was turned straight
    assert "|" not in page.text
    for row in RULED_STATEMENT.split("\n")[5:-1]:
        label, _, *figures = row.split("\t")
        line = next(
            line for line in page.lines if "".join(line.text.split()).startswith("".join(label.split()))
        )
        read = [c.text.replace(" ", "") for c in line.cells if c.text[:1] in "-0123456789"]
        assert read[-2:] == [f.replace(" ", "") for f in figures], line.text


def test_figures_with_wrong_digit_groups_are_read_again():
    from parsers.reread import _misgrouped

    assert all(map(_misgrouped, ["38067 146", "523 9153", "1078 245", "9 363876"]))
    assert not any(map(_misgrouped, ["1 078 245", "-2 719 875", "20913", "351", "2016-12-31", "12,5 %"]))


def test_shading_lighter_than_the_ink_is_made_paper_white_before_tesseract_reads_the_page():
    import numpy as np
    from PIL import Image

    page = np.full((60, 200), 252, dtype=np.uint8)
    page[20:40, :] = 230  # a zebra row's shading
    page[25:35, 50:60] = 20  # ink on it
    page[45:50, 100:110] = 90  # ink on the paper
    flat = np.asarray(ocr.flatten_background(Image.fromarray(page)))
    assert (flat[20:25] == 255).all() and (flat[0:20] == 255).all()
    assert (flat[25:35, 50:60] == 20).all() and (flat[45:50, 100:110] == 90).all()


def test_a_speck_read_inside_a_words_box_is_left_out_of_the_line():
    # Tesseract read an "o" inside the box of "Smålandskusten"; reading order would set it after the word and
    # make the heading "IPS Östra Smålandskusten o", a name no sentence of the report uses
    words = [
        Word("IPS", 43.0, 63.0, 250.6, 258.0, 96.0),
        Word("Östra", 68.0, 102.0, 250.6, 258.0, 95.0),
        Word("Smålandskusten", 105.0, 208.0, 250.6, 258.0, 93.0),
        Word("o", 127.0, 130.0, 252.0, 256.0, 87.0),
        Word("14", 300.0, 310.0, 250.6, 258.0, 95.0),  # a short word beside the others stays
    ]
    (line,) = group_lines(ocr._without_nested(words), 1)
    assert line.text == "IPS Östra Smålandskusten\t14"


def test_a_token_hardly_read_inside_a_words_box_does_not_split_its_line():
    # writer-scan seed 9539, 004's title: Tesseract read "se”" at confidence 0 inside "Härryda", and the gap
    # after it split the federation's name into two cells ("… Härryda se”" | "Lerum Alingsås"); a word read
    # surely inside another stays, as does an unsure one beside the others
    words = [
        Word("Samordningsförbundet", 43.9, 212.8, 55.8, 69.1, 90.0),
        Word("Mölndal", 218.9, 275.0, 55.8, 66.2, 96.0),
        Word("Partille", 281.9, 333.0, 55.8, 66.2, 96.0),
        Word("Härryda", 339.1, 396.4, 55.8, 69.1, 96.0),
        Word("se”", 349.9, 355.3, 52.6, 60.5, 0.0),
        Word("Lerum", 403.2, 447.5, 56.2, 66.2, 96.0),
        Word("Alingsås", 453.2, 514.4, 55.8, 68.8, 42.0),
    ]
    (line,) = group_lines(ocr._without_nested(words), 1)
    assert line.text == "Samordningsförbundet Mölndal Partille Härryda Lerum Alingsås"
    sure = [*words[:4], Word("sex", 349.9, 365.3, 52.6, 60.5, 91.0)]
    assert [w.text for w in ocr._without_nested(sure)][-1] == "sex"


def _figure_sheet(text: str):
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf", 40)
    image = Image.new("L", (60 + 26 * len(text), 110), 255)
    ImageDraw.Draw(image).text((30, 30), text, font=font, fill=0)
    return image


def test_sheets_read_in_one_tesseract_run_read_as_each_alone():
    # a run of several images (a list file: each a page to Tesseract) gives each image's words as a run of
    # its own would, boxes and confidences included, and in the order of the images
    sheets = [_figure_sheet(t) for t in ("1 234", "67 %", "-890", "2016-12-31")]
    together = ocr._run_tesseract_many(sheets, "eng", 6)
    assert together == [ocr._run_tesseract(s, "eng", 6) for s in sheets]
    assert [" ".join(w[0] for w in words) for words in together] == ["1 234", "67 %", "-890", "2016-12-31"]


def test_the_pages_sheets_wait_for_the_pages_own_reads_and_go_into_one_run(monkeypatch):
    # four pages, one Tesseract at a time: each page's sheet, asked for as soon as its own read is done,
    # waits while another page is still to be read, and the waiting sheets are read in one run
    import threading
    import time

    runs = []

    def until(ready) -> None:  # however busy the machine, the threads have asked what they ask by then
        deadline = time.monotonic() + 10
        while not ready() and time.monotonic() < deadline:
            time.sleep(0.005)

    def page_read(image, lang, psm):
        # the first page is read once all four are asked for; each next one once the pages before it have
        # asked for their sheets
        until(
            lambda: len(queue._pages) == 3 if image == 0 else sum(map(len, queue._sheets.values())) >= image
        )
        runs.append(("page", image))
        return [[f"page {image}", 0, 0, 1, 1, 90.0]]

    def sheets_read(images, lang, psm):
        runs.append(("sheets", tuple(images)))
        return [[[f"sheet {image}", 0, 0, 1, 1, 90.0]] for image in images]

    monkeypatch.setattr(ocr, "_run_tesseract", page_read)
    monkeypatch.setattr(ocr, "_run_tesseract_many", sheets_read)
    queue = ocr.TesseractQueue(1)
    got = {}

    def page(n: int) -> None:
        own = queue.read_page(n, "swe", 6)
        got[n] = (own, queue.read_sheets([n], "eng", 6))

    threads = [threading.Thread(target=page, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    queue.close()
    assert [kind for kind, _ in runs[:4]] == ["page"] * 4
    sheet_runs = [images for kind, images in runs if kind == "sheets"]
    assert sorted(n for images in sheet_runs for n in images) == [0, 1, 2, 3] and len(sheet_runs) <= 2
    assert got == {
        n: ([[f"page {n}", 0, 0, 1, 1, 90.0]], [[[f"sheet {n}", 0, 0, 1, 1, 90.0]]]) for n in range(4)
    }


def test_a_failed_run_of_sheets_fails_every_page_that_asked(monkeypatch):
    from finsam.errors import OcrFailedError

    def fail(images, lang, psm):
        raise OcrFailedError("Tesseract stopped without reading the page (killed by signal 9)")

    monkeypatch.setattr(ocr, "_run_tesseract_many", fail)
    queue = ocr.TesseractQueue(1)
    try:
        with pytest.raises(OcrFailedError, match="signal 9"):
            queue.read_sheets(["a"], "eng", 6)
    finally:
        queue.close()

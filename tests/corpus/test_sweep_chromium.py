"""The sweep's Chromium producer: a real report printed by headless Chromium under two seeds' layouts."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from corpus.sweep import chromium_producer as chromium
from corpus.sweep import prepare, render
from corpus.sweep.document import TableBlock, read_report, title
from corpus.sweep.layout import footer_text, random_layout

REPORT = Path(__file__).resolve().parents[2] / "corpus" / "004_980b17fa86c8b35a.txt"


def _layout(seed: int):
    return random_layout(seed, title(read_report(REPORT.read_text(encoding="utf-8"))))


def test_render_real_report(tmp_path):
    if not chromium.available():
        pytest.skip("chromium is not installed")
    import pdfplumber
    import pypdfium2

    seed = 5  # landscape, grid, a running header, footer "{n} ({total})" at the left
    layout = _layout(seed)
    assert layout.landscape and layout.running_header and "{total}" in layout.running_footer
    out = render(
        REPORT.read_text(encoding="utf-8"), "chromium", seed, tmp_path / f"004.chromium.s{seed:02d}.pdf"
    )
    assert out.stat().st_size > 0
    assert not list(tmp_path.glob("*.html"))  # the page is written to a private temp dir, and removed
    doc = pypdfium2.PdfDocument(out)  # pdfium to find pages fast (pdfminer is slow on per-glyph text)
    try:
        fast = [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()
    assert len(fast) > 1
    table_page = next(i for i, t in enumerate(fast) if "10 238" in t)
    assert all(layout.running_header in t for t in fast)
    with pdfplumber.open(out) as pdf:
        assert len(pdf.pages) == len(fast)
        first, second = (pdf.pages[i].extract_text() or "" for i in (0, 1))
        table = pdf.pages[table_page].extract_text() or ""
        width, height = pdf.pages[0].width, pdf.pages[0].height
    assert (width > height) == layout.landscape
    assert "Totalt 10 238 -11 797 1 559" in table  # "Nettokostnad och finansnetto": the total row, in line
    assert "-3 510" in table
    assert first.startswith(layout.running_header) and second.startswith(layout.running_header)
    assert second.splitlines()[-1] == footer_text(layout, 2, len(fast))  # "2 (20)"


def test_page_html_honours_the_layout():
    blocks = read_report(REPORT.read_text(encoding="utf-8"))
    layout = dataclasses.replace(_layout(3), repeat_header=True, header_stack=True, table_style="grid")
    page = chromium.page_html(prepare(blocks, layout), layout)
    assert "size: A4;" in page and "@top-left" in page and "counter(pages)" in page
    assert f'font-family: "{layout.font.family}"' in page
    assert "table-layout: fixed" in page and "<colgroup>" in page and "<thead>" in page
    assert "Budget jan-aug<br>2016" in page  # a stacked header cell breaks its lines
    assert "border: 0.5pt solid" in page
    flat = dataclasses.replace(layout, repeat_header=False, landscape=True, running_header=None)
    page = chromium.page_html(blocks, flat)
    assert "<thead>" not in page and '<tr class="head' in page
    assert "size: A4 landscape" in page and "@top-left" not in page


def test_wide_table_fits_the_text_width():
    layout = dataclasses.replace(_layout(3), figure_width=10, label_share=0.5)
    rows = [["Belopp i tkr"] + [f"Prognos utfall {y} (tkr)" for y in range(2010, 2020)]]
    rows += [[f"Rad {i}"] + ["-12 345 678"] * 10 for i in range(3)]
    widths, size, squeezed = chromium._column_widths(TableBlock(rows, 1), layout)
    assert not squeezed
    assert sum(widths) <= layout.text_width + 0.5
    assert size < layout.size * layout.table_font_scale  # ten figure columns only fit in smaller type
    narrow = chromium._column_widths(TableBlock([r[:4] for r in rows], 1), layout)[0]
    assert sum(narrow) <= layout.text_width + 0.5


def test_unavailable_browser_raises_one_line(tmp_path, monkeypatch):
    monkeypatch.setattr(chromium, "_browser", lambda: None)
    assert not chromium.available()
    with pytest.raises(RuntimeError, match="^chromium: "):
        chromium.render_pdf(read_report("Rubrik\n\nText.\n"), _layout(0), tmp_path / "x.pdf")

"""The sweep's LibreOffice Writer producer: a real report as .fodt, converted by headless soffice."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from corpus.sweep import prepare, render
from corpus.sweep import writer_producer as writer
from corpus.sweep.document import Heading, Paragraph, TableBlock, read_report, title
from corpus.sweep.layout import footer_text, random_layout

REPORT = Path(__file__).resolve().parents[2] / "corpus" / "004_980b17fa86c8b35a.txt"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def _blocks():
    return read_report(REPORT.read_text(encoding="utf-8"))


def _layout(seed: int):
    return random_layout(seed, title(_blocks()))


@pytest.mark.parametrize("seed", [5, 4])  # 5: landscape grid, 4: portrait rules; both "{n} ({total})"
def test_render_real_report(tmp_path, seed):
    if not writer.available():
        pytest.skip("soffice (LibreOffice) is not installed")
    import pdfplumber

    layout = _layout(seed)
    out = render(REPORT.read_text(encoding="utf-8"), "writer", seed, tmp_path / f"004.writer.s{seed:02d}.pdf")
    assert out.stat().st_size > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]  # the .fodt and profile were elsewhere
    with pdfplumber.open(out) as pdf:
        pages = len(pdf.pages)
        assert pages > 1
        width, height = pdf.pages[0].width, pdf.pages[0].height
        texts = [p.extract_text() or "" for p in pdf.pages]
    assert (width > height) == layout.landscape
    table = next(t for t in texts if "-3 510" in t)  # "Nettokostnad och finansnetto"
    assert "Totalt 10 238 -11 797 1 559" in table  # its total row, in line
    if layout.running_header:
        assert all(t.startswith(layout.running_header) for t in texts)
    if layout.running_footer:
        assert texts[1].splitlines()[-1] == footer_text(layout, 2, pages)


def test_fodt_honours_the_layout():
    blocks = _blocks()
    layout = dataclasses.replace(
        _layout(3),
        repeat_header=True,
        header_stack=True,
        table_style="grid",
        running_header="A & B <Årsredovisning>",
        running_footer="Sida {n} av {total}",
    )
    blocks = prepare(blocks + [Paragraph("x  y\x0c & <z>")], layout)
    root = ET.fromstring(writer.fodt(blocks, layout))  # well-formed, text escaped
    doc = ET.tostring(root, encoding="unicode")
    assert "A &amp; B &lt;Årsredovisning&gt;" in doc
    assert root.findall(f".//{{{TEXT}}}page-number") and root.findall(f".//{{{TEXT}}}page-count")
    tables = root.findall(f".//{{{TABLE}}}table")
    assert len(tables) == sum(isinstance(b, TableBlock) for b in blocks)
    assert root.findall(f".//{{{TABLE}}}table-header-rows")  # repeated on the next page when split
    assert root.findall(f".//{{{TEXT}}}line-break")  # stacked header cells
    assert root.findall(f".//{{{TEXT}}}s")  # a run of spaces kept
    assert len(root.findall(f".//{{{TEXT}}}h")) == sum(isinstance(b, Heading) for b in blocks)
    assert writer.fodt(blocks, layout) == writer.fodt(blocks, layout)


def test_wide_tables_fit_the_text_width():
    layout = dataclasses.replace(_layout(3), figure_width=10, landscape=False)
    rows = [["Belopp i tkr"] + [f"Prognos utfall {y} (tkr)" for y in range(2011, 2019)]]
    rows += [["Intäkter"] + ["12 345"] * 8, ["Kostnader"] + ["-1 234 567"] * 8]
    widths = writer.column_widths(TableBlock(rows, 1), layout)
    assert len(widths) == 9 and sum(widths) <= layout.text_width + 0.01
    assert widths[0] >= layout.text_width * 0.18  # the label column keeps a floor
    short = [["", "Utfall 2016", "Plan 2016"], ["Intäkter", "12 345", "12 000"]]
    tsize = layout.size * layout.table_font_scale
    narrow = writer.column_widths(TableBlock(short, 1), dataclasses.replace(layout, figure_width=4.5))
    assert narrow[1:] == pytest.approx([4.5 * tsize] * 2)  # header words fit: the layout's width, wrapping
    assert narrow[0] == pytest.approx(layout.text_width * layout.label_share)

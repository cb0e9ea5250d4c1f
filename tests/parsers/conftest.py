"""Fixtures that render small real PDFs, scans and images for the parser tests."""

from __future__ import annotations

from pathlib import Path

import pytest

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

STATEMENT = [
    "Samordningsförbundet Östra Södertörn",
    "Resultaträkning",
    "Belopp i kr.\tNot\t2016\t2015",
    "Verksamhetens medlemsavgifter\t2\t18 064 870\t18 000 000",
    "EU-medel och andra bidrag\t3\t2 812 659\t3 225 186",
    "Verksamhetens kostnader\t4\t-19 794 180\t-23 942 009",
    "Verksamhetens nettokostnad\t\t1 083 349\t-2 716 823",
]


def render_pdf(lines: list[str], out: Path, encrypt: str | None = None) -> Path:
    """A one-page text-layer PDF: tab-separated lines become columns, numbers right-aligned."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    font = "Helvetica"
    if FONT.exists():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONT)))
        font = "DejaVuSans"
    c = canvas.Canvas(str(out), invariant=1, encrypt=encrypt)
    c.setFont(font, 10)
    y = 780
    right_edges = [0, 330, 420, 510]
    for line in lines:
        cells = line.split("\t")
        c.drawString(60, y, cells[0])
        for i, cell in enumerate(cells[1:], 1):
            c.drawRightString(right_edges[min(i, 3)], y, cell)
        y -= 16
    c.showPage()
    c.save()
    return out


def render_scan(pdf: Path, out: Path, dpi: int = 200) -> Path:
    """The PDF's pages as an image-only PDF (no text layer)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    images = [doc[i].render(scale=dpi / 72).to_pil().convert("L") for i in range(len(doc))]
    images[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return out


@pytest.fixture(scope="session")
def statement_pdf(tmp_path_factory) -> Path:
    return render_pdf(STATEMENT, tmp_path_factory.mktemp("pdf") / "statement.pdf")


@pytest.fixture(scope="session")
def statement_scan(tmp_path_factory, statement_pdf) -> Path:
    return render_scan(statement_pdf, tmp_path_factory.mktemp("scan") / "statement.scan.pdf")


@pytest.fixture
def ocr_cache(tmp_path) -> Path:
    return tmp_path / "ocr-cache"

"""Render text reports into test PDFs: text-layer PDFs, scans, and scans with an English-OCR text layer.

    python -m corpus.build OUTDIR [--layout a|b] [--kind text-pdf|scan-pdf|sandwich-pdf|png] [--dpi 200] [FILES…]

Paragraphs are wrapped to the page; a run of tab-separated lines is a table, drawn as real columns (label
left, figures right-aligned, each column as wide as its widest cell). Every page gets a running header and a
"Sida N" footer, and pages break wherever they are full, inside tables too. Layout "b" changes font, size,
margins, page height and column spacing, so table extraction can be shown to work on more than one layout.
Output is deterministic: the same text gives the same bytes. File names start with the source stem, so the
gold scorer pairs a rendered file with its source ("003_….b.pdf", "003_….scan.pdf").
"""

from __future__ import annotations

import argparse
import io
import random
import re
from dataclasses import dataclass
from pathlib import Path

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
_FIGURE = re.compile(r"^[-−–(]?\s*\d[\d\s.,]*\)?\s*(?:%|kr|tkr)?$")  # "1 641", "-20 449,2", "37 %"
CORPUS = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Layout:
    font_file: str  # a DejaVu TTF (has å/ä/ö and −); Helvetica when fonts-dejavu-core is missing
    bold_file: str
    size: float
    leading: float
    page_width: float
    page_height: float
    margin_x: float
    margin_top: float
    margin_bottom: float
    column_gap: float  # blank space between two figure columns, in points
    max_column_share: float  # a figure column is at most this share of the text width (wider cells wrap)
    min_label_share: float  # the label column keeps at least this share of the text width
    bold_table_headers: bool


@dataclass(frozen=True)
class ScanSettings:
    max_rotation: float = 0.3  # degrees, either way
    blur: float = 0.4  # Gaussian blur radius in pixels
    dust_per_pixel: float = 2e-5  # isolated dark specks (about 80 on an A4 page at 200 dpi)


LAYOUTS = {
    "a": Layout(
        "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", 10, 13, 595.3, 841.9, 60, 60, 60, 28, 0.22, 0.3, False
    ),
    # b: serif, smaller, narrower page, tight columns, short pages so tables break across pages often
    "b": Layout(
        "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", 9, 11.5, 540, 620, 45, 50, 50, 16, 0.18, 0.25, True
    ),
}


def _fonts(layout: Layout) -> tuple[str, str]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    regular, bold = FONT_DIR / layout.font_file, FONT_DIR / layout.bold_file
    if not regular.exists():
        return "Helvetica", "Helvetica-Bold"
    names = (regular.stem, bold.stem if bold.exists() else regular.stem)
    for name, path in zip(names, (regular, bold if bold.exists() else regular), strict=True):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(path)))
    return names


def _blocks(text: str) -> list[tuple[str, list[str]]]:
    """('table', lines) for runs of tab-separated lines, ('text', [line]) otherwise (the sweep's reading:
    a short line between two runs stays inside the table as a label-only row)."""
    from corpus.sweep.document import line_runs

    return line_runs(text)


class _Writer:
    """Draws lines top to bottom, starting a new page (with header and footer) when the page is full."""

    def __init__(self, out, layout: Layout, title: str):
        from reportlab.pdfgen import canvas

        self.layout = layout
        self.font, self.bold = _fonts(layout)
        self.c = canvas.Canvas(str(out), pagesize=(layout.page_width, layout.page_height), invariant=1)
        self.title = title[:90]
        self.page = 0
        self._new_page()

    def _new_page(self) -> None:
        lay = self.layout
        if self.page:
            self.c.showPage()
        self.page += 1
        self.c.setFont(self.font, lay.size - 2)
        self.c.drawString(lay.margin_x, lay.page_height - lay.margin_top / 2, self.title)
        self.c.drawRightString(lay.page_width - lay.margin_x, lay.margin_bottom / 2, f"Sida {self.page}")
        self.y = lay.page_height - lay.margin_top

    def advance(self) -> float:
        if self.y - self.layout.leading < self.layout.margin_bottom:
            self._new_page()
        self.y -= self.layout.leading
        return self.y

    def width(self, text: str, bold: bool = False) -> float:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        return stringWidth(text, self.bold if bold else self.font, self.layout.size)

    def wrap(self, text: str, width: float) -> list[str]:
        words, lines, current = text.split(), [], ""
        for w in words:
            trial = f"{current} {w}".strip()
            if current and self.width(trial) > width:
                lines.append(current)
                current = w
            else:
                current = trial
        return lines + [current] if current else lines or [""]

    def paragraph(self, text: str) -> None:
        lay = self.layout
        if not text.strip():
            self.y -= lay.leading / 2
            return
        self.c.setFont(self.font, lay.size)
        for line in self.wrap(text.strip(), lay.page_width - 2 * lay.margin_x):
            self.c.drawString(lay.margin_x, self.advance(), line)

    def table(self, lines: list[str]) -> None:
        """Label column left, other columns right-aligned; a cell wider than its column wraps onto more
        lines inside the column (headers like 'Förändring från inskrivning till ettårsuppföljning')."""
        lay = self.layout
        rows = [[cell.strip() for cell in line.split("\t")] for line in lines]
        ncols = max(len(r) for r in rows)
        text_width = lay.page_width - 2 * lay.margin_x
        cap = text_width * lay.max_column_share
        # figures never wrap, so a column is at least as wide as its widest figure; text cells (headers)
        # wrap inside it, and a single word too long for it is set smaller
        floors, widths = [], []
        for i in range(1, ncols):
            cells = [r[i] for r in rows if i < len(r) and r[i]]
            figures = [c for c in cells if _FIGURE.match(c)]
            floors.append(max((self.width(c) for c in figures), default=0))
            widths.append(max(floors[-1], min(cap, max((self.width(c) for c in cells), default=0))))
        while sum(w + lay.column_gap for w in widths) > text_width * (1 - lay.min_label_share) and cap > 30:
            cap *= 0.85  # too wide: narrow the text-heavy columns, their cells wrap
            widths = [max(f, min(w, cap)) for f, w in zip(floors, widths, strict=True)]
        # still too wide (many figure columns): close the gaps, down to a third of the layout's
        room = text_width * (1 - lay.min_label_share)
        gap = lay.column_gap
        if widths and sum(w + gap for w in widths) > room:
            gap = max(lay.column_gap / 3, lay.size, (room - sum(widths)) / len(widths))
        label_width = max(text_width - sum(w + gap for w in widths), text_width * lay.min_label_share / 2)
        rights, x = [], lay.margin_x + label_width
        for w in widths:
            x += w + gap
            rights.append(x)
        for n, row in enumerate(rows):
            bold = lay.bold_table_headers and n == 0
            cells = [self.wrap(row[0], label_width - 6) if row[0] else [""]]
            cells += [
                ([c] if _FIGURE.match(c) else self.wrap(c, widths[i])) if c else []
                for i, c in enumerate(row[1:])
            ]
            height = max(len(c) for c in cells)
            self.c.setFont(self.bold if bold else self.font, lay.size)
            for k in range(height):
                y = self.advance()
                if k < len(cells[0]):
                    self.c.drawString(lay.margin_x, y, cells[0][k])
                for i, wrapped in enumerate(cells[1:]):
                    if k < len(wrapped):
                        self._fit_right(wrapped[k], rights[i], y, widths[i], bold)

    def _fit_right(self, text: str, right: float, y: float, width: float, bold: bool) -> None:
        """Right-aligned text, set in a smaller size when one word is wider than its column."""
        font = self.bold if bold else self.font
        size = self.layout.size
        natural = self.width(text, bold)
        if natural > width > 0:
            size = max(4.0, size * width / natural)
        self.c.setFont(font, size)
        self.c.drawRightString(right, y, text)
        self.c.setFont(font, self.layout.size)

    def save(self) -> None:
        self.c.showPage()
        self.c.save()


def render_text_pdf(text: str, out: Path, layout: str = "a") -> Path:
    """A text-layer PDF of a text report (markup a converter left in the text is typeset, not printed)."""
    from parsers.text import clean_markup

    text = clean_markup(text)
    title = next((line.strip() for line in text.split("\n") if line.strip() and "\t" not in line), "")
    writer = _Writer(out, LAYOUTS[layout], title)
    for kind, lines in _blocks(text):
        if kind == "table":
            writer.table(lines)
        else:
            writer.paragraph(lines[0])
    writer.save()
    return Path(out)


def _page_images(pdf: Path, dpi: int) -> list:
    from corpus.sweep.scan import page_images

    return page_images(pdf, dpi)


def degrade(image, seed: int, settings: ScanSettings | None = None):
    """A scanner's touch: a slight rotation, a little blur, sparse dust. Deterministic for a seed."""
    from PIL import Image, ImageDraw, ImageFilter

    settings = settings or ScanSettings()
    rng = random.Random(seed)
    angle = rng.uniform(-settings.max_rotation, settings.max_rotation)
    image = image.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
    image = image.filter(ImageFilter.GaussianBlur(settings.blur))
    draw = ImageDraw.Draw(image)
    for _ in range(int(image.width * image.height * settings.dust_per_pixel)):
        x, y = rng.randrange(image.width), rng.randrange(image.height)
        draw.point((x, y), fill=rng.randrange(60, 160))
    return image


def render_scan_pdf(pdf: Path, out: Path, dpi: int = 200, seed: int = 0) -> Path:
    """An image-only PDF (no text layer) of the PDF's pages, lightly degraded like a scan."""
    images = [degrade(img, seed + i) for i, img in enumerate(_page_images(pdf, dpi))]
    images[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return Path(out)


def render_sandwich_pdf(pdf: Path, out: Path, dpi: int = 200, lang: str = "eng", seed: int = 0) -> Path:
    """A scan with an invisible text layer made by Tesseract with the (wrong) English model."""
    import pypdfium2 as pdfium
    import pytesseract

    merged = pdfium.PdfDocument.new()
    for i, img in enumerate(_page_images(pdf, dpi)):
        page_pdf = pytesseract.image_to_pdf_or_hocr(degrade(img, seed + i), lang=lang, extension="pdf")
        merged.import_pages(pdfium.PdfDocument(io.BytesIO(page_pdf)))
    merged.save(str(out))
    return Path(out)


def render_image(pdf: Path, page: int, out: Path, dpi: int = 200) -> Path:
    """One page (1-based) as a PNG."""
    _page_images(pdf, dpi)[page - 1].save(out, dpi=(dpi, dpi))
    return Path(out)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir", type=Path)
    ap.add_argument("files", nargs="*", type=Path, help="text reports (default: the bundled corpus)")
    ap.add_argument("--layout", choices=sorted(LAYOUTS), default="a")
    ap.add_argument("--kind", choices=["text-pdf", "scan-pdf", "sandwich-pdf", "png"], default="text-pdf")
    ap.add_argument("--dpi", type=int, default=200)
    args = ap.parse_intermixed_args(argv)
    args.outdir.mkdir(parents=True, exist_ok=True)
    files = args.files or sorted(CORPUS.glob("[0-9][0-9][0-9]_*.txt"))
    for src in files:
        stem = src.stem + ("" if args.layout == "a" else f".{args.layout}")
        pdf = render_text_pdf(src.read_text(encoding="utf-8"), args.outdir / f"{stem}.pdf", args.layout)
        if args.kind == "scan-pdf":
            out = render_scan_pdf(pdf, args.outdir / f"{stem}.scan.pdf", args.dpi)
            pdf.unlink()
        elif args.kind == "sandwich-pdf":
            out = render_sandwich_pdf(pdf, args.outdir / f"{stem}.sandwich.pdf", args.dpi)
            pdf.unlink()
        elif args.kind == "png":
            out = render_image(pdf, 1, args.outdir / f"{stem}.png", args.dpi)
        else:
            out = pdf
        print(out)


if __name__ == "__main__":
    main()

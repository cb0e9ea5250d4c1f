"""Lay report text out on positioned pages, the way a PDF text layer arrives: words with x boxes, cells split
at wide gaps, figures right-aligned in their columns, running headers and page numbers on every page, and no
blank lines. Used to check that table extraction reads positioned pages the same as tab-separated text."""

from __future__ import annotations

from finsam.model import Cell, Line, Page, ParsedDocument, Word

CHAR = 5.0  # points per character
LABEL_X = 50.0
COLUMN_RIGHT = (430.0, 560.0, 690.0, 820.0, 950.0, 1080.0, 1210.0)  # right edges of figure columns
LABEL_WIDTH = 60  # characters before a label wraps
HEADER_WIDTH = 22  # characters before a column header wraps
LINE_HEIGHT = 12.0


def _words(text: str, x0: float, top: float) -> list[Word]:
    out, x = [], x0
    for token in text.split(" "):
        if token:
            out.append(Word(token, x, x + CHAR * len(token), top, top + LINE_HEIGHT - 2))
        x += CHAR * (len(token) + 1)
    return out


def _cell(text: str, x0: float, top: float) -> Cell:
    words = _words(text, x0, top)
    return Cell(text, words[0].x0, words[-1].x1, words)


def positioned_line(fields: list[str], page: int, index: int, top: float) -> Line:
    cells = []
    if fields and fields[0]:
        cells.append(_cell(fields[0], LABEL_X, top))
    for k, text in enumerate(fields[1:]):
        if text:
            right = COLUMN_RIGHT[min(k, len(COLUMN_RIGHT) - 1)]
            cells.append(_cell(text, right - CHAR * len(text), top))
    return Line(page=page, index=index, cells=cells, top=top, bottom=top + LINE_HEIGHT - 2)


def _wrap(text: str, width: int) -> list[str]:
    out: list[str] = []
    for word in text.split(" "):
        if out and len(out[-1]) + 1 + len(word) <= width:
            out[-1] += " " + word
        else:
            out.append(word)
    return out or [""]


def _wrapped(line: str) -> list[str]:
    """A tab line as printed in narrow columns: long labels and headers wrap onto the lines below; figures
    stay on the first line."""
    if "\t" not in line:
        return [line]
    fields = [f.strip() for f in line.split("\t")]
    parts = [_wrap(fields[0], LABEL_WIDTH)] + [_wrap(f, HEADER_WIDTH) for f in fields[1:]]
    depth = max(len(p) for p in parts)
    return ["\t".join(p[k] if k < len(p) else "" for p in parts) for k in range(depth)]


def positioned_document(
    text: str, lines_per_page: int = 55, running_header: str | None = None
) -> ParsedDocument:
    """Pages of positioned lines from tab-separated text (tabs mark the cells), blank lines dropped; long
    labels and column headers wrap onto the next lines as they do in narrow PDF columns."""
    raw = [w for ln in text.replace("\f", "\n").split("\n") if ln.strip() for w in _wrapped(ln)]
    pages: list[Page] = []
    for start in range(0, len(raw), lines_per_page):
        number = len(pages) + 1
        chunk = raw[start : start + lines_per_page]
        body: list[list[str]] = []
        if running_header:
            body.append([running_header])
        body += [[f.strip() for f in ln.split("\t")] for ln in chunk]
        body.append([f"Sida {number}"])
        lines = [positioned_line(fields, number, i, 40.0 + i * LINE_HEIGHT) for i, fields in enumerate(body)]
        lines = [ln for ln in lines if ln.cells]
        for i, ln in enumerate(lines):
            ln.index = i
        page_text = "\n".join(ln.text for ln in lines)
        pages.append(
            Page(number=number, text=page_text, lines=lines, text_source="pdf_text", width=842, height=595)
        )
    return ParsedDocument(path="positioned.pdf", sha256="0" * 64, source_kind="pdf_text", pages=pages)


def regrouped(doc: ParsedDocument) -> ParsedDocument:
    """The same pages with lines and cells rebuilt from the bare words by the parsers' own grouping
    (parsers.layout) when it is available — the path real PDF and OCR pages take."""
    try:
        from parsers.layout import group_lines, page_text
    except ImportError:
        return doc
    pages = []
    for p in doc.pages:
        lines = group_lines([w for ln in p.lines for w in ln.words], p.number)
        pages.append(Page(number=p.number, text=page_text(lines), lines=lines, text_source=p.text_source))
    return ParsedDocument(doc.path, doc.sha256, doc.source_kind, pages)


FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def render_pdf(text: str, out, running_header: str = "Samordningsförbundet – rapport"):
    """A multi-page text-layer PDF of report text, printed as a report prints: prose wrapped, table labels on
    the left and figures right-aligned in columns, long labels and headers wrapped, a running header and
    page numbers on every page."""
    import textwrap
    from pathlib import Path

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    font = "Helvetica"
    if Path(FONT).exists():
        pdfmetrics.registerFont(TTFont("DejaVuSans", FONT))
        font = "DejaVuSans"
    pdf = canvas.Canvas(str(out), invariant=1)
    state = {"page": 1, "y": 780.0}

    def furniture() -> None:
        pdf.setFont(font, 8)
        pdf.drawString(60, 810, running_header)
        pdf.drawCentredString(300, 30, f"Sida {state['page']}")
        state["y"] = 780.0

    def emit(draw) -> None:
        if state["y"] < 72:
            pdf.showPage()
            state["page"] += 1
            furniture()
        draw(state["y"])
        state["y"] -= 12

    furniture()
    for raw in text.replace("\f", "\n").split("\n"):
        if not raw.strip():
            state["y"] -= 6
            continue
        if "\t" not in raw:
            for part in textwrap.wrap(raw, 100):
                emit(lambda y, part=part: (pdf.setFont(font, 9), pdf.drawString(60, y, part)))
            continue
        cells = [c.strip() for c in raw.split("\t")]
        wide = len(cells) - 1 > 4
        size, step, first = (7, 52, 300) if wide else (9, 70, 330)
        rights = [first + step * i for i in range(len(cells) - 1)]
        label = textwrap.wrap(cells[0], 30 if wide else 36) or [""]
        heads = [textwrap.wrap(c, 10 if wide else 13) or [""] for c in cells[1:]]
        for k in range(max([len(label)] + [len(h) for h in heads])):

            def draw(y, k=k, size=size, label=label, heads=heads, rights=rights):
                pdf.setFont(font, size)
                if k < len(label):
                    pdf.drawString(60, y, label[k])
                for right, head in zip(rights, heads, strict=True):
                    if k < len(head) and head[k]:
                        pdf.drawRightString(right, y, head[k])

            emit(draw)
    pdf.showPage()
    pdf.save()
    return out

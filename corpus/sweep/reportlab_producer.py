"""The reportlab producer: platypus documents whose table header cells are paragraphs that wrap.

Label and header cells are ``Paragraph`` flowables, so a header such as "Prognos utfall 2017 (tkr)" wraps
over two or three lines when the layout's figure columns are narrow; figures are plain strings and never
wrap. Running headers and "Sida N av M" footers are drawn by a canvas that knows the page count.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from .document import Block, Heading, Paragraph, TableBlock, is_figure
from .layout import Layout, footer_text

PROGRAM = "reportlab"
_ALIGN = {"right": "RIGHT", "left": "LEFT", "center": "CENTER"}


def available() -> bool:
    return True


def _fonts(layout: Layout) -> tuple[str, str]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    regular, bold = layout.font.path(), layout.font.path(bold=True) or layout.font.path()
    if regular is None:
        return "Helvetica", "Helvetica-Bold"
    names = (regular.stem, bold.stem)
    for name, path in zip(names, (regular, bold), strict=True):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(path)))
    return names


def _canvas_class(layout: Layout, font: str):
    """A canvas that holds its pages until the end, so every footer can say how many pages there are."""
    from reportlab.pdfgen import canvas

    class FurnishedCanvas(canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for number, state in enumerate(self._pages, 1):
                self.__dict__.update(state)
                self._furnish(number, total)
                super().showPage()
            super().save()

        def _furnish(self, number: int, total: int) -> None:
            width, height = layout.page_size
            size = max(7.0, layout.size - 1.5)
            self.setFont(font, size)
            if layout.running_header:
                self.drawString(layout.margin, height - layout.margin * 0.55, layout.running_header)
            footer = footer_text(layout, number, total)
            if footer:
                y = layout.margin * 0.45
                if layout.footer_align == "left":
                    self.drawString(layout.margin, y, footer)
                elif layout.footer_align == "center":
                    self.drawCentredString(width / 2, y, footer)
                else:
                    self.drawRightString(width - layout.margin, y, footer)

    return FurnishedCanvas


def _table(block: TableBlock, layout: Layout, styles: dict, font: str, bold: str):
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Paragraph as Para
    from reportlab.platypus import Table, TableStyle

    size = layout.size * layout.table_font_scale
    width = layout.text_width

    # a figure column is as wide as the layout asks, but never narrower than its widest figure or the
    # longest word of its header (typesetters wrap between words, not inside them)
    def floor(i: int, size: float) -> float:
        figures = [stringWidth(r[i], bold, size) for r in block.body if r[i] and is_figure(r[i])]
        words = [stringWidth(w, bold, size) for r in block.rows for w in r[i].split() if not is_figure(r[i])]
        return max(figures + words, default=0) + 14  # the cell's padding, 6 pt a side

    def widths(size: float) -> tuple[float, list[float]]:
        floors = [floor(i, size) for i in range(1, block.ncols)]
        figure = [max(f, layout.figure_width * size) for f in floors]
        label = layout.label_share * width
        if label + sum(figure) > width:  # too wide: narrow the figure columns, keep a quarter for labels
            room = max(width * 0.75 - label, sum(floors)) if label < width * 0.75 else sum(floors)
            scale = min(1.0, max(room, width - label) / sum(figure))
            figure = [max(f, w * scale) for f, w in zip(floors, figure, strict=True)]
            label = max(width * 0.25, width - sum(figure))
        return label, figure

    label, figure = widths(size)
    # a table its columns' words cannot fit in the text width is set in smaller type, as a word processor's
    # autofit does: printed past the page's edge it would be lost on paper and in a scan
    while label + sum(figure) > width + 0.5 and size > 6.0:
        size = max(6.0, size * min(0.95, width / (label + sum(figure))))
        label, figure = widths(size)
    if size != layout.size * layout.table_font_scale:
        styles = {
            k: ParagraphStyle(f"{k}_small", parent=v, fontSize=size, leading=size * 1.2)
            for k, v in styles.items()
        }
    cells = []
    for r, row in enumerate(block.rows):
        header = r < block.header_rows
        style = styles["th" if header and layout.bold_header else "td"]
        out = []
        for i, cell in enumerate(row):
            if i > 0 and is_figure(cell) and not header:
                out.append(cell)
            else:
                para_style = (
                    style if i == 0 else styles[f"{'th' if header and layout.bold_header else 'td'}_fig"]
                )
                out.append(Para(escape(cell).replace("\n", "<br/>"), para_style))
        cells.append(out)
    commands = [
        ("FONT", (0, 0), (-1, -1), font, size),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM" if layout.seed % 2 else "TOP"),
        ("ALIGN", (1, 0), (-1, -1), _ALIGN[layout.figure_align]),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]
    last, head = len(block.rows) - 1, block.header_rows
    if layout.table_style == "grid":
        commands.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    elif layout.table_style == "zebra" and last >= head:
        commands.append(("ROWBACKGROUNDS", (0, head), (-1, -1), [colors.white, colors.Color(0.9, 0.9, 0.9)]))
    elif layout.table_style == "rules":
        if head:
            commands.append(("LINEBELOW", (0, head - 1), (-1, head - 1), 0.75, colors.black))
        commands.append(("LINEABOVE", (0, last), (-1, last), 0.5, colors.black))
    return Table(
        cells,
        colWidths=[label] + figure,
        repeatRows=head if layout.repeat_header else 0,
        style=TableStyle(commands),
        hAlign="LEFT",
    )


def render_pdf(blocks: list[Block], layout: Layout, out: Path) -> Path:
    from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph as Para
    from reportlab.platypus import SimpleDocTemplate, Spacer

    font, bold = _fonts(layout)
    size = layout.size
    table_size = size * layout.table_font_scale
    align = {"right": TA_RIGHT, "left": TA_LEFT, "center": TA_CENTER}[layout.figure_align]
    body = ParagraphStyle(
        "body", fontName=font, fontSize=size, leading=size * layout.leading, spaceAfter=size * 0.5
    )
    styles = {
        "body": body,
        "h1": ParagraphStyle(
            "h1", parent=body, fontName=bold, fontSize=size * 1.35, leading=size * 1.7, spaceBefore=size * 0.8
        ),
        "h2": ParagraphStyle("h2", parent=body, fontName=bold, fontSize=size * 1.1, leading=size * 1.4),
        "td": ParagraphStyle("td", fontName=font, fontSize=table_size, leading=table_size * 1.2),
        "th": ParagraphStyle("th", fontName=bold, fontSize=table_size, leading=table_size * 1.2),
    }
    styles["td_fig"] = ParagraphStyle("td_fig", parent=styles["td"], alignment=align)
    styles["th_fig"] = ParagraphStyle("th_fig", parent=styles["th"], alignment=align)
    story = []
    for block in blocks:
        if isinstance(block, Heading):
            story.append(Para(escape(block.text), styles["h1" if block.level == 1 else "h2"]))
        elif isinstance(block, Paragraph):
            story.append(Para(escape(block.text), body))
        else:
            story.append(_table(block, layout, styles, font, bold))
            story.append(Spacer(1, size * 0.8))
    doc = SimpleDocTemplate(
        str(out),
        pagesize=layout.page_size,
        leftMargin=layout.margin,
        rightMargin=layout.margin,
        topMargin=layout.margin,
        bottomMargin=layout.margin,
        invariant=1,
        title="",
    )
    doc.build(story, canvasmaker=_canvas_class(layout, font))
    return Path(out)

"""The sweep's Chromium producer: the blocks as an HTML page with print CSS, printed by headless Chromium.

The page honours the ``Layout``: A4 (landscape) with its margin, the font family (by its fontconfig name) in
its size and leading, tables with ``table-layout: fixed`` and a ``<colgroup>`` (a label column of
``label_share`` of the text width, figure columns ``figure_width`` ems wide, so long header cells wrap inside
their column), grid / zebra / bare / rules styles, bold or plain header cells, figures aligned per
``figure_align``. The running header and footer are CSS page margin boxes (``@top-left``,
``@bottom-left|center|right`` with ``counter(page)`` and ``counter(pages)``; Chromium prints them since
version 131). A header repeated over a page break is a ``<thead>``, which Chromium repeats on every page.

Column widths are worked out here, with the fonts' metrics (reportlab reads the TTF files): a figure never
wraps and a header word never breaks, so a column is at least as wide as its widest figure and its longest
header word; a table wider than the text narrows its figure columns towards those floors, then its label
column, and only then sets its text smaller.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from finsam import headless

from .document import Block, Heading, Paragraph, TableBlock, is_figure
from .layout import Layout

PROGRAM = "chromium"
TIMEOUT = 120  # seconds for one print
PAD_X = 0.3  # cell padding left and right, in ems of the table font
PAD_Y = 0.12
MIN_LABEL_SHARE = 0.18  # a label column is never narrower than this share of the text width
ALIGN = {"right": "right", "left": "left", "center": "center"}
# set like a figure in a figure column: a dash for nothing, a date, a signed count ("-", "2016-12-31", "+3")
_FIGURE_LIKE = re.compile(r"[-−–—]+|[+±]?[\d\s.,:/%+−–-]*\d[\d\s.,:/%+−–-]*")


def _browser() -> str | None:
    return headless.find()


def available() -> bool:
    return _browser() is not None


# --- text widths ------------------------------------------------------------------------------------------


@cache
def _font_name(path: str) -> str | None:
    """A reportlab font registered from the TTF at ``path`` (None when it cannot be read)."""
    try:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        name = "sweep-chromium-" + Path(path).stem
        pdfmetrics.registerFont(TTFont(name, path))
        return name
    except Exception:  # noqa: BLE001 – no metrics: fall back to an estimate
        return None


def _width_em(text: str, layout: Layout, bold: bool = False) -> float:
    """The width of ``text`` in ems of the layout's font (bold or regular)."""
    path = layout.font.path(bold)
    name = _font_name(str(path)) if path else None
    if name is None:
        return 0.6 * len(text) * (1.05 if bold else 1.0)
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, name, 1.0)


def _words(cell: str) -> list[str]:
    return cell.split()


def _figure_columns(table: TableBlock) -> list[bool]:
    """Which columns hold figures (never the label column): those with a figure, and those with nothing but
    dashes, dates or nothing at all; a column of words (names, goals) is a text column."""

    def figures(i: int) -> bool:
        cells = [r[i].strip() for r in table.body if r[i].strip()]
        return any(map(is_figure, cells)) or all(_FIGURE_LIKE.fullmatch(c) for c in cells)

    return [i > 0 and figures(i) for i in range(table.ncols)]


def _set_as_figure(cell: str, in_figure_column: bool) -> bool:
    c = cell.strip()
    return bool(c) and (is_figure(c) or (in_figure_column and _FIGURE_LIKE.fullmatch(c) is not None))


# --- column widths ----------------------------------------------------------------------------------------


def _column_widths(table: TableBlock, layout: Layout) -> tuple[list[float], float, bool]:
    """(column widths in points, table font size, squeezed): a table with text columns spans the text
    width; a squeezed one does not fit even in small type, and its words may break anywhere."""
    size = layout.size * layout.table_font_scale
    avail = layout.text_width
    n = table.ncols
    pad = 2 * PAD_X + 0.15  # ems: padding both sides and a hair for rounding and borders
    header_bold = layout.bold_header
    figure_col = _figure_columns(table)
    floors = []  # ems: nothing in the column may be narrower
    for i in range(n):
        fl = 0.0
        for r in table.body:
            c = r[i].strip()
            if not c:
                continue
            if _set_as_figure(c, figure_col[i]):
                fl = max(fl, _width_em(c, layout))
            else:
                fl = max(fl, max((_width_em(w, layout) for w in _words(c)), default=0.0))
        for r in table.header:
            for w in _words(r[i]):
                fl = max(fl, _width_em(w, layout, header_bold))
        floors.append(fl + pad)
    text_cols = [i for i in range(1, n) if not figure_col[i]]
    fig_cols = [i for i in range(1, n) if figure_col[i]]
    spans = bool(text_cols)

    def fit(size: float) -> list[float] | None:
        """Widths at table font ``size`` that fit the text width, or None."""
        em = size
        w = [0.0] * n
        w[0] = max(layout.label_share * avail, floors[0] * em)
        for i in range(1, n):
            w[i] = max(layout.figure_width * em, floors[i] * em)
        if sum(w) > avail and fig_cols:
            # narrow the figure columns to a common cap, none below its floor
            room = avail - w[0] - sum(w[i] for i in text_cols)
            want = {i: w[i] for i in fig_cols}

            def total(cap: float) -> float:
                return sum(max(floors[i] * em, min(want[i], cap)) for i in fig_cols)

            lo, hi = 0.0, max(want.values())
            for _ in range(40):
                mid = (lo + hi) / 2
                lo, hi = (mid, hi) if total(mid) <= room else (lo, mid)
            for i in fig_cols:
                w[i] = max(floors[i] * em, min(want[i], lo))
        if sum(w) > avail:
            w[0] = max(avail - sum(w[1:]), MIN_LABEL_SHARE * avail, floors[0] * em)
        if sum(w) > avail + 0.5:
            return None
        if spans:  # text columns share what is left of the text width
            rest = avail - w[0] - sum(w[i] for i in fig_cols)
            extra = rest - sum(w[i] for i in text_cols)
            for i in text_cols:
                w[i] += extra / len(text_cols)
        return w

    widths = fit(size)
    while widths is None and size > 5:
        size = round(size * 0.93, 2)
        widths = fit(size)
    if widths is None:  # many columns at a tiny size still too wide: squeeze them all
        return [avail / n] * n, size, True
    return widths, size, False


# --- HTML -------------------------------------------------------------------------------------------------


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ") + '"'


def _footer_content(fmt: str) -> str:
    """ "Sida {n} av {total}" as CSS content: "Sida " counter(page) " av " counter(pages)."""
    parts = []
    for piece in re.split(r"(\{n\}|\{total\})", fmt):
        if piece == "{n}":
            parts.append("counter(page)")
        elif piece == "{total}":
            parts.append("counter(pages)")
        elif piece:
            parts.append(_css_string(piece))
    return " ".join(parts) or '""'


def _css(layout: Layout) -> str:
    family = _css_string(layout.font.family)
    generic = "serif" if "Serif" in layout.font.family else "sans-serif"
    small = max(7.0, layout.size - 1.5)
    boxes = []
    box_font = f"font-family: {family}, {generic}; font-size: {small:.2f}pt; color: #000;"
    if layout.running_header:
        boxes.append(
            f"@top-left {{ content: {_css_string(layout.running_header)}; {box_font} vertical-align: middle; }}"
        )
    if layout.running_footer:
        where = {"left": "bottom-left", "center": "bottom-center", "right": "bottom-right"}[
            layout.footer_align
        ]
        boxes.append(
            f"@{where} {{ content: {_footer_content(layout.running_footer)}; {box_font} "
            f"text-align: {layout.footer_align}; vertical-align: middle; }}"
        )
    orient = " landscape" if layout.landscape else ""
    align = ALIGN.get(layout.figure_align, "right")
    header_weight = "bold" if layout.bold_header else "normal"
    caption_weight = "bold" if layout.caption_bold else "normal"
    lines = [
        f"@page {{ size: A4{orient}; margin: {layout.margin:.2f}pt; {' '.join(boxes)} }}",
        "html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }",
        f"body {{ margin: 0; font-family: {family}, {generic}; font-size: {layout.size}pt; "
        f"line-height: {layout.leading:.3f}; color: #000; }}",
        f"h1 {{ font-size: {layout.size * 1.45:.2f}pt; margin: {layout.size * 1.2:.2f}pt 0 "
        f"{layout.size * 0.5:.2f}pt; break-after: avoid; line-height: 1.2; }}",
        f"h2 {{ font-size: {layout.size * 1.15:.2f}pt; margin: {layout.size:.2f}pt 0 "
        f"{layout.size * 0.4:.2f}pt; break-after: avoid; line-height: 1.2; }}",
        f"p {{ margin: 0 0 {layout.size * 0.55:.2f}pt; }}",
        f"p.caption {{ font-weight: {caption_weight}; margin: {layout.size * 0.6:.2f}pt 0 "
        f"{layout.size * 0.3:.2f}pt; break-after: avoid; }}",
        f"table {{ table-layout: fixed; border-collapse: collapse; margin: {layout.size * 0.3:.2f}pt 0 "
        f"{layout.size * 0.9:.2f}pt; line-height: 1.2; }}",
        "tr { break-inside: avoid; }",
        f"td, th {{ padding: {PAD_Y}em {PAD_X}em; vertical-align: top; text-align: left; "
        "font-weight: normal; overflow-wrap: normal; }",
        "th, tr.head td { vertical-align: bottom; }",
        f"td.fig {{ text-align: {align}; white-space: nowrap; }}",
        f".hfig {{ text-align: {align}; }}",
        f"th, tr.head td {{ font-weight: {header_weight}; }}",
        "table.squeezed td, table.squeezed th { overflow-wrap: anywhere; }",
    ]
    style = layout.table_style
    if style == "grid":
        lines.append("table.t td, table.t th { border: 0.5pt solid #000; }")
    elif style == "zebra":
        lines += [
            "table.t tr.odd td { background: #eeeeee; }",
            "table.t tr.head th, table.t tr.head td { background: #d6d6d6; }",
        ]
    elif style == "rules":
        lines += [
            "table.t tr.first > * { border-top: 0.8pt solid #000; }",
            "table.t tr.lasthead > * { border-bottom: 0.5pt solid #000; }",
            "table.t tr.last > * { border-top: 0.5pt solid #000; }",
        ]
    return "\n".join(lines)


def _cell_html(text: str) -> str:
    return "<br>".join(html.escape(part.strip()) for part in text.split("\n")) or "&nbsp;"


def _table_html(table: TableBlock, layout: Layout) -> str:
    widths, size, squeezed = _column_widths(table, layout)
    figure_col = _figure_columns(table)
    total_rule = any(figure_col)  # rules: the line above the last row marks a total
    classes = "t squeezed" if squeezed else "t"
    out = [
        f'<table class="{classes}" style="width: {sum(widths):.2f}pt; font-size: {size:.2f}pt">',
        "<colgroup>" + "".join(f'<col style="width: {w:.2f}pt">' for w in widths) + "</colgroup>",
    ]
    nrows = len(table.rows)

    def row_classes(k: int, head: bool, body_index: int) -> str:
        cls = []
        if head:
            cls.append("head")
            if k == table.header_rows - 1:
                cls.append("lasthead")
        elif body_index % 2 == 1:
            cls.append("odd")
        if k == 0:
            cls.append("first")
        if not head and total_rule and k == nrows - 1 and nrows - table.header_rows > 1:
            cls.append("last")
        return f' class="{" ".join(cls)}"' if cls else ""

    def header_row(k: int, row: list[str], tag: str) -> str:
        cells = []
        for i, c in enumerate(row):
            cls = "label" if i == 0 else ("hfig" if figure_col[i] else "text")
            cells.append(f'<{tag} class="{cls}">{_cell_html(c)}</{tag}>')
        return f"<tr{row_classes(k, True, 0)}>" + "".join(cells) + "</tr>"

    if table.header_rows and layout.repeat_header:
        out.append(
            "<thead>" + "".join(header_row(k, r, "th") for k, r in enumerate(table.header)) + "</thead>"
        )
        out.append("<tbody>")
    else:
        out.append("<tbody>")
        out.extend(header_row(k, r, "td") for k, r in enumerate(table.header))
    for j, row in enumerate(table.body):
        k = table.header_rows + j
        cells = []
        for i, c in enumerate(row):
            cls = "label" if i == 0 else ("fig" if _set_as_figure(c, figure_col[i]) else "text")
            cells.append(f'<td class="{cls}">{_cell_html(c)}</td>')
        out.append(f"<tr{row_classes(k, False, j)}>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def page_html(blocks: list[Block], layout: Layout) -> str:
    """The whole document as one HTML page with its print CSS."""
    body = []
    for n, b in enumerate(blocks):
        nxt = blocks[n + 1] if n + 1 < len(blocks) else None
        if isinstance(b, TableBlock):
            body.append(_table_html(b, layout))
        elif isinstance(nxt, TableBlock) and nxt.caption is not None and nxt.caption == b.text:
            body.append(f'<p class="caption">{html.escape(b.text)}</p>')
        elif isinstance(b, Heading):
            tag = "h1" if b.level == 1 else "h2"
            body.append(f"<{tag}>{html.escape(b.text)}</{tag}>")
        elif isinstance(b, Paragraph):
            body.append(f"<p>{html.escape(b.text)}</p>")
    return (
        '<!DOCTYPE html>\n<html lang="sv"><head><meta charset="utf-8">'
        f"<title>{html.escape(next((b.text for b in blocks if not isinstance(b, TableBlock)), ''))}</title>"
        f"<style>\n{_css(layout)}\n</style></head>\n<body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


# --- printing ---------------------------------------------------------------------------------------------


def _print(html_file: Path, out: Path, work: Path) -> None:
    browser = _browser()
    if browser is None:
        raise RuntimeError("chromium: no chromium, chromium-browser or google-chrome on PATH")
    args = ["--no-pdf-header-footer", f"--print-to-pdf={out}", html_file.as_uri()]
    try:
        proc = headless.run(browser, args, work, TIMEOUT)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"chromium: printing {html_file.name} took more than {TIMEOUT} s") from None
    if proc.returncode != 0 or not out.exists() or out.stat().st_size == 0:
        reason = headless.last_message(proc.stderr)
        raise RuntimeError(f"chromium: no PDF from {html_file.name} (exit {proc.returncode}): {reason}")


def render_pdf(blocks: list[Block], layout: Layout, out: Path) -> Path:
    """Print ``blocks`` laid out by ``layout`` into the PDF ``out`` with headless Chromium."""
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    work = Path(tempfile.mkdtemp(prefix="sweep-chromium-"))
    try:
        html_file = work / (out.stem + ".html")
        html_file.write_text(page_html(blocks, layout), encoding="utf-8")
        _print(html_file, out, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out

"""The sweep's LibreOffice Writer producer: the blocks as a flat ODF text (.fodt), converted headless.

The document is written with the standard library, so what Writer lays out is exactly what the ``Layout``
asks for: A4 portrait or landscape with its margins, the body font, size and line height, bold headings,
tables whose label column takes ``label_share`` of the text width and whose figure columns are
``figure_width`` ems wide (long header cells wrap inside them, as Writer wraps them in real reports), the
table style's borders or zebra shading, header rows that Writer repeats on the next page when a table splits,
and a running header and page-number footer in the page style. ``soffice --convert-to pdf`` then typesets it,
each call with a profile of its own so that conversions can run side by side.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import escape, quoteattr

from .document import Block, Heading, Paragraph, TableBlock, is_figure
from .layout import Layout

PROGRAM = "soffice"
TIMEOUT = 120  # seconds for one conversion
CELL_PAD_X = 2.5  # points, left and right inside a table cell
CELL_PAD_Y = 1.2
RULE = "0.5pt solid #000000"
ZEBRA = "#e6e6e6"

_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
}
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SPACES = re.compile(r"( {2,})|(\t)|(\n)")


def _program() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def available() -> bool:
    return _program() is not None


# --- text -------------------------------------------------------------------------------------------------


def _pt(v: float) -> str:
    return f"{v:.2f}pt"


def _inline(text: str) -> str:
    """Text as ODF paragraph content: escaped, runs of spaces kept (text:s), tabs and line breaks as
    elements (a stacked header cell's "\\n" is a text:line-break)."""
    text = _XML_INVALID.sub("", text)
    parts: list[str] = []
    pos = 0
    for m in _SPACES.finditer(text):
        parts.append(escape(text[pos : m.start()]))
        if m.group(1):
            parts.append(f' <text:s text:c="{len(m.group(1)) - 1}"/>')
        elif m.group(2):
            parts.append("<text:tab/>")
        else:
            parts.append("<text:line-break/>")
        pos = m.end()
    parts.append(escape(text[pos:]))
    return "".join(parts)


@functools.lru_cache(maxsize=16)
def _ttf(path: str):
    from reportlab.pdfbase.ttfonts import TTFont

    return TTFont(f"sweep-{Path(path).stem}", path)


def _width(text: str, layout: Layout, size: float, bold: bool) -> float:
    """The printed width of ``text`` in the layout's font (reportlab reads the same TTF Writer uses)."""
    path = layout.font.path(bold) or layout.font.path()
    if path is None:
        return len(text) * size * 0.6
    try:
        return _ttf(str(path)).stringWidth(text, size)
    except Exception:  # a font reportlab cannot parse: a rough average advance
        return len(text) * size * 0.6


# --- styles -----------------------------------------------------------------------------------------------


class _Styles:
    """Automatic styles made on demand (cell borders and shading, table paragraphs), named in order of
    first use so the same blocks and layout always give the same document."""

    def __init__(self, valign: str) -> None:
        self.valign = valign
        self._cells: dict[tuple, str] = {}
        self._paras: dict[tuple, str] = {}
        self.xml: list[str] = []

    def cell(self, top: bool, bottom: bool, left: bool, right: bool, shade: bool) -> str:
        key = (top, bottom, left, right, shade)
        if key not in self._cells:
            name = f"C{len(self._cells) + 1}"
            self._cells[key] = name
            sides = " ".join(
                f'fo:border-{side}="{RULE if on else "none"}"'
                for side, on in (("top", top), ("bottom", bottom), ("left", left), ("right", right))
            )
            bg = f' fo:background-color="{ZEBRA}"' if shade else ' fo:background-color="transparent"'
            self.xml.append(
                f'<style:style style:name="{name}" style:family="table-cell">'
                f'<style:table-cell-properties fo:padding-left="{_pt(CELL_PAD_X)}" '
                f'fo:padding-right="{_pt(CELL_PAD_X)}" fo:padding-top="{_pt(CELL_PAD_Y)}" '
                f'fo:padding-bottom="{_pt(CELL_PAD_Y)}" {sides}{bg} style:vertical-align="{self.valign}"/>'
                "</style:style>"
            )
        return self._cells[key]

    def para(self, align: str, bold: bool) -> str:
        key = (align, bold)
        if key not in self._paras:
            name = f"TP{len(self._paras) + 1}"
            self._paras[key] = name
            weight = "bold" if bold else "normal"
            odf_align = _ALIGN[align]
            self.xml.append(
                f'<style:style style:name="{name}" style:family="paragraph" '
                f'style:parent-style-name="Table_20_Contents">'
                f'<style:paragraph-properties fo:text-align="{odf_align}"/>'
                f'<style:text-properties fo:font-weight="{weight}" style:font-weight-complex="{weight}"/>'
                "</style:style>"
            )
        return self._paras[key]


_ALIGN = {"left": "start", "right": "end", "center": "center"}


def _common_styles(layout: Layout) -> str:
    size, lead = layout.size, layout.leading
    tsize = size * layout.table_font_scale
    fam = quoteattr(layout.font.family)
    small = size * 0.85

    def pstyle(
        name: str, display: str, props: str, text: str = "", parent: str = "Standard", cls: str = "text"
    ) -> str:
        return (
            f'<style:style style:name="{name}" style:display-name="{display}" style:family="paragraph" '
            f'style:parent-style-name="{parent}" style:class="{cls}">'
            f"<style:paragraph-properties {props}/>"
            + (f"<style:text-properties {text}/>" if text else "")
            + "</style:style>"
        )

    bold = 'fo:font-weight="bold" style:font-weight-complex="bold"'
    h1, h2 = size * 1.45, size * 1.15
    caption_weight = bold if layout.caption_bold else 'fo:font-weight="normal"'
    return "".join(
        [
            '<style:default-style style:family="paragraph">'
            '<style:paragraph-properties fo:hyphenation-ladder-count="no-limit" style:writing-mode="lr-tb"/>'
            f'<style:text-properties style:font-name={fam} fo:font-size="{_pt(size)}" fo:language="sv" '
            f'fo:country="SE" fo:hyphenate="false" style:font-name-complex={fam} '
            f'style:font-size-complex="{_pt(size)}"/>'
            "</style:default-style>",
            '<style:default-style style:family="table"><style:table-properties table:border-model="collapsing"/>'
            "</style:default-style>",
            '<style:style style:name="Standard" style:family="paragraph" style:class="text">'
            f'<style:paragraph-properties fo:line-height="{_pt(size * lead)}" fo:margin-top="0pt" '
            'fo:margin-bottom="0pt" fo:orphans="2" fo:widows="2"/>'
            f'<style:text-properties style:font-name={fam} fo:font-size="{_pt(size)}"/>'
            "</style:style>",
            pstyle("Text_20_body", "Text body", f'fo:margin-bottom="{_pt(size * 0.5)}"'),
            pstyle(
                "Caption",
                "Table caption",
                f'fo:margin-top="{_pt(size * 0.3)}" '
                f'fo:margin-bottom="{_pt(size * 0.35)}" fo:keep-with-next="always"',
                caption_weight,
            ),
            pstyle(
                "Heading_20_1",
                "Heading 1",
                f'fo:line-height="{_pt(h1 * 1.2)}" fo:margin-top="{_pt(size * 1.2)}" '
                f'fo:margin-bottom="{_pt(size * 0.5)}" fo:keep-with-next="always"',
                f'fo:font-size="{_pt(h1)}" style:font-size-complex="{_pt(h1)}" {bold}',
                cls="text",
            ),
            pstyle(
                "Heading_20_2",
                "Heading 2",
                f'fo:line-height="{_pt(h2 * 1.2)}" fo:margin-top="{_pt(size * 0.9)}" '
                f'fo:margin-bottom="{_pt(size * 0.4)}" fo:keep-with-next="always"',
                f'fo:font-size="{_pt(h2)}" style:font-size-complex="{_pt(h2)}" {bold}',
                cls="text",
            ),
            pstyle(
                "Table_20_Contents",
                "Table Contents",
                f'fo:line-height="{_pt(tsize * max(1.15, lead - 0.1))}"',
                f'fo:font-size="{_pt(tsize)}" style:font-size-complex="{_pt(tsize)}"',
                cls="extra",
            ),
            pstyle(
                "Header",
                "Header",
                f'fo:line-height="{_pt(small * 1.25)}"',
                f'fo:font-size="{_pt(small)}" style:font-size-complex="{_pt(small)}"',
                cls="extra",
            ),
            pstyle(
                "Footer",
                "Footer",
                f'fo:line-height="{_pt(small * 1.25)}" fo:text-align="{_ALIGN[layout.footer_align]}"',
                f'fo:font-size="{_pt(small)}" style:font-size-complex="{_pt(small)}"',
                cls="extra",
            ),
        ]
    )


def _page_layout(layout: Layout) -> str:
    """The page: A4 with the layout's margins; the running header and footer sit inside the top and bottom
    margins, so the body starts where the margin ends, as with or without them."""
    w, h = layout.page_size
    m = layout.margin
    line = layout.size * 0.85 * 1.25
    top = bottom = m
    parts = []
    if layout.running_header is not None:
        top = m * 0.45
        gap = max(m - top - line, 4)
        parts.append(
            f'<style:header-style><style:header-footer-properties fo:min-height="0pt" '
            f'fo:margin-bottom="{_pt(gap)}" style:dynamic-spacing="false"/></style:header-style>'
        )
    else:
        parts.append("<style:header-style/>")
    if layout.running_footer is not None:
        bottom = m * 0.45
        gap = max(m - bottom - line, 4)
        parts.append(
            f'<style:footer-style><style:header-footer-properties fo:min-height="0pt" '
            f'fo:margin-top="{_pt(gap)}" style:dynamic-spacing="false"/></style:footer-style>'
        )
    else:
        parts.append("<style:footer-style/>")
    orient = "landscape" if layout.landscape else "portrait"
    return (
        '<style:page-layout style:name="PL1">'
        f'<style:page-layout-properties fo:page-width="{_pt(w)}" fo:page-height="{_pt(h)}" '
        f'style:print-orientation="{orient}" fo:margin-top="{_pt(top)}" fo:margin-bottom="{_pt(bottom)}" '
        f'fo:margin-left="{_pt(m)}" fo:margin-right="{_pt(m)}" style:writing-mode="lr-tb"/>'
        + "".join(parts)
        + "</style:page-layout>"
    )


def _master_page(layout: Layout) -> str:
    parts = ['<style:master-page style:name="Standard" style:page-layout-name="PL1">']
    if layout.running_header is not None:
        parts.append(
            f'<style:header><text:p text:style-name="Header">{_inline(layout.running_header)}'
            "</text:p></style:header>"
        )
    if layout.running_footer is not None:
        fields = []
        for piece in re.split(r"(\{n\}|\{total\})", layout.running_footer):
            if piece == "{n}":
                fields.append('<text:page-number text:select-page="current">1</text:page-number>')
            elif piece == "{total}":
                fields.append("<text:page-count>1</text:page-count>")
            elif piece:
                fields.append(_inline(piece))
        footer = "".join(fields)
        parts.append(f'<style:footer><text:p text:style-name="Footer">{footer}</text:p></style:footer>')
    parts.append("</style:master-page>")
    return "".join(parts)


# --- tables -----------------------------------------------------------------------------------------------


def column_widths(block: TableBlock, layout: Layout) -> list[float]:
    """Points per column: the label column ``label_share`` of the text width, each figure column
    ``figure_width`` ems of the table text, widened only as far as its widest figure or header word needs
    (so headers wrap between words, not inside them). Too wide for the page: the figure columns shrink in
    proportion, though not below their widest figure; then the label column gives way. A table without
    figures (members and their roles) shares the width past the label column out evenly."""
    tsize = layout.size * layout.table_font_scale
    avail = layout.text_width
    label = avail * layout.label_share
    n = block.ncols - 1
    if n <= 0:
        return [avail]
    if not any(is_figure(r[j]) for r in block.body for j in range(1, block.ncols) if r[j].strip()):
        # a table of words (members, roles): Writer's default, the text width shared out evenly
        return [label] + [(avail - label) / n] * n
    pad = 2 * CELL_PAD_X + 1.5
    hard, soft = [], []
    for j in range(1, block.ncols):
        figs = [r[j] for r in block.body if r[j].strip() and is_figure(r[j])]
        hard.append(max((_width(c.strip(), layout, tsize, False) for c in figs), default=0) + pad)
        words = [w for r in block.rows for line in r[j].split("\n") for w in _unbreakable(line)]
        head_bold = layout.bold_header
        soft.append(max((_width(w, layout, tsize, head_bold) for w in words), default=0) + pad)
    widths = [max(layout.figure_width * tsize, h, s) for h, s in zip(hard, soft, strict=True)]
    room = avail - label
    for _ in range(8):  # shrink the columns not yet at their floor until the figures fit beside the label
        excess = sum(widths) - room
        if excess <= 0.01:
            break
        free = [i for i in range(n) if widths[i] > hard[i] + 0.01]
        if not free:
            break
        total_free = sum(widths[i] - hard[i] for i in free)
        factor = min(1.0, excess / total_free)
        for i in free:
            widths[i] -= (widths[i] - hard[i]) * factor
    if sum(widths) > room:  # the figures alone are too wide: narrow the label column, to a floor
        label = max(avail - sum(widths), avail * 0.18)
    return [label] + widths


def _unbreakable(line: str) -> list[str]:
    """The pieces of a line no line break can split: its words, a lone dash kept with the word before it
    (a line does not start with the "–" of "2016-01-01 – 2016-12-31")."""
    pieces: list[str] = []
    for w in line.split():
        if pieces and w in ("-", "–", "—"):
            pieces[-1] += " " + w
        else:
            pieces.append(w)
    return pieces


def _table_xml(block: TableBlock, layout: Layout, styles: _Styles, index: int) -> str:
    widths = column_widths(block, layout)
    name = f"Table{index}"
    col_styles = "".join(
        f'<style:style style:name="{name}.{_col_letter(j)}" style:family="table-column">'
        f'<style:table-column-properties style:column-width="{_pt(w)}"/></style:style>'
        for j, w in enumerate(widths)
    )
    styles.xml.append(
        f'<style:style style:name="{name}" style:family="table">'
        f'<style:table-properties style:width="{_pt(sum(widths))}" table:align="left" '
        f'fo:margin-top="{_pt(layout.size * 0.2)}" fo:margin-bottom="{_pt(layout.size * 0.8)}" '
        'style:may-break-between-rows="true" table:border-model="collapsing"/></style:style>' + col_styles
    )
    nrows, ncols, hrows = len(block.rows), block.ncols, block.header_rows
    figure_cols = {j for j in range(1, ncols) if any(is_figure(r[j]) for r in block.body if r[j].strip())}
    has_figures = bool(figure_cols)
    style = layout.table_style
    out = [f'<table:table table:name="{name}" table:style-name="{name}">']
    out += [f'<table:table-column table:style-name="{name}.{_col_letter(j)}"/>' for j in range(ncols)]
    for i, row in enumerate(block.rows):
        header = i < hrows
        if header and i == 0 and layout.repeat_header:
            out.append("<table:table-header-rows>")
        out.append('<table:table-row table:style-name="Row">')
        last_row = i == nrows - 1
        for j, cell in enumerate(row):
            if style == "grid":
                borders = (i == 0, True, True, j == ncols - 1)
                shade = False
            elif style == "zebra":
                borders = (False, header and i == hrows - 1, False, False)
                shade = not header and (i - hrows) % 2 == 1
            elif style == "rules":
                under_header = header and i == hrows - 1
                # the rule above a total: in tables of figures, not in lists of names
                above_last = last_row and nrows > 1 and has_figures and not (hrows and i == hrows)
                borders = (above_last, under_header, False, False)
                shade = False
            else:  # bare
                borders, shade = (False, False, False, False), False
            cstyle = styles.cell(*borders, shade)
            if j == 0:
                align = "left"
            elif header:
                align = layout.figure_align if j in figure_cols else "left"
            else:
                align = layout.figure_align if cell.strip() and is_figure(cell) else "left"
            bold = header and layout.bold_header
            pstyle = styles.para(align, bold)
            content = _inline(cell.strip()) if cell.strip() else ""
            out.append(
                f'<table:table-cell table:style-name="{cstyle}" office:value-type="string">'
                f'<text:p text:style-name="{pstyle}">{content}</text:p></table:table-cell>'
            )
        out.append("</table:table-row>")
        if header and i == hrows - 1 and layout.repeat_header:
            out.append("</table:table-header-rows>")
    out.append("</table:table>")
    return "".join(out)


def _col_letter(j: int) -> str:
    s = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        s = chr(65 + r) + s
    return s


# --- document ---------------------------------------------------------------------------------------------


def fodt(blocks: list[Block], layout: Layout) -> str:
    """The blocks laid out by ``layout`` as a flat ODF text document."""
    styles = _Styles("bottom" if layout.seed % 2 else "top")  # as the reportlab producer aligns cells
    body: list[str] = []
    tables = 0
    for k, b in enumerate(blocks):
        nxt = blocks[k + 1] if k + 1 < len(blocks) else None
        if isinstance(b, Heading):
            level = 1 if b.level <= 1 else 2
            body.append(
                f'<text:h text:style-name="Heading_20_{level}" text:outline-level="{level}">'
                f"{_inline(b.text)}</text:h>"
            )
        elif isinstance(b, Paragraph):
            # a table's caption is the line above it: set as a caption (kept with the table, bold or not)
            is_caption = isinstance(nxt, TableBlock) and nxt.caption is not None and nxt.caption == b.text
            pstyle = "Caption" if is_caption else "Text_20_body"
            body.append(f'<text:p text:style-name="{pstyle}">{_inline(b.text)}</text:p>')
        elif isinstance(b, TableBlock) and b.rows and b.ncols:
            tables += 1
            body.append(_table_xml(b, layout, styles, tables))
    ns = " ".join(f'xmlns:{k}="{v}"' for k, v in _NS.items())
    fam = quoteattr(layout.font.family)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<office:document {ns} office:version="1.3" '
        'office:mimetype="application/vnd.oasis.opendocument.text">'
        f"<office:font-face-decls><style:font-face style:name={fam} "
        f'svg:font-family={quoteattr(_family_value(layout))} style:font-pitch="variable"/>'
        "</office:font-face-decls>"
        f"<office:styles>{_common_styles(layout)}</office:styles>"
        "<office:automatic-styles>"
        + _page_layout(layout)
        + '<style:style style:name="Row" style:family="table-row">'
        + _ROW_KEPT_TOGETHER
        + "</style:style>"
        + "".join(styles.xml)
        + "</office:automatic-styles>"
        f"<office:master-styles>{_master_page(layout)}</office:master-styles>"
        "<office:body><office:text>" + "\n".join(body) + "</office:text></office:body></office:document>\n"
    )


def _family_value(layout: Layout) -> str:
    name = layout.font.family
    return f"'{name}'" if " " in name else name


# --- conversion -------------------------------------------------------------------------------------------


def render_pdf(blocks: list[Block], layout: Layout, out: Path) -> Path:
    """Write the blocks as .fodt and have LibreOffice convert it to the PDF ``out``."""
    program = _program()
    if program is None:
        raise RuntimeError("writer producer: soffice (LibreOffice) is not installed")
    out = Path(out)
    work = Path(tempfile.mkdtemp(prefix="finsam-writer-"))
    try:
        src = work / f"{out.stem}.fodt"
        document = fodt(blocks, layout)
        try:
            ElementTree.fromstring(document)  # soffice would import a broken file as plain text, silently
        except ElementTree.ParseError as exc:
            raise RuntimeError(f"writer producer: generated .fodt is not well-formed XML ({exc})") from None
        src.write_text(document, encoding="utf-8")
        pdf = _convert(program, src, work)
        if _lost_rows(blocks, pdf):
            # Writer can drop the rows of a table that starts at a page's foot when its rows are kept
            # together (they are nowhere in the PDF): the same document with rows that may split prints them
            shutil.rmtree(work / "pdf", ignore_errors=True)
            src.write_text(document.replace(_ROW_KEPT_TOGETHER, _ROW_MAY_SPLIT), encoding="utf-8")
            pdf = _convert(program, src, work)
            if _lost_rows(blocks, pdf):
                raise RuntimeError(f"writer producer: LibreOffice left table rows out of {out.name}")
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(pdf), str(out))
        return out
    finally:
        shutil.rmtree(work, ignore_errors=True)


_ROW_KEPT_TOGETHER = '<style:table-row-properties fo:keep-together="always"/>'
_ROW_MAY_SPLIT = '<style:table-row-properties fo:keep-together="auto"/>'


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _lost_rows(blocks: list[Block], pdf: Path) -> bool:
    """True when a body row of some table is nowhere in the PDF's text (its label's start, spaces left out
    so that a wrapped label still counts). Every row is looked for: the last one's start may stand in
    another table too ("Summa kortfristiga fordringar" and "… skulder")."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        text = _squeezed("".join(page.get_textpage().get_text_range() for page in document))
    finally:
        document.close()
    for block in blocks:
        if isinstance(block, TableBlock):
            for row in block.body:
                if row and row[0].strip() and _squeezed(row[0])[:12] not in text:
                    return True
    return False


def _convert(program: str, src: Path, work: Path) -> Path:
    profile = work / "profile"
    outdir = work / "pdf"
    outdir.mkdir()
    cmd = [
        program,
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--nologo",
        "--nodefault",
        f"-env:UserInstallation={profile.as_uri()}",
        "--infilter=OpenDocument Text Flat XML",
        "--convert-to",
        "pdf",
        "--outdir",
        str(outdir),
        str(src),
    ]
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        cwd=work,
    )
    try:
        stdout, stderr = proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        raise RuntimeError(
            f"writer producer: soffice did not convert {src.name} within {TIMEOUT} s"
        ) from None
    finally:
        if proc.poll() is None:
            _kill_group(proc)
    pdf = outdir / f"{src.stem}.pdf"
    if proc.returncode != 0 or not pdf.exists() or pdf.stat().st_size == 0:
        said = (stderr + stdout).decode("utf-8", "replace").splitlines()
        msg = " ".join(" ".join(line for line in said if "javaldx" not in line).split())[:300]
        raise RuntimeError(
            f"writer producer: soffice failed to convert {src.name} "
            f"(exit {proc.returncode}){': ' + msg if msg else ''}"
        )
    return pdf


def _kill_group(proc: subprocess.Popen) -> None:
    """End the conversion's process group (soffice's launcher starts soffice.bin as a child)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.communicate()

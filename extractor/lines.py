"""Table reading, step 1: the document as lines of cells (`DocLine`), ready for finding tables.

Every page's lines in reading order, with running headers, footers and page numbers blanked out
(extractor.furniture), markup a converter left stripped, OCR specks dropped and figures read with stray
punctuation read back as figures; a text page laid out with runs of spaces is split into cells at its gaps.
Also here: the predicates on cells that later steps share (a value, a header line, a label that wraps on)
and how far a cell's text can be trusted (`CellQuality`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from extractor.furniture import is_page_furniture, running_lines
from extractor.numbers import clean_ocr_figure, parse_number
from extractor.settings import SETTINGS, TableSettings
from finsam.model import Line, ParsedDocument, Word


@dataclass
class DocLine:
    """One content line of the document with its cells, ready for table finding."""

    page: int
    text: str  # the line's text, cells joined by tabs
    cells: list[str]
    spans: list[tuple[float, float]]  # x0, x1 of each cell
    tabular: bool  # cells separated by tabs or column gaps
    positioned: bool  # cells carry real page geometry (PDF/OCR), not tab indexes
    line: Line | None = None
    sources: list[int | None] | None = None  # for each cell, its index in line.cells (None: added empty cell)
    raws: list[str] | None = None  # for each cell, its text as read when OCR cleaning changed it
    ocr: bool = False  # read from a page image: words of one figure may stand further apart

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def words(self) -> int:
        return len(self.text.split())


def doc_lines(doc: ParsedDocument, settings: TableSettings) -> list[DocLine]:
    """All lines in reading order, with running headers/footers and page numbers removed."""
    out: list[DocLine] = []
    furniture = running_lines(doc, settings.footer_min_pages, settings.footer_min_repeats)
    for page in doc.pages:
        raw_lines = page.text.split("\n")
        positioned = page.text_source != "text"
        spaced = not positioned and _space_aligned(page.text)
        positioned = positioned or spaced
        margin = min((ln.cells[0].x0 for ln in page.lines if ln.cells), default=0.0)
        if spaced:
            margin = 0.0
        for line in page.lines:
            raw = raw_lines[line.index] if line.index < len(raw_lines) else line.text
            if spaced:
                cells, spans = _gap_cells(raw)
            else:
                cells = [_MARKUP.sub("", c.text).strip() for c in line.cells]
                spans = [(c.x0, c.x1) for c in line.cells]
            sources: list[int | None] = list(range(len(cells)))
            raws = list(cells)
            if page.text_source == "ocr":
                cells, spans, sources, raws = _clean_ocr_cells(cells, spans, line)
            if positioned and not spaced:
                cells, spans, sources, raws = _split_signed_runs(cells, spans, sources, raws, line)
            if positioned and cells and spans[0][0] > margin + settings.label_indent:
                # figures or column headers with nothing in the label column
                cells, spans = [""] + cells, [(margin, margin)] + spans
                sources, raws = [None] + sources, [""] + raws
            text = "\t".join(cells).strip()
            if is_page_furniture(text, furniture):
                text, cells = "", []
            # an OCR line is tabular by the cells left after its specks are dropped
            tabular = bool(cells) and (len(cells) >= 2 or ("\t" in raw and page.text_source != "ocr"))
            out.append(
                DocLine(
                    page.number,
                    text,
                    cells,
                    spans,
                    tabular,
                    positioned,
                    line,
                    sources,
                    raws,
                    ocr=page.text_source == "ocr",
                )
            )
    for i in range(len(out)):
        _split_label_run_into_figures(out, i, settings)
        _split_header_off_label(out, i)
    return out


def _split_label_run_into_figures(lines: list[DocLine], i: int, settings: TableSettings) -> None:
    """A text-layer line of one cell between two rows of figures, whose label ran into its figures in
    columns set too tight for a gap ("Summa verksamhetens intäkter 6 688 450 6 353 125 …"): split into its
    label and its figures, which the rows' columns then deal out, so the row is not taken for prose that
    ends the table. Only where the label ends left of where the rows around print figures, and the
    figures start there."""
    ln = lines[i]
    if not ln.positioned or ln.ocr or ln.line is None or len(ln.cells) != 1 or len(ln.line.cells) != 1:
        return
    words = ln.line.cells[0].words
    first = len(words)
    while first > 0 and FIGURE_WORD.match(words[first - 1].text):
        first -= 1
    if first == 0 or first == len(words) or not re.search(r"[^\W\d_]", words[first - 1].text):
        return
    around = [_row_beside(lines, i, step) for step in (-1, 1)]
    rows = [row for row in around if row is not None]
    if not rows:
        return
    figures_x0 = min(row.spans[1][0] for row in rows)
    if not (words[first - 1].x1 < figures_x0 <= words[first].x0 + settings.column_tolerance):
        return
    # a row on one side only: the table's first row under its header, or its last row, whose label
    # goes on below short of the figures' place ("Fungerar de olika arbetssätt ni har i 4,5" over "den
    # samordnade insatsen bra"); prose ending in a figure after a table has neither
    if around[0] is None and not _header_above(lines, i):
        return
    if around[1] is None and not _label_tail_below(lines, i, figures_x0):
        return
    _split_cell(ln, words, first)


def _split_cell(ln: DocLine, words: list[Word], k: int) -> None:
    """A line of one cell made two, its words before `k` and from `k` on: a row's cells now."""
    left, right = " ".join(w.text for w in words[:k]), " ".join(w.text for w in words[k:])
    ln.cells = [left, right]
    ln.spans = [(words[0].x0, words[k - 1].x1), (words[k].x0, words[-1].x1)]
    ln.sources, ln.raws = [0, 0], [left, right]
    ln.text = f"{left}\t{right}"
    ln.tabular = True


# a gap this many times the line's usual one, and this many points at least, before words that stand over a
# column's header below: a column gap set too tight for a cell of its own
HEADER_GAP = 2.0
SEEN_HEADER_GAP = 1.3  # the same where the header's column is seen standing under the words
MIN_HEADER_GAP = 4.0


def _split_header_off_label(lines: list[DocLine], i: int) -> None:
    """A text-layer line of one cell whose last words are a column's header, run into a group's label set
    too close for a gap ("Samverkande partner chefsgrupper (13 svar) Medelvärde" over "mellan 1-6" and the
    header's other lines): split into the label and the header, as the same table's "Styrelsen (9 svar)" and
    "Medelvärde" are. Only where a gap clearly wider than the line's spaces stands before words over the
    next line's only cell, which starts right of that gap, words not figures."""
    ln = lines[i]
    if not ln.positioned or ln.ocr or ln.line is None or len(ln.cells) != 1 or len(ln.line.cells) != 1:
        return
    below = next((b for b in lines[i + 1 :] if not b.blank), None)
    if below is None or below.page != ln.page or not below.positioned or below.ocr:
        return
    filled = _filled(below)
    if len(filled) != 1 or FIGURE_WORD.match(filled[0][0].split()[0]):
        return
    x0, x1 = filled[0][1]
    words = ln.line.cells[0].words
    gaps = [b.x0 - a.x1 for a, b in zip(words, words[1:], strict=False)]
    if len(gaps) < 2:
        return
    k = next((k for k in range(1, len(words)) if words[k - 1].x1 < x0 <= words[k].x1), None)
    if k is None or k < 2:
        return
    usual = sorted(gaps)[len(gaps) // 2]
    gap = gaps[k - 1]
    head = words[k:]
    overlap = min(head[-1].x1, x1) - max(head[0].x0, x0)
    # a header column that stands under it over several lines, at its very edge ("Medelvärde" over
    # "mellan 1-6", "där 1= Aldrig", "och 6=", each alone on its line): the column is seen, and a gap
    # only wider than the line's spaces will do
    seen = abs(head[0].x0 - x0) <= 1.0 and _column_under(lines, i, x0) >= 2
    if (
        gap < max(MIN_HEADER_GAP, (SEEN_HEADER_GAP if seen else HEADER_GAP) * usual)
        or overlap < 0.5 * min(head[-1].x1 - head[0].x0, x1 - x0)
        or any(FIGURE_WORD.match(w.text) for w in head)
    ):
        return
    _split_cell(ln, words, k)


def _column_under(lines: list[DocLine], i: int, x0: float) -> int:
    """How many lines under line i, one after another on its page, fill nothing but one cell starting at
    x0 (within a point)."""
    n = 0
    for ln in lines[i + 1 :]:
        if ln.blank:
            continue
        filled = _filled(ln)
        if ln.page != lines[i].page or len(filled) != 1 or abs(filled[0][1][0] - x0) > 1.0:
            break
        n += 1
    return n


def _filled(ln: DocLine) -> list[tuple[str, tuple[float, float]]]:
    """The line's cells that hold text, with their spans."""
    return [(c, span) for c, span in zip(ln.cells, ln.spans, strict=True) if c]


def _header_above(lines: list[DocLine], i: int) -> bool:
    """The nearest line above on the page is a header line: words, years or dates in the figure columns."""
    above = next((ln for ln in reversed(lines[:i]) if not ln.blank), None)
    return (
        above is not None
        and above.page == lines[i].page
        and above.tabular
        and len(above.cells) >= 2
        and is_header_cells(above.cells[1:])
    )


def _label_tail_below(lines: list[DocLine], i: int, figures_x0: float) -> bool:
    """The line below on the page goes on line i's label: one cell, in lower case, ending left of where
    the figures stand."""
    below = next((ln for ln in lines[i + 1 :] if not ln.blank), None)
    return (
        below is not None
        and below.page == lines[i].page
        and below.positioned
        and len(below.cells) == 1
        and below.cells[0][:1].islower()
        and below.spans[0][1] < figures_x0
    )


def _row_beside(lines: list[DocLine], i: int, step: int) -> DocLine | None:
    """The nearest row above (step -1) or below (+1), past blank lines (a page break's furniture) and a
    few lines of a label alone (a label wrapped over lines), when it is a row of figures (some of them
    perhaps run together in one cell) after a label."""
    k, labels = i + step, 0
    while 0 <= k < len(lines) and len(lines[k].cells) <= 1:
        labels += not lines[k].blank
        if labels > 3 or abs(lines[k].page - lines[i].page) > 1:
            return None
        k += step
    if not 0 <= k < len(lines) or abs(lines[k].page - lines[i].page) > 1:
        return None
    row = lines[k]
    if not row.tabular or len(row.cells) < 2 or not row.cells[0]:
        return None
    cells = row.cells[1:]
    if not all(c.split() and all(FIGURE_WORD.match(w) for w in c.split()) for c in cells):
        return None
    # figures, not a header's years: one that reads as a figure, or figures run together in a cell
    return row if any(is_value_text(c) or parse_number(c) is None for c in cells) else None


OCR_SPECK = re.compile(r"^[:;.,'`\"“”‘’_|~^*°=]+$")  # a word of punctuation only, read from a page image
# A cell that is only vertical strokes: a rule, a table's or the page's edge, never a figure of its own.
_RULE_STROKES = {"|", "||", "¦"}
# A word of dashes or punctuation only.
_DASH = re.compile(r"^[-—–−]$")
_YEAR_AND_WORD = re.compile(r"^(?:19|20)\d\d\W*\s+[^\W\d_]")
_TRAILING_SPECK = re.compile(r"^[-—–_.:;,'`\"|~^*°]+$")


# Figures a narrow column ran together into one cell, each with its minus sign ("-148 862 -1 013 690"), or
# after one without (a Not reference, "3 -1 406 687 -1 351 580"): a minus sign after a space starts a new
# figure, so the cell is as many figures as it has groups.
_SIGNED_FIGURE = r"[-−–]\d{1,3}(?: \d{3})*(?:,\d+)?"
_SIGNED_RUN = re.compile(rf"^[-−–]?\d{{1,3}}(?: \d{{3}})*(?:,\d+)?(?: {_SIGNED_FIGURE})+$")


# a figure's last group run into the next figure's minus in columns set tight ("-10 220-11 791" for -10 220
# and -11 791): a group of three digits after a group, glued to a sign and the next figure's first group
_GLUED_SIGN = re.compile(r"^(\d{3})([-−–]\d{1,3})$")
_GROUP = re.compile(r"^[-−–]?\d{1,3}$")


def _unglued(words: list[Word]) -> list[Word]:
    """The words with each figure group glued to the next figure's sign cut in two at the sign, the box
    shared by characters; only after another group, so dates ("16-01-01") and ranges ("2011-2016") stay."""
    out: list[Word] = []
    for w in words:
        m = _GLUED_SIGN.match(w.text)
        if m and out and _GROUP.match(out[-1].text):
            cut = w.x0 + (w.x1 - w.x0) * len(m.group(1)) / len(w.text)
            out += [replace(w, text=m.group(1), x1=cut), replace(w, text=m.group(2), x0=cut)]
        else:
            out.append(w)
    return out


def _split_signed_runs(
    cells: list[str],
    spans: list[tuple[float, float]],
    sources: list[int | None],
    raws: list[str],
    line: Line,
) -> tuple[list[str], list[tuple[float, float]], list[int | None], list[str]]:
    """Cells of two or more signed figures run together split into one cell a figure, each spanning its
    own words (a cell without word boxes is left as it is)."""
    out: tuple[list, list, list, list] = ([], [], [], [])
    for text, span, source, raw in zip(cells, spans, sources, raws, strict=True):
        words = line.cells[source].words if source is not None and source < len(line.cells) else []
        if " ".join(w.text for w in words) == text and not _SIGNED_RUN.match(text):
            unglued = _unglued(words)
            if _SIGNED_RUN.match(" ".join(w.text for w in unglued)):
                words, text = unglued, " ".join(w.text for w in unglued)
        if not _SIGNED_RUN.match(text) or " ".join(w.text for w in words) != text:
            for part, value in zip(out, (text, span, source, raw), strict=True):
                part.append(value)
            continue
        groups: list[list] = []
        for w in words:
            if w.text[:1] in "-−–" or not groups:
                groups.append([])
            groups[-1].append(w)
        for g in groups:
            figure = " ".join(w.text for w in g)
            out[0].append(figure)
            out[1].append((g[0].x0, g[-1].x1))
            out[2].append(source)
            out[3].append(figure)
    return out


def _clean_ocr_cells(
    cells: list[str], spans: list[tuple[float, float]], line: Line
) -> tuple[list[str], list[tuple[float, float]], list[int | None], list[str]]:
    """OCR cells without specks read as cells of their own (punctuation, or a letter or two read with little
    confidence), and figures with stray punctuation read back as figures ("9.032 435" -> "9 032 435"); the
    text as read is kept beside."""
    out_cells, out_spans, sources, raws = [], [], [], []
    # letters read as a figure ("TJ" for 77) only on a line with figures: on a line of words (a header's
    # broken words, "r" read "I") they are words
    figures_here = any(parse_number(c) is not None for c in cells[1:])
    # a dash read faintly between header words ("Budget 2023 — Plan 2024") is a rule's stroke, not a nil
    # figure: where every other cell right of the label is words, the line is no row of figures
    beside = [c for c in cells[1:] if not _DASH.match(c.strip())]
    words_line = bool(beside) and all(parse_number(c) is None and re.search(r"[^\W\d_]", c) for c in beside)
    for n, (text, span) in enumerate(zip(cells, spans, strict=False)):
        words = line.cells[n].words if n < len(line.cells) else []
        confs = [w.conf for w in words if w.conf is not None]
        faint = bool(confs) and max(confs) < SETTINGS.speck_confidence
        figure = clean_ocr_figure(text)
        if (
            figure is not None
            and not figures_here
            and (not any(ch.isdigit() for ch in text) or _YEAR_AND_WORD.match(text))
        ):
            figure = None  # nor is a year with its unit ("2021, kr"), which cleaning would make 2021 kronor
        lone_letter = figure is not None and len(text.strip()) == 1 and not text.strip().isdigit()
        if text.strip() in _RULE_STROKES:
            continue  # a stroke of a rule or of the page's edge: Tesseract reads a printed 1 as "1"
        if n and words_line and _DASH.match(text.strip()) and confs and max(confs) < SETTINGS.low_confidence:
            continue
        if len(words) >= 2 and figure is None and _TRAILING_SPECK.match(words[-1].text):
            last = words[-1].conf
            if last is not None and last < SETTINGS.low_confidence and re.search(r"[^\W\d_]", words[-2].text):
                # a dash or dot read faintly right after a label: the edge of a shaded row, not a cell
                text = text[: text.rstrip().rfind(words[-1].text)].rstrip() or text
        if (figure is None or (faint and lone_letter)) and (
            OCR_SPECK.match(text) or (faint and len(text) <= 3 and not any(ch.isdigit() for ch in text))
        ):
            continue  # a speck; but "TJ" read faintly where a figure stands is still a figure (77)
        out_cells.append(figure or text)
        out_spans.append(span)
        sources.append(n)
        raws.append(text)
    return out_cells, out_spans, sources, raws


# Markup a converter left in the text ("<i>S:a övriga kostnader</i>"); the text reader strips it, a PDF drawn
# from such text keeps it.
_MARKUP = re.compile(r"</?(?:i|b|u|em|strong|span|font|sup|sub|br)\b[^>]*>", re.I)


_GAP = re.compile(r"\S+(?: \S+)*")


CHAR_WIDTH = 5.0  # points per character when a text page is laid out with spaces


def _space_aligned(text: str) -> bool:
    """A text page whose columns are aligned with runs of spaces (a converter's layout mode), not tabs."""
    if "\t" in text:
        return False
    lines = text.split("\n")
    aligned = sum(1 for ln in lines if re.search(r"\S {2,}[-−–(]?\d", ln))
    numeric = sum(1 for ln in lines if re.search(r"\d\s*$", ln))
    return aligned >= max(3, 0.25 * numeric)


def _gap_cells(raw: str) -> tuple[list[str], list[tuple[float, float]]]:
    """Cells of a space-aligned line, split at gaps of two or more spaces, with character offsets as x."""
    cells, spans = [], []
    for m in _GAP.finditer(raw.replace("\t", " ")):
        cells.append(m.group(0))
        spans.append((m.start() * CHAR_WIDTH, m.end() * CHAR_WIDTH))
    return cells, spans


_YEARLIKE = re.compile(
    r"^[-–]?(?:(?:19|20)\d\d(?:-\d\d-\d\d)?)(?:\s*[-–]\s*(?:(?:19|20)\d\d)(?:-\d\d-\d\d)?)?$"
)


def is_value_text(text: str) -> bool:
    return parse_number(text) is not None and not _YEARLIKE.match(text.strip())


def is_header_cells(values: list[str]) -> bool:
    """A line is a header when its figure cells hold words, years or dates, and no plain figures (nor
    figures a tight column ran together, "25,00 % 1 300,0 1 250,0")."""
    filled = [v for v in values if v.strip()]
    if not filled:
        return False
    return all(not is_value_text(v) and not (is_figure_run(v) and not _years_only(v)) for v in filled)


# A word that is a figure or part of one ("6", "688", "-114", "30,4", "%"): what a row's figures print.
FIGURE_WORD = re.compile(r"^(?:[-−–(]?\d[\d,.\u00a0]*%?\)?|%)$")


def is_figure_run(text: str) -> bool:
    """Words of figures only, two or more: one figure with its thousands spaces, or several run together
    in one cell ("8 684 000 13 120 000", "25,00 % 1 300,0")."""
    words = text.split()
    return len(words) >= 2 and words[0] != "%" and all(FIGURE_WORD.match(w) for w in words)


def _years_only(text: str) -> bool:
    return all(_YEARLIKE.match(w) for w in text.split())


def text_fraction(values: list[str]) -> float:
    filled = [v for v in values if v.strip()]
    if not filled:
        return 0.0
    return sum(1 for v in filled if parse_number(v) is None) / len(filled)


# Words a wrapped label line can end on: the label goes on below ("… funktionsnedsättning -" / "Framtidsmodellen").
DANGLING_ENDS = (
    "-",
    "–",
    ",",
    "/",
    "&",
    "och",
    "för",
    "av",
    "i",
    "med",
    "till",
    "på",
    "samt",
    "eller",
    "inkl",
    "från",
    "vid",
    "om",
    "inom",
    "mellan",
    "efter",
    "under",
    "per",
)


def dangling(label: str) -> bool:
    """A label that cannot end here: it ends on a joining word or mark, or leaves a parenthesis open
    ("Moms för perioden (kvartal 4" / "2016)")."""
    words = label.split()
    return bool(words) and (
        label.endswith(DANGLING_ENDS[:5])
        or words[-1].casefold() in DANGLING_ENDS[5:]
        or label.count("(") > label.count(")")
    )


@dataclass
class CellQuality:
    """How far a cell's text can be trusted: OCR confidence and whether repair rewrote a word."""

    conf: float | None = None
    repaired: bool = False
    raw: str | None = None  # the text as read, when cleaning changed it

    def join(self, other: CellQuality) -> CellQuality:
        confs = [c for c in (self.conf, other.conf) if c is not None]
        raws = [r for r in (self.raw, other.raw) if r]
        return CellQuality(
            min(confs) if confs else None, self.repaired or other.repaired, " ".join(raws) or None
        )


def cell_quality(ln: DocLine, n: int) -> CellQuality:
    if ln.line is None or not ln.positioned or ln.sources is None or n >= len(ln.sources):
        return CellQuality()
    source = ln.sources[n]
    if source is None or source >= len(ln.line.cells):
        return CellQuality()
    words = ln.line.cells[source].words
    confs = [w.conf for w in words if w.conf is not None]
    cleaned = bool(ln.raws) and ln.raws[n] != ln.cells[n]
    return CellQuality(
        min(confs) if confs else None,
        cleaned or any(w.raw is not None for w in words),
        ln.raws[n] if cleaned and ln.raws else None,
    )

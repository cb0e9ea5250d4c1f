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
from statistics import median_low

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
    label = " ".join(w.text for w in words[:first])
    run = " ".join(w.text for w in words[first:])
    ln.cells = [label, run]
    ln.spans = [(words[0].x0, words[first - 1].x1), (words[first].x0, words[-1].x1)]
    ln.sources, ln.raws = [0, 0], [label, run]
    ln.text = f"{label}\t{run}"
    ln.tabular = True


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


def foot_sure(word: Word, tallest: float | None = None) -> bool:
    """An OCR word whose box's foot tells where its line stands: read surely, and not `tallest` or taller."""
    return (
        word.conf is not None
        and word.conf >= SURE_FOOT
        and (tallest is None or word.bottom - word.top < tallest)
    )


def line_height(line: Line) -> float:
    return line.bottom - line.top


def line_gap(upper: Line, lower: Line) -> float:
    """The space between two lines of a page, from the foot of the upper to the top of the lower."""
    return lower.top - line_foot(upper)


# letters and marks that reach below the baseline; a word without them stands on it
DESCENDERS = frozenset("gjpqyQ,;()[]{}|")
DESCENT_SHARE = 0.23  # of a word's box: how far below the baseline a word with a descender reaches
COMMA_SHARE = 0.14  # ... and a word whose only descender is a comma's tail ("200,0" beside "5": 1.1 of 7.6)
SURE_FOOT = 50.0  # a word read less surely than this is boxed by whatever Tesseract took for it


def line_foot(line: Line, tallest: float | None = None) -> float:
    """Where a line stands: its bottom in a text layer (every word's box the font's), its baseline where OCR
    boxed each word by its ink. There a word with a descender ("går", "deltagarna") reaches lower, so the
    gaps below the lines of one cell vary by more than cell padding sets two rows apart: the baseline is
    the foot of a word of letters or digits without descenders, or, on a line that has none ("deltagare"
    alone), the foot of one with a descender raised by DESCENT_SHARE of its height. Words read surely go
    first: an unsure reading's box may take in a speck below it, and so may one `tallest` points tall or
    more (given the line's table)."""
    words = [
        w for c in line.cells for w in c.words if w.conf is not None and any(ch.isalnum() for ch in w.text)
    ]
    if not words:
        return line.bottom
    return words_foot(words, tallest)


def words_foot(words: list[Word], tallest: float | None = None) -> float:
    """The baseline of a line's OCR'd words of letters or digits, as `line_foot` tells it."""
    sure = [w for w in words if foot_sure(w, tallest)] or words
    level = [w.bottom for w in sure if not DESCENDERS.intersection(w.text)]
    if level:
        return min(level)
    # the middle of the words' raised feet: a box OCR stretched over a speck above raises its word's foot
    # by a share of all it took in, and the highest foot would be that word's
    return median_low([w.bottom - _descent(w.text) * (w.bottom - w.top) for w in sure])


def _descent(text: str) -> float:
    return COMMA_SHARE if DESCENDERS.intersection(text) <= {",", ";"} else DESCENT_SHARE


WRAP_PITCH_SHARE = 0.15  # OCR: a step between baselines this share shorter than between rows is a wrap


def tight_below(
    lines: list[DocLine],
    rows: list[int],
    ratio: float,
    margin: float | None = None,
    pitch_margin: float | None = None,
) -> set[int]:
    """The row lines set closer to the line below than rows of figures are to each other: two lines of one
    cell (a label wrapped in a narrow column, "Second Chance" over "School | 14 | 6"), not two rows. Told
    only where the rows of figures are spaced apart (padded or ruled cells); in a table set solid, nothing
    is. Closer means under `ratio` of the usual gap between rows, or (given a `margin`, on a text layer,
    whose lines stand where the font sets them) `margin` points closer than any two rows of figures, or
    (given a `pitch_margin`, on OCR) a step from baseline to baseline shorter than the usual step between
    rows by `pitch_margin` points and WRAP_PITCH_SHARE of it."""
    placed = [i for i in rows if not lines[i].blank and lines[i].line is not None and lines[i].positioned]
    pairs = [
        (a, b)
        for a, b in zip(placed, placed[1:], strict=False)
        if lines[a].page == lines[b].page and b - a <= 2
    ]

    def gap(a: int, b: int) -> float:
        return line_gap(lines[a].line, lines[b].line)  # type: ignore[arg-type]

    def figures(i: int) -> bool:
        return any(is_value_text(c) for c in lines[i].cells[1:])

    # the usual gap between rows: most lines of a table are rows of their own, so a high quantile of the
    # gaps is a gap between rows even where a few labels wrap, and one wider gap before a section is not
    gaps = sorted(gap(a, b) for a, b in pairs)
    if len(gaps) < 3:
        return set()
    typical = gaps[(3 * len(gaps)) // 4]
    if typical <= 0:
        return set()
    limit = ratio * typical
    # between two rows: a row of figures under another, or under a label-only line that hangs on the
    # line above it, closer to that than to this row: the tail of the row above ("Gävleborg, Unga
    # Framåt" over "Deltagaravgifter, regional | 36 500"), where a short note has few rows of figures
    # side by side. A label-only line closer to the row below is that row's first part
    above = {b: gap(a, b) for a, b in pairs}
    between_rows = [
        gap(a, b)
        for a, b in pairs
        if figures(b) and (figures(a) or (a in above and above[a] < gap(a, b) - (margin or 0.0)))
    ]
    if margin is not None and len(between_rows) >= 2:
        limit = max(limit, min(between_rows) - margin)
    tight = {a for a, b in pairs if gap(a, b) < limit}
    if pitch_margin is not None:
        # OCR: the space between lines depends on the letters (a capital's top, an ascender), the step
        # from baseline to baseline does not: two lines of one cell stand the font's leading apart, two
        # rows that plus the cells' padding
        def pitch(a: int, b: int) -> float:
            return line_foot(lines[b].line) - line_foot(lines[a].line)  # type: ignore[arg-type]

        # the usual step between rows: the middle one between rows of figures, which are rows of their own
        # whatever their labels do; OCR's boxes set a line's baseline a point or two off, so the middle,
        # not a high quantile, which one such line raises
        steps = sorted(pitch(a, b) for a, b in pairs if b == a + 1 and figures(a) and figures(b))
        if len(steps) >= 3:
            usual = steps[len(steps) // 2]
        else:
            steps = sorted(pitch(a, b) for a, b in pairs)
            usual = steps[(3 * len(steps)) // 4]
        least = max(pitch_margin, WRAP_PITCH_SHARE * usual)
        # a box OCR stretched over a speck or a shaded row's edge narrows the space between two lines
        # that stand a row apart: lines close by their boxes are one cell only where their baselines
        # are closer than rows' too, if by less
        tight = {a for a, b in pairs if a in tight and pitch(a, b) < usual - least / 2}
        tight |= {a for a, b in pairs if b == a + 1 and 0 < pitch(a, b) < usual - least}
    return {a for a, b in pairs if a in tight and not (figures(a) and figures(b))}


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


_CONJUNCTION = re.compile(r"^(?:och|eller|samt|till)\b")


def join_wrapped(parts: list[str]) -> str:
    """A cell (or a paragraph) wrapped over several lines, joined. At a hyphen ending a line the word goes on
    without a space, and the hyphen stays where it was printed ("Utfall jan-" + "aug" -> "Utfall jan-aug",
    "IT-" + "stöd") but goes where the typesetter broke one word there ("Målupp-" + "fyllelse" ->
    "Måluppfyllelse": the word without it is a known word); before a conjunction the hyphen stands for a
    word left out and the space stays ("Hälso-" + "och sjukvård"). A word a narrow column broke without a
    hyphen is made whole again: "Deltag" + "are" -> "Deltagare"."""
    parts = [p.strip() for p in parts if p.strip()]
    out = ""
    i = 0
    while i < len(parts):
        part = parts[i]
        i += 1
        # a word broken twice in a very narrow column: "sa" / "mordningsförbunde" / "t"
        if out and i < len(parts) and " " not in part and _broken_word(out, part + parts[i]):
            out, i = f"{out}{part}{parts[i]}", i + 1
            continue
        # "Hälso-" + "och sjukvård": the hyphen stands for a word left out, and the space stays
        hyphen = (
            out.endswith(("-", "–", "/")) and not out.endswith((" -", " /")) and not _CONJUNCTION.match(part)
        )
        if hyphen and _hyphenated_word(out, part):
            out = f"{out[:-1]}{part}"
        else:
            out = f"{out}{part}" if hyphen or _broken_word(out, part) else f"{out} {part}"
    return out.strip()


_WORD_END = re.compile(r"([^\W\d_]+)$")


_WORD_START = re.compile(r"^([^\W\d_]+)")


def _hyphenated_word(left: str, right: str) -> bool:
    """`left` ends in a hyphen after a word of two letters or more, and that word and the start of `right`
    are one known word broken at the hyphen ("Målupp-" + "fyllelse"), not a word printed with it ("IT-stöd",
    "e-post", "jan-aug")."""
    a, b = _WORD_END.search(left[:-1]), _WORD_START.match(right)
    if not left.endswith("-") or not a or len(a.group(1)) < 2 or not b or not b.group(1).islower():
        return False
    from parsers.lexicon import default_lexicon

    return default_lexicon().listed(f"{a.group(1)}{b.group(1)}".lower()) > 0


def _broken_word(left: str, right: str) -> bool:
    """The end of `left` and the start of `right` are one word broken in two: the whole is a known word,
    more common than its rarer part (so "Budget" + "avvikelse" stay two words, "Deltag" + "are" join)."""
    a, b = _WORD_END.search(left), _WORD_START.match(right)
    if not a or not b or not b.group(1).islower():
        return False
    from parsers.lexicon import default_lexicon

    lexicon = default_lexicon()
    head, tail = a.group(1).lower(), b.group(1)
    whole = lexicon.listed(head + tail.lower())
    return whole > 0 and whole > min(lexicon.listed(head), lexicon.listed(tail.lower()))

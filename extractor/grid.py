"""Tables of text cells (the grid reader), step 3: the body under the header, read into rows (`read_grid`).

The grid reader reads tables whose cells hold sentences, not figures — goal tables are the ones finsam reads
this way (extractor.goal_tables), with what their columns mean kept there. On a positioned page:
extractor.grid_header (the header band) → extractor.grid_separators (the columns) → `read_grid` (the body
and its rows); in text input, `read_tab_rows` (tab fields, a line a row).

- the body: the lines below the header up to prose (a line running across the columns), a line of another
  size (a heading), a wide gap, or a page whose first content is none of these rows; running headers,
  footers and a repeated header at a page break are skipped; the columns are fitted to each part of the
  body laid out anew (at a page break, at a wide gap: extractor.grid_separators);
- rows: cell padding leaves a wider gap between two rows than between the wrapped lines of one row, so a row
  ends at a gap clearly wider than the narrowest; where all gaps are alike, a new row starts where the key
  column (the caller's: a goal table's insats column, else its first) starts a new entry.

The wrapped lines of a cell are joined as everywhere (extractor.wraps.join_wrapped), and gaps measured as
the table reader measures them (extractor.wraps.line_gap). Telling a row from a wrapped line is the grid
reader's own: the table reader (extractor.wraps.tight_below) takes the usual gap between rows from the wider
gaps of a table, since most lines of a table of figures are rows of their own; in a table of text cells
most lines are the wrapped lines of a cell, so it is the narrowest gap that is usual, and a row ends at a wider one.

What the columns mean is the caller's: this module only knows geometry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from statistics import median

from extractor.furniture import is_page_furniture
from extractor.grid_header import GridColumn, words_of
from extractor.grid_separators import CROSS_TOLERANCE, crosses, line_cells, refit, separators, space_width
from extractor.lines import OCR_SPECK
from extractor.wraps import DESCENDERS, foot_sure, join_wrapped, line_foot, line_gap, line_height, words_foot
from finsam.model import Line, Word

# Two rows are set apart by this much more than the narrowest gap between lines of the table (points), or
# by this share of a line height when that is more.
ROW_GAP_POINTS = 1.0
ROW_GAP_SHARE = 0.12
# ... on a page read by OCR, whose line boxes follow the ink (a line of x-height letters stands lower
# than one with capitals), by the distance from baseline to baseline: rows are set apart by this share of
# the lines of one cell more than those lines, whose baselines are the leading apart
OCR_ROW_PITCH_SHARE = 0.15
# a word this many times taller than the table's usual word has a box that took in more than its letters
TALL_WORD = 1.4
# A gap this many line heights wide ends the table (on one page).
TABLE_END_GAP = 3.0
# A line whose height differs from the table's by more than this share is a heading or a footnote.
HEIGHT_TOLERANCE = 0.25
# ... on a page read by OCR, whose line boxes follow the letters (ascenders, descenders, accents: a line of
# one cell may be half as tall as the header above it), only a far larger difference tells
OCR_HEIGHT_TOLERANCE = 0.6
# A gap this many line heights wide may start a part of the table laid out anew.
PART_GAP = 1.0
# A line of prose across a table's columns has at least this many words (a few words' gaps tell nothing).
PROSE_WORDS = 5
# Prose spaces its words evenly: no gap wider than this many times the line's usual space (and a point).
PROSE_SPACING = 1.6
# Lines scanned below a header before a table is given up.
MAX_TABLE_LINES = 400


@dataclass
class GridRow:
    cells: list[str]
    page: int
    line: int  # index of its first line in the caller's line list
    lines: list[int] = field(default_factory=list)


@dataclass
class Grid:
    columns: list[GridColumn]
    rows: list[GridRow]
    start: int  # index of the first header line
    header_end: int  # index after the last header line
    end: int  # index after the table's last line
    page: int


def _is_prose(line: Line, columns: list[GridColumn], seps: list[float] | None) -> bool:
    """Running text below (or between the pages of) a table: one run of words from the table's left edge
    across the columns."""
    cells = [c for c in line.cells if c.text.strip()]
    if not cells:
        return False
    left = columns[0].x0
    first = cells[0]
    starts_left = first.x0 <= left + 2 * CROSS_TOLERANCE + (seps[0] - left if seps else 0) * 0.25
    if seps is not None:
        # a run of evenly spaced words across the columns (a part laid out anew crosses the columns above
        # it too, but leaves gutters between its cells)
        words = words_of(line)
        if len(words) < PROSE_WORDS or not _evenly_spaced(words):
            return False
        n = crosses(line, seps)
        return n >= 2 or (n == 1 and starts_left and len(cells) == 1)
    # one run of evenly spaced words (cells run together leave a gutter between them)
    return len(cells) == 1 and starts_left and first.x1 > columns[-1].x0 and _evenly_spaced(words_of(line))


def _evenly_spaced(words: list[Word]) -> bool:
    gaps = [b.x0 - a.x1 for a, b in zip(words, words[1:], strict=False)]
    return not gaps or max(gaps) <= PROSE_SPACING * median(gaps) + 1.0


def _repeats_header(line: Line, header_texts: set[str]) -> bool:
    return " ".join(line.text.split()).casefold() in header_texts


def read_grid(
    lines: list[Line],
    header: tuple[list[GridColumn], int, int, object],
    is_furniture: Callable[[Line], bool],
    key_column: int,
) -> Grid:
    """The rows of the table under a header found by `find_header`."""
    columns, start, header_end, _ = header
    header_lines = [ln for ln in lines[start:header_end] if ln.cells]
    ocr = any(w.conf is not None for ln in header_lines for w in words_of(ln))
    height = median(_type_height(ln, ocr) for ln in header_lines) or 10.0
    header_texts = {" ".join(ln.text.split()).casefold() for ln in header_lines}
    tolerance = OCR_HEIGHT_TOLERANCE if ocr else HEIGHT_TOLERANCE
    body: list[int] = []
    k = header_end
    last = header_end - 1
    while k < len(lines) and len(body) < MAX_TABLE_LINES:
        line = lines[k]
        if not line.cells or is_furniture(line) or _specks_only(line):
            k += 1
            continue
        prev = lines[last]
        new_page = line.page != prev.page
        top_of_page = new_page or (header_end <= last and last not in body)  # nothing of the body yet
        if top_of_page and line.page != lines[start].page and _repeats_header(line, header_texts):
            k += 1
            last = k - 1  # the header repeated on a new page, over one or more lines
            continue
        if not new_page and line_gap(prev, line) > TABLE_END_GAP * height:
            break
        if abs(_type_height(line, ocr) - height) > tolerance * height:
            break
        if _is_prose(line, columns, None):
            break
        body.append(k)
        last = k
        k += 1
    # columns fitted to each part of the table, then prose that slipped through cut off
    parts = _parts(lines, body, height)
    space = space_width([lines[i] for i in body])
    seps_of: dict[int, list[float]] = {}
    seps: list[float] | None = None
    kept: list[int] = []
    for part in parts:
        if seps is not None and _is_prose(lines[part[0]], columns, seps):
            break  # prose below the table, judged by the columns above it before they are fitted to it
        words = [words_of(lines[i]) for i in part]
        seps = separators(columns, words, space) if seps is None else refit(seps, words, space)
        prose = next((j for j, i in enumerate(part) if _is_prose(lines[i], columns, seps)), None)
        for i in part[:prose]:
            seps_of[i] = seps
            kept.append(i)
        if prose is not None:
            break
    body = kept
    end = body[-1] + 1 if body else header_end
    rows = _rows(lines, body, seps_of, key_column, height, len(columns), ocr)
    return Grid(columns, rows, start, header_end, end, lines[start].page)


def _type_height(line: Line, ocr: bool) -> float:
    """The height of a line's type: on a page read by OCR, from its baseline (`words_foot`) to the top of its
    words with a letter or digit, since a speck read as "=" or "|" beside them may stand taller than any
    letter, and without a word that reaches below the baseline though no letter of it does ("samverkansforum"
    boxed with a speck under it)."""
    words = [w for w in words_of(line) if any(ch.isalnum() for ch in w.text)] if ocr else []
    if not words:
        return line_height(line)
    # a word Tesseract hardly made out ("de" at confidence 22, boxed with the ink below it) tells nothing of
    # the type's size beside words it read
    words = [w for w in words if w.conf is None or w.conf >= UNSURE_WORD] or words
    # a word without descenders that reaches lower than one with them ("Hälsoskolan" boxed with a speck beside
    # "deltagare") took in more than its letters: the baseline is told without it
    lowest = min((w.bottom for w in words if DESCENDERS.intersection(w.text)), default=None)
    foot = words_foot(
        [w for w in words if lowest is None or DESCENDERS.intersection(w.text) or w.bottom <= lowest] or words
    )
    sunk = SUNK_SHARE * median(w.bottom - w.top for w in words)
    words = [w for w in words if DESCENDERS.intersection(w.text) or w.bottom - foot <= sunk] or words
    # from the baseline up: a line of capitals ("Mål | Indikator") and one with descenders ("möjligheter")
    # are set in one size, though the second's boxes reach lower
    return foot - min(w.top for w in words)


UNSURE_WORD = 50.0  # Tesseract's confidence below which a word's box is no measure of its line's type

# a word without descenders whose box reaches below the line's baseline by more than this share of the line's
# usual word took in a speck (a descender reaches some DESCENT_SHARE of a word's box below it)
SUNK_SHARE = 0.3


def _specks_only(line: Line) -> bool:
    """An OCR'd line of nothing but punctuation (";" read from a speck between two lines of a cell): no
    line of the table, and no end of it."""
    words = [w for c in line.cells for w in c.words]
    return bool(words) and all(w.conf is not None and OCR_SPECK.match(w.text) for w in words)


def _parts(lines: list[Line], body: list[int], height: float) -> list[list[int]]:
    """A table's body split where it may be laid out anew: at a page break, and at a gap of a line height
    or more (a typesetter that starts a new table at a row of text cells sizes its columns anew)."""
    parts: list[list[int]] = []
    for i in body:
        if parts:
            prev = lines[parts[-1][-1]]
            if lines[i].page == prev.page and line_gap(prev, lines[i]) < PART_GAP * height:
                parts[-1].append(i)
                continue
        parts.append([i])
    return parts


def _rows(
    lines: list[Line],
    body: list[int],
    seps_of: dict[int, list[float]],
    key: int,
    height: float,
    width: int,
    ocr: bool = False,
) -> list[GridRow]:
    """Body lines grouped into rows: at gaps wider than the narrowest, else where the key column starts."""
    if not body:
        return []
    cells = {i: line_cells(lines[i], seps_of[i]) for i in body}
    space = _pitches(lines, body) if ocr else line_gap
    gaps = [
        space(lines[a], lines[b])
        for a, b in zip(body, body[1:], strict=False)
        if lines[a].page == lines[b].page
    ]
    if ocr:
        threshold = _row_pitch(gaps)
    else:
        narrow = min(gaps) if gaps else 0.0
        threshold = narrow + max(ROW_GAP_POINTS, ROW_GAP_SHARE * height)
    by_gap = any(g > threshold for g in gaps)
    groups: list[list[int]] = [[body[0]]]
    for a, b in zip(body, body[1:], strict=False):
        if lines[a].page != lines[b].page:
            groups.append([b])  # decided below: a row may run on over the break
            continue
        if by_gap:
            new = space(lines[a], lines[b]) > threshold
        else:
            new = _starts_entry(cells[b][key] if key < len(cells[b]) else "")
        if new:
            groups.append([b])
        else:
            groups[-1].append(b)
    groups = [part for g in groups for part in _split_entries(g, cells, key)]
    # a page's first group with nothing in the key column goes on with the row the last page ended with
    merged: list[list[int]] = []
    for g in groups:
        if merged and lines[g[0]].page != lines[merged[-1][-1]].page and not any(cells[i][key] for i in g):
            merged[-1].extend(g)
        else:
            merged.append(g)
    rows: list[GridRow] = []
    for g in merged:
        texts = [join_wrapped([cells[i][c] for i in g]) for c in range(width)]
        page = lines[g[0]].page
        if rows and page != rows[-1].page and any(r.cells == texts for r in rows):
            continue  # a row repeated at the top of a page (a typesetter repeating a part's first row)
        rows.append(GridRow(texts, page, g[0], list(g)))
    return rows


def _split_entries(group: list[int], cells: dict[int, list[str]], key: int) -> list[list[int]]:
    """A group of lines the gaps did not part that holds two rows: two entries of the key column with a
    line between them that has none, the later one beside cells of its own in two more columns ("Steget
    Vidare | Minst 35 % av de | 31 % | Delvis uppfyllt" under a row's wrapped lines). Rows set to the middle
    put lines of a row above its entry: the lines right above the later entry that start a cell ("Ca 150
    deltagare" over "Unga Framåt | under året | 138 deltagare") go with it. A name wrapped over two lines
    has no empty line between its parts and no cells of its own beside both, and stays one entry."""

    def entry(i: int) -> bool:
        return key < len(cells[i]) and _starts_entry(cells[i][key])

    def beside(i: int) -> int:
        return sum(1 for c, text in enumerate(cells[i]) if c != key and text.strip())

    parts: list[list[int]] = []
    start = 0
    for n in range(1, len(group)):
        i = group[n]
        between = group[start:n]
        if not (entry(i) and beside(i) >= 2 and any(entry(j) for j in between)):
            continue
        gapless = not any(not (key < len(cells[j]) and cells[j][key].strip()) for j in between)
        if gapless and not (beside(group[n - 1]) >= 2 and _opens_cell(cells[i], key)):
            continue  # the key cell's lines follow each other: one entry wrapped, unless both lines are rows'
            # lines of their own, each with its cells ("Hälsoskolan | Ca 120 … | 128 … | Uppfyllt" twice)
        cut = n
        while cut - 1 > start and not entry(group[cut - 1]) and _opens_cell(cells[group[cut - 1]], key):
            cut -= 1
        if not any(entry(j) for j in group[start:cut]):
            continue
        parts.append(group[start:cut])
        start = cut
    parts.append(group[start:])
    return parts


def _opens_cell(row: list[str], key: int) -> bool:
    """A line whose cells, beside the key column, each start a text (a capital or a figure), not the
    wrapped rest of one above ('under året', 'deltagarna ska gå')."""
    texts = [t.strip() for c, t in enumerate(row) if c != key and t.strip()]
    return bool(texts) and all(_starts_entry(t) for t in texts)


def _row_pitch(pitches: list[float]) -> float:
    """The pitch above which two lines of a table read by OCR are two rows: between the pitches of the lines
    of one cell (the leading) and those of rows (the leading and the cells' padding), told apart as two
    groups of the sorted pitches, each as tight as may be (Otsu's split). Where rows also stand in groups
    set further apart, the lowest split that divides two groups OCR_ROW_PITCH_SHARE apart is the one; where
    no split does, the table has one pitch and infinity is returned (rows are told otherwise)."""
    values = sorted(pitches)
    best = None
    while len(values) >= 2:
        n, total, squares = len(values), sum(values), sum(v * v for v in values)
        split, s1, s2 = None, 0.0, 0.0
        for k in range(1, n):  # sums of the lower part kept as k grows: each split in constant time
            s1, s2 = s1 + values[k - 1], s2 + values[k - 1] ** 2
            ml, mh = s1 / k, (total - s1) / (n - k)
            spread = (s2 - k * ml * ml) + (squares - s2 - (n - k) * mh * mh)
            if split is None or spread < split[0]:
                split = (spread, k, ml, mh)
        _, k, ml, mh = split
        if mh < ml * (1 + OCR_ROW_PITCH_SHARE) or mh - ml < ROW_GAP_POINTS:
            break
        best = (values[k - 1] + values[k]) / 2
        values = values[:k]
    return best if best is not None else float("inf")


def _pitches(lines: list[Line], body: list[int]) -> Callable[[Line, Line], float]:
    """The distance from baseline to baseline (`line_foot`) of two lines of a table read by OCR. A word far
    taller than the table's words (Tesseract took in a speck or a shade's edge below it) or read unsurely
    tells nothing of where its line stands; a line with no other word is taken to stand the usual pitch
    below the line above, as a wrapped line of its cell does."""
    body_lines = [lines[i] for i in body]
    heights = [w.bottom - w.top for ln in body_lines for w in words_of(ln) if w.conf is not None]
    tallest = TALL_WORD * median(heights) if heights else None
    feet = {id(ln): line_foot(ln, tallest) for ln in body_lines}
    sure = {id(ln): any(foot_sure(w, tallest) for w in words_of(ln)) for ln in body_lines}
    pairs = list(zip(body_lines, body_lines[1:], strict=False))
    known = [feet[id(b)] - feet[id(a)] for a, b in pairs if a.page == b.page and sure[id(a)] and sure[id(b)]]
    usual = median(known) if known else None
    for a, b in pairs:
        if usual is not None and a.page == b.page and not sure[id(b)]:
            feet[id(b)] = feet[id(a)] + usual

    def pitch(upper: Line, lower: Line) -> float:
        return feet[id(lower)] - feet[id(upper)]

    return pitch


def _starts_entry(text: str) -> bool:
    """Where rows are not set apart by space: a key-column text that starts a new entry, not the wrapped
    rest of the one above ('(Skolpiloter)', 'vägledning')."""
    text = text.strip()
    # OCR specks (":", "=:") in the key column start nothing
    return bool(text) and (text[0].isalnum() or text[0] in "•*\"'«") and not text[0].islower()


def read_tab_rows(
    lines: list[Line], n: int, key: int, furniture: set[str], names_wrap: bool = False
) -> tuple[list[tuple[list[str], int]], int]:
    """The rows of a table of text cells in text input, from its header line n, and the index after it: tab
    fields by column; a line with a blank `key` cell goes on with the row above, and so does one whose key
    cell goes on the name above (`names_wrap`: "(Skolpiloter)" or "vägledning" under "Pilotutbildningar" /
    "Studie-")."""
    width = len(lines[n].cells)
    rows: list[tuple[list[list[str]], int]] = []
    n += 1
    while n < len(lines):
        line = lines[n]
        if rows and _page_break_or_furniture(lines, n, furniture):
            n += 1  # a table running on over a page break: skip the page's end and its header/footer
            continue
        row = [c.text for c in line.cells] + [""] * (width - len(line.cells))
        filled = [k for k, t in enumerate(row) if t.strip()]
        if not filled or len(line.cells) < 2:
            break
        name = row[key].strip() if key < len(row) else ""
        others = [k for k in filled if k != key]
        name_goes_on = names_wrap and bool(name) and (name[0] in "(-–" or name[0].islower())
        if rows and (not name or not others or name_goes_on):
            texts, _ = rows[-1]
            if name:
                texts[key] = [join_wrapped([*texts[key], name])]
            for k in others:
                texts[k].append(row[k])
        else:
            rows.append(([[t] if t.strip() else [] for t in row], line.page))
        n += 1
    return [([" ".join(t) for t in texts], page) for texts, page in rows], n


def _page_break_or_furniture(lines: list[Line], n: int, furniture: set[str]) -> bool:
    """A running header, footer or page number, or the empty space of a page break (the content before and
    after it stands on different pages)."""
    line = lines[n]
    if line.text.strip():
        return is_page_furniture(line.text, furniture)

    def content(ln: Line) -> bool:
        return bool(ln.text.strip()) and not is_page_furniture(ln.text, furniture)

    before = next((ln for ln in reversed(lines[:n]) if content(ln)), None)
    after = next((ln for ln in lines[n + 1 :] if content(ln)), None)
    return before is not None and after is not None and before.page != after.page

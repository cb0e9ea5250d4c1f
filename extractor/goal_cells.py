"""Text tables on a positioned page (PDF text layer, OCR): header columns, cells and rows by geometry.

Goal tables hold sentences, not figures, so their cells wrap over several lines, their columns may be left-,
right- or centre-aligned, and two cells of one line may stand so close that the cell splitter runs them
together ("Minst 35 % av de avslutade 31 %"). They are read word by word:

- the header: a line of two or more header cells, with the lines of its wrapped cells above or below it
  ("Resultat" over "2021", "Målupp-" over "fyllelse"); a cell that runs two header words together ("2021
  Måluppfyllelse") is split before a word that starts a column (the caller says which);
- columns: between two header columns the separator is where fewest of the table's words cross (a gutter no
  word crosses, wherever the cells are aligned); every word goes to the column its middle stands in;
- rows: cell padding leaves a wider gap between two rows than between the wrapped lines of one row, so a row
  ends at a gap clearly wider than the narrowest; where all gaps are alike, a new row starts where the key
  column (the insats column, else the first) starts a new entry;
- the table ends at prose (a line running across the columns), a line of another size (a heading), a wide
  gap, or a page whose first content is none of these rows; running headers, footers and a repeated header
  at a page break are skipped.

What the columns mean is the caller's (`extractor.goals`): this module only knows geometry.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from statistics import median

from extractor.lines import OCR_SPECK
from finsam.model import Line, Word

# A header cell holds at most this many words (a longer line above a header is its caption).
HEADER_CELL_WORDS = 4
# Header lines stand closer than this many line heights (a caption stands further off).
HEADER_LINE_GAP = 0.45
# Two rows are set apart by this much more than the narrowest gap between lines of the table (points), or
# by this share of a line height when that is more.
ROW_GAP_POINTS = 1.0
ROW_GAP_SHARE = 0.12
# ... on a page read by OCR, whose line boxes make the gaps between lines vary by a third of a line
OCR_ROW_GAP_SHARE = 0.5
# A gap this many line heights wide ends the table (on one page).
TABLE_END_GAP = 3.0
# A line whose height differs from the table's by more than this share is a heading or a footnote.
HEIGHT_TOLERANCE = 0.25
# ... on a page read by OCR, whose line boxes follow the letters (ascenders, descenders, accents: a line of
# one cell may be half as tall as the header above it), only a far larger difference tells
OCR_HEIGHT_TOLERANCE = 0.6
# A word crossing a separator by less than this (points) on either side does not cross it.
CROSS_TOLERANCE = 2.0
# A gap this many line heights wide may start a part of the table laid out anew.
PART_GAP = 1.0
# A gutter between two columns is at least this wide (points), and this many times a space inside a cell.
MIN_GUTTER = 3.0
WIDE_GAP = 1.3
# What a column left without a word costs a choice of separators (a word crossed or a gap unsplit costs 1).
EMPTY_COLUMN = 0.1
# A line of prose across a table's columns has at least this many words (a few words' gaps tell nothing).
PROSE_WORDS = 5
# Prose spaces its words evenly: no gap wider than this many times the line's usual space (and a point).
PROSE_SPACING = 1.6
# Lines scanned below a header before a table is given up.
MAX_TABLE_LINES = 400


@dataclass
class Unit:
    """A run of words on one line that belongs to one column."""

    text: str
    x0: float
    x1: float


@dataclass
class GridColumn:
    header: str  # as printed, wrapped lines joined
    x0: float
    x1: float


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


def words_of(line: Line) -> list[Word]:
    """A line's words left to right. Cells read without word boxes (text laid out by hand, tests) are
    dealt out over the cell's width by character count."""
    out: list[Word] = []
    for cell in line.cells:
        if cell.words:
            # OCR specks: a word of punctuation only, read from a page image (";" after "Förbundets")
            out.extend(
                w
                for w in cell.words
                if w.text.strip() and not (w.conf is not None and OCR_SPECK.match(w.text))
            )
            continue
        text = cell.text
        if not text.strip():
            continue
        width = (cell.x1 - cell.x0) / max(1, len(text))
        for m in re.finditer(r"\S+", text):
            out.append(Word(m.group(0), cell.x0 + m.start() * width, cell.x0 + m.end() * width, line.top,
                            line.bottom))  # fmt: skip
    out.sort(key=lambda w: w.x0)
    return out


def units_of(line: Line, starts_column: Callable[[str, str], bool]) -> list[Unit]:
    """A line's cells, each split before a word that starts a column of its own."""
    units: list[Unit] = []
    for cell in line.cells:
        if not cell.text.strip():
            continue
        words = words_of(Line(line.page, line.index, [cell], line.top, line.bottom))
        current: list[Word] = []
        for w in words:
            if current and starts_column(current[-1].text, w.text):
                units.append(_unit(current))
                current = []
            current.append(w)
        if current:
            units.append(_unit(current))
    return units


def _unit(words: list[Word]) -> Unit:
    return Unit(" ".join(w.text for w in words), words[0].x0, words[-1].x1)


def _height(line: Line) -> float:
    return line.bottom - line.top


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return min(a1, b1) - max(a0, b0)


def join_wrapped(parts: list[str]) -> str:
    """Wrapped lines of a cell as one text; a word broken at a hyphen ('Målupp-' + 'fyllelse') is joined."""
    text = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if text.endswith("-") and part[:1].islower() and text[-2:-1].isalpha():
            text = text[:-1] + part
        else:
            text = f"{text} {part}" if text else part
    return text


# ---------------------------------------------------------------------------------------------- header


@dataclass
class HeaderSpec:
    """What the caller knows about its tables' headers."""

    # the header texts (left to right) make a header of this kind of table: anything but None
    accepts: Callable[[list[str]], object | None]
    # a header word starts a new column after the word before it in the same cell
    starts_column: Callable[[str, str], bool]
    # a cheap test on a line's text before any geometry is tried
    maybe: Callable[[str], bool]
    # a header line below the main one holds only such cells ("2021", "(tkr)", "fyllelse")
    continues: Callable[[str], bool]


def _same_page_neighbour(lines: list[Line], n: int, step: int) -> int | None:
    k = n + step
    while 0 <= k < len(lines) and not lines[k].cells:
        if lines[k].index != -1 or lines[k].page != lines[n].page:
            return None
        k += step  # a paragraph-gap marker between two lines of one page
    if 0 <= k < len(lines) and lines[k].page == lines[n].page and lines[k].cells:
        return k
    return None


def _gap(upper: Line, lower: Line) -> float:
    return lower.top - upper.bottom


def find_header(
    lines: list[Line], n: int, spec: HeaderSpec
) -> tuple[list[GridColumn], int, int, object] | None:
    """The header whose main line (two or more cells) is line n: its columns, first and end line indexes,
    and what `spec.accepts` said of it; None when line n is no such header."""
    main = lines[n]
    units = units_of(main, spec.starts_column)
    if len(units) < 2:
        return None
    height = _height(main) or 10.0
    columns: list[list[tuple[int, Unit]]] = [[(n, u)] for u in units]

    def attach(k: int, extra: list[Unit]) -> None:
        for u in extra:
            best = max(range(len(columns)), key=lambda c: _overlap(u.x0, u.x1, *_span(columns[c])))
            if _overlap(u.x0, u.x1, *_span(columns[best])) > 0:
                columns[best].append((k, u))
            else:
                columns.append([(k, u)])

    def fits(extra: list[Unit]) -> bool:
        return bool(extra) and all(
            len(u.text.split()) <= HEADER_CELL_WORDS
            and any(_overlap(u.x0, u.x1, *_span(col)) > 0 for col in columns)
            for u in extra
        )

    start, end = n, n + 1
    k = n
    for _ in range(2):  # wrapped header cells above the main line (a header aligned to the bottom)
        above = _same_page_neighbour(lines, k, -1)
        if above is None or _gap(lines[above], lines[k]) > HEADER_LINE_GAP * height:
            break
        extra = units_of(lines[above], spec.starts_column)
        if not fits(extra) or re.match(r"(?i)\s*(?:tabell|figur|bilaga|diagram)\b", lines[above].text):
            break
        attach(above, extra)
        start = k = above
    k = n
    for _ in range(2):  # and below it (aligned to the top): years, units, the rest of a hyphenated word
        below = _same_page_neighbour(lines, k, 1)
        if below is None or _gap(lines[k], lines[below]) > HEADER_LINE_GAP * height:
            break
        extra = units_of(lines[below], spec.starts_column)
        if not fits(extra) or not all(spec.continues(u.text) for u in extra):
            break
        attach(below, extra)
        end = below + 1
        k = below
    columns.sort(key=lambda col: _span(col)[0])
    texts = [join_wrapped([u.text for _, u in sorted(col, key=lambda p: (p[0], p[1].x0))]) for col in columns]
    verdict = spec.accepts(texts)
    if verdict is None:
        return None
    out = [GridColumn(t, *_span(col)) for t, col in zip(texts, columns, strict=True)]
    return out, start, end, verdict


def _span(col: list[tuple[int, Unit]]) -> tuple[float, float]:
    return min(u.x0 for _, u in col), max(u.x1 for _, u in col)


# ---------------------------------------------------------------------------------------------- columns


def separators(columns: list[GridColumn], lines: list[list[Word]], space: float) -> list[float]:
    """The separators between the header columns for the body lines given (their words): each in the
    stretch between its two header cells, all chosen together so that they cross as few words and leave
    as few wide gaps between two words of a line unsplit as they can (a wide gap is a gutter; cells may be
    left-, right- or centre-aligned, so a gutter is not always the widest stretch without words)."""
    intervals = [(left.x1, right.x0) for left, right in zip(columns, columns[1:], strict=False)]
    return fit(intervals, lines, space, None)


def refit(seps: list[float], lines: list[list[Word]], space: float) -> list[float]:
    """Separators fitted to another part of a table (laid out anew): each between its neighbours' old
    places; one that finds nothing better stays where it was."""
    if not any(lines):
        return seps
    lo = min(w.x0 for ws in lines for w in ws) - 1
    hi = max(w.x1 for ws in lines for w in ws) + 1
    bounds = [min(lo, seps[0] - 1), *seps, max(hi, seps[-1] + 1)]
    intervals = [(bounds[i], bounds[i + 2]) for i in range(len(seps))]
    return fit(intervals, lines, space, seps)


def fit(
    intervals: list[tuple[float, float]], lines: list[list[Word]], space: float, priors: list[float] | None
) -> list[float]:
    """One x in each interval, increasing, that crosses the fewest words and leaves the fewest wide gaps
    (between two words of one line, wider than a space) without a separator; then the widest stretch."""
    words = [w for ws in lines for w in ws]
    wide = _wide_gaps(lines, space)
    options: list[list[tuple[float, float]]] = []  # (x, cost of x alone)
    for i, (lo, hi) in enumerate(intervals):
        if hi <= lo:
            options.append([((lo + hi) / 2, 0.0)])
            continue
        inside = [(w.x0, w.x1) for w in words if w.x1 > lo and w.x0 < hi]
        edges = sorted({lo, hi, *(x for a, b in inside for x in (a, b) if lo < x < hi)})
        opts = []
        for a, b in zip(edges, edges[1:], strict=False):
            mid = (a + b) / 2
            crossed = sum(1 for x0, x1 in inside if x0 < mid < x1)
            # a tie goes to the wider stretch, or in a part laid out anew to the one nearer the old place
            tie = min(abs(mid - priors[i]), 50.0) if priors is not None else -min(b - a, 50.0)
            opts.append((mid, crossed + tie / 1000.0))
        least = min(c for _, c in opts)
        options.append([o for o in opts if o[1] <= least + 2])
    xs = sorted((w.x0 + w.x1) / 2 for w in words)

    def unsplit(x0: float, x1: float) -> float:
        """Wide gaps lying wholly between two chosen separators (or a table edge), which no separator
        splits; and a column left without a word, which a gutter split twice leaves."""
        gaps = sum(1 for a, b in wide if x0 < a and b < x1)
        empty = EMPTY_COLUMN if x0 > float("-inf") and not _any_between(xs, x0, x1) else 0.0
        return gaps + empty

    # dynamic programming over the separators, left to right
    table: list[list[tuple[float, list[float]]]] = []
    for i, opts in enumerate(options):
        row = []
        for x, cost in opts:
            if i == 0:
                row.append((cost + unsplit(float("-inf"), x), [x]))
                continue
            before = [(c + unsplit(p[-1], x), p) for c, p in table[i - 1] if p[-1] < x]
            if not before:
                continue
            c, path = min(before, key=lambda t: t[0])
            row.append((c + cost, [*path, x]))
        if not row:  # intervals out of order: each on its own
            row = [(cost, [*(table[i - 1][0][1] if i else []), x]) for x, cost in opts[:1]]
        table.append(row)
    if not table:
        return []
    _, best = min(((c + unsplit(p[-1], float("inf")), p) for c, p in table[-1]), key=lambda t: t[0])
    return best


def _any_between(xs: list[float], x0: float, x1: float) -> bool:
    k = bisect.bisect_right(xs, x0)
    return k < len(xs) and xs[k] < x1


def _wide_gaps(lines: list[list[Word]], space: float) -> list[tuple[float, float]]:
    out = []
    for words in lines:
        for a, b in zip(words, words[1:], strict=False):
            if b.x0 - a.x1 >= space:
                out.append((a.x1, b.x0))
    return out


def space_width(lines: list[Line]) -> float:
    """How wide a gap between two words must be to be a gutter: well over the spaces inside cells."""
    gaps = []
    for line in lines:
        for cell in line.cells:
            ws = cell.words
            gaps.extend(b.x0 - a.x1 for a, b in zip(ws, ws[1:], strict=False) if b.x0 > a.x1)
    if not gaps:
        return MIN_GUTTER
    return max(MIN_GUTTER, WIDE_GAP * median(gaps))


def column_at(x: float, seps: list[float]) -> int:
    return sum(1 for s in seps if x > s)


def line_cells(line: Line, seps: list[float]) -> list[str]:
    """A line's text in each column: every word in the column its middle stands in."""
    out: list[list[str]] = [[] for _ in range(len(seps) + 1)]
    for w in words_of(line):
        out[column_at((w.x0 + w.x1) / 2, seps)].append(w.text)
    return [" ".join(ws) for ws in out]


def crosses(line: Line, seps: list[float]) -> int:
    """How many separators a line's words run across (prose does; cells do not)."""
    count = 0
    for s in seps:
        if any(w.x0 < s - CROSS_TOLERANCE and w.x1 > s + CROSS_TOLERANCE for w in words_of(line)):
            count += 1
    return count


# ---------------------------------------------------------------------------------------------- body


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
    height = median(_height(ln) for ln in header_lines) or 10.0
    header_texts = {" ".join(ln.text.split()).casefold() for ln in header_lines}
    ocr = any(w.conf is not None for ln in header_lines for w in words_of(ln))
    tolerance = OCR_HEIGHT_TOLERANCE if ocr else HEIGHT_TOLERANCE
    body: list[int] = []
    k = header_end
    last = header_end - 1
    while k < len(lines) and len(body) < MAX_TABLE_LINES:
        line = lines[k]
        if not line.cells or is_furniture(line):
            k += 1
            continue
        prev = lines[last]
        new_page = line.page != prev.page
        top_of_page = new_page or (header_end <= last and last not in body)  # nothing of the body yet
        if top_of_page and line.page != lines[start].page and _repeats_header(line, header_texts):
            k += 1
            last = k - 1  # the header repeated on a new page, over one or more lines
            continue
        if not new_page and _gap(prev, line) > TABLE_END_GAP * height:
            break
        if abs(_height(line) - height) > tolerance * height:
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


def _parts(lines: list[Line], body: list[int], height: float) -> list[list[int]]:
    """A table's body split where it may be laid out anew: at a page break, and at a gap of a line height
    or more (a typesetter that starts a new table at a row of text cells sizes its columns anew)."""
    parts: list[list[int]] = []
    for i in body:
        if parts:
            prev = lines[parts[-1][-1]]
            if lines[i].page == prev.page and _gap(prev, lines[i]) < PART_GAP * height:
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
    gaps = [
        _gap(lines[a], lines[b])
        for a, b in zip(body, body[1:], strict=False)
        if lines[a].page == lines[b].page
    ]
    narrow = min(gaps) if gaps else 0.0
    threshold = narrow + max(ROW_GAP_POINTS, (OCR_ROW_GAP_SHARE if ocr else ROW_GAP_SHARE) * height)
    by_gap = any(g > threshold for g in gaps)
    groups: list[list[int]] = [[body[0]]]
    for a, b in zip(body, body[1:], strict=False):
        if lines[a].page != lines[b].page:
            groups.append([b])  # decided below: a row may run on over the break
            continue
        if by_gap:
            new = _gap(lines[a], lines[b]) > threshold
        else:
            new = _starts_entry(cells[b][key] if key < len(cells[b]) else "")
        if new:
            groups.append([b])
        else:
            groups[-1].append(b)
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


def _starts_entry(text: str) -> bool:
    """Where rows are not set apart by space: a key-column text that starts a new entry, not the wrapped
    rest of the one above ('(Skolpiloter)', 'vägledning')."""
    text = text.strip()
    # OCR specks (":", "=:") in the key column start nothing
    return bool(text) and (text[0].isalnum() or text[0] in "•*\"'«") and not text[0].islower()

"""Tables of text cells (the grid reader, extractor.grid), step 1: the header band on a positioned page (PDF text
layer, OCR).

Such a table's header (a goal table's: "Insats | Mål | Resultat | Måluppfyllelse") is a line of two or more
header cells (the main line), with the lines of its wrapped cells above or below it ("Resultat" over "2021",
"Målupp-" over "fyllelse"): a line within a fraction of a line height of the main line whose cells are short
and stand over the main line's cells. A cell that runs two header words together ("2021 Måluppfyllelse") is
split before a word that starts a column (the caller says which, in a `HeaderSpec`). `find_header` gives the
header's columns (`GridColumn`: text and x extent); what the columns mean is the caller's (for goal tables,
extractor.goal_columns).

Also here: a line's words (`words_of`), which every step of the grid reader reads, with the OCR specks of the
table reader (extractor.lines.OCR_SPECK) left out word by word.

What it shares with the table reader, and why the rest is its own: a word of a wrapped header line goes to the
column it overlaps most, as a figure does (extractor.header.column_of), and a cell's wrapped lines are joined
as a table header's are (extractor.wraps.join_wrapped). But the table reader tells its header lines by what
they hold — the leading lines of a block with no plain figure (extractor.blocks) — and places their words in
the zones of the figure columns clustered from the rows below (extractor.header). A table of text cells holds
words, often no figure at all, so neither tells here: the header is the line whose cells the caller's
`HeaderSpec` accepts, and its other lines are those set as close to it as the lines of one cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from extractor.header import column_of
from extractor.lines import OCR_SPECK
from extractor.wraps import join_wrapped, line_gap, line_height
from finsam.model import Line, Word

# A header cell holds at most this many words (a longer line above a header is its caption).
HEADER_CELL_WORDS = 4
# Header lines stand closer than this many line heights (a caption stands further off).
HEADER_LINE_GAP = 0.45


@dataclass
class Unit:
    """A run of words on one line that belongs to one column."""

    text: str
    x0: float
    x1: float
    words: tuple[Word, ...] = ()


@dataclass
class GridColumn:
    header: str  # as printed, wrapped lines joined
    x0: float
    x1: float


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


def _unit(words: list[Word] | tuple[Word, ...]) -> Unit:
    return Unit(" ".join(w.text for w in words), words[0].x0, words[-1].x1, tuple(words))


# A word of the main line starting this close (points) to where a header cell of the line above starts,
# after a gap, starts that cell's column.
SAME_START = 2.0


def split_under(units: list[Unit], above: list[Unit]) -> list[Unit]:
    """The main line's units, each cut where the cells of a wrapped header line above it split: a narrow
    column's header words run together on the main line under two header cells ("Resultat" and
    "Måluppfyll" above "2021 else", the rest of "Måluppfyll-else") are two cells, cut at the gap between
    their words that lies under the gap between the two cells above. So is a unit one of whose words,
    after a gap, starts where a cell above starts: "Resultat 2021 e" under "Måluppfyllels", whose column
    the "e" begins (left-aligned columns start their header lines at one x)."""
    out: list[Unit] = []
    for unit in units:
        over = sorted((a for a in above if _overlap(a.x0, a.x1, unit.x0, unit.x1) > 0), key=lambda a: a.x0)
        words = list(unit.words)
        cuts: set[int] = set()
        start = 0
        for left, right in zip(over, over[1:], strict=False):
            cut = next(
                (
                    i
                    for i in range(start + 1, len(words))
                    if words[i - 1].x1 <= right.x0 and words[i].x0 >= left.x1
                ),
                None,
            )
            if cut is not None:
                cuts.add(cut)
                start = cut
        for a in over:
            cuts.update(
                i
                for i in range(1, len(words))
                if abs(words[i].x0 - a.x0) <= SAME_START and words[i - 1].x1 < a.x0 - SAME_START
            )
        if not cuts:
            out.append(unit)
            continue
        bounds = [0, *sorted(cuts), len(words)]
        out.extend(_unit(words[i:j]) for i, j in zip(bounds, bounds[1:], strict=False))
    return out


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return min(a1, b1) - max(a0, b0)


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


def find_header(
    lines: list[Line], n: int, spec: HeaderSpec
) -> tuple[list[GridColumn], int, int, object] | None:
    """The header whose main line (two or more cells) is line n: its columns, first and end line indexes,
    and what `spec.accepts` said of it; None when line n is no such header."""
    main = lines[n]
    units = units_of(main, spec.starts_column)
    if len(units) < 2:
        return None
    height = line_height(main) or 10.0
    above = _same_page_neighbour(lines, n, -1)
    if above is not None and line_gap(lines[above], main) <= HEADER_LINE_GAP * (line_height(main) or 10.0):
        units = split_under(units, units_of(lines[above], spec.starts_column))
    columns: list[list[tuple[int, Unit]]] = [[(n, u)] for u in units]

    def attach(k: int, extra: list[Unit]) -> None:
        for u in extra:  # to the column it overlaps most, as a figure of a table (a new one if none)
            spans = [_span(col) for col in columns]
            best = column_of((u.x0, u.x1), spans)
            if _overlap(u.x0, u.x1, *spans[best]) > 0:
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
        if above is None or line_gap(lines[above], lines[k]) > HEADER_LINE_GAP * height:
            break
        extra = units_of(lines[above], spec.starts_column)
        if not fits(extra) or re.match(r"(?i)\s*(?:tabell|figur|bilaga|diagram)\b", lines[above].text):
            break
        attach(above, extra)
        start = k = above
    k = n
    for _ in range(2):  # and below it (aligned to the top): years, units, the rest of a hyphenated word
        below = _same_page_neighbour(lines, k, 1)
        if below is None or line_gap(lines[k], lines[below]) > HEADER_LINE_GAP * height:
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

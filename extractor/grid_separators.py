"""Tables of text cells (the grid reader, extractor.grid), step 2: the columns of the body, as separators between
the header's columns.

Such tables (goal tables) hold sentences, not figures, so their cells wrap over several lines, their columns
may be left-, right- or centre-aligned, and two cells of one line may stand so close that the cell splitter
runs them together ("Minst 35 % av de avslutade 31 %"). Between two header columns the separator is where
fewest of the table's words cross and fewest wide gaps between two words of a line are left unsplit (a gutter
no word crosses, wherever the cells are aligned), all separators chosen together (`separators`; `refit` for a
part of the table laid out anew); every word then goes to the column its middle stands in (`line_cells`).

This is not the table reader's column assignment (extractor.header): there a column is the cluster of its
figures' x extents, aligned on one edge, and a header word goes to the zone that alignment gives it. A text
cell wraps to any width and aligns any way, so its column's extent is only known from the gutters beside it.
"""

from __future__ import annotations

import bisect
from statistics import median

from extractor.grid_header import GridColumn, words_of
from finsam.model import Line, Word

# A word crossing a separator by less than this (points) on either side does not cross it.
CROSS_TOLERANCE = 2.0
# A gutter between two columns is at least this wide (points), and this many times a space inside a cell.
MIN_GUTTER = 3.0
WIDE_GAP = 1.3
# What a column left without a word costs a choice of separators (a word crossed or a gap unsplit costs 1).
EMPTY_COLUMN = 0.1


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

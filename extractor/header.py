"""Table reading, step 3: the header band and column assignment of a positioned (PDF/OCR) block.

Figure columns are found by clustering the figures' x extents (`FigureColumn`, aligned right, left or
centred); each line's cells are then put into the label column and the figure columns by position —
figures by their extent, header words by the column's header zone — with figures a gap split in two joined
back, cells over several columns dealt out word by word, and a header wrapped over several lines joined.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from extractor.blocks import Block
from extractor.lines import CellQuality, DocLine, cell_quality, is_figure_run
from extractor.numbers import parse_number, split_number_tail
from extractor.settings import SETTINGS
from finsam.misreads import share_before_misread

_EDGE_TOLERANCE = 1.5  # a text layer's words end (or start) on their column's edge to a fraction of a point


class FigureColumn(NamedTuple):
    """A figure column of a positioned table: its x extent and how its figures are aligned."""

    x0: float
    x1: float
    aligned: str = "right"  # "right", "left" or "center"
    # the edges ("left", "right") on which all its figures stand: both when they are all as wide, so
    # right-aligned on a tie says nothing about where its header words start
    flush: tuple[str, ...] = ()

    @classmethod
    def of(cls, spans: list[tuple[float, float]]) -> FigureColumn:
        spreads = {
            "right": _spread([s[1] for s in spans]),
            "left": _spread([s[0] for s in spans]),
            "center": _spread([(s[0] + s[1]) / 2 for s in spans]),
        }
        aligned = min(spreads, key=lambda k: (spreads[k], k != "right"))
        flush = tuple(side for side in ("left", "right") if spreads[side] <= _EDGE_TOLERANCE)
        return cls(min(s[0] for s in spans), max(s[1] for s in spans), aligned, flush)

    def aligns(self, span: tuple[float, float]) -> bool:
        """A span stands where this column's figures stand (by the column's own alignment)."""
        tol = SETTINGS.column_tolerance
        if self.aligned == "left":
            return abs(span[0] - self.x0) <= tol
        if self.aligned == "center":
            return abs((span[0] + span[1]) / 2 - (self.x0 + self.x1) / 2) <= tol
        return abs(span[1] - self.x1) <= tol

    def ends_in(self, span: tuple[float, float]) -> bool:
        """A span (a label run into its first figure) ends where this column's figures end."""
        if self.aligned == "right":
            return abs(span[1] - self.x1) <= SETTINGS.column_tolerance
        return self.x0 < span[1] <= self.x1 + SETTINGS.column_tolerance


def _spread(values: list[float]) -> float:
    return max(values) - min(values) if values else 0.0


def _overlap_clusters(
    figures: list[tuple[int, tuple[float, float]]],
) -> list[list[tuple[float, float]]] | None:
    """Spans grouped by horizontal overlap; None when a group would hold two figures of the same line."""
    clusters: list[list[tuple[float, float]]] = []
    rows: list[set[int]] = []
    right = float("-inf")
    for line, span in sorted(figures, key=lambda f: f[1][0]):
        if clusters and span[0] < right:
            if line in rows[-1]:
                return None
            clusters[-1].append(span)
            rows[-1].add(line)
            right = max(right, span[1])
        else:
            clusters.append([span])
            rows.append({line})
            right = span[1]
    return clusters


def _without_run_together(
    figures: list[tuple[int, tuple[float, float]]],
) -> list[tuple[int, tuple[float, float]]]:
    """The figures less those that span two or more columns of the others: the figures of a row set too
    tight for the cell splitter ("8 684 000 13 120 000"), which are dealt out by their words later."""
    if len(figures) < 4:
        return figures
    widths = sorted(b - a for _, (a, b) in figures)
    wide = 2.0 * widths[len(widths) // 2]
    narrow = [f for f in figures if f[1][1] - f[1][0] <= wide]
    clusters = _overlap_clusters(narrow)
    if clusters is None:
        return figures
    extents = [(min(a for a, _ in c), max(b for _, b in c)) for c in clusters]

    def spans_columns(span: tuple[float, float]) -> bool:
        return sum(1 for a, b in extents if min(span[1], b) - max(span[0], a) > 0) >= 2

    return [f for f in figures if f[1][1] - f[1][0] <= wide or not spans_columns(f[1])]


def _right_edge_clusters(spans: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    clusters: list[list[tuple[float, float]]] = []
    for span in sorted(spans, key=lambda s: s[1]):
        if clusters and span[1] - clusters[-1][-1][1] <= SETTINGS.column_tolerance:
            clusters[-1].append(span)
        else:
            clusters.append([span])
    return clusters


def header_zones(columns: list[FigureColumn]) -> list[tuple[float, float]]:
    """Where each column's header words stand, by the column's alignment: a right-aligned header runs left
    of its figures up to the column before, a left-aligned one right up to the next, a centred one halfway
    either way."""
    zones = []
    for i, c in enumerate(columns):
        before = columns[i - 1].x1 if i else float("-inf")
        after = columns[i + 1].x0 if i + 1 < len(columns) else float("inf")
        if c.aligned == "left":
            zones.append((c.x0 - SETTINGS.column_tolerance, after))
        elif c.aligned == "center":
            zones.append(((before + c.x0) / 2, (c.x1 + after) / 2))
        else:
            zones.append((before, c.x1 + SETTINGS.column_tolerance))
    return zones


def header_column(span: tuple[float, float], columns: list[FigureColumn]) -> int:
    """The column a header word or cell belongs to: the one whose header zone holds its centre (the
    nearest right edge, centre or left edge when no zone, or more than one, does)."""
    mid = (span[0] + span[1]) / 2
    holding = [k for k, (a, b) in enumerate(header_zones(columns)) if a <= mid <= b]
    if len(holding) == 1:
        return holding[0]

    def distance(k: int) -> float:
        c = columns[k]
        return min(abs(c.x1 - span[1]), abs((c.x0 + c.x1) / 2 - mid), abs(c.x0 - span[0]))

    return min(holding or range(len(columns)), key=distance)


def column_of(span: tuple[float, float], columns: list[FigureColumn]) -> int:
    """The column a figure belongs to: the one its span overlaps most, else the nearest."""

    def overlap(c: tuple[float, float]) -> float:
        return min(span[1], c[1]) - max(span[0], c[0])

    best = max(range(len(columns)), key=lambda k: overlap(columns[k]))
    if overlap(columns[best]) > 0:
        return best
    return min(range(len(columns)), key=lambda k: -overlap(columns[k]))


def figure_columns(lines: list[DocLine], block: Block) -> tuple[list[FigureColumn], float]:
    """Figure columns of a positioned block as x extents, and the right edge of the label column. Figures
    whose spans overlap are one column, however the column is aligned (right, left or centred); where that
    would put two figures of one line together (columns set too tight), right edges decide instead."""
    figures: list[tuple[int, tuple[float, float]]] = []
    label_right = 0.0
    numeric_labels: list[tuple[float, float]] = []  # years as labels ("2011" … "2014")
    for r in block.rows:
        for k, (text, span, _) in enumerate(merged_fragments(lines[r])):
            if k > 0 and (parse_number(text) is not None or share_before_misread(text)):
                figures.append((r, span))  # a share whose percent sign OCR misread stands in its column too
            elif k == 0 and text:
                if parse_number(text) is None:
                    label_right = max(label_right, span[1])
                else:
                    numeric_labels.append(span)
    clusters = _overlap_clusters(_without_run_together(figures))
    if clusters is None:
        clusters = _right_edge_clusters([span for _, span in figures])
    if len(block.rows) >= 3:  # a lone stray edge is a split figure's fragment, unless a header stands over it
        heads = [
            span
            for h in block.header
            for span, text in zip(lines[h].spans, lines[h].cells, strict=False)
            if text
        ]

        def headed(c: list[tuple[float, float]]) -> bool:
            x0, x1 = min(s[0] for s in c), max(s[1] for s in c)
            return any(
                abs(h1 - x1) <= SETTINGS.column_tolerance or h0 <= (x0 + x1) / 2 <= h1 for h0, h1 in heads
            )

        strong = [c for c in clusters if len(c) >= 2 or headed(c)]
        clusters = strong or clusters
    columns = _aligned_alike([FigureColumn.of(c) for c in clusters], clusters)
    if columns:
        # a first cell that is a figure is a label where it stands apart, left of every figure column (the
        # years of a table whose rows are years); where it stands in the first column, it is a figure
        for span in numeric_labels:
            if span[1] < columns[0].x0 and not any(c.aligns(span) for c in columns):
                label_right = max(label_right, span[1])
        label_right = min(label_right, columns[0].x0 - 1)
    return columns, label_right


def _aligned_alike(
    columns: list[FigureColumn], clusters: list[list[tuple[float, float]]]
) -> list[FigureColumn]:
    """A column whose figures are all about as wide ("0", "3", "3") is as flush on one edge as on the other,
    so its own figures cannot say how it is aligned (right, by default); a table sets its figure columns
    alike, so such a column takes the alignment that every column whose figures do say agrees on ("10"
    under "5" and "4" starting where they start: left). Header words are dealt out by it: "Till arbete" over
    a left-aligned column is that column's, not half the next one's."""
    ambiguous = [
        abs(_spread([s[0] for s in spans]) - _spread([s[1] for s in spans])) <= _EDGE_TOLERANCE
        for spans in clusters
    ]
    told = {c.aligned for c, unsure in zip(columns, ambiguous, strict=True) if not unsure}
    if len(told) != 1 or not any(ambiguous):
        return columns
    (aligned,) = told
    return [
        c._replace(aligned=aligned) if unsure else c for c, unsure in zip(columns, ambiguous, strict=True)
    ]


_FRAGMENT_HEAD = re.compile(r"^[-−–(]?\d{1,4}$")


_FRAGMENT_TAIL = re.compile(r"^\d{3}(?:,\d+)?\)?$")


def merged_fragments(
    ln: DocLine, columns: list[FigureColumn] | None = None
) -> list[tuple[str, tuple[float, float], CellQuality]]:
    """The line's cells with figure fragments that a gap split ("1880" "939") joined back together: when the
    gap is narrow, or when the first fragment ends nowhere near a figure column but the second does."""
    out: list[tuple[str, tuple[float, float], CellQuality]] = []
    for n, (text, span) in enumerate(zip(ln.cells, ln.spans, strict=False)):
        quality = cell_quality(ln, n)
        if n == 0 and columns and text and any(c.ends_in(span) for c in columns):
            head = _split_label_figure(ln, text, span)
            if head:  # a label run into its first figure ("Summa 1 234") over a figure column
                out.append((head[0], head[1], quality))
                text, span = head[2], head[3]
        if n > 1 and out and _FRAGMENT_TAIL.match(text) and _FRAGMENT_HEAD.match(out[-1][0]):
            prev_text, prev_span, prev_q = out[-1]
            char = (prev_span[1] - prev_span[0]) / max(1, len(prev_text))
            # a text layer keeps a figure's thousands spaces inside its cell: a wider gap there is a
            # column gap, however narrow the columns; OCR splits figures at wider gaps
            gap = SETTINGS.fragment_gap if ln.ocr else SETTINGS.text_fragment_gap
            narrow = span[0] - prev_span[1] <= gap * max(char, 1.0)
            stray = bool(columns) and not any(c.aligns(prev_span) for c in columns or [])
            if narrow or stray:
                out[-1] = (f"{prev_text} {text}", (prev_span[0], span[1]), prev_q.join(quality))
                continue
        out.append((text, span, quality))
    return out


def _split_label_figure(
    ln: DocLine, text: str, span: tuple[float, float]
) -> tuple[str, tuple[float, float], str, tuple[float, float]] | None:
    """(label, its span, figure, its span) when a first cell ends in a figure, else None."""
    label, figures = split_number_tail(text, 1)
    if not figures or not re.search(r"[A-Za-zÅÄÖåäö]", label):
        return None
    words = ln.line.cells[0].words if ln.line is not None and ln.line.cells else []
    n_fig = len(figures[0].split())
    if len(words) > n_fig and " ".join(w.text for w in words[-n_fig:]) == figures[0]:
        lab, fig = words[:-n_fig], words[-n_fig:]
        return label, (lab[0].x0, lab[-1].x1), figures[0], (fig[0].x0, fig[-1].x1)
    return None


def _spread_figures(
    ln: DocLine, span: tuple[float, float], columns: list[FigureColumn]
) -> list[tuple[int, str]] | None:
    """A cell over two or more figure columns whose words are figures ("8 684 000 13 120 000"): its words
    dealt out to the columns they stand in, or None when it is one column's figure."""
    if ln.line is None or len(columns) < 2:
        return None
    words = [w for w in ln.line.words if span[0] - 0.5 <= (w.x0 + w.x1) / 2 <= span[1] + 0.5]
    if (by_ends := _figures_by_edges(sorted(words, key=lambda w: w.x0), columns)) is not None:
        return by_ends
    groups: dict[int, list[str]] = {}
    for w in sorted(words, key=lambda w: w.x0):
        groups.setdefault(column_of((w.x0, w.x1), columns), []).append(w.text)
    if len(groups) < 2:
        return None
    out = [(k, " ".join(texts)) for k, texts in sorted(groups.items())]
    return out if all(parse_number(text) is not None for _, text in out) else None


def _edge_column(word, columns: list[FigureColumn], side: str) -> int | None:
    """The column whose figures are flush on `side` ("right" or "left") where `word` ends (starts)."""
    at = (lambda c: abs(c.x1 - word.x1)) if side == "right" else (lambda c: abs(c.x0 - word.x0))
    return next((k for k, c in enumerate(columns) if side in c.flush and at(c) <= _EDGE_TOLERANCE), None)


def _cut_at_right_edges(words: list, columns: list[FigureColumn]) -> list[tuple[int, str]] | None:
    """Words of right-aligned cells run together, cut where a word ends on the right edge that all of a
    column's figures end on: each cell is the words after the one before, up to its column's edge. None
    unless the last word ends on an edge and the columns follow each other left to right."""
    out: list[tuple[int, str]] = []
    start = 0
    for n, w in enumerate(words):
        k = _edge_column(w, columns, "right")
        if k is None:
            continue
        if out and out[-1][0] >= k:
            return None
        if k and words[start].x0 < columns[k - 1].x1 - _EDGE_TOLERANCE:
            return None  # the cell would run over the column before, on whose edge no word of it ended
        out.append((k, " ".join(x.text for x in words[start : n + 1])))
        start = n + 1
    return out if out and start == len(words) else None


def _cut_at_left_edges(words: list, columns: list[FigureColumn]) -> list[tuple[int, str]] | None:
    """Words of left-aligned cells run together, cut where a word starts on the left edge that all of a
    column's figures start on: each cell is the words from there up to the next such word. None unless the
    first word starts on an edge and the columns follow each other left to right."""
    cuts: list[tuple[int, int]] = []  # (column, index of the cell's first word)
    for n, w in enumerate(words):
        k = _edge_column(w, columns, "left")
        if k is None:
            continue
        if cuts and cuts[-1][0] >= k:
            return None
        cuts.append((k, n))
    if not cuts or cuts[0][1] != 0:
        return None
    ends = [n for _, n in cuts[1:]] + [len(words)]
    for (k, _), end in zip(cuts, ends, strict=True):
        if k + 1 < len(columns) and words[end - 1].x1 > columns[k + 1].x0 + _EDGE_TOLERANCE:
            return None  # the cell would run over the column after, on whose edge no word of it started
    return [(k, " ".join(x.text for x in words[n:end])) for (k, n), end in zip(cuts, ends, strict=True)]


def _cut_at_edges(words: list, columns: list[FigureColumn]) -> list[tuple[int, str]] | None:
    """Words of cells run together, cut at their columns' edges (right or left, as the columns align)."""
    return _cut_at_right_edges(words, columns) or _cut_at_left_edges(words, columns)


def _figures_by_edges(words: list, columns: list[FigureColumn]) -> list[tuple[int, str]] | None:
    """Words of figures run together, cut at the columns' edges ("8 684 000 | 13 120 000"). None unless
    every word falls in a figure that reads as one number."""
    out = _cut_at_edges(words, columns)
    if out is None or len(out) < 2 or any(parse_number(text) is None for _, text in out):
        return None
    return out


def _spread_words(ln: DocLine, n: int, columns: list[FigureColumn]) -> list[tuple[int, str]] | None:
    """A header cell that stretches over several figure columns (right-aligned header words run together by
    the cell splitter: "Andel (%) Medlemsavgift Medlemsavgift"): its words dealt out to the nearest columns."""
    if ln.line is None or not columns:
        return None
    offset = len(ln.cells) - len(ln.line.cells)
    if not 0 <= n - offset < len(ln.line.cells):
        return None
    words = ln.line.cells[n - offset].words
    x0, x1 = ln.spans[n]
    covered = [k for k, c in enumerate(columns) if x0 < c[1] - 1 and c[1] <= x1 + SETTINGS.column_tolerance]
    if len(covered) < 2 or not words:
        return None

    sub = [columns[c] for c in covered]
    # header words end (or start) where their column's figures do ("2023 | Utfall 2021"): cut there,
    # before dealing word by word, which a long word halfway between two columns can send the wrong way.
    # One cell only where every column it covers has that edge, so another column's words would have cut
    # it too: "Till arbete" starting on one left edge is that column's, though it runs over the next. Not
    # over centred figures: a sign's width apart, they stand on both edges to a point and a half, and the
    # centred headers above them on neither ("2016-12-31 2015-12-31" ends on the second's edge by chance)
    centred = any(c.aligned == "center" for c in sub)
    for side, cut in (("right", _cut_at_right_edges), ("left", _cut_at_left_edges)):
        by_ends = cut(words, sub)
        if by_ends and (len(by_ends) >= 2 or (not centred and all(side in c.flush for c in sub))):
            return [(covered[k], text) for k, text in by_ends]
    out: list[tuple[int, str]] = []
    for lo, hi, group in _cut_at_zone_bounds(words, sub):
        # dealt out among the columns the cell covers only: a column beside has its own cell
        for w in group:
            k = covered[lo + header_column((w.x0, w.x1), sub[lo : hi + 1])]
            if out and out[-1][0] == k:
                out[-1] = (k, f"{out[-1][1]} {w.text}")
            else:
                out.append((k, w.text))
    return out


# A header word stands this close (points) to the bound between two columns' header zones, and still the gap
# beside it, not the word, is where one header ends and the next begins.
_BOUND_SLACK = 1.5


def _zone_bounds(left: FigureColumn, right: FigureColumn) -> tuple[float, ...]:
    """Where the headers over two neighbouring columns part, most likely first: a right-aligned header ends
    on its figures' right edge, a left-aligned one starts on their left edge, centred ones part halfway
    between; then either edge, since a few figures of like widths can pass for centred."""
    if left.aligned == "right":
        first = left.x1
    elif right.aligned == "left":
        first = right.x0
    else:
        first = (left.x1 + right.x0) / 2
    return first, left.x1, right.x0


def _cut_at_zone_bounds(words: list, columns: list[FigureColumn]) -> list[tuple[int, int, list]]:
    """The words of a header cell over several columns, in runs cut at the gaps that hold the bounds between
    the columns' header zones (`_zone_bounds`): (first column, last column, words) for each run. A run that a
    bound could not cut (a word stands across it) spans the columns on both sides, and its words are dealt
    out among those by their zones. Cutting at gaps keeps a header's words together where the zones overlap
    ("Avslutade = Till arbete": "Till" nearer the column before by its zone, though a gap sets it apart)."""
    runs: list[tuple[int, int, list]] = []
    lo, start = 0, 0
    for k in range(len(columns) - 1):
        bounds = _zone_bounds(columns[k], columns[k + 1])
        if bounds[0] <= words[start].x0 + _BOUND_SLACK:  # no word before the bound: that column has none
            lo = k + 1
            continue
        cut = next(
            (
                n
                for bound in bounds
                for n in range(max(start, 1), len(words))
                if words[n - 1].x1 - _BOUND_SLACK <= bound <= words[n].x0 + _BOUND_SLACK
            ),
            None,
        )
        if cut is None:
            if words[-1].x1 - _BOUND_SLACK <= bounds[0]:  # all the words before the bound: no more columns
                break
            continue
        runs.append((lo, k, words[start:cut]))
        lo, start = k + 1, cut
    runs.append((lo, len(columns) - 1, words[start:]))
    return [r for r in runs if r[2]]


def positioned_cells(
    ln: DocLine, columns: list[FigureColumn], label_right: float
) -> tuple[list[str], list[CellQuality]]:
    """PDF/OCR: put a line's cells into the label column and the figure columns by x position — figures by
    their right edge (they are right-aligned), headers by alignment; two fragments of one figure split by a
    gap ("1880" "939") are joined back first."""
    out = [""] * (len(columns) + 1)
    quality = [CellQuality() for _ in out]
    for n, (text, (x0, x1), q) in enumerate(merged_fragments(ln, columns)):
        if not text:
            continue
        if x1 <= label_right + 1 or (n == 0 and x0 < label_right and not parse_number(text)):
            k = 0
        elif parse_number(text) is not None or is_figure_run(text):  # or figures run together in a cell
            if (spread := _spread_figures(ln, (x0, x1), columns)) is not None:
                for c, figure in spread:
                    out[1 + c] = figure
                    quality[1 + c] = quality[1 + c].join(q)
                continue
            k = 1 + column_of((x0, x1), columns)
        elif (spread := _spread_words(ln, n, columns)) is not None:
            for c, words in spread:
                out[1 + c] = f"{out[1 + c]} {words}".strip()
            continue
        else:
            k = 1 + header_column((x0, x1), columns)
        out[k] = f"{out[k]} {text}".strip()
        quality[k] = quality[k].join(q)
    return out, quality

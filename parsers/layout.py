"""Group positioned words (from a PDF text layer or from OCR) into lines and cells.

Both pdf.py and ocr.py hand their words here, so a page reads the same way whatever its source. A line is a
run of words whose vertical centres fall in one band; a cell is a run of words on a line whose gaps are no
wider than a few spaces. A thousands separator ("1 880 939") is one space wide and stays inside its cell; a
column gap is wider and starts a new one. Table code in extractor/ refines columns further with x positions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median

from finsam.model import Cell, Line, Word


@dataclass(frozen=True)
class LayoutSettings:
    """Thresholds for grouping words, relative to the height of the words on the line."""

    line_overlap: float = 0.5  # share of a word's height that must overlap a line's band to join it
    cell_gap: float = 0.75  # a horizontal gap wider than this × word height starts a new cell
    min_cell_gap: float = 4.0  # ... but never narrower than this many points
    # ... unless the line is prose: this many words or more, their usual gap a space (narrower than the above),
    # spaced evenly (no gap wider than this many times the usual one and a point), as a justified line's are
    # ("genom att delta  i" on a scan)
    prose_words: int = 5
    prose_spacing: float = 1.6
    # OCR'd digit groups of one figure ("1" "143" of 1 143 770) may stand this much further apart than the
    # above: a box is the ink, and a narrow digit's ink ("1") leaves more of its width blank than a word's
    group_slack: float = 1.35


SETTINGS = LayoutSettings()


def group_lines(words: list[Word], page_number: int, settings: LayoutSettings = SETTINGS) -> list[Line]:
    """Words of one page → Lines of Cells in reading order (top to bottom, left to right)."""
    words = [w for w in words if w.text.strip()]
    if not words:
        return []
    rows: list[list[Word]] = []
    bands: list[tuple[float, float]] = []
    for w in sorted(words, key=lambda w: ((w.top + w.bottom) / 2, w.x0)):
        height = max(w.bottom - w.top, 1e-6)
        if rows:
            top, bottom = bands[-1]
            overlap = min(bottom, w.bottom) - max(top, w.top)
            if overlap >= settings.line_overlap * min(height, bottom - top):
                rows[-1].append(w)
                bands[-1] = (min(top, w.top), max(bottom, w.bottom))
                continue
        rows.append([w])
        bands.append((w.top, w.bottom))
    lines = []
    for index, (row, (top, bottom)) in enumerate(zip(rows, bands, strict=True)):
        lines.append(
            Line(page=page_number, index=index, cells=split_cells(row, settings), top=top, bottom=bottom)
        )
    return lines


def split_cells(words: list[Word], settings: LayoutSettings = SETTINGS) -> list[Cell]:
    """One line's words → cells, split where the gap is clearly wider than a space: wider than the words are
    high by `cell_gap`, and on a line of prose also clearly wider than its own spaces."""
    words = sorted((part for w in words for part in _split_leader(w)), key=lambda w: w.x0)
    height = median(w.bottom - w.top for w in words)
    threshold = max(settings.min_cell_gap, settings.cell_gap * height)
    gaps = [b.x0 - a.x1 for a, b in zip(words, words[1:], strict=False)]
    usual = median(gaps) if gaps else 0.0
    if (
        len(words) >= settings.prose_words
        and usual <= threshold
        and max(gaps) <= settings.prose_spacing * usual + 1
    ):
        threshold = max(threshold, max(gaps))  # words spaced evenly a space apart: a line of prose, one cell
    cells: list[list[Word]] = [[words[0]]]
    for prev, w in zip(words, words[1:], strict=False):
        gap = w.x0 - prev.x1
        if gap > threshold and not (gap <= settings.group_slack * threshold and _digit_groups(cells[-1], w)):
            cells.append([w])
        else:
            cells[-1].append(w)
    cells = [part for ws in cells for part in _split_at_speck(reading_order(ws, settings))]
    return [
        Cell(" ".join(w.text for w in ws), min(w.x0 for w in ws), max(w.x1 for w in ws), ws) for ws in cells
    ]


# a Not reference and a figure's first group that a dot leader ran together in a scan ("4..-19 794 180")
_LEADER_JOINED = re.compile(r"^(\d{1,2})\.{2,}([-−–]?\d{1,3})$")


def _split_leader(w: Word) -> list[Word]:
    """An OCR word of a Not reference, dots and a figure's lead group: the reference and the group as two
    words, each given its share of the box, the dots dropped; any other word as it is."""
    m = _LEADER_JOINED.match(w.text) if w.conf is not None else None
    if not m:
        return [w]
    note, lead = m.groups()
    share = (w.x1 - w.x0) / len(w.text)
    cut = w.x0 + share * len(note)
    start = w.x1 - share * len(lead)
    return [
        Word(note, w.x0, cut, w.top, w.bottom, w.conf, raw=w.text),
        Word(lead, start, w.x1, w.top, w.bottom, w.conf, raw=w.text),
    ]


_SPECK = frozenset({"—", "–", "=", "-", "~"})
_FIGURE_WORDS = re.compile(r"^[-−–]?\d{1,3}(?: \d{3})*(?:,\d+)?$")


def _split_at_speck(ws: list[Word]) -> list[list[Word]]:
    """A cell of two whole figures with a lone dash or speck between ("-10 345 000 — -8 459 861"): two
    cells, the speck dropped. A scan's rule or dust bridged the gap between two columns' figures; a dash
    for nil stands apart from its neighbours by a column's width, in a cell of its own."""
    texts = [w.text for w in ws]
    for k in range(1, len(ws) - 1):
        if texts[k] in _SPECK and ws[k].conf is not None:
            left, right = " ".join(texts[:k]), " ".join(texts[k + 1 :])
            if _FIGURE_WORDS.match(left) and _FIGURE_WORDS.match(right):
                return [ws[:k], ws[k + 1 :]]
    return [ws]


_LEAD_GROUP = re.compile(r"^[-−–]?\d{1,3}$")  # "1", "-5", "143": a figure's first group, or one after it
_GROUP = re.compile(r"^\d{3}(?:,\d+)?$")  # "143", "770", "100,5": a group that goes on a figure


def _digit_groups(cell: list[Word], w: Word) -> bool:
    """`w` goes on the OCR'd figure that `cell` is so far: digit groups of three after a lead of one to
    three digits ("1" + "143" + "770"), every group of the figure read from an image."""
    texts = [x.text for x in cell]
    return (
        w.conf is not None
        and all(x.conf is not None for x in cell)
        and bool(_GROUP.match(w.text))
        and bool(_LEAD_GROUP.match(texts[0]))
        and all(_GROUP.match(t) and "," not in t for t in texts[1:])
        and len(texts) < 4
    )


def reading_order(words: list[Word], settings: LayoutSettings = SETTINGS) -> list[Word]:
    """One cell's words (sorted by x) in reading order. A line's band grows as words join it, so a header
    cell printed over two lines ("Till" above "arbete") can end up on one line beside single-line cells
    centred between its two: read by x alone it says "arbete Till". Words that do not share a band with
    each other are read as sub-lines, top to bottom, each left to right."""
    if len(words) < 2:
        return words
    rows: list[list[Word]] = []
    for w in sorted(words, key=lambda w: ((w.top + w.bottom) / 2, w.x0)):
        height = max(w.bottom - w.top, 1e-6)
        for row in rows:
            top, bottom = min(x.top for x in row), max(x.bottom for x in row)
            if min(bottom, w.bottom) - max(top, w.top) >= settings.line_overlap * min(height, bottom - top):
                row.append(w)
                break
        else:
            rows.append([w])
    if len(rows) == 1:
        return words
    return [w for row in rows for w in sorted(row, key=lambda w: w.x0)]


def page_text(lines: list[Line]) -> str:
    """The page's text in the same shape as text input: cells joined by tabs, lines by newlines."""
    return "\n".join(line.text for line in lines)

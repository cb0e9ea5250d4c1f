"""Find the ruled lines of tables in a page image, paint them out before OCR, and straighten the page.

Word processors print tables with full grid lines; on a scan Tesseract reads those lines as junk ("|", "RR",
"(EEE EE") between and inside the cells, and rows break apart. Here, in numpy only:

1. the page is binarised at its Otsu threshold;
2. long dark runs are found along the rows (horizontal rules) and the columns (vertical rules) of the image,
   each run at least ``min_length`` inches long, after thickening the dark pixels by one pixel across the run,
   so that a rule skewed by up to ~2.5° still gives long runs on each row it steps through; a shorter
   vertical run counts where it joins two horizontal rules (the column rules of a table one row high);
3. runs on neighbouring rows (columns) that overlap or nearly touch are one rule; a rule's centre line is
   fitted to its runs (it may be skewed), its thickness is the median dark run across it; thick ones (filled
   areas), short ones and ones that many glyphs stand on (a line of serif text whose feet run together) are
   dropped;
4. each rule is painted in the page's background colour across a band of its thickness plus a margin, except
   where a glyph crosses it (dark pixels that are no rule's on both sides of the band): those columns are kept,
   so a descender through a rule stays whole. A glyph that only touches a rule loses at most the margin;
5. a page whose rules are skewed (a scan fed in at an angle) is turned straight by their median angle, so that
   a table row's label and figures come out on one line; the rules are given in the turned frame, the frame
   of the words Tesseract then reads.

The rules are kept (``finsam.model.Rule``, in PDF points) so that table code can use cells bounded by them
(``RuledPage.cell_at``; parsers.ocr reads uncertain cells again with it). Pages without rules are not touched.
``VERSION`` names the algorithm in the OCR cache key (with the turn): change it whenever what this module
paints changes (tests/parsers/test_rules.py fails when the code changes and it does not). Detection costs ~0.02 s of CPU on a page without rules and ~0.08 s on a page full of ruled
tables at 200 dpi (0.15 s at 300 dpi).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from finsam.model import Rule

VERSION = "rules-1"


@dataclass(frozen=True)
class RuleSettings:
    min_length: float = 0.4  # inches: a dark run at least this long on one row (column) may be a rule
    min_anchored: float = 0.1  # inches: ... or this long when it joins two horizontal rules (a column rule)
    max_thickness: float = 3.0  # points: thicker dark bands are filled areas, not rules
    join_gap: float = 0.03  # inches: runs this close along a row (a rule broken by noise) are one rule
    margin: float = 1.0  # pixels at 200 dpi beyond the rule's thickness painted too (its blurred edge)
    max_touched: float = 0.5  # a "rule" whose band glyphs touch on more than this share of its length is text
    min_skew: float = 0.1  # degrees: a page whose rules are skewed more is turned straight before OCR


SETTINGS = RuleSettings()


@dataclass
class _Line:
    """A rule in pixel coordinates of the array it was found in (rows run along it)."""

    a: float  # centre: row = a + b * column
    b: float
    c0: int  # first and last column (inclusive)
    c1: int
    thickness: int


def otsu_threshold(gray: np.ndarray, hist: np.ndarray | None = None) -> int:
    """The grey level that best splits the page into ink and paper (Otsu); ink is darker than it."""
    if hist is None:
        hist = np.bincount(gray.ravel(), minlength=256)
    hist = np.asarray(hist, dtype=np.float64)
    total = hist.sum()
    levels = np.arange(256, dtype=np.float64)
    weight = np.cumsum(hist)
    mean = np.cumsum(hist * levels)
    w0, w1 = weight, total - weight
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mean[-1] * w0 - mean * total) ** 2 / (w0 * w1)
    between[~np.isfinite(between)] = 0
    return int(np.argmax(between)) + 1


def _long_runs(mask: np.ndarray, length: int, axis: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Runs of True along ``axis`` (1: along each row, 0: down each column) at least ``length`` long:
    (row or column index, start, end exclusive), sorted by that index."""
    size = mask.shape[axis]
    empty = (np.zeros(0, np.int64),) * 3
    if size < length:
        return empty
    # where a window of `length` is all True: erosion by doubling shifts, log2(length) ANDs
    eroded, span = mask.copy(), 1
    while span < length:
        step = min(span, length - span)
        if axis == 1:
            eroded[:, : size - step] &= eroded[:, step:]
            eroded[:, size - step :] = False
        else:
            eroded[: size - step] &= eroded[step:]
            eroded[size - step :] = False
        span += step
    lines = np.flatnonzero(eroded.any(axis=axis))
    if lines.size == 0:
        return empty
    sub = np.zeros((lines.size, size + 2), np.int8)
    sub[:, 1:-1] = mask[lines] if axis == 1 else mask[:, lines].T
    r, c = np.nonzero(np.diff(sub, axis=1))  # in each row a run's start, then its end: they alternate
    r0, s, e = r[0::2], c[0::2], c[1::2]
    keep = e - s >= length
    return lines[r0[keep]], s[keep], e[keep]


def _group(rows: np.ndarray, starts: np.ndarray, ends: np.ndarray, gap: int) -> list[list[int]]:
    """Runs on the same or neighbouring rows that overlap (or are within ``gap`` along the row): one group."""
    n = rows.size
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_row: dict[int, list[int]] = {}
    for i, r in enumerate(rows.tolist()):
        by_row.setdefault(r, []).append(i)
    s, e = starts.tolist(), ends.tolist()
    for r, members in by_row.items():
        for other_row in (r - 1, r):
            for j in by_row.get(other_row, ()):
                for i in members:
                    if (other_row != r or j < i) and s[i] <= e[j] + gap and s[j] <= e[i] + gap:
                        ri, rj = find(i), find(j)
                        if ri != rj:
                            parent[ri] = rj
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def _band(dark: np.ndarray, line: _Line, half: int, step: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """The pixels of ``dark`` in a band of rows centre ± half along the line: (columns, band rows × columns)."""
    cols = np.arange(line.c0, line.c1 + 1, step)
    centre = np.rint(line.a + line.b * cols).astype(np.int64)
    offsets = np.arange(-half, half + 1)[:, None]
    rows = centre[None, :] + offsets
    inside = (rows >= 0) & (rows < dark.shape[0])
    values = np.zeros(rows.shape, bool)
    values[inside] = dark[rows[inside], np.broadcast_to(cols, rows.shape)[inside]]
    return cols, values


def _find_lines(
    dark: np.ndarray, dpi: float, settings: RuleSettings, axis: int, anchors: list[_Line] = ()
) -> list[_Line]:
    """Rules running along ``axis`` of ``dark`` (1: horizontal rules, 0: vertical), in coordinates where
    their runs lie along rows (for vertical rules: of the transposed image). With ``anchors`` (the rules
    across, in their own coordinates) a shorter run counts too where it joins two of them: the column
    rules of a table one row high."""
    length = max(8, round(settings.min_length * dpi))
    shortest = max(6, round(settings.min_anchored * dpi)) if anchors else length
    max_thick = max(2, round(settings.max_thickness * dpi / 72))
    thick = dark.copy()  # one pixel thicker across the runs: a skewed rule still gives long runs
    if axis == 1:
        thick[1:] |= dark[:-1]
        thick[:-1] |= dark[1:]
    else:
        thick[:, 1:] |= dark[:, :-1]
        thick[:, :-1] |= dark[:, 1:]
    rows, starts, ends = _long_runs(thick, shortest, axis)
    if axis == 0:
        dark = dark.T
    if shortest < length and rows.size:
        keep = (ends - starts >= length) | _anchored(rows, starts, ends, anchors)
        rows, starts, ends = rows[keep], starts[keep], ends[keep]
    if rows.size == 0:
        return []
    lines = []
    gap = max(1, round(settings.join_gap * dpi))
    for members in _group(rows, starts, ends, gap):
        idx = np.asarray(members)
        s, e, r = starts[idx], ends[idx], rows[idx]
        c0, c1 = int(s.min()), int(e.max()) - 1
        if c1 - c0 + 1 < shortest:
            continue
        a, b = _centre_line(r, s, e, c0, c1)
        line = _Line(float(a), float(b), c0, c1, 0)
        _, band = _band(dark, line, max_thick + 1, step=2)
        counts = band.sum(axis=0)
        thickness = int(np.median(counts))
        if thickness == 0 or thickness > max_thick:
            continue
        line.thickness = thickness
        lines.append(line)
    return lines


def _anchored(rows: np.ndarray, starts: np.ndarray, ends: np.ndarray, anchors: list[_Line]) -> np.ndarray:
    """Runs (at position ``rows``, from ``starts`` to ``ends`` across the anchors) that begin on one anchor
    and end on another: both ends within the anchor's band (the run includes the crossing)."""
    begins = np.zeros(rows.size, bool)
    finishes = np.zeros(rows.size, bool)
    for line in anchors:
        tol = line.thickness / 2 + 3
        inside = (rows >= line.c0 - tol) & (rows <= line.c1 + tol)
        centre = line.a + line.b * rows  # the anchor's position across, at each run
        begins |= inside & (np.abs(starts - centre) <= tol)
        finishes |= inside & (np.abs(ends - 1 - centre) <= tol)
    return begins & finishes


def _centre_line(
    rows: np.ndarray, starts: np.ndarray, ends: np.ndarray, c0: int, c1: int
) -> tuple[float, float]:
    """row = a + b * column fitted to a rule's runs: the mean row of the runs covering each sampled column."""
    cols = np.linspace(c0, c1, num=min(64, c1 - c0 + 1))
    cover = (starts[:, None] <= cols[None, :]) & (cols[None, :] < ends[:, None])
    count = cover.sum(axis=0)
    seen = count > 0
    centre = (cover * rows[:, None]).sum(axis=0)[seen] / count[seen]
    if seen.sum() < 2:
        return float(rows.mean()), 0.0
    b, a = np.polyfit(cols[seen], centre, 1)
    return float(a), float(b)


def _half_width(line: _Line, margin: int) -> int:
    return line.thickness // 2 + margin


def _touched(glyphs: np.ndarray, line: _Line, margin: int) -> float:
    """Share of the line's length where ink that is no rule's lies just outside its band (either side)."""
    half = _half_width(line, margin)
    _, band = _band(glyphs, line, half + 2)
    outside = band[:2] | band[-2:]
    return float(outside.any(axis=0).mean())


def _paint_bands(target: np.ndarray, lines: list[_Line], margin: int, value, keep: np.ndarray | None = None):
    """Set each line's band (thickness + margin each side) to ``value``; where ``keep`` (ink that is no rule's)
    lies just outside the band on both sides, a glyph crosses the rule there and the column is left alone."""
    for line in lines:
        half = _half_width(line, margin)
        cols = np.arange(line.c0, line.c1 + 1)
        centre = np.rint(line.a + line.b * cols).astype(np.int64)
        if keep is not None:
            _, outside = _band(keep, line, half + 1)
            crossing = outside[0] & outside[-1]
            cols, centre = cols[~crossing], centre[~crossing]
        for k in range(-half, half + 1):
            rows = centre + k
            ok = (rows >= 0) & (rows < target.shape[0])
            target[rows[ok], cols[ok]] = value


def _to_rule(line: _Line, orientation: str, scale: float, rotation: float, centre: tuple) -> Rule:
    """The line in points, in the frame of the page turned by ``rotation`` degrees (as clean() turns it)."""
    p0 = (line.c0, line.a + line.b * line.c0)
    p1 = (line.c1 + 1, line.a + line.b * (line.c1 + 1))
    if orientation == "v":  # found in the transposed image: (row, column) swap back
        p0, p1 = (p0[1], p0[0]), (p1[1], p1[0])
    if rotation:
        p0, p1 = _turn(p0, rotation, centre), _turn(p1, rotation, centre)
    return Rule(
        orientation=orientation,
        x0=round(float(p0[0]) * scale, 2),
        y0=round(float(p0[1]) * scale, 2),
        x1=round(float(p1[0]) * scale, 2),
        y1=round(float(p1[1]) * scale, 2),
        width=round(line.thickness * scale, 2),
    )


def _turn(point: tuple, degrees: float, centre: tuple) -> tuple[float, float]:
    """Where a pixel goes when the image is turned ``degrees`` counter-clockwise about ``centre`` (PIL's
    Image.rotate; the y axis points down)."""
    phi = np.radians(degrees)
    dx, dy = point[0] - centre[0], point[1] - centre[1]
    return (
        centre[0] + dx * np.cos(phi) + dy * np.sin(phi),
        centre[1] - dx * np.sin(phi) + dy * np.cos(phi),
    )


@dataclass
class RuledPage:
    """What was found on one page image: its rules in points, and what painting them out needs."""

    rules: list[Rule]
    horizontal: list[_Line]
    vertical: list[_Line]
    glyphs: np.ndarray | None  # ink that is no rule's (where glyphs cross a rule, it stays)
    margin: int
    paper: int  # the page's background grey level
    rotation: float = 0.0  # degrees counter-clockwise that clean() turns the page by to straighten it
    dpi: float = 200.0

    @property
    def version(self) -> str:
        """What clean() does to the page, for the OCR cache key."""
        return f"{VERSION}|turn={self.rotation:.3f}"

    def clean(self, image):
        """The image with its rules painted in the page's background colour (a new greyscale image), turned
        straight when its rules are skewed."""
        from PIL import Image

        gray = np.array(image.convert("L"))
        if self.glyphs is not None:
            _paint_bands(gray, self.horizontal, self.margin, self.paper, keep=self.glyphs)
            _paint_bands(gray.T, self.vertical, self.margin, self.paper, keep=self.glyphs.T)
        out = Image.fromarray(gray, "L")
        if self.rotation:
            out = out.rotate(self.rotation, resample=Image.Resampling.BILINEAR, fillcolor=self.paper)
        return out

    def cell_at(self, x: float, y: float) -> tuple[float, float, float, float] | None:
        """The grid cell around a point of the cleaned image: (left, top, right, bottom) pixels of the
        rules that bound it on all four sides (their centre lines), or None outside a grid."""
        k = self.dpi / 72.0
        tol = 2 * k  # points: a rule that ends just short of the point still bounds it
        columns = [
            (r.x0 + r.x1) / 2 * k
            for r in self.rules
            if r.orientation == "v" and min(r.y0, r.y1) * k - tol <= y <= max(r.y0, r.y1) * k + tol
        ]
        rows = [
            (r.y0 + r.y1) / 2 * k
            for r in self.rules
            if r.orientation != "v" and min(r.x0, r.x1) * k - tol <= x <= max(r.x0, r.x1) * k + tol
        ]
        left, right = _around(x, columns)
        top, bottom = _around(y, rows)
        if None in (left, right, top, bottom):
            return None
        return left, top, right, bottom


def _around(position: float, rules: list[float]) -> tuple[float | None, float | None]:
    """The nearest rule at or before `position` and the nearest after it, None where there is none."""
    before = [r for r in rules if r <= position]
    after = [r for r in rules if r > position]
    return (max(before) if before else None), (min(after) if after else None)


def find_rules(image, dpi: float, settings: RuleSettings = SETTINGS) -> RuledPage:
    """The table rules of a page image rendered at ``dpi`` (rules in PDF points, top-left origin)."""
    image = image.convert("L") if image.mode != "L" else image
    gray = np.asarray(image)
    hist = np.asarray(image.histogram())
    paper = int(np.argmax(hist[128:]) + 128)
    dark = gray < otsu_threshold(gray, hist)
    horizontal = _find_lines(dark, dpi, settings, axis=1)
    vertical = _find_lines(dark, dpi, settings, axis=0, anchors=horizontal)
    margin = max(1, round(settings.margin * dpi / 200))
    glyphs = None
    if horizontal or vertical:
        mask = np.zeros_like(dark)
        _paint_bands(mask, horizontal, margin, True)
        _paint_bands(mask.T, vertical, margin, True)
        glyphs = dark & ~mask
        horizontal = [line for line in horizontal if _touched(glyphs, line, margin) <= settings.max_touched]
        vertical = [line for line in vertical if _touched(glyphs.T, line, margin) <= settings.max_touched]
    rotation = _skew(horizontal, vertical)
    if abs(rotation) < settings.min_skew:
        rotation = 0.0
    scale = 72.0 / float(dpi)
    centre = (gray.shape[1] / 2, gray.shape[0] / 2)
    rules = [_to_rule(line, "h", scale, rotation, centre) for line in horizontal]
    rules += [_to_rule(line, "v", scale, rotation, centre) for line in vertical]
    rules.sort(key=lambda r: (r.orientation, round(min(r.y0, r.y1)), r.x0))
    return RuledPage(rules, horizontal, vertical, glyphs if rules else None, margin, paper, rotation, dpi)


def _skew(horizontal: list[_Line], vertical: list[_Line]) -> float:
    """Degrees counter-clockwise that turn the rules straight: the length-weighted median over all rules."""
    angles = [np.degrees(np.arctan(line.b)) for line in horizontal]
    angles += [-np.degrees(np.arctan(line.b)) for line in vertical]
    if not angles:
        return 0.0
    weights = np.asarray([line.c1 - line.c0 for line in horizontal + vertical], dtype=np.float64)
    order = np.argsort(angles)
    cumulative = np.cumsum(weights[order])
    return float(np.asarray(angles)[order][np.searchsorted(cumulative, cumulative[-1] / 2)])

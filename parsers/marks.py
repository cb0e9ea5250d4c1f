"""The marks on a scanned page that Tesseract gets wrong on its own, known by their ink: what a page needs after
Tesseract read it and before its figures are read again (parsers.reread).

- words without ink (read into the blank beside a painted-out rule), specks of dust, faint punctuation;
- lone dashes known by their shape, or put in where Tesseract read none;
- percent signs read as "Yo", "20", "96", known by their two rings.
Word lists are Tesseract's: [text, left, top, width, height, confidence] in pixels.
"""

from __future__ import annotations

DASH_CONFIDENCE = 90.0  # the confidence given a dash recognised by its shape
RUN_GAP = 0.7  # words of one figure stand less than this × the text height apart ("2 600,0")


def ink_of(image):
    import numpy as np

    from parsers.rules import otsu_threshold

    gray = np.asarray(image)
    return gray < otsu_threshold(gray, np.asarray(image.histogram()))


def drop_inkless(words: list[list], dark) -> list[list]:
    """Without the words whose box holds no ink: Tesseract sometimes reads a dash into the blank beside a
    painted-out rule."""
    return [w for w in words if dark[w[2] : w[2] + w[4], w[1] : w[1] + w[3]].sum() > 2]


DUST = 0.25  # a word this small in both directions, relative to the page's text height, is a speck of dust


def drop_dust(words: list[list]) -> list[list]:
    """Without the words Tesseract read into a speck of dust ("i", "2", ":" from a box a pixel or two wide and
    high): they stand as cells of their own, a "2" among the labels of a row or an "i" among the headers, and
    make a header line look like a row. A word counts as dust only standing apart from its neighbours on
    the line, so a decimal point Tesseract read as a word of its own stays. A word of letters or digits
    flatter than that is none either, wherever it stands: no letter is so low (Tesseract read a page number
    "– 5 –" as "ST" a pixel high)."""
    if not words:
        return words
    limit = DUST * median_height(words)
    gap = 2 * limit

    def apart(w: list) -> bool:
        return not any(
            v is not w
            and v[2] < w[2] + w[4] + gap
            and v[2] + v[4] > w[2] - gap
            and v[1] < w[1] + w[3] + gap
            and v[1] + v[3] > w[1] - gap
            for v in words
        )

    def flat(w: list) -> bool:
        return w[4] < limit and any(ch.isalnum() for ch in w[0])

    return [w for w in words if not ((w[3] < limit and w[4] < limit and apart(w)) or flat(w))]


MARK_CONFIDENCE = 40.0  # a word of punctuation only read less surely than this is not on the page


def drop_faint_marks(words: list[list]) -> list[list]:
    """Without the words of punctuation only ("-", "=", ":") that Tesseract read with little confidence and
    that are no dash by their shape (`dashes_by_shape` has run): it reads such marks into the blank between
    two header cells ("2021 - Måluppfyllelse"), joining them into one cell."""
    return [w for w in words if w[5] >= MARK_CONFIDENCE or any(ch.isalnum() for ch in w[0])]


DASH_FLAT = 1.5  # a dash blurred by a scan is 5 pixels by 3 at 200 dpi; a dot or a speck is as high as wide


def dash_in(dark, box: tuple, text_height: float) -> list | None:
    """The word "-" where a cell's only ink is one short bar (a dash for nothing, too small for Tesseract to
    read on its own), at least DASH_FLAT times as wide as high, else None. Single dark pixels (dust) do not
    count."""
    import numpy as np

    x0, y0, x1, y1 = (max(0, round(v)) for v in box)
    a = dark[y0:y1, x0:x1]
    if a.size == 0:
        return None
    neighbours = np.zeros_like(a)
    neighbours[1:] |= a[:-1]
    neighbours[:-1] |= a[1:]
    neighbours[:, 1:] |= a[:, :-1]
    neighbours[:, :-1] |= a[:, 1:]
    ys, xs = np.nonzero(a & neighbours)
    if ys.size < 4:
        return None
    h, w = int(np.ptp(ys)) + 1, int(np.ptp(xs)) + 1
    if (
        h <= max(2.0, 0.3 * text_height)
        and DASH_FLAT * h <= w <= 1.5 * text_height
        and ys.size >= 0.6 * h * w
    ):
        return ["-", x0 + int(xs.min()), y0 + int(ys.min()), w, h, DASH_CONFIDENCE]
    return None


_DASHES = frozenset("-−–—")


def dashes_by_shape(words: list[list], dark, alone: bool = True) -> list[list]:
    """Short tokens whose ink is one short bar read as the dash they are: Tesseract reads a lone dash in a
    table as "=", "S", "”" or with little confidence (a cell the extractor then takes for a speck). A dash read
    as one keeps its character and gets DASH_CONFIDENCE; anything else becomes "-". Without `alone` (a page
    with no rules to say where a table's cells are), only a token with a word before it on its line: a bar
    alone on a line is the page's furniture, not a figure for nothing."""
    if not words:
        return words
    text_height = median_height(words)
    out = []
    for w in words:
        text, left, top, width, height, conf = w
        # a mark read surely is looked at too ("=" at 91 for a dash blurred by the scan), unless a dash
        unsure = conf < DASH_CONFIDENCE or not (any(ch.isalnum() for ch in text) or text in _DASHES)
        short = len(text) <= 2 and not any(ch.isdigit() for ch in text) and unsure
        if short and not alone:
            short = any(v[1] + v[3] <= left and v[2] < top + height and v[2] + v[4] > top for v in words)
        if short:
            dash = dash_in(dark, (left - 3, top - 3, left + width + 3, top + height + 3), text_height)
            if dash is not None:
                w = [text if text in _DASHES else "-", *dash[1:]]
        out.append(w)
    return out


PERCENT_CONFIDENCE = 90.0  # the confidence given a percent sign recognised by its shape
PERCENT_TOKEN = 3  # characters: what Tesseract made of a percent sign ("Yo", "20", "HN", "96")
PERCENT_HEIGHT = (0.6, 1.3)  # a percent sign's ink is as high as a digit: this share of the text height
PERCENT_WIDTH_SHARE = (0.5, 1.5)  # ... and this share of its own height wide
PERCENT_RINGS_APART = 0.3  # its two rings stand this share of its width and of its height apart
PERCENT_RING = 2  # pixels: a ring's hole is at least this large (a speck of white in blotted ink is none)
PERCENT_PINHOLE = 0.25  # ... and a hole besides the two rings is at most this share of the smaller ring


def percents_by_shape(words: list[list], dark) -> list[list]:
    """Percent signs Tesseract misread, read as "%" by their shape: ink as high as a digit holding two
    holes, the rings of the sign, one up on the left and one down on the right. The Swedish model reads the
    sign of some fonts as "Yo", "UA", "20" or "96" whatever the scale (PERCENT_SIGN_MISREADS of finsam.misreads
    knows some), and a goal's "Minst 40 %" then gives no share. Glyphs side by side have holes too, "96"
    and "Po" one up on the left and one down on the right, but a blank column between them, where the
    sign's stroke joins its rings. A token of digits is looked at only standing close after a figure
    ("64 96"; a figure after a label or in a column of its own is none), a token without digits only where
    it is no sure word or stands so. A header's unit in brackets ("Andel (240)") is looked at inside them:
    "(%)"."""
    if not words:
        return words
    height = median_height(words)
    pitch = digit_pitch(words)
    figures = [v for v in words if v[0][-1:].isdigit()]  # what a sign may stand close after
    out = []
    for w in words:
        text, left, top, width, h, conf = w
        bracketed = len(text) > 2 and text[0] == "(" and text[-1] == ")" and text != "(%)"
        if bracketed and len(text) - 2 <= PERCENT_TOKEN:
            inside = _inside_brackets(dark, (left, top, width, h))
            if inside is not None and _percent_shape(dark, inside, height):
                w = ["(%)", left, top, width, h, PERCENT_CONFIDENCE]
        elif (
            len(text) <= PERCENT_TOKEN and text != "%" and _percent_context(w, words, height, pitch, figures)
        ):
            if _percent_shape(dark, (left, top, width, h), height):
                w = ["%", left, top, width, h, PERCENT_CONFIDENCE]
        out.append(w)
    return out


def _inside_brackets(dark, box: tuple) -> tuple | None:
    """The box of the ink between a bracketed token's brackets: its runs of inked columns, the first and the
    last being the brackets; None where the ink does not stand in three runs or more."""
    import numpy as np

    left, top, width, h = box
    inked = np.flatnonzero(dark[max(0, top) : top + h, max(0, left) : left + width].any(axis=0))
    if inked.size == 0:
        return None
    runs = np.split(inked, np.flatnonzero(np.diff(inked) > 1) + 1)
    if len(runs) < 3:
        return None
    x0, x1 = int(runs[1][0]), int(runs[-2][-1]) + 1
    return (left + x0, top, x1 - x0, h)


def _percent_context(
    word: list,
    words: list[list],
    height: float,
    pitch: float | None = None,
    figures: list[list] | None = None,
) -> bool:
    """Where a token may be a misread percent sign: close after a figure, or (no digits in it) no sure word,
    or, narrower than its digits, first on a line whose line above ends in a figure (a cell's text wrapped
    between "40" and "%": "… anställning 40" over "90 ska nå …"). `figures`: the words ending in a digit,
    when the caller has them."""
    text, conf = word[0], word[5]
    if not any(ch.isdigit() for ch in text) and (conf < PERCENT_CONFIDENCE or not text.isalpha()):
        return True
    if figures is None:
        figures = [v for v in words if v[0][-1:].isdigit()]
    if any(_close_after(v, word, height) for v in figures):
        return True
    # (a "1" is narrow in its own right)
    narrow = (
        pitch is not None
        and text.isdigit()
        and "1" not in text
        and word[3] < (len(text) - PERCENT_NARROW) * pitch
    )
    return narrow and _first_on_line(word, words, height) and _figure_ends_line_above(word, words, height)


PERCENT_NARROW = 0.3  # digits: a percent sign read as two digits is 1.3–1.7 digits wide, not two
WRAPPED_CELL = 12  # text heights: a wrapped cell's line above ends no further right of a line's first word


def _first_on_line(word: list, words: list[list], height: float) -> bool:
    """No word stands close before `word` on its line."""
    middle = word[2] + word[4] / 2
    return not any(
        v is not word and v[2] <= middle <= v[2] + v[4] and 0 <= word[1] - (v[1] + v[3]) < 2 * height
        for v in words
    )


def _figure_ends_line_above(word: list, words: list[list], height: float) -> bool:
    """The line just above `word` (a line's pitch up) ends, over or right of it within a cell's width, in a
    figure: the last word of its run there is digits."""
    middle = word[2] + word[4] / 2
    above = [
        v
        for v in words
        if 0.6 * height <= middle - (v[2] + v[4] / 2) <= 2.0 * height
        and v[1] + v[3] >= word[1]
        and v[1] <= word[1] + WRAPPED_CELL * height
    ]
    if not above:
        return False
    above.sort(key=lambda v: v[1])
    run_end = above[0]
    for v in above[1:]:  # the words of the run that starts over the word, until a column's gap
        if v[1] - (run_end[1] + run_end[3]) >= RUN_GAP * height * 2:
            break
        run_end = v
    return run_end[0][-1:].isdigit()


def _close_after(before: list, word: list, height: float) -> bool:
    """`before` stands on `word`'s line, ending less than a figure's digit-group gap before it."""
    gap = word[1] - (before[1] + before[3])
    middle = before[2] + before[4] / 2
    return before is not word and 0 <= gap < RUN_GAP * height and word[2] <= middle <= word[2] + word[4]


def _percent_shape(dark, box: tuple, height: float) -> bool:
    import numpy as np

    left, top, width, h = box
    a = dark[max(0, top - 2) : top + h + 2, max(0, left - 2) : left + width + 2]
    ys, xs = np.nonzero(a)
    if ys.size < 6:
        return False
    a = a[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    ink_h, ink_w = a.shape
    if not (PERCENT_HEIGHT[0] * height <= ink_h <= PERCENT_HEIGHT[1] * height):
        return False
    if not (PERCENT_WIDTH_SHARE[0] * ink_h <= ink_w <= PERCENT_WIDTH_SHARE[1] * ink_h):
        return False
    holes = sorted(
        (hole for hole in _holes(np.pad(a, 1)) if len(hole[0]) >= PERCENT_RING), key=lambda h: -len(h[0])
    )
    # two rings; a pinhole where the stroke nearly touches a ring (2 pixels beside rings of 16 and 20) is
    # none, a third hole as large as a ring is a glyph of its own
    if len(holes) < 2 or any(len(h[0]) > PERCENT_PINHOLE * len(holes[1][0]) for h in holes[2:]):
        return False
    holes = holes[:2]
    (ya, xa), (yb, xb) = sorted((float(ys.mean()), float(xs.mean())) for ys, xs in holes)
    if xb - xa < PERCENT_RINGS_APART * ink_w or yb - ya < PERCENT_RINGS_APART * ink_h:
        return False
    # the stroke runs between the rings: no column between them without ink, as between two glyphs ("96")
    return bool(a[:, round(xa) : round(xb) + 1].any(axis=0).all())


def _holes(ink) -> list[tuple]:
    """The white areas `ink` closes all round (4-connected), each as (rows, columns) arrays."""
    import numpy as np

    white = ~ink
    outside = np.zeros_like(white)
    outside[0], outside[-1], outside[:, 0], outside[:, -1] = white[0], white[-1], white[:, 0], white[:, -1]
    while True:  # the white reached from the border, grown a pixel at a time
        grown = outside.copy()
        grown[1:] |= outside[:-1]
        grown[:-1] |= outside[1:]
        grown[:, 1:] |= outside[:, :-1]
        grown[:, :-1] |= outside[:, 1:]
        grown &= white
        if (grown == outside).all():
            break
        outside = grown
    inside = white & ~outside
    holes = []
    seen = np.zeros_like(inside)
    for y, x in zip(*np.nonzero(inside), strict=True):
        if seen[y, x]:
            continue
        stack, points = [(y, x)], []
        seen[y, x] = True
        while stack:
            cy, cx = stack.pop()
            points.append((cy, cx))
            for ny, nx in ((cy + 1, cx), (cy - 1, cx), (cy, cx + 1), (cy, cx - 1)):
                if inside[ny, nx] and not seen[ny, nx]:  # the padding keeps every neighbour in bounds
                    seen[ny, nx] = True
                    stack.append((ny, nx))
        holes.append((np.array([p[0] for p in points]), np.array([p[1] for p in points])))
    return holes


DASH_BAND = (
    0.3,
    0.8,
)  # a dash's middle stands this far down its line's text height (a rule or underline does not)


def unread_dashes(words: list[list], dark) -> list[list]:
    """`words` and the dashes Tesseract did not read at all: a short bar alone in the blank of a line, to the
    right of a word on that line, standing in the middle of the line's text height. In a table a dash says
    "nothing" ("Finansiella intäkter  –  –"); Tesseract reads a lone one, or skips it without a word, and a
    skipped one leaves its cell empty. Every ink mark in a line's band outside the words' boxes is measured
    against `_dash`; a mark with ink just above or below it (a glyph's part, a rule crossing the band) is
    none."""
    import numpy as np

    if not words:
        return words
    height = median_height(words)
    rows, cols = dark.shape
    free = dark.copy()
    for _, left, top, width, h, _ in words:  # the words' own ink is not a dash Tesseract skipped
        free[max(0, top - 2) : top + h + 2, max(0, left - 2) : left + width + 2] = False
    found: list[list] = []
    for line in _lines(words, height):
        letters = [w for w in line if any(ch.isalnum() for ch in w[0])] or line  # a mark's box is no line's
        top = round(sorted(w[2] for w in letters)[len(letters) // 2])
        bottom = round(sorted(w[2] + w[4] for w in letters)[len(letters) // 2])
        if bottom - top < 3 or top < 2 or bottom + 2 > rows:
            continue
        first = min(w[1] + w[3] for w in line)  # a dash stands right of a word, never before the first one
        band = free[top:bottom, first:]
        inked = np.flatnonzero(band.any(axis=0))
        if inked.size == 0:
            continue
        for run in np.split(inked, np.flatnonzero(np.diff(inked) > 2) + 1):
            x0, x1 = first + int(run[0]), first + int(run[-1]) + 1
            if x1 - x0 > 1.5 * height or (x1 - x0) < 2:
                continue
            if free[top - 2 : top, x0:x1].any() or free[bottom : bottom + 2, x0:x1].any():
                continue  # ink goes on above or below the band: part of something else
            dash = dash_in(free, (x0 - 1, top, x1 + 1, bottom), height)
            if dash is None:
                continue
            middle = (dash[2] + dash[4] / 2 - top) / (bottom - top)
            if DASH_BAND[0] <= middle <= DASH_BAND[1]:
                found.append(dash)
    return words + found


def _lines(words: list[list], height: float) -> list[list[list]]:
    """Words grouped into lines by their middles, each line's words standing within half a text height of
    the line's first."""
    lines: list[list[list]] = []
    for w in sorted(words, key=lambda w: w[2] + w[4] / 2):
        centre = w[2] + w[4] / 2
        if lines and abs(centre - (lines[-1][0][2] + lines[-1][0][4] / 2)) < 0.5 * height:
            lines[-1].append(w)
        else:
            lines.append([w])
    return lines


def median_height(words: list[list]) -> float:
    heights = sorted(w[4] for w in words)
    return heights[len(heights) // 2]


def digit_pitch(words: list[list]) -> float | None:
    """The width of one digit on the page (figures are set in digits of one width), from the figures read
    surely; None where there are too few to say."""
    widths = sorted(w[3] / len(w[0]) for w in words if w[5] >= 90 and len(w[0]) >= 2 and w[0].isdigit())
    return widths[len(widths) // 2] if len(widths) >= 5 else None

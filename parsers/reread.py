"""Read again, enlarged, what Tesseract read unsurely on a page: cells of ruled tables and runs of figures.

Tesseract reads small print better larger, and a figure on its own better than in a page of text: a word it
gives low confidence ("2600,0" for 2 600,0, "3721" for 372,1) is most often read right when its box is cut out,
enlarged and read again. All the boxes of a page go into one image (a sheet, one box a line with space
between), so a page costs one more Tesseract call, not one per box; the sheets of several pages are read in
one run when ocr_pages reads them (`parsers.ocr.read_sheets`). A new reading replaces the old only where
it is figures read more surely than before, or rightly grouped where the first was not; text is never
replaced. Word lists here are Tesseract's: [text, left, top, width, height, confidence] in pixels.

Also here, `clean_words`: all a page needs after Tesseract read it, the marks known by their ink
(parsers.marks) first, then the figures read again.
"""

from __future__ import annotations

import bisect
import functools
import re

from finsam.misreads import is_percent_sign_misread
from parsers.marks import (
    DASH_CONFIDENCE,
    RUN_GAP,
    dash_in,
    dashes_by_shape,
    digit_pitch,
    drop_dust,
    drop_faint_marks,
    drop_inkless,
    ink_of,
    median_height,
    percents_by_shape,
    unread_dashes,
)
from parsers.skew import skew_degrees, turn_words

REREAD_VERSION = "reread-5"
FIGURE_TEXT = re.compile(r"^(?:[-−–+(]?\s?\d[\d\s.,]*\)?\s?%?|[-−–])$")  # "1 641", "-20 449,2", "(37)", "-"
_FIGURE_CHARS = re.compile(r"^[\d\s.,%()−–-]*\d[\d\s.,%()−–-]*$")  # figures, dates: "2016-12-31"
REREAD_BELOW = 60.0  # a cell with a word read less surely than this is read again on its own
REREAD_SCALE = 2  # cells are read again at twice the size: Tesseract reads small print better larger


def clean_words(words: list[list], image, lang: str, ruled=None) -> list[list]:
    """After Tesseract read a page: lone dashes known by their shape or put in where Tesseract read none,
    figures read unsurely read again; on a page whose rules were painted out (`ruled`), first words without
    ink dropped and uncertain grid cells read again. The cache names what this does by ``version(ruled)``."""
    dark = ink_of(image)
    words = drop_dust(words)
    if ruled is not None:
        words = reread_cells(dashes_by_shape(drop_inkless(words, dark), dark), image, ruled, lang, dark)
    else:  # a ruled page was turned straight by its rules before OCR; this one is turned now, words and image
        degrees = skew_degrees(dark)
        if degrees:
            from PIL import Image

            words = turn_words(words, degrees, image.size)
            image = image.rotate(degrees, resample=Image.Resampling.BILINEAR, fillcolor="white")
            dark = ink_of(image)
        words = dashes_by_shape(words, dark, alone=False)
    words = reread_figures(unread_dashes(drop_faint_marks(words), dark), image, lang, ruled)
    return percents_by_shape(words, dark)


def version(ruled=None) -> str:
    """The version of what clean_words does to a page's words, for the OCR cache: the source of the modules
    that do it, so that no change to them can leave a corrected read stale in the cache (a number bumped by
    hand was once forgotten)."""
    return f"{REREAD_VERSION}|{source_version()}" if ruled is not None else source_version()


@functools.lru_cache(maxsize=1)
def source_version() -> str:
    """A digest of the source of everything clean_words runs: this module, the marks, the skew, the misread
    signs."""
    import hashlib
    from pathlib import Path

    from finsam import misreads
    from parsers import marks, skew

    h = hashlib.sha256()
    for module in (__file__, marks.__file__, skew.__file__, misreads.__file__):
        h.update(Path(module).read_bytes())
    return f"figures-{h.hexdigest()[:12]}"


_GROUPED = re.compile(r"^[-−–+(]?\s?\d{1,3}(?: \d{3})*(?:[,.]\d+)?\)?\s?%?$")


def _misgrouped(text: str) -> bool:
    """A figure written in groups whose groups are wrong ("38067 146", "523 9153", "1078 245"): Tesseract
    made up or lost a digit or a space, however sure it says it is."""
    return " " in text.strip() and bool(FIGURE_TEXT.match(text)) and not _GROUPED.match(text)


def reread_cells(words: list[list], image, ruled, lang: str, dark=None) -> list[list]:
    """Read uncertain cells of ruled tables again, each on its own line, larger.

    A cell is a box bounded by rules on four sides (``ruled.cell_at``). Cells on one line that have a word
    read below REREAD_BELOW, or that do not read as a figure in a column (a pair of vertical rules) whose
    cells mostly do, or hold just one or two characters that are no figure, or a figure whose digit groups
    are wrong, are cut out of the cleaned image, enlarged, stacked into one image with space between
    and read in one Tesseract call. A new reading replaces the cell's words where it is a figure (or a date)
    read more surely than before, or rightly grouped where the first was not; text stays as first read. A
    cell whose only ink is a short bar is a dash, which Tesseract does not read alone."""
    if dark is None:
        dark = ink_of(image)
    cells: dict[tuple, list[int]] = {}
    for i, (_, left, top, width, height, _) in enumerate(words):
        box = ruled.cell_at(left + width / 2, top + height / 2)
        if box is not None:
            cells.setdefault(tuple(round(v) for v in box), []).append(i)

    def text_of(box):
        return " ".join(words[i][0] for i in sorted(cells[box], key=lambda i: words[i][1]))

    columns: dict[tuple, list[tuple]] = {}
    for box in cells:
        columns.setdefault((box[0], box[2]), []).append(box)
    figure_columns = {
        key
        for key, boxes in columns.items()
        if sum(bool(FIGURE_TEXT.match(text_of(b))) for b in boxes) >= 0.6 * len(boxes) >= 1.2
    }
    pitch = digit_pitch(words)
    todo, misfits = [], set()
    for box, members in cells.items():
        ws = [words[i] for i in members]
        height = sorted(w[4] for w in ws)[len(ws) // 2]
        if max(w[2] for w in ws) - min(w[2] for w in ws) > 0.5 * height:
            continue  # more than one line: a header cell
        text = text_of(box)
        unsure = min(w[5] for w in ws) < REREAD_BELOW
        odd = not FIGURE_TEXT.match(text) and ((box[0], box[2]) in figure_columns or len(text) <= 2)
        odd = odd or _misgrouped(text)
        if any(_misfit(w, pitch) for w in ws):
            misfits.add(box)
        if unsure or odd or box in misfits:  # a short non-figure in a ruled cell ("s", "Fö") is most often a
            todo.append(box)  # misread figure; a "7" two digits wide lost a digit
    if not todo:
        return words
    inset = max(2, round(ruled.dpi / 72 * 1.2))  # inside the rules' painted bands
    inners = [(b[0] + inset, b[1] + inset, b[2] - inset, b[3] - inset) for b in todo]
    # one table's cells are set in one size: read at one scale (a box's height says more of a comma's tail
    # than of the type)
    found = read_boxes(image, inners, lang, REREAD_SCALE)
    # a cell that lost a digit is read as the figure runs off the grid are, larger, by the figures' model, and
    # each on its own: read in one sheet, what a cell comes out as depends on the others beside it
    lost = [k for k, box in enumerate(todo) if box in misfits]
    again = read_each(image, [inners[k] for k in lost], _figures_model(lang), FIGURE_SCALE)
    for k, reading in zip(lost, again, strict=True):
        found[k] = reading
    replace: dict[int, list[list]] = {}
    drop: set[int] = set()
    text_height = median_height(words)
    for box, new, inner in zip(todo, found, inners, strict=True):
        old = [words[i] for i in cells[box]]
        text = " ".join(w[0] for w in new)
        surer = new and min(w[5] for w in new) > min(w[5] for w in old)
        regrouped = new and _misgrouped(text_of(box)) and FIGURE_TEXT.match(text) and not _misgrouped(text)
        # a reading that fits the ink where the old did not ("7" two digits wide read again "77")
        refit = (
            box in misfits
            and _fits_run(new, old, pitch)
            and len(_digits(new)) != len(_digits(old))
            and (surer or min(w[5] for w in new) >= 90 or _one_digit_apart(old, new))
        )
        figures = _FIGURE_CHARS.match(text) or _figure_reading(
            new
        )  # "40 Yo": a sign, read by its shape below
        if new and figures and (surer or regrouped or refit):
            read = new
        elif len(text_of(box)) <= 2 and not any(ch.isdigit() for ch in text_of(box)):
            dash = dash_in(dark, inner, text_height)
            if dash is None or (text_of(box) == "-" and min(w[5] for w in old) >= DASH_CONFIDENCE):
                continue
            read = [dash]
        else:
            continue
        replace[min(cells[box])] = _disputed([words[i] for i in cells[box]], read)
        drop.update(cells[box])
    return _replaced(words, replace, drop)


def _replaced(words: list[list], replace: dict[int, list[list]], drop: set[int]) -> list[list]:
    """`words` with the words at `drop` left out and the readings of `replace` put in at their index."""
    out = []
    for i, w in enumerate(words):
        out.extend(replace.get(i, ()))
        if i not in drop:
            out.append(w)
    return out


def read_boxes(
    image, boxes: list[tuple], lang: str, scale: int, heights: list[float] | None = None
) -> list[list[list]]:
    """Each box (left, top, right, bottom pixels) of `image` read again: cut out, enlarged `scale` times,
    stacked into one sheet with a box's height of white between them, read in one Tesseract call (psm 6).
    With the `heights` of the text in the boxes, each is enlarged so that its text comes out as high as the
    sheet's typical one at `scale`: Tesseract takes one text size for a sheet and misreads what is much
    smaller ("71" of a table read "n" among the figures of the prose around it, read alone "71").
    Returns per box the words read in it, in `image`'s pixels, left to right."""
    from parsers import ocr

    if not boxes:
        return []
    sheet = _Sheet(image, boxes, scale, heights)
    return sheet.found(ocr.read_sheets([sheet.image], lang, 6)[0])


def read_each(image, boxes: list[tuple], lang: str, scale: int) -> list[list[list]]:
    """Each box read again as ``read_boxes`` reads it, but each on a sheet of its own (what a box comes out
    as in a sheet depends on the others beside it), all sheets in one Tesseract run."""
    from parsers import ocr

    sheets = [_Sheet(image, [box], scale) for box in boxes]
    read = ocr.read_sheets([sheet.image for sheet in sheets], lang, 6)
    return [sheet.found(words)[0] for sheet, words in zip(sheets, read, strict=True)]


class _Sheet:
    """Boxes of a page image cut out, enlarged and stacked into one image (``read_boxes``), and the way back
    from a word read on it to the box it stands in."""

    def __init__(self, image, boxes: list[tuple], scale: int, heights: list[float] | None = None):
        from PIL import Image

        self.boxes, self.crops, self.factors = boxes, [], []
        typical = sorted(heights)[len(heights) // 2] if heights else None
        for k, b in enumerate(boxes):
            crop = image.crop(tuple(round(v) for v in b))
            factor = float(scale)
            if typical and heights[k] > 0:
                factor = min(2.0 * scale, max(1.0, scale * typical / heights[k]))
            self.factors.append(factor)
            size = (max(1, round(crop.width * factor)), max(1, round(crop.height * factor)))
            self.crops.append(crop.resize(size, Image.Resampling.BICUBIC))
        self.pad = pad = max(c.height for c in self.crops)
        self.image = Image.new(
            "L",
            (max(c.width for c in self.crops) + 2 * pad, sum(c.height + pad for c in self.crops) + pad),
            255,
        )
        self.offsets, y = [], pad
        for c in self.crops:
            self.image.paste(c, (pad, y))
            self.offsets.append(y)
            y += c.height + pad

    def found(self, words: list[list]) -> list[list[list]]:
        """Per box, the words read on the sheet that stand in it, in the page image's pixels, left to right."""
        pad = self.pad
        found: list[list[list]] = [[] for _ in self.boxes]
        for w in words:
            centre = w[2] + w[4] / 2
            for k, (off, c) in enumerate(zip(self.offsets, self.crops, strict=True)):
                if off - pad / 2 <= centre < off + c.height + pad / 2:
                    box, f = self.boxes[k], self.factors[k]
                    found[k].append(
                        [w[0], round(box[0] + (w[1] - pad) / f), round(box[1] + (w[2] - off) / f)]
                        + [round(w[3] / f), round(w[4] / f), w[5]]
                    )
                    break
        return [sorted(f, key=lambda w: w[1]) for f in found]


FIGURE_REREAD_BELOW = 75.0  # a run of figures with a word read less surely than this is read again
FIGURE_SCALE = 3  # three times the size: at twice, Tesseract still misses a thin space or a comma
# one token of a figure: "2", "600,0", "(37)", also with a rule's or a speck's mark run into it ("=11713797",
# "--19794180", "—5000,0" where a skewed scan's shade was read as a dash), which a new reading may leave out
_FIGURE_WORD = re.compile(r"^(?:[-−–—+(]|[=~—-]{1,2}-?)?[\d.,]*\d[\d.,]*\)?%?$")


FIGURE_LANG = (
    "eng"  # reads a percent sign that the Swedish model reads "26", "40", "HA" or runs into the figure
)


def _figures_model(lang: str) -> str:
    """The model that reads figures again: FIGURE_LANG where Tesseract has it, else the page's own. A figure
    is the same in any language, and the English model knows the percent sign that the Swedish one reads as
    digits ("38 %" read "3840") or letters."""
    from parsers.ocr import installed_languages

    return FIGURE_LANG if FIGURE_LANG in installed_languages() else lang


def figure_runs(words: list[list]) -> list[list[int]]:
    """The runs of figure tokens on a line: indexes of words left to right, each standing close after the
    one before at the same height ("1", "300,0"), as one printed figure's digit groups do."""
    if not words:
        return []
    height = median_height(words)
    order = sorted(range(len(words)), key=lambda i: words[i][1])
    figures = [i for i in order if _FIGURE_WORD.match(words[i][0])]
    lefts = [words[i][1] for i in figures]
    nxt: dict[int, int] = {}
    taken: set[int] = set()
    for a in figures:
        _, left, top, width, h, _ = words[a]
        centre, right = top + h / 2, left + width
        # the figures starting from a fifth of a height before its right edge to RUN_GAP heights after it,
        # left to right: the first on its line not taken yet is the next group
        start = bisect.bisect_left(lefts, right - 0.2 * height)
        for k in range(start, len(figures)):
            b = figures[k]
            w = words[b]
            if w[1] - right >= RUN_GAP * height:
                break
            if b != a and b not in taken and abs(w[2] + w[4] / 2 - centre) < 0.5 * height:
                nxt[a] = b
                taken.add(b)
                break
    runs = []
    for a in order:
        if _FIGURE_WORD.match(words[a][0]) and a not in taken:
            run = [a]
            while run[-1] in nxt:
                run.append(nxt[run[-1]])
            runs.append(run)
    return runs


def _sign_after(words: list[list], run: list[int], height: float) -> list[int]:
    """The word standing right after a run of figures where it may be what a percent sign was read as
    ("64 HA", "35 26"), to be read again with the run: [its index], or []."""
    last = words[run[-1]]
    right, centre = last[1] + last[3], last[2] + last[4] / 2
    for i, w in enumerate(words):
        if (
            0 <= w[1] - right < RUN_GAP * height
            and abs(w[2] + w[4] / 2 - centre) < 0.5 * height
            and not _FIGURE_WORD.match(w[0])
            and is_percent_sign_misread(w[0])
        ):
            return [i]
    return []


LONE_TOKEN = (
    3  # characters: a token no longer than this, unsure and standing alone among figures, is read again
)


def _lone_unsure(words: list[list], height: float) -> list[int]:
    """Short tokens read unsurely as letters ("ag", "SL", "Y") standing apart as a cell of their own on a
    line of figures: at 150 dpi Tesseract reads a small figure so. Read again, such a token is replaced only
    by a clear reading of digits as wide as the token (`_fits`)."""
    out = []
    for i, w in enumerate(words):
        if len(w[0]) > LONE_TOKEN or w[5] >= FIGURE_REREAD_BELOW or _FIGURE_WORD.match(w[0]):
            continue
        centre = w[2] + w[4] / 2
        line = [v for v in words if v is not w and abs(v[2] + v[4] / 2 - centre) < 0.5 * height]
        apart = all(
            v[1] - (w[1] + w[3]) >= RUN_GAP * height or w[1] - (v[1] + v[3]) >= RUN_GAP * height for v in line
        )
        if apart and any(_FIGURE_WORD.match(v[0]) for v in line):
            out.append(i)
    return out


_PLAIN_FIGURE = re.compile(r"^[-−–]?\d+(?:[,.]\d+)?$")  # "7", "-548", "17,57": no spaces, no sign after


def _misfit(word: list, pitch: float | None) -> bool:
    """A figure whose box holds a digit more or less than it says ("7" two digits wide, where Tesseract lost
    the 1 of 71; "17,57" as wide as 7,64 beside it, where the stroke of a painted-out rule was read as a 1):
    read again, however surely it was read. A comma or a minus counts PUNCT_WIDTH of a digit."""
    if pitch is None or not _PLAIN_FIGURE.match(word[0]):
        return False
    text = word[0]
    width = sum(ch.isdigit() for ch in text) + PUNCT_WIDTH * sum(not ch.isdigit() for ch in text)
    excess = word[3] - width * pitch
    return excess > MISFIT_WIDE * pitch or -excess > MISFIT * pitch


MISFIT = 0.75  # digits: a box wider or narrower than its digits by this much holds another count of them
# ... wider by this much: a box is never wider than its digits' advance ("7" 1.7 digits wide is "71"), while a
# narrow digit's ink ("1") is narrower than its advance
MISFIT_WIDE = 0.6


def _fits(new: list[list], old: list, pitch: float | None) -> bool:
    """A lone token read again is a figure of digits only whose width, at the page's digit pitch, is the
    token's own ("Tl" two digits wide read again "7" is not)."""
    if pitch is None or len(new) != 1 or not new[0][0].isdigit():
        return False
    return abs(len(new[0][0]) * pitch - old[3]) <= 0.6 * pitch


# widths in digits of what a figure is printed with besides digits: a decimal comma or point, a minus or a
# parenthesis about half a digit; a percent sign 1.3–1.7 digits, and a space may stand before it ("31 %")
PUNCT_WIDTH = 0.5
PERCENT_WIDTH = (1.3, 2.4)


def _width_fits(word: list, pitch: float) -> bool:
    """A token of figures (perhaps with a percent sign) as wide as its characters at the digit pitch."""
    text = word[0]
    digits = sum(ch.isdigit() for ch in text)
    punct = sum(ch in ".,()-−–" for ch in text)
    low = high = digits + PUNCT_WIDTH * punct
    if "%" in text:
        low, high = low + PERCENT_WIDTH[0], high + PERCENT_WIDTH[1]
    return low * pitch - MISFIT * pitch <= word[3] <= high * pitch + MISFIT * pitch


def _fits_run(new: list[list], old: list[list], pitch: float | None) -> bool:
    """A run read again whose every token is as wide as its characters, spanning the old run's box: where the
    old reading had a token too wide or narrow for its digits ("314" four digits wide, "246" one wide: what
    the Swedish model made of "31 %" and "%"), a reading that fits the ink is the better one."""
    if pitch is None or not new or not all(_width_fits(w, pitch) for w in new):
        return False
    x0, x1 = old[0][1], old[-1][1] + old[-1][3]
    return abs(new[0][1] - x0) <= MISFIT * pitch and abs(new[-1][1] + new[-1][3] - x1) <= MISFIT * pitch


def _percent_read(tokens: list[str]) -> bool:
    """The last of several tokens is what a percent sign was read as ("50,00 20")."""
    return len(tokens) > 1 and tokens[-1] != "%" and is_percent_sign_misread(tokens[-1], share_due=False)


def _figure_reading(new: list[list]) -> bool:
    """Figures, perhaps followed by what a percent sign was read as ("50,00 20")."""
    tokens = [w[0] for w in new]
    if _percent_read(tokens):
        tokens = tokens[:-1]
    return bool(tokens) and all(_FIGURE_WORD.match(t) or t == "%" for t in tokens)


def _digits(words: list[list]) -> str:
    """The digits of a reading's words, one after another."""
    return "".join(ch for w in words for ch in w[0] if ch.isdigit())


def _same_digits(old: list[list], new: list[list]) -> bool:
    """The same digits in both readings, a percent sign's misreading after them left out of both."""
    if _percent_read([w[0] for w in new]) and len(old) > 1:
        return _digits(old[:-1]) == _digits(new[:-1])
    if new and new[-1][0].endswith("%"):
        # "35 26" or "3840" read again "35 %" or "38 %": the old digits are the new ones and a misread sign
        before, after = _digits(old), _digits(new)
        return before.startswith(after) and is_percent_sign_misread(before[len(after) :], share_due=False)
    return _digits(old) == _digits(new)


def _sign_for_misfit(old: list[list], new: list[list], pitch: float | None) -> bool:
    """The new reading has the digits of the old tokens that fit their boxes, and a percent sign where the old
    had a token that did not ("64 246" read again "64 %": the "246" one digit wide was the sign)."""
    unfit = [w for w in old if _misfit(w, pitch)]
    fit = [w for w in old if not _misfit(w, pitch)]
    signs = [w for w in new if w[0] == "%"]
    if not unfit or not signs or _digits(fit) != _digits(new):
        return False
    return all(any(s[1] < w[1] + w[3] and w[1] < s[1] + s[3] for s in signs) for w in unfit)


def _one_digit_apart(old: list[list], new: list[list]) -> bool:
    """One reading is the other's digits with one more put in: "7" read again "77" (Tesseract ran two like
    glyphs into one), "17,57" read again "7,57" (the stroke of a painted-out rule read as a 1) — what a box
    a digit too wide or too narrow for its first reading says. Taken even when read less surely than the old,
    since the old did not fit its ink; as a disputed reading (`_disputed`), so the checks see a figure OCR
    could not confirm."""
    before, after = _digits(old), _digits(new)
    short, long = sorted((before, after), key=len)
    if len(long) != len(short) + 1:
        return False
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


DISPUTED_CONFIDENCE = 89.0  # below finsam's clear reading (normalized.number_repair.CLEAR_READING)


def _disputed(old: list[list], new: list[list]) -> list[list]:
    """The new reading, read no more than DISPUTED_CONFIDENCE where its digits are not the old ones: two
    readings of the page disagree ("522" at 60, read again "922" at 94), so neither is a clear one, and the
    checks may still try the digits a misread would have changed."""
    if _digits(old) == _digits(new) or not _digits(old):
        return new
    return [[*w[:5], min(w[5], DISPUTED_CONFIDENCE)] for w in new]


def _within(new: list[list], old: list[list]) -> list[list]:
    """The words of a new reading that start inside the old run's extent: an enlarged box may catch the edge
    of a neighbour ("0" read again "% ska", the "ska" the next word's)."""
    x0, x1 = min(w[1] for w in old), max(w[1] + w[3] for w in old)
    return [w for w in new if w[1] < x1 and w[1] + w[3] > x0]


def reread_figures(words: list[list], image, lang: str, ruled=None) -> list[list]:
    """Runs of figures read unsurely (a word below FIGURE_REREAD_BELOW) or grouped wrong ("523 9153") read
    again, FIGURE_SCALE times larger, all of a page in one Tesseract call. The box of a run reaches half a
    text height beyond it, never past halfway to the next word on its line. A new reading replaces the run
    where it is figures (a percent sign's misreading may end it) read more surely than before, with the same
    digits or every word read at least 90 — a clear read may put back a digit the page read lost — or the
    same digits rightly grouped. On a ruled page, runs inside grid cells are left to ``reread_cells``."""
    height = median_height(words) if words else 0
    runs = [run + _sign_after(words, run, height) for run in figure_runs(words)]
    lone = set(_lone_unsure(words, height))
    runs += [[i] for i in sorted(lone)]
    pitch = digit_pitch(words)
    misfit = {run[0] for run in runs if any(_misfit(words[i], pitch) for i in run)}
    todo, boxes, heights = [], [], []
    for run in runs:
        ws = [words[i] for i in run]
        text = " ".join(w[0] for w in ws)
        if min(w[5] for w in ws) >= FIGURE_REREAD_BELOW and not _misgrouped(text) and run[0] not in misfit:
            continue
        x0, x1 = ws[0][1], ws[-1][1] + ws[-1][3]
        y0, y1 = min(w[2] for w in ws), max(w[2] + w[4] for w in ws)
        if ruled is not None and ruled.cell_at((x0 + x1) / 2, (y0 + y1) / 2) is not None:
            continue
        same_line = [w for w in words if w[2] < y1 and w[2] + w[4] > y0 and w not in ws]
        left = max((w[1] + w[3] for w in same_line if w[1] + w[3] <= x0), default=None)
        right = min((w[1] for w in same_line if w[1] >= x1), default=None)
        pad = height / 2
        bx0 = x0 - pad if left is None else max(x0 - pad, (left + x0) / 2)
        bx1 = x1 + pad if right is None else min(x1 + pad, (x1 + right) / 2)
        boxes.append(
            (max(0, bx0), max(0, y0 - pad / 2), min(image.width, bx1), min(image.height, y1 + pad / 2))
        )
        heights.append(sorted(w[4] for w in ws)[len(ws) // 2])
        todo.append(run)
    if not todo:
        return words
    replace: dict[int, list[list]] = {}
    drop: set[int] = set()
    found = read_boxes(image, boxes, _figures_model(lang), FIGURE_SCALE, heights)
    for run, new in zip(todo, found, strict=True):
        old = [words[i] for i in run]
        new = _within(new, old)
        if len(run) > 1 and not _FIGURE_WORD.match(old[-1][0]) and len(new) > 1 and new[-1][0] == old[-1][0]:
            # the word after the figure, taken in as a percent sign perhaps misread, read the same again: a
            # word of the text ("0 ska" read again "% ska"), left as it was
            run, old, new = run[:-1], old[:-1], new[:-1]
        if not new or not _figure_reading(new):
            continue
        old_text, text = " ".join(w[0] for w in old), " ".join(w[0] for w in new)
        same = _same_digits(old, new)
        if run[0] in misfit:
            if not _fits_run(new, old, pitch):
                continue
            least = min(w[5] for w in new)
            recounted = len(_digits(new)) != len(_digits(old))
            if (
                same
                or _sign_for_misfit(old, new, pitch)
                or (
                    recounted
                    and (least > min(w[5] for w in old) or least >= 90 or _one_digit_apart(old, new))
                )
            ):
                # the old reading did not fit its ink, the new one does, with the same digits, or another count
                # of them read more surely or clearly ("7" two digits wide, read 94, read again "77" at 93),
                # or the old digits with the one the box lacked put back or the one it had no room for left
                # out; other digits as many as before say nothing of the box ("522" read again "922")
                replace[min(run)] = _disputed(old, new)
                drop.update(run)
                continue
        elif run[0] in lone and not _fits(new, old[0], pitch):
            continue
        surer = min(w[5] for w in new) > min(w[5] for w in old)
        clear = min(w[5] for w in new) >= 90
        regrouped = same and _misgrouped(old_text) and not _misgrouped(text)
        if (surer and (same or clear)) or regrouped:
            replace[min(run)] = _disputed(old, new)
            drop.update(run)
    return _replaced(words, replace, drop)

"""Wrapped lines: where a line stands on a page (its height, its foot, the gap to the next), which lines of a
table are one cell wrapped rather than two rows (`tight_below`), and how a wrapped cell's text is joined
(`join_wrapped`). Shared by the table reader (extractor.header, extractor.rows) and the grid reader
(extractor.grid_header, extractor.grid), which tell rows from wraps each by its own kind of table.
"""

from __future__ import annotations

import re
from statistics import median_low

from extractor.lines import DocLine, is_value_text
from finsam.model import Line, Word


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

"""Table reading, step 5a: the caption above a table, read into its title and Not number.

Heading-like lines above a table are gathered nearest first (prose, key: value lines, footnotes and dot
leaders skipped); the title is a Not heading's name, a statement's name, the first header cell or the
nearest caption, in that order, and the caption text is kept for the kind and unit rules.
"""

from __future__ import annotations

import re

from extractor.columns import (
    is_label_header,
)
from extractor.lines import DocLine
from extractor.settings import TableSettings
from extractor.table_kinds import RESPONDENT_GROUP, statement_kind
from extractor.wraps import join_wrapped, line_gap, line_height

# "Not 5 Övriga kostnader"; OCR's Swedish model also reads the o with dots ("Nöt 5"), and a 1 as a capital
# I, a small l or a bar before the title's capital ("Not I Medlemsbidrag")
NOTE_TITLE = re.compile(r"^\s*n[oö]t(?:e|er)?\s*(\d{1,2}|(?-i:[Il|])(?=\s+[A-ZÅÄÖ]))\s*[.:)-]?\s*(.*)$", re.I)


def note_number(match: re.Match) -> int:
    """The number of a NOTE_TITLE match, its look-alike of 1 read as 1."""
    number = match.group(1)
    return int(number) if number.isdigit() else 1


_KEY_VALUE_LINE = re.compile(r"^[\wåäöÅÄÖ ]{2,20}:\s*[\d(]")  # "Period: 16-01-01 – 16-08-31"


SECTION_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)*\.?\s+(?=\D)")


DOT_LEADER = re.compile(r"\.{4,}|…{2,}")


def _clean_title(text: str) -> str:
    text = SECTION_NUMBER.sub("", text.strip())
    return re.sub(r"\s+", " ", text).strip(" :.\t")


def caption_above(lines: list[DocLine], start: int, settings: TableSettings) -> list[str]:
    """Heading-like lines above a table, nearest first (prose paragraphs, key: value lines and footnotes skipped)."""
    above = (ln for ln in reversed(lines[:start]) if not ln.blank)
    seen = 0

    def lines_above(limit: int):
        """The next lines up, until `limit` lines are seen in all or a table's line stands in the way (the
        search for a heading goes on above that line)."""
        nonlocal seen
        while seen < limit:
            ln = next(above, None)
            if ln is None or (ln.tabular and not _footnote(ln)):
                return
            seen += 1
            yield ln

    def texts_above(limit: int):
        return (ln.text.strip() for ln in lines_above(limit))

    found: list[str] = []
    below: DocLine | None = None  # the caption line found last, the one under the line read now
    for ln in lines_above(settings.title_lookback):
        t = ln.text.strip()
        if _KEY_VALUE_LINE.match(t) or re.match(r"^[\u00b9\u00b2\u00b3\u2070-\u209f*]", t) or _footnote(ln):
            below = None
            continue
        if t[:1].islower() and t.endswith("."):
            below = None  # a paragraph's last line ("förbrukningsmaterial."), no caption
            continue
        words = len(t.split())
        # the line above a caption that is a wrapped line's tail ("=122)", "inskrivning, avslut och …")
        # is the caption's head, however long: the two are one caption right above the table
        head = (
            seen == 2
            and below is not None
            and len(found) == 1
            and _wrapped_tail(found[0])
            and wrapped_heading(ln, below)
        )
        if words <= settings.title_max_words or (
            (seen == 1 or head)
            and words + (len(found[0].split()) if head else 0) <= settings.caption_max_words
            and not t.endswith((".", ":", "!", "?"))
        ):
            if DOT_LEADER.search(t):
                below = None
            elif below is not None and len(found) == 1 and wrapped_heading(ln, below):
                found[-1] = join_wrapped([t, found[-1]])  # the caption wrapped: one heading over two lines
                below = None
            else:
                found.append(t)
                below = ln
        elif NOTE_TITLE.match(t):
            found.append(t)
            below = None
        else:
            below = None
    if not found:  # only prose right above: the section heading further up names the table
        for t in texts_above(settings.heading_lookback):
            if len(t.split()) <= settings.heading_max_words and not t.endswith((".", ",")):
                return [t]
    return found


FOOTNOTE_PROSE_WORDS = 5


def _footnote(line: DocLine) -> bool:
    """A footnote whose mark OCR read as a plain digit: "4 | posten övriga kostnader ingår …", a mark of one
    or two digits as a cell of its own before a run of prose (a table's row has its figures after its label)."""
    cells = [c.strip() for c in line.cells if c.strip()]
    return (
        len(cells) == 2
        and bool(re.fullmatch(r"\d{1,2}", cells[0]))
        and len(cells[1].split()) >= FOOTNOTE_PROSE_WORDS
        and not re.search(r"\d", cells[1].split()[-1])
    )


def _wrapped_tail(text: str) -> bool:
    """A line that goes on the one above: it starts in lower case, or closes a parenthesis it did not open."""
    return text[:1].islower() or text.count(")") > text.count("(")


def wrapped_heading(upper: DocLine, lower: DocLine) -> bool:
    """Two lines of a page that are one heading wrapped: set in the same size from the same left edge, as
    close as the lines of a paragraph, the upper not ending a sentence. A heading over a sub-heading
    ("3. Balansräkning" / "Balansräkning") differs in size or stands further apart. An OCR'd line's box is
    only as tall as its letters reach, so there two lines of capitals, whose ink is as tall as their type,
    are compared: a line of mixed case is as tall as its letters happen to reach."""
    a, b = upper.line, lower.line
    if not (upper.positioned and lower.positioned) or a is None or b is None or upper.page != lower.page:
        return False
    if not a.cells or not b.cells or upper.text.rstrip().endswith((".", ":", "!", "?")):
        return False
    if upper.ocr and not (_capitals(upper.text) and _capitals(lower.text)):
        return False
    if any(_titles_alone(ln.text) for ln in (upper, lower)):
        return False  # "Noter" over "Not 2 Övriga intäkter": a heading over a caption of its own
    height = line_height(a)
    # ink of capitals is some 0.7 of the type's size, so the gap between their boxes is relatively larger
    gap = OCR_CAPITALS_GAP if upper.ocr else WRAPPED_GAP
    return (
        height > 0
        and abs(line_height(b) - height) <= 0.05 * height
        and abs(a.cells[0].x0 - b.cells[0].x0) <= 2.0
        and 0 <= line_gap(a, b) <= gap * height
    )


WRAPPED_GAP = 0.5  # a wrapped heading's lines stand at most this share of their height apart ...
OCR_CAPITALS_GAP = 0.75  # ... and OCR'd capitals, whose box is the capitals' ink, this share


def _capitals(text: str) -> bool:
    """Letters all capitals, and enough of them to tell."""
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 4 and all(ch.isupper() for ch in letters)


def _titles_alone(text: str) -> bool:
    """A line that is a caption on its own: a Not heading, a numbered section, a statement's name."""
    text = text.strip()
    return bool(NOTE_TITLE.match(text) or SECTION_NUMBER.match(text) or statement_kind(text))


def title_and_note(header_first: str, captions: list[str]) -> tuple[str, int | None, str]:
    """(title, note number, caption text searched for kind and unit)."""
    for cap in captions[:2]:
        m = NOTE_TITLE.match(cap)
        if m and (m.group(2) or "").strip():
            return _clean_title(m.group(2)), note_number(m), cap
    # a statement heading a few lines up, past footnotes and "Period:" lines ("BALANSRAPPORT")
    for cap in captions:
        if len(cap.split()) <= 6 and statement_kind(cap):
            return _clean_title(cap), None, cap
    first = header_first.strip()
    if (
        first
        and not is_label_header(first)
        and not re.match(r"^[-–]?(?:19|20)\d\d", first)
        and not re.search(RESPONDENT_GROUP, first)
    ):
        return _clean_title(first), None, " ".join([first] + captions[:1])
    if captions:
        return _clean_title(captions[0]), None, " ".join(captions[:2])
    return _clean_title(first) or "Tabell", None, first

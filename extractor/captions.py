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

NOTE_TITLE = re.compile(r"^\s*not(?:e|er)?\s*(\d{1,2})\s*[.:)-]?\s*(.*)$", re.I)


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

    def texts_above(limit: int):
        """The next lines up, until `limit` lines are seen in all or a table's line stands in the way (the
        search for a heading goes on above that line)."""
        nonlocal seen
        while seen < limit:
            ln = next(above, None)
            if ln is None or ln.tabular:
                return
            seen += 1
            yield ln.text.strip()

    found: list[str] = []
    for t in texts_above(settings.title_lookback):
        if _KEY_VALUE_LINE.match(t) or re.match(r"^[\u00b9\u00b2\u00b3\u2070-\u209f*]", t):
            continue
        words = len(t.split())
        if words <= settings.title_max_words or (
            seen == 1 and words <= settings.caption_max_words and not t.endswith((".", ":", "!", "?"))
        ):
            if not DOT_LEADER.search(t):
                found.append(t)
        elif NOTE_TITLE.match(t):
            found.append(t)
    if not found:  # only prose right above: the section heading further up names the table
        for t in texts_above(settings.heading_lookback):
            if len(t.split()) <= settings.heading_max_words and not t.endswith((".", ",")):
                return [t]
    return found


def title_and_note(header_first: str, captions: list[str]) -> tuple[str, int | None, str]:
    """(title, note number, caption text searched for kind and unit)."""
    for cap in captions[:2]:
        m = NOTE_TITLE.match(cap)
        if m and (m.group(2) or "").strip():
            return _clean_title(m.group(2)), int(m.group(1)), cap
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

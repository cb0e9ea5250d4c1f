"""Table reading, step 2 (flattened layouts): the block finders for tables whose layout was flattened to plain
lines (OCR text, some PDF text layers), where a row's figures are read off the line's end.

- `flat_blocks`: lines ending in a row of figures under a header line of column words ("Belopp i tkr Not
  2018 2017");
- `flat_row_blocks`: flattened lines with no readable header that end in the same number of small figures.
"""

from __future__ import annotations

import re

from extractor.blocks import Block
from extractor.captions import NOTE_TITLE
from extractor.lines import DocLine, is_value_text
from extractor.numbers import split_number_tail
from extractor.settings import TableSettings
from finsam.text import fold

_FLAT_HEADER_TOKEN = re.compile(
    r"^(?:not|belopp|i|1|l|tkr|kr|mkr|mnkr|tkr\.|kr\.|utfall|budget|avvikelse|prognos|bokslut|aktuell|helar|helår|"
    r"ing|utg|balans|period|andel|(?:19|20)\d\d|[-–]?(?:19|20)\d\d-\d\d-\d\d|jan\w*|dec\w*|aug\w*|jun\w*|"
    r"(?:jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec)[-–](?:$|jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec)\w*|"
    r"[-–|=~]+|\(tkr\)|\(kr\)|%)[.,:]?$",
    re.I,
)


_FLAT_ROLE_WORD = re.compile(r"^(?:utfall|budget|avvikelse|prognos|bokslut|andel|period|not)$", re.I)


def _flat_header_columns(text: str) -> tuple[list[str], bool] | None:
    """Column headers of a flattened header line ("Belopp i tkr. Not 2018 2017"), or None if it is not one."""
    tokens = text.split()
    if len(tokens) < 2 or not all(_FLAT_HEADER_TOKEN.match(t) for t in tokens):
        return None
    folded = [fold(t).strip(".,:") for t in tokens]
    note = "not" in folded
    columns: list[list[str]] = []
    pending: list[str] = []
    for tok, f in zip(tokens, folded, strict=True):
        if f in ("belopp", "i", "1", "l", "tkr", "kr", "mkr", "mnkr", "not", "(tkr)", "(kr)") or re.match(
            r"^[-–|=~]+$", f
        ):
            continue
        if re.match(r"^[-–]?(?:19|20)\d\d", f) or _FLAT_ROLE_WORD.match(f):
            columns.append(pending + [tok.lstrip("-–")])
            pending = []
        elif re.match(r"^(?:jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec)", f) and columns:
            columns[-1].append(tok)  # a period qualifies the column before it
        else:
            pending.append(tok)  # a modifier ("Aktuell") qualifies the column after it
    if pending and columns:
        columns[-1].extend(pending)
    if not columns:
        return None
    return [" ".join(c) for c in columns], note


def flat_row(text: str, ncols: int, note: bool = False) -> tuple[str, list[str]] | None:
    label, numbers = split_number_tail(text, ncols, note_column=note)
    if not numbers or not re.search(r"[A-Za-zÅÄÖåäö]", label):
        return None
    return label, numbers


def flat_blocks(lines: list[DocLine], taken: set[int], settings: TableSettings) -> list[Block]:
    """Tables whose layout was flattened to plain lines (OCR text, some PDF text layers)."""
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        ln = lines[i]
        parsed = None if (i in taken or ln.blank or ln.tabular) else _flat_header_columns(ln.text)
        if not parsed:
            i += 1
            continue
        columns, note = parsed
        header = [i]
        j = i + 1
        # a second header line of dates/years under the first ("2018-12-31 2018 2018-12-31")
        while j < len(lines) and lines[j].blank:
            j += 1
        if j < len(lines) and j not in taken and not lines[j].tabular:
            second = _flat_header_columns(lines[j].text)
            if second and len(second[0]) == len(columns):
                columns = [f"{a} {b}" for a, b in zip(columns, second[0], strict=True)]
                header.append(j)
                note = note or second[1]
                j += 1
            elif second:
                header.append(j)
                note = note or second[1]
                j += 1
        rows: list[int] = []
        misses = 0
        while j < len(lines) and j not in taken and not lines[j].tabular:
            t = lines[j].text.strip()
            if not t:
                j += 1
                continue
            if _flat_header_columns(t) or NOTE_TITLE.match(t) or re.match(r"^\d+\.\s+[A-ZÅÄÖ]", t):
                break
            if flat_row(t, len(columns)):
                rows.append(j)
                misses = 0
            elif len(t.split()) <= 8 and misses < 3:
                rows.append(j)  # a section heading or the tail of a wrapped label
                misses += 1
            else:
                break
            j += 1
        while rows and not flat_row(lines[rows[-1]].text, len(columns)):
            rows.pop()
        if sum(1 for r in rows if flat_row(lines[r].text, len(columns))) >= 2:
            blocks.append(Block(i, rows[-1] + 1, header, rows, True, columns, note))
            i = rows[-1] + 1
        else:
            i += 1
    return blocks


_PLAIN_FIGURE = re.compile(r"^[-\u2212\u2013(]?\d{1,3}(?:,\d+)?%?\)?$|^[-\u2212\u2013]$")


def _plain_figures(text: str) -> int:
    """How many small whole figures end the line, each its own token ("Kvinnor 368 270 126 134" -> 4),
    provided a label with letters comes first; 0 otherwise."""
    tokens = text.split()
    n = 0
    while n < len(tokens) and _PLAIN_FIGURE.match(tokens[-1 - n]):
        n += 1
    label = " ".join(tokens[: len(tokens) - n])
    return n if n >= 2 and re.search(r"[A-Za-zÅÄÖåäö]{2}", label) else 0


def flat_row_blocks(lines: list[DocLine], taken: set[int], settings: TableSettings) -> list[Block]:
    """Flattened tables with no readable header: three or more lines in a row that each end in the same
    number of small figures ("Kvinnor 34 10 47 36" / "Män 33 12 33 37" / "Totalt 68 22 81 75")."""
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        ln = lines[i]
        n = 0 if (i in taken or ln.blank or ln.tabular) else _plain_figures(ln.text)
        if not n:
            i += 1
            continue
        rows, j = [i], i + 1
        while j < len(lines) and j not in taken and not lines[j].tabular:
            if lines[j].blank:
                j += 1
                continue
            if _plain_figures(lines[j].text) != n:
                break
            rows.append(j)
            j += 1
        if len(rows) >= settings.flat_min_rows:
            # the line above is their header when it has one word per column ("Arbete Studier Arbetssökande Annan")
            k = i - 1
            while k >= 0 and lines[k].blank and k not in taken:
                k -= 1
            words = lines[k].text.split() if k >= 0 and k not in taken and not lines[k].tabular else []
            if len(words) == n and not any(is_value_text(w) for w in words):
                blocks.append(Block(k, rows[-1] + 1, [k], rows, True, words, False))
            else:
                blocks.append(Block(i, rows[-1] + 1, [], rows, True, [""] * n, False))
            i = rows[-1] + 1
        else:
            i += 1
    return blocks

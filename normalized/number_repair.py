"""Repair figures that an OCR lost their decimal comma and spaces from ('51159' for 5 115,9), and let the
report's own arithmetic confirm the reading.

A column printed with one decimal ("15 400,0", "-21 089,7") whose cell reads as bare digits ("51159",
"-20 4492") most likely lost its comma: the reading is the digits over ten to the column's precision. Such a
reading is applied, marked `repaired` (the raw text stays), and stays `uncertain` until the checks confirm it:
when every total and identity the column takes part in holds with the readings, they are confirmed; when they
do not, the printed figures are put back. Nothing is guessed silently.
"""

from __future__ import annotations

import re
from collections import Counter

from extractor.rows import DETACHED_DASH
from finsam.model import Table, Value

_BARE = re.compile(r"^[-−–]?\s*\d[\d\s]*$")  # digits (and spaces) only: no decimal separator
_DECIMALS = re.compile(r",(\d+)\s*$")
MIN_SHARE = 0.6  # the column's precision must hold for this share of its cells that print a comma or not


def column_precision(values: list[Value]) -> int | None:
    """Digits after the comma that most of a column's figures print; None when most print none."""
    counts: Counter = Counter()
    for v in values:
        raw = (v.raw or "").strip()
        m = _DECIMALS.search(raw)
        counts[len(m.group(1)) if m else 0] += 1
    if not counts:
        return None
    digits, n = counts.most_common(1)[0]
    return digits if digits > 0 and n / sum(counts.values()) >= MIN_SHARE else None


def candidate(raw: str, decimals: int) -> float | None:
    """'51159' in a one-decimal column → 5115.9; None when the token is not bare digits."""
    text = raw.strip()
    if not _BARE.match(text):
        return None
    negative = text[0] in "-−–"
    digits = re.sub(r"\D", "", text)
    if len(digits) <= decimals:
        return None
    value = int(digits) / 10**decimals
    return -value if negative else value


def repair_numbers(tables: list[Table], check) -> int:
    """Apply comma readings to damaged cells and keep those the checks confirm. Returns how many were kept.

    `check(tables)` returns the findings of the document's checks (normalized.checks.check_document)."""
    trials: list[tuple[Table, str, Value, float]] = []
    for table in tables:
        for col in table.columns:
            values = [
                r.values[col.key]
                for r in table.rows
                if col.key in r.values and r.values[col.key].value is not None
            ]
            decimals = column_precision(values)
            if not decimals:
                continue
            for v in values:
                if not v.uncertain or _DECIMALS.search(v.raw or ""):
                    continue
                reading = candidate(v.raw, decimals)
                if reading is not None and reading != v.value:
                    trials.append((table, col.key, v, v.value))
                    v.value, v.repaired = reading, True
    if not trials:
        return 0
    disputed = {(f.table_id, f.column) for f in check(tables) if f.severity in ("error", "warning")}
    kept = 0
    for table, key, v, printed in trials:
        confirmed = (table.id, key) not in disputed and _has_total(table, key)
        if confirmed:
            v.uncertain = False
            kept += 1
        else:
            v.value, v.repaired = printed, False  # unconfirmed: back to the figure as read
    return kept


def _has_total(table: Table, key: str) -> bool:
    return any(r.is_total and key in r.values for r in table.rows)


# Digits Tesseract confuses with each other, most likely first.
DIGIT_CONFUSIONS = {
    "0": "869",
    "1": "74",
    "2": "7",
    "3": "85",
    "4": "1",
    "5": "639",
    "6": "580",
    "7": "12",
    "8": "0369",
    "9": "805",
}


# a figure Tesseract read with this confidence or more is taken as printed: where it breaks a total, the
# report is wrong (a typo, a transposition), and a look-alike digit that would mend it is no better a guess
CLEAR_READING = 90.0
MAX_DIGIT_CHANGE = 0.5  # a digit reading may move a figure by at most half of it


def digit_variants(value: Value) -> list[float]:
    """Readings of an OCR'd figure with one digit swapped for a look-alike (2 212 136 → 2 272 136, …)."""
    raw = value.raw or ""
    if (
        value.value is not None
        and value.value == int(value.value)
        and re.sub(r"\D", "", raw) != str(abs(int(value.value)))
    ):
        raw = f"{int(value.value)}"  # read through look-alike letters ("TI" → 71): vary the figure as read
    digits = [i for i, ch in enumerate(raw) if ch.isdigit()]
    out = []
    for i in digits:
        for alt in DIGIT_CONFUSIONS.get(raw[i], ""):
            text = raw[:i] + alt + raw[i + 1 :]
            number = re.sub(r"[^\d,\-−–]", "", text).replace(",", ".").replace("−", "-").replace("–", "-")
            try:
                out.append(float(number))
            except ValueError:
                continue
    return out


_PRINTED = re.compile(r"\s*-?\d+(?:,(\d+))?")


def _printed_decimals(raw: str | None) -> int | None:
    """Digits after the comma of the figure a cell starts with ("7,2 Yo": 1, "64 %": 0)."""
    m = _PRINTED.match(raw or "")
    return len(m.group(1) or "") if m else None


def percent_sign_variants(value: Value, column: list[Value] = ()) -> list[float]:
    """Readings of a share whose percent sign OCR read as digits run into the figure ("31 %" read "3124",
    "42 %" read "42040", "14,2 %" read "14,220"): the figure without its last one to three digits, where
    what is left prints the decimals most of the other shares of its `column` print (so "14,22" in a column
    of two decimals is never cut to 14,2). Tesseract makes the sign of too many digits to list (the "24",
    "040" and "920" above besides finsam.misreads'); the share's part ÷ base decides among the readings."""
    raw = (value.raw or "").strip()
    if not re.fullmatch(r"\d{2,6}(?:,\d{1,4})?", raw):
        return []
    printed = Counter(d for v in column if v is not value and (d := _printed_decimals(v.raw)) is not None)
    decimals, n = printed.most_common(1)[0] if printed else (None, 0)
    if n < 2 or n / sum(printed.values()) < MIN_SHARE:
        decimals = None
    out = []
    for k in (1, 2, 3):
        head, tail = raw[:-k], raw[-k:]
        if head and not head.endswith(",") and tail.isdigit():
            if decimals is None or _printed_decimals(head) == decimals:
                out.append(float(head.replace(",", ".")))
    return out


def repair_ocr_digits(tables: list[Table], check, ocr_pages: set[int]) -> int:
    """Figures on OCR'd pages that break a total, a row's arithmetic or a share: try each look-alike digit in the cells
    the finding involves that were not read clearly (CLEAR_READING), and take a reading only when exactly
    one makes that finding go away without raising another. The raw text stays; the cell is marked
    repaired."""
    if not ocr_pages:
        return 0
    fixed = 0
    by_id = {t.id: t for t in tables}
    for f in check(tables):
        table = by_id.get(f.table_id)
        if (
            f.rule not in ("column_sum", "row_arithmetic", "percent", "sign")
            or table is None
            or f.page not in ocr_pages
        ):
            continue
        before = _problems(check, table)
        if (f.rule, f.row, f.column) not in before:
            continue  # already mended by an earlier reading
        solutions = []
        named = _cell_at(table, f)
        cells = [c for c in [named] if c is not None] if f.rule == "sign" else involved_cells(table, f)
        for cell in cells:
            if f.rule == "sign":
                # only a dash the reading set aside as a speck ("— 3 889 487", extractor.rows) is tried as
                # the figure's minus: a figure printed without one is the report's, and its error stands
                readings = [-cell.value] if DETACHED_DASH.match(cell.raw or "") else []
            else:
                # a sign read as digits is no look-alike digit: a share cell is tried without it however
                # clearly it was read
                share = f.rule == "percent" and cell is named
                readings = percent_sign_variants(cell, _column(table, f.column)) if share else []
                if cell.confidence is None or cell.confidence < CLEAR_READING:
                    readings += digit_variants(cell)
                # else read clearly: a printing error, which the finding reports, not a misread
            printed, was_repaired = cell.value, cell.repaired
            for reading in readings:
                too_big = abs(reading - printed) > MAX_DIGIT_CHANGE * max(abs(printed), 1.0)
                if too_big and f.rule in ("column_sum", "row_arithmetic"):
                    continue  # a misread digit near the front changes the figure's size: too big a guess,
                    # but for a share that part ÷ base gives to its last printed decimal ("1,57" for
                    # 7,57), and for a sign, whose change is the figure's whole
                cell.value, cell.repaired = reading, True  # repaired: its decimals are the reading's
                after = _problems(check, table)
                if (f.rule, f.row, f.column) not in after and len(after) < len(before):
                    solutions.append((len(after), cell, reading))
            cell.value, cell.repaired = printed, was_repaired
        best = min((n for n, _, _ in solutions), default=None)
        winners = [(c, r) for n, c, r in solutions if n == best]
        if len(winners) == 1:
            cell, reading = winners[0]
            cell.value, cell.repaired, cell.uncertain = reading, True, False
            fixed += 1
    return fixed


def _cell_at(table: Table, finding) -> Value | None:
    """The cell a finding names (its row and column), when it holds a figure."""
    row = next((r for r in table.rows if r.label == finding.row and finding.column in r.values), None)
    cell = row.values[finding.column] if row else None
    return cell if cell is not None and cell.value is not None else None


def _column(table: Table, key: str) -> list[Value]:
    return [r.values[key] for r in table.rows if key in r.values]


def _problems(check, table: Table) -> set[tuple]:
    # what a repair says of itself (ocr_reading) is no problem of the table's
    return {
        (f.rule, f.row, f.column)
        for f in check([table])
        if f.severity in ("error", "warning") and f.rule != "ocr_reading"
    }


def involved_cells(table: Table, finding) -> list[Value]:
    """The cells a finding rests on: the row's figures (row arithmetic, a share), or the total and the rows it
    closes."""
    rows = table.rows
    index = next(
        (i for i, r in enumerate(rows) if r.label == finding.row and finding.column in r.values), None
    )
    if index is None:
        return []
    if finding.rule in ("row_arithmetic", "percent"):
        return [v for v in rows[index].values.values() if v.value is not None]
    start = index - 1
    while start >= 0 and not rows[start].is_total:
        start -= 1
    cells = [rows[i].values.get(finding.column) for i in range(start + 1, index + 1)]
    return [v for v in cells if v is not None and v.value is not None]

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

"""Column footing: every Summa / Totalt / S:a row against the rows it closes.

A total closes the rows above it back to the previous total or heading; a grand total adds subtotals (and the
loose rows between them); a result line may subtract one subtotal from another when costs are printed
positive. Every such reading is tried, and only a total that no reading explains is flagged. A total whose
magnitude is right but whose sign is wrong is a `sign` finding, not a sum error. The lines of a cash-flow
statement that the cash_flow rule checks (normalized/rules/cashflow.py) are left to it, so one discrepancy is
reported once, with the figure the statement's own arithmetic gives.
"""

from __future__ import annotations

import itertools
import re

from finsam.model import Finding, Row, Table, Value
from normalized.checks import (
    ADDITIVE_ROLES,
    CheckContext,
    consistent,
    exact_sum,
    finding,
    fmt,
    numeric,
    rule,
    severity_for,
)
from normalized.rules.cashflow import covered

# Totals by name. Other rows marked total (results, closing balances) are checked by the identity rules.
STRONG_TOTAL = re.compile(r"^\s*(?:\d+\.\s*)?(?:summa|s:a|s\.a\.|totalt?|total|tot\.|sammanlagt)\b", re.I)
MAX_SIGNED_UNITS = 4  # try ± combinations only over this many rows or subtotals
PLAUSIBLE_RATIO = 50.0


def _blocks(table: Table, key: str) -> list[tuple[int, list[list[tuple[int, int]]]]]:
    """For each total row: the candidate readings, each a list of (row index, sign) components."""
    rows = table.rows
    consumed: dict[int, int] = {}  # total row index -> first row of the block it was read to close
    out = []
    for i, row in enumerate(rows):
        if not row.is_total or numeric(row, key) is None:
            continue
        candidates: list[list[tuple[int, int]]] = []
        for start in range(i - 1, -1, -1):
            units, ok, j = [], True, i - 1
            while j >= start:
                r = rows[j]
                if r.is_total and j in consumed:
                    if consumed[j] < start:
                        ok = False
                        break
                    units.append(j)
                    j = consumed[j] - 1
                    continue
                if numeric(r, key) is not None:
                    units.append(j)
                j -= 1
            if ok and units:
                units.reverse()
                reading = [(u, 1) for u in units]
                if reading not in candidates:
                    candidates.append(reading)
                if 2 <= len(units) <= MAX_SIGNED_UNITS:
                    for signs in itertools.product((1, -1), repeat=len(units) - 1):
                        signed = [(units[0], 1)] + [(u, s) for u, s in zip(units[1:], signs, strict=True)]
                        if signed not in candidates:
                            candidates.append(signed)
        out.append((i, candidates))
        explained = next(
            (c for c in candidates if consistent(numeric(row, key), *_values(rows, key, c))), None
        )
        if explained:
            consumed[i] = min(consumed.get(u, u) if rows[u].is_total else u for u, _ in explained)
        else:
            consumed[i] = _natural_start(rows, i, key, consumed)
    return out


def _values(rows: list[Row], key: str, reading: list[tuple[int, int]]) -> tuple[list[Value], list[int]]:
    return [numeric(rows[u], key) for u, _ in reading], [s for _, s in reading]


def _natural_start(rows: list[Row], i: int, key: str, consumed: dict[int, int]) -> int:
    """The rows a reader would add: back to the previous total or heading row."""
    j = i - 1
    while j >= 0 and not rows[j].is_total and (numeric(rows[j], key) is not None or j == i - 1):
        j -= 1
    start = j + 1
    if start >= i and j >= 0 and rows[j].is_total:  # a total straight after a total: add the subtotals
        return consumed.get(j, j)
    return start


@rule("column_sum")
def column_sum(ctx: CheckContext) -> list[Finding]:
    found: list[Finding] = []
    for table in ctx.tables:
        checked_elsewhere = covered(table)  # a cash-flow statement's lines are the cash_flow rule's
        for col in table.columns:
            if col.role not in ADDITIVE_ROLES:
                continue
            for i, candidates in _blocks(table, col.key):
                if (i, col.key) in checked_elsewhere:
                    continue
                row = table.rows[i]
                stated = numeric(row, col.key)
                if not candidates or any(
                    consistent(stated, *_values(table.rows, col.key, c)) for c in candidates
                ):
                    continue
                natural = _natural_reading(table, i, col.key, candidates)
                parts, signs = _values(table.rows, col.key, natural)
                expected = exact_sum(parts, signs)
                if abs(expected) > 0 and consistent(Value(stated.raw, -stated.value), parts, signs):
                    found.append(
                        finding(
                            "sign",
                            table,
                            row,
                            col.key,
                            stated.value,
                            expected,
                            f"{row.label} is printed {fmt(stated.value)} but its {len(parts)} rows add up to "
                            f"{fmt(expected)}: the sign is wrong",
                            severity_for(stated, *parts),
                        )
                    )
                    continue
                strong = bool(STRONG_TOTAL.match(row.label or ""))
                if not _plausible_sum(stated.value, expected):
                    continue  # "Summa omsättning" under counts of companies: a figure of its own, not a sum
                found.append(
                    finding(
                        "column_sum",
                        table,
                        row,
                        col.key,
                        stated.value,
                        expected,
                        f"{row.label} ({col.header}) is {fmt(stated.value)} but the {len(parts)} rows above add "
                        f"up to {fmt(expected)} (difference {fmt(stated.value - expected)})",
                        severity_for(stated, *parts, default="error" if strong else "warning"),
                    )
                )
    return found


def _plausible_sum(stated: float, expected: float) -> bool:
    """A total and the sum of its rows are of one magnitude; one 50 times the other was never a sum."""
    big, small = max(abs(stated), abs(expected)), min(abs(stated), abs(expected))
    return big <= PLAUSIBLE_RATIO * max(small, 1.0)


def _natural_reading(table: Table, i: int, key: str, candidates: list[list[tuple[int, int]]]):
    """Of the readings, the one that starts where a reader would start: after the previous total/heading."""
    rows = table.rows
    j = i - 1
    while j >= 0 and not rows[j].is_total and numeric(rows[j], key) is not None:
        j -= 1
    start = j + 1 if j + 1 < i else None
    unsigned = [c for c in candidates if all(s == 1 for _, s in c)]
    for c in unsigned:
        if start is not None and min(u for u, _ in c) == start:
            return c
    return unsigned[-1] if unsigned else candidates[0]

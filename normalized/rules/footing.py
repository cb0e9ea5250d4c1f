"""Column footing: every Summa / Totalt / S:a row against the rows it closes.

A total closes the rows above it back to the previous total or heading; a grand total adds subtotals (and the
loose rows between them); a result line may subtract one subtotal from another when costs are printed
positive. Every such reading is tried, and only a total that no reading explains is flagged. A total whose
magnitude is right but whose sign is wrong is a `sign` finding, not a sum error. The lines of a cash-flow
statement that the cash_flow rule checks (normalized/rules/cashflow.py) are left to it, so one discrepancy is
reported once, with the figure the statement's own arithmetic gives.

- A heading that names a total ('Skulder' … 'Summa skulder', 'EGET KAPITAL OCH SKULDER' … 'SUMMA EGET
  KAPITAL OCH SKULDER') bounds its section: the grand total adds the subtotals under it, never a total of
  the section before it.
- One row is no sum (a key-figure overview's 'Summa intäkter' under 'Medlemsavgifter' stands for lines it
  does not print), unless a heading naming the total says the one row is all it closes.
- A line printed without its sign (a cost of 610 among costs of −1 690 and −7 180 under −9 480) is a `sign`
  finding at that line, where only turning its sign makes the total hold.
- A difference that a cell the row arithmetic already proves wrong explains (a row's avvikelse off by 6 000,
  the avvikelse column's footing off by the same) is reported as its consequence (info), not a second error.
- Kvinnor / Män (/ Annat) rows of a participant table add up to its Totalt row, exactly.
"""

from __future__ import annotations

import itertools
import re

from finsam.model import Finding, Row, Table, Value
from finsam.text import fold_label
from normalized.rules.base import (
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
_TOTAL_WORD = re.compile(r"^(?:\d+\s+)?(?:summa|totalt|total|tot|sammanlagt)\b")  # on folded labels
MAX_SIGNED_UNITS = 4  # try ± combinations only over this many rows or subtotals
PLAUSIBLE_RATIO = 50.0


def _heading_bound(rows: list[Row], i: int) -> int | None:
    """The first row after the heading that names total i ('Skulder' … 'Summa skulder', 'EGET KAPITAL OCH
    SKULDER' … 'SUMMA EGET KAPITAL OCH SKULDER'): the total closes that heading's section and no more.
    None when no heading above names it."""
    named = _TOTAL_WORD.sub("", fold_label(rows[i].label or ""), count=1).strip()
    if not named:
        return None
    for j in range(i - 1, -1, -1):
        r = rows[j]
        if (
            not any(v is not None and v.value is not None for v in r.values.values())
            and fold_label(r.label) == named
        ):
            return j + 1
    return None


def _blocks(table: Table, key: str) -> list[tuple[int, list[list[tuple[int, int]]], int | None]]:
    """For each total row: the candidate readings, each a list of (row index, sign) components, and the
    first row of the section a heading that names the total opens (None when no heading names it)."""
    rows = table.rows
    consumed: dict[int, int] = {}  # total row index -> first row of the block it was read to close
    out = []
    for i, row in enumerate(rows):
        if not row.is_total or numeric(row, key) is None:
            continue
        candidates: list[list[tuple[int, int]]] = []
        bound = _heading_bound(rows, i)
        for start in range(i - 1, (bound or 0) - 1, -1):
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
        out.append((i, candidates, bound))
        explained = next(
            (c for c in candidates if consistent(numeric(row, key), *_values(rows, key, c))), None
        )
        if explained:
            consumed[i] = min(consumed.get(u, u) if rows[u].is_total else u for u, _ in explained)
        elif bound is not None:
            consumed[i] = bound
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
        proved = None  # the cells the table's row identities prove wrong, computed when first needed
        for col in table.columns:
            if col.role not in ADDITIVE_ROLES:
                continue
            for i, candidates, bound in _blocks(table, col.key):
                if (i, col.key) in checked_elsewhere or not candidates:
                    continue
                row = table.rows[i]
                stated = numeric(row, col.key)
                if any(
                    consistent(stated, *_values(table.rows, col.key, c))
                    for c in candidates
                    if all(s == 1 for _, s in c)
                ):
                    continue
                natural = _natural_reading(table, i, col.key, candidates)
                culprit = _unsigned_part(table.rows, col.key, stated, natural)
                if culprit is not None:
                    found.append(_part_sign_finding(table, col, row, natural, culprit))
                    continue
                if any(consistent(stated, *_values(table.rows, col.key, c)) for c in candidates):
                    continue  # a result line subtracting costs printed positive
                if len(natural) == 1 and bound is None:
                    # one row is no sum: a key-figure overview's 'Summa intäkter' under 'Medlemsavgifter'
                    # stands for lines it does not print. Only a heading naming the total ('Skulder' …
                    # 'Summa skulder') says that the one row is all it closes.
                    continue
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
                message = (
                    f"{row.label} ({col.header}) is {fmt(stated.value)} but the {len(parts)} rows above add "
                    f"up to {fmt(expected)} (difference {fmt(stated.value - expected)})"
                )
                severity = severity_for(stated, *parts, default="error" if strong else "warning")
                if proved is None:
                    from normalized.rules.rows import proved_cells  # here: rules register in module order

                    proved = proved_cells(table)
                cause = _root_cause(table.rows, col.key, stated, candidates, natural, proved)
                if cause is not None:
                    message += f": a consequence of {cause}, not a second error"
                    severity = "info"
                found.append(
                    finding("column_sum", table, row, col.key, stated.value, expected, message, severity)
                )
        found += _gender_rows(table)
    return found


def _gender_rows(table: Table) -> list[Finding]:
    """A participant table with Kvinnor / Män (/ Annat) / Totalt rows: Totalt is their sum, exactly, in every
    column the footing above leaves alone (columns of no additive role; shares and targets excepted)."""
    from normalized.rules.participants import gender, head_count  # here: rules register in module order

    if table.kind not in ("participants", "other") or table.unit in ("kr", "tkr", "mkr", "percent"):
        return []
    by_gender: dict[str, list[Row]] = {}
    for row in table.rows:
        key = gender(row.label)
        if key is not None and row.values:
            by_gender.setdefault(key, []).append(row)
    if (
        any(len(by_gender.get(g, [])) != 1 for g in ("kvinnor", "man", "totalt"))
        or len(by_gender.get("annat", [])) > 1
    ):
        return []
    total = by_gender["totalt"][0]
    rows = by_gender["kvinnor"] + by_gender["man"] + by_gender.get("annat", [])
    found = []
    for col in table.columns:
        if col.role in ADDITIVE_ROLES or col.role in ("share", "target") or "%" in (col.header or ""):
            continue
        stated, parts = numeric(total, col.key), [numeric(r, col.key) for r in rows]
        if (
            stated is None
            or any(p is None for p in parts)
            or not all(head_count(x) for x in [stated, *parts])
        ):
            continue
        expected = sum(p.value for p in parts)
        if stated.value != expected:
            found.append(
                finding(
                    "column_sum",
                    table,
                    total,
                    col.key,
                    stated.value,
                    expected,
                    f"{total.label} ({col.header or col.key}) is {fmt(stated.value)} but "
                    f"{' + '.join(r.label for r in rows)} give {fmt(expected)} "
                    f"(difference {fmt(stated.value - expected)})",
                    severity_for(stated, *parts),
                )
            )
    return found


def _unsigned_part(rows: list[Row], key: str, stated: Value, reading: list[tuple[int, int]]) -> int | None:
    """The one line of a block printed without its sign: the block's other lines (two or more, none of them
    a subtotal) and its total all have one sign, this line has the other, and the total holds only with the
    line's sign turned. ('Övriga kostnader 610' among costs of -1 690 and -7 180 under a total of -9 480.)"""
    if any(s != 1 for _, s in reading) or any(rows[u].is_total for u, _ in reading):
        return None
    values = {u: numeric(rows[u], key) for u, _ in reading}
    side = 1 if stated.value > 0 else -1 if stated.value < 0 else 0
    odd = [u for u, x in values.items() if x.value * side < 0]
    others = [u for u, x in values.items() if x.value * side > 0]
    if side == 0 or len(odd) != 1 or len(others) < 2:
        return None
    u = odd[0]
    turned = [Value(x.raw, -x.value) if w == u else x for w, x in values.items()]
    return u if consistent(stated, turned) else None


def _part_sign_finding(table: Table, col, total: Row, reading: list[tuple[int, int]], u: int) -> Finding:
    row, bad = table.rows[u], numeric(table.rows[u], col.key)
    others = len(reading) - 1
    return finding(
        "sign",
        table,
        row,
        col.key,
        bad.value,
        -bad.value,
        f"{row.label} ({col.header}) is printed {fmt(bad.value)} but the {others} other lines of "
        f"{total.label} are {'negative' if bad.value > 0 else 'positive'} and its "
        f"{fmt(numeric(total, col.key).value)} only holds with {fmt(-bad.value)}: the sign is missing",
        severity_for(bad, numeric(total, col.key)),
    )


def _root_cause(rows, key, stated, candidates, natural, proved) -> str | None:
    """When a cell of the block is one its row's arithmetic already proves wrong (a row's avvikelse off by
    6 000) and the value that arithmetic gives makes the total hold, the footing's difference is that
    error seen a second time: a description of the cell, else None."""
    for reading in [natural] + [c for c in candidates if c is not natural]:
        fixed = [(u, proved[(u, key)]) for u, _ in reading if (u, key) in proved]
        if not fixed:
            continue
        corrections = dict(fixed)
        parts, signs = _values(rows, key, reading)
        parts = [
            Value(p.raw, corrections[u][0]) if u in corrections else p
            for (u, _), p in zip(reading, parts, strict=True)
        ]
        if consistent(stated, parts, signs):
            cells = [corrections[u][1] for u, _ in fixed]
            return " and ".join(
                f"{f.row} ({f.rule}: printed {fmt(f.stated)}, its row gives {fmt(f.expected)})" for f in cells
            )
    return None


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

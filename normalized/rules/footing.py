"""Column footing: every Summa / Totalt / S:a row, and every result line, against the rows it closes.

What a total closes is read from the table's layout, not from whatever rows happen to add up to it:

- a Summa closes its block, the rows back to the previous total or heading; a total straight after
  subtotals adds the subtotals (and the loose rows between them) of its section, a section starting after a
  total or a heading; a heading that names the total ('Skulder' … 'Summa skulder', 'EGET KAPITAL OCH
  SKULDER' … 'SUMMA EGET KAPITAL OCH SKULDER') bounds it;
- a result line (Verksamhetens nettokostnad, Resultat före extraordinära poster, Årets resultat) closes its
  whole section, subtotals standing for their rows: nettokostnad + finansiella poster = resultat; where the
  table prints its costs positive (most of its cost lines say so) the result subtracts them, else it adds
  them as printed, so a cost line printed without its minus does not vanish into the reading;
- one row is no sum (a key-figure overview's 'Summa intäkter' under 'Medlemsavgifter' stands for lines it
  does not print), unless a heading naming the total, a line printing nothing right above it (Platskostnad
  130, Övrigt –, Totalt 130), or a subtotal the total carries down (Summa omsättningstillgångar … Summa
  tillgångar) says it is all; a note or a cash-flow statement prints every line its totals close.

A total none of these readings explains is flagged. Another run or ± mix of the rows above that explains it
(A 100, B 50, C 30, Summa 80 = B + C) makes that finding a warning naming both readings, never a consistent
total. Rounding follows the XBRL intervals of base.py; head counts (a participant table's whole persons)
add up exactly, and a negative one is summed as printed. A total whose magnitude is right but whose sign is
wrong, or a line printed without its sign among lines of the other (a cost of 610 among costs of −1 690 and
−7 180 under −9 480), is a `sign` finding. A difference that a cell the row arithmetic already proves wrong
explains (a row's avvikelse off by 6 000, the avvikelse column's footing off by the same) is reported as its
consequence (info). The lines of a cash-flow statement that the cash_flow rule checks
(normalized/rules/cashflow.py) are left to it. Kvinnor / Män (/ Annat) rows of a participant table add up
to its Totalt row, exactly.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from finsam.model import Finding, Row, Table, Value
from finsam.text import fold_label
from normalized.rules.base import (
    ADDITIVE_ROLES,
    MONEY_OR_SHARE,
    CheckContext,
    consistent,
    exact_sum,
    finding,
    fmt,
    numeric,
    rule,
    severity_for,
    whole_number,
)
from normalized.rules.cashflow import covered

# Totals by name (a failing one is an error); other rows marked total are result lines (a warning).
STRONG_TOTAL = re.compile(r"^\s*(?:\d+\.\s*)?(?:summa|s:a|s\.a\.|totalt?|total|tot\.|sammanlagt)\b", re.I)
_TOTAL_WORD = re.compile(r"^(?:\d+\s+)?(?:summa|totalt|total|tot|sammanlagt)\b")  # on folded labels
MAX_SIGNED_UNITS = 4  # try ± combinations only over this many rows or subtotals
# On folded labels: a result line's words, and the words of a cost line (a result subtracts it when the table
# prints its costs positive).
_RESULT_WORD = re.compile(r"resultat|netto|overskott|underskott")
_COST_WORD = re.compile(r"kostnad|utgift|avskrivning")
_NAME_WORD = re.compile(r"[a-z]{5,}")
# Tables that print every line their totals close, so that a total over one line is still a sum.
LISTS_EVERY_LINE = ("note", "kassaflodesanalys")
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


@dataclass
class Footing:
    """What one total of a column closes, read from the table's structure.

    `readings` are the table's own: the rows back to the previous total or heading (the block), and the
    subtotals and loose rows back to the heading that names the total or to the top (the section), each unit
    signed as the statement's layout says (a result line subtracts costs printed positive; a Summa adds). A
    total none of them explains is flagged; `others` are the other runs and ± mixes of the rows above that
    would explain it, named in a warning so that an analyst sees both readings, never taken as consistent."""

    index: int
    bound: int | None  # first row of the section a heading naming the total opens
    readings: list[list[tuple[int, int]]] = field(default_factory=list)
    others: list[list[tuple[int, int]]] = field(default_factory=list)

    @property
    def natural(self) -> list[tuple[int, int]]:
        return self.readings[0]


def _carried(total: Row, unit: Row) -> bool:
    """A subtotal that the total below it carries down: both name the same thing ('Summa
    omsättningstillgångar' … 'Summa tillgångar', 'Resultat efter finansiella poster' … 'Årets resultat'),
    not a key-figure overview's next figure ('Summa verksamhetens intäkter' … 'Årets resultat')."""
    if not unit.is_total:
        return False
    words = [set(_NAME_WORD.findall(_TOTAL_WORD.sub("", fold_label(r.label)))) for r in (total, unit)]
    return any(a.endswith(b) or b.endswith(a) for a in words[0] for b in words[1])


def _is_result(label: str) -> bool:
    """A result line (Verksamhetens nettokostnad, Årets resultat, Summa resultat) rather than a sum of items."""
    folded = fold_label(label)
    return not STRONG_TOTAL.match(label or "") or bool(_RESULT_WORD.search(folded))


def _is_cost(row: Row) -> bool:
    label = fold_label(row.label)
    return bool(_COST_WORD.search(label) or _COST_WORD.search(fold_label(row.section or ""))) and not (
        _RESULT_WORD.search(label)
    )


def _costs_printed_positive(table: Table) -> bool:
    """Does the table print its costs as positive figures (to be subtracted), most of its cost lines say?"""
    votes = 0
    for row in table.rows:
        if _is_cost(row):
            for col in table.columns:
                x = numeric(row, col.key) if col.role in ADDITIVE_ROLES else None
                if x is not None and x.value:
                    votes += 1 if x.value > 0 else -1
    return votes > 0


def _line_item(row: Row) -> bool:
    """A row of the table's body (not a total, not a heading: it prints a figure in some column)."""
    return not row.is_total and any(v is not None and v.value is not None for v in row.values.values())


def _footings(table: Table, key: str) -> list[Footing]:
    """Each total of the column with the readings of what it closes (see Footing)."""
    rows = table.rows
    subtract_costs = _costs_printed_positive(table)
    consumed: dict[int, int] = {}  # total row index -> first row of the block it was read to close
    out = []
    for i, row in enumerate(rows):
        if not row.is_total or numeric(row, key) is None:
            continue
        bound = _heading_bound(rows, i)
        runs: list[tuple[int, list[int]]] = []  # (first row, the units back to it), shortest first
        for start in range(i - 1, (bound or 0) - 1, -1):
            units = _units(rows, key, start, i, consumed)
            if units and all(units != u for _, u in runs):
                runs.append((start, units))
        result = _is_result(row.label)

        def signed(units: list[int], result=result) -> list[tuple[int, int]]:
            return [(u, -1 if result and subtract_costs and _is_cost(rows[u]) else 1) for u in units]

        # the block: back to the previous total or heading; a row printing nothing right above the total is
        # one of its lines (Platskostnad 130, Övrigt –, Totalt 130), not a heading
        j = i - 1
        empty_line = (
            j >= (bound if bound is not None else 1)
            and not rows[j].is_total
            and not _line_item(rows[j])
            and _line_item(rows[j - 1])
        )
        j -= empty_line
        while j >= 0 and _line_item(rows[j]):
            j -= 1
        block = [u for u in range(j + 1, i) if numeric(rows[u], key) is not None]
        # a section starts after a total or a heading (or at the heading naming the total, or the top): the
        # subtotals and rows from there are the table's own readings; a run from the middle of a block is not
        top = bound if bound is not None else 0
        starts = {top} | {k + 1 for k in range(top, i) if not _line_item(rows[k])}
        sections = [units for start, units in runs if start in starts]
        # the natural reading first: a Summa closes its block, a result line its whole section (Resultat före
        # extraordinära poster = Verksamhetens nettokostnad + the financial lines, not those lines alone)
        ordered = [*sections[::-1], block] if result else [block, *sections[::-1]]
        readings = [signed(r) for r in ordered if r]
        readings = [r for n, r in enumerate(readings) if r not in readings[:n]]
        # one row is no sum (a key-figure overview's 'Summa intäkter' under 'Medlemsavgifter' stands for lines
        # it does not print), unless a heading naming the total or a line printing nothing says it is all, or
        # the table prints every line its totals close (a note: Årets resultat … Utgående eget kapital), or the
        # one row is a subtotal the total carries down (Summa omsättningstillgångar … Summa tillgångar)
        if bound is None and not empty_line and table.kind not in LISTS_EVERY_LINE:
            readings = [r for r in readings if len(r) > 1 or _carried(rows[i], rows[r[0][0]])]
        others = []
        for _, units in runs:
            for signs in _sign_mixes(len(units)):
                reading = [(u, s) for u, s in zip(units, signs, strict=True)]
                if reading not in readings and reading not in others:
                    others.append(reading)
        footing = Footing(i, bound, readings, others)
        out.append(footing)
        stated = numeric(row, key)
        explained = next(
            (r for r in readings + others if consistent(stated, *_values(rows, key, r))), None
        ) or (readings[0] if readings else None)
        if explained:
            consumed[i] = min(consumed.get(u, u) if rows[u].is_total else u for u, _ in explained)
        else:
            consumed[i] = bound if bound is not None else j + 1
    return out


def _units(rows: list[Row], key: str, start: int, i: int, consumed: dict[int, int]) -> list[int]:
    """The rows and subtotals from `start` up to total i, a subtotal standing for the rows it closed; [] when
    a subtotal closed rows before `start`."""
    units, j = [], i - 1
    while j >= start:
        if rows[j].is_total and j in consumed:
            if consumed[j] < start:
                return []
            units.append(j)
            j = consumed[j] - 1
            continue
        if numeric(rows[j], key) is not None:
            units.append(j)
        j -= 1
    return units[::-1]


def _sign_mixes(n: int):
    """+ for every unit, then, over up to MAX_SIGNED_UNITS units, every other mix of + and −."""
    yield (1,) * n
    if 2 <= n <= MAX_SIGNED_UNITS:
        for signs in itertools.product((1, -1), repeat=n):
            if any(s == -1 for s in signs):
                yield signs


def _values(rows: list[Row], key: str, reading: list[tuple[int, int]]) -> tuple[list[Value], list[int]]:
    return [numeric(rows[u], key) for u, _ in reading], [s for _, s in reading]


@rule("column_sum")
def column_sum(ctx: CheckContext) -> list[Finding]:
    found: list[Finding] = []
    for table in ctx.tables:
        checked_elsewhere = covered(table)  # a cash-flow statement's lines are the cash_flow rule's
        proved = None  # the cells the table's row identities prove wrong, computed when first needed
        for col in table.columns:
            exact = _head_counts(table, col)
            if col.role not in ADDITIVE_ROLES and not (exact and col.role in ("other", "target")):
                continue  # shares, averages and goals do not add up; a participant table's counts do
            for footing in _footings(table, col.key):
                i = footing.index
                if (i, col.key) in checked_elsewhere or not footing.readings:
                    continue
                row = table.rows[i]
                stated = numeric(row, col.key)
                if any(_holds(stated, table.rows, col.key, r, exact) for r in footing.readings):
                    continue
                natural = footing.natural
                culprit = _unsigned_part(table.rows, col.key, stated, natural)
                if culprit is not None:
                    found.append(_part_sign_finding(table, col, row, natural, culprit))
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
                if not _structure_says_sum(table, footing) and not _plausible_sum(stated.value, expected):
                    continue  # "Summa omsättning" under counts of companies: a figure of its own, not a sum
                strong = bool(STRONG_TOTAL.match(row.label or ""))
                message = (
                    f"{row.label} ({col.header}) is {fmt(stated.value)} but the {len(parts)} rows above "
                    f"{_how(table.rows, natural)} {fmt(expected)} (difference {fmt(stated.value - expected)})"
                )
                severity = severity_for(stated, *parts, default="error" if strong else "warning")
                unread = _unread_parts(table.rows, col.key, i)
                if unread:
                    # a part that could not be read as a figure ("ol" where OCR lost a 71): the total cannot
                    # be said to be wrong, only not confirmed
                    message += (
                        f"; {', '.join(repr(r.values[col.key].raw) for r in unread)} above could not be read "
                        "as a figure, so the sum is not confirmed"
                    )
                    severity = "warning"
                if proved is None:
                    from normalized.rules.rows import proved_cells  # here: rules register in module order

                    proved = proved_cells(table)
                cause = _root_cause(table.rows, col.key, stated, footing, proved, exact)
                other = next(
                    (
                        r
                        for r in footing.others
                        if not (exact and any(s == -1 for _, s in r))  # head counts never subtract
                        and _holds(stated, table.rows, col.key, r, exact)
                    ),
                    None,
                )
                if cause is not None:
                    message += f": a consequence of {cause}, not a second error"
                    severity = "info"
                elif other is not None:
                    # a reading the table's structure does not give: both are said, and it is not an error
                    message += (
                        f"; it holds only as {_describe(table.rows, col.key, other)}, which is not how the "
                        "table is laid out: check which lines it closes"
                    )
                    severity = "warning"
                found.append(
                    finding("column_sum", table, row, col.key, stated.value, expected, message, severity)
                )
        found += _gender_rows(table)
    return found


def _unread_parts(rows: list[Row], key: str, i: int) -> list[Row]:
    """The rows above total i, back to the previous total or heading, whose cell in the column holds text
    that is not a figure (OCR's "ol" or "ag" for a small figure): a part of the sum nobody could read."""
    out = []
    for row in reversed(rows[:i]):
        if row.is_total or not row.values:
            break
        v = row.values.get(key)
        if v is not None and v.value is None and any(ch.isalnum() for ch in v.raw or ""):
            out.append(row)
    return out[::-1]


def _head_counts(table: Table, col) -> bool:
    """A column of whole persons (a participant table's counts, planned or counted): its totals are exact, no
    rounding to hide a difference. A negative count is a count printed wrong, and is summed as printed."""
    if col.role == "share" or "%" in (col.header or "") or table.unit in MONEY_OR_SHARE:
        return False
    if not (col.role == "count" and table.kind != "goals" or table.kind == "participants"):
        return False  # a goal table's targets are each a goal of its own, not parts of a whole
    cells = [x for x in (numeric(r, col.key) for r in table.rows) if x is not None]
    return bool(cells) and all(whole_number(x) for x in cells)


def _holds(stated: Value, rows: list[Row], key: str, reading: list[tuple[int, int]], exact: bool) -> bool:
    parts, signs = _values(rows, key, reading)
    if exact:
        return stated.value == sum(s * p.value for s, p in zip(signs, parts, strict=True))
    return consistent(stated, parts, signs)


def _how(rows: list[Row], reading: list[tuple[int, int]]) -> str:
    return "add up to" if all(s == 1 for _, s in reading) else "give, costs subtracted,"


def _describe(rows: list[Row], key: str, reading: list[tuple[int, int]]) -> str:
    """'A 100 − B 50 + C 30': a reading with its rows (the first and the last, when there are many)."""
    if len(reading) > MAX_SIGNED_UNITS:
        first, last = rows[reading[0][0]].label, rows[reading[-1][0]].label
        return f"the {len(reading)} rows {first} … {last} ({fmt(exact_sum(*_values(rows, key, reading)))})"
    terms = [
        ("− " if n == 0 and s == -1 else "" if n == 0 else " + " if s == 1 else " − ")
        + f"{rows[u].label} {fmt(numeric(rows[u], key).value)}"
        for n, (u, s) in enumerate(reading)
    ]
    return "".join(terms)


def _gender_rows(table: Table) -> list[Finding]:
    """A participant table with Kvinnor / Män (/ Annat) / Totalt rows: Totalt is their sum, exactly, in every
    column the footing above leaves alone (columns of no additive role; shares and targets excepted)."""
    from normalized.rules.participants import gender  # here: rules register in module order

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
            or not all(whole_number(x) for x in [stated, *parts])
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


def _root_cause(rows, key, stated, footing: Footing, proved, exact: bool) -> str | None:
    """When a cell of the block is one its row's arithmetic already proves wrong (a row's avvikelse off by
    6 000) and the value that arithmetic gives makes the total hold, the footing's difference is that
    error seen a second time: a description of the cell, else None."""
    for reading in footing.readings:
        fixed = [(u, proved[(u, key)]) for u, _ in reading if (u, key) in proved]
        if not fixed:
            continue
        corrections = dict(fixed)
        parts, signs = _values(rows, key, reading)
        parts = [
            Value(p.raw, corrections[u][0]) if u in corrections else p
            for (u, _), p in zip(reading, parts, strict=True)
        ]
        total = sum(s * p.value for s, p in zip(signs, parts, strict=True))
        if stated.value == total if exact else consistent(stated, parts, signs):
            cells = [corrections[u][1] for u, _ in fixed]
            return " and ".join(
                f"{f.row} ({f.rule}: printed {fmt(f.stated)}, its row gives {fmt(f.expected)})" for f in cells
            )
    return None


def _structure_says_sum(table: Table, footing: Footing) -> bool:
    """The table's layout says the total is a sum whatever its size: a heading names it, it closes subtotals,
    or the table prints every line its totals close."""
    return (
        footing.bound is not None
        or table.kind in LISTS_EVERY_LINE
        or any(table.rows[u].is_total for u, _ in footing.natural)
    )


def _plausible_sum(stated: float, expected: float) -> bool:
    """A total and the sum of its rows are of one magnitude; one 50 times the other was never a sum."""
    big, small = max(abs(stated), abs(expected)), min(abs(stated), abs(expected))
    return big <= PLAUSIBLE_RATIO * max(small, 1.0)

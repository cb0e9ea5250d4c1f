"""Row arithmetic: figures on one row that must agree with each other.

- utfall − budget = avvikelse (the table's sign convention is read from its own rows);
- ingående + förändring = utgående (opening + change = closing);
- till arbete + till studier = arbete/studier;
- kvinnor + män (+ annat/okänt) = totalt in a participant table split by gender, exactly (whole persons);
- a percentage = part ÷ base (`percent`): the base column, or the table's total row, is found from the rows
  that agree, and only the rows that do not are flagged.

`proved_cells` gives the cells these identities prove printed wrong, so that the column footing can tell a
second view of one error from a second error.
"""

from __future__ import annotations

import re

from finsam.model import MONEY_KINDS, Column, Finding, Row, Table, Value
from normalized.number_repair import CLEAR_READING, digit_variants
from normalized.rules.base import (
    MONEY_OR_SHARE,
    CheckContext,
    consistent,
    finding,
    fmt,
    half_unit,
    numeric,
    rule,
    severity_for,
    whole_number,
)
from normalized.rules.participants import gender

_WORD = re.compile(r"[a-zåäö]+")
PERCENT_WORDS = {"procent", "andel", "%"}
MAX_PERCENT = 200.0
MIN_AGREEMENT = 0.6  # share of the rows that must agree with a part ÷ base reading of a share column
PREFERRED_AGREEMENT = 0.5
PARTICIPANT_KINDS = ("participants", "other")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _same_period(a: Column, b: Column) -> bool:
    return a.year == b.year and (a.period_end == b.period_end or a.period_end is None or b.period_end is None)


def _pick(columns: list[Column], role: str, like: Column) -> Column | None:
    """The column of `role` that belongs with `like`: same year and period, else the nearest one to its left."""
    same = [c for c in columns if c.role == role and _same_period(c, like)]
    exact = [c for c in same if c.period_end == like.period_end]
    pool = exact or same
    if not pool:
        return None
    index = {c.key: i for i, c in enumerate(columns)}
    left = [c for c in pool if index[c.key] < index[like.key]]
    return (left or pool)[-1]


def _triples(table: Table, result_role: str, a_role: str, b_role: str) -> list[tuple[Column, Column, Column]]:
    out = []
    for col in table.columns:
        if col.role == result_role:
            a, b = _pick(table.columns, a_role, col), _pick(table.columns, b_role, col)
            if a and b:
                out.append((a, b, col))
    return out


def _sign_culprit(row: Row, keys: list[str], signs: list[int], target: str) -> str | None:
    """The one operand whose sign, flipped, makes target = Σ sign·operand hold."""
    stated = numeric(row, target)
    for flip in keys + [target]:
        parts = [numeric(row, k) for k in keys]
        values = [Value(p.raw, -p.value) if k == flip else p for k, p in zip(keys, parts, strict=True)]
        t = Value(stated.raw, -stated.value) if flip == target else stated
        if (flip == target or numeric(row, flip).value != 0) and consistent(t, values, signs):
            return flip
    return None


def _check_identity(
    table: Table,
    rule_name: str,
    target: Column,
    operands: list[Column],
    signs: list[int],
    describe: str,
    counts: bool = False,
) -> list[tuple[int, Finding]]:
    """The rows where target ≠ Σ sign·operand, each with its row index: a `sign` finding at the one cell
    whose sign explains it, else a `rule_name` finding at the target. With `counts` (head counts, never
    rounded) only rows of whole numbers are checked, exactly, and no sign is to blame: a negative count is
    printed wrong and fails the identity as printed."""
    found = []
    for index, row in enumerate(table.rows):
        values = [numeric(row, c.key) for c in operands]
        stated = numeric(row, target.key)
        if stated is None or any(v is None for v in values):
            continue
        if counts:  # whole persons: no rounding to hide a difference, and no minus (one is printed wrong)
            if not all(whole_number(x) for x in [stated, *values]) or stated.value == sum(
                s * x.value for s, x in zip(signs, values, strict=True)
            ):
                continue
        elif consistent(stated, values, signs):
            continue
        keys = [c.key for c in operands]
        culprit = None if counts else _sign_culprit(row, keys, signs, target.key)
        if culprit is not None:
            bad = numeric(row, culprit)
            header = next(c.header for c in table.columns if c.key == culprit)
            found.append(
                (
                    index,
                    finding(
                        "sign",
                        table,
                        row,
                        culprit,
                        bad.value,
                        -bad.value,
                        f"{row.label}: {header} is printed {fmt(bad.value)}; {describe} only holds as "
                        f"{fmt(-bad.value)}",
                        severity_for(stated, *values),
                    ),
                )
            )
            continue
        expected = sum(s * v.value for s, v in zip(signs, values, strict=True))
        found.append(
            (
                index,
                finding(
                    rule_name,
                    table,
                    row,
                    target.key,
                    stated.value,
                    expected,
                    f"{row.label}: {target.header} is {fmt(stated.value)} but {describe} gives {fmt(expected)} "
                    f"(difference {fmt(stated.value - expected)})",
                    severity_for(stated, *values),
                ),
            )
        )
    return found


def _variance_convention(table: Table, actual: Column, budget: Column, variance: Column) -> int:
    """+1 when avvikelse = utfall − budget in this table, −1 when budget − utfall (majority of rows)."""
    votes = 0
    for row in table.rows:
        a, b, v = numeric(row, actual.key), numeric(row, budget.key), numeric(row, variance.key)
        if a is None or b is None or v is None:
            continue
        votes += consistent(v, [a, b], [1, -1]) - consistent(v, [a, b], [-1, 1])
    return 1 if votes >= 0 else -1


def row_findings(table: Table) -> list[tuple[int, Finding]]:
    """Every row identity of one table that does not hold, with the index of its row."""
    found: list[tuple[int, Finding]] = []
    for actual, budget, variance in _triples(table, "variance", "actual", "budget"):
        sign = _variance_convention(table, actual, budget, variance)
        found += _check_identity(
            table,
            "row_arithmetic",
            variance,
            [actual, budget],
            [sign, -sign],
            "utfall − budget" if sign == 1 else "budget − utfall",
        )
    found += _differences(table)
    found += _combined_columns(table)
    found += _gender_totals(table)
    return found


def proved_cells(table: Table) -> dict[tuple[int, str], tuple[float, Finding]]:
    """(row index, column key) -> (the value its row's arithmetic gives, that finding), for each cell a row
    identity proves printed wrong: the other checks of the table can tell a consequence from a second error."""
    return {(i, f.column): (f.expected, f) for i, f in row_findings(table) if f.expected is not None}


@rule("row_arithmetic")
def row_arithmetic(ctx: CheckContext) -> list[Finding]:
    return [f for table in ctx.tables for _, f in row_findings(table)]


def _differences(table: Table) -> list[Finding]:
    """A change column (förändring, period) is the difference of two other columns: closing − opening when
    the roles say so, else the pair that explains most rows."""
    found = []
    for change in [c for c in table.columns if c.role == "change"]:
        opening = _pick(table.columns, "opening", change)
        closing = _pick(table.columns, "closing", change)
        if opening and closing:
            pair = (closing, opening)
        else:
            others = [c for c in table.columns if c is not change and c.role not in ("share",)]
            scored = []
            for a in others:
                for b in others:
                    if a is b:
                        continue
                    rows = [r for r in table.rows if all(numeric(r, k.key) for k in (a, b, change))]
                    agree = sum(
                        consistent(numeric(r, change.key), [numeric(r, a.key), numeric(r, b.key)], [1, -1])
                        for r in rows
                    )
                    if len(rows) >= 3 and agree / len(rows) >= 0.6:
                        scored.append((agree, a, b))
            if not scored:
                continue
            _, a, b = max(scored, key=lambda x: x[0])
            pair = (a, b)
        found += _check_identity(
            table,
            "row_arithmetic",
            change,
            list(pair),
            [1, -1],
            f"{pair[0].header} − {pair[1].header}",
            counts=_counts(table),
        )
    return found


def _counts(table: Table, kinds: tuple[str, ...] = ("participants",)) -> bool:
    """A participant table's figures are head counts: whole persons, no rounding to allow for. (A table of
    kind `other` may hold rounded sums as well as counts, so only a split by gender there says it counts.)"""
    return table.kind in kinds and table.unit not in MONEY_OR_SHARE


def _words(header: str) -> set[str]:
    return set(_WORD.findall((header or "").lower()))


def _combined_columns(table: Table) -> list[Finding]:
    """A column headed 'A/B' (or 'A och B') that should be the sum of the columns headed A and B.

    Two columns may claim the same sum when a scan lost the word that told them apart ('Arbete/studier' over
    'Arbete/studier (andel)'): the identity is then the one column's whose rows it explains best, and the other
    is left unchecked rather than measured against a sum it never meant."""
    claims: dict[tuple[str, str], list[Column]] = {}
    for col in table.columns:
        if col.role not in ("count", "actual", "other") or _words(col.header) & PERCENT_WORDS:
            continue
        pair = _combined_words(col, table)
        if not pair:
            continue
        parts = []
        for word in pair:
            match = [
                c
                for c in table.columns
                if c is not col
                and word in _words(c.header)
                and not _words(c.header) & PERCENT_WORDS
                and not {w for w in pair if w != word} & _words(c.header)
            ]
            if len(match) == 1:
                parts.append(match[0])
        if len(parts) == 2:
            claims.setdefault((parts[0].key, parts[1].key), [parts[0], parts[1]]).append(col)
    found = []
    for first, second, *cols in claims.values():
        col = max(cols, key=lambda c: _rows_explained(table, c, [first, second]))
        found += _check_identity(
            table,
            "row_arithmetic",
            col,
            [first, second],
            [1, 1],
            f"{first.header} + {second.header}",
            counts=_counts(table),
        )
    return found


def _rows_explained(table: Table, total: Column, parts: list[Column]) -> int:
    """How many rows hold total = the sum of parts."""
    explained = 0
    for row in table.rows:
        values = [numeric(row, c.key) for c in (total, *parts)]
        if all(v is not None for v in values):
            explained += consistent(values[0], values[1:])
    return explained


def _gender_totals(table: Table) -> list[tuple[int, Finding]]:
    """Kvinnor + Män (+ Annat/Okänt) = Totalt on every row of a participant table whose columns split by
    gender (for each year, when the headers carry years: 'Kvinnor 2021', 'Män 2021', 'Totalt 2021')."""
    if not _counts(table, PARTICIPANT_KINDS):
        return []
    by_year: dict[tuple, dict[str, list[Column]]] = {}
    for col in table.columns:
        if col.role in ("share", "target", "variance") or _words(col.header) & PERCENT_WORDS:
            continue
        years = tuple(sorted(set(_YEAR.findall(col.header or ""))))
        key = gender(_YEAR.sub(" ", re.sub(r"\bantal\b", " ", (col.header or "").lower())))
        if key is not None:
            by_year.setdefault((col.year, years), {}).setdefault(key, []).append(col)
    found = []
    for split in by_year.values():
        if (
            any(len(split.get(g, [])) != 1 for g in ("kvinnor", "man", "totalt"))
            or len(split.get("annat", [])) > 1
        ):
            continue
        parts = split["kvinnor"] + split["man"] + split.get("annat", [])
        found += _check_identity(
            table,
            "row_arithmetic",
            split["totalt"][0],
            parts,
            [1] * len(parts),
            " + ".join(c.header for c in parts),
            counts=True,
        )
    return found


def _combined_words(col: Column, table: Table) -> tuple[str, str] | None:
    """The two words of a header 'A/B' or 'A och B'; an OCR'd header that lost its slash ('Arbetelstudier')
    counts when its two halves are words of the table's other headers."""
    header = (col.header or "").lower()
    m = re.search(r"([a-zåäö]+)\s*(?:/|och|\+)\s*([a-zåäö]+)", header)
    if m:
        return m.group(1), m.group(2)
    others = {w for c in table.columns if c is not col for w in _words(c.header)}
    for word in _words(header):
        for i in range(3, len(word) - 3):
            if word[i] in "l1i" and word[:i] in others and word[i + 1 :] in others:
                return word[:i], word[i + 1 :]
    return None


@rule("percent")
def percent(ctx: CheckContext) -> list[Finding]:
    """Percentages against part ÷ base, with the base found from the rows that agree."""
    found: list[Finding] = []
    for table in ctx.tables:
        for share in [c for c in table.columns if c.role == "share" or _words(c.header) & PERCENT_WORDS]:
            best = _best_reading(table, share)
            if best is None:
                continue
            _, ratio, spread, keys = best
            proved = None
            for index, row in enumerate(table.rows):
                stated = numeric(row, share.key)
                got = ratio(row)
                if stated is None or got is None:
                    continue
                exact = 100.0 * got
                if not -MAX_PERCENT <= exact <= MAX_PERCENT:
                    continue  # part and base misread (or not a share at all): nothing to say
                if abs(stated.value - exact) > half_unit(stated) + spread(row) + 1e-9:
                    decimals = (
                        re.match(r"\d*", stated.raw.split(",")[-1]).group() if "," in stated.raw else ""
                    )
                    rounded = round(exact, len(decimals))  # to the share's printed decimals ("1,44 %": two)
                    message = (
                        f"{row.label}: {share.header} is {fmt(stated.value)} % but the figures give "
                        f"{exact:.2f} % (rounds to {fmt(rounded)})"
                    )
                    severity = severity_for(stated)
                    if proved is None:
                        proved = proved_cells(table)
                    cause = _share_cause(stated, ratio, row, index, keys, proved, spread(row))
                    if cause is not None:
                        message += f": a consequence of {cause}, not a second error"
                        severity = "info"
                    found.append(
                        finding("percent", table, row, share.key, stated.value, rounded, message, severity)
                    )
    return found


def _share_cause(
    stated: Value, ratio, row: Row, index: int, keys: tuple[str, ...], proved: dict, spread: float = 0.0
) -> str | None:
    """The finding of the row's arithmetic that explains a share which does not agree: its part or base is
    a cell the row's own identity proves printed wrong ("Arbete/studier" read 7 where its two parts give 77),
    and with the figure that identity gives the share agrees. None where no such cell explains it."""
    for key in keys:
        if (index, key) not in proved:
            continue
        value, cause = proved[(index, key)]
        got = ratio(row, {key: value})
        if got is not None and abs(stated.value - 100.0 * got) <= half_unit(stated) + spread + 1e-9:
            return f"{cause.rule} in {cause.row} ({cause.column}: printed {fmt(cause.stated)}, its row gives {fmt(value)})"
    return None


def _best_reading(table: Table, share: Column):
    """Which part/base explains the share column: (agreeing rows, ratio function, spread function, the keys
    of part and base in the row) or None.
    The spread is how far, in percentage points, the rounding of part and base may move the ratio: money
    is printed rounded (a share computed from 117 140 kr of 3 208 000 kr is 3,7 %, though 117 tkr of 3 208
    tkr give 3,65 %), a head count is exact."""
    counts = [
        c
        for c in table.columns
        if c is not share and c.role not in ("share",) and not _words(c.header) & PERCENT_WORDS
    ]
    readings = []
    stem = _words(share.header) - PERCENT_WORDS
    for part in counts:
        for base in counts:
            if base is part:
                continue
            readings.append((part.key, base.key, None, bool(stem and stem <= _words(part.header))))
        total = next((r for r in reversed(table.rows) if r.is_total and numeric(r, part.key)), None)
        if total is not None:
            readings.append((part.key, None, total, False))
    best = None
    for part_key, base_key, total_row, preferred in readings:

        def fraction(row, p=part_key, b=base_key, t=total_row) -> tuple[Value, Value] | None:
            num = numeric(row, p)
            den = numeric(t if t is not None else row, b if b else p)
            if num is None or den is None or den.value == 0:
                return None
            return num, den

        def ratio(row, fixed=None, fraction=fraction, p=part_key, b=base_key, t=total_row):
            # fixed: {column key: a figure to take instead of the row's own} (what its arithmetic gives)
            parts = fraction(row)
            if not parts:
                return None
            num_value = (fixed or {}).get(p, parts[0].value)
            den_value = parts[1].value if t is not None else (fixed or {}).get(b or p, parts[1].value)
            return num_value / den_value if den_value else None

        rounded = (
            table.kind in MONEY_KINDS
            and _rounded(table, part_key)
            and (base_key is None or _rounded(table, base_key))
        )

        def spread(row, fraction=fraction, rounded=rounded) -> float:
            parts = fraction(row)
            return _ratio_spread(*parts) if parts and rounded else 0.0

        rows = [r for r in table.rows if numeric(r, share.key) is not None and ratio(r) is not None]
        if len(rows) < 2:
            continue
        # a share an OCR read unsurely agrees when a look-alike digit makes it ("1,57" for 7,57): a scan that
        # misread three shares of seven keeps its reading, and the rows it misread are the findings
        agree = sum(1 for r in rows if _share_agrees(numeric(r, share.key), 100 * ratio(r), spread(r)))
        score = (agree / len(rows), preferred, agree)
        # a reading the share's header names ('Arbete/studier (procent)' of 'Arbete/studier') needs only half
        # the rows to agree: a table with three rows printed wrong of seven keeps its reading
        enough = PREFERRED_AGREEMENT if preferred else MIN_AGREEMENT
        if agree >= 2 and agree / len(rows) >= enough and (best is None or score > best[0]):
            keys = (part_key,) if total_row is not None else (part_key, base_key)
            best = (score, ratio, spread, keys)
    return best


def _rounded(table: Table, key: str) -> bool:
    """Are the column's figures amounts rounded to their printed digits (not head counts)?"""
    column = next((c for c in table.columns if c.key == key), None)
    return column is not None and column.role not in ("count", "share")


def _ratio_spread(part: Value, base: Value) -> float:
    """How far, in percentage points, part ÷ base may lie from the printed figures' ratio when each stands
    for ± half a unit of its last digit (the larger way: the part up, the base down)."""
    p, b = abs(part.value), abs(base.value)
    hp, hb = half_unit(part), half_unit(base)
    if b - hb <= 0:
        return 0.0
    return 100.0 * (p + hp) / (b - hb) - 100.0 * p / b


def _share_agrees(stated: Value, exact: float, spread: float = 0.0) -> bool:
    """The share as read is the exact one (within the rounding of the figures it is computed from), or,
    read unsurely by an OCR, one look-alike digit away from it."""
    if abs(stated.value - exact) <= half_unit(stated) + spread + 1e-9:
        return True
    if stated.confidence is None or stated.confidence >= CLEAR_READING:
        return False
    return any(abs(v - exact) <= half_unit(stated) + spread + 1e-9 for v in digit_variants(stated))

"""Cash-flow identities: a kassaflödesanalys (a finansieringsanalys is typed the same way by the extractor)
adds up line by line, and its changes of working capital are the balance sheet's two years.

Within the statement (`cash_flow`), in every column, each identity whose lines are printed:

- årets resultat + justeringar för ej likviditetspåverkande poster = medel från verksamheten före förändring
  av rörelsekapital;
- that (or, where it is not printed, the result and the lines after it) + the changes of förråd, kortfristiga
  fordringar and kortfristiga skulder = kassaflöde från den löpande verksamheten;
- löpande + investerings- + finansieringsverksamhet = årets kassaflöde;
- likvida medel vid årets början + årets kassaflöde = likvida medel vid årets slut.

An identity adds the lines printed between its first line and its result, so a statement's own items
(avskrivningar, förändring av avsättningar, an investment) count without a vocabulary entry each, and a
subtotal among them stands for the lines it closes. A line that is not printed gives no identity.

Against the balance sheet (`cash_flow_balance`): the change of kortfristiga fordringar is −(fordringar this
year − last year) and the change of kortfristiga skulder +(skulder this year − last year). That is an error
where the balance sheet's lines are certainly all of them (omsättningstillgångar = fordringar + kassa, eget
kapital och skulder = eget kapital + avsättningar + långfristiga + kortfristiga skulder, both years), a warning
where they are not.

One discrepancy is reported once. The identities chain: when one fails and the next holds with the corrected
figure in its place (or with a change line the balance sheet corrects), the second failure has the same root
cause and is named in the first finding's message instead (002: the löpande line leaves out årets resultat;
årets kassaflöde follows the lines, not the printed löpande figure). column_sum leaves the lines these
identities close to this rule.

A reading the number repair is still testing (digits whose decimal comma the OCR lost, not yet confirmed) is
left out: an identity across the statement cannot tell whether that figure is right, only the total that
closes it can, and a statement's own error must not make every reading in its column look wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from finsam.model import Column, Finding, Row, Table, Value
from normalized.number_repair import candidate
from normalized.rules.base import CheckContext, consistent, finding, fmt, numeric, rule, severity_for

CASH_FLOW_KINDS = ("kassaflodesanalys",)
CHECKED_ROLES = ("actual", "budget", "forecast", "closing", "opening")
START_KEYS = ("result", "result_before_extraordinary")  # the line a cash-flow statement starts from
# Lines that close the lines printed above them (within the identity they take part in).
SUBTOTAL_KEYS = frozenset({"cf_before_working_capital", "cf_operating", "cf_investing", "cf_financing"})
CASH_KEYS = frozenset({"cash_opening", "cash_closing"})
_DATE = re.compile(r"\b(?:19|20)\d\d-\d\d-\d\d\b")
MAX_NAMED_PARTS = 4  # a message names the lines it adds up to this many, then counts them


@dataclass
class Identity:
    """target = start + the lines printed strictly between them (or `parts`, when given)."""

    name: str
    target: int  # row index
    start: int | None = None
    parts: list[int] = field(default_factory=list)  # fixed components instead of start + the lines between


@dataclass
class Outcome:
    identity: Identity
    column: Column
    stated: Value
    parts: list[tuple[int, Value]]  # the natural reading: (row index, value)
    expected: float
    holds: bool
    cause: int | None = None  # the row of the finding that explains this failure (its root cause)


def on_trial(value: Value) -> bool:
    """A figure the number repair has read with the decimal comma the OCR lost, and not yet confirmed."""
    return bool(
        value.repaired
        and value.uncertain
        and any(candidate(value.raw or "", d) == value.value for d in (1, 2))
    )


def _first(rows: list[Row], *keys: str) -> int | None:
    return next((i for i, r in enumerate(rows) if r.canonical in keys and r.values), None)


def identities(table: Table) -> list[Identity]:
    """The identities the statement's printed lines make, in the order they chain."""
    rows = table.rows
    start = _first(rows, *START_KEYS)
    before = _first(rows, "cf_before_working_capital")
    operating = _first(rows, "cf_operating")
    total = _first(rows, "cf_total")
    opening, closing = _first(rows, "cash_opening"), _first(rows, "cash_closing")
    out = []
    if start is not None and before is not None and start < before:
        out.append(Identity("before_working_capital", before, start))
    if operating is not None:
        begin = before if before is not None and before < operating else start
        if begin is not None and begin < operating:
            out.append(Identity("operating", operating, begin))
    if total is not None and operating is not None and operating < total:
        out.append(Identity("total", total, operating))
    if opening is not None and total is not None and closing is not None and closing not in (opening, total):
        out.append(Identity("closing", closing, parts=[opening, total]))
    return out


def _readings(table: Table, ident: Identity, key: str) -> list[list[int]]:
    """The ways to read the lines between an identity's start and its target, most natural first: subtotals
    standing for the lines they close; every line but the subtotals; every line."""
    if ident.parts:
        return [ident.parts]
    rows = table.rows
    between = [
        i
        for i in range(ident.start + 1, ident.target)
        if numeric(rows[i], key) is not None and rows[i].canonical not in CASH_KEYS
    ]

    def closes(i: int) -> bool:
        return rows[i].is_total or rows[i].canonical in SUBTOTAL_KEYS

    nested, loose = [], []
    for i in between:
        if closes(i):
            nested.append(i)
            loose = []
        else:
            loose.append(i)
    nested += loose
    flat = [i for i in between if not closes(i)]
    out: list[list[int]] = []
    for reading in (nested, flat, between):
        reading = [ident.start, *reading]
        if reading not in out:
            out.append(reading)
    return out


def _value(rows: list[Row], i: int, key: str, corrected: dict[int, float]) -> Value:
    v = numeric(rows[i], key)
    return Value(v.raw, corrected[i], v.repaired, v.uncertain) if i in corrected else v


def evaluate(
    table: Table, key: str, corrected: dict[int, float] | None = None
) -> tuple[list[Outcome], dict[int, list[str]]]:
    """Each identity that can be checked in this column, in chain order, and what each root cause explains.

    `corrected` holds figures (by row index) that another finding says should be different. An identity
    that fails and holds with the corrected figures has that finding as its `cause`; one that holds as
    printed although it adds a corrected figure is built on the wrong figure, and its own line is corrected
    in turn. A failed identity's expected figure is the correction of its line. The notes say, by the row
    of each root cause, which later lines follow from it."""
    corrected = dict(corrected or {})
    root = {i: i for i in corrected}  # corrected row -> the row of the finding that corrects it
    notes: dict[int, list[str]] = {}
    rows = table.rows
    col = table.column(key)
    out: list[Outcome] = []
    unsettled: set[int] = set()  # lines whose identity waits for a reading on trial: so do the next ones
    for ident in identities(table):
        stated = numeric(rows[ident.target], key)
        readings = _readings(table, ident, key)
        if stated is None or any(numeric(rows[i], key) is None for i in readings[0]):
            continue
        involved = {i for r in readings for i in r}
        if on_trial(stated) or involved & unsettled or any(on_trial(numeric(rows[i], key)) for i in involved):
            unsettled.add(ident.target)
            continue
        natural = readings[0]
        parts = [(i, numeric(rows[i], key)) for i in natural]
        outcome = Outcome(ident, col, stated, parts, round(sum(v.value for _, v in parts), 6), holds=False)
        outcome.holds = any(
            consistent(stated, [v for _, v in parts]) for parts in _values(rows, readings, key)
        )
        fixable = [i for i in natural if i in corrected]
        fixed = [_value(rows, i, key, corrected) for i in natural]
        label = f"{rows[ident.target].label} {fmt(stated.value)}"
        if outcome.holds:
            carried = round(sum(v.value for v in fixed), 6)
            if fixable and not consistent(Value(stated.raw, carried), [stated]):
                corrected[ident.target], root[ident.target] = carried, root[fixable[0]]
                built = "repeats" if len(natural) == 1 else "is built on"
                notes.setdefault(root[fixable[0]], []).append(f"{label} {built} the printed figure")
        elif fixable and consistent(stated, fixed):
            outcome.cause = root[fixable[0]]
            value = fmt(corrected[fixable[0]])
            notes.setdefault(outcome.cause, []).append(
                f"{label} holds with {value}, not with the printed figure"
            )
        else:
            corrected[ident.target], root[ident.target] = outcome.expected, ident.target
        out.append(outcome)
    return out, notes


def _values(rows: list[Row], readings: list[list[int]], key: str):
    for reading in readings:
        yield [(i, numeric(rows[i], key)) for i in reading]


def covered(table: Table) -> set[tuple[int, str]]:
    """(row index, column key) of the lines this rule checks, for column_sum to leave alone."""
    if table.kind not in CASH_FLOW_KINDS:
        return set()
    return {
        (o.identity.target, col.key)
        for col in table.columns
        if col.role in CHECKED_ROLES
        for o in evaluate(table, col.key)[0]
    }


def _describe(rows: list[Row], parts: list[tuple[int, Value]], expected: float) -> str:
    """What the figure should be, and from which lines: 'A 1 + B 2 give 3'."""
    if len(parts) == 1:
        i, v = parts[0]
        return f"{rows[i].label} is {fmt(v.value)}, with nothing printed between them"
    if len(parts) <= MAX_NAMED_PARTS:
        lines = " + ".join(f"{rows[i].label} {fmt(v.value)}" for i, v in parts)
    else:
        (i, v), rest = parts[0], parts[1:]
        lines = f"{rows[i].label} {fmt(v.value)} and the {len(rest)} lines after it"
    return f"{lines} give {fmt(expected)}"


def _left_out(rows: list[Row], o: Outcome) -> str | None:
    """The one line the printed figure leaves out, when leaving it out explains the whole difference."""
    for i, v in o.parts:
        others = [w for j, w in o.parts if j != i]
        if v.value and others and consistent(o.stated, others):
            return f"{rows[i].label} ({fmt(v.value)})"
    return None


def _outcome_findings(table: Table, outcomes: list[Outcome], notes: dict[int, list[str]]) -> list[Finding]:
    rows = table.rows
    found = []
    for o in outcomes:
        if o.holds or o.cause is not None:
            continue
        target = rows[o.identity.target]
        values = [o.stated] + [v for _, v in o.parts]
        severity = severity_for(*values)
        flipped = Value(o.stated.raw, -o.stated.value)
        if o.expected and consistent(flipped, [v for _, v in o.parts]):
            found.append(
                finding(
                    "sign",
                    table,
                    target,
                    o.column.key,
                    o.stated.value,
                    o.expected,
                    f"{target.label} ({o.column.header}) is printed {fmt(o.stated.value)} but "
                    f"{_describe(rows, o.parts, o.expected)}: the sign is wrong",
                    severity,
                )
            )
            continue
        message = (
            f"{target.label} ({o.column.header}) is {fmt(o.stated.value)} but "
            f"{_describe(rows, o.parts, o.expected)} (difference {fmt(o.stated.value - o.expected)})"
        )
        left_out = _left_out(rows, o)
        if left_out:
            message += f"; the printed figure leaves out {left_out}"
        if notes.get(o.identity.target):
            message += "; " + "; ".join(notes[o.identity.target])
        found.append(
            finding("cash_flow", table, target, o.column.key, o.stated.value, o.expected, message, severity)
        )
    return found


# --- against the balance sheet ------------------------------------------------------------------------------

# (cash-flow line, balance-sheet line, sign of the cash effect of an increase, what it is)
TIES = (
    ("cf_change_receivables", "receivables", -1, "fordringar"),
    ("cf_change_liabilities", "liabilities_short", 1, "kortfristiga skulder"),
)


def _last(rows: list[Row], key: str, columns: tuple[Column, Column]) -> Row | None:
    """The last line of a key with figures in both columns (a 'Summa' after its items)."""
    found = [r for r in rows if r.canonical == key and all(numeric(r, c.key) is not None for c in columns)]
    return found[-1] if found else None


def _end(c: Column) -> str | None:
    """The date a column ends on: its period, or the balance date its header prints ("2022-08-31")."""
    dates = _DATE.findall(c.header or "")
    return c.period_end or (dates[-1] if dates else None)


def _year_end(c: Column) -> bool:
    return _end(c) is None or _end(c).endswith("12-31")


def balance_columns(sheet: Table, flow: Column) -> tuple[Column, Column] | None:
    """The balance sheet's (closing, opening) columns for the period of a cash-flow column: its own Utg/Ing
    balans of that year, or the same role's columns for the year and the year-end before."""
    if flow.year is None:
        return None
    closing = [c for c in sheet.columns if c.role == "closing" and c.year == flow.year]
    opening = [c for c in sheet.columns if c.role == "opening" and c.year == flow.year]
    if len(closing) == 1 and len(opening) == 1:
        return closing[0], opening[0]
    this = [
        c
        for c in sheet.columns
        if c.role == flow.role
        and c.year == flow.year
        and (_end(c) == _end(flow) or (_year_end(c) and _year_end(flow)))
    ]
    last = [c for c in sheet.columns if c.role == flow.role and c.year == flow.year - 1 and _year_end(c)]
    if len(this) == 1 and len(last) == 1:
        return this[0], last[0]
    return None


def _signed(v: Value, sign: int) -> Value:
    return Value(v.raw, sign * v.value, v.repaired, v.uncertain)


def _whole(sheet: Table, line: Row, columns: tuple[Column, Column], key: str, sign: int) -> bool:
    """Is the balance sheet's line all of its kind? The side's total is that line and the others named."""
    rows = sheet.rows
    if key == "receivables":
        side = _last(rows, "current_assets_total", columns)
        fixed = _last(rows, "fixed_assets_total", columns)
        if side is None and (fixed is None or all(numeric(fixed, c.key).value == 0 for c in columns)):
            side = _last(rows, "assets_total", columns)
        others = [_last(rows, "cash", columns)]
    else:
        side = _last(rows, "equity_and_liabilities_total", columns)
        others = [_last(rows, "equity", columns)]
        others += [r for r in (_last(rows, k, columns) for k in ("provisions", "liabilities_long")) if r]
    if side is None or any(r is None for r in others):
        return False
    return all(
        consistent(
            _signed(numeric(side, c.key), sign), [_signed(numeric(r, c.key), sign) for r in [line, *others]]
        )
        for c in columns
    )


@dataclass
class Tie:
    """A change line of the cash flow that disagrees with the balance sheet's two years."""

    row: int  # the cash-flow line's index
    column: Column
    stated: Value
    # the balance sheet's line at the end and the start, in the sign of its side (credits printed negative
    # are made positive)
    closing: Value
    opening: Value
    effect: int  # the cash effect of an increase: −1 for fordringar, +1 for skulder
    certain: bool  # the balance sheet's line is certainly all of its kind
    line: Row  # the balance sheet's line

    @property
    def expected(self) -> float:
        return round(self.effect * (self.closing.value - self.opening.value), 6)

    @property
    def opposite(self) -> bool:
        """The magnitude agrees and the sign does not: the report's own sign convention, perhaps."""
        flipped = Value(self.stated.raw, -self.stated.value)
        return bool(self.expected) and consistent(
            flipped, [self.closing, self.opening], [self.effect, -self.effect]
        )


def balance_ties(table: Table, sheets: list[Table]) -> list[Tie]:
    """The change lines of a cash-flow statement that disagree with its balance sheet."""
    out = []
    for col in table.columns:
        if col.role not in ("actual", "budget", "forecast"):
            continue
        matches = [(s, cols) for s in sheets if s.unit == table.unit and (cols := balance_columns(s, col))]
        if len(matches) != 1:
            continue  # no balance sheet of these years, or two that could both be meant
        sheet, columns = matches[0]
        for cf_key, key, effect, _ in TIES:
            lines = [i for i, r in enumerate(table.rows) if r.canonical == cf_key and numeric(r, col.key)]
            line = _last(sheet.rows, key, columns)
            if len(lines) != 1 or line is None:
                continue
            side = _last(
                sheet.rows,
                "assets_total" if key == "receivables" else "equity_and_liabilities_total",
                columns,
            )
            sign = -1 if side is not None and numeric(side, columns[0].key).value < 0 else 1
            stated = numeric(table.rows[lines[0]], col.key)
            closing, opening = (_signed(numeric(line, c.key), sign) for c in columns)
            if any(on_trial(v) for v in (stated, closing, opening)):
                continue
            if consistent(stated, [closing, opening], [effect, -effect]):
                continue
            certain = _whole(sheet, line, columns, key, sign)
            out.append(Tie(lines[0], col, stated, closing, opening, effect, certain, line))
    return out


def _tie_findings(table: Table, ties: list[Tie], notes: dict[tuple[int, str], list[str]]) -> list[Finding]:
    found = []
    for t in ties:
        row = table.rows[t.row]
        what = next(w for k, _, _, w in TIES if k == row.canonical)
        moved = (
            f"{t.line.label} went from {fmt(t.opening.value)} to {fmt(t.closing.value)} in the balansräkning"
        )
        if t.opposite:
            message = (
                f"{row.label} ({t.column.header}) is {fmt(t.stated.value)}: {moved}, a cash effect of "
                f"{fmt(t.expected)}; the sign is the opposite (the report's own sign convention?)"
            )
            severity = "warning"
        else:
            message = (
                f"{row.label} ({t.column.header}) is {fmt(t.stated.value)} but {moved}, a cash effect of "
                f"{fmt(t.expected)} (difference {fmt(t.stated.value - t.expected)})"
            )
            severity = severity_for(t.stated, t.closing, t.opening) if t.certain else "warning"
            if not t.certain:
                message += f"; the balansräkning's {t.line.label} may not be all of its {what}"
        if notes.get((t.row, t.column.key)):
            message += "; " + "; ".join(notes[(t.row, t.column.key)])
        found.append(
            finding(
                "cash_flow_balance", table, row, t.column.key, t.stated.value, t.expected, message, severity
            )
        )
    return found


@rule("cash_flow")
def cash_flow(ctx: CheckContext) -> list[Finding]:
    found: list[Finding] = []
    sheets = [t for t in ctx.tables if t.kind == "balansrakning"]
    for table in (t for t in ctx.tables if t.kind in CASH_FLOW_KINDS):
        ties = balance_ties(table, sheets)
        tie_notes: dict[tuple[int, str], list[str]] = {}
        for col in table.columns:
            if col.role not in CHECKED_ROLES:
                continue
            # a change line the balance sheet certainly corrects may be the cause of a failed identity
            fixes = {t.row: t.expected for t in ties if t.column is col and t.certain and not t.opposite}
            outcomes, notes = evaluate(table, col.key, fixes)
            found += _outcome_findings(table, outcomes, notes)
            for row in fixes:
                tie_notes[(row, col.key)] = notes.get(row, [])
        found += _tie_findings(table, ties, tie_notes)
    return found

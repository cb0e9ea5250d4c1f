"""What was injected into a generated corpus, read off the reports as printed.

`conflicts` are the figures two documents state differently for the same line, column and year — what
`finsam diff` must find. They are not written down when a restatement or revision is made but found by
comparing every printed figure with every other document's figure of the same line: the same table and
line for an outcome (the 2020 årsredovisning's 2019 column against the 2019 årsredovisning), the same line
of any budget table for a budget (the plan's budget against the årsredovisning's budget column and the
delårsrapport's), as finsam compares them — figures within the rounding of their printed digits agree,
figures of tables that print costs with different signs are compared by magnitude. So what the manifest
lists is what the documents really say, and a generator slip shows up as an entry no injection explains
(which raises). `errors` are figures printed wrong inside one document (a total that no longer adds up) —
what `finsam check` must find; where the next year's report prints the figure right, that pair is also a
conflict, of kind `error`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from finsam.vocabulary import canonical_for

from .reports import Report
from .tables import Column, Line, Table, in_unit

COMPARED_ROLES = ("actual", "budget")
# Half a unit of the last printed digit, in kronor: what a printed figure may differ by and still agree.
TOLERANCE = {"kr": 0.5, "tkr": 500.0, "tkr1": 50.0}
KR_PER_UNIT = {"kr": 1, "tkr": 1000, "tkr1": 1000}
# Where an error is printed: a note's line that no other table repeats, so only its total stops adding up.
ERROR_TABLES = ("note:personnel", "note:other_costs", "note:receivables", "note:payables")


@dataclass(frozen=True)
class Printed:
    """One printed figure of a report."""

    report: Report
    table: Table
    line: Line
    column: Column
    position: int  # of the column
    value: int  # kronor, as the ledger has it
    section: str | None  # the heading above the line

    @property
    def printed(self) -> str:
        return self.table.printed(self.value, self.column)

    @property
    def read(self) -> float:
        """The figure in kronor as a reader of the printed table reads it."""
        return in_unit(self.value, self.table.unit) * KR_PER_UNIT.get(self.table.unit, 1)

    @property
    def tolerance(self) -> float:
        return TOLERANCE.get(self.table.unit, 0.5)

    def identity(self) -> tuple:
        """Which figure this is, the same in every document that prints it."""
        c = self.column
        if c.role == "budget":  # budgets are compared by line across the tables a budget is printed in
            return ("budget", self.line.key, c.year, c.period)
        return ("actual", self.table.ref, self.line.key, c.year, c.period)

    def record(self) -> dict[str, Any]:
        return {
            "document": self.report.filename,
            "table": self.table.caption,
            "label": self.line.label,
            "printed": self.printed,
            "value": self.read,
        }

    @property
    def canonical(self) -> str | None:
        return canonical_for(self.line.label, self.table.kind, self.section)


def printed_figures(report: Report) -> list[Printed]:
    out = []
    for table in report.tables:
        section = None
        for line in table.lines:
            if line.key is None:
                section = line.label
                continue
            for i, (value, column) in enumerate(zip(line.values, table.columns, strict=True)):
                if column.role in COMPARED_ROLES and isinstance(value, int) and table.unit in TOLERANCE:
                    out.append(Printed(report, table, line, column, i, value, section))
    return out


def differ(a: Printed, b: Printed) -> bool:
    x, y = a.read, b.read
    if a.table.kind != b.table.kind:  # a statement prints costs negative, a plan positive
        x, y = abs(x), abs(y)
    return abs(x - y) > a.tolerance + b.tolerance


def published(report: Report) -> tuple[int, int, int]:
    """When a report comes out: the plan in the autumn before, the delårsrapport in the autumn, the
    årsredovisning in the spring after."""
    return {
        "verksamhetsplan": (report.year - 1, 11, 0),
        "delarsrapport": (report.year, 9, 0),
        "arsredovisning": (report.year + 1, 3, 0),
    }[report.doc_type]


def disagreements(reports: list[Report]) -> list[tuple[Printed, Printed]]:
    """Every pair of documents that print one figure differently, the earlier document first: one figure
    a document (the first table that prints it)."""
    groups: dict[tuple, dict[str, Printed]] = {}
    for report in sorted(reports, key=published):
        for figure in printed_figures(report):
            groups.setdefault(figure.identity(), {}).setdefault(report.filename, figure)
    pairs = []
    for by_document in groups.values():
        figures = list(by_document.values())
        for i, a in enumerate(figures):
            for b in figures[i + 1 :]:
                if differ(a, b):
                    pairs.append((a, b))
    return pairs


# --- injected errors --------------------------------------------------------------------------------------


@dataclass
class InjectedError:
    report: Report
    table: Table
    line: Line
    position: int
    correct: int  # kronor
    total: str  # the label of the total it breaks

    @property
    def printed(self) -> str:
        return self.table.printed(self.line.values[self.position], self.table.columns[self.position])

    @property
    def expected(self) -> str:
        return self.table.printed(self.correct, self.table.columns[self.position])


def _transposed(printed: str, rng: random.Random) -> str | None:
    """The figure with two adjacent different digits swapped, as a typing slip prints it."""
    digits = [c for c in printed if c.isdigit()]
    spots = [
        i for i in range(len(digits) - 1) if digits[i] != digits[i + 1] and not (i == 0 and digits[1] == "0")
    ]
    if not spots:
        return None
    i = rng.choice(spots)
    digits[i], digits[i + 1] = digits[i + 1], digits[i]
    it = iter(digits)
    return "".join(next(it) if c.isdigit() else c for c in printed)


def inject_error(report: Report, rng: random.Random, avoid: set[tuple]) -> InjectedError | None:
    """Misprint one line of a note in the report's own year's column (not a line in `avoid`: (table ref,
    line key) pairs another injection changes)."""
    candidates = []
    for table in report.tables:
        if table.ref not in ERROR_TABLES:
            continue
        position = table.column_of("actual", report.year)
        for line in table.lines:
            if line.key and not line.total and (table.ref, line.key) not in avoid and line.values[position]:
                candidates.append((table, line, position))
    if not candidates:
        return None
    table, line, position = rng.choice(candidates)
    correct = line.values[position]
    wrong = _transposed(table.printed(correct, table.columns[position]), rng)
    if wrong is None:
        return None
    line.values[position] = (
        int(wrong.replace(" ", "").replace("-", "")) * KR_PER_UNIT[table.unit] * (-1 if correct < 0 else 1)
    )
    total = next(x.label for x in table.lines if x.total)
    return InjectedError(report, table, line, position, correct, total)

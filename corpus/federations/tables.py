"""The tables of a generated report as data, and how they print: figures in kronor, printed in the table's unit.

A report's tables are built here before they become text, so that what one report prints can be compared
with what another prints (the manifest's restatements and revised budgets) and a figure can be misprinted
on purpose (its injected errors) without touching the ledger it came from. Each column says which figure
it holds — its role (utfall, budget, prognos …), year and, for part of a year, the period — in the same
terms as finsam's table columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

# How a table's money prints: whole kronor, whole thousands, or thousands with one decimal ("1 350,0").
MONEY_UNITS = ("kr", "tkr", "tkr1")
UNIT_WORDS = {"kr": "kr", "tkr": "tkr", "tkr1": "tkr"}


@dataclass(frozen=True)
class Column:
    header: str
    role: str | None = None  # actual | budget | forecast | variance | share | count | None (text, Not)
    year: int | None = None
    period: str | None = None  # "jan-aug" for part of a year; None for the whole year or a balance date


@dataclass
class Line:
    """One printed row: a heading (no figures) or a line of figures, one value per column past the label."""

    key: str | None  # the line's identity in the ledger: a vocabulary key, 'insats:<name>', …; None: heading
    label: str
    values: list[int | str | None] = field(default_factory=list)  # kronor, counts, text; None prints empty
    total: bool = False  # a Summa / Totalt / result line: what an injected error must not be put on


@dataclass
class Table:
    ref: str  # which table of the report this is, the same in every year's report: 'rr', 'note:personnel'
    caption: str | None  # the line printed above it ('Resultaträkning', 'Not 2 Personalkostnader')
    columns: list[Column]  # past the label column
    lines: list[Line]
    unit: str = "kr"  # kr | tkr | tkr1 | count | text
    corner: str = ""  # the header's first cell ('Belopp i kr', 'Insats', '')
    kind: str = "note"  # the kind finsam should read it as (resultatrakning, note, budget …)
    nil: str = "-"  # how a money table prints zero

    def column_of(self, role: str, year: int, period: str | None = None) -> int | None:
        for i, c in enumerate(self.columns):
            if c.role == role and c.year == year and c.period == period:
                return i
        return None

    def line(self, key: str) -> Line | None:
        return next((x for x in self.lines if x.key == key), None)

    def printed(self, value: int | str | None, column: Column) -> str:
        """A cell as this table prints it."""
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        if column.role == "share":
            return percent(value)
        if self.unit in MONEY_UNITS and column.role in ("actual", "budget", "forecast", "variance"):
            if value == 0 and column.role != "variance":
                return self.nil
            return money(value, self.unit)
        return group(value)

    def rows(self) -> list[list[str]]:
        """The table as cells: the header row, then each line."""
        out = [[self.corner, *(c.header for c in self.columns)]]
        for line in self.lines:
            if line.key is None and not line.values:
                out.append([line.label] + [""] * len(self.columns))
            else:
                out.append(
                    [
                        line.label,
                        *(self.printed(v, c) for v, c in zip(line.values, self.columns, strict=True)),
                    ]
                )
        return out

    def text(self) -> str:
        return "\n".join("\t".join(r) for r in self.rows())


def round_half_up(value: float) -> int:
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def group(n: int) -> str:
    """Swedish digit groups: 1 234 567, -12 000."""
    sign = "-" if n < 0 else ""
    digits = str(abs(n))
    parts = []
    while digits:
        parts.append(digits[-3:])
        digits = digits[:-3]
    return sign + " ".join(reversed(parts))


def money(kr: int, unit: str) -> str:
    """An amount in kronor as a table in `unit` prints it."""
    if unit == "kr":
        return group(kr)
    if unit == "tkr":
        return group(round_half_up(kr / 1000))
    tenths = round_half_up(kr / 100)
    whole, decimal = divmod(abs(tenths), 10)
    return ("-" if tenths < 0 else "") + f"{group(whole)},{decimal}"


def in_unit(kr: int, unit: str) -> float:
    """The amount as the printed figure reads, in the table's unit (what a reader of the table sees)."""
    if unit == "tkr":
        return round_half_up(kr / 1000)
    if unit == "tkr1":
        return round_half_up(kr / 100) / 10
    return kr


def percent(tenths: int) -> str:
    """A share held in tenths of a per cent: 500 -> '50,0 %'."""
    whole, decimal = divmod(abs(tenths), 10)
    return ("-" if tenths < 0 else "") + f"{whole},{decimal} %"

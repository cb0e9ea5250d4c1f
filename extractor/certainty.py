"""The last step of table reading: say which tables were read without being sure of their columns.

A header that could not be read leaves its column's role and year unknown (`columns.build_columns` gives a
column without a header no year of its own when the table has others). Such a table, and one whose headers
do not tell two columns apart, is marked `uncertain` with the reasons, so that `finsam check` warns and an
analyst looks at the page, rather than finsam storing a confident wrong year.
"""

from __future__ import annotations

import re

from extractor.numbers import parse_number
from finsam.model import Column, DocumentMeta, Table

# Roles whose figures are money for a year: two such columns must differ in role, year, period or unit.
YEARLY_MONEY_ROLES = ("actual", "budget", "forecast", "variance")
# How far a column's year may lie from the report's (a budget plans a few years ahead; a table compares a
# few back). A year beyond is a misread ("2061"), not a column the report has.
YEARS_BACK, YEARS_AHEAD = 15, 5


def _name(i: int, column: Column) -> str:
    return f"column {i + 1}" + (f" ({column.header})" if column.header else "")


def _reads_as(column: Column) -> str:
    return " ".join(str(p) for p in (column.role, column.year, column.period_start, column.unit) if p)


def _is_figure(header: str) -> bool:
    """A header that is a figure (not a year): '-11 791 000', '523,4'."""
    return not re.fullmatch(r"\(?(?:19|20)\d\d\)?", header) and parse_number(header) is not None


def uncertainties(table: Table, fiscal_year: int | None = None) -> list[str]:
    """Why the columns of `table` cannot be trusted, one reason a line; empty when they can."""
    reasons: list[str] = []
    columns = table.columns
    for i, c in enumerate(columns):
        header = c.header.strip()
        if not header and len(columns) > 1:
            reasons.append(f"{_name(i, c)} has no header: its role and year are unknown")
        elif _is_figure(header):
            reasons.append(f"the header of {_name(i, c)} is a figure: a row was read as the header")
        if c.year is not None and fiscal_year is not None:
            if not fiscal_year - YEARS_BACK <= c.year <= fiscal_year + YEARS_AHEAD:
                reasons.append(f"{_name(i, c)} is read as {c.year}, far from the report's year {fiscal_year}")
    seen: dict[tuple, int] = {}
    for i, c in enumerate(columns):
        if c.role not in YEARLY_MONEY_ROLES or not c.header.strip() or _is_figure(c.header.strip()):
            continue
        key = (c.role, c.year, c.period_start, c.period_end, c.unit)
        if key in seen:
            j = seen[key]
            reasons.append(
                f"{_name(j, columns[j])} and {_name(i, c)} both read as {_reads_as(c)}: "
                "their headers do not tell them apart"
            )
        else:
            seen[key] = i
    return reasons


def mark_uncertain(tables: list[Table], meta: DocumentMeta | None = None) -> None:
    """Set `Table.uncertain` on every table whose columns cannot be trusted."""
    year = meta.fiscal_year if meta else None
    for table in tables:
        table.uncertain = uncertainties(table, year)

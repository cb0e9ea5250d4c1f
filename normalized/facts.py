"""The figures of a store as facts that can be compared across documents: each figure of a compared column,
with the line it stands on in any of a federation's reports (its section, the table it is in, its canonical
key or, where it has none, its label), its column (role, year, and the period when that is not the whole
year), its value in kronor and where it was printed; and the rules for when two printed figures state the
same figure, and which of several is shown. `finsam diff` (normalized.diff) and `finsam series`
(normalized.series) are built on these.

Money is compared in kronor (`cells.value_kr`: tkr and mkr converted) within the rounding of the printed
digits, as the cross-checks compare it (normalized.rules.base.half_unit): 4 200,0 tkr is 4 200 000 kr give or
take 50 kr. A money figure whose unit was not read is shown as printed and never compared. Counts and
percentages are compared as printed.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from finsam.model import COLUMN_ROLES, MONEY_KINDS, UNIT_TO_KR, Value
from finsam.text import fold_label
from normalized.rules.across import BUDGET_KINDS
from normalized.rules.base import fmt, half_unit

# The sections of a report in the order a person reads it: the statements, the notes, the members'
# contributions, budgets and outcome against budget, goals, participants, then the rest.
SECTIONS = (
    "resultatrakning",
    "balansrakning",
    "kassaflodesanalys",
    "note",
    "member_contributions",
    "budget",
    "goals",
    "participants",
    "survey",
    "other",
)
STATEMENTS = SECTIONS[:3]
SECTION_TITLES = {
    "resultatrakning": "Resultaträkning",
    "balansrakning": "Balansräkning",
    "kassaflodesanalys": "Kassaflödesanalys",
    "note": "Noter",
    "member_contributions": "Medlemsavgifter",
    "budget": "Budget och budgetuppföljning",
    "goals": "Mål",
    "participants": "Deltagare",
    "survey": "Enkäter",
    "other": "Övriga tabeller",
}
# A table kind's section where it is not its own: an outcome against budget is read with the budgets.
_SECTION_OF_KIND = {"budget_outcome": "budget"}

# Columns that are compared: every role but variance (utfall − budget: the two lines it comes from show it).
# A column of role other (finsam could not name it) only outside money tables, where its header says what
# it counts (Kvinnor, Män, Totalt in a table of participants); in a money table it is left out.
SKIPPED_ROLES = frozenset({"variance"})
# A column printed without a year stands for the report's own year in a table that is no money table
# (participants, goals) and for these roles in any table (an Andel, a head count); any other money column
# without a year is left out, since which year it holds was not read.
YEARLESS_ROLES = frozenset({"share", "count"})
# In a report of part of a year (a delårsrapport) a column without a period of its own covers the report's
# period, except these, which are the whole year's ("Aktuell budget 2016", "Prognos helår").
WHOLE_YEAR_ROLES = frozenset({"budget", "forecast", "target"})
# Budget figures are also compared across table kinds, by canonical key: an årsredovisning's budget
# column against the verksamhetsplan's budget table (the kinds of normalized.rules.across.BUDGET_KINDS).
LINKED_ROLES = frozenset({"budget"})

# Which report's figure is shown for a year when several give one: the report of that year first, then by
# report type — a budget as the verksamhetsplan adopted it, a forecast as the interim report made it, any
# other figure as the årsredovisning states it — then the report nearest the year, the later first.
DOC_TYPE_PREFERENCE: dict[str, tuple[str, ...]] = {
    "budget": ("verksamhetsplan", "arsredovisning", "delarsrapport"),
    "forecast": ("delarsrapport", "verksamhetsplan", "arsredovisning"),
}
DEFAULT_DOC_TYPES = ("arsredovisning", "delarsrapport", "verksamhetsplan")

DOC_TYPE_NAMES = {
    "arsredovisning": "årsredovisning",
    "verksamhetsplan": "verksamhetsplan",
    "delarsrapport": "delårsrapport",
}


def section_of(kind: str | None) -> str:
    kind = _SECTION_OF_KIND.get(kind or "", kind or "other")
    return kind if kind in SECTIONS else "other"


# A table's own number in its caption ("Tabell 5.", "Bilaga 1:"), and what a title says of its unit and
# years: none of it tells which table it is from one year's report to the next.
_CAPTION_NUMBER = re.compile(r"^(?:tabell|tab|bilaga|diagram|figur)\s*\d+\s*")
_NOT_WHICH_TABLE = re.compile(r"\bbelopp i\b|\b[tm]?kr\b|\d+")


def table_ref(kind: str | None, title: str | None, note_number: int | None) -> str:
    """Which table of a report a table is, the same from one year's report to the next: '' for a statement
    (a report has one of each), else its title folded without caption number, years and unit
    ('Tabell 5. Budgetuppföljning 2021' and 'Budgetuppföljning 2022' are 'budgetuppfoljning'), a note
    without a title by its number."""
    if section_of(kind) in STATEMENTS:
        return ""
    text = _CAPTION_NUMBER.sub("", fold_label(title or ""))
    text = " ".join(_NOT_WHICH_TABLE.sub(" ", text).split())
    if text:
        return text
    return f"not {note_number}" if note_number is not None else kind or "other"


class LineKey(NamedTuple):
    """A line of a federation's reports, the same in every report that prints it."""

    section: str
    table: str  # table_ref
    item: str  # the canonical key, else the folded label; more where the table repeats it (`row_items`)


class ColumnKey(NamedTuple):
    """Which of a line's figures for a year: its role, and what tells apart columns of one role."""

    role: str
    qualifier: str  # the folded header where one table has several columns of this role, year and period
    period: str | None  # 'YYYY-MM-DD–YYYY-MM-DD' for part of a year; None for the whole year


@dataclass(frozen=True)
class Source:
    """Where a figure was printed."""

    document_id: int
    source: str | None  # the file name
    doc_type: str | None
    fiscal_year: int | None
    table_id: int
    table_kind: str
    table_title: str | None
    note_number: int | None
    page: int | None
    row_id: int
    row_label: str
    column_key: str
    column_header: str | None
    printed: str | None  # the cell as printed
    printed_unit: str | None  # the unit it was printed in: kr, tkr, mkr, percent, count or None

    def describe(self) -> str:
        """'#2 årsredovisning 2018, Resultaträkning, p. 4' — what a reader needs to find the figure."""
        kind = DOC_TYPE_NAMES.get(self.doc_type or "", self.doc_type or "report")
        year = f" {self.fiscal_year}" if self.fiscal_year else ""
        table = self.table_title or self.table_kind
        if self.note_number is not None:
            table = f"Not {self.note_number} {table}"
        page = f", p. {self.page}" if self.page else ""
        return f"#{self.document_id} {kind}{year}, {table}{page}"


@dataclass(frozen=True)
class Fact:
    """One printed figure: the line, column and year it is a figure of, its value and its source."""

    federation_id: int | None
    line: LineKey
    column: ColumnKey
    year: int
    value: float  # in kronor for money, else as printed
    unit: str | None  # kr, percent, count, or None (a number as printed)
    tolerance: float  # half a unit of the last printed digit, in `unit`
    comparable: bool  # False for money whose unit was not read: shown, never compared
    # False in a table whose columns finsam could not read with confidence (tables.uncertain): its figures
    # are shown, after the others, and never make a conflict between documents
    trusted: bool
    unsure: bool  # the cell was repaired or its reading not confirmed (cells.repaired, cells.uncertain)
    canonical: str | None
    source: Source
    order: tuple[int, int]  # (table seq, row position) in its document

    @property
    def id(self) -> tuple[int, str]:
        return (self.source.row_id, self.source.column_key)

    @property
    def label(self) -> str:
        return self.source.row_label


def agree(a: Fact, b: Fact) -> bool | None:
    """Do two figures state the same figure? None when they cannot be compared (a money figure whose unit
    was not read, or figures of different units). Within the rounding of both printed figures; by their
    magnitude when they are from tables of different kinds, which print costs with different signs (a
    statement's −1 350 000, a verksamhetsplan's 1 300,0)."""
    if not (a.comparable and b.comparable) or a.unit != b.unit:
        return None
    x, y = a.value, b.value
    if a.source.table_kind != b.source.table_kind:
        x, y = abs(x), abs(y)
    return abs(x - y) <= a.tolerance + b.tolerance + 1e-9 * max(1.0, abs(x))


def rank(fact: Fact, year: int) -> tuple:
    """Sort key for the figures of one line and year: the one to show first (DOC_TYPE_PREFERENCE)."""
    source = fact.source
    types = DOC_TYPE_PREFERENCE.get(fact.column.role, DEFAULT_DOC_TYPES)
    by_type = types.index(source.doc_type) if source.doc_type in types else len(types)
    fiscal = source.fiscal_year if source.fiscal_year is not None else year + 1000
    return (
        not fact.comparable,
        not fact.trusted,
        fiscal != year,
        by_type,
        abs(fiscal - year),
        -fiscal,
        source.document_id,
        fact.order,
    )


def document_rank(document: dict[str, Any], years: Sequence[int]) -> tuple:
    """Sort key for the documents whose layout a listing follows: the reports of `years` in that order,
    årsredovisningar first."""
    fiscal = document["fiscal_year"]
    types = DEFAULT_DOC_TYPES
    return (
        years.index(fiscal) if fiscal in years else len(years),
        types.index(document["doc_type"]) if document["doc_type"] in types else len(types),
        -(fiscal or 0),
        document["id"],
    )


def merged_order(sequences: Iterable[Sequence[Any]]) -> dict[Any, int]:
    """One order of the items of several sequences: the first as it is, then each item of the others that
    is not yet placed right after the item before it there (a line the newer report dropped stays where
    the older one printed it)."""
    placed: list[Any] = []
    seen: set[Any] = set()
    for sequence in sequences:
        after = -1
        for item in sequence:
            if item in seen:
                after = placed.index(item)
                continue
            placed.insert(after + 1, item)
            seen.add(item)
            after += 1
    return {item: i for i, item in enumerate(placed)}


# --- figures as text --------------------------------------------------------------------------------------


def format_value(value: float | None, unit: str | None) -> str:
    """A figure as the listings print it: Swedish digit groups, '%' for a percentage."""
    if value is None:
        return "–"
    return fmt(round(value, 6)) + (" %" if unit == "percent" else "")


def format_printed(fact: Fact) -> str:
    """The figure in kronor, and as printed where that differs: '1 300 000 (1 300,0 tkr)'."""
    shown = format_value(fact.value, fact.unit)
    printed_unit = fact.source.printed_unit
    if not fact.comparable:
        return f"{fact.source.printed} (unit not read)"
    if fact.unit == "kr" and printed_unit in UNIT_TO_KR and printed_unit != "kr":
        return f"{shown} ({fact.source.printed} {printed_unit})"
    return shown


def figure_record(fact: Fact) -> dict[str, Any]:
    """A figure with its source, for JSON and CSV."""
    s = fact.source
    return {
        "value": fact.value,
        "unit": fact.unit,
        "printed": s.printed,
        "printed_unit": s.printed_unit,
        "document_id": s.document_id,
        "source": s.source,
        "doc_type": s.doc_type,
        "fiscal_year": s.fiscal_year,
        "table_kind": s.table_kind,
        "table": s.table_title,
        "note_number": s.note_number,
        "page": s.page,
        "row": s.row_label,
        "column": s.column_header,
        "unsure": fact.unsure,
        "uncertain_table": not fact.trusted,
    }


# --- reading ----------------------------------------------------------------------------------------------


def _full_year(start: str | None, end: str | None) -> bool:
    return not start or not end or (start[5:] == "01-01" and end[5:] == "12-31" and start[:4] == end[:4])


def _placeholders(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values))


@dataclass(frozen=True)
class _Column:
    key: str
    position: int
    header: str | None
    role: str
    year: int
    period: str | None


def _columns(kind: str, document: tuple, columns: list[tuple]) -> dict[str, tuple[ColumnKey, int]]:
    """The compared columns of a table of `kind`: column key -> (ColumnKey, year), given its document's
    (fiscal year, period start, period end) and its columns as table_columns holds them."""
    fiscal, doc_start, doc_end = document
    read: list[_Column] = []
    for key, position, header, role, year, start, end in columns:
        if role in SKIPPED_ROLES or (role == "other" and kind in MONEY_KINDS):
            continue
        if year is None:
            if kind in MONEY_KINDS and role not in YEARLESS_ROLES or fiscal is None:
                continue
            year = fiscal
        if not start and role not in WHOLE_YEAR_ROLES and not _full_year(doc_start, doc_end):
            start, end = doc_start, doc_end
        period = None if _full_year(start, end) else f"{start}–{end}"
        read.append(_Column(key, position, header, role, year, period))
    groups: dict[tuple, list[_Column]] = {}
    for c in read:
        groups.setdefault((c.role, c.year, c.period), []).append(c)
    out: dict[str, tuple[ColumnKey, int]] = {}
    for group in groups.values():
        names: dict[str, int] = {}
        for c in sorted(group, key=lambda c: c.position):
            qualifier = ""
            if len(group) > 1:
                qualifier = " ".join(_NOT_WHICH_TABLE.sub(" ", fold_label(c.header or "")).split())
                names[qualifier] = names.get(qualifier, 0) + 1
                if names[qualifier] > 1 or not qualifier:
                    qualifier = f"{qualifier} #{c.position + 1}".strip()
            out[c.key] = (ColumnKey(c.role, qualifier, c.period), c.year)
    return out


def row_items(rows: Sequence[tuple[int, str | None, str, str | None]]) -> dict[int, str]:
    """Each row's item, for rows (row id, canonical, label, section) of one table in order: its canonical key,
    else its folded label; where the table repeats that, the label is added to a key (a note's 'Övriga
    intäkter' line and its 'Summa övriga intäkter' carry one key), then the sub-heading, then its number
    among its like."""

    def disambiguated(items: dict[int, str], more) -> dict[int, str]:
        counts: dict[str, int] = {}
        for item in items.values():
            counts[item] = counts.get(item, 0) + 1
        return {
            row_id: (f"{item} · {more(row_id)}" if counts[item] > 1 and more(row_id) else item)
            for row_id, item in items.items()
        }

    by_id = {row_id: (canonical, label, section) for row_id, canonical, label, section in rows}
    items = {row_id: canonical or fold_label(label) for row_id, (canonical, label, _) in by_id.items()}
    items = disambiguated(items, lambda r: fold_label(by_id[r][1]) if by_id[r][0] else "")
    items = disambiguated(items, lambda r: fold_label(by_id[r][2] or ""))
    seen: dict[str, int] = {}
    numbered = {}
    counts: dict[str, int] = {}
    for item in items.values():
        counts[item] = counts.get(item, 0) + 1
    for row_id, item in items.items():
        seen[item] = seen.get(item, 0) + 1
        numbered[row_id] = f"{item} #{seen[item]}" if counts[item] > 1 else item
    return numbered


_FACT_SQL = """
SELECT d.id, d.source_name, d.doc_type, d.fiscal_year, d.period_start, d.period_end, d.federation_id,
       t.id, t.seq, t.kind, t.title, t.note_number, t.unit, t.page,
       r.id, r.position, r.label, r.canonical, r.section, r.page,
       x.column_key, x.raw, x.value, x.value_kr,
       t.uncertain IS NOT NULL, x.uncertain OR x.repaired
FROM cells x
JOIN table_rows r ON r.id = x.row_id
JOIN tables t ON t.id = x.table_id
JOIN documents d ON d.id = x.document_id
WHERE d.superseded_by IS NULL AND x.value IS NOT NULL {where}
ORDER BY d.id, t.seq, r.position
"""

_COLUMN_SQL = """
SELECT c.table_id, c.key, c.position, c.header, c.role, c.year, c.period_start, c.period_end, c.unit
FROM table_columns c
WHERE c.table_id IN (SELECT DISTINCT x.table_id FROM cells x
                     JOIN table_rows r ON r.id = x.row_id
                     JOIN documents d ON d.id = x.document_id
                     WHERE d.superseded_by IS NULL {where})
"""


def read_facts(
    conn: sqlite3.Connection,
    federation_ids: Sequence[int] | None = None,
    canonical: str | None = None,
    years: Iterable[int] | None = None,
) -> list[Fact]:
    """The facts of the current documents (superseded versions left out), in document, table and row
    order: of the federations `federation_ids` (None: every document, linked or not), of rows with the
    canonical key `canonical`, of `years` (None: all). Two queries, whatever the number of documents."""
    where, args = "", []
    if federation_ids is not None:
        where += f" AND d.federation_id IN ({_placeholders(federation_ids)})"
        args += list(federation_ids)
    if canonical is not None:
        where += " AND r.canonical = ?"
        args.append(canonical)
    columns_of: dict[int, list[tuple]] = {}
    units: dict[tuple[int, str], str | None] = {}
    for table_id, key, position, header, role, year, start, end, unit in conn.execute(
        _COLUMN_SQL.format(where=where), args
    ):
        columns_of.setdefault(table_id, []).append((key, position, header, role, year, start, end))
        units[(table_id, key)] = unit
    rows = conn.execute(_FACT_SQL.format(where=where), args).fetchall()
    wanted = set(years) if years is not None else None

    by_table: dict[int, list[tuple]] = {}
    for row in rows:
        by_table.setdefault(row[7], []).append(row)
    facts: list[Fact] = []
    for table_id, cells in by_table.items():
        first = cells[0]
        kind, title, note_number, table_unit = first[9], first[10], first[11], first[12]
        fiscal = first[3]
        raw_columns = columns_of.get(table_id, [])
        column_keys = _columns(kind, (fiscal, first[4], first[5]), raw_columns)
        headers = {c[0]: c[2] for c in raw_columns}
        distinct_rows = list({row[14]: (row[14], row[17], row[16] or "", row[18]) for row in cells}.values())
        items = row_items(distinct_rows)
        section, ref = section_of(kind), table_ref(kind, title, note_number)
        for row in cells:
            (doc_id, source_name, doc_type, _, _, _, federation_id, _, seq, _, _, _, _, table_page) = row[:14]
            row_id, position, label, canonical_key, _, row_page, column_key, raw, value, value_kr = row[14:24]
            uncertain_table, unsure = row[24:]
            if column_key not in column_keys:
                continue
            column, year = column_keys[column_key]
            if wanted is not None and year not in wanted:
                continue
            printed_unit = units.get((table_id, column_key)) or table_unit
            unit, comparable, amount = _unit(kind, column.role, printed_unit, raw or "", value, value_kr)
            tolerance = half_unit(Value(raw or "", value))
            if unit == "kr":
                tolerance *= UNIT_TO_KR.get(printed_unit or "kr", 1.0)
            facts.append(
                Fact(
                    federation_id=federation_id,
                    line=LineKey(section, ref, items[row_id]),
                    column=column,
                    year=year,
                    value=amount,
                    unit=unit,
                    tolerance=tolerance,
                    comparable=comparable,
                    trusted=not uncertain_table,
                    unsure=bool(unsure),
                    canonical=canonical_key,
                    source=Source(
                        document_id=doc_id,
                        source=source_name,
                        doc_type=doc_type,
                        fiscal_year=fiscal,
                        table_id=table_id,
                        table_kind=kind,
                        table_title=title,
                        note_number=note_number,
                        page=row_page or table_page,
                        row_id=row_id,
                        row_label=label or "",
                        column_key=column_key,
                        column_header=headers.get(column_key),
                        printed=raw,
                        printed_unit=printed_unit,
                    ),
                    order=(seq, position),
                )
            )
    return facts


def _unit(
    kind: str, role: str, printed_unit: str | None, raw: str, value: float, value_kr: float | None
) -> tuple[str | None, bool, float]:
    """(unit compared in, comparable, value in that unit) of a figure."""
    if printed_unit == "percent" or role == "share" or "%" in raw:
        return "percent", True, value
    if value_kr is not None:
        return "kr", True, value_kr
    if printed_unit == "count":
        return "count", True, value
    if kind in MONEY_KINDS:
        return None, False, value  # money in a unit that was not read: 2 100,0 of what?
    return None, True, value


def role_order(role: str) -> int:
    return COLUMN_ROLES.index(role) if role in COLUMN_ROLES else len(COLUMN_ROLES)


def link_key(fact: Fact) -> str | None:
    """What a budget figure is compared by with the budgets of other tables (a verksamhetsplan's budget
    table against the årsredovisning's budget column): its canonical key, unique in its table
    (`row_items`); or, on a line without one (an insats: "IPS Vindeln"), its label folded. None for a figure
    that is no budget or not in a table a budget is printed in."""
    if (
        fact.column.role not in LINKED_ROLES
        or fact.column.qualifier
        or fact.source.table_kind not in BUDGET_KINDS
    ):
        return None
    if fact.canonical is not None:
        return fact.canonical if fact.line.item == fact.canonical else None
    return f"label:{fact.line.item}"


def linkable(fact: Fact) -> bool:
    """A budget figure that is compared with the same line's budget in tables of other kinds (`link_key`)."""
    return link_key(fact) is not None

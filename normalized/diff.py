"""`finsam diff`: one federation's figures of two years side by side, across all of its reports.

Every line of the federation's tables (normalized.facts: a statement's line, a note's, a budget's, a goal's, an
insats's participants) is paired with itself in the other year by its canonical key, or by its label where it
has none, whichever report prints it: a report's prior-year column is a source for that year as much as that
year's own report. For each line and column role (utfall, budget, …) the figure shown for a year is the one
the report of that year prints (normalized.facts.rank), with the change from one year to the other in kronor
and per cent, or the line marked as appeared or vanished. Where two documents state different figures for the
same line and year — the 2017 column of the 2018 årsredovisning against the 2017 årsredovisning, a
verksamhetsplan's budget against the årsredovisning's budget column — the diff lists each figure with its
document, table and page. Read with `compare_years`; `YearDiff.text()`, `.to_json()` and `.csv_rows()` are
the three formats of the CLI.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from normalized.facts import (
    DOC_TYPE_NAMES,
    SECTION_TITLES,
    SECTIONS,
    ColumnKey,
    Fact,
    LineKey,
    agree,
    document_rank,
    figure_record,
    format_printed,
    format_value,
    link_key,
    linkable,
    merged_order,
    rank,
    read_facts,
    role_order,
)
from normalized.store import Store

# What a line did from one year to the other. appeared/vanished: its table has figures of that column for
# both years, the line only for one; to_year_only/from_year_only: its table (or that column of it) has
# figures for one year only (a verksamhetsplan's budget when the other year has none); incomparable: a
# figure of each year, one of them money whose unit was not read.
STATUSES = (
    "changed",
    "unchanged",
    "appeared",
    "vanished",
    "to_year_only",
    "from_year_only",
    "incomparable",
)

UNIT_NOTE = (
    "Amounts in kr: figures printed in tkr or mkr are converted, and two figures are the same within the "
    "rounding of their printed digits (4 200,0 tkr is 4 200 000 kr ± 50). Counts and percentages as "
    "printed. Superseded versions of a report are left out."
)


@dataclass
class Conflict:
    """Figures that documents state differently for one line, column and year."""

    year: int
    line: LineKey
    column: ColumnKey
    canonical: str | None
    label: str
    figures: list[Fact]  # the one shown first

    @property
    def unsure(self) -> bool:
        """A figure of it is a reading OCR repair changed or the totals could not confirm."""
        return any(f.unsure for f in self.figures)

    def to_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "section": self.line.section,
            "key": self.canonical,
            "item": self.line.item,
            "label": self.label,
            "role": self.column.role,
            "column": self.column.qualifier or None,
            "period": self.column.period,
            "unsure": self.unsure,
            "figures": [figure_record(f) for f in self.figures],
        }


@dataclass
class DiffLine:
    """One line and column of the federation's tables, in both years."""

    line: LineKey
    column: ColumnKey
    table_title: str | None
    note_number: int | None
    from_figures: list[Fact]  # this line's figures for the from-year, the one shown first
    to_figures: list[Fact]
    status: str
    change: float | None = None
    change_pct: float | None = None
    conflicts: list[int] = field(default_factory=list)  # indexes into YearDiff.conflicts

    @property
    def shown(self) -> Fact:
        return (self.to_figures or self.from_figures)[0]

    @property
    def label(self) -> str:
        return self.shown.label

    @property
    def canonical(self) -> str | None:
        return self.shown.canonical

    @property
    def unit(self) -> str | None:
        return self.shown.unit

    @property
    def from_value(self) -> float | None:
        return self.from_figures[0].value if self.from_figures else None

    @property
    def to_value(self) -> float | None:
        return self.to_figures[0].value if self.to_figures else None

    def name(self) -> str:
        """The label with what tells the line's columns apart: 'Personalkostnader [budget]', 'Steget
        [Kvinnor]'."""
        extra = [self.column.role] if self.column.role not in ("actual", "other", "count") else []
        if self.column.qualifier:
            extra.append(self.shown.source.column_header or self.column.qualifier)
        if self.column.period:
            extra.append(self.column.period)
        return self.label + (f" [{', '.join(extra)}]" if extra else "")


@dataclass
class YearDiff:
    federation_id: int
    federation: str
    from_year: int
    to_year: int
    documents: list[dict[str, Any]]
    lines: list[DiffLine]
    conflicts: list[Conflict]

    def counts(self) -> dict[str, int]:
        counted = {status: sum(1 for line in self.lines if line.status == status) for status in STATUSES}
        return {"lines": len(self.lines), "conflicts": len(self.conflicts), **counted}

    # -- formats ----------------------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {
            "federation": {"id": self.federation_id, "name": self.federation},
            "from": self.from_year,
            "to": self.to_year,
            "unit_note": UNIT_NOTE,
            "documents": self.documents,
            "summary": self.counts(),
            "lines": [
                {
                    "section": line.line.section,
                    "table": line.table_title,
                    "table_ref": line.line.table,
                    "note_number": line.note_number,
                    "key": line.canonical,
                    "item": line.line.item,
                    "label": line.label,
                    "role": line.column.role,
                    "column": line.column.qualifier or None,
                    "period": line.column.period,
                    "unit": line.unit,
                    "from": figure_record(line.from_figures[0]) if line.from_figures else None,
                    "to": figure_record(line.to_figures[0]) if line.to_figures else None,
                    "change": line.change,
                    "change_pct": line.change_pct,
                    "status": line.status,
                    "from_sources": [figure_record(f) for f in line.from_figures],
                    "to_sources": [figure_record(f) for f in line.to_figures],
                    "conflicts": line.conflicts,
                }
                for line in self.lines
            ],
            "conflicts": [c.to_json() for c in self.conflicts],
        }

    def csv_rows(self) -> list[dict[str, Any]]:
        """Long form, as the CSV export: one row per figure of each line (both years, the one shown with
        chosen=1), each with its line's change and status; a conflict's figures from other tables (a
        verksamhetsplan's budget against the årsredovisning's budget column) with linked=1."""
        out = []
        for line in self.lines:
            base = {
                "section": line.line.section,
                "table": line.table_title,
                "note_number": line.note_number,
                "key": line.canonical,
                "item": line.line.item,
                "label": line.label,
                "role": line.column.role,
                "column": line.column.qualifier,
                "period": line.column.period,
                "unit": line.unit,
                "status": line.status,
                "change": line.change,
                "change_pct": line.change_pct,
            }
            years = [(self.from_year, line.from_figures)]
            if self.to_year != self.from_year:  # one year compared with itself: its figures once
                years.append((self.to_year, line.to_figures))
            for year, figures in years:
                conflict = next((i for i in line.conflicts if self.conflicts[i].year == year), None)
                shown = {f.id for f in figures}
                linked = [
                    f
                    for f in (self.conflicts[conflict].figures if conflict is not None else [])
                    if f.id not in shown
                ]
                for n, fact in enumerate(figures + linked):
                    out.append(
                        {
                            **base,
                            "year": year,
                            "chosen": int(n == 0),
                            "linked": int(n >= len(figures)),
                            "conflict": "" if conflict is None else conflict,
                            **_csv_figure(fact),
                        }
                    )
        return out

    def text(self) -> str:
        return "\n".join(_text(self)) + "\n"


CSV_FIELDS = (
    "section",
    "table",
    "note_number",
    "key",
    "item",
    "label",
    "role",
    "column",
    "period",
    "unit",
    "status",
    "change",
    "change_pct",
    "year",
    "value",
    "chosen",
    "linked",
    "conflict",
    "printed",
    "printed_unit",
    "document_id",
    "source",
    "doc_type",
    "fiscal_year",
    "table_kind",
    "table_title",
    "page",
    "row_label",
    "column_header",
)


def _csv_figure(fact: Fact) -> dict[str, Any]:
    record = figure_record(fact)
    return {
        "value": record["value"],
        "printed": record["printed"],
        "printed_unit": record["printed_unit"],
        "document_id": record["document_id"],
        "source": record["source"],
        "doc_type": record["doc_type"],
        "fiscal_year": record["fiscal_year"],
        "table_kind": record["table_kind"],
        "table_title": record["table"],
        "page": record["page"],
        "row_label": record["row"],
        "column_header": record["column"],
    }


# --- the comparison ---------------------------------------------------------------------------------------


def compare_years(store: Store, federation: str | int, from_year: int, to_year: int) -> YearDiff:
    """The federation's figures of `from_year` and `to_year` side by side. `federation` is a name as
    `finsam federations` lists it, any spelling the matcher knows, a part of it that tells it apart
    ('botkyrka') or its id; a name that is unknown or could be several raises QueryError."""
    found = store.find_federation(federation)
    conn = store.db.conn
    years = (from_year, to_year)
    facts = read_facts(conn, federation_ids=[found.federation_id], years=set(years))
    sources = {f.source.document_id for f in facts}
    documents = [  # the documents with figures of these years
        {"id": d[0], "source": d[1], "doc_type": d[2], "fiscal_year": d[3]}
        for d in conn.execute(
            """SELECT id, source_name, doc_type, fiscal_year FROM documents
               WHERE federation_id = ? AND superseded_by IS NULL ORDER BY fiscal_year, id""",
            [found.federation_id],
        )
        if d[0] in sources
    ]
    lines, conflicts = _lines(facts, from_year, to_year)
    lines = _ordered(lines, documents, years)
    return YearDiff(found.federation_id, found.name, from_year, to_year, documents, lines, conflicts)


def _one_per_document(facts: list[Fact], year: int) -> list[Fact]:
    """The figures of one line and year, one a document (its first table), the one shown first."""
    first: dict[int, Fact] = {}
    for fact in facts:
        first.setdefault(fact.source.document_id, fact)
    return sorted(first.values(), key=lambda f: rank(f, year))


def _disagree(figures: list[Fact]) -> bool:
    """Do two documents state different figures? Figures of tables whose columns could not be read with
    confidence do not count: their column may be another year's."""
    trusted = [f for f in figures if f.trusted]
    return any(
        agree(a, b) is False
        for i, a in enumerate(trusted)
        for b in trusted[i + 1 :]
        if a.source.document_id != b.source.document_id
    )


def _lines(facts: list[Fact], from_year: int, to_year: int) -> tuple[list[DiffLine], list[Conflict]]:
    """Each line and column's figures of both years, the one shown first, its change or status, and the
    conflicts between documents: the line's own figures of a year, and a budget's also with the same
    key's budget in the other tables a budget is printed in (normalized.facts.linkable)."""
    cells: dict[tuple[LineKey, ColumnKey], dict[int, list[Fact]]] = {}
    budgets: dict[tuple, list[Fact]] = {}
    present: set[tuple] = set()
    for fact in facts:
        cells.setdefault((fact.line, fact.column), {}).setdefault(fact.year, []).append(fact)
        present.add((fact.line.section, fact.line.table, fact.column, fact.year))
        if linkable(fact):
            budgets.setdefault((link_key(fact), fact.column, fact.year), []).append(fact)

    conflicts: list[Conflict] = []
    conflict_of: dict[tuple, int] = {}
    lines = []
    for (line, column), by_year in cells.items():
        figures = {year: _one_per_document(by_year.get(year, []), year) for year in {from_year, to_year}}
        found = []
        for year in dict.fromkeys((from_year, to_year)):
            own = figures[year]
            compared = list(own)
            if own and linkable(own[0]):
                documents = {f.source.document_id for f in own}
                others = [
                    f
                    for f in budgets.get((link_key(own[0]), column, year), [])
                    if f.line != line and f.source.document_id not in documents
                ]
                compared += _one_per_document(others, year)
            if _disagree(compared):
                # one conflict however many tables of one document state its figure: the same documents
                # with the same figures for the same key (or line), column and year
                figure_of = frozenset(
                    (f.source.document_id, round(f.value, 2)) for f in compared if f.trusted
                )
                key = (year, column, link_key(own[0]) or line, figure_of)
                if key not in conflict_of:
                    conflict_of[key] = len(conflicts)
                    compared.sort(key=lambda f: rank(f, year))
                    shown = compared[0]
                    conflicts.append(
                        Conflict(year, shown.line, column, shown.canonical, shown.label, compared)
                    )
                found.append(conflict_of[key])
        a = figures[from_year][0] if figures[from_year] else None
        b = figures[to_year][0] if figures[to_year] else None
        change = pct = None
        if a and b:
            if agree(a, b) is None:
                status = "incomparable"
            else:
                change = b.value - a.value
                # a share's change is in percentage points, not a share of a share
                pct = change / abs(a.value) * 100 if a.value and a.unit != "percent" else None
                status = "unchanged" if agree(a, b) else "changed"
        elif b:
            there = (line.section, line.table, column, from_year) in present
            status = "appeared" if there else "to_year_only"
        else:
            there = (line.section, line.table, column, to_year) in present
            status = "vanished" if there else "from_year_only"
        lines.append(
            DiffLine(
                line=line,
                column=column,
                table_title=None,
                note_number=None,
                from_figures=figures[from_year],
                to_figures=figures[to_year],
                status=status,
                change=change,
                change_pct=pct,
                conflicts=found,
            )
        )
    return lines, conflicts


def _ordered(lines: list[DiffLine], documents: list[dict[str, Any]], years: Sequence[int]) -> list[DiffLine]:
    """The lines in the order a person reads the reports: by section (normalized.facts.SECTIONS), notes by
    number, other tables as the reports print them, the lines of a table in the order the report of the
    to-year prints them (then the from-year's report, …), a line's columns by role."""
    preference = {
        d["id"]: i for i, d in enumerate(sorted(documents, key=lambda d: document_rank(d, years[::-1])))
    }

    def preferred(fact: Fact) -> tuple:
        return (preference.get(fact.source.document_id, len(preference)), fact.order)

    tables: dict[tuple[str, str], list[DiffLine]] = {}
    for line in lines:
        tables.setdefault((line.line.section, line.line.table), []).append(line)
    placed = []
    for (section, _), members in tables.items():
        facts = sorted((f for line in members for f in line.from_figures + line.to_figures), key=preferred)
        first = facts[0].source
        for line in members:
            line.table_title, line.note_number = first.table_title, first.note_number
        # each document's items in its own order (the facts are sorted by document, then table and row)
        sequences: dict[int, dict[str, None]] = {}
        for fact in facts:
            sequences.setdefault(fact.source.document_id, {})[fact.line.item] = None
        order = merged_order(list(items) for items in sequences.values())
        note = first.note_number if first.note_number is not None else 10_000
        table_key = (SECTIONS.index(section), note if section == "note" else 0, preferred(facts[0]))
        column_position = {}
        for fact in facts:
            column_position.setdefault(fact.column, len(column_position))
        for line in members:
            placed.append(
                (
                    table_key,
                    order[line.line.item],
                    role_order(line.column.role),
                    column_position[line.column],
                    line,
                )
            )
    placed.sort(key=lambda p: p[:4])
    return [p[-1] for p in placed]


# --- text -------------------------------------------------------------------------------------------------

_MARKS = {
    "appeared": "new",
    "vanished": "gone",
    "incomparable": "unit?",
}


def _cell(figures: list[Fact]) -> str:
    """A year's figure in its column: in kronor, or as printed with '?' where its unit was not read."""
    if not figures:
        return "–"
    fact = figures[0]
    return format_value(fact.value, fact.unit) if fact.comparable else f"{fact.source.printed} ?"


def _change(line: DiffLine) -> str:
    if line.change is None:
        return ""
    if line.unit == "percent":  # percentage points
        return f"{line.change:+.1f}".replace(".", ",").replace(",0", "") + " pp"
    text = format_value(line.change, line.unit)
    return text if text.startswith("-") or line.change == 0 else "+" + text


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:+.1f}".replace(".", ",") + " %"


def _text(diff: YearDiff) -> list[str]:
    counts = diff.counts()
    out = [f"{diff.federation}: {diff.from_year} → {diff.to_year}"]
    documents = "; ".join(
        f"#{d['id']} {DOC_TYPE_NAMES.get(d['doc_type'] or '', d['doc_type'] or '?')} {d['fiscal_year'] or '?'} "
        f"({d['source']})"
        for d in diff.documents
    )
    out.append(f"Documents: {documents or 'none'}")
    out.append(UNIT_NOTE + " '?': a figure whose unit was not read, as printed.")
    out.append(
        f"{counts['conflicts']} conflicts between documents · {counts['changed']} changed · "
        f"{counts['unchanged']} unchanged · {counts['appeared']} appeared · {counts['vanished']} vanished · "
        f"{counts['to_year_only'] + counts['from_year_only']} in one year's tables only"
    )
    if not diff.lines:
        out += ["", f"No figures for {diff.from_year} or {diff.to_year}."]
        return out
    width = min(56, max(len(line.name()) for line in diff.lines) + 2)
    head = f"{'':<{width + 2}}{diff.from_year:>14}{diff.to_year:>14}{'change':>14}{'%':>10}"
    section = table = None
    for line in diff.lines:
        if line.line.section != section:
            section, table = line.line.section, None
            out += ["", SECTION_TITLES[section].upper()]
        if (line.line.section, line.line.table) != table:
            table = (line.line.section, line.line.table)
            title = line.table_title or SECTION_TITLES[section]
            if line.note_number is not None:
                title = f"Not {line.note_number} {title}"
            if title.casefold() != SECTION_TITLES[section].casefold():
                out.append(title)
            out.append(head)
        mark = _MARKS.get(line.status, "")
        if not line.shown.trusted:
            mark = (mark + " unsure").strip()  # a table whose columns could not be read with confidence
        if line.conflicts:
            mark = (mark + " !").strip()
        name = line.name()
        if len(name) > width - 2:
            name = name[: width - 3] + "…"
        out.append(
            f"  {name:<{width}}{_cell(line.from_figures):>14}{_cell(line.to_figures):>14}"
            f"{_change(line):>14}{_pct(line.change_pct):>10}" + (f"  {mark}" if mark else "")
        )
        shown_here = {f.id for f in line.from_figures[:1] + line.to_figures[:1]}
        for index in line.conflicts:
            conflict = diff.conflicts[index]
            unsure = " (a reading OCR could not confirm: look at the page)" if conflict.unsure else ""
            out.append(f"      ! {conflict.year}: the documents state different figures{unsure}")
            for fact in conflict.figures:
                shown = "  (shown)" if fact.id in shown_here else ""
                out.append(f"          {format_printed(fact):>24}  {fact.source.describe()}{shown}")
    return out

"""Goal tables as tables: each goal table read is also stored as a table of kind goals (`goal_table`), its
cells the targets and results the goal reader paired, and takes the place of a table the table extractor
read from the same lines (`with_goal_tables`).
"""

from __future__ import annotations

from typing import NamedTuple

from extractor.columns import column_key, header_years
from extractor.goal_columns import GoalColumns
from extractor.targets import misread_percent
from finsam.model import Column, Goal, Row, Table, Value
from finsam.text import fold_word


class RowGoal(NamedTuple):
    """A goal read from a goal table's row, with the row's cells and the goal cell it stands under."""

    goal: Goal
    cells: list[str]
    goal_cell: str


# What each kind of goal-table column holds, as a column role: the target (a Mål column holds it when the table
# has no Målvärde column of its own), the result, and text (the indicator, the grade, a comment).
def _column_roles(columns: GoalColumns) -> dict[int, str]:
    roles = {columns.goal: "target" if columns.target is None else "other"}
    for index, role in (
        (columns.target, "target"),
        (columns.result, "result"),
        (columns.fulfilment, "other"),
        (columns.indicator, "other"),
        (columns.comment, "other"),
    ):
        if index is not None:
            roles[index] = role
    return roles


def goal_table(
    title: str | None, headers: list[str], columns: GoalColumns, found: list[RowGoal], meta
) -> Table:
    """A goal table as a table: a row per goal, labelled by its insats (or, without an insats column, by the
    goal), the target and result figures as the goals read them, the other columns' text kept raw.

    A column's year is its header's, else the report's: a goal table sets this year's targets."""
    roles = _column_roles(columns)
    label_at = columns.insats if columns.insats is not None else columns.goal
    year = getattr(meta, "fiscal_year", None)
    table_columns: list[Column] = []
    keys: dict[int, str] = {}
    used: set[str] = set()
    for i, header in enumerate(headers):
        if i == label_at or i not in roles:
            continue
        keys[i] = key = column_key(header, roles[i], None, used)
        years = header_years(header)
        table_columns.append(
            Column(key=key, header=header.strip(), role=roles[i], year=years[-1] if years else year)
        )
    rows: list[Row] = []
    for goal, cells, goal_cell in found:
        label = (goal.insats or "") if columns.insats is not None else goal_cell
        values: dict[str, Value] = {}
        for i, key in keys.items():
            raw = cells[i].strip() if i < len(cells) else ""
            if roles[i] == "target":
                number = goal.target_value
            elif roles[i] == "result":
                number = goal.result_value
            else:
                number = None
            if raw or number is not None:
                # a "%" that OCR read as figures: the share is read from the figure before it, and the text
                # as read stays beside the value, marked
                context = f"{goal_cell} {' '.join(cells)}"
                misread = misread_percent(raw, context) if roles[i] == "target" else None
                values[key] = Value(
                    raw=raw, value=number, repaired=misread is not None, uncertain=misread is not None
                )
        rows.append(Row(label=label, label_raw=label, values=values, page=goal.page))
    pages = [r.page for r in rows if r.page is not None]
    return Table(
        kind="goals",
        title=title or " | ".join(h for h in headers if h.strip()),
        columns=table_columns,
        rows=rows,
        unit="mixed",
        page=min(pages) if pages else None,
        page_end=max(pages) if pages else None,
    )


def with_goal_tables(tables: list[Table], goal_tables: list[Table]) -> list[Table]:
    """The table extractor's tables with the goal tables added, in page order; a table the table extractor
    read from the same lines (the same title, or most of the goal table's row labels under one of its
    headers, on its pages) gives way
    to the goal table, whose cells the goal reader has split and paired."""

    def labels(t: Table) -> set[str]:
        return {fold_word(r.label) for r in t.rows if r.label.strip()}

    def headers(t: Table) -> set[str]:
        return {fold_word(c.header) for c in t.columns if c.header.strip()}

    def same(t: Table, g: Table) -> bool:
        if t.page is None or g.page is None:
            return False
        if t.page > (g.page_end or g.page) or g.page > (t.page_end or t.page):
            return False
        if fold_word(t.title) == fold_word(g.title):
            return True
        # the same rows under some of the same headers (a participants table per insats has the rows, not
        # the Mål and Resultat columns)
        mine, theirs = labels(g), labels(t)
        return bool(mine & theirs) and len(mine & theirs) >= len(mine) // 2 and bool(headers(t) & headers(g))

    kept = [t for t in tables if not any(same(t, g) for g in goal_tables)]
    merged = sorted(kept + goal_tables, key=lambda t: t.page or 0)
    for n, table in enumerate(merged, 1):
        table.id = f"t{n}"
    return merged

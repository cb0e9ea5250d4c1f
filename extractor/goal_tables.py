"""Goal reading: goal tables — a header row with a Mål and a Resultat column, one row per insats.

Read off the page lines (`goals_from_table_lines`) by the table reader of text cells, extractor.grid: on a
positioned page by geometry (extractor.grid_header → grid_separators → grid.read_grid), in text input from
the tab fields (grid.read_tab_rows); what the header's columns mean is this module's (extractor.goal_columns). Also read from the goal tables the table
extractor already found (`goals_from_tables`). A cell may hold several statements ("Ca 300 deltagare 65 %
till arbete/studier"), split at each target phrase and paired goal to result; each goal table read off the
lines is also kept as a table (extractor.goal_records).
"""

from __future__ import annotations

import re

from extractor.captions import DOT_LEADER, SECTION_NUMBER
from extractor.furniture import running_lines
from extractor.goal_columns import GOAL_HEADER_SPEC, GoalColumns, goal_header
from extractor.goal_layout import Heading, document_lines, furniture_test, is_heading
from extractor.goal_prose import insats_name
from extractor.goal_records import RowGoal, goal_table
from extractor.grid import read_grid, read_tab_rows
from extractor.grid_header import find_header
from extractor.targets import (
    GOAL_WORD,
    Statement,
    fulfilment_in,
    grade_of,
    pair_statements,
    parse_target,
    split_statements,
)
from finsam.model import Goal, Line, ParsedDocument, Table
from finsam.text import fold_word

# a contents entry: a numbered heading or a dot leader, ending in its page number ("4.1 ÖVERGRIPANDE MÅL
# FÖR\t7", "Uppföljning .....\t7"); its headings name goals ("Mål för verksamheten") but it is no goal table
_PAGE_NUMBER_END = re.compile(r"\s\d{1,3}\s*$")
CONTENTS_MIN = 4  # entries, each within CONTENTS_GAP lines of the next, that make a table of contents
CONTENTS_GAP = 6


def contents_lines(lines: list[Line]) -> set[int]:
    """The indices of the lines that lie within a table of contents: from its first entry to its last."""
    entries = [
        i
        for i, ln in enumerate(lines)
        if _PAGE_NUMBER_END.search(text := ln.text.strip())
        and (SECTION_NUMBER.match(text) or DOT_LEADER.search(text))
    ]
    inside: set[int] = set()
    run: list[int] = []
    for i in [*entries, None]:
        if i is not None and run and i - run[-1] <= CONTENTS_GAP and lines[i].page == lines[run[-1]].page:
            run.append(i)
            continue
        if len(run) >= CONTENTS_MIN:
            inside.update(range(run[0], run[-1] + 1))
        run = [i] if i is not None else []
    return inside


def goals_from_table_lines(
    doc: ParsedDocument, meta=None, taken: set[int] | None = None, tables: list[Table] | None = None
) -> list[Goal]:
    """Goal tables laid out in lines: a header with Mål and Resultat (or Måluppfyllelse, Målvärde,
    Indikator), then one row per goal or insats.

    On a positioned page (PDF, OCR) the table is read by geometry (the grid reader: extractor.grid_header,
    grid_separators, grid): columns from the header and the gutters between the words, rows from the
    gaps between lines, so wrapped cells, cells run together and rows aligned to the top or the bottom read
    alike. In text input the cells are tab fields and a row is a line; a line with a blank insats cell goes
    on with the row above.

    Each goal table read is also appended to `tables` (when given) as a table of kind goals: its figures
    (targets, results) as cells under the columns the header names (`goal_table`)."""
    goals = []
    lines = document_lines(doc)
    positioned = {p.number for p in doc.pages if p.text_source != "text"}
    furniture = running_lines(doc)

    is_furniture = furniture_test(doc, furniture)
    contents = contents_lines(lines)

    n = 0
    while n < len(lines):
        line = lines[n]
        if not line.cells or n in contents or not GOAL_HEADER_SPEC.maybe(line.text):
            n += 1
            continue
        if line.page in positioned:
            header = find_header(lines, n, GOAL_HEADER_SPEC)
            if header is None:
                n += 1
                continue
            columns: GoalColumns = header[3]
            grid = read_grid(lines, header, is_furniture, columns.key)
            rows = [(row.cells, row.page) for row in grid.rows]
            headers = [c.header for c in grid.columns]
            start, n = grid.start, max(grid.end, n + 1)
            if taken is not None:
                taken.update(id(ln) for ln in lines[grid.start : grid.end])
        else:
            columns = goal_header([c.text for c in line.cells]) if len(line.cells) >= 2 else None
            if columns is None:
                n += 1
                continue
            start = n
            headers = [c.text for c in line.cells]
            rows, n = read_tab_rows(lines, n, columns.key, furniture, columns.insats is not None)
        found = _table_goals(lines, start, columns, rows, meta)
        goals.extend(r.goal for r in found)
        if tables is not None and rows:
            tables.append(goal_table(_title_above(lines, start), headers, columns, found, meta))
    return goals


def _table_goals(
    lines: list[Line], start: int, columns: GoalColumns, rows: list[tuple[list[str], int]], meta
) -> list[RowGoal]:
    """The goals of a goal table's rows: the insats from its column (carried down over blank cells), else
    from the table's caption or section, else the federation's own goals; each row's statements paired
    goal to result."""
    title = _title_above(lines, start)
    table_insats = None if columns.insats is not None else _table_insats(lines, start, title, meta)
    goals: list[RowGoal] = []
    insats = ""
    last_goal = ""

    def cell(cells: list[str], index: int | None) -> str:
        return cells[index].strip() if index is not None and index < len(cells) else ""

    for cells, page in rows:
        if columns.insats is not None:
            insats = cell(cells, columns.insats) or insats
        goal_cell, target_cell = cell(cells, columns.goal), cell(cells, columns.target)
        indicator = cell(cells, columns.indicator)
        if not goal_cell and (target_cell or indicator):
            goal_cell = last_goal  # a goal over several indicators or target rows
        last_goal = goal_cell or last_goal
        for goal in _row_goals(
            insats if columns.insats is not None else table_insats or "",
            goal_cell,
            cell(cells, columns.result),
            cell(cells, columns.fulfilment),
            page,
            target_cell,
            f"{indicator} {goal_cell}",
            cell(cells, columns.comment),
        ):
            goal.section = title
            goals.append(RowGoal(goal, cells, goal_cell))
    return goals


def _headings_above(lines: list[Line], n: int):
    """The headings above line n, nearest first (lines of text only, not table lines)."""
    for k in range(n - 1, -1, -1):
        text = lines[k].text.strip()
        if not text or "\t" in text:
            continue
        heading = is_heading(text, lines[k + 1].text if k + 1 < len(lines) else None)
        if heading is not None:
            yield heading


def insats_above(lines: list[Line], n: int) -> str | None:
    """For a goal table without an insats column: the nearest heading above it that names something."""
    for heading in _headings_above(lines, n):
        if not heading.is_generic and not heading.is_goal_heading:
            return insats_name(heading)
    return None


# Words of a caption or heading over goals that name no insats ("Mål och indikatorer 2023", "Förbundets mål").
NAMES_NOTHING = frozenset(
    {"och", "for", "med", "samt", "resultat", "uppdrag", "indikator", "indikatorer", "malvarde", "malvarden",
     "uppfoljning", "maluppfyllelse", "ar", "arets", "aret", "verksamhetsaret", "verksamhetsplan", "forbundet",
     "forbundets", "samordningsforbundet", "samordningsforbundets", "overgripande", "tabell", "bilaga", "figur",
     "utfall", "av", "i", "till", "under", "planerade", "planerat"}
)  # fmt: skip


def _names_insats(text: str) -> bool:
    words = [fold_word(w) for w in re.findall(r"[^\W\d_]+", text)]
    rest = [w for w in words if not re.fullmatch(GOAL_WORD, w) and w not in NAMES_NOTHING]
    return bool(rest)


def _table_insats(lines: list[Line], start: int, title: str | None, meta) -> str | None:
    """Whose goals a table without an insats column holds: what its caption names ("Tabell 3. Mål för
    Vägen Vidare"), else its section's heading, climbing over generic sub-headings ('Mål och resultat') up
    to the numbered section; a caption and section about goals only hold the federation's own goals."""
    if title:
        caption = re.sub(r"(?i)^\s*(?:tabell|tab\.|bilaga|figur)\s*\d*\s*[:.–-]?\s*", "", title)
        caption = re.sub(r"[\s,]+(?:(?:år\s+)?(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)?\d\d)?)$", "", caption)
        if _names_insats(caption):
            return insats_name(Heading(caption.strip(), None, 0))
    for heading in _headings_above(lines, start):
        if not heading.is_generic and _names_insats(heading.text):
            return insats_name(heading)
        if heading.number:
            break  # the section the table stands in names nobody
    return getattr(meta, "federation", None)


def _title_above(lines: list[Line], n: int) -> str | None:
    """The table's title: the nearest short text line above its header, within a few lines."""
    for k in range(n - 1, max(-1, n - 4), -1):
        text = lines[k].text.strip()
        if text and "\t" not in text:
            return text if len(text) <= 120 else None
    return None


def _row_goals(
    insats: str,
    goal_cell: str,
    result_cell: str,
    grade: str,
    page: int | None,
    target_cell: str = "",
    context: str = "",
    comment: str = "",
) -> list[Goal]:
    goals = split_statements(goal_cell)
    if target_cell:
        value, unit = parse_target(target_cell, context or goal_cell)
        if value is not None:
            if not goals:
                goals = [Statement(goal_cell or target_cell)]
            if len(goals) == 1 or all(g.value is None for g in goals):
                goals = [Statement(" ".join(g.text for g in goals), value, unit)]
    results = split_statements(result_cell)
    if len(results) == 1 and results[0].value is None:
        value, unit = parse_target(results[0].text, context or goal_cell)  # a bare figure: '97', '31'
        if value is not None:
            results = [Statement(results[0].text, value, unit)]
    if len(goals) == 1 and len(results) == 1 and results[0].unit != goals[0].unit and goals[0].unit:
        results[0].unit = goals[0].unit  # one goal, one result: they belong together whatever the wording
    pairs = pair_statements(goals, results)
    fulfilment = grade_of(grade) if grade else fulfilment_in(result_cell) or fulfilment_in(comment)
    out = []
    for goal, result in pairs:
        out.append(
            Goal(
                insats=insats or None,
                goal=goal.text if goal else "",
                target_value=goal.value if goal else None,
                target_unit=(goal.unit if goal else result.unit if result else None),
                result=result.text if result else None,
                result_value=result.value if result else None,
                fulfilment=fulfilment,
                page=page,
            )
        )
    if not pairs and fulfilment:
        out.append(Goal(insats=insats or None, goal=goal_cell.strip(), fulfilment=fulfilment, page=page))
    return out


def goals_from_tables(tables: list[Table]) -> list[Goal]:
    """Goal tables the table extractor found: a row per insats, target/result columns as printed."""
    goals = []
    for table in tables or []:
        if table.kind != "goals":
            continue
        target = next((c.key for c in table.columns if c.role == "target"), None)
        result = next((c.key for c in table.columns if c.role == "result"), None)
        if target is None:
            continue
        for row in table.rows:
            goal_raw = row.values[target].raw if target in row.values else ""
            result_raw = row.values[result].raw if result and result in row.values else ""
            goals.extend(_row_goals(row.label, goal_raw, result_raw, "", row.page or table.page))
    return goals

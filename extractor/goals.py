"""Goals (mål): what a samordningsförbund or one of its insatser aims at, with target, result and fulfilment.

Four layouts are read, all from the page lines:
- goal tables (årsredovisning, 'Bilaga: Måluppfyllelse'): a header row with a Mål and a Resultat column, one
  row per insats; a cell may hold several statements ("Ca 300 deltagare 65 % till arbete/studier"), split at
  each target phrase and paired goal to result by unit;
- the same tables after OCR has run their columns together into plain lines: goal before result in reading
  order;
- goal lists (verksamhetsplan): numbered or bulleted items under a heading about mål, or after a sentence
  about mål ending in ':' ("Målet är att insatserna … bidrar till att:");
- goal sentences in prose (delårsrapport, årsredovisning): "X har som mål att … till 100 personer".

Target phrases ("Minst 30 %", "Ca 300 deltagare", "2 500 personer") and goal cues ("har som mål",
"målet är att", "önskar uppnå") are spaCy Matcher patterns on a blank Swedish pipeline, kept as data below.
Goal tables the table extractor already found (kind "goals") are read too.

Each reader is a module of its own: extractor.goal_tables (goal tables read off the page lines by the table
reader of text cells, extractor.grid, with the header words of extractor.goal_columns; and the table
extractor's goal tables), extractor.goal_flat (the same
tables flattened to plain lines), extractor.goal_prose (goal lists and goal sentences), all on the page
layout of extractor.goal_layout (headings, paragraphs, list items) and the target phrases of
extractor.targets. This module runs them in order and keeps each goal once.
"""

from __future__ import annotations

from extractor.goal_columns import (
    COLUMN_WORDS,
    COMMENT_HEADERS,
    FULFILMENT_HEADERS,
    GOAL_HEADER_SPEC,
    GOAL_HEADERS,
    INDICATOR_HEADERS,
    INSATS_HEADERS,
    JOINING_WORDS,
    RESULT_HEADERS,
    TARGET_HEADERS,
    GoalColumns,
)
from extractor.goal_flat import FLAT_GAP_LINES, FLAT_HEADER_WORDS, FLAT_TABLE_END, goals_from_flattened_lines
from extractor.goal_layout import (
    GENERIC_HEADINGS,
    HEADING_SIZE,
    PAGE_NUMBER_OFFSET,
    PARAGRAPH_GAP,
    Block,
    Heading,
    Layout,
    document_lines,
    furniture_test,
    is_heading,
    read_layout,
    read_lines,
)
from extractor.goal_prose import MIN_GOAL_WORDS, MODALS, goals_from_lists, goals_from_prose
from extractor.goal_tables import NAMES_NOTHING, goals_from_table_lines, goals_from_tables
from extractor.targets import (
    BOUND_QUALIFIERS,
    COUNT_ADJECTIVES,
    COUNT_NOUNS,
    FULFILMENT_GRADES,
    FULFILMENT_PHRASES,
    GOAL_CUE_PATTERNS,
    GOAL_WORD,
    NOT_COUNTED,
    NUMBER_WORDS,
    PERCENT_WORDS,
    QUALIFIERS,
    TARGET_PATTERNS,
    TARGET_UNITS,
    Statement,
    Target,
    find_targets,
    fulfilment_in,
    make_doc,
    nlp,
    pair_statements,
    parse_target,
    split_statements,
)
from finsam.model import Goal, ParsedDocument, Table
from finsam.text import fold_ocr, similarity

# The names the goal reader has always offered here, wherever their reader now lives.
__all__ = [
    "BOUND_QUALIFIERS",
    "Block",
    "COLUMN_WORDS",
    "COMMENT_HEADERS",
    "COUNT_ADJECTIVES",
    "COUNT_NOUNS",
    "FLAT_GAP_LINES",
    "FLAT_HEADER_WORDS",
    "FLAT_TABLE_END",
    "FULFILMENT_GRADES",
    "FULFILMENT_HEADERS",
    "FULFILMENT_PHRASES",
    "GENERIC_HEADINGS",
    "GOAL_CUE_PATTERNS",
    "GOAL_HEADERS",
    "GOAL_HEADER_SPEC",
    "GOAL_WORD",
    "GoalColumns",
    "HEADING_SIZE",
    "Heading",
    "INDICATOR_HEADERS",
    "INSATS_HEADERS",
    "JOINING_WORDS",
    "Layout",
    "MIN_GOAL_WORDS",
    "MODALS",
    "NAMES_NOTHING",
    "NOT_COUNTED",
    "NUMBER_WORDS",
    "PAGE_NUMBER_OFFSET",
    "PARAGRAPH_GAP",
    "PERCENT_WORDS",
    "QUALIFIERS",
    "RESULT_HEADERS",
    "Statement",
    "TARGET_HEADERS",
    "TARGET_PATTERNS",
    "TARGET_UNITS",
    "Target",
    "document_lines",
    "extract_goals",
    "find_targets",
    "fulfilment_in",
    "furniture_test",
    "goals_from_flattened_lines",
    "goals_from_lists",
    "goals_from_prose",
    "goals_from_table_lines",
    "goals_from_tables",
    "is_heading",
    "make_doc",
    "nlp",
    "pair_statements",
    "parse_target",
    "read_layout",
    "read_lines",
    "split_statements",
]


def _same_goal(a: Goal, b: Goal) -> bool:
    """The same goal read twice (from a goal table and from the prose about the insats)."""
    if a.target_value != b.target_value or a.target_unit != b.target_unit:
        return False
    if a.target_value is None:
        return similarity(a.goal, b.goal) >= 0.9
    ia, ib = fold_ocr(a.insats or ""), fold_ocr(b.insats or "")
    if not ia or not ib:
        return similarity(a.goal, b.goal) >= 0.9
    return ia == ib or similarity(ia, ib) >= 0.8 or ia.split()[0][:6] == ib.split()[0][:6]


def _same_row(a: Goal, b: Goal) -> bool:
    """Two goals of one insats on one page: a figure table's row and the goal read from the same row."""
    return a.page == b.page and bool(a.insats) and fold_ocr(a.insats) == fold_ocr(b.insats or "")


def extract_goals(
    doc: ParsedDocument, tables: list[Table] | None = None, meta=None, goal_tables: list[Table] | None = None
) -> list[Goal]:
    """All goals of a report: goal tables first, then goal lists, then goal sentences in prose.

    A goal already read from an earlier source (a table) is not repeated from a later one (the prose that
    describes the same insats). The goal tables read off the page lines are appended to `goal_tables`.
    """
    taken: set[int] = set()  # the lines goal tables were read from
    from_tables = goals_from_table_lines(doc, meta, taken, goal_tables)
    layout = read_layout(doc, taken)
    goals: list[Goal] = []
    figure_rows = goals_from_tables(tables or [])
    sources = (
        from_tables,
        goals_from_flattened_lines(doc, taken),
        figure_rows,
        goals_from_lists(layout),
        goals_from_prose(layout),
    )
    for n, source in enumerate(sources):
        earlier = list(goals)
        for goal in source:
            bare = goal.target_value is None and goal.result_value is None
            if not goal.goal.strip() and bare:
                continue  # a dash or a fulfilment alone (a cell's line read as a row): nothing to keep
            if source is figure_rows and bare and any(_same_row(goal, g) for g in earlier):
                continue  # the row a goal table gave already, its cells run together ("Ca 90 97 Uppfyllt")
            if n == len(sources) - 1:  # prose repeats itself ("as said above, X has as goal …")
                earlier = goals
            if any(_same_goal(goal, g) for g in earlier):
                continue
            goals.append(goal)
    return goals

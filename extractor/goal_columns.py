"""Goal tables: what a goal table's header says — which column holds the insats, the goal, the target, the
result, the grade, the indicator and a comment (`GoalColumns`), read from the header texts by their words.

The header words are data (`GOAL_HEADERS`, `RESULT_HEADERS` …); `GOAL_HEADER_SPEC` hands them to the header
reader of extractor.grid_header: which header texts make a goal table, which word starts a column of its own
in a cell that runs two together, and which cells of a line below the main one go on with the header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.grid_header import HeaderSpec
from finsam.text import fold_ocr

# Column headers of a goal table, by folded first word.
GOAL_HEADERS = ("mal", "malen", "malsattning", "effektmal", "delmal", "malformulering", "malbeskrivning")


INDICATOR_HEADERS = ("indikator", "matetal", "nyckeltal", "matning")  # how a goal is measured


TARGET_HEADERS = ("malvarde", "malniva", "malvarden")  # a column of its own holding the target figure


RESULT_HEADERS = ("resultat", "utfall", "utfallet", "resultatet")


FULFILMENT_HEADERS = ("uppfyll", "bedomning", "maluppfyllnad")  # contained anywhere in the folded header


COMMENT_HEADERS = ("kommentar", "analys", "forklaring")


# First-column headers that name the insats a goal belongs to.
INSATS_HEADERS = (
    "insats",
    "projekt",
    "verksamhet",
    "aktivitet",
    "omrade",
    "atagande",
    "fokusomrade",
    "uppdrag",
)


@dataclass
class GoalColumns:
    """Which column of a goal table holds what (indexes left to right)."""

    insats: int | None
    goal: int
    result: int | None
    fulfilment: int | None
    target: int | None = None
    indicator: int | None = None
    comment: int | None = None

    @property
    def key(self) -> int:
        """The column whose new entry starts a new row: the insats, else the goal."""
        return self.insats if self.insats is not None else self.goal


def goal_header(cells: list[str]) -> GoalColumns | None:
    """The columns of a goal table's header row, or None when the row is not one."""
    folded = [fold_ocr(c).strip() for c in cells]
    first = [c.split(" ")[0] if c else "" for c in folded]
    fulfilment = next((i for i, c in enumerate(folded) if any(h in c for h in FULFILMENT_HEADERS)), None)
    goal = next((i for i, w in enumerate(first) if w in GOAL_HEADERS and i != fulfilment), None)
    target = next((i for i, w in enumerate(first) if w in TARGET_HEADERS), None)
    result = next((i for i, w in enumerate(first) if w in RESULT_HEADERS), None)
    indicator = next((i for i, w in enumerate(first) if w.startswith(INDICATOR_HEADERS)), None)
    comment = next((i for i, w in enumerate(first) if w.startswith(COMMENT_HEADERS)), None)
    if goal is None and indicator is not None:
        goal, indicator = indicator, None  # "Indikator | Målvärde": the indicator is what is aimed at
    if goal is None and target is not None:
        goal, target = target, None
    if goal is None:
        return None
    if indicator == goal:
        indicator = None
    names_insats = goal != 0 and first[0].startswith(INSATS_HEADERS)
    if result is None and fulfilment is None and target is None and not names_insats:
        return None
    # the first column names the insats, unless the goals themselves stand there (a table for one insats)
    return GoalColumns(0 if goal != 0 else None, goal, result, fulfilment, target, indicator, comment)


# Folded header words that start a column of their own when a header cell runs two together
# ("2021 Måluppfyllelse", "Mål 2016 Resultat 2016"); not after a word that joins them ("Mål och resultat").
COLUMN_WORDS = frozenset(
    {*GOAL_HEADERS, *TARGET_HEADERS, *RESULT_HEADERS, "maluppfyllelse", "maluppfyllnad", "bedomning",
     "kommentar", "kommentarer", "indikator", "indikatorer", "insats", "insatser", "aktivitet", "aktiviteter"}
)  # fmt: skip


JOINING_WORDS = ("och", "samt", "for", "med", "&", "/", "-", "–", "i", "av")


# Header cells of a goal table's header line below its main one: years, periods, units, a broken word's end.
_HEADER_TAIL = re.compile(r"^(?:\(?(?:19|20)\d\d(?:[-–/](?:19|20)?\d\d)?\)?|\(?t?kr\)?|\(?%\)?|\(?antal\)?)$")


# What a goal table's header must say somewhere in its lines.
_HEADER_WORD = re.compile(r"m[aåä]l|indikator|resultat|utfall|uppfyll|bed[oö]mning")  # on casefolded text


# A header word broken at a narrow column's edge without a hyphen ("Måluppfyll" / "else") starts its column
# all the same when this many of its letters are there.
BROKEN_WORD = 6


def _starts_goal_column(before: str, word: str) -> bool:
    folded = fold_ocr(word).strip(":")
    named = folded in COLUMN_WORDS or (
        len(folded) >= BROKEN_WORD and any(w.startswith(folded) for w in COLUMN_WORDS)
    )
    return named and fold_ocr(before) not in JOINING_WORDS and word[:1].isupper()


def _header_tail(text: str) -> bool:
    words = text.split()
    return len(words) <= 2 and all(_HEADER_TAIL.match(fold_ocr(w)) or w[:1].islower() for w in words)


GOAL_HEADER_SPEC = HeaderSpec(
    accepts=goal_header,
    starts_column=_starts_goal_column,
    maybe=lambda text: bool(_HEADER_WORD.search(text.casefold())),
    continues=_header_tail,
)

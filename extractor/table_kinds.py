"""Table reading, step 5b: typing a table — its kind and its unit.

The kind (resultaträkning, Not N, survey, goals, participants, member contributions, budget …) is decided by
the first rule of `KIND_RULES` that holds over the table's `TableFacts`; a new layout's wording goes into
the patterns (STATEMENT_TITLES, SURVEY_WORDS, …) rather than into new rules. The unit comes from the column
headers and the caption, and money tables that print none take it from the size of their figures or from
the statement section they stand in (`infer_units`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from extractor.columns import header_role, header_unit, header_years
from finsam.model import MONEY_KINDS, Column, Row, Table
from finsam.text import first_match, fold
from finsam.vocabulary import canonical_for

# Caption (title) patterns that decide a statement table's kind: folded text, OCR-tolerant.
STATEMENT_TITLES: tuple[tuple[str, str], ...] = (
    (r"resultatr\w{0,3}kning|resultatrapport", "resultatrakning"),
    (r"balansr\w{0,3}kning|balansrapport", "balansrakning"),
    (r"kassafl\w{0,3}desanalys|kassaflode|finansieringsanalys", "kassaflodesanalys"),
)


RESPONDENT_GROUP = r"\(\d+ svar\)|\bsvarande\b"  # "Styrelsen (9 svar)": a group of survey respondents


SURVEY_WORDS = r"medelvarde|enkat|\(\d+ svar\)|svarsfrekvens|instamm"


PARTICIPANT_WORDS = r"deltag|avslutade|till arbete|till studier|inskrivna|arbete/studier"


PEOPLE_HEADERS = r"\bkvinnor\b|\bman\b|\bflickor\b|\bpojkar\b"  # "Kvinnor | Män | Totalt" (folded)


# A table about the equity (its development over the years, "Eget kapital 2021–2023"): a balance, not a
# budget or a follow-up, whatever its columns (Utfall | Prognos | Budget) — unless its title also names one.
EQUITY_TITLE = r"\beget kapital\b"
BUDGET_TITLE = r"\bbudget|\bprognos"
MEMBER_WORDS = r"medlemsavgift|finansiar|medlemsbidrag|fordelning mellan medlem|tilldelning"


def statement_kind(text: str) -> str | None:
    return first_match(STATEMENT_TITLES, fold(text))


@dataclass
class TableFacts:
    """What a table's kind is decided from: its caption, column headers and roles, and its rows."""

    title: str
    caption: str
    note: int | None
    columns: list[Column]
    rows: list[Row]

    @property
    def headers(self) -> str:
        return fold(" ".join(c.header for c in self.columns))

    @property
    def context(self) -> str:
        return fold(f"{self.title} {self.caption}")

    @property
    def heading(self) -> str:
        """The title alone when there is one: the caption may run into the prose above it ("… budgeten för
        2023 minskar det egna kapitalet")."""
        return fold(self.title) or self.context

    @property
    def roles(self) -> set[str]:
        return {c.role for c in self.columns}

    @property
    def compares_budget_and_outcome(self) -> bool:
        """An outcome beside the budget for the same year (or with no year said): a budget follow-up. A plan's
        budget with last years' outcomes beside it (Budget 2023 | Budget 2022 | Utfall 2021) is a budget."""
        years = {role: {c.year for c in self.columns if c.role == role} for role in ("actual", "budget")}
        return bool(years["actual"] and years["budget"]) and (
            bool(years["actual"] & years["budget"]) or None in years["actual"] | years["budget"]
        )

    def says(self, pattern: str) -> bool:
        return bool(re.search(pattern, self.headers) or re.search(pattern, self.context))

    @property
    def text_rows(self) -> int:
        return sum(1 for r in self.rows if r.values and all(v.value is None for v in r.values.values()))

    @property
    def member_row_count(self) -> int:
        """Rows that name a member's contribution (Staten, Regionen, X kommun)."""
        return sum(
            1
            for r in self.rows
            if not r.is_total
            and r.label
            and (canonical_for(r.label, "member_contributions") or "").startswith("member_contri")
        )

    @property
    def member_rows(self) -> bool:
        """Most rows name a member's contribution."""
        labelled = [r for r in self.rows if not r.is_total and r.label]
        return bool(labelled) and self.member_row_count >= max(2, 0.6 * len(labelled))


# Table kinds in the order they are tried: the first rule that holds decides. A new layout's wording goes into
# the patterns above (STATEMENT_TITLES, SURVEY_WORDS, …) rather than into new rules.
KIND_RULES: tuple[tuple[str | None, Callable[[TableFacts], object]], ...] = (
    ("note", lambda f: f.note is not None),
    (None, lambda f: statement_kind(f.title) or statement_kind(f.caption)),  # the statement it names
    ("survey", lambda f: f.says(SURVEY_WORDS)),
    ("goals", lambda f: "target" in f.roles and f.text_rows >= max(1, len(f.rows) // 2)),
    ("participants", lambda f: _counts_people(f.title, f.caption, [c.header for c in f.columns], f.rows)),
    # the rows name the members, or the title or headers name their contributions, or the caption does over
    # rows of which some are members (a caption may mention medlemsbidrag beside a budget or a plan)
    (
        "member_contributions",
        lambda f: (
            f.member_rows
            or re.search(MEMBER_WORDS, f.headers)
            or re.search(MEMBER_WORDS, fold(f.title))
            or (f.says(MEMBER_WORDS) and f.member_row_count >= 2)
        ),
    ),
    ("other", lambda f: re.search(EQUITY_TITLE, f.heading) and not re.search(BUDGET_TITLE, f.heading)),
    ("budget_outcome", lambda f: "variance" in f.roles or f.compares_budget_and_outcome),
    ("budget", lambda f: "budget" in f.roles or "forecast" in f.roles),
)


def table_kind(title: str, caption: str, note: int | None, columns: list[Column], rows: list[Row]) -> str:
    """The kind of a table, from its caption, its columns and its rows — the first rule in KIND_RULES wins."""
    facts = TableFacts(title, caption, note, columns, rows)
    for kind, rule in KIND_RULES:
        hit = rule(facts)
        if hit:
            return kind or hit
    return "other"


def counting_kind(title: str, caption: str, headers: list[str]) -> str | None:
    """Survey and participant tables count things: their yearless columns are not fiscal-year figures."""
    text = fold(" ".join([title, caption] + headers))
    if re.search(SURVEY_WORDS, text):
        return "survey"
    if _counts_people(title, caption, headers):
        return "participants"
    return None


def _counts_people(title: str, caption: str, headers: list[str], rows: list[Row] | None = None) -> bool:
    """A table of participants, known by what it counts whatever its columns' roles: headers that name
    people (deltagare, avslutade, kvinnor/män), or a caption that does over columns of counts — no money
    unit, and (once the rows are read) whole numbers only ("Planerat 2023 | Utfall 2021")."""
    folded_headers = fold(" ".join(headers))
    if re.search(f"{PARTICIPANT_WORDS}|{PEOPLE_HEADERS}", folded_headers):
        return True
    context = fold(f"{title} {caption}")
    if not re.search(PARTICIPANT_WORDS, context):
        return False
    if _counts_only(headers):
        return True
    if any(header_unit(h) in ("kr", "tkr", "mkr") for h in headers + [title, caption]):
        return False
    if any(header_role(h) in ("variance", "forecast") for h in headers):
        return False
    if rows is None:  # the rows are not read yet: counts are told by the caption alone
        return bool(re.search(r"\b(?:antal|planerade|deltagare)\b", context)) and not re.search(
            r"budget|kostnad|intakt", context
        )
    values = [v.value for r in rows for v in r.values.values() if v.value is not None]
    return bool(values) and all(float(v).is_integer() and abs(v) < 100000 for v in values)


def _counts_only(headers: list[str]) -> bool:
    """Headers with no year, money unit or budget word: a table of counts, not of money."""
    return not any(
        header_years(h)
        or header_unit(h) in ("kr", "tkr", "mkr")
        or header_role(h) in ("budget", "forecast", "variance", "actual")
        for h in headers
    )


def table_unit(columns: list[Column], caption: str, header_first: str) -> str | None:
    col_units = {c.unit for c in columns if c.unit}
    text_unit = header_unit(header_first) or header_unit(caption)
    if text_unit in ("percent",):
        text_unit = None
    money = {u for u in col_units if u in ("kr", "tkr", "mkr")}
    other = col_units - money
    if len(money) > 1 or (money and other) or (text_unit and other):
        return "mixed"
    if money:
        return next(iter(money))
    if text_unit:
        return text_unit
    if other == {"count"}:
        return "count"
    if other == {"percent"}:
        return "percent"
    if other:
        return "mixed"
    return None


KRONOR_FLOOR = 1_000_000  # figures this large are kronor: no samordningsförbund counts a thousand Mkr


def infer_units(tables: list[Table]) -> None:
    """Money tables that print no unit: kronor when the figures are that large, else the unit of the
    statement or note section they stand in (notes follow their statements' "Belopp i kr")."""
    section_unit: str | None = None
    for table in tables:
        if table.kind not in MONEY_KINDS:
            continue
        if table.unit is None:
            figures = [abs(v.value) for r in table.rows for v in r.values.values() if v.value is not None]
            if figures and max(figures) >= KRONOR_FLOOR:
                table.unit = "kr"
            elif table.kind in ("note", "budget_outcome") or table.kind == "kassaflodesanalys":
                table.unit = section_unit
        if table.unit in ("kr", "tkr", "mkr") and table.kind in MONEY_KINDS[:4]:
            section_unit = table.unit

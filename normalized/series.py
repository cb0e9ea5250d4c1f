"""`finsam series`: one figure — one canonical key, such as the state's contribution — across federations and
years, each value with its source.

A document gives one value for a federation and year (normalized.facts: the key's row in its statement
first, then a note, a table of member contributions, a budget, …; rows where a table repeats the key after
those where it does not). Where several documents give one, the value shown is the one from the report of
that year (normalized.facts.rank: its own fiscal year's column), and the others are listed as alternatives,
flagged where they disagree beyond the rounding of their printed digits. A member's contribution can be
asked for by the member's name (`member_key`: 'staten', 'Försäkringskassan', 'Region Gävleborg', 'huddinge').
Read with `figure_series`; `Series.text()`, `.to_json()` and `.csv_rows()` are the formats of the CLI.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from finsam.errors import QueryError
from finsam.model import COLUMN_ROLES
from finsam.terms import MUNICIPALITY_PREFIX, TERMS, describe
from finsam.text import fold_ocr
from finsam.vocabulary import canonical_for
from normalized.facts import (
    SECTIONS,
    Fact,
    agree,
    figure_record,
    format_printed,
    format_value,
    rank,
    read_facts,
)
from normalized.federations import AMBIGUITY_MARGIN, listed
from normalized.store import Store

# The keys of one member's contribution ('member_contribution_state', 'member_contribution_region',
# 'member_contribution_municipality:huddinge', 'member_contribution_municipalities'), not the total
# ('member_contributions_total').
MEMBER_PREFIX = "member_contribution_"
# rapidfuzz WRatio (0-100) of a member's name as typed against the names members are printed by, from
# which the name is that member ('Hudiksval' for 'Hudiksvalls kommun', 'Västerbotten' for 'Region
# Västerbotten'); two members from it less than AMBIGUITY_MARGIN apart are ambiguous ('kommun').
MEMBER_MATCH_SCORE = 80.0

UNIT_NOTE = (
    "Amounts in kr (tkr and mkr converted); the value of the report of that year is shown, other reports' "
    "values are alternatives, '≠' where they differ beyond the rounding of their printed digits. Interim "
    "figures (part of a year) and superseded versions of a report are left out."
)


@dataclass
class SeriesValue:
    """A federation's value for one year, with the other documents' values for it."""

    federation_id: int | None
    federation: str | None
    year: int
    shown: Fact
    alternatives: list[Fact] = field(default_factory=list)

    @property
    def disagreeing(self) -> list[Fact]:
        return [f for f in self.alternatives if agreement(self.shown, f) is False]

    def to_json(self) -> dict[str, Any]:
        return {
            "federation_id": self.federation_id,
            "federation": self.federation,
            "year": self.year,
            "value": self.shown.value,
            "unit": self.shown.unit,
            "disagreement": bool(self.disagreeing),
            "source": figure_record(self.shown),
            "alternatives": [
                {**figure_record(f), "agrees": agreement(self.shown, f)} for f in self.alternatives
            ],
        }


@dataclass
class Series:
    key: str
    description: str
    role: str
    member: dict[str, str | None] | None  # the name asked and the printed name it was matched to, if any
    federations: list[dict[str, Any]]  # those asked for (all: None given)
    values: list[SeriesValue]

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "description": self.description,
            "role": self.role,
            "member": self.member,
            "unit_note": UNIT_NOTE,
            "federations": self.federations,
            "values": [v.to_json() for v in self.values],
        }

    def csv_rows(self) -> list[dict[str, Any]]:
        """One row per value: the one shown (chosen=1) and its alternatives (chosen=0, disagrees=1 where they
        differ from it)."""
        out = []
        for v in self.values:
            for n, fact in enumerate([v.shown, *v.alternatives]):
                record = figure_record(fact)
                out.append(
                    {
                        "federation_id": v.federation_id,
                        "federation": v.federation,
                        "year": v.year,
                        "key": self.key,
                        "role": self.role,
                        "value": fact.value,
                        "unit": fact.unit,
                        "chosen": int(n == 0),
                        "disagrees": int(n > 0 and agreement(v.shown, fact) is False),
                        "printed": record["printed"],
                        "printed_unit": record["printed_unit"],
                        "document_id": record["document_id"],
                        "source": record["source"],
                        "doc_type": record["doc_type"],
                        "fiscal_year": record["fiscal_year"],
                        "table_kind": record["table_kind"],
                        "table_title": record["table"],
                        "note_number": record["note_number"],
                        "page": record["page"],
                        "row_label": record["row"],
                        "column_header": record["column"],
                    }
                )
        return out

    def text(self) -> str:
        return "\n".join(_text(self)) + "\n"


CSV_FIELDS = (
    "federation_id",
    "federation",
    "year",
    "key",
    "role",
    "value",
    "unit",
    "chosen",
    "disagrees",
    "printed",
    "printed_unit",
    "document_id",
    "source",
    "doc_type",
    "fiscal_year",
    "table_kind",
    "table_title",
    "note_number",
    "page",
    "row_label",
    "column_header",
)


def agreement(shown: Fact, other: Fact) -> bool | None:
    """Does another document's value agree with the one shown? None where they cannot be compared (a unit
    not read, a table whose columns could not be read with confidence)."""
    return agree(shown, other) if shown.trusted and other.trusted else None


# --- the key ------------------------------------------------------------------------------------------------


def _stored_keys(conn: sqlite3.Connection) -> set[str]:
    return {
        r[0] for r in conn.execute("SELECT DISTINCT canonical FROM table_rows WHERE canonical IS NOT NULL")
    }


def check_key(conn: sqlite3.Connection, key: str) -> str:
    """`key` if it is a key of the vocabulary (finsam.terms) or one the stored rows carry; else QueryError
    naming the closest keys."""
    known = set(describe()) | _stored_keys(conn)
    if key in known or key.startswith(MUNICIPALITY_PREFIX):
        return key
    closest = [k for k, _, _ in process.extract(key, sorted(known), scorer=fuzz.WRatio, limit=3)]
    raise QueryError(
        f"no canonical key '{key}'"
        + (f" (closest: {', '.join(closest)})" if closest else "")
        + ": `finsam keys --all` lists them"
    )


def _member_names(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(name as printed, key) of every member's contribution: the vocabulary's labels for them, the labels
    of the stored rows carrying them and the member lists of the stored reports."""
    names = [(s, t.key) for t in TERMS if t.key.startswith(MEMBER_PREFIX) for s in t.synonyms]
    # a range on the indexed column, not LIKE: the index answers it
    names += conn.execute(
        "SELECT DISTINCT label, canonical FROM table_rows WHERE canonical >= ? AND canonical < ?",
        [MEMBER_PREFIX, MEMBER_PREFIX[:-1] + chr(ord(MEMBER_PREFIX[-1]) + 1)],
    ).fetchall()
    for (member,) in conn.execute("SELECT DISTINCT name FROM members"):
        key = canonical_for(member, "member_contributions")
        if key and key.startswith(MEMBER_PREFIX):
            names.append((member, key))
    return [(label, key) for label, key in names if label]


def member_key(conn: sqlite3.Connection, name: str) -> tuple[str, str | None]:
    """The key of a member's contribution, and the printed name it was matched to (None where the
    vocabulary read it), for a member's name as typed: read by the vocabulary first ('staten', 'Region Gävleborg', 'huddinge'), else matched by
    rapidfuzz against the names members are printed by (`_member_names`: 'Arbetsförmedlingen' is the
    state's contribution, which 'Försäkringskassan och Arbetsförmedlingen' pay). Unknown, or close to
    two members: QueryError."""
    direct = canonical_for(name, "member_contributions")
    if direct and direct.startswith(MEMBER_PREFIX):
        return direct, None
    typed = fold_ocr(name)
    best: dict[str, tuple[float, str]] = {}
    for label, key in _member_names(conn):
        score = fuzz.WRatio(typed, fold_ocr(label))
        if score > best.get(key, (-1.0, ""))[0]:
            best[key] = (score, label)
    ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))
    if not ranked or ranked[0][1][0] < MEMBER_MATCH_SCORE:
        closest = ", ".join(f"'{label}'" for _, (_, label) in ranked[:3])
        raise QueryError(f"no member '{name}'" + (f" (closest: {closest})" if closest else ""))
    top = ranked[0][1][0]
    rivals = [kv for kv in ranked[1:] if kv[1][0] >= MEMBER_MATCH_SCORE and top - kv[1][0] < AMBIGUITY_MARGIN]
    if rivals:
        named = [f"'{label}' ({key})" for key, (_, label) in [ranked[0], *rivals]]
        raise QueryError(f"'{name}' could be several members: {listed(named)}; give more of the name")
    return ranked[0][0], ranked[0][1][1]


# --- the series ---------------------------------------------------------------------------------------------


def _within_document(fact: Fact) -> tuple:
    """Which of one document's rows with the key gives its value: a statement's before a note's before a
    contributions table's …, a row where the key is its table's own before one where the table repeats it,
    then the document's order."""
    return (
        SECTIONS.index(fact.line.section),
        fact.line.item != fact.canonical,
        bool(fact.column.qualifier),
        fact.order,
    )


def figure_series(
    store: Store,
    key: str | None = None,
    member: str | None = None,
    federations: Sequence[str | int] = (),
    role: str = "actual",
    from_year: int | None = None,
    to_year: int | None = None,
) -> Series:
    """The values of `key` (or the contribution of `member`, `key` then None or a beginning of its key, such
    as 'member_contribution') for each federation and year: of `federations` (names or ids as
    `finsam diff` takes them; none: every federation), of column role `role`, from `from_year` to
    `to_year` (None: open). QueryError for an unknown key, member or federation."""
    conn = store.db.conn
    if role not in COLUMN_ROLES:
        raise QueryError(f"no column role '{role}' (roles: {', '.join(COLUMN_ROLES)})")
    matched = None
    if member is not None:
        resolved, printed = member_key(conn, member)
        if key is not None and not resolved.startswith(key):
            raise QueryError(f"member '{member}' is {resolved}, not a key of '{key}'")
        key, matched = resolved, {"name": member, "matched": printed}
    elif key is None:
        raise QueryError("give a canonical key (--canonical) or a member (--member)")
    else:
        key = check_key(conn, key)
    found = [store.find_federation(f) for f in federations]
    ids = [f.federation_id for f in found] if found else None
    names = dict(conn.execute("SELECT id, name FROM federations"))
    facts = [
        f
        for f in read_facts(conn, federation_ids=ids, canonical=key)
        if f.column.role == role
        and f.column.period is None
        and (from_year is None or f.year >= from_year)
        and (to_year is None or f.year <= to_year)
    ]
    by_point: dict[tuple, dict[int, Fact]] = {}
    for fact in sorted(facts, key=_within_document):
        point = by_point.setdefault((fact.federation_id, fact.year), {})
        point.setdefault(fact.source.document_id, fact)
    values = []
    for (federation_id, year), per_document in by_point.items():
        ranked = sorted(per_document.values(), key=lambda f: rank(f, year))
        values.append(SeriesValue(federation_id, names.get(federation_id), year, ranked[0], ranked[1:]))
    values.sort(key=lambda v: ((v.federation or "").casefold(), v.federation_id or 0, v.year))
    description = describe().get(key) or describe().get(MUNICIPALITY_PREFIX + "<slug>", "")
    listed = [{"id": f.federation_id, "name": f.name} for f in found]
    return Series(key, description, role, matched, listed, values)


# --- text -----------------------------------------------------------------------------------------------------


def _text(series: Series) -> list[str]:
    out = [f"{series.key}: {series.description}" if series.description else series.key]
    if series.member:
        matched = series.member["matched"]
        how = f"matched to '{matched}'" if matched else "read by the vocabulary"
        out.append(f"member '{series.member['name']}': {how}")
    out.append(f"column role {series.role}. {UNIT_NOTE}")
    if not series.values:
        out += ["", "No values."]
        return out
    federation = object()
    for v in series.values:
        if v.federation_id != federation:
            federation = v.federation_id
            out += ["", v.federation or "(documents linked to no federation)"]
        shown = format_value(v.shown.value, v.shown.unit) if v.shown.comparable else format_printed(v.shown)
        out.append(f"  {v.year}  {shown:>16}  {v.shown.source.describe()}, '{v.shown.label}'")
        for alt in v.alternatives:
            mark = {False: "≠", True: "=", None: "?"}[agreement(v.shown, alt)]
            out.append(f"     {mark}  {format_printed(alt):>16}  {alt.source.describe()}, '{alt.label}'")
    return out

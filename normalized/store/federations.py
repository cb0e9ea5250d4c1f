"""The federations of a store: each document linked to its federation in the transaction that writes it,
an alias file applied to the whole store, and the federations read back with their documents and warnings.

The names are matched by normalized.federations; this module keeps what it decided in `federations`,
`federation_aliases` and `documents.federation_id` (normalized.schema). It works on a connection inside a
transaction its caller holds — a document's write (normalized.store.writing), the migration that gave
older stores their federations (normalized.migrations), an alias file applied — so a federation is never
half recorded, and the one writer at a time that the store allows decides each name against all that is
stored before it. `Store` offers these as methods.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from finsam.errors import QueryError
from normalized.federations import (
    Aliases,
    Candidate,
    FederationMatch,
    KnownFederation,
    federation_key,
    kept_apart_message,
    listed,
    lookup_federation,
    match_federation,
    member_kommuner,
    name_form,
)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def known_federations(
    conn: sqlite3.Connection, key: str | None = None, all_members: bool = True
) -> list[KnownFederation]:
    """The stored federations with their names and the member kommuner of each of their documents.

    `key`: only those with a name or alias of that key (all an exact match needs). `all_members=False`:
    the member kommuner only of the federations known by an abbreviation, the only ones whose members a
    name that is no abbreviation is compared with (reading every document's members is the slow part)."""
    forms: dict[int, list[str]] = {}
    names: dict[int, str] = {}
    where, args = (
        ("", [])
        if key is None
        else (
            "WHERE key = ? OR id IN (SELECT federation_id FROM federation_aliases WHERE key = ?)",
            [key, key],
        )
    )
    for fed_id, name in conn.execute(f"SELECT id, name FROM federations {where} ORDER BY id", args):
        names[fed_id] = name
        forms[fed_id] = [name]
    for fed_id, alias in conn.execute("SELECT federation_id, alias FROM federation_aliases ORDER BY rowid"):
        if fed_id in forms and alias not in forms[fed_id]:
            forms[fed_id].append(alias)
    parsed = {fed_id: tuple(name_form(n) for n in names_of) for fed_id, names_of in forms.items()}
    wanted = [f for f, fs in parsed.items() if all_members or any(form.abbreviation for form in fs)]
    members: dict[int, dict[int, list[str]]] = {}
    if wanted:
        rows = conn.execute(
            f"""SELECT d.federation_id, m.document_id, m.name FROM members m JOIN documents d ON d.id = m.document_id
                WHERE d.federation_id IN ({",".join("?" * len(wanted))}) ORDER BY m.document_id, m.position""",
            wanted,
        )
        for fed_id, doc_id, member in rows:
            members.setdefault(fed_id, {}).setdefault(doc_id, []).append(member)
    known = []
    for fed_id, name in names.items():
        sets = {member_kommuner(m) for m in members.get(fed_id, {}).values()}
        known.append(
            KnownFederation(fed_id, name, parsed[fed_id], tuple(sorted((s for s in sets if s), key=sorted)))
        )
    return known


def _create_federation(conn: sqlite3.Connection, name: str) -> int:
    cursor = conn.execute(
        "INSERT INTO federations (name, key, created_at) VALUES (?, ?, ?)",
        [name, federation_key(name), _now()],
    )
    return int(cursor.lastrowid)


def _record_alias(
    conn: sqlite3.Connection,
    federation_id: int,
    alias: str,
    source: str,
    evidence: str,
    score: float | None = None,
    kept_apart: tuple[Candidate, ...] = (),
) -> None:
    """Keep a name a federation is known by, once a spelling (the first match of it says how it was made)."""
    seen = conn.execute(
        "SELECT 1 FROM federation_aliases WHERE federation_id = ? AND alias = ?", [federation_id, alias]
    ).fetchone()
    if seen:
        return
    conn.execute(
        """INSERT INTO federation_aliases (federation_id, alias, key, source, evidence, score, kept_apart, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            federation_id,
            alias,
            federation_key(alias),
            source,
            evidence,
            score,
            json.dumps(
                [
                    {
                        "federation_id": c.federation_id,
                        "name": c.name,
                        "score": c.score,
                        "evidence": c.evidence,
                    }
                    for c in kept_apart
                ],
                ensure_ascii=False,
            )
            if kept_apart
            else None,
            _now(),
        ],
    )


def link_document(
    conn: sqlite3.Connection, document_id: int, name: str | None, members: list[str]
) -> FederationMatch:
    """Match a stored document's federation name and members against the stored federations and link it:
    to the one it clearly is, else to a new federation (recording the ones it was kept apart from).
    A name that tells no federation apart, with members that identify none, leaves it unlinked."""
    form = name_form(name)
    # the same key is the same federation: when one has it, it is all the matcher needs to see
    known = known_federations(conn, key=form.key) if form.key else []
    if not known:
        known = known_federations(conn, all_members=bool(form.abbreviation or not form.key))
    match = match_federation(name, members, known)
    federation_id = match.federation_id
    if federation_id is None and match.name is not None:
        federation_id = _create_federation(conn, match.name)
    conn.execute("UPDATE documents SET federation_id = ? WHERE id = ?", [federation_id, document_id])
    if federation_id is not None and name:
        evidence = "new" if match.federation_id is None else match.evidence
        _record_alias(conn, federation_id, name, "auto", evidence, match.score, match.kept_apart)
    return match


def link_all(conn: sqlite3.Connection) -> int:
    """Link every document not yet linked, oldest first, as if each were being written now (the migration
    that gave older stores their federations). Returns how many were linked."""
    rows = conn.execute(
        "SELECT id, federation FROM documents WHERE federation_id IS NULL ORDER BY id"
    ).fetchall()
    linked = 0
    for doc_id, name in rows:
        members = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM members WHERE document_id = ? ORDER BY position", [doc_id]
            )
        ]
        linked += link_document(conn, doc_id, name, members).name is not None
    return linked


def prune(conn: sqlite3.Connection) -> int:
    """Delete the federations no document is by and no alias file named (their documents were deleted or
    moved). Returns how many."""
    orphans = [
        r[0]
        for r in conn.execute(
            """SELECT id FROM federations f
               WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.federation_id = f.id)
                 AND NOT EXISTS (SELECT 1 FROM federation_aliases a WHERE a.federation_id = f.id AND a.source = 'file')"""
        )
    ]
    for fed_id in orphans:
        conn.execute("DELETE FROM federation_aliases WHERE federation_id = ?", [fed_id])
        conn.execute("DELETE FROM federations WHERE id = ?", [fed_id])
    return len(orphans)


@dataclass(frozen=True)
class Relinked:
    """A document an alias file moved to another federation."""

    document_id: int
    source_name: str
    printed: str
    from_federation: str | None
    to_federation: str


def _resolve_targets(conn: sqlite3.Connection, targets: list[str]) -> dict[str, int]:
    """The stored federation each federation an alias file names is: the one whose name folds as it does,
    else one that has an alias folding so and is not another of the file's federations, else a new one."""
    resolved: dict[str, int] = {}
    for federation in targets:
        row = conn.execute(
            "SELECT id FROM federations WHERE key = ? ORDER BY id", [federation_key(federation)]
        ).fetchone()
        if row:
            resolved[federation] = row[0]
    for federation in targets:
        if federation in resolved:
            continue
        taken = set(resolved.values())
        rows = conn.execute(
            "SELECT federation_id FROM federation_aliases WHERE key = ? ORDER BY rowid",
            [federation_key(federation)],
        )
        found = next((r[0] for r in rows if r[0] not in taken), None)
        resolved[federation] = found if found is not None else _create_federation(conn, federation)
    return resolved


def apply_aliases(conn: sqlite3.Connection, aliases: Aliases) -> list[Relinked]:
    """Make an alias file the store's: each federation it names (`_resolve_targets`) takes the file's name
    and every alias the file gives it, for good (source 'file': later reports spelt so join it without the
    file), and the documents that print one of those names are linked to it. Federations left without
    documents are deleted. Returns the documents moved."""
    before = dict(
        conn.execute("SELECT d.id, f.name FROM documents d LEFT JOIN federations f ON f.id = d.federation_id")
    )
    targets = aliases.federations()
    resolved = _resolve_targets(conn, list(targets))
    federation_of_key: dict[str, int] = {}
    for federation, alias_names in targets.items():
        fed_id = resolved[federation]
        conn.execute(
            "UPDATE federations SET name = ?, key = ? WHERE id = ?",
            [federation, federation_key(federation), fed_id],
        )
        for name in (federation, *alias_names):
            name_key = federation_key(name)
            conn.execute(
                """UPDATE federation_aliases SET federation_id = ?, source = 'file', evidence = 'alias',
                   score = NULL, kept_apart = NULL WHERE key = ?""",
                [fed_id, name_key],
            )
            _record_alias(conn, fed_id, name, "file", "alias")
            federation_of_key[name_key] = fed_id
    moved = set()
    for doc_id, printed, fed_id in conn.execute(
        "SELECT id, federation, federation_id FROM documents ORDER BY id"
    ).fetchall():
        target = federation_of_key.get(federation_key(printed))
        if target is not None and target != fed_id:
            conn.execute("UPDATE documents SET federation_id = ? WHERE id = ?", [target, doc_id])
            moved.add(doc_id)
    prune(conn)
    rows = conn.execute(
        """SELECT d.id, d.source_name, d.federation, f.name FROM documents d JOIN federations f ON f.id = d.federation_id
           ORDER BY d.id"""
    )
    return [Relinked(i, source, printed, before[i], name) for i, source, printed, name in rows if i in moved]


# ---------------------------------------------------------------------------------------------- reading


def find_federation(conn: sqlite3.Connection, name: str | int) -> Candidate:
    """The stored federation a name typed by a person stands for (normalized.federations.lookup_federation),
    or its id; a name that is unknown or could be several raises QueryError, naming the candidates."""
    text = str(name).strip()
    if text.isdigit():
        row = conn.execute("SELECT id, name FROM federations WHERE id = ?", [int(text)]).fetchone()
        if row:
            return Candidate(row[0], row[1], 100.0, "id")
        raise QueryError(f"no federation with id {text}: `finsam federations` lists them")
    form = name_form(text)
    if not form.key:
        raise QueryError(f"'{text}' names no federation (only words every federation's name has)")
    # a name's own key needs that federation alone; only an abbreviation needs the members
    known = known_federations(conn, key=form.key) or known_federations(
        conn, all_members=bool(form.abbreviation)
    )
    lookup = lookup_federation(text, known)
    if lookup.found is not None:
        return lookup.found
    if lookup.ambiguous:
        named = listed([f"'{c.name}' (id {c.federation_id})" for c in lookup.candidates])
        raise QueryError(f"'{text}' could be several federations: {named}; give more of the name or the id")
    closest = listed([f"'{c.name}' (id {c.federation_id})" for c in lookup.closest], most=3)
    raise QueryError(
        f"no federation '{text}' in the store"
        + (f" (closest: {closest})" if closest else "")
        + ": `finsam federations` lists them"
    )


def _kept_apart(conn: sqlite3.Connection, federation_id: int, raw: str | None) -> tuple[Candidate, ...]:
    """The federations an alias was kept apart from that are still apart from it (an alias file may since
    have merged them, or a document's deletion removed one)."""
    if not raw:
        return ()
    alive = {r[0]: r[1] for r in conn.execute("SELECT id, name FROM federations")}
    return tuple(
        Candidate(c["federation_id"], alive[c["federation_id"]], c["score"], c["evidence"])
        for c in json.loads(raw)
        if c["federation_id"] in alive and c["federation_id"] != federation_id
    )


def federation_warnings(conn: sqlite3.Connection, federation_id: int) -> list[str]:
    """One line for each name of the federation that may stand for another federation."""
    return [
        kept_apart_message(alias, kept)
        for alias, raw in conn.execute(
            "SELECT alias, kept_apart FROM federation_aliases WHERE federation_id = ? AND kept_apart IS NOT NULL ORDER BY rowid",
            [federation_id],
        ).fetchall()
        if (kept := _kept_apart(conn, federation_id, raw))
    ]


def document_federation_warning(conn: sqlite3.Connection, document_id: int) -> str | None:
    """The warning for the name a document printed, when it was kept apart from federations it may be."""
    row = conn.execute(
        "SELECT federation, federation_id FROM documents WHERE id = ?", [document_id]
    ).fetchone()
    if not row or row[1] is None:
        return None
    alias = conn.execute(
        "SELECT kept_apart FROM federation_aliases WHERE federation_id = ? AND key = ? AND kept_apart IS NOT NULL",
        [row[1], federation_key(row[0])],
    ).fetchone()
    kept = _kept_apart(conn, row[1], alias[0]) if alias else ()
    return kept_apart_message(row[0], kept) if kept else None


def federation_summaries(conn: sqlite3.Connection) -> dict[str, Any]:
    """Every federation with its documents (ids, years, report types), its names and its warnings; and
    the documents linked to none."""
    conn_rows = conn.execute(
        "SELECT id, source_name, federation, federation_id, doc_type, fiscal_year, superseded_by FROM documents ORDER BY id"
    ).fetchall()
    docs_of: dict[int, list[dict[str, Any]]] = {}
    unlinked = []
    for doc_id, source, printed, fed_id, doc_type, year, superseded_by in conn_rows:
        doc = {
            "id": doc_id,
            "source": source,
            "federation": printed,
            "doc_type": doc_type,
            "fiscal_year": year,
            "current": superseded_by is None,
        }
        if fed_id is None:
            unlinked.append(doc)
        else:
            docs_of.setdefault(fed_id, []).append(doc)
    federations = []
    for fed_id, name, key in conn.execute("SELECT id, name, key FROM federations ORDER BY id").fetchall():
        docs = docs_of.get(fed_id, [])
        aliases = [
            {"alias": a, "source": s, "evidence": e, "score": sc}
            for a, s, e, sc in conn.execute(
                "SELECT alias, source, evidence, score FROM federation_aliases WHERE federation_id = ? ORDER BY rowid",
                [fed_id],
            )
        ]
        warnings = federation_warnings(conn, fed_id)
        federations.append(
            {
                "id": fed_id,
                "name": name,
                "key": key,
                "documents": docs,
                "years": sorted({d["fiscal_year"] for d in docs if d["fiscal_year"] is not None}),
                "doc_types": dict(sorted(Counter(d["doc_type"] or "?" for d in docs).items())),
                "aliases": aliases,
                "ambiguous": bool(warnings),
                "warnings": warnings,
            }
        )
    return {"federations": federations, "unlinked_documents": unlinked}

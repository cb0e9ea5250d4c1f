"""Schema versions of a finsam store and the steps that bring an older store up to date.

A store records its schema version in `PRAGMA user_version` and that it is a finsam store in
`PRAGMA application_id`. Opening a store older than this finsam applies the missing steps of MIGRATIONS in
one transaction (all or nothing); a store from a newer finsam is refused, never written. A new schema
change is one new entry at the end of MIGRATIONS, and `normalized.schema` describes the result.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

# "FSam" in ASCII: marks a file as a finsam store in the SQLite header (`PRAGMA application_id`).
APPLICATION_ID = 0x4653616D
# Tables every finsam store has had since the first release (schema version 1, before application_id).
CORE_TABLES = frozenset({"documents", "pages", "tables", "cells", "findings", "failures"})


@dataclass(frozen=True)
class Migration:
    """One schema change: from version `to - 1` to version `to`."""

    to: int
    description: str
    apply: Callable[[sqlite3.Connection], None]


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in conn.execute(f"PRAGMA table_info([{table}])")}


def add_column(table: str, column: str, spec: str) -> Callable[[sqlite3.Connection], None]:
    """A step adding a column (skipped when a half-applied earlier attempt already added it)."""

    def apply(conn: sqlite3.Connection) -> None:
        if column not in _columns(conn, table):
            conn.execute(f"ALTER TABLE [{table}] ADD COLUMN [{column}] {spec}")

    return apply


def federations_as_entities(conn: sqlite3.Connection) -> None:
    """Version 4: the federations and their aliases as tables of their own, each document linked to its
    federation, the documents already stored linked as the matcher links a new one (oldest first), and the
    facts view made again with the federation's id."""
    from normalized.schema import TABLES_BY_NAME, create_table_sql
    from normalized.store.federations import link_all

    for table in ("federations", "federation_aliases"):
        conn.execute(create_table_sql(TABLES_BY_NAME[table]))
    add_column("documents", "federation_id", "INTEGER REFERENCES federations(id)")(conn)
    conn.execute("DROP VIEW IF EXISTS facts")  # made again by normalized.schema.create_sql
    link_all(conn)


def findings_in_context(conn: sqlite3.Connection) -> None:
    """Version 5: the document_findings view, every finding with its document's federation, year and type
    (what `finsam serve` facets findings by). Page text needs nothing new: every store has had its
    full-text index (pages_fts, kept by triggers on pages) since the first release."""
    from normalized.schema import create_view_sql

    conn.execute(create_view_sql("document_findings"))


# Version 1 is the first release's schema: it has no step of its own.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        2,
        "tables.uncertain: why a table's columns cannot be trusted",
        add_column("tables", "uncertain", "TEXT"),
    ),
    Migration(
        3,
        "cells.confidence: how surely OCR read a cell, so a check finding on an unsure reading says so",
        add_column("cells", "confidence", "REAL"),
    ),
    Migration(
        4,
        "federations, federation_aliases, documents.federation_id: federations as entities across the "
        "spellings of their names; the documents already stored are linked",
        federations_as_entities,
    ),
    Migration(
        5,
        "document_findings: the findings with their document's federation, year and type, to browse them by",
        findings_in_context,
    ),
    Migration(
        6,
        "documents.failed_pages: the pages of a partial document that could not be read",
        add_column("documents", "failed_pages", "TEXT"),
    ),
)


def latest(migrations: tuple[Migration, ...] = MIGRATIONS) -> int:
    return migrations[-1].to if migrations else 1


def pending(version: int, migrations: tuple[Migration, ...] = MIGRATIONS) -> list[Migration]:
    """The steps a store at `version` still needs, in order."""
    return [m for m in migrations if m.to > version]

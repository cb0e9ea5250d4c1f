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
)


def latest(migrations: tuple[Migration, ...] = MIGRATIONS) -> int:
    return migrations[-1].to if migrations else 1


def pending(version: int, migrations: tuple[Migration, ...] = MIGRATIONS) -> list[Migration]:
    """The steps a store at `version` still needs, in order."""
    return [m for m in migrations if m.to > version]

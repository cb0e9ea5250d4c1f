"""Opening a finsam store: the checks that a path can be one before SQLite touches it, the connection and
its pragmas, and the schema created or upgraded in one transaction (normalized.migrations). `Store` is
this, with the writing of normalized.store.writing and the reading of normalized.store.reading.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import sqlite_utils

from finsam.errors import OutdatedStoreError, StoreError
from normalized.migrations import APPLICATION_ID, CORE_TABLES, MIGRATIONS, Migration, latest, pending
from normalized.schema import SCHEMA_VERSION, create_sql
from normalized.store.reading import DocumentReader
from normalized.store.writing import DocumentWriter

SQLITE_HEADER = b"SQLite format 3\x00"


def _check_path(path: Path, create: bool, readonly: bool) -> None:
    """Refuse, before SQLite creates or touches anything, a path that cannot be a finsam store."""
    if path.is_dir():
        raise StoreError(f"{path}: a folder, not a store file (give a file name, e.g. {path / 'finsam.db'})")
    if not path.exists():
        if not create:
            raise StoreError(f"{path}: no store there: run `finsam ingest PATH --db {path}` first")
        if not path.parent.is_dir():
            raise StoreError(f"{path}: the folder {path.parent} does not exist")
        if not os.access(path.parent, os.W_OK):
            raise StoreError(f"{path}: cannot create the store: the folder {path.parent} is not writable")
        return
    if not os.access(path, os.R_OK):
        raise StoreError(f"{path}: cannot read the store: permission denied")
    with path.open("rb") as f:
        head = f.read(len(SQLITE_HEADER))
    if head and head != SQLITE_HEADER:
        raise StoreError(f"{path}: not an SQLite database, so not a finsam store")
    if not head and not create:
        raise StoreError(f"{path}: an empty file, not a finsam store")
    if not readonly and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        raise StoreError(f"{path}: the store is read-only here (no write permission on it or its folder)")


def _identify(conn: sqlite3.Connection) -> tuple[int, int, set[str]]:
    """(schema version, application id, table names) of an open database."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return version, app_id, tables


class Store(DocumentWriter, DocumentReader):
    """A finsam database. `Store(path)` opens (and creates) it; `Store(":memory:")` for tests.

    `create=False` opens only an existing store; `readonly=True` reads it without writing anything (no
    schema upgrade: an older store raises OutdatedStoreError, and must be opened writable once).
    `immutable=True` (with readonly) reads the file as it lies, without locks and without looking at a WAL
    or creating one beside it: for a store nothing writes while it is read (`finsam serve`). A path that
    is not a usable finsam store raises StoreError with a one-line reason before anything is created or
    changed.
    """

    def __init__(
        self, path: str | Path, create: bool = True, readonly: bool = False, immutable: bool = False
    ):
        self.path = str(path)
        self.readonly = readonly or immutable
        if self.path != ":memory:":
            _check_path(Path(self.path), create=create, readonly=self.readonly)
        try:
            if self.readonly:
                # in a folder nobody may write, no one can change the store while it is read (and SQLite
                # could not make its WAL index there): open it immutable
                frozen = immutable or not os.access(Path(self.path).resolve().parent, os.W_OK)
                frozen = "&immutable=1" if frozen else ""
                conn = sqlite3.connect(f"{Path(self.path).resolve().as_uri()}?mode=ro{frozen}", uri=True)
            else:
                conn = sqlite3.connect(self.path)
            self.db = sqlite_utils.Database(conn)
            self._open(create)
        except sqlite3.DatabaseError as err:
            raise StoreError(f"{self.path}: cannot open the store: {err}") from None

    def _open(self, create: bool) -> None:
        c = self.db.conn
        c.execute("PRAGMA foreign_keys = ON")
        if self.path != ":memory:":
            c.execute("PRAGMA busy_timeout = 30000")
        version, app_id, tables = _identify(c)
        if app_id not in (0, APPLICATION_ID) or (app_id == 0 and tables and not CORE_TABLES <= tables):
            shown = ", ".join(sorted(tables)[:5]) + (", …" if len(tables) > 5 else "")
            raise StoreError(
                f"{self.path}: an SQLite database but not a finsam store"
                + (f" (its tables: {shown})" if tables else "")
            )
        if not tables and not create:
            raise StoreError(f"{self.path}: an empty database, not a finsam store")
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: written by a newer finsam (schema version {version}; this finsam reads up to "
                f"{SCHEMA_VERSION}): upgrade finsam to open it"
            )
        if self.readonly:
            if version < SCHEMA_VERSION:
                raise OutdatedStoreError(
                    f"{self.path}: schema version {version} needs upgrading to {SCHEMA_VERSION}, and the "
                    "store is read-only: open it once where it can be written",
                    version,
                    SCHEMA_VERSION,
                )
            return
        if self.path != ":memory:":
            _set_wal(c)
        self.ensure_schema()

    # -- schema ---------------------------------------------------------------------------------------
    def ensure_schema(self, migrations: tuple[Migration, ...] = MIGRATIONS) -> None:
        """Create a new store's tables, or bring an older store up to date, in one transaction."""
        c = self.db.conn
        target = latest(migrations)
        c.execute("BEGIN IMMEDIATE")  # one writer: a second process waits, then sees the work done
        try:
            version, _, tables = _identify(c)
            if tables and version < target:
                for step in pending(version, migrations):
                    step.apply(c)
            for statement in create_sql():
                c.execute(statement)
            c.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            c.execute(f"PRAGMA user_version = {target}")
            c.commit()
        except BaseException as err:
            c.rollback()
            if isinstance(err, sqlite3.Error):
                raise StoreError(
                    f"{self.path}: upgrading the store to schema version {target} failed ({err}); "
                    "it is left as it was"
                ) from None
            raise
        if "pages_fts" not in self.db.table_names():
            # sqlite-utils creates the index in statements of its own, outside the transaction above: a
            # second process opening a new store at the same moment may have created it first
            try:
                self.db["pages"].enable_fts(
                    ["text"], create_triggers=True, tokenize="unicode61 remove_diacritics 0"
                )
            except sqlite3.OperationalError:
                if "pages_fts" not in self.db.table_names():
                    raise

    @property
    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def close(self) -> None:
        self.db.close()


def _set_wal(c: sqlite3.Connection, wait: float = 30.0) -> None:
    """Put the store in WAL mode. SQLite does not wait on its busy timeout for this: while a second process
    creates the same new store, the change fails at once with "database is locked", so it is tried again."""
    import time

    deadline = time.monotonic() + wait
    while True:
        try:
            c.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)

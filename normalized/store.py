"""The finsam store: one SQLite file (sqlite-utils) holding documents, pages, tables, goals and findings.

Every document is written in one transaction, so an interrupted batch leaves only whole documents behind
and a re-run resumes where it stopped. Reading back (`document_export`) gives the export contract shape.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from finsam import __version__
from finsam.errors import StoreError
from finsam.model import UNIT_TO_KR, Extraction, Finding, ParsedDocument
from normalized.migrations import APPLICATION_ID, CORE_TABLES, MIGRATIONS, Migration, latest, pending
from normalized.schema import SCHEMA_VERSION, create_sql

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


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class StoredDocument:
    id: int
    sha256: str
    source_name: str
    federation: str | None
    doc_type: str | None
    fiscal_year: int | None
    superseded_by: int | None


class Store:
    """A finsam database. `Store(path)` opens (and creates) it; `Store(":memory:")` for tests.

    `create=False` opens only an existing store; `readonly=True` reads it without writing anything (no
    schema upgrade: an older store must be opened writable once). A path that is not a usable finsam
    store raises StoreError with a one-line reason before anything is created or changed.
    """

    def __init__(self, path: str | Path, create: bool = True, readonly: bool = False):
        self.path = str(path)
        self.readonly = readonly
        if self.path != ":memory:":
            _check_path(Path(self.path), create=create, readonly=readonly)
        try:
            if readonly:
                # in a folder nobody may write, no one can change the store while it is read (and SQLite
                # could not make its WAL index there): open it immutable
                frozen = "&immutable=1" if not os.access(Path(self.path).resolve().parent, os.W_OK) else ""
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
                raise StoreError(
                    f"{self.path}: schema version {version} needs upgrading to {SCHEMA_VERSION}, and the "
                    "store is read-only: open it once where it can be written"
                )
            return
        if self.path != ":memory:":
            c.execute("PRAGMA journal_mode = WAL")
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
            self.db["pages"].enable_fts(
                ["text"], create_triggers=True, tokenize="unicode61 remove_diacritics 0"
            )

    @property
    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def close(self) -> None:
        self.db.close()

    # -- lookups --------------------------------------------------------------------------------------
    def document_by_sha(self, sha256: str) -> int | None:
        row = self.db.execute("SELECT id FROM documents WHERE sha256 = ?", [sha256]).fetchone()
        return row[0] if row else None

    def ocr_pages(self, document_id: int) -> set[int]:
        """Numbers of the document's pages whose text came from OCR."""
        rows = self.db.execute(
            "SELECT page FROM pages WHERE document_id = ? AND text_source = 'ocr'", [document_id]
        ).fetchall()
        return {r[0] for r in rows}

    def superseded_by(self, document_id: int) -> list[int]:
        """Ids of the documents this one replaces."""
        rows = self.db.execute("SELECT id FROM documents WHERE superseded_by = ? ORDER BY id", [document_id])
        return [r[0] for r in rows.fetchall()]

    def documents(self) -> list[dict[str, Any]]:
        return list(self.db.query("SELECT * FROM documents ORDER BY id"))

    def failures(self) -> list[dict[str, Any]]:
        return list(self.db.query("SELECT * FROM failures ORDER BY rowid"))

    # -- writing --------------------------------------------------------------------------------------
    def delete_document(self, document_id: int) -> None:
        with self.db.atomic():
            self._delete(document_id)

    def _delete(self, document_id: int) -> None:
        c = self.db.conn
        c.execute("UPDATE documents SET superseded_by = NULL WHERE superseded_by = ?", [document_id])
        for table in ("cells", "table_rows"):
            c.execute(f"DELETE FROM {table} WHERE document_id = ?", [document_id])
        c.execute(
            "DELETE FROM table_columns WHERE table_id IN (SELECT id FROM tables WHERE document_id = ?)",
            [document_id],
        )
        for table in ("tables", "goals", "members", "pages"):
            c.execute(f"DELETE FROM {table} WHERE document_id = ?", [document_id])
        c.execute(
            "DELETE FROM findings WHERE document_id = ? OR other_document_id = ?", [document_id, document_id]
        )
        c.execute("DELETE FROM documents WHERE id = ?", [document_id])

    def record_failure(self, source_path: str, sha256: str | None, error_kind: str, message: str) -> None:
        with self.db.atomic():
            self.db.conn.execute("DELETE FROM failures WHERE source_path = ?", [source_path])
            self.db["failures"].insert(
                {
                    "sha256": sha256,
                    "source_path": source_path,
                    "error_kind": error_kind,
                    "message": message,
                    "failed_at": _now(),
                }
            )

    @contextmanager
    def writing(self) -> Iterator[None]:
        """One write transaction, taken at once (BEGIN IMMEDIATE): a second process writing the same store
        waits for it (busy_timeout) and then sees what it wrote, instead of failing to upgrade a read."""
        c = self.db.conn
        c.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            c.rollback()
            raise
        c.commit()

    def write_document(
        self, parsed: ParsedDocument, extraction: Extraction, replace: bool = False
    ) -> tuple[int, bool]:
        """Store one document with everything extracted from it, in one transaction. Returns its id and
        whether it was written: False when the same bytes were already stored (by another run meanwhile).

        With replace=True an existing document with the same bytes is deleted first (`--force`).
        A document for the same federation, type and period as an earlier one, with other bytes, supersedes it.
        """
        meta = extraction.meta
        with self.writing():
            old = self.document_by_sha(parsed.sha256)
            if old is not None:
                if not replace:
                    return old, False
                self._delete(old)
            doc = {
                "sha256": parsed.sha256,
                "source_path": parsed.path,
                "source_name": Path(parsed.path).name,
                "source_kind": parsed.source_kind,
                "size_bytes": parsed.size_bytes,
                "pages": len(parsed.pages),
                "federation": meta.federation,
                "doc_type": meta.doc_type,
                "fiscal_year": meta.fiscal_year,
                "period_start": meta.period_start,
                "period_end": meta.period_end,
                "mangled_pages": sum(1 for p in parsed.pages if p.quality.mangled),
                "superseded_by": None,
                "ingested_at": _now(),
                "finsam_version": __version__,
                "warnings": json.dumps(parsed.warnings, ensure_ascii=False) if parsed.warnings else None,
            }
            doc_id = self.db["documents"].insert(doc).last_pk
            self.db["members"].insert_all(
                {"document_id": doc_id, "position": i, "name": name} for i, name in enumerate(meta.members)
            )
            self.db["pages"].insert_all(
                {
                    "document_id": doc_id,
                    "page": p.number,
                    "text": p.text,
                    "raw_text": p.raw_text if p.raw_text != p.text else None,
                    "text_source": p.text_source,
                    "mangled": int(p.quality.mangled),
                    "mangle_score": p.quality.mangle_score,
                    "ocr_confidence": p.quality.ocr_confidence,
                    "repaired_words": p.quality.repaired_words,
                    "words": _words_json(p) if p.text_source != "text" else None,
                }
                for p in parsed.pages
            )
            self._write_tables(doc_id, extraction)
            self.db["goals"].insert_all(
                {
                    "document_id": doc_id,
                    "position": i,
                    "insats": g.insats,
                    "section": g.section,
                    "goal": g.goal,
                    "target_value": g.target_value,
                    "target_unit": g.target_unit,
                    "result": g.result,
                    "result_value": g.result_value,
                    "fulfilment": g.fulfilment,
                    "page": g.page,
                }
                for i, g in enumerate(extraction.goals)
            )
            self._write_findings(doc_id, extraction.findings)
            self._supersede(doc_id, meta)
        return doc_id, True

    def _write_tables(self, doc_id: int, extraction: Extraction) -> None:
        for seq, table in enumerate(extraction.tables):
            table_id = (
                self.db["tables"]
                .insert(
                    {
                        "document_id": doc_id,
                        "seq": seq,
                        "table_key": table.id,
                        "kind": table.kind,
                        "title": table.title,
                        "note_number": table.note_number,
                        "unit": table.unit,
                        "page": table.page,
                        "page_end": table.page_end,
                        "uncertain": json.dumps(table.uncertain, ensure_ascii=False)
                        if table.uncertain
                        else None,
                    }
                )
                .last_pk
            )
            self.db["table_columns"].insert_all(
                {
                    "table_id": table_id,
                    "position": i,
                    "key": c.key,
                    "header": c.header,
                    "role": c.role,
                    "year": c.year,
                    "period_start": c.period_start,
                    "period_end": c.period_end,
                    "unit": c.unit,
                }
                for i, c in enumerate(table.columns)
            )
            units = {c.key: (c.unit or table.unit) for c in table.columns}
            for position, row in enumerate(table.rows):
                row_id = (
                    self.db["table_rows"]
                    .insert(
                        {
                            "table_id": table_id,
                            "document_id": doc_id,
                            "position": position,
                            "label": row.label,
                            "label_raw": row.label_raw,
                            "canonical": row.canonical,
                            "is_total": int(row.is_total),
                            "level": row.level,
                            "parent_position": row.parent,
                            "section": row.section,
                            "note_ref": row.note_ref,
                            "page": row.page,
                        }
                    )
                    .last_pk
                )
                self.db["cells"].insert_all(
                    {
                        "row_id": row_id,
                        "table_id": table_id,
                        "document_id": doc_id,
                        "column_key": key,
                        "raw": v.raw,
                        "value": v.value,
                        "value_kr": (
                            v.value * UNIT_TO_KR[units.get(key)]
                            if v.value is not None and units.get(key) in UNIT_TO_KR
                            else None
                        ),
                        "repaired": int(v.repaired),
                        "uncertain": int(v.uncertain),
                    }
                    for key, v in row.values.items()
                )

    def _write_findings(
        self, doc_id: int | None, findings: Iterable[Finding], other_id: int | None = None
    ) -> None:
        self.db["findings"].insert_all(
            {
                "document_id": doc_id,
                "other_document_id": other_id,
                "rule": f.rule,
                "severity": f.severity,
                "table_title": f.table,
                "table_key": f.table_id,
                "row": f.row,
                "column": f.column,
                "stated": f.stated,
                "expected": f.expected,
                "difference": f.difference,
                "page": f.page,
                "message": f.message,
            }
            for f in findings
        )

    def replace_findings(self, doc_id: int, findings: Iterable[Finding]) -> None:
        """Recompute a document's own findings (`finsam check`)."""
        with self.db.atomic():
            self.db.conn.execute(
                "DELETE FROM findings WHERE document_id = ? AND other_document_id IS NULL", [doc_id]
            )
            self._write_findings(doc_id, findings)

    def replace_cross_document_findings(
        self, findings: Iterable[tuple[int | None, int | None, Finding]]
    ) -> None:
        with self.db.atomic():
            self.db.conn.execute("DELETE FROM findings WHERE other_document_id IS NOT NULL")
            for doc_id, other_id, f in findings:
                self._write_findings(doc_id, [f], other_id)

    def _supersede(self, doc_id: int, meta) -> None:
        """Mark older versions of the same report (federation, type, period) as superseded by this one."""
        if not (meta.federation and meta.doc_type and meta.fiscal_year):
            return
        self.db.conn.execute(
            """UPDATE documents SET superseded_by = ?
               WHERE id != ? AND superseded_by IS NULL AND federation = ? AND doc_type = ? AND fiscal_year = ?
                 AND coalesce(period_start, '') = coalesce(?, '') AND coalesce(period_end, '') = coalesce(?, '')""",
            [
                doc_id,
                doc_id,
                meta.federation,
                meta.doc_type,
                meta.fiscal_year,
                meta.period_start,
                meta.period_end,
            ],
        )
        self.db.conn.execute(
            "DELETE FROM failures WHERE sha256 = (SELECT sha256 FROM documents WHERE id = ?)", [doc_id]
        )

    def load_tables(self, doc_id: int) -> list:
        """Rebuild a stored document's tables as model objects (for `finsam check` and checks across documents)."""
        from finsam.model import Column, Row, Table, Value

        tables = []
        for t in self.db.query("SELECT * FROM tables WHERE document_id = ? ORDER BY seq", [doc_id]):
            columns = [
                Column(
                    c["key"], c["header"], c["role"], c["year"], c["period_start"], c["period_end"], c["unit"]
                )
                for c in self.db.query(
                    "SELECT * FROM table_columns WHERE table_id = ? ORDER BY position", [t["id"]]
                )
            ]
            cells: dict[int, dict[str, Value]] = {}
            for c in self.db.query("SELECT * FROM cells WHERE table_id = ?", [t["id"]]):
                cells.setdefault(c["row_id"], {})[c["column_key"]] = Value(
                    c["raw"], c["value"], bool(c["repaired"]), bool(c["uncertain"])
                )
            rows = [
                Row(
                    label=r["label"],
                    label_raw=r["label_raw"],
                    values=cells.get(r["id"], {}),
                    canonical=r["canonical"],
                    is_total=bool(r["is_total"]),
                    level=r["level"] or 0,
                    parent=r["parent_position"],
                    section=r["section"],
                    note_ref=r["note_ref"],
                    page=r["page"],
                )
                for r in self.db.query(
                    "SELECT * FROM table_rows WHERE table_id = ? ORDER BY position", [t["id"]]
                )
            ]
            tables.append(
                Table(
                    kind=t["kind"],
                    title=t["title"],
                    columns=columns,
                    rows=rows,
                    unit=t["unit"],
                    note_number=t["note_number"],
                    page=t["page"],
                    page_end=t["page_end"],
                    id=t["table_key"],
                    uncertain=json.loads(t["uncertain"]) if t["uncertain"] else [],
                )
            )
        return tables

    def load_meta(self, doc_id: int):
        from finsam.model import DocumentMeta

        d = self.db.execute(
            "SELECT federation, doc_type, fiscal_year, period_start, period_end FROM documents WHERE id = ?",
            [doc_id],
        ).fetchone()
        members = [
            r[0]
            for r in self.db.execute(
                "SELECT name FROM members WHERE document_id = ? ORDER BY position", [doc_id]
            )
        ]
        return DocumentMeta(*d, members=members) if d else None

    # -- reading back ---------------------------------------------------------------------------------
    def export(self, with_text: bool = False, document_ids: list[int] | None = None) -> dict[str, Any]:
        docs = self.documents()
        if document_ids is not None:
            docs = [d for d in docs if d["id"] in set(document_ids)]
        return {
            "finsam_version": __version__,
            "documents": [self.document_export(d, with_text) for d in docs],
            "failures": self.failures(),
        }

    def iter_export(self, with_text: bool = False) -> Iterator[dict[str, Any]]:
        for d in self.documents():
            yield self.document_export(d, with_text)

    def document_export(self, d: dict[str, Any], with_text: bool = False) -> dict[str, Any]:
        doc_id = d["id"]
        q = self.db.query
        out: dict[str, Any] = {
            "id": doc_id,
            "source": d["source_name"],
            "source_path": d["source_path"],
            "sha256": d["sha256"],
            "source_kind": d["source_kind"],
            "pages": d["pages"],
            "federation": d["federation"],
            "doc_type": d["doc_type"],
            "fiscal_year": d["fiscal_year"],
            "period_start": d["period_start"],
            "period_end": d["period_end"],
            "members": [
                r["name"]
                for r in q("SELECT name FROM members WHERE document_id = ? ORDER BY position", [doc_id])
            ],
            "superseded_by": d["superseded_by"],
            "mangled_pages": d["mangled_pages"],
            "ingested_at": d["ingested_at"],
            "tables": [],
        }
        for t in q("SELECT * FROM tables WHERE document_id = ? ORDER BY seq", [doc_id]):
            cols = list(q("SELECT * FROM table_columns WHERE table_id = ? ORDER BY position", [t["id"]]))
            rows = []
            cells_by_row: dict[int, dict[str, Any]] = {}
            for c in q("SELECT * FROM cells WHERE table_id = ?", [t["id"]]):
                cells_by_row.setdefault(c["row_id"], {})[c["column_key"]] = c
            for r in q("SELECT * FROM table_rows WHERE table_id = ? ORDER BY position", [t["id"]]):
                cells = cells_by_row.get(r["id"], {})
                row = {
                    "label": r["label"],
                    "label_raw": r["label_raw"],
                    "canonical": r["canonical"],
                    "is_total": bool(r["is_total"]),
                    "level": r["level"],
                    "section": r["section"],
                    "note_ref": r["note_ref"],
                    "page": r["page"],
                    "values": {k: c["value"] for k, c in cells.items() if c["value"] is not None},
                    "raw": {k: c["raw"] for k, c in cells.items()},
                }
                flagged = {k: c for k, c in cells.items() if c["repaired"] or c["uncertain"]}
                if flagged:
                    row["repaired"] = sorted(k for k, c in flagged.items() if c["repaired"])
                    row["uncertain"] = sorted(k for k, c in flagged.items() if c["uncertain"])
                rows.append(row)
            out["tables"].append(
                {
                    "id": t["table_key"],
                    "kind": t["kind"],
                    "title": t["title"],
                    "note_number": t["note_number"],
                    "page": t["page"],
                    "page_end": t["page_end"],
                    "unit": t["unit"],
                    "uncertain": json.loads(t["uncertain"]) if t["uncertain"] else [],
                    "columns": [
                        {
                            "key": c["key"],
                            "header": c["header"],
                            "role": c["role"],
                            "year": c["year"],
                            "period_start": c["period_start"],
                            "period_end": c["period_end"],
                            "unit": c["unit"],
                        }
                        for c in cols
                    ],
                    "rows": rows,
                }
            )
        out["goals"] = [
            {k: g[k] for k in g if k not in ("document_id", "position")}
            for g in q("SELECT * FROM goals WHERE document_id = ? ORDER BY position", [doc_id])
        ]
        out["findings"] = [
            {
                "rule": f["rule"],
                "severity": f["severity"],
                "table": f["table_title"],
                "table_id": f["table_key"],
                "row": f["row"],
                "column": f["column"],
                "stated": f["stated"],
                "expected": f["expected"],
                "difference": f["difference"],
                "page": f["page"],
                "message": f["message"],
                "other_document_id": f["other_document_id"],
            }
            for f in q("SELECT * FROM findings WHERE document_id = ? ORDER BY rowid", [doc_id])
        ]
        if with_text:
            out["text"] = [
                {"page": p["page"], "text": p["text"]}
                for p in q("SELECT page, text FROM pages WHERE document_id = ? ORDER BY page", [doc_id])
            ]
        return out


def _words_json(page) -> str | None:
    words = [
        [w.text, round(w.x0, 1), round(w.x1, 1), round(w.top, 1), round(w.bottom, 1), w.conf]
        for line in page.lines
        for w in line.words
    ]
    return json.dumps(words, ensure_ascii=False) if words else None

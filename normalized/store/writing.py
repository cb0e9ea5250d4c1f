"""Writing a finsam store: a document with everything extracted from it in one transaction, its findings
recomputed, older versions of the same report marked superseded, and files that failed recorded.

Mixed into `Store` (normalized.store.database), which gives it the open database (`db`) and the lookups of
normalized.store.reading.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from finsam import __version__
from finsam.model import UNIT_TO_KR, Extraction, Finding, ParsedDocument
from normalized.federations import Aliases
from normalized.store import federations


def _insert(conn, table: str, record: dict) -> int:
    """Insert one record (its keys are columns of `table`) and give its rowid."""
    names = ", ".join(f"[{k}]" for k in record)
    marks = ", ".join("?" for _ in record)
    return conn.execute(f"INSERT INTO [{table}] ({names}) VALUES ({marks})", list(record.values())).lastrowid


def _insert_many(conn, table: str, records: list[dict]) -> None:
    """Insert records that all have the same keys, in one statement."""
    if records:
        names = ", ".join(f"[{k}]" for k in records[0])
        marks = ", ".join("?" for _ in records[0])
        conn.executemany(
            f"INSERT INTO [{table}] ({names}) VALUES ({marks})", [list(r.values()) for r in records]
        )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class DocumentWriter:
    """The writing half of `Store`."""

    db: sqlite_utils.Database

    def delete_document(self, document_id: int) -> None:
        with self.db.atomic():
            self._delete(document_id)
            federations.prune(self.db.conn)

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
        The document is linked to its federation (normalized.store.federations) in the same transaction.
        """
        meta = extraction.meta
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
            "failed_pages": json.dumps(parsed.failed_pages) if parsed.failed_pages else None,
        }
        pages = (
            {
                "page": p.number,
                "text": p.text,
                "raw_text": p.raw_text if p.raw_text != p.text else None,
                "text_source": p.text_source,
                "mangled": int(p.quality.mangled),
                "mangle_score": p.quality.mangle_score,
                "ocr_confidence": p.quality.ocr_confidence,
                "repaired_words": p.quality.repaired_words,
                "words": words_json(p) if p.text_source != "text" else None,
            }
            for p in parsed.pages
        )
        return self.write_records(doc, pages, extraction, replace)

    def write_records(
        self, doc: dict, pages: Iterable[dict], extraction: Extraction, replace: bool = False
    ) -> tuple[int, bool]:
        """`write_document` from the document's row and its pages' rows as given: made from a parsed
        document, or from an export (normalized.store.importing)."""
        meta = extraction.meta
        with self.writing():
            old = self.document_by_sha(doc["sha256"])
            if old is not None:
                if not replace:
                    return old, False
                self._delete(old)
            doc_id = self.db["documents"].insert(doc).last_pk
            self.db["members"].insert_all(
                {"document_id": doc_id, "position": i, "name": name} for i, name in enumerate(meta.members)
            )
            federations.link_document(self.db.conn, doc_id, meta.federation, list(meta.members))
            self.db["pages"].insert_all({"document_id": doc_id, **p} for p in pages)
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
            if old is not None:
                federations.prune(self.db.conn)
        return doc_id, True

    def apply_aliases(self, aliases: Aliases) -> list[federations.Relinked]:
        """Make an alias file the store's and link its documents by it, in one transaction
        (normalized.store.federations.apply_aliases). Returns the documents moved."""
        with self.writing():
            return federations.apply_aliases(self.db.conn, aliases)

    def preview_aliases(self, aliases: Aliases) -> tuple[list[federations.Relinked], dict]:
        """What `apply_aliases` would do: the documents it would move and the federations as they would be
        listed, worked out in a transaction that is then rolled back, so nothing is written."""
        c = self.db.conn
        c.execute("BEGIN IMMEDIATE")
        try:
            return federations.apply_aliases(c, aliases), federations.federation_summaries(c)
        finally:
            c.rollback()

    def _write_tables(self, doc_id: int, extraction: Extraction) -> None:
        """The tables, their columns, rows and cells: inserted straight through the connection, a statement
        for each table's cells, since a report has thousands of cells and sqlite-utils builds its SQL anew
        for every call."""
        c = self.db.conn
        for seq, table in enumerate(extraction.tables):
            table_id = _insert(
                c,
                "tables",
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
                    "uncertain": json.dumps(table.uncertain, ensure_ascii=False) if table.uncertain else None,
                },
            )
            _insert_many(
                c,
                "table_columns",
                [
                    {
                        "table_id": table_id,
                        "position": i,
                        "key": col.key,
                        "header": col.header,
                        "role": col.role,
                        "year": col.year,
                        "period_start": col.period_start,
                        "period_end": col.period_end,
                        "unit": col.unit,
                    }
                    for i, col in enumerate(table.columns)
                ],
            )
            units = {col.key: (col.unit or table.unit) for col in table.columns}
            cells = []
            for position, row in enumerate(table.rows):
                row_id = _insert(
                    c,
                    "table_rows",
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
                    },
                )
                cells.extend(
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
                        "confidence": v.confidence,
                    }
                    for key, v in row.values.items()
                )
            _insert_many(c, "cells", cells)

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
        self,
        findings: Iterable[tuple[int | None, int | None, Finding]],
        documents: Iterable[int] | None = None,
    ) -> None:
        """Replace the findings across documents: all of them, or those of `documents` (whose findings
        across documents were worked out again among themselves)."""
        with self.db.atomic():
            c = self.db.conn
            if documents is None:
                c.execute("DELETE FROM findings WHERE other_document_id IS NOT NULL")
            else:
                c.executemany(
                    "DELETE FROM findings WHERE other_document_id IS NOT NULL AND document_id = ?",
                    [(d,) for d in documents],
                )
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


def words_json(page) -> str | None:
    """A page's words as the store keeps them: [text, x0, x1, top, bottom, confidence] in points, as JSON."""
    if page.words_json is not None and not page.lines:
        return page.words_json
    words = [
        [w.text, round(w.x0, 1), round(w.x1, 1), round(w.top, 1), round(w.bottom, 1), w.conf]
        for line in page.lines
        for w in line.words
    ]
    return json.dumps(words, ensure_ascii=False) if words else None

"""Reading a finsam store back: the lookups ingest asks (a document by its bytes, its OCR pages), a stored
document's tables and metadata as model objects (for `finsam check` and the checks across documents), and
the export in the shape of the export contract.

Mixed into `Store` (normalized.store.database), which gives it the open database (`db`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

import sqlite_utils

from finsam import __version__
from finsam.model import Column, DocumentMeta, Row, Table, Value
from finsam.terms import MUNICIPALITY_PREFIX, describe
from normalized.store import federations


def matches(document: dict[str, Any], federation: str | None = None, year: int | None = None) -> bool:
    """The filter of `finsam check` and `finsam export`: `federation` is any part of the document's federation
    name in any case ('botkyrka', 'ÖSTRA'), `year` its fiscal year; None keeps every document."""
    if federation and federation.casefold() not in (document["federation"] or "").casefold():
        return False
    return year is None or document["fiscal_year"] == year


class DocumentReader:
    """The reading half of `Store`."""

    db: sqlite_utils.Database

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

    def federations_of(self, document_ids: Iterable[int]) -> set[str]:
        """The federation names (as read from the reports) of these documents, those that have one."""
        ids = list(document_ids)
        found: set[str] = set()
        for start in range(0, len(ids), 500):  # within SQLite's bound on parameters
            part = ids[start : start + 500]
            query = f"SELECT DISTINCT federation FROM documents WHERE id IN ({', '.join('?' * len(part))})"
            found.update(r[0] for r in self.db.execute(query, part) if r[0])
        return found

    def superseded_by(self, document_id: int) -> list[int]:
        """Ids of the documents this one replaces."""
        rows = self.db.execute("SELECT id FROM documents WHERE superseded_by = ? ORDER BY id", [document_id])
        return [r[0] for r in rows.fetchall()]

    def documents(self, federation: str | None = None, year: int | None = None) -> list[dict[str, Any]]:
        """The stored documents in id order; `federation` and `year` keep those `matches` keeps."""
        docs = self.db.query("SELECT * FROM documents ORDER BY id")
        return [d for d in docs if matches(d, federation, year)]

    def failures(self) -> list[dict[str, Any]]:
        return list(self.db.query("SELECT * FROM failures ORDER BY rowid"))

    # -- federations and keys -------------------------------------------------------------------------
    def federations(self) -> dict[str, Any]:
        """Every federation with its documents, years, report types, names and warnings, and the documents
        linked to none (normalized.store.federations.federation_summaries)."""
        return federations.federation_summaries(self.db.conn)

    def find_federation(self, name: str | int) -> federations.Candidate:
        """The federation a name typed by a person, or an id, stands for (normalized.store.federations);
        QueryError for one that is unknown or could be several."""
        return federations.find_federation(self.db.conn, name)

    def federation_warning(self, document_id: int) -> str | None:
        """The warning for a document whose federation name was kept apart from federations it may be."""
        return federations.document_federation_warning(self.db.conn, document_id)

    def canonical_keys(self, with_unused: bool = False) -> list[dict[str, Any]]:
        """Each canonical key the stored rows carry (table_rows.canonical), most documents first: how many
        documents carry it (all stored, and those not superseded), in how many rows, the table kinds with
        the documents carrying it in each, and its description. `with_unused` adds the vocabulary's keys no
        stored row carries, with zero counts."""
        described = describe()
        found: dict[str, dict[str, Any]] = {}
        for key, kind, documents, rows in self.db.execute(
            """SELECT r.canonical, t.kind, count(DISTINCT r.document_id), count(*)
               FROM table_rows r JOIN tables t ON t.id = r.table_id
               WHERE r.canonical IS NOT NULL GROUP BY r.canonical, t.kind"""
        ):
            entry = found.setdefault(key, {"key": key, "rows": 0, "kinds": {}})
            entry["rows"] += rows
            entry["kinds"][kind] = documents
        totals = self.db.execute(
            """SELECT canonical, count(DISTINCT r.document_id),
                      count(DISTINCT CASE WHEN d.superseded_by IS NULL THEN r.document_id END)
               FROM table_rows r JOIN documents d ON d.id = r.document_id
               WHERE canonical IS NOT NULL GROUP BY canonical"""
        ).fetchall()
        for key, documents, current in totals:
            found[key]["documents"] = documents
            found[key]["current_documents"] = current
        if with_unused:
            for key in described:
                if key not in found and not key.startswith(MUNICIPALITY_PREFIX):
                    found[key] = {"key": key, "rows": 0, "kinds": {}, "documents": 0, "current_documents": 0}
        out = []
        for entry in found.values():
            pattern = MUNICIPALITY_PREFIX + "<slug>" if entry["key"].startswith(MUNICIPALITY_PREFIX) else None
            entry["description"] = described.get(entry["key"]) or described.get(pattern or "", "")
            entry["kinds"] = dict(sorted(entry["kinds"].items(), key=lambda k: (-k[1], k[0])))
            out.append(entry)
        return sorted(out, key=lambda e: (-e["documents"], e["key"]))

    # -- model objects --------------------------------------------------------------------------------
    def load_tables(self, doc_id: int, kinds: Iterable[str] | None = None) -> list:
        """Rebuild a stored document's tables as model objects (for `finsam check` and checks across
        documents), or only its tables of `kinds`. Four queries a document, whatever its number of tables."""
        where, args = "document_id = ?", [doc_id]
        if kinds is not None:
            kinds = list(kinds)
            where += f" AND kind IN ({', '.join('?' * len(kinds))})"
            args += kinds
        stored = list(self.db.query(f"SELECT * FROM tables WHERE {where} ORDER BY seq", args))
        if not stored:
            return []
        of_these = f"table_id IN (SELECT id FROM tables WHERE {where})"
        columns: dict[int, list[Column]] = {}
        for c in self.db.query(f"SELECT * FROM table_columns WHERE {of_these} ORDER BY position", args):
            columns.setdefault(c["table_id"], []).append(
                Column(
                    c["key"], c["header"], c["role"], c["year"], c["period_start"], c["period_end"], c["unit"]
                )
            )
        cells: dict[int, dict[str, Value]] = {}
        for c in self.db.query(f"SELECT * FROM cells WHERE {of_these}", args):
            cells.setdefault(c["row_id"], {})[c["column_key"]] = Value(
                c["raw"], c["value"], bool(c["repaired"]), bool(c["uncertain"]), c.get("confidence")
            )
        rows: dict[int, list[Row]] = {}
        for r in self.db.query(f"SELECT * FROM table_rows WHERE {of_these} ORDER BY position", args):
            rows.setdefault(r["table_id"], []).append(
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
            )
        return [
            Table(
                kind=t["kind"],
                title=t["title"],
                columns=columns.get(t["id"], []),
                rows=rows.get(t["id"], []),
                unit=t["unit"],
                note_number=t["note_number"],
                page=t["page"],
                page_end=t["page_end"],
                id=t["table_key"],
                uncertain=json.loads(t["uncertain"]) if t["uncertain"] else [],
            )
            for t in stored
        ]

    def load_meta(self, doc_id: int):
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

    # -- the export -----------------------------------------------------------------------------------
    def export(
        self,
        with_text: bool = False,
        document_ids: list[int] | None = None,
        federation: str | None = None,
        year: int | None = None,
    ) -> dict[str, Any]:
        """The export contract. Filtered by federation or year it holds the matching documents only, and no
        failures: a file that failed has neither federation nor year to match."""
        docs = self.documents(federation, year)
        if document_ids is not None:
            docs = [d for d in docs if d["id"] in set(document_ids)]
        filtered = bool(federation) or year is not None
        return {
            "finsam_version": __version__,
            "documents": [self.document_export(d, with_text) for d in docs],
            "failures": [] if filtered else self.failures(),
        }

    def iter_export(self, with_text: bool = False) -> Iterator[dict[str, Any]]:
        for d in self.documents():
            yield self.document_export(d, with_text)

    def _federation_name(self, federation_id: int | None) -> str | None:
        if federation_id is None:
            return None
        row = self.db.execute("SELECT name FROM federations WHERE id = ?", [federation_id]).fetchone()
        return row[0] if row else None

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
            "federation_id": d.get("federation_id"),
            "federation_canonical": self._federation_name(d.get("federation_id")),
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
            "failed_pages": json.loads(d["failed_pages"]) if d.get("failed_pages") else [],
            "warnings": json.loads(d["warnings"]) if d.get("warnings") else [],
            "size_bytes": d.get("size_bytes"),
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
                    "parent": r["parent_position"],
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
                {"page": p["page"], "text": p["text"], "text_source": p["text_source"]}
                for p in q(
                    "SELECT page, text, text_source FROM pages WHERE document_id = ? ORDER BY page", [doc_id]
                )
            ]
        return out

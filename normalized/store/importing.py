"""Importing an export (`finsam export --format json`) into a store: a colleague's store merged into one's
own, a store rebuilt from its export. Each document is written as ingest writes it, in one transaction, and
exported again it gives the export it came from (tests/normalized/test_import.py); a document whose bytes
the store holds already is skipped, as ingest skips it.

What the export does not hold, an import cannot give back: the pages' words and raw text, and an OCR'd
figure's confidence. An export made without `--with-text` has no pages: the document is stored with its
tables, goals and findings, and without pages, so `finsam check` reads it as a text layer. Findings that
compare documents are worked out again over the store, as after an ingest.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from finsam import __version__
from finsam.model import Column, DocumentMeta, Extraction, Finding, Goal, Row, Table, Value

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_GOAL_FIELDS = {f.name for f in fields(Goal)}


class BadExportError(ValueError):
    """A document of an export that cannot be imported, and why (one line)."""


@dataclass
class Imported:
    """What happened to one document of an export: imported, skipped (its bytes are stored) or failed."""

    source: str
    status: str
    document_id: int | None = None
    message: str = ""


def read_export(path: Path) -> dict[str, Any]:
    """An export file read and checked for its shape: {"documents": [...]}. Raises BadExportError."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise BadExportError(f"cannot read it: {getattr(err, 'strerror', None) or err}") from err
    except json.JSONDecodeError as err:
        raise BadExportError(f"not JSON ({err.msg} at line {err.lineno})") from err
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
        raise BadExportError('not a finsam export: no "documents" list')
    return data


def import_export(store, export: dict[str, Any]) -> list[Imported]:
    """Write each document of `export` into `store`, in export order (so a later version of a report
    supersedes an earlier one, as it did where it was exported). A malformed document fails alone."""
    out: list[Imported] = []
    for n, d in enumerate(export.get("documents") or [], 1):
        source = str(d.get("source") or f"document {n}") if isinstance(d, dict) else f"document {n}"
        try:
            doc, pages, extraction = document_parts(d)
        except BadExportError as err:
            out.append(Imported(source, "failed", message=str(err)))
            continue
        try:
            doc_id, written = store.write_records(doc, pages, extraction)
        except Exception as err:  # the transaction rolled back: nothing of this document is stored
            message = " ".join(f"could not store: {type(err).__name__}: {err}".split())[:500]
            out.append(Imported(source, "failed", message=message))
            continue
        out.append(Imported(source, "imported" if written else "skipped", doc_id))
    return out


def document_parts(d: Any) -> tuple[dict, list[dict], Extraction]:
    """One exported document as the store's document row, page rows and extraction."""
    if not isinstance(d, dict):
        raise BadExportError("not an object")
    sha = d.get("sha256")
    if not isinstance(sha, str) or not _SHA256.match(sha):
        raise BadExportError("no sha256 of its bytes")
    try:
        meta = DocumentMeta(
            federation=d.get("federation"),
            doc_type=d.get("doc_type"),
            fiscal_year=d.get("fiscal_year"),
            period_start=d.get("period_start"),
            period_end=d.get("period_end"),
            members=[str(m) for m in d.get("members") or []],
        )
        tables = [_table(t) for t in d.get("tables") or []]
        goals = [Goal(**{k: v for k, v in g.items() if k in _GOAL_FIELDS}) for g in d.get("goals") or []]
        findings = [_finding(f) for f in d.get("findings") or [] if f.get("other_document_id") is None]
        pages = [_page(p, d.get("source_kind")) for p in d.get("text") or []]
    except (AttributeError, KeyError, TypeError, ValueError) as err:
        raise BadExportError(f"malformed: {type(err).__name__}: {err}") from err
    source_path = str(d.get("source_path") or d.get("source") or sha)
    row = {
        "sha256": sha,
        "source_path": source_path,
        "source_name": str(d.get("source") or Path(source_path).name),
        "source_kind": d.get("source_kind"),
        "size_bytes": d.get("size_bytes"),
        "pages": d.get("pages") if d.get("pages") is not None else len(pages),
        "federation": meta.federation,
        "doc_type": meta.doc_type,
        "fiscal_year": meta.fiscal_year,
        "period_start": meta.period_start,
        "period_end": meta.period_end,
        "mangled_pages": d.get("mangled_pages") or 0,
        "superseded_by": None,
        "ingested_at": d.get("ingested_at"),
        "finsam_version": __version__,
        "warnings": json.dumps(d["warnings"], ensure_ascii=False) if d.get("warnings") else None,
        "failed_pages": json.dumps(d["failed_pages"]) if d.get("failed_pages") else None,
    }
    return row, pages, Extraction(meta=meta, tables=tables, goals=goals, findings=findings)


def _table(t: dict) -> Table:
    return Table(
        kind=t["kind"],
        title=t["title"],
        columns=[Column(**c) for c in t.get("columns") or []],
        rows=[_row(r) for r in t.get("rows") or []],
        unit=t.get("unit"),
        note_number=t.get("note_number"),
        page=t.get("page"),
        page_end=t.get("page_end"),
        id=t.get("id"),
        uncertain=list(t.get("uncertain") or []),
    )


def _row(r: dict) -> Row:
    numbers, printed = r.get("values") or {}, r.get("raw") or {}
    repaired, uncertain = set(r.get("repaired") or []), set(r.get("uncertain") or [])
    keys = list(printed) + [k for k in numbers if k not in printed]
    return Row(
        label=r["label"],
        label_raw=r.get("label_raw", r["label"]),
        values={k: Value(printed.get(k, ""), numbers.get(k), k in repaired, k in uncertain) for k in keys},
        canonical=r.get("canonical"),
        is_total=bool(r.get("is_total")),
        level=r.get("level") or 0,
        parent=r.get("parent"),
        section=r.get("section"),
        note_ref=r.get("note_ref"),
        page=r.get("page"),
    )


def _finding(f: dict) -> Finding:
    return Finding(
        rule=f["rule"],
        severity=f["severity"],
        message=f["message"],
        table=f.get("table"),
        row=f.get("row"),
        column=f.get("column"),
        stated=f.get("stated"),
        expected=f.get("expected"),
        difference=f.get("difference"),
        page=f.get("page"),
        table_id=f.get("table_id"),
    )


def _page(p: dict, source_kind: str | None) -> dict:
    default = "text" if source_kind == "text" else "pdf_text"
    return {
        "page": int(p["page"]),
        "text": str(p["text"]),
        "raw_text": None,
        "text_source": p.get("text_source") or default,
        "mangled": 0,
        "mangle_score": 0.0,
        "ocr_confidence": None,
        "repaired_words": 0,
        "words": None,
    }

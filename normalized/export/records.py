"""The flat records every spreadsheet export is made of, read from the export contract (`Store.export`):
one record per document, per table cell (the long, "tidy" form: one row per cell with its document, table,
row and column around it), per finding and per goal, each with the fields of one fixed tuple so a CSV
header or a sheet's first row is the same whatever the store holds (an empty store too). Values stay as the
export has them: numbers in the table's unit as printed, None where a cell is no number.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any, NamedTuple

from finsam.model import TABLE_KINDS
from normalized.schema import TABLES_BY_NAME

Record = dict[str, Any]

# What every record but a document's own says of its document, so a row read alone is placed.
DOCUMENT_CONTEXT = ("document_id", "source", "federation", "fiscal_year", "doc_type")

DOCUMENT_FIELDS = (
    *DOCUMENT_CONTEXT,
    "source_kind",
    "pages",
    "period_start",
    "period_end",
    "members",
    "superseded_by",
    "mangled_pages",
    "ingested_at",
    "sha256",
    "source_path",
    "tables",
    "goals",
    "findings",
    "errors",
)
TABLE_FIELDS = ("table_key", "table_kind", "table_title", "note_number", "page", "page_end", "unit")
CELL_FIELDS = (
    *DOCUMENT_CONTEXT,
    "table_key",
    "table_title",
    "note_number",
    "page",
    "row_position",
    "row_label",
    "canonical",
    "section",
    "note_ref",
    "is_total",
    "column_position",
    "column_key",
    "column_header",
    "role",
    "year",
    "unit",
    "value",
    "raw",
    "repaired",
    "uncertain",
)
FINDING_FIELDS = (
    *DOCUMENT_CONTEXT,
    "severity",
    "rule",
    "table_key",
    "table_title",
    "row",
    "column",
    "stated",
    "expected",
    "difference",
    "page",
    "message",
    "other_document_id",
)
# a goal's fields are the goals table's own, less the two the export leaves out (Store.document_export)
GOAL_FIELDS = (
    *DOCUMENT_CONTEXT,
    *(c.name for c in TABLES_BY_NAME["goals"].columns if c.name not in ("document_id", "position")),
)


# no report prints more decimals than this: what lies beyond is the binary float's noise (5115.9 − 5000)
MAX_DECIMALS = 9


def plain_number(value: float) -> str:
    """A figure in the fewest digits that are its value, with a decimal point and no thousands separators:
    5115.9 → '5115.9', -19794180.0 → '-19794180', 115.89999999999964 → '115.9'."""
    if value == 0:
        return "0"
    return format(Decimal(repr(round(value, MAX_DECIMALS))).normalize(), "f")


class ExportCounts(NamedTuple):
    documents: int
    tables: int
    cells: int
    findings: int
    goals: int


def counts(export: dict[str, Any]) -> ExportCounts:
    docs = export["documents"]
    tables = [t for d in docs for t in d["tables"]]
    return ExportCounts(
        documents=len(docs),
        tables=len(tables),
        cells=sum(len(r["raw"]) for t in tables for r in t["rows"]),
        findings=sum(len(d["findings"]) for d in docs),
        goals=sum(len(d["goals"]) for d in docs),
    )


def table_kinds(export: dict[str, Any]) -> list[str]:
    """Every kind a table may have (so each has its file or sheet even when empty), then any other kind the
    store holds, in a fixed order."""
    found = {t["kind"] for d in export["documents"] for t in d["tables"]}
    return list(TABLE_KINDS) + sorted(k for k in found if k not in TABLE_KINDS)


def context(document: dict[str, Any]) -> Record:
    return {
        "document_id": document["id"],
        "source": document["source"],
        "federation": document["federation"],
        "fiscal_year": document["fiscal_year"],
        "doc_type": document["doc_type"],
    }


def document_records(export: dict[str, Any]) -> Iterator[Record]:
    for d in export["documents"]:
        yield {
            **context(d),
            **{k: d[k] for k in DOCUMENT_FIELDS if k in d and k not in DOCUMENT_CONTEXT},
            "members": "; ".join(d["members"]),
            "tables": len(d["tables"]),
            "goals": len(d["goals"]),
            "findings": len(d["findings"]),
            "errors": sum(1 for f in d["findings"] if f["severity"] == "error"),
        }


def table_record(table: dict[str, Any]) -> Record:
    return {
        "table_key": table["id"],
        "table_kind": table["kind"],
        "table_title": table["title"],
        "note_number": table["note_number"],
        "page": table["page"],
        "page_end": table["page_end"],
        "unit": table["unit"],
    }


def cell_records(export: dict[str, Any], kind: str | None = None) -> Iterator[Record]:
    """One record per stored cell (a number, or text where the cell is none), in document, table, row and
    column order; only the tables of `kind` when given. A row without cells (a heading) has no record: its
    text is in the `section` of the rows under it."""
    for d in export["documents"]:
        doc = context(d)
        for t in d["tables"]:
            if kind is not None and t["kind"] != kind:
                continue
            columns = {c["key"]: (i, c) for i, c in enumerate(t["columns"])}
            for position, row in enumerate(t["rows"]):
                # the table's columns in order; a cell of a column the table does not list comes after them
                keys = sorted(row["raw"], key=lambda k: (columns.get(k, (len(columns),))[0], k))
                for key in keys:
                    index, column = columns.get(key, (None, {}))
                    yield {
                        **doc,
                        "table_key": t["id"],
                        "table_title": t["title"],
                        "note_number": t["note_number"],
                        "page": row["page"] if row["page"] is not None else t["page"],
                        "row_position": position,
                        "row_label": row["label"],
                        "canonical": row["canonical"],
                        "section": row["section"],
                        "note_ref": row["note_ref"],
                        "is_total": row["is_total"],
                        "column_position": index,
                        "column_key": key,
                        "column_header": column.get("header"),
                        "role": column.get("role"),
                        "year": column.get("year"),
                        "unit": column.get("unit") or t["unit"],
                        "value": row["values"].get(key),
                        "raw": row["raw"][key],
                        "repaired": key in row.get("repaired", ()),
                        "uncertain": key in row.get("uncertain", ()),
                    }


def finding_records(export: dict[str, Any]) -> Iterator[Record]:
    for d in export["documents"]:
        for f in d["findings"]:
            yield {
                **context(d),
                **{k: f[k] for k in FINDING_FIELDS if k in f},
                "table_key": f["table_id"],
                "table_title": f["table"],
            }


def goal_records(export: dict[str, Any]) -> Iterator[Record]:
    for d in export["documents"]:
        for g in d["goals"]:
            yield {**context(d), **{k: g.get(k) for k in GOAL_FIELDS if k not in DOCUMENT_CONTEXT}}

"""The SQLite schema of a finsam store, described column by column.

This module is the single source of the schema: `normalized.store` creates tables from it, `finsam schema`
prints it and docs/schema.md is generated from it, and the descriptions double as Datasette metadata so
analysts browsing the store see what every column means.
"""

from __future__ import annotations

from dataclasses import dataclass

from normalized.migrations import latest

# The version of the schema described here; stores record theirs (normalized.migrations).
SCHEMA_VERSION = latest()


@dataclass(frozen=True)
class ColumnDef:
    name: str
    type: str  # SQLite type: TEXT, INTEGER, REAL
    description: str
    primary_key: bool = False
    not_null: bool = False
    references: str | None = None  # "table(column)"


@dataclass(frozen=True)
class TableDef:
    name: str
    description: str
    columns: tuple[ColumnDef, ...]
    indexes: tuple[tuple[str, ...], ...] = ()


C = ColumnDef

TABLES: tuple[TableDef, ...] = (
    TableDef(
        "documents",
        "One row per ingested report (each distinct file content). A corrected version of a report "
        "supersedes the older one: both stay, the old one points to the new one in superseded_by.",
        (
            C("id", "INTEGER", "Document id.", primary_key=True),
            C(
                "sha256",
                "TEXT",
                "SHA-256 of the file bytes; the same bytes are never ingested twice.",
                not_null=True,
            ),
            C("source_path", "TEXT", "Path the file was ingested from."),
            C("source_name", "TEXT", "File name."),
            C("source_kind", "TEXT", "How the text was read: text, pdf_text, pdf_ocr or image_ocr."),
            C("size_bytes", "INTEGER", "File size in bytes."),
            C("pages", "INTEGER", "Number of pages (a text file without form feeds is one page)."),
            C("federation", "TEXT", "The federation's full name as the report prints it."),
            C(
                "doc_type",
                "TEXT",
                "arsredovisning (annual report), verksamhetsplan (plan and budget) or "
                "delarsrapport (interim report).",
            ),
            C("fiscal_year", "INTEGER", "The year the report is about."),
            C("period_start", "TEXT", "First day of the period covered (ISO date)."),
            C("period_end", "TEXT", "Last day of the period covered (ISO date)."),
            C("mangled_pages", "INTEGER", "Pages whose text looked like an English-model OCR of Swedish."),
            C(
                "superseded_by",
                "INTEGER",
                "Id of the newer document for the same federation, type and period "
                "that replaces this one; NULL for the current version.",
                references="documents(id)",
            ),
            C("ingested_at", "TEXT", "UTC time of ingestion (ISO 8601)."),
            C("finsam_version", "TEXT", "finsam version that wrote the row."),
            C("warnings", "TEXT", "JSON list of non-fatal problems met while reading."),
            C(
                "failed_pages",
                "TEXT",
                "JSON list of the pages that could not be read (a damaged page): the document is partial, "
                "stored with its other pages. NULL when every page was read.",
            ),
            C(
                "federation_id",
                "INTEGER",
                "The federation the report is by, across the spellings reports print (see federations); "
                "NULL when its name tells no federation apart.",
                references="federations(id)",
            ),
        ),
        indexes=(("sha256",), ("federation", "doc_type", "fiscal_year"), ("federation_id",)),
    ),
    TableDef(
        "members",
        "Member organisations of the federation as listed by the report.",
        (
            C("document_id", "INTEGER", "Document.", references="documents(id)", not_null=True),
            C("position", "INTEGER", "Order in the report's list."),
            C("name", "TEXT", "Member name, e.g. 'Huddinge kommun', 'Försäkringskassan'."),
        ),
        indexes=(("document_id",),),
    ),
    TableDef(
        "federations",
        "The federations as entities: one row per federation, whichever way its reports spell its name "
        "(normalized.federations matches them; `finsam federations` lists them).",
        (
            C("id", "INTEGER", "Federation id.", primary_key=True),
            C(
                "name",
                "TEXT",
                "The federation's name: as an alias file names it, else as its first report printed it.",
                not_null=True,
            ),
            C(
                "key",
                "TEXT",
                "The name folded to the words that tell federations apart, sorted "
                "('botkyrka huddinge salem' for 'Samordningsförbundet Botkyrka, Huddinge och Salem').",
                not_null=True,
            ),
            C("created_at", "TEXT", "UTC time the federation was first stored (ISO 8601)."),
        ),
        indexes=(("key",),),
    ),
    TableDef(
        "federation_aliases",
        "Every name a federation is known by: each spelling a report printed, and each name an alias file "
        "gave it, with how it was matched and which federations it was kept apart from.",
        (
            C("federation_id", "INTEGER", "Federation.", references="federations(id)", not_null=True),
            C("alias", "TEXT", "The name as a report printed it or an alias file wrote it.", not_null=True),
            C(
                "key",
                "TEXT",
                "The name folded as federations.key; one key stands for one federation.",
                not_null=True,
            ),
            C("source", "TEXT", "auto (matched when a report was stored) or file (an alias file said so)."),
            C(
                "evidence",
                "TEXT",
                "How the name was joined to the federation: new (it founded it), exact (same key), name "
                "(rapidfuzz), initials or members (an abbreviation against the member kommuner), "
                "initials+members, or alias (an alias file).",
            ),
            C("score", "REAL", "The match's score (0-100) where one was computed, else NULL."),
            C(
                "kept_apart",
                "TEXT",
                "JSON list of the federations the name may also stand for and was not merged with "
                "({federation_id, name, score, evidence}); NULL when the match was clear. "
                "`finsam federations` warns of them.",
            ),
            C("created_at", "TEXT", "UTC time the name was recorded (ISO 8601)."),
        ),
        indexes=(("key",), ("federation_id",)),
    ),
    TableDef(
        "pages",
        "The text of every page; searchable through the pages_fts full-text index.",
        (
            C("document_id", "INTEGER", "Document.", references="documents(id)", not_null=True),
            C("page", "INTEGER", "Page number, from 1."),
            C("text", "TEXT", "Page text after repair; table cells separated by tabs."),
            C("raw_text", "TEXT", "Page text as read, when repair changed it (else NULL)."),
            C("text_source", "TEXT", "text, pdf_text or ocr."),
            C("mangled", "INTEGER", "1 when the text read looked like an English-model OCR of Swedish."),
            C("mangle_score", "REAL", "Share of words that looked OCR-damaged."),
            C("ocr_confidence", "REAL", "Mean Tesseract word confidence (0-100) for OCR'd pages."),
            C("repaired_words", "INTEGER", "Words changed by OCR repair."),
            C(
                "words",
                "TEXT",
                "JSON list of words with boxes [text, x0, x1, top, bottom, conf] in PDF points "
                "(NULL for text input).",
            ),
        ),
        indexes=(("document_id", "page"),),
    ),
    TableDef(
        "failures",
        "Files that could not be ingested, with the reason. Cleared when the file later ingests.",
        (
            C("sha256", "TEXT", "SHA-256 of the file bytes (NULL when the file could not be read at all)."),
            C("source_path", "TEXT", "Path of the file."),
            C(
                "error_kind",
                "TEXT",
                "empty, unreadable, unsupported, corrupt_pdf, encrypted_pdf, no_text, too_large, "
                "not_a_report, missing_dependency or internal.",
            ),
            C("message", "TEXT", "One-line reason."),
            C("failed_at", "TEXT", "UTC time (ISO 8601)."),
        ),
        indexes=(("source_path",),),
    ),
    TableDef(
        "tables",
        "Tables found in the documents: statements, notes, budgets, outcomes, goals, participants.",
        (
            C("id", "INTEGER", "Table id.", primary_key=True),
            C("document_id", "INTEGER", "Document.", references="documents(id)", not_null=True),
            C("seq", "INTEGER", "Order of the table in the document."),
            C("table_key", "TEXT", "Short id unique in the document (e.g. 'resultatrakning', 'not_2')."),
            C(
                "kind",
                "TEXT",
                "resultatrakning, balansrakning, kassaflodesanalys, note, budget, budget_outcome, "
                "member_contributions, goals, participants, survey or other.",
            ),
            C("title", "TEXT", "Title as printed."),
            C("note_number", "INTEGER", "N for a 'Not N' table."),
            C("unit", "TEXT", "Unit of the values as printed: kr, tkr, mkr, count, percent or mixed."),
            C("page", "INTEGER", "First page of the table."),
            C("page_end", "INTEGER", "Last page (tables continue across pages)."),
            C(
                "uncertain",
                "TEXT",
                "JSON list of reasons the columns cannot be trusted (a header unread, two columns that read "
                "alike); NULL when they can. `finsam check` warns of them.",
            ),
        ),
        indexes=(("document_id",), ("kind",)),
    ),
    TableDef(
        "table_columns",
        "Columns of each table, with their role and year.",
        (
            C("table_id", "INTEGER", "Table.", references="tables(id)", not_null=True),
            C("position", "INTEGER", "Column order, from 0."),
            C("key", "TEXT", "Column key, unique within the table (used in cells.column_key)."),
            C("header", "TEXT", "Header as printed."),
            C(
                "role",
                "TEXT",
                "actual (utfall), budget, forecast (prognos), variance (avvikelse), share (andel), "
                "opening (ingående), change (förändring/period), closing (utgående), target (mål), result, count, other.",
            ),
            C("year", "INTEGER", "Fiscal year the column refers to."),
            C("period_start", "TEXT", "Start of the period the column covers, when stated (ISO date)."),
            C("period_end", "TEXT", "End of that period."),
            C("unit", "TEXT", "The column's own unit when it differs from the table's."),
        ),
        indexes=(("table_id",),),
    ),
    TableDef(
        "table_rows",
        "Rows of each table.",
        (
            C("id", "INTEGER", "Row id.", primary_key=True),
            C("table_id", "INTEGER", "Table.", references="tables(id)", not_null=True),
            C("document_id", "INTEGER", "Document.", references="documents(id)", not_null=True),
            C("position", "INTEGER", "Row order, from 0."),
            C("label", "TEXT", "Label, cleaned: lines joined, footnote marks stripped, OCR repaired."),
            C(
                "label_raw",
                "TEXT",
                "Label as printed (on mangled pages after word repair; see pages.raw_text).",
            ),
            C(
                "canonical",
                "TEXT",
                "Key in the canonical vocabulary (see vocabulary table), NULL when unknown.",
            ),
            C("is_total", "INTEGER", "1 for Summa/Totalt/S:a rows."),
            C("level", "INTEGER", "Hierarchy depth: 0 top level, 1 sub-row, …"),
            C("parent_position", "INTEGER", "Position of the heading row this row stands under."),
            C("section", "TEXT", "Sub-heading the row stands under (e.g. 'Kortfristiga skulder')."),
            C("note_ref", "INTEGER", "Note number referenced in the statement's Not column."),
            C("page", "INTEGER", "Page of the row."),
        ),
        indexes=(("table_id",), ("canonical",)),
    ),
    TableDef(
        "cells",
        "Every numeric cell: one row per table row and column.",
        (
            C("row_id", "INTEGER", "Row.", references="table_rows(id)", not_null=True),
            C("table_id", "INTEGER", "Table.", references="tables(id)", not_null=True),
            C("document_id", "INTEGER", "Document.", references="documents(id)", not_null=True),
            C("column_key", "TEXT", "Column key (table_columns.key)."),
            C("raw", "TEXT", "Cell text exactly as read from the page."),
            C(
                "value",
                "REAL",
                "Number in the table's unit as printed (tkr stay tkr); NULL when not a number.",
            ),
            C("value_kr", "REAL", "The value in kronor (NULL for counts, percentages and unknown units)."),
            C("repaired", "INTEGER", "1 when the reading differs from the raw text (OCR number repair)."),
            C("uncertain", "INTEGER", "1 when the reading could not be confirmed by totals or identities."),
            C(
                "confidence",
                "REAL",
                "OCR: the least Tesseract confidence (0-100) of the cell's words; NULL on a text layer.",
            ),
        ),
        indexes=(("row_id",), ("table_id",), ("document_id",)),
    ),
    TableDef(
        "goals",
        "Goals (mål) with their targets, results and fulfilment.",
        (
            C("document_id", "INTEGER", "Document.", references="documents(id)", not_null=True),
            C("position", "INTEGER", "Order in the document."),
            C("insats", "TEXT", "The activity (insats) or section the goal belongs to."),
            C("section", "TEXT", "Section heading or number."),
            C("goal", "TEXT", "Goal text as printed."),
            C("target_value", "REAL", "Numeric target (30 for 'Minst 30 %')."),
            C("target_unit", "TEXT", "percent, count, kr, tkr or NULL."),
            C("result", "TEXT", "Result as printed."),
            C("result_value", "REAL", "Numeric result."),
            C("fulfilment", "TEXT", "Måluppfyllelse as printed (God, Godtagbart, Mycket god, …)."),
            C("page", "INTEGER", "Page."),
        ),
        indexes=(("document_id",),),
    ),
    TableDef(
        "findings",
        "Cross-check results: totals that do not add up, statements that disagree with notes, and so on.",
        (
            C(
                "document_id",
                "INTEGER",
                "Document (NULL for findings across documents).",
                references="documents(id)",
            ),
            C(
                "other_document_id",
                "INTEGER",
                "The other document, for findings across documents.",
                references="documents(id)",
            ),
            C(
                "rule",
                "TEXT",
                "column_sum, row_arithmetic, statement_identity, note_tie_out, cross_table, percent, "
                "sign, member_shares, restatement, revised_budget, …",
            ),
            C("severity", "TEXT", "error, warning or info."),
            C("table_title", "TEXT", "Title of the table."),
            C("table_key", "TEXT", "Table key (tables.table_key)."),
            C("row", "TEXT", "Row label."),
            C("column", "TEXT", "Column key."),
            C("stated", "REAL", "The figure as printed."),
            C("expected", "REAL", "The figure the check computes."),
            C("difference", "REAL", "stated − expected."),
            C("page", "INTEGER", "Page to look at."),
            C("message", "TEXT", "Readable explanation."),
        ),
        indexes=(("document_id",), ("severity",)),
    ),
)

TABLES_BY_NAME = {t.name: t for t in TABLES}

# Views for analysts: one SQL statement answers "what did Huddinge kommun pay in 2017, per report".
VIEWS: dict[str, tuple[str, str]] = {
    "facts": (
        "Every cell with its document, table, row and column context: the table analysts query.",
        """
        SELECT d.id AS document_id, d.federation, d.federation_id, d.doc_type, d.fiscal_year, d.source_name,
               d.superseded_by IS NULL AS is_current,
               t.id AS table_id, t.kind AS table_kind, t.title AS table_title, t.note_number, t.unit,
               r.label, r.canonical, r.is_total, r.section,
               tc.key AS column_key, tc.header AS column_header, tc.role AS column_role, tc.year AS column_year,
               c.raw, c.value, c.value_kr, c.repaired, c.uncertain, r.page
        FROM cells c
        JOIN table_rows r ON r.id = c.row_id
        JOIN tables t ON t.id = c.table_id
        JOIN documents d ON d.id = c.document_id
        LEFT JOIN table_columns tc ON tc.table_id = c.table_id AND tc.key = c.column_key
        """,
    ),
    "current_documents": (
        "Documents not superseded by a corrected version.",
        "SELECT * FROM documents WHERE superseded_by IS NULL",
    ),
    "document_findings": (
        "Every finding with its document's federation (by its name in federations), year and type, so "
        "findings can be narrowed by them (the facets `finsam serve` shows).",
        """
        SELECT f.document_id, f.other_document_id, d.federation_id,
               coalesce(fed.name, d.federation) AS federation_name, d.fiscal_year, d.doc_type,
               d.superseded_by IS NULL AS is_current, d.source_name,
               f.rule, f.severity, f.table_title, f.table_key, f.row, f.[column],
               f.stated, f.expected, f.difference, f.page, f.message
        FROM findings f
        LEFT JOIN documents d ON d.id = f.document_id
        LEFT JOIN federations fed ON fed.id = d.federation_id
        """,
    ),
}


def create_table_sql(t: TableDef) -> str:
    """The CREATE TABLE statement of one table (a migration adding a table creates it with this)."""
    cols = []
    for c in t.columns:
        spec = f"[{c.name}] {c.type}"
        if c.primary_key:
            spec += " PRIMARY KEY"
        if c.not_null:
            spec += " NOT NULL"
        if c.references:
            spec += f" REFERENCES {c.references}"
        cols.append(spec)
    return f"CREATE TABLE IF NOT EXISTS [{t.name}] (\n  " + ",\n  ".join(cols) + "\n)"


def create_sql() -> list[str]:
    """CREATE statements for every table, index, view and the page full-text index."""
    statements = []
    for t in TABLES:
        statements.append(create_table_sql(t))
        for idx in t.indexes:
            name = f"idx_{t.name}_{'_'.join(idx)}"
            statements.append(
                f"CREATE INDEX IF NOT EXISTS [{name}] ON [{t.name}] ({', '.join(f'[{c}]' for c in idx)})"
            )
    statements += [create_view_sql(name) for name in VIEWS]
    return statements


def create_view_sql(name: str) -> str:
    """The CREATE VIEW statement of one view (a migration adding a view creates it with this)."""
    return f"CREATE VIEW IF NOT EXISTS [{name}] AS {VIEWS[name][1].strip()}"


def datasette_metadata(database: str = "finsam") -> dict:
    """Table and column descriptions in Datasette's metadata.json shape."""
    tables = {
        t.name: {"description": t.description, "columns": {c.name: c.description for c in t.columns}}
        for t in TABLES
    }
    for name, (description, _) in VIEWS.items():
        tables[name] = {"description": description}
    return {"title": "finsam", "databases": {database: {"tables": tables}}}


def schema_markdown() -> str:
    """docs/schema.md: the schema for analysts."""
    out = [
        "# The finsam store",
        "",
        "A finsam database is one SQLite file. This page is generated from `normalized/schema.py` "
        "(`finsam schema --markdown`), so it always matches the code.",
        "",
        "Values are kept in the unit the report prints (`cells.value`, tkr stay tkr) and also in kronor "
        "(`cells.value_kr`). Search page text with the FTS5 index: "
        "`SELECT document_id, page FROM pages_fts WHERE pages_fts MATCH 'medlemsavgift'`.",
        "",
        "Example: what did Huddinge kommun pay, according to every report that states it?",
        "",
        "```sql",
        "SELECT federation, fiscal_year, doc_type, table_title, column_header, column_role, column_year, value, unit",
        "FROM facts WHERE canonical = 'member_contribution_municipality:huddinge' ORDER BY column_year;",
        "```",
        "",
    ]
    for t in TABLES:
        out += [f"## {t.name}", "", t.description, "", "| column | type | meaning |", "|---|---|---|"]
        for c in t.columns:
            out.append(f"| {c.name} | {c.type} | {c.description} |")
        out.append("")
    for name, (description, sql) in VIEWS.items():
        out += [f"## view {name}", "", description, "", "```sql", " ".join(sql.split()), "```", ""]
    return "\n".join(out)

"""extractor/: find structure in parsed pages — metadata, tables, goals. Knows layout and Swedish report
conventions, nothing about SQL. The entry point is `extract(doc)`."""

from __future__ import annotations

from finsam.model import DocumentMeta, Extraction, ParsedDocument


def extract(doc: ParsedDocument, meta: DocumentMeta | None = None) -> Extraction:
    """Read metadata, tables and goals out of one parsed document; with `meta`, the document's metadata
    read already (a long document's window is read under the metadata of its first pages)."""
    from extractor.certainty import mark_uncertain
    from extractor.goal_records import with_goal_tables
    from extractor.goals import extract_goals
    from extractor.metadata import extract_metadata
    from extractor.tables import extract_tables
    from finsam.model import Table

    meta = meta if meta is not None else extract_metadata(doc)
    tables = extract_tables(doc, meta)  # the metadata once: tables read the fiscal year from it
    goal_tables: list[Table] = []
    goals = extract_goals(doc, tables, meta, goal_tables)
    tables = with_goal_tables(tables, goal_tables)
    mark_uncertain(tables, meta)
    return Extraction(meta=meta, tables=tables, goals=goals)

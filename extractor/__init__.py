"""extractor/: find structure in parsed pages — metadata, tables, goals. Knows layout and Swedish report
conventions, nothing about SQL. The entry point is `extract(doc)`."""

from __future__ import annotations

from finsam.model import Extraction, ParsedDocument


def extract(doc: ParsedDocument) -> Extraction:
    """Read metadata, tables and goals out of one parsed document."""
    from extractor.certainty import mark_uncertain
    from extractor.goals import extract_goals
    from extractor.metadata import extract_metadata
    from extractor.tables import extract_tables

    meta = extract_metadata(doc)
    tables = extract_tables(doc, meta)  # the metadata once: tables read the fiscal year from it
    mark_uncertain(tables, meta)
    goals = extract_goals(doc, tables, meta)
    return Extraction(meta=meta, tables=tables, goals=goals)

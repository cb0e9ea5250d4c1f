"""The finsam store: one SQLite file (sqlite-utils) holding documents, pages, tables, goals and findings.

`Store` (database.py) opens a store, checking first that the path can be one, and brings its schema up to
date (normalized.migrations); what it writes is in writing.py, what it reads back in reading.py. Every
document is written in one transaction, so an interrupted batch leaves only whole documents behind and a
re-run resumes where it stopped. Reading back (`document_export`) gives the export contract shape.
"""

from normalized.store.database import Store

__all__ = ["Store"]

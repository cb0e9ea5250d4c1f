"""The Datasette plugin `finsam serve` registers: links from a finding (or any row that names a document and
a page) to the document and to that page's text, a short line for the word boxes of a page, and the
casefold() the canned queries compare names with. It acts only on databases whose metadata names them
finsam stores (normalized.web.config.metadata).
"""

from __future__ import annotations

import json
import sqlite3

from datasette import hookimpl
from markupsafe import Markup, escape

from normalized.schema import VIEWS
from normalized.web.config import PLUGIN


def _casefold(text):
    return text.casefold() if isinstance(text, str) else text


@hookimpl
def prepare_connection(conn: sqlite3.Connection) -> None:
    conn.create_function("casefold", 1, _casefold, deterministic=True)


def page_document_column(column: str) -> str | None:
    """The column naming the document whose page `column` is: `document_id` for `page`, and
    `from_document_id` for `from_page` (the year diff's two sides)."""
    if column == "page":
        return "document_id"
    if column.endswith("_page"):
        return column[: -len("page")] + "document_id"
    return None


def _is_document_column(column: str) -> bool:
    return column == "document_id" or column.endswith("_document_id")


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if value is None or not datasette.plugin_config(PLUGIN, database=database):
        return None
    if table == "pages":
        if column == "words" and isinstance(value, str):
            return f"{len(json.loads(value))} words with their boxes (in the row's JSON)"
        return None
    document_column = page_document_column(column)
    if document_column and document_column in row.keys() and isinstance(value, int):
        document_id = row[document_column]
        if isinstance(document_id, dict):  # a reference Datasette has labelled: {"value": 3, "label": …}
            document_id = document_id.get("value")
        if isinstance(document_id, int):
            return _page_link(datasette, database, document_id, value)
    # a table's own references are linked by Datasette from the schema; views and queries have none
    if (table is None or table in VIEWS) and _is_document_column(column) and isinstance(value, int):
        href = datasette.urls.row(database, "documents", value)
        return Markup(f'<a href="{escape(href)}" title="the document">{value}</a>')
    return None


def _page_link(datasette, database: str, document_id: int, page: int):
    async def link():
        found = await datasette.get_database(database).execute(
            "SELECT rowid FROM pages WHERE document_id = ? AND page = ?", [document_id, page]
        )
        row = found.first()
        if row is None:
            return None
        href = datasette.urls.row(database, "pages", str(row[0]))
        return Markup(f'<a href="{escape(href)}" title="the text of page {page}">{page}</a>')

    return link

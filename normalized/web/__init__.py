"""The store in the browser, on Datasette (`finsam serve`): what is shown, as data (normalized.web.config:
descriptions, facets, canned queries, the chart of a series), the plugin that links findings to their
documents and pages (normalized.web.plugin), the serving (normalized.web.server), and a real browser's
check that the findings page and the chart render (normalized.web.screenshot, `python -m` it). Datasette
is the optional extra `finsam[web]`; nothing here imports it until a store is served.

    from normalized.web import datasette_app, prepare_store
    prepare_store(path)                  # a finsam store, up to date, nothing writing it
    ds = datasette_app(path)             # immutable; ds.client.get("/finsam/findings.json") in a test
"""

from normalized.web.config import QUERIES, metadata
from normalized.web.server import (
    WEB_EXTRA,
    database_name,
    datasette_app,
    prepare_store,
    require_web_extra,
    serve,
)

__all__ = [
    "QUERIES",
    "WEB_EXTRA",
    "database_name",
    "datasette_app",
    "metadata",
    "prepare_store",
    "require_web_extra",
    "serve",
]

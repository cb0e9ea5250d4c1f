"""The documented schema is the schema: docs/schema.md is generated and every column is described."""

from pathlib import Path

from normalized.schema import TABLES, datasette_metadata, schema_markdown
from normalized.store import Store

DOCS = Path(__file__).resolve().parents[2] / "docs" / "schema.md"


def test_docs_schema_is_generated_from_code():
    assert DOCS.read_text(encoding="utf-8").strip() == schema_markdown().strip(), (
        "docs/schema.md is stale: run `finsam schema --markdown > docs/schema.md`"
    )


def test_store_tables_match_the_definitions(tmp_path):
    store = Store(tmp_path / "s.db")
    for t in TABLES:
        assert [c.name for c in store.db[t.name].columns] == [c.name for c in t.columns]
        assert all(c.description for c in t.columns)
    assert "pages_fts" in store.db.table_names()
    assert set(store.db.view_names()) >= {"facts", "current_documents"}
    meta = datasette_metadata()["databases"]["finsam"]["tables"]
    assert meta["cells"]["columns"]["value_kr"]

"""`finsam import`: an export read back into a store gives the export it came from, document by document;
what the store holds already is skipped, and a file or document that is no export fails alone."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from finsam.cli import cli
from normalized.store import Store
from normalized.store.importing import import_export


def comparable(export: dict) -> list[dict]:
    """The export's documents with the store's own numbering (document and federation ids) replaced by
    what does not depend on the store: a document by its bytes, a federation by its name."""
    sha = {d["id"]: d["sha256"] for d in export["documents"]}
    out = []
    for d in export["documents"]:
        d = {k: v for k, v in d.items() if k not in ("id", "federation_id")}
        d["superseded_by"] = sha.get(d["superseded_by"])
        d["findings"] = [{**f, "other_document_id": sha.get(f["other_document_id"])} for f in d["findings"]]
        out.append(d)
    return out


@pytest.fixture(scope="module")
def analyst_store(analyst_db, tmp_path_factory, corpus_texts) -> Path:
    """The analysts' store with a corrected 003 after the first: a document superseded by another."""
    from finsam.pipeline import IngestOptions, ingest

    path = tmp_path_factory.mktemp("import") / "finsam.db"
    with sqlite3.connect(analyst_db) as source, sqlite3.connect(path) as target:
        source.backup(target)
    text = corpus_texts["003"].read_text(encoding="utf-8")
    corrected = path.parent / "003_corrected.txt"
    corrected.write_text(text.replace("Samordningsförbundet", "Samordningsförbundet ", 1), encoding="utf-8")
    assert [o.status for o in ingest([corrected], path, IngestOptions(jobs=1))] == ["ingested"]
    return path


@pytest.mark.parametrize("with_text", [True, False])
def test_an_export_imported_into_a_fresh_store_exports_the_same(analyst_store, tmp_path, with_text):
    original = Store(analyst_store, create=False, readonly=True).export(with_text=with_text)
    assert len(original["documents"]) >= 10
    assert any(d["superseded_by"] for d in original["documents"])
    assert any(f["other_document_id"] for d in original["documents"] for f in d["findings"])
    store = Store(tmp_path / "copy.db")
    outcomes = import_export(store, json.loads(json.dumps(original)))
    assert [o.status for o in outcomes] == ["imported"] * len(original["documents"])
    from finsam.pipeline import refresh_cross_document_findings

    refresh_cross_document_findings(store)
    assert comparable(store.export(with_text=with_text)) == comparable(original)


def test_import_skips_what_is_stored_and_fails_what_is_no_export(tmp_path, corpus_texts):
    runner = CliRunner()
    db, copy = tmp_path / "a.db", tmp_path / "b.db"
    files = [str(corpus_texts[n]) for n in ("001", "003", "004")]
    assert runner.invoke(cli, ["ingest", *files, "--db", str(db), "-q"]).exit_code == 0
    export = Store(db).export(with_text=True)
    good = tmp_path / "export.json"
    good.write_text(json.dumps(export), encoding="utf-8")
    broken = dict(export["documents"][1], sha256=None)
    mixed = tmp_path / "mixed.json"
    mixed.write_text(json.dumps({"documents": [export["documents"][0], broken, "junk"]}), encoding="utf-8")
    (tmp_path / "notes.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "list.json").write_text("[1, 2]", encoding="utf-8")
    args = [
        "import",
        str(mixed),
        str(tmp_path / "notes.json"),
        str(tmp_path / "list.json"),
        "--db",
        str(copy),
    ]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert "1 imported, 0 skipped, 4 failed" in result.output
    assert "document 2" not in result.output and "no sha256 of its bytes" in result.output
    assert (
        "notes.json: not JSON (Expecting property name enclosed in double quotes at line 1)" in result.output
    )
    assert 'list.json: not a finsam export: no "documents" list' in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(cli, ["import", str(good), "--db", str(copy), "-q"])
    assert result.exit_code == 0 and "2 imported, 1 skipped, 0 failed" in result.output
    assert comparable(Store(copy).export(with_text=True)) == comparable(export)


def test_a_write_error_while_a_document_is_imported_leaves_the_store_as_it_was(
    tmp_path, corpus_texts, monkeypatch
):
    db = tmp_path / "a.db"
    runner = CliRunner()
    files = [str(corpus_texts[n]) for n in ("001", "003")]
    assert runner.invoke(cli, ["ingest", *files, "--db", str(db), "-q"]).exit_code == 0
    export = Store(db).export(with_text=True)
    copy = Store(tmp_path / "b.db")
    real = Store._write_tables
    calls = []

    def failing(self, doc_id, extraction):
        calls.append(doc_id)
        if len(calls) == 2:
            raise sqlite3.OperationalError("database or disk is full")
        return real(self, doc_id, extraction)

    monkeypatch.setattr(Store, "_write_tables", failing)
    outcomes = import_export(copy, export)
    assert [o.status for o in outcomes] == ["imported", "failed"]
    assert outcomes[1].message == "could not store: OperationalError: database or disk is full"
    count = copy.db.execute("SELECT count(*) FROM documents").fetchone()[0]
    pages = copy.db.execute("SELECT count(DISTINCT document_id) FROM pages").fetchone()[0]
    assert count == pages == 1
    monkeypatch.setattr(Store, "_write_tables", real)
    assert [o.status for o in import_export(copy, export)] == ["skipped", "imported"]

"""End-to-end ingest through the CLI: the corpus, idempotent re-runs, corrected versions, bad input."""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from finsam.cli import cli
from normalized.store import Store


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory, corpus_dir):
    db = tmp_path_factory.mktemp("corpus") / "finsam.db"
    result = run("ingest", str(corpus_dir), "--db", str(db), "--jobs", "2", "--quiet")
    assert result.exit_code == 0, result.output
    return db


def test_corpus_lands_with_metadata(corpus_db, corpus_meta):
    store = Store(corpus_db)
    docs = {d["source_name"][:3]: d for d in store.documents()}
    assert sorted(docs) == sorted(corpus_meta)
    for number, (federation, doc_type, year, start, end) in corpus_meta.items():
        d = docs[number]
        assert (d["federation"], d["doc_type"], d["fiscal_year"]) == (federation, doc_type, year), number
        assert (d["period_start"], d["period_end"]) == (start, end), number
        assert d["source_kind"] == "text"
        assert d["superseded_by"] is None
    # 002 is an English-model OCR: recognised as such, page by page
    assert docs["002"]["mangled_pages"] >= 1
    assert docs["003"]["mangled_pages"] == 0


def test_members_and_full_text_search(corpus_db):
    store = Store(corpus_db)
    members = [
        r["name"]
        for r in store.db.query(
            "SELECT m.name FROM members m JOIN documents d ON d.id = m.document_id WHERE d.source_name LIKE '003%'"
        )
    ]
    assert "Haninge kommun" in members and "Försäkringskassan" in members
    hits = list(
        store.db.query(
            "SELECT d.source_name FROM pages_fts JOIN pages p ON p.rowid = pages_fts.rowid "
            "JOIN documents d ON d.id = p.document_id WHERE pages_fts MATCH 'Nynäshamns'"
        )
    )
    assert {h["source_name"][:3] for h in hits} == {"003"}


def test_export_contract_shape(corpus_db):
    result = run("export", "--db", str(corpus_db), "--format", "json", "--with-text")
    data = json.loads(result.output)
    doc = next(d for d in data["documents"] if d["source"].startswith("003"))
    for key in (
        "source",
        "sha256",
        "source_kind",
        "pages",
        "federation",
        "doc_type",
        "fiscal_year",
        "period_start",
        "period_end",
        "members",
        "tables",
        "goals",
        "findings",
        "text",
    ):
        assert key in doc
    assert doc["text"][0]["page"] == 1 and "Östra Södertörn" in doc["text"][0]["text"]


def test_rerun_skips_and_force_replaces(corpus_db, corpus_dir):
    again = run("ingest", str(corpus_dir), "--db", str(corpus_db), "--quiet")
    assert again.exit_code == 0
    assert "0 ingested, 7 skipped, 0 failed" in again.output
    one = str(corpus_dir / sorted(p.name for p in corpus_dir.glob("001_*.txt"))[0])
    ids_before = {d["source_name"]: d["id"] for d in Store(corpus_db).documents()}
    forced = run("ingest", one, "--db", str(corpus_db), "--force", "--quiet")
    assert forced.exit_code == 0 and "1 ingested" in forced.output
    docs = Store(corpus_db).documents()
    assert len(docs) == 7
    new_id = next(d["id"] for d in docs if d["source_name"].startswith("001"))
    assert new_id != ids_before[next(n for n in ids_before if n.startswith("001"))]


def test_corrected_version_supersedes_the_old(tmp_path, corpus_texts, db_path):
    original = corpus_texts["003"]
    corrected = tmp_path / "003_corrected.txt"
    corrected.write_text(
        original.read_text(encoding="utf-8").replace("18 064 870", "18 064 871"), encoding="utf-8"
    )
    assert run("ingest", str(original), "--db", str(db_path), "-q").exit_code == 0
    result = run("ingest", str(corrected), "--db", str(db_path), "-q")
    assert result.exit_code == 0
    assert "supersedes" in result.output
    data = json.loads(run("export", "--db", str(db_path)).output)
    by_source = {d["source"]: d for d in data["documents"]}
    assert by_source[original.name]["superseded_by"] == by_source["003_corrected.txt"]["id"]
    assert by_source["003_corrected.txt"]["superseded_by"] is None


def _pdf_bytes(text: str = "Hello", encrypt: str | None = None) -> bytes:
    import io

    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=encrypt)
    c.drawString(72, 720, text)
    c.showPage()
    c.save()
    return buf.getvalue()


@pytest.fixture
def bad_inputs(tmp_path, corpus_texts):
    from PIL import Image

    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "empty.txt").write_bytes(b"")
    full = _pdf_bytes("Samordningsförbundet Test årsredovisning 2018")
    (folder / "truncated.pdf").write_bytes(full[: len(full) // 2])
    (folder / "encrypted.pdf").write_bytes(_pdf_bytes("Samordningsförbundet", encrypt="secret"))
    (folder / "page.pdf").write_bytes(b"<!DOCTYPE html><html><body><p>Not a PDF</p></body></html>\n")
    (folder / "junk.txt").write_bytes(random.Random(7).randbytes(8192))
    Image.new("L", (400, 300), 255).save(folder / "blank.png")
    (folder / "recipe.txt").write_text(
        "Kanelbullar\n\nBlanda mjöl, socker och smör. Låt degen jäsa i trettio minuter.\n" * 20,
        encoding="utf-8",
    )
    shutil.copy(corpus_texts["003"], folder / "good.txt")
    return folder


BAD_FILES = [
    "empty.pdf",
    "empty.txt",
    "truncated.pdf",
    "encrypted.pdf",
    "page.pdf",
    "junk.txt",
    "blank.png",
    "recipe.txt",
]


def test_bad_input_fails_one_line_each_and_batch_goes_on(bad_inputs, db_path):
    result = run("ingest", str(bad_inputs), "--db", str(db_path), "--jobs", "2", "-q")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "1 ingested, 0 skipped, 8 failed" in result.output
    failed_lines = [line for line in result.output.splitlines() if line.strip().startswith("failed:")]
    for name in BAD_FILES:
        lines = [line for line in failed_lines if f"{name}:" in line]
        assert len(lines) == 1, (name, result.output)
        assert len(lines[0]) < 400
    store = Store(db_path)
    kinds = {f["source_path"].rsplit("/", 1)[-1]: f["error_kind"] for f in store.failures()}
    assert kinds["empty.pdf"] == "empty" and kinds["empty.txt"] == "empty"
    assert kinds["encrypted.pdf"] == "encrypted_pdf"
    assert kinds["truncated.pdf"] == "corrupt_pdf"
    assert kinds["recipe.txt"] == "not_a_report"
    assert kinds["blank.png"] == "no_text"
    assert kinds["junk.txt"] in ("unreadable", "unsupported")
    assert kinds["page.pdf"] in ("unsupported", "not_a_report", "corrupt_pdf")
    assert all(k != "internal" for k in kinds.values())
    assert [d["source_name"] for d in store.documents()] == ["good.txt"]


def test_failed_write_leaves_no_half_document(db_path, corpus_texts, monkeypatch):
    from finsam.pipeline import IngestOptions, ingest

    def broken(self, doc_id, extraction):
        self.db["tables"].insert({"document_id": doc_id, "kind": "x"})
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Store, "_write_tables", broken)
    outcomes = ingest([corpus_texts["003"]], db_path, IngestOptions(jobs=1))
    assert outcomes[0].status == "failed" and "disk on fire" in outcomes[0].message
    con = sqlite3.connect(db_path)
    for table in ("documents", "pages", "tables", "table_rows", "cells", "members"):
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table
    assert con.execute("SELECT count(*) FROM failures").fetchone()[0] == 1


def test_killed_batch_is_consistent_and_resumes(tmp_path, corpus_texts, db_path):
    folder = tmp_path / "many"
    folder.mkdir()
    text = corpus_texts["003"].read_text(encoding="utf-8")
    for i in range(12):  # distinct bytes, each a report of its own year
        (folder / f"r{i:02d}.txt").write_text(text.replace("2016", str(1990 + i)), encoding="utf-8")
    cmd = [sys.executable, "-m", "finsam", "ingest", str(folder), "--db", str(db_path), "--jobs", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 120
    while time.time() < deadline:
        line = proc.stdout.readline()
        if line.startswith("ingested"):
            break
    proc.kill()
    proc.wait()
    con = sqlite3.connect(db_path)
    stored = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert 1 <= stored < 12
    orphans = con.execute("SELECT count(*) FROM pages WHERE document_id NOT IN (SELECT id FROM documents)")
    assert orphans.fetchone()[0] == 0
    con.close()
    resumed = run("ingest", str(folder), "--db", str(db_path), "-q")
    assert resumed.exit_code == 0
    assert f"{12 - stored} ingested, {stored} skipped, 0 failed" in resumed.output


def test_findings_across_documents(corpus_db):
    """The 2018 årsredovisning's budget against the 2018 verksamhetsplan of the same federation."""
    store = Store(corpus_db)
    ids = {d["source_name"][:3]: d["id"] for d in store.documents()}
    rows = list(store.db.query("SELECT * FROM findings WHERE other_document_id IS NOT NULL"))
    assert rows
    assert {(r["document_id"], r["other_document_id"], r["rule"], r["severity"]) for r in rows} == {
        (ids["002"], ids["001"], "revised_budget", "info")
    }
    assert any(r["row"] == "Summa kostnader" and r["expected"] == 25599 for r in rows)

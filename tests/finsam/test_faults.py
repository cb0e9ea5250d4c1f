"""Faults inside a document, met as a user meets them: Tesseract killed mid-page or missing, the disk full
while a document is written. The document fails with a one-line reason, the store is left as it was, the
rest of the batch goes on, and the next run completes."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from corpus.build import render_scan_pdf, render_text_pdf
from finsam.pipeline import IngestOptions, ingest
from normalized.store import Store

TESSERACT = shutil.which("tesseract")
needs_tesseract = pytest.mark.skipif(TESSERACT is None, reason="tesseract is not installed")


@pytest.fixture(scope="module")
def scan(tmp_path_factory, corpus_texts) -> Path:
    """A one-page scan of a report's opening."""
    folder = tmp_path_factory.mktemp("scan")
    text = "\n".join(corpus_texts["001"].read_text(encoding="utf-8").split("\n")[:25])
    return render_scan_pdf(render_text_pdf(text, folder / "001.pdf"), folder / "001.scan.pdf")


def _finsam(args: list[str], path_dirs: list[Path] | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if path_dirs is not None:
        env["PATH"] = os.pathsep.join(str(d) for d in path_dirs)
    return subprocess.run([sys.executable, "-m", "finsam", *args], env=env, capture_output=True, text=True)


def _count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as con:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


@needs_tesseract
def test_tesseract_killed_mid_page_fails_that_document_alone(tmp_path, scan, corpus_texts):
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "tesseract").write_text(  # answers what finsam asks first, then dies reading the page
        f'#!/bin/sh\ncase "$*" in *--version*|*--list-langs*) exec {TESSERACT} "$@";; esac\nkill -9 $$\n'
    )
    (fake / "tesseract").chmod(0o755)
    db, cache = tmp_path / "s.db", tmp_path / "cache"
    args = ["ingest", str(scan), str(corpus_texts["003"]), "--db", str(db), "--jobs", "1", "-q",
            "--cache-dir", str(cache)]  # fmt: skip
    run = _finsam(args, [fake, Path(sys.executable).parent, Path("/usr/bin"), Path("/bin")])
    assert run.returncode == 1, run.stderr
    failed = [ln for ln in (run.stdout + run.stderr).splitlines() if "001.scan.pdf" in ln]
    assert failed and "[ocr_failed]" in failed[0] and "killed by signal 9" in failed[0], failed
    assert "1 ingested, 0 skipped, 1 failed" in run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    again = _finsam(args)  # Tesseract back: the scan is read, the report skipped
    assert again.returncode == 0, again.stderr
    assert "1 ingested, 1 skipped, 0 failed" in again.stdout + again.stderr


def test_tesseract_missing_fails_the_scan_and_reads_the_rest(tmp_path, scan, corpus_texts):
    nothing = tmp_path / "empty-bin"
    nothing.mkdir()
    db = tmp_path / "s.db"
    args = ["ingest", str(scan), str(corpus_texts["003"]), "--db", str(db), "--jobs", "1", "-q",
            "--cache-dir", str(tmp_path / "cache")]  # fmt: skip
    run = _finsam(args, [nothing, Path(sys.executable).parent])
    out = run.stdout + run.stderr
    assert "Traceback" not in out
    assert "tesseract is not installed (Debian: apt-get install tesseract-ocr tesseract-ocr-swe)" in out
    assert _count(db, "documents") == 1  # the text report


def test_a_full_disk_while_a_document_is_written_leaves_the_store_as_it_was(
    tmp_path, corpus_texts, monkeypatch
):
    db = tmp_path / "s.db"
    ingest([corpus_texts["001"]], db, IngestOptions(jobs=1))
    before = {t: _count(db, t) for t in ("documents", "pages", "tables", "table_rows", "cells", "goals")}
    real = Store._write_tables

    def full(self, doc_id, extraction):
        real(self, doc_id, extraction)  # the tables written, then the disk fills
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Store, "_write_tables", full)
    outcomes = ingest([corpus_texts["003"], corpus_texts["004"]], db, IngestOptions(jobs=1))
    assert [o.status for o in outcomes] == ["failed", "failed"]
    assert "could not store: OperationalError: database or disk is full" in outcomes[0].message
    assert {t: _count(db, t) for t in before} == before
    monkeypatch.setattr(Store, "_write_tables", real)
    outcomes = ingest([corpus_texts["003"], corpus_texts["004"]], db, IngestOptions(jobs=1))
    assert [o.status for o in outcomes] == ["ingested", "ingested"]
    assert _count(db, "documents") == 3


def test_a_pdf_bomb_is_refused_by_a_limit_not_by_the_machine(tmp_path, corpus_texts):
    from PIL import Image

    bomb = tmp_path / "bomb.pdf"  # one image-only page 5 metres square: 1 600 million pixels at 200 dpi
    Image.new("L", (400, 400), 255).save(bomb, "PDF", resolution=2.0)
    db = tmp_path / "s.db"
    outcomes = ingest([bomb, corpus_texts["004"]], db, IngestOptions(jobs=1))
    assert [(o.status, o.error_kind) for o in outcomes] == [("failed", "too_large"), ("ingested", None)]
    assert "5080 × 5080 mm, 1600 million pixels at 200 dpi" in outcomes[0].message


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_long_document_reports_its_pages_as_they_are_read(tmp_path, corpus_texts, jobs):
    long = render_text_pdf(corpus_texts["003"].read_text(encoding="utf-8") * 2, tmp_path / "long.pdf")
    seen: list[tuple[str, int, int]] = []
    outcomes = ingest(
        [long, corpus_texts["004"]],
        tmp_path / "s.db",
        IngestOptions(jobs=jobs),
        on_page=lambda path, done, total: seen.append((path, done, total)),
    )
    assert [o.status for o in outcomes] == ["ingested", "ingested"]
    mine = [(done, total) for path, done, total in seen if path == str(long)]
    total = outcomes[0].pages
    assert total > 40 and len(mine) == total
    assert [done for done, _ in mine] == list(range(1, total + 1)) and {t for _, t in mine} == {total}

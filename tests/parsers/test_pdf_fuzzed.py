"""Every input the PDF fuzzer (fuzz/fuzz_pdf.py) found a crash with, kept as a test: each is read as a
document, partial where pages are damaged, or refused with a FinsamError, and the batch goes on."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from finsam.cli import cli
from finsam.errors import FinsamError
from finsam.pipeline import analyse
from parsers.pdf import read_pdf

FUZZED = sorted((Path(__file__).parent / "data" / "fuzzed").glob("*.pdf"))


@pytest.mark.parametrize("path", FUZZED, ids=[p.name for p in FUZZED])
def test_a_fuzzed_pdf_is_read_or_refused_in_one_line(path):
    data = path.read_bytes()
    try:
        doc = read_pdf(path, data, hashlib.sha256(data).hexdigest(), ocr="never")
    except FinsamError as err:
        assert "\n" not in str(err)
        return
    analyse(doc)


def test_a_pdf_with_pages_pdfium_cannot_load_keeps_its_other_pages():
    path = next(p for p in FUZZED if p.name.startswith("unloadable-pages-2-3"))
    data = path.read_bytes()
    doc = read_pdf(path, data, hashlib.sha256(data).hexdigest(), ocr="never")
    assert doc.failed_pages == [2, 3]
    assert "Partille" in doc.pages[0].text and not doc.pages[1].text  # the fuzzer damaged its å/ä/ö too
    assert doc.warnings == [
        "page 2 could not be read (Failed to load page.)",
        "page 3 could not be read (Failed to load page.)",
    ]


def test_a_partial_document_is_stored_and_listed_as_partial(tmp_path, corpus_texts):
    damaged = next(p for p in FUZZED if p.name.startswith("unloadable-pages-2-3"))
    db = tmp_path / "s.db"
    run = CliRunner().invoke(cli, ["ingest", str(damaged), str(corpus_texts["003"]), "--db", str(db), "--quiet",
                                   "--jobs", "1", "--ocr", "never"])  # fmt: skip
    assert run.exit_code == 0, run.output
    assert "2 ingested" in run.output
    listed = CliRunner().invoke(cli, ["documents", "--db", str(db)])
    line = next(ln for ln in listed.output.splitlines() if damaged.name in ln)
    assert line.endswith("current, partial: pages 2, 3 unread")
    docs = json.loads(CliRunner().invoke(cli, ["documents", "--db", str(db), "--format", "json"]).output)
    partial = next(d for d in docs["documents"] if d["source_name"] == damaged.name)
    assert json.loads(partial["failed_pages"]) == [2, 3]

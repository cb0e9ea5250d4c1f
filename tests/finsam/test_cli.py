"""The CLI around a stored corpus: documents, check (text, json, csv, exit status), schema."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from finsam.cli import cli


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def db(tmp_path_factory, corpus_texts):
    path = tmp_path_factory.mktemp("cli") / "finsam.db"
    result = run("ingest", str(corpus_texts["003"]), str(corpus_texts["001"]), "--db", str(path), "-q")
    assert result.exit_code == 0, result.output
    return path


def test_documents_lists_what_is_stored(db):
    out = run("documents", "--db", str(db))
    assert out.exit_code == 0
    assert "Östra Södertörn" in out.output and "verksamhetsplan" in out.output
    data = json.loads(run("documents", "--db", str(db), "--format", "json").output)
    assert len(data["documents"]) == 2 and data["failures"] == []


def test_check_reports_by_document_and_gates_on_errors(db):
    out = run("check", "--db", str(db))
    assert out.exit_code == 1  # the reports contain real errors
    assert "003_77daca0be119bb8e.txt" in out.output
    assert "Not 4" in out.output and "p. " in out.output


def test_check_filters_and_formats(db):
    data = json.loads(run("check", "--db", str(db), "--year", "2016", "--format", "json").output)
    assert [d["fiscal_year"] for d in data] == [2016]
    assert any(f["rule"] == "note_tie_out" and f["stated"] == -19794180 for f in data[0]["findings"])
    rows = list(
        csv.DictReader(
            io.StringIO(run("check", "--db", str(db), "--federation", "botkyrka", "--format", "csv").output)
        )
    )
    assert rows and {r["federation"] for r in rows} == {"Samordningsförbundet Botkyrka Huddinge Salem"}
    assert any(r["rule"] == "cross_table" and r["stated"] == "1320.0" for r in rows)


def test_check_is_clean_when_nothing_matches(db):
    out = run("check", "--db", str(db), "--year", "1999")
    assert out.exit_code == 0 and "no documents matched" in out.output


def test_missing_database_is_one_clear_line(tmp_path):
    out = CliRunner().invoke(cli, ["documents", "--db", str(tmp_path / "none.db")])
    assert out.exit_code == 2 and "no store there" in out.output and "Traceback" not in out.output
    assert not (tmp_path / "none.db").exists()


def test_schema_outputs(tmp_path):
    assert "CREATE TABLE IF NOT EXISTS [cells]" in run("schema", "--sql").output
    meta = json.loads(run("schema", "--metadata").output)
    assert "documents" in meta["databases"]["finsam"]["tables"]


def test_repair_reads_stdin_and_reports_changes():
    out = CliRunner().invoke(cli, ["repair", "--report"], input="Samordningsférbundet dr bra\n")
    assert out.exit_code == 0
    assert "Samordningsförbundet är bra\n" in out.output
    assert "dr → är" in out.output

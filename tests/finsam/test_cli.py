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


# --- export: json, csv, xlsx, filters -----------------------------------------------------------------------


def test_export_json_is_unchanged_and_out_is_another_name_for_output(db, tmp_path):
    from normalized.store import Store

    printed = run("export", "--db", str(db))
    assert printed.exit_code == 0
    assert json.loads(printed.output) == Store(db, create=False, readonly=True).export()
    assert run("export", "--db", str(db), "-o", str(tmp_path / "a.json")).output == ""
    assert run("export", "--db", str(db), "--out", str(tmp_path / "b.json")).exit_code == 0
    assert (tmp_path / "a.json").read_text(encoding="utf-8") == printed.output
    assert (tmp_path / "b.json").read_bytes() == (tmp_path / "a.json").read_bytes()


def test_export_filters_every_format(db, tmp_path):
    import openpyxl

    data = json.loads(run("export", "--db", str(db), "--federation", "BOTKYRKA").output)
    assert [d["source"][:3] for d in data["documents"]] == ["001"] and data["failures"] == []
    out = run("export", "--db", str(db), "--format", "csv", "--out", str(tmp_path / "csv"), "--year", "2016")
    assert out.exit_code == 0, out.output
    assert "CSV files" in out.output and str(tmp_path / "csv") in out.output
    with (tmp_path / "csv" / "documents.csv").open(encoding="utf-8-sig") as f:
        assert [r["fiscal_year"] for r in csv.DictReader(f)] == ["2016"]
    with (tmp_path / "csv" / "resultatrakning.csv").open(encoding="utf-8-sig") as f:
        assert {r["source"][:3] for r in csv.DictReader(f)} == {"003"}
    path = tmp_path / "botkyrka.xlsx"
    out = run("export", "--db", str(db), "--format", "xlsx", "--out", str(path), "--federation", "botkyrka")
    assert out.exit_code == 0, out.output
    wb = openpyxl.load_workbook(path)
    assert [r[1][:3] for r in wb["Documents"].iter_rows(min_row=2, values_only=True)] == ["001"]
    assert len(wb.sheetnames) == 4 + len(data["documents"][0]["tables"])


def test_export_of_nothing_says_so_and_writes_headers(db, tmp_path):
    out = run("export", "--db", str(db), "--format", "csv", "--out", str(tmp_path), "--year", "1999")
    assert out.exit_code == 0
    assert out.output.splitlines() == [f"finsam: no documents matched --year 1999: headers only → {tmp_path}"]
    assert (tmp_path / "findings.csv").read_text(encoding="utf-8-sig").startswith("document_id,source,")
    out = run("export", "--db", str(db), "--federation", "nowhere")
    assert out.exit_code == 0 and "no documents matched --federation 'nowhere'" in out.output
    from normalized.store import Store

    Store(tmp_path / "empty.db").close()
    out = run(
        "export", "--db", str(tmp_path / "empty.db"), "--format", "xlsx", "--out", str(tmp_path / "e.xlsx")
    )
    assert out.exit_code == 0 and (tmp_path / "e.xlsx").is_file()
    assert out.output.splitlines() == [
        f"finsam: the store holds no documents: headers only → {tmp_path / 'e.xlsx'}"
    ]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--format", "csv"], "--format csv needs --out DIR"),
        (["--format", "xlsx"], "--format xlsx needs --out FILE"),
        (["--format", "csv", "--out", "{file}"], "a file, not a folder"),
        (["--format", "xlsx", "--out", "{dir}"], "a folder, not a file"),
        (["--format", "xlsx", "--out", "{dir}/none/x.xlsx"], "does not exist"),
        (["--format", "csv", "--out", "{dir}/c", "--with-text"], "--with-text is for --format json only"),
        (["-o", "{dir}/a.json", "--out", "{dir}/b.json"], "not both"),
    ],
)
def test_export_to_a_wrong_place_is_one_line_and_exit_2(db, tmp_path, args, said):
    existing = tmp_path / "report.csv"
    existing.write_text("keep\n")
    args = [a.format(file=existing, dir=tmp_path) for a in args]
    out = run("export", "--db", str(db), *args)
    assert out.exit_code == 2
    assert len(out.output.strip().splitlines()) == 1 and said in out.output, out.output
    assert out.output.startswith("finsam: error: ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.csv"] and existing.read_text() == "keep\n"

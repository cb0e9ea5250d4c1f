"""The CSV and XLSX exports (normalized.export) of a store built from the corpus, read back as an analyst's
tools read them and compared with the JSON export cell for cell; and the document filter they share with
`finsam check` (normalized.store.reading.matches)."""

from __future__ import annotations

import csv
import re

import openpyxl
import pytest

from finsam.errors import ExportError
from finsam.model import TABLE_KINDS, Value
from finsam.pipeline import IngestOptions, ingest
from normalized.export import counts, write_csv, write_xlsx
from normalized.export.records import CELL_FIELDS, FINDING_FIELDS, GOAL_FIELDS
from normalized.export.workbook import number_format, sheet_name
from normalized.rules.base import decimals
from normalized.store import Store
from normalized.store.reading import matches

ERROR_FILL, WARNING_FILL = "FFC7CE", "FFF2CC"


@pytest.fixture(scope="module")
def store(tmp_path_factory, corpus_texts, corpus_dir):
    """002 (tkr with one decimal, duplicate table titles), 003 (kr, notes, goals) and 006 (percent shares)."""
    path = tmp_path_factory.mktemp("export") / "finsam.db"
    authored = next((corpus_dir / "authored").glob("006_*.txt"))
    outcomes = ingest([corpus_texts["002"], corpus_texts["003"], authored], path, IngestOptions(jobs=1))
    assert [o.status for o in outcomes] == ["ingested"] * 3, outcomes
    return Store(path, create=False, readonly=True)


@pytest.fixture(scope="module")
def data(store):
    return store.export()


@pytest.fixture(scope="module")
def csv_dir(data, tmp_path_factory):
    folder = tmp_path_factory.mktemp("csv") / "new" / "folder"  # created, parents too
    write_csv(data, folder)
    return folder


@pytest.fixture(scope="module")
def workbook(data, tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "finsam.xlsx"
    assert write_xlsx(data, path) == path
    return openpyxl.load_workbook(path)


def read_csv(path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def sheet(workbook, data, report: str, title: str):
    """The sheet of a table: named by the document's id in this store, then the title."""
    doc_id = next(d["id"] for d in data["documents"] if d["source"].startswith(report))
    return workbook[f"{doc_id:03d} {title}"]


def json_cells(data) -> dict[tuple, tuple]:
    """(document id, table key, row position, column key) → (kind, value, raw) from the JSON export."""
    return {
        (d["id"], t["id"], position, key): (t["kind"], row["values"].get(key), raw)
        for d in data["documents"]
        for t in d["tables"]
        for position, row in enumerate(t["rows"])
        for key, raw in row["raw"].items()
    }


# --- the filter ---------------------------------------------------------------------------------------------


def test_filter_by_federation_in_any_case_and_by_year(store):
    def sources(**kw):
        return [d["source"][:3] for d in store.export(**kw)["documents"]]

    assert sources() == ["002", "003", "006"]
    assert sources(federation="botkyrka") == ["002"]
    assert sources(federation="ÖSTRA SÖDER") == ["003"]  # casefold, not ASCII-only LIKE
    assert sources(year=2016) == ["003"]
    assert sources(federation="botkyrka", year=2016) == []
    assert store.export(year=1999) == {**store.export(year=1999), "documents": [], "failures": []}
    assert [d["id"] for d in store.documents("klarälv", 2023)] == [3]


def test_matches_is_the_one_rule():
    doc = {"federation": "Samordningsförbundet Östra Södertörn", "fiscal_year": 2016}
    assert matches(doc) and matches(doc, "östra", 2016) and matches(doc, "SÖDERTÖRN")
    assert not matches(doc, "botkyrka") and not matches(doc, year=2017)
    assert not matches({"federation": None, "fiscal_year": None}, "östra")


# --- CSV ----------------------------------------------------------------------------------------------------


def test_csv_folder_has_a_file_per_table_kind_and_the_lists(csv_dir):
    kinds = [f"{k}_tables" if k == "goals" else k for k in TABLE_KINDS]
    assert sorted(p.name for p in csv_dir.iterdir()) == sorted(
        f"{n}.csv" for n in ["documents", "findings", "goals", *kinds]
    )
    head = (csv_dir / "note.csv").read_bytes()
    assert head.startswith(b"\xef\xbb\xbfdocument_id,source,federation,")  # UTF-8 with BOM, for Excel
    assert b"\r\n" in head  # RFC 4180 line ends


def test_csv_cells_match_the_json_export_cell_for_cell(csv_dir, data):
    expected = json_cells(data)
    found = {}
    for kind in TABLE_KINDS:
        rows = read_csv(csv_dir / f"{kind + '_tables' if kind == 'goals' else kind}.csv")
        assert rows == [] or list(rows[0]) == list(CELL_FIELDS)
        for r in rows:
            key = (int(r["document_id"]), r["table_key"], int(r["row_position"]), r["column_key"])
            assert key not in found
            value = float(r["value"]) if r["value"] else None
            found[key] = (kind, value, r["raw"])
            if r["value"]:
                assert re.fullmatch(r"-?\d+(\.\d+)?", r["value"]), r["value"]  # '.' decimal, no grouping
    assert found == expected
    assert len(found) == counts(data).cells > 900


def test_csv_rows_carry_their_document_table_row_and_column(csv_dir):
    rows = read_csv(csv_dir / "resultatrakning.csv")
    line = next(
        r
        for r in rows
        if r["source"].startswith("003")
        and r["row_label"] == "Verksamhetens kostnader"
        and r["column_key"] == "actual_2016"
    )
    assert line["value"] == "-19794180" and line["raw"] == "-19 794 180"
    assert (line["federation"], line["fiscal_year"], line["doc_type"]) == (
        "Samordningsförbundet Östra Södertörn",
        "2016",
        "arsredovisning",
    )
    assert (line["role"], line["year"], line["unit"], line["note_ref"], line["is_total"]) == (
        "actual",
        "2016",
        "kr",
        "4",
        "0",
    )
    tkr = next(r for r in rows if r["source"].startswith("002") and r["raw"] == "15 400,0")
    assert tkr["value"] == "15400" and tkr["unit"] == "tkr"
    repaired = next(r for r in rows if r["source"].startswith("002") and r["raw"] == "51159")
    assert (repaired["value"], repaired["repaired"], repaired["uncertain"]) == ("5115.9", "1", "0")
    share = next(
        r
        for r in read_csv(csv_dir / "member_contributions.csv")
        if r["source"].startswith("006") and r["row_label"] == "Torsby kommun" and r["role"] == "budget"
    )
    assert share["value"] == "397.1"


def test_csv_findings_documents_and_goals_are_the_exports(csv_dir, data):
    findings = read_csv(csv_dir / "findings.csv")
    assert list(findings[0]) == list(FINDING_FIELDS)
    flat = [(d["id"], f) for d in data["documents"] for f in d["findings"]]
    assert len(findings) == len(flat) > 0
    for row, (doc_id, f) in zip(findings, flat, strict=True):
        assert int(row["document_id"]) == doc_id
        assert (row["rule"], row["severity"], row["table_key"], row["page"]) == (
            f["rule"],
            f["severity"],
            f["table_id"],
            str(f["page"]),
        )
        for k in ("stated", "expected", "difference"):
            assert (float(row[k]) if row[k] else None) == (pytest.approx(f[k]) if f[k] is not None else None)
    goals = read_csv(csv_dir / "goals.csv")
    assert list(goals[0]) == list(GOAL_FIELDS) and len(goals) == counts(data).goals
    assert any(g["target_value"] == "65" and g["target_unit"] == "percent" for g in goals)
    docs = read_csv(csv_dir / "documents.csv")
    assert [d["source"][:3] for d in docs] == ["002", "003", "006"]
    assert "Haninge kommun" in docs[1]["members"].split("; ")


def test_csv_is_the_same_bytes_every_time(csv_dir, data, tmp_path):
    write_csv(data, tmp_path)
    for path in csv_dir.iterdir():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_csv_of_nothing_is_headers_only(store, tmp_path):
    files = write_csv(store.export(year=1999), tmp_path)
    assert len(files) == len(TABLE_KINDS) + 3
    for path in files:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
        assert len(lines) == 1 and lines[0].startswith("document_id,"), path.name


def test_csv_into_a_file_is_refused_before_writing(data, tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("keep\n")
    with pytest.raises(ExportError, match="a file, not a folder"):
        write_csv(data, target)
    with pytest.raises(ExportError, match="cannot create the folder"):
        write_csv(data, target / "sub")
    assert target.read_text() == "keep\n" and sorted(tmp_path.iterdir()) == [target]


# --- XLSX ---------------------------------------------------------------------------------------------------


def table_sheets(workbook, data):
    """(document, table, sheet) in the Tables sheet's order, each table found through its link."""
    index = workbook["Tables"]
    header = [c.value for c in index[1]]
    tables = {(d["id"], t["id"]): (d, t) for d in data["documents"] for t in d["tables"]}
    out = []
    for row in index.iter_rows(min_row=2):
        r = dict(zip(header, (c.value for c in row), strict=True))
        assert row[0].hyperlink.location == f"'{r['sheet']}'!A1"
        out.append((*tables[r["document_id"], r["table_key"]], workbook[r["sheet"]]))
    assert len(out) == len(tables)
    return out


def test_xlsx_sheets_are_the_lists_then_one_per_table_with_valid_unique_names(workbook, data):
    names = workbook.sheetnames
    assert names[:4] == ["Documents", "Tables", "Findings", "Goals"]
    assert len(names) == 4 + counts(data).tables
    assert len({n.casefold() for n in names}) == len(names)
    for name in names:
        assert 0 < len(name) <= 31 and not re.search(r"[\[\]:*?/\\]", name), name
    assert sheet(workbook, data, "003", "Resultaträkning")
    assert sheet(workbook, data, "003", "Not 4 Verksamhetens kostnad")  # cut at 31
    # 002 prints four tables headed 'Mål Resultat Resultat'
    assert sheet(workbook, data, "002", "Mål Resultat Resultat (4)")


def test_xlsx_table_cells_are_numbers_with_the_printed_precision(workbook, data):
    seen = 0
    for _, table, ws in table_sheets(workbook, data):
        labels = [ws.cell(row=8 + i, column=1).value for i in range(len(table["rows"]))]
        assert labels == [r["label"] or None for r in table["rows"]]
        first = 3 if any(r["note_ref"] is not None for r in table["rows"]) else 2
        headers = [ws.cell(row=4, column=first + i).value for i in range(len(table["columns"]))]
        assert headers == [c["header"] or None for c in table["columns"]]
        assert [ws.cell(row=5, column=first + i).value for i in range(len(table["columns"]))] == [
            c["role"] for c in table["columns"]
        ]
        assert ws.freeze_panes == ws.cell(row=8, column=first).coordinate
        columns = {c["key"]: first + i for i, c in enumerate(table["columns"])}
        for i, row in enumerate(table["rows"]):
            for key, raw in row["raw"].items():
                cell = ws.cell(row=8 + i, column=columns[key])
                value = row["values"].get(key)
                if value is None:
                    assert cell.value == raw and cell.data_type == "s"
                    continue
                assert cell.data_type == "n" and cell.value == pytest.approx(value), (ws.title, raw)
                places = decimals(Value(raw, value)) if key not in row.get("repaired", ()) else None
                shown = cell.number_format.split(";")[0]
                assert shown.startswith("#,##0")
                if places is not None:
                    assert len(re.sub(r"\D", "", shown.split('"')[0])) == places + 1, (ws.title, raw)
                seen += 1
    assert seen == sum(1 for v in json_cells(data).values() if v[1] is not None)


def test_xlsx_formats_follow_the_print(workbook, data):
    ws = sheet(workbook, data, "002", "Resultaträkning")
    cell = next(c for row in ws.iter_rows(min_row=8) for c in row if c.value == 15400)
    assert cell.number_format == "#,##0.0"  # '15 400,0'
    repaired = next(c for row in ws.iter_rows(min_row=8) for c in row if c.value == 5115.9)
    assert repaired.number_format == "#,##0.0"  # printed '51159' with its comma lost, read 5 115,9
    assert repaired.comment.text == "repaired: printed '51159'"
    ws = sheet(workbook, data, "003", "Resultaträkning")
    cell = next(c for row in ws.iter_rows(min_row=8) for c in row if c.value == -19794180)
    assert cell.number_format == "#,##0"
    nil = next(c for row in ws.iter_rows(min_row=8) for c in row if c.value == 0)
    assert nil.number_format == '#,##0;-#,##0;"-"'  # printed '-'
    ws = sheet(workbook, data, "006", "Medlem")
    share = next(c for row in ws.iter_rows(min_row=8) for c in row if c.value == 7.64)
    assert share.number_format == '#,##0.00" %"'  # '7,64 %' stays 7.64, not 0.0764


def test_xlsx_findings_sheet_fills_errors_and_lighter_warnings(workbook, data):
    ws = workbook["Findings"]
    header = [c.value for c in ws[1]]
    assert header == list(FINDING_FIELDS) and ws.freeze_panes == "A2"
    rows = list(ws.iter_rows(min_row=2))
    flat = [f for d in data["documents"] for f in d["findings"]]
    assert len(rows) == len(flat)
    severities = set()
    for row, f in zip(rows, flat, strict=True):
        r = dict(zip(header, row, strict=True))
        severities.add(f["severity"])
        assert r["severity"].value == f["severity"]
        fills = {c.fill.fgColor.rgb[-6:] if c.fill.fill_type == "solid" else None for c in row}
        assert fills == {{"error": ERROR_FILL, "warning": WARNING_FILL}.get(f["severity"])}
        if f["stated"] is not None:
            assert r["stated"].data_type == "n" and r["stated"].value == pytest.approx(f["stated"])
            assert r["stated"].number_format.startswith("#,##0")
    assert {"error", "warning"} <= severities
    cash = next(r for r in rows if r[FINDING_FIELDS.index("stated")].value == -1359.9)
    assert cash[FINDING_FIELDS.index("difference")].number_format == "#,##0.0"


def test_xlsx_documents_and_goals_sheets(workbook, data):
    docs = list(workbook["Documents"].values)
    assert [r[1][:3] for r in docs[1:]] == ["002", "003", "006"]
    goals = list(workbook["Goals"].values)
    assert list(goals[0]) == list(GOAL_FIELDS) and len(goals) - 1 == counts(data).goals
    target = GOAL_FIELDS.index("target_value")
    assert any(isinstance(g[target], int | float) and g[target] == 65 for g in goals[1:])


def test_xlsx_text_is_never_a_formula(data, tmp_path):
    doc = {**data["documents"][0], "goals": [{**data["documents"][1]["goals"][0], "goal": "=SUM(A1:A9)"}]}
    path = write_xlsx({**data, "documents": [doc]}, tmp_path / "f.xlsx")
    cell = next(c for c in openpyxl.load_workbook(path)["Goals"][2] if c.value == "=SUM(A1:A9)")
    assert cell.data_type == "s"


def test_xlsx_gives_a_cell_outside_the_listed_columns_a_column(data, tmp_path):
    doc = data["documents"][0]
    table = doc["tables"][0]
    row = {**table["rows"][0], "raw": {**table["rows"][0]["raw"], "extra": "1 234,5"}}
    row["values"] = {**row["values"], "extra": 1234.5}
    odd = {**doc, "tables": [{**table, "rows": [row]}]}
    path = write_xlsx({**data, "documents": [odd]}, tmp_path / "odd.xlsx")
    ws = openpyxl.load_workbook(path).worksheets[4]
    at = [c.value for c in ws[4]].index("extra")
    assert ws[8][at].value == 1234.5 and ws[8][at].number_format == "#,##0.0"


def test_xlsx_of_nothing_and_bad_destinations(store, data, tmp_path):
    path = write_xlsx(store.export(year=1999), tmp_path / "empty.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Documents", "Tables", "Findings", "Goals"]
    assert all(wb[n].max_row == 1 and wb[n]["A1"].value == "document_id" for n in ("Documents", "Findings"))
    with pytest.raises(ExportError, match="a folder, not a file"):
        write_xlsx(data, tmp_path)
    with pytest.raises(ExportError, match="does not exist"):
        write_xlsx(data, tmp_path / "none" / "x.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.xlsx"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("18 064 870", "#,##0"),
        ("5 115,9", "#,##0.0"),
        ("-20 449,25", "#,##0.00"),
        ("37 %", '#,##0" %"'),
        ("2,5%", '#,##0.0"%"'),
        ("(1 234)", "#,##0;(#,##0)"),
        ("-", '#,##0;-#,##0;"-"'),
    ],
)
def test_number_format_shows_the_figure_as_printed(raw, expected):
    assert number_format(raw) == expected


def test_sheet_names_are_cut_cleaned_and_made_unique():
    taken = {"documents"}
    long = "003 Not 4 Verksamhetens kostnader: [personal]/övrigt?"
    first = sheet_name(long, taken)
    assert first == "003 Not 4 Verksamhetens kostnad" and len(first) == 31
    second = sheet_name(long, taken)
    assert second == "003 Not 4 Verksamhetens kos (2)" and len(second) == 31
    assert sheet_name("003 NOT 4 VERKSAMHETENS KOSTNADER", taken).endswith("(3)")  # Excel ignores case
    assert sheet_name("Documents", taken) == "Documents (2)"
    assert sheet_name("a/b\\c*d?e[f]g:h", set()) == "a b c d e f g h"
    assert sheet_name("'quoted'", set()) == "quoted"

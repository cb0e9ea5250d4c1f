"""The store in Datasette (normalized.web), through Datasette's own client on a store of the corpus: every
table and column described, facets, full-text search of page text, the canned queries on the corpus's
real inconsistencies and a restated report, findings linked to their document and page, the chart."""

from __future__ import annotations

import asyncio
import gzip
import html
import re
import sqlite3
import urllib.parse
from pathlib import Path

import pytest

pytest.importorskip("datasette")

from finsam.errors import StoreError  # noqa: E402
from finsam.pipeline import IngestOptions, ingest  # noqa: E402
from normalized.schema import SCHEMA_VERSION, TABLES, VIEWS  # noqa: E402
from normalized.store import Store  # noqa: E402
from normalized.web import QUERIES, datasette_app, prepare_store  # noqa: E402
from normalized.web.config import series_dashboard  # noqa: E402

DATA = Path(__file__).parent / "data"


def restated(report: Path, folder: Path) -> Path:
    """002 (årsredovisning 2018) one year earlier: an årsredovisning 2017 whose figures are 002's 2018
    ones, so 002's column for 2017 restates every figure of it."""
    text = report.read_text(encoding="utf-8").replace("2017", "\0").replace("2018", "2017")
    path = folder / "002_restated_2017.txt"
    path.write_text(text.replace("\0", "2016"), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def store_path(tmp_path_factory, corpus_texts) -> Path:
    """001 (verksamhetsplan 2018) and 002 (årsredovisning 2018) of one federation, 003 (kr, notes, real
    errors) and 002 restated as a report of 2017."""
    folder = tmp_path_factory.mktemp("web")
    path = folder / "finsam.db"
    reports = [corpus_texts[n] for n in ("001", "002", "003")] + [restated(corpus_texts["002"], folder)]
    outcomes = ingest(reports, path, IngestOptions(jobs=2))
    assert [o.status for o in outcomes] == ["ingested"] * 4, outcomes
    return path


@pytest.fixture(scope="module")
def ds(store_path):
    assert prepare_store(store_path) is None  # current: nothing to upgrade
    return datasette_app(store_path)


def get(ds, path: str):
    return asyncio.run(ds.client.get(path, follow_redirects=True))


def rows(ds, path: str, **params) -> list[dict]:
    """The rows of a table, view, canned query or (path the database, sql=…) query, as dicts."""
    query = urllib.parse.urlencode({**params, "_shape": "objects"})
    response = get(ds, f"/{path}.json?{query}")
    assert response.status_code == 200, response.text
    return response.json()["rows"]


def stored(store_path: Path, sql: str, params=()) -> list[tuple]:
    with sqlite3.connect(f"{store_path.as_uri()}?mode=ro", uri=True) as c:
        return c.execute(sql, params).fetchall()


def document_id(store_path: Path, source_name: str) -> int:
    return stored(store_path, "SELECT id FROM documents WHERE source_name LIKE ?", [source_name + "%"])[0][0]


def test_the_store_is_served_immutable(ds, store_path):
    served = {name: db.is_mutable for name, db in ds.databases.items() if not name.startswith("_")}
    assert served == {"finsam": False}
    assert datasette_app(store_path, writable=True).databases["finsam"].is_mutable


def test_every_table_view_and_column_is_described(ds, store_path):
    described = get(ds, "/-/metadata.json").json()["databases"]["finsam"]["tables"]
    for t in TABLES:
        assert described[t.name]["columns"] == {c.name: c.description for c in t.columns}
        page = html.unescape(get(ds, f"/finsam/{t.name}").text)
        assert t.description in page, t.name
        if not stored(store_path, f"SELECT count(*) FROM [{t.name}]")[0][0]:
            continue  # an empty table shows no columns
        for c in t.columns:
            if not c.primary_key:  # the key is the link column, without a header of its own
                assert f'data-column-description="{c.description}"' in page, (t.name, c.name)
    for name, (description, _) in VIEWS.items():
        assert description in html.unescape(get(ds, f"/finsam/{name}").text), name


def test_findings_facet_by_federation_year_type_rule_and_severity(ds, store_path):
    facets = get(ds, "/finsam/document_findings.json?_size=0").json()["facet_results"]
    assert set(facets) == {"federation_name", "fiscal_year", "doc_type", "rule", "severity"}
    severities = {f["value"]: f["count"] for f in facets["severity"]["results"]}
    assert severities == dict(stored(store_path, "SELECT severity, count(*) FROM findings GROUP BY 1"))
    federations = {f["value"] for f in facets["federation_name"]["results"]}
    assert federations == {
        "Samordningsförbundet Botkyrka Huddinge Salem",
        "Samordningsförbundet Östra Södertörn",
    }
    assert {f["value"] for f in facets["rule"]["results"]} >= {
        "note_tie_out",
        "restatement",
        "revised_budget",
    }
    # documents facet on the federation entity, shown by its name; tables by kind
    documents = get(ds, "/finsam/documents.json?_size=0").json()["facet_results"]
    assert {f["label"] for f in documents["federation_id"]["results"]} == federations
    assert {f["value"] for f in documents["doc_type"]["results"]} == {"arsredovisning", "verksamhetsplan"}
    kinds = get(ds, "/finsam/tables.json?_size=0").json()["facet_results"]["kind"]["results"]
    assert {"resultatrakning", "balansrakning", "note"} <= {f["value"] for f in kinds}


def test_page_text_is_searched_in_full_text(ds, store_path):
    found = rows(ds, "finsam/pages", _search="medlemsavgifter", _col="document_id")
    printing = {document_id(store_path, name) for name in ("002_bd0c", "002_restated", "003")}
    assert {r["document_id"] for r in found} == printing  # 001, a plan, does not print the word
    assert rows(ds, "finsam/pages", _search="xyzzyfinsam") == []
    passages = rows(ds, "finsam/search_pages", words="medlemsavgifter")
    assert len(passages) == 3 and all("»" in p["passage"] for p in passages)
    assert rows(ds, "finsam/search_pages", words="") == []  # an empty form finds nothing, not an error


def test_inconsistent_totals_lists_errors_first_with_stated_expected_difference(ds, store_path):
    found = rows(ds, "finsam/inconsistent_totals")
    assert list(found[0])[:6] == ["severity", "federation", "fiscal_year", "doc_type", "document_id", "page"]
    assert {"stated", "expected", "difference", "rule", "table_title", "row"} <= set(found[0])
    severities = [f["severity"] for f in found]
    assert severities[0] == "error" and severities == sorted(
        severities, key=["error", "warning", "info"].index
    )
    assert all(abs(f["stated"] - f["expected"] - f["difference"]) < 1e-6 for f in found)
    # 003's resultaträkning against its note 4: the corpus's known error, as stated, expected and difference
    assert any(
        f["rule"] == "note_tie_out" and f["stated"] == -19794180 and f["expected"] == -19799284 for f in found
    )
    expected = stored(
        store_path,
        "SELECT count(*) FROM findings f JOIN documents d ON d.id = f.document_id "
        "WHERE d.superseded_by IS NULL AND f.other_document_id IS NULL AND f.stated IS NOT NULL "
        "AND f.expected IS NOT NULL",
    )[0][0]
    assert len(found) == expected and "restatement" not in {f["rule"] for f in found}


def test_member_contributions_by_year(ds):
    found = rows(ds, "finsam/member_contributions_by_year")
    assert list(found[0]) == [
        "federation",
        "year",
        "member_key",
        "member",
        "actual_kr",
        "budget_kr",
        "reports",
        "min_kr",
        "max_kr",
        "document_id",
        "page",
    ]
    by = {(r["federation"], r["year"], r["member_key"]): r for r in found}
    botkyrka = by[
        "Samordningsförbundet Botkyrka Huddinge Salem", 2018, "member_contribution_municipality:botkyrka"
    ]
    assert botkyrka["actual_kr"] == 1809500 and botkyrka["budget_kr"] == 1809500
    haninge = by["Samordningsförbundet Östra Södertörn", 2016, "member_contribution_municipality:haninge"]
    assert haninge["actual_kr"] == 2404910 and haninge["reports"] == 1
    # the 2017 outcome is printed by the 2017 report (as 002's 2018 figures) and restated by 002
    total_2017 = by["Samordningsförbundet Botkyrka Huddinge Salem", 2017, "member_contributions_total"]
    assert total_2017["actual_kr"] == 16008000 and total_2017["reports"] == 3
    assert total_2017["min_kr"] == 15400000  # what the 2017 report itself says
    # any part of the name, in any case
    only = rows(ds, "finsam/member_contributions_by_year", federation="ÖSTRA södertörn")
    assert only and {r["federation"] for r in only} == {"Samordningsförbundet Östra Södertörn"}


def test_year_diff_for_a_federation(ds, store_path):
    found = rows(ds, "finsam/year_diff", federation="östra södertörn", from_year="2015", to_year="2016")
    assert list(found[0])[:8] == [
        "federation",
        "table_kind",
        "label",
        "canonical",
        "from_amount",
        "to_amount",
        "difference",
        "change_percent",
    ]
    assert {r["federation"] for r in found} == {"Samordningsförbundet Östra Södertörn"}
    assert found[0]["table_kind"] == "resultatrakning"
    fees = next(
        r
        for r in found
        if r["table_kind"] == "resultatrakning" and r["canonical"] == "member_contributions_total"
    )
    assert (fees["from_amount"], fees["to_amount"], fees["difference"]) == (18000000, 18064870, 64870)
    assert fees["change_percent"] == 0.4 and fees["unit"] == "kr"
    # a restated year counts as restated: 002's 2017 column, not the 2017 report's own
    botkyrka = rows(ds, "finsam/year_diff", federation="botkyrka", from_year="2017", to_year="2018")
    total = next(
        r
        for r in botkyrka
        if r["table_kind"] == "resultatrakning" and r["canonical"] == "member_contributions_total"
    )
    assert (total["from_amount"], total["to_amount"]) == (16008000, 15400000)
    assert total["from_document_id"] == total["to_document_id"] == document_id(store_path, "002_bd0c")


def test_restatements_across_reports(ds):
    found = rows(ds, "finsam/restatements")
    assert {
        "federation",
        "rule",
        "document_id",
        "other_document_id",
        "stated",
        "expected",
        "difference",
    } <= set(found[0])
    rules = [r["rule"] for r in found]
    assert rules[0] == "restatement" and "revised_budget" in rules
    assert rules == sorted(rules, key=lambda r: r != "restatement")
    fees = next(
        r for r in found if r["rule"] == "restatement" and r["row"] == "Verksamhetens medlemsavgifter"
    )
    assert (fees["fiscal_year"], fees["other_fiscal_year"]) == (2018, 2017)
    assert (fees["stated"], fees["expected"], fees["difference"]) == (16008, 15400, 608)


def test_every_canned_query_runs_on_an_empty_form(ds):
    for name in QUERIES:
        response = get(ds, f"/finsam/{name}.json")
        assert response.status_code == 200 and response.json()["ok"], (name, response.text)


def test_a_finding_links_to_its_document_and_its_page_text(ds, store_path):
    doc = document_id(store_path, "003")
    page = get(ds, f"/finsam/findings?rule=note_tie_out&document_id={doc}").text
    assert f'<a href="/finsam/documents/{doc}">003_77daca0be119bb8e.txt</a>' in page
    (rowid,) = stored(store_path, "SELECT rowid FROM pages WHERE document_id = ? AND page = 1", [doc])[0]
    assert f'<a href="/finsam/pages/{rowid}" title="the text of page 1">1</a>' in page
    text = html.unescape(get(ds, f"/finsam/pages/{rowid}").text)
    assert "Verksamhetens kostnader" in text and "ÖSTRA SÖDERTÖRN" in text
    # in the canned queries and views too, which Datasette knows no references of
    for path in ("/finsam/inconsistent_totals", f"/finsam/document_findings?document_id={doc}"):
        page = get(ds, path).text
        assert f'<a href="/finsam/documents/{doc}" title="the document">{doc}</a>' in page, path
        assert f'href="/finsam/pages/{rowid}"' in page, path
    diff = get(ds, "/finsam/year_diff?federation=botkyrka&from_year=2017&to_year=2018").text
    assert re.search(r'class="col-from_page"><a href="/finsam/pages/\d+"', diff)
    # and any row that names a document and a page: a table, where it is printed
    assert f'href="/finsam/pages/{rowid}"' in get(ds, f"/finsam/tables?document_id={doc}").text


def test_the_chart_of_a_series(ds):
    plugins = {p["name"]: p for p in get(ds, "/-/plugins.json").json()}
    assert "datasette-dashboards" in plugins
    assert {"render_cell", "prepare_connection"} <= set(plugins["normalized.web.plugin"]["hooks"])
    page = get(ds, "/-/dashboards/series")
    assert page.status_code == 200 and "A series, year by year" in page.text
    assert "federation=Samordningsf%C3%B6rbundet+Botkyrka+Huddinge+Salem" in str(page.url)  # the busiest
    assert "vega-lite" in page.text
    from datasette_dashboards import replace_opts_in_query

    chart = series_dashboard("finsam")["charts"]["series"]
    filters = {"federation": "Samordningsförbundet Östra Södertörn", "key": "member_contributions_total"}
    sql = replace_opts_in_query(chart["query"], filters)
    found = rows(ds, "finsam", sql=sql, **filters)
    assert [(r["year"], r["role"], r["amount"]) for r in found] == [
        (2015, "actual", 18000000),
        (2016, "actual", 18064870),
        (2016, "budget", 18064870),
    ]


def test_a_store_of_the_first_release_is_upgraded_and_searched(tmp_path):
    path = tmp_path / "v1.db"
    path.write_bytes(gzip.decompress((DATA / "store_v1.db.gz").read_bytes()))
    assert prepare_store(path) == 1
    assert Store(path, create=False, readonly=True).schema_version == SCHEMA_VERSION
    assert prepare_store(path) is None
    ds = datasette_app(path)
    assert rows(ds.client and ds, "pages", _search="Smålandskusten") if False else True  # see below
    found = asyncio.run(ds.client.get("/v1/pages.json?_search=Sm%C3%A5landskusten&_shape=objects")).json()
    assert found["rows"]
    findings = asyncio.run(ds.client.get("/v1/document_findings.json?_size=0")).json()
    assert findings["facet_results"]["federation_name"]["results"]


def test_a_store_being_written_is_not_served_immutable(tmp_path, store_path):
    path = tmp_path / "busy.db"
    path.write_bytes(store_path.read_bytes())
    writer = sqlite3.connect(path)
    writer.execute("PRAGMA journal_mode = WAL")
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("UPDATE documents SET warnings = '[]'")
    writer.commit()  # in the write-ahead log, not yet in the file
    try:
        with pytest.raises(StoreError, match="being written"):
            prepare_store(path)
        assert prepare_store(path, writable=True) is None  # mutable, it follows the log
    finally:
        writer.close()
    assert prepare_store(path) is None  # the last connection folded the log into the file


def test_the_page_index_follows_the_documents(tmp_path, corpus_texts):
    path = tmp_path / "finsam.db"
    assert [o.status for o in ingest([corpus_texts["003"]], path, IngestOptions(jobs=1))] == ["ingested"]
    store = Store(path)
    search = "SELECT count(*) FROM pages_fts WHERE pages_fts MATCH 'Nynäshamns'"
    assert store.db.execute(search).fetchone()[0] == 1
    store.delete_document(store.documents()[0]["id"])
    assert store.db.execute(search).fetchone()[0] == 0
    store.db.execute("INSERT INTO pages_fts (pages_fts, rank) VALUES ('integrity-check', 1)")

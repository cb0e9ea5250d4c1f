"""Tables whose headers cannot be read are marked uncertain, never given a confident wrong year."""

from __future__ import annotations

import pytest

from corpus.sweep import render
from extractor.certainty import uncertainties
from finsam.model import Column, Table
from finsam.pipeline import ingest
from normalized.store import Store

# A statement of changes in equity printed without its header row (as when a page break or a layout drops
# it), and a cost table whose two first columns are both headed "Utfall 2016".
REPORT = """Samordningsförbundet Testbygden

Årsredovisning 2016

Förändring av eget kapital

Ingående eget kapital\t1 000\t200\t1 200
Årets resultat\t\t-300\t-300
Utgående eget kapital\t1 000\t-100\t900

Verksamhetens kostnader

Kostnader i tkr\tUtfall 2016\tUtfall 2016\tBudget 2016
Personal\t1 000\t1 100\t1 200
Lokaler\t200\t210\t220
Summa\t1 200\t1 310\t1 420
"""


def column(header: str, role: str = "actual", year: int | None = 2016, **kw) -> Column:
    return Column(key=header or "c", header=header, role=role, year=year, **kw)


def test_reasons_for_doubt():
    alike = Table(
        "budget_outcome", "t", [column("Utfall 2016"), column("Utfall"), column("Budget", "budget")], []
    )
    assert uncertainties(alike, 2016) == [
        "column 1 (Utfall 2016) and column 2 (Utfall) both read as actual 2016: their headers do not tell them "
        "apart"
    ]
    periods = Table(
        "other",
        "t",
        [
            column("Helår 2022", period_start="2022-01-01", period_end="2022-12-31"),
            column("Jan–aug 2022", period_start="2022-01-01", period_end="2022-08-31"),
        ],
        [],
    )
    assert uncertainties(periods, 2022) == []  # two periods of one year are two columns
    counts = Table(
        "participants", "t", [column("Deltagare", "count", None), column("Avslutade", "count", None)], []
    )
    assert uncertainties(counts, 2022) == []  # counts are not money for a year
    figure = Table("other", "t", [column("-11 791 000"), column("2016")], [])
    assert uncertainties(figure, 2016) == [
        "the header of column 1 (-11 791 000) is a figure: a row was read as the header"
    ]
    far = Table("resultatrakning", "t", [column("2061", year=2061), column("2015", year=2015)], [])
    assert uncertainties(far, 2016) == ["column 1 (2061) is read as 2061, far from the report's year 2016"]
    single = Table("member_contributions", "t", [column("")], [])
    assert uncertainties(single, 2016) == []  # one column without a header holds the report's year


@pytest.mark.parametrize("producer", ["text", "reportlab"])
def test_unread_headers_leave_the_year_unknown_and_check_warns(tmp_path, producer):
    source = tmp_path / "testbygden.txt"
    source.write_text(REPORT, encoding="utf-8")
    if producer != "text":
        source = render(REPORT, producer, 7, tmp_path / "testbygden.pdf")
    outcome = ingest([source], tmp_path / "s.db")[0]
    assert outcome.status == "ingested", outcome.message
    store = Store(tmp_path / "s.db")
    doc = store.export()["documents"][0]
    by_title = {t["title"]: t for t in doc["tables"]}
    equity = by_title["Förändring av eget kapital"]
    assert [(c["role"], c["year"]) for c in equity["columns"]] == [("other", None)] * 3
    assert len(equity["uncertain"]) == 3 and "column 1 has no header" in equity["uncertain"][0]
    costs = next(t for t in doc["tables"] if t["title"].startswith("Kostnader"))
    assert costs["uncertain"] == [
        "column 1 (Utfall 2016) and column 2 (Utfall 2016) both read as actual 2016: their headers do not tell "
        "them apart"
    ]
    warned = [f for f in doc["findings"] if f["rule"] == "uncertain_table"]
    assert len(warned) == 2 and {f["severity"] for f in warned} == {"warning"}
    assert all("look at the page" in f["message"] for f in warned)

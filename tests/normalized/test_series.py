"""`finsam series` (normalized.series) across the bundled corpus and the Vindelådalen reports: one figure per
federation and year with its source, the report of that year's value shown and the others as alternatives,
disagreement flagged; members by name; unknown keys and members refused."""

from __future__ import annotations

import pytest

from finsam.errors import QueryError
from normalized.series import figure_series, member_key
from normalized.store import Store

BHS = "Samordningsförbundet Botkyrka Huddinge Salem"
VINDELADALEN = "Samordningsförbundet Vindelådalen"


@pytest.fixture(scope="module")
def store(analyst_db):
    return Store(analyst_db, create=False, readonly=True)


def points(series) -> dict[tuple[str, int], object]:
    return {(v.federation, v.year): v for v in series.values}


def test_the_states_contribution_per_federation_and_year_with_sources(store):
    series = figure_series(store, "member_contribution_state")
    found = points(series)
    assert {(f, y) for f, y in found if f == VINDELADALEN} == {(VINDELADALEN, y) for y in (2016, 2017, 2018)}
    assert found[(VINDELADALEN, 2016)].shown.value == 1_900_000
    v2017 = found[(VINDELADALEN, 2017)]
    shown = v2017.shown.source
    assert (shown.source, shown.note_number, shown.page, v2017.shown.value) == (
        "vindeladalen_arsredovisning_2017.txt",
        1,
        4,
        2_000_000,
    )
    assert [a.source.source for a in v2017.alternatives] == [
        "vindeladalen_arsredovisning_2018.txt",  # its prior-year column: the same
        "vindeladalen_verksamhetsplan_2018.txt",  # 2 000,0 in a table whose unit was not read
    ]
    assert not v2017.disagreeing
    # the bundled reports: Östra Södertörn 2015-2016, Hälsingekusten 2020-2021, Botkyrka Huddinge Salem
    assert found[("Samordningsförbundet Östra Södertörn", 2016)].shown.value == 9_032_435
    assert found[("Samordningsförbundet Hälsingekusten", 2021)].shown.value == 3_200_000
    bhs2017 = found[(BHS, 2017)]
    assert bhs2017.shown.value == 8_004_000  # 8 004 tkr in the 2018 årsredovisning's prior-year column
    assert [(a.source.doc_type, a.value) for a in bhs2017.alternatives] == [("verksamhetsplan", 8_003_994)]
    assert not bhs2017.disagreeing  # 8 003 994 kr is 8 004 tkr, rounded
    # interim figures are not the year's: 007's jan-aug columns are left out
    assert not [v for v in series.values if v.shown.column.period]


def test_a_value_two_reports_state_differently_is_flagged(store):
    series = figure_series(store, "costs_other", federations=["vindel"])
    assert [f["name"] for f in series.federations] == [VINDELADALEN]
    found = points(series)
    assert sorted(y for _, y in found) == [2016, 2017, 2018]
    v2017 = found[(VINDELADALEN, 2017)]
    assert (v2017.shown.value, v2017.shown.source.source, v2017.shown.source.page) == (
        -410_000,
        "vindeladalen_arsredovisning_2017.txt",
        3,
    )
    assert [(a.value, a.source.source, a.source.page) for a in v2017.disagreeing] == [
        (-401_000, "vindeladalen_arsredovisning_2018.txt", 4)
    ]
    assert v2017.to_json()["disagreement"] is True
    assert not found[(VINDELADALEN, 2018)].alternatives
    text = series.text()
    assert "     ≠          -401 000  #" in text and "årsredovisning 2018, Resultaträkning, p. 4" in text


def test_years_federations_and_role(store):
    series = figure_series(
        store, "member_contributions_total", federations=["vindel", "botkyrka"], from_year=2017, to_year=2017
    )
    assert {(v.federation, v.year) for v in series.values} == {(VINDELADALEN, 2017), (BHS, 2017)}
    budget = figure_series(store, "costs_personnel", federations=["vindel"], role="budget")
    shown = {v.year: (v.shown.source.doc_type, v.shown.value) for v in budget.values}
    assert shown == {2017: ("arsredovisning", -1_300_000), 2018: ("verksamhetsplan", 1_300_000)}
    (v2018,) = [v for v in budget.values if v.year == 2018]
    # the årsredovisning's revised budget: the same figure printed with a statement's sign, but 50 000 more
    assert [(a.source.doc_type, a.value) for a in v2018.disagreeing] == [("arsredovisning", -1_350_000)]


@pytest.mark.parametrize(
    "name, key",
    [
        ("staten", "member_contribution_state"),
        ("Försäkringskassan", "member_contribution_state"),
        ("Arbetsförmedlingen", "member_contribution_state"),  # paid with the state's, by Försäkringskassan
        ("Region Gävleborg", "member_contribution_region"),
        ("Västerbotten", "member_contribution_region"),
        ("huddinge", "member_contribution_municipality:huddinge"),
        ("Hudiksval", "member_contribution_municipality:hudiksvall"),
        ("kommunerna", "member_contribution_municipalities"),
    ],
)
def test_a_member_by_name(store, name, key):
    assert member_key(store.db.conn, name)[0] == key


def test_a_members_contribution_by_name_across_reports(store):
    series = figure_series(store, "member_contribution", member="huddinge")
    assert series.key == "member_contribution_municipality:huddinge"
    found = points(series)
    assert found[(BHS, 2018)].shown.value == 1_809_500
    assert found[(BHS, 2017)].shown.label == "Driftbidrag från Huddinge kommun"
    assert [a.value for a in found[(BHS, 2017)].alternatives] == [1_880_939]


def test_a_member_named_alone_in_a_note_of_contributions_is_followed(store):
    # Vindelådalen's Not 1 Medlemsavgifter names its members alone ("Lycksele kommun"): under that title
    # they are contributions, so the series has both years of each annual report's note
    series = figure_series(store, "member_contribution", member="Lycksele kommun", federations=["vindel"])
    assert series.key == "member_contribution_municipality:lycksele"
    found = {year: p.shown for (_, year), p in points(series).items()}
    assert {year: fact.value for year, fact in found.items()} == {2016: 494_000, 2017: 520_000, 2018: 546_000}
    assert (found[2018].source.note_number, found[2018].source.table_kind) == (1, "note")


def test_unknown_or_ambiguous_questions_are_refused(store):
    with pytest.raises(QueryError, match="'kommun' could be several members: .*; and \\d+ more"):
        figure_series(store, member="kommun")
    with pytest.raises(QueryError, match="no member 'Skatteverket'"):
        figure_series(store, member="Skatteverket")
    with pytest.raises(
        QueryError, match="no canonical key 'member_contributon_state' \\(closest: member_contribution_state"
    ):
        figure_series(store, "member_contributon_state")
    with pytest.raises(
        QueryError,
        match="member 'huddinge' is member_contribution_municipality:huddinge, not a key of 'costs'",
    ):
        figure_series(store, "costs", member="huddinge")
    with pytest.raises(QueryError, match="no column role 'utfall'"):
        figure_series(store, "result", role="utfall")
    with pytest.raises(QueryError, match="could be several federations"):
        figure_series(store, "result", federations=["östra"])


def test_json_and_csv_hold_every_value_with_its_source(store):
    series = figure_series(store, "costs_other", federations=["vindel"])
    data = series.to_json()
    assert data["key"] == "costs_other" and data["role"] == "actual"
    v2017 = next(v for v in data["values"] if v["year"] == 2017)
    assert (v2017["value"], v2017["source"]["source"], v2017["source"]["page"]) == (
        -410_000,
        "vindeladalen_arsredovisning_2017.txt",
        3,
    )
    assert [(a["value"], a["agrees"]) for a in v2017["alternatives"]] == [(-401_000, False)]
    rows = series.csv_rows()
    assert [(r["year"], r["chosen"], r["disagrees"], r["value"], r["page"]) for r in rows] == [
        (2016, 1, 0, -380_000, 3),
        (2017, 1, 0, -410_000, 3),
        (2017, 0, 1, -401_000, 4),
        (2018, 1, 0, -395_000, 4),
    ]

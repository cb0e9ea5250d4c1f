"""The facts `finsam diff` and `finsam series` compare (normalized.facts): which line and column a printed
figure is of in any year's report, its value in kronor, and when two figures are the same figure — read from
a store of the corpus and the Vindelådalen reports."""

from __future__ import annotations

from dataclasses import replace

import pytest

from normalized.facts import (
    ColumnKey,
    LineKey,
    agree,
    merged_order,
    rank,
    read_facts,
    row_items,
    table_ref,
)
from normalized.store import Store


@pytest.fixture(scope="module")
def store(analyst_db):
    return Store(analyst_db, create=False, readonly=True)


@pytest.fixture(scope="module")
def facts(store):
    return read_facts(store.db.conn)


def of(facts, source_prefix: str):
    return [f for f in facts if (f.source.source or "").startswith(source_prefix)]


def one(facts, **where):
    found = [f for f in facts if all(_get(f, k) == v for k, v in where.items())]
    assert len(found) == 1, (where, found)
    return found[0]


def _get(fact, name):
    return {
        "section": fact.line.section,
        "table": fact.line.table,
        "item": fact.line.item,
        "role": fact.column.role,
        "qualifier": fact.column.qualifier,
        "period": fact.column.period,
        "year": fact.year,
        "label": fact.label,
    }[name]


# --- which table, which line ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, title, note, ref",
    [
        ("resultatrakning", "RESULTATRÄKNING", None, ""),
        ("kassaflodesanalys", "Finansieringsanalys", None, ""),
        ("budget_outcome", "Tabell 5. Budgetuppföljning 2021", None, "budgetuppfoljning"),
        ("budget_outcome", "Budgetuppföljning 2022", None, "budgetuppfoljning"),
        ("budget", "Tabell 4. Budget 2018, tkr", None, "budget"),
        ("budget", "Budget 2019", None, "budget"),
        (
            "budget_outcome",
            "Sammanställning av utfall och budget 2018 Belopp i tkr",
            None,
            "sammanstallning av utfall och budget",
        ),
        ("note", "Medlemsavgifter", 1, "medlemsavgifter"),
        ("note", None, 3, "not 3"),
    ],
)
def test_a_table_is_the_same_table_in_every_years_report(kind, title, note, ref):
    assert table_ref(kind, title, note) == ref


def test_a_key_or_label_a_table_repeats_is_told_apart():
    # 005's Not 2: a line 'Övriga intäkter' and its total both carry income_other
    items = row_items(
        [
            (1, None, "Projektbidrag", None),
            (2, "income_other", "Övriga intäkter", None),
            (3, "income_other", "Summa övriga intäkter", None),
            (4, None, "Övrigt", "Intäkter"),
            (5, None, "Övrigt", "Kostnader"),
            (6, None, "Totalt", None),
            (7, None, "Totalt", None),
            (8, "cash", "Kassa och bank", None),
        ]
    )
    assert items == {
        1: "projektbidrag",
        2: "income_other · ovriga intakter",
        3: "income_other · summa ovriga intakter",
        4: "ovrigt · intakter",
        5: "ovrigt · kostnader",
        6: "totalt #1",
        7: "totalt #2",
        8: "cash",
    }


def test_lines_one_report_dropped_stay_where_the_other_printed_them():
    order = merged_order([["a", "c", "d"], ["a", "b", "c", "e"]])
    assert sorted(order, key=order.get) == ["a", "b", "c", "e", "d"]


# --- figures of the store ---------------------------------------------------------------------------------------


def test_a_figure_in_tkr_is_in_kronor_and_within_its_printed_rounding(facts):
    plan = of(facts, "vindeladalen_verksamhetsplan_2018")
    personnel = one(plan, item="costs_personnel", role="budget", year=2018)
    assert personnel.value == 1_300_000 and personnel.unit == "kr"
    assert personnel.tolerance == 50  # 1 300,0 tkr: ± 0,05 tkr
    assert (personnel.source.printed, personnel.source.printed_unit, personnel.source.page) == (
        "1 300,0",
        "tkr",
        2,
    )
    report = of(facts, "vindeladalen_arsredovisning_2018")
    result_plan = one(plan, item="result", role="budget", year=2018)  # -262,5 tkr
    result_report = one(
        report, section="resultatrakning", item="result", role="budget", year=2018
    )  # -262 540
    assert agree(result_plan, result_report) is True  # 40 kr apart: within the plan's rounding
    assert (
        agree(personnel, one(report, section="resultatrakning", item="costs_personnel", role="budget"))
        is False
    )


def test_signs_count_within_a_kind_not_across_kinds(facts):
    """A statement prints a cost negative, a verksamhetsplan positive: the same figure; within one kind a
    changed sign is a different figure."""
    plan = of(facts, "vindeladalen_verksamhetsplan_2018")
    report = of(facts, "vindeladalen_arsredovisning_2018")
    other_costs_plan = one(plan, item="costs_other", role="budget", year=2018)  # 400,0 tkr
    other_costs_report = one(report, section="resultatrakning", item="costs_other", role="budget")  # -400 000
    assert other_costs_plan.value == 400_000 and other_costs_report.value == -400_000
    assert agree(other_costs_plan, other_costs_report) is True
    flipped = replace(other_costs_report, value=400_000)
    assert agree(flipped, other_costs_report) is False


def test_money_whose_unit_was_not_read_is_never_compared(facts):
    # the verksamhetsplan's table of contributions lost its caption "…, tkr": 2 100,0 of what?
    plan = of(facts, "vindeladalen_verksamhetsplan_2018")
    state = one(plan, section="member_contributions", item="member_contribution_state", role="budget")
    assert (state.value, state.unit, state.comparable) == (2100.0, None, False)
    report = of(facts, "vindeladalen_arsredovisning_2018")
    note = one(report, section="note", item="member_contribution_state", year=2018)
    assert agree(state, note) is None
    assert rank(state, 2018) > rank(note, 2018)  # never shown before a figure whose unit is known


def test_the_report_of_the_year_is_shown_first(facts):
    vindel = [f for f in facts if (f.source.source or "").startswith("vindeladalen")]
    twice = [f for f in vindel if f.line == LineKey("resultatrakning", "", "costs_other") and f.year == 2017]
    twice = [f for f in twice if f.column.role == "actual"]
    assert sorted(f.source.source for f in twice) == [
        "vindeladalen_arsredovisning_2017.txt",
        "vindeladalen_arsredovisning_2018.txt",
    ]
    first = min(twice, key=lambda f: rank(f, 2017))
    assert first.source.source == "vindeladalen_arsredovisning_2017.txt" and first.value == -410_000
    # a budget as the verksamhetsplan adopted it
    budgets = [
        f for f in vindel if f.canonical == "costs_total" and f.column.role == "budget" and f.year == 2018
    ]
    assert min(budgets, key=lambda f: rank(f, 2018)).source.doc_type == "verksamhetsplan"


def test_columns_without_a_year_are_the_reports_own_told_apart_by_their_headers(facts):
    participants = [
        f for f in of(facts, "vindeladalen_arsredovisning_2017") if f.line.section == "participants"
    ]
    steget = {f.column.qualifier: f.value for f in participants if f.line.item == "steget"}
    assert steget == {"kvinnor": 11, "man": 7, "totalt": 18}
    assert {f.year for f in participants} == {2017}


def test_an_interim_reports_figures_are_of_its_period_its_budget_of_the_year(facts):
    interim = [f for f in of(facts, "007_") if f.line.section == "resultatrakning"]
    periods = {(f.column.role, f.year, f.column.period) for f in interim}
    assert ("actual", 2022, "2022-01-01–2022-08-31") in periods
    assert ("actual", 2021, "2021-01-01–2021-08-31") in periods
    assert ("budget", 2022, None) in periods and ("forecast", 2022, None) in periods
    # 004 prints "Tkr" over its outcome per insats, without a period: the report's, jan–aug
    outcome = [f for f in of(facts, "004_") if f.line.section == "budget" and f.column.role == "actual"]
    assert outcome and all(f.column.period == "2016-01-01–2016-08-31" for f in outcome)


def test_variance_and_unnamed_money_columns_are_not_compared(facts):
    assert not [f for f in facts if f.column.role == "variance"]
    assert not [f for f in facts if f.column.role == "other" and f.source.table_kind in ("note", "budget")]
    assert ColumnKey("other", "kvinnor", None) in {
        f.column for f in facts if f.line.section == "participants"
    }


def test_superseded_versions_are_left_out(tmp_path, vindeladalen_texts):
    from finsam.pipeline import IngestOptions, ingest

    corrected = tmp_path / "vindeladalen_arsredovisning_2017_rattad.txt"
    text = vindeladalen_texts["ar2017"].read_text(encoding="utf-8")
    corrected.write_text(text.replace("-410 000", "-401 000"), encoding="utf-8")
    db = tmp_path / "finsam.db"
    ingest([vindeladalen_texts["ar2017"], corrected], db, IngestOptions(jobs=1))
    found = read_facts(Store(db).db.conn, canonical="costs_other")
    assert {f.source.source for f in found} == {corrected.name}
    assert {f.value for f in found if f.year == 2017 and f.column.role == "actual"} == {-401_000}

"""Printed column headers read into roles, years, periods and units."""

from __future__ import annotations

import pytest

from extractor.columns import DocContext, build_columns, clean_header, header_role, header_unit

ANNUAL = DocContext("arsredovisning", 2016)
PLAN = DocContext("verksamhetsplan", 2018)
INTERIM = DocContext("delarsrapport", 2016)


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("Utfall", "actual"),
        ("Prognos utfall 2017 (tkr)", "forecast"),
        ("Budget 2018 (tkr)", "budget"),
        ("Avvikelse jan-aug", "variance"),
        ("Ing balans", "opening"),
        ("Utg balans", "closing"),
        ("Period", "change"),
        ("Andel (%)", "share"),
        ("Arbete/studier (procent)", "share"),
        ("Deltagare", "count"),
        ("Mål 2016", "target"),
        ("2016-12-31", None),
        ("Tkr", None),
    ],
)
def test_header_role(header, role):
    assert header_role(header) == role


def test_year_and_date_range_headers_are_actuals_of_their_year():
    cols = build_columns(["2016-01-01 -2016-12-31", "2015-01-01 -2015-12-31"], ANNUAL)
    assert [(c.role, c.year) for c in cols] == [("actual", 2016), ("actual", 2015)]
    assert cols[0].period_start == "2016-01-01" and cols[0].period_end == "2016-12-31"


def test_plan_years_are_budget_and_earlier_years_actual():
    cols = build_columns(["Andel (%)", "Medlemsavgift 2017 (kr)", "Medlemsavgift 2018 (kr)"], PLAN)
    assert [(c.role, c.year, c.unit) for c in cols] == [
        ("share", None, "percent"),
        ("actual", 2017, "kr"),
        ("budget", 2018, "kr"),
    ]


def test_yearless_headers_take_the_table_or_document_year_and_period():
    cols = build_columns(
        ["Utfall jan-aug", "Aktuell budget jan-aug", "Avvikelse jan-aug", "Prognos Helår"], INTERIM
    )
    assert [(c.role, c.year) for c in cols] == [
        ("actual", 2016),
        ("budget", 2016),
        ("variance", 2016),
        ("forecast", 2016),
    ]
    assert (cols[0].period_start, cols[0].period_end) == ("2016-01-01", "2016-08-31")
    assert (cols[3].period_start, cols[3].period_end) == ("2016-01-01", "2016-12-31")
    unit_only = build_columns(["Tkr", "Budget"], INTERIM)
    assert [(c.role, c.year, c.unit) for c in unit_only] == [("actual", 2016, "tkr"), ("budget", 2016, None)]


def test_keys_are_unique():
    cols = build_columns(["Budget jan-aug", "Budget helår"], INTERIM)
    assert len({c.key for c in cols}) == 2


def test_units_and_scale_text():
    assert header_unit("Belopp i kr.") == "kr"
    assert header_unit("Belopp i tkr") == "tkr"
    assert header_unit("Nettokostnad och finansnetto i tkr per område") == "tkr"
    assert header_unit("Kostnad (mnkr)") == "mkr"
    assert (
        clean_header("Medelvärde mellan 1-6 där 1= Inte alls och 6 = Helt och hållet.")
        == "Medelvärde mellan 1-6"
    )


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("Årsbudget 2016", "budget"),
        ("Helårsprognos", "forecast"),
        ("Budgetavvikelse", "variance"),
        ("Ack. utfall", "actual"),
        ("Bokslut 2015", "actual"),
    ],
)
def test_role_words_inside_compounds(header, role):
    assert header_role(header) == role


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("Awvikelse 2016", "variance"),
        ("Budgel", "budget"),
        ("Prognas helår", "forecast"),
        # the misread role word outranks the count the rest of the header names
        ("Arbete/studier (procen 1)", "share"),
        ("Arbete/studier", "count"),
        ("Avslutade", "count"),
    ],
)
def test_role_words_ocr_misread_by_a_letter(header, role):
    assert header_role(header) == role


def test_a_period_run_together_with_its_role_word_by_ocr_still_tells_the_columns_apart():
    # a scanned delårsrapport's "Aktuell budget jan-aug" read "Aktuell budgetjan-aug", beside the full-year
    # "Aktuell budget 2016": the period keeps the two budget columns apart
    cols = build_columns(
        ["Utfall jan-aug", "Aktuell budgetjan-aug", "Avvikelse jan-aug", "Aktuell budget 2016"],
        DocContext("delarsrapport", 2016),
    )
    assert [(c.role, c.period_start, c.period_end) for c in cols[:2]] == [
        ("actual", "2016-01-01", "2016-08-31"),
        ("budget", "2016-01-01", "2016-08-31"),
    ]
    assert cols[3].role == "budget" and cols[3].key != cols[1].key

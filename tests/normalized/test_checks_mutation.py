"""The cross-checks against errors nobody chose: a fixed handful of the mutation benchmark
(bench/checks_mutation.py) on the reports with gold, and a few hand-picked mutations, each of which must be
flagged at the row it breaks. Needs ../shared (the scorer and the shared gold), as in CI."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BENCH = REPO / "bench" / "checks_mutation.py"
SCORER = REPO.parent / "shared" / "eval" / "score.py"

# What the fixed set measured (seed 0, 20 mutations): the share of the detectable mutations flagged, and
# flagged at the right row (12 of 14 each before the footing read totals from the table's layout). A change
# to the rules may raise these, never lower them.
FIXED_SEED, FIXED_COUNT = 0, 20
MIN_FLAGGED = 14 / 14
MIN_AT_ROW = 14 / 14


@pytest.fixture(scope="module")
def bench():
    if not SCORER.exists():
        pytest.skip("../shared/eval/score.py is not beside the checkout")
    spec = importlib.util.spec_from_file_location("checks_mutation", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scorer(bench):
    return bench.load_scorer()


@pytest.fixture(scope="module")
def reports(bench, scorer):
    reports = bench.load_reports(None, scorer)
    if len(reports) < 6:
        pytest.skip("the reports with gold are not all beside the checkout")
    return reports


def test_every_gold_cell_of_a_figure_is_found_in_the_text(reports):
    for report in reports.values():
        goals = sum(
            len(r.get("values", {})) for t in report.gold["tables"] if t["kind"] == "goals" for r in t["rows"]
        )
        assert len(report.sites) == report.cells - goals, report.name  # goal texts are not figures


def test_fixed_mutations_are_flagged_at_the_row(bench, scorer, reports):
    mutations = bench.draw(reports, FIXED_COUNT, FIXED_SEED)
    summary = bench.summarize(bench.run(reports, mutations, scorer, jobs=1), reports)
    total = summary["total"]
    assert total["tried"] == FIXED_COUNT and total["detectable"] >= 10
    assert total["flagged"] / total["detectable"] >= MIN_FLAGGED - 1e-9, summary["missed"]
    assert total["at_row"] / total["detectable"] >= MIN_AT_ROW - 1e-9, summary["not_at_row"]
    assert not any(summary["false_errors"].values())


# (mutation, report, gold table, row label, column): a figure of each kind of table and each kind of change
HAND_PICKED = [
    ("total_1000", "003", "not5", "Summa", "c2016"),
    ("digit", "001", "administration", "Kansli löner", "p2017"),
    ("transpose", "005", "budgetuppfoljning", "Kansli", "utfall"),
    ("drop_row", "007", "rr", "Personalkostnader", None),
    ("sign", "004", "aktiv", "Personal", "budget"),
    ("sign", "003", "br", "Kassa och banktillgodohavande", "c2016"),  # a ± mix of the rows explains it
    ("total_1000", "006", "budget", "Årets resultat", "u2021"),  # a result line after subtotals
    ("digit", "003", "rr", "Finansiella intäkter", "c2015"),  # nettokostnad + finansiella poster
    ("sign", "005", "steget_forsorjning", "Försörjningsstöd", "totalt"),  # a head count with a minus
    ("total_last", "003", "ung_i_nynas", "2011-2016", "till_studier"),  # whole persons: no rounding
    ("digit", "007", "deltagare", "Jobbspåret", "kvinnor"),
]


@pytest.mark.parametrize("kind,doc,table,label,column", HAND_PICKED)
def test_hand_picked_mutation_is_flagged_at_the_row(bench, scorer, reports, kind, doc, table, label, column):
    m = bench.mutation(reports, kind, doc, table, label, column)
    [outcome] = bench.run({doc: reports[doc]}, [m], scorer, jobs=1)
    assert outcome.status == "detectable"
    assert outcome.flagged and outcome.at_row, m.describe(reports[doc])


def test_a_figure_is_changed_where_it_is_printed(bench):
    text = "<i>-10 345 000</i>"
    figure = bench.read_figure(text)
    assert (figure.value, figure.decimals) == (-10345000, 0)
    assert bench.read_figure("11,75").half == 0.005
    assert bench.read_figure("-").nil
    assert bench.read_figure("Ca 300 deltagare") is None
    assert bench.format_like("-1 066", -2066, 0) == "-2 066"
    assert bench.format_like("5 115,9", 6115.9, 1) == "6 115,9"

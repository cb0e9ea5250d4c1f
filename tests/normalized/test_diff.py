"""`finsam diff` (normalized.diff) on the Vindelådalen reports, ingested by the real pipeline: the 2017 and
2018 årsredovisningar (the 2018 report's 2017 column corrects one figure) and the 2018 verksamhetsplan in tkr
(whose budget the 2018 årsredovisning revises). The planted disagreements are found, and only they; the
changes, the lines that appeared and vanished, the order a person reads and the three formats; and the real
reports of Botkyrka Huddinge Salem in the corpus."""

from __future__ import annotations

import csv
import io
import json

import pytest

from normalized.diff import CSV_FIELDS, compare_years
from normalized.store import Store

FEDERATION = "Samordningsförbundet Vindelådalen"
AR2017, AR2018, VP2018 = (
    "vindeladalen_arsredovisning_2017.txt",
    "vindeladalen_arsredovisning_2018.txt",
    "vindeladalen_verksamhetsplan_2018.txt",
)


@pytest.fixture(scope="module")
def store(analyst_db):
    return Store(analyst_db, create=False, readonly=True)


@pytest.fixture(scope="module")
def diff(store):
    return compare_years(store, "Vindelådalen", 2017, 2018)


def line(diff, section, item, role="actual", table=None):
    found = [
        x
        for x in diff.lines
        if x.line.section == section
        and x.line.item == item
        and x.column.role == role
        and (table is None or x.line.table == table)
    ]
    assert len(found) == 1, (section, item, role, found)
    return found[0]


def figures(conflict):
    return [
        (f.source.source, f.source.table_title, f.source.page, f.source.printed, f.value)
        for f in conflict.figures
    ]


def test_the_planted_conflicts_and_only_those(diff):
    assert diff.federation == FEDERATION
    found = {(c.year, c.canonical, c.column.role): c for c in diff.conflicts}
    assert set(found) == {
        (2017, "costs_other", "actual"),  # the 2018 report's 2017 column against the 2017 report
        (2018, "costs_personnel", "budget"),  # the verksamhetsplan's budget against the revised one
        (2018, "costs_interventions", "budget"),
    }
    assert figures(found[(2017, "costs_other", "actual")]) == [
        (AR2017, "Resultaträkning", 3, "-410 000", -410_000),
        (AR2018, "Resultaträkning", 4, "-401 000", -401_000),
    ]
    assert figures(found[(2018, "costs_personnel", "budget")]) == [
        (VP2018, "Tabell 4. Budget 2018, tkr", 2, "1 300,0", 1_300_000),
        (AR2018, "Resultaträkning", 4, "-1 350 000", -1_350_000),
    ]
    assert figures(found[(2018, "costs_interventions", "budget")]) == [
        (VP2018, "Tabell 4. Budget 2018, tkr", 2, "2 800,0", 2_800_000),
        (AR2018, "Resultaträkning", 4, "-2 750 000", -2_750_000),
    ]
    # the lines carry them: the statement's line and the verksamhetsplan's both
    assert line(diff, "resultatrakning", "costs_other").conflicts == [
        diff.conflicts.index(found[(2017, "costs_other", "actual")])
    ]
    assert line(diff, "resultatrakning", "costs_personnel", "budget").conflicts
    assert line(diff, "budget", "costs_personnel", "budget", table="budget").conflicts
    assert not line(diff, "resultatrakning", "costs_personnel").conflicts


def test_figures_within_their_printed_rounding_are_no_conflict(diff):
    # Årets resultat: -262,5 tkr in the plan, -262 540 kr in the årsredovisning's budget column (40 kr);
    # Finansnetto: -2,5 tkr against -2 540 kr; Medlemsavgifter 4 200,0 tkr against 4 200 000 kr
    conflicted = {c.canonical for c in diff.conflicts}
    assert not conflicted & {"result", "financial_items", "member_contributions_total", "costs_total"}
    plan_result = line(diff, "budget", "result", "budget", table="budget")
    assert plan_result.to_value == -262_500 and plan_result.to_figures[0].source.source == VP2018


def test_a_reports_prior_year_column_is_a_source_for_that_year(diff, store):
    personnel = line(diff, "resultatrakning", "costs_personnel")
    assert [f.source.source for f in personnel.from_figures] == [AR2017, AR2018]  # the 2017 report first
    assert [f.source.source for f in personnel.to_figures] == [AR2018]
    # 2016 is only in the 2017 report's prior-year column
    earlier = compare_years(store, "Vindelådalen", 2016, 2017)
    contributions = line(earlier, "resultatrakning", "member_contributions_total")
    assert (contributions.from_value, contributions.to_value) == (3_800_000, 4_000_000)
    assert [f.source.source for f in contributions.from_figures] == [AR2017]
    assert earlier.conflicts[0].canonical == "costs_other" and len(earlier.conflicts) == 1


def test_changes_in_kronor_and_per_cent(diff):
    contributions = line(diff, "resultatrakning", "member_contributions_total")
    assert (contributions.from_value, contributions.to_value) == (4_000_000, 4_200_000)
    assert (contributions.change, contributions.change_pct, contributions.status) == (200_000, 5.0, "changed")
    # the figure shown for 2017 is the 2017 report's, even where the 2018 report corrects it
    other_costs = line(diff, "resultatrakning", "costs_other")
    assert (other_costs.from_value, other_costs.to_value, other_costs.change) == (-410_000, -395_000, 15_000)
    assert other_costs.change_pct == pytest.approx(15_000 / 410_000 * 100)
    unchanged = line(diff, "resultatrakning", "costs_other", "budget")
    assert (unchanged.change, unchanged.status) == (0, "unchanged")
    # a share changes by percentage points, not by a share of itself
    young = line(diff, "goals", "unga vindeln", "result")
    assert (young.from_value, young.to_value, young.change, young.change_pct) == (45, 42, -3, None)
    assert young.unit == "percent"
    # a nil printed as "-" is a figure of 0; its change from a figure is -100 %
    inventory = line(diff, "balansrakning", "inventarier")
    assert (inventory.to_value, inventory.change_pct) == (0, -100.0)


def test_lines_that_appeared_and_vanished(diff):
    def status(section, role="actual"):
        return {
            (x.line.item, x.column.qualifier): x.status
            for x in diff.lines
            if x.line.section == section and x.column.role == role and x.status in ("appeared", "vanished")
        }

    assert status("budget") == {("steget", ""): "vanished", ("ips vindeln", ""): "appeared"}
    assert status("budget", "budget") == {("steget", ""): "vanished", ("ips vindeln", ""): "appeared"}
    assert status("goals", "target") == {("steget", ""): "vanished", ("ips vindeln", ""): "appeared"}
    assert status("participants", "other") == {
        **{("steget", q): "vanished" for q in ("kvinnor", "man", "totalt")},
        **{("ips vindeln", q): "appeared" for q in ("kvinnor", "man", "totalt")},
    }
    assert {
        x.status for x in diff.lines if x.line.section in ("resultatrakning", "balansrakning", "note")
    } <= {
        "changed",
        "unchanged",
    }
    # a table only one year has is no list of appeared lines: the plan's budget has no 2017 to compare with
    plan = [x for x in diff.lines if x.line == ("budget", "budget", "costs_personnel")]
    assert {x.column.role: x.status for x in plan} == {"budget": "to_year_only", "forecast": "from_year_only"}
    counts = diff.counts()
    assert (counts["conflicts"], counts["appeared"], counts["vanished"]) == (3, 7, 7)


def test_the_text_reads_as_the_reports_top_to_bottom(diff):
    text = diff.text()
    headings = [
        "RESULTATRÄKNING",
        "BALANSRÄKNING",
        "KASSAFLÖDESANALYS",
        "NOTER",
        "MEDLEMSAVGIFTER",
        "BUDGET OCH BUDGETUPPFÖLJNING",
        "MÅL",
        "DELTAGARE",
    ]
    positions = [text.index(f"\n{h}\n") for h in headings]
    assert positions == sorted(positions)
    notes = [
        text.index(n)
        for n in ("Not 1 Medlemsavgifter", "Not 2 Personalkostnader", "Not 3 Kortfristiga skulder")
    ]
    assert notes == sorted(notes) and positions[3] < notes[0] < positions[4]
    statement = text[positions[0] : positions[1]]
    printed = [
        "Medlemsavgifter",
        "Övriga intäkter",
        "Personalkostnader",
        "Övriga externa kostnader",
        "Årets resultat",
    ]
    assert [statement.index(f"\n  {label} ") for label in printed] == sorted(
        statement.index(f"\n  {label} ") for label in printed
    )
    row = next(r for r in statement.splitlines() if r.startswith("  Övriga externa kostnader "))
    assert row.split()[3:6] == ["-410", "000", "-395"] and row.endswith("!")
    block = statement[statement.index(row) :].splitlines()[1:4]
    assert "2017: the documents state different figures" in block[0]
    assert "-410 000  #" in block[1] and "årsredovisning 2017, Resultaträkning, p. 3  (shown)" in block[1]
    assert "-401 000  #" in block[2] and "årsredovisning 2018, Resultaträkning, p. 4" in block[2]
    assert (
        "1 300 000 (1 300,0 tkr)" in text and "verksamhetsplan 2018, Tabell 4. Budget 2018, tkr, p. 2" in text
    )
    assert "IPS Vindeln" in text.split("\nDELTAGARE\n")[1]


def test_json_holds_the_same_content(diff):
    data = json.loads(json.dumps(diff.to_json(), ensure_ascii=False))
    assert (data["federation"]["name"], data["from"], data["to"]) == (FEDERATION, 2017, 2018)
    assert data["summary"]["conflicts"] == 3 and len(data["conflicts"]) == 3
    assert len(data["lines"]) == len(diff.lines)
    other_costs = next(
        x
        for x in data["lines"]
        if x["key"] == "costs_other" and x["section"] == "resultatrakning" and x["role"] == "actual"
    )
    assert other_costs["from"]["source"] == AR2017 and other_costs["from"]["page"] == 3
    assert [s["value"] for s in other_costs["from_sources"]] == [-410_000, -401_000]
    conflict = data["conflicts"][other_costs["conflicts"][0]]
    assert [(f["source"], f["table"], f["page"], f["printed"]) for f in conflict["figures"]] == [
        (AR2017, "Resultaträkning", 3, "-410 000"),
        (AR2018, "Resultaträkning", 4, "-401 000"),
    ]


def test_csv_is_one_row_per_figure(diff):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, CSV_FIELDS)
    writer.writeheader()
    writer.writerows(diff.csv_rows())
    rows = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    chosen = [r for r in rows if r["chosen"] == "1"]
    assert len(chosen) == sum(bool(x.from_figures) + bool(x.to_figures) for x in diff.lines)
    personnel_budget = [
        r
        for r in rows
        if r["section"] == "resultatrakning"
        and r["key"] == "costs_personnel"
        and r["role"] == "budget"
        and r["year"] == "2018"
    ]
    assert [(r["source"], r["chosen"], r["linked"], r["value"]) for r in personnel_budget] == [
        (AR2018, "1", "0", "-1350000.0"),
        (VP2018, "0", "1", "1300000.0"),  # the figure of another table it is compared with
    ]
    assert {r["conflict"] for r in personnel_budget} == {
        str(diff.conflicts.index(next(c for c in diff.conflicts if c.canonical == "costs_personnel")))
    }


def test_a_year_against_itself_lists_where_documents_disagree(store):
    same = compare_years(store, "Vindelådalen", 2017, 2017)
    assert [(c.year, c.canonical) for c in same.conflicts] == [(2017, "costs_other")]
    assert {x.status for x in same.lines} <= {"unchanged", "incomparable"}


def test_the_number_of_queries_does_not_grow_with_the_documents(tmp_path, vindeladalen_texts):
    """No query per document, table or row: a diff of a federation with five reports asks the store as many
    questions as one of three."""
    from finsam.pipeline import IngestOptions, ingest

    def statements(db, years):
        store = Store(db, create=False)
        asked = []
        store.db.conn.set_trace_callback(asked.append)
        result = compare_years(store, "Vindelådalen", *years)
        store.db.conn.set_trace_callback(None)
        return len(asked), result

    small = tmp_path / "small.db"
    ingest(list(vindeladalen_texts.values()), small, IngestOptions(jobs=1))
    later = []
    for shift in (2, 4):
        text = vindeladalen_texts["ar2018"].read_text(encoding="utf-8")
        text = text.replace("2019", "20Z9").replace("2018", "20Y8").replace("2017", str(2017 + shift))
        text = text.replace("20Y8", str(2018 + shift)).replace("20Z9", str(2019 + shift))
        path = tmp_path / f"vindeladalen_arsredovisning_{2018 + shift}.txt"
        path.write_text(text, encoding="utf-8")
        later.append(path)
    large = tmp_path / "large.db"
    ingest([*vindeladalen_texts.values(), *later], large, IngestOptions(jobs=1))
    few, small_diff = statements(small, (2017, 2018))
    many, large_diff = statements(large, (2017, 2018))
    assert few == many
    assert len(large_diff.lines) == len(small_diff.lines)
    assert large_diff.documents == small_diff.documents  # those with figures of the two years


def test_the_readme_example_is_what_finsam_prints(tmp_path, vindeladalen_texts):
    """The README's diff of these reports (a store of them alone, ids 1-3) is lines of the real output, in
    its order, so the documentation cannot drift from the command."""
    from pathlib import Path

    from finsam.pipeline import IngestOptions, ingest

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    start = readme.index("```\nSamordningsförbundet Vindelådalen: 2017 → 2018\n") + 4
    example = [
        x for x in readme[start : readme.index("```", start)].splitlines() if x.strip() not in ("…", "")
    ]
    db = tmp_path / "finsam.db"
    ingest(list(vindeladalen_texts.values()), db, IngestOptions(jobs=1))
    printed = compare_years(Store(db, create=False), "vindelådalen", 2017, 2018).text().splitlines()
    at = -1
    for shown in example:  # every line printed as the README shows it, in its order
        at = printed.index(shown, at + 1)


def test_the_real_reports_of_botkyrka_huddinge_salem(store):
    # the corpus's 2018 verksamhetsplan (001) and the 2018 årsredovisning (002, English-model OCR) with its
    # 2017 comparatives: the members paid 16 008 tkr in 2017 and 15 400 tkr in 2018, and the plan's budget
    # (25 599 tkr of costs) is not the one the annual report's budget column follows (24 552 tkr)
    bhs = compare_years(store, "botkyrka", 2017, 2018)
    contributions = line(bhs, "resultatrakning", "member_contributions_total")
    assert (contributions.from_value, contributions.to_value) == (16_008_000, 15_400_000)
    assert (contributions.change, contributions.status) == (-608_000, "changed")
    state = line(bhs, "note", "member_contribution_state")
    assert (state.from_value, state.to_value) == (8_004_000, 7_700_000)
    budgets = {
        (c.year, c.canonical): sorted((f.source.doc_type, f.value) for f in c.figures)
        for c in bhs.conflicts
        if c.column.role == "budget"
    }
    assert budgets[(2018, "costs_total")] == [("arsredovisning", 24_552_000), ("verksamhetsplan", 25_599_000)]
    assert all(
        {t for t, _ in figures} == {"arsredovisning", "verksamhetsplan"} for figures in budgets.values()
    )

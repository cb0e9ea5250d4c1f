"""The multi-federation generator (corpus.federations): the same seed writes the same bytes, and on 20
federations × 3 years of generated reports, ingested by the real pipeline, `finsam diff` finds exactly the
restatements and revised budgets the manifest records, `finsam check` finds no error but the injected ones,
and `finsam series` follows the state's contribution through every federation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpus.federations import generate, write
from finsam.cli import cli
from finsam.terms import CANONICAL_KEYS
from finsam.vocabulary import canonical_for
from normalized.diff import compare_years
from normalized.series import figure_series
from normalized.store import Store

SEED = 12
YEARS = range(2019, 2022)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """(corpus, its folder, a store of its texts): generated and ingested once for the module."""
    from finsam.pipeline import IngestOptions, ingest

    out = tmp_path_factory.mktemp("federations")
    corpus = generate(SEED, 20, YEARS)
    write(corpus, out)
    db = out / "finsam.db"
    outcomes = ingest(sorted((out / "text").glob("*.txt")), db, IngestOptions(jobs=2))
    assert [o.status for o in outcomes] == ["ingested"] * len(corpus.reports), outcomes
    return corpus, out, db


@pytest.fixture(scope="module")
def store(generated):
    return Store(generated[2], create=False, readonly=True)


def manifest(generated) -> dict:
    return json.loads((generated[1] / "manifest.json").read_text(encoding="utf-8"))


def test_the_same_seed_writes_the_same_bytes(generated, tmp_path):
    _, out, _ = generated
    again = tmp_path / "again"
    write(generate(SEED, 20, YEARS), again)
    files = sorted(p.relative_to(out) for p in (out / "text").iterdir()) + [Path("manifest.json")]
    assert files[1:-1] and sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file()) == sorted(
        files
    )
    assert all((out / f).read_bytes() == (again / f).read_bytes() for f in files)
    other = tmp_path / "other"
    write(generate(SEED + 1, 20, YEARS), other)
    assert (other / "manifest.json").read_bytes() != (out / "manifest.json").read_bytes()


def test_the_corpus_varies_as_real_reports_do(generated):
    corpus, _, _ = generated
    federations = corpus.federations
    assert len({f.name for f in federations}) == 20
    assert {len(f.kommuner) for f in federations} >= {1, 2, 3}
    assert {f.style.ar_unit for f in federations} == {"kr", "tkr"}
    assert {f.style.rr_budget for f in federations} == {"after", "before", "none"}
    assert {r.doc_type for r in corpus.reports} == {"arsredovisning", "verksamhetsplan", "delarsrapport"}
    # insatser start and end within the years
    assert any(i.start in YEARS for f in federations for i in f.insatser)
    assert any(i.end is not None and i.end < YEARS[-1] for f in federations for i in f.insatser)
    # every kind of injection, recorded
    assert {(i.kind, i.how) for i in corpus.injections} >= {
        ("restatement", "reclassification"),
        ("restatement", "correction"),
        ("revised_budget", "increase"),
        ("error", "transposed digits"),
    }


def test_each_federation_is_read_by_its_name_with_all_its_reports(generated, store):
    corpus, _, _ = generated
    stored = dict(
        store.db.conn.execute(
            "SELECT name, (SELECT count(*) FROM documents d WHERE d.federation_id = f.id) FROM federations f"
        )
    )
    assert stored == {f.name: sum(1 for r in corpus.reports if r.federation is f) for f in corpus.federations}
    assert not store.db.conn.execute(
        "SELECT count(*) FROM federation_aliases WHERE kept_apart IS NOT NULL"
    ).fetchone()[0]


def test_the_labels_are_the_vocabularys():
    # the labels a federation may print for a line are read by finsam as that line's key
    from corpus.federations.profiles import LABEL_CHOICES

    for key, labels in LABEL_CHOICES.items():
        assert key in CANONICAL_KEYS
        for label in labels:
            kind = "balansrakning" if key in ("cash", "equity_opening") else "resultatrakning"
            assert canonical_for(label, kind) == key, label


def _same_conflict(conflict, entry) -> bool:
    """Is the diff's conflict the manifest's: the same year, and both figures among its figures?"""

    def stated(figure) -> bool:
        return any(
            f.source.source == figure["document"]
            and f.source.row_label == figure["label"]
            and abs(abs(f.value) - abs(figure["value"])) < 1
            for f in conflict.figures
        )

    return conflict.year == entry["year"] and all(stated(f) for f in entry["figures"])


def test_diff_finds_every_injected_conflict_and_nothing_else(generated, store):
    corpus, _, _ = generated
    entries = manifest(generated)["conflicts"]
    # budgets are compared across tables by canonical key, a budget line without one (an insats) by its
    # label: every conflict of the manifest is one
    expected = entries
    assert any(e["kind"] == "revised_budget" and not e["canonical"] for e in expected)
    found: dict[str, dict] = {}
    for federation in corpus.federations:
        conflicts = {}
        for year in YEARS:  # each year with the one before: the first against its prior-year column
            for c in compare_years(store, federation.name, year - 1, year).conflicts:
                conflicts[(c.year, c.line, c.column, frozenset(f.id for f in c.figures))] = c
        found[federation.name] = list(conflicts.values())
    missed = [e for e in expected if not any(_same_conflict(c, e) for c in found[e["federation"]])]
    extra = [
        (name, c.year, c.label, [f.source.describe() for f in c.figures])
        for name, conflicts in found.items()
        for c in conflicts
        if not any(_same_conflict(c, e) for e in entries if e["federation"] == name)
    ]
    assert missed == [] and extra == []
    kinds = {e["kind"] for e in expected}
    assert kinds == {"restatement", "revised_budget", "error"}
    assert sum(map(len, found.values())) >= 100  # a corpus this size has many
    # every restatement and revision injected shows in at least one conflict
    shown = {e["injection"] for e in expected}
    injected = {i.id for i in corpus.injections if i.kind != "error"}
    assert injected <= shown


def test_check_errors_are_the_injected_ones(generated):
    corpus, _, db = generated
    result = CliRunner().invoke(cli, ["check", "--db", str(db), "--format", "json", "--severity", "warning"])
    assert result.exit_code == 1  # the injected errors
    errors = {
        (d["document"], f["table"], f["row"])
        for d in json.loads(result.output)
        for f in d["findings"]
        if f["severity"] == "error"
    }
    injected = {
        (e["document"], e["table"].split(" ", 2)[2], e["total"]) for e in manifest(generated)["errors"]
    }
    assert errors == injected and len(injected) >= 3
    warnings = {
        f["rule"] for d in json.loads(result.output) for f in d["findings"] if f["severity"] == "warning"
    }
    assert warnings == {"restatement"}


def test_series_follows_the_states_contribution_through_every_federation(generated, store):
    corpus, _, _ = generated
    series = figure_series(store, "member_contribution_state")
    values = {(v.federation, v.year): v for v in series.values}
    for federation in corpus.federations:
        books = corpus.ledgers[federation.name].reported
        for year in range(YEARS[0] - 1, YEARS[-1] + 1):  # the year before the first from its prior column
            value = values[(federation.name, year)]
            assert value.shown.value == books[year].members["state"], (federation.name, year)
            assert not value.disagreeing, (federation.name, year)
            # Finsam law §5: the state pays half of what the members pay
            assert value.shown.value * 2 == sum(books[year].members.values())


def test_sweden_s_number_of_federations_fits_and_more_is_one_line(tmp_path):
    """Some 75 federations hold Sweden's 290 kommuner; the generator makes as many, each with its own
    kommuner, and says in one line when asked for more than the kommuner hold (it looped before)."""
    from corpus.federations.__main__ import main

    corpus = generate(12, 75, range(2021, 2022))
    seats = [k for f in corpus.federations for k in f.kommuner]
    assert len(corpus.federations) == 75 and len(seats) == len(set(seats))
    assert main(["--seed", "12", "--federations", "200", "--out", str(tmp_path / "out")]) == 2
    assert not (tmp_path / "out").exists()


def _findings_across(db: Path) -> set[tuple]:
    rows = Store(db, create=False, readonly=True).db.conn.execute(
        """SELECT d.sha256, o.sha256, f.rule, f.row, f.column, f.stated, f.expected
           FROM findings f JOIN documents d ON d.id = f.document_id
           JOIN documents o ON o.id = f.other_document_id"""
    )
    return set(rows)


def test_findings_across_documents_do_not_depend_on_the_order_of_the_runs(generated, tmp_path):
    # each run works out again the findings of the federations it touched only: a store filled year by
    # year, the last year first, holds the findings of the store filled at once
    from finsam.pipeline import IngestOptions, ingest

    _, out, db = generated
    files = sorted((out / "text").glob("*.txt"))
    once = _findings_across(db)
    assert {f[2] for f in once} == {"restatement", "revised_budget"} and len(once) >= 100
    parts = tmp_path / "parts.db"
    for year in (2021, 2019, 2020):
        part = [f for f in files if f.stem.endswith(str(year))]
        assert part and all(o.status == "ingested" for o in ingest(part, parts, IngestOptions(jobs=2)))
    assert _findings_across(parts) == once
    # one report again (--force): its federation's findings are worked out again, the others stand
    store = Store(parts)
    store.db.conn.execute("UPDATE findings SET message = 'kept' WHERE other_document_id IS NOT NULL")
    store.db.conn.commit()
    one = next(f for f in files if f.stem.endswith("2020"))
    [o] = ingest([one], parts, IngestOptions(force=True))
    assert o.status == "ingested" and _findings_across(parts) == once
    again = store.db.conn.execute(
        """SELECT DISTINCT d.federation FROM findings f JOIN documents d ON d.id = f.document_id
           WHERE f.other_document_id IS NOT NULL AND f.message != 'kept'"""
    ).fetchall()
    assert again == [(next(iter(store.federations_of([o.document_id]))),)]
    assert store.db.conn.execute("SELECT count(*) FROM findings WHERE message = 'kept'").fetchone()[0] > 50

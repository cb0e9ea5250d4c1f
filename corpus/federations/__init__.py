"""A corpus of fictitious federations' reports over several years, for the tests of `finsam diff`, `finsam
series` and of scale:

    python -m corpus.federations --seed 0 --federations 20 --years 2019-2021 --out DIR [--producer reportlab]

For each federation (`profiles`) and year, a verksamhetsplan with budget, an årsredovisning and, for some
federations, a delårsrapport, written (`reports`) from one set of books (`ledger`): every report adds up,
each årsredovisning's prior-year column is the year before's report, its budget column the plan's budget,
the members pay by the law's shares. Then, by seed, some prior-year columns are restated (the line, its
totals and whatever follows from them, so the report still adds up), some budgets revised by the board
after the plan, and some note lines misprinted so their total no longer adds up. `DIR/manifest.json`
lists them (`manifest`): the figures two documents state differently and the figures that break their
document's totals. The same seed gives the same bytes. Texts go to `DIR/text/`; with `--producer`, each
text is also rendered through the layout sweep (`corpus.sweep`) into `DIR/<producer>/`.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .ledger import (
    RESTATEMENT_KINDS,
    REVISION_KINDS,
    Budget,
    Ledger,
    draw_interim,
    draw_ledger,
    rebuild_after,
    restate,
    revise,
)
from .manifest import InjectedError, disagreements, inject_error
from .profiles import Federation, make_federations
from .reports import Report, annual_report, interim_report, plan

# How often, per federation and year, each thing is injected.
RESTATEMENT_RATE = 0.4  # the next årsredovisning restates the year
REVISION_RATE = 0.35  # the årsredovisning's budget column is not the plan's
ERROR_RATE = 0.12  # a note line of the årsredovisning is misprinted


@dataclass
class Injection:
    id: int
    kind: str  # restatement | revised_budget | error
    how: str  # reclassification, correction, …; reallocation, increase, grant; transposed digits
    federation: str
    year: int  # the year whose figures it changes
    document: str  # the report that prints the changed figures
    description: str

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Corpus:
    seed: int
    years: range
    federations: list[Federation]
    reports: list[Report]
    injections: list[Injection] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    renderings: dict[str, dict[str, str]] = field(default_factory=dict)  # text file -> producer -> path
    ledgers: dict[str, Ledger] = field(default_factory=dict)  # federation name -> the books its reports print

    def manifest(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "years": [self.years[0], self.years[-1]],
            "federations": [
                {
                    "name": f.name,
                    "members": list(f.members),
                    "ar_unit": f.style.ar_unit,
                    "plan_unit": f.style.plan_unit,
                    "delarsrapport": f.style.interim,
                }
                for f in self.federations
            ],
            "documents": [
                {
                    "file": f"text/{r.filename}",
                    "federation": r.federation.name,
                    "doc_type": r.doc_type,
                    "year": r.year,
                    **({"renderings": self.renderings[r.filename]} if r.filename in self.renderings else {}),
                }
                for r in self.reports
            ],
            "injections": [i.to_json() for i in self.injections],
            "conflicts": self.conflicts,
            "errors": self.errors,
        }


def generate(seed: int, federations: int, years: range) -> Corpus:
    """The reports and what was injected into them, in memory; `write` puts them on disk."""
    corpus = Corpus(seed, years, make_federations(seed, federations, years), [])
    for federation in corpus.federations:
        _federation_reports(corpus, federation, random.Random(f"ledger:{seed}:{federation.index}"))
    return corpus


class UnexplainedDifference(RuntimeError):
    """Two reports print a figure differently though nothing was injected there: a generator bug."""


def _federation_reports(corpus: Corpus, federation: Federation, rng: random.Random) -> None:
    """One federation's reports of every year, with its injections recorded in `corpus`."""
    years = corpus.years
    ledger = draw_ledger(federation, years, rng)
    corpus.ledgers[federation.name] = ledger
    log = _Log(corpus, federation)
    _restate(ledger, years, rng, log)
    stated = _revise(ledger, years, rng, log)
    if federation.style.interim:
        draw_interim(ledger, years, rng)
    reports: list[Report] = []
    for year in years:
        reports.append(plan(federation, ledger, year))
        if federation.style.interim:
            reports.append(interim_report(federation, ledger, year))
        reports.append(annual_report(federation, ledger, year, stated[year], log.remarks.get(year, [])))
    errors = _misprint(reports, rng, log)
    _record_conflicts(reports, errors, log)
    for e in errors:
        corpus.errors.append(
            {
                "injection": log.injected[("error", e.report.year)].id,
                "federation": federation.name,
                "year": e.report.year,
                "document": e.report.filename,
                "table": e.table.caption,
                "label": e.line.label,
                "printed": e.printed,
                "expected": e.expected,
                "total": e.total,
            }
        )
    corpus.reports.extend(reports)


@dataclass
class _Log:
    """What is injected into one federation's reports, and the sentences its reports give for it."""

    corpus: Corpus
    federation: Federation
    injected: dict[tuple[str, int], Injection] = field(default_factory=dict)  # (kind, year) -> injection
    remarks: dict[int, list[str]] = field(default_factory=dict)  # årsredovisning's year -> sentences

    def record(self, kind: str, how: str, year: int, report_year: int, description: str) -> None:
        """An injection changing figures of `year`, printed by the årsredovisning of `report_year`."""
        document = Report(self.federation, "arsredovisning", report_year).filename
        corpus = self.corpus
        injection = Injection(
            len(corpus.injections) + 1, kind, how, self.federation.name, year, document, description
        )
        corpus.injections.append(injection)
        self.injected[(kind, year)] = injection
        if kind != "error":
            self.remarks.setdefault(report_year, []).append(description)


def _restate(ledger: Ledger, years: range, rng: random.Random, log: _Log) -> None:
    """Some years restated by the next year's report (a year with no report of its own never is)."""
    for year in years[1:]:
        if rng.random() >= RESTATEMENT_RATE:
            continue
        # moving costs between insatser shows only where a note lists them
        notes = ledger.federation.style.notes
        kinds = [k for k in RESTATEMENT_KINDS if k != "insats_reclassification" or "insatser" in notes]
        for kind in rng.sample(kinds, len(kinds)):
            done = restate(ledger.prior[year], kind, rng)
            if done:
                ledger.prior[year], sentence = done
                rebuild_after(ledger, year - 1)
                log.record("restatement", kind, year - 1, year, sentence)
                break


def _revise(ledger: Ledger, years: range, rng: random.Random, log: _Log) -> dict[int, Budget]:
    """Each year's budget as its årsredovisning prints it: the plan's, or as the board revised it."""
    stated: dict[int, Budget] = {}
    for year in years:
        stated[year] = ledger.budgets[year]
        if rng.random() >= REVISION_RATE:
            continue
        # a reallocation within the kansli shows only where the resultaträkning prints the budget
        show = ledger.federation.style.rr_budget != "none"
        kind = rng.choice([k for k in REVISION_KINDS if k != "reallocation" or show])
        done = revise(ledger.budgets[year], kind, rng)
        if done:
            stated[year], sentence = done
            log.record("revised_budget", kind, year, year, sentence)
    return stated


def _misprint(reports: list[Report], rng: random.Random, log: _Log) -> list[InjectedError]:
    """Some årsredovisningar get a note line misprinted, on a line no other injection changes."""
    changed = {(f.report.filename, f.table.ref, f.line.key) for pair in disagreements(reports) for f in pair}
    errors = []
    for report in reports:
        if report.doc_type != "arsredovisning" or rng.random() >= ERROR_RATE:
            continue
        avoid = {(ref, key) for name, ref, key in changed if name == report.filename}
        error = inject_error(report, rng, avoid)
        if error:
            errors.append(error)
            description = f"{error.line.label} printed {error.printed} for {error.expected}"
            log.record("error", "transposed digits", report.year, report.year, description)
    return errors


def _record_conflicts(reports: list[Report], errors: list[InjectedError], log: _Log) -> None:
    """Every figure two reports print differently, with the injection that explains it."""
    wrong = {(e.report.filename, e.table.ref, e.line.key, e.position) for e in errors}
    for a, b in disagreements(reports):
        misprinted = any((f.report.filename, f.table.ref, f.line.key, f.position) in wrong for f in (a, b))
        kind = "error" if misprinted else ("revised_budget" if a.column.role == "budget" else "restatement")
        injection = log.injected.get((kind, a.column.year))
        if injection is None:
            raise UnexplainedDifference(
                f"{log.federation.name}: {a.line.label} {a.column.year} differs between {a.report.filename} "
                f"and {b.report.filename}, but nothing was injected there"
            )
        log.corpus.conflicts.append(
            {
                "injection": injection.id,
                "kind": kind,
                "federation": log.federation.name,
                "year": a.column.year,
                "role": a.column.role,
                "document": b.report.filename,
                "table": b.table.caption,
                "label": b.line.label,
                "canonical": b.canonical,
                "figures": [a.record(), b.record()],
            }
        )


def write(corpus: Corpus, out: Path, producers: tuple[str, ...] = ()) -> Path:
    """The texts in `out/text/`, each also rendered by every producer into `out/<producer>/`, and
    `out/manifest.json`. Returns the manifest's path."""
    text_dir = out / "text"
    text_dir.mkdir(parents=True, exist_ok=True)
    for n, report in enumerate(corpus.reports):
        text = report.text()
        (text_dir / report.filename).write_text(text, encoding="utf-8")
        for producer in producers:
            from corpus.sweep import render

            target = out / producer / (Path(report.filename).stem + f".{producer}.pdf")
            target.parent.mkdir(parents=True, exist_ok=True)
            render(text, producer, corpus.seed * 1000 + n, target)
            corpus.renderings.setdefault(report.filename, {})[producer] = str(target.relative_to(out))
    path = out / "manifest.json"
    path.write_text(json.dumps(corpus.manifest(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path

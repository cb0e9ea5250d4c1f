"""The mutation benchmark of the cross-checks, run on demand:

    python bench/checks_mutation.py [--mutations 300] [--seed 0] [--reports FILE ...] [--jobs 1] [--json F]

The corpus holds a dozen real errors; this measures the checks on errors nobody chose. Each report with gold
(the shared three and corpus/authored/) is ingested as printed, then again with one printed figure changed in
its text, many times over, and the findings of each changed report are compared with those of the report as
printed. A mutation is one of:

- ``digit``: one digit of a figure replaced by another;
- ``sign``: a figure's sign turned (a minus added or dropped);
- ``transpose``: two adjacent, different digits swapped;
- ``drop_row``: a line of figures left out (a row that is not a total);
- ``total_1000``: a total off by 1 000 (in the table's printed unit);
- ``total_last``: a total off by one in its last printed digit.

The figures changed are the table cells the gold lists, found in the text by their row's label and values
(so the figure changed is the one the gold means, not another occurrence of the same digits). Which figures
belong together is read from the gold too, independently of finsam: each gold total against the rows it
closes (the shortest run back from it that adds up, subtotals standing for their rows), the figures of a row
that add up across it (utfall − budget = avvikelse, ingående + förändring = utgående, kvinnor + män =
totalt), shares against part ÷ base, a figure printed in two tables (a note's total and its statement line),
and the statement identities (the balance sheet balances, equity moves by the result, the cash flow's cash
and working-capital lines against the balance sheet). Only relations that hold in the gold count, within
the rounding of XBRL Calculation 1.1 (each printed figure ± half a unit of its last digit). A mutation is

- ``detectable`` when it breaks at least one of them beyond that rounding;
- ``hidden`` when it changes figures of relations that all still hold within the rounding;
- ``uncovered`` when no relation involves the figure (a figure no total or identity covers).

For a detectable mutation: ``flagged`` when the changed report has an error or warning finding the report
as printed has not; ``at row`` when one of them names the changed row, or the total (or the other side of
the identity) the change breaks, in the gold table that holds it. The rule of that finding is counted.
Also printed: the false errors on the reports as printed (errors that match no gold inconsistency, as
../shared/eval/score.py counts them) and the detectable mutations that were missed.

A text report is ingested in a few tenths of a second (read, extract, repair figures, check: what
``finsam ingest`` does, without the store), so 300 mutations take about two minutes on one core.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/, for gold_relations

from gold_relations import (  # noqa: E402 - after the path is set
    Cell,
    Figure,
    Figures,
    Relation,
    Report,
    fields_of,
    format_like,
    locate,
    read_figure,
    relations,
)

SHARED = REPO.parent / "shared"
REPORTS = (
    (SHARED / "corpus", SHARED / "gold", ("001", "003", "004")),
    (REPO / "corpus" / "authored", REPO / "corpus" / "authored" / "gold", ("005", "006", "007")),
)
MUTATION_TYPES = ("digit", "sign", "transpose", "drop_row", "total_1000", "total_last")
TOTAL_ONLY = ("total_1000", "total_last")
SEVERE = ("error", "warning")


def load_scorer():
    path = SHARED / "eval" / "score.py"
    spec = importlib.util.spec_from_file_location("finsam_gold_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- figures as printed in the text ---------------------------------------------------------------------


@dataclass
class Mutation:
    kind: str
    report: str
    table: str  # gold table id
    row: int  # gold row index
    column: str | None  # None for a dropped row
    printed: str  # the field (or line) as printed
    mutated: str | None  # the field as changed; None for a dropped line
    line: int
    field: int | None
    changed: dict[Cell, float | None]

    def describe(self, report: Report) -> str:
        t = report.table(self.table)
        label = t["rows"][self.row]["label"]
        where = f"{self.report} {self.table} / {label}" + (f" [{self.column}]" if self.column else "")
        shown = (
            "(line left out)"
            if self.mutated is None
            else f"{self.printed.strip()!r} -> {self.mutated.strip()!r}"
        )
        return f"{self.kind:<10} {where}: {shown}"


def _digit_positions(text: str, figure: Figure) -> list[int]:
    return [i for i in range(figure.start, figure.end) if text[i].isdigit()]


def _mutated_field(kind: str, text: str, figure: Figure, rng: random.Random) -> str | None:
    """The field with its figure changed by `kind`, or None when the change does not apply to it."""
    if figure.nil and kind != "drop_row":
        return None
    digits = _digit_positions(text, figure)
    body = text[figure.start : figure.end]
    if kind == "digit":
        at = rng.choice(digits)
        first = at == digits[0] and len(digits) > 1
        choices = [d for d in "0123456789" if d != text[at] and not (first and d == "0")]
        return text[:at] + rng.choice(choices) + text[at + 1 :]
    if kind == "transpose":
        pairs = [
            (a, b)
            for a, b in itertools.pairwise(digits)
            if text[a] != text[b] and not (a == digits[0] and text[b] == "0")
        ]
        if not pairs:
            return None
        a, b = rng.choice(pairs)
        chars = list(text)
        chars[a], chars[b] = chars[b], chars[a]
        return "".join(chars)
    if kind == "sign":
        if figure.value == 0:
            return None
        stripped = body.lstrip()
        if stripped[0] in "-−–+":
            new = stripped[1:].lstrip()
        else:
            new = "-" + stripped
        return text[: figure.start] + new + text[figure.end :]
    if kind in TOTAL_ONLY:
        step = 1000.0 if kind == "total_1000" else 10.0 ** (-figure.decimals)
        value = figure.value + rng.choice((1, -1)) * step
        return text[: figure.start] + format_like(body, value, figure.decimals) + text[figure.end :]
    return None


def draw(reports: dict[str, Report], n: int, seed: int) -> list[Mutation]:
    """n mutations, the kinds taken in turn, each on a gold cell (or row) drawn at random with `seed`."""
    rng = random.Random(seed)
    sites = sorted(
        ((c, s) for r in reports.values() for c, s in r.sites.items()),
        key=lambda cs: (cs[0].doc, cs[0].table, cs[0].row, cs[0].column),
    )
    by_line: dict[tuple[str, int], list[Cell]] = defaultdict(list)
    for c, s in sites:
        by_line[(c.doc, s.line)].append(c)
    rows = sorted({(c.doc, c.table, c.row, s.line) for c, s in sites})
    out: list[Mutation] = []
    seen: set = set()
    for i in range(n):
        kind = MUTATION_TYPES[i % len(MUTATION_TYPES)]
        for _ in range(200):
            if kind == "drop_row":
                doc, table, row, line = rng.choice(rows)
                if reports[doc].table(table)["rows"][row].get("is_total"):
                    continue
                key = (kind, doc, line)
                if key in seen:
                    continue
                seen.add(key)
                report = reports[doc]
                changed = {c: None for c in by_line[(doc, line)]}
                out.append(
                    Mutation(kind, doc, table, row, None, report.lines[line], None, line, None, changed)
                )
                break
            cell, site = rng.choice(sites)
            report = reports[cell.doc]
            if kind in TOTAL_ONLY and not report.table(cell.table)["rows"][cell.row].get("is_total"):
                continue
            text = fields_of(report.lines[site.line])[site.field]
            new = _mutated_field(kind, text, site.figure, rng)
            figure = read_figure(new) if new is not None else None
            if figure is None or figure.value == site.figure.value or (cell.doc, site.line, new) in seen:
                continue
            seen.add((cell.doc, site.line, new))
            changed = {
                c: figure.value for c in by_line[(cell.doc, site.line)] if report.sites[c].field == site.field
            }
            out.append(
                Mutation(
                    kind,
                    cell.doc,
                    cell.table,
                    cell.row,
                    cell.column,
                    text,
                    new,
                    site.line,
                    site.field,
                    changed,
                )
            )
            break
    return out


def mutation(
    reports: dict[str, Report], kind: str, doc: str, table: str, label: str, column: str | None, seed: int = 0
) -> Mutation:
    """The mutation `kind` of one given gold cell (the row's line, for drop_row): for a test, or to look at
    one case again."""
    report = reports[doc]
    row = next(i for i, r in enumerate(report.table(table)["rows"]) if r["label"] == label)
    if kind == "drop_row":
        line = next(s.line for c, s in report.sites.items() if (c.table, c.row) == (table, row))
        changed = {c: None for c, s in report.sites.items() if s.line == line}
        return Mutation(kind, doc, table, row, None, report.lines[line], None, line, None, changed)
    cell = Cell(doc, table, row, column)
    site = report.sites[cell]
    text = fields_of(report.lines[site.line])[site.field]
    new = _mutated_field(kind, text, site.figure, random.Random(seed))
    if new is None:
        raise ValueError(f"{kind} does not apply to {text!r}")
    value = read_figure(new).value
    changed = {c: value for c, s in report.sites.items() if (s.line, s.field) == (site.line, site.field)}
    return Mutation(kind, doc, table, row, column, text, new, site.line, site.field, changed)


def mutated_text(report: Report, m: Mutation) -> str:
    lines = list(report.lines)
    if m.mutated is None:
        del lines[m.line]
    else:
        fields = fields_of(lines[m.line])
        fields[m.field] = m.mutated
        lines[m.line] = "\t".join(fields)
    return "\n".join(lines)


def classify(report: Report, m: Mutation) -> tuple[str, list[Relation]]:
    """detectable (with the relations it breaks), hidden (by rounding) or uncovered."""
    touched = [r for r in report.relations if r.cells() & set(m.changed)]
    if not touched:
        return "uncovered", []
    figures = Figures(report, m.changed)
    broken = [r for r in touched if figures.holds(r) is False]
    return ("detectable" if broken else "hidden"), broken


# --- ingesting -------------------------------------------------------------------------------------------


def ingest_text(job: tuple[str, str]) -> tuple[list[dict], dict[str, list]]:
    """Read, extract, repair and check one report text as `finsam ingest` does (without the store): the
    findings, and each table's rows (label, figures) by table id."""
    from finsam.model import to_dict
    from finsam.pipeline import process_file

    name, text = job
    with tempfile.TemporaryDirectory(prefix="finsam-mutation-") as tmp:
        path = Path(tmp) / name
        path.write_text(text, encoding="utf-8")
        _, extraction = process_file(path, ocr="never")
    tables = {
        t.id: [(r.label, [v.value for v in r.values.values() if v.value is not None]) for r in t.rows]
        for t in extraction.tables
    }
    return [to_dict(f) for f in extraction.findings], tables


def gold_table_of(rows: list[tuple[str, list[float]]], report: Report, scorer) -> str | None:
    """The gold table an extracted table is: the one most of whose figures it holds under the same label
    (three tables of one report may all have rows Personal, Lokal, Övrigt and Totalt)."""
    have = {(scorer.norm(label), round(v, 6)) for label, values in rows for v in values}
    best, score = None, (0, 0.0)
    for gt in report.gold.get("tables", []):
        want = {
            (scorer.norm(r["label"]), round(float(v), 6))
            for r in gt.get("rows", [])
            for v in r.get("values", {}).values()
            if isinstance(v, int | float)
        }
        found = len(want & have)
        # a note repeats lines of its statement: of two tables holding as many, the one of which more is held
        if found and (found, found / len(want)) > score:
            best, score = gt["id"], (found, found / len(want))
    return best


@dataclass
class Outcome:
    mutation: Mutation
    status: str  # detectable | hidden | uncovered
    flagged: bool = False
    at_row: bool = False
    rule: str | None = None
    rules: list[str] = field(default_factory=list)


def assess(report: Report, m: Mutation, findings: list[dict], tables: dict, scorer) -> Outcome:
    status, broken = classify(report, m)
    new = [
        f
        for f in findings
        if f["severity"] in SEVERE
        and (f["rule"], f["table"], f["row"], f["column"], f["stated"], f["expected"]) not in report.baseline
    ]
    outcome = Outcome(m, status, flagged=bool(new), rules=sorted({f["rule"] for f in new}))
    right = {(m.table, m.row)} if m.mutated is not None else set()
    for rel in broken:
        right.add((rel.target.table, rel.target.row))
        if rel.kind in ("same", "identity", "share", "row"):
            right.update((c.table, c.row) for c, _ in rel.parts)
    labels = {(t, scorer.norm(report.table(t)["rows"][r]["label"])) for t, r in right}
    for f in new:
        gold_table = gold_table_of(tables.get(f["table_id"], []), report, scorer)
        if (gold_table, scorer.norm(f["row"])) in labels:
            outcome.at_row, outcome.rule = True, f["rule"]
            break
    if outcome.rule is None and new:
        outcome.rule = new[0]["rule"]
    return outcome


def load_reports(paths: list[Path] | None, scorer) -> dict[str, Report]:
    reports = {}
    for folder, gold_dir, stems in REPORTS:
        for stem in stems:
            for text_path in sorted(folder.glob(f"{stem}_*.txt")):
                gold_path = gold_dir / f"{text_path.stem}.json"
                if not gold_path.exists() or paths and text_path.resolve() not in paths:
                    continue
                text = text_path.read_text(encoding="utf-8")
                report = Report(
                    text_path.stem[:3], text_path, json.loads(gold_path.read_text("utf-8")), text.split("\n")
                )
                locate(report, scorer)
                report.relations = relations(report, scorer)
                reports[report.name] = report
    return reports


def baseline(reports: dict[str, Report], scorer, pool) -> None:
    """The findings of each report as printed, and its false errors."""
    jobs = [(r.path.name, "\n".join(r.lines)) for r in reports.values()]
    for report, (findings, _) in zip(reports.values(), pool(ingest_text, jobs), strict=True):
        report.baseline = {
            (f["rule"], f["table"], f["row"], f["column"], f["stated"], f["expected"])
            for f in findings
            if f["severity"] in SEVERE
        }
        scored = scorer.score_doc({"findings": findings}, report.gold)
        benign = (
            report.gold.get("inconsistencies", [])
            + report.gold.get("also_acceptable", [])
            + [x for x in report.gold.get("rounding_notes", []) if isinstance(x, dict)]
        )
        if scored["false"]:
            report.false_errors = [
                f
                for f in findings
                if f["severity"] == "error"
                and not any(
                    scorer.flag_matches(f, b) or scorer.similar(f.get("row", ""), b.get("row", "")) >= 0.8
                    for b in benign
                )
            ]


def run(reports: dict[str, Report], mutations: list[Mutation], scorer, jobs: int) -> list[Outcome]:
    if jobs > 1:
        executor = ProcessPoolExecutor(max_workers=jobs)
        pool = executor.map
    else:
        executor, pool = None, map
    try:
        baseline(reports, scorer, pool)
        texts = [(reports[m.report].path.name, mutated_text(reports[m.report], m)) for m in mutations]
        results = list(pool(ingest_text, texts))
    finally:
        if executor is not None:
            executor.shutdown()
    return [
        assess(reports[m.report], m, findings, tables, scorer)
        for m, (findings, tables) in zip(mutations, results, strict=True)
    ]


# --- the report ------------------------------------------------------------------------------------------


def summarize(outcomes: list[Outcome], reports: dict[str, Report]) -> dict:
    def line(group: list[Outcome]) -> dict:
        det = [o for o in group if o.status == "detectable"]
        return {
            "tried": len(group),
            "detectable": len(det),
            "flagged": sum(o.flagged for o in det),
            "at_row": sum(o.at_row for o in det),
            "hidden": sum(o.status == "hidden" for o in group),
            "uncovered": sum(o.status == "uncovered" for o in group),
            "uncovered_flagged": sum(o.flagged for o in group if o.status == "uncovered"),
        }

    by_type = {k: line([o for o in outcomes if o.mutation.kind == k]) for k in MUTATION_TYPES}
    kinds = sorted({reports[o.mutation.report].table(o.mutation.table)["kind"] for o in outcomes})
    by_kind = {
        k: line([o for o in outcomes if reports[o.mutation.report].table(o.mutation.table)["kind"] == k])
        for k in kinds
    }
    rules = Counter(o.rule for o in outcomes if o.status == "detectable" and o.flagged)
    return {
        "total": line(outcomes),
        "by_type": by_type,
        "by_kind": by_kind,
        "rules": dict(rules.most_common()),
        "false_errors": {
            name: [f"{f['rule']}: {f['table']} / {f['row']} ({f['column']})" for f in r.false_errors]
            for name, r in reports.items()
        },
        "missed": [
            o.mutation.describe(reports[o.mutation.report])
            for o in outcomes
            if o.status == "detectable" and not o.flagged
        ],
        "not_at_row": [
            o.mutation.describe(reports[o.mutation.report]) + f"  ({', '.join(o.rules)})"
            for o in outcomes
            if o.status == "detectable" and o.flagged and not o.at_row
        ],
    }


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:5.1f}%" if b else "    –"


def print_summary(s: dict, reports: dict[str, Report], seconds: float, show: int) -> None:
    located = sum(len(r.sites) for r in reports.values())
    cells = sum(r.cells for r in reports.values())
    print(
        f"{len(reports)} reports, {located} of the {cells} gold cells found in the text, "
        f"{sum(len(r.relations) for r in reports.values())} relations that hold in the gold; {seconds:.0f} s"
    )
    head = f"{'':<22} {'tried':>5} {'detect':>6} {'flagged':>7} {'at row':>7} {'hidden':>6} {'uncov':>5}"
    print(head)

    def row(name: str, x: dict) -> None:
        print(
            f"{name:<22} {x['tried']:>5} {x['detectable']:>6} {_pct(x['flagged'], x['detectable']):>7} "
            f"{_pct(x['at_row'], x['detectable']):>7} {x['hidden']:>6} {x['uncovered']:>5}"
        )

    row("all", s["total"])
    for k, x in s["by_type"].items():
        row(f"  {k}", x)
    for k, x in s["by_kind"].items():
        row(f"  {k}", x)
    print("flagged by: " + ", ".join(f"{k} {v}" for k, v in s["rules"].items()))
    total = s["total"]
    print(f"uncovered mutations flagged all the same: {total['uncovered_flagged']} of {total['uncovered']}")
    false = {k: v for k, v in s["false_errors"].items() if v}
    print(f"false errors on the reports as printed: {sum(len(v) for v in false.values())}")
    for name, items in false.items():
        for item in items:
            print(f"  {name} {item}")
    for title, items in (("missed", s["missed"]), ("flagged, not at the row", s["not_at_row"])):
        if items:
            print(f"{title} ({len(items)}):")
            for item in items[:show]:
                print(f"  {item}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mutations", type=int, default=300, help="how many mutations (default 300)")
    ap.add_argument("--seed", type=int, default=0, help="the seed that draws them (default 0)")
    ap.add_argument("--reports", nargs="*", type=Path, help="report texts with gold (default: all six)")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    ap.add_argument("--show", type=int, default=40, help="missed mutations listed (default 40)")
    ap.add_argument("--json", type=Path, help="write the summary here")
    args = ap.parse_args(argv)
    if not (SHARED / "eval" / "score.py").exists():
        print("checks_mutation: ../shared/eval/score.py is missing", file=sys.stderr)
        return 3
    scorer = load_scorer()
    start = time.perf_counter()
    reports = load_reports([p.resolve() for p in args.reports] if args.reports else None, scorer)
    mutations = draw(reports, args.mutations, args.seed)
    outcomes = run(reports, mutations, scorer, args.jobs)
    summary = summarize(outcomes, reports)
    print(f"seed {args.seed}: {len(mutations)} mutations")
    print_summary(summary, reports, time.perf_counter() - start, args.show)
    if args.json:
        summary["seed"], summary["mutations"] = args.seed, len(mutations)
        args.json.write_text(json.dumps(summary, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

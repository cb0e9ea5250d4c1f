"""The layout sweep benchmark, run on demand:

    python bench/layout_sweep.py [--producer P ...] [--seeds 0-29] [--reports FILE ...] [--out DIR] [--json F]

Every report with gold (the shared three and corpus/authored/) × every producer × every seed is rendered by
``corpus.sweep``, ingested by finsam, exported and scored by ../shared/eval/score.py against its gold.
Printed per producer: cells (strict and lenient, micro-averaged), the worst seed, goals, flags found, false
errors, metadata right, and the failure kinds counted:

- ``table lost``: a gold table none of whose cells is found;
- ``cell lost``: a cell whose value is nowhere under a matching label;
- ``wrong kind``: found with its column, but in a table of another kind;
- ``wrong column``: found in the right kind of table under the right label, but the column's role/year is not
  the gold's (a wrapped header read wrong, a year taken from the next column);
- ``label``: found only with a fuzzy label (spelling, fragments of a wrapped label);
- ``meta``: federation, doc_type or fiscal_year wrong; ``missed flag``, ``false error``.

Scans take Tesseract's time (about 3 s a page on one core); the OCR cache makes a second run cheap.
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from corpus.sweep import PRODUCERS, available, output_name, parse_seeds, render  # noqa: E402
from corpus.sweep.__main__ import default_reports  # noqa: E402

SHARED = REPO.parent / "shared"
GOLD_DIRS = (SHARED / "gold", REPO / "corpus" / "authored" / "gold")


def load_scorer():
    path = SHARED / "eval" / "score.py"
    spec = importlib.util.spec_from_file_location("finsam_gold_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    # the scorer compares the same label pairs for every cell of a row: remember them (scores unchanged)
    module.similar = functools.lru_cache(maxsize=1 << 20)(module.similar)
    module.norm = functools.lru_cache(maxsize=1 << 20)(module.norm)
    return module


def load_golds() -> dict[str, dict]:
    golds = {}
    for d in GOLD_DIRS:
        for p in sorted(d.glob("[0-9][0-9][0-9]_*.json")):
            golds[p.stem[:20]] = json.loads(p.read_text(encoding="utf-8"))
    return golds


def failure_kinds(scorer, doc: dict, gold: dict, missing: list[str]) -> Counter:
    """Each gold cell not found strictly, put in one failure kind (see the module docstring). `missing`
    is the scorer's list of cells not found even leniently ("table|label|key=value")."""
    kinds: Counter = Counter()
    lost_cells = set(missing)
    for gt in gold.get("tables", []):
        gcols = {c["key"]: c for c in gt.get("columns", [])}
        lost = found = 0
        table_kinds: Counter = Counter()
        for grow in gt.get("rows", []):
            for key, value in grow.get("values", {}).items():
                gcol = gcols.get(key, {"key": key, "header": key})
                if scorer.find_cell(doc, gt, grow, gcol, value, lenient=False):
                    found += 1
                    continue
                if f"{gt.get('id')}|{grow['label']}|{key}={value}" in lost_cells:
                    lost += 1
                    table_kinds["cell lost"] += 1
                    continue
                found += 1
                if _strict_any_kind(scorer, doc, grow, gcol, value):
                    table_kinds["wrong kind"] += 1
                elif _right_kind_label(scorer, doc, gt, grow, value):
                    table_kinds["wrong column"] += 1
                else:
                    table_kinds["label"] += 1
        if lost and not found:
            kinds["table lost"] += lost
        else:
            kinds.update(table_kinds)
    return kinds


def _strict_any_kind(scorer, doc, grow, gcol, value) -> bool:
    for t in doc.get("tables", []):
        probe = {"tables": [t]}
        if scorer.find_cell(probe, {"kind": t.get("kind")}, grow, gcol, value, lenient=False):
            return True
    return False


def _right_kind_label(scorer, doc, gt, grow, value) -> bool:
    for t in doc.get("tables", []):
        if not scorer.same_kind(t.get("kind"), gt["kind"]):
            continue
        for r in t.get("rows", []):
            if scorer.norm(r.get("label")) == scorer.norm(grow["label"]) and any(
                scorer.same_value(v, value) for v in r.get("values", {}).values()
            ):
                return True
    return False


def _render_one(job: tuple[str, str, int, str]) -> tuple[str, float]:
    src, producer, seed, out = job
    start = time.perf_counter()
    try:
        render(Path(src).read_text(encoding="utf-8"), producer, seed, Path(out))
    except RuntimeError as err:  # a producer that cannot print the report whole: not scored, and said
        print(f"layout_sweep: render failed: {err}", file=sys.stderr)
    return out, time.perf_counter() - start


def run_producer(producer: str, seeds: list[int], reports: list[Path], work: Path, jobs: int, scorer, golds):
    from finsam.pipeline import IngestOptions, ingest
    from normalized.store import Store

    render_seconds = 0.0
    todo = []
    for seed in seeds:
        folder = work / producer / f"s{seed:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        todo += [(str(r), producer, seed, str(folder / output_name(r, producer, seed))) for r in reports]
    todo = [t for t in todo if not Path(t[3]).exists()]
    if todo:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            render_seconds += sum(s for _, s in pool.map(_render_one, todo))
    # one store for the whole producer, so the workers start once; documents of different seeds are
    # different bytes and stay separate documents
    db = work / producer / "finsam.db"
    db.unlink(missing_ok=True)
    files = sorted(p for seed in seeds for p in (work / producer / f"s{seed:02d}").glob("*.pdf"))
    start = time.perf_counter()
    outcomes = ingest(files, db, IngestOptions(jobs=jobs))
    ingest_seconds = time.perf_counter() - start
    pages = sum(o.pages for o in outcomes)
    docs = Store(db).export()["documents"]
    per_seed = {seed: ([], []) for seed in seeds}
    for doc in docs:
        per_seed[int(doc["source"].rsplit(".s", 1)[1].split(".")[0])][0].append(doc)
    for o in outcomes:
        if o.status == "failed":
            per_seed[int(Path(o.path).name.rsplit(".s", 1)[1].split(".")[0])][1].append(o)
    return per_seed, render_seconds, ingest_seconds, pages


def summarize(producer: str, per_seed: dict, scorer, golds) -> dict:
    total = defaultdict(lambda: [0, 0])
    false = meta_ok = ndocs = 0
    kinds: Counter = Counter()
    seeds = {}
    for seed, (docs, failed) in per_seed.items():
        seed_cells = [0, 0]
        kinds["ingest failed"] += len(failed)
        for doc in docs:
            gold = golds.get(doc["source"][:20])
            if gold is None:
                continue
            r = scorer.score_doc(doc, gold)
            ndocs += 1
            for key in ("cells", "cells~", "goals", "flags"):
                total[key][0] += r[key][0]
                total[key][1] += r[key][1]
            seed_cells[0] += r["cells"][0]
            seed_cells[1] += r["cells"][1]
            false += r["false"]
            meta_ok += bool(r["meta"])
            kinds["meta"] += not r["meta"]
            kinds["missed flag"] += r["flags"][1] - r["flags"][0]
            kinds["false error"] += r["false"]
            kinds.update(failure_kinds(scorer, doc, gold, r["missing"]))
        seeds[seed] = seed_cells[0] / seed_cells[1] if seed_cells[1] else 0.0
    worst = min(seeds, key=seeds.get) if seeds else None
    pct = {k: (v[0] / v[1] * 100 if v[1] else 100.0) for k, v in total.items()}
    return {
        "producer": producer,
        "documents": ndocs,
        "cells": pct.get("cells", 0.0),
        "cells~": pct.get("cells~", 0.0),
        "worst_seed": worst,
        "worst": seeds.get(worst, 0.0) * 100 if worst is not None else 0.0,
        "goals": total["goals"],
        "flags": total["flags"],
        "false": false,
        "meta": [meta_ok, ndocs],
        "kinds": {k: v for k, v in kinds.most_common() if v},
        "per_seed": {s: round(v * 100, 2) for s, v in seeds.items()},
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--producer", action="append", choices=PRODUCERS, help="repeatable (default: all)")
    ap.add_argument("--seeds", default="0-29")
    ap.add_argument("--reports", nargs="*", type=Path, help="report texts with gold (default: all)")
    ap.add_argument("--out", type=Path, help="keep renderings and stores here (default: a temporary folder)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--json", type=Path, help="write the summaries here")
    args = ap.parse_args(argv)
    if not (SHARED / "eval" / "score.py").exists():
        print("layout_sweep: ../shared/eval/score.py is missing", file=sys.stderr)
        return 3
    scorer, golds = load_scorer(), load_golds()
    reports = args.reports or default_reports()
    reports = [r for r in reports if r.stem[:20] in golds]
    seeds = parse_seeds(args.seeds)
    work = args.out or Path(tempfile.mkdtemp(prefix="finsam-sweep-"))
    results = []
    print(f"{len(reports)} reports × {len(seeds)} seeds; renderings in {work}")
    header = (
        f"{'producer':<16} {'docs':>4} {'cells':>7} {'lenient':>7} {'worst':>12} {'goals':>7} "
        f"{'flags':>7} {'false':>5} {'meta':>7} {'s/page':>6}"
    )
    for producer in args.producer or PRODUCERS:
        if not available(producer):
            print(f"{producer}: skipped (its program is not installed)")
            continue
        per_seed, rendering, ingesting, pages = run_producer(
            producer, seeds, reports, work, args.jobs, scorer, golds
        )
        s = summarize(producer, per_seed, scorer, golds)
        s["render_seconds"], s["ingest_seconds"], s["pages"] = rendering, ingesting, pages
        results.append(s)
        print(header)
        print(
            f"{producer:<16} {s['documents']:>4} {s['cells']:>6.1f}% {s['cells~']:>6.1f}% "
            f"{s['worst']:>6.1f}% (s{s['worst_seed']:02d}) {s['goals'][0]:>3}/{s['goals'][1]:<3} "
            f"{s['flags'][0]:>3}/{s['flags'][1]:<3} {s['false']:>5} {s['meta'][0]:>3}/{s['meta'][1]:<3} "
            f"{ingesting / max(pages, 1):>6.2f}"
        )
        print("  failure kinds: " + ", ".join(f"{k} {v}" for k, v in s["kinds"].items()))
        sys.stdout.flush()
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

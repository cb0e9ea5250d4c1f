"""Peers benchmark, run on demand: finsam against the table extractors a user would pick instead.

    python bench/peers_bench.py [--producer reportlab ...] [--seeds 9040] [--repeat 3] [--out DIR] [--json F]

The reports with gold (the shared three and corpus/authored/, paired as ``bench/layout_sweep.py`` pairs
them) are rendered by the layout sweep (``corpus.sweep``) into text-layer PDFs, and the same PDFs are read,
in this one process, by:

- ``finsam``: ``finsam.pipeline.ingest`` with one job into a fresh store, then ``Store.export()`` written
  as JSON: what ``finsam ingest --jobs 1`` and ``finsam export --format json`` run, without the interpreter's
  start-up. ``finsam CLI`` runs those two commands as subprocesses and is timed with their start-up;
- ``camelot stream``: ``camelot.read_pdf(pdf, flavor="stream", pages="all")``;
- ``pdfplumber``: ``page.extract_tables()`` on every page, default settings (ruling lines), and
  ``pdfplumber text``: the same with both strategies ``"text"``, the setting for tables without rules.

Seconds per page is the wall time (``time.perf_counter``) of the extraction alone — every module imported
and each tool run once untimed on the first PDF before, its own lazy imports and finsam's language model
loaded — over all the PDFs, the median of ``--repeat`` runs, divided by their pages. Converting a peer's
tables into the export shape is not timed.

Camelot and pdfplumber give cells of text, no kinds, roles or years, so their tables are put into the export
shape naively (``peer_tables``): the first cell of a row is its label, the other cells its values, parsed as
Swedish figures (``1 234,5``, ``-12``, ``(37)`` negative, ``12 %``, a dash alone 0); a row without figures
(or with years only and no label) is a header whose cells name the columns of the rows below it, and a row
of figures without a label takes the label of a label-only row just above it (a wrapped label). Each
tool's export is scored by ../shared/eval/score.py: ``cells~`` (lenient: any table kind, fuzzy label) for
every tool, ``cells`` (strict: right kind, column role and year) for finsam only, as the peers have no kinds.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from layout_sweep import SHARED, _render_one, load_golds, load_scorer  # noqa: E402

from corpus.sweep import BASE_PRODUCERS, available, output_name, parse_seeds  # noqa: E402
from corpus.sweep.__main__ import default_reports  # noqa: E402

FINSAM_CLI = [sys.executable, "-m", "finsam"]


# -- a peer's tables into the export shape -----------------------------------------------------------
_SPACES = re.compile(r"[\s\u00a0\u2009\u202f]+")
_FIGURE = re.compile(r"^-?\d+(?:,\d+)?$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_DASHES = {"-", "–", "—", "−"}


def swedish_number(cell: str) -> float | None:
    """A cell as printed in a Swedish report, as a number: "1 234,5", "-12", "−12", "(37)" (negative),
    "12 %", a dash alone (nil, 0). None for anything else."""
    text = _SPACES.sub("", cell or "")
    if text in _DASHES:
        return 0.0
    negative = text.startswith("(") and text.endswith(")")
    text = text.strip("()").removesuffix("%")
    for dash in "–—−":
        text = text.replace(dash, "-")
    if not _FIGURE.match(text):
        return None
    value = float(text.replace(",", "."))
    return -value if negative else value


def _clean(cell: object) -> str:
    return _SPACES.sub(" ", str(cell or "")).strip()


def peer_tables(page: int, grid: list[list[object]]) -> list[dict]:
    """One table of text cells (a peer's output) as tables of the export contract, a new one at each header
    band: label = first cell, values = the other cells parsed, columns named by the header cells above."""
    tables: list[dict] = []
    headers: list[str] | None = None  # the header band being read, None below its last row
    pending_label = ""
    for raw in grid:
        cells = [_clean(c) for c in raw]
        if not cells:
            continue
        label, rest = cells[0], cells[1:]
        figures = [swedish_number(c) for c in rest]
        has_figures = any(f is not None for f in figures)
        if not has_figures and not any(rest):  # a title, a section or the first line of a wrapped label
            pending_label, headers = label, None
            continue
        if not has_figures or (not label and all(_YEAR.match(c) for c in rest if c)):
            if headers is None:
                headers = []
                tables.append(_table(page, label or pending_label))
            headers = [f"{h} {c}".strip() for h, c in zip_longest(headers, rest, fillvalue="")]
            tables[-1]["columns"] = [_column(i, h) for i, h in enumerate(headers)]
            pending_label = ""
            continue
        headers = None
        if not tables:
            tables.append(_table(page, ""))
        columns = tables[-1]["columns"]
        columns += [_column(i, "") for i in range(len(columns), len(rest))]
        label, pending_label = label or pending_label, ""
        values = {f"c{i}": f for i, f in enumerate(figures) if f is not None}
        tables[-1]["rows"].append({"label": label, "label_raw": label, "is_total": False, "values": values})
    return [t for t in tables if t["rows"]]


def _table(page: int, title: str) -> dict:
    return {"kind": None, "title": title, "page": page, "unit": None, "columns": [], "rows": []}


def _column(i: int, header: str) -> dict:
    return {"key": f"c{i}", "header": header, "role": None, "year": None}


def peer_document(pdf: Path, pages: int, grids: list[tuple[int, list[list[object]]]]) -> dict:
    tables = [t for page, grid in grids for t in peer_tables(page, grid)]
    return {"source": pdf.name, "pages": pages, "tables": tables, "goals": [], "findings": []}


# -- the tools -----------------------------------------------------------------------------------------
def camelot_stream(pdf: Path) -> list[tuple[int, list[list[object]]]]:
    import camelot

    found = camelot.read_pdf(str(pdf), flavor="stream", pages="all")
    return [(int(t.page), t.df.values.tolist()) for t in found]


def _pdfplumber(settings: dict | None) -> Callable[[Path], list[tuple[int, list[list[object]]]]]:
    def extract(pdf: Path) -> list[tuple[int, list[list[object]]]]:
        import pdfplumber

        with pdfplumber.open(pdf) as doc:
            return [(p.page_number, grid) for p in doc.pages for grid in p.extract_tables(settings)]

    return extract


PEERS: dict[str, Callable[[Path], list[tuple[int, list[list[object]]]]]] = {
    "camelot stream": camelot_stream,
    "pdfplumber": _pdfplumber(None),
    "pdfplumber text": _pdfplumber({"vertical_strategy": "text", "horizontal_strategy": "text"}),
}


@dataclass
class Measured:
    tool: str
    pages: int
    runs: list[float]
    documents: list[dict] = field(repr=False)
    strict: bool = False  # the tool gives table kinds and column roles, so its strict score means something
    scores: dict = field(default_factory=dict)

    @property
    def seconds_per_page(self) -> float:
        return statistics.median(self.runs) / max(self.pages, 1)


def finsam_in_process(pdfs: list[Path], db: Path) -> dict:
    from finsam.pipeline import IngestOptions, ingest
    from normalized.store import Store

    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    for o in ingest(pdfs, db, IngestOptions(jobs=1)):
        if o.status == "failed":
            print(f"peers_bench: finsam failed on {Path(o.path).name}: {o.message}", file=sys.stderr)
    store = Store(db)
    try:
        export = store.export()
    finally:
        store.close()
    json.dumps(export, ensure_ascii=False, indent=1)  # as `finsam export --format json` writes it
    return export


def finsam_cli(pdfs: list[Path], db: Path, out: Path) -> dict:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    ingest = [*FINSAM_CLI, "ingest", "--jobs", "1", "--quiet", "--db", str(db), *map(str, pdfs)]
    done = subprocess.run(ingest, capture_output=True, text=True, cwd=REPO)
    if done.returncode:
        print(f"peers_bench: finsam ingest: {done.stdout.strip()} {done.stderr.strip()}", file=sys.stderr)
    export = [*FINSAM_CLI, "export", "--db", str(db), "--format", "json", "-o", str(out)]
    subprocess.run(export, check=True, capture_output=True, cwd=REPO)
    return json.loads(out.read_text(encoding="utf-8"))


def measure(run: Callable[[], object], repeat: int) -> tuple[list[float], object]:
    runs, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        runs.append(time.perf_counter() - start)
    return runs, result


# -- rendering, scoring, the table ------------------------------------------------------------------
def render_pdfs(producers: list[str], seeds: list[int], work: Path) -> list[Path]:
    reports = [r for r in default_reports() if r.stem[:20] in load_golds()]
    pdfs = []
    for producer in producers:
        folder = work / producer
        folder.mkdir(parents=True, exist_ok=True)
        for seed in seeds:
            for report in reports:
                out = folder / output_name(report, producer, seed)
                if not out.exists():
                    _render_one((str(report), producer, seed, str(out)))
                if out.exists():  # a report a producer could not print whole is said, and left out
                    pdfs.append(out)
    return pdfs


def score(measured: Measured, scorer, golds: dict) -> None:
    total = {"cells": [0, 0], "cells~": [0, 0]}
    per_document = {}
    for doc in measured.documents:
        gold = golds.get(doc["source"][:20])
        if gold is None:
            continue
        r = scorer.score_doc(doc, gold)
        per_document[doc["source"]] = {k: r[k] for k in total}
        for k in total:
            total[k][0] += r[k][0]
            total[k][1] += r[k][1]
    measured.scores = {"total": total, "documents": per_document}


def percent(pair: list[int]) -> float:
    return 100.0 * pair[0] / pair[1] if pair[1] else 0.0


def table(results: list[Measured], baseline: Measured) -> str:
    lines = [
        "| tool | pages | s/page | ratio to finsam | cells (strict) | cells~ (lenient) |",
        "|---|---|---|---|---|---|",
    ]
    for m in results:
        total = m.scores["total"]
        strict = f"{percent(total['cells']):.1f} %" if m.strict else "—"
        lines.append(
            f"| {m.tool} | {m.pages} | {m.seconds_per_page:.3f} | "
            f"{m.seconds_per_page / baseline.seconds_per_page:.2f} | {strict} | "
            f"{percent(total['cells~']):.1f} % ({total['cells~'][0]}/{total['cells~'][1]}) |"
        )
    return "\n".join(lines)


def page_count(pdf: Path) -> int:
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        return len(doc)
    finally:
        doc.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--producer", action="append", choices=BASE_PRODUCERS, help="repeatable (default: reportlab)"
    )
    ap.add_argument("--seeds", default="9040", help="layout seeds, e.g. 9040 or 9040-9041 (default 9040)")
    ap.add_argument(
        "--repeat", type=int, default=3, help="timed runs per tool; the median counts (default 3)"
    )
    ap.add_argument(
        "--out", type=Path, help="keep the PDFs, stores and exports here (default: a temporary folder)"
    )
    ap.add_argument("--json", type=Path, help="write the numbers here")
    args = ap.parse_args(argv)
    if not (SHARED / "eval" / "score.py").exists():
        print(
            f"peers_bench: {SHARED}/eval/score.py is missing (../shared beside the checkout)", file=sys.stderr
        )
        return 3
    try:
        import camelot  # noqa: F401  (every tool imported before anything is timed)
    except ImportError as err:
        print(f"peers_bench: Camelot is not installed ({err}): pip install -e '.[bench]'", file=sys.stderr)
        return 3
    producers = args.producer or ["reportlab"]
    for producer in producers:
        if not available(producer):
            print(f"peers_bench: producer {producer} needs a program that is not installed", file=sys.stderr)
            return 3
    import pdfplumber  # noqa: F401

    import finsam.pipeline  # noqa: F401
    import normalized.store  # noqa: F401

    warnings.filterwarnings("ignore", module="camelot")  # "No tables found in table area", per page
    scorer, golds = load_scorer(), load_golds()
    work = args.out or Path(tempfile.mkdtemp(prefix="finsam-peers-"))
    work.mkdir(parents=True, exist_ok=True)
    seeds = parse_seeds(args.seeds)
    pdfs = render_pdfs(producers, seeds, work)
    if not pdfs:
        print("peers_bench: no PDF was rendered", file=sys.stderr)
        return 1
    pages = {p: page_count(p) for p in pdfs}
    all_pages = sum(pages.values())
    print(f"{len(pdfs)} PDFs, {all_pages} pages ({', '.join(producers)}; seeds {args.seeds})")

    finsam_in_process(pdfs[:1], work / "warmup.db")  # spaCy, the lexicons: loaded once, before timing
    runs, export = measure(lambda: finsam_in_process(pdfs, work / "finsam.db"), args.repeat)
    finsam = Measured("finsam", all_pages, runs, export["documents"], strict=True)
    runs, export = measure(lambda: finsam_cli(pdfs, work / "cli.db", work / "cli.json"), args.repeat)
    cli = Measured(
        "finsam CLI (2 processes, with start-up)", all_pages, runs, export["documents"], strict=True
    )
    results = [finsam, cli]
    for name, extract in PEERS.items():
        extract(pdfs[0])  # warm-up, untimed
        runs, grids = measure(lambda extract=extract: [extract(p) for p in pdfs], args.repeat)
        docs = [peer_document(p, pages[p], g) for p, g in zip(pdfs, grids, strict=True)]
        results.append(Measured(name, all_pages, runs, docs))
        print(f"{name}: {statistics.median(runs):.1f} s", file=sys.stderr, flush=True)
    for m in results:
        score(m, scorer, golds)
    if cli.scores["total"] != finsam.scores["total"]:
        print("peers_bench: the CLI's export scores differ from the library's", file=sys.stderr)
    print(table(results, finsam))
    if args.json:
        numbers = {
            "producers": producers,
            "seeds": seeds,
            "pdfs": [p.name for p in pdfs],
            "pages": all_pages,
            "repeat": args.repeat,
            "tools": [
                {
                    "tool": m.tool,
                    "seconds": m.runs,
                    "seconds_per_page": m.seconds_per_page,
                    "ratio_to_finsam": m.seconds_per_page / finsam.seconds_per_page,
                    "cells": m.scores["total"]["cells"] if m.strict else None,
                    "cells~": m.scores["total"]["cells~"],
                    "documents": m.scores["documents"],
                }
                for m in results
            ],
        }
        args.json.write_text(json.dumps(numbers, indent=1, ensure_ascii=False), encoding="utf-8")
    if not args.out:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

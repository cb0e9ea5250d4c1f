"""Ingest benchmark, run on demand: `python bench/ingest_bench.py [--scans N] [--out DIR]`.

Renders the bundled corpus into text-layer PDFs and scans (corpus.build), then times `finsam ingest` on
text, text-layer PDFs and scans, with one and two jobs, with a cold and a warm OCR cache. Reports seconds,
seconds per page and the ratios that matter (2 jobs vs 1, warm vs cold cache, OCR page vs text-layer page).
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FINSAM = [sys.executable, "-m", "finsam"]


def timed_ingest(
    files: list[Path], db: Path, jobs: int, cache: Path, extra: list[str] | None = None
) -> float:
    db.unlink(missing_ok=True)
    start = time.perf_counter()
    subprocess.run(
        [
            *FINSAM,
            "ingest",
            *map(str, files),
            "--db",
            str(db),
            "--jobs",
            str(jobs),
            "--quiet",
            "--cache-dir",
            str(cache),
            *(extra or []),
        ],
        check=False,
        capture_output=True,
    )
    return time.perf_counter() - start


def pages_in(db: Path) -> int:
    with sqlite3.connect(db) as con:
        return con.execute("SELECT coalesce(sum(pages), 0) FROM documents").fetchone()[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--scans", type=int, default=2, help="how many corpus documents to scan and OCR")
    ap.add_argument("--out", type=Path, default=None, help="keep the rendered files here")
    args = ap.parse_args()
    sys.path.insert(0, str(REPO))
    from corpus.build import render_scan_pdf, render_text_pdf

    work = args.out or Path(tempfile.mkdtemp(prefix="finsam-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    texts = sorted((REPO / "corpus").glob("[0-9][0-9][0-9]_*.txt"))
    t0 = time.perf_counter()
    pdfs = [render_text_pdf(t.read_text(encoding="utf-8"), work / f"{t.stem}.pdf") for t in texts]
    render_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    scans = [render_scan_pdf(p, work / f"{p.stem}.scan.pdf") for p in pdfs[: args.scans]]
    scan_render_s = time.perf_counter() - t0
    cache = work / "ocr-cache"
    db = work / "bench.db"
    rows = []

    def report(name: str, seconds: float, pages: int) -> None:
        rows.append((name, seconds, pages))
        print(
            f"{name:38s} {seconds:7.2f} s  {pages:4d} pages  {seconds / max(pages, 1):6.3f} s/page",
            flush=True,
        )

    print(f"rendered {len(pdfs)} text PDFs in {render_s:.1f} s, {len(scans)} scans in {scan_render_s:.1f} s")
    report("text files, 2 jobs", timed_ingest(texts, db, 2, cache), pages_in(db))
    report("text-layer PDFs, 1 job", timed_ingest(pdfs, db, 1, cache), pages_in(db))
    report("text-layer PDFs, 2 jobs", timed_ingest(pdfs, db, 2, cache), pages_in(db))
    shutil.rmtree(cache, ignore_errors=True)
    report("scans, 1 job, cold OCR cache", timed_ingest(scans, db, 1, cache), pages_in(db))
    shutil.rmtree(cache, ignore_errors=True)
    report("scans, 2 jobs, cold OCR cache", timed_ingest(scans, db, 2, cache), pages_in(db))
    report("scans, 2 jobs, warm OCR cache", timed_ingest(scans, db, 2, cache), pages_in(db))
    by = {name: (s, p) for name, s, p in rows}
    ratio = lambda a, b: by[a][0] / by[b][0]  # noqa: E731
    print(f"PDFs 2 jobs / 1 job: {ratio('text-layer PDFs, 2 jobs', 'text-layer PDFs, 1 job'):.2f}")
    print(
        f"scans 2 jobs / 1 job (cold): {ratio('scans, 2 jobs, cold OCR cache', 'scans, 1 job, cold OCR cache'):.2f}"
    )
    print(
        f"scans warm / cold cache: {ratio('scans, 2 jobs, warm OCR cache', 'scans, 2 jobs, cold OCR cache'):.2f}"
    )
    ocr_page = by["scans, 1 job, cold OCR cache"][0] / max(by["scans, 1 job, cold OCR cache"][1], 1)
    text_page = by["text-layer PDFs, 1 job"][0] / max(by["text-layer PDFs, 1 job"][1], 1)
    print(f"OCR page / text-layer page (1 job): {ocr_page / text_page:.1f}x")
    if not args.out:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

"""The speed benchmark, run on demand: finsam against the bare tools it runs, side by side in one run.

    python bench/speed_bench.py [--only text,scan,batch,rerun,repair,memory,long] [--scan-pages 8]
                                [--memory-pages 30] [--long-mb 5,20,50] [--batch-federations 20]
                                [--json F]

Each part prints a table of ratios (and seconds a page or a document) and the command-line it measured:

- ``text``: the six reports with clean text (corpus 001, 003, 004 and corpus/authored) as text-layer PDFs
  (corpus.build): finsam's whole ingest (read, extract, check, store: ``pipeline.ingest`` with one job,
  into a fresh store) against pdfplumber's ``extract_words`` and pypdfium2's raw text of the same pages, in
  this process, every module loaded first; the median of three runs;
- ``scan``: ``--scan-pages`` pages of 003 rendered as a 200-dpi scan: ``finsam ingest --jobs 1`` (and
  ``--jobs 2``) with an empty OCR cache against the bare ``tesseract`` command on the same page images at
  the same dpi (one process, and two side by side), all with ``OMP_THREAD_LIMIT=1``;
- ``batch``: the generated multi-federation corpus (``python -m corpus.federations``, seed 12,
  ``--batch-federations`` (20) federations × 2019–2021, as text and as text-layer PDFs): ``finsam ingest --jobs 2`` against ``--jobs 1``,
  each a fresh store, the command as a user runs it (the interpreter's start included);
- ``rerun``: the same batch ingested again into its store, nothing changed: seconds per 100 documents;
- ``repair``: words a second of the OCR word repair on one core (parsers.repair.repair_text) over the
  English-model OCR report 002, and over the shared 001/003/004 read by ``tesseract -l eng`` from their
  rendered scans (the damage of 002), with the lexicon loaded first;
- ``memory``: the peak resident memory of the finsam process (the largest of its processes: ``ru_maxrss`` of
  the children) ingesting a ``--memory-pages`` scan with ``--jobs 1`` and an empty cache;
- ``long``: the same peak, and the seconds, of ``finsam ingest --jobs 1`` of long documents: archives of
  ``--long-mb`` megabytes of text (the seven corpus reports, the English-model OCR 002 among them, over and
  over, a report a page) and a 500-page text-layer PDF (003 rendered over and over).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
FINSAM = [sys.executable, "-m", "finsam"]
ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}
CLEAN = ("001", "003", "004")  # the shared reports whose text is clean (002 is an English-model OCR)


def _reports() -> list[Path]:
    corpus = REPO / "corpus"
    return [p for p in sorted(corpus.glob("00*.txt")) if p.name[:3] in CLEAN] + sorted(
        (corpus / "authored").glob("*.txt")
    )


def _median_run(fn, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _ingest(files: list[Path], db: Path, jobs: int, cache: Path, *extra: str) -> float:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return _cli(["ingest", *map(str, files), "--db", str(db), "--jobs", str(jobs), "--quiet",
                 "--cache-dir", str(cache), *extra])  # fmt: skip


def _cli(args: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run([*FINSAM, *args], env=ENV, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):
        raise SystemExit(f"speed_bench: finsam {args[0]} failed: {done.stderr.strip()[-300:]}")
    return time.perf_counter() - start


def text_part(work: Path) -> dict:
    import pdfplumber
    import pypdfium2 as pdfium

    from corpus.build import render_text_pdf
    from finsam import pipeline

    pdfs = [render_text_pdf(p.read_text(encoding="utf-8"), work / f"{p.stem}.pdf") for p in _reports()]
    pages = sum(len(pdfium.PdfDocument(p)) for p in pdfs)

    def plumber():
        for p in pdfs:
            with pdfplumber.open(p) as pdf:
                for page in pdf.pages:
                    page.extract_words()
                    page.flush_cache()

    def raw_text():
        for p in pdfs:
            document = pdfium.PdfDocument(p)
            for i in range(len(document)):
                document[i].get_textpage().get_text_range()

    def finsam():
        db = work / "text.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        pipeline.ingest(pdfs, db, pipeline.IngestOptions(jobs=1, cache_dir=work / "cache"))

    finsam()  # every module and vocabulary loaded
    plumber()
    times = {"finsam ingest (read, extract, check, store)": _median_run(finsam),
             "pdfplumber extract_words": _median_run(plumber),
             "pypdfium2 raw text": _median_run(raw_text)}  # fmt: skip
    base = times["pdfplumber extract_words"]
    rows = [(name, f"{t / pages * 1000:.1f}", f"{t / base:.2f}") for name, t in times.items()]
    _table(
        f"text-layer PDFs: {len(pdfs)} reports, {pages} pages, one core",
        ("", "ms/page", "× extract_words"),
        rows,
    )
    return {"pages": pages, "seconds": times}


def scan_part(work: Path, n_pages: int) -> dict:
    import pypdfium2 as pdfium

    from corpus.build import render_scan_pdf, render_text_pdf
    from parsers.ocr import SETTINGS as OCR

    source = next(p for p in _reports() if p.name.startswith("003"))
    text_pdf = render_text_pdf(source.read_text(encoding="utf-8"), work / "003.pdf")
    scan = render_scan_pdf(text_pdf, work / "003.scan.pdf", dpi=int(OCR.dpi))
    document = pdfium.PdfDocument(scan)
    n_pages = min(n_pages, len(document))
    one = work / f"003.scan.{n_pages}.pdf"
    images = [document[i].render(scale=OCR.dpi / 72).to_pil().convert("L") for i in range(n_pages)]
    images[0].save(one, "PDF", resolution=OCR.dpi, save_all=True, append_images=images[1:])
    pngs = []
    for i, image in enumerate(images):
        pngs.append(work / f"page{i}.png")
        image.save(pngs[-1], dpi=(OCR.dpi, OCR.dpi))

    def tesseract(jobs: int) -> float:
        start = time.perf_counter()
        pending = list(pngs)
        running: list[subprocess.Popen] = []
        while pending or running:
            while pending and len(running) < jobs:
                png = pending.pop(0)
                command = ["tesseract", str(png), "stdout", "-l", OCR.lang, "--psm", str(OCR.psm), "tsv"]
                running.append(
                    subprocess.Popen(command, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                )
            running.pop(0).wait()
        return time.perf_counter() - start

    rows, out = [], {"pages": n_pages}
    for jobs in (1, 2):
        bare = tesseract(jobs)
        cache = work / f"scan-cache-{jobs}"
        shutil.rmtree(cache, ignore_errors=True)
        ours = _ingest([one], work / f"scan{jobs}.db", jobs, cache)
        warm = _ingest([one], work / f"scan{jobs}.db", jobs, cache, "--force")
        out[f"jobs{jobs}"] = {"tesseract": bare, "finsam": ours, "finsam_cached": warm}
        rows.append((f"--jobs {jobs}", f"{bare / n_pages:.2f}", f"{ours / n_pages:.2f}", f"{ours / bare:.2f}",
                     f"{warm / n_pages:.2f}"))  # fmt: skip
    _table(
        f"scans: {n_pages} pages of 003 at {OCR.dpi:.0f} dpi, empty OCR cache (finsam's start included)",
        ("", "tesseract s/page", "finsam s/page", "finsam ÷ tesseract", "finsam cached s/page"),
        rows,
    )
    return out


def batch_part(work: Path, rerun: bool, federations: int = 20) -> dict:
    out = {}
    rows = []
    for kind, extra in (("text", []), ("text-layer PDF", ["--producer", "reportlab"])):
        folder = work / f"generated-{kind.split()[0]}"
        subprocess.run([sys.executable, "-m", "corpus.federations", "--seed", "12", "--federations",
                        str(federations), "--years", "2019-2021", "--out", str(folder), *extra],
                       cwd=REPO, check=True, capture_output=True)  # fmt: skip
        files = sorted(folder.rglob("*.pdf" if extra else "*.txt"))
        cache = work / "batch-cache"
        # a run of 150 small documents takes seconds: the median of three, alternating, so a slow moment of
        # the machine weighs on neither side alone
        ones, twos = [], []
        for _ in range(3):
            ones.append(_ingest(files, work / "batch1.db", 1, cache))
            twos.append(_ingest(files, work / "batch2.db", 2, cache))
        one, two = statistics.median(ones), statistics.median(twos)
        row = [kind, str(len(files)), f"{one:.1f}", f"{two:.1f}", f"{one / two:.2f}"]
        out[kind] = {"documents": len(files), "jobs1": one, "jobs2": two}
        if rerun:
            again = _ingest_again(files, work / "batch2.db", cache)
            out[kind]["rerun"] = again
            row.append(f"{again / len(files) * 100:.2f}")
        rows.append(tuple(row))
    header = ("batch", "documents", "--jobs 1 s", "--jobs 2 s", "speed-up")
    _table(
        "a batch of the generated corpus, fresh store",
        header + (("re-run s / 100 docs",) if rerun else ()),
        rows,
    )
    return out


def _ingest_again(files: list[Path], db: Path, cache: Path) -> float:
    return _cli(
        ["ingest", *map(str, files), "--db", str(db), "--jobs", "2", "--quiet", "--cache-dir", str(cache)]
    )


def repair_part(work: Path) -> dict:
    from parsers.lexicon import default_lexicon
    from parsers.repair import repair_text

    default_lexicon()
    texts = {
        "002 (real English-model OCR)": next((REPO / "corpus").glob("002_*.txt")).read_text(encoding="utf-8")
    }
    eng = _english_ocr()
    if eng:
        texts["001/003/004 read by tesseract -l eng"] = eng
    rows, out = [], {}
    for name, text in texts.items():
        words = len(text.split())
        seconds = _median_run(lambda t=text: repair_text(t))
        out[name] = {"words": words, "seconds": seconds}
        rows.append((name, str(words), f"{seconds:.2f}", f"{words / seconds:,.0f}"))
    _table("word repair, one core, lexicon loaded", ("text", "words", "s", "words/s"), rows)
    return out


def _english_ocr() -> str:
    """The clean shared reports read by Tesseract's English model from their scans (the repair benchmark's
    cache, /tmp/finsam-repair-bench, when it has them)."""
    cache = Path("/tmp/finsam-repair-bench")
    found = sorted(cache.glob("*.eng.txt")) if cache.exists() else []
    return "\n".join(p.read_text(encoding="utf-8") for p in found)


def memory_part(work: Path, n_pages: int) -> dict:
    import pypdfium2 as pdfium
    from PIL import Image

    from corpus.build import degrade, render_text_pdf
    from parsers.ocr import SETTINGS as OCR

    images: list[Image.Image] = []
    for source in _reports():
        pdf = render_text_pdf(source.read_text(encoding="utf-8"), work / f"{source.stem}.m.pdf")
        document = pdfium.PdfDocument(pdf)
        for i in range(len(document)):
            if len(images) < n_pages:
                images.append(degrade(document[i].render(scale=OCR.dpi / 72).to_pil().convert("L"), i))
    scan = work / f"memory.{len(images)}.pdf"
    images[0].save(scan, "PDF", resolution=OCR.dpi, save_all=True, append_images=images[1:])
    command = [*FINSAM, "ingest", str(scan), "--db", str(work / "memory.db"), "--jobs", "1", "--quiet",
               "--cache-dir", str(work / "memory-cache")]  # fmt: skip
    start = time.perf_counter()
    peak = _peak_rss(command)
    seconds = time.perf_counter() - start
    _table(f"peak memory: a {len(images)}-page scan, --jobs 1, empty cache",
           ("pages", "peak RSS MB", "s"), [(str(len(images)), f"{peak:.0f}", f"{seconds:.0f}")])  # fmt: skip
    return {"pages": len(images), "peak_mb": peak, "seconds": seconds}


def long_part(work: Path, sizes: list[int]) -> dict:
    from corpus.build import render_text_pdf

    corpus = REPO / "corpus"
    reports = [
        p.read_bytes()
        for p in [*sorted(corpus.glob("00*.txt")), *sorted((corpus / "authored").glob("*.txt"))]
    ]
    rows, out = [], []
    for mb in sizes:
        archive = work / f"archive.{mb}mb.txt"
        with open(archive, "wb") as fh:
            written, n = 0, 0
            while written < mb * 1_000_000:
                written += fh.write(reports[n % len(reports)] + b"\f")
                n += 1
        out.append(_long_run(work, archive, f"a {mb} MB text, {n} reports", written / 1e6))
    text = next(corpus.glob("003_*.txt")).read_text(encoding="utf-8")
    pdf = render_text_pdf("\f".join([text] * 22), work / "long.pdf")
    out.append(_long_run(work, pdf, "a 500-page text-layer PDF", pdf.stat().st_size / 1e6))
    for r in out:
        rows.append((r["what"], f"{r['mb']:.1f}", str(r["pages"]), f"{r['seconds']:.0f}",
                     f"{r['seconds'] / max(r['pages'], 1) * 1000:.0f}", f"{r['peak_mb']:.0f}"))  # fmt: skip
    _table("long documents: finsam ingest --jobs 1",
           ("document", "MB", "pages", "s", "ms/page", "peak RSS MB"), rows)  # fmt: skip
    return {"runs": out}


def _long_run(work: Path, path: Path, what: str, mb: float) -> dict:
    import sqlite3

    db = work / "long.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    command = [*FINSAM, "ingest", str(path), "--db", str(db), "--jobs", "1", "--quiet"]
    start = time.perf_counter()
    peak = _peak_rss(command)
    seconds = time.perf_counter() - start
    with sqlite3.connect(db) as con:
        pages, tables = con.execute(
            "SELECT coalesce(sum(pages), 0), (SELECT count(*) FROM tables) FROM documents"
        ).fetchone()
    return {"what": what, "mb": mb, "pages": pages, "tables": tables, "seconds": seconds, "peak_mb": peak}


def _peak_rss(command: list[str]) -> float:
    """The peak resident memory (MB) of the largest process `command` runs, itself or a child: measured by a
    fresh interpreter that runs it, so no earlier child of this benchmark counts."""
    probe = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], capture_output=True);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    done = subprocess.run([sys.executable, "-c", probe, *command], env=ENV, capture_output=True, text=True)
    return int(done.stdout.strip() or 0) / 1024


def _table(title: str, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    print(f"\n{title}")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", default="text,scan,batch,rerun,repair,memory,long")
    ap.add_argument("--scan-pages", type=int, default=8)
    ap.add_argument("--memory-pages", type=int, default=30)
    ap.add_argument("--long-mb", default="5,20,50")
    ap.add_argument("--batch-federations", type=int, default=20)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    parts = set(args.only.split(","))
    if shutil.which("tesseract") is None and parts & {"scan", "memory"}:
        print("speed_bench: tesseract is not installed (bash bootstrap.sh setup)", file=sys.stderr)
        return 3
    results: dict = {"cores": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="finsam-speed-") as tmp:
        work = Path(tmp)
        if "text" in parts:
            results["text"] = text_part(work)
        if "scan" in parts:
            results["scan"] = scan_part(work, args.scan_pages)
        if "batch" in parts or "rerun" in parts:
            results["batch"] = batch_part(work, "rerun" in parts, args.batch_federations)
        if "repair" in parts:
            results["repair"] = repair_part(work)
        if "memory" in parts:
            results["memory"] = memory_part(work, args.memory_pages)
        if "long" in parts:
            results["long"] = long_part(work, [int(x) for x in args.long_mb.split(",")])
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

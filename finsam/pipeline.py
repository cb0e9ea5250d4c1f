"""The library API behind the CLI: ingest files into a store, one process per document.

`process_file` runs in a worker: read (parsers/), extract (extractor/), check (normalized/checks). Nothing in
it touches the database; the parent process writes each finished document in one transaction, so a batch
killed midway leaves whole documents only and a re-run resumes by skipping the files already stored.
"""

from __future__ import annotations

import hashlib
import os
import time
import traceback
from collections.abc import Callable, Collection, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from finsam.errors import FinsamError, InternalError, NotAReportError
from finsam.model import DocumentMeta, Extraction, ParsedDocument

if TYPE_CHECKING:
    from normalized.federations import Aliases

# Files picked up when a folder is given; a file named explicitly is always tried.
INGESTIBLE_SUFFIXES = {".txt", ".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}


@dataclass
class IngestOptions:
    ocr: str = "auto"  # auto | always | never
    force: bool = False
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    cache_dir: Path | None = None
    # an alias file (normalized.federations), made the store's before the batch
    aliases: Aliases | None = None


@dataclass
class Outcome:
    """What happened to one file of a batch."""

    path: str
    status: str  # ingested | skipped | failed
    document_id: int | None = None
    sha256: str | None = None
    error_kind: str | None = None
    message: str = ""
    seconds: float = 0.0
    pages: int = 0
    superseded: list[int] = field(default_factory=list)
    warning: str | None = None  # the federation's name was kept apart from federations it may be


def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand folders recursively (ingestible suffixes only, hidden files skipped); keep explicit files."""
    files: list[Path] = []
    seen: set[Path] = set()
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(
                f
                for f in p.rglob("*")
                if f.is_file()
                and f.suffix.lower() in INGESTIBLE_SUFFIXES
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
        else:
            found = [p]
        for f in found:
            key = f.resolve()
            if key not in seen:
                seen.add(key)
                files.append(f)
    return files


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def process_file(
    path: str | Path, ocr: str = "auto", cache_dir: Path | None = None, workers: int = 1
) -> tuple[ParsedDocument, Extraction]:
    """Read, extract and check one file. Raises FinsamError subclasses for every expected failure."""
    from extractor.metadata import is_federation_report
    from finsam.windows import head
    from parsers import read_document

    path = Path(path)
    warming = _warm_up() if _pages_to_read(path) else None
    try:
        doc = read_document(path, ocr=ocr, cache_dir=cache_dir, workers=workers)
    finally:
        if warming is not None:
            warming.join()
    verdict = is_federation_report(head(doc))
    ok, reason = verdict if isinstance(verdict, tuple) else (verdict, "")
    if not ok:
        raise NotAReportError(reason or "not a samordningsförbund report (no federation named in the text)")
    return doc, analyse(doc)


_warmed = False


def _pages_to_read(path: Path) -> bool:
    """A PDF or an image, whose reading takes long enough to load the extraction's models beside it (a text
    is read at once, and its OCR repair needs the lexicon first)."""
    from parsers import sniff

    try:
        with open(path, "rb") as fh:
            return sniff(fh.read(1024)) in ("pdf", "image")
    except OSError:
        return False


def _warm_up():
    """Load what extraction needs (spaCy's Swedish tokenizer, the word lexicon), once a process, in a thread
    beside the reading of the first PDF or image: a scan's pages wait on Tesseract meanwhile. The thread,
    or None when loaded already."""
    global _warmed
    if _warmed:
        return None
    _warmed = True

    def load() -> None:
        try:
            from extractor.targets import nlp
            from parsers.lexicon import default_lexicon

            nlp()
            default_lexicon()
        except Exception:  # noqa: BLE001 - extraction loads them itself, and says what is wrong
            pass

    import threading

    thread = threading.Thread(target=load, name="finsam-warm-up", daemon=True)
    thread.start()
    return thread


def analyse(doc: ParsedDocument) -> Extraction:
    """What ingest does to a document between reading and storing it: extract, read again the figures OCR
    damaged where the totals confirm them, check. A document longer than a window is analysed a window at a
    time (finsam.windows)."""
    from finsam.windows import analyse_in_windows, windows
    from parsers.text import ensure_lines

    parts = windows(doc.pages)
    if len(parts) > 1:
        return analyse_in_windows(doc, parts, _analyse)
    for page in doc.pages:
        ensure_lines(page)
    return _analyse(doc)


def _analyse(doc: ParsedDocument, meta: DocumentMeta | None = None) -> Extraction:
    from extractor import extract

    extraction = extract(doc, meta)
    ocr_pages = {p.number for p in doc.pages if p.text_source == "ocr"}
    repair_figures(extraction, ocr_pages)
    extraction.findings = check_extraction(extraction, ocr_pages)
    return extraction


def repair_figures(extraction: Extraction, ocr_pages: set[int] | None = None) -> int:
    """Figures that OCR damaged (a lost decimal comma, one misread digit), read again where the report's
    totals confirm the reading."""
    from normalized.checks import check_document
    from normalized.number_repair import repair_numbers, repair_ocr_digits

    def check(tables):
        return check_document(tables, extraction.meta)

    return repair_numbers(extraction.tables, check) + repair_ocr_digits(
        extraction.tables, check, ocr_pages or set()
    )


def check_extraction(extraction: Extraction, ocr_pages: set[int] | None = None):
    from normalized.checks import check_document, soften_ocr_findings

    found = check_document(extraction.tables, extraction.meta)
    return soften_ocr_findings(found, ocr_pages or set(), extraction.tables)


_PAGES_QUEUE = None  # in a worker process: where the pages read of its document are reported (_watch_pages)


def _watch_pages(queue) -> None:
    """Worker initializer: report the pages read of each document to the parent through `queue`."""
    global _PAGES_QUEUE
    _PAGES_QUEUE = queue


def _work(path: str, ocr: str, cache_dir: Path | None, workers: int) -> tuple[str, object]:
    """Worker entry: never raises, so one bad file cannot take the batch down."""
    if _PAGES_QUEUE is not None:
        from parsers.progress import set_watcher

        queue = _PAGES_QUEUE
        set_watcher(lambda done, total: queue.put((path, done, total)))
    try:
        doc, extraction = process_file(path, ocr, cache_dir, workers)
        return "ok", (_without_lines(doc), extraction)
    except FinsamError as err:
        return "failed", (err.kind, _one_line(str(err)))
    except MemoryError:
        return "failed", ("too_large", "out of memory while reading the file")
    except Exception as err:  # a bug: report it on one line, keep the trace for --debug
        detail = traceback.format_exc(limit=-3).strip().splitlines()[-1]
        return "failed", (
            InternalError.kind,
            _one_line(f"internal error: {type(err).__name__}: {err} ({detail})"),
        )


def _without_lines(doc: ParsedDocument) -> ParsedDocument:
    """The document as the store needs it back from a worker: each page's words as the JSON the store
    keeps, not as lines of word objects, which cost the parent more to unpickle than to write (4 ms a
    document of 80 kB against 0.2 ms)."""
    from finsam.windows import drop_lines

    for page in doc.pages:
        drop_lines(page)
    return doc


def _one_line(text: str) -> str:
    return " ".join(str(text).split())[:500] or "unknown error"


def ingest(
    paths: Iterable[str | Path],
    db_path: str | Path,
    options: IngestOptions | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
    on_start: Callable[[int], None] | None = None,
    on_relinked: Callable[[list], None] | None = None,
    on_page: Callable[[str, int, int], None] | None = None,
) -> list[Outcome]:
    """Ingest files and folders into the store at db_path. Returns one Outcome per file, in input order.

    With `options.aliases` the alias file is made the store's first, in one transaction: the documents
    stored already are linked by it (`on_relinked` gets those it moved), and so is every document written.
    `on_page` is told, as a document is read, how many of its pages are read: (path, read, pages)."""
    from normalized.store import Store

    options = options or IngestOptions()
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # tesseract: one thread per process, one process per core
    files = collect_files(paths)
    store = Store(db_path)
    if options.aliases is not None:
        relinked = store.apply_aliases(options.aliases)
        if on_relinked:
            on_relinked(relinked)
    outcomes: dict[int, Outcome] = {}
    todo: list[tuple[int, Path, str]] = []
    if on_start:
        on_start(len(files))

    def finish(i: int, outcome: Outcome) -> None:
        outcomes[i] = outcome
        if on_outcome:
            on_outcome(outcome)

    for i, f in enumerate(files):
        try:
            sha = file_sha256(f)
        except OSError as err:
            store.record_failure(
                str(f), None, "unreadable", _one_line(f"cannot read file: {err.strerror or err}")
            )
            finish(
                i,
                Outcome(
                    str(f), "failed", error_kind="unreadable", message=f"cannot read file: {err.strerror}"
                ),
            )
            continue
        existing = store.document_by_sha(sha)
        if existing is not None and not options.force:
            finish(i, Outcome(str(f), "skipped", existing, sha, message="already stored"))
            continue
        todo.append((i, f, sha))

    def store_result(i: int, f: Path, sha: str, status: str, payload, started: float) -> None:
        if status == "ok":
            doc, extraction = payload
            try:
                doc_id, written = store.write_document(doc, extraction, replace=options.force)
                superseded = store.superseded_by(doc_id) if written else []
                warning = store.federation_warning(doc_id) if written else None
            except Exception as err:  # the transaction rolled back: nothing of this document is stored
                msg = _one_line(f"could not store: {type(err).__name__}: {err}")
                store.record_failure(str(f), sha, "internal", msg)
                finish(i, Outcome(str(f), "failed", sha256=sha, error_kind="internal", message=msg))
                return
            if not written:  # another run stored the same bytes while this one read them
                finish(i, Outcome(str(f), "skipped", doc_id, sha, message="stored meanwhile by another run"))
                return
            finish(
                i,
                Outcome(
                    str(f),
                    "ingested",
                    doc_id,
                    sha,
                    seconds=time.perf_counter() - started,
                    pages=len(doc.pages),
                    superseded=superseded,
                    message=doc.source_kind,
                    warning=warning,
                ),
            )
        else:
            kind, msg = payload
            store.record_failure(str(f), sha, kind, msg)
            finish(i, Outcome(str(f), "failed", sha256=sha, error_kind=kind, message=msg))

    jobs = max(1, min(options.jobs, len(todo))) if todo else 1
    if jobs == 1:
        from parsers.progress import set_watcher

        page_workers = max(1, options.jobs)  # a lone document gets every core for its OCR pages
        for i, f, sha in todo:
            started = time.perf_counter()
            if on_page is not None:
                set_watcher(lambda done, total, name=str(f): on_page(name, done, total))
            try:
                status, payload = _work(str(f), options.ocr, options.cache_dir, page_workers)
            finally:
                set_watcher(None)
            store_result(i, f, sha, status, payload, started)
    else:
        _run_pool(todo, jobs, options, store_result, on_page)

    ingested = [o.document_id for o in outcomes.values() if o.status == "ingested"]
    if ingested:
        refresh_cross_document_findings(store, store.federations_of(ingested))
    store.close()
    return [outcomes[i] for i in sorted(outcomes)]


def _run_pool(todo, jobs: int, options: IngestOptions, store_result, on_page=None) -> None:
    """Documents in parallel worker processes, a bounded number in flight; survives a crashed worker. The
    workers report the pages they read through a queue, which a thread of this process hands to
    `on_page`."""
    import multiprocessing
    import threading

    pages = multiprocessing.get_context().SimpleQueue() if on_page is not None else None

    def relay() -> None:
        while (message := pages.get()) is not None:
            on_page(*message)

    relaying = threading.Thread(target=relay, daemon=True) if pages is not None else None
    if relaying is not None:
        relaying.start()
    try:
        _pool_batches(todo, jobs, options, store_result, pages)
    finally:
        if relaying is not None:
            pages.put(None)
            relaying.join(timeout=10)


def _pool_batches(todo, jobs: int, options: IngestOptions, store_result, pages) -> None:
    queue = list(todo)
    while queue:
        pool = (
            ProcessPoolExecutor(max_workers=jobs, initializer=_watch_pages, initargs=(pages,))
            if pages is not None
            else ProcessPoolExecutor(max_workers=jobs)
        )
        running: dict[Future, tuple[int, Path, str, float]] = {}
        broken = False
        try:
            while (queue or running) and not broken:
                while queue and len(running) < jobs * 2:
                    i, f, sha = queue.pop(0)
                    # every document may OCR its pages on all cores: when one document of the batch is
                    # far longer than the rest, its pages still spread over the cores the others left
                    fut = pool.submit(_work, str(f), options.ocr, options.cache_dir, jobs)
                    running[fut] = (i, f, sha, time.perf_counter())
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for fut in done:
                    i, f, sha, started = running.pop(fut)
                    try:
                        status, payload = fut.result()
                    except BrokenProcessPool:
                        broken = True
                        status, payload = "failed", ("internal", "the worker process crashed on this file")
                    store_result(i, f, sha, status, payload, started)
            if broken:  # the other in-flight files were lost with the pool: run them again
                queue = [(i, f, sha) for (i, f, sha, _) in running.values()] + queue
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def refresh_cross_document_findings(store, federations: Collection[str] | None = None) -> int:
    """Re-run the checks that compare documents (restatements, revised budgets): over the whole store, or
    over the documents of `federations` only (the rules compare documents of one federation, so the other
    federations' findings stand). Only the kinds of table those rules read are loaded."""
    try:
        from normalized.checks import check_across
        from normalized.rules.across import ACROSS_KINDS
    except ImportError:
        return 0
    with store.writing():  # read and replace under one lock: a run beside this one cannot slip between
        docs = [d for d in store.documents() if federations is None or d["federation"] in federations]
        loaded = [(d["id"], store.load_meta(d["id"]), store.load_tables(d["id"], ACROSS_KINDS)) for d in docs]
        findings = check_across([(meta, tables) for _, meta, tables in loaded])
        ids = [doc_id for doc_id, _, _ in loaded]

        def doc_id(index: int | None) -> int | None:
            return ids[index] if index is not None and 0 <= index < len(ids) else None

        rows = [(doc_id(f.document_index), doc_id(f.other_document_index), f) for f in findings]
        store.replace_cross_document_findings(rows, None if federations is None else ids)
    return len(rows)

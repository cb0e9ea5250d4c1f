"""OCR page images with Tesseract (pytesseract, language `swe`), keeping word boxes and confidences.

Table rules (grid lines) are found in each page image and painted out before Tesseract reads it, the page
turned straight by their skew (`parsers.rules`), and kept on the page (`Page.rules`); on such a page, words
without ink are dropped and uncertain cells of its grid read again. On every page, figures read unsurely or
grouped wrong are read again, enlarged, all of a page on one sheet (`parsers.reread`); while a document's
pages are read, the sheets of several pages wait for the pages' own reads and go into one Tesseract run
(`TesseractQueue`), since a run's start costs more than reading a sheet.

Results are cached on disk by a hash of the image pixels, the language, the Tesseract version and the version
of each step: Tesseract's own read keyed on what was done to the image before (nothing, or the rules painted
out: `parsers.rules.VERSION` and the turn), the corrected read on that and the version of the re-reading. So a
page is never OCR'd twice, a new re-reading does not OCR the page again, and a read of the unprocessed image
never comes back for a processed one. Tesseract gains nothing from a second thread on a page, so it runs
single-threaded (OMP_THREAD_LIMIT=1) and several pages run side by side instead.
"""

from __future__ import annotations

import collections
import functools
import hashlib
import json
import os
import re
import shutil
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from finsam.errors import MissingDependencyError, OcrFailedError
from finsam.misreads import is_percent_sign_misread
from finsam.model import Page, PageQuality, Word
from parsers import reread
from parsers.layout import group_lines, page_text
from parsers.progress import Pages
from parsers.rules import find_rules, otsu_threshold


@dataclass(frozen=True)
class OcrSettings:
    lang: str = "swe"
    dpi: int = 200  # render resolution for PDF pages
    psm: int = 6  # Tesseract page segmentation: one uniform block. Automatic (3) drops sparse figure columns
    min_confidence: float = 0.0  # words below this (Tesseract's -1 marks non-words) are dropped


SETTINGS = OcrSettings()


def default_cache_dir() -> Path:
    return Path(os.environ.get("FINSAM_CACHE_DIR") or Path.home() / ".cache" / "finsam" / "ocr")


@functools.cache
def tesseract_version() -> str:
    """The Tesseract version; raises MissingDependencyError naming the Debian packages when absent."""
    import pytesseract

    if not shutil.which(pytesseract.pytesseract.tesseract_cmd):
        raise MissingDependencyError(
            "tesseract is not installed (Debian: apt-get install tesseract-ocr tesseract-ocr-swe)"
        )
    return str(pytesseract.get_tesseract_version())


@functools.cache
@functools.lru_cache(maxsize=1)
def installed_languages() -> frozenset[str]:
    """The models Tesseract has (asked once per process)."""
    import pytesseract

    tesseract_version()
    return frozenset(pytesseract.get_languages(config=""))


def check_language(lang: str) -> None:
    if lang not in installed_languages():
        raise MissingDependencyError(
            f"Tesseract has no '{lang}' model (Debian: apt-get install tesseract-ocr-{lang})"
        )


def _cache_key(image, lang: str, psm: int, preprocess: str = "") -> str:
    h = hashlib.sha256()
    h.update(f"{image.mode}|{image.size}|{lang}|{psm}|{tesseract_version()}".encode())
    if preprocess:  # the image Tesseract reads is made from this one by `preprocess`
        h.update(f"|{preprocess}".encode())
    h.update(image.tobytes())
    return h.hexdigest()


# The Tesseract runs of the pages ocr_pages reads (None outside it): a page's own read goes first, and the
# sheets of figures read again wait until no page is waiting to be read, then all sheets of one model go into
# one Tesseract run
_queue: TesseractQueue | None = None


def run_tesseract(image, lang: str, psm: int) -> list[list]:
    """Tesseract's words of a page image: [[text, left, top, width, height, conf], …] in pixels."""
    queue = _queue
    if queue is not None:
        return queue.read_page(image, lang, psm)
    return _run_tesseract(image, lang, psm)


def read_sheets(images: list, lang: str, psm: int) -> list[list[list]]:
    """Tesseract's words of each of several small images (sheets of boxes read again, parsers.reread), per
    image: in one Tesseract run, and, while ocr_pages reads a document's pages, in one run with the other
    pages' sheets. Tesseract reads each image of a run on its own, as it would alone, and a run costs 0.13 s
    to start (loading the model) beside the few tens of milliseconds a sheet takes to read."""
    if not images:
        return []
    queue = _queue
    if queue is not None:
        return queue.read_sheets(images, lang, psm)
    return _run_tesseract_many(images, lang, psm)


class TesseractQueue:
    """Tesseract runs, `workers` at a time, each by a thread of its own that waits on the subprocess. A page's
    own read is run first, in the order asked; sheets run only when no page waits, all the waiting sheets of
    one model and psm in one run."""

    def __init__(self, workers: int):
        self._ready = threading.Condition()
        self._pages: collections.deque = collections.deque()
        self._sheets: dict[tuple[str, int], list] = {}
        self._closed = False
        self._runners = [threading.Thread(target=self._serve, daemon=True) for _ in range(max(1, workers))]
        for runner in self._runners:
            runner.start()

    def read_page(self, image, lang: str, psm: int) -> list[list]:
        done = Future()
        with self._ready:
            self._pages.append((done, image, lang, psm))
            self._ready.notify()
        return done.result()

    def read_sheets(self, images: list, lang: str, psm: int) -> list[list[list]]:
        if not images:
            return []
        done = Future()
        with self._ready:
            self._sheets.setdefault((lang, psm), []).append((done, images))
            self._ready.notify()
        return done.result()

    def close(self) -> None:
        with self._ready:
            self._closed = True
            self._ready.notify_all()
        for runner in self._runners:
            runner.join()

    def _serve(self) -> None:
        while True:
            with self._ready:
                while not (self._pages or self._sheets or self._closed):
                    self._ready.wait()
                if self._pages:
                    done, image, lang, psm = self._pages.popleft()
                    batch = None
                elif self._sheets:
                    (lang, psm), batch = self._sheets.popitem()
                else:
                    return
            if batch is None:
                try:
                    done.set_result(_run_tesseract(image, lang, psm))
                except BaseException as err:
                    done.set_exception(err)
                continue
            images = [image for _, sheets in batch for image in sheets]
            try:
                words = _run_tesseract_many(images, lang, psm)
            except BaseException as err:  # every page that asked shares the failure
                for done, _ in batch:
                    done.set_exception(err)
                continue
            start = 0
            for done, sheets in batch:
                done.set_result(words[start : start + len(sheets)])
                start += len(sheets)


def _run_tesseract(image, lang: str, psm: int) -> list[list]:
    # handed to Tesseract as a PGM/PPM file, which is written 20× faster than the PNG pytesseract would
    # write (60 ms a 200-dpi page) and holds the same pixels
    image = image.copy()
    image.format = "PPM"
    return _words_of(_tesseract_data(image, lang, f"--psm {psm}")).get(1, [])


def _run_tesseract_many(images: list, lang: str, psm: int) -> list[list[list]]:
    """Each image's words, all read in one Tesseract run: given a file that lists image files, Tesseract
    reads each as a page of its own (TSV column page_num)."""
    import tempfile

    if len(images) == 1:
        return [_run_tesseract(images[0], lang, psm)]
    with tempfile.TemporaryDirectory(prefix="finsam-sheets-") as tmp:
        paths = []
        for k, image in enumerate(images):
            paths.append(Path(tmp) / f"sheet{k}.pgm")
            image.save(paths[-1], format="PPM")
        listing = Path(tmp) / "sheets.txt"
        listing.write_text("".join(f"{path}\n" for path in paths), encoding="utf-8")
        pages = _words_of(_tesseract_data(str(listing), lang, f"--psm {psm}"))
    return [pages.get(k + 1, []) for k in range(len(images))]


def _tesseract_data(image, lang: str, config: str) -> dict:
    import pytesseract

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        return pytesseract.image_to_data(image, lang=lang, config=config, output_type=pytesseract.Output.DICT)
    except pytesseract.TesseractError as err:
        how = f"killed by signal {-err.status}" if err.status < 0 else f"exit status {err.status}"
        said = " ".join(str(err.message).split())[:200]
        raise OcrFailedError(
            f"Tesseract stopped without reading the page ({how}{': ' + said if said else ''})"
        ) from None


def _words_of(data: dict) -> dict[int, list[list]]:
    """Tesseract's TSV as words per page number: [text, left, top, width, height, conf]; what it read as no
    word (confidence -1, empty text) left out."""
    pages: dict[int, list[list]] = {}
    for i, text in enumerate(data["text"]):
        text = (text or "").strip()
        conf = float(data["conf"][i])
        if text and conf >= 0:
            words = pages.setdefault(int(data["page_num"][i]), [])
            words.append([text, data["left"][i], data["top"][i], data["width"][i], data["height"][i], conf])
    return pages


@dataclass(frozen=True)
class Preprocess:
    """What is done to a page image before and after Tesseract reads it, each step named by a version for
    the cache: ``clean`` makes the image Tesseract reads (None: the image as it is), ``post`` corrects its
    words (e.g. cells read again)."""

    version: str = ""  # of clean; "" when there is none
    clean: Callable | None = None  # image -> the image Tesseract reads
    post_version: str = ""
    post: Callable | None = None  # (words, the image read) -> words


def _cached(path: Path) -> list | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _store(path: Path, words: list) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(words, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # a read-only cache only costs speed


def ocr_words(
    image,
    lang: str = SETTINGS.lang,
    cache_dir: Path | None = None,
    psm: int = SETTINGS.psm,
    preprocess: Preprocess | None = None,
) -> list[list]:
    """OCR one image → [[text, left, top, width, height, conf], …] in pixels, cached by content.

    With ``preprocess`` Tesseract reads ``preprocess.clean(image)`` and ``preprocess.post`` corrects what it
    read. Two reads are cached: Tesseract's, keyed on the image and the clean step's version, and the corrected
    one, keyed on both versions; so a new version of the correction does not OCR the page again, and a page
    read before (same image, same clean step) is not read again either."""
    check_language(lang)
    image = image.convert("L") if image.mode not in ("L", "RGB") else image
    cache_dir = cache_dir or default_cache_dir()
    pre = preprocess or Preprocess()
    key = _cache_key(image, lang, psm, pre.version)
    path = cache_dir / key[:2] / f"{key}.json"
    final = path
    if pre.post is not None:
        done = _cache_key(image, lang, psm, f"{pre.version}|post={pre.post_version}")
        final = cache_dir / done[:2] / f"{done}.json"
        words = _cached(final)
        if words is not None:
            return words
    words = _cached(path)
    cleaned = None
    if words is None:
        cleaned = pre.clean(image) if pre.clean else image
        words = run_tesseract(cleaned, lang, psm)
        _store(path, words)
    if pre.post is not None:
        if cleaned is None:
            cleaned = pre.clean(image) if pre.clean else image
        words = pre.post(words, cleaned)
        _store(final, words)
    return words


_SMALL_NUMBER = re.compile(r"^\d{1,3}(?:[,.]\d+)?$")


def _percent_signs(lines: list) -> list:
    """'Minst 30 26 av …' is 'Minst 30 % av …': a misread after a small number and before a word is a per
    cent sign (no Swedish number is written '30 26': groups after the first have three digits). The number may
    end the same column on the line above ("Ca 300 deltagare 65" / "20 till arbete"). Word.raw keeps the OCR."""
    previous = None
    for line in lines:
        for cell in line.cells:
            words = cell.words
            above = _cell_above(previous, cell)
            before = [above.words[-1] if above and above.words else None] + words[:-1]
            for k, (a, b) in enumerate(zip(before, words, strict=False)):
                c = words[k + 1] if k + 1 < len(words) else None
                if (
                    a is not None
                    and c is not None
                    and b.text != "%"
                    and is_percent_sign_misread(b.text, share_due=False)  # "30 av deltagarna" stays
                    and _SMALL_NUMBER.match(a.text)
                    and c.text[:1].islower()
                ):
                    b.raw, b.text = b.text, "%"
                elif (
                    a is not None and c is not None and c.text[:1].islower() and (share := _fused_share(a, b))
                ):
                    b.raw, b.text = b.text, share
            cell.text = " ".join(w.text for w in words)
        _unit_percent(line, previous)
        previous = line
    return lines


# a bound before a target ("minst 15 % av"): after one, four or five digits run together are a share whose
# percent sign ran into it ("minst 1596 av" is 15 %), since a count of a thousand or more is printed with a
# space ("1 596") and a year follows no bound
_BOUNDS = frozenset({"minst", "högst", "max", "maximalt", "lägst", "ca", "cirka", "drygt", "knappt", "över"})
_FUSED = re.compile(r"^(\d{1,2})(\d{2,3})$")


def _fused_share(bound, word) -> str | None:
    """'1596' after 'minst' read as '15%' (the raw kept by the caller); None when it is no such share."""
    m = _FUSED.match(word.text)
    if not m or len(word.text) < 4 or bound.text.casefold() not in _BOUNDS:
        return None
    head, tail = m.groups()
    return f"{head}%" if is_percent_sign_misread(tail, share_due=False) else None


_YEAR_OR_WORDS = re.compile(r"^[^\d]*(?:(?:19|20)\d\d)?[^\d]*$")  # words, perhaps a year: "2017 (kr)"


def _unit_percent(line, previous) -> None:
    """A header's unit "(%)" read "(260)" or "(26)": a cell of that word alone under a cell of words, or
    ending a cell of words ("Andel (26)"), on a line of cells whose others are words, perhaps with a year
    ("2017 (kr)"): a header line, not a row whose negative figure it could be, nor a line of prose."""
    if len(line.cells) < 2:
        return
    for cell in line.cells:
        if not cell.words or not (word := cell.words[-1]).text.startswith("("):
            continue
        inner = word.text.strip("()")
        before = cell.words[:-1]
        if before:  # "Andel (26)": the unit after the header's words
            named = all(not any(ch.isdigit() for ch in w.text) for w in before)
        else:  # "(26)" under "Andel"
            above = _cell_above(previous, cell)
            named = above is not None and not any(ch.isdigit() for ch in above.text)
        if (
            word.text.endswith(")")
            and inner != "%"
            and is_percent_sign_misread(inner, share_due=False)
            and named
            and all(_YEAR_OR_WORDS.match(c.text.strip()) for c in line.cells if c is not cell)
        ):
            word.raw, word.text = word.text, "(%)"
            cell.text = " ".join(w.text for w in cell.words)


def _cell_above(line, cell):
    """The cell of the line above that overlaps this one most (the same column), if any."""
    if line is None:
        return None
    overlaps = [(min(c.x1, cell.x1) - max(c.x0, cell.x0), c) for c in line.cells]
    best = max(overlaps, key=lambda o: o[0], default=(0, None))
    return best[1] if best[0] > 0 else None


FLATTEN_VERSION = "flat-1"


def flatten_background(image):
    """The page with everything lighter than its ink made paper white: the shading of a zebra table's rows, a
    tinted box or a grey scan's paper. Tesseract reads text on a shaded band, scanned slightly askew, as
    junk ("25;:00:96--=5300"); the ink is the darker side of the page's Otsu threshold, as everywhere else
    here (parsers.rules)."""
    import numpy as np

    gray = image.convert("L") if image.mode != "L" else image
    threshold = otsu_threshold(np.asarray(gray), np.asarray(gray.histogram()))
    return gray.point(lambda v: 255 if v > threshold else v)


# a word read less surely than this inside a longer word's box is a speck of it, however many characters
NESTED_UNSURE = 50.0


def _without_nested(words: list[Word]) -> list[Word]:
    """The words less the short or unsure ones standing inside another, longer word's box: two printed words
    never overlap, so a letter or two that Tesseract reads within a word ("Smålandskusten" with an "o" inside
    it), or a token it hardly read there ("se”" at 0 inside "Härryda"), is a speck of that word read twice,
    which reading order would set after it ("IPS Östra Smålandskusten o") or which would split its line into
    cells at the gap after it."""

    band = max((w.bottom - w.top for w in words), default=0.0) or 1.0
    bands: dict[int, list[Word]] = {}  # the long words by the bands of height `band` they reach into
    for o in words:
        if len(o.text) > 2:
            for k in range(int(o.top // band), int(o.bottom // band) + 1):
                bands.setdefault(k, []).append(o)

    def nested(w: Word) -> bool:
        if len(w.text) > 2 and (w.conf is None or w.conf >= NESTED_UNSURE):
            return False
        middle = (w.top + w.bottom) / 2
        return any(
            o is not w
            and len(o.text) > len(w.text)
            and o.x0 <= w.x0
            and w.x1 <= o.x1
            and o.top <= middle <= o.bottom
            for o in bands.get(int(middle // band), ())
        )

    return [w for w in words if not nested(w)]


def ocr_page(
    image,
    number: int,
    dpi: float = SETTINGS.dpi,
    lang: str = SETTINGS.lang,
    cache_dir: Path | None = None,
) -> Page:
    """OCR one page image into a Page whose word boxes are in PDF points (1/72 inch); table rules found in
    the image are painted out first and kept in ``Page.rules``."""
    scale = 72.0 / float(dpi or 72)
    ruled = find_rules(image, float(dpi or 72))
    grid = ruled if ruled.rules else None  # the rules to paint out and read cells by, if any
    post = Preprocess(
        f"{FLATTEN_VERSION}|{grid.version}" if grid else FLATTEN_VERSION,
        (lambda img: grid.clean(flatten_background(img))) if grid else flatten_background,
        reread.version(grid),
        lambda words, img: reread.clean_words(words, img, lang, grid),
    )
    raw = ocr_words(image, lang=lang, cache_dir=cache_dir, preprocess=post)
    words = [
        Word(text, left * scale, (left + width) * scale, top * scale, (top + height) * scale, conf)
        for text, left, top, width, height, conf in raw
        if conf >= SETTINGS.min_confidence
    ]
    lines = _percent_signs(group_lines(_without_nested(words), number))
    confs = [w.conf for w in words if w.conf is not None]
    quality = PageQuality(ocr_confidence=sum(confs) / len(confs) if confs else None)
    return Page(
        number=number,
        text=page_text(lines),
        lines=lines,
        text_source="ocr",
        width=image.width * scale,
        height=image.height * scale,
        quality=quality,
        rules=ruled.rules,
    )


# pages whose own read is done that may wait for their sheets while others are read: the more, the more sheets
# go into one Tesseract run; each holds its cleaned image (4 MB at 200 dpi) meanwhile
SHEETS_WAITING = 6


def ocr_pages(
    images: list,
    numbers: list[int],
    dpi: float = SETTINGS.dpi,
    lang: str = SETTINGS.lang,
    cache_dir: Path | None = None,
    workers: int = 1,
    progress: Pages | None = None,
) -> list[Page]:
    """OCR several page images, `workers` Tesseract processes side by side (`TesseractQueue`), the pages'
    own Python work done by as many threads more as SHEETS_WAITING, while the others wait on Tesseract; each
    page read is reported to `progress`."""
    global _queue
    check_language(lang)

    def one(image, number: int) -> Page:
        page = ocr_page(image, number, dpi, lang, cache_dir)
        if progress is not None:
            progress.read()
        return page

    if len(images) <= 1:
        return [one(img, n) for img, n in zip(images, numbers, strict=True)]
    workers = max(1, workers)
    # the pages with most ink first: Tesseract's time goes with it, and a long page read last would keep
    # one Tesseract running while the others have nothing left to read
    order = sorted(range(len(images)), key=lambda i: -_ink(images[i])) if workers > 1 else range(len(images))
    queue = TesseractQueue(workers)
    outer, _queue = _queue, queue
    try:
        with ThreadPoolExecutor(max_workers=min(workers + SHEETS_WAITING, len(images))) as pool:
            read = dict(zip(order, pool.map(lambda i: one(images[i], numbers[i]), order), strict=True))
    finally:
        _queue = outer
        queue.close()
    return [read[i] for i in range(len(images))]


def _ink(image) -> int:
    """How many of a page image's pixels are darker than mid-grey."""
    histogram = image.convert("L").histogram() if image.mode != "L" else image.histogram()
    return sum(histogram[:128])

"""OCR page images with Tesseract (pytesseract, language `swe`), keeping word boxes and confidences.

Table rules (grid lines) are found in each page image and painted out before Tesseract reads it, the page
turned straight by their skew (`parsers.rules`), and kept on the page (`Page.rules`); on such a page, words
without ink are dropped and uncertain cells of its grid read again, enlarged, in one more Tesseract call
(`reread_cells`). A page without rules goes to Tesseract as it is, as before.

Results are cached on disk by a hash of the image pixels, the language, the Tesseract version and, for a page
whose rules were painted out, the version of that preprocessing (`parsers.rules.VERSION` and the turn), so a
page is never OCR'd twice and a read of the unprocessed image never comes back for a processed one. Tesseract
gains nothing from a second thread on a page, so it runs single-threaded (OMP_THREAD_LIMIT=1) and several
pages run side by side instead.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from finsam.errors import MissingDependencyError
from finsam.misreads import is_percent_sign_misread
from finsam.model import Page, PageQuality, Word
from parsers.layout import group_lines, page_text
from parsers.rules import find_rules


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
def check_language(lang: str) -> None:
    import pytesseract

    tesseract_version()
    if lang not in pytesseract.get_languages(config=""):
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


def _run_tesseract(image, lang: str, psm: int, config: str = "") -> list[list]:
    import pytesseract

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    data = pytesseract.image_to_data(
        image, lang=lang, config=f"--psm {psm} {config}".strip(), output_type=pytesseract.Output.DICT
    )
    words = []
    for i, text in enumerate(data["text"]):
        text = (text or "").strip()
        conf = float(data["conf"][i])
        if text and conf >= 0:
            words.append([text, data["left"][i], data["top"][i], data["width"][i], data["height"][i], conf])
    return words


@dataclass(frozen=True)
class Preprocess:
    """What is done to a page image before and after Tesseract reads it. The cache keys on ``version``."""

    version: str
    clean: Callable  # image -> the image Tesseract reads
    post: Callable | None = None  # (words, that image) -> words, e.g. cells read again


def ocr_words(
    image,
    lang: str = SETTINGS.lang,
    cache_dir: Path | None = None,
    psm: int = SETTINGS.psm,
    preprocess: Preprocess | None = None,
) -> list[list]:
    """OCR one image → [[text, left, top, width, height, conf], …] in pixels, cached by content.

    With ``preprocess`` Tesseract reads ``preprocess.clean(image)`` instead, and the cache keys on the image and
    ``preprocess.version``, so the preprocessing runs only when the cache has no read."""
    check_language(lang)
    image = image.convert("L") if image.mode not in ("L", "RGB") else image
    cache_dir = cache_dir or default_cache_dir()
    key = _cache_key(image, lang, psm, preprocess.version if preprocess else "")
    path = cache_dir / key[:2] / f"{key}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    if preprocess is None:
        words = _run_tesseract(image, lang, psm)
    else:
        cleaned = preprocess.clean(image)
        words = _run_tesseract(cleaned, lang, psm)
        if preprocess.post is not None:
            words = preprocess.post(words, cleaned)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(words, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # a read-only cache only costs speed
    return words


REREAD_VERSION = "reread-4"
FIGURE_TEXT = re.compile(r"^(?:[-−–+(]?\s?\d[\d\s.,]*\)?\s?%?|[-−–])$")  # "1 641", "-20 449,2", "(37)", "-"
_FIGURE_CHARS = re.compile(r"^[\d\s.,%()−–-]*\d[\d\s.,%()−–-]*$")  # figures, dates: "2016-12-31"
REREAD_BELOW = 60.0  # a cell with a word read less surely than this is read again on its own
REREAD_SCALE = 2  # cells are read again at twice the size: Tesseract reads small print better larger
DASH_CONFIDENCE = 90.0  # the confidence given a dash recognised by its shape


def _ink(image):
    import numpy as np

    from parsers.rules import otsu_threshold

    gray = np.asarray(image)
    return gray < otsu_threshold(gray, np.asarray(image.histogram()))


def drop_inkless(words: list[list], dark) -> list[list]:
    """Without the words whose box holds no ink: Tesseract sometimes reads a dash into the blank beside a
    painted-out rule."""
    return [w for w in words if dark[w[2] : w[2] + w[4], w[1] : w[1] + w[3]].sum() > 2]


def _dash(dark, box: tuple, text_height: float) -> list | None:
    """The word "-" where a cell's only ink is one short bar (a dash for nothing, too small for Tesseract to
    read on its own), else None. Single dark pixels (dust) do not count."""
    import numpy as np

    x0, y0, x1, y1 = (max(0, round(v)) for v in box)
    a = dark[y0:y1, x0:x1]
    if a.size == 0:
        return None
    neighbours = np.zeros_like(a)
    neighbours[1:] |= a[:-1]
    neighbours[:-1] |= a[1:]
    neighbours[:, 1:] |= a[:, :-1]
    neighbours[:, :-1] |= a[:, 1:]
    ys, xs = np.nonzero(a & neighbours)
    if ys.size < 4:
        return None
    h, w = int(np.ptp(ys)) + 1, int(np.ptp(xs)) + 1
    if h <= max(2.0, 0.3 * text_height) and 2 * h <= w <= 1.5 * text_height and ys.size >= 0.6 * h * w:
        return ["-", x0 + int(xs.min()), y0 + int(ys.min()), w, h, DASH_CONFIDENCE]
    return None


def clean_ruled_words(words: list[list], image, ruled, lang: str) -> list[list]:
    """After Tesseract read a page whose rules were painted out: words without ink dropped, uncertain cells
    read again."""
    dark = _ink(image)
    return reread_cells(dashes_by_shape(drop_inkless(words, dark), dark), image, ruled, lang, dark)


_DASHES = frozenset("-−–—")


def dashes_by_shape(words: list[list], dark) -> list[list]:
    """Short tokens whose ink is one short bar read as the dash they are: Tesseract reads a lone dash in a
    table as "=", "S", "”" or with little confidence (a cell the extractor then takes for a speck). A dash read
    as one keeps its character and gets DASH_CONFIDENCE; anything else becomes "-"."""
    heights = sorted(w[4] for w in words)
    if not heights:
        return words
    text_height = heights[len(heights) // 2]
    out = []
    for w in words:
        text, left, top, width, height, conf = w
        if len(text) <= 2 and not any(ch.isdigit() for ch in text) and conf < DASH_CONFIDENCE:
            dash = _dash(dark, (left - 3, top - 3, left + width + 3, top + height + 3), text_height)
            if dash is not None:
                w = [text if text in _DASHES else "-", *dash[1:]]
        out.append(w)
    return out


_GROUPED = re.compile(r"^[-−–+(]?\s?\d{1,3}(?: \d{3})*(?:[,.]\d+)?\)?\s?%?$")


def _misgrouped(text: str) -> bool:
    """A figure written in groups whose groups are wrong ("38067 146", "523 9153", "1078 245"): Tesseract
    made up or lost a digit or a space, however sure it says it is."""
    return " " in text.strip() and bool(FIGURE_TEXT.match(text)) and not _GROUPED.match(text)


def reread_cells(words: list[list], image, ruled, lang: str, dark=None) -> list[list]:
    """Read uncertain cells of ruled tables again, each on its own line, larger.

    A cell is a box bounded by rules on four sides (``ruled.cell_at``). Cells on one line that have a word
    read below REREAD_BELOW, or that do not read as a figure in a column (a pair of vertical rules) whose
    cells mostly do, or hold just one or two characters that are no figure, or a figure whose digit groups
    are wrong, are cut out of the cleaned image, enlarged, stacked into one image with space between
    and read in one Tesseract call. A new reading replaces the cell's words where it is a figure (or a date)
    read more surely than before, or rightly grouped where the first was not; text stays as first read. A
    cell whose only ink is a short bar is a dash, which Tesseract does not read alone."""
    if dark is None:
        dark = _ink(image)
    cells: dict[tuple, list[int]] = {}
    for i, (_, left, top, width, height, _) in enumerate(words):
        box = ruled.cell_at(left + width / 2, top + height / 2)
        if box is not None:
            cells.setdefault(tuple(round(v) for v in box), []).append(i)

    def text_of(box):
        return " ".join(words[i][0] for i in sorted(cells[box], key=lambda i: words[i][1]))

    columns: dict[tuple, list[tuple]] = {}
    for box in cells:
        columns.setdefault((box[0], box[2]), []).append(box)
    figure_columns = {
        key
        for key, boxes in columns.items()
        if sum(bool(FIGURE_TEXT.match(text_of(b))) for b in boxes) >= 0.6 * len(boxes) >= 1.2
    }
    todo = []
    for box, members in cells.items():
        ws = [words[i] for i in members]
        height = sorted(w[4] for w in ws)[len(ws) // 2]
        if max(w[2] for w in ws) - min(w[2] for w in ws) > 0.5 * height:
            continue  # more than one line: a header cell
        text = text_of(box)
        unsure = min(w[5] for w in ws) < REREAD_BELOW
        odd = not FIGURE_TEXT.match(text) and ((box[0], box[2]) in figure_columns or len(text) <= 2)
        odd = odd or _misgrouped(text)
        if unsure or odd:  # a short non-figure in a ruled cell ("s", "Fö") is most often a misread figure
            todo.append(box)
    if not todo:
        return words
    from PIL import Image

    inset = max(2, round(ruled.dpi / 72 * 1.2))  # inside the rules' painted bands
    crops = []
    for b in todo:
        crop = image.crop((b[0] + inset, b[1] + inset, b[2] - inset, b[3] - inset))
        crops.append(
            crop.resize((crop.width * REREAD_SCALE, crop.height * REREAD_SCALE), Image.Resampling.BICUBIC)
        )
    pad = max(c.height for c in crops)
    sheet = Image.new(
        "L", (max(c.width for c in crops) + 2 * pad, sum(c.height + pad for c in crops) + pad), 255
    )
    offsets, y = [], pad
    for c in crops:
        sheet.paste(c, (pad, y))
        offsets.append(y)
        y += c.height + pad
    found: list[list[list]] = [[] for _ in todo]
    for w in _run_tesseract(sheet, lang, 6):
        centre = w[2] + w[4] / 2
        for k, (off, c) in enumerate(zip(offsets, crops, strict=True)):
            if off - pad / 2 <= centre < off + c.height + pad / 2:
                found[k].append(w)
                break
    replace: dict[int, list[list]] = {}
    drop: set[int] = set()
    heights = sorted(w[4] for w in words)
    text_height = heights[len(heights) // 2]
    for box, new, off in zip(todo, found, offsets, strict=True):
        old = [words[i] for i in cells[box]]
        text = " ".join(w[0] for w in sorted(new, key=lambda w: w[1]))
        inner = (box[0] + inset, box[1] + inset, box[2] - inset, box[3] - inset)
        surer = new and min(w[5] for w in new) > min(w[5] for w in old)
        regrouped = new and _misgrouped(text_of(box)) and FIGURE_TEXT.match(text) and not _misgrouped(text)
        if new and _FIGURE_CHARS.match(text) and (surer or regrouped):
            f = REREAD_SCALE
            read = [
                [w[0], round(inner[0] + (w[1] - pad) / f), round(inner[1] + (w[2] - off) / f)]
                + [round(w[3] / f), round(w[4] / f), w[5]]
                for w in new
            ]
        elif len(text_of(box)) <= 2 and not any(ch.isdigit() for ch in text_of(box)):
            dash = _dash(dark, inner, text_height)
            if dash is None or (text_of(box) == "-" and min(w[5] for w in old) >= DASH_CONFIDENCE):
                continue
            read = [dash]
        else:
            continue
        replace[min(cells[box])] = read
        drop.update(cells[box])
    out = []
    for i, w in enumerate(words):
        out.extend(replace.get(i, ()))
        if i not in drop:
            out.append(w)
    return out


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
            cell.text = " ".join(w.text for w in words)
        previous = line
    return lines


def _cell_above(line, cell):
    """The cell of the line above that overlaps this one most (the same column), if any."""
    if line is None:
        return None
    overlaps = [(min(c.x1, cell.x1) - max(c.x0, cell.x0), c) for c in line.cells]
    best = max(overlaps, key=lambda o: o[0], default=(0, None))
    return best[1] if best[0] > 0 else None


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
    preprocess = None
    if ruled.rules:
        preprocess = Preprocess(
            f"{ruled.version}|{REREAD_VERSION}",
            ruled.clean,
            lambda words, img: clean_ruled_words(words, img, ruled, lang),
        )
    raw = ocr_words(image, lang=lang, cache_dir=cache_dir, preprocess=preprocess)
    words = [
        Word(text, left * scale, (left + width) * scale, top * scale, (top + height) * scale, conf)
        for text, left, top, width, height, conf in raw
        if conf >= SETTINGS.min_confidence
    ]
    lines = _percent_signs(group_lines(words, number))
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


def ocr_pages(
    images: list,
    numbers: list[int],
    dpi: float = SETTINGS.dpi,
    lang: str = SETTINGS.lang,
    cache_dir: Path | None = None,
    workers: int = 1,
) -> list[Page]:
    """OCR several page images, `workers` Tesseract processes side by side (threads wait on subprocesses)."""
    check_language(lang)
    if workers <= 1 or len(images) <= 1:
        return [ocr_page(img, n, dpi, lang, cache_dir) for img, n in zip(images, numbers, strict=True)]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(
            pool.map(
                lambda args: ocr_page(args[0], args[1], dpi, lang, cache_dir),
                zip(images, numbers, strict=True),
            )
        )

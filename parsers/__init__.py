"""parsers/: read source files into pages of positioned words. Knows file formats and OCR, nothing about
accounting. The entry point is `read_document(path)`, which picks the reader by content, not by name."""

from __future__ import annotations

import hashlib
from pathlib import Path

from finsam.errors import EmptyFileError, TooLargeError, UnsupportedFileError
from finsam.model import ParsedDocument

MAX_BYTES = 200 * 1024 * 1024  # larger files are refused rather than exhausting memory
# The lexicon of a document's OCR repair is learnt from the first this many characters of its mangled pages:
# all of a report's, a long document's first reports'
LEXICON_CHARS = 1_500_000
IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"GIF87a", b"GIF89a", b"BM")
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".gif", ".bmp"}


def sniff(data: bytes) -> str:
    """'pdf', 'image', 'html' or 'text' from the first bytes."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(IMAGE_MAGIC):
        return "image"
    lowered = head.lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "text"


def read_document(
    path: str | Path, ocr: str = "auto", cache_dir: Path | None = None, workers: int = 1
) -> ParsedDocument:
    """Read one file into a ParsedDocument. Raises finsam.errors.FinsamError subclasses on bad input.
    Each reader is imported when a file needs it: a batch of text files never loads the PDF and OCR
    stack (numpy, pdfplumber), 0.25 s of a worker's start."""
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise EmptyFileError("file is empty")
    if size > MAX_BYTES:
        raise TooLargeError(f"file is {size / 1e6:.0f} MB (limit {MAX_BYTES / 1e6:.0f} MB)")
    data = path.read_bytes()
    sha256 = hashlib.sha256(data).hexdigest()
    kind = sniff(data)
    suffix = path.suffix.lower()
    if kind == "pdf":
        from parsers.pdf import read_pdf

        doc = read_pdf(path, data, sha256, ocr=ocr, cache_dir=cache_dir, workers=workers)
    elif kind == "image":
        if ocr == "never":
            from finsam.errors import NoTextError

            raise NoTextError("an image needs OCR, and OCR is off (--ocr never)")
        from parsers.images import read_image

        doc = read_image(path, data, sha256, cache_dir=cache_dir, workers=workers)
    elif suffix == ".pdf":
        what = "an HTML page" if kind == "html" else "no %PDF header"
        raise UnsupportedFileError(f"not a PDF ({what})")
    elif suffix in IMAGE_SUFFIXES:
        raise UnsupportedFileError(f"not a {suffix[1:].upper()} image (unknown image data)")
    else:
        from parsers.text import read_text

        doc = read_text(path, data)
        del data
    return assess_and_repair(doc)


def assess_and_repair(doc: ParsedDocument) -> ParsedDocument:
    """Record per page whether the text looks like an English-model OCR of Swedish, and repair such pages
    (a page of a long text, read without its lines, has its text repaired, and its lines are made from
    that)."""
    try:
        from parsers.quality import assess_text
    except ImportError:  # pragma: no cover - detection not available
        return doc
    from parsers.repair import repair_page

    for page in doc.pages:
        if page.text_source == "text":
            page.quality = assess_text(page.text)
    mangled = [page for page in doc.pages if page.quality.mangled]
    if mangled:
        lexicon = document_lexicon(doc)
        for page in mangled:
            repair_page(page, lexicon)
    return doc


def document_lexicon(doc: ParsedDocument):
    """The words the document surely uses, learnt once from its mangled pages, to help on each page; from
    the first LEXICON_CHARS characters of them, so a long document costs no more than a report."""
    from parsers.repair import learn_document

    texts, length = [], 0
    for page in doc.pages:
        if page.quality.mangled and length < LEXICON_CHARS:
            texts.append(page.text[: LEXICON_CHARS - length])
            length += len(texts[-1]) + 1
    return learn_document("\n".join(texts))

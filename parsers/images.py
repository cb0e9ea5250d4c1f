"""Read image files (.png, .jpg, .tif, multi-page TIFF) by OCR."""

from __future__ import annotations

import io
from pathlib import Path

from finsam.errors import InputFileError, NoTextError
from finsam.model import ParsedDocument
from parsers.ocr import ocr_pages

DEFAULT_DPI = 200  # assumed when the image does not say


def read_image(
    path: Path, data: bytes, sha256: str, cache_dir: Path | None = None, workers: int = 1
) -> ParsedDocument:
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        img = Image.open(io.BytesIO(data))
        frames = [f.convert("L") for f in ImageSequence.Iterator(img)]
    except (UnidentifiedImageError, OSError, ValueError) as err:
        raise InputFileError(f"unreadable image ({err})") from None
    dpi = img.info.get("dpi", (DEFAULT_DPI, DEFAULT_DPI))[0] or DEFAULT_DPI
    pages = ocr_pages(
        frames, list(range(1, len(frames) + 1)), dpi=float(dpi), cache_dir=cache_dir, workers=workers
    )
    letters = sum(ch.isalpha() for p in pages for ch in p.text)
    if letters < 10:
        raise NoTextError("no text found in the image")
    from parsers.pdf import _assess

    for p in pages:
        conf = p.quality.ocr_confidence
        p.quality = _assess(p.text)
        p.quality.ocr_confidence = conf
    return ParsedDocument(
        path=str(path), sha256=sha256, source_kind="image_ocr", pages=pages, size_bytes=len(data)
    )

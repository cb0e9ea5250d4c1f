"""Read PDFs: text layers with pdfplumber (word positions kept), pages without one through OCR.

pypdfium2 opens the file first: it is fast, tells an encrypted or broken file apart cleanly, gives each page's
raw text in milliseconds (to decide whether the text layer is usable) and renders page images for OCR. Only
pages with a usable text layer go through pdfplumber's slower word extraction; only pages without one (or
whose layer is an English-model OCR of Swedish, when an image is there to re-read) are OCR'd.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from finsam.errors import CorruptPdfError, EncryptedPdfError, NoTextError, TooLargeError
from finsam.model import Page, PageQuality, ParsedDocument, Word
from parsers.layout import group_lines, page_text
from parsers.ocr import SETTINGS as OCR_SETTINGS
from parsers.ocr import ocr_pages
from parsers.progress import Pages


@dataclass(frozen=True)
class PdfSettings:
    min_text_chars: int = 25  # letters/digits a text layer needs on a page with an image to count as usable
    x_tolerance: float = 1.5  # max gap between chars of one word (points), as pdfplumber's extract_words
    y_tolerance: float = 3.0
    # what reads a text layer's words: "pdfium" (parsers.pdf_words, pdfplumber's rule on pdfium's characters,
    # several times faster) or "pdfplumber"
    words: str = "pdfium"
    max_pages: int = 2000
    # a page drawn for OCR larger than this many pixels is refused (a PDF bomb's page of five metres square
    # would take gigabytes): A0 at 200 dpi is 62 million
    max_page_pixels: int = 80_000_000


SETTINGS = PdfSettings()
_ALNUM = re.compile(r"[^\W_]", re.UNICODE)


def _open(data: bytes):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        text = str(err).lower()
        if "password" in text:
            raise EncryptedPdfError("the PDF is encrypted (password protected)") from None
        raise CorruptPdfError(f"the PDF is damaged or truncated ({err})") from None


def _assess(text: str) -> PageQuality:
    try:
        from parsers.quality import assess_text
    except ImportError:  # pragma: no cover - quality detection not installed
        return PageQuality()
    return assess_text(text)


def _has_image(page) -> bool:
    import pypdfium2.raw as pdfium_c

    return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))


def read_pdf(
    path: Path,
    data: bytes,
    sha256: str,
    ocr: str = "auto",
    cache_dir: Path | None = None,
    workers: int = 1,
) -> ParsedDocument:
    pdf = _open(data)
    try:
        n_pages = len(pdf)
        if n_pages == 0:
            raise CorruptPdfError("the PDF has no pages")
        if n_pages > SETTINGS.max_pages:
            raise TooLargeError(f"the PDF has {n_pages} pages (limit {SETTINGS.max_pages})")
        # per page: "text", "ocr", "text+ocr" (mangled layer, try OCR too), "blank", or "failed" (a page
        # pdfium cannot load: the document is read without it, and is partial)
        plans: list[str] = []
        failed: dict[int, str] = {}  # page index → why it could not be read
        raw_texts: list[str] = []
        for i in range(n_pages):
            try:
                page = pdf[i]
            except Exception as err:  # noqa: BLE001 - pdfium's PdfiumError and what a damaged page raises
                failed[i] = f"page {i + 1} could not be read ({err})"
                plans.append("failed")
                raw_texts.append("")
                continue
            try:
                raw = page.get_textpage().get_text_range()
            except Exception:  # a page whose text layer pdfium cannot read: treat as no text
                raw = ""
            raw_texts.append(raw)
            has_text = len(_ALNUM.findall(raw)) >= SETTINGS.min_text_chars
            has_image = _has_image(page)
            if ocr == "always" and has_image:
                plans.append("ocr")
            elif has_text or (raw.strip() and not has_image):
                plans.append("text+ocr" if has_image and ocr != "never" and _assess(raw).mangled else "text")
            elif has_image and ocr != "never":
                plans.append("ocr")
            else:
                plans.append("blank")
        pages: dict[int, Page] = {}
        warnings: list[str] = []
        progress = Pages(n_pages)
        progress.read(sum(1 for p in plans if p in ("blank", "failed")))
        text_numbers = [i for i, p in enumerate(plans) if p in ("text", "text+ocr")]
        if text_numbers:
            only_text = {i for i, p in enumerate(plans) if p == "text"}  # the others count when OCR'd
            pages.update(_text_layer_pages(data, text_numbers, pdf, failed, progress, only_text))
        ocr_numbers = [i for i, p in enumerate(plans) if p in ("ocr", "text+ocr")]
        images = []
        for i in list(ocr_numbers):
            try:
                width, height = pdf[i].get_size()
                pixels = width * height * (OCR_SETTINGS.dpi / 72) ** 2
                if pixels > SETTINGS.max_page_pixels:
                    mm = f"{width / 72 * 25.4:.0f} × {height / 72 * 25.4:.0f} mm"
                    raise TooLargeError(f"{mm}, {pixels / 1e6:.0f} million pixels at {OCR_SETTINGS.dpi} dpi")
                images.append(pdf[i].render(scale=OCR_SETTINGS.dpi / 72).to_pil().convert("L"))
            except Exception as err:  # noqa: BLE001 - a page pdfium cannot draw
                if i not in pages:  # unless its text layer was read
                    failed.setdefault(i, f"page {i + 1} could not be drawn for OCR ({err})")
                ocr_numbers.remove(i)
        if ocr_numbers:
            dpi = OCR_SETTINGS.dpi
            ocred = ocr_pages(
                images, [i + 1 for i in ocr_numbers], dpi=dpi, cache_dir=cache_dir, workers=workers,
                progress=progress,
            )  # fmt: skip
            for i, page in zip(ocr_numbers, ocred, strict=True):
                page.quality = _merge_quality(_assess(page.text), page.quality)
                layer = pages.get(i)
                if layer is not None:  # an English-model OCR layer: keep whichever reads as better Swedish
                    if page.quality.mangle_score < layer.quality.mangle_score:
                        warnings.append(f"page {i + 1}: English-OCR text layer replaced by swe OCR")
                        pages[i] = page
                    continue
                pages[i] = page
        if len(failed) == n_pages:
            first = failed[min(failed)]
            if all("million pixels" in why for why in failed.values()):
                raise TooLargeError(f"no page of the PDF is small enough to read ({first})")
            raise CorruptPdfError(f"no page of the PDF could be read ({first})")
        warnings.extend(failed[i] for i in sorted(failed))
        blank = [i + 1 for i, p in enumerate(plans) if p == "blank"]
        if len(blank) == n_pages:
            if ocr == "never":
                raise NoTextError("no text layer, and OCR is off (--ocr never)")
            raise NoTextError("no text in the PDF (no text layer and no page images)")
        for i in range(n_pages):
            if i not in pages:
                pages[i] = Page(number=i + 1, text="", lines=[], text_source="pdf_text")
        ordered = [pages[i] for i in range(n_pages)]
        if not any(p.text.strip() for p in ordered):
            raise NoTextError("no text found in the PDF, not even by OCR")
        used_ocr = any(p.text_source == "ocr" for p in ordered)
        return ParsedDocument(
            path=str(path),
            sha256=sha256,
            source_kind="pdf_ocr" if used_ocr else "pdf_text",
            pages=ordered,
            size_bytes=len(data),
            warnings=warnings,
            failed_pages=sorted(i + 1 for i in failed),
        )
    finally:
        pdf.close()


def _merge_quality(assessed: PageQuality, ocr: PageQuality) -> PageQuality:
    assessed.ocr_confidence = ocr.ocr_confidence
    return assessed


def _text_layer_pages(
    data: bytes,
    indexes: list[int],
    pdf=None,
    failed: dict[int, str] | None = None,
    progress: Pages | None = None,
    counted: set[int] | None = None,
) -> dict[int, Page]:
    """Pages read from the text layer, word positions kept: through pdfium (`pdf`, the open document) by
    parsers.pdf_words, or with pdfplumber. A page whose layer cannot be read is put in `failed`."""
    if SETTINGS.words == "pdfium" and pdf is not None:
        from parsers.pdf_words import font_descents, page_words

        descents = font_descents(data)
        out: dict[int, Page] = {}
        for i in indexes:
            try:
                page = pdf[i]
                words = page_words(page, SETTINGS.x_tolerance, SETTINGS.y_tolerance, descents)
                out[i] = _page(i, words, page.get_width(), page.get_height())
            except Exception as err:  # noqa: BLE001 - a damaged page: the others are read all the same
                if failed is None:
                    raise
                failed[i] = f"page {i + 1}: its text could not be read ({err})"
            if progress is not None and (counted is None or i in counted):
                progress.read()
        return out
    return _plumber_pages(data, indexes)


def _page(i: int, words: list[Word], width: float, height: float) -> Page:
    lines = group_lines(words, i + 1)
    text = page_text(lines)
    return Page(
        number=i + 1,
        text=text,
        lines=lines,
        text_source="pdf_text",
        width=float(width),
        height=float(height),
        quality=_assess(text),
    )


def _plumber_pages(data: bytes, indexes: list[int]) -> dict[int, Page]:
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    out: dict[int, Page] = {}
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for i in indexes:
                page = pdf.pages[i]
                words = [
                    Word(w["text"], float(w["x0"]), float(w["x1"]), float(w["top"]), float(w["bottom"]))
                    for w in page.extract_words(
                        x_tolerance=SETTINGS.x_tolerance,
                        y_tolerance=SETTINGS.y_tolerance,
                        keep_blank_chars=False,
                        use_text_flow=False,
                    )
                ]
                out[i] = _page(i, words, page.width, page.height)
                page.flush_cache()
    except PDFSyntaxError as err:
        raise CorruptPdfError(f"the PDF is damaged ({err})") from None
    return out

"""Which text is better for a scan that carries an English-model OCR layer: the layer, or swe re-OCR?

    python bench/sandwich_bench.py [--pages N]

Renders the first N pages of each clean corpus report, makes "sandwich" PDFs (scan image + invisible text
layer by `tesseract -l eng`, the damage of corpus/002), and compares, against the clean source text:
the English layer as read by pdfplumber (--ocr never), that layer after parsers.repair, and what `finsam`
keeps with --ocr auto (it detects the mangled layer and re-OCRs the page with `swe`). Reports character and word accuracy and seconds per page.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.lower())


def accuracy(reference: str, candidate: str) -> tuple[float, float]:
    """(character accuracy, word accuracy) of candidate against reference, order-aware."""
    ref_chars, cand_chars = " ".join(words(reference)), " ".join(words(candidate))
    chars = difflib.SequenceMatcher(None, ref_chars, cand_chars, autojunk=False)
    matched = sum(b.size for b in chars.get_matching_blocks())
    ref_words, cand_words = words(reference), words(candidate)
    w = difflib.SequenceMatcher(None, ref_words, cand_words, autojunk=False)
    matched_words = sum(b.size for b in w.get_matching_blocks())
    return matched / max(len(ref_chars), 1), matched_words / max(len(ref_words), 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pages", type=int, default=2)
    args = ap.parse_args()
    sys.path.insert(0, str(REPO))
    import pdfplumber
    import pypdfium2 as pdfium

    from corpus.build import render_sandwich_pdf, render_text_pdf
    from parsers import read_document
    from parsers.repair import repair_text

    work = Path(tempfile.mkdtemp(prefix="finsam-sandwich-"))
    totals = {"eng layer": [0.0, 0.0], "eng layer repaired": [0.0, 0.0], "finsam --ocr auto": [0.0, 0.0]}
    n, seconds = 0, 0.0
    for src in sorted((REPO / "corpus").glob("00[134]_*.txt")):
        full = render_text_pdf(src.read_text(encoding="utf-8"), work / f"{src.stem}.pdf")
        doc = pdfium.PdfDocument(str(full))
        part = pdfium.PdfDocument.new()
        part.import_pages(doc, list(range(min(args.pages, len(doc)))))
        part.save(str(work / f"{src.stem}.part.pdf"))
        sandwich = render_sandwich_pdf(work / f"{src.stem}.part.pdf", work / f"{src.stem}.sandwich.pdf")
        with pdfplumber.open(work / f"{src.stem}.part.pdf") as clean_pdf:
            clean = [p.extract_text() or "" for p in clean_pdf.pages]
        with pdfplumber.open(sandwich) as layer_pdf:
            layer = [p.extract_text() or "" for p in layer_pdf.pages]
        start = time.perf_counter()
        kept = read_document(sandwich, ocr="auto", cache_dir=work / "cache")
        seconds += time.perf_counter() - start
        for i, reference in enumerate(clean):
            candidates = (
                ("eng layer", layer[i]),
                ("eng layer repaired", repair_text(layer[i]).text),
                ("finsam --ocr auto", kept.pages[i].text),
            )
            for name, text in candidates:
                c, w = accuracy(reference, text)
                totals[name][0] += c
                totals[name][1] += w
            n += 1
        print(f"{src.name}: {len(clean)} pages; finsam kept: {[p.text_source for p in kept.pages]}")
    for name, (c, w) in totals.items():
        print(f"{name:20s} character accuracy {100 * c / n:5.1f} %  word accuracy {100 * w / n:5.1f} %")
    print(f"finsam --ocr auto: {seconds / n:.2f} s/page (detection + swe re-OCR)")


if __name__ == "__main__":
    main()

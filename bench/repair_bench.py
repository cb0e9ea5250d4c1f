"""OCR repair benchmark, run on demand: `python bench/repair_bench.py [--pages N]`.

Renders the first N pages of each clean corpus report (001, 003, 004) with corpus.build, OCRs them with
`tesseract -l eng` (an English model: exactly the damage of corpus/002), repairs the OCR text with
parsers.repair, and aligns it word by word with the clean text. Reports:
- damaged words restored: OCR words that differ from the clean word only where å/ä/ö were misread, and that
  the repair turned back into the clean word (target ≥ 98 %);
- correct words changed: OCR words equal to the clean word that the repair changed (target ≤ 0.2 %);
- words per second of the repair.
The English OCR is cached in /tmp/finsam-repair-bench, so a second run takes seconds.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CACHE = Path("/tmp/finsam-repair-bench")
SWEDISH = "åäöÅÄÖ"


def tokens(text: str) -> list[str]:
    return [t.strip(".,;:!?()\"'»«”“") for t in text.split()]


def damaged_only_at_swedish_letters(clean: str, ocr: str) -> bool:
    """The OCR word differs from the clean word only where the clean word has å, ä or ö (misread as
    anything: a, d, é, 6, 4 …), so the damage is exactly an English model's."""
    if len(clean) != len(ocr) or clean == ocr:
        return False
    return all(c == o or c in SWEDISH for c, o in zip(clean, ocr, strict=True))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("texts", nargs="*", help="clean text files to render (default: corpus 001, 003, 004)")
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--dump", type=Path, help="write every miss and change, one per line, to this file")
    args = ap.parse_args()
    sys.path.insert(0, str(REPO))
    import pdfplumber
    import pypdfium2 as pdfium
    import pytesseract

    from corpus.build import render_text_pdf
    from parsers.quality import assess_text
    from parsers.repair import MANGLED, SETTINGS, repair_text

    CACHE.mkdir(exist_ok=True)
    damaged = restored = correct = changed = 0
    words_repaired, seconds = 0, 0.0
    examples_missed: list[tuple[str, str, str]] = []
    examples_changed: list[tuple[str, str]] = []
    sources = [Path(p) for p in args.texts] or sorted((REPO / "corpus").glob("00[134]_*.txt"))
    for src in sources:
        pdf = render_text_pdf(src.read_text(encoding="utf-8"), CACHE / f"{src.stem}.pdf")
        doc = pdfium.PdfDocument(str(pdf))
        pages: list[tuple[str, str]] = []  # (clean, ocr) per page
        with pdfplumber.open(pdf) as plumb:
            for i in range(min(args.pages, len(doc))):
                clean = plumb.pages[i].extract_text() or ""
                key = hashlib.sha256(f"{src.name}:{i}:{clean}".encode()).hexdigest()[:16]
                cached = CACHE / f"{key}.eng.txt"
                if cached.exists():
                    ocr = cached.read_text(encoding="utf-8")
                else:
                    image = doc[i].render(scale=200 / 72).to_pil().convert("L")
                    ocr = pytesseract.image_to_string(image, lang="eng")
                    cached.write_text(ocr, encoding="utf-8")
                pages.append((clean, ocr))
        # the damage is judged on the whole document, as `finsam repair FILE` does
        start = time.perf_counter()
        settings = MANGLED if assess_text("\n".join(o for _, o in pages)).mangled else SETTINGS
        seconds += time.perf_counter() - start
        for clean, ocr in pages:
            start = time.perf_counter()
            fixed = repair_text(ocr, settings).text
            seconds += time.perf_counter() - start
            ocr_tokens, fixed_tokens, clean_tokens = tokens(ocr), tokens(fixed), tokens(clean)
            words_repaired += len(ocr_tokens)
            matcher = difflib.SequenceMatcher(None, clean_tokens, ocr_tokens, autojunk=False)
            for op, a0, a1, b0, b1 in matcher.get_opcodes():
                if op not in ("equal", "replace") or a1 - a0 != b1 - b0:
                    continue
                for c, o, f in zip(clean_tokens[a0:a1], ocr_tokens[b0:b1], fixed_tokens[b0:b1], strict=True):
                    if c == o:
                        correct += 1
                        if f != o:
                            changed += 1
                            examples_changed.append((o, f))
                    elif damaged_only_at_swedish_letters(c, o):
                        damaged += 1
                        if f == c:
                            restored += 1
                        else:
                            examples_missed.append((c, o, f))
    print(f"damaged words restored: {restored}/{damaged} ({100 * restored / max(damaged, 1):.1f} %)")
    print(f"correct words changed:  {changed}/{correct} ({100 * changed / max(correct, 1):.2f} %)")
    print(f"repair speed: {words_repaired / max(seconds, 1e-9):,.0f} words/s")
    if args.dump:
        lines = [f"missed\t{c}\t{o}\t{f}" for c, o, f in examples_missed]
        lines += [f"changed\t{o}\t{f}" for o, f in examples_changed]
        args.dump.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("missed (clean, ocr, repaired):", examples_missed[:25])
    print("changed (ocr, repaired):", examples_changed[:15])


if __name__ == "__main__":
    main()

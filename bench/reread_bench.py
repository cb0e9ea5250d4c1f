"""What correcting a scanned page's words costs beside Tesseract's own read of it, run on demand:

    python bench/reread_bench.py SCAN.pdf [--pages N]

For each page (rendered as the pipeline renders it, rules found and painted out as it does): Tesseract's
read of the page, and `parsers.reread.clean_words` after it (dust and faint marks dropped, dashes by shape,
unsure figures and lone tokens read again in one more Tesseract call, the skew of a page without rules),
both in CPU seconds of this process and of its Tesseract children. No cache is used. Prints the mean per
page and the ratio of the two.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main(argv: list[str] | None = None) -> int:
    import pypdfium2

    from parsers import reread
    from parsers.ocr import SETTINGS, run_tesseract
    from parsers.rules import find_rules

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pdf", type=Path)
    ap.add_argument("--pages", type=int, default=0, help="the first N pages only (default: all)")
    args = ap.parse_args(argv)
    pdf = pypdfium2.PdfDocument(str(args.pdf))
    count = min(len(pdf), args.pages) if args.pages else len(pdf)
    read = correct = 0.0
    start = time.perf_counter()
    for i in range(count):
        image = pdf[i].render(scale=SETTINGS.dpi / 72).to_pil().convert("L")
        ruled = find_rules(image, SETTINGS.dpi)
        grid = ruled if ruled.rules else None
        cleaned = grid.clean(image) if grid else image
        t0 = cpu()
        words = run_tesseract(cleaned, SETTINGS.lang, SETTINGS.psm)
        t1 = cpu()
        reread.clean_words(words, cleaned, SETTINGS.lang, grid)
        t2 = cpu()
        read += t1 - t0
        correct += t2 - t1
    wall = time.perf_counter() - start
    print(f"{args.pdf.name}: {count} pages at {SETTINGS.dpi} dpi, {wall:.1f} s wall")
    print(f"  Tesseract's read: {read / count:.2f} s CPU a page")
    print(f"  correcting it:    {correct / count:.2f} s CPU a page ({correct / read:.2f}x the read)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""A coverage-guided fuzz target (atheris, libFuzzer) for the PDF path, run on demand:

    python fuzz/fuzz_pdf.py fuzz/corpus -max_total_time=600 -rss_limit_mb=2048

The seed corpus is the bundled reports rendered as text-layer PDFs (``--seed-corpus DIR`` writes them; the
runner does so when the corpus folder is empty). Each input is read as finsam reads a PDF (pdfium, the text
layer's words, no OCR: a scan's pages would cost Tesseract seconds each), then extracted and checked. The
one outcome allowed besides success is a FinsamError (a damaged, encrypted or empty PDF, with its one-line
reason); any other exception is a crash, and libFuzzer writes the input that raised it to crash-<sha1>.
Every crash found is turned into a test in tests/parsers/test_pdf_fuzzed.py.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import REPO, fuzz  # noqa: E402 - beside this file

sys.path.insert(0, str(REPO))

with atheris.instrument_imports(include=["parsers", "extractor", "normalized", "finsam"]):
    from finsam.errors import FinsamError
    from finsam.pipeline import analyse
    from parsers.pdf import read_pdf


def run_one(data: bytes) -> None:
    """What `finsam ingest --ocr never` does to a PDF's bytes, short of the store."""
    try:
        doc = read_pdf(Path("fuzz.pdf"), data, hashlib.sha256(data).hexdigest(), ocr="never")
    except FinsamError:
        return
    analyse(doc)


def seed_corpus(folder: Path) -> None:
    from corpus.build import render_text_pdf

    for text in sorted((REPO / "corpus").glob("00[134]_*.txt")):
        # the first pages only: libFuzzer mutates small inputs faster
        short = "\n".join(text.read_text(encoding="utf-8").split("\n")[:80])
        render_text_pdf(short, folder / f"{text.stem}.pdf")


def main() -> None:
    fuzz(run_one, seed_corpus)


if __name__ == "__main__":
    main()

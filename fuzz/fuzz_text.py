"""A coverage-guided fuzz target (atheris, libFuzzer) for the text path, run on demand:

    python fuzz/fuzz_text.py fuzz-text-corpus -max_total_time=600

Seeded with the bundled reports' openings (written when the corpus folder is empty). Each input is read as
finsam reads a text file (decoding, markup, lines and cells, the OCR repair of a mangled text), then
extracted, its figures repaired and checked. A FinsamError is the one failure allowed; any other exception
is a crash, written to crash-<sha1> and kept as a test (tests/parsers/test_pdf_fuzzed.py keeps the PDF
ones; a text one goes beside it).
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import REPO, fuzz  # noqa: E402 - beside this file

sys.path.insert(0, str(REPO))

with atheris.instrument_imports(include=["parsers", "extractor", "normalized", "finsam"]):
    from finsam.errors import FinsamError
    from finsam.pipeline import analyse
    from parsers import assess_and_repair
    from parsers.text import read_text


def run_one(data: bytes) -> None:
    """What `finsam ingest` does to a text file's bytes, short of the store."""
    try:
        doc = assess_and_repair(read_text(Path("fuzz.txt"), data))
    except FinsamError:
        return
    analyse(doc)


def seed_corpus(folder: Path) -> None:
    for text in sorted((REPO / "corpus").glob("00*.txt")):
        lines = text.read_text(encoding="utf-8").split("\n")
        for k, start in enumerate(range(0, min(len(lines), 400), 100)):  # openings and tables, 100 lines each
            (folder / f"{text.stem}.{k}.txt").write_text(
                "\n".join(lines[start : start + 100]), encoding="utf-8"
            )


def main() -> None:
    fuzz(run_one, seed_corpus)


if __name__ == "__main__":
    main()

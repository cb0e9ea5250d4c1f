"""What the fuzz targets share: the run of libFuzzer over a seed corpus it makes when the folder is empty.

A target reads its input as finsam reads a file of its kind and hands the document to
`finsam.pipeline.analyse` (extraction, figure repair, checks); a FinsamError is the one failure allowed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import atheris

REPO = Path(__file__).resolve().parent.parent


def fuzz(run_one: Callable[[bytes], None], seed_corpus: Callable[[Path], None]) -> None:
    """libFuzzer over `run_one`, with the command line's arguments; the first folder named is the corpus,
    seeded by `seed_corpus` when it is empty or missing."""
    args = sys.argv[1:]
    folders = [Path(a) for a in args if not a.startswith("-")]
    for folder in folders[:1]:
        if not folder.exists() or not any(folder.iterdir()):
            folder.mkdir(parents=True, exist_ok=True)
            seed_corpus(folder)
    atheris.Setup([sys.argv[0], *args], run_one)
    atheris.Fuzz()

"""python -m corpus.sweep --producer P --seeds 0-29 OUT [FILES…]: render report texts through the sweep."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import PRODUCERS, ProducerUnavailable, output_name, parse_seeds, render

CORPUS = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m corpus.sweep", description=__doc__)
    ap.add_argument("outdir", type=Path)
    ap.add_argument("files", nargs="*", type=Path, help="report texts (default: the corpus's gold reports)")
    ap.add_argument("--producer", choices=PRODUCERS, action="append", help="repeatable (default: all)")
    ap.add_argument("--seeds", default="0-29", help="seed list, e.g. 0-29 or 3,5,8-10 (default 0-29)")
    args = ap.parse_intermixed_args(argv)
    files = args.files or default_reports()
    args.outdir.mkdir(parents=True, exist_ok=True)
    for producer in args.producer or PRODUCERS:
        for seed in parse_seeds(args.seeds):
            for src in files:
                out = args.outdir / output_name(src, producer, seed)
                try:
                    render(src.read_text(encoding="utf-8"), producer, seed, out)
                except ProducerUnavailable as exc:
                    print(f"sweep: {exc}", file=sys.stderr)
                    return 3
                print(out)
    return 0


def default_reports() -> list[Path]:
    """The corpus reports that have gold: the three shared ones and the ones written for the sweep."""
    shared = [
        CORPUS / n
        for n in ("001_700b3d922c4e8911.txt", "003_77daca0be119bb8e.txt", "004_980b17fa86c8b35a.txt")
    ]
    return [p for p in shared if p.exists()] + sorted((CORPUS / "authored").glob("[0-9][0-9][0-9]_*.txt"))


if __name__ == "__main__":
    sys.exit(main())

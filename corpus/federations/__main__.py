"""python -m corpus.federations --seed S --federations N --years 2019-2021 --out DIR [--producer P ...]"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import generate, write


def _years(spec: str) -> range:
    first, _, last = spec.partition("-")
    years = range(int(first), int(last or first) + 1)
    if not years:
        raise argparse.ArgumentTypeError(f"no years in {spec!r} (give e.g. 2019-2021)")
    return years


def main(argv: list[str] | None = None) -> int:
    from corpus.sweep import BASE_PRODUCERS, PRODUCERS, ProducerUnavailable

    ap = argparse.ArgumentParser(prog="python -m corpus.federations", description=__doc__)
    ap.add_argument("--seed", type=int, default=0, help="the same seed writes the same bytes (default 0)")
    ap.add_argument("--federations", type=int, default=20, help="how many federations (default 20)")
    ap.add_argument(
        "--years", type=_years, default=_years("2019-2021"), help="first-last (default 2019-2021)"
    )
    ap.add_argument("--out", type=Path, required=True, help="folder for text/, <producer>/ and manifest.json")
    ap.add_argument(
        "--producer",
        choices=PRODUCERS,
        action="append",
        default=[],
        help=f"also render each text as a PDF by this layout-sweep producer ({', '.join(BASE_PRODUCERS)}, "
        "or P-scan); repeatable",
    )
    args = ap.parse_args(argv)
    try:
        corpus = generate(args.seed, args.federations, args.years)
    except ValueError as exc:  # more federations than the kommuner hold
        print(f"federations: {exc}", file=sys.stderr)
        return 2
    try:
        manifest = write(corpus, args.out, tuple(args.producer))
    except ProducerUnavailable as exc:
        print(f"federations: {exc}", file=sys.stderr)
        return 3
    print(
        f"{len(corpus.reports)} reports of {len(corpus.federations)} federations, {len(corpus.injections)} "
        f"injections ({len(corpus.conflicts)} conflicting figures, {len(corpus.errors)} errors) → {manifest}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

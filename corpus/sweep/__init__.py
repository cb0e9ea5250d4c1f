"""The layout sweep: one report text rendered through many producers and seeded random layouts.

    python -m corpus.sweep --producer reportlab --seeds 0-29 OUT [FILES…]

A producer turns the report's blocks (``corpus.sweep.document``) laid out by a seed's ``Layout``
(``corpus.sweep.layout``) into a PDF with a text layer: ``reportlab`` (platypus tables whose header cells are
paragraphs that wrap), ``writer`` (LibreOffice Writer, a generated .fodt converted headless) and
``chromium`` (HTML printed by headless Chromium). ``P-scan`` is producer P's PDF printed to page images and
scanned: 150–300 dpi, skew, blur, noise, JPEG artefacts (``corpus.sweep.scan``). File names start with the
source's stem, so the gold scorer pairs each rendering with its source: ``003_….writer.s07.pdf``.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable
from pathlib import Path

from .document import Block, TableBlock, read_report, title
from .layout import Layout, random_layout, random_scan, stack_header

BASE_PRODUCERS = ("reportlab", "writer", "chromium")
PRODUCERS = BASE_PRODUCERS + tuple(f"{p}-scan" for p in BASE_PRODUCERS)


class ProducerUnavailable(RuntimeError):
    """The program a producer needs (soffice, chromium) is not installed."""


def _module(base: str):
    return importlib.import_module(f"corpus.sweep.{base}_producer")


def available(producer: str) -> bool:
    return _module(producer.removesuffix("-scan")).available()


def prepare(blocks: list[Block], layout: Layout) -> list[Block]:
    """The blocks as this layout prints them: header cells stacked where the layout stacks them."""
    if not layout.header_stack:
        return blocks
    out: list[Block] = []
    for b in blocks:
        if isinstance(b, TableBlock) and b.header_rows:
            rows = [[c if i == 0 else stack_header(c) for i, c in enumerate(r)] for r in b.header] + b.body
            b = dataclasses.replace(b, rows=rows)
        out.append(b)
    return out


def render(text: str, producer: str, seed: int, out: Path) -> Path:
    """Render a report text with ``producer`` and the layout of ``seed`` into the PDF ``out``."""
    base = producer.removesuffix("-scan")
    if base not in BASE_PRODUCERS:
        raise ValueError(f"unknown producer {producer!r} (one of {', '.join(PRODUCERS)})")
    module = _module(base)
    if not module.available():
        raise ProducerUnavailable(f"producer {base} needs {module.PROGRAM}, which is not installed")
    blocks = read_report(text)
    layout = random_layout(seed, title(blocks))
    render_pdf: Callable[[list[Block], Layout, Path], Path] = module.render_pdf
    if not producer.endswith("-scan"):
        return render_pdf(prepare(blocks, layout), layout, Path(out))
    from .scan import scan_pdf

    clean = Path(out).with_suffix(".clean.pdf")
    render_pdf(prepare(blocks, layout), layout, clean)
    try:
        return scan_pdf(clean, Path(out), random_scan(seed), seed)
    finally:
        clean.unlink(missing_ok=True)


def output_name(source: Path, producer: str, seed: int) -> str:
    return f"{source.stem}.{producer}.s{seed:02d}.pdf"


def parse_seeds(spec: str) -> list[int]:
    """ "0-29" or "3,5,8-10"."""
    seeds: list[int] = []
    for part in spec.split(","):
        lo, _, hi = part.strip().partition("-")
        seeds.extend(range(int(lo), int(hi or lo) + 1))
    return seeds

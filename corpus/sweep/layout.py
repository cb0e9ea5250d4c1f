"""Seeded random layouts for the sweep: fonts, sizes, pages, table styles, headers, furniture, scans.

One seed gives one ``Layout`` (and one ``ScanSettings``) whatever the producer, so a seed names the same
choices in reportlab, LibreOffice Writer and Chromium as far as each can honour them. The ranges are those of
real federation reports: 9–12 pt, serif and sans, ruled, zebra and bare tables, header cells that wrap in
narrow columns, year and role on lines of their own, running headers naming the federation, page numbers.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/liberation"))


@dataclass(frozen=True)
class Font:
    family: str  # the name LibreOffice and Chromium know it by (fontconfig)
    regular: str  # TTF file names, for reportlab
    bold: str

    def path(self, bold: bool = False) -> Path | None:
        name = self.bold if bold else self.regular
        return next((d / name for d in FONT_DIRS if (d / name).exists()), None)

    @property
    def available(self) -> bool:
        return self.path() is not None


FONTS = [
    Font("DejaVu Sans", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    Font("DejaVu Serif", "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"),
    Font("DejaVu Sans Condensed", "DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf"),
    Font("Liberation Sans", "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
    Font("Liberation Serif", "LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf"),
    Font("Liberation Sans Narrow", "LiberationSansNarrow-Regular.ttf", "LiberationSansNarrow-Bold.ttf"),
]

TABLE_STYLES = ("grid", "zebra", "bare", "rules")  # rules: horizontal lines only (above/below header, total)
A4 = (595.3, 841.9)


@dataclass(frozen=True)
class Layout:
    seed: int
    font: Font
    size: float  # body text, points
    leading: float  # line height as a multiple of size
    landscape: bool
    margin: float  # points, all four sides
    table_style: str  # one of TABLE_STYLES
    bold_header: bool
    header_stack: bool  # header cells broken before their year and unit ("Utfall" over "2018")
    figure_width: float  # a figure column's width in ems: narrow ones make header cells wrap
    figure_align: str  # "right" (most reports), "left" or "center"
    label_share: float  # the label column's share of the table width
    table_font_scale: float  # table text relative to body text
    running_header: str | None  # printed at the top of every page
    running_footer: str | None  # printed at the bottom, "{n}" is the page number, "{total}" the count
    footer_align: str  # "left", "center" or "right"
    repeat_header: bool  # a table split over pages repeats its header on the next
    caption_bold: bool  # a table's caption printed bold (else as a plain line)

    @property
    def page_size(self) -> tuple[float, float]:
        return (A4[1], A4[0]) if self.landscape else A4

    @property
    def text_width(self) -> float:
        return self.page_size[0] - 2 * self.margin


@dataclass(frozen=True)
class ScanSettings:
    dpi: int
    rotation: float  # degrees
    blur: float  # Gaussian radius in pixels at the scan's dpi
    noise: float  # standard deviation of grey-level noise
    jpeg_quality: int | None  # None: lossless
    dust_per_pixel: float
    contrast: float  # < 1 washes the page out (a faint copy)


def _running_header(rng: random.Random, title: str) -> str | None:
    if rng.random() < 0.25 or not title:
        return None
    name = title[:70]
    # what real running headers add to the name; never a document type, which a report's own header would
    # state truly and a sweep could only guess
    suffix = rng.choice(
        [
            "",
            f" Organisationsnummer 222000-{rng.randrange(1000, 9999)}",
            f" Org.nr 222000-{rng.randrange(1000, 9999)}",
            f" Dnr {rng.randrange(2015, 2024)}/{rng.randrange(1, 99)}",
        ]
    )
    return name + suffix


def random_layout(seed: int, title: str = "") -> Layout:
    """The layout a seed names. ``title`` (the report's first line) feeds the running header."""
    rng = random.Random(f"layout-{seed}")
    fonts = [f for f in FONTS if f.available] or FONTS[:1]
    footer = rng.choice([None, "Sida {n}", "{n}", "{n} ({total})", "Sida {n} av {total}", "– {n} –"])
    return Layout(
        seed=seed,
        font=rng.choice(fonts),
        size=rng.choice([9, 9.5, 10, 10.5, 11, 12]),
        leading=rng.uniform(1.15, 1.45),
        landscape=rng.random() < 0.12,
        margin=rng.uniform(40, 80),
        table_style=rng.choice(TABLE_STYLES),
        bold_header=rng.random() < 0.6,
        header_stack=rng.random() < 0.35,
        figure_width=rng.choice([4.5, 5.5, 6.5, 8, 10]),
        figure_align=rng.choices(["right", "left", "center"], weights=[7, 2, 1])[0],
        label_share=rng.uniform(0.3, 0.5),
        table_font_scale=rng.choice([1.0, 1.0, 0.9, 0.85]),
        running_header=_running_header(rng, title),
        running_footer=footer,
        footer_align=rng.choice(["left", "center", "right"]),
        repeat_header=rng.random() < 0.5,
        caption_bold=rng.random() < 0.5,
    )


def random_scan(seed: int) -> ScanSettings:
    """A scanner's settings for a seed: 150–300 dpi, up to 1.2° of skew, blur, noise, JPEG artefacts."""
    rng = random.Random(f"scan-{seed}")
    return ScanSettings(
        dpi=rng.choice([150, 200, 200, 240, 300, 300]),
        rotation=rng.uniform(-1.2, 1.2),
        blur=rng.uniform(0.0, 0.9),
        noise=rng.uniform(0, 10),
        jpeg_quality=rng.choice([None, 40, 60, 75, 90]),
        dust_per_pixel=rng.uniform(0, 4e-5),
        contrast=rng.uniform(0.75, 1.0),
    )


_YEARISH = re.compile(r"\s+(?=(?:19|20)\d\d\b(?![-–]\d\d-)|\((?:t?kr|mkr|%)\)|\(tkr|tkr\b|kr\b)")


def stack_header(cell: str) -> str:
    """A header cell with its year and unit on lines of their own: "Prognos utfall 2017 (tkr)" becomes
    "Prognos utfall\\n2017\\n(tkr)"; a period "2016-01-01 -2016-12-31" breaks after its dash."""
    cell = re.sub(r"(\d{4}-\d\d-\d\d)\s*[-–]\s*(\d{4}-\d\d-\d\d)", r"\1 –\n\2", cell)
    return _YEARISH.sub("\n", cell).strip()


def footer_text(layout: Layout, page: int, total: int) -> str | None:
    if layout.running_footer is None:
        return None
    return layout.running_footer.format(n=page, total=total)

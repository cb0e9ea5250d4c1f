"""The skew of a scanned page without rules (parsers.skew), on page images drawn and turned here."""

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from parsers.skew import skew_degrees, turn_words

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def page(degrees: float) -> Image.Image:
    """A 200-dpi page of prose and a table of figures, fed in turned `degrees` counter-clockwise."""
    image = Image.new("L", (1700, 2200), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 28)
    for n in range(30):
        y = 200 + n * 45
        if n % 10 < 6:
            draw.text(
                (150, y), "Förbundets verksamhet finansieras av medlemmarna, staten med hälften", font=font
            )
        else:
            draw.text((150, y), "Region Värmland", font=font)
            draw.text((900, y), "1 300,0", font=font)
            draw.text((1300, y), "1 250,0", font=font)
    return image.rotate(degrees, resample=Image.Resampling.BILINEAR, fillcolor=255)


@pytest.mark.parametrize("degrees", [1.2, -0.8, 0.4, -2.5])
def test_the_turn_that_straightens_a_page_is_found_from_its_ink(degrees):
    dark = np.asarray(page(degrees)) < 128
    assert skew_degrees(dark) == pytest.approx(-degrees, abs=0.08)


def test_a_straight_or_blank_page_is_left_as_it_is():
    assert skew_degrees(np.asarray(page(0.0)) < 128) == 0.0
    assert skew_degrees(np.zeros((2200, 1700), dtype=bool)) == 0.0


def test_words_turned_back_stand_on_one_line_again():
    # the left and right words of one row, 700 px apart, on a page turned 1° counter-clockwise: the right
    # word stands 12 px higher; turned back by -1° both stand at the same height
    size = (1700, 2200)
    phi = np.radians(1.0)
    left = ["Region", 150, 1000, 120, 30, 96]
    right = ["1 300,0", 850, round(1000 - 700 * np.tan(phi)), 110, 30, 96]
    straight = turn_words([left, right], -1.0, size)
    assert abs(straight[0][2] - straight[1][2]) <= 1
    assert [w[0] for w in straight] == ["Region", "1 300,0"]
    assert turn_words([left], 0.0, size) == [left]


SOCIAL_ENTERPRISES = """Samordningsförbundet Östra Södertörn

Utveckling av arbetsintegrerande sociala företag 2011-2016

\t2011\t2012\t2013\t2014\t2015\t2016
Antal sociala företag\t3\t4\t9\t9\t9\t9
Antal verksamma\t130\t162\t210\t261\t286\t244
Antal anställda\t17\t29\t50\t77\t85\t85
Antal deltagare, samordningsförbundet\t0\t9\t43\t35\t31\t24
"""


def test_a_scan_fed_in_at_an_angle_keeps_each_row_on_one_line(tmp_path, ocr_cache):
    """Seed 100 scans a bare table at 150 dpi turned 0.9°: its rows rise by 7 points across the page, more
    than half a line, so a row's figures could part from their label (in a longer table, the first line of
    a wrapped label stood apart from its figures). Turned back, each row's figures stand level."""
    from corpus.sweep import available, render
    from corpus.sweep.layout import random_layout, random_scan
    from parsers import read_document

    if not available("reportlab-scan"):
        pytest.skip("the scan producer is not available")
    seed = 100
    assert random_layout(seed).table_style == "bare" and abs(random_scan(seed).rotation) > 0.8
    scan = render(SOCIAL_ENTERPRISES, "reportlab-scan", seed, tmp_path / "skewed.scan.pdf")
    page = read_document(scan, cache_dir=ocr_cache).pages[0]
    for label, figures in [
        ("Antal verksamma", "130 162 210 261 286 244"),
        ("Antal deltagare,", "0 9 43 35 31 24"),
    ]:
        line = next(line for line in page.lines if line.text.startswith(label))
        assert [c.text for c in line.cells[1:]] == figures.split(), line.text
        tops = [w.top for c in line.cells[1:] for w in c.words]
        assert max(tops) - min(tops) < 2.0, line.text

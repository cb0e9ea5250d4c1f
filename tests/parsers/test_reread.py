"""Figures Tesseract read unsurely, read again enlarged (parsers.reread.reread_figures): which words make one
figure, which new readings replace the old, and a scanned table whose figures come out right only so."""

from __future__ import annotations

import pytest

import parsers.marks as marks
import parsers.reread as reread
from finsam.misreads import share_before_misread


def _w(text, left, conf=96.0, top=100, height=19):
    return [text, left, top, len(text) * 9, height, conf]


LINE = [
    _w("Region", 80),
    _w("Värmland", 140),
    _w("25,00", 632),
    _w("4", 684, 39.0),  # the percent sign, 7 px after the figure
    _w("1", 765, 66.0),
    _w("300,0", 782, 66.0),  # "1 300,0": a thin space apart
    _w("1", 889),
    _w("250,0", 906),
    _w("7,5", 906, top=160),  # the next line
]


def test_a_figure_run_is_the_digit_groups_of_one_figure_on_one_line():
    runs = [[LINE[i][0] for i in run] for run in reread.figure_runs(LINE)]
    assert runs == [["25,00", "4"], ["1", "300,0"], ["1", "250,0"], ["7,5"]]


def _reread(monkeypatch, words, readings):
    """reread_figures with Tesseract's new readings given per box, in the order the boxes are asked for."""
    asked = []

    def read_boxes(image, boxes, lang, scale, heights=None):
        asked.extend(boxes)
        return [readings.pop(0) for _ in boxes]

    monkeypatch.setattr(reread, "read_boxes", read_boxes)

    class Image:
        width, height = 2000, 3000

    return reread.reread_figures(words, Image(), "swe"), asked


@pytest.mark.parametrize(
    "old, new, replaced",
    [
        ([_w("2600,0", 765, 62.0)], [_w("2", 765), _w("600,0", 784)], True),  # same digits, surer: "2 600,0"
        ([_w("3721", 905, 65.0)], [_w("372,1", 904, 95.0)], True),
        ([_w("50,00", 618, 35.0), _w("246", 670, 35.0)], [_w("50,00", 618), _w("20", 670, 71.0)], True),
        (
            [_w("1080,0", 745, 35.0)],
            [_w("1", 745, 80.0), _w("030,0", 763, 80.0)],
            False,
        ),  # other digits, unclear
        ([_w("1080,0", 745, 35.0)], [_w("1", 745, 95.0), _w("030,0", 763, 95.0)], True),  # …read clearly
        ([_w("2600,0", 765, 62.0)], [_w("KV", 765, 90.0)], False),  # text never replaces a figure
        ([_w("2600,0", 765, 62.0)], [_w("2", 765, 50.0), _w("600,0", 784, 50.0)], False),  # less sure
        ([_w("523", 765, 90.0), _w("9153", 800, 90.0)], [_w("5", 765, 88.0), _w("239", 780, 88.0)], False),
        (
            [_w("523", 765, 90.0), _w("9153", 800, 90.0)],
            [_w("5", 765, 88.0), _w("239", 780, 88.0), _w("153", 815, 88.0)],
            True,
        ),
        # ^ the same digits, now grouped right
    ],
)
def test_a_new_reading_replaces_a_run_only_when_it_is_surer_figures(monkeypatch, old, new, replaced):
    words = [_w("Kansli", 80), *old]
    out, asked = _reread(monkeypatch, words, [new])
    assert len(asked) == 1
    assert [w[:5] for w in out] == [w[:5] for w in ([words[0], *new] if replaced else words)]


def test_a_reading_whose_digits_differ_from_the_page_read_is_no_clear_one(monkeypatch):
    # "522" read at 60, read again "922" at 94: the two readings disagree, so the new one stands below a
    # clear reading and the checks may try its look-alike digits; the same digits regrouped keep their 95
    out, _ = _reread(monkeypatch, [_w("Kansli", 80), _w("522", 765, 60.0)], [[_w("922", 765, 94.0)]])
    assert [(w[0], w[5]) for w in out] == [("Kansli", 96.0), ("922", reread.DISPUTED_CONFIDENCE)]
    out, _ = _reread(monkeypatch, [_w("Kansli", 80), _w("3721", 905, 65.0)], [[_w("372,1", 904, 95.0)]])
    assert [(w[0], w[5]) for w in out] == [("Kansli", 96.0), ("372,1", 95.0)]


def test_figures_read_surely_and_grouped_right_are_not_read_again(monkeypatch):
    out, asked = _reread(monkeypatch, [_w("Kansli", 80), _w("1", 745), _w("080,0", 763)], [])
    assert asked == [] and len(out) == 3


def test_the_box_read_again_stops_halfway_to_the_next_word():
    words = [_w("Arbetsförmedlingen)", 80), _w("2600,0", 300, 50.0), _w("2", 400), _w("500,0", 419)]
    seen = []
    reread.read_boxes, original = (
        (lambda image, boxes, lang, scale, heights=None: seen.extend(boxes) or [[]]),
        reread.read_boxes,
    )
    try:

        class Image:
            width, height = 2000, 3000

        reread.reread_figures(words, Image(), "swe")
    finally:
        reread.read_boxes = original
    (x0, y0, x1, y1) = seen[0]
    assert 80 + 19 * 9 <= x0 < 300 and 300 + 54 < x1 <= (354 + 400) / 2
    assert y0 < 100 and y1 > 119


def test_a_share_whose_percent_sign_ocr_misread_keeps_its_figure():
    assert [share_before_misread(c) for c in ("7,64 HA", "25,00 4", "50,00 246", "100,00 20")] == [
        "7,64",
        "25,00",
        "50,00",
        "100,00",
    ]
    # a figure that goes on, text, and digits after a figure without decimals are no share
    assert [share_before_misread(c) for c in ("12 500", "1 300,0", "Totalt 2", "30 000")] == [None] * 4


MEMBERS = """Samordningsförbundet Klarälvdalen

Tabell 3. Medlemsbidrag 2023 och 2022, tkr

Medlem\tAndel\tBidrag 2023\tBidrag 2022
Staten (Försäkringskassan och Arbetsförmedlingen)\t50,00 %\t2 600,0\t2 500,0
Region Värmland\t25,00 %\t1 300,0\t1 250,0
Torsby kommun\t7,64 %\t397,1\t381,8
Hagfors kommun\t7,57 %\t393,7\t378,6
Munkfors kommun\t2,53 %\t122,2\t117,5
Forshaga kommun\t7,44 %\t387,0\t372,1
Totalt\t100,00 %\t5 200,0\t5 000,0
"""


def test_a_scanned_table_reads_its_figures_and_shares(tmp_path, ocr_cache):
    """A bare table scanned at 200 dpi with 0.78° of skew, noise and JPEG artefacts: Tesseract's page read
    has '2600,0', '3721' and percent signs as '246' or '4'; read again, every figure is as printed, and each
    share whose sign it misread is its figure, marked repaired."""
    from corpus.sweep import render
    from corpus.sweep.layout import random_layout, random_scan
    from extractor.tables import extract_tables
    from parsers import read_document

    seed = 101
    assert random_layout(seed).table_style == "bare" and random_scan(seed).dpi == 200
    scan = render(MEMBERS, "reportlab-scan", seed, tmp_path / "members.scan.pdf")
    (table,) = extract_tables(read_document(scan, cache_dir=ocr_cache))
    rows = {r.label: r for r in table.rows}
    keys = [c.key for c in table.columns]
    expected = [line.split("\t") for line in MEMBERS.strip().split("\n")[5:]]
    assert len(rows) == len(expected)
    for label, share, paid, paid_before in expected:
        row = rows[label]
        values = [row.values[k].value for k in keys]
        assert values == [
            float(f.replace(" ", "").replace(",", ".").rstrip("%")) for f in (share, paid, paid_before)
        ]
    assert [c.role for c in table.columns][0] == "share"


def test_a_zebra_table_scanned_askew_reads_its_shaded_rows(tmp_path, ocr_cache):
    """Writer's zebra rows scanned at 200 dpi, 1° askew (seed 9514): Tesseract read the shaded rows as junk
    ("25;:00:96--=5300:05=:1T250:0", "FRE", "SLL") until the shading was made paper white."""
    from corpus.sweep import available, render
    from extractor.tables import extract_tables
    from parsers import read_document

    if not available("writer-scan"):
        pytest.skip("LibreOffice Writer is not installed")
    scan = render(MEMBERS, "writer-scan", 9514, tmp_path / "members.scan.pdf")
    (table,) = extract_tables(read_document(scan, cache_dir=ocr_cache))
    rows = {r.label: r for r in table.rows}
    bidrag = [c.key for c in table.columns if c.year is not None]
    expected = {
        "Region Värmland": [1300, 1250],
        "Hagfors kommun": [393.7, 378.6],
        "Munkfors kommun": [122.2, 117.5],
    }
    expected["Forshaga kommun"] = [387, 372.1]
    for label, values in expected.items():
        assert [rows[label].values[k].value for k in bidrag] == values, label


def test_a_speck_of_dust_read_as_a_word_is_dropped_but_a_decimal_point_beside_a_figure_stays():
    # word boxes in pixels as Tesseract gives them: text, left, top, width, height, confidence
    header = [
        ["Medlem", 180, 750, 80, 17, 96],
        ["Andel", 670, 750, 59, 28, 96],
        ["Bidrag", 835, 750, 67, 20, 96],
    ]
    dust = ["i", 960, 760, 1, 1, 56]
    point = ["600", 1100, 800, 40, 17, 80], [".", 1141, 812, 2, 2, 40], ["5", 1144, 800, 9, 17, 80]
    flat = ["ST", 800, 2240, 11, 2, 8]  # a page number "– 5 –" read as letters a pixel or two high
    dash = ["–", 800, 2300, 14, 2, 90]  # a dash is flat
    words = marks.drop_dust([*header, dust, *point, flat, dash])
    assert dust not in words and flat not in words
    assert [w[0] for w in words] == ["Medlem", "Andel", "Bidrag", "600", ".", "5", "–"]


def test_a_mark_read_faintly_into_the_blank_between_two_header_cells_is_dropped():
    # "2021 - Måluppfyllelse": Tesseract read a "-" with confidence 0 where the page is blank
    words = [
        ["2021", 590, 1170, 36, 12, 91],
        ["-", 630, 1160, 8, 24, 0.0],
        ["Måluppfyllelse", 655, 1165, 110, 18, 60],
    ]
    assert [w[0] for w in marks.drop_faint_marks(words)] == ["2021", "Måluppfyllelse"]
    # a dash read surely, or recognised by its shape (DASH_CONFIDENCE), stays
    dash = ["-", 630, 1175, 12, 2, marks.DASH_CONFIDENCE]
    assert marks.drop_faint_marks([words[0], dash]) == [words[0], dash]


def test_figures_are_read_again_by_the_english_model_which_knows_the_percent_sign(monkeypatch):
    # "Minst 35 26", "64 HA" and "3840" (38 %): the Swedish model reads a "%" as digits or letters, or runs
    # it into the figure; the English model reads it, and its digits are the old ones without the misread
    from parsers import ocr

    if "eng" not in ocr.installed_languages():
        pytest.skip("Tesseract has no English model")
    models = []

    def read_boxes(image, boxes, lang, scale, heights=None):
        models.append(lang)
        return [
            [_w("35", 618), _w("%", 640)],
            [_w("64", 700, top=200), _w("%", 722, top=200)],
            [_w("38", 700, top=300), _w("%", 722, top=300)],
            [_w("1", 765, 89.0), _w("212", 784, 89.0)],
        ]

    monkeypatch.setattr(reread, "read_boxes", read_boxes)

    class Image:
        width, height = 2000, 3000

    words = [_w("Minst", 80), _w("35", 618), _w("26", 640, 56.0), _w("12122", 765, 65.0)]
    words += [_w("Unga", 80, top=200), _w("64", 700, 92.0, top=200), _w("HA", 722, 17.0, top=200)]
    words += [_w("Jobbspåret", 80, top=300), _w("3840", 700, 70.0, top=300)]
    out = reread.reread_figures(words, Image(), "swe")
    assert models == ["eng"]  # one sheet for the page
    assert [w[0] for w in out if w[2] == 200] == ["Unga", "64", "%"]
    assert [w[0] for w in out if w[2] == 300] == ["Jobbspåret", "38", "%"]
    # other digits, and not read clearly: the old reading stays
    assert [w[0] for w in out if w[2] == 100] == ["Minst", "35", "%", "12122"]


def test_a_lone_unsure_token_among_figures_is_read_again_and_replaced_only_by_digits_as_wide(monkeypatch):
    # at 150 dpi a small figure comes out as letters ("ag" for 11); a reading with fewer digits than the
    # token is wide ("Tl" two digits wide read again "7") is no better
    readings = [[_w("11", 700, 96.0, top=100)], [_w("7", 700, 96.0, top=200)]]
    words = [_w("Hälsoskolan", 80), _w("109", 500), _w("ag", 700, 47.0), _w("14", 900)]
    words += [_w("2012", 80, top=200), _w("624", 500, top=200), _w("Tl", 700, 40.0, top=200)]
    words += [_w(str(n), 1000 + 40 * n, top=300) for n in range(10, 16)]  # figures read surely: the pitch
    out, asked = _reread(monkeypatch, words, readings)
    assert len(asked) == 2
    assert [w[0] for w in out if w[2] == 100] == ["Hälsoskolan", "109", "11", "14"]
    assert [w[0] for w in out if w[2] == 200] == ["2012", "624", "Tl"]


def test_a_figure_read_surely_but_a_digit_short_for_its_box_is_read_again(monkeypatch):
    # "71" read "7" with confidence 81, its box two digits wide: read again "71", which fits; a figure whose
    # box fits its digits is not read again however it was read
    readings = [[_w("71", 700, 93.0)]]
    words = [_w("Totalt", 80), _w("222", 500), _w("45", 600), [*_w("7", 700, 81.0)[:3], 18, 19, 81.0]]
    words += [_w(str(n), 1000 + 40 * n, top=300) for n in range(10, 16)]  # figures read surely: the pitch
    out, asked = _reread(monkeypatch, words, readings)
    assert len(asked) == 1
    assert [w[0] for w in out if w[2] == 100] == ["Totalt", "222", "45", "71"]


def test_the_cache_version_of_the_corrections_changes_with_their_source(tmp_path, monkeypatch):
    # a change to the skew (or to this module, or to the misread signs) must not leave corrected reads stale
    from parsers import skew

    before = reread.version()
    changed = tmp_path / "skew.py"
    changed.write_text(open(skew.__file__, encoding="utf-8").read() + "\n# changed\n", encoding="utf-8")
    monkeypatch.setattr(skew, "__file__", str(changed))
    reread.source_version.cache_clear()
    try:
        assert reread.version() != before and reread.version().startswith("figures-")
        assert reread.version(ruled=object()).endswith(reread.version())
    finally:
        monkeypatch.undo()
        reread.source_version.cache_clear()
    assert reread.version() == before


def test_a_figure_run_too_wide_or_narrow_for_its_digits_takes_a_reading_that_fits_its_ink(monkeypatch):
    # the Swedish model read "31 %" as "314" (a box four digits wide for three) and "64 %" as "64 246" (the
    # "246" one digit wide), both fairly surely; the English model reads the sign, less surely. A reading
    # that fits the ink and keeps the digits that fitted replaces the old; one that does not fit, does not
    readings = [
        [[*_w("31%", 700, 62.0)[:3], 36, 19, 62.0]],
        [_w("64", 700, 90.0, top=200), [*_w("%", 722, 70.0, top=200)[:3], 14, 19, 70.0]],
        [_w("318", 700, 62.0, top=400)],
    ]
    words = [_w("Steget", 80), _w("42", 500), [*_w("314", 700, 80.0)[:3], 36, 19, 80.0]]
    words += [_w("Unga", 80, top=200), _w("61", 500, top=200)]
    words += [_w("64", 700, 95.0, top=200), [*_w("246", 722, 79.0, top=200)[:3], 14, 19, 79.0]]
    words += [_w("Totalt", 80, top=400), [*_w("314", 700, 80.0, top=400)[:3], 36, 19, 80.0]]
    words += [_w(str(n), 1000 + 40 * n, top=300) for n in range(10, 16)]  # figures read surely: the pitch
    out, asked = _reread(monkeypatch, words, readings)
    assert len(asked) == 3
    assert [w[0] for w in out if w[2] == 100] == ["Steget", "42", "31%"]
    assert [w[0] for w in out if w[2] == 200] == ["Unga", "61", "64", "%"]
    assert [w[0] for w in out if w[2] == 400] == ["Totalt", "314"]  # "318" is no better a fit, nor surer


def test_a_figure_a_digit_short_for_its_box_takes_a_surer_reading_that_fits_though_not_clear(monkeypatch):
    # "77" read "7" (confidence 60) in a box two digits wide; read again "77" at 78: it fits the ink, and
    # is surer; a reading that does not fit ("777") is not taken however sure
    readings = [[_w("77", 700, 78.0)], [_w("777", 700, 95.0, top=200)]]
    words = [_w("2013", 80), _w("236", 500), [*_w("7", 700, 60.0)[:3], 18, 19, 60.0]]
    words += [
        _w("2014", 80, top=200),
        _w("221", 500, top=200),
        [*_w("8", 700, 60.0, top=200)[:3], 18, 19, 60.0],
    ]
    words += [_w(str(n), 1000 + 40 * n, top=300) for n in range(10, 16)]  # figures read surely: the pitch
    out, asked = _reread(monkeypatch, words, readings)
    assert len(asked) == 2
    assert [w[0] for w in out if w[2] == 100] == ["2013", "236", "77"]
    assert [w[0] for w in out if w[2] == 200] == ["2014", "221", "8"]


def test_a_figure_a_digit_short_for_its_box_takes_a_clear_reading_that_fits_though_not_surer(monkeypatch):
    # "77" read "7" at 94 in a box two digits wide (Tesseract ran the two sevens into one); read again "77"
    # at 93: clear, and it fits the ink where the first reading did not
    readings = [[_w("77", 700, 93.0)]]
    words = [_w("2013", 80), _w("236", 500), [*_w("7", 700, 94.0)[:3], 18, 19, 94.0]]
    words += [_w(str(n), 1000 + 40 * n, top=300) for n in range(10, 16)]  # figures read surely: the pitch
    out, _ = _reread(monkeypatch, words, readings)
    assert [w[0] for w in out if w[2] == 100] == ["2013", "236", "77"]


def test_a_figure_a_digit_short_for_its_box_takes_its_digits_with_the_lost_one_put_back_though_less_sure(
    monkeypatch,
):
    # "77" read "7" at 96 in a box two digits wide (a 200-dpi scan of a participants table); read again "77"
    # at 72: it fits the ink and is the old digits with the lost one put back, so it is taken, as a disputed
    # reading the checks may still question; "12" at 72 for a "8" two digits wide is not (other digits)
    readings = [[_w("77", 700, 72.0)], [_w("12", 700, 72.0, top=200)]]
    words = [_w("2013", 80), _w("236", 500), [*_w("7", 700, 96.0)[:3], 18, 19, 96.0]]
    words += [
        _w("2014", 80, top=200),
        _w("221", 500, top=200),
        [*_w("8", 700, 96.0, top=200)[:3], 18, 19, 96.0],
    ]
    words += [_w(str(n), 1000 + 40 * n, top=300) for n in range(10, 16)]  # figures read surely: the pitch
    out, _ = _reread(monkeypatch, words, readings)
    taken = [w for w in out if w[2] == 100]
    assert [w[0] for w in taken] == ["2013", "236", "77"]
    assert taken[-1][5] <= reread.DISPUTED_CONFIDENCE
    assert [w[0] for w in out if w[2] == 200] == ["2014", "221", "8"]


def test_a_share_a_digit_too_long_for_its_box_takes_its_digits_with_the_extra_one_left_out(monkeypatch):
    # a scanned member table: "7,57 %" read "17,57 Yo" at 78 (a painted-out rule's stroke read as a 1), its
    # box as wide as "7,64" above; read again "7,57 %" at 42 it fits the ink and is the old digits less one
    readings = [
        [
            [*_w("7,57", 842, 42.0, top=353)[:3], 47, 21, 42.0],
            [*_w("%", 899, 42.0, top=353)[:3], 20, 19, 42.0],
        ]
    ]
    words = [_w("Torsby", 136, top=317), [*_w("7,64", 842, 94.0, top=317)[:3], 47, 21, 94.0]]
    words += [_w("Hagfors", 138, top=353), [*_w("17,57", 842, 78.0, top=353)[:3], 47, 21, 78.0]]
    words += [[*_w("Yo", 899, 53.0, top=353)[:3], 19, 19, 53.0]]
    words += [[str(n), 1000 + 80 * n, 500, 29, 21, 96.0] for n in range(10, 16)]  # the pitch: 14,5
    out, _ = _reread(monkeypatch, words, readings)
    assert [w[0] for w in out if w[2] == 353] == ["Hagfors", "7,57", "%"]


def test_a_wrapped_percent_sign_read_as_a_figure_before_a_word_is_read_again_without_the_word(monkeypatch):
    # "… anställning 40" over "% ska nå egen försörjning": the sign read "0" (49), with "ska" after it taken
    # in as a sign perhaps misread; read again "% ska", the word the same: the "0" is the sign, "ska" stays
    readings = [[["%", 674, 812, 23, 21, 92.0], ["ska", 708, 811, 42, 21, 96.0]]]
    words = [["anställning", 681, 780, 143, 26, 95.0], ["40", 835, 780, 31, 21, 96.0]]
    words += [["0", 674, 812, 23, 21, 49.0], ["ska", 708, 812, 42, 21, 96.0], ["nå", 762, 809, 29, 24, 96.0]]
    words += [[str(n), 1000 + 80 * n, 1500, 31, 21, 96.0] for n in range(10, 16)]  # the pitch
    out, _ = _reread(monkeypatch, words, readings)
    assert [w[0] for w in out if w[2] in (809, 811, 812)] == ["%", "ska", "nå"]
    # a word of the next cell caught at the edge of an enlarged box is no part of the reading
    assert reread._within(
        [["7", 10, 0, 9, 20, 95.0], ["ska", 30, 0, 40, 20, 96.0]], [["1", 10, 0, 9, 20, 50.0]]
    ) == [["7", 10, 0, 9, 20, 95.0]]


def test_a_dash_tesseract_did_not_read_is_put_in_where_its_bar_stands_mid_line():
    """A dash for nothing Tesseract skipped without a word: found as a short bar in the blank of its line,
    right of a word and in the middle of the line's height; an underline, a speck, a bar before the line's
    first word and a bar that is part of taller ink are none."""
    import numpy as np

    dark = np.zeros((400, 1400), dtype=bool)
    words = [["Finansiella", 100, 100, 113, 20, 96.0], ["intäkter", 220, 100, 77, 20, 96.0]]
    words += [["-1", 600, 100, 30, 20, 96.0], ["210", 636, 100, 40, 20, 96.0]]
    for _, left, top, width, height, _ in words:
        dark[top : top + height, left : left + width] = True  # the words' ink
    dark[109:112, 900:906] = True  # the dash of the next column, 6 × 3: blurred by the scan
    dark[118:120, 1000:1012] = True  # an underline at the foot of the line
    dark[108:111, 1100:1103] = True  # a speck, as high as wide
    dark[108:111, 40:48] = True  # a bar before the first word: a bullet, no figure
    dark[100:120, 1200:1203] = True  # a tall stroke ...
    dark[109:112, 1203:1209] = True  # ... with a bar that is part of it
    added = [w for w in marks.unread_dashes(words, dark) if w not in words]
    assert [(w[0], w[1], w[5]) for w in added] == [("-", 900, marks.DASH_CONFIDENCE)]
    # no word on the line, no dash
    assert marks.unread_dashes([["Not", 100, 300, 40, 20, 96.0]], dark) == [["Not", 100, 300, 40, 20, 96.0]]


RESULT_WITH_DASHES = """Samordningsförbundet Hälsingland

Resultaträkning (kr)

Belopp i kronor\tNot\t2021\t2020
Medlemsavgifter\t1\t8 400 000\t8 400 000
Övriga intäkter\t\t36 500\t-
Summa intäkter\t\t8 436 500\t8 400 000
Verksamhetskostnader\t2\t-8 102 350\t-7 916 480
Verksamhetens resultat\t\t334 150\t483 520
Finansiella intäkter\t\t-\t-
Finansiella kostnader\t\t-1 210\t-2 015
Årets resultat\t\t332 940\t481 505
"""


def test_dashes_for_nothing_in_a_skewed_scan_are_read_as_nothing(tmp_path, ocr_cache):
    """A bare table scanned at 200 dpi, 1° askew, with noise and JPEG artefacts: Tesseract reads the second
    dash of "Finansiella intäkter – –" as ">". The page is put straight before dashes are looked for by their
    shape (on the skewed page a dash 600 px right of its label stands 10 px lower), so both cells read as
    nothing."""
    from corpus.sweep import render
    from corpus.sweep.layout import random_layout, random_scan
    from extractor.tables import extract_tables
    from parsers import read_document

    seed = 123
    assert random_layout(seed).table_style == "bare" and abs(random_scan(seed).rotation) > 1
    scan = render(RESULT_WITH_DASHES, "reportlab-scan", seed, tmp_path / "rr.scan.pdf")
    (table,) = extract_tables(read_document(scan, cache_dir=ocr_cache))
    rows = {r.label: r for r in table.rows}
    years = [c.key for c in table.columns if c.year is not None]
    assert [rows["Finansiella intäkter"].values[k].value for k in years] == [0, 0]
    assert [rows["Övriga intäkter"].values[k].value for k in years] == [36500, 0]
    assert [rows["Finansiella kostnader"].values[k].value for k in years] == [-1210, -2015]


def _typeset(tokens: list[tuple[str, str, float]], font_file: str, px: int):
    """Tokens (printed, as Tesseract read it, its confidence) set on a line in a font, and the ink."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(font_file, px)
    image = Image.new("L", (60 * px, 3 * px), 255)
    draw = ImageDraw.Draw(image)
    x, words = px, []
    for printed, read, conf in tokens:
        draw.text((x, px), printed, font=font, fill=0)
        left, top, right, bottom = draw.textbbox((x, px), printed, font=font)
        words.append([read, left, top, right - left, bottom - top, conf])
        x = right + px // 3  # a word space
    return words, np.asarray(image) < 128


@pytest.mark.parametrize(
    "font_file",
    [
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    ],
)
@pytest.mark.parametrize("px", [28, 42])  # 10 pt at 200 and 300 dpi
def test_a_percent_sign_misread_is_known_by_its_two_rings_and_the_stroke_between(font_file, px):
    """The Swedish model reads the percent sign of some fonts "Yo", "UA" or "20" whatever the scale; its shape
    says what it is: two rings, up on the left and down on the right, joined by the stroke. "96" and "Po"
    have their holes so too, with a blank column between the glyphs; "8" and "B" have theirs one above the
    other."""
    tokens = [
        ("Minst", "Minst", 96.0),
        ("40", "40", 96.0),
        ("%", "Yo", 28.0),  # "Minst 40 %"
        ("64", "64", 96.0),
        ("%", "20", 63.0),  # "64 %", the sign read as digits
        ("Hälsoskolan", "Hälsoskolan", 96.0),
        ("96", "96", 96.0),  # a figure after a label
        ("7", "7", 96.0),
        ("96", "96", 70.0),  # digits close after a figure: a blank column between them
        ("3", "3", 96.0),
        ("8", "8", 60.0),
        ("5", "5", 96.0),
        ("B", "B", 60.0),
        ("Po", "Po", 50.0),
    ]
    words, dark = _typeset(tokens, font_file, px)
    out = marks.percents_by_shape(words, dark)
    assert [w[0] for w in out] == [
        "Minst",
        "40",
        "%",
        "64",
        "%",
        "Hälsoskolan",
        "96",
        "7",
        "96",
        "3",
        "8",
        "5",
        "B",
        "Po",
    ]
    assert out[2][5] == marks.PERCENT_CONFIDENCE and out[2][1:5] == words[2][1:5]


@pytest.mark.parametrize(
    "font_file",
    [
        "/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    ],
)
def test_a_percent_sign_in_brackets_is_known_inside_them(font_file):
    """A header's unit "(%)" read "(240)" or "(26)": the ink between the brackets has the sign's shape. A
    note reference "(96)" has not, nor a "(kr)"."""
    tokens = [
        ("Andel", "Andel", 96.0),
        ("(%)", "(240)", 73.0),
        ("(96)", "(96)", 80.0),
        ("(kr)", "(kr)", 96.0),
    ]
    words, dark = _typeset(tokens, font_file, 28)
    assert [w[0] for w in marks.percents_by_shape(words, dark)] == ["Andel", "(%)", "(96)", "(kr)"]


def test_a_figure_one_digit_but_near_two_digits_wide_is_read_again():
    # "71" read "7", its box 1.7 digits wide: a box is never wider than its digits' advance
    assert reread._misfit(["7", 0, 0, 20, 15, 92.0], 11.7)
    assert not reread._misfit(["7", 0, 0, 12, 15, 92.0], 11.7)
    assert not reread._misfit(["11", 0, 0, 15, 15, 92.0], 11.7)  # a narrow digit's ink is narrower
    # a figure with a comma: "17,57" in a box as wide as the "7,64" beside it (3½ digits at 200 dpi) holds
    # a digit less than it says; "7,64" and "-548" fit theirs
    assert reread._misfit(["17,57", 0, 0, 47, 21, 78.0], 14.75)
    assert not reread._misfit(["7,64", 0, 0, 47, 21, 94.0], 14.75)
    assert not reread._misfit(["-548", 0, 0, 52, 21, 94.0], 14.75)
    assert not reread._misfit(["7,64 %", 0, 0, 76, 21, 94.0], 14.75)  # a sign: judged by _width_fits


def test_boxes_of_small_print_among_larger_are_read_at_one_text_size():
    # Tesseract takes one text size for a sheet: a table's small "71" among larger figures of the prose is
    # read right only when every box is enlarged to the same text height
    from PIL import Image, ImageDraw, ImageFont

    from parsers import ocr

    if "eng" not in ocr.installed_languages():
        pytest.skip("Tesseract has no English model")
    image = Image.new("L", (900, 700), 255)
    draw = ImageDraw.Draw(image)
    boxes, heights = [], []
    for k, (text, px) in enumerate(
        [("98", 44), ("2016", 44), ("32", 44), ("71", 20), ("126", 44), ("77", 20)]
    ):
        font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", px)
        x, y = 100, 20 + 110 * k
        draw.text((x, y), text, font=font, fill=0)
        left, top, right, bottom = draw.textbbox((x, y), text, font=font)
        boxes.append((left - px // 2, top - px // 4, right + px // 2, bottom + px // 4))
        heights.append(bottom - top)
    found = reread.read_boxes(image, boxes, "eng", 3, heights)
    assert [" ".join(w[0] for w in f) for f in found] == ["98", "2016", "32", "71", "126", "77"]
    for box, words in zip(boxes, found, strict=True):  # the words come back in the image's pixels
        assert box[0] <= words[0][1] and words[0][1] + words[0][3] <= box[2]


@pytest.mark.parametrize("first, again", [(91.0, 93.0), (96.0, 72.0)])
def test_a_ruled_cell_a_digit_short_for_its_box_is_read_again_by_the_figures_model(monkeypatch, first, again):
    # a "7" two digits wide in a ruled cell (Tesseract lost one 7 of "77", confidence 91): read again
    # larger by the figures' model, and "77", which fits the box, replaces it; read less surely than the "7"
    # (96, again 72) it still does, being the old digit with the lost one put back
    class Grid:
        dpi = 200

        def cell_at(self, x, y):
            return (int(x // 100) * 100, int(y // 50) * 50, int(x // 100) * 100 + 100, int(y // 50) * 50 + 50)

    asked = []

    def read_boxes(image, boxes, lang, scale, heights=None):
        asked.append((lang, scale, len(boxes)))
        return [[["77", b[0] + 10, b[1] + 10, 22, 15, again]] for b in boxes]

    def read_each(image, boxes, lang, scale):  # each box on a sheet of its own
        return [read_boxes(image, [b], lang, scale)[0] for b in boxes]

    monkeypatch.setattr(reread, "read_boxes", read_boxes)
    monkeypatch.setattr(reread, "read_each", read_each)
    monkeypatch.setattr(reread, "_figures_model", lambda lang: "eng")
    words = [[str(n), 1010 + 100 * (n % 5), 10 + 50 * (n // 5), 22, 15, 96.0] for n in range(10, 30)]
    words.append(["7", 310, 210, 21, 15, first])
    out = reread.reread_cells(words, object(), Grid(), "swe", dark=object())
    assert ("eng", reread.FIGURE_SCALE, 1) in asked
    assert [w[0] for w in out if w[1] >= 300 and w[1] < 400 and w[2] >= 200 and w[2] < 250] == ["77"]


# a percent sign as a 200-dpi scan inked it (LiberationSans, 9 pt): the stroke nearly touches the lower ring
# and leaves a pinhole of two pixels beside the rings
SCANNED_PERCENT = """
..##.............
.#####......##...
.##..#.....##....
##...##....##....
##...##...##.....
##...##...##.....
##...##..##......
.#...##..##.###..
.#...##.##.#####.
.#####.###.##..##
..####.##..##..##
......###..##..##
......##...##...#
.....##....##...#
.....##....##..##
....##.....##..##
....##.....#####.
.............##..
"""


def test_a_percent_sign_with_a_pinhole_beside_its_rings_is_still_one():
    import numpy as np

    rows = [r for r in SCANNED_PERCENT.split() if r]
    glyph = np.array([[ch == "#" for ch in r] for r in rows])
    dark = np.zeros((40, 60), dtype=bool)
    dark[10 : 10 + glyph.shape[0], 20 : 20 + glyph.shape[1]] = glyph
    assert marks._percent_shape(dark, (20, 10, glyph.shape[1], glyph.shape[0]), 22.0)
    # two glyphs side by side, each with a ring ("96"): no stroke joins them
    two = np.zeros((40, 60), dtype=bool)
    ring = np.array(
        [[ch == "#" for ch in r] for r in [".###.", "#...#", "#...#", "#...#", ".###.", "....#", "....#"]]
    )
    two[10:17, 20:25], two[13:20, 27:32] = ring, ring[::-1, ::-1]
    assert not marks._percent_shape(two, (20, 10, 12, 10), 12.0)


def test_a_ruled_cell_read_again_as_a_figure_and_a_misread_sign_takes_the_reading(monkeypatch):
    # "40 %" read "4040" (50) in a ruled cell, read again "40" "Yo": a figure and what the Swedish model makes
    # of a percent sign, which percents_by_shape then reads by its shape
    class Grid:
        dpi = 200

        def cell_at(self, x, y):
            return (int(x // 100) * 100, int(y // 50) * 50, int(x // 100) * 100 + 100, int(y // 50) * 50 + 50)

    def read_boxes(image, boxes, lang, scale, heights=None):
        return [
            [["40", b[0] + 10, b[1] + 10, 22, 18, 95.0], ["Yo", b[0] + 38, b[1] + 10, 17, 17, 54.0]]
            for b in boxes
        ]

    monkeypatch.setattr(reread, "read_boxes", read_boxes)
    words = [["Minst", 10, 210, 40, 18, 96.0], ["4040", 310, 210, 45, 18, 50.0]]
    out = reread.reread_cells(words, object(), Grid(), "swe", dark=object())
    assert [w[0] for w in out] == ["Minst", "40", "Yo"]


def test_a_percent_sign_that_starts_a_wrapped_line_after_a_figure_is_looked_at():
    # a cell wrapped between "40" and "%": "… till anställning 40" over "90 ska nå egen" (the sign read "90",
    # 1.5 digits wide); a "90" two digits wide, or one after a line ending in a word, is no sign's place
    pitch, height = 11.0, 21.0
    above = [
        ["till", 700, 540, 30, 18, 96.0],
        ["anställning", 736, 540, 90, 21, 96.0],
        ["40", 832, 540, 22, 18, 96.0],
    ]
    sign = ["90", 811, 572, 17, 17, 66.0]
    line = [sign, ["ska", 835, 572, 30, 17, 96.0], ["nå", 872, 572, 22, 17, 96.0]]
    assert marks._percent_context(sign, above + line, height, pitch)
    two_digits = ["90", 811, 572, 22, 17, 96.0]
    assert not marks._percent_context(two_digits, above + [two_digits] + line[1:], height, pitch)
    worded = above[:2] + [["arbete", 832, 540, 50, 18, 96.0]]
    assert not marks._percent_context(sign, worded + line, height, pitch)


def test_a_figure_with_a_dash_run_into_it_is_read_again():
    # a skewed scan's shade read as an em dash before "5 000,0" ("—5000,0", confidence 4): a figure's token,
    # so its run is read again
    line = [_w("Medlemsbidrag", 46), _w("5200,0", 287), _w("—5000,0", 400, 4.0)]
    assert [[line[i][0] for i in run] for run in reread.figure_runs(line)] == [["5200,0"], ["—5000,0"]]

"""Swedish figures as printed in reports read into numbers."""

from __future__ import annotations

import pytest

from extractor.numbers import parse_number, split_number_tail


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("15 400,0", 15400.0),
        ("-20 449,2", -20449.2),
        ("\u22121 234", -1234.0),
        ("\u20135", -5.0),
        ("1 234 567", 1234567.0),
        ("(1 234)", -1234.0),
        ("-", 0.0),
        ("\u2013", 0.0),
        ("11,75", 11.75),
        ("01,50", 1.5),
        ("37 %", 37.0),
        ("100 %", 100.0),
        ("+4", 4.0),
        ("0,00", 0.0),
        ("1\u00a0880\u00a0939", 1880939.0),
        ("S:a 3³", None),
        ("12 051 427³", 12051427.0),
        ("1.234.567", 1234567.0),
        ("3 400 tkr", 3400.0),
    ],
)
def test_parse_number(text, value):
    parsed = parse_number(text)
    assert (parsed.value if parsed else None) == value


@pytest.mark.parametrize("text", ["", "Inga", "Ca 300 deltagare", "2016-12-31", "Belopp i kr", None])
def test_not_numbers(text):
    assert parse_number(text) is None


def test_percent_nil_and_irregular_grouping_are_marked():
    assert parse_number("37 %").percent
    assert parse_number("-").nil
    assert parse_number("1880 939").irregular  # an OCR gap in the wrong place
    assert not parse_number("1 880 939").irregular


@pytest.mark.parametrize(
    ("line", "n", "note", "label", "figures"),
    [
        (
            "Verksamhetens medlemsavgifter 1 15 400,0 16 008,0",
            2,
            True,
            "Verksamhetens medlemsavgifter 1",
            ["15 400,0", "16 008,0"],
        ),
        ("Fordringar 2 2 580,0 18123", 2, True, "Fordringar 2", ["2 580,0", "18123"]),
        (
            "Verksamhetens kostnader -21 089,7 -20 4492",
            2,
            True,
            "Verksamhetens kostnader",
            ["-21 089,7", "-20 4492"],
        ),
        (
            "Huddinge kommun 11,75 1880 939 1 809 500",
            3,
            False,
            "Huddinge kommun",
            ["11,75", "1880 939", "1 809 500"],
        ),
        (
            "Moms för perioden (kvartal 4 2016) 489 524 764 214",
            2,
            False,
            "Moms för perioden (kvartal 4 2016)",
            ["489 524", "764 214"],
        ),
        ("Totalt 100 % 16 007 989 15 400 000", 3, False, "Totalt", ["100%", "16 007 989", "15 400 000"]),
        ("Övriga intäkter - -", 2, True, "Övriga intäkter", ["-", "-"]),
        ("Resultat -461", 3, False, "Resultat", ["-461"]),
        ("Tillgångar", 2, False, "Tillgångar", []),
    ],
)
def test_split_number_tail(line, n, note, label, figures):
    assert split_number_tail(line, n, note_column=note) == (label, figures)


@pytest.mark.parametrize(
    ("read", "figure"),
    [
        ("9.032 435", "9 032 435"),
        ("9-000 000", "9 000 000"),
        (":2.404 910", "2 404 910"),
        ("-..-19-927-076", "-19 927 076"),
        ("97 295-.", "97 295"),
        ("++-1799685", "-1799685"),  # marks before the minus, from a cell's edge
        ("<+-1 832547", "-1 832547"),
        (":-5 104", "-5 104"),  # a speck before the minus leaves the sign
        ("= -8 459 861", "-8 459 861"),  # a speck of dust read "=", a space before the minus
        ("~ -1 258 941", "-1 258 941"),  # the sign stays: the mark and the space once took it away
        ("= 8 459 861", None),  # no minus: the "=" may be one, so the figure is left unread, not guessed
        ("+1 200", None),  # a plus sign printed
        ("15 400,0", None),  # reads fine already
        ("2016-12-31", None),  # a date, not a figure
        ("ve", None),
    ],
)
def test_ocr_noise_in_figures(read, figure):
    from extractor.numbers import clean_ocr_figure

    assert clean_ocr_figure(read) == figure


def test_ocr_digit_lookalikes_in_figure_cells():
    from extractor.numbers import clean_ocr_figure

    assert clean_ocr_figure("[0]") == "0"
    assert clean_ocr_figure("212 T23") == "212 723"
    assert clean_ocr_figure("i") == "1"
    assert clean_ocr_figure("2 212 136") is None  # reads fine already
    assert clean_ocr_figure("9L3") == "913" and clean_ocr_figure("TJ") == "77"
    assert clean_ocr_figure("T") == "7"  # a lone 7 of a sans font at 150 dpi
    assert clean_ocr_figure("Annat") is None and clean_ocr_figure("Summa") is None

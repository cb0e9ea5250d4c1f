"""extractor.lines: the wrapped lines of one cell joined, the same for table headers, labels and goal cells."""

from __future__ import annotations

import pytest

from extractor.wraps import join_wrapped


@pytest.mark.parametrize(
    ("parts", "joined"),
    [
        # a hyphen printed in the word stays, and the word goes on without a space
        (["Utfall jan-", "aug"], "Utfall jan-aug"),
        (["IT-", "stöd"], "IT-stöd"),
        (["e-", "post"], "e-post"),
        (["Resultat 2021-", "2022"], "Resultat 2021-2022"),
        (["Arbete/", "studier"], "Arbete/studier"),
        # a word the typesetter broke at a hyphen is one word again
        (["Målupp-", "fyllelse"], "Måluppfyllelse"),
        (["Deltagare från Försäkrings-", "kassan"], "Deltagare från Försäkringskassan"),
        # before a conjunction the hyphen stands for a word left out
        (["Hälso-", "och sjukvård"], "Hälso- och sjukvård"),
        # a dash is no hyphen
        (["Summa -", "netto"], "Summa - netto"),
        # a word a narrow column broke without a hyphen, once or twice
        (["Deltag", "are"], "Deltagare"),
        (["sa", "mordningsförbunde", "t"], "samordningsförbundet"),
        # two words stay two
        (["Budget", "avvikelse"], "Budget avvikelse"),
        (["Minst 35 % av de", "avslutade"], "Minst 35 % av de avslutade"),
        (["Resultat", "2021"], "Resultat 2021"),
        (["", " Mål ", ""], "Mål"),
    ],
)
def test_join_wrapped(parts, joined):
    assert join_wrapped(parts) == joined


def test_an_ocr_line_stands_on_its_baseline_not_on_its_descenders():
    from extractor.wraps import line_gap
    from finsam.model import Cell, Line, Word

    def line(words: list[tuple[str, float, float]], conf: float | None = 96.0) -> Line:
        ws = [
            Word(t, 100.0 + 40 * n, 130.0 + 40 * n, top, bottom, conf)
            for n, (t, top, bottom) in enumerate(words)
        ]
        return Line(
            0,
            0,
            [Cell(" ".join(t for t, _, _ in words), 100.0, 400.0, ws)],
            top=min(w.top for w in ws),
            bottom=max(w.bottom for w in ws),
        )

    # "insatserna som går": the g of "går" reaches 2.5 points below the baseline at 659.2
    upper = line([("insatserna", 648.5, 656.7), ("som", 650.0, 656.7), ("går", 648.0, 659.2)])
    lower = line([("till", 658.8, 666.9)])
    assert line_gap(upper, lower) == pytest.approx(2.1)
    # a text layer boxes every word by the font: its bottom is the line's foot
    text = line([("insatserna", 648.5, 659.0), ("går", 648.5, 659.0)], conf=None)
    assert line_gap(text, lower) == pytest.approx(-0.2)


def test_an_ocr_line_of_descender_words_only_stands_a_descent_above_their_feet():
    from extractor.wraps import line_foot
    from finsam.model import Cell, Line, Word

    def line(*words: Word) -> Line:
        return Line(
            0, 0, [Cell(" ".join(w.text for w in words), 100.0, 400.0, list(words))], words[0].top, 700.0
        )

    # "deltagare" alone: its g reaches below the baseline by about a quarter of its box
    alone = line(Word("deltagare", 100.0, 140.0, 690.0, 700.0, 96.0))
    assert line_foot(alone) == pytest.approx(700.0 - 0.23 * 10.0)
    # a word read unsurely, or one far taller than its table's words (a speck below it), is not gone by
    speck = line(
        Word("avslut", 100.0, 140.0, 688.0, 700.0, 96.0), Word("vid", 150.0, 160.0, 689.0, 697.0, 96.0)
    )
    assert line_foot(speck, tallest=11.0) == pytest.approx(697.0)
    unsure = line(
        Word("under", 100.0, 140.0, 689.0, 700.0, 7.0), Word("året", 150.0, 170.0, 689.0, 697.5, 96.0)
    )
    assert line_foot(unsure) == pytest.approx(697.5)

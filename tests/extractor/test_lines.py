"""extractor.lines: the wrapped lines of one cell joined, the same for table headers, labels and goal cells."""

from __future__ import annotations

import pytest

from extractor.lines import join_wrapped


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

"""The text folds, sentence splitters and similarity every stage compares text with (finsam.text)."""

from __future__ import annotations

from finsam.reference import MONTHS, kommun_slugs, places
from finsam.text import (
    fold,
    fold_label,
    fold_letters,
    fold_ocr,
    fold_word,
    same_word,
    sentence_spans,
    similarity,
    slug,
    split_sentences,
)


def test_fold_drops_case_and_diacritics_and_collapses_space():
    assert fold("  Utfall \t Jan–Aug  ") == "utfall jan–aug"
    assert fold("Årets RESULTAT") == "arets resultat"
    assert fold(None) == ""  # type: ignore[arg-type]


def test_fold_word_keeps_spacing_as_it_is():
    assert fold_word("Målet") == "malet"
    assert fold_word("Mål  och\nmått") == "mal  och\nmatt"


def test_fold_label_reads_sums_and_drops_footnotes_and_punctuation():
    assert fold_label("S:a övriga kostnader*") == "summa ovriga kostnader"
    assert fold_label("Bidrag, Region Skåne (tkr)*") == "bidrag region skane tkr"
    assert fold_label("Andel %  / år") == "andel % / ar"


def test_fold_ocr_undoes_english_ocr_damage():
    assert fold_ocr("Samordningsférbundet") == "samordningsforbundet"
    assert fold_ocr("6versiktlig") == "oversiktlig"
    assert fold_ocr("2016") == "2016"  # a 6 among digits stays a digit
    assert fold_ocr("Mölndal") == fold_ocr("Mélndal") == fold_ocr("MØLNDAL")


def test_fold_letters_keeps_the_word_length():
    assert fold_letters("Här följer") == "har foljer"
    assert fold_letters("f6ljer") == "foljer"
    assert len(fold_letters("åäö6¢4")) == 6


def test_split_sentences_starts_one_at_a_capital_or_a_figure():
    text = "Målet är att 40 % ska gå till arbete. 30 % ska studera! Resten? Kvarstår"
    assert split_sentences(text) == [
        "Målet är att 40 % ska gå till arbete.",
        "30 % ska studera!",
        "Resten?",
        "Kvarstår",
    ]
    assert split_sentences("  ") == []


def test_sentence_spans_split_at_full_stops_and_blank_lines():
    text = "Förbundets medlemmar är A. Och B.\n\nRubrik\nText"
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == ["Förbundets medlemmar är A. ", "Och B.\n\n", "Rubrik\nText"]


def test_same_word_allows_damage_only_on_longer_words():
    assert same_word("sala", "sala")
    assert not same_word("sala", "salem")
    assert same_word("samordningsforbundet", "samordningsfirbundet")
    assert not same_word("budget", "utfall")


def test_similarity_compares_folded_texts():
    assert similarity("Målet", "MALET") == 1.0
    assert similarity("", "x") == 0.0
    assert similarity(None, "x") == 0.0
    assert 0.5 < similarity("IPS Östra Smålandskusten", "IPS Ostra Smalandskust") < 1.0


def test_reference_data_is_loaded_once():
    assert places() is places()
    assert {"kommuner", "regioner", "state_members", "geo_words"} <= set(places())
    assert MONTHS["jan"] == MONTHS["januari"] == 1 and MONTHS["sept"] == 9 and len(set(MONTHS.values())) == 12


def test_a_name_as_a_key():
    assert slug("Nynäshamn") == "nynashamn"
    assert slug("Upplands-Bro") == "upplands-bro"
    assert slug("Upplands Väsby") == "upplands-vasby"


def test_kommuner_by_folded_name_and_genitive():
    assert kommun_slugs() is kommun_slugs()
    assert kommun_slugs()["molndals"] == kommun_slugs()["molndal"] == "molndal"
    assert kommun_slugs()["upplands vasby"] == "upplands-vasby"

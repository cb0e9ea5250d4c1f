"""extractor.metadata: federation, report kind, year, period and members, on the corpus and on small texts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor.metadata import extract_metadata, is_federation_report, partial_period
from extractor.places import kommun_official_name, match_place
from finsam.model import ParsedDocument
from parsers.text import page_from_text, read_text

# the shared ground truth sits beside the checkout (/work/shared/gold); tests needing it skip without it
GOLD = Path(__file__).resolve().parents[2].parent / "shared" / "gold"


def text_doc(text: str) -> ParsedDocument:
    return ParsedDocument(
        path="report.txt", sha256="0" * 64, source_kind="text", pages=[page_from_text(text, 1)]
    )


@pytest.mark.parametrize("number", ["001", "002", "003", "004"])
def test_corpus_metadata(corpus_texts, corpus_meta, number):
    meta = extract_metadata(read_text(corpus_texts[number]))
    assert (
        meta.federation,
        meta.doc_type,
        meta.fiscal_year,
        meta.period_start,
        meta.period_end,
    ) == corpus_meta[number]


@pytest.mark.parametrize("number", ["001", "003", "004"])
def test_corpus_members_match_gold(corpus_texts, number):
    if not GOLD.is_dir():
        pytest.skip("no gold annotations beside the checkout")
    gold = next(json.loads(p.read_text(encoding="utf-8")) for p in GOLD.glob(f"{number}_*.json"))
    assert extract_metadata(read_text(corpus_texts[number])).members == gold["members"]


def test_members_of_the_english_ocr_report(corpus_texts):
    # 002 prints "Arbetsformedlingen, Forsakringskassan, Region Stockholm! samt Botkyrka kommun, ..."
    members = extract_metadata(read_text(corpus_texts["002"])).members
    assert members == [
        "Arbetsförmedlingen",
        "Försäkringskassan",
        "Region Stockholm",
        "Botkyrka kommun",
        "Huddinge kommun",
        "Salems kommun",
    ]


def test_corpus_documents_are_federation_reports(corpus_texts):
    for path in corpus_texts.values():
        ok, reason = is_federation_report(read_text(path))
        assert ok, (path.name, reason)


def test_unrelated_text_is_not_a_report():
    doc = text_doc("Kladdkaka\n\nSmält smöret. Blanda socker och ägg. Grädda i 175 grader i 20 minuter.\n")
    ok, reason = is_federation_report(doc)
    assert not ok
    assert "samordningsförbund" in reason


def test_mangled_federation_name_is_repaired():
    doc = text_doc(
        "Arsredovisning 2019\n\nSamordningsférbundet Mo6lndal Partille Harryda Lerum Alingsas\n\n"
        "Samordningsférbundet dr en fristdende juridisk person.\n"
    )
    meta = extract_metadata(doc)
    assert meta.federation == "Samordningsförbundet Mölndal Partille Härryda Lerum Alingsås"
    assert (meta.doc_type, meta.fiscal_year) == ("arsredovisning", 2019)


def test_title_name_in_capitals_across_lines():
    doc = text_doc(
        "Årsredovisning 2016\n\nSamordningsförbundet\nÖSTRA SÖDERTÖRN\n\n"
        "Samordningsförbundet Östra Södertörn har haft ett gott år.\n"
    )
    assert extract_metadata(doc).federation == "Samordningsförbundet Östra Södertörn"


@pytest.mark.parametrize(
    "text, federation",
    [
        ("Finsam Göteborg\n\nFinsam Göteborg har under året finansierat insatser.", "Finsam Göteborg"),
        (
            "Samordningsförbundet i Kalmar län\n\nSamordningsförbundet i Kalmar län har fyra medlemmar.",
            "Samordningsförbundet i Kalmar län",
        ),
        (
            "Norra Västmanlands samordningsförbund\n\nNorra Västmanlands samordningsförbund stödjer samverkan.",
            "Norra Västmanlands samordningsförbund",
        ),
    ],
)
def test_federation_name_forms(text, federation):
    assert extract_metadata(text_doc(text)).federation == federation


def test_name_stops_at_words_after_the_places():
    doc = text_doc("Samordningsförbundet Botkyrka Huddinge Salem Org.nr 222000-2840\n\nÅrsredovisning 2018\n")
    assert extract_metadata(doc).federation == "Samordningsförbundet Botkyrka Huddinge Salem"


def test_other_federations_named_in_a_report_do_not_win():
    # an annual report lists the federations it shares a project with; its own members decide
    doc = text_doc(
        "Förbundets medlemmar är Arbetsförmedlingen, Försäkringskassan, Region Stockholm och kommunerna "
        "Botkyrka, Huddinge och Salem.\n\n"
        "Samordningsförbundet Östra Södertörn\t2 145\nSamordningsförbundet Östra Södertörn\t27\n"
        "Samordningsförbundet Östra Södertörn.\n\n"
        "Samordningsforbundet Botkyrka Huddinge Salem\n\nwww.example.se\n"
    )
    assert extract_metadata(doc).federation == "Samordningsförbundet Botkyrka Huddinge Salem"


@pytest.mark.parametrize(
    "word, place",
    [
        ("Mélndal", "Mölndal"),
        ("Harryda", "Härryda"),
        ("Sédertérn", "Södertörn"),
        ("Salems", "Salem"),
        ("Nynashamn", "Nynäshamn"),
        ("Upplands Vasby", "Upplands Väsby"),
        ("Sala", "Sala"),  # short names match exactly, never the nearest longer one
    ],
)
def test_place_names_repaired(word, place):
    assert match_place(word).name == place


def test_unknown_words_are_not_places():
    assert match_place("Styrelsen") is None
    assert match_place("Ordförande") is None
    # a word made of a place's name and more is no misreading of it
    assert match_place("Staffanstorpåsen") is None
    assert match_place("Skellefteåbygden") is None


def test_a_federation_named_after_its_seat_and_a_landscape_word_keeps_its_name():
    text = "Årsredovisning 2020\n\nSamordningsförbundet Staffanstorpåsen\n\nOrganisationsnummer 222000-1234\n"
    assert extract_metadata(text_doc(text)).federation == "Samordningsförbundet Staffanstorpåsen"


@pytest.mark.parametrize(
    "name, official",
    [
        ("Salem", "Salems kommun"),
        ("Härryda", "Härryda kommun"),
        ("Alingsås", "Alingsås kommun"),
        ("Lerum", "Lerums kommun"),
        ("Falun", "Falu kommun"),
    ],
)
def test_kommun_member_names(name, official):
    assert kommun_official_name(name) == official


def test_members_listed_with_shared_kommuner_ending():
    doc = text_doc(
        "Samordningsförbundets medlemmar är:\n\n"
        "Försäkringskassan, Arbetsförmedlingen, Västra Götalandsregionen, Mölndals Stad, Partille-, Härryda, "
        "Lerum- och Alingsås kommuner.\n"
    )
    assert extract_metadata(doc).members == [
        "Försäkringskassan",
        "Arbetsförmedlingen",
        "Västra Götalandsregionen",
        "Mölndals stad",
        "Partille kommun",
        "Härryda kommun",
        "Lerums kommun",
        "Alingsås kommun",
    ]


@pytest.mark.parametrize(
    "phrase, months",
    [
        ("delårsrapport för perioden januari till och med augusti 2016", (1, 8, 2016)),
        ("Utfall jan-aug 2016", (1, 8, 2016)),
        ("Perioden 2016-01-01 - 2016-08-31", (1, 8, 2016)),
        ("Rapport för tertial 2", (1, 8, None)),
        ("Resultat per den 30 juni 2017", (1, 6, 2017)),
        ("första halvåret", (1, 6, None)),
        ("Delårsrapport per 2016-08-31", (1, 8, 2016)),
        ("andra tertialet", (1, 8, None)),
    ],
)
def test_partial_periods(phrase, months):
    assert partial_period(phrase) == months


@pytest.mark.parametrize(
    "title, doc_type, year",
    [
        ("Årsbokslut 2017", "arsredovisning", 2017),
        ("Verksamhetsplan med Mål och Budget för år 2018", "verksamhetsplan", 2018),
        ("DELÅRSRAPPORT januari–juni 2022", "delarsrapport", 2022),
    ],
)
def test_title_decides_doc_type_and_year(title, doc_type, year):
    doc = text_doc(
        f"{title}\n\nSamordningsförbundet Södra Dalarna\n\n"
        "I verksamhetsplanen för 2016 och i årsredovisningen för 2015 beskrivs målen. Samordningsförbundet "
        "Södra Dalarna följer upp verksamheten.\n"
    )
    meta = extract_metadata(doc)
    assert (meta.doc_type, meta.fiscal_year) == (doc_type, year)


def test_interim_period_from_title():
    meta = extract_metadata(
        text_doc("DELÅRSRAPPORT januari–juni 2022\n\nSamordningsförbundet Södra Dalarna\n")
    )
    assert (meta.period_start, meta.period_end) == ("2022-01-01", "2022-06-30")


@pytest.mark.parametrize("number", ["001", "002", "003", "004"])
def test_metadata_without_empty_lines(corpus_texts, corpus_meta, number):
    """A PDF text layer has no empty lines between paragraphs; the metadata must not depend on them."""
    doc = read_text(corpus_texts[number])
    for page in doc.pages:
        page.text = "\n".join(line for line in page.text.split("\n") if line.strip())
    meta = extract_metadata(doc)
    assert (
        meta.federation,
        meta.doc_type,
        meta.fiscal_year,
        meta.period_start,
        meta.period_end,
    ) == corpus_meta[number]


def test_federation_name_over_two_title_lines():
    from extractor.metadata import federation_candidates

    [cand] = federation_candidates("Samordningsförbundet\nÖSTRA SÖDERTÖRN\n\nOrdförande har ordet")
    assert cand.display() == "Samordningsförbundet Östra Södertörn"


def test_a_name_cut_short_after_a_compass_word_counts_for_the_name_that_completes_it():
    # a scan read the title "Samordningsförbundet Östra Smålandskusten" in pieces: "Samordningsförbundet
    # Östra" in the title area names no place; the body's one full mention is the federation
    from extractor.metadata import NameCandidate, choose_federation

    cut = NameCandidate(["Östra"], "Samordningsförbundet", 2)
    full = NameCandidate(["Östra", "Smålandskusten"], "Samordningsförbundet", 60)
    assert choose_federation([cut, full], title_limit=40) == "Samordningsförbundet Östra Smålandskusten"
    # a whole name in the title keeps its weight over a longer run-on form in the body
    title = NameCandidate(["Östra", "Södertörn"], "Samordningsförbundet", 2)
    run_on = NameCandidate(["Östra", "Södertörn", "Haninge"], "Samordningsförbundet", 60)
    assert choose_federation([title, run_on], title_limit=40) == "Samordningsförbundet Östra Södertörn"

"""OCR repair: real damaged lines from the English-model OCR report restored, clean text left alone."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from finsam.model import Cell, Line, Page
from parsers.lexicon import build_lexicon, count_report_words
from parsers.repair import repair_page, repair_text, repair_word


@pytest.mark.parametrize(
    ("printed", "repaired"),
    [
        ("Samordningsférbundet", "Samordningsförbundet"),
        ("Forsdkringskassan", "Försäkringskassan"),
        ("FORSAKRINGSKASSAN", "FÖRSÄKRINGSKASSAN"),
        ("Arbetsférmedlingen", "Arbetsförmedlingen"),
        ("6kat", "ökat"),
        ("Intikter", "Intäkter"),
        ("vdra", "våra"),
        ("framgdngsrikt", "framgångsrikt"),
    ],
)
def test_damaged_words(printed, repaired):
    assert repair_word(printed) == repaired


def test_real_lines_of_the_english_ocr_report(corpus_texts):
    text = corpus_texts["002"].read_text(encoding="utf-8")
    line = next(line for line in text.split("\n") if line.startswith("Samordningsférbundet dr i mina"))
    assert repair_text(line).text == (
        "Samordningsförbundet är i mina öron ett väldigt framgångsrikt koncept som jag fått äran att"
    )


def test_context_decides_between_ar_and_ar():
    assert repair_text("Det ar bra och det var 2 ar sedan, under hela aret.").text == (
        "Det är bra och det var 2 år sedan, under hela året."
    )


def test_real_words_stay_when_nothing_decides():
    # 'vara' (to be) and 'våra' (our) are both common: the printed word stays
    assert repair_word("vara") == "vara"
    assert repair_word("dryga") == "dryga"


def test_numbers_tabs_and_spacing_are_kept():
    text = "Intikter ESF\t51159\t-20 4492\n  Summa  kostnader\t139822 \n"
    assert repair_text(text).text == "Intäkter ESF\t51159\t-20 4492\n  Summa  kostnader\t139822 \n"


def _lexicon_without(corpus_texts, number):
    """The lexicon with report counts from the other clean reports: the shipped counts know this one's words."""
    others = (corpus_texts[n].read_text(encoding="utf-8") for n in ("001", "003", "004") if n != number)
    return build_lexicon(count_report_words(others))


def test_clean_reports_are_left_alone(corpus_texts):
    for number in ("001", "003"):
        text = corpus_texts[number].read_text(encoding="utf-8")
        assert repair_text(text, lexicon=_lexicon_without(corpus_texts, number)).changes == []
    text = corpus_texts["004"].read_text(encoding="utf-8")
    changes = repair_text(text, lexicon=_lexicon_without(corpus_texts, "004")).changes
    # 004 has one real typo, which the repair restores
    assert [(old, new) for _, old, new in changes] == [("skraddarsys", "skräddarsys")]
    # and the shipped lexicon, made from these reports, leaves them exactly as they are
    assert repair_text(text).changes == []


def test_repair_page_keeps_structure_and_raw_text():
    text = "Resultatrikning\nIntikter\t5 115,9\t4 100,0"
    lines = [
        Line(1, 0, [Cell("Resultatrikning", 0, 15)]),
        Line(1, 1, [Cell("Intikter", 0, 8), Cell("5 115,9", 9, 16), Cell("4 100,0", 17, 24)]),
    ]
    page = Page(1, text, lines)
    repair_page(page)
    assert page.text == "Resultaträkning\nIntäkter\t5 115,9\t4 100,0"
    assert page.raw_text == text
    assert [c.text for c in page.lines[1].cells] == ["Intäkter", "5 115,9", "4 100,0"]
    assert page.quality.repaired_words == 2


def test_the_word_before_decides_real_word_pairs():
    text = (
        "Forbundet ger stod till insatser och projekt till stod for individer, pa vilket satt de medel "
        "anvands, tva ar i taget och unga 16-29 ar som riskerar arbetsloshet."
    )
    repaired = repair_text(text).text
    # 'stöd' is far commoner in reports than 'stod' (stood), and 'ger stöd' is what the text means
    assert "ger stöd till" in repaired and "till stöd för" in repaired
    assert "i taget" in repaired
    assert "på vilket sätt" in repaired
    assert "två år i taget" in repaired and "16-29 år som" in repaired


def test_repair_page_mends_the_words_of_a_positioned_page():
    from finsam.model import Word

    words = [Word("Intikter", 0, 40, 0, 10), Word("ESF", 44, 60, 0, 10)]
    page = Page(
        1,
        "Intikter ESF\t51159",
        [Line(1, 0, [Cell("Intikter ESF", 0, 60, words), Cell("51159", 200, 230)])],
        text_source="pdf_text",
    )
    repair_page(page)
    assert [(w.text, w.raw) for w in words] == [("Intäkter", "Intikter"), ("ESF", None)]
    assert page.lines[0].cells[1].text == "51159"


@pytest.mark.parametrize(
    ("printed", "repaired"),
    [
        ("mdjlighet", "möjlighet"),  # 'd' for ö
        ("mOjligheter", "möjligheter"),  # a capital O inside a word is a lower-case ö
        ("processtéd", "processtöd"),  # three equal consonants written as two
        ("forbundschefen", "förbundschefen"),  # a compound as printed yields to a likelier compound
    ],
)
def test_damage_and_compounds_on_mangled_text(printed, repaired):
    from parsers.repair import MANGLED

    assert repair_word(printed, settings=MANGLED) == repaired


def test_neighbours_decide_man_vara_and_an():
    from parsers.repair import MANGLED

    text = "Av deltagarna var 57 procent kvinnor och 43 procent man, fler an i fjol, i vara insatser."
    assert repair_text(text, MANGLED).text == (
        "Av deltagarna var 57 procent kvinnor och 43 procent män, fler än i fjol, i våra insatser."
    )


def test_a_capital_misread_mid_sentence_is_lower_case_and_addresses_stay():
    from parsers.repair import MANGLED

    assert repair_text("det galler aven de som", MANGLED).text == "det gäller även de som"
    assert repair_text("som Aven de som", MANGLED).text == "som även de som"
    assert repair_text("Se www.forbundet.se for mer", MANGLED).text == "Se www.forbundet.se för mer"
    assert repair_text("mejla info@forbundet.se for mer", MANGLED).text == "mejla info@forbundet.se för mer"
    # abbreviations keep their letters: "Dr." is no "Är", "fil. kand." no "känd"
    assert (
        repair_text("Dr. Lindberg och fil. kand. Svensson", MANGLED).text
        == "Dr. Lindberg och fil. kand. Svensson"
    )


@pytest.mark.parametrize(
    ("printed", "repaired"),
    [
        ("moéta", "möta"),  # two printed letters for one ö, as real scans show them
        ("méata", "mäta"),
        ("kédnns", "känns"),
        ("fraimja", "främja"),
        ("vdart", "vårt"),
        ("d&n", "än"),
        ("&ven", "även"),
        ("Forsidkringskassan", "Försäkringskassan"),
        ("tillgianglighet", "tillgänglighet"),
        ("individniva", "individnivå"),  # more damage sites than are tried: the likeliest first
        ("smadrta", "smärta"),
        ("forvéintas", "förväntas"),
        ("webbsanda", "webbsända"),  # 'ändå' ends no compound
        ("Paulsén", "Paulsén"),  # a surname's own é
        ("m@jligheter", "möjligheter"),
        ("12-manadersuppfoéljningar", "12-månadersuppföljningar"),  # a figure joined to a word
    ],
)
def test_damage_of_real_scans(printed, repaired):
    from parsers.repair import MANGLED

    assert repair_word(printed, settings=MANGLED) == repaired


@pytest.mark.parametrize(
    ("printed", "repaired"),
    [
        # the verb form the words before ask for
        ("Det ar viktigt att starka samarbetet.", "Det är viktigt att stärka samarbetet."),
        ("Projektet har inte natt malet.", "Projektet har inte nått målet."),
        (
            "Insatsen kommer att inga i det lansomfattande arbetet.",
            "Insatsen kommer att ingå i det länsomfattande arbetet.",
        ),
        # här before a finite verb, år or är by what stands around it
        ("Har foljer en kort sammanfattning.", "Här följer en kort sammanfattning."),
        ("Ny vice ordforande ar Eva Strand.", "Ny vice ordförande är Eva Strand."),
        ("88 procent (ar 2017: 77 %) av de anstallda", "88 procent (år 2017: 77 %) av de anställda"),
        ("under tre ar i rad", "under tre år i rad"),
        # what must stay: fixed phrases, singulars, participles after a copula, names, capitals
        ("en representant for var och en av medlemmarna", "en representant för var och en av medlemmarna"),
        ("kvinnor och 1 man av 20 personer", "kvinnor och 1 man av 20 personer"),
        ("Styrelseledamoten ar vald som representant", "Styrelseledamoten är vald som representant"),
        ("Teamet samarbetar med Navigatorcentrum Haninge", "Teamet samarbetar med Navigatorcentrum Haninge"),
        ("Kontakt: Maria Osth och Karin Sk6nvall", "Kontakt: Maria Östh och Karin Skönvall"),
        ("4.1 Overgripande mal for verksamheten", "4.1 Övergripande mål för verksamheten"),
        # a first part before a hyphen is judged as a first part: behovs- starts words, behövs- none
        (
            "manniskovardes- behovs- och solidaritetsprincipen",
            "människovärdes- behovs- och solidaritetsprincipen",
        ),
        ("inom halso- och sjukvarden", "inom hälso- och sjukvården"),
        (
            "i takt med att\nsysselsattningsgraden Okar for gruppen",
            "i takt med att\nsysselsättningsgraden ökar för gruppen",
        ),
        (
            "kommer att verka i Ostergétland och\nOsteraker",
            "kommer att verka i Östergötland och\nÖsteråker",
        ),
    ],
)
def test_context_decides_on_mangled_text(printed, repaired):
    from parsers.repair import MANGLED

    assert repair_text(printed, MANGLED).text == repaired


def test_a_document_teaches_the_words_it_surely_uses():
    from parsers.repair import MANGLED, learn_document

    # 'stéd' can only be 'stöd'; after a verb 'stod' (stood) is as good a reading, but not in this document
    document = "Vi ger stéd till insatser. Stéd till individer ar viktigt. Forbundet har stod fran regionen."
    lexicon = learn_document(document, MANGLED)
    assert lexicon.listed("stöd") > learn_document("", MANGLED).listed("stöd")
    assert "har stöd från regionen" in repair_text(document, MANGLED, lexicon).text


def _score(ocr: str, clean: str, fixed: str) -> tuple[int, int, int, int]:
    """(damaged, restored, correct, changed) over words aligned line by line."""
    damaged = restored = correct = changed = 0
    for o_line, c_line, f_line in zip(ocr.split("\n"), clean.split("\n"), fixed.split("\n"), strict=True):
        for o, c, f in zip(o_line.split(), c_line.split(), f_line.split(), strict=True):
            if o == c:
                correct += 1
                changed += f != o
            elif any(ch in "åäöÅÄÖ" for ch in c):
                damaged += 1
                restored += f == c
    return damaged, restored, correct, changed


def test_real_english_model_ocr_against_its_hand_made_twin():
    # 3 900 words of corpus/002's prose and their hand correction (tests/parsers/data/README.md)
    data = Path(__file__).parent / "data"
    ocr = (data / "002_prose.ocr.txt").read_text(encoding="utf-8")
    clean = (data / "002_prose.clean.txt").read_text(encoding="utf-8")
    fixed = repair_text(ocr).text
    damaged, restored, correct, changed = _score(ocr, clean, fixed)
    assert damaged > 900 and correct > 2900
    assert restored / damaged >= 0.97  # measured 98.3 %
    assert changed / correct <= 0.002  # measured 0 %


def test_a_lexicon_kept_over_many_documents_keeps_its_caches_bounded(monkeypatch):
    """The default lexicon of a worker reads word after word of document after document: its caches of
    readings and derived words are emptied when they pass MEMO_WORDS words, not kept growing (the text
    fuzzer's process grew to 680 MB before)."""
    import parsers.repair as repair
    from parsers.lexicon import build_lexicon

    monkeypatch.setattr(repair, "MEMO_WORDS", 50)
    lexicon = build_lexicon()
    mangled = "Samordningsférbundet dr en férening som stéd for samverkan mellan myndigheterna i lanet"
    fixed = repair.repair_text(mangled, repair.MANGLED, lexicon).text
    rng = random.Random(1)
    parts = ["férb", "und", "stéd", "dr", "lan", "sam", "ordn", "ings", "verk", "het", "skap", "éver", "gang"]
    for _ in range(40):  # many documents' worth of words never met before
        words = ("".join(rng.choice(parts) for _ in range(rng.randint(2, 4))) for _ in range(50))
        repair.repair_text(" ".join(words), repair.MANGLED, lexicon)
    assert len(lexicon.memo) <= 2 * 50
    # kept growing, these caches held 630 000 words
    assert sum(map(len, (*lexicon._derived, *lexicon._heads))) < 50_000
    assert repair.repair_text(mangled, repair.MANGLED, lexicon).text == fixed  # the same readings after

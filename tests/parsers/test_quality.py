"""Detection of English-model OCR damage: flags the real mangled report, never clean Swedish or English."""

from __future__ import annotations

from parsers.quality import assess_text


def _chunks(text: str, size: int = 40) -> list[str]:
    lines = text.split("\n")
    return ["\n".join(lines[i : i + size]) for i in range(0, len(lines), size)]


def test_the_real_english_ocr_report_is_mangled(corpus_texts):
    text = corpus_texts["002"].read_text(encoding="utf-8")
    assert assess_text(text).mangled
    chunks = [assess_text(c) for c in _chunks(text)]
    assert sum(c.mangled for c in chunks) >= 0.9 * len(chunks)


def test_clean_reports_are_never_flagged(corpus_texts):
    for number in ("001", "003", "004"):
        text = corpus_texts[number].read_text(encoding="utf-8")
        assert not assess_text(text).mangled
        assert not any(assess_text(c).mangled for c in _chunks(text)), number


def test_damaged_paragraph():
    text = (
        "Samordningsférbundet dr i mina éron ett vildigt framgdngsrikt koncept som jag fatt dran att folja "
        "under dryga dret. Att samverkan fungerar mellan vdra tre kommuner samt Forsdkringskassan och "
        "Arbetsférmedlingen kédnns hoppfullt. All verksamhet utgdr frdn férbundets virdegrund."
    )
    q = assess_text(text)
    assert q.mangled and q.mangle_score > 0.05


def test_short_pages_figures_and_english_are_left_alone():
    assert not assess_text("Resultaträkning 2018").mangled
    assert not assess_text("\n".join(f"Rad {i}\t{i * 1000} 000\t{i * 900},5" for i in range(40))).mangled
    english = "The federation reported that the costs for the year were lower than the budget. " * 5
    assert not assess_text(english).mangled
    assert not assess_text("Costs were over the budget").mangled


def test_a_short_text_with_unmistakable_damage_is_mangled():
    # a line of an OCR dump: too short for shares, but 'é' inside a word and no å/ä/ö anywhere
    assert assess_text("Samordningsférbundet dr i mina éron").mangled
    assert assess_text("Intikter ESF pa 5 115,9 tkr fran staten").mangled  # two damaged forms
    assert not assess_text("Intäkter från staten").mangled

"""The lexicon OCR repair ranks readings with: report counts, compounds, word pairs, a document's own words."""

from __future__ import annotations

from parsers.lexicon import (
    DOMAIN_COUNTS,
    WordPairs,
    build_lexicon,
    count_report_words,
    default_lexicon,
    read_counts,
    report_pairs,
)

CLEAN = ("001", "003", "004")


def test_shipped_report_counts_are_made_from_the_clean_corpus(corpus_texts):
    # domain_sv.tsv is generated (python -m parsers.lexicon build …): it must not drift from its sources
    expected = count_report_words(corpus_texts[n].read_text(encoding="utf-8") for n in CLEAN)
    assert read_counts(DOMAIN_COUNTS) == expected
    assert expected["stöd"] > 10 and expected["att stärka"] >= 1 and expected["<year> är"] >= 1


def test_report_counts_make_report_words_likelier():
    general = build_lexicon({})
    reports = build_lexicon({"sätt": 40, "stöd": 60, "och": 900})
    assert reports.listed("sätt") > general.listed("sätt")
    assert reports.listed("satt") == general.listed("satt")
    # in general Swedish 'satt' (sat) is a fifth as common as 'sätt'; in these counts far rarer
    assert reports.listed("sätt") / reports.listed("satt") > 2 * general.listed("sätt") / general.listed(
        "satt"
    )


def test_a_compound_is_judged_by_the_compounds_its_first_part_starts():
    lex = build_lexicon({})
    # "är" is far commoner than "år", but "års-" starts many words and "ärs-" none
    assert lex.listed("är") > lex.listed("år")
    assert lex.frequency("delårsavstämning") > 10 * lex.frequency("delärsavstämning")
    assert lex.frequency("halvårsredovisning") > 10 * lex.frequency("halvärsredovisning")
    # a first part may itself end in s ("insats-"), or be a stem with a linking s ("arbets-" from arbete)
    assert lex.frequency("insatskatalogen") > 0
    assert lex.frequency("arbetsåtergång") > 10 * lex.frequency("arbetsätergång")
    # inflections of listed words count
    assert lex.frequency("organiseringar") > 0


def test_word_pairs_compare_what_was_seen_with_chance():
    pairs = WordPairs({"ordförande": 10, "är": 300, "år": 100, "tre": 20}, {"ordförande är": 4, "tre år": 6})
    assert pairs.factor("är", "ordförande", "") > 1 > pairs.factor("år", "ordförande", "")
    assert pairs.factor("år", "tre", "") > pairs.factor("är", "tre", "")
    assert pairs.factor("är", "okänd", "") == 1.0  # nothing known of the word before: no opinion


def test_pairs_stay_inside_a_clause_and_figures_are_classes():
    assert report_pairs("Under 2018 är det tre år sedan. Arbetet fortsätter") == [
        "under <year>",
        "<year> är",
        "är det",
        "det tre",
        "tre år",
        "år sedan",
        "arbetet fortsätter",
    ]


def test_a_document_adds_its_own_words():
    base = default_lexicon()
    adapted = base.adapted({"stöd": 5}, 1000)
    assert adapted.listed("stöd") > base.listed("stöd")
    assert adapted.listed("stod") == base.listed("stod")
    assert adapted.index is base.index  # the prefix index is shared, not rebuilt

"""The canonical vocabulary: labels as printed in reports map to stable keys; unknown labels stay None."""

from __future__ import annotations

import pytest

from finsam.reference import places
from finsam.terms import CANONICAL_KEYS, TERMS, describe
from finsam.vocabulary import canonical_for


@pytest.mark.parametrize(
    ("label", "kind", "key"),
    [
        ("Verksamhetens medlemsavgifter", "resultatrakning", "member_contributions_total"),
        ("Verksamhetens kostnader", "resultatrakning", "costs_total"),
        ("Verksamhetens nettokostnad", "resultatrakning", "net_cost"),
        ("Finansiella intäkter", "resultatrakning", "financial_income"),
        ("Periodens/årets resultat", "resultatrakning", "result"),
        ("PERIODENS RESULTAT", "resultatrakning", "result"),
        ("S:a Rörelsens intäkter³", "resultatrakning", "income_total"),
        ("Summa tillgångar", "balansrakning", "assets_total"),
        ("S:A TILLGÅNGAR", "balansrakning", "assets_total"),
        ("Summa eget kapital och skulder", "balansrakning", "equity_and_liabilities_total"),
        ("Kortfristiga skulder", "balansrakning", "liabilities_short"),
        ("Kassa och banktillgodohavande", "balansrakning", "cash"),
        ("Likvida medel vid årets slut", "kassaflodesanalys", "cash_closing"),
        ("Staten", "member_contributions", "member_contribution_state"),
        ("SLL", "member_contributions", "member_contribution_region"),
        ("Driftbidrag från Stockholms läns landsting", "note", "member_contribution_region"),
        ("Totalt", "member_contributions", "member_contributions_total"),
    ],
)
def test_printed_labels_map_to_keys(label, kind, key):
    assert canonical_for(label, kind) == key


def test_municipalities_by_name_slug():
    assert (
        canonical_for("Huddinge kommun", "member_contributions")
        == "member_contribution_municipality:huddinge"
    )
    assert (
        canonical_for("Driftbidrag från Nynäshamns kommun", "note")
        == "member_contribution_municipality:nynashamn"
    )
    assert (
        canonical_for("Bidrag Mölndals stad", "resultatrakning") == "member_contribution_municipality:molndal"
    )


def test_ocr_damaged_labels_still_match():
    assert canonical_for("Verksamhetens kostnadcr", "resultatrakning") == "costs_total"
    assert canonical_for("Omsittningstillgangar", "balansrakning") == "current_assets_total"


def test_unknown_labels_stay_none():
    assert canonical_for("Lyra", "budget") is None
    assert canonical_for("Kundfordringar", "note") is None
    assert canonical_for("Summa", "note") is None
    assert canonical_for("", None) is None


def test_bare_total_takes_its_section():
    assert canonical_for("Summa", "balansrakning", section="Kortfristiga skulder") == "liabilities_short"


def test_every_key_documented_and_unique():
    assert len(set(CANONICAL_KEYS)) == len(TERMS)
    assert all(describe()[k] for k in CANONICAL_KEYS)


def test_bare_total_of_a_member_table_is_the_contributions_total():
    assert (
        canonical_for("Totalt", "member_contributions", section="Finansiering av förbundet 2018")
        == "member_contributions_total"
    )


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("Bidrag Region Halland", "resultatrakning"),
        ("Driftbidrag från Region Uppsala", "note"),
        ("Landstinget Dalarna", "member_contributions"),
        ("Medlemsavgift Region Örebro län", "budget"),
        ("Region Jönköpings län", "member_contributions"),
        ("Landstinget i Kalmar län", "member_contributions"),
        ("Bidrag VG-region", "resultatrakning"),
        ("VGR", "member_contributions"),
        ("Driftbidrag från Stockholms lans landstlng", "note"),  # OCR damage
        ("Region Gävleborg (25 %)", "member_contributions"),
    ],
)
def test_every_region_is_a_member_by_the_place_list(label, kind):
    assert canonical_for(label, kind) == "member_contribution_region"


def test_all_21_regions_and_their_landsting_names():
    for region in places()["regioner"]:
        for name in (region["name"], *region["aliases"], f"Region {region['core']}"):
            assert canonical_for(f"Bidrag {name}", "resultatrakning") == "member_contribution_region", name
            assert canonical_for(name, "member_contributions") == "member_contribution_region", name


def test_a_region_is_not_its_kommun():
    assert canonical_for("Region Uppsala", "member_contributions") == "member_contribution_region"
    assert (
        canonical_for("Uppsala kommun", "member_contributions") == "member_contribution_municipality:uppsala"
    )


def test_a_member_named_alone_is_a_contribution_only_where_contributions_are_printed():
    for kind in ("participants", "goals", "survey", "note", "budget"):
        assert canonical_for("Region Kalmar län", kind) is None, kind
    assert canonical_for("Huddinge kommun", "note") is None  # a debtor in a note of fordringar
    assert canonical_for("Region Halland", "resultatrakning", section="Verksamhetens kostnader") is None
    assert canonical_for("Region Halland", "resultatrakning", section="Verksamhetens intäkter") == (
        "member_contribution_region"
    )
    assert canonical_for("Oskarshamns kommun", "budget", section="Intäkter") == (
        "member_contribution_municipality:oskarshamn"
    )
    assert canonical_for("Region Kalmar län", "participants", section="Intäkter") is None


def test_a_member_s_remark_after_its_name():
    assert canonical_for("Försäkringskassan (statens andel)", "member_contributions") == (
        "member_contribution_state"
    )
    assert canonical_for("Staten (Försäkringskassan och Arbetsförmedlingen)", "member_contributions") == (
        "member_contribution_state"
    )

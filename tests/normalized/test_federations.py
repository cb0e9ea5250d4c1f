"""The federation matcher (normalized.federations): spellings, OCR damage, abbreviations against members,
names kept apart, and alias files in both formats."""

from __future__ import annotations

from pathlib import Path

import pytest

from finsam.errors import AliasFileError, ExitCode
from normalized.federations import (
    MATCH_SCORE,
    KnownFederation,
    federation_key,
    load_aliases,
    lookup_federation,
    match_federation,
    member_kommuner,
    name_form,
    name_score,
)

BHS = "Samordningsförbundet Botkyrka Huddinge Salem"
BHS_MEMBERS = [
    "Arbetsförmedlingen",
    "Försäkringskassan",
    "Region Stockholm",
    "Botkyrka kommun",
    "Huddinge kommun",
    "Salems kommun",
]
OSTRA = "Samordningsförbundet Östra Skaraborg"
VASTRA = "Samordningsförbundet Västra Skaraborg"


def known(fed_id: int, name: str, members: list[str] | None = None, *aliases: str) -> KnownFederation:
    """A stored federation as the store would hand it to the matcher."""
    kommuner = member_kommuner(members or [])
    return KnownFederation(
        fed_id, name, tuple(name_form(n) for n in (name, *aliases)), (kommuner,) if kommuner else ()
    )


@pytest.fixture
def stored() -> list[KnownFederation]:
    return [
        known(1, BHS, BHS_MEMBERS),
        known(
            2,
            "Samordningsförbundet Östra Södertörn",
            ["Haninge kommun", "Nynäshamns kommun", "Tyresö kommun"],
        ),
        known(3, "Samordningsförbundet Östra Smålandskusten", ["Oskarshamns kommun", "Mönsterås kommun"]),
    ]


@pytest.mark.parametrize(
    "printed",
    [
        "Samordningsforbundet Botkyrka Huddinge Salem",
        "Samordningsförbundet Botkyrka, Huddinge och Salem",
        "Finsam Botkyrka Huddinge Salem",
        "Samordningsférbundet Botkyrka Huddinge Salem",  # English-model OCR of ö
        "Samordningsførbundet Botkyrka Huddinge Salem",
        "SAMORDNINGSFÖRBUNDET BOTKYRKA HUDDINGE SALEM",
        "Samordningsförbundet Huddinge, Botkyrka och Salems kommuner",
    ],
)
def test_spellings_of_one_name_are_the_same_federation(stored, printed):
    assert federation_key(printed) == "botkyrka huddinge salem"
    match = match_federation(printed, [], stored)
    assert (match.federation_id, match.evidence, match.ambiguous) == (1, "exact", False)


@pytest.mark.parametrize(
    "printed",
    [
        "Samordningsforbundel B0tkyrka Hudd1nge Sa1em",  # digits for letters, the stem damaged
        "Samordningsförbundet Botkyrka Huddinqe Salern",
    ],
)
def test_an_ocr_damaged_name_joins_by_rapidfuzz(stored, printed):
    match = match_federation(printed, [], stored)
    assert match.federation_id == 1 and match.evidence == "name", match
    assert match.score >= MATCH_SCORE and not match.ambiguous


def test_an_abbreviation_joins_the_federation_whose_members_it_abbreviates(stored):
    by_both = match_federation("Samordningsförbundet HBS", BHS_MEMBERS, stored)
    assert (by_both.federation_id, by_both.evidence) == (1, "initials+members")
    by_initials = match_federation("Samordningsförbundet HBS", [], stored)
    assert (by_initials.federation_id, by_initials.evidence) == (1, "initials")
    # an abbreviation that is not their initials, in a report with the same member kommuner
    by_members = match_federation("Finsam SÖF", BHS_MEMBERS, stored)
    assert (by_members.federation_id, by_members.evidence) == (1, "members")
    stranger = match_federation("Samordningsförbundet XYZ", ["Kiruna kommun"], stored)
    assert stranger.federation_id is None and stranger.evidence == "new" and not stranger.ambiguous


def test_a_federation_known_by_its_abbreviation_is_found_by_its_kommuner():
    hbs = [known(7, "Samordningsförbundet HBS", BHS_MEMBERS)]
    assert match_federation(BHS, [], hbs).federation_id == 7  # the name's kommuner: the initials
    assert match_federation("Samordningsförbundet Södertörn Väst", BHS_MEMBERS, hbs).federation_id == 7


def test_the_same_member_kommuner_do_not_merge_two_named_federations():
    # Göteborg has several federations, all with Göteborgs stad as their one kommun
    centrum = [known(1, "Samordningsförbundet Göteborg Centrum", ["Göteborgs stad"])]
    match = match_federation("Samordningsförbundet Göteborg Nordost", ["Göteborgs stad"], centrum)
    assert match.federation_id is None and not match.ambiguous
    nordvast = [known(1, "Samordningsförbundet Göteborg Nordväst", ["Göteborgs stad"])]
    assert match_federation("Samordningsförbundet Göteborg Nordost", [], nordvast).federation_id is None


def test_a_name_between_two_federations_is_kept_apart_from_both():
    skaraborg = [known(1, OSTRA), known(2, VASTRA)]
    match = match_federation("Samordningsförbundet Skaraborg", [], skaraborg)
    assert match.federation_id is None and match.evidence == "new"
    assert match.ambiguous and {c.federation_id for c in match.kept_apart} == {1, 2}
    # each of the two is itself, and neither is the other
    assert match_federation(OSTRA, [], skaraborg).federation_id == 1
    alone = match_federation(VASTRA, [], skaraborg[:1])
    assert alone.federation_id is None and not alone.ambiguous
    assert name_score(name_form(OSTRA), name_form(VASTRA)) == 0


def test_a_name_close_to_one_federation_but_not_close_enough_is_kept_apart_and_named():
    match = match_federation("Samordningsförbundet Skaraborg", [], [known(1, OSTRA)])
    assert match.federation_id is None
    assert [(c.federation_id, c.evidence) for c in match.kept_apart] == [(1, "name")]
    assert match.kept_apart[0].score < MATCH_SCORE


def test_two_matches_close_to_each_other_are_not_merged():
    # 'HBS' is the initials of both federations' kommuner
    twins = [known(1, BHS, BHS_MEMBERS), known(2, "Samordningsförbundet Haninge Bollnäs Sigtuna")]
    match = match_federation("Samordningsförbundet HBS", [], twins)
    assert match.federation_id is None and {c.federation_id for c in match.kept_apart} == {1, 2}
    # its members decide it
    assert match_federation("Samordningsförbundet HBS", BHS_MEMBERS, twins).federation_id == 1


def test_distinct_federations_stay_distinct(stored, corpus_meta):
    names = {meta[0] for meta in corpus_meta.values()}
    for name in names:
        others = [known(i, n) for i, n in enumerate(sorted(names - {name}), 1)]
        match = match_federation(name, [], others)
        assert match.federation_id is None and not match.ambiguous, (name, match)


def test_a_name_of_generic_words_only_is_found_by_its_members_or_not_at_all(stored):
    assert match_federation("Samordningsförbundet", BHS_MEMBERS, stored).federation_id == 1
    nothing = match_federation("Finsam", [], stored)
    assert nothing.federation_id is None and nothing.name is None


def test_member_kommuner_are_read_from_member_names():
    members = [*BHS_MEMBERS, "Mölndals stad", "Falu kommun", "Stockholms läns landsting"]
    assert member_kommuner(members) == {"Botkyrka", "Huddinge", "Salem", "Mölndal", "Falun"}


# ---------------------------------------------------------------------------------------------- alias files

TOML = f'''# Which federation a name is
[aliases]
"Samordningsförbundet Skaraborg" = "{OSTRA}"
"{OSTRA}" = "{OSTRA}"
'''

CSV = f"""alias;federation
# Skaraborg is Östra Skaraborg
Samordningsförbundet Skaraborg;{OSTRA}
"""


@pytest.mark.parametrize("name, text", [("aliases.toml", TOML), ("aliases.csv", CSV)])
def test_an_alias_file_overrides_the_matcher(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    aliases = load_aliases(path)
    skaraborg = [known(1, OSTRA), known(2, VASTRA)]
    match = match_federation("Samordningsforbundet SKARABORG", [], skaraborg, aliases)
    assert (match.federation_id, match.name, match.evidence) == (1, OSTRA, "alias")
    assert aliases.federations() == {OSTRA: ["Samordningsförbundet Skaraborg"]}


def test_an_alias_file_wins_over_an_exact_name_and_may_name_a_new_federation(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(f"{OSTRA},Samordningsförbundet Skaraborg\n", encoding="utf-8-sig")
    aliases = load_aliases(path)
    match = match_federation(OSTRA, [], [known(1, OSTRA)], aliases)
    assert (match.federation_id, match.name, match.evidence) == (
        None,
        "Samordningsförbundet Skaraborg",
        "alias",
    )


@pytest.mark.parametrize(
    "name, text, reason",
    [
        ("a.toml", '[aliases]\n"HBS" = \n', "not valid TOML"),
        ("a.toml", '"HBS" = "BHS"\n', "unknown key 'HBS'"),
        ("a.toml", "[other]\n", "unknown key 'other'"),
        ("a.toml", "# nothing\n", "no [aliases] table"),
        ("a.toml", '[aliases]\n"Finsam HBS" = 3\n', "must be a string"),
        ("a.toml", "[aliases]\n", "no aliases in the file"),
        ("a.csv", f"HBS,{BHS},extra\n", "line 1: expected two fields"),
        ("a.csv", f"alias,federation\n\n,{BHS}\n", "line 3: expected two fields"),
        ("a.csv", f"Samordningsförbundet,{BHS}\n", "'Samordningsförbundet' names no federation"),
        ("a.csv", f"HBS,{BHS}\nFinsam HBS,{OSTRA}\n", "line 2: 'Finsam HBS' is given two federations"),
        ("a.csv", f"HBS,{BHS}\n{BHS},{OSTRA}\n", "is a federation here but an alias of"),
        ("a.txt", f"HBS,{BHS}\n", "an alias file is .toml or .csv"),
        ("missing.csv", None, "cannot read the alias file"),
    ],
)
def test_a_bad_alias_file_is_one_line_naming_the_file(tmp_path, name, text, reason):
    path = tmp_path / name
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(AliasFileError) as caught:
        load_aliases(path)
    message = str(caught.value)
    assert reason in message and message.startswith(str(path)) and "\n" not in message, message
    assert caught.value.exit_code == ExitCode.bad_args


def test_the_readme_alias_file_is_valid(tmp_path):
    """The example alias file of the README loads, so the documentation cannot drift from the format."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    example = readme.split("```toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "aliases.toml"
    path.write_text(example, encoding="utf-8")
    assert load_aliases(path).entries


# --- a name typed for a federation (`--federation` of finsam diff and series) ---------------------------------


@pytest.mark.parametrize(
    "typed, federation_id",
    [
        ("Samordningsförbundet Botkyrka, Huddinge och Salem", 1),  # a spelling: exact
        ("botkyrka", 1),  # words of its name
        ("Huddinge Botkyrka", 1),
        ("HBS", 1),  # an abbreviation, by the member kommuner
        ("Östra Södertörn", 2),
        ("sodertorn", 2),  # without diacritics
        ("Östra Smålandskust", 3),  # a word cut short
        ("smålands", 3),  # the beginning of a word
    ],
)
def test_a_typed_name_finds_the_federation_it_names(stored, typed, federation_id):
    found = lookup_federation(typed, stored)
    assert found.found is not None and found.found.federation_id == federation_id, found


def test_a_typed_name_of_several_federations_is_ambiguous(stored):
    found = lookup_federation("östra", stored)
    assert found.found is None and found.ambiguous
    assert sorted(c.federation_id for c in found.candidates) == [2, 3]


def test_a_typed_name_of_none_is_unknown_with_the_closest(stored):
    unknown = lookup_federation("Göteborg Nordost", stored)
    assert unknown.found is None and not unknown.ambiguous and unknown.candidates == ()
    close = lookup_federation("Botkyrka Huddinge Salem Nykvarn", stored)
    assert close.found is None and not close.ambiguous
    assert [c.federation_id for c in close.closest] == [1]

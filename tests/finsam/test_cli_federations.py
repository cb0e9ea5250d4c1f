"""`finsam federations`, `finsam keys` and `--aliases`, end to end on the bundled corpus and on reports of
it renamed the ways reports spell a federation."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from click.testing import CliRunner

from finsam.cli import cli

BHS = "Samordningsförbundet Botkyrka Huddinge Salem"
OSTRA_SODERTORN = "Samordningsförbundet Östra Södertörn"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def federations_json(db, *args: str) -> dict:
    result = run("federations", "--db", str(db), "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory, corpus_dir):
    db = tmp_path_factory.mktemp("federations") / "finsam.db"
    result = run("ingest", str(corpus_dir), "--db", str(db), "--jobs", "2", "--quiet")
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output  # the bundled reports are six federations, none in doubt
    return db


def test_the_corpus_is_six_federations_with_their_documents(corpus_db, corpus_meta):
    listed = federations_json(corpus_db)
    assert listed["unlinked_documents"] == []
    federations = {f["name"]: f for f in listed["federations"]}
    expected: dict[str, list[str]] = {}
    for number, (federation, *_) in sorted(corpus_meta.items()):
        expected.setdefault(federation, []).append(number)
    assert set(federations) == set(expected)
    for name, numbers in expected.items():
        f = federations[name]
        assert sorted(d["source"][:3] for d in f["documents"]) == numbers, name
        assert f["years"] == sorted({corpus_meta[n][2] for n in numbers})
        assert f["doc_types"] == dict(sorted(Counter(corpus_meta[n][1] for n in numbers).items()))
        assert not f["ambiguous"] and f["warnings"] == []
    assert federations[BHS]["doc_types"] == {"arsredovisning": 1, "verksamhetsplan": 1}


def test_the_federations_table(corpus_db):
    result = run("federations", "--db", str(corpus_db))
    assert result.exit_code == 0
    header, *rows = result.output.strip().splitlines()
    assert header.split("\t") == [
        "id",
        "federation",
        "documents",
        "years",
        "types",
        "other names",
        "kept apart",
    ]
    by_name = {r.split("\t")[1]: r.split("\t") for r in rows}
    assert len(by_name) == 6
    assert by_name[BHS][2:5] == ["2", "2018", "arsredovisning 1, verksamhetsplan 1"]
    assert by_name[OSTRA_SODERTORN][6] == "-"


def test_export_names_each_documents_federation(corpus_db):
    documents = json.loads(run("export", "--db", str(corpus_db)).output)["documents"]
    ids = {d["source"][:3]: d["federation_id"] for d in documents}
    assert ids["001"] == ids["002"] and len(set(ids.values())) == 6
    assert {d["federation_canonical"] for d in documents if d["source"][:3] in ("001", "002")} == {BHS}


def test_keys_count_the_documents_and_table_kinds_of_each_key(corpus_db):
    result = run("keys", "--db", str(corpus_db), "--format", "json")
    assert result.exit_code == 0
    keys = {k["key"]: k for k in json.loads(result.output)}
    # counted again from the export, independently of the store's SQL
    carried: dict[str, set[int]] = {}
    kinds: dict[tuple[str, str], set[int]] = {}
    for d in json.loads(run("export", "--db", str(corpus_db)).output)["documents"]:
        for t in d["tables"]:
            for r in t["rows"]:
                if r["canonical"]:
                    carried.setdefault(r["canonical"], set()).add(d["id"])
                    kinds.setdefault((r["canonical"], t["kind"]), set()).add(d["id"])
    assert set(keys) == set(carried)
    for key, docs in carried.items():
        assert keys[key]["documents"] == len(docs) == keys[key]["current_documents"], key
    for (key, kind), docs in kinds.items():
        assert keys[key]["kinds"][kind] == len(docs), (key, kind)
    assert keys["result"]["documents"] == 7 and keys["result"]["description"]
    municipal = [k for k in keys if k.startswith("member_contribution_municipality:")]
    assert municipal and all(keys[k]["description"].startswith("one municipality") for k in municipal)
    table = run("keys", "--db", str(corpus_db)).output.splitlines()
    assert table[0].split("\t")[:3] == ["key", "documents", "rows"]
    assert len(table) == len(keys) + 1
    everything = json.loads(run("keys", "--db", str(corpus_db), "--format", "json", "--all").output)
    assert len(everything) > len(keys) and {k["documents"] for k in everything if k["key"] not in keys} == {0}


@pytest.fixture
def renamed(tmp_path, corpus_texts):
    """Reports of the corpus with their federation's name printed another way (and so other bytes)."""

    def make(number: str, printed: str, as_: str) -> str:
        path = tmp_path / f"{number}_{as_}.txt"
        text = corpus_texts[number].read_text(encoding="utf-8")
        path.write_text(text.replace(printed, as_), encoding="utf-8")
        return str(path)

    return make


def test_an_abbreviated_name_joins_its_federation_by_its_members(db_path, corpus_texts, renamed):
    hbs = renamed("001", BHS, "Samordningsförbundet HBS")
    result = run(
        "ingest", str(corpus_texts["001"]), str(corpus_texts["002"]), hbs, "--db", str(db_path), "-q"
    )
    assert result.exit_code == 0 and "warning" not in result.output, result.output
    (federation,) = federations_json(db_path)["federations"]
    assert federation["name"] == BHS and len(federation["documents"]) == 3
    assert {a["alias"]: a["evidence"] for a in federation["aliases"]}["Samordningsförbundet HBS"] == (
        "initials+members"
    )


def test_a_doubtful_name_is_kept_apart_warned_of_and_merged_by_an_alias_file(
    db_path, tmp_path, corpus_texts, renamed
):
    sodertorn = renamed("003", "Östra Södertörn", "Södertörn")
    result = run("ingest", str(corpus_texts["003"]), sodertorn, "--db", str(db_path), "-q", "--jobs", "1")
    assert result.exit_code == 0
    assert "warning: " in result.output and f"kept apart from '{OSTRA_SODERTORN}'" in result.output
    listed = run("federations", "--db", str(db_path))
    assert "warning: federation 'Samordningsförbundet Södertörn' kept apart" in listed.output
    assert len(federations_json(db_path)["federations"]) == 2

    aliases = tmp_path / "aliases.csv"
    aliases.write_text(
        f"alias,federation\nSamordningsförbundet Södertörn,{OSTRA_SODERTORN}\n", encoding="utf-8"
    )
    preview = run("federations", "--db", str(db_path), "--aliases", str(aliases))
    assert preview.exit_code == 0
    assert "1 document(s) would be linked anew" in preview.output and "nothing written" in preview.output
    assert "warning" not in preview.output
    assert len(federations_json(db_path)["federations"]) == 2  # the preview wrote nothing

    applied = federations_json(db_path, "--aliases", str(aliases), "--apply")
    (federation,) = applied["federations"]
    assert federation["name"] == OSTRA_SODERTORN and len(federation["documents"]) == 2
    assert [r["source_name"] for r in applied["aliases"]["relinked"]] == [sodertorn.rsplit("/", 1)[1]]
    assert federations_json(db_path)["federations"] == applied["federations"]


def test_ingest_with_an_alias_file_follows_it_over_the_matcher(db_path, tmp_path, corpus_texts, renamed):
    hbs = renamed("001", BHS, "Samordningsförbundet HBS")
    aliases = tmp_path / "aliases.toml"
    # the matcher joins HBS to Botkyrka Huddinge Salem by its members; naming each to itself keeps them apart
    aliases.write_text(
        f'[aliases]\n"Samordningsförbundet HBS" = "Finsam HBS"\n"{BHS}" = "{BHS}"\n', encoding="utf-8"
    )
    result = run(
        "ingest", str(corpus_texts["002"]), hbs, "--db", str(db_path), "-q", "--aliases", str(aliases)
    )
    assert result.exit_code == 0, result.output
    names = {f["name"]: len(f["documents"]) for f in federations_json(db_path)["federations"]}
    assert names == {BHS: 1, "Finsam HBS": 1}


@pytest.mark.parametrize("command", ["ingest", "federations"])
def test_a_bad_alias_file_stops_the_command_in_one_line(db_path, tmp_path, corpus_texts, command):
    aliases = tmp_path / "aliases.toml"
    aliases.write_text('[aliases]\n"HBS" = \n', encoding="utf-8")
    args = [command, *([str(corpus_texts["003"])] if command == "ingest" else []), "--db", str(db_path)]
    if command == "federations":
        assert run("ingest", str(corpus_texts["003"]), "--db", str(db_path), "-q").exit_code == 0
    before = db_path.read_bytes() if db_path.exists() else None
    result = CliRunner().invoke(cli, [*args, "--aliases", str(aliases)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "not valid TOML" in lines[0] and str(aliases) in lines[0], result.output
    assert (db_path.read_bytes() if db_path.exists() else None) == before


def test_apply_needs_an_alias_file(db_path, corpus_texts):
    assert run("ingest", str(corpus_texts["003"]), "--db", str(db_path), "-q").exit_code == 0
    result = CliRunner().invoke(cli, ["federations", "--db", str(db_path), "--apply"])
    assert result.exit_code == 2 and "--apply needs --aliases" in result.output

"""Federations in a store (normalized.store.federations): linked as documents are written, kept apart and
warned of, an alias file applied to the whole store in one transaction, and older stores migrated."""

from __future__ import annotations

import gzip
import hashlib
import sqlite3
from pathlib import Path

import pytest

from finsam.errors import ExitCode, QueryError
from finsam.model import DocumentMeta, Extraction, Page, ParsedDocument
from normalized.federations import load_aliases
from normalized.store import Store

DATA = Path(__file__).parent / "data"
BHS = "Samordningsförbundet Botkyrka Huddinge Salem"
BHS_MEMBERS = ["Försäkringskassan", "Region Stockholm", "Botkyrka kommun", "Huddinge kommun", "Salems kommun"]
OSTRA = "Samordningsförbundet Östra Skaraborg"
VASTRA = "Samordningsförbundet Västra Skaraborg"


def write(store: Store, name: str, federation: str | None, members=(), year=2018, doc_type="arsredovisning"):
    """Store a document of a federation (its text is its name: a document as the writer sees it)."""
    parsed = ParsedDocument(
        f"/reports/{name}", hashlib.sha256(name.encode()).hexdigest(), "text", [Page(1, name, [])]
    )
    meta = DocumentMeta(federation, doc_type, year, f"{year}-01-01", f"{year}-12-31", list(members))
    doc_id, written = store.write_document(parsed, Extraction(meta))
    assert written
    return doc_id


def by_name(store: Store) -> dict[str, dict]:
    return {f["name"]: f for f in store.federations()["federations"]}


@pytest.fixture
def store(db_path) -> Store:
    return Store(db_path)


def test_documents_of_one_federation_share_it_however_its_name_is_spelt(store):
    write(store, "vp2018.txt", BHS, BHS_MEMBERS, doc_type="verksamhetsplan")
    write(store, "ar2018.txt", "Samordningsférbundet Botkyrka, Huddinge och Salem", BHS_MEMBERS)
    write(store, "ar2019.txt", "Samordningsförbundet HBS", BHS_MEMBERS, year=2019)
    write(store, "sod.txt", "Samordningsförbundet Östra Södertörn", ["Haninge kommun"], year=2016)
    listed = by_name(store)
    assert sorted(listed) == sorted([BHS, "Samordningsförbundet Östra Södertörn"])
    bhs = listed[BHS]
    assert [d["source"] for d in bhs["documents"]] == ["vp2018.txt", "ar2018.txt", "ar2019.txt"]
    assert bhs["years"] == [2018, 2019]
    assert bhs["doc_types"] == {"arsredovisning": 2, "verksamhetsplan": 1}
    assert [(a["alias"], a["evidence"]) for a in bhs["aliases"]] == [
        (BHS, "new"),
        ("Samordningsférbundet Botkyrka, Huddinge och Salem", "exact"),
        ("Samordningsförbundet HBS", "initials+members"),
    ]
    assert not bhs["ambiguous"] and store.federations()["unlinked_documents"] == []
    ids = {d["source_name"]: d["federation_id"] for d in store.documents()}
    assert ids["vp2018.txt"] == ids["ar2019.txt"] != ids["sod.txt"]
    exported = {d["source"]: d for d in store.export()["documents"]}
    assert exported["ar2019.txt"]["federation_canonical"] == BHS
    assert exported["ar2019.txt"]["federation"] == "Samordningsförbundet HBS"  # as printed, unchanged


def test_an_ambiguous_name_is_kept_apart_and_warned_of(store):
    write(store, "ostra.txt", OSTRA)
    write(store, "vastra.txt", VASTRA)
    doc_id = write(store, "skaraborg.txt", "Samordningsförbundet Skaraborg")
    listed = by_name(store)
    assert len(listed) == 3 and listed["Samordningsförbundet Skaraborg"]["ambiguous"]
    assert not listed[OSTRA]["ambiguous"] and not listed[VASTRA]["ambiguous"]
    (warning,) = listed["Samordningsförbundet Skaraborg"]["warnings"]
    assert OSTRA in warning and VASTRA in warning and "not merged" in warning
    assert store.federation_warning(doc_id) == warning
    # a second report spelt so joins the federation kept apart, still warned of
    again = write(store, "skaraborg2019.txt", "Samordningsforbundet Skaraborg", year=2019)
    assert store.federation_warning(again) == warning.replace("förbundet Skaraborg", "forbundet Skaraborg")
    assert len(by_name(store)["Samordningsförbundet Skaraborg"]["documents"]) == 2


def test_a_name_kept_apart_and_named_to_itself_is_no_longer_warned_of(store, tmp_path):
    write(store, "ostra.txt", OSTRA)
    write(store, "skaraborg.txt", "Samordningsförbundet Skaraborg")
    assert by_name(store)["Samordningsförbundet Skaraborg"]["ambiguous"]
    path = tmp_path / "a.toml"
    path.write_text('[aliases]\n"Samordningsförbundet Skaraborg" = "Samordningsförbundet Skaraborg"\n')
    assert store.apply_aliases(load_aliases(path)) == []
    listed = by_name(store)
    assert len(listed) == 2 and not any(f["ambiguous"] or f["warnings"] for f in listed.values())


def test_an_alias_file_relinks_the_store_in_one_transaction_and_stays(store, tmp_path):
    write(store, "ostra.txt", OSTRA)
    write(store, "vastra.txt", VASTRA)
    write(store, "skaraborg.txt", "Samordningsförbundet Skaraborg")
    aliases_file = tmp_path / "aliases.toml"
    aliases_file.write_text(f'[aliases]\n"Samordningsförbundet Skaraborg" = "{OSTRA}"\n', encoding="utf-8")
    aliases = load_aliases(aliases_file)

    moved, preview = store.preview_aliases(aliases)
    assert [(m.source_name, m.from_federation, m.to_federation) for m in moved] == [
        ("skaraborg.txt", "Samordningsförbundet Skaraborg", OSTRA)
    ]
    assert len(preview["federations"]) == 2
    assert len(by_name(store)) == 3  # the preview wrote nothing

    assert [m.source_name for m in store.apply_aliases(aliases)] == ["skaraborg.txt"]
    listed = by_name(store)
    assert set(listed) == {OSTRA, VASTRA} and not any(f["ambiguous"] for f in listed.values())
    assert [d["source"] for d in listed[OSTRA]["documents"]] == ["ostra.txt", "skaraborg.txt"]
    assert ("Samordningsförbundet Skaraborg", "file") in {
        (a["alias"], a["source"]) for a in listed[OSTRA]["aliases"]
    }
    # the store keeps the file's word: a later report spelt so joins without the file
    write(store, "skaraborg2019.txt", "SAMORDNINGSFÖRBUNDET SKARABORG", year=2019)
    assert len(by_name(store)[OSTRA]["documents"]) == 3
    assert store.apply_aliases(aliases) == []  # applying it again changes nothing


def test_an_alias_file_can_part_what_the_matcher_joined(store, tmp_path):
    write(store, "klar.txt", "Samordningsförbundet Klarälvdalen")
    write(store, "ocr.txt", "Samordningsforbundet Klaralvdaien")  # joined by rapidfuzz
    assert len(by_name(store)) == 1
    path = tmp_path / "a.csv"
    path.write_text(
        "Samordningsförbundet Klarälvdalen,Samordningsförbundet Klarälvdalen\n"
        "Samordningsforbundet Klaralvdaien,Samordningsforbundet Klaralvdaien\n",
        encoding="utf-8",
    )
    assert [m.source_name for m in store.apply_aliases(load_aliases(path))] == ["ocr.txt"]
    listed = by_name(store)
    assert {n: [d["source"] for d in f["documents"]] for n, f in listed.items()} == {
        "Samordningsförbundet Klarälvdalen": ["klar.txt"],
        "Samordningsforbundet Klaralvdaien": ["ocr.txt"],
    }


def test_an_alias_file_that_fails_half_way_leaves_the_store_as_it_was(store, tmp_path, monkeypatch):
    write(store, "ostra.txt", OSTRA)
    write(store, "skaraborg.txt", "Samordningsförbundet Skaraborg")
    before = store.federations()
    path = tmp_path / "a.csv"
    path.write_text(f"Samordningsförbundet Skaraborg,{OSTRA}\n", encoding="utf-8")
    from normalized.store import federations

    def broken(conn):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(federations, "prune", broken)
    with pytest.raises(sqlite3.OperationalError):
        store.apply_aliases(load_aliases(path))
    assert store.federations() == before


def test_a_federation_goes_with_its_last_document(store):
    keep = write(store, "bhs.txt", BHS, BHS_MEMBERS)
    gone = write(store, "sod.txt", "Samordningsförbundet Östra Södertörn")
    store.delete_document(gone)
    assert list(by_name(store)) == [BHS]
    assert store.db.execute("SELECT count(*) FROM federation_aliases").fetchone()[0] == 1
    assert store.documents()[0]["id"] == keep


def test_ingesting_again_with_force_keeps_the_federation(store):
    write(store, "bhs.txt", BHS, BHS_MEMBERS)
    fed_id = store.documents()[0]["federation_id"]
    parsed = ParsedDocument(
        "/reports/bhs.txt", hashlib.sha256(b"bhs.txt").hexdigest(), "text", [Page(1, "x", [])]
    )
    store.write_document(parsed, Extraction(DocumentMeta(BHS, "arsredovisning", 2018)), replace=True)
    assert [d["federation_id"] for d in store.documents()] == [fed_id]


def test_a_store_of_the_first_release_gets_its_federations_when_migrated(tmp_path):
    """The committed first-release store, with two more documents of the same federation put in as that
    release wrote them: opening it links all three to one federation."""
    path = tmp_path / "v1.db"
    path.write_bytes(gzip.decompress((DATA / "store_v1.db.gz").read_bytes()))
    with sqlite3.connect(path) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == 1
        assert "federation_id" not in {r[1] for r in c.execute("PRAGMA table_info(documents)")}
        members = [
            r[0] for r in c.execute("SELECT name FROM members WHERE document_id = 1 ORDER BY position")
        ]
        for doc_id, federation in ((2, "Samordningsforbundet Östra Smålandskusten"), (3, "Finsam ÖSK")):
            c.execute(
                "INSERT INTO documents (id, sha256, source_name, federation, doc_type, fiscal_year) "
                "VALUES (?, ?, ?, ?, 'arsredovisning', 2021)",
                [doc_id, f"{doc_id:064x}", f"{doc_id}.txt", federation],
            )
            c.executemany(
                "INSERT INTO members (document_id, position, name) VALUES (?, ?, ?)",
                [(doc_id, i, m) for i, m in enumerate(members)],
            )
    store = Store(path)
    (federation,) = store.federations()["federations"]
    assert federation["name"] == "Samordningsförbundet Östra Smålandskusten"
    assert [d["id"] for d in federation["documents"]] == [1, 2, 3]
    assert [a["evidence"] for a in federation["aliases"]] == ["new", "exact", "members"]
    assert {d["federation_id"] for d in store.documents()} == {federation["id"]}
    columns = [r[0] for r in store.db.execute("SELECT * FROM facts LIMIT 1").description]
    assert "federation_id" in columns
    assert store.db.execute("SELECT DISTINCT federation_id FROM facts").fetchall() == [(federation["id"],)]


def test_a_federation_is_found_by_a_typed_name_or_its_id(store):
    write(store, "ar2018.txt", BHS, BHS_MEMBERS)
    write(store, "ostra.txt", OSTRA, ["Skövde kommun"])
    write(store, "vastra.txt", VASTRA, ["Lidköpings kommun"])
    bhs = store.find_federation("huddinge")
    assert bhs.name == BHS
    assert store.find_federation(str(bhs.federation_id)) == store.find_federation(bhs.federation_id)
    assert store.find_federation(bhs.federation_id).name == BHS
    with pytest.raises(
        QueryError, match=r"'skaraborg' could be several federations: .*Östra Skaraborg.*Västra Skaraborg"
    ):
        store.find_federation("skaraborg")
    with pytest.raises(QueryError, match=r"no federation 'Göteborg' in the store"):
        store.find_federation("Göteborg")
    with pytest.raises(QueryError, match=r"no federation with id 99"):
        store.find_federation(99)
    with pytest.raises(QueryError, match=r"'Finsam' names no federation"):
        store.find_federation("Finsam")
    assert QueryError.exit_code == ExitCode.bad_args

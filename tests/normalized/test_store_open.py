"""Opening a store: every bad --db refused in one line before anything changes, schema versions, migrations."""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from finsam.errors import StoreError
from normalized.migrations import APPLICATION_ID, Migration, add_column
from normalized.schema import SCHEMA_VERSION
from normalized.store import Store

DATA = Path(__file__).parent / "data"
# serve stops before the store with the web extra missing (a line of its own, exit status 3)
WEB = importlib.util.find_spec("datasette") is not None
COMMANDS = (
    ["documents"],
    ["export"],
    ["check"],
    ["ingest", "REPORT"],
    ["import", "EXPORT"],
    ["diff", "--federation", "botkyrka", "--from", "2017", "--to", "2018"],
    ["series", "--canonical", "result"],
) + ((["serve"],) if WEB else ())


def finsam(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "finsam", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def snapshot(folder: Path) -> dict[str, str]:
    """Every path under folder with a hash of its bytes: what 'nothing created or changed' compares."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
        for p in sorted(folder.rglob("*"))
    }


def v1_store(tmp_path: Path) -> Path:
    """A store written by the first release (schema version 1), as an analyst would have it."""
    path = tmp_path / "v1.db"
    path.write_bytes(gzip.decompress((DATA / "store_v1.db.gz").read_bytes()))
    return path


def subset(old, new) -> bool:
    """True when everything in `old` is in `new` unchanged (a migration may add fields, never lose one)."""
    if isinstance(old, dict):
        return isinstance(new, dict) and all(k in new and subset(v, new[k]) for k, v in old.items())
    if isinstance(old, list):
        return isinstance(new, list) and len(old) == len(new) and all(map(subset, old, new))
    return old == new


@pytest.fixture
def bad_stores(tmp_path) -> Path:
    folder = tmp_path / "stores"
    folder.mkdir()
    (folder / "junk.db").write_text("not a database\n")
    (folder / "empty.db").write_bytes(b"")
    with sqlite3.connect(folder / "other.db") as c:
        c.execute("CREATE TABLE invoices (id INTEGER, amount REAL)")
    newer = v1_store(folder)
    with sqlite3.connect(newer) as c:
        c.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    newer.rename(folder / "newer.db")
    (folder / "a-folder").mkdir()
    return folder


@pytest.mark.parametrize(
    "db, reason",
    [
        ("junk.db", "not an SQLite database"),
        ("other.db", "not a finsam store (its tables: invoices)"),
        ("newer.db", "written by a newer finsam"),
        ("a-folder", "a folder, not a store file"),
        ("missing/finsam.db", None),
    ],
)
def test_a_bad_store_is_refused_in_one_line_and_left_alone(bad_stores, db, reason, corpus_texts, tmp_path):
    export = tmp_path / "export.json"
    export.write_text('{"documents": []}', encoding="utf-8")
    before = snapshot(bad_stores)
    for command in COMMANDS:
        placeholders = {"REPORT": str(corpus_texts["003"]), "EXPORT": str(export)}
        args = [placeholders.get(a, a) for a in command]
        result = finsam(*args, "--db", db, cwd=bad_stores)
        assert result.returncode == 2, (command, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and db in lines[0], (command, result.stderr)
        assert "Traceback" not in result.stderr
        if reason:
            assert reason in lines[0]
        elif command[0] in ("ingest", "import"):
            assert "the folder missing does not exist" in lines[0]
        else:
            assert "no store there" in lines[0]
        assert snapshot(bad_stores) == before, command


def test_an_empty_file_becomes_a_store_only_by_ingest(bad_stores, corpus_texts):
    result = finsam("documents", "--db", "empty.db", cwd=bad_stores)
    assert result.returncode == 2 and "an empty file, not a finsam store" in result.stderr
    result = finsam("ingest", "-q", str(corpus_texts["003"]), "--db", "empty.db", cwd=bad_stores)
    assert result.returncode == 0, result.stderr
    assert len(Store(bad_stores / "empty.db").documents()) == 1


def test_a_store_of_the_first_release_is_migrated_and_loses_nothing(tmp_path):
    path = v1_store(tmp_path)
    with sqlite3.connect(path) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == 1
        assert c.execute("PRAGMA application_id").fetchone()[0] == 0  # the first release set none
    store = Store(path)
    assert store.schema_version == SCHEMA_VERSION
    assert store.db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    expected = json.loads(gzip.decompress((DATA / "store_v1.export.json.gz").read_bytes()))
    exported = store.export()
    assert [d["source"] for d in exported["documents"]] == ["007_9a4fbef9f11a956c.txt"]
    assert sum(len(r["values"]) for t in exported["documents"][0]["tables"] for r in t["rows"]) > 100
    assert subset(expected["documents"], exported["documents"])
    assert subset(expected["failures"], exported["failures"])
    assert [f["error_kind"] for f in store.failures()] == ["empty"]


def test_migrations_run_in_order_in_one_transaction(tmp_path):
    path = v1_store(tmp_path)
    store = Store(path)
    base = store.schema_version
    steps = (
        Migration(base + 1, "documents get a note", add_column("documents", "note", "TEXT")),
        Migration(base + 2, "tables get a mark", add_column("tables", "mark", "INTEGER NOT NULL DEFAULT 0")),
    )

    def broken(conn):
        raise sqlite3.OperationalError("disk I/O error")

    with pytest.raises(StoreError, match="left as it was"):
        store.ensure_schema(steps + (Migration(base + 3, "fails half way", broken),))
    columns = {r[1] for r in store.db.execute("PRAGMA table_info(documents)")}
    assert "note" not in columns and store.schema_version == base  # nothing of the failed run stayed
    store.ensure_schema(steps)
    assert store.schema_version == base + 2
    assert store.db.execute("SELECT count(*) FROM tables WHERE mark = 0").fetchone()[0] > 0
    store.ensure_schema(steps)  # opening again changes nothing
    assert store.schema_version == base + 2


@pytest.fixture
def read_only_folder(tmp_path):
    """A folder holding a store that this process cannot write: by permissions, or for root a read-only
    file system (root writes through permissions)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    if os.geteuid() != 0:
        yield folder, lambda: (folder / "finsam.db").chmod(0o444) or folder.chmod(0o555)
        folder.chmod(0o755)
        return
    if shutil.which("mount") is None:
        pytest.skip("root without mount: cannot make a read-only folder")
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(folder)]).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")

    def freeze():
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)

    yield folder, freeze
    subprocess.run(["umount", str(folder)])


def test_a_read_only_store_is_read_but_never_written(read_only_folder, corpus_texts):
    folder, freeze = read_only_folder
    result = finsam("ingest", "-q", str(corpus_texts["003"]), "--db", "finsam.db", cwd=folder)
    assert result.returncode == 0, result.stderr
    freeze()
    before = snapshot(folder)
    listed = finsam("documents", "--format", "json", "--db", "finsam.db", cwd=folder)
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)["documents"]) == 1
    for command in (["ingest", str(corpus_texts["001"])], ["check"]):
        result = finsam(*command, "--db", "finsam.db", cwd=folder)
        assert result.returncode == 2 and "read-only" in result.stderr, result.stderr
    assert snapshot(folder) == before


@pytest.mark.skipif(not WEB, reason="finsam serve needs the web extra")
def test_an_older_store_that_cannot_be_written_is_not_served(read_only_folder):
    folder, freeze = read_only_folder
    v1_store(folder).rename(folder / "finsam.db")
    freeze()
    before = snapshot(folder)
    result = finsam("serve", "--db", "finsam.db", cwd=folder)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"finsam: error: finsam.db: schema version 1 needs upgrading to {SCHEMA_VERSION}, and the store is "
        "read-only: open it once where it can be written"
    ]
    assert snapshot(folder) == before

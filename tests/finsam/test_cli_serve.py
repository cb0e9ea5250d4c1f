"""`finsam serve` as a user runs it: a real process on a free port, read over HTTP, stopped; bound to the
loopback, the store file never touched when served immutable, an older store upgraded first, one line for
a port in use and for a missing web extra."""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import json
import re
import select
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from finsam.cli import cli
from normalized.schema import SCHEMA_VERSION

DATA = Path(__file__).resolve().parents[1] / "normalized" / "data"
needs_web = pytest.mark.skipif(
    importlib.util.find_spec("datasette") is None, reason="the web extra is missing"
)


@pytest.fixture(scope="module")
def store(tmp_path_factory, corpus_texts) -> Path:
    path = tmp_path_factory.mktemp("serve") / "finsam.db"
    result = CliRunner().invoke(cli, ["ingest", str(corpus_texts["003"]), "--db", str(path), "-q"])
    assert result.exit_code == 0, result.output
    return path


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file under folder with a hash of its bytes and its modification time."""
    return {
        str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


class Served:
    """`finsam serve --port 0 …` running until stop(); url is the store's page it printed."""

    def __init__(self, db: Path, *args: str):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "finsam", "serve", "--db", str(db), "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        ready, _, _ = select.select([self.process.stdout], [], [], 60)
        line = self.process.stdout.readline() if ready else ""
        if not line:
            self.stop()
            pytest.fail(f"finsam serve printed no URL: {self.process.stderr.read()}")
        self.line = line
        self.url = re.search(r"http://\S+", line).group(0)

    def get(self, path: str):
        base = re.match(r"http://[^/]+", self.url).group(0)
        with urllib.request.urlopen(base + path, timeout=30) as response:
            return json.load(response) if path.split("?")[0].endswith(".json") else response.read().decode()

    def stop(self) -> tuple[int, str]:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            _, err = self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, err = self.process.communicate()
        return self.process.returncode, err


def outward_address() -> str | None:
    """An address of this machine that is not the loopback, if it has one (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
            address = s.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


@needs_web
def test_serve_shows_the_store_on_the_loopback_and_never_writes_it(store):
    before = snapshot(store.parent)
    served = Served(store)
    try:
        assert served.url.startswith("http://127.0.0.1:") and served.url.endswith("/finsam")
        assert "read-only (immutable)" in served.line
        port = int(re.search(r":(\d+)/", served.url).group(1))
        databases = served.get("/-/databases.json")
        assert [(d["name"], d["is_mutable"]) for d in databases] == [("finsam", False)]
        database = served.get("/finsam.json")
        assert {"documents", "findings", "pages"} <= {t["name"] for t in database["tables"]}
        assert {"facts", "document_findings"} <= {v["name"] for v in database["views"]}
        errors = served.get("/finsam/inconsistent_totals.json?_shape=objects")["rows"]
        assert errors and errors[0]["severity"] == "error"
        assert served.get("/finsam/pages.json?_search=Nyn%C3%A4shamns")["rows"]
        assert "A series, year by year" in served.get("/-/dashboards/series")
        elsewhere = outward_address()
        if elsewhere:  # only the loopback is listened on
            with pytest.raises(OSError):
                socket.create_connection((elsewhere, port), timeout=5).close()
    finally:
        code, err = served.stop()
    assert code == 0, err
    assert snapshot(store.parent) == before  # not a byte, not a modification time, no file beside it


@needs_web
def test_serve_writable_opens_the_store_mutable(store):
    served = Served(store, "--writable")
    try:
        assert "mutable (--writable)" in served.line
        assert [d["is_mutable"] for d in served.get("/-/databases.json")] == [True]
    finally:
        code, err = served.stop()
    assert code == 0, err


@needs_web
def test_serve_upgrades_a_store_of_the_first_release_first(tmp_path):
    path = tmp_path / "old.db"
    path.write_bytes(gzip.decompress((DATA / "store_v1.db.gz").read_bytes()))
    served = Served(path)
    try:
        assert served.get("/old/document_findings.json?_size=0")["facet_results"]
    finally:
        code, err = served.stop()
    assert code == 0
    assert f"old.db: upgraded from schema version 1 to {SCHEMA_VERSION} to serve it" in err


@needs_web
def test_a_port_in_use_is_one_line(store):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "finsam", "serve", "--db", str(store), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"finsam: error: cannot listen on 127.0.0.1:{port}: Address already in use"
    ]


def test_serve_without_the_web_extra_says_what_to_install(store, monkeypatch):
    monkeypatch.setitem(sys.modules, "datasette", None)  # as if not installed: import datasette fails
    monkeypatch.setitem(sys.modules, "datasette.app", None)
    result = CliRunner().invoke(cli, ["serve", "--db", str(store)])
    assert result.exit_code == 3
    assert (
        result.output.strip() == "finsam: error: finsam serve needs the web extra: pip install 'finsam[web]'"
    )

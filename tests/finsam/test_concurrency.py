"""Two `finsam ingest` processes into one store at once: no duplicate, no lost document, true summaries."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

from normalized.store import Store

SUMMARY = re.compile(r"(\d+) ingested, (\d+) skipped, (\d+) failed")


def test_two_ingests_of_one_folder_at_once(tmp_path, corpus_texts):
    folder = tmp_path / "reports"
    folder.mkdir()
    for key in ("003", "004", "001"):
        shutil.copy(corpus_texts[key], folder)
    db = tmp_path / "finsam.db"
    command = [sys.executable, "-m", "finsam", "ingest", str(folder), "--db", str(db), "-j", "1"]
    runs = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)
    ]
    summaries = []
    for run in runs:
        _, err = run.communicate(timeout=600)
        assert run.returncode == 0, err
        assert "Traceback" not in err
        summaries.append(tuple(int(n) for n in SUMMARY.search(err).groups()))
    docs = Store(db).documents()
    assert sorted(d["source_name"] for d in docs) == sorted(p.name for p in folder.iterdir())
    assert len({d["sha256"] for d in docs}) == len(docs) == 3
    # each run accounts for every file, and between them each file was stored exactly once
    assert all(ingested + skipped == 3 and failed == 0 for ingested, skipped, failed in summaries)
    assert sum(ingested for ingested, _, _ in summaries) == 3


def test_exports_while_an_ingest_writes_see_whole_documents_only(tmp_path, corpus_texts):
    import json

    folder = tmp_path / "reports"
    folder.mkdir()
    text = corpus_texts["003"].read_text(encoding="utf-8")
    for i in range(10):  # distinct bytes, each a report of its own year
        (folder / f"r{i:02d}.txt").write_text(text.replace("2016", str(1990 + i)), encoding="utf-8")
    db = tmp_path / "finsam.db"
    writer = subprocess.Popen(
        [sys.executable, "-m", "finsam", "ingest", str(folder), "--db", str(db), "-j", "1", "-q"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen: list[dict] = []
    while writer.poll() is None:
        read = subprocess.run(
            [sys.executable, "-m", "finsam", "export", "--db", str(db), "--format", "json"],
            capture_output=True,
            text=True,
        )
        if read.returncode == 0:
            seen.append(json.loads(read.stdout))
        else:  # before the ingest made the store: no store yet, said in one line
            assert "Traceback" not in read.stderr and len(read.stderr.strip().splitlines()) == 1, read.stderr
    assert writer.returncode == 0, writer.communicate()[1]
    final = json.loads(
        subprocess.run(
            [sys.executable, "-m", "finsam", "export", "--db", str(db), "--format", "json"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    whole = {d["source"]: (len(d["tables"]), len(d["goals"])) for d in final["documents"]}
    assert len(whole) == 10
    assert any(0 < len(s["documents"]) < 10 for s in seen), "no export ran while the ingest wrote"
    for snapshot in seen:  # a document is in an export with all its tables and goals, or not at all
        for d in snapshot["documents"]:
            assert (len(d["tables"]), len(d["goals"])) == whole[d["source"]], d["source"]

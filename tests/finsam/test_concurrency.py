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

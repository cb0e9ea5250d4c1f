"""The gold scores of the corpus rendered by corpus.build as text-layer PDFs, in both layouts: cells ≥ 99 %,
goals ≥ 95 %, every inconsistency flagged and no false error. Needs ../shared (the scorer and gold), as in CI."""

from __future__ import annotations

import importlib.util

import pytest

from corpus.build import render_text_pdf
from finsam.pipeline import IngestOptions, ingest
from normalized.store import Store

from ..conftest import SHARED


@pytest.fixture(scope="module")
def scorer():
    path = SHARED / "eval" / "score.py"
    if not path.exists():
        pytest.skip("../shared/eval/score.py is not beside the checkout")
    spec = importlib.util.spec_from_file_location("finsam_gold_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("layout", ["a", "b"])
def test_rendered_pdfs_meet_the_targets(tmp_path, corpus_texts, scorer, layout):
    import json

    for number in ("001", "003", "004"):
        src = corpus_texts[number]
        render_text_pdf(src.read_text(encoding="utf-8"), tmp_path / f"{src.stem}.{layout}.pdf", layout=layout)
    db = tmp_path / "finsam.db"
    outcomes = ingest([tmp_path], db, IngestOptions(jobs=2))
    assert all(o.status == "ingested" for o in outcomes)
    export = Store(db).export()
    golds = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in (SHARED / "gold").glob("0*.json")}
    total = {"cells": [0, 0], "goals": [0, 0], "flags": [0, 0], "false": 0}
    for doc in export["documents"]:
        result = scorer.score_doc(doc, golds[doc["source"][:20]])
        assert result["meta"], doc["source"]
        for key in ("cells", "goals", "flags"):
            total[key][0] += result[key][0]
            total[key][1] += result[key][1]
        total["false"] += result["false"]
    assert total["cells"][0] >= 0.99 * total["cells"][1], total
    assert total["goals"][0] >= 0.95 * total["goals"][1], total
    assert total["flags"][0] == total["flags"][1] and total["false"] == 0, total

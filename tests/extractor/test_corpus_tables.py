"""End to end on the bundled corpus: tables read from the reports match the hand-checked gold cells.

With ../shared beside the repository (as in CI) the real scorer is imported and text input must keep `cells`
at 99 % or more on every gold document; positioned (PDF-like) pages of the same reports must score the same.
Without it, concrete cells of each report are checked directly.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
from pathlib import Path

import pytest

from extractor.metadata import extract_metadata
from extractor.tables import extract_tables
from finsam.model import ParsedDocument
from parsers.text import clean_markup, decode_text, read_text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from layout import positioned_document, regrouped, render_pdf  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
SCORER = SHARED / "eval" / "score.py"
GOLD = SHARED / "gold"
MIN_CELLS = 0.99
MIN_CELLS_PDF = 0.98  # rendered PDFs wrap long labels and split headers over page breaks


def export(doc: ParsedDocument, source: str) -> dict:
    """The export shape the scorer reads (`finsam export --format json`), tables only."""
    meta = extract_metadata(doc)
    tables = extract_tables(doc, meta)
    return {
        "source": source,
        "federation": meta.federation,
        "doc_type": meta.doc_type,
        "fiscal_year": meta.fiscal_year,
        "tables": [
            {
                "kind": t.kind,
                "title": t.title,
                "note_number": t.note_number,
                "page": t.page,
                "unit": t.unit,
                "columns": [
                    {"key": c.key, "header": c.header, "role": c.role, "year": c.year} for c in t.columns
                ],
                "rows": [
                    {
                        "label": r.label,
                        "label_raw": r.label_raw,
                        "canonical": r.canonical,
                        "is_total": r.is_total,
                        "values": {k: v.value for k, v in r.values.items() if v.value is not None},
                    }
                    for r in t.rows
                ],
            }
            for t in tables
        ],
        "goals": [],
        "findings": [],
    }


def _scorer():
    if not SCORER.exists() or not GOLD.is_dir():
        pytest.skip("shared/eval/score.py and shared/gold are not beside the repository")
    spec = importlib.util.spec_from_file_location("finsam_gold_score", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _gold_sources(corpus_texts: dict[str, Path]) -> list[Path]:
    return [p for p in corpus_texts.values() if (GOLD / f"{p.stem}.json").exists()]


def _positioned(path: Path) -> ParsedDocument:
    text = clean_markup(decode_text(path.read_bytes()))
    return regrouped(positioned_document(text, running_header="Samordningsförbundet – rapport"))


@pytest.mark.parametrize("layout", ["text", "positioned"])
def test_gold_cells_at_least_99_percent(corpus_texts, layout):
    score = _scorer()
    sources = _gold_sources(corpus_texts)
    assert sources, "no gold documents found"
    for path in sources:
        doc = read_text(path) if layout == "text" else _positioned(path)
        result = score.score_doc(export(doc, path.name), json.loads((GOLD / f"{path.stem}.json").read_text()))
        found, total = result["cells"]
        assert total and found / total >= MIN_CELLS, (
            f"{path.name} ({layout}): cells {found}/{total}; " + "; ".join(result["missing"][:10])
        )


def test_rendered_pdfs_score_like_text(corpus_texts, tmp_path):
    score = _scorer()
    pdf_reader = pytest.importorskip("parsers.pdf")
    for path in _gold_sources(corpus_texts):
        text = clean_markup(decode_text(path.read_bytes()))
        pdf = render_pdf(text, tmp_path / f"{path.stem}.pdf")
        data = pdf.read_bytes()
        doc = pdf_reader.read_pdf(pdf, data, hashlib.sha256(data).hexdigest(), ocr="never")
        result = score.score_doc(export(doc, pdf.name), json.loads((GOLD / f"{path.stem}.json").read_text()))
        found, total = result["cells"]
        assert found / total >= MIN_CELLS_PDF, f"{pdf.name}: cells {found}/{total}; " + "; ".join(
            result["missing"][:10]
        )


def _cell(
    tables, kind: str, label: str, role: str, year: int | None, note: int | None = None
) -> float | None:
    for t in tables:
        if t.kind != kind or (note is not None and t.note_number != note):
            continue
        for r in t.rows:
            if r.label != label:
                continue
            for c in t.columns:
                if c.role == role and c.year == year and c.key in r.values:
                    return r.values[c.key].value
    return None


@pytest.fixture(scope="module")
def corpus_tables():
    corpus = REPO / "corpus"
    return {p.name[:3]: extract_tables(read_text(p)) for p in sorted(corpus.glob("[0-9][0-9][0-9]_*.txt"))}


def test_verksamhetsplan_budget_cells(corpus_tables):
    t = corpus_tables["001"]
    assert _cell(t, "member_contributions", "Huddinge kommun", "actual", 2017) == 1880939
    assert _cell(t, "member_contributions", "Salems kommun", "budget", 2018) == 231000
    assert _cell(t, "member_contributions", "Salems kommun", "share", None) == 1.5
    assert _cell(t, "budget", "Resultat", "budget", 2018) == -4699
    assert _cell(t, "budget", "Möjliggörarna", "forecast", 2017) == 1135


def test_arsredovisning_statement_and_note_cells(corpus_tables):
    t = corpus_tables["003"]
    assert _cell(t, "resultatrakning", "Verksamhetens nettokostnad", "actual", 2016) == 1083349
    assert _cell(t, "resultatrakning", "Finansiella intäkter", "actual", 2016) == 0  # printed "-"
    assert _cell(t, "balansrakning", "Summa eget kapital och skulder", "actual", 2015) == 11713797
    assert _cell(t, "kassaflodesanalys", "Likvida medel vid årets slut", "actual", 2016) == 8246672
    assert _cell(t, "note", "Summa", "actual", 2016, note=4) == 19799284
    assert _cell(t, "budget_outcome", "- Case manager", "variance", 2016) == 232299
    assert (
        _cell(t, "budget_outcome", "Intäkter/övriga intäkter", "actual", 2016) == 2812659
    )  # after the page break
    rr = next(x for x in t if x.kind == "resultatrakning")
    assert {r.label: r.note_ref for r in rr.rows}["Verksamhetens kostnader"] == 4
    participants = [x for x in t if x.kind == "participants"]
    assert any(x.title == "Ungdomsteamet" for x in participants)
    assert not any("Ritva Widgren" in r.label for x in t for r in x.rows)  # staff list is not a table


def test_delarsrapport_cells(corpus_tables):
    t = corpus_tables["004"]
    assert _cell(t, "member_contributions", "Totalt", "actual", 2016) == 16692
    assert _cell(t, "budget_outcome", "Totalt", "variance", 2016) == 1559
    assert _cell(t, "resultatrakning", "S:a Rörelsens intäkter", "actual", 2016) == 12051427
    assert _cell(t, "balansrakning", "S:A TILLGÅNGAR", "closing", 2016) == 8672064
    rr = next(x for x in t if x.kind == "resultatrakning")
    assert rr.unit == "kr" and rr.columns[0].period_end == "2016-08-31"


def test_mangled_ocr_report_still_yields_its_statements(corpus_tables):
    t = corpus_tables["002"]
    kinds = {x.kind for x in t}
    assert {"resultatrakning", "balansrakning", "kassaflodesanalys", "note"} <= kinds
    assert {x.note_number for x in t if x.kind == "note"} >= {1, 2, 3}
    rr = next(x for x in t if x.kind == "resultatrakning")
    doubtful = [v for r in rr.rows for v in r.values.values() if v.uncertain]
    assert doubtful and all(v.raw for v in doubtful)

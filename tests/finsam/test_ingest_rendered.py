"""The corpus rendered by corpus.build ingests with the right source kinds and metadata:
text-layer PDFs (two layouts), scans, page images, and scans with an English-model OCR text layer."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner

from corpus.build import render_image, render_sandwich_pdf, render_scan_pdf, render_text_pdf
from finsam.cli import cli
from normalized.store import Store


def first_pages(pdf, out, n):
    doc = pdfium.PdfDocument(str(pdf))
    part = pdfium.PdfDocument.new()
    part.import_pages(doc, list(range(min(n, len(doc)))))
    part.save(str(out))
    return out


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, corpus_texts):
    folder = tmp_path_factory.mktemp("rendered")
    text = {n: corpus_texts[n].read_text(encoding="utf-8") for n in ("003", "004")}
    (folder / "text").mkdir()
    files = {
        "003.pdf": render_text_pdf(text["003"], folder / "text" / "003.pdf"),
        "004.b.pdf": render_text_pdf(text["004"], folder / "text" / "004.b.pdf", layout="b"),
    }
    scans = folder / "scans"
    scans.mkdir()
    three = first_pages(files["003.pdf"], folder / "003.first3.pdf", 3)
    files["003.scan.pdf"] = render_scan_pdf(three, scans / "003.scan.pdf")
    files["003.png"] = render_image(files["003.pdf"], 1, scans / "003.png")
    one = first_pages(files["004.b.pdf"], folder / "004.first.pdf", 1)
    files["004.sandwich.pdf"] = render_sandwich_pdf(one, scans / "004.sandwich.pdf")
    db = folder / "finsam.db"
    result = CliRunner().invoke(
        cli,
        [
            "ingest",
            str(folder / "text"),
            str(scans),
            "--db",
            str(db),
            "-q",
            "--cache-dir",
            str(folder / "ocr"),
        ],
    )
    assert result.exit_code == 0, result.output
    return {d["source_name"]: d for d in Store(db).documents()}, Store(db)


def test_text_layer_pdfs(rendered, corpus_meta):
    docs, _ = rendered
    for name, number in (("003.pdf", "003"), ("004.b.pdf", "004")):
        d = docs[name]
        assert d["source_kind"] == "pdf_text"
        assert d["pages"] > 10
        federation, doc_type, year, start, end = corpus_meta[number]
        assert (d["federation"], d["doc_type"], d["fiscal_year"], d["period_start"], d["period_end"]) == (
            federation,
            doc_type,
            year,
            start,
            end,
        )


def test_scans_and_images_are_ocred(rendered):
    docs, store = rendered
    scan, png = docs["003.scan.pdf"], docs["003.png"]
    assert scan["source_kind"] == "pdf_ocr" and scan["pages"] == 3
    assert png["source_kind"] == "image_ocr"
    for d in (scan, png):
        assert d["federation"] == "Samordningsförbundet Östra Södertörn"
        assert (d["doc_type"], d["fiscal_year"]) == ("arsredovisning", 2016)
    pages = list(
        store.db.query(
            "SELECT text_source, ocr_confidence, words FROM pages WHERE document_id = ?", [scan["id"]]
        )
    )
    assert all(p["text_source"] == "ocr" and p["ocr_confidence"] > 80 and p["words"] for p in pages)


def test_english_ocr_layer_is_recognised_and_reread(rendered):
    docs, store = rendered
    d = docs["004.sandwich.pdf"]
    [page] = store.db.query("SELECT text, text_source FROM pages WHERE document_id = ?", [d["id"]])
    # the invisible eng layer says 'Samordningsférbundet'-like things; finsam re-reads the page with swe
    assert page["text_source"] == "ocr"
    assert "Samordningsförbundet" in page["text"]
    assert "English-OCR text layer replaced" in (d["warnings"] or "")

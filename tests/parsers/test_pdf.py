"""PDF text layers: word positions kept, number columns split right, bad PDFs refused cleanly."""

from __future__ import annotations

import pytest

from finsam.errors import CorruptPdfError, EncryptedPdfError, NoTextError
from parsers import read_document

from .conftest import STATEMENT, render_pdf


def test_text_layer_pdf_reads_as_cells(statement_pdf):
    doc = read_document(statement_pdf)
    assert doc.source_kind == "pdf_text"
    assert len(doc.pages) == 1 and doc.pages[0].text_source == "pdf_text"
    rows = {line.cells[0].text: [c.text for c in line.cells] for line in doc.pages[0].lines}
    # thousands separators stay inside one cell; column gaps split cells
    assert rows["Verksamhetens medlemsavgifter"] == [
        "Verksamhetens medlemsavgifter",
        "2",
        "18 064 870",
        "18 000 000",
    ]
    assert rows["Verksamhetens kostnader"][-2:] == ["-19 794 180", "-23 942 009"]
    assert "Verksamhetens nettokostnad\t1 083 349\t-2 716 823" in doc.pages[0].text


def test_numbers_in_one_column_share_their_right_edge(statement_pdf):
    doc = read_document(statement_pdf)
    edges = {round(line.cells[-1].x1) for line in doc.pages[0].lines[2:]}
    assert len(edges) == 1


def test_word_boxes_are_kept(statement_pdf):
    words = doc_words = read_document(statement_pdf).pages[0].lines[0].words
    assert [w.text for w in doc_words][:1] == ["Samordningsförbundet"]
    assert all(w.x1 > w.x0 and w.bottom > w.top for w in words)


def test_encrypted_pdf_is_refused(tmp_path):
    pdf = render_pdf(STATEMENT, tmp_path / "locked.pdf", encrypt="secret")
    with pytest.raises(EncryptedPdfError, match="encrypted"):
        read_document(pdf)


def test_truncated_pdf_is_refused(tmp_path, statement_pdf):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(statement_pdf.read_bytes()[:300])
    with pytest.raises(CorruptPdfError):
        read_document(broken)


def test_scan_without_ocr_has_no_text(statement_scan):
    with pytest.raises(NoTextError, match="OCR is off"):
        read_document(statement_scan, ocr="never")

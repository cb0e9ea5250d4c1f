"""A text layer's words read through pdfium (parsers.pdf_words) are pdfplumber's words: the same words in the
same order, their boxes within a point, on PDFs of every producer of the layout sweep; and the rules that
make words of characters, each on its own input."""

from __future__ import annotations

import dataclasses

import pdfplumber
import pypdfium2 as pdfium
import pytest

import parsers.pdf as pdf_module
from corpus.build import render_text_pdf
from corpus.sweep import chromium_producer, prepare, reportlab_producer, writer_producer
from corpus.sweep.document import read_report, title
from corpus.sweep.layout import random_layout
from extractor import extract
from parsers import read_document
from parsers.pdf_words import _clusters, _words, font_descents, page_words

X_TOLERANCE, Y_TOLERANCE = pdf_module.SETTINGS.x_tolerance, pdf_module.SETTINGS.y_tolerance
BOX_TOLERANCE = 1.0  # points: pdfium places a glyph where it draws it, pdfminer by its widths


def _both(path):
    """Per page: the words of pdfium, and those of pdfplumber (pdfplumber's NUL characters left out: a NUL
    is no text, and pdfium gives none)."""
    data = path.read_bytes()
    descents = font_descents(data)
    document = pdfium.PdfDocument(data)
    out = []
    with pdfplumber.open(path) as plumbed:
        for i, page in enumerate(plumbed.pages):
            theirs = page.extract_words(x_tolerance=X_TOLERANCE, y_tolerance=Y_TOLERANCE)
            theirs = [w for w in theirs if w["text"].strip("\x00")]
            out.append((page_words(document[i], X_TOLERANCE, Y_TOLERANCE, descents), theirs))
    return out


def _rendered(producer, text_path, seed, tmp_path):
    if not producer.available():
        pytest.skip(f"{producer.PROGRAM} is not installed")
    blocks = read_report(text_path.read_text(encoding="utf-8"))
    chosen = random_layout(seed, title(blocks))
    return producer.render_pdf(prepare(blocks, chosen), chosen, tmp_path / f"{seed}.pdf")


@pytest.mark.parametrize(
    ("producer", "report", "seed"),
    [
        (reportlab_producer, "003", 9025),
        (writer_producer, "004", 145),  # LibreOffice writes every font's descent as 0; a DejaVu superscript
        (chromium_producer, "001", 9025),  # Chromium sets its type at a scale of 0.75
        # ... and with some fonts gives a space pdfium takes for one of its own, 1.3 pt wide ("S:A TILLGÅNGAR")
        (chromium_producer, "004", 9032),
    ],
)
def test_the_words_of_every_producer_are_pdfplumbers(producer, report, seed, corpus_texts, tmp_path):
    pdf = _rendered(producer, corpus_texts[report], seed, tmp_path)
    for n, (ours, theirs) in enumerate(_both(pdf), start=1):
        assert [w.text for w in ours] == [w["text"] for w in theirs], f"page {n}"
        for a, b in zip(ours, theirs, strict=True):
            off = max(
                abs(a.x0 - b["x0"]), abs(a.x1 - b["x1"]), abs(a.top - b["top"]), abs(a.bottom - b["bottom"])
            )
            assert off < BOX_TOLERANCE, (n, a, b)


def test_a_report_reads_the_same_through_pdfium_as_through_pdfplumber(corpus_texts, tmp_path, monkeypatch):
    pdf = render_text_pdf(corpus_texts["004"].read_text(encoding="utf-8"), tmp_path / "004.pdf")
    read = {}
    for words in ("pdfplumber", "pdfium"):
        monkeypatch.setattr(pdf_module, "SETTINGS", dataclasses.replace(pdf_module.SETTINGS, words=words))
        extraction = extract(read_document(pdf))
        read[words] = [
            (t.kind, [(r.label, [v.value for v in r.values.values()]) for r in t.rows])
            for t in extraction.tables
        ]
    assert read["pdfium"] == read["pdfplumber"]
    assert sum(len(rows) for _, rows in read["pdfium"]) > 50


def _c(text, x0, top=100.0, width=5.0, size=10.0):
    return (text, x0, x0 + width, top, top + size, True)


def test_characters_make_lines_by_their_tops_chained_within_the_tolerance():
    chars = [_c("b", 20, 101.0), _c("a", 10, 100.0), _c("c", 30, 102.4), _c("x", 10, 110.0)]
    lines = _clusters(chars, 3, 1.5)
    assert [[c[0] for c in line] for line in lines] == [["b", "a", "c"], ["x"]]  # 100 → 101 → 102.4: chained


def test_a_word_ends_at_a_blank_a_gap_a_step_back_or_another_line():
    line = [_c("1", 10), _c("2", 15), _c(" ", 20), _c("3", 25), _c("4", 31.6), _c("5", 36.6), _c("6", 30.0)]
    words = _words(line, True, 1.5, 3.0)
    # "3" ends at 30, "4" starts 1.6 further: a new word; "6" stands left of "5": a new word
    assert [w.text for w in words] == ["12", "3", "45", "6"]
    assert (words[0].x0, words[0].x1) == (10, 20)
    lower = _words([_c("a", 10, 100.0), _c("b", 15, 103.5)], True, 1.5, 3.0)
    assert [w.text for w in lower] == ["a", "b"]

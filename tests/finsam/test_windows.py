"""A long document is analysed a window of pages at a time (finsam.windows), and reads as it would whole:
the same tables, figures and findings across the windows' seams, its pages' lines made for a window and
dropped after it. The windows are made small here, so that reports of the corpus are long documents."""

from __future__ import annotations

from pathlib import Path

import pytest

import finsam.windows as windows_module
from corpus.build import render_text_pdf
from finsam.model import Page
from finsam.pipeline import IngestOptions, analyse, ingest, process_file
from finsam.windows import LEAD, TAIL, windows
from normalized.store import Store
from parsers import read_document


def _cells(tables):
    return [
        (
            t.id,
            t.kind,
            t.title,
            t.page,
            [(r.label, sorted((k, v.value) for k, v in r.values.items())) for r in t.rows],
        )
        for t in tables
    ]


def _findings(extraction):
    return sorted((f.rule, f.page, f.table_id, f.message) for f in extraction.findings)


def _pages(lengths: list[int]) -> list[Page]:
    return [Page(i + 1, "x" * n, []) for i, n in enumerate(lengths)]


@pytest.mark.parametrize(
    ("lengths", "max_pages", "max_chars", "owns"),
    [
        ([10] * 23, 8, 10_000, [8, 8, 7]),  # by pages, about equal: no remnant of two pages
        ([10] * 23, 100, 60, [6, 6, 6, 5]),  # by characters
        ([500, 1, 1], 10, 100, [1, 1, 1]),  # a page longer than a window is a window of its own
        ([10] * 5, 8, 10_000, [5]),  # a report: one window, the whole document
    ],
)
def test_windows_cover_each_page_once_within_the_limits(lengths, max_pages, max_chars, owns):
    pages = _pages(lengths)
    parts = windows(pages, max_pages, max_chars)
    assert [w.stop - w.start for w in parts] == owns
    assert [p for w in parts for p in range(w.start, w.stop)] == list(range(len(pages)))
    for w in parts:
        assert w.lo == max(0, w.start - LEAD) and w.hi == min(len(pages), w.stop + TAIL)
        if w.stop - w.start > 1:
            assert sum(lengths[w.start : w.stop]) <= max_chars


@pytest.mark.parametrize("number", ["003", "004"])
def test_a_pdf_read_in_windows_reads_as_it_does_whole(tmp_path, corpus_texts, monkeypatch, number):
    """Windows of 8 pages over a 15- and a 23-page report: tables that run over a window's end, captions
    on the page before, the notes checked against their statements."""
    pdf = render_text_pdf(corpus_texts[number].read_text(encoding="utf-8"), tmp_path / f"{number}.pdf")
    whole = analyse(read_document(pdf))
    monkeypatch.setattr(windows_module, "WINDOW_PAGES", 8)
    doc = read_document(pdf)
    assert len(windows(doc.pages)) >= 2
    windowed = analyse(doc)
    assert windowed.meta == whole.meta
    assert _cells(windowed.tables) == _cells(whole.tables)
    assert _findings(windowed) == _findings(whole)
    assert {(g.page, g.goal) for g in windowed.goals} >= {(g.page, g.goal) for g in whole.goals}
    assert all(not p.lines and p.words_json for p in doc.pages)  # each page's words kept as the store's JSON


@pytest.fixture(scope="module")
def archive(tmp_path_factory, corpus_texts) -> Path:
    """An archive of six reports in one text file, one a page: 003 and the English-model OCR of 002, three
    times each."""
    texts = [corpus_texts[n].read_text(encoding="utf-8") for n in ("003", "002")]
    path = tmp_path_factory.mktemp("archive") / "archive.txt"
    path.write_text("\f".join(texts * 3), encoding="utf-8")
    return path


def test_a_long_text_is_read_without_lines_and_analysed_in_windows_as_whole(archive, monkeypatch):
    whole_doc, whole = process_file(archive)
    monkeypatch.setattr(windows_module, "WINDOW_CHARS", 200_000)
    doc = read_document(archive)
    assert len(doc.pages) == 6 and all(not p.lines for p in doc.pages)  # the text, not its lines
    assert [p.text for p in doc.pages] == [p.text for p in whole_doc.pages]  # repaired the same
    assert len(windows(doc.pages)) == 3
    windowed = analyse(doc)
    assert all(not p.lines for p in doc.pages)
    assert _cells(windowed.tables) == _cells(whole.tables)
    assert _findings(windowed) == _findings(whole)
    # a goal read again further on in a document is kept once, where it is first read; in windows, once in
    # each window that reads it: each copy of 003 keeps its goals, where read whole the later copies lose one
    count = {p.number: sum(1 for g in windowed.goals if g.page == p.number) for p in doc.pages}
    assert count[1] == count[3] == count[5] > 0
    assert {(g.page, g.goal) for g in windowed.goals} >= {(g.page, g.goal) for g in whole.goals}


def test_a_long_text_ingests_with_its_pages_and_a_progress_bar(archive, tmp_path, monkeypatch):
    monkeypatch.setattr(windows_module, "WINDOW_CHARS", 200_000)
    seen: list[tuple[int, int]] = []
    db = tmp_path / "s.db"
    outcomes = ingest(
        [archive], db, IngestOptions(jobs=1), on_page=lambda _p, done, total: seen.append((done, total))
    )
    assert [o.status for o in outcomes] == ["ingested"] and outcomes[0].pages == 6
    assert seen == [(2, 6), (4, 6), (6, 6)]  # a window of pages at a time
    store = Store(db)
    doc_id = outcomes[0].document_id
    tables = store.load_tables(doc_id)
    assert len({t.id for t in tables}) == len(tables) > 6 * 10  # ids numbered through the document
    assert {t.page for t in tables} == set(range(1, 7))
    pages = store.db.execute("SELECT page, raw_text IS NOT NULL FROM pages WHERE document_id = ?", [doc_id])
    assert [repaired for _, repaired in sorted(pages.fetchall())] == [0, 1, 0, 1, 0, 1]

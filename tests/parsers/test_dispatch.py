"""read_document picks the reader by content and refuses what it cannot read, with one clear line."""

from __future__ import annotations

import random

import pytest

from finsam.errors import EmptyFileError, InputFileError, UnsupportedFileError
from parsers import read_document, sniff


def test_sniff():
    assert sniff(b"%PDF-1.7\n...") == "pdf"
    assert sniff(b"\x89PNG\r\n\x1a\n....") == "image"
    assert sniff(b"  <!DOCTYPE html><html>") == "html"
    assert sniff("Årsredovisning".encode()) == "text"


def test_text_encodings(tmp_path):
    text = "Samordningsförbundet Östra Södertörn\nÅrsredovisning 2016\tNot\n"
    for enc in ("utf-8", "utf-8-sig", "cp1252"):
        p = tmp_path / f"r-{enc}.txt"
        p.write_bytes(text.encode(enc))
        doc = read_document(p)
        assert doc.source_kind == "text"
        assert doc.pages[0].text.startswith("Samordningsförbundet Östra Södertörn")
        assert [c.text for c in doc.pages[0].lines[1].cells] == ["Årsredovisning 2016", "Not"]


def test_form_feeds_make_pages(tmp_path):
    p = tmp_path / "paged.txt"
    p.write_text("Sida ett\fSida två\fSida tre", encoding="utf-8")
    assert [pg.text for pg in read_document(p).pages] == ["Sida ett", "Sida två", "Sida tre"]


@pytest.mark.parametrize(
    ("name", "data", "error"),
    [
        ("empty.txt", b"", EmptyFileError),
        ("empty.pdf", b"", EmptyFileError),
        ("page.pdf", b"<!DOCTYPE html><html><body>x</body></html>", UnsupportedFileError),
        ("fake.png", b"this is not an image", UnsupportedFileError),
        ("junk.txt", random.Random(1).randbytes(4096), InputFileError),
    ],
)
def test_bad_files(tmp_path, name, data, error):
    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(error) as info:
        read_document(p)
    assert "\n" not in str(info.value) and str(info.value)


def test_huge_files_are_refused_before_reading(tmp_path, monkeypatch):
    import parsers
    from finsam.errors import TooLargeError

    p = tmp_path / "huge.txt"
    p.write_text("Samordningsförbundet " * 100, encoding="utf-8")
    monkeypatch.setattr(parsers, "MAX_BYTES", 1000)
    with pytest.raises(TooLargeError, match="limit"):
        read_document(p)

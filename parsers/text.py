"""Read plain-text reports (.txt) into pages of lines and tab-separated cells.

Text input has no geometry: a line's cells are its tab fields and their x0/x1 are character offsets
into the line, so extractor/ can treat them like positioned cells. Form feeds separate pages; a file
without any is one page. HTML tags left by converters (<i>, <u>, <b>, <br>) are stripped.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from finsam.errors import EmptyFileError, InputFileError
from finsam.model import Cell, Line, Page, ParsedDocument, Word

_TAG = re.compile(
    r"</?(?:i|b|u|em|strong|span|font|p|div|sup|sub|br|td|tr|th|table|tbody|thead)\b[^>]*>", re.I
)
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&nbsp;": " ", "&quot;": '"', "&#39;": "'"}


def decode_text(data: bytes) -> str:
    """Decode report text: UTF-8 (with or without BOM), else cp1252; refuse binary junk."""
    if not data.strip():
        raise EmptyFileError("file is empty")
    if b"\x00" in data[:4096]:
        raise InputFileError("binary data, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\n\r\t\f")
    bad = text[:20000].count("\ufffd") + controls
    if bad > max(20, len(text[:20000]) * 0.01):
        raise InputFileError("binary data, not text")
    return text


def clean_markup(text: str) -> str:
    text = _TAG.sub("", text)
    for ent, ch in _ENTITIES.items():
        text = text.replace(ent, ch)
    return text


def lines_from_text(text: str, page_number: int) -> list[Line]:
    """Split one page of text into Line records whose cells are the tab fields."""
    lines: list[Line] = []
    for index, raw in enumerate(text.split("\n")):
        cells: list[Cell] = []
        offset = 0
        for field in raw.split("\t"):
            stripped = field.strip()
            start = offset + (len(field) - len(field.lstrip()))
            if stripped:
                words = []
                pos = start
                for token in stripped.split():
                    at = raw.find(token, pos)
                    at = pos if at < 0 else at
                    words.append(
                        Word(token, float(at), float(at + len(token)), float(index), float(index + 1))
                    )
                    pos = at + len(token)
                cells.append(Cell(stripped, float(start), float(start + len(stripped)), words))
            else:
                cells.append(Cell("", float(start), float(start), []))
            offset += len(field) + 1
        # keep empty cells between filled ones (they mark blank columns) but drop trailing empties
        while cells and not cells[-1].text:
            cells.pop()
        lines.append(
            Line(page=page_number, index=index, cells=cells, top=float(index), bottom=float(index + 1))
        )
    return lines


def page_from_text(text: str, number: int, text_source: str = "text") -> Page:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Page(number=number, text=text, lines=lines_from_text(text, number), text_source=text_source)


def read_text(path: Path, data: bytes | None = None) -> ParsedDocument:
    data = path.read_bytes() if data is None else data
    text = clean_markup(decode_text(data))
    pages = [page_from_text(chunk, i + 1) for i, chunk in enumerate(text.split("\f"))]
    pages = [p for p in pages if p.text.strip()] or pages[:1]
    for i, page in enumerate(pages, 1):
        page.number = i
        for line in page.lines:
            line.page = i
    return ParsedDocument(
        path=str(path),
        sha256=hashlib.sha256(data).hexdigest(),
        source_kind="text",
        pages=pages,
        size_bytes=len(data),
    )

"""Read plain-text reports (.txt) into pages of lines and tab-separated cells.

Text input has no geometry: a line's cells are its tab fields and their x0/x1 are character offsets
into the line, so extractor/ can treat them like positioned cells. Form feeds separate pages; a file
without any is one page, cut at blank lines when it is longer than PAGE_CHARS. HTML tags left by converters
(<i>, <u>, <b>, <br>) are stripped.

A long text (over finsam.windows.WINDOW_CHARS) is read into pages of text only: their lines, some 85 bytes
of memory for each character, are made a window of pages at a time (`ensure_lines`) while the document is
analysed, and dropped after it.
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


# A page of text longer than this (a long file without form feeds) is cut at blank lines into pages about this
# long: a report's page is a few thousand characters, and a whole report without form feeds under 100 000
PAGE_CHARS = 250_000


def page_from_text(text: str, number: int, text_source: str = "text", lines: bool = True) -> Page:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Page(
        number=number,
        text=text,
        lines=lines_from_text(text, number) if lines else [],
        text_source=text_source,
    )


def ensure_lines(page: Page) -> Page:
    """Give a text page read without its lines (a long text) its lines; any other page is left as it is."""
    if page.text_source == "text" and not page.lines and page.text.strip():
        page.lines = lines_from_text(page.text, page.number)
    return page


def cut_page(text: str, limit: int = PAGE_CHARS) -> list[str]:
    """A page's text in pieces of about `limit` characters, cut after a blank line (else a line end, else a
    space) in the last quarter of each piece; a page within the limit is one piece."""
    pieces = []
    while len(text) > limit:
        floor = limit * 3 // 4
        cut = next(
            (at + len(sep) for sep in ("\n\n", "\n", " ") if (at := text.rfind(sep, floor, limit)) >= 0),
            limit,
        )
        pieces.append(text[:cut])
        text = text[cut:]
    return [*pieces, text]


def read_text(path: Path, data: bytes | None = None) -> ParsedDocument:
    from finsam.windows import WINDOW_CHARS

    data = path.read_bytes() if data is None else data
    text = clean_markup(decode_text(data))
    with_lines = len(text) <= WINDOW_CHARS
    chunks = [piece for chunk in text.split("\f") for piece in cut_page(chunk)]
    del text
    pages = [page_from_text(chunk, i + 1, lines=with_lines) for i, chunk in enumerate(chunks)]
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

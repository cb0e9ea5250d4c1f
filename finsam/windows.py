"""A long document analysed a window of pages at a time, so its memory is a window's, not the document's.

Extraction reads a document whole: its running headers, its headings, tables that run over a page break,
statements and their notes. A report is 20–80 pages and under 200 000 characters of text, one window. A
document longer than WINDOW_PAGES pages or WINDOW_CHARS characters (an archive of reports in one text file,
a 500-page PDF) is cut into windows of whole pages, and each is analysed as a report would be:

- a window's pages get their lines (a long text is read without them, parsers.text: they are made from
  its repaired text);
- the tables and goals of a window are those that begin on its own pages, read with LEAD pages before them
  (the caption over its first table) and TAIL pages after (a table running on over the window's end is
  read whole by the window it begins in);
- its figures are repaired and checked among the tables of the window, and the findings kept are those at
  its own tables: a statement and a note further apart than a window are not checked against each other;
- the metadata (federation, kind, year) is read from the first window: a report says them on its first
  pages;
- once no later window reads a page, its lines are dropped; a PDF page's words are kept as the JSON the store
  writes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from finsam.model import DocumentMeta, Extraction, Page, ParsedDocument

WINDOW_PAGES = 150
WINDOW_CHARS = 1_500_000
LEAD = 1
TAIL = 2


@dataclass(frozen=True)
class Window:
    """Pages [start, stop) of the document are the window's own; it reads [lo, hi)."""

    start: int
    stop: int
    lo: int
    hi: int


def windows(pages: list[Page], max_pages: int | None = None, max_chars: int | None = None) -> list[Window]:
    """The document's pages cut into windows of at most `max_pages` pages and `max_chars` characters
    (WINDOW_PAGES, WINDOW_CHARS; a single longer page is a window of its own), each reading LEAD pages
    before and TAIL after. The windows are about equal in length, so that none is a short remnant whose
    few pages would make a line found on two of them look like a running header."""
    max_pages = max_pages or WINDOW_PAGES
    max_chars = max_chars or WINDOW_CHARS
    total = sum(len(p.text) for p in pages)
    if len(pages) <= max_pages and total <= max_chars:
        return [Window(0, len(pages), 0, len(pages))]
    by_pages, by_chars = -(-len(pages) // max_pages), -(-total // max_chars)
    count = max(by_pages, by_chars)
    size = -(-len(pages) // count)
    chars = min(max_chars, -(-total // count) * 5 // 4) if by_chars > by_pages else max_chars
    out: list[Window] = []
    start = 0
    while start < len(pages):
        stop, length = start, 0
        while stop < len(pages) and stop - start < size:
            length += len(pages[stop].text)
            if length > chars and stop > start:
                break
            stop += 1
        out.append(Window(start, stop, max(0, start - LEAD), min(len(pages), stop + TAIL)))
        start = stop
    return out


def head(doc: ParsedDocument) -> ParsedDocument:
    """The document's first window, with its lines: where its name, kind and year are read."""
    from parsers.text import ensure_lines

    first = windows(doc.pages)[0]
    if first.stop == len(doc.pages):
        return doc
    return replace(doc, pages=[ensure_lines(p) for p in doc.pages[first.start : first.stop]])


def analyse_in_windows(doc: ParsedDocument, parts: list[Window], analyse_part) -> Extraction:
    """`analyse_part(window_document, meta)` → Extraction for each window; the windows' own tables, goals
    and findings, table ids numbered again through the document."""
    from extractor.metadata import extract_metadata
    from parsers.progress import Pages
    from parsers.text import ensure_lines

    meta: DocumentMeta = extract_metadata(head(doc))
    progress = Pages(len(doc.pages)) if doc.source_kind == "text" else None
    result = Extraction(meta=meta)
    for k, part in enumerate(parts):
        pages = [ensure_lines(p) for p in doc.pages[part.lo : part.hi]]
        extraction = analyse_part(replace(doc, pages=pages), meta)
        own = {p.number for p in doc.pages[part.start : part.stop]}
        first_window = k == 0
        ids: dict[str, str] = {}
        for table in extraction.tables:
            if table.page in own or (table.page is None and first_window):
                new_id = f"t{len(result.tables) + 1}"
                ids[table.id or new_id] = new_id
                table.id = new_id
                result.tables.append(table)
        result.goals += [g for g in extraction.goals if g.page in own or (g.page is None and first_window)]
        for finding in extraction.findings:
            if finding.table_id in ids:
                finding.table_id = ids[finding.table_id]
                result.findings.append(finding)
            elif finding.table_id is None and (
                finding.page in own or (finding.page is None and first_window)
            ):
                result.findings.append(finding)
        later = parts[k + 1].lo if k + 1 < len(parts) else len(doc.pages)
        for page in doc.pages[part.lo : later]:
            drop_lines(page)
        if progress is not None:
            progress.read(part.stop - part.start)
    return result


def drop_lines(page: Page) -> Page:
    """Free a page's lines: a text page's are its text again (ensure_lines); an OCR'd or text-layer page's
    words are kept first as the JSON the store writes (`Page.words_json`). For a window no later window
    reads, and for a document a worker hands back to the parent, which would unpickle word objects slower
    than it writes them."""
    from normalized.store.writing import words_json

    if page.text_source != "text" and page.lines and page.words_json is None:
        page.words_json = words_json(page)
    page.lines = []
    return page

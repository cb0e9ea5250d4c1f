"""Find the tables in a parsed report and build normalized Table records: the table reader's front door.

A table is read in steps, each a module of its own that can be run and printed on its own input:
1. extractor.lines — the document as lines of cells, page furniture and OCR specks left out (`DocLine`);
2. extractor.block_finders — the runs of lines that make a table, their header and row lines (`Block`),
   found by the finders in `BLOCK_FINDERS` (extractor.blocks for aligned cells, extractor.flat_blocks for
   flattened layouts) and merged over page breaks;
3. extractor.header — for PDF and OCR pages, the figure columns and which cell stands in which column;
   extractor.columns reads each column's header into a role, year, period and unit (`Column`);
4. extractor.rows — label, figures, Not reference, section, level and total mark of each row (`Row`);
5. extractor.captions and extractor.table_kinds — title and Not number from the caption above, the table's
   kind from the data in `KIND_RULES`, and its unit.
Every threshold lives in `TableSettings` (extractor.settings). `debug_text` shows the lines as the block
finders see them (`python -m extractor.tables FILE`).
"""

from __future__ import annotations

import re
from collections import Counter

from extractor.block_finders import BLOCK_FINDERS, find_blocks, split_sub_headers
from extractor.blocks import Block
from extractor.captions import NOTE_TITLE, caption_above, title_and_note
from extractor.columns import DocContext, build_columns, header_role
from extractor.flat_blocks import flat_row
from extractor.furniture import is_page_furniture, running_lines
from extractor.header import (
    FigureColumn,
    column_of,
    figure_columns,
    header_column,
    header_zones,
    positioned_cells,
)
from extractor.lines import CHAR_WIDTH, DANGLING_ENDS, CellQuality, DocLine, doc_lines
from extractor.rows import (
    NON_TOTAL_LABEL,
    TOTAL_LABEL,
    RawRow,
    build_rows,
    canonical_key,
    clean_label,
    is_contents,
)
from extractor.settings import SETTINGS, TableSettings
from extractor.table_kinds import (
    KIND_RULES,
    KRONOR_FLOOR,
    MEMBER_WORDS,
    MONEY_KINDS,
    PARTICIPANT_WORDS,
    PEOPLE_HEADERS,
    RESPONDENT_GROUP,
    STATEMENT_TITLES,
    SURVEY_WORDS,
    TableFacts,
    counting_kind,
    infer_units,
    table_kind,
    table_unit,
)
from extractor.wraps import join_wrapped, tight_below
from finsam.model import ParsedDocument, Table
from finsam.text import fold

# The names the table reader has always offered here, wherever their step now lives.
__all__ = [
    "BLOCK_FINDERS",
    "CHAR_WIDTH",
    "DANGLING_ENDS",
    "KIND_RULES",
    "KRONOR_FLOOR",
    "MEMBER_WORDS",
    "MONEY_KINDS",
    "NON_TOTAL_LABEL",
    "NOTE_HEADER",
    "NOTE_IN_LABEL",
    "NOTE_TITLE",
    "PARTICIPANT_WORDS",
    "PEOPLE_HEADERS",
    "RESPONDENT_GROUP",
    "SETTINGS",
    "STATEMENT_TITLES",
    "SURVEY_WORDS",
    "TOTAL_LABEL",
    "Block",
    "CellQuality",
    "DocLine",
    "FigureColumn",
    "RawRow",
    "TableFacts",
    "TableSettings",
    "clean_label",
    "column_of",
    "debug_text",
    "document_context",
    "extract_tables",
    "header_column",
    "header_zones",
    "is_page_furniture",
    "running_lines",
]

# A header cell that names the Not column, and a Not reference printed at the end of a label.
NOTE_HEADER = re.compile(r"^\s*(?:not|noter|not nr|not\.)\s*$")
NOTE_IN_LABEL = re.compile(r"\s*[(,]?\s*\bnot\s*(\d{1,2})\s*\)?\s*$", re.I)  # "Fordringar (not 5)"


NOTE_REF = re.compile(r"^\s*(?:not\s*)?(\d{1,2})\b", re.I)  # "3", "Not 3": a cell of the Not column
_AMOUNT = re.compile(r"\d[\d ]{3,}")  # a figure of four digits or more: an amount, no Not reference


def _words_only(cell: str) -> bool:
    """A cell of words and no digit: a label's, wherever it stands."""
    return bool(re.search(r"[A-Za-zÅÄÖåäö]{2}", cell)) and not re.search(r"\d", cell)


def note_reference(cell: str, settings: TableSettings = SETTINGS, whole: bool = False) -> int | None:
    """The Not reference a cell holds ("3", "Not 3"), a whole number from 1 to `settings.note_max`; with
    `whole`, only where the cell holds nothing else (no amount beginning with two digits: "12 500")."""
    m = NOTE_REF.match(cell)
    if m is None or (whole and cell[m.end() :].strip()):
        return None
    n = int(m.group(1))
    return n if 1 <= n <= settings.note_max else None


def note_column(headers: list[str], rows: list[list[str]], settings: TableSettings = SETTINGS) -> int | None:
    """The value column that holds the Not references: the one headed "Not"; or, where that header was
    lost (a scan read it too faintly to keep), the first column when it has no header and holds only
    small whole numbers that rise down the table (2, 3, 4, …) beside columns of amounts."""
    named = next((k for k, h in enumerate(headers) if NOTE_HEADER.match(fold(h))), None)
    if named is not None or not headers or headers[0].strip() or len(headers) < 2:
        return named
    cells = [row[0] for row in rows if row and row[0].strip()]
    refs = [note_reference(cell, settings, whole=True) for cell in cells]
    if len(refs) < 2 or None in refs:
        return None
    if any(b < a for a, b in zip(refs, refs[1:], strict=False)) or len(set(refs)) < 2:
        return None
    amounts = any(_AMOUNT.search(cell) for row in rows for cell in row[1:])
    return 0 if amounts else None


def _table_from_block(
    lines: list[DocLine], block: Block, ctx: DocContext, settings: TableSettings
) -> Table | None:
    captions = caption_above(lines, block.start, settings)
    unit_text = ""
    if block.flat:
        header_first = ""
        unit_text = " ".join(lines[h].text for h in block.header)
        headers = block.flat_columns
        ncols = len(headers)
        raw_rows: list[RawRow] = []
        for r in block.rows:
            parsed = flat_row(lines[r].text, ncols, block.flat_note)
            if parsed is None:
                raw_rows.append(RawRow(lines[r].text, [], None, lines[r].page))
                continue
            label, numbers = parsed
            note_ref = None
            if block.flat_note:
                head, _, tail = label.rpartition(" ")
                note_ref = note_reference(tail, settings, whole=True) if head.strip() else None
                label = head.rstrip() if note_ref is not None else label
            figures = numbers + [""] * (ncols - len(numbers))
            # fewer figures than columns: which column a figure belongs to is a guess
            quality = [CellQuality(conf=0.0 if len(numbers) < ncols else None) for _ in figures]
            raw_rows.append(RawRow(label, figures, note_ref, lines[r].page, quality))
    else:
        all_lines = block.header + block.rows
        ncells = max(len(lines[i].cells) for i in all_lines)
        if ncells < 2:
            return None
        positioned = any(lines[i].positioned for i in all_lines)
        if positioned:
            columns_x, label_right = figure_columns(lines, block)
            if not columns_x:
                return None
            ncells = len(columns_x) + 1
            placed = {i: positioned_cells(lines[i], columns_x, label_right) for i in all_lines}
            cell_rows = {i: cells for i, (cells, _) in placed.items()}
            qualities = {i: q for i, (_, q) in placed.items()}
        else:
            cell_rows = {i: lines[i].cells + [""] * (ncells - len(lines[i].cells)) for i in all_lines}
            qualities = {}
        texts = [join_wrapped([cell_rows[h][k] for h in block.header]) for k in range(ncells)]
        header_first = texts[0]
        value_headers = texts[1:]
        note_col = note_column(
            value_headers, [cell_rows[r][1:] for r in block.rows if not lines[r].blank], settings
        )
        headers = [h for k, h in enumerate(value_headers) if k != note_col]
        raw_rows = []
        ocr = any(lines[i].ocr for i in all_lines)
        margin = None if ocr else settings.text_wrap_margin
        pitch_margin = settings.wrap_pitch_margin if ocr else None
        wrapped = (
            tight_below(lines, block.rows, settings.wrap_gap_ratio, margin, pitch_margin)
            if positioned
            else set()
        )
        for r in block.rows:
            if lines[r].blank:
                continue  # furniture left out at a page break: no row, and no break between the rows
            cells = cell_rows[r]
            label, values = cells[0], cells[1:]
            quality = qualities.get(r, [])[1:] or None
            note_ref = None
            if note_col is not None and note_col < len(values):
                note_ref = note_reference(values[note_col], settings)
                if note_ref is None and _words_only(values[note_col]):
                    # the label's words spaced out into the Not column ("SUMMA    EGET KAPITAL OCH SKULDER")
                    label = f"{label} {values[note_col].strip()}".strip()
                values = values[:note_col] + values[note_col + 1 :]
                if quality:
                    quality = quality[:note_col] + quality[note_col + 1 :]
            m = NOTE_IN_LABEL.search(label) if note_ref is None else None
            note_ref = int(m.group(1)) if m else note_ref
            raw_rows.append(
                RawRow(label, values, note_ref, lines[r].page, quality, r in wrapped, lines[r].ocr)
            )
    if not raw_rows:
        return None
    title, note_number, caption = title_and_note(header_first, captions)
    kind_hint = counting_kind(title, caption, headers)
    if re.search(RESPONDENT_GROUP, fold(header_first)):
        raw_rows.insert(0, RawRow(header_first, [], None, raw_rows[0].page))  # the first group heads its rows
    columns = build_columns(headers, ctx, kind_hint)
    rows = build_rows(raw_rows, columns, None, title)
    numeric = sum(1 for r in rows for v in r.values.values() if v.value is not None)
    if numeric == 0 and not any(header_role(h) == "target" for h in headers):
        return None  # a list of names, not a table of figures
    if is_contents(rows):
        return None
    kind = table_kind(title, caption, note_number, columns, rows)
    last_valued = max((n for n, r in enumerate(rows) if r.values), default=-1)
    for n, row in enumerate(rows):
        row.canonical = canonical_key(row, kind, title)
        # "Årets resultat" under Eget kapital, or between the opening and closing equity of a note, is a part
        # of the balance, not a sum
        if (
            kind in ("balansrakning", "note")
            and row.is_total
            and (row.section or (kind == "note" and n != last_valued))
            and re.search(r"resultat", row.label, re.I)
            and not re.match(r"^\s*(?:summa|s:a|totalt?)\b", row.label, re.I)
        ):
            row.is_total = False
    unit = table_unit(columns, f"{caption} {' '.join(captions[:2])} {unit_text}", header_first)
    pages = [raw.page for raw in raw_rows]
    return Table(
        kind=kind,
        title=title,
        columns=columns,
        rows=rows,
        unit=unit,
        note_number=note_number,
        page=min(pages),
        page_end=max(pages),
    )


def document_context(doc: ParsedDocument, meta=None) -> DocContext:
    """The document's type and fiscal year, from extractor.metadata when it can tell."""
    if meta is None:
        try:
            from extractor.metadata import extract_metadata

            meta = extract_metadata(doc)
        except Exception:  # noqa: BLE001 - metadata is a hint here; tables must not fail with it
            meta = None
    ctx = DocContext(getattr(meta, "doc_type", None), getattr(meta, "fiscal_year", None))
    if ctx.fiscal_year is None:
        years = Counter(int(y) for y in re.findall(r"(?<!\d)(20\d\d)(?!\d)", doc.text[:5000]))
        ctx.fiscal_year = years.most_common(1)[0][0] if years else None
    return ctx


def debug_text(doc: ParsedDocument, settings: TableSettings = SETTINGS) -> str:
    """Every line as the table finder sees it — H header, R row, . outside any table — with its page and
    cells, so a wrong table can be seen rather than guessed at (`python -m extractor.tables FILE`)."""
    lines = doc_lines(doc, settings)
    marks: dict[int, str] = {}
    for n, block in enumerate(find_blocks(lines, settings), 1):
        for i in block.header:
            marks[i] = f"H{n}"
        for i in block.rows:
            marks[i] = f"R{n}"
    out = []
    for i, ln in enumerate(lines):
        if ln.blank:
            continue
        cells = " | ".join(ln.cells) if ln.tabular else ln.text
        out.append(f"{marks.get(i, '.'):>4} p{ln.page:<3} {cells}")
    return "\n".join(out)


def extract_tables(doc: ParsedDocument, meta=None, settings: TableSettings = SETTINGS) -> list[Table]:
    """Every table of figures in the document, in reading order."""
    ctx = document_context(doc, meta)
    lines = doc_lines(doc, settings)
    blocks = find_blocks(lines, settings)
    tables: list[Table] = []
    for block in blocks:
        split_sub_headers(lines, block)
        table = _table_from_block(lines, block, ctx, settings)
        if table is not None:
            tables.append(table)
    infer_units(tables)
    for n, table in enumerate(tables, 1):
        table.id = f"t{n}"
    return tables


if __name__ == "__main__":  # python -m extractor.tables REPORT: the table finder's view of a report
    import sys
    from pathlib import Path

    from finsam.errors import FinsamError
    from parsers import assess_and_repair, read_document

    try:  # the same reading as ingest: a scan is OCR'd (through the OCR cache) and repaired
        doc = assess_and_repair(read_document(Path(sys.argv[1]), ocr="auto"))
    except FinsamError as err:
        sys.exit(f"{sys.argv[1]}: {err}")
    print(debug_text(doc))

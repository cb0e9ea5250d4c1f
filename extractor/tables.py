"""Find the tables in a parsed report and build normalized Table records.

A table is a run of lines whose cells line up: tab fields in text input, gap-separated cells with x positions
in PDF and OCR pages, or — when a converter flattened the layout — lines that end in a row of figures under a
header line of column words ("Belopp i tkr Not 2018 2017"). For each table we read the header into Columns
(extractor.columns), the lines into Rows (label, figures, Not reference, section, level, total mark), the
caption above it into a title and unit, and decide its kind (resultaträkning, Not N, budget, participants, …)
from the data in `KIND_RULES`. Running headers, footers and page numbers are dropped first, and a table that
runs on over a page break stays one table.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from extractor.columns import (
    DocContext,
    build_columns,
    clean_header,
    fold,
    header_role,
    header_unit,
    header_years,
    is_label_header,
)
from extractor.furniture import is_page_furniture, running_lines
from extractor.numbers import ParsedNumber, clean_ocr_figure, parse_number, split_number_tail
from finsam.model import Column, Line, ParsedDocument, Row, Table, Value
from normalized.vocabulary import canonical_for


@dataclass
class TableSettings:
    """Tunable thresholds of the table finder, in one place."""

    title_lookback: int = 9  # non-blank lines to search above a table for its caption
    title_max_words: int = 14  # a caption longer than this is prose (unless it is the line just above)
    caption_max_words: int = 40  # the line right above a table may be a long caption without a full stop
    heading_lookback: int = 16  # ... and when only prose is near, a short heading this far up names it
    heading_max_words: int = 6
    footer_min_pages: float = 0.5  # share of pages a top/bottom line must repeat on to be a running header
    footer_min_repeats: int = 3  # a short non-heading line repeated this often in one-page text is a footer
    continuation_gap: int = 6  # blank/footer lines allowed between a table and its continuation
    note_max: int = 40  # a Not reference is a small integer
    label_indent: float = 120.0  # PDF/OCR: a line starting this far right of the margin has no label cell
    flat_min_rows: int = 3  # flattened lines ending in the same number of figures that make a table
    fragment_gap: float = 3.0  # OCR: figure fragments closer than this many characters are one figure
    text_fragment_gap: float = 1.0  # PDF text layer: the same, where a thousands space is under a character
    speck_confidence: float = 40.0  # OCR: a short non-figure cell read with less confidence is a speck
    low_confidence: float = 60.0  # OCR: a figure read with less word confidence than this is uncertain
    column_tolerance: float = 18.0  # PDF/OCR: right edges of figures this close (points) are one column
    max_header_lines: int = 8  # a header wrapped in narrow columns runs over this many lines at most
    max_label_tail_lines: int = 3  # lines a wrapped label of a table's last row may run on below it


SETTINGS = TableSettings()

# Caption (title) patterns that decide a statement table's kind: folded text, OCR-tolerant.
STATEMENT_TITLES: tuple[tuple[str, str], ...] = (
    (r"resultatr\w{0,3}kning|resultatrapport", "resultatrakning"),
    (r"balansr\w{0,3}kning|balansrapport", "balansrakning"),
    (r"kassafl\w{0,3}desanalys|kassaflode|finansieringsanalys", "kassaflodesanalys"),
)
NOTE_HEADER = re.compile(r"^\s*(?:not|noter|not nr|not\.)\s*$")
NOTE_IN_LABEL = re.compile(r"\s*[(,]?\s*\bnot\s*(\d{1,2})\s*\)?\s*$", re.I)  # "Fordringar (not 5)"
NOTE_TITLE = re.compile(r"^\s*not(?:e|er)?\s*(\d{1,2})\s*[.:)-]?\s*(.*)$", re.I)
RESPONDENT_GROUP = r"\(\d+ svar\)|\bsvarande\b"  # "Styrelsen (9 svar)": a group of survey respondents
SURVEY_WORDS = r"medelvarde|enkat|\(\d+ svar\)|svarsfrekvens|instamm"
PARTICIPANT_WORDS = r"deltag|avslutade|till arbete|till studier|inskrivna|arbete/studier"
PEOPLE_HEADERS = r"\bkvinnor\b|\bman\b|\bflickor\b|\bpojkar\b"  # "Kvinnor | Män | Totalt" (folded)
MEMBER_WORDS = r"medlemsavgift|finansiar|medlemsbidrag|fordelning mellan medlem|tilldelning"
# Row labels that state a sum or a result (matched on the folded label, so OCR-dropped accents still match).
TOTAL_LABEL = re.compile(
    r"^\s*(?:\d+\.\s*)?(?:summa|s:a|totalt?|total|tot\.|sammanlagt|netto\b|"
    r"verksamhetens nettokostnad|.*\bresultat\b|.*\bkassaflode\b|arets kassaflode|"
    r"likvida medel vid (?:arets|periodens) slut|utgaende|medel fran verksamheten fore)"
)
NON_TOTAL_LABEL = re.compile(r"^\s*(?:kassaflode fran (?:investering|finansiering)|resultat\w* av\b)")
_FOOTNOTE_MARKS = re.compile(r"[\u00b9\u00b2\u00b3\u2070-\u209f]+|\*+$|(?<=\w)\*")
_KEY_VALUE_LINE = re.compile(r"^[\wåäöÅÄÖ ]{2,20}:\s*[\d(]")  # "Period: 16-01-01 – 16-08-31"
_YEARLIKE = re.compile(
    r"^[-–]?(?:(?:19|20)\d\d(?:-\d\d-\d\d)?)(?:\s*[-–]\s*(?:(?:19|20)\d\d)(?:-\d\d-\d\d)?)?$"
)
_SECTION_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)*\.?\s+(?=\D)")
_DOT_LEADER = re.compile(r"\.{4,}|…{2,}")


# ---------------------------------------------------------------------------------------------------------------
# Lines


@dataclass
class DocLine:
    """One content line of the document with its cells, ready for table finding."""

    page: int
    text: str  # the line's text, cells joined by tabs
    cells: list[str]
    spans: list[tuple[float, float]]  # x0, x1 of each cell
    tabular: bool  # cells separated by tabs or column gaps
    positioned: bool  # cells carry real page geometry (PDF/OCR), not tab indexes
    line: Line | None = None
    sources: list[int | None] | None = None  # for each cell, its index in line.cells (None: added empty cell)
    raws: list[str] | None = None  # for each cell, its text as read when OCR cleaning changed it
    ocr: bool = False  # read from a page image: words of one figure may stand further apart

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def words(self) -> int:
        return len(self.text.split())


def _doc_lines(doc: ParsedDocument, settings: TableSettings) -> list[DocLine]:
    """All lines in reading order, with running headers/footers and page numbers removed."""
    out: list[DocLine] = []
    furniture = running_lines(doc, settings.footer_min_pages, settings.footer_min_repeats)
    for page in doc.pages:
        raw_lines = page.text.split("\n")
        positioned = page.text_source != "text"
        spaced = not positioned and _space_aligned(page.text)
        positioned = positioned or spaced
        margin = min((ln.cells[0].x0 for ln in page.lines if ln.cells), default=0.0)
        if spaced:
            margin = 0.0
        for line in page.lines:
            raw = raw_lines[line.index] if line.index < len(raw_lines) else line.text
            if spaced:
                cells, spans = _gap_cells(raw)
            else:
                cells = [_MARKUP.sub("", c.text).strip() for c in line.cells]
                spans = [(c.x0, c.x1) for c in line.cells]
            sources: list[int | None] = list(range(len(cells)))
            raws = list(cells)
            if page.text_source == "ocr":
                cells, spans, sources, raws = _clean_ocr_cells(cells, spans, line)
            if positioned and cells and spans[0][0] > margin + settings.label_indent:
                # figures or column headers with nothing in the label column
                cells, spans = [""] + cells, [(margin, margin)] + spans
                sources, raws = [None] + sources, [""] + raws
            text = "\t".join(cells).strip()
            if is_page_furniture(text, furniture):
                text, cells = "", []
            tabular = bool(cells) and ("\t" in raw or len(cells) >= 2)
            out.append(
                DocLine(
                    page.number, text, cells, spans, tabular, positioned, line, sources, raws,
                    ocr=page.text_source == "ocr",
                )
            )
    return out


_OCR_SPECK = re.compile(r"^[:;.,'`\"“”‘’_|~^*°]+$")


def _clean_ocr_cells(
    cells: list[str], spans: list[tuple[float, float]], line: Line
) -> tuple[list[str], list[tuple[float, float]], list[int | None], list[str]]:
    """OCR cells without specks read as cells of their own (punctuation, or a letter or two read with little
    confidence), and figures with stray punctuation read back as figures ("9.032 435" -> "9 032 435"); the
    text as read is kept beside."""
    out_cells, out_spans, sources, raws = [], [], [], []
    for n, (text, span) in enumerate(zip(cells, spans, strict=False)):
        words = line.cells[n].words if n < len(line.cells) else []
        confs = [w.conf for w in words if w.conf is not None]
        faint = bool(confs) and max(confs) < SETTINGS.speck_confidence
        figure = clean_ocr_figure(text)
        lone_letter = figure is not None and len(text.strip()) == 1 and not text.strip().isdigit()
        if (figure is None or (faint and lone_letter)) and (
            _OCR_SPECK.match(text) or (faint and len(text) <= 3 and not any(ch.isdigit() for ch in text))
        ):
            continue  # a speck; but "TJ" read faintly where a figure stands is still a figure (77)
        out_cells.append(figure or text)
        out_spans.append(span)
        sources.append(n)
        raws.append(text)
    return out_cells, out_spans, sources, raws


# Markup a converter left in the text ("<i>S:a övriga kostnader</i>"); the text reader strips it, a PDF drawn
# from such text keeps it.
_MARKUP = re.compile(r"</?(?:i|b|u|em|strong|span|font|sup|sub|br)\b[^>]*>", re.I)
_GAP = re.compile(r"\S+(?: \S+)*")
CHAR_WIDTH = 5.0  # points per character when a text page is laid out with spaces


def _space_aligned(text: str) -> bool:
    """A text page whose columns are aligned with runs of spaces (a converter's layout mode), not tabs."""
    if "\t" in text:
        return False
    lines = text.split("\n")
    aligned = sum(1 for ln in lines if re.search(r"\S {2,}[-−–(]?\d", ln))
    numeric = sum(1 for ln in lines if re.search(r"\d\s*$", ln))
    return aligned >= max(3, 0.25 * numeric)


def _gap_cells(raw: str) -> tuple[list[str], list[tuple[float, float]]]:
    """Cells of a space-aligned line, split at gaps of two or more spaces, with character offsets as x."""
    cells, spans = [], []
    for m in _GAP.finditer(raw.replace("\t", " ")):
        cells.append(m.group(0))
        spans.append((m.start() * CHAR_WIDTH, m.end() * CHAR_WIDTH))
    return cells, spans


# ---------------------------------------------------------------------------------------------------------------
# Cells


def _is_value_text(text: str) -> bool:
    return parse_number(text) is not None and not _YEARLIKE.match(text.strip())


def _is_header_cells(values: list[str]) -> bool:
    """A line is a header when its figure cells hold words, years or dates, and no plain figures."""
    filled = [v for v in values if v.strip()]
    if not filled:
        return False
    return all(not _is_value_text(v) for v in filled)


def _text_fraction(values: list[str]) -> float:
    filled = [v for v in values if v.strip()]
    if not filled:
        return 0.0
    return sum(1 for v in filled if parse_number(v) is None) / len(filled)


# ---------------------------------------------------------------------------------------------------------------
# Blocks: runs of aligned lines


@dataclass
class Block:
    start: int  # index of the first line (header or row) in the document's lines
    end: int  # index after the last line
    header: list[int] = field(default_factory=list)  # indexes of header lines
    rows: list[int] = field(default_factory=list)  # indexes of row lines (sub-headers included)
    flat: bool = False  # rows are flattened text, figures read off the line end
    flat_columns: list[str] = field(default_factory=list)
    flat_note: bool = False


_HEADING_LINE = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?\s+\S|not\s*\d|bilaga\b|tabell\s*\d)|[:]\s*$", re.I)


def _label_row_inside(lines: list[DocLine], j: int, label_x: float) -> bool:
    """Positioned pages have no tabs: a one-cell line ("Tillgångar", "Övrigt") stays inside a table when it
    starts in the label column, is short, is no heading of its own, and a row of cells follows it."""
    seen = 0
    for k in range(j, min(j + 8, len(lines))):
        ln = lines[k]
        if ln.tabular:
            return seen > 0
        if ln.blank and ln.positioned:
            continue  # page furniture removed at a page break
        seen += 1
        if seen > 3 or ln.blank or not ln.positioned or len(ln.cells) != 1 or ln.words > 10:
            return False
        if ln.spans[0][0] > label_x + 20:
            return False
        if _wraps_on(lines, k):
            continue  # the first part of a wrapped label ("Kassaflöde från" / "investeringsverksamheten")
        if _HEADING_LINE.search(ln.text) or _statement_kind(ln.text):
            return False
    return False


def _wraps_on(lines: list[DocLine], k: int) -> bool:
    """A label-only line whose label goes on in the line below: it ends on a word no label ends on, or the
    next line's label starts in lower case."""
    if _dangling(lines[k].text):
        return True
    nxt = next((ln for ln in lines[k + 1 : k + 3] if not ln.blank), None)
    return nxt is not None and nxt.page == lines[k].page and nxt.cells[0][:1].islower()


def _run_end(lines: list[DocLine], i: int) -> int:
    label_x = min((ln.spans[0][0] for ln in lines[i : i + 3] if ln.tabular and ln.spans), default=0.0)
    j = i
    while j < len(lines):
        if lines[j].tabular or (lines[j].positioned and _label_row_inside(lines, j, label_x)):
            j += 1
            continue
        if lines[j].positioned and lines[j].blank:  # over a page break to the rows that continue the table
            k = j
            while k < len(lines) and lines[k].blank:
                k += 1
            # a header split by the break: a few header lines so far and no rows
            header_only = j - i <= 3 and all(
                not ln.tabular or _is_header_cells(ln.cells[1:]) for ln in lines[i:j]
            )
            if (
                k < len(lines)
                and k - j <= 6
                and (
                    (
                        lines[k].tabular
                        and (
                            (header_only and not lines[k].cells[0])  # the header's wrapped second line
                            or not _is_header_cells(lines[k].cells[1:])
                        )
                    )
                    or (lines[k].positioned and _label_row_inside(lines, k, label_x))
                )
            ):
                j = k
                continue
        break
    # the wrapped tail of the last row's label ("… i den samordnade" / "insatsen bra tillsammans?")
    tail = 0
    while (
        j < len(lines)
        and tail < SETTINGS.max_label_tail_lines
        and lines[j].positioned
        and len(lines[j].cells) == 1
        and lines[j].text[:1].islower()
    ):
        j += 1
        tail += 1
    return j


def _tab_blocks(lines: list[DocLine]) -> list[Block]:
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        if not lines[i].tabular:
            i += 1
            continue
        j = _run_end(lines, i)
        if lines[i].positioned:
            # no blank lines between tables on a PDF page: a header line after rows starts the next table
            for k in range(i + 2, j):
                if not (lines[k].tabular and _is_header_cells(lines[k].cells[1:])):
                    continue
                p = k - 1
                while p > i and lines[p].blank:  # page furniture removed at a break
                    p -= 1
                prev = lines[p]
                if _is_header_cells(prev.cells[1:]) or _dash_line(prev):
                    continue  # the header goes on over several lines
                if any(_is_value_text(c) for c in prev.cells[1:]) or not prev.tabular:
                    j = k
                    break
        block = Block(i, j)
        k = i
        # header lines: leading lines without plain figures (the first may have no figure cells at all)
        while k < j and len(block.header) < SETTINGS.max_header_lines:
            values = lines[k].cells[1:]
            if _dash_line(lines[k]) and block.header and k + 1 < j and _is_header_cells(lines[k + 1].cells[1:]):
                block.header.append(k)  # the dash of a period wrapped onto a line of its own
                k += 1
                continue
            if _is_header_cells(values) or (k == i and not any(v.strip() for v in values)):
                if block.header and lines[k].cells[0].strip() and not _is_header_cells(values):
                    break
                if (
                    block.header
                    and lines[k].cells[0].strip()
                    and any(len(v.split()) > 3 for v in values)
                    and not _figure_row_follows(lines, k, j)
                ):
                    break  # a text table (goals): sentences in the cells make this line a row
                block.header.append(k)
                k += 1
                if not any(v.strip() for v in values):
                    break
            else:
                break
        block.rows = list(range(k, j))
        blocks.append(block)
        i = j
    return blocks


def _dash_line(ln: DocLine) -> bool:
    """A line of nothing but dashes under the figure columns: in a header, the dash of a period
    ("2016-01-01 –" / "–" / "2016-12-31") that a narrow column put on a line of its own."""
    values = [v.strip() for v in ln.cells[1:] if v.strip()]
    return bool(values) and not ln.cells[0].strip() and all(v in ("-", "–", "—") for v in values)


def _figure_row_follows(lines: list[DocLine], k: int, end: int) -> bool:
    """The next line of the run is a row of plain figures: line k, however wordy, heads their columns
    (right-aligned header words run together: "Till arbete Till studier Arbete/studier")."""
    nxt = next((ln for ln in lines[k + 1 : end] if not ln.blank), None)
    values = [v for v in (nxt.cells[1:] if nxt else []) if v.strip()]
    return len(values) >= 2 and all(_is_value_text(v) for v in values)


_FLAT_HEADER_TOKEN = re.compile(
    r"^(?:not|belopp|i|1|l|tkr|kr|mkr|mnkr|tkr\.|kr\.|utfall|budget|avvikelse|prognos|bokslut|aktuell|helar|helår|"
    r"ing|utg|balans|period|andel|(?:19|20)\d\d|[-–]?(?:19|20)\d\d-\d\d-\d\d|jan\w*|dec\w*|aug\w*|jun\w*|"
    r"(?:jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec)[-–](?:$|jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec)\w*|"
    r"[-–|=~]+|\(tkr\)|\(kr\)|%)[.,:]?$",
    re.I,
)
_FLAT_ROLE_WORD = re.compile(r"^(?:utfall|budget|avvikelse|prognos|bokslut|andel|period|not)$", re.I)


def _flat_header_columns(text: str) -> tuple[list[str], bool] | None:
    """Column headers of a flattened header line ("Belopp i tkr. Not 2018 2017"), or None if it is not one."""
    tokens = text.split()
    if len(tokens) < 2 or not all(_FLAT_HEADER_TOKEN.match(t) for t in tokens):
        return None
    folded = [fold(t).strip(".,:") for t in tokens]
    note = "not" in folded
    columns: list[list[str]] = []
    pending: list[str] = []
    for tok, f in zip(tokens, folded, strict=True):
        if f in ("belopp", "i", "1", "l", "tkr", "kr", "mkr", "mnkr", "not", "(tkr)", "(kr)") or re.match(
            r"^[-–|=~]+$", f
        ):
            continue
        if re.match(r"^[-–]?(?:19|20)\d\d", f) or _FLAT_ROLE_WORD.match(f):
            columns.append(pending + [tok.lstrip("-–")])
            pending = []
        elif re.match(r"^(?:jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec)", f) and columns:
            columns[-1].append(tok)  # a period qualifies the column before it
        else:
            pending.append(tok)  # a modifier ("Aktuell") qualifies the column after it
    if pending and columns:
        columns[-1].extend(pending)
    if not columns:
        return None
    return [" ".join(c) for c in columns], note


def _flat_row(text: str, ncols: int, note: bool = False) -> tuple[str, list[str]] | None:
    label, numbers = split_number_tail(text, ncols, note_column=note)
    if not numbers or not re.search(r"[A-Za-zÅÄÖåäö]", label):
        return None
    return label, numbers


def _flat_blocks(lines: list[DocLine], taken: set[int]) -> list[Block]:
    """Tables whose layout was flattened to plain lines (OCR text, some PDF text layers)."""
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        ln = lines[i]
        parsed = None if (i in taken or ln.blank or ln.tabular) else _flat_header_columns(ln.text)
        if not parsed:
            i += 1
            continue
        columns, note = parsed
        header = [i]
        j = i + 1
        # a second header line of dates/years under the first ("2018-12-31 2018 2018-12-31")
        while j < len(lines) and lines[j].blank:
            j += 1
        if j < len(lines) and j not in taken and not lines[j].tabular:
            second = _flat_header_columns(lines[j].text)
            if second and len(second[0]) == len(columns):
                columns = [f"{a} {b}" for a, b in zip(columns, second[0], strict=True)]
                header.append(j)
                note = note or second[1]
                j += 1
            elif second:
                header.append(j)
                note = note or second[1]
                j += 1
        rows: list[int] = []
        misses = 0
        while j < len(lines) and j not in taken and not lines[j].tabular:
            t = lines[j].text.strip()
            if not t:
                j += 1
                continue
            if _flat_header_columns(t) or NOTE_TITLE.match(t) or re.match(r"^\d+\.\s+[A-ZÅÄÖ]", t):
                break
            if _flat_row(t, len(columns)):
                rows.append(j)
                misses = 0
            elif len(t.split()) <= 8 and misses < 3:
                rows.append(j)  # a section heading or the tail of a wrapped label
                misses += 1
            else:
                break
            j += 1
        while rows and not _flat_row(lines[rows[-1]].text, len(columns)):
            rows.pop()
        if sum(1 for r in rows if _flat_row(lines[r].text, len(columns))) >= 2:
            blocks.append(Block(i, rows[-1] + 1, header, rows, True, columns, note))
            i = rows[-1] + 1
        else:
            i += 1
    return blocks


_PLAIN_FIGURE = re.compile(r"^[-\u2212\u2013(]?\d{1,3}(?:,\d+)?%?\)?$|^[-\u2212\u2013]$")


def _plain_figures(text: str) -> int:
    """How many small whole figures end the line, each its own token ("Kvinnor 368 270 126 134" -> 4),
    provided a label with letters comes first; 0 otherwise."""
    tokens = text.split()
    n = 0
    while n < len(tokens) and _PLAIN_FIGURE.match(tokens[-1 - n]):
        n += 1
    label = " ".join(tokens[: len(tokens) - n])
    return n if n >= 2 and re.search(r"[A-Za-zÅÄÖåäö]{2}", label) else 0


def _flat_row_blocks(lines: list[DocLine], taken: set[int], settings: TableSettings) -> list[Block]:
    """Flattened tables with no readable header: three or more lines in a row that each end in the same
    number of small figures ("Kvinnor 34 10 47 36" / "Män 33 12 33 37" / "Totalt 68 22 81 75")."""
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        ln = lines[i]
        n = 0 if (i in taken or ln.blank or ln.tabular) else _plain_figures(ln.text)
        if not n:
            i += 1
            continue
        rows, j = [i], i + 1
        while j < len(lines) and j not in taken and not lines[j].tabular:
            if lines[j].blank:
                j += 1
                continue
            if _plain_figures(lines[j].text) != n:
                break
            rows.append(j)
            j += 1
        if len(rows) >= settings.flat_min_rows:
            # the line above is their header when it has one word per column ("Arbete Studier Arbetssökande Annan")
            k = i - 1
            while k >= 0 and lines[k].blank and k not in taken:
                k -= 1
            words = lines[k].text.split() if k >= 0 and k not in taken and not lines[k].tabular else []
            if len(words) == n and not any(_is_value_text(w) for w in words):
                blocks.append(Block(k, rows[-1] + 1, [k], rows, True, words, False))
            else:
                blocks.append(Block(i, rows[-1] + 1, [], rows, True, [""] * n, False))
            i = rows[-1] + 1
        else:
            i += 1
    return blocks


# ---------------------------------------------------------------------------------------------------------------
# Titles, units, kinds


def _clean_title(text: str) -> str:
    text = _SECTION_NUMBER.sub("", text.strip())
    return re.sub(r"\s+", " ", text).strip(" :.\t")


def _caption_above(lines: list[DocLine], start: int, settings: TableSettings) -> list[str]:
    """Heading-like lines above a table, nearest first (prose paragraphs, key: value lines and footnotes skipped)."""
    found: list[str] = []
    seen = 0
    i = start - 1
    while i >= 0 and seen < settings.title_lookback:
        ln = lines[i]
        i -= 1
        if ln.blank:
            continue
        if ln.tabular:
            break
        seen += 1
        t = ln.text.strip()
        if _KEY_VALUE_LINE.match(t) or re.match(r"^[\u00b9\u00b2\u00b3\u2070-\u209f*]", t):
            continue
        words = len(t.split())
        if words <= settings.title_max_words or (
            seen == 1 and words <= settings.caption_max_words and not t.endswith((".", ":", "!", "?"))
        ):
            if not _DOT_LEADER.search(t):
                found.append(t)
        elif NOTE_TITLE.match(t):
            found.append(t)
    if not found:  # only prose right above: the section heading further up names the table
        while i >= 0 and seen < settings.heading_lookback:
            ln = lines[i]
            i -= 1
            if ln.blank:
                continue
            if ln.tabular:
                break
            seen += 1
            t = ln.text.strip()
            if len(t.split()) <= settings.heading_max_words and not t.endswith((".", ",")):
                return [t]
    return found


def _title_and_note(header_first: str, captions: list[str]) -> tuple[str, int | None, str]:
    """(title, note number, caption text searched for kind and unit)."""
    for cap in captions[:2]:
        m = NOTE_TITLE.match(cap)
        if m and (m.group(2) or "").strip():
            return _clean_title(m.group(2)), int(m.group(1)), cap
    # a statement heading a few lines up, past footnotes and "Period:" lines ("BALANSRAPPORT")
    for cap in captions:
        if len(cap.split()) <= 6 and _statement_kind(cap):
            return _clean_title(cap), None, cap
    first = header_first.strip()
    if (
        first
        and not is_label_header(first)
        and not re.match(r"^[-–]?(?:19|20)\d\d", first)
        and not re.search(RESPONDENT_GROUP, first)
    ):
        return _clean_title(first), None, " ".join([first] + captions[:1])
    if captions:
        return _clean_title(captions[0]), None, " ".join(captions[:2])
    return _clean_title(first) or "Tabell", None, first


def _statement_kind(text: str) -> str | None:
    folded = fold(text)
    for pattern, kind in STATEMENT_TITLES:
        if re.search(pattern, folded):
            return kind
    return None


@dataclass
class TableFacts:
    """What a table's kind is decided from: its caption, column headers and roles, and its rows."""

    title: str
    caption: str
    note: int | None
    columns: list[Column]
    rows: list[Row]

    @property
    def headers(self) -> str:
        return fold(" ".join(c.header for c in self.columns))

    @property
    def context(self) -> str:
        return fold(f"{self.title} {self.caption}")

    @property
    def roles(self) -> set[str]:
        return {c.role for c in self.columns}

    def says(self, pattern: str) -> bool:
        return bool(re.search(pattern, self.headers) or re.search(pattern, self.context))

    @property
    def text_rows(self) -> int:
        return sum(1 for r in self.rows if r.values and all(v.value is None for v in r.values.values()))

    @property
    def member_row_count(self) -> int:
        """Rows that name a member's contribution (Staten, Regionen, X kommun)."""
        return sum(
            1
            for r in self.rows
            if not r.is_total
            and r.label
            and (canonical_for(r.label, "member_contributions") or "").startswith("member_contri")
        )

    @property
    def member_rows(self) -> bool:
        """Most rows name a member's contribution."""
        labelled = [r for r in self.rows if not r.is_total and r.label]
        return bool(labelled) and self.member_row_count >= max(2, 0.6 * len(labelled))


# Table kinds in the order they are tried: the first rule that holds decides. A new layout's wording goes into
# the patterns above (STATEMENT_TITLES, SURVEY_WORDS, …) rather than into new rules.
KIND_RULES: tuple[tuple[str | None, Callable[[TableFacts], object]], ...] = (
    ("note", lambda f: f.note is not None),
    (None, lambda f: _statement_kind(f.title) or _statement_kind(f.caption)),  # the statement it names
    ("survey", lambda f: f.says(SURVEY_WORDS)),
    ("goals", lambda f: "target" in f.roles and f.text_rows >= max(1, len(f.rows) // 2)),
    ("participants", lambda f: _counts_people(f.title, f.caption, [c.header for c in f.columns], f.rows)),
    # the rows name the members, or the title or headers name their contributions, or the caption does over
    # rows of which some are members (a caption may mention medlemsbidrag beside a budget or a plan)
    (
        "member_contributions",
        lambda f: f.member_rows
        or re.search(MEMBER_WORDS, f.headers)
        or re.search(MEMBER_WORDS, fold(f.title))
        or (f.says(MEMBER_WORDS) and f.member_row_count >= 2),
    ),
    ("budget_outcome", lambda f: "variance" in f.roles or {"actual", "budget"} <= f.roles),
    ("budget", lambda f: "budget" in f.roles or "forecast" in f.roles),
)


def _table_kind(title: str, caption: str, note: int | None, columns: list[Column], rows: list[Row]) -> str:
    """The kind of a table, from its caption, its columns and its rows — the first rule in KIND_RULES wins."""
    facts = TableFacts(title, caption, note, columns, rows)
    for kind, rule in KIND_RULES:
        hit = rule(facts)
        if hit:
            return kind or hit
    return "other"


def _table_unit(columns: list[Column], caption: str, header_first: str) -> str | None:
    col_units = {c.unit for c in columns if c.unit}
    text_unit = header_unit(header_first) or header_unit(caption)
    if text_unit in ("percent",):
        text_unit = None
    money = {u for u in col_units if u in ("kr", "tkr", "mkr")}
    other = col_units - money
    if len(money) > 1 or (money and other) or (text_unit and other):
        return "mixed"
    if money:
        return next(iter(money))
    if text_unit:
        return text_unit
    if other == {"count"}:
        return "count"
    if other == {"percent"}:
        return "percent"
    if other:
        return "mixed"
    return None


# ---------------------------------------------------------------------------------------------------------------
# Rows


def clean_label(label: str) -> str:
    """The label without footnote marks and doubled spaces ("S:a Rörelsens intäkter³" -> "S:a Rörelsens intäkter")."""
    return re.sub(r"\s+", " ", _FOOTNOTE_MARKS.sub("", label or "")).strip()


def _value(raw: str, expected_decimals: int | None) -> Value | None:
    raw = raw.strip()
    if not raw:
        return None
    parsed: ParsedNumber | None = parse_number(raw)
    if parsed is None:
        return Value(raw=raw, value=None, uncertain=bool(re.search(r"\d", raw)))
    uncertain = parsed.irregular or (
        expected_decimals is not None and expected_decimals > 0 and not parsed.nil and parsed.decimals == 0
    )
    return Value(raw=raw, value=parsed.value, uncertain=uncertain)


def _is_total(label: str, first_valued: bool) -> bool:
    label = fold(label)
    if not label or NON_TOTAL_LABEL.match(label):
        return False
    if re.match(r"^\s*(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d\s*$", label):
        return True  # "2011-2016" under yearly rows
    if first_valued and re.search(r"resultat", label, re.I):
        return False  # a cash-flow statement starts from the result: an input, not a sum
    return bool(TOTAL_LABEL.match(label))


@dataclass
class RawRow:
    """One table line before interpretation: its label cell, figure cells (one per column), Not reference."""

    label: str
    cells: list[str]
    note_ref: int | None
    page: int
    quality: list[CellQuality] | None = None  # per figure cell, for positioned (PDF/OCR) input


# Words a wrapped label line can end on: the label goes on below ("… funktionsnedsättning -" / "Framtidsmodellen").
DANGLING_ENDS = (
    "-",
    "–",
    ",",
    "/",
    "&",
    "och",
    "för",
    "av",
    "i",
    "med",
    "till",
    "på",
    "samt",
    "eller",
    "inkl",
    "från",
    "vid",
    "om",
    "inom",
    "mellan",
    "efter",
    "under",
    "per",
)


def _dangling(label: str) -> bool:
    words = label.split()
    return bool(words) and (label.endswith(DANGLING_ENDS[:5]) or words[-1].casefold() in DANGLING_ENDS[5:])


def _build_rows(
    raw_rows: list[RawRow],
    columns: list[Column],
    kind_hint: str | None,
    title: str,
) -> list[Row]:
    """Rows from raw table lines: sections, sub-rows, totals, uncertain figures."""
    decimals: dict[int, int] = {}
    for raw in raw_rows:
        for i, c in enumerate(raw.cells):
            p = parse_number(c)
            if p and not p.nil:
                decimals[i] = max(decimals.get(i, 0), p.decimals)
    # the usual precision of each column: a figure without decimals in a one-decimal column is suspect
    precision: dict[int, int] = {}
    for i in decimals:
        counts = Counter(
            parse_number(raw.cells[i]).decimals  # type: ignore[union-attr]
            for raw in raw_rows
            if i < len(raw.cells) and parse_number(raw.cells[i]) and not parse_number(raw.cells[i]).nil  # type: ignore[union-attr]
        )
        precision[i] = counts.most_common(1)[0][0] if counts else 0
    rows: list[Row] = []
    section: str | None = None
    heading_index: int | None = None
    seen_valued = False
    dashed = False  # the current heading's rows are "- " sub-rows
    for raw in raw_rows:
        label_raw, cells, note_ref, page = raw.label, raw.cells, raw.note_ref, raw.page
        label = clean_label(label_raw)
        values: dict[str, Value] = {}
        for i, cell in enumerate(cells[: len(columns)]):
            v = _value(cell, precision.get(i))
            if v is not None:
                q = raw.quality[i] if raw.quality and i < len(raw.quality) else None
                if q is not None:
                    v.repaired = q.repaired
                    v.uncertain = (
                        v.uncertain
                        or q.raw is not None
                        or (q.conf is not None and q.conf < SETTINGS.low_confidence)
                    )
                    v.raw = q.raw or v.raw
                values[columns[i].key] = v
        if (
            not values
            and label
            and rows
            and rows[-1].values
            and (label[:1].islower() or _dangling(rows[-1].label))
        ):
            rows[-1].label = f"{rows[-1].label} {label}"  # the wrapped tail of the previous label
            rows[-1].label_raw = f"{rows[-1].label_raw} {label_raw.strip()}"
            continue
        if values and label[:1].islower() and rows and not rows[-1].values and not rows[-1].is_total:
            prev = rows.pop()  # a label wrapped before its figures: the heading line was its first part
            label, label_raw = f"{prev.label} {label}", f"{prev.label_raw} {label_raw.strip()}"
            heading_index, section = (None, None) if heading_index == len(rows) else (heading_index, section)
        is_total = _is_total(label, not seen_valued) if values else False
        seen_valued = seen_valued or bool(values)
        level, parent = 0, None
        if re.match(r"^[-–•]\s*\S", label) and heading_index is not None:
            level, parent = 1, heading_index
            dashed = True
        elif dashed:  # the first row after "- " sub-rows is back at the top level
            heading_index, section, dashed = None, None, False
        row = Row(
            label=label,
            label_raw=label_raw.strip(),
            values=values,
            is_total=is_total,
            level=level,
            parent=parent,
            section=section if (values or level) else None,
            note_ref=note_ref,
            page=page,
        )
        row.canonical = _canonical(row, kind_hint, title)
        if not values and label and not _is_total(label, False):
            heading_index, section, dashed = len(rows), label, False
        elif is_total and section and fold(label).endswith(fold(section)):
            heading_index, section = None, None  # "S:a fordringar" closes the "Fordringar" section
        rows.append(row)
    _mark_sums(rows)
    return rows


def _mark_sums(rows: list[Row]) -> None:
    """A row whose every figure is the sum of the two or more rows above it (back to the previous total or
    heading) is a total even when its label does not say so ("Intäkter", "Kostnader")."""
    start = 0
    for i, row in enumerate(rows):
        if not row.values:
            start = i + 1
            continue
        parts = [r for r in rows[start:i] if r.values]
        if (
            not row.is_total
            and len(parts) >= 2
            and all(
                v.value is not None
                and abs(sum((p.values[k].value or 0.0) for p in parts if k in p.values) - v.value) < 0.005
                and sum(1 for p in parts if k in p.values) >= 2
                for k, v in row.values.items()
            )
        ):
            row.is_total = True
        if row.is_total:
            start = i + 1


def _canonical(row: Row, kind: str | None, title: str) -> str | None:
    if not row.label or not row.values:
        return None  # a heading names a group of rows, not a figure
    bare = fold(clean_label(row.label)).strip(" .:") in ("summa", "totalt", "total", "s:a")
    if bare:
        return canonical_for(row.label, kind, section=row.section or title)
    return canonical_for(row.label, kind, section=row.section)


# ---------------------------------------------------------------------------------------------------------------
# Building tables from blocks


@dataclass
class CellQuality:
    """How far a cell's text can be trusted: OCR confidence and whether repair rewrote a word."""

    conf: float | None = None
    repaired: bool = False
    raw: str | None = None  # the text as read, when cleaning changed it

    def join(self, other: CellQuality) -> CellQuality:
        confs = [c for c in (self.conf, other.conf) if c is not None]
        raws = [r for r in (self.raw, other.raw) if r]
        return CellQuality(
            min(confs) if confs else None, self.repaired or other.repaired, " ".join(raws) or None
        )


def _cell_quality(ln: DocLine, n: int) -> CellQuality:
    if ln.line is None or not ln.positioned or ln.sources is None or n >= len(ln.sources):
        return CellQuality()
    source = ln.sources[n]
    if source is None or source >= len(ln.line.cells):
        return CellQuality()
    words = ln.line.cells[source].words
    confs = [w.conf for w in words if w.conf is not None]
    cleaned = bool(ln.raws) and ln.raws[n] != ln.cells[n]
    return CellQuality(
        min(confs) if confs else None,
        cleaned or any(w.raw is not None for w in words),
        ln.raws[n] if cleaned and ln.raws else None,
    )


_FRAGMENT_HEAD = re.compile(r"^[-−–(]?\d{1,4}$")
_FRAGMENT_TAIL = re.compile(r"^\d{3}(?:,\d+)?\)?$")


def _merged_fragments(
    ln: DocLine, columns: list[FigureColumn] | None = None
) -> list[tuple[str, tuple[float, float], CellQuality]]:
    """The line's cells with figure fragments that a gap split ("1880" "939") joined back together: when the
    gap is narrow, or when the first fragment ends nowhere near a figure column but the second does."""
    out: list[tuple[str, tuple[float, float], CellQuality]] = []
    for n, (text, span) in enumerate(zip(ln.cells, ln.spans, strict=False)):
        quality = _cell_quality(ln, n)
        if (
            n == 0
            and columns
            and text
            and any(c.ends_in(span) for c in columns)
        ):
            head = _split_label_figure(ln, text, span)
            if head:  # a label run into its first figure ("Summa 1 234") over a figure column
                out.append((head[0], head[1], quality))
                text, span = head[2], head[3]
        if n > 1 and out and _FRAGMENT_TAIL.match(text) and _FRAGMENT_HEAD.match(out[-1][0]):
            prev_text, prev_span, prev_q = out[-1]
            char = (prev_span[1] - prev_span[0]) / max(1, len(prev_text))
            # a text layer keeps a figure's thousands spaces inside its cell: a wider gap there is a
            # column gap, however narrow the columns; OCR splits figures at wider gaps
            gap = SETTINGS.fragment_gap if ln.ocr else SETTINGS.text_fragment_gap
            narrow = span[0] - prev_span[1] <= gap * max(char, 1.0)
            stray = bool(columns) and not any(c.aligns(prev_span) for c in columns or [])
            if narrow or stray:
                out[-1] = (f"{prev_text} {text}", (prev_span[0], span[1]), prev_q.join(quality))
                continue
        out.append((text, span, quality))
    return out


def _split_label_figure(
    ln: DocLine, text: str, span: tuple[float, float]
) -> tuple[str, tuple[float, float], str, tuple[float, float]] | None:
    """(label, its span, figure, its span) when a first cell ends in a figure, else None."""
    label, figures = split_number_tail(text, 1)
    if not figures or not re.search(r"[A-Za-zÅÄÖåäö]", label):
        return None
    words = ln.line.cells[0].words if ln.line is not None and ln.line.cells else []
    n_fig = len(figures[0].split())
    if len(words) > n_fig and " ".join(w.text for w in words[-n_fig:]) == figures[0]:
        lab, fig = words[:-n_fig], words[-n_fig:]
        return label, (lab[0].x0, lab[-1].x1), figures[0], (fig[0].x0, fig[-1].x1)
    return None


def _join_wrapped(parts: list[str]) -> str:
    """A header wrapped over several lines, joined: "Utfall jan-" + "aug" -> "Utfall jan-aug", and a word
    that a narrow column broke without a hyphen made whole again: "Deltag" + "are" -> "Deltagare"."""
    out = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        hyphen = out.endswith(("-", "–", "/")) and not out.endswith((" -", " /"))
        out = f"{out}{part}" if hyphen or _broken_word(out, part) else f"{out} {part}"
    return out.strip()


_WORD_END = re.compile(r"([^\W\d_]+)$")
_WORD_START = re.compile(r"^([^\W\d_]+)")


def _broken_word(left: str, right: str) -> bool:
    """The end of `left` and the start of `right` are one word broken in two: the whole is a known word,
    more common than its rarer part (so "Budget" + "avvikelse" stay two words, "Deltag" + "are" join)."""
    a, b = _WORD_END.search(left), _WORD_START.match(right)
    if not a or not b or not b.group(1).islower():
        return False
    from parsers.lexicon import default_lexicon

    lexicon = default_lexicon()
    head, tail = a.group(1).lower(), b.group(1)
    whole = lexicon.listed(head + tail.lower())
    return whole > 0 and whole > min(lexicon.listed(head), lexicon.listed(tail.lower()))


def _spread_words(ln: DocLine, n: int, columns: list[FigureColumn]) -> list[tuple[int, str]] | None:
    """A header cell that stretches over several figure columns (right-aligned header words run together by
    the cell splitter: "Andel (%) Medlemsavgift Medlemsavgift"): its words dealt out to the nearest columns."""
    if ln.line is None or not columns:
        return None
    offset = len(ln.cells) - len(ln.line.cells)
    if not 0 <= n - offset < len(ln.line.cells):
        return None
    words = ln.line.cells[n - offset].words
    x0, x1 = ln.spans[n]
    covered = [c for c in columns if x0 < c[1] - 1 and c[1] <= x1 + SETTINGS.column_tolerance]
    if len(covered) < 2 or not words:
        return None

    out: list[tuple[int, str]] = []
    for w in words:
        k = header_column((w.x0, w.x1), columns)
        if out and out[-1][0] == k:
            out[-1] = (k, f"{out[-1][1]} {w.text}")
        else:
            out.append((k, w.text))
    return out


def _positioned_cells(
    ln: DocLine, columns: list[FigureColumn], label_right: float
) -> tuple[list[str], list[CellQuality]]:
    """PDF/OCR: put a line's cells into the label column and the figure columns by x position — figures by
    their right edge (they are right-aligned), headers by alignment; two fragments of one figure split by a
    gap ("1880" "939") are joined back first."""
    out = [""] * (len(columns) + 1)
    quality = [CellQuality() for _ in out]
    for n, (text, (x0, x1), q) in enumerate(_merged_fragments(ln, columns)):
        if not text:
            continue
        if x1 <= label_right + 1 or (n == 0 and x0 < label_right and not parse_number(text)):
            k = 0
        elif parse_number(text) is not None:
            if (spread := _spread_figures(ln, (x0, x1), columns)) is not None:
                for c, figure in spread:
                    out[1 + c] = figure
                    quality[1 + c] = quality[1 + c].join(q)
                continue
            k = 1 + column_of((x0, x1), columns)
        elif (spread := _spread_words(ln, n, columns)) is not None:
            for c, words in spread:
                out[1 + c] = f"{out[1 + c]} {words}".strip()
            continue
        else:
            k = 1 + header_column((x0, x1), columns)
        out[k] = f"{out[k]} {text}".strip()
        quality[k] = quality[k].join(q)
    return out, quality


class FigureColumn(NamedTuple):
    """A figure column of a positioned table: its x extent and how its figures are aligned."""

    x0: float
    x1: float
    aligned: str = "right"  # "right", "left" or "center"

    @classmethod
    def of(cls, spans: list[tuple[float, float]]) -> FigureColumn:
        spreads = {
            "right": _spread([s[1] for s in spans]),
            "left": _spread([s[0] for s in spans]),
            "center": _spread([(s[0] + s[1]) / 2 for s in spans]),
        }
        aligned = min(spreads, key=lambda k: (spreads[k], k != "right"))
        return cls(min(s[0] for s in spans), max(s[1] for s in spans), aligned)

    def aligns(self, span: tuple[float, float]) -> bool:
        """A span stands where this column's figures stand (by the column's own alignment)."""
        tol = SETTINGS.column_tolerance
        if self.aligned == "left":
            return abs(span[0] - self.x0) <= tol
        if self.aligned == "center":
            return abs((span[0] + span[1]) / 2 - (self.x0 + self.x1) / 2) <= tol
        return abs(span[1] - self.x1) <= tol

    def ends_in(self, span: tuple[float, float]) -> bool:
        """A span (a label run into its first figure) ends where this column's figures end."""
        if self.aligned == "right":
            return abs(span[1] - self.x1) <= SETTINGS.column_tolerance
        return self.x0 < span[1] <= self.x1 + SETTINGS.column_tolerance


def _spread(values: list[float]) -> float:
    return max(values) - min(values) if values else 0.0


def _overlap_clusters(figures: list[tuple[int, tuple[float, float]]]) -> list[list[tuple[float, float]]] | None:
    """Spans grouped by horizontal overlap; None when a group would hold two figures of the same line."""
    clusters: list[list[tuple[float, float]]] = []
    rows: list[set[int]] = []
    right = float("-inf")
    for line, span in sorted(figures, key=lambda f: f[1][0]):
        if clusters and span[0] < right:
            if line in rows[-1]:
                return None
            clusters[-1].append(span)
            rows[-1].add(line)
            right = max(right, span[1])
        else:
            clusters.append([span])
            rows.append({line})
            right = span[1]
    return clusters


def _without_run_together(
    figures: list[tuple[int, tuple[float, float]]],
) -> list[tuple[int, tuple[float, float]]]:
    """The figures less those that span two or more columns of the others: the figures of a row set too
    tight for the cell splitter ("8 684 000 13 120 000"), which are dealt out by their words later."""
    if len(figures) < 4:
        return figures
    widths = sorted(b - a for _, (a, b) in figures)
    wide = 2.0 * widths[len(widths) // 2]
    narrow = [f for f in figures if f[1][1] - f[1][0] <= wide]
    clusters = _overlap_clusters(narrow)
    if clusters is None:
        return figures
    extents = [(min(a for a, _ in c), max(b for _, b in c)) for c in clusters]

    def spans_columns(span: tuple[float, float]) -> bool:
        return sum(1 for a, b in extents if min(span[1], b) - max(span[0], a) > 0) >= 2

    return [f for f in figures if f[1][1] - f[1][0] <= wide or not spans_columns(f[1])]


def _spread_figures(
    ln: DocLine, span: tuple[float, float], columns: list[FigureColumn]
) -> list[tuple[int, str]] | None:
    """A cell over two or more figure columns whose words are figures ("8 684 000 13 120 000"): its words
    dealt out to the columns they stand in, or None when it is one column's figure."""
    if ln.line is None or len(columns) < 2:
        return None
    words = [w for w in ln.line.words if span[0] - 0.5 <= (w.x0 + w.x1) / 2 <= span[1] + 0.5]
    groups: dict[int, list[str]] = {}
    for w in sorted(words, key=lambda w: w.x0):
        groups.setdefault(column_of((w.x0, w.x1), columns), []).append(w.text)
    if len(groups) < 2:
        return None
    out = [(k, " ".join(texts)) for k, texts in sorted(groups.items())]
    return out if all(parse_number(text) is not None for _, text in out) else None


def _right_edge_clusters(spans: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    clusters: list[list[tuple[float, float]]] = []
    for span in sorted(spans, key=lambda s: s[1]):
        if clusters and span[1] - clusters[-1][-1][1] <= SETTINGS.column_tolerance:
            clusters[-1].append(span)
        else:
            clusters.append([span])
    return clusters


def header_zones(columns: list[FigureColumn]) -> list[tuple[float, float]]:
    """Where each column's header words stand, by the column's alignment: a right-aligned header runs left
    of its figures up to the column before, a left-aligned one right up to the next, a centred one halfway
    either way."""
    zones = []
    for i, c in enumerate(columns):
        before = columns[i - 1].x1 if i else float("-inf")
        after = columns[i + 1].x0 if i + 1 < len(columns) else float("inf")
        if c.aligned == "left":
            zones.append((c.x0 - SETTINGS.column_tolerance, after))
        elif c.aligned == "center":
            zones.append(((before + c.x0) / 2, (c.x1 + after) / 2))
        else:
            zones.append((before, c.x1 + SETTINGS.column_tolerance))
    return zones


def header_column(span: tuple[float, float], columns: list[FigureColumn]) -> int:
    """The column a header word or cell belongs to: the one whose header zone holds its centre (the
    nearest right edge, centre or left edge when no zone, or more than one, does)."""
    mid = (span[0] + span[1]) / 2
    holding = [k for k, (a, b) in enumerate(header_zones(columns)) if a <= mid <= b]
    if len(holding) == 1:
        return holding[0]

    def distance(k: int) -> float:
        c = columns[k]
        return min(abs(c.x1 - span[1]), abs((c.x0 + c.x1) / 2 - mid), abs(c.x0 - span[0]))

    return min(holding or range(len(columns)), key=distance)


def column_of(span: tuple[float, float], columns: list[FigureColumn]) -> int:
    """The column a figure belongs to: the one its span overlaps most, else the nearest."""

    def overlap(c: tuple[float, float]) -> float:
        return min(span[1], c[1]) - max(span[0], c[0])

    best = max(range(len(columns)), key=lambda k: overlap(columns[k]))
    if overlap(columns[best]) > 0:
        return best
    return min(range(len(columns)), key=lambda k: -overlap(columns[k]))


def _figure_columns(lines: list[DocLine], block: Block) -> tuple[list[FigureColumn], float]:
    """Figure columns of a positioned block as x extents, and the right edge of the label column. Figures
    whose spans overlap are one column, however the column is aligned (right, left or centred); where that
    would put two figures of one line together (columns set too tight), right edges decide instead."""
    figures: list[tuple[int, tuple[float, float]]] = []
    label_right = 0.0
    for r in block.rows:
        for k, (text, span, _) in enumerate(_merged_fragments(lines[r])):
            if k > 0 and parse_number(text) is not None:
                figures.append((r, span))
            elif k == 0 and text:
                label_right = max(label_right, span[1]) if parse_number(text) is None else label_right
    clusters = _overlap_clusters(_without_run_together(figures))
    if clusters is None:
        clusters = _right_edge_clusters([span for _, span in figures])
    if len(block.rows) >= 3:  # a lone stray edge is a split figure's fragment, unless a header stands over it
        heads = [
            span
            for h in block.header
            for span, text in zip(lines[h].spans, lines[h].cells, strict=False)
            if text
        ]

        def headed(c: list[tuple[float, float]]) -> bool:
            x0, x1 = min(s[0] for s in c), max(s[1] for s in c)
            return any(
                abs(h1 - x1) <= SETTINGS.column_tolerance or h0 <= (x0 + x1) / 2 <= h1 for h0, h1 in heads
            )

        strong = [c for c in clusters if len(c) >= 2 or headed(c)]
        clusters = strong or clusters
    columns = [FigureColumn.of(c) for c in clusters]
    if columns:
        label_right = min(label_right, columns[0].x0 - 1)
    return columns, label_right


def _table_from_block(
    lines: list[DocLine], block: Block, ctx: DocContext, settings: TableSettings
) -> Table | None:
    captions = _caption_above(lines, block.start, settings)
    unit_text = ""
    if block.flat:
        header_first = ""
        unit_text = " ".join(lines[h].text for h in block.header)
        headers = block.flat_columns
        ncols = len(headers)
        raw_rows: list[RawRow] = []
        for r in block.rows:
            parsed = _flat_row(lines[r].text, ncols, block.flat_note)
            if parsed is None:
                raw_rows.append(RawRow(lines[r].text, [], None, lines[r].page))
                continue
            label, numbers = parsed
            note_ref = None
            if block.flat_note:
                m = re.match(r"^(.*\S)\s+(\d{1,2})$", label)
                if m and int(m.group(2)) <= settings.note_max:
                    label, note_ref = m.group(1), int(m.group(2))
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
            columns_x, label_right = _figure_columns(lines, block)
            if not columns_x:
                return None
            ncells = len(columns_x) + 1
            placed = {i: _positioned_cells(lines[i], columns_x, label_right) for i in all_lines}
            cell_rows = {i: cells for i, (cells, _) in placed.items()}
            qualities = {i: q for i, (_, q) in placed.items()}
        else:
            cell_rows = {i: lines[i].cells + [""] * (ncells - len(lines[i].cells)) for i in all_lines}
            qualities = {}
        texts = [_join_wrapped([cell_rows[h][k] for h in block.header]) for k in range(ncells)]
        header_first = texts[0]
        value_headers = texts[1:]
        note_col = next((k for k, h in enumerate(value_headers) if NOTE_HEADER.match(fold(h))), None)
        headers = [h for k, h in enumerate(value_headers) if k != note_col]
        raw_rows = []
        for r in block.rows:
            cells = cell_rows[r]
            values = cells[1:]
            quality = qualities.get(r, [])[1:] or None
            note_ref = None
            if note_col is not None and note_col < len(values):
                m = re.match(r"^\s*(?:not\s*)?(\d{1,2})\b", values[note_col], re.I)
                note_ref = int(m.group(1)) if m else None
                values = values[:note_col] + values[note_col + 1 :]
                if quality:
                    quality = quality[:note_col] + quality[note_col + 1 :]
            m = NOTE_IN_LABEL.search(cells[0]) if note_ref is None else None
            note_ref = int(m.group(1)) if m else note_ref
            raw_rows.append(RawRow(cells[0], values, note_ref, lines[r].page, quality))
    if not raw_rows:
        return None
    title, note_number, caption = _title_and_note(header_first, captions)
    kind_hint = _kind_hint(title, caption, headers)
    if re.search(RESPONDENT_GROUP, fold(header_first)):
        raw_rows.insert(0, RawRow(header_first, [], None, raw_rows[0].page))  # the first group heads its rows
    columns = build_columns(headers, ctx, kind_hint)
    rows = _build_rows(raw_rows, columns, None, title)
    numeric = sum(1 for r in rows for v in r.values.values() if v.value is not None)
    if numeric == 0 and not any(header_role(h) == "target" for h in headers):
        return None  # a list of names, not a table of figures
    if _is_contents(rows):
        return None
    kind = _table_kind(title, caption, note_number, columns, rows)
    last_valued = max((n for n, r in enumerate(rows) if r.values), default=-1)
    for n, row in enumerate(rows):
        row.canonical = _canonical(row, kind, title)
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
    unit = _table_unit(columns, f"{caption} {' '.join(captions[:2])} {unit_text}", header_first)
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


def _kind_hint(title: str, caption: str, headers: list[str]) -> str | None:
    """Survey and participant tables count things: their yearless columns are not fiscal-year figures."""
    text = fold(" ".join([title, caption] + headers))
    if re.search(SURVEY_WORDS, text):
        return "survey"
    if _counts_people(title, caption, headers):
        return "participants"
    return None


def _counts_people(title: str, caption: str, headers: list[str], rows: list[Row] | None = None) -> bool:
    """A table of participants, known by what it counts whatever its columns' roles: headers that name
    people (deltagare, avslutade, kvinnor/män), or a caption that does over columns of counts — no money
    unit, and (once the rows are read) whole numbers only ("Planerat 2023 | Utfall 2021")."""
    folded_headers = fold(" ".join(headers))
    if re.search(f"{PARTICIPANT_WORDS}|{PEOPLE_HEADERS}", folded_headers):
        return True
    context = fold(f"{title} {caption}")
    if not re.search(PARTICIPANT_WORDS, context):
        return False
    if _counts_only(headers):
        return True
    if any(header_unit(h) in ("kr", "tkr", "mkr") for h in headers + [title, caption]):
        return False
    if any(header_role(h) in ("variance", "forecast") for h in headers):
        return False
    if rows is None:  # the rows are not read yet: counts are told by the caption alone
        return bool(re.search(r"\b(?:antal|planerade|deltagare)\b", context)) and not re.search(
            r"budget|kostnad|intakt", context
        )
    values = [v.value for r in rows for v in r.values.values() if v.value is not None]
    return bool(values) and all(float(v).is_integer() and abs(v) < 100000 for v in values)


def _counts_only(headers: list[str]) -> bool:
    """Headers with no year, money unit or budget word: a table of counts, not of money."""
    return not any(
        header_years(h)
        or header_unit(h) in ("kr", "tkr", "mkr")
        or header_role(h) in ("budget", "forecast", "variance", "actual")
        for h in headers
    )


def _is_contents(rows: list[Row]) -> bool:
    """A table of contents: section numbers or dot leaders with a page number."""
    labelled = [r for r in rows if r.label]
    if not labelled:
        return False
    toc = sum(1 for r in labelled if _DOT_LEADER.search(r.label_raw) or _SECTION_NUMBER.match(r.label_raw))
    single = all(len(r.values) <= 1 for r in rows)
    return single and toc >= 0.5 * len(labelled)


def _continues(lines: list[DocLine], prev: Block, block: Block, settings: TableSettings) -> bool:
    """True when `block` carries on `prev` over a page break or footer: nothing but blank or furniture lines
    between, and either no header of its own or the same header repeated."""
    gap = lines[prev.end : block.start]
    new_page = lines[block.start].page != lines[prev.end - 1].page
    # over a page break, short lines between are the pages' furniture (initials, a running title)
    noise = [ln for ln in gap if not ln.blank and not (new_page and ln.words <= 3 and not ln.tabular)]
    if len(gap) > settings.continuation_gap or noise:
        return False
    if prev.flat or block.flat:
        return False
    if not block.header:
        return True
    if lines[block.start].page == lines[prev.end - 1].page:
        return False  # a header repeats only over a page break; on one page it starts a new table
    a = [fold(c) for h in prev.header for c in lines[h].cells[1:]]
    b = [fold(c) for h in block.header for c in lines[h].cells[1:]]
    return bool(a) and a == b


def _sub_section(lines: list[DocLine], prev: Block, block: Block) -> bool:
    """A block whose header repeats the previous table's column headers with a new first cell (a respondent
    group, a sub-table) right below it: rows of the same table under a new section."""
    gap = lines[prev.end : block.start]
    if any(not ln.blank for ln in gap) or not block.header or not prev.header:
        return False
    a = [clean_header(c) for h in prev.header for c in lines[h].cells[1:] if c]
    b = [clean_header(c) for h in block.header for c in lines[h].cells[1:] if c]
    first = lines[block.header[0]].cells[0]
    same = bool(a) and [fold(x) for x in a] == [fold(x) for x in b]
    return same and bool(first) and not is_label_header(first)


def _merge_blocks(lines: list[DocLine], blocks: list[Block], settings: TableSettings) -> list[Block]:
    merged: list[Block] = []
    for block in sorted(blocks, key=lambda b: b.start):
        if merged and _continues(lines, merged[-1], block, settings):
            merged[-1].rows.extend(block.rows)
            merged[-1].end = block.end
            continue
        if merged and _sub_section(lines, merged[-1], block):
            merged[-1].rows.extend(block.header[:1] + block.rows)  # the group header becomes a section row
            merged[-1].end = block.end
            continue
        merged.append(block)
    return merged


def _split_sub_headers(lines: list[DocLine], block: Block) -> None:
    """Inside a block, a line of header words after the rows (a scale text under a new group) is a section
    row, not a figure row: blank its figure cells so it becomes a heading."""
    if block.flat:
        return
    for r in block.rows:
        ln = lines[r]
        if (
            len(ln.cells) > 1
            and _is_header_cells(ln.cells[1:])
            and not any(parse_number(c) for c in ln.cells[1:])
        ):
            if (
                _text_fraction(ln.cells[1:]) == 1.0
                and block.header
                and _looks_like_header_repeat(lines, block, ln)
            ):
                ln.cells = [ln.cells[0]] + [""] * (len(ln.cells) - 1)


def _looks_like_header_repeat(lines: list[DocLine], block: Block, ln: DocLine) -> bool:
    head = fold(" ".join(c for h in block.header for c in lines[h].cells[1:]))
    this = fold(" ".join(ln.cells[1:]))
    return bool(head) and (head[:12] == this[:12])


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


def _find_blocks(lines: list[DocLine], settings: TableSettings) -> list[Block]:
    blocks = _tab_blocks(lines)
    taken = {i for b in blocks for i in range(b.start, b.end)}
    blocks += _flat_blocks(lines, taken)
    taken = {i for b in blocks for i in range(b.start, b.end)}
    blocks += _flat_row_blocks(lines, taken, settings)
    return _merge_blocks(lines, blocks, settings)


def debug_text(doc: ParsedDocument, settings: TableSettings = SETTINGS) -> str:
    """Every line as the table finder sees it — H header, R row, . outside any table — with its page and
    cells, so a wrong table can be seen rather than guessed at (`python -m extractor.tables FILE`)."""
    lines = _doc_lines(doc, settings)
    marks: dict[int, str] = {}
    for n, block in enumerate(_find_blocks(lines, settings), 1):
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
    lines = _doc_lines(doc, settings)
    blocks = _find_blocks(lines, settings)
    tables: list[Table] = []
    for block in blocks:
        _split_sub_headers(lines, block)
        table = _table_from_block(lines, block, ctx, settings)
        if table is not None:
            tables.append(table)
    _infer_units(tables)
    for n, table in enumerate(tables, 1):
        table.id = f"t{n}"
    return tables


MONEY_KINDS = (
    "resultatrakning",
    "balansrakning",
    "kassaflodesanalys",
    "note",
    "budget",
    "budget_outcome",
    "member_contributions",
)
KRONOR_FLOOR = 1_000_000  # figures this large are kronor: no samordningsförbund counts a thousand Mkr


def _infer_units(tables: list[Table]) -> None:
    """Money tables that print no unit: kronor when the figures are that large, else the unit of the
    statement or note section they stand in (notes follow their statements' "Belopp i kr")."""
    section_unit: str | None = None
    for table in tables:
        if table.kind not in MONEY_KINDS:
            continue
        if table.unit is None:
            figures = [abs(v.value) for r in table.rows for v in r.values.values() if v.value is not None]
            if figures and max(figures) >= KRONOR_FLOOR:
                table.unit = "kr"
            elif table.kind in ("note", "budget_outcome") or table.kind == "kassaflodesanalys":
                table.unit = section_unit
        if table.unit in ("kr", "tkr", "mkr") and table.kind in MONEY_KINDS[:4]:
            section_unit = table.unit


if __name__ == "__main__":  # python -m extractor.tables REPORT: the table finder's view of a report
    import sys
    from pathlib import Path

    from parsers import read_document

    print(debug_text(read_document(Path(sys.argv[1]), ocr="never")))

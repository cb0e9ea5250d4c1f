"""A report text as the blocks a typesetter lays out: headings, paragraphs and tables.

The sweep's producers (reportlab, LibreOffice Writer, Chromium) all start from this one reading of a text
report, so a difference in what finsam extracts from two renderings is the layout's doing, not the reader's.
A run of tab-separated lines is a table; a short line between two runs (initials, a sub-heading) stays
inside it as a label-only row, as it would in the source document. A table's first row is its header when
its cells past the label are words rather than figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

FIGURE = re.compile(
    r"^(?:[-−–(+]?\s*\d[\d\s.,]*\)?\s*(?:%|kr|tkr)?|[-−–—])$"
)  # "1 641", "-20 449,2", "37 %", "-"
_NUMBERED = re.compile(r"^\d+(?:\.\d+)*\.?\s+\S")  # "1.2 Om förbundet", "6 BUDGET 2018"


@dataclass
class Heading:
    text: str
    level: int = 1  # 1 for a chapter, 2 for a section


@dataclass
class Paragraph:
    text: str


@dataclass
class TableBlock:
    """Rows of cells as the source has them; ``header_rows`` leading rows are the header. A header cell
    may hold line breaks ("Utfall\\n2018") where a layout stacks its parts."""

    rows: list[list[str]]
    header_rows: int = 0
    caption: str | None = None  # the line above, when it names the table ("Resultaträkning")
    ncols: int = field(init=False)

    def __post_init__(self) -> None:
        self.ncols = max((len(r) for r in self.rows), default=0)
        self.rows = [r + [""] * (self.ncols - len(r)) for r in self.rows]

    @property
    def body(self) -> list[list[str]]:
        return self.rows[self.header_rows :]

    @property
    def header(self) -> list[list[str]]:
        return self.rows[: self.header_rows]


Block = Heading | Paragraph | TableBlock


def is_figure(cell: str) -> bool:
    return bool(FIGURE.match(cell.strip()))


def line_runs(text: str) -> list[tuple[str, list[str]]]:
    """('table', lines) for runs of tab-separated lines, ('text', [line]) otherwise."""
    runs: list[tuple[str, list[str]]] = []
    pending: list[str] = []  # short lines seen right after a table run
    for line in text.replace("\r\n", "\n").split("\n"):
        if "\t" in line and line.strip():
            if runs and runs[-1][0] == "table":
                runs[-1][1].extend(p for p in pending if p.strip())
            else:
                runs.extend(("text", [p]) for p in pending)
                runs.append(("table", []))
            pending = []
            runs[-1][1].append(line)
        elif runs and runs[-1][0] == "table" and len(pending) < 3 and len(line.split()) <= 2:
            pending.append(line)
        else:
            runs.extend(("text", [p]) for p in pending)
            pending = []
            runs.append(("text", [line]))
    runs.extend(("text", [p]) for p in pending)
    return runs


def _header_rows(rows: list[list[str]]) -> int:
    """1 when the first row's cells past the label are text and some later row has figures."""
    if len(rows) < 2:
        return 0
    first = [c for c in rows[0][1:] if c.strip()]
    if not first or any(is_figure(c) for c in first):
        return 0
    later = any(is_figure(c) for r in rows[1:] for c in r[1:] if c.strip())
    return 1 if later else 0


def _is_header_row(row: list[str]) -> bool:
    cells = [c for c in row[1:] if c.strip()]
    return bool(cells) and not any(is_figure(c) for c in cells)


def _split_tables(rows: list[list[str]]) -> list[list[list[str]]]:
    """A run of rows split where a new header row follows rows with figures (two tables printed one after
    the other, a sub-heading between them); the label-only rows just above a new header go with it."""
    tables: list[list[list[str]]] = [[]]
    seen_figures = False
    for row in rows:
        if seen_figures and _is_header_row(row):
            current = tables[-1]
            k = len(current)
            while k > 0 and not any(c.strip() for c in current[k - 1][1:]):
                k -= 1
            tables[-1], moved = current[:k], current[k:]
            tables.append(moved)
            seen_figures = False
        tables[-1].append(row)
        seen_figures = seen_figures or any(is_figure(c) for c in row[1:] if c.strip())
    return [t for t in tables if t]


def _is_heading(line: str) -> bool:
    words = line.split()
    if not words or len(words) > 12 or len(line) > 90 or line.rstrip().endswith((".", ",", ":", ";")):
        return False
    letters = [c for c in line if c.isalpha()]
    return bool(_NUMBERED.match(line)) or (len(letters) > 3 and line.upper() == line) or len(words) <= 6


def read_report(text: str) -> list[Block]:
    """The blocks of a text report, converter markup removed."""
    from parsers.text import clean_markup

    blocks: list[Block] = []
    for kind, lines in line_runs(clean_markup(text)):
        if kind == "table":
            rows = [[cell.strip() for cell in line.split("\t")] for line in lines if line.strip()]
            for part in _split_tables(rows):
                while len(part) > 1 and not any(c.strip() for c in part[0][1:]) and _is_header_row(part[1]):
                    blocks.append(Heading(part.pop(0)[0], 2))  # a sub-heading between two tables
                caption = None
                if blocks and isinstance(blocks[-1], Heading | Paragraph) and len(blocks[-1].text) < 90:
                    caption = blocks[-1].text
                blocks.append(TableBlock(part, _header_rows(part), caption))
            continue
        line = lines[0].strip()
        if not line:
            continue
        if _is_heading(line):
            blocks.append(Heading(line, 1 if _NUMBERED.match(line) is None or "." not in line[:4] else 2))
        else:
            blocks.append(Paragraph(line))
    return blocks


def title(blocks: list[Block]) -> str:
    """The document's first line (usually the federation's name)."""
    for b in blocks:
        if isinstance(b, Heading | Paragraph):
            return b.text
    return ""

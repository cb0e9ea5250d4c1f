"""Table reading, step 2: blocks, the runs of lines that make one table, with their header and row lines.

This module holds the `Block` and the first finder, `tab_blocks`: lines of aligned cells — tab fields in text
input, gap-separated cells with x positions in PDF and OCR pages — with the header lines at the top. The
finders for flattened layouts are in extractor.flat_blocks; extractor.block_finders tries them all in
order behind one interface (`BLOCK_FINDERS`) and merges blocks over page breaks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractor.columns import is_label_header
from extractor.lines import CHAR_WIDTH, DocLine, dangling, is_header_cells, is_value_text
from extractor.settings import SETTINGS, TableSettings
from extractor.table_kinds import statement_kind
from finsam.text import fold


@dataclass
class Block:
    start: int  # index of the first line (header or row) in the document's lines
    end: int  # index after the last line
    header: list[int] = field(default_factory=list)  # indexes of header lines
    rows: list[int] = field(default_factory=list)  # indexes of row lines (sub-headers included)
    flat: bool = False  # rows are flattened text, figures read off the line end
    flat_columns: list[str] = field(default_factory=list)
    flat_note: bool = False


HEADING_LINE = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?\s+\S|not\s*\d|bilaga\b|tabell\s*\d)|[:]\s*$", re.I)


def _label_row_inside(lines: list[DocLine], j: int, label_x: float) -> bool:
    """Positioned pages have no tabs: a one-cell line ("Tillgångar", "Övrigt") stays inside a table when it
    starts in the label column, is short, is no heading of its own, and a row of cells follows it."""
    seen = 0  # lines read, and of them the labels: a label wrapped over lines counts once
    labels = 0
    for k in range(j, min(j + 8, len(lines))):
        ln = lines[k]
        if ln.tabular:
            return seen > 0
        if ln.blank and ln.positioned:
            continue  # page furniture removed at a page break
        seen += 1
        if ln.blank or not ln.positioned or len(ln.cells) != 1:
            return False
        if ln.words > 10 and not _label_wraps_into_row(lines, k):
            return False
        if ln.spans[0][0] > label_x + 20:
            return False
        if _wraps_on(lines, k):
            continue  # the first part of a wrapped label ("Kassaflöde från" / "investeringsverksamheten")
        labels += 1
        if labels > 3 or HEADING_LINE.search(ln.text) or statement_kind(ln.text):
            return False
    return False


def _label_wraps_into_row(lines: list[DocLine], k: int) -> bool:
    """A long label-only line (a survey's question) that is the first part of the row below, directly or
    over a few more label-only lines (cells aligned at their foot: "Har ni en strategi för hur vi arbetar
    med uppföljning och" / "utvärdering av de samordnade" / "rehabiliteringsinsatserna? | 5,1"): each line
    below goes on in lower case, the row has figures, and they stand right of where every line above
    them ends. A line of prose runs on over the figures' place."""
    parts = [lines[k]]
    for ln in lines[k + 1 : k + 2 + SETTINGS.max_label_tail_lines]:
        if ln.blank:
            continue
        if ln.page != lines[k].page or not ln.cells[0][:1].islower():
            return False
        if ln.tabular and len(ln.cells) >= 2:
            return any(is_value_text(c) for c in ln.cells[1:]) and all(
                p.spans[-1][1] < ln.spans[1][0] for p in parts
            )
        if len(ln.cells) != 1:
            return False
        parts.append(ln)
    return False


def _wraps_on(lines: list[DocLine], k: int) -> bool:
    """A label-only line whose label goes on in the line below: it ends on a word no label ends on, or the
    next line's label starts in lower case."""
    if dangling(lines[k].text):
        return True
    nxt = next((ln for ln in lines[k + 1 : k + 3] if not ln.blank), None)
    return nxt is not None and nxt.page == lines[k].page and nxt.cells[0][:1].islower()


def _tail_of_dangling_label(lines: list[DocLine], j: int, start: int) -> bool:
    """Line j goes on the label of the row right above, which cannot end where it does ("Moms för
    perioden (kvartal | 489 524" over "4 2016)"): the label's tail, however it starts, not a heading."""
    if j <= start or not lines[j].positioned or len(lines[j].cells) != 1:
        return False
    above = lines[j - 1]
    return (
        above.tabular
        and above.page == lines[j].page
        and len(above.cells) >= 2
        and any(c.strip() for c in above.cells[1:])
        and dangling(above.cells[0])
    )


# Words a wrapped label's tail may start with in any case, as no heading does.
TAIL_CONJUNCTIONS = frozenset({"och", "samt", "eller"})


def _goes_on_above(text: str) -> bool:
    """A line that goes on the phrase above it: it starts with a conjunction ("OCH SKULDER")."""
    words = text.split()
    return bool(words) and words[0].casefold() in TAIL_CONJUNCTIONS


def _run_end(lines: list[DocLine], i: int) -> int:
    # where the labels start: a header's empty label cell stands at the page's margin, not in the column
    label_x = min(
        (ln.spans[0][0] for ln in lines[i : i + 6] if ln.tabular and ln.spans and ln.cells[0].strip()),
        default=min((ln.spans[0][0] for ln in lines[i : i + 3] if ln.tabular and ln.spans), default=0.0),
    )
    j = i
    while j < len(lines):
        if (
            lines[j].tabular
            or (lines[j].positioned and _label_row_inside(lines, j, label_x))
            or _tail_of_dangling_label(lines, j, i)
        ):
            j += 1
            continue
        if lines[j].positioned and lines[j].blank:  # over a page break to the rows that continue the table
            k = j
            while k < len(lines) and lines[k].blank:
                k += 1
            # a header split by the break: a few header lines so far and no rows
            header_only = j - i <= 3 and all(
                not ln.tabular or is_header_cells(ln.cells[1:]) for ln in lines[i:j]
            )
            if (
                k < len(lines)
                and k - j <= 6
                and (
                    (
                        lines[k].tabular
                        and (
                            (header_only and not lines[k].cells[0])  # the header's wrapped second line
                            or not is_header_cells(lines[k].cells[1:])
                        )
                    )
                    or (lines[k].positioned and _label_row_inside(lines, k, label_x))
                )
            ):
                j = k
                continue
        break
    # the wrapped tail of the last row's label ("… i den samordnade" / "insatsen bra tillsammans?"; in
    # capitals "SUMMA EGET KAPITAL" / "OCH SKULDER": a conjunction starts no heading)
    tail = 0
    while (
        j < len(lines)
        and tail < SETTINGS.max_label_tail_lines
        and lines[j].positioned
        and len(lines[j].cells) == 1
        and (lines[j].text[:1].islower() or _goes_on_above(lines[j].text))
    ):
        j += 1
        tail += 1
    return j


def tab_blocks(lines: list[DocLine], taken: set[int], settings: TableSettings) -> list[Block]:
    """Runs of tabular lines (tab fields, or cells with page positions), header lines first. It is the first
    finder, so no line is taken yet."""
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
                if not (lines[k].tabular and is_header_cells(lines[k].cells[1:])):
                    continue
                p = k - 1
                while p > i and lines[p].blank:  # page furniture removed at a break
                    p -= 1
                prev = lines[p]
                if is_header_cells(prev.cells[1:]) or _dash_line(prev):
                    continue  # the header goes on over several lines
                if _left_of_figures(lines[k], prev):
                    continue  # a label wrapped into cells of its own ("… med" / "psykisk … - | Framtidsmodellen")
                if any(is_value_text(c) for c in prev.cells[1:]) or not prev.tabular:
                    j = k
                    break
        block = Block(i, j)
        k = i
        # header lines: leading lines without plain figures (the first may have no figure cells at all)
        while k < j and len(block.header) < SETTINGS.max_header_lines:
            values = lines[k].cells[1:]
            if (
                _dash_line(lines[k])
                and block.header
                and k + 1 < j
                and is_header_cells(lines[k + 1].cells[1:])
            ):
                block.header.append(k)  # the dash of a period wrapped onto a line of its own
                k += 1
                continue
            if block.header and _date_tails(lines[block.header[-1]], lines[k]):
                block.header.append(k)  # "2016-01-01 -2016-12-" over "31": dates broken at a hyphen
                k += 1
                continue
            if (
                block.header
                and lines[k].blank
                and k + 1 < j
                and lines[k + 1].page == lines[k].page
                and lines[k + 1].tabular
                and is_header_cells(lines[k + 1].cells[1:])
            ):
                k += 1  # a line of the header that held only specks, cleaned away
                continue
            if block.header and _header_label_goes_on(lines[block.header[-1]], lines[k]):
                block.header.append(k)  # "i tkr per" over "område": the rows' header wrapped on alone
                k += 1
                continue
            after_break = _header_after_break(lines, block, k, j)
            if after_break is not None:
                k = after_break  # the header's next line is on the next page, the furniture between cut
                continue
            if is_header_cells(values) or (k == i and not any(v.strip() for v in values)):
                if block.header and lines[k].cells[0].strip() and not is_header_cells(values):
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


def _left_of_figures(line: DocLine, row: DocLine) -> bool:
    """Every cell of `line` ends left of where the figures of the row above start: the label column's text
    (a wrapped label a scan split at a wide space), not a header over the figure columns."""
    if not (line.positioned and row.positioned) or len(line.spans) != len(line.cells):
        return False
    figures = [x0 for (x0, _), c in zip(row.spans[1:], row.cells[1:], strict=False) if is_value_text(c)]
    return bool(figures) and all(x1 < min(figures) for _, x1 in line.spans)


def _header_label_goes_on(above: DocLine, ln: DocLine) -> bool:
    """A line of nothing but a label cell that ends the header's label cell above, which cannot end where
    it does ("Nettokostnad och finansnetto / i tkr per" over "område"): the header's last line, not a
    group label of the rows. It starts in lower case and within the label column."""
    if not (above.positioned and ln.positioned and above.page == ln.page) or len(ln.cells) != 1:
        return False
    label, over = ln.cells[0].strip(), above.cells[0].strip()
    if not (label[:1].islower() and over and dangling(over)):
        return False
    return above.spans[0][0] - 2 * CHAR_WIDTH <= ln.spans[0][0] <= above.spans[0][1]


def _date_tails(above: DocLine, ln: DocLine) -> bool:
    """A header line whose figure cells are only the day of dates that a narrow column broke at their
    last hyphen ("2016-01-01 -2016-12-" over "31"): each stands under a header cell ending in a hyphen,
    and the label cell is empty or names the rows ("Belopp i kr.")."""
    if not (above.positioned and ln.positioned and ln.tabular) or (
        ln.cells[0] and not is_label_header(ln.cells[0])
    ):
        return False
    tails = 0
    for text, (x0, x1) in zip(ln.cells[1:], ln.spans[1:], strict=False):
        if not re.fullmatch(r"\d{1,2}", text.strip()):
            if is_header_cells([text]):
                continue  # a header word of its own ("Not")
            return False
        over = [t for t, (a, b) in zip(above.cells[1:], above.spans[1:], strict=False) if a < x1 and x0 < b]
        if not over or not re.search(r"\d[-–]$", over[-1].strip()):
            return False
        tails += 1
    return tails > 0


def _header_after_break(lines: list[DocLine], block: Block, k: int, end: int) -> int | None:
    """Where a header split by a page break goes on: a word processor breaks a header row whose cells wrap
    ("Jan–aug" at the page's foot, "2022" at the top of the next), and only the page's furniture, cut to
    blank lines, stands between. The index of the header's next line, or None where line k is no such
    break. A header printed whole and repeated on the next page is not this: its first line comes again."""
    if not block.header or not (lines[k].blank and lines[k].positioned):
        return None
    m = k
    while m < end and lines[m].blank:
        m += 1
    if m >= end or lines[m].page == lines[block.header[-1]].page:
        return None
    nxt = lines[m]
    if not nxt.tabular or not is_header_cells(nxt.cells[1:]):
        return None
    first = lines[block.header[0]]
    if [fold(c) for c in nxt.cells[1:]] == [fold(c) for c in first.cells[1:]]:
        return None
    return m


def _dash_line(ln: DocLine) -> bool:
    """A line of nothing but dashes under the figure columns: in a header, the dash of a period
    ("2016-01-01 –" / "–" / "2016-12-31") that a narrow column put on a line of its own."""
    values = [v.strip() for v in ln.cells[1:] if v.strip()]
    return bool(values) and not ln.cells[0].strip() and all(v in ("-", "–", "—") for v in values)


def _figure_row_follows(lines: list[DocLine], k: int, end: int) -> bool:
    """The first row under line k is a row of plain figures, one in each column line k fills (two at
    least where it fills more): line k, however wordy, heads their columns (right-aligned header words
    run together: "Till arbete Till studier Arbete/studier"). Passed over on the way: a section's heading
    ("Verksamhetens intäkter", a label alone: it prints no figure cells) and the header's own further
    lines, words in the figure columns ("Nettokostnad och finansnetto i tkr per | Utfall jan- budget jan-"
    over "område | aug | aug", "Samverkande partner | Medelvärde" over "chefsgrupper (13 svar) | mellan
    1-6 där 1 =" over "| Inte alls och 6 =")."""
    headed = sum(1 for v in lines[k].cells[1:] if v.strip())
    further = 0
    for ln in lines[k + 1 : end]:
        if ln.blank or len(ln.cells) <= 1:
            continue
        values = [v for v in ln.cells[1:] if v.strip()]
        if is_header_cells(values) and further < SETTINGS.max_header_lines:
            further += 1
            continue
        return len(values) >= min(2, headed) and all(is_value_text(v) for v in values)
    return False

"""Table reading, step 2: find every table's block — the block finders behind one interface, tried in order —
and merge the blocks that run on over a page break.

A finder is a function (lines, taken, settings) -> blocks, given the lines the finders before it left
untaken (`BLOCK_FINDERS`: extractor.blocks.tab_blocks for aligned cells, then extractor.flat_blocks for
flattened layouts). A block that runs on over a page break (or repeats its header there) is merged with the
one before, and a repeated header inside a block becomes a section row.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from extractor.blocks import HEADING_LINE, Block, tab_blocks
from extractor.columns import clean_header, is_label_header
from extractor.flat_blocks import flat_blocks, flat_row_blocks
from extractor.lines import DocLine, is_header_cells, is_value_text, text_fraction
from extractor.numbers import parse_number
from extractor.settings import TableSettings
from extractor.table_kinds import statement_kind
from finsam.text import fold


def _continues(lines: list[DocLine], prev: Block, block: Block, settings: TableSettings) -> bool:
    """True when `block` carries on `prev` over a page break or footer: nothing but blank or furniture lines
    between, and either no header of its own or the same header repeated."""
    gap = lines[prev.end : block.start]
    # the page of prev's last line that is not blank: a block's rows may run on over blank lines into the
    # next page
    last_page = lines[max(_own_lines(lines, prev, header=True), default=prev.end - 1)].page
    new_page = lines[block.start].page != last_page
    # over a page break, short lines between are the pages' furniture (initials, a running title), unless
    # they title a table of their own ("Not 3 Personalkostnader", "Balansräkning")
    noise = [
        ln
        for ln in gap
        if not ln.blank
        and not (
            new_page
            and ln.words <= 3
            and not ln.tabular
            and not HEADING_LINE.search(ln.text)
            and not statement_kind(ln.text)
        )
    ]
    if len(gap) > settings.continuation_gap or noise:
        return False
    if prev.flat or block.flat:
        return False
    if not block.header:
        return True
    if not new_page:
        return False  # a header repeats only over a page break; on one page it starts a new table
    if _ends_on_a_caption(lines, prev):
        return False
    # the header repeated whole, or its first lines only (a word processor repeats the rows marked as the
    # header, and the line of years under them may be the table's first row): the same words, however OCR
    # split them into cells or read a speck between them ("studier | andel", "studier = andel"), or ran two
    # of them together ("Utfalljan-aug 2016")
    # ... or the whole lines alike but for a short word OCR lost, which split the label cell ("Belopp i kr."
    # read "Belopp | kr.": the "kr." then stands among the column cells)
    # ... or its last lines only: the first block's header took in lines above the column headers that the
    # repeat has not ("Räkenskapsår: 16-01-01 - 16-12-31", "Period: …" over "Ing | Period | Utg")
    for whole in (False, True):
        a = ["".join(_header_words(lines[h], whole)) for h in prev.header]
        b = ["".join(_header_words(lines[h], whole)) for h in block.header]
        if (a and a[0] and a[: len(b)] == b) or (b and b[0] and len(b) < len(a) and a[-len(b) :] == b):
            return True
    return False


def _header_words(line: DocLine, whole: bool = False) -> list[str]:
    """The words of a header line's column cells, folded; `whole`: of all its cells, but words of one or two
    letters (which a scan may lose: "i", "av")."""
    words = re.findall(r"\w+", fold(" ".join(line.cells if whole else line.cells[1:])))
    return [w for w in words if not whole or len(w) > 2 or any(ch.isdigit() for ch in w)]


# A total that names nothing ("SUMMA", "Totalt") closes the whole table; "S:a Eget kapital" closes a section
def _own_lines(lines: list[DocLine], block: Block, header: bool = False) -> list[int]:
    """The block's row lines (and header lines) that are not blank: its rows may run on over the blank
    lines left where furniture was cut at a page break."""
    return [i for i in (block.header if header else []) + block.rows if not lines[i].blank]


_CLOSING_SUM = re.compile(r"^\s*(?:summa|s:a|totalt?|total)\s*:?\s*$")


def _ends_on_a_caption(lines: list[DocLine], block: Block) -> bool:
    """The block's last lines are words after the sum that closes it ("SUMMA | 18 494 | 20 435" then
    "FINANSIERING AV STRUKTURINRIKTADE INSATSER" at the page's foot, perhaps wrapped): the caption of the next
    table, whose header opens the next page, not a section of this one."""
    own = _own_lines(lines, block)
    n = 0  # the caption's lines: it may wrap ("FINANSIERING AV STRUKTURINRIKTADE" over "INSATSER")
    while n < min(CAPTION_LINES, len(own) - 1) and not any(
        is_value_text(c) for c in lines[own[-1 - n]].cells[1:]
    ):
        n += 1
    if n == 0 or len(own) < n + 1:
        return False
    before = lines[own[-1 - n]]
    return bool(_CLOSING_SUM.match(fold(before.cells[0] if before.cells else ""))) and any(
        is_value_text(c) for c in before.cells[1:]
    )


CAPTION_LINES = 3  # a caption at a page's foot wraps over this many lines at most


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


def split_sub_headers(lines: list[DocLine], block: Block) -> None:
    """Inside a block, a line of header words after the rows (a scale text under a new group) is a section
    row, not a figure row: blank its figure cells so it becomes a heading."""
    if block.flat:
        return
    for r in block.rows:
        ln = lines[r]
        if (
            len(ln.cells) > 1
            and is_header_cells(ln.cells[1:])
            and not any(parse_number(c) for c in ln.cells[1:])
        ):
            if (
                text_fraction(ln.cells[1:]) == 1.0
                and block.header
                and _looks_like_header_repeat(lines, block, ln)
            ):
                ln.cells = [ln.cells[0]] + [""] * (len(ln.cells) - 1)


def _looks_like_header_repeat(lines: list[DocLine], block: Block, ln: DocLine) -> bool:
    head = fold(" ".join(c for h in block.header for c in lines[h].cells[1:]))
    this = fold(" ".join(ln.cells[1:]))
    return bool(head) and (head[:12] == this[:12])


BlockFinder = Callable[[list[DocLine], set[int], TableSettings], list[Block]]
# The block finders, tried in this order, each on the lines the finders before it left untaken: a new layout
# of tables is a new finder in this list.
BLOCK_FINDERS: tuple[BlockFinder, ...] = (tab_blocks, flat_blocks, flat_row_blocks)


def find_blocks(lines: list[DocLine], settings: TableSettings) -> list[Block]:
    """Every table's block in the document, those that run on over a page break merged."""
    blocks: list[Block] = []
    for finder in BLOCK_FINDERS:
        taken = {i for b in blocks for i in range(b.start, b.end)}
        blocks += finder(lines, taken, settings)
    return _merge_blocks(lines, blocks, settings)

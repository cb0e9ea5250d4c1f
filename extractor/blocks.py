"""Table reading, step 2: blocks, the runs of lines that make one table, with their header and row lines.

Three finders, tried in `BLOCK_FINDERS` order, each on the lines the ones before left untaken:
- `tab_blocks`: lines of aligned cells — tab fields in text input, gap-separated cells with x positions in
  PDF and OCR pages — with the header lines at the top;
- `flat_blocks`: a converter's flattened layout, lines ending in a row of figures under a header line of
  column words ("Belopp i tkr Not 2018 2017");
- `flat_row_blocks`: flattened lines with no readable header that end in the same number of small figures.
A block that runs on over a page break (or repeats its header there) is merged with the one before, and a
repeated header inside a block becomes a section row.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from extractor.captions import NOTE_TITLE
from extractor.columns import clean_header, is_label_header
from extractor.lines import DocLine, dangling, is_header_cells, is_value_text, text_fraction
from extractor.numbers import parse_number, split_number_tail
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


_HEADING_LINE = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?\s+\S|not\s*\d|bilaga\b|tabell\s*\d)|[:]\s*$", re.I)


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
        if labels > 3 or _HEADING_LINE.search(ln.text) or statement_kind(ln.text):
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


def flat_row(text: str, ncols: int, note: bool = False) -> tuple[str, list[str]] | None:
    label, numbers = split_number_tail(text, ncols, note_column=note)
    if not numbers or not re.search(r"[A-Za-zÅÄÖåäö]", label):
        return None
    return label, numbers


def flat_blocks(lines: list[DocLine], taken: set[int], settings: TableSettings) -> list[Block]:
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
            if flat_row(t, len(columns)):
                rows.append(j)
                misses = 0
            elif len(t.split()) <= 8 and misses < 3:
                rows.append(j)  # a section heading or the tail of a wrapped label
                misses += 1
            else:
                break
            j += 1
        while rows and not flat_row(lines[rows[-1]].text, len(columns)):
            rows.pop()
        if sum(1 for r in rows if flat_row(lines[r].text, len(columns))) >= 2:
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


def flat_row_blocks(lines: list[DocLine], taken: set[int], settings: TableSettings) -> list[Block]:
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
            if len(words) == n and not any(is_value_text(w) for w in words):
                blocks.append(Block(k, rows[-1] + 1, [k], rows, True, words, False))
            else:
                blocks.append(Block(i, rows[-1] + 1, [], rows, True, [""] * n, False))
            i = rows[-1] + 1
        else:
            i += 1
    return blocks


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
            and not _HEADING_LINE.search(ln.text)
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
    for whole in (False, True):
        a = ["".join(_header_words(lines[h], whole)) for h in prev.header]
        b = ["".join(_header_words(lines[h], whole)) for h in block.header]
        if a and a[0] and a[: len(b)] == b:
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

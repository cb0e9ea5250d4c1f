"""Goal reading: the page layout the list and prose readers read — headings, paragraphs and list items.

Lines come from the parsed pages with page furniture left out (extractor.furniture), read once a document;
a heading is told by its numbering, its type size or its shortness, a paragraph by the gaps between lines,
and a list item by its number or bullet (`read_layout` gives a `Layout` of `Block`s under their headings).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from statistics import median

from extractor.furniture import EDGE_LINES, PAGE_NUMBER, is_page_furniture, running_lines
from extractor.targets import GOAL_WORD
from extractor.wraps import join_wrapped
from finsam.model import Line, ParsedDocument
from finsam.text import fold_ocr, fold_word

# A line this many times the page's usual line height is set in a heading's type: a paragraph of its own.
HEADING_SIZE = 1.06
# The same on a scan, from its letters' boxes: this much wider and this much taller than the page's usual.
OCR_HEADING_WIDTH = 1.12
OCR_HEADING_HEIGHT = 1.04
# Heading type sizes a scan tells apart: letters' heights in steps of this share of the body's.
OCR_HEADING_STEP = 0.15


# How far a printed page number may stand from the page's place in the file (a cover left unnumbered).
PAGE_NUMBER_OFFSET = 10


# A vertical gap this many line heights wider than the usual spacing separates paragraphs (PDF pages).
PARAGRAPH_GAP = 0.5


# Headings that are part of an insats' description, not its name.
GENERIC_HEADINGS = (
    "resultat", "maluppfyllelse", "samverkanspart", "parter", "malpafyllelse", "malpuppfyllelse", "malgrupp", "partner", "framgangsfaktor",
    "syfte", "bakgrund", "ekonomi", "budget", "uppfoljning", "beskrivning", "mal och", "verksamhet",
    "aktiviteter", "organisation", "tkr", "kommentar",
)  # fmt: skip


NUMBERED = re.compile(r"^\s*(\d+(?:\.\d+)*)\.?\s+(\S.*)$")


# A list item: "1.", "2)", "a)", or a bullet as typed, as a PDF font maps it ("", "") or as OCR reads it ("e");
# a number's point read as a comma by a scan ("5, Minst 80 %") before a capital.
_LIST_ITEM = re.compile(r"^\s*(?:\d+[.)]|\d+,(?=\s+[A-ZÅÄÖ])|[a-z]\)|[-–•*▪●◦○■□➢✓\uf0b7\uf0a7]|e)\s+(\S.*)$")


@dataclass
class Heading:
    text: str  # without its number
    number: str | None
    line: int  # index into the document's line list

    @property
    def level(self) -> int:
        return self.number.count(".") + 1 if self.number else 99

    @property
    def is_generic(self) -> bool:
        folded = fold_ocr(self.text)
        return any(g in folded for g in GENERIC_HEADINGS)

    @property
    def names_something(self) -> bool:
        """More than 'Mål', 'Mål 2018', 'Målsättning': the heading says whose goals they are."""
        rest = [w for w in re.findall(r"[^\W\d_]+", self.text) if not re.fullmatch(GOAL_WORD, fold_word(w))]
        return bool(rest) and not all(
            fold_word(w) in {"och", "for", "med", "resultat", "uppdrag"} for w in rest
        )

    @property
    def is_goal_heading(self) -> bool:
        words = re.findall(r"\w+", self.text)
        folded = fold_ocr(self.text)
        if "uppfyllelse" in folded or "resultat" in folded:
            return False
        return any(re.fullmatch(GOAL_WORD, fold_word(w)) for w in words)


def is_heading(line: str, next_line: str | None) -> Heading | None:
    """A short line on its own, not a sentence, not a list item ending in a full stop."""
    stripped = line.strip()
    if not stripped or "\t" in stripped or len(stripped.split()) > 10 or len(stripped) > 90:
        return None
    if stripped[-1] in ".:;,!?-" or not (stripped[0].isupper() or stripped[0].isdigit()):
        return None
    if re.fullmatch(r"[\d\s.,%\-–]+", stripped):
        return None
    m = NUMBERED.match(stripped)
    if m and (re.fullmatch(r"\d+", m.group(1)) and len(m.group(1)) >= 3 or not m.group(2)[0].isupper()):
        return None  # a year, an amount or a figure ("15 % av …", "60 deltagare …"), not a section number
    if m:
        return Heading(m.group(2).strip(), m.group(1), 0)
    if ". " in stripped or (next_line or "").strip():
        return None  # an unnumbered heading stands alone; a short line inside wrapped prose does not
    return Heading(stripped, None, 0)


@dataclass
class Block:
    """A paragraph or list item: consecutive text lines, with what it stands under."""

    text: str
    line: int
    page: int
    kind: str  # "paragraph" or "item"
    section: Heading | None = None  # nearest heading (any)
    insats: Heading | None = None  # nearest heading that names something (not 'Målgrupp', 'Resultat')
    goal_section: Heading | None = None  # enclosing heading about mål, when under one
    intro: str | None = None  # for items: the paragraph that introduced the list


@dataclass
class Layout:
    blocks: list[Block] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)


def furniture_test(doc: ParsedDocument, furniture: set[str] | None = None) -> Callable[[Line], bool]:
    """Whether a line is page furniture: a running header or footer (`extractor.furniture`), or a page
    number at the top or bottom of its page — a lone figure elsewhere, or one far from the page's own
    number, is a table's cell ("138" at the top of a page where a table runs on)."""
    furniture = running_lines(doc) if furniture is None else furniture
    edges = {id(ln) for p in doc.pages for ln in [*p.lines[:EDGE_LINES], *p.lines[-EDGE_LINES:]]}

    longest = max((len(k) for k in furniture), default=0)

    def test(line: Line) -> bool:
        text = line.text.strip()
        if not PAGE_NUMBER.match(text):
            # a line longer than any furniture, its figures counted as one character each, is none
            short = len(re.sub(r"\d+", "#", " ".join(text.split()))) <= longest + 2
            return short and is_page_furniture(text, furniture)
        numbers = [int(d) for d in re.findall(r"\d+", text)]
        return id(line) in edges and (not numbers or abs(numbers[0] - line.page) <= PAGE_NUMBER_OFFSET)

    return test


_lines_cache: list[tuple[ParsedDocument, list[Line]]] = []  # the last document's lines


def document_lines(doc: ParsedDocument) -> list[Line]:
    """`read_lines` of a document, kept for the next reader of the same document."""
    if _lines_cache and _lines_cache[0][0] is doc:
        return _lines_cache[0][1]
    lines = read_lines(doc)
    _lines_cache[:] = [(doc, lines)]
    return lines


def _char_width(line: Line) -> float | None:
    """A line's mean width per letter, over its words of two letters or more."""
    words = [w for c in line.cells for w in c.words if len(w.text) >= 2]
    letters = sum(len(w.text) for w in words)
    return sum(w.x1 - w.x0 for w in words) / letters if letters else None


def _word_height(line: Line) -> float | None:
    heights = [w.bottom - w.top for c in line.cells for w in c.words]
    return median(heights) if heights else None


def _weighted_median(values: list[tuple[float, int]]) -> float:
    """The value below and above which half the weight lies."""
    values = sorted(values)
    half, total = sum(w for _, w in values) / 2, 0
    for value, weight in values:
        total += weight
        if total >= half:
            return value
    return values[-1][0]


def _large_type(page, lines: list[Line], height: float) -> Callable[[Line], float | bool]:
    """Which lines of a page are set in a heading's larger type.

    On a text layer a line's box is as tall as its type. An OCR box is only as tall as the letters read, so
    on a scan a line counts as large when its letters are both wider (OCR_HEADING_WIDTH) and taller
    (OCR_HEADING_HEIGHT) than the page's usual, either alone being as often a line of capitals or
    descenders."""
    if page.text_source == "pdf_text":
        # larger than the body's type, the one most letters are set in: on a page of tables in smaller type
        # the median line is a table row's, and the prose would be taken for headings
        sized = [(ln.bottom - ln.top, len(ln.text)) for ln in lines if ln.cells and ln.bottom > ln.top]
        body = _weighted_median(sized) if sized else height
        return lambda ln: ln.bottom - ln.top > HEADING_SIZE * body
    if page.text_source != "ocr":
        return lambda ln: False
    sizes = {id(ln): (_char_width(ln), _word_height(ln)) for ln in lines}  # each line measured once
    letters = {id(ln): sum(len(w.text) for c in ln.cells for w in c.words) for ln in lines}
    widths = [(w, letters[k]) for k, (w, _) in sizes.items() if w]
    heights = [(h, letters[k]) for k, (_, h) in sizes.items() if h]
    if len(widths) < 5:
        return lambda ln: False
    # the body's type is the one most letters are set in: a page of short table rows in smaller type and a
    # few long lines of prose has the prose's
    usual_width, usual_height = _weighted_median(widths), _weighted_median(heights)
    classes: dict[int, float | bool] = {}
    for key, (width, word_height) in sizes.items():
        # False for the body's type; for a heading's, its letters' height in steps (a sub-heading right
        # under a heading is set in other type: a paragraph of its own too)
        large = bool(width and word_height) and (
            width >= OCR_HEADING_WIDTH * usual_width and word_height >= OCR_HEADING_HEIGHT * usual_height
        )
        classes[key] = round(word_height / (usual_height * OCR_HEADING_STEP)) if large else False

    def large(ln: Line) -> float | bool:
        return classes.get(id(ln), False)

    return large


def read_lines(doc: ParsedDocument) -> list[Line]:
    """All lines of a document, with an empty line wherever the page leaves a paragraph gap.

    Text input marks paragraphs with empty lines already; a PDF page only leaves more space between them,
    so a gap clearly wider than the page's usual line spacing becomes an empty line too. Pages end with one.
    A line set in larger type than its neighbours (a heading) stands apart too. A PDF's or scan's page
    furniture is left out, and a page whose text runs on in lower case on the next
    page ends without an empty line (a list or table running on over a page break reads on).
    """
    out: list[Line] = []
    furniture = furniture_test(doc)
    pages = []
    for page in doc.pages:
        lines = page.lines
        if page.text_source != "text":  # running headers, footers and page numbers of a PDF or scan
            lines = [ln for ln in lines if not (ln.cells and furniture(ln))]
        pages.append((page, lines))
    for n, (page, lines) in enumerate(pages):
        heights = [ln.bottom - ln.top for ln in lines if ln.cells and ln.bottom > ln.top]
        gaps = [b.top - a.bottom for a, b in zip(lines, lines[1:], strict=False) if a.cells and b.cells]
        height = median(heights) if heights else 0.0
        # the usual spacing inside a paragraph: the narrower gaps, never more than a third of a line
        spacing = min(sorted(gaps)[len(gaps) // 4], height / 3) if gaps else 0.0
        is_large = _large_type(page, lines, height)

        for k, line in enumerate(lines):
            prev = lines[k - 1] if k else None
            if prev is not None and prev.cells and line.cells and height > 0:
                if line.top - prev.bottom > spacing + PARAGRAPH_GAP * height or (
                    is_large(prev) != is_large(line)
                ):
                    out.append(Line(page=line.page, index=-1, cells=[], top=prev.bottom, bottom=line.top))
            out.append(line)
        following = next((ls[0] for _, ls in pages[n + 1 :] if ls and ls[0].cells), None)
        if following is None or not following.text.strip()[:1].islower():
            out.append(Line(page=page.number, index=-1, cells=[]))  # unless a sentence runs on over the break
    return out


def read_layout(doc: ParsedDocument, taken: set[int] | None = None) -> Layout:
    """Headings, paragraphs and list items of a document, in order; lines in `taken` (ids of lines a goal
    table's reader has read: its wrapped cells are no paragraphs) are left out like table rows."""
    taken = taken or set()
    lines = document_lines(doc)
    layout = Layout(lines=lines)
    headings: list[Heading] = []
    insats: Heading | None = None
    goal_section: Heading | None = None
    current: list[str] = []
    current_start = 0
    current_kind = "paragraph"
    last_paragraph: str | None = None

    def flush():
        nonlocal current, last_paragraph, current_kind
        kind = current_kind
        current_kind = "paragraph"
        if current:
            text = join_wrapped(current)
            block = Block(text, current_start, lines[current_start].page, kind, headings[-1] if headings else None,
                          insats, goal_section)  # fmt: skip
            if kind == "item":
                block.intro = last_paragraph
            else:
                last_paragraph = text
            layout.blocks.append(block)
        current = []

    for n, line in enumerate(lines):
        raw = line.text
        if "\t" in raw.strip() or id(line) in taken:  # table rows are read by the table reader
            flush()
            continue
        stripped = raw.strip()
        if not stripped:
            flush()
            continue
        nxt = lines[n + 1].text if n + 1 < len(lines) else None
        heading = is_heading(stripped, nxt) if not current else None
        item = _LIST_ITEM.match(stripped)
        if heading and item and heading.number and not (nxt or "").strip():
            item = None  # "5. Arbetsorganisation" on its own line is a section, not an item
        if heading and not item:
            flush()
            heading.line = n
            while headings and heading.number and headings[-1].number and headings[-1].level >= heading.level:
                headings.pop()
            headings.append(heading)
            if (
                goal_section
                and heading.number
                and goal_section.number
                and heading.level <= goal_section.level
            ):
                goal_section = None
            elif goal_section and not goal_section.number and not heading.is_generic:
                goal_section = None
            if heading.is_goal_heading:
                goal_section = heading
            if not heading.is_generic and not heading.is_goal_heading:
                insats = heading
            last_paragraph = None
            continue
        if item:
            flush()
            current = [item.group(1)]
            current_start = n
            current_kind = "item"  # its wrapped continuation lines follow
            continue
        if not current:
            current_start = n
        current.append(stripped)
    flush()
    return layout

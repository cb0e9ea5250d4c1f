"""Page furniture: running headers and footers, page numbers, initials repeated down the margin.

They repeat across pages, so they are found by repetition (the first and last lines of many pages, or short
lines recurring through a one-page text) and then left out of everything read after: tables, goals and
the metadata, so that "Samordningsförbundet X Organisationsnummer 222000-1234" printed at the top of
every page is not taken for the federation's name, nor a "Sida 3 av 12" for a table row.
"""

from __future__ import annotations

import re
from collections import Counter

from rapidfuzz import fuzz

from finsam.model import ParsedDocument
from finsam.text import fold

# "12", "Sida 3", "3 (12)", "3 av 12", "3/12", "– 3 –"
PAGE_NUMBER = re.compile(
    r"^[-–—]?\s*(?:sida\s*)?\d{1,3}(?:\s*(?:\(\d{1,3}\)|(?:av|/)\s*\d{1,3}))?\s*[-–—]?$", re.I
)
MIN_PAGES_SHARE = 0.5  # a top/bottom line must repeat on this share of pages to be a running header
MIN_REPEATS = 3  # a short non-heading line repeated this often in one-page text is furniture
EDGE_LINES = 2  # lines at the top and at the bottom of a page where running headers and footers stand
FUZZY_LENGTH = 20  # characters: a furniture line this long is known again with a letter or two misread ...
FUZZY_RATIO = 92.0  # ... by a rapidfuzz ratio this high


def furniture_key(text: str) -> str:
    """A line's text with its figures blanked: "Sida 3 av 12" and "Sida 4 av 12" are one line. Years stay:
    a page number is no year, and a year alone on a line is a header's last line ("Varav nya" / "2021")."""
    return re.sub(r"(?<!\d)(?!(?:19|20)\d\d(?!\d))\d+", "#", fold(text))


def is_page_furniture(text: str, furniture: set[str]) -> bool:
    """A page number or a running header/footer line (furniture from `running_lines`), also as OCR misread
    it on one page ("Organisationsnhummer"): a long line this close to a furniture line is that line."""
    text = text.strip()
    if not text:
        return False
    if PAGE_NUMBER.match(text):
        return True
    key = furniture_key(text)
    if key in furniture:
        return True
    # only letters may differ: "Årsredovisning 2017" is not the running header "Årsredovisning 2018"
    years = re.findall(r"\d+", key)
    return len(key) >= FUZZY_LENGTH and any(
        len(f) >= FUZZY_LENGTH and fuzz.ratio(key, f) >= FUZZY_RATIO and re.findall(r"\d+", f) == years
        for f in furniture
    )


def running_lines(
    doc: ParsedDocument, min_pages_share: float = MIN_PAGES_SHARE, min_repeats: int = MIN_REPEATS
) -> set[str]:
    """The document's page furniture, keyed for `is_page_furniture`: lines at the top or bottom of many
    pages, or (one long text page) short non-heading lines such as initials that recur through it."""
    found: set[str] = set()
    if len(doc.pages) >= 2:  # a two-page plan has its running header too
        # counted at the tops and at the feet apart: furniture stands in the same place on every page,
        # while a table's header repeated over a page break stands at one page's foot and the next's top
        tops: Counter[str] = Counter()
        feet: Counter[str] = Counter()
        for page in doc.pages:
            texts = [ln.text.strip() for ln in page.lines if ln.text.strip()]
            tops.update({furniture_key(t) for t in texts[:EDGE_LINES]})
            feet.update({furniture_key(t) for t in texts[-EDGE_LINES:]})
        need = max(2, int(len(doc.pages) * min_pages_share))
        found |= {k for counts in (tops, feet) for k, n in counts.items() if n >= need and k}
        found |= _page_number_slots(doc, SLOT_PAGES)
    counts = Counter()
    for page in doc.pages:
        for ln in page.lines:
            t = ln.text.strip()
            # initials or a short code ("JS") — not a heading word, which would be a word of 4+ letters,
            # nor the tail of a header word a narrow column broke ("r", "nt)")
            if t and len(t) <= 4 and "\t" not in ln.text and t.isalpha() and t.isupper():
                counts[furniture_key(t)] += 1
    found |= {k for k, n in counts.items() if n >= min_repeats}
    return found


SLOT_TEXT = 6  # characters: a page number, however OCR read it ("– 7 –" read "sne", "Jr", "ST")
SLOT_TOLERANCE = 6.0  # points: lines at one slot on different pages stand this close
# pages on which a slot is taken: OCR may miss a page number ("– 3 –" is a faint dash and one digit) on
# most pages, and a short line standing alone at the same place at the edge of two pages is no text's
SLOT_PAGES = 2


def _page_number_slots(doc: ParsedDocument, need: int) -> set[str]:
    """The texts of short lines standing alone at the top or foot of a page at one place (a slot) that such
    lines take on `need` pages or more: the page number, as OCR read it on each page ("sne", "Jr" for
    "– 7 –"), which no text pattern knows. Only on pages with geometry (a PDF or a scan)."""
    slots: list[tuple[float, float, str]] = []
    for page in doc.pages:
        if page.text_source == "text" or not page.width:
            continue
        lines = [ln for ln in page.lines if ln.text.strip()]
        for ln in lines[:1] + lines[-1:]:
            text = ln.text.strip()
            if len(text) <= SLOT_TEXT and len(ln.cells) == 1:
                slots.append(((ln.top + ln.bottom) / 2, (ln.cells[0].x0 + ln.cells[0].x1) / 2, text))
    found: set[str] = set()
    for y, x, text in slots:
        pages = sum(
            1 for y2, x2, _ in slots if abs(y2 - y) <= SLOT_TOLERANCE and abs(x2 - x) <= SLOT_TOLERANCE * 2
        )
        if pages >= need:
            found.add(furniture_key(text))
    return found


def text_without_furniture(doc: ParsedDocument, furniture: set[str] | None = None) -> str:
    """The document's text (as `ParsedDocument.text`: pages joined by line breaks) with its page furniture
    blanked after its first page, so a title that the running header repeats is read once; line numbers
    stay those of the document."""
    furniture = running_lines(doc) if furniture is None else furniture
    seen: set[str] = set()
    pages = []
    for page in doc.pages:
        lines = page.text.split("\n")
        keys = [furniture_key(t) if is_page_furniture(t, furniture) else None for t in lines]
        pages.append(
            "\n".join("" if k is not None and k in seen else t for t, k in zip(lines, keys, strict=True))
        )
        seen |= {k for k in keys if k is not None}
    return "\n".join(pages)

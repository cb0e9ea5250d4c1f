"""Goals (mål): what a samordningsförbund or one of its insatser aims at, with target, result and fulfilment.

Four layouts are read, all from the page lines:
- goal tables (årsredovisning, 'Bilaga: Måluppfyllelse'): a header row with a Mål and a Resultat column, one
  row per insats; a cell may hold several statements ("Ca 300 deltagare 65 % till arbete/studier"), split at
  each target phrase and paired goal to result by unit;
- the same tables after OCR has run their columns together into plain lines: goal before result in reading
  order;
- goal lists (verksamhetsplan): numbered or bulleted items under a heading about mål, or after a sentence
  about mål ending in ':' ("Målet är att insatserna … bidrar till att:");
- goal sentences in prose (delårsrapport, årsredovisning): "X har som mål att … till 100 personer".

Target phrases ("Minst 30 %", "Ca 300 deltagare", "2 500 personer") and goal cues ("har som mål",
"målet är att", "önskar uppnå") are spaCy Matcher patterns on a blank Swedish pipeline, kept as data below.
Goal tables the table extractor already found (kind "goals") are read too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from statistics import median

from extractor.furniture import EDGE_LINES, PAGE_NUMBER, furniture_key, is_page_furniture, running_lines
from extractor.goal_cells import HeaderSpec, find_header, read_grid
from finsam.model import Goal, Line, ParsedDocument, Table
from finsam.text import fold_ocr, fold_word, similarity, split_sentences

# ---------------------------------------------------------------------------------------------- vocabulary

# Words before a number that qualify a target ("Minst 30 %", "Ca 300 deltagare", "totalt 601 individer").
QUALIFIERS = [
    "minst", "högst", "max", "maximalt", "ca", "cirka", "c:a", "över", "drygt", "närmare", "omkring",
    "ungefär", "knappt", "totalt", "sammanlagt", "varav", "därav",
]  # fmt: skip
# Qualifiers that set a bound, after which any noun is a count.
BOUND_QUALIFIERS = ["minst", "högst", "max", "maximalt", "lägst"]
# Words after a number that are a duration, a date, a money amount or a ratio, never a count of something.
NOT_COUNTED = [
    "år", "året", "års", "månader", "månad", "veckor", "vecka", "dagar", "dag", "timmar", "timme", "minuter",
    "kr", "kronor", "tkr", "mkr", "mnkr", "miljoner", "miljon", "tusen", "procent", "procentenheter", "av",
    "och", "till", "per", "eller", "gånger", "januari", "februari", "mars", "april", "maj", "juni", "juli",
    "augusti", "september", "oktober", "november", "december",
]  # fmt: skip
# Nouns that make a number a count of people or events.
COUNT_NOUNS = [
    "personer", "person", "deltagare", "individer", "individ", "ungdomar", "unga", "kvinnor", "män",
    "besökare", "konsultationer", "konsultation", "ärenden", "medarbetare", "handläggare", "deltagande",
    "platser", "praktikplatser", "anställningar", "arbetsgivare", "familjer", "föräldrar", "elever",
    "nyinskrivna", "inskrivna", "avslut", "utbildningstillfällen", "tillfällen", "st", "stycken",
]  # fmt: skip
PERCENT_WORDS = ["%", "procent"]
# Adjectives allowed between the number and its noun ("8 nya deltagare", "100 unika individer").
COUNT_ADJECTIVES = ["nya", "unika", "olika", "inskrivna", "aktuella", "fler", "ytterligare"]
# Number words a report may spell out.
NUMBER_WORDS = {
    "en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8, "nio": 9,
    "tio": 10, "elva": 11, "tolv": 12, "tretton": 13, "fjorton": 14, "femton": 15, "tjugo": 20,
    "trettio": 30, "fyrtio": 40, "femtio": 50, "hundra": 100,
}  # fmt: skip


def _words(words: list[str]) -> dict:
    return {"NORM": {"IN": sorted({fold_word(w) for w in words})}}


_NUM = {"LIKE_NUM": True}
_THOUSANDS = {"TEXT": {"REGEX": r"^\d{3}$"}, "OP": "?"}  # "2 500" is two tokens
_QUAL = {**_words(QUALIFIERS), "OP": "?"}
_DOT = {"ORTH": ".", "OP": "?"}  # "ca. 300"
_PAREN = [{"ORTH": "("}, _NUM, {"ORTH": {"IN": ["%", ")"]}, "OP": "+"}]  # "601 (624) individer"
TARGET_PATTERNS: dict[str, list[list[dict]]] = {
    "percent": [
        [_QUAL, _DOT, _NUM, _words(PERCENT_WORDS)],
        [_QUAL, _DOT, _NUM, _words(PERCENT_WORDS), *_PAREN],
    ],
    "count": [
        [
            _QUAL,
            _DOT,
            _NUM,
            _THOUSANDS,
            {**_words(COUNT_ADJECTIVES), "OP": "?"},
            _words(COUNT_NOUNS),
        ],
        [_QUAL, _DOT, _NUM, _THOUSANDS, *_PAREN, _words(COUNT_NOUNS)],
        # "minst fem frukostmöten", "högst 20 ärenden per handläggare": after a bound any noun is counted,
        # except time and money
        [
            _words(BOUND_QUALIFIERS),
            _DOT,
            _NUM,
            _THOUSANDS,
            {"IS_ALPHA": True, "NORM": {"NOT_IN": sorted({fold_word(w) for w in NOT_COUNTED})}},
        ],
    ],
}
# mål and its compounds (verksamhetsmål, effektmålen), but not ändamål (purpose), nor words that end in
# 'mal' once the ring is gone (normal, optimal); written in the folded form `fold_word` gives.
GOAL_WORD = (
    r"(?!\w*(?:andamal|normal|optimal|minimal|maximal|formal|decimal))\w*mal(et|en)?|\w*malsattning(en|ar|arna)?"
    r"|mel(et|en)?"  # 'mél', English-model OCR of 'mål'
)
_MAL_WORD = {"NORM": {"REGEX": f"^(?:{GOAL_WORD})$"}}
GOAL_CUE_PATTERNS: dict[str, list[list[dict]]] = {
    # "har som mål att", "som målsättning"
    "has_goal": [[{"NORM": "som"}, _words(["mål", "målsättning", "delmål"])]],
    # "Målet är att", "Det övergripande verksamhetsmålet för Samordningsförbundet är att", "Målet för 2016 var"
    "goal_is": [[_MAL_WORD, {"OP": "{0,4}"}, _words(["är", "var", "blir"])]],
    # "överstiger målet på 120 deltagare", "ett mål om 300 deltagare"
    "goal_of": [[_MAL_WORD, _words(["på", "om"])]],
    "wish": [
        [
            _words(["önskar", "förväntas", "beräknas", "planerar"]),
            _words(["uppnå", "nå"]),
        ]
    ],
    # "Mål: 40 % av deltagarna …" as a label in front of the goal
    "goal_label": [[_MAL_WORD, {"ORTH": ":"}]],
    "aim": [[_words(["syftar", "siktar"]), {"NORM": "till"}, {"NORM": "att"}, {"OP": "{0,8}"}, _NUM]],
}
# A line this many times the page's usual line height is set in a heading's type: a paragraph of its own.
HEADING_SIZE = 1.06
# How far a printed page number may stand from the page's place in the file (a cover left unnumbered).
PAGE_NUMBER_OFFSET = 10
# A vertical gap this many line heights wider than the usual spacing separates paragraphs (PDF pages).
PARAGRAPH_GAP = 0.5
# A modal verb makes a target phrase right before it a goal ("90 personer av 100 ska …").
MODALS = {"ska", "skall", "bör", "skulle"}
# A paragraph under a goal heading states a goal in at least this many words (a wrapped contents line
# "AV INDIVIDINRIKTADE" under "4.2 MÅL FÖR FINANSIERING" states none).
MIN_GOAL_WORDS = 4
# Headings that are part of an insats' description, not its name.
GENERIC_HEADINGS = (
    "resultat", "maluppfyllelse", "samverkanspart", "parter", "malpafyllelse", "malpuppfyllelse", "malgrupp", "partner", "framgangsfaktor",
    "syfte", "bakgrund", "ekonomi", "budget", "uppfoljning", "beskrivning", "mal och", "verksamhet",
    "aktiviteter", "organisation", "tkr", "kommentar",
)  # fmt: skip
# Fulfilment grades as printed in goal tables, longest first.
FULFILMENT_GRADES = [
    "Mycket god", "Godtagbart", "God", "Ej godtagbart", "Delvis uppfyllt", "Ej uppfyllt", "Uppfyllt",
    "Helt uppfyllt", "Inte uppfyllt", "Påbörjat", "Pågår",
]  # fmt: skip
# Column headers of a goal table, by folded first word.
GOAL_HEADERS = ("mal", "malen", "malsattning", "effektmal", "delmal", "malformulering", "malbeskrivning")
INDICATOR_HEADERS = ("indikator", "matetal", "nyckeltal", "matning")  # how a goal is measured
TARGET_HEADERS = ("malvarde", "malniva", "malvarden")  # a column of its own holding the target figure
RESULT_HEADERS = ("resultat", "utfall", "utfallet", "resultatet")
FULFILMENT_HEADERS = ("uppfyll", "bedomning", "maluppfyllnad")  # contained anywhere in the folded header
COMMENT_HEADERS = ("kommentar", "analys", "forklaring")
# First-column headers that name the insats a goal belongs to.
INSATS_HEADERS = (
    "insats",
    "projekt",
    "verksamhet",
    "aktivitet",
    "omrade",
    "atagande",
    "fokusomrade",
    "uppdrag",
)
# Fulfilment stated in words inside a result ("Bedömning görs att målet är uppfyllt"), most specific first.
FULFILMENT_PHRASES = (
    (r"\b(?:ej|inte|icke)\s+(?:helt\s+)?(?:uppfyll\w*|uppnadd\w*|uppnatt)", "Ej uppfyllt"),
    (r"\bdelvis\s+(?:uppfyll\w*|uppnadd\w*|uppnatt)", "Delvis uppfyllt"),
    (r"\b(?:uppfyll(?:t|da|des|s)|uppnadd\w*|uppnatt)\b", "Uppfyllt"),
)

_nlp = None
_matchers: dict = {}


def nlp():
    """A blank Swedish spaCy pipeline (tokenizer only), loaded once per process; nothing is downloaded."""
    global _nlp
    if _nlp is None:
        import spacy

        _nlp = spacy.blank("sv")
    return _nlp


def make_doc(text: str):
    """Tokens of a text with their norm set for the patterns (as `fold_word` folds)."""
    doc = nlp().make_doc(text)
    for token in doc:
        token.norm_ = fold_word(token.text)
    return doc


def _matcher(name: str, patterns: dict[str, list[list[dict]]]):
    if name not in _matchers:
        from spacy.matcher import Matcher

        matcher = Matcher(nlp().vocab)
        for label, pats in patterns.items():
            matcher.add(label, pats)
        _matchers[name] = matcher
    return _matchers[name]


# ---------------------------------------------------------------------------------------------- targets


# Words without which no target pattern matches (a percent word, a counted noun, a bound before any noun),
# folded as `fold_word` folds: a cheap test before the tokenizer and the matcher.
_MAY_HAVE_TARGET = re.compile(
    r"%|procent|(?<!\w)(?:"
    + "|".join(
        sorted({re.escape(fold_word(w)) for w in COUNT_NOUNS + BOUND_QUALIFIERS}, key=len, reverse=True)
    )
    + r")(?!\w)"
)


@dataclass(frozen=True)
class Target:
    value: float
    unit: str  # "percent" or "count"
    start: int  # char offsets in the text it was found in
    end: int
    number_start: int  # char offset of the number itself (after any qualifier)


def _number(text: str) -> float | None:
    word = text.casefold()
    if word in NUMBER_WORDS:
        return float(NUMBER_WORDS[word])
    # a leading '.' is OCR noise: Swedish decimals take a comma ('.50 %' is 50 %)
    digits = re.sub(r"\s", "", text).lstrip(".").replace(",", ".")
    try:
        return float(digits)
    except ValueError:
        return None


def find_targets(text: str) -> list[Target]:
    """Target phrases in a text, longest match at each place, in order."""
    return list(_find_targets(text))


@lru_cache(maxsize=8192)
def _find_targets(text: str) -> tuple[Target, ...]:  # the same sentence is asked about by several readers
    if not _MAY_HAVE_TARGET.search(fold_word(text)):
        return ()  # every target pattern needs one of these words; most lines of a report have none
    doc = make_doc(text)
    matcher = _matcher("targets", TARGET_PATTERNS)
    spans = []
    for match_id, start, end in matcher(doc):
        spans.append((start, end, nlp().vocab.strings[match_id]))
    # keep the longest match per start, and drop matches inside a longer one
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    chosen: list[tuple[int, int, str]] = []
    for start, end, unit in spans:
        if chosen and start < chosen[-1][1]:
            continue
        chosen.append((start, end, unit))
    targets = []
    for start, end, unit in chosen:
        span = doc[start:end]
        numbers = [t for t in span if t.like_num]
        if not numbers:
            continue
        first = numbers[0]
        number_text = first.text
        nxt = first.i + 1
        if nxt < end and re.fullmatch(r"\d{3}", doc[nxt].text) and doc[nxt].text != "(":
            number_text += doc[nxt].text
        value = _number(number_text)
        if value is None:
            continue
        targets.append(Target(value, unit, span.start_char, span.end_char, first.idx))
    return tuple(targets)


@dataclass
class Statement:
    text: str
    value: float | None = None
    unit: str | None = None


def split_statements(cell: str) -> list[Statement]:
    """Split a goal-table cell into its statements, one per target phrase.

    "Ca 300 deltagare 65 % till arbete/studier" -> "Ca 300 deltagare", "65 % till arbete/studier".
    A piece that is only a number ("26 varav 8 nya deltagare") stays with the piece after it.
    """
    cell = " ".join(cell.split())
    if not cell:
        return []
    targets = find_targets(cell)
    cuts = [t.start for t in targets if t.start > 0]
    pieces = []
    bounds = [0, *cuts, len(cell)]
    for a, b in zip(bounds, bounds[1:], strict=False):
        piece = cell[a:b].strip(" ,;")
        if piece:
            pieces.append((a, piece))
    merged: list[tuple[int, str]] = []
    for a, piece in pieces:
        if merged and re.fullmatch(r"[\d\s]+", merged[-1][1]):
            merged[-1] = (merged[-1][0], f"{merged[-1][1]} {piece}")
        else:
            merged.append((a, piece))
    out = []
    for a, piece in merged:
        inside = [t for t in targets if a <= t.start < a + len(piece)]
        first_number = re.match(r"^(?:\w+\s+)?(\d[\d ]*?)(?=\s|$)", piece)
        if inside:
            value, unit = inside[0].value, inside[0].unit
            if first_number and piece.index(first_number.group(1)) < inside[0].number_start - a:
                value = _number(first_number.group(1)) or value  # "26 varav 8 nya deltagare" -> 26
        else:
            value, unit = None, None
        out.append(Statement(piece, value, unit))
    return out


def pair_statements(
    goals: list[Statement], results: list[Statement]
) -> list[tuple[Statement | None, Statement | None]]:
    """Pair each goal with the first unused result of the same unit; results left over stand alone."""
    used: set[int] = set()
    pairs: list[tuple[Statement | None, Statement | None]] = []
    for goal in goals:
        match = next(
            (
                i
                for i, r in enumerate(results)
                if i not in used and r.unit is not None and r.unit == goal.unit
            ),
            None,
        )
        if match is None and goal.unit is None:
            match = next((i for i, r in enumerate(results) if i not in used and r.unit is None), None)
        if match is not None:
            used.add(match)
        pairs.append((goal, results[match] if match is not None else None))
    alone = [(None, r) for i, r in enumerate(results) if i not in used]
    return _in_result_order(pairs + alone, results)


def _in_result_order(pairs, results):
    """Goal pairs in goal order, each stand-alone result placed after the pair whose result precedes it."""
    with_goal = [p for p in pairs if p[0] is not None]
    alone = [p for p in pairs if p[0] is None]
    index = {id(r): i for i, r in enumerate(results)}
    out = list(with_goal)
    for pair in alone:
        pos = index[id(pair[1])]
        at = len(out)
        for k, (_, r) in enumerate(out):
            if r is not None and index.get(id(r), -1) > pos:
                at = k
                break
        out.insert(at, pair)
    return out


# ---------------------------------------------------------------------------------------------- layout


_NUMBERED = re.compile(r"^\s*(\d+(?:\.\d+)*)\.?\s+(\S.*)$")
# A list item: "1.", "2)", "a)", or a bullet as typed, as a PDF font maps it ("", "") or as OCR reads it ("e").
_LIST_ITEM = re.compile(r"^\s*(?:\d+[.)]|[a-z]\)|[-–•*▪●◦○■□➢✓\uf0b7\uf0a7]|e)\s+(\S.*)$")


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
    m = _NUMBERED.match(stripped)
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


def _join_lines(lines: list[str]) -> str:
    """Wrapped lines as one text; a word split at a line end ('Försäkrings-' + 'kassan') is joined."""
    text = ""
    for line in (s.strip() for s in lines):
        if text.endswith("-") and line[:1].islower():
            text = (text[:-1] if text[-2:-1].islower() else text) + line
        else:
            text = f"{text} {line}" if text else line
    return text


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
            return short and furniture_key(text) in furniture
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
        # a heading's larger type, on a text layer (OCR boxes are as tall as their letters, not their type)
        tall = HEADING_SIZE * height if page.text_source == "pdf_text" else float("inf")

        for k, line in enumerate(lines):
            prev = lines[k - 1] if k else None
            if prev is not None and prev.cells and line.cells and height > 0:
                if line.top - prev.bottom > spacing + PARAGRAPH_GAP * height or (
                    (prev.bottom - prev.top > tall) != (line.bottom - line.top > tall)
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
            text = _join_lines(current)
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


# ---------------------------------------------------------------------------------------------- readers


def _clean_insats(heading: Heading | None) -> str | None:
    if heading is None:
        return None
    text = re.sub(r"(?i)^bilaga\s+\d+\s*[:.–-]?\s*", "", heading.text)
    text = re.sub(r"(?i)^(?:övergripande\s+)?mål\s+(?:för|med)\s+", "", text).strip()
    text = re.sub(r"\s*\.{3,}.*$", "", text)
    return text[:1].upper() + text[1:] if text else heading.text


def _section_of(heading: Heading | None) -> str | None:
    return heading.number if heading and heading.number else (heading.text if heading else None)


def goals_from_lists(layout: Layout) -> list[Goal]:
    """Numbered or bulleted goals under a goal heading, or after a sentence about mål ending in ':'."""
    goals = []
    sections_with_items = {id(b.goal_section) for b in layout.blocks if b.kind == "item" and b.goal_section}
    sections_with_children = set()
    for b in layout.blocks:
        if b.goal_section and b.section is not b.goal_section:
            sections_with_children.add(id(b.goal_section))
    for block in layout.blocks:
        intro_is_goal = bool(block.intro and block.intro.rstrip().endswith(":") and _cues(block.intro))
        in_goal_section = (
            block.goal_section is not None
            and block.section is block.goal_section
            and (
                block.intro is None
                or block.intro.rstrip().endswith(":")
                or bool(_cues(block.intro))
                or _has_goal_word(block.intro)
            )
        )
        if block.kind == "item" and (in_goal_section or intro_is_goal):
            under = (
                block.goal_section if in_goal_section and block.goal_section.names_something else block.insats
            )
            goal = _goal_from_text(block.text, under, block.page)
            goal.section = _section_of(block.goal_section or block.section) if under is None else goal.section
            goals.append(goal)
        elif (
            block.kind == "paragraph"
            and block.goal_section is not None
            and block.section is block.goal_section
            and id(block.goal_section) not in sections_with_items
            and id(block.goal_section) not in sections_with_children
        ):
            siblings = [b for b in layout.blocks if b.section is block.goal_section and b.kind == "paragraph"]
            sentences = split_sentences(block.text)
            under = (
                block.goal_section
                if block.goal_section.names_something
                else block.insats or block.goal_section
            )
            if len(siblings) == 1 and len(sentences) == 1:
                if len(block.text.split()) >= MIN_GOAL_WORDS or find_targets(block.text):
                    goals.append(_goal_from_text(block.text, under, block.page))
            else:
                # in a section about mål, a sentence that speaks of mål or sets a target is a goal
                for sentence in sentences:
                    if _cues(sentence) & {"goal_is", "has_goal"} or find_targets(sentence):
                        goals.append(_goal_from_text(sentence, under, block.page))
    return goals


def _has_goal_word(text: str) -> bool:
    return any(re.fullmatch(GOAL_WORD, fold_word(w)) for w in re.findall(r"\w+", text))


def _goal_from_text(text: str, under: Heading | None, page: int) -> Goal:
    targets = find_targets(text)
    first = targets[0] if targets else None
    return Goal(
        insats=_clean_insats(under),
        goal=text.strip(),
        target_value=first.value if first else None,
        target_unit=first.unit if first else None,
        page=page,
        section=_section_of(under),
    )


@lru_cache(maxsize=8192)
def _cues(text: str) -> frozenset[str]:
    doc = make_doc(text)
    return frozenset(nlp().vocab.strings[m] for m, _, _ in _matcher("cues", GOAL_CUE_PATTERNS)(doc))


@lru_cache(maxsize=8192)
def _cue_offsets(text: str) -> tuple[tuple[int, str], ...]:
    doc = make_doc(text)
    return tuple((doc[s].idx, nlp().vocab.strings[m]) for m, s, _ in _matcher("cues", GOAL_CUE_PATTERNS)(doc))


_CONJUNCTION = re.compile(r"\s(?:och|samt)\s|;\s|,?\s(?:medan|men|medans)\s")


def goals_from_prose(layout: Layout) -> list[Goal]:
    """Goal sentences with a target: 'Utökat AKTIV har som mål att … erbjuda metoden till 100 personer'.

    A clause that names one of the report's insatser before its target is about that insats ("För
    Hälsoväxling bedöms målet om minst 110 deltagare …, medan IPS Östra Smålandskusten inte bedöms nå målet
    om minst 40 deltagare"), wherever it stands."""
    goals = []
    names = _insats_names(layout)
    for block in layout.blocks:
        if block.kind != "paragraph":
            continue
        sentences = split_sentences(block.text)
        for k, sentence in enumerate(sentences):
            targets = find_targets(sentence)
            if not targets:
                continue
            cues = _cue_offsets(sentence)
            clauses = _clauses(sentence, targets)
            found = []
            for c_start, c_end in clauses:
                clause = sentence[c_start:c_end].strip(" ,;.")
                inside = [t for t in targets if c_start <= t.start < c_end]
                if not inside:
                    continue
                has_cue = any(c_start <= at < c_end for at, _ in cues)
                first_clause = (c_start, c_end) == clauses[0]
                inherits = (
                    not first_clause and clause.startswith("att ") and any(at < c_start for at, _ in cues)
                )
                modal = _modal_near(clause, inside[0].start - c_start, inside[0].end - c_start)
                sentence_cue = first_clause and any(at < c_end for at, _ in cues)
                if not (has_cue or inherits or modal or sentence_cue):
                    continue
                # the target is the figure after the cue ("… 212 deltagare, lägre än målet på 300 deltagare");
                # a figure of the same unit before it is what was reached
                cue_at = min((at for at, _ in cues if c_start <= at < c_end), default=None)
                after = [t for t in inside if cue_at is not None and t.start > cue_at]
                target = after[0] if after else inside[0]
                before = [t for t in inside if t.start < target.start and t.unit == target.unit]
                found.append(
                    Goal(
                        insats=_named_insats(clause, target.start - c_start, names)
                        or _subject_insats(sentence, block.insats),
                        goal=clause,
                        target_value=target.value,
                        target_unit=target.unit,
                        result=sentence[before[0].start : before[0].end] if before else None,
                        result_value=before[0].value if before else None,
                        page=block.page,
                        section=_section_of(block.section),
                    )
                )
            if found and k + 1 < len(sentences):
                result = sentences[k + 1]
                result_targets = find_targets(result)
                if result_targets and not _cues(result) and found[-1].result is None:
                    last = found[-1]
                    same = [t for t in result_targets if t.unit == last.target_unit]
                    if same:
                        last.result = result.rstrip(".")
                        last.result_value = same[0].value
            goals.extend(found)
    return goals


def _insats_names(layout: Layout) -> list[str]:
    """The insatser a report has headings for (not generic ones, not headings about goals), longest first."""
    names = {
        b.insats.text
        for b in layout.blocks
        if b.insats is not None and not b.insats.number and 4 <= len(b.insats.text) <= 60
    }
    return sorted(names, key=len, reverse=True)


def _named_insats(clause: str, before: int, names: list[str]) -> str | None:
    """The insats a clause names last before its target (at offset `before`), as its heading spells it."""
    head = clause[:before]
    best: tuple[int, int, str] | None = None
    for name in names:
        for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", head):
            key = (m.end(), len(name), name)  # the last named; of two ending alike, the longer name
            if best is None or key > best:
                best = key
    return best[2] if best else None


# "Målet med MIA-projektet är …", "Utökat AKTIV har som mål …": the sentence names whose goal it is.
_GOAL_OF = re.compile(
    r"(?i)^(?:det\s+)?(?:övergripande\s+)?\w*mål(?:et|sättningen)\s+(?:med|för)\s+(.+?)\s+(?:är|var)\b"
)
_HAS_GOAL = re.compile(
    r"^((?:[A-ZÅÄÖ][\w\-]*)(?:\s+(?:i\s+)?[A-ZÅÄÖ0-9][\w\-]*)*)\s+(?:har|hade)\s+(?:som\s+)?(?:mål|målsättning)"
)


def _subject_insats(sentence: str, heading: Heading | None) -> str | None:
    """The insats a goal sentence is about: its own subject when that is a proper name the heading above
    does not already give ('MIA-projektet' under 'Ordförande har ordet'), else the heading."""
    under = _clean_insats(heading)
    m = _GOAL_OF.match(sentence) or _HAS_GOAL.match(sentence)
    if not m:
        return under
    subject = m.group(1).strip()
    named = any(c.isupper() for c in subject[1:]) or len(subject.split()) > 1
    if not named or len(subject) > 60:
        return under
    if under and (fold_ocr(subject) in fold_ocr(under) or fold_ocr(under) in fold_ocr(subject)):
        return under
    return subject


def _clauses(sentence: str, targets: list[Target]) -> list[tuple[int, int]]:
    """Split a sentence before each later target at the last 'och'/'samt'/';' since the previous target."""
    cuts = []
    for prev, target in zip(targets, targets[1:], strict=False):
        joins = [m for m in _CONJUNCTION.finditer(sentence, prev.end, target.start)]
        if joins:
            cuts.append(joins[-1].start())
    bounds = [0, *cuts, len(sentence)]
    out = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        m = _CONJUNCTION.match(sentence, a)
        out.append((m.end() if m and a else a, b))
    return out


def _modal_near(clause: str, start: int, end: int) -> bool:
    """A modal verb within a few words after the target ("90 personer … ska") or before it
    ("andelen … ska vara minst 35 %")."""
    after = clause[end:].split()[:6]
    before = clause[:start].split()[-4:]
    return any(w.casefold().strip(",.") in MODALS for w in after + before)


# ---------------------------------------------------------------------------------------------- tables


@dataclass
class GoalColumns:
    """Which column of a goal table holds what (indexes left to right)."""

    insats: int | None
    goal: int
    result: int | None
    fulfilment: int | None
    target: int | None = None
    indicator: int | None = None
    comment: int | None = None

    @property
    def key(self) -> int:
        """The column whose new entry starts a new row: the insats, else the goal."""
        return self.insats if self.insats is not None else self.goal


def _goal_header(cells: list[str]) -> GoalColumns | None:
    """The columns of a goal table's header row, or None when the row is not one."""
    folded = [fold_ocr(c).strip() for c in cells]
    first = [c.split(" ")[0] if c else "" for c in folded]
    fulfilment = next((i for i, c in enumerate(folded) if any(h in c for h in FULFILMENT_HEADERS)), None)
    goal = next((i for i, w in enumerate(first) if w in GOAL_HEADERS and i != fulfilment), None)
    target = next((i for i, w in enumerate(first) if w in TARGET_HEADERS), None)
    result = next((i for i, w in enumerate(first) if w in RESULT_HEADERS), None)
    indicator = next((i for i, w in enumerate(first) if w.startswith(INDICATOR_HEADERS)), None)
    comment = next((i for i, w in enumerate(first) if w.startswith(COMMENT_HEADERS)), None)
    if goal is None and indicator is not None:
        goal, indicator = indicator, None  # "Indikator | Målvärde": the indicator is what is aimed at
    if goal is None and target is not None:
        goal, target = target, None
    if goal is None:
        return None
    if indicator == goal:
        indicator = None
    names_insats = goal != 0 and first[0].startswith(INSATS_HEADERS)
    if result is None and fulfilment is None and target is None and not names_insats:
        return None
    # the first column names the insats, unless the goals themselves stand there (a table for one insats)
    return GoalColumns(0 if goal != 0 else None, goal, result, fulfilment, target, indicator, comment)


# Folded header words that start a column of their own when a header cell runs two together
# ("2021 Måluppfyllelse", "Mål 2016 Resultat 2016"); not after a word that joins them ("Mål och resultat").
COLUMN_WORDS = frozenset(
    {*GOAL_HEADERS, *TARGET_HEADERS, *RESULT_HEADERS, "maluppfyllelse", "maluppfyllnad", "bedomning",
     "kommentar", "kommentarer", "indikator", "indikatorer", "insats", "insatser", "aktivitet", "aktiviteter"}
)  # fmt: skip
JOINING_WORDS = ("och", "samt", "for", "med", "&", "/", "-", "–", "i", "av")
# Header cells of a goal table's header line below its main one: years, periods, units, a broken word's end.
_HEADER_TAIL = re.compile(r"^(?:\(?(?:19|20)\d\d(?:[-–/](?:19|20)?\d\d)?\)?|\(?t?kr\)?|\(?%\)?|\(?antal\)?)$")
# What a goal table's header must say somewhere in its lines.
_HEADER_WORD = re.compile(r"m[aåä]l|indikator|resultat|utfall|uppfyll|bed[oö]mning")  # on casefolded text


def _starts_goal_column(before: str, word: str) -> bool:
    folded = fold_ocr(word).strip(":")
    return folded in COLUMN_WORDS and fold_ocr(before) not in JOINING_WORDS and word[:1].isupper()


def _header_tail(text: str) -> bool:
    words = text.split()
    return len(words) <= 2 and all(_HEADER_TAIL.match(fold_ocr(w)) or w[:1].islower() for w in words)


GOAL_HEADER_SPEC = HeaderSpec(
    accepts=_goal_header,
    starts_column=_starts_goal_column,
    maybe=lambda text: bool(_HEADER_WORD.search(text.casefold())),
    continues=_header_tail,
)


def _fulfilment(text: str) -> str | None:
    folded = fold_ocr(text)
    for grade in FULFILMENT_GRADES:
        if folded.startswith(fold_ocr(grade)):
            return grade
    return text.strip() or None


def fulfilment_in(text: str) -> str | None:
    """Fulfilment stated in words inside a result: 'Målet uppfyllt.' -> 'Uppfyllt'."""
    folded = fold_ocr(text)
    for pattern, grade in FULFILMENT_PHRASES:
        if re.search(pattern, folded):
            return grade
    return None


def goals_from_table_lines(doc: ParsedDocument, meta=None, taken: set[int] | None = None) -> list[Goal]:
    """Goal tables laid out in lines: a header with Mål and Resultat (or Måluppfyllelse, Målvärde,
    Indikator), then one row per goal or insats.

    On a positioned page (PDF, OCR) the table is read by geometry (`extractor.goal_cells`): columns from the
    header and the gutters between the words, rows from the gaps between lines, so wrapped cells, cells run
    together and rows aligned to the top or the bottom read alike. In text input the cells are tab fields
    and a row is a line; a line with a blank insats cell goes on with the row above."""
    goals = []
    lines = document_lines(doc)
    positioned = {p.number for p in doc.pages if p.text_source != "text"}
    furniture = running_lines(doc)

    is_furniture = furniture_test(doc, furniture)

    n = 0
    while n < len(lines):
        line = lines[n]
        if not line.cells or not GOAL_HEADER_SPEC.maybe(line.text):
            n += 1
            continue
        if line.page in positioned:
            header = find_header(lines, n, GOAL_HEADER_SPEC)
            if header is None:
                n += 1
                continue
            columns: GoalColumns = header[3]
            grid = read_grid(lines, header, is_furniture, columns.key)
            rows = [(row.cells, row.page) for row in grid.rows]
            start, n = grid.start, max(grid.end, n + 1)
            if taken is not None:
                taken.update(id(ln) for ln in lines[grid.start : grid.end])
        else:
            columns = _goal_header([c.text for c in line.cells]) if len(line.cells) >= 2 else None
            if columns is None:
                n += 1
                continue
            start = n
            rows, n = _text_rows(lines, n, columns, furniture)
        goals.extend(_table_goals(lines, start, columns, rows, meta))
    return goals


def _text_rows(
    lines: list[Line], n: int, columns: GoalColumns, furniture: set[str]
) -> tuple[list[tuple[list[str], int]], int]:
    """The rows of a goal table in text input, from its header line n: tab fields by column; a line with
    a blank insats cell (or, without an insats column, a blank goal cell) goes on with the row above."""
    width = len(lines[n].cells)
    rows: list[tuple[list[list[str]], int]] = []
    n += 1
    while n < len(lines):
        line = lines[n]
        if rows and _page_break_or_furniture(lines, n, furniture):
            n += 1  # a table running on over a page break: skip the page's end and its header/footer
            continue
        row = [c.text for c in line.cells] + [""] * (width - len(line.cells))
        filled = [k for k, t in enumerate(row) if t.strip()]
        if not filled or len(line.cells) < 2:
            break
        key = row[columns.key].strip() if columns.key < len(row) else ""
        others = [k for k in filled if k != columns.key]
        # "(Skolpiloter)" or "vägledning" under "Pilotutbildningar"/"Studie-": the insats name goes on
        name_goes_on = columns.insats is not None and bool(key) and (key[0] in "(-–" or key[0].islower())
        if rows and (not key or not others or name_goes_on):
            texts, _ = rows[-1]
            if key:
                texts[columns.key] = [_join_lines([*texts[columns.key], key])]
            for k in others:
                texts[k].append(row[k])
        else:
            rows.append(([[t] if t.strip() else [] for t in row], line.page))
        n += 1
    return [([" ".join(t) for t in texts], page) for texts, page in rows], n


def _table_goals(
    lines: list[Line], start: int, columns: GoalColumns, rows: list[tuple[list[str], int]], meta
) -> list[Goal]:
    """The goals of a goal table's rows: the insats from its column (carried down over blank cells), else
    from the table's caption or section, else the federation's own goals; each row's statements paired
    goal to result."""
    title = _title_above(lines, start)
    table_insats = None if columns.insats is not None else _table_insats(lines, start, title, meta)
    goals: list[Goal] = []
    insats = ""
    last_goal = ""

    def cell(cells: list[str], index: int | None) -> str:
        return cells[index].strip() if index is not None and index < len(cells) else ""

    for cells, page in rows:
        if columns.insats is not None:
            insats = cell(cells, columns.insats) or insats
        goal_cell, target_cell = cell(cells, columns.goal), cell(cells, columns.target)
        indicator = cell(cells, columns.indicator)
        if not goal_cell and (target_cell or indicator):
            goal_cell = last_goal  # a goal over several indicators or target rows
        last_goal = goal_cell or last_goal
        for goal in _row_goals(
            insats if columns.insats is not None else table_insats or "",
            goal_cell,
            cell(cells, columns.result),
            cell(cells, columns.fulfilment),
            page,
            target_cell,
            f"{indicator} {goal_cell}",
            cell(cells, columns.comment),
        ):
            goal.section = title
            goals.append(goal)
    return goals


def _page_break_or_furniture(lines: list[Line], n: int, furniture: set[str]) -> bool:
    """A running header, footer or page number, or the empty space of a page break (the content before and
    after it stands on different pages)."""
    line = lines[n]
    if line.text.strip():
        return is_page_furniture(line.text, furniture)

    def content(ln: Line) -> bool:
        return bool(ln.text.strip()) and not is_page_furniture(ln.text, furniture)

    before = next((ln for ln in reversed(lines[:n]) if content(ln)), None)
    after = next((ln for ln in lines[n + 1 :] if content(ln)), None)
    return before is not None and after is not None and before.page != after.page


def _insats_above(lines: list[Line], n: int) -> str | None:
    """For a goal table without an insats column: the nearest heading above it that names something."""
    for k in range(n - 1, -1, -1):
        text = lines[k].text.strip()
        if not text or "\t" in text:
            continue
        heading = is_heading(text, lines[k + 1].text if k + 1 < len(lines) else None)
        if heading and not heading.is_generic and not heading.is_goal_heading:
            return _clean_insats(heading)
    return None


# Words of a caption or heading over goals that name no insats ("Mål och indikatorer 2023", "Förbundets mål").
NAMES_NOTHING = frozenset(
    {"och", "for", "med", "samt", "resultat", "uppdrag", "indikator", "indikatorer", "malvarde", "malvarden",
     "uppfoljning", "maluppfyllelse", "ar", "arets", "aret", "verksamhetsaret", "verksamhetsplan", "forbundet",
     "forbundets", "samordningsforbundet", "samordningsforbundets", "overgripande", "tabell", "bilaga", "figur",
     "utfall", "av", "i", "till", "under", "planerade", "planerat"}
)  # fmt: skip


def _names_insats(text: str) -> bool:
    words = [fold_word(w) for w in re.findall(r"[^\W\d_]+", text)]
    rest = [w for w in words if not re.fullmatch(GOAL_WORD, w) and w not in NAMES_NOTHING]
    return bool(rest)


def _table_insats(lines: list[Line], start: int, title: str | None, meta) -> str | None:
    """Whose goals a table without an insats column holds: what its caption names ("Tabell 3. Mål för
    Vägen Vidare"), else its section's heading, climbing over generic sub-headings ('Mål och resultat') up
    to the numbered section; a caption and section about goals only hold the federation's own goals."""
    if title:
        caption = re.sub(r"(?i)^\s*(?:tabell|tab\.|bilaga|figur)\s*\d*\s*[:.–-]?\s*", "", title)
        caption = re.sub(r"[\s,]+(?:(?:år\s+)?(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)?\d\d)?)$", "", caption)
        if _names_insats(caption):
            return _clean_insats(Heading(caption.strip(), None, 0))
    for k in range(start - 1, -1, -1):
        text = lines[k].text.strip()
        if not text or "\t" in text:
            continue
        heading = is_heading(text, lines[k + 1].text if k + 1 < len(lines) else None)
        if heading is None:
            continue
        if not heading.is_generic and _names_insats(heading.text):
            return _clean_insats(heading)
        if heading.number:
            break  # the section the table stands in names nobody
    return getattr(meta, "federation", None)


def _title_above(lines: list[Line], n: int) -> str | None:
    """The table's title: the nearest short text line above its header, within a few lines."""
    for k in range(n - 1, max(-1, n - 4), -1):
        text = lines[k].text.strip()
        if text and "\t" not in text:
            return text if len(text) <= 120 else None
    return None


# A target cell: qualifier, figure, unit ("Minst 40 %", "ca 350", "Högst 5 procentenheter", "Minst 100 poäng").
_TARGET_CELL = re.compile(
    r"(?i)^\s*(?:(?P<qual>" + "|".join(re.escape(q) for q in sorted(QUALIFIERS, key=len, reverse=True))
    + r")\.?\s+)?(?P<num>\d{1,3}(?:[ \u00a0]\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?)\s*(?P<unit>%|[^\W\d_][\w.]*)?"
)  # fmt: skip
# Units of a target cell by folded word; any other noun counts things.
TARGET_UNITS = (
    (r"^(?:procentenhet\w*|p\.?e\.?|procentandel\w*)$", "percentage_points"),
    (r"^(?:%|procent)$", "percent"),
    (r"^(?:poang|p)$", "points"),
    (r"^(?:kr|kronor)$", "kr"),
    (r"^tkr$", "tkr"),
    (r"^(?:mkr|mnkr|miljoner)$", "mkr"),
)


def parse_target(cell: str, context: str = "") -> tuple[float | None, str | None]:
    """The figure of a target (or result) cell and its unit: 'Minst 40 %' (40, percent), 'ca 300' (300, by
    the goal or indicator text in `context`: percent for an 'andel', else count), 'Högst 5
    procentenheter' (5, percentage_points), 'Minst 100 poäng' (100, points), '212 deltagare' (212, count).
    A figure inside words ('Andel 40 %') is read as a target phrase."""
    cell = " ".join(cell.split())
    m = _TARGET_CELL.match(cell)
    if m is None:
        targets = find_targets(cell)
        return (targets[0].value, targets[0].unit) if targets else (None, None)
    value = _number(m.group("num"))
    word = fold_word(m.group("unit") or "").rstrip(".")
    for pattern, unit in TARGET_UNITS:
        if word and re.match(pattern, word):
            return value, unit
    if word and word not in {fold_word(w) for w in NOT_COUNTED}:
        return value, "count"
    if word:  # "12 månader", "3 år": no count
        return value, None
    folded = fold_ocr(context)
    share = "%" in context or re.search(r"\b(?:andel\w*|procent\w*|grad\w*)\b", folded) is not None
    return value, "percent" if share else "count"


def _row_goals(
    insats: str,
    goal_cell: str,
    result_cell: str,
    grade: str,
    page: int | None,
    target_cell: str = "",
    context: str = "",
    comment: str = "",
) -> list[Goal]:
    goals = split_statements(goal_cell)
    if target_cell:
        value, unit = parse_target(target_cell, context or goal_cell)
        if value is not None:
            if not goals:
                goals = [Statement(goal_cell or target_cell)]
            if len(goals) == 1 or all(g.value is None for g in goals):
                goals = [Statement(" ".join(g.text for g in goals), value, unit)]
    results = split_statements(result_cell)
    if len(results) == 1 and results[0].value is None:
        value, unit = parse_target(results[0].text, context or goal_cell)  # a bare figure: '97', '31'
        if value is not None:
            results = [Statement(results[0].text, value, unit)]
    if len(goals) == 1 and len(results) == 1 and results[0].unit != goals[0].unit and goals[0].unit:
        results[0].unit = goals[0].unit  # one goal, one result: they belong together whatever the wording
    pairs = pair_statements(goals, results)
    fulfilment = _fulfilment(grade) if grade else fulfilment_in(result_cell) or fulfilment_in(comment)
    out = []
    for goal, result in pairs:
        out.append(
            Goal(
                insats=insats or None,
                goal=goal.text if goal else "",
                target_value=goal.value if goal else None,
                target_unit=(goal.unit if goal else result.unit if result else None),
                result=result.text if result else None,
                result_value=result.value if result else None,
                fulfilment=fulfilment,
                page=page,
            )
        )
    if not pairs and fulfilment:
        out.append(Goal(insats=insats or None, goal=goal_cell.strip(), fulfilment=fulfilment, page=page))
    return out


# ---------------------------------------------------------------------------------------------- flattened

# Words in a column-header line of a goal table whose columns OCR has run together ("Insats Mål",
# "Övergripande mål för verksamheten Resultat 2018").
FLAT_HEADER_WORDS = ("insats", "resultat", "utfall")
# Lines that end such a table: the next table or a caption.
FLAT_TABLE_END = ("sammanfattning", "sammanstallning", "tabell", "diagram", "kalla")
# A flattened table ends after this many lines without a target.
FLAT_GAP_LINES = 12


def _flat_header(text: str) -> bool:
    """A goal table's column headers run together on one line: a mål word and a column word after it,
    not a heading like 'Mål och resultat'."""
    words = [fold_word(w) for w in re.findall(r"[^\W\d_]+", text)]
    if not 2 <= len(words) <= 12:
        return False
    if any(not re.fullmatch(r"(?:19|20)\d\d", n) for n in re.findall(r"\d+", text)):
        return False  # a figure other than a year: a sentence ("Målet … var att 300 personer …"), no header
    goal_at = next((i for i, w in enumerate(words) if re.fullmatch(GOAL_WORD, w)), None)
    if goal_at is None:
        return False
    if "insats" in words[:goal_at]:
        return True
    later = [i for i, w in enumerate(words) if w in FLAT_HEADER_WORDS and i > goal_at]
    return bool(later) and words[later[0] - 1] != "och"


def goals_from_flattened_lines(doc: ParsedDocument, taken: set[int] | None = None) -> list[Goal]:
    """Goal tables whose columns OCR has run together into plain lines (no cells).

    In reading order a row's goal comes before its result: on one line, the first target phrase is the
    goal and the next of the same unit its result; a target standing after other text on its line is in
    the result column, as is one followed by last year's figure in brackets ("33 % (11 %)") or standing
    after a 'Resultat' line. A line that starts with a name before its first target starts a new insats.
    """
    lines = document_lines(doc)
    goals: list[Goal] = []
    n = 0
    while n < len(lines):
        text = lines[n].text.strip()
        if len(lines[n].cells) != 1 or id(lines[n]) in (taken or ()) or not _flat_header(text):
            n += 1
            continue
        title = text
        # the header names the goals' area ("Övergripande mål för finansierade … Resultat 2018"); a bare
        # header ("Mål Resultat Resultat") stands under the insats it belongs to
        insats: str | None = _header_insats(title) if _names_area(title) else _insats_above(lines, n)
        trailing_results = "resultat" in fold_word(title)
        in_results = False
        open_goals: list[Goal] = []
        quiet = 0
        n += 1
        while n < len(lines) and quiet < FLAT_GAP_LINES:
            line = lines[n]
            text = line.text.strip()
            if len(line.cells) > 1 or _flat_header(text) or _NUMBERED.match(text) and is_heading(text, None):
                break
            if fold_word(text.split(" ")[0]) in FLAT_TABLE_END if text else False:
                break
            n += 1
            if not text:
                continue
            if fold_word(text).rstrip(":") in {"resultat", "utfall"}:
                in_results = True
                continue
            targets = find_targets(text)
            name = _row_name(text, targets)
            if name:
                insats, in_results, open_goals = name, False, []
            if not targets:
                quiet += 1
                continue
            quiet = 0
            grade = _grade_at_end(text)
            for k, target in enumerate(targets):
                lead = text[: target.start].strip(" |")
                after = text[target.end :]
                is_result = (
                    in_results
                    or re.match(r"\s*\(\s*\d", after) is not None
                    or "(" in text[target.start : target.end]
                    or (k == 0 and lead != "" and lead != name and not lead.startswith("("))
                    or (k > 0 and any(t.unit == target.unit for t in targets[:k]))
                )
                statement = _statement_text(text, targets, k)
                if is_result:
                    goal = next((g for g in open_goals if g.target_unit == target.unit), None)
                    if goal is None:
                        continue
                    open_goals.remove(goal)
                    goal.result, goal.result_value = statement, target.value
                    goal.fulfilment = goal.fulfilment or grade
                else:
                    goal = Goal(insats=insats or _header_insats(title), goal=statement, target_value=target.value,
                                target_unit=target.unit, fulfilment=grade, page=line.page, section=title)  # fmt: skip
                    goals.append(goal)
                    open_goals.append(goal)
                    bare = re.match(r"^[^\d]*?(\d+)(?:\s+\d+)*\s*$", after)
                    if trailing_results and k == len(targets) - 1 and bare:
                        # "80 nya deltagare 97 96": the result columns hold bare figures (2018, 2017)
                        open_goals.remove(goal)
                        goal.result, goal.result_value = bare.group(1), float(bare.group(1))
    return goals


def _names_area(title: str) -> bool:
    """A flattened header with words of its own before the column words (not just 'Insats Mål')."""
    words = [fold_word(w) for w in re.findall(r"[^\W\d_]+", title)]
    own = [w for w in words if w not in FLAT_HEADER_WORDS and not re.fullmatch(GOAL_WORD, w)]
    return len(own) >= 2


def _row_name(text: str, targets: list[Target]) -> str | None:
    """The insats a flattened row starts with: capitalised words before its first target, or a short line of
    its own ('Mojliggorarna')."""
    head = text[: targets[0].start] if targets else text
    head = head.strip(" |")
    words = head.split()
    if not words or len(words) > 3 or not words[0][:1].isupper() or words[0][0] in "(-" or len(head) < 3:
        return None
    if not targets and (len(words) > 2 or head.endswith((".", ",", "-"))):
        return None
    if fold_word(words[0]) in {"totalt", "summa", "resultat", "mal", "insats", "malet", "malen"}:
        return None
    joiners = {"i", "och", "for", "med", "av", "pa"}
    if not all(w[0].isupper() or w[0] in "(&" or fold_word(w) in joiners for w in words):
        return None  # words of a sentence ("Frukostmöten hade …"), not a name
    return head


def _grade_at_end(text: str) -> str | None:
    folded = fold_word(text).replace(" ", "")
    for grade in FULFILMENT_GRADES:
        if fold_word(grade).replace(" ", "") in folded[-20:]:
            return grade
    return None


def _statement_text(text: str, targets: list[Target], k: int) -> str:
    end = targets[k + 1].start if k + 1 < len(targets) else len(text)
    return text[targets[k].start : end].strip(" .|")


def _header_insats(title: str) -> str:
    """A flattened header line as an insats name: its words before the column words."""
    words = title.split()
    cut = next((i for i, w in enumerate(words) if fold_word(w) in FLAT_HEADER_WORDS), len(words))
    return " ".join(words[:cut]) or title


def goals_from_tables(tables: list[Table]) -> list[Goal]:
    """Goal tables the table extractor found: a row per insats, target/result columns as printed."""
    goals = []
    for table in tables or []:
        if table.kind != "goals":
            continue
        target = next((c.key for c in table.columns if c.role == "target"), None)
        result = next((c.key for c in table.columns if c.role == "result"), None)
        if target is None:
            continue
        for row in table.rows:
            goal_raw = row.values[target].raw if target in row.values else ""
            result_raw = row.values[result].raw if result and result in row.values else ""
            goals.extend(_row_goals(row.label, goal_raw, result_raw, "", row.page or table.page))
    return goals


# ---------------------------------------------------------------------------------------------- API


def _same_goal(a: Goal, b: Goal) -> bool:
    """The same goal read twice (from a goal table and from the prose about the insats)."""
    if a.target_value != b.target_value or a.target_unit != b.target_unit:
        return False
    if a.target_value is None:
        return similarity(a.goal, b.goal) >= 0.9
    ia, ib = fold_ocr(a.insats or ""), fold_ocr(b.insats or "")
    if not ia or not ib:
        return similarity(a.goal, b.goal) >= 0.9
    return ia == ib or similarity(ia, ib) >= 0.8 or ia.split()[0][:6] == ib.split()[0][:6]


def extract_goals(doc: ParsedDocument, tables: list[Table] | None = None, meta=None) -> list[Goal]:
    """All goals of a report: goal tables first, then goal lists, then goal sentences in prose.

    A goal already read from an earlier source (a table) is not repeated from a later one (the prose that
    describes the same insats).
    """
    taken: set[int] = set()  # the lines goal tables were read from
    from_tables = goals_from_table_lines(doc, meta, taken)
    layout = read_layout(doc, taken)
    goals: list[Goal] = []
    sources = (
        from_tables,
        goals_from_flattened_lines(doc, taken),
        goals_from_tables(tables or []),
        goals_from_lists(layout),
        goals_from_prose(layout),
    )
    for n, source in enumerate(sources):
        earlier = list(goals)
        for goal in source:
            if n == len(sources) - 1:  # prose repeats itself ("as said above, X has as goal …")
                earlier = goals
            if any(_same_goal(goal, g) for g in earlier):
                continue
            goals.append(goal)
    return goals

"""Goal reading: target phrases and goal cues, the words every goal reader looks for.

Target phrases ("Minst 30 %", "Ca 300 deltagare", "2 500 personer") and goal cues ("har som mål", "målet är
att", "önskar uppnå") are spaCy Matcher patterns on a blank Swedish pipeline, kept as data below. Here too:
a goal cell split into its statements at each target and paired goal to result by unit, a target cell
parsed on its own (`parse_target`), and how fulfilment is graded.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache

from finsam.misreads import is_percent_sign_misread
from finsam.text import first_match, fold_ocr, fold_word

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


_nlp = None
_nlp_loading = threading.Lock()


_matchers: dict = {}


def nlp():
    """A blank Swedish spaCy pipeline (tokenizer only), loaded once per process (by one thread: spaCy's
    vocabulary is not built twice at once); nothing is downloaded."""
    global _nlp
    if _nlp is None:
        with _nlp_loading:
            if _nlp is None:
                _nlp = import_spacy().blank("sv")
    return _nlp


def import_spacy():
    """spaCy, imported without its command line. `import spacy` loads `spacy.cli` (typer, requests, httpx,
    weasel and some forty command modules) for the one name it re-exports, `spacy.info`: a third of the
    import, which every worker of a batch pays before its first document. While spaCy's package is loaded,
    `spacy.cli.info` is a stand-in whose `info` imports the real command on its first call; afterwards the
    stand-in is gone, so `import spacy.cli` anywhere gets the real module. Should a spaCy release need
    more of the command line at import, spaCy is imported again as it is."""
    import sys

    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    import importlib
    import types

    def info(*args, **kwargs):
        return importlib.import_module("spacy.cli.info").info(*args, **kwargs)

    stand_in = types.ModuleType("spacy.cli.info")
    stand_in.info = info
    sys.modules["spacy.cli.info"] = stand_in
    try:
        import spacy
    except Exception:  # a spaCy that imports more of spacy.cli: start again, without the stand-in
        for name in [m for m in sys.modules if m == "spacy" or m.startswith("spacy.")]:
            del sys.modules[name]
        import spacy
    finally:
        if sys.modules.get("spacy.cli.info") is stand_in:
            del sys.modules["spacy.cli.info"]
    return spacy


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


@lru_cache(maxsize=8192)
def goal_cues(text: str) -> frozenset[str]:
    doc = make_doc(text)
    return frozenset(nlp().vocab.strings[m] for m, _, _ in _matcher("cues", GOAL_CUE_PATTERNS)(doc))


@lru_cache(maxsize=8192)
def cue_offsets(text: str) -> tuple[tuple[int, str], ...]:
    doc = make_doc(text)
    return tuple((doc[s].idx, nlp().vocab.strings[m]) for m, s, _ in _matcher("cues", GOAL_CUE_PATTERNS)(doc))


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


# A qualifier as printed before a target figure, the longest first ("minst", "max", "ca").
_QUALIFIER = "|".join(re.escape(q) for q in sorted(QUALIFIERS, key=len, reverse=True))


# A target cell: qualifier, figure, unit ("Minst 40 %", "ca 350", "Högst 5 procentenheter", "Minst 100 poäng").
_TARGET_CELL = re.compile(
    rf"(?i)^\s*(?:(?P<qual>{_QUALIFIER})\.?\s+)?"
    r"(?P<num>\d{1,3}(?:[ \u00a0]\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?)\s*(?P<unit>%|[^\W\d_][\w.]*)?"
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


# What OCR makes of a "%" after a figure ("Minst 40 %" read "Minst 40 960", "Högst 10 26 =:"), trailing specks
# allowed: told apart from a figure's thousands only where the context says a share (an andel cannot be
# 40 960 %) and the figure before is one.
_PERCENT_MISREAD = re.compile(
    rf"(?i)^\s*(?:(?:{_QUALIFIER})\.?\s+)?"
    r"(?P<num>\d{1,3}(?:,\d+)?)\s+(?P<sign>\S{1,4}?)(?:\s*[^\w\s]*)$"
)  # fmt: skip


_UNIT_WORDS = {fold_word(w) for w in COUNT_NOUNS + NOT_COUNTED}


def _says_share(context: str) -> bool:
    return "%" in context or re.search(r"\b(?:andel\w*|procent\w*|grad\w*)\b", fold_ocr(context)) is not None


def misread_percent(cell: str, context: str) -> float | None:
    """The share a target cell holds when OCR read its "%" as figures, None when it does not: the text as
    read is kept beside the value, which is marked repaired and uncertain."""
    m = _PERCENT_MISREAD.match(" ".join(cell.split()))
    if m is None or m.group("sign") == "%" or not _says_share(context):
        return None
    sign = m.group("sign")
    # digits after the figure would make a share of a thousand or more: they are the sign, whatever they say
    if not (is_percent_sign_misread(sign) or sign.isdigit()) or fold_word(sign) in _UNIT_WORDS:
        return None  # "ca 30 st" is a count
    value = _number(m.group("num"))
    return value if value is not None and value <= 100 else None


_LEADING_MARKS = re.compile(r"^[«»\"'“”‘’=~|:;*•·.,]+\s*")


def parse_target(cell: str, context: str = "") -> tuple[float | None, str | None]:
    """The figure of a target (or result) cell and its unit: 'Minst 40 %' (40, percent), 'ca 300' (300, by
    the goal or indicator text in `context`: percent for an 'andel', else count), 'Högst 5
    procentenheter' (5, percentage_points), 'Minst 100 poäng' (100, points), '212 deltagare' (212, count).
    A figure inside words ('Andel 40 %') is read as a target phrase. Marks before the cell's first word are
    none of it (OCR read a speck as '«' in '«ca 300')."""
    cell = _LEADING_MARKS.sub("", " ".join(cell.split()))
    if (share := misread_percent(cell, context)) is not None:
        return share, "percent"
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
    return value, "percent" if _says_share(context) else "count"


# Fulfilment grades as printed in goal tables, longest first.
FULFILMENT_GRADES = [
    "Mycket god", "Godtagbart", "God", "Ej godtagbart", "Delvis uppfyllt", "Ej uppfyllt", "Uppfyllt",
    "Helt uppfyllt", "Inte uppfyllt", "Påbörjat", "Pågår",
]  # fmt: skip


# Fulfilment stated in words inside a result ("Bedömning görs att målet är uppfyllt"), most specific first.
FULFILMENT_PHRASES = (
    (r"\b(?:ej|inte|icke)\s+(?:helt\s+)?(?:uppfyll\w*|uppnadd\w*|uppnatt)", "Ej uppfyllt"),
    (r"\bdelvis\s+(?:uppfyll\w*|uppnadd\w*|uppnatt)", "Delvis uppfyllt"),
    (r"\b(?:uppfyll(?:t|da|des|s)|uppnadd\w*|uppnatt)\b", "Uppfyllt"),
)


def grade_of(text: str) -> str | None:
    folded = fold_ocr(text)
    for grade in FULFILMENT_GRADES:
        if folded.startswith(fold_ocr(grade)):
            return grade
    return text.strip() or None


def fulfilment_in(text: str) -> str | None:
    """Fulfilment stated in words inside a result: 'Målet uppfyllt.' -> 'Uppfyllt'."""
    return first_match(FULFILMENT_PHRASES, fold_ocr(text))

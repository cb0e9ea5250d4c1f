"""Repair Swedish text that an English-model OCR mangled, without touching correct text.

An English Tesseract model has no å, ä, ö: it prints a, d, i, é, 6, ¢ … in their place, sometimes two letters
for one ("Samordningsférbundet", "dr" for "är", "6kat" for "ökat", "moéta" for "möta"). For each word we try
the Swedish letters only at those damage positions, weighted by how often that misreading happens, and rank
the readings with parsers.lexicon: Swedish word frequencies, the reports' own vocabulary and word pairs, and
the words the document itself uses unambiguously. A word is replaced only when the reading is a known word
and the printed form is not, or when the reading is so much more common that the printed form is implausible
(for → för); where both readings are words the neighbouring words decide (the verb form after "att" or "har",
år or är, män or man), and when nothing decides the word stays as printed. Names, addresses and figures are
never changed here. Case, punctuation, tabs and spacing are kept exactly.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

from finsam.model import Cell, Page
from finsam.text import fold_letters
from parsers.lexicon import Lexicon, default_lexicon


@dataclass(frozen=True)
class RepairSettings:
    max_positions: int = 6  # damage positions tried per word (3^6 readings at most)
    min_known: float = 1e-8  # a reading must be at least this frequent (zipf 1) to count as a word
    # A printed word that is itself Swedish yields only to a reading this many times as common. On text
    # known to be an English-model OCR an å/ä/ö was almost surely misread, so far less evidence is needed.
    implausible_ratio: float = 100.0
    noun_context_ratio: float = 60.0  # the same after a preposition or determiner (see NOUN_CONTEXT)
    min_length: int = 2
    # A printed word that is not listed but is made of listed words (a compound) yields to a reading only when
    # compounds compete at all (on text known to be damaged), and the reading is this many times as likely.
    compounds_compete: bool = False
    compound_ratio: float = 3.0
    # år or är: word pairs of clean reports decide when they favour one this many times (else the rules)
    pair_evidence: float = 3.0


SETTINGS = RepairSettings()  # text not known to be damaged: change only what is clearly wrong
# text known to be damaged: a reading three times as common as the printed word wins (mål for mal, sätt for
# satt in a report); measured with bench/repair_bench.py
MANGLED = RepairSettings(implausible_ratio=3.0, noun_context_ratio=2.5, compounds_compete=True)
# A word: letters and digits, joined by hyphens or apostrophes; ¢ & @ € count where they touch a letter (an
# English model prints them for å, ä and ö: "¢kar", "d&n", "ocks&", "m@jlighet").
_PART = r"(?:[^\W_]|[¢&@€](?=[^\W\d_])|(?<=[^\W\d_])[¢&@€])+"
_TOKEN = re.compile(rf"{_PART}(?:[-']{_PART})*", re.UNICODE)
# Words after which "år" (year) and not "är" (is) follows: numbers and time words.
YEAR_CONTEXT = frozenset(
    "per varje detta samma förra nästa hela under ett två tre fyra fem sex flera många några första "
    "andra tredje innevarande kommande föregående nästkommande senaste tidigare senare närmaste antal "
    "gångna".split()
)


# Superlatives before a noun ("bästa år", "starkaste år"): år. Other endings (-ande, -are) are as often
# nouns that take "är" ("ordförande är", "deltagare är").
YEAR_ADJECTIVE_ENDINGS = ("aste",)
COPULAS = frozenset("är var blev blir vara varit bli blivit".split())
# Words after which a noun or a possessive follows, not a verb: "till stöd", "på vilket sätt", "i våra".
NOUN_CONTEXT = frozenset(
    "om av för med till på från hos utan ett en det detta denna samma vilket vilken bästa sådant sådan annat "
    "nytt något visst mer bra stort alla mina dina sina era deras".split()
)


_ADDRESS = re.compile(r"www\.|://|[\w.-]+@[\w-]+\.[a-z]{2,}|\.(?:se|nu|com|org)\b", re.I)
# Abbreviations an English model prints right, which a reading would turn into a word: "Dr." is no "Är".
ABBREVIATIONS = frozenset("dr kand fil mag jur med ing prof doc resp ca bl st nr tel kl".split())


def _in_address(text: str, start: int, end: int) -> bool:
    """Whether the word at text[start:end] is part of a web or mail address, which is never repaired."""
    left = text.rfind(" ", 0, start) + 1
    right = min((i for i in (text.find(" ", end), text.find("\n", end)) if i >= 0), default=len(text))
    left = max(left, text.rfind("\n", 0, start) + 1)
    return bool(_ADDRESS.search(text, left, right))


_SENTENCE_BREAK = re.compile(r"[.!?:;•*#|]|\n\s*\n")  # a blank line ends a paragraph


@dataclass
class RepairResult:
    text: str
    changes: list[tuple[int, str, str]] = field(default_factory=list)  # (offset, printed, repaired)

    def __str__(self) -> str:
        return self.text


# How likely an English model prints each character for a Swedish letter, next to printing the character for
# itself (1.0). Measured with bench/repair_bench.py on rendered pages; 'd' for å/ä/ö is rarer there than in
# real scans (corpus/002's "dr" for "är"), so it is given more weight than measured.
DAMAGE: dict[str, dict[str, float]] = {
    "a": {"å": 1.0, "ä": 1.0},
    "d": {"ö": 0.3, "ä": 0.3, "å": 0.3},
    "i": {"ä": 0.02},
    "é": {"ö": 1.0, "ä": 0.3, "å": 0.1},
    "á": {"å": 1.0, "ä": 1.0},
    "à": {"å": 1.0, "ä": 1.0},
    "o": {"ö": 0.5},
    "ó": {"ö": 1.0},
    "ò": {"ö": 1.0},
    "6": {"ö": 1.0},
    "¢": {"ö": 1.0},
    "4": {"ä": 1.0},
    "A": {"Å": 1.0, "Ä": 1.0},
    "O": {"Ö": 0.5},
    "D": {"Ä": 0.3, "Å": 0.3},
    "G": {"Ö": 0.05},
    "&": {"å": 0.5, "ä": 0.5},
    "@": {"ö": 0.5, "å": 0.5},  # "m@jlighet", "g@r"
    "€": {"å": 0.3, "ä": 0.3},
}
# Two printed characters for one Swedish letter, as real scans OCR'd with an English model show them
# ("moéta" möta, "méata" mäta, "kédnns" känns, "fraimja" främja, "vdart" vårt, "d&n" än).
DAMAGE_PAIRS: dict[str, dict[str, float]] = {
    "oé": {"ö": 0.5},
    "éo": {"ö": 0.5},
    "aé": {"ö": 0.3},
    "dé": {"ö": 0.3},
    "éa": {"ä": 0.5, "å": 0.2},  # "méata" mäta, "framéat" framåt
    "éd": {"ä": 0.1},
    "éi": {"ä": 0.3},  # "forvéintas" förväntas
    "d&": {"ä": 0.3},
    "ia": {"ä": 0.01},
    "ai": {"ä": 0.01},
    "id": {"ä": 0.01},
    "oi": {"ö": 0.01},  # "moijligheter"
    "ad": {"ö": 0.01, "å": 0.01, "ä": 0.01},  # "smadrta" smärta
    "da": {"å": 0.01},
}
_SURNAME_ACCENT = re.compile(r"[^é¢6áàóò4&@€]{3}é[nr]?$")  # the é of -én, -ér, -é is a name's own
AMBIGUITY = 2.5  # the best reading must be this many times likelier than the next to be taken
# Characters that never stand inside a Swedish word: a word holding one was misread for sure.
NEVER_SWEDISH = frozenset("é¢6áàóò4&@€")


@functools.lru_cache(maxsize=50_000)
def _readings(word: str, settings: RepairSettings) -> list[tuple[str, float]]:
    """Every reading with Swedish letters at the damage positions (DAMAGE, and the letter pairs of
    DAMAGE_PAIRS that stand for one letter), in the printed word's case, with how likely that misreading is."""
    upper = word.isupper() and len(word) > 1
    # options[i]: (characters consumed, replacement, weight) for a damage site starting at i
    options: dict[int, list[tuple[int, str, float]]] = {}
    for i, ch in enumerate(word):
        site = [(1, r, w) for r, w in DAMAGE.get(ch, {}).items()]
        site += [(2, r, w) for r, w in DAMAGE_PAIRS.get(word[i : i + 2].lower(), {}).items()]
        if site:
            options[i] = site
    if len(options) > settings.max_positions:
        # the likeliest misreadings first: an 'a' or 'é' before an 'i' ("individniva")
        keep = sorted(options, key=lambda i: -max(w for _, _, w in options[i]))[: settings.max_positions]
        options = {i: options[i] for i in sorted(keep)}
    if not options:
        return []
    out: list[tuple[str, float]] = []

    def walk(i: int, pieces: list[str], weight: float) -> None:
        if i >= len(word):
            candidate = "".join(pieces)
            if candidate != word:
                out.append((candidate.upper() if upper else candidate, weight))
            return
        walk(i + 1, [*pieces, word[i]], weight)
        for length, reading, w in options.get(i, ()):
            if i + length > len(word):
                continue
            # a capital printed for a Swedish letter is one only where a word starts: "mOjlighet"
            cased = reading.upper() if i == 0 and word[0].isupper() else reading.lower()
            walk(i + length, [*pieces, cased], weight * w)

    walk(0, [], 1.0)
    return out


@dataclass(frozen=True)
class Context:
    """The words around a word, already repaired before it and as printed after it, lower case."""

    before: tuple[str, ...] = ()  # nearest last
    after: tuple[str, ...] = ()  # nearest first
    name: bool = False  # a capital inside a sentence: likely a name ("Navigatorcentrum", "Aventus")
    head: bool = False  # a compound's first part before a hyphen ("hälso- och sjukvård")

    @property
    def prev(self) -> str:
        return self.before[-1] if self.before else ""

    @property
    def next(self) -> str:
        return self.after[0] if self.after else ""


# Words after which a possessive follows rather than the verb 'vara' ("i våra insatser", "om vårt arbete").
PREPOSITIONS = frozenset(
    "i om av för med till på från hos inom utan genom mellan bland efter under över via mot vid kring".split()
)
POSSESSIVES = frozenset("vår våra vårt".split())
NOT_AFTER_POSSESSIVE = PREPOSITIONS | {"och", "eller", "att", "som"}  # a possessive comes before a noun
# Words after which "än" (than) follows: comparatives and the like ("mer än", "högre än", "annat än").
COMPARATIVES = frozenset("mer fler mindre färre annat annan andra hellre snarare bättre sämre längre".split())
GENDER_WORDS = ("kvinn", "flick", "pojk")  # "kvinnor och män": män, not man
SHARE_WORDS = frozenset("procent % andel andelen".split())  # "64 procent var män"


# Finite verbs: none follows the auxiliary "har", so a printed "har" before one is "här" ("Här följer").
FINITE_VERBS = frozenset(
    "är har finns kan ska skall blir får gör följer kommer vill måste går ges visas redovisas beskrivs "
    "presenteras syns framgår spelar ligger står återfinns".split()
)
FINITE_VERBS_FOLDED = frozenset(fold_letters(w) for w in FINITE_VERBS) - {"har"}


MIN_VERB = 1e-7  # a verb form must be at least this common (zipf 2) to count
# Words after which an infinitive follows ("att stärka", "ska ingå") and a supine ("har nått").
INFINITIVE_MARKERS = frozenset("att ska skall kan kunna vill måste bör skulle kunde borde behöver".split())
PERFECT_AUXILIARIES = frozenset("har hade ha".split())
MODALS = frozenset("bör får".split())  # readings that are modal verbs where the English model prints bor, far
ADVERBS_BETWEEN = frozenset("inte redan också även aldrig nu ännu ofta alltid".split())  # "har inte nått"


def _verb_form(word: str, lex: Lexicon, printed: bool = False) -> str:
    """ "infinitive", "supine" or "": what Swedish morphology says a word can be, from its listed relatives.
    An infinitive has a present tense and a past tense or supine (stärka: stärker, stärkte; nå: når, nådde;
    ingå: ingår, ingått); a supine is an infinitive's -t form (nått ← nå, stärkt ← stärka, vänt ← vända).
    A printed word never counts as its own relative: "natt" does not make "na" a verb."""

    def known(form: str) -> bool:
        return not (printed and form == word) and lex.listed(form) >= MIN_VERB

    def infinitive(w: str) -> bool:
        f = lex.listed(w)
        if len(w) < 2 or w[-1] not in "aåoeu" or f < MIN_VERB:
            return False
        stem = w[:-1] if w.endswith("a") else w
        presents = (w + "r", stem + "er")
        # the present must be of some currency beside the word ("inga" and the name "inger" are no verb)
        if not any(lex.listed(p) >= max(MIN_VERB, f / 100) for p in presents):
            return False
        if not printed:
            return True  # a reading with å/ä/ö and a present is a verb ("fortsätta": fortsätter)
        others = [w + "dde", w + "tt", w + "de"]
        if len(stem) >= 2:
            others += [stem + "te", stem + "de", stem + "t", stem + "it"]  # … falla → fallit
            if stem[-1] in "dt":
                others.append(stem + "e")  # vända → vände
        if len(w) >= 4 and w.endswith("a"):
            others.append(w + "t")  # arbeta → arbetat
        return any(known(form) for form in others)

    if infinitive(word):
        return "infinitive"
    if word.endswith("tt") and infinitive(word[:-2]):  # nått ← nå
        return "supine"
    if word.endswith("t") and any(infinitive(word[:-1] + e) for e in ("a", "da")):  # stärkt, vänt ← vända
        return "supine"
    return ""


def context_weight(reading: str, context: Context, printed: str = "", lex: Lexicon | None = None) -> float:
    """How much the neighbouring words favour a reading (1.0: no opinion). Only readings that differ from
    their English-model twin by å/ä/ö are concerned: män/man, våra/vara, än/an, and a verb form where the
    words before ask for one that the printed word is not ("att starka" → "att stärka", "har natt" →
    "har nått")."""
    prev = context.prev
    if lex is not None and printed:
        aux = prev
        if prev in ADVERBS_BETWEEN and len(context.before) > 1:
            aux = context.before[-2]
        wanted = "infinitive" if aux in INFINITIVE_MARKERS else "supine" if aux in PERFECT_AUXILIARIES else ""
        if not wanted and any(w in PERFECT_AUXILIARIES for w in context.before[-3:]):
            wanted = "supine"  # "har sedan dess nått", "har projektet inte nått"
        if wanted and _verb_form(reading, lex) == wanted and _verb_form(printed, lex, printed=True) != wanted:
            return 100.0
    if reading in ("män", "männen"):
        near = context.before[-6:] + context.after[:3]  # "för kvinnorna 9,2 månader och för männen"
        if prev in ("1", "en", "ett"):
            return 1.0  # "kvinnor och 1 man"
        if any(w.startswith(GENDER_WORDS) or w in SHARE_WORDS for w in near) or prev.isdigit():
            return 100.0
    elif reading == "här" and fold_letters(context.next) in FINITE_VERBS_FOLDED:
        return 100.0
    elif (
        reading in MODALS and lex is not None and _verb_form(context.next, lex, printed=True) == "infinitive"
    ):
        return 100.0  # "bör leda", "får delta": a modal before an infinitive
    elif reading in POSSESSIVES and prev in PREPOSITIONS and context.next not in NOT_AFTER_POSSESSIVE:
        # "för våra insatser", but "för var och en", "ta till vara på"
        return 100.0
    elif reading == "än" and (prev in COMPARATIVES or (prev.endswith("re") and len(prev) > 3)):
        return 100.0
    return 1.0


def repair_word(
    word: str,
    before: str = "",
    after: str = "",
    settings: RepairSettings = SETTINGS,
    context: Context | None = None,
    lexicon: Lexicon | None = None,
) -> str:
    """The repaired word, or the word itself when no reading is clearly better."""
    if context is None:
        context = Context((before.lower(),) if before else (), (after.lower(),) if after else ())
    return _repair(word, context, settings, lexicon or default_lexicon())[0]


def _repair(word: str, context: Context, settings: RepairSettings, lex: Lexicon) -> tuple[str, bool]:
    """The repaired word, and whether it is certain: the printed word cannot be Swedish and exactly one
    reading is (what a document's own vocabulary is learnt from, see learn_document)."""
    before, after = context.prev, context.next
    if len(word) < settings.min_length or word.isdigit():
        return word, False
    if "-" in word.strip("-"):  # "SE-stéd", "12-manadersuppfoljning": each part on its own
        parts = [_repair(p, context, settings, lex) if p else (p, False) for p in word.split("-")]
        return "-".join(p for p, _ in parts), any(sure for _, sure in parts)
    if any(ch.isdigit() for ch in word if ch not in "64") or not any(ch.isalpha() for ch in word):
        return word, False
    lower = word.lower()
    if context.head:
        return _repair_head(word, lower, settings, lex)
    listed = lex.listed(lower)
    cased: dict[str, str] = {}  # each reading, lower case, to the reading in the printed word's case
    weights: dict[str, float] = {}
    for r, w in _readings(word, settings):
        key = r.lower()
        # a 6 or 4 kept as printed leaves no word (other digits never get this far)
        if "6" not in key and "4" not in key and w > weights.get(key, 0.0):
            cased[key], weights[key] = r, w
    readings = list(weights.items())
    if listed and word[:1].isupper() and lower not in lex.places:
        # a place name spelt without its Swedish letters ("Goteborg") is no Swedish spelling of it
        if any(r in lex.places for r, _ in readings):
            listed = 0.0
    derived = 0.0 if listed else lex.derived(lower)
    # é, ¢, 6 … inside a word that is neither listed nor made of listed words ('idéburna' is): misread
    surely_damaged = any(ch in NEVER_SWEDISH for ch in lower) and not listed and not derived
    # what the neighbours say is asked only of the readings that are words
    known = [(r, w, f) for r, w in readings if (f := lex.listed(r)) >= settings.min_known]
    boost = {r: context_weight(r, context, lower, lex) for r, _, _ in known}
    direct = sorted(((f * w * boost[r], r) for r, w, f in known), reverse=True)
    if listed:
        # a Swedish word as printed: only a far more common reading replaces it, or a plausible one where the
        # word before asks for a noun or possessive ("till stod" → "till stöd", "i vara" → "i våra")
        ratio = settings.noun_context_ratio if before in NOUN_CONTEXT else settings.implausible_ratio
        if before in COPULAS and direct and boost[direct[0][1]] == 1.0:
            # after "är", "blev" a participle or adjective is likelier than a noun ("är vald"), unless the
            # words around say otherwise ("64 procent var män")
            ratio *= 10
        if not direct or direct[0][0] < listed * ratio:
            return word, False
        scored = direct
    elif direct:
        scored = direct  # not a word as printed (or only as a compound), but a listed word when repaired
    elif word[:1].isupper() and _SURNAME_ACCENT.search(lower):
        return word, False  # "Paulsén", "Lindén": a Swedish surname's own é
    elif context.name and not surely_damaged:
        return word, False  # a name is spelt as it is unless a listed word is meant or it cannot be Swedish
    elif surely_damaged or settings.compounds_compete:
        scored = sorted(((f * w, r) for r, w in readings if (f := lex.derived(r)) > 0), reverse=True)
        if (
            derived
            and not surely_damaged
            and (not scored or scored[0][0] < derived * settings.compound_ratio)
        ):
            return word, False  # a compound as printed, and no reading a far likelier one
    else:
        return word, False
    if not scored:
        return word, False
    best_f, best = scored[0]
    if {best, scored[1][1] if len(scored) > 1 else ""} == {"är", "år"}:
        return cased[_year_or_is(before, after, settings, lex)], False
    if len(scored) > 1 and scored[1][0] > best_f / AMBIGUITY:
        return word, False  # two readings about as likely and no context rule: leave it
    sure = surely_damaged and (len(scored) == 1 or scored[1][0] < best_f / 100)
    return cased[best], sure


def _repair_head(word: str, lower: str, settings: RepairSettings, lex: Lexicon) -> tuple[str, bool]:
    """A compound's first part standing alone before a hyphen ("hälso- och sjukvård", "behovs- och"): its
    readings are judged as first parts, by the compounds they start, not as words ("behövs" is common, but
    "behovs-" starts many words and "behövs-" none)."""
    printed = lex.head_frequency(lower)
    scored = sorted(
        ((lex.head_frequency(r.lower()) * w, r) for r, w in _readings(word, settings)), reverse=True
    )
    if not scored or scored[0][0] <= 0:
        return word, False
    best_f, best = scored[0]
    ratio = settings.implausible_ratio if printed else 1.0
    if best_f < printed * ratio or (len(scored) > 1 and scored[1][0] > best_f / AMBIGUITY):
        return word, False
    return best, False


def _year_or_is(before: str, after: str, settings: RepairSettings, lex: Lexicon) -> str:
    """ "år" (year) or "är" (is) for a printed "ar": a year after it, a count or a time word before it says år
    ("år 2017", "2 år", "tre år", "varje år"); else word pairs of clean reports say år when they clearly
    favour it, and anything else is är ("ordförande är", "deltagare är")."""
    if after.isdigit() and len(after) == 4:
        return "år"
    if any(ch.isdigit() for ch in before) and not (before.isdigit() and len(before) == 4):
        return "år"  # "2 år", "16-29 år"; after a year both are common ("2015 är …")
    if before in YEAR_CONTEXT or before.endswith(YEAR_ADJECTIVE_ENDINGS):
        return "år"  # "tre år", "varje år", "senaste år"
    evidence = lex.context_factor("år", before, after) / lex.context_factor("är", before, after)
    return "år" if evidence >= settings.pair_evidence else "är"


def _is_place(word: str, lex: Lexicon) -> bool:
    """A place name, or its genitive ("Östergötland", "Åtvidabergs"): its capital is its own."""
    lower = word.lower()
    return lower in lex.places or (lower.endswith("s") and lower[:-1] in lex.places)


def _contexts(words: list[str], k: int, done: list[str], name: bool = False, head: bool = False) -> Context:
    before = tuple(w.lower() for w in done[-6:])
    return Context(before, tuple(n.lower() for n in words[k + 1 : k + 4]), name, head)


def learn_document(text: str, settings: RepairSettings = MANGLED, lexicon: Lexicon | None = None) -> Lexicon:
    """The lexicon adapted to one document: the words it surely uses, read where the printed form leaves no
    doubt ('stéd' can only be 'stöd'), count for the same words where it does ('stod': stöd or stod)."""
    lex = lexicon or default_lexicon()
    words = [m.group(0) for m in _TOKEN.finditer(text)]
    counts: Counter[str] = Counter()
    empty = Context()
    for word in words:
        if not any(ch in NEVER_SWEDISH for ch in word.lower()):
            continue
        fixed, sure = _repair(word, empty, settings, lex)
        if sure:
            counts[fixed.lower()] += 1
    return lex.adapted(counts, len(words))


def repair_text(
    text: str, settings: RepairSettings | None = None, lexicon: Lexicon | None = None
) -> RepairResult:
    """Repair every word of a text; everything between words is copied as it is. Without settings, text
    that parsers.quality finds mangled is repaired with the MANGLED profile, other text conservatively.
    Mangled text is first read for the words it surely uses (learn_document), unless a lexicon is given."""
    if settings is None:
        from parsers.quality import assess_text

        settings = MANGLED if assess_text(text).mangled else SETTINGS
    if lexicon is None:
        lexicon = learn_document(text, settings) if settings.compounds_compete else default_lexicon()
    out: list[str] = []
    changes: list[tuple[int, str, str]] = []
    last = 0
    done: list[str] = []  # the words so far, repaired: the next word's context ("tva ar" → "två år")
    matches = list(_TOKEN.finditer(text))
    words = [m.group(0) for m in matches]
    for k, m in enumerate(matches):
        word = m.group(0)
        gap = text[last : m.start()]
        gap_after = text[m.end() : matches[k + 1].start()] if k + 1 < len(matches) else ""
        break_before, break_after = bool(_SENTENCE_BREAK.search(gap)), bool(_SENTENCE_BREAK.search(gap_after))
        # neighbours across a sentence end say nothing of a word ("tidigare år. Att …")
        context = _contexts(
            words[: k + 1] if break_after else words,
            k,
            [] if break_before else done,
            name=word[:1].isupper()
            and not word.isupper()
            and bool(done)
            and done[-1][:1].islower()
            and not break_before,
            head=gap_after.startswith("-") and (len(gap_after) == 1 or gap_after[1:2].isspace()),
        )
        fixed = _repair(word, context, settings, lexicon)[0]
        if fixed != word and (
            _in_address(text, m.start(), m.end())
            or (gap_after.startswith(".") and word.lower() in ABBREVIATIONS)
        ):
            fixed = word
        if (
            fixed != word
            and word[0] in "AOG"
            and fixed[0] != word[0]
            and done
            and not break_before
            and word[1:].islower()
            and context.next[:1].islower()
            # the word before is lower case, or on the same line a figure inside a sentence ("helåret 2016
            # är"), not a section number ("4.1 Övergripande mål"); after a name it may be a name ("Maria Östh")
            and (
                done[-1][:1].islower()
                or (
                    not any(ch in gap for ch in "\n\t")
                    and done[-1][:1].isdigit()
                    and len(done) > 1
                    and done[-2][:1].islower()
                )
            )
            and not _is_place(fixed, lexicon)
        ):
            # an English model prints a lower-case å/ä/ö starting a word as a capital: "även" read "Aven"
            # mid-sentence (a line break inside a paragraph included) is not a capital
            fixed = fixed[0].lower() + fixed[1:]
        out.append(gap)
        out.append(fixed)
        if fixed != word:
            changes.append((m.start(), word, fixed))
        last = m.end()
        done.append(fixed)
    out.append(text[last:])
    return RepairResult("".join(out), changes)


def _cell_spans(page: Page) -> list[tuple[Cell, int]] | None:
    """Where each cell's text starts in the page text, or None when the page text is not made of its cells
    (then each cell is repaired on its own). Positioned pages join cells by tabs and lines by newlines; text
    pages keep each cell's character offsets in its line."""
    text = page.text
    line_starts = list(itertools.accumulate((len(line) + 1 for line in text.split("\n")), initial=0))
    spans: list[tuple[Cell, int]] = []
    pos = 0
    for line in page.lines:
        for cell in line.cells:
            if page.text_source == "text":
                if line.index >= len(line_starts):
                    return None
                start = line_starts[line.index] + int(cell.x0)
            else:
                start = pos
                pos += len(cell.text) + 1  # the tab after it, or the newline ending the line
            if text[start : start + len(cell.text)] != cell.text:
                return None
            spans.append((cell, start))
        if page.text_source != "text" and not line.cells:
            pos += 1
    return spans


def _apply(text: str, start: int, changes: list[tuple[int, str, str]]) -> str:
    """`text`, which stands at `start` in a page, with the page's changes that fall inside it."""
    out, last = [], 0
    for offset, printed, repaired in changes:
        k = offset - start
        if 0 <= k and k + len(printed) <= len(text) and text[k : k + len(printed)] == printed:
            out += [text[last:k], repaired]
            last = k + len(printed)
    return "".join(out) + text[last:]


def repair_page(page: Page, lexicon: Lexicon | None = None) -> Page:
    """Repair a mangled page in place: its text, its cells and its words; the printed text is kept. A cell
    takes the page's reading of its words (read with the words around them), not a reading of its own.
    `lexicon` is the document's (learn_document over all its pages); by default the page's own."""
    lexicon = lexicon or learn_document(page.text)
    result = repair_text(page.text, MANGLED, lexicon)
    if not result.changes:
        return page
    spans = _cell_spans(page)
    if spans is None:
        spans = [(cell, -1) for line in page.lines for cell in line.cells]
    offsets = [c[0] for c in result.changes]  # in page order
    for cell, start in spans:
        if start < 0:
            fixed = repair_text(cell.text, MANGLED, lexicon).text
        else:
            lo = bisect.bisect_left(offsets, start)
            hi = bisect.bisect_left(offsets, start + len(cell.text), lo)
            fixed = _apply(cell.text, start, result.changes[lo:hi]) if hi > lo else cell.text
        if fixed == cell.text:
            continue
        cell.text = fixed
        # repair keeps the spaces between words, so the cell's words line up with its repaired tokens
        tokens = fixed.split()
        if len(tokens) == len(cell.words):
            for w, token in zip(cell.words, tokens, strict=True):
                if token != w.text:
                    w.raw, w.text = w.text, token
    page.raw_text = page.text
    page.text = result.text
    page.quality.repaired_words = len(result.changes)
    return page

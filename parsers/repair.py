"""Repair Swedish text that an English-model OCR mangled, without touching correct text.

An English Tesseract model has no å, ä, ö: it prints a, d, i, é, 6, ¢ … in their place ("Samordningsférbundet",
"dr" for "är", "6kat" for "ökat"). For each word we try the Swedish letters only at those damage positions and
rank the readings by Swedish word frequency (wordfreq's Swedish list, shipped inside the PyPI package) plus a
domain vocabulary (the kommuner and regioner, agencies, accounting terms). A word is replaced only when
the reading is a known word and the printed form is not, or when the reading is so much more common that the
printed form is implausible (for → för); when two readings compete (är / år) the neighbouring words decide, and
when nothing decides the word stays as printed. Numbers are never changed here. Case, punctuation, tabs and
spacing are kept exactly.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from finsam.model import Page


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


SETTINGS = RepairSettings()  # text not known to be damaged: change only what is clearly wrong
MANGLED = RepairSettings(
    implausible_ratio=8.0, noun_context_ratio=0.5, compounds_compete=True
)  # mål for mal, får for far; satt/sätt, stod/stöd stay
_TOKEN = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*|[6¢](?=[^\W\d_])[^\W_]*", re.UNICODE)
DOMAIN_WORDS = (
    "samordningsförbund samordningsförbundet samordningsförbundets samordningsförbunden förbundet förbundets "
    "försäkringskassan försäkringskassans arbetsförmedlingen arbetsförmedlingens landstinget landstingets "
    "regionen regionens kommunerna medlemsavgifter medlemsavgift medlemsbidrag årsredovisning årsredovisningen "
    "förvaltningsberättelse förvaltningsberättelsen verksamhetsår verksamhetsåret resultaträkning "
    "balansräkning kassaflödesanalys omsättningstillgångar anläggningstillgångar kortfristiga långfristiga "
    "skulder fordringar intäkter kostnader nettokostnad måluppfyllelse delårsrapport verksamhetsplan "
    "styrelsen förbundsordningen revisorer revisionsberättelse tilläggsupplysningar utgående ingående "
    "överskott underskott avsättningar periodiseringar upplupna förutbetalda räkenskapsår ändamål "
    "rehabilitering rehabiliteringsinsatser självförsörjning förvärvsarbete insatser insatsen deltagare"
).split()
# Words after which "år" (year) and not "är" (is) follows: numbers and time words.
YEAR_CONTEXT = frozenset(
    "per varje detta samma förra nästa hela under ett två tre fyra fem sex flera många några första "
    "andra tredje innevarande kommande föregående nästkommande senaste".split()
)


# Adjectives and participles before a noun ("utvecklande år", "tidigare år"): år, not är.
YEAR_ADJECTIVE_ENDINGS = ("ande", "ende", "are", "aste", "iga")
# Words after which a noun or a possessive follows, not a verb: "till stöd", "på vilket sätt", "i våra".
NOUN_CONTEXT = frozenset(
    "om av för med till på från hos utan ett en det detta denna samma vilket vilken bästa sådant sådan annat "
    "nytt något visst mer bra stort alla mina dina sina era deras".split()
)


_ADDRESS = re.compile(r"www\.|://|@|\.(?:se|nu|com|org)\b", re.I)


def _in_address(text: str, start: int, end: int) -> bool:
    """Whether the word at text[start:end] is part of a web or mail address, which is never repaired."""
    left = text.rfind(" ", 0, start) + 1
    right = min((i for i in (text.find(" ", end), text.find("\n", end)) if i >= 0), default=len(text))
    left = max(left, text.rfind("\n", 0, start) + 1)
    return bool(_ADDRESS.search(text, left, right))


_SENTENCE_BREAK = re.compile(r"[.!?:;\n•*#|]")


@dataclass
class RepairResult:
    text: str
    changes: list[tuple[int, str, str]] = field(default_factory=list)  # (offset, printed, repaired)

    def __str__(self) -> str:
        return self.text


@functools.cache
def lexicon() -> dict[str, float]:
    """Swedish word frequencies (wordfreq, 'large' list) with the domain vocabulary added."""
    import wordfreq

    words = dict(wordfreq.get_frequency_dict("sv", wordlist="large"))
    domain = 1e-5
    for w in DOMAIN_WORDS:
        words[w] = max(words.get(w, 0.0), domain)
    places = Path(__file__).resolve().parent.parent / "extractor" / "data" / "places.json"
    try:
        data = json.loads(places.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    for name in _strings(data):
        for part in re.findall(r"[^\W\d_]+", name.lower()):
            if len(part) > 2:
                words[part] = max(words.get(part, 0.0), domain)
                words[part + "s"] = max(words.get(part + "s", 0.0), domain / 10)
    return words


def _strings(data) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for key, v in data.items() if not key.startswith("_") for s in _strings(v)]
    if isinstance(data, list):
        return [s for item in data for s in _strings(item)]
    return []


# Derivational endings: a word made of a known word and one of these is a word ("mentorskap").
SUFFIXES = (
    "skapet",
    "skapen",
    "skap",
    "heten",
    "het",
    "ningen",
    "ningar",
    "ning",
    "elsen",
    "else",
    "ande",
    "ende",
)
# The linking vowel a compound's first part takes in place of its final -a: hälsa → hälso-, kassa → kasse-.
LINKING_VOWELS = ("o", "e", "u")
MIN_TAIL = 1e-7  # the last part of a compound must be at least this common (zipf 2)


def frequency(word: str) -> float:
    """How common a word is in Swedish; compounds, derivations and genitives count when their parts are known."""
    return lexicon().get(word, 0.0) or derived_frequency(word)


@functools.lru_cache(maxsize=200_000)
def derived_frequency(word: str, depth: int = 0) -> float:
    """A small frequency for a word not in the list but made of words that are: derivations (-skap, -het),
    genitives (-s) and compounds, whose parts may be joined by a linking s or vowel ("hälsoprofil",
    "försäkringskassetjänsteman") or lose one of three equal consonants ("process" + "stöd" = "processtöd")."""
    lex = lexicon()
    for suffix in SUFFIXES:
        stem = word[: -len(suffix)]
        if (
            word.endswith(suffix)
            and len(stem) >= 3
            and (stem in lex or (stem.endswith("s") and stem[:-1] in lex))
        ):
            return 1e-8
    if word.endswith("s") and len(word) > 4 and lex.get(word[:-1], 0.0) >= MIN_TAIL:
        return lex[word[:-1]] / 20  # genitive: "länsarbetsnämndens"
    if len(word) < 7 or depth > 1:
        return 0.0
    best = 0.0
    for cut in range(3, len(word) - 2):
        head, tail = word[:cut], word[cut:]
        tail_f = lex.get(tail, 0.0)
        if tail_f < MIN_TAIL and len(tail) >= 7:
            tail_f = derived_frequency(tail, depth + 1)  # the tail is a compound itself
        if head[-1] == head[-2]:  # "process" + "stöd": three equal consonants are written as two
            tail_f = max(tail_f, lex.get(head[-1] + tail, 0.0))
        if tail_f < MIN_TAIL / 10:
            continue
        head_f = _stem_frequency(head, depth)
        if head_f:
            # a compound is rarer than its parts: scored by their geometric mean, well below listed words
            best = max(best, 0.01 * (tail_f * head_f) ** 0.5)
    return best


def _stem_frequency(head: str, depth: int) -> float:
    """How common the word is that a compound's first part stands for: "läns" (län + s), "hälso" (hälsa)."""
    lex = lexicon()
    if head.endswith("s"):
        # a head ending in s is a stem and the linking s ("läns-", "behovs-"), never a word of its own
        stem = head[:-1]
        f = lex.get(stem, 0.0)
        if not f and len(stem) >= 7 and depth == 0:
            f = derived_frequency(stem, depth + 1)  # "årsredovisnings", "samordnings" + …
        return f
    if head.endswith(LINKING_VOWELS) and lex.get(head[:-1] + "a", 0.0) >= MIN_TAIL:
        return lex[head[:-1] + "a"]
    return lex.get(head, 0.0)


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
}
AMBIGUITY = 2.5  # the best reading must be this many times likelier than the next to be taken
# Characters that never stand inside a Swedish word: a word holding one was misread for sure.
NEVER_SWEDISH = frozenset("é¢6áàóò4")


def _readings(word: str, settings: RepairSettings) -> list[tuple[str, float]]:
    """Every reading with Swedish letters at the damage positions, with how likely that misreading is."""
    positions = [i for i, ch in enumerate(word) if ch in DAMAGE][: settings.max_positions]
    if not positions:
        return []
    options = [[(word[i], 1.0), *DAMAGE[word[i]].items()] for i in positions]
    out = []
    for combo in itertools.product(*options):
        chars = list(word)
        weight = 1.0
        for i, (ch, w) in zip(positions, combo, strict=True):
            chars[i] = ch
            weight *= w
        candidate = "".join(chars)
        if candidate != word:
            out.append((candidate, weight))
    return out


def _match_case(printed: str, reading: str) -> str:
    if printed.isupper() and len(printed) > 1:
        return reading.upper()
    out = [r.upper() if p.isupper() else r for p, r in zip(printed, reading, strict=True)]
    # an English model prints a lower-case å/ä/ö inside a word as a capital ("mOjlighet"): not a capital
    for i in range(1, len(out)):
        if printed[i] in DAMAGE and printed[i].isupper() and reading[i] != printed[i].lower():
            out[i] = reading[i]
    return "".join(out)


@dataclass(frozen=True)
class Context:
    """The words around a word, already repaired before it and as printed after it, lower case."""

    before: tuple[str, ...] = ()  # nearest last
    after: tuple[str, ...] = ()  # nearest first

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
# Words after which "än" (than) follows: comparatives and the like ("mer än", "högre än", "annat än").
COMPARATIVES = frozenset("mer fler mindre färre annat annan andra hellre snarare bättre sämre längre".split())
GENDER_WORDS = ("kvinn", "flick", "pojk")  # "kvinnor och män": män, not man


def context_weight(reading: str, context: Context) -> float:
    """How much the neighbouring words favour a reading (1.0: no opinion). Only readings that differ from
    their English-model twin by å/ä/ö are concerned: män/man, våra/vara, än/an."""
    prev = context.prev
    if reading in ("män", "männen"):
        near = context.before[-3:] + context.after[:3]
        if any(w.startswith(GENDER_WORDS) for w in near) or prev.isdigit() or prev in ("procent", "%"):
            return 100.0
    elif reading in POSSESSIVES and prev in PREPOSITIONS:
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
) -> str:
    """The repaired word, or the word itself when no reading is clearly better."""
    if context is None:
        context = Context((before.lower(),) if before else (), (after.lower(),) if after else ())
    before, after = context.prev, context.next
    if len(word) < settings.min_length or word.isdigit():
        return word
    if any(ch.isdigit() for ch in word if ch not in "64") or not any(ch.isalpha() for ch in word):
        return word
    if "-" in word.strip("-"):  # "SE-stéd": each part on its own
        parts = word.split("-")
        return "-".join(repair_word(p, settings=settings, context=context) if p else p for p in parts)
    lex = lexicon()
    lower = word.lower()
    listed = lex.get(lower, 0.0)
    derived = 0.0 if listed else derived_frequency(lower)
    # é, ¢, 6 … inside a word that is neither listed nor made of listed words ('idéburna' is): misread
    surely_damaged = any(ch in NEVER_SWEDISH for ch in lower) and not listed and not derived
    readings = [(r.lower(), w) for r, w in _readings(word, settings) if not any(ch.isdigit() for ch in r)]
    direct = sorted(
        (
            (lex[r] * w * context_weight(r, context), r)
            for r, w in readings
            if r in lex and lex[r] >= settings.min_known
        ),
        reverse=True,
    )
    if listed:
        # a Swedish word as printed: only a far more common reading replaces it, or a plausible one where the
        # word before asks for a noun or possessive ("till stod" → "till stöd", "i vara" → "i våra")
        ratio = settings.noun_context_ratio if before in NOUN_CONTEXT else settings.implausible_ratio
        if not direct or direct[0][0] < listed * ratio:
            return word
        scored = direct
    elif direct:
        scored = direct  # not a word as printed (or only as a compound), but a listed word when repaired
    elif surely_damaged or settings.compounds_compete:
        scored = sorted(((f * w, r) for r, w in readings if (f := derived_frequency(r)) > 0), reverse=True)
        if (
            derived
            and not surely_damaged
            and (not scored or scored[0][0] < derived * settings.compound_ratio)
        ):
            return word  # a compound as printed, and no reading a far likelier one
    else:
        return word
    if not scored:
        return word
    best_f, best = scored[0]
    if {best, scored[1][1] if len(scored) > 1 else ""} == {"är", "år"}:
        year_next = after.isdigit() and len(after) == 4
        year_before = any(ch.isdigit() for ch in before) or before.endswith(YEAR_ADJECTIVE_ENDINGS)
        best = "år" if (year_before or before in YEAR_CONTEXT or year_next) else "är"
    elif len(scored) > 1 and scored[1][0] > best_f / AMBIGUITY:
        return word  # two readings about as likely and no context rule: leave it
    return _match_case(word, best)


def repair_text(text: str, settings: RepairSettings | None = None) -> RepairResult:
    """Repair every word of a text; everything between words is copied as it is. Without settings, text
    that parsers.quality finds mangled is repaired with the MANGLED profile, other text conservatively."""
    if settings is None:
        from parsers.quality import assess_text

        settings = MANGLED if assess_text(text).mangled else SETTINGS
    out: list[str] = []
    changes: list[tuple[int, str, str]] = []
    last = 0
    done: list[str] = []  # the words so far, repaired: the next word's context ("tva ar" → "två år")
    matches = list(_TOKEN.finditer(text))
    for k, m in enumerate(matches):
        word = m.group(0)
        context = Context(
            tuple(w.lower() for w in done[-3:]), tuple(n.group(0).lower() for n in matches[k + 1 : k + 4])
        )
        fixed = repair_word(word, settings=settings, context=context)
        if fixed != word and _in_address(text, m.start(), m.end()):
            fixed = word
        gap = text[last : m.start()]
        if (
            fixed != word
            and word[0] in "AO"
            and fixed[0] != word[0]
            and done
            and not _SENTENCE_BREAK.search(gap)
            and word[1:].islower()
            and context.next[:1].islower()
            and done[-1][:1].islower()
        ):
            # an English model prints a lower-case å/ä/ö starting a word as a capital: "även" read "Aven"
            # mid-sentence is not a capital
            fixed = fixed[0].lower() + fixed[1:]
        out.append(gap)
        out.append(fixed)
        if fixed != word:
            changes.append((m.start(), word, fixed))
        last = m.end()
        done.append(fixed)
    out.append(text[last:])
    return RepairResult("".join(out), changes)


def repair_page(page: Page) -> Page:
    """Repair a mangled page in place: its text, its cells and its words; the printed text is kept."""
    result = repair_text(page.text, MANGLED)
    if not result.changes:
        return page
    page.raw_text = page.text
    page.text = result.text
    for line in page.lines:
        for cell in line.cells:
            fixed = repair_text(cell.text, MANGLED)
            if not fixed.changes:
                continue
            cell.text = fixed.text
            # repair swaps letters one for one, so the cell's words line up with its repaired tokens
            tokens = fixed.text.split()
            if len(tokens) == len(cell.words):
                for w, token in zip(cell.words, tokens, strict=True):
                    if token != w.text:
                        w.raw, w.text = w.text, token
    page.quality.repaired_words = len(result.changes)
    return page

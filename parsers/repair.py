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

# What an English model prints for a Swedish letter, turned round: printed character -> possible letters.
DAMAGE: dict[str, tuple[str, ...]] = {
    "a": ("å", "ä"),  # equally likely: both listed first below (see _weights)
    "d": ("ä", "å"),
    "i": ("ä",),
    "é": ("ö", "ä", "å"),
    "á": ("å", "ä"),
    "à": ("å", "ä"),
    "o": ("ö",),
    "ó": ("ö",),
    "ò": ("ö",),
    "6": ("ö",),
    "¢": ("ö",),
    "A": ("Å", "Ä"),
    "O": ("Ö",),
    "D": ("Ä", "Å"),
}


@dataclass(frozen=True)
class RepairSettings:
    max_positions: int = 6  # damage positions tried per word (3^6 readings at most)
    min_known: float = 1e-8  # a reading must be at least this frequent (zipf 1) to count as a word
    # A printed word that is itself Swedish yields only to a reading this many times as common. On text
    # known to be an English-model OCR an å/ä/ö was almost surely misread, so far less evidence is needed.
    implausible_ratio: float = 60.0
    noun_context_ratio: float = 60.0  # the same after a preposition or determiner (see NOUN_CONTEXT)
    min_length: int = 2


SETTINGS = RepairSettings()  # text not known to be damaged: change only what is clearly wrong
MANGLED = RepairSettings(
    implausible_ratio=8.0, noun_context_ratio=1.0
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


def frequency(word: str) -> float:
    """How common a word is in Swedish; compounds and derivations count as known when their parts are."""
    lex = lexicon()
    f = lex.get(word, 0.0)
    if f:
        return f
    return derived_frequency(word)


def derived_frequency(word: str) -> float:
    """A small frequency for a word not in the list but made of words that are (compounds, -skap, -het)."""
    lex = lexicon()
    f = 0.0
    for suffix in SUFFIXES:
        stem = word[: -len(suffix)]
        if (
            word.endswith(suffix)
            and len(stem) >= 3
            and (stem in lex or (stem.endswith("s") and stem[:-1] in lex))
        ):
            return 1e-8
    if len(word) < 8:
        return f
    best = 0.0
    for cut in range(3, len(word) - 3):
        head, tail = word[:cut], word[cut:]
        # a head ending in s is a stem and the linking s ("läns-", "behovs-"), never a word of its own
        stem = (
            (head[:-1] if head[:-1] in lex else None)
            if head.endswith("s")
            else (head if head in lex else None)
        )
        if tail in lex and lex[tail] > 1e-7 and stem:
            # a compound is rarer than its parts: scored by their geometric mean, well below listed words
            best = max(best, 0.01 * (lex[tail] * lex[stem]) ** 0.5)
    return best


# How likely each misreading is: the letters in DAMAGE are listed most likely first ('é' is mostly 'ö').
RANK_WEIGHTS = (1.0, 0.3, 0.1)
EQUALLY_LIKELY = frozenset("aA")  # an English model prints 'a' for å and ä alike
AMBIGUITY = 2.5  # the best reading must be this many times likelier than the next to be taken
# Characters that never stand inside a Swedish word: a word holding one was misread for sure.
NEVER_SWEDISH = frozenset("é¢6áàóò")


def _readings(word: str, settings: RepairSettings) -> list[tuple[str, float]]:
    """Every reading with Swedish letters at the damage positions, with how likely that misreading is."""
    positions = [i for i, ch in enumerate(word) if ch in DAMAGE][: settings.max_positions]
    if not positions:
        return []
    options = [
        [(word[i], 1.0)] + [(ch, RANK_WEIGHTS[k]) for k, ch in enumerate(DAMAGE[word[i]])] for i in positions
    ]
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
    return "".join(r.upper() if p.isupper() else r for p, r in zip(printed, reading, strict=True))


def repair_word(word: str, before: str = "", after: str = "", settings: RepairSettings = SETTINGS) -> str:
    """The repaired word, or the word itself when no reading is clearly better."""
    if len(word) < settings.min_length or word.isdigit() or any(ch.isdigit() for ch in word if ch != "6"):
        return word
    if "-" in word.strip("-"):  # "SE-stéd": each part on its own
        parts = word.split("-")
        return "-".join(repair_word(p, before, after, settings) if p else p for p in parts)
    lex = lexicon()
    lower = word.lower()
    listed = lex.get(lower, 0.0)
    # é, ¢, 6 … inside a word that is neither listed nor made of listed words ('idéburna' is): misread
    surely_damaged = any(ch in NEVER_SWEDISH for ch in lower) and not listed and not derived_frequency(lower)
    readings = [(r, w) for r, w in _readings(lower, settings) if not any(ch.isdigit() for ch in r)]
    direct = sorted(
        ((lex[r] * w, r) for r, w in readings if r in lex and lex[r] >= settings.min_known), reverse=True
    )
    if listed:
        # a Swedish word as printed: only a far more common reading replaces it, or a plausible one where the
        # word before asks for a noun or possessive ("till stod" → "till stöd", "i vara" → "i våra")
        ratio = settings.noun_context_ratio if before.lower() in NOUN_CONTEXT else settings.implausible_ratio
        if not direct or direct[0][0] < listed * ratio:
            return word
        scored = direct
    elif direct:
        scored = direct  # not a word as printed (or only as a compound), but a listed word when repaired
    elif surely_damaged or not derived_frequency(lower):
        scored = sorted(((f * w, r) for r, w in readings if (f := derived_frequency(r)) > 0), reverse=True)
    else:
        return word
    if not scored:
        return word
    best_f, best = scored[0]
    if {best, scored[1][1] if len(scored) > 1 else ""} == {"är", "år"}:
        year_next = after.isdigit() and len(after) == 4
        year_before = any(ch.isdigit() for ch in before) or before.lower().endswith(YEAR_ADJECTIVE_ENDINGS)
        best = "år" if (year_before or before.lower() in YEAR_CONTEXT or year_next) else "är"
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
    last, before = 0, ""
    matches = list(_TOKEN.finditer(text))
    for k, m in enumerate(matches):
        word = m.group(0)
        after = matches[k + 1].group(0) if k + 1 < len(matches) else ""
        fixed = repair_word(word, before, after, settings)
        out.append(text[last : m.start()])
        out.append(fixed)
        if fixed != word:
            changes.append((m.start(), word, fixed))
        last = m.end()
        before = fixed  # the next word's context is the repaired word ("tva ar" → "två år")
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

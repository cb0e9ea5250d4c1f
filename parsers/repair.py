"""Repair Swedish text that an English-model OCR mangled, without touching correct text.

An English Tesseract model has no å, ä, ö: it prints a, d, i, é, 6, ¢ … in their place, sometimes two letters
for one ("Samordningsférbundet", "dr" for "är", "6kat" for "ökat", "moéta" for "möta"). For each word we try
the Swedish letters only at those damage positions, weighted by how often that misreading happens
(parsers.misreadings), and rank the readings with parsers.lexicon: Swedish word frequencies, the reports' own vocabulary and word pairs, and
the words the document itself uses unambiguously. A word is replaced only when the reading is a known word
and the printed form is not, or when the reading is so much more common that the printed form is implausible
(for → för); where both readings are words the neighbouring words decide (parsers.word_context: the verb
form after "att" or "har", år or är, män or man), and when nothing decides the word stays as printed. Names, addresses and figures are
never changed here. Case, punctuation, tabs and spacing are kept exactly.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

from finsam.model import Cell, Page
from parsers.lexicon import Lexicon, default_lexicon
from parsers.misreadings import NEVER_SWEDISH, swedish_readings
from parsers.word_context import COPULAS, NOUN_CONTEXT, Context, context_weight, year_or_is


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


_SURNAME_ACCENT = re.compile(r"[^é¢6áàóò4&@€]{3}é[nr]?$")  # the é of -én, -ér, -é is a name's own
AMBIGUITY = 2.5  # the best reading must be this many times likelier than the next to be taken


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
    cased, readings, known = _readings(word, settings, lex)
    if listed and word[:1].isupper() and lower not in lex.places:
        # a place name spelt without its Swedish letters ("Goteborg") is no Swedish spelling of it
        if any(r in lex.places for r, _ in readings):
            listed = 0.0
    derived = 0.0 if listed else lex.derived(lower)
    # é, ¢, 6 … inside a word that is neither listed nor made of listed words ('idéburna' is): misread
    surely_damaged = any(ch in NEVER_SWEDISH for ch in lower) and not listed and not derived
    # what the neighbours say is asked only of the readings that are words
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
        scored = lex.memo.get(("compounds", word))
        if scored is None:  # the readings made of listed words, likeliest first: the same at every occurrence
            scored = sorted(((f * w, r) for r, w in readings if (f := lex.derived(r)) > 0), reverse=True)
            lex.memo[("compounds", word)] = scored
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
        return cased[year_or_is(before, after, lex, settings.pair_evidence)], False
    if len(scored) > 1 and scored[1][0] > best_f / AMBIGUITY:
        return word, False  # two readings about as likely and no context rule: leave it
    sure = surely_damaged and (len(scored) == 1 or scored[1][0] < best_f / 100)
    return cased[best], sure


MEMO_WORDS = 20_000  # words whose readings a lexicon keeps (a word's readings may be hundreds)


def _readings(word: str, settings: RepairSettings, lex: Lexicon):
    """The Swedish readings of a printed word: each in the printed word's case by its lower case (`cased`),
    with its weight (`readings`), and those that are listed words with their frequency (`known`). They rest
    on the word and the lexicon only, so a word met again is not read again."""
    key = ("readings", word, settings.max_positions, settings.min_known)
    found = lex.memo.get(key)
    if found is None:
        if len(lex.memo) > MEMO_WORDS:  # a lexicon kept over many documents: its memory stays bounded
            lex.forget()
        cased: dict[str, str] = {}  # each reading, lower case, to the reading in the printed word's case
        weights: dict[str, float] = {}
        for r, w in swedish_readings(word, settings.max_positions):
            low = r.lower()
            # a 6 or 4 kept as printed leaves no word (other digits never get this far)
            if "6" not in low and "4" not in low and w > weights.get(low, 0.0):
                cased[low], weights[low] = r, w
        readings = list(weights.items())
        known = [(r, w, f) for r, w in readings if (f := lex.listed(r)) >= settings.min_known]
        found = lex.memo[key] = (cased, readings, known)
    return found


def _repair_head(word: str, lower: str, settings: RepairSettings, lex: Lexicon) -> tuple[str, bool]:
    """A compound's first part standing alone before a hyphen ("hälso- och sjukvård", "behovs- och"): its
    readings are judged as first parts, by the compounds they start, not as words ("behövs" is common, but
    "behovs-" starts many words and "behövs-" none)."""
    printed = lex.head_frequency(lower)
    scored = sorted(
        ((lex.head_frequency(r.lower()) * w, r) for r, w in swedish_readings(word, settings.max_positions)),
        reverse=True,
    )
    if not scored or scored[0][0] <= 0:
        return word, False
    best_f, best = scored[0]
    ratio = settings.implausible_ratio if printed else 1.0
    if best_f < printed * ratio or (len(scored) > 1 and scored[1][0] > best_f / AMBIGUITY):
        return word, False
    return best, False


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

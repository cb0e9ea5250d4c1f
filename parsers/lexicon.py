"""The Swedish lexicon that OCR repair ranks its readings with: how common a word is, in Swedish and in reports.

Three sources, added together as probabilities: wordfreq's Swedish 'large' list (shipped inside the PyPI
package: general Swedish, from subtitles, the web and Wikipedia), a small hand-made domain vocabulary plus the
kommuner and regioner of `finsam/data/places.json` (finsam.reference), and word counts from clean federation reports
(`parsers/data/domain_sv.tsv`, made by `python -m parsers.lexicon build FILE…`). The report counts are what
make 'sätt', 'stöd', 'mäta' and 'nått' likelier than 'satt', 'stod', 'mata' and 'natt', as they are in reports
but not in subtitles. A `Lexicon` can also be adapted to one document: words the repair read unambiguously
elsewhere in the same text count for it. Words that are not listed count when they are made of listed words:
derivations (-skap, -het), inflections, genitives and compounds, scored by how often Swedish starts words with
their first part (a prefix index over the list) times their last part's frequency. The report counts also hold
word pairs ("ett sätt", "<year> är"), which WordPairs turns into context evidence.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import sys
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from finsam.reference import places as place_list
from parsers.text import clean_markup

DATA = Path(__file__).resolve().parent / "data"
DOMAIN_COUNTS = DATA / "domain_sv.tsv"


@dataclass(frozen=True)
class LexiconSettings:
    domain_word: float = 1e-5  # the frequency of a hand-listed domain word or place name (zipf 5)
    # Weight of the report counts: a word's share of the words of clean reports, times this, is added to
    # its general frequency. Measured with bench/repair_bench.py (leave one report out).
    report_weight: float = 0.5
    # Weight of a word read unambiguously elsewhere in the same document (Lexicon.adapted), likewise.
    document_weight: float = 0.5
    min_tail: float = 1e-7  # the last part of a compound must be at least this common (zipf 2)


SETTINGS = LexiconSettings()

# Words of the reports' own vocabulary that general Swedish lists know poorly or not at all.
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
# Common words that never end a compound, however common they are: adverbs, conjunctions, prepositions.
FUNCTION_WORDS = frozenset(
    "ändå också även här där när då så än ännu nu inte bara redan ju väl nog dock samt eller och att som "
    "på från för till med mot hos åt över under efter genom utan mellan vid".split()
)
# Endings of inflected forms and genitives, longest first.
ENDINGS = ("arna", "erna", "orna", "ens", "ets", "ar", "er", "or", "en", "et", "na", "ns", "s")
# The linking vowel a compound's first part takes in place of its final -a: hälsa → hälso-, kassa → kasse-.
LINKING_VOWELS = ("o", "e", "u")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass
class WordPairs:
    """Which words follow which in clean reports: the context that tells "ordförande är" from "tre år". A
    reading's factor compares how often it stands next to its neighbours with how often it would by chance,
    each count plus one: 1.0 without evidence, above 1 for a pair seen more than chance has it, below 1 only
    for a pair that chance says should have been seen several times. The repair weighs år against är with it;
    for other word pairs the counts of a few reports measured too sparse to help (bench/repair_bench.py)."""

    words: Mapping[str, int]  # word counts of the reports
    pairs: Mapping[str, int]  # "first second" counts, figures as <num>

    def __post_init__(self) -> None:
        self.total = max(sum(self.words.values()), 1)
        first: Counter[str] = Counter()
        for pair, n in self.pairs.items():
            first[pair.partition(" ")[0]] += n
        self.first = first

    def _observed_vs_chance(self, a: str, b: str) -> float:
        expected = self.first.get(a, 0) * self.words.get(b, 0) / self.total
        return (1 + self.pairs.get(f"{a} {b}", 0)) / (1 + expected)

    def factor(self, word: str, before: str, after: str) -> float:
        f = self._observed_vs_chance(before, word) if before else 1.0
        return f * self._observed_vs_chance(word, after) if after else f


@dataclass
class Lexicon:
    """Word frequencies (probabilities, lower case) and the compound analysis built on them."""

    words: Mapping[str, float]
    places: frozenset[str] = frozenset()  # place names, lower case: the spelling of a name is not a guess
    extra: dict[str, float] = field(default_factory=dict)  # added for one document (see adapted)
    settings: LexiconSettings = SETTINGS
    # derived words and compound heads worked out, by depth (a word's own analysis 0, its parts' 1, 2)
    _derived: tuple[dict[str, float], ...] = field(default_factory=lambda: ({}, {}, {}, {}), repr=False)
    _heads: tuple[dict[str, float], ...] = field(default_factory=lambda: ({}, {}, {}, {}), repr=False)
    # what the word repair worked out about a printed word that rests on this lexicon alone (its readings,
    # their frequencies), kept for the word's next occurrence (parsers.repair)
    memo: dict = field(default_factory=dict, repr=False)
    _index: PrefixIndex | None = field(default=None, repr=False)
    context: WordPairs | None = None  # word pairs of clean reports, when known

    @property
    def index(self) -> PrefixIndex:
        if self._index is None:
            self._index = PrefixIndex(self.words)
        return self._index

    def listed(self, word: str) -> float:
        """The word's frequency when it is listed (0.0 when not)."""
        return self.words.get(word, 0.0) + self.extra.get(word, 0.0)

    def frequency(self, word: str) -> float:
        """How common a word is; compounds, derivations and genitives count when their parts are known."""
        return self.listed(word) or self.derived(word)

    def context_factor(self, word: str, before: str, after: str) -> float:
        """How much likelier `word` is between these neighbours than alone (WordPairs; 1.0 without)."""
        if self.context is None:
            return 1.0
        return self.context.factor(word, pair_key(before) if before else "", pair_key(after) if after else "")

    def adapted(self, counts: Mapping[str, int], total: int) -> Lexicon:
        """This lexicon with a document's own words added: `counts` of words read with certainty among `total`
        words. A word the document surely uses ('stéd' can only be 'stöd') is likelier where it is ambiguous."""
        if not counts or total <= 0:
            return self
        weight = self.settings.document_weight / total
        extra = dict(self.extra)
        for word, n in counts.items():
            extra[word] = extra.get(word, 0.0) + weight * n
        return Lexicon(self.words, self.places, extra, self.settings, _index=self.index, context=self.context)

    def forget(self) -> None:
        """Empty the caches of readings and derived words (`memo`, `derived`, `head_frequency`): a lexicon
        kept over many documents, the default one of a worker, keeps its memory bounded."""
        self.memo.clear()
        for cache in (*self._derived, *self._heads):
            cache.clear()

    def derived(self, word: str, depth: int = 0) -> float:
        """A small frequency for a word not in the list but made of words that are: derivations (-skap, -het),
        genitives (-s) and compounds, whose parts may be joined by a linking s or vowel ("hälsoprofil",
        "försäkringskassetjänsteman") or lose one of three equal consonants ("process" + "stöd" = "processtöd")."""
        cache = self._derived[depth]
        cached = cache.get(word)
        if cached is None:
            cached = cache[word] = self._derive(word, depth)
        return cached

    def _derive(self, word: str, depth: int) -> float:
        listed, min_tail = self.listed, self.settings.min_tail
        words, extra = self.words.get, self.extra.get  # `listed`, without a call, in the loops below
        if word.endswith(SUFFIXES):  # one test for all of them first: most words end in none
            for suffix in SUFFIXES:
                stem = word[: -len(suffix)]
                if (
                    word.endswith(suffix)
                    and len(stem) >= 3
                    and (listed(stem) or (stem.endswith("s") and listed(stem[:-1])))
                ):
                    return 1e-8
        # an inflection or genitive of a listed word: "länsarbetsnämndens", "organiseringar"
        inflected = 0.0
        if word.endswith(ENDINGS):
            for e in ENDINGS:
                if word.endswith(e) and len(word) - len(e) >= 4:
                    stem = word[: -len(e)]
                    inflected = max(inflected, words(stem, 0.0) + extra(stem, 0.0))
        if inflected >= min_tail:
            return inflected / 20
        if len(word) < 7 or depth > 1:
            return 0.0
        best = 0.0
        # the caches of head_frequency and derived, read here without a call
        heads, tails, least = self._heads[depth], self._derived[depth + 1], min_tail / 10
        for cut in range(3, len(word) - 2):
            head = word[:cut]
            head_f = heads.get(head)
            if head_f is None:
                head_f = self.head_frequency(head, depth)
            if not head_f:
                continue  # no word starts so: the tail need not be looked at (nor its own compounds)
            tail = word[cut:]
            if tail in FUNCTION_WORDS:
                continue  # "webbs" + "ändå" is no compound
            tail_f = words(tail, 0.0) + extra(tail, 0.0)
            if head[-1] == head[-2]:  # "process" + "stöd": three equal consonants are written as two
                tail_f = max(tail_f, listed(head[-1] + tail))
            if tail_f < least:
                # the last part must be a word of some currency, or a compound itself
                if len(tail) < 7:
                    continue
                tail_f = tails.get(tail)
                if tail_f is None:
                    tail_f = self.derived(tail, depth + 1)
                if not tail_f:
                    continue
            # a compound is as likely as its first part starting one, times its last part
            if tail_f * head_f > best:
                best = tail_f * head_f
        return best

    def head_frequency(self, head: str, depth: int = 0) -> float:
        """`_head_frequency`, cached with the derived words (it rests on the same frequencies)."""
        cache = self._heads[depth]
        cached = cache.get(head)
        if cached is None:
            cached = cache[head] = self._head_frequency(head, depth)
        return cached

    def _head_frequency(self, head: str, depth: int = 0) -> float:
        """How likely a compound starts with `head`. The head must stand for a word: itself ("vård"), a stem
        and a linking s ("läns", "arbets" from arbete, "årsredovisnings") or a stem with a linking vowel
        ("hälso" from hälsa). It is then judged by the frequency of the listed words that start with it (its
        compounds: "års" in årsredovisning, årsskiftet …), so a part counts by how often Swedish builds words
        with it, not by how common it is as a word ("är" is common, "ärs-" starts nothing)."""
        if head.endswith("s"):
            stem = head[:-1]
            # a stem and a linking s ("läns", "arbets" from arbete), or a word ending in s ("insats", "resurs")
            base = self.listed(stem) or self.listed(stem + "e") or self.listed(head)
            if not base and len(stem) >= 7 and depth == 0:
                base = self.derived(stem, depth + 1)  # "årsredovisnings", "samordnings" + …
        elif head.endswith(LINKING_VOWELS) and self.listed(head[:-1] + "a") >= self.settings.min_tail:
            base = self.listed(head[:-1] + "a")
        else:
            base = self.listed(head)
            if len(head) < 5:
                # a short word starts many words that are no compounds of it ("nat": natur), and is often
                # common for reasons of its own ("nåt"): the lesser of the two
                return min(base, self.index.compound_mass(head))
        if not base:
            return 0.0
        # a head that starts no listed compound may still begin one ("resursråds" + "insatser"), rarely
        return self.index.compound_mass(head) or min(base, self.settings.min_tail) / 100


# Endings of a word's own inflections, left out when counting the compounds that start with it.
INFLECTIONS = (
    "",
    "s",
    "a",
    "e",
    "n",
    "t",
    "en",
    "et",
    "er",
    "ar",
    "or",
    "na",
    "ns",
    "ts",
    "ja",
    "de",
    "te",
    "ens",
    "ets",
)


class PrefixIndex:
    """The listed words in sorted order with running sums of their frequencies, to find quickly how common
    the words are that start with a given part."""

    def __init__(self, words: Mapping[str, float]):
        self.words = words
        self.keys = sorted(words)
        self.cumulative = [0.0, *itertools.accumulate(words[k] for k in self.keys)]
        self._mass: dict[str, float] = {}

    def compound_mass(self, head: str) -> float:
        """The summed frequency of the listed words that start with `head`, its own inflections left out."""
        cached = self._mass.get(head)
        if cached is None:
            lo = bisect.bisect_left(self.keys, head)
            hi = bisect.bisect_left(self.keys, head + "\U0010ffff", lo)
            total = self.cumulative[hi] - self.cumulative[lo]
            own = sum(self.words.get(head + ending, 0.0) for ending in INFLECTIONS)
            # below 1e-13 is rounding left by the running sums, not a word
            cached = self._mass[head] = total - own if total - own > 1e-13 else 0.0
        return cached


def report_words(text: str) -> list[str]:
    """The words of a report's text, lower case, markup left by converters dropped."""
    return [w.lower() for w in _WORD.findall(clean_markup(text))]


_CLAUSE = re.compile(r"[.!?;:•\n\t]+")
_TOKEN = re.compile(r"[^\W_]+(?:-[^\W_]+)*")


_YEAR = re.compile(r"(19|20)\d\d")


def pair_key(word: str) -> str:
    """A word as it stands in a word pair: lower case, a year as <year> ("2018 är"), any other figure as
    <num> ("2 år")."""
    if _YEAR.fullmatch(word):
        return "<year>"
    return "<num>" if any(ch.isdigit() for ch in word) else word.lower()


def report_pairs(text: str) -> list[str]:
    """The pairs of neighbouring words within a clause ("ett sätt", "<num> år"), as "first second"."""
    pairs = []
    for clause in _CLAUSE.split(clean_markup(text)):
        words = [pair_key(w) for w in _TOKEN.findall(clause)]
        pairs += [f"{a} {b}" for a, b in itertools.pairwise(words)]
    return pairs


def count_report_words(texts: Iterable[str]) -> Counter[str]:
    """Word counts and word-pair counts ("first second") over clean report texts (`domain_sv.tsv`)."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(report_words(text))
        counts.update(report_pairs(text))
    return counts


def read_counts(path: Path = DOMAIN_COUNTS) -> Counter[str]:
    counts: Counter[str] = Counter()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return counts
    for line in lines:
        word, _, n = line.partition("\t")
        if word and not word.startswith("#") and n.isdigit():
            counts[word] = int(n)
    return counts


def write_counts(counts: Counter[str], path: Path, sources: list[str]) -> None:
    head = [
        "# Word counts and word-pair counts of clean federation reports, for OCR repair (parsers/lexicon.py).",
        f"# Made by: python -m parsers.lexicon build {' '.join(sources)}",
    ]
    body = [f"{w}\t{n}" for w, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    path.write_text("\n".join(head + body) + "\n", encoding="utf-8")


def _strings(data) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for key, v in data.items() if not key.startswith("_") for s in _strings(v)]
    if isinstance(data, list):
        return [s for item in data for s in _strings(item)]
    return []


@functools.cache
def _general() -> tuple[dict[str, float], frozenset[str]]:
    """wordfreq's Swedish list with the domain words and place names added, and the place names."""
    import wordfreq

    words = dict(wordfreq.get_frequency_dict("sv", wordlist="large"))
    domain = SETTINGS.domain_word
    for w in DOMAIN_WORDS:
        words[w] = max(words.get(w, 0.0), domain)
    try:
        data = place_list()
    except (OSError, ValueError):
        data = {}
    places = set()
    for name in _strings(data):
        for part in _WORD.findall(name.lower()):
            if len(part) > 2:
                places.add(part)
                words[part] = max(words.get(part, 0.0), domain)
                words[part + "s"] = max(words.get(part + "s", 0.0), domain / 10)
    return words, frozenset(places)


def build_lexicon(
    report_counts: Mapping[str, int] | None = None, settings: LexiconSettings = SETTINGS
) -> Lexicon:
    """The general lexicon with report word counts added (by default the shipped `domain_sv.tsv`)."""
    general, places = _general()
    counts = read_counts() if report_counts is None else report_counts
    words_seen = {w: n for w, n in counts.items() if " " not in w}
    pairs = {w: n for w, n in counts.items() if " " in w}
    total = sum(words_seen.values())
    if not total:
        return Lexicon(general, places, settings=settings)
    weight = settings.report_weight / total
    words = dict(general)
    for word, n in words_seen.items():
        words[word] = words.get(word, 0.0) + weight * n
    return Lexicon(words, places, settings=settings, context=WordPairs(words_seen, pairs))


@functools.cache
def default_lexicon() -> Lexicon:
    return build_lexicon()


def main(argv: list[str] | None = None) -> None:
    """`python -m parsers.lexicon build FILE…`: write parsers/data/domain_sv.tsv from clean report texts."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) < 2 or args[0] != "build":
        sys.exit("usage: python -m parsers.lexicon build CLEAN_REPORT.txt …")
    paths = [Path(p) for p in args[1:]]
    counts = count_report_words(p.read_text(encoding="utf-8") for p in paths)
    DATA.mkdir(exist_ok=True)
    write_counts(counts, DOMAIN_COUNTS, [p.name for p in paths])
    print(f"{DOMAIN_COUNTS}: {len(counts)} words, {sum(counts.values())} in all, from {len(paths)} texts")


if __name__ == "__main__":
    main()

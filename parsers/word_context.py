"""What the words around a word say about how to read it: år or är, män or man, våra or vara, än or an, här
or har, and the verb form that the words before ask for ("att starka" → "att stärka", "har natt" → "har
nått"). parsers.repair asks `context_weight` of every reading that is a word, and `year_or_is` where år and
är are both words; the word lists here are its grammar, one list a rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from finsam.text import fold_letters
from parsers.lexicon import Lexicon

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


def verb_form(word: str, lex: Lexicon, printed: bool = False) -> str:
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
        if wanted and verb_form(reading, lex) == wanted and verb_form(printed, lex, printed=True) != wanted:
            return 100.0
    if reading in ("män", "männen"):
        near = context.before[-6:] + context.after[:3]  # "för kvinnorna 9,2 månader och för männen"
        if prev in ("1", "en", "ett"):
            return 1.0  # "kvinnor och 1 man"
        if any(w.startswith(GENDER_WORDS) or w in SHARE_WORDS for w in near) or prev.isdigit():
            return 100.0
    elif reading == "här" and fold_letters(context.next) in FINITE_VERBS_FOLDED:
        return 100.0
    elif reading in MODALS and lex is not None and verb_form(context.next, lex, printed=True) == "infinitive":
        return 100.0  # "bör leda", "får delta": a modal before an infinitive
    elif reading in POSSESSIVES and prev in PREPOSITIONS and context.next not in NOT_AFTER_POSSESSIVE:
        # "för våra insatser", but "för var och en", "ta till vara på"
        return 100.0
    elif reading == "än" and (prev in COMPARATIVES or (prev.endswith("re") and len(prev) > 3)):
        return 100.0
    return 1.0


def year_or_is(before: str, after: str, lex: Lexicon, pair_evidence: float) -> str:
    """ "år" (year) or "är" (is) for a printed "ar": a year after it, a count or a time word before it says år
    ("år 2017", "2 år", "tre år", "varje år"); else word pairs of clean reports say år when they clearly
    favour it (`pair_evidence` times or more), and anything else is är ("ordförande är", "deltagare är")."""
    if after.isdigit() and len(after) == 4:
        return "år"
    if any(ch.isdigit() for ch in before) and not (before.isdigit() and len(before) == 4):
        return "år"  # "2 år", "16-29 år"; after a year both are common ("2015 är …")
    if before in YEAR_CONTEXT or before.endswith(YEAR_ADJECTIVE_ENDINGS):
        return "år"  # "tre år", "varje år", "senaste år"
    evidence = lex.context_factor("år", before, after) / lex.context_factor("är", before, after)
    return "år" if evidence >= pair_evidence else "är"

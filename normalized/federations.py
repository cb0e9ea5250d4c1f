"""Federations as entities: which federation a report's printed name, and its member list, stands for.

Reports print one federation's name in many ways: "Samordningsförbundet Botkyrka Huddinge Salem",
"Samordningsforbundet Botkyrka, Huddinge och Salem", "Finsam Botkyrka Huddinge Salem", an English-model
OCR's "Samordningsférbundet …", or an abbreviation, "Samordningsförbundet HBS". `name_form` keeps of a name
the words that tell federations apart (the generic words dropped, the rest folded by `finsam.text.fold_ocr`
and places spelt as the place list spells them), and `match_federation` compares it with the federations
already known: by rapidfuzz over those words and, where a name is an abbreviation, by the initials of the
member kommuner and by the members themselves. One clear match is joined; anything less sure is kept apart
as a federation of its own, never merged, and the federations it may be are kept with it for
`finsam federations` to report. An alias file (`load_aliases`, TOML or CSV) says outright which federation
a name is and overrides the matcher.

Pure functions on names: the store's side (its tables, a document linked in its own transaction, an alias
file applied to a whole store) is normalized.store.federations. Places are recognised as the metadata
reader recognises them (extractor.places), so a name and a member list read from the same report agree.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from extractor.places import kommun_official_name, match_place
from finsam.errors import AliasFileError
from finsam.reference import places
from finsam.text import fold_ocr, same_word

# Words every federation's name may carry, folded: they tell no federation from another. Compared by
# `same_word`, so OCR damage to the longer ones ('Samordningsforbundel') is generic too.
GENERIC_WORDS = (
    "samordningsforbund",
    "samordningsforbundet",
    "samordningsforbundets",
    "finsam",
    "finsamforbundet",
    "forbund",
    "forbundet",
    "forbundets",
    "i",
    "och",
    "kommun",
    "kommunen",
    "kommuner",
    "kommunerna",
)

# The last word of a member that is a kommun ('Salems kommun', 'Mölndals stad'); the state's agencies and
# the region are members of every federation and tell none apart.
KOMMUN_MEMBER_WORDS = frozenset({"kommun", "stad"})

# An abbreviation is a name of one word of capitals this long that is no place ('HBS', 'MPHLA').
ABBREVIATION_LENGTH = (2, 6)

# rapidfuzz scores (0-100) of two names, or of an abbreviation against a federation's members:
# from MATCH_SCORE a candidate is the same federation; from POSSIBLE_SCORE one that is not joined is
# named beside the new federation as one it may be; two candidates from MATCH_SCORE less than
# AMBIGUITY_MARGIN apart are ambiguous, and the name is kept apart from both.
MATCH_SCORE = 90.0
POSSIBLE_SCORE = 70.0
AMBIGUITY_MARGIN = 5.0
# An abbreviation whose letters are the initials of a federation's member kommuner, or whose report has
# the same member kommuner; both at once is certain.
ABBREVIATION_SCORE = 95.0
ABBREVIATION_AND_MEMBERS_SCORE = 100.0


# ---------------------------------------------------------------------------------------------- names


@dataclass(frozen=True)
class NameForm:
    """A federation's name as the matcher compares it."""

    printed: str
    tokens: tuple[str, ...]  # the words that tell federations apart, folded, places as listed, sorted
    places: frozenset[str]  # those tokens that are places: two names of other places are two federations
    kommuner: frozenset[str]  # the kommuner the name names, by their place-list names
    abbreviation: str | None  # an abbreviation's letters, folded and sorted ('HBS' -> 'bhs')

    @property
    def key(self) -> str:
        """The name's tokens as one string: names that fold to the same key are the same name."""
        return " ".join(self.tokens)


_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")


def _generic(word: str) -> bool:
    folded = fold_ocr(word)
    return any(same_word(folded, generic) for generic in GENERIC_WORDS)


def _token(place_name: str) -> str:
    return fold_ocr(place_name).replace(" ", "-")


def name_form(name: str | None) -> NameForm:
    """A printed federation name, folded for comparison.

    'Samordningsförbundet Botkyrka, Huddinge och Salem', 'Finsam Botkyrka Huddinge Salem' and
    'Samordningsférbundet Botkyrka Huddinge Salem' all have the key 'botkyrka huddinge salem'.
    """
    words = [w for w in _WORD.findall(name or "") if not _generic(w)]
    tokens: set[str] = set()
    place_tokens: set[str] = set()
    kommuner: set[str] = set()
    i = 0
    while i < len(words):
        place, width = None, 1
        if i + 1 < len(words):  # two-word kommuner first ("Upplands Väsby", "Östra Göinge")
            two = match_place(f"{words[i]} {words[i + 1]}", ("kommun",))
            if two and " " in two.name:
                place, width = two, 2
        place = place or match_place(words[i])
        if place:
            tokens.add(_token(place.name))
            place_tokens.add(_token(place.name))
            of_a_county = i + width < len(words) and fold_ocr(words[i + width]) in {"lan", "lans"}
            if place.kind == "kommun" and not of_a_county:  # 'Kalmar län' names the region, not the kommun
                kommuner.add(place.name)
        else:
            tokens.add(fold_ocr(words[i]))
        i += width
    abbreviation = None
    low, high = ABBREVIATION_LENGTH
    if len(words) == 1 and not place_tokens:
        word = words[0]
        if word.isalpha() and word.isupper() and low <= len(word) <= high:
            abbreviation = "".join(sorted(fold_ocr(word)))
    return NameForm(
        name or "", tuple(sorted(tokens)), frozenset(place_tokens), frozenset(kommuner), abbreviation
    )


def federation_key(name: str | None) -> str:
    return name_form(name).key


@lru_cache(maxsize=1)
def _official_kommun_names() -> dict[str, str]:
    """Each kommun's member name ('Salems kommun', 'Falu kommun', 'Mölndals stad'), folded -> the kommun."""
    out: dict[str, str] = {}
    for kommun in places()["kommuner"]:
        for stad in (False, True):
            out[fold_ocr(kommun_official_name(kommun["name"], stad=stad))] = kommun["name"]
    return out


def member_kommuner(members: Iterable[str]) -> frozenset[str]:
    """The kommuner among a report's members, by their place-list names ('Salems kommun' -> 'Salem')."""
    found: set[str] = set()
    for member in members:
        words = member.split()
        if len(words) < 2 or fold_ocr(words[-1]) not in KOMMUN_MEMBER_WORDS:
            continue
        kommun = _official_kommun_names().get(fold_ocr(" ".join(words)))
        if kommun is None:
            place = match_place(" ".join(words[:-1]), ("kommun",))
            kommun = place.name if place else None
        if kommun:
            found.add(kommun)
    return frozenset(found)


def initials(kommuner: Iterable[str]) -> str:
    """The initials of a set of kommuner, folded and sorted, as an abbreviation's letters are."""
    return "".join(sorted(fold_ocr(k)[0] for k in kommuner if k))


def name_score(a: NameForm, b: NameForm) -> float:
    """How alike two names are, 0-100.

    The same words in any order score 100. Names that each name a place the other does not ('Östra
    Skaraborg', 'Västra Skaraborg'; 'Göteborg Nordost', 'Göteborg Nordväst') score 0: they are two
    federations however alike they are spelt. A name whose words are all in the other ('Skaraborg' in
    'Östra Skaraborg') scores by how much of it it leaves out (token_sort_ratio: 75 there), since
    token_set_ratio would call it a perfect match. Otherwise token_set_ratio, which forgives OCR damage to a
    word ('Klaralvdaien') and a word only one of them has.
    """
    if not a.tokens or not b.tokens:
        return 0.0
    words_a, words_b = set(a.tokens), set(b.tokens)
    if words_a == words_b:
        return 100.0
    if (a.places - words_b) and (b.places - words_a):
        return 0.0
    if words_a < words_b or words_b < words_a:
        return float(fuzz.token_sort_ratio(a.key, b.key))
    return float(fuzz.token_set_ratio(a.key, b.key))


# ---------------------------------------------------------------------------------------------- matching


@dataclass(frozen=True)
class KnownFederation:
    """A federation already stored, as the matcher sees it."""

    id: int
    name: str
    forms: tuple[NameForm, ...]  # its name and every alias it is known by
    member_sets: tuple[frozenset[str], ...] = ()  # the member kommuner of each of its documents


@dataclass(frozen=True)
class Candidate:
    """A known federation a name may stand for, and why."""

    federation_id: int
    name: str
    score: float
    evidence: str  # name | initials | members | initials+members


@dataclass(frozen=True)
class FederationMatch:
    """What a name was found to be.

    `federation_id` is the federation joined, or None for a new one called `name` (None as well when the
    name tells no federation apart and no member list identifies one: the document stays unlinked).
    `kept_apart` are the federations it may be but was not merged with: close to each other, or not close
    enough to join.
    """

    federation_id: int | None
    name: str | None
    evidence: str  # exact | name | initials | members | initials+members | alias | new | none
    score: float | None = None
    kept_apart: tuple[Candidate, ...] = ()

    @property
    def ambiguous(self) -> bool:
        return bool(self.kept_apart)


def _abbreviation_score(
    form: NameForm, kommuner: frozenset[str], federation: KnownFederation
) -> tuple[float, str] | None:
    """An abbreviation (or a name of no distinctive word) against a federation's members: its letters the
    initials of the federation's kommuner, or its report's kommuner those of the federation's reports. Both
    ways round: a stored federation known by an abbreviation and a report naming its kommuner."""
    theirs = [s for s in (*federation.member_sets, *(f.kommuner for f in federation.forms)) if s]
    ours = [s for s in (kommuner, form.kommuner) if s]
    by_initials = False
    if form.abbreviation:
        by_initials = any(initials(s) == form.abbreviation for s in theirs)
    their_abbreviations = {f.abbreviation for f in federation.forms if f.abbreviation}
    by_initials = by_initials or any(initials(s) in their_abbreviations for s in ours)
    abbreviated = bool(form.abbreviation or their_abbreviations or not form.tokens)
    by_members = abbreviated and bool(kommuner) and kommuner in federation.member_sets
    if by_initials and by_members:
        return ABBREVIATION_AND_MEMBERS_SCORE, "initials+members"
    if by_initials:
        return ABBREVIATION_SCORE, "initials"
    if by_members:
        return ABBREVIATION_SCORE, "members"
    return None


def candidates(name: str | None, members: Iterable[str], known: Iterable[KnownFederation]) -> list[Candidate]:
    """Every known federation the name may stand for with a score from POSSIBLE_SCORE, best first."""
    form = name_form(name)
    kommuner = member_kommuner(members)
    found = []
    for federation in known:
        score = max((name_score(form, f) for f in federation.forms), default=0.0)
        best = (score, "name")
        by_members = _abbreviation_score(form, kommuner, federation)
        if by_members and by_members[0] > score:
            best = by_members
        if best[0] >= POSSIBLE_SCORE:
            found.append(Candidate(federation.id, federation.name, best[0], best[1]))
    return sorted(found, key=lambda c: (-c.score, c.federation_id))


def match_federation(
    name: str | None,
    members: Iterable[str],
    known: Iterable[KnownFederation],
    aliases: Aliases | None = None,
) -> FederationMatch:
    """Which of the known federations a report's federation name (and member list) stands for.

    An alias file decides first. Then a name that folds to a known name or alias is that federation; else
    the best candidate from MATCH_SCORE is joined, unless another is within AMBIGUITY_MARGIN of it. A name
    not joined is a new federation, with the candidates from POSSIBLE_SCORE it was kept apart from.
    """
    known = list(known)
    members = list(members)
    form = name_form(name)
    target = aliases.federation_for(name) if aliases else None
    if target is not None:
        target_key = federation_key(target)
        same = next((k for k in known if any(f.key == target_key for f in k.forms)), None)
        return FederationMatch(same.id if same else None, same.name if same else target, "alias")
    if form.key:
        same = next((k for k in known if any(f.key == form.key for f in k.forms)), None)
        if same:
            return FederationMatch(same.id, same.name, "exact", 100.0)
    found = candidates(name, members, known)
    matches = [c for c in found if c.score >= MATCH_SCORE]
    if matches:
        best = matches[0]
        rivals = [c for c in matches[1:] if best.score - c.score < AMBIGUITY_MARGIN]
        if not rivals:
            return FederationMatch(best.federation_id, best.name, best.evidence, best.score)
        found = [best, *rivals]
    if not form.key:  # nothing in the name to call a new federation by
        return FederationMatch(None, None, "none", kept_apart=tuple(found))
    return FederationMatch(None, name, "new", kept_apart=tuple(found))


def kept_apart_message(name: str, kept_apart: Iterable[Candidate]) -> str:
    """The one-line warning for a name kept apart from federations it may be."""
    others = " and ".join(
        f"'{c.name}' (id {c.federation_id}, {c.score:.0f} by {c.evidence})" for c in kept_apart
    )
    return (
        f"federation '{name}' kept apart from {others}: not merged; say which it is in an alias file "
        "(--aliases), naming it to itself to keep it apart"
    )


# ---------------------------------------------------------------------------------------------- lookup


# A word typed for a federation names the words of its name it begins, from this many letters.
PREFIX_LENGTH = 4


@dataclass(frozen=True)
class FederationLookup:
    """Which federation a name a person typed (`--federation`) stands for: `found`, or the federations it
    could be (`ambiguous`), or none, with the closest names for the message."""

    found: Candidate | None
    candidates: tuple[Candidate, ...] = ()  # the federations an ambiguous name may be
    closest: tuple[Candidate, ...] = ()  # for a name of none: those from POSSIBLE_SCORE

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


def listed(names: list[str], most: int = 5) -> str:
    """Names for a one-line message: the first `most`, and how many more."""
    more = f"; and {len(names) - most} more" if len(names) > most else ""
    return "; ".join(names[:most]) + more


def lookup_federation(name: str, known: Iterable[KnownFederation]) -> FederationLookup:
    """The federation a typed name means. A name that folds to a federation's name or alias is it; else the
    matcher's candidates from MATCH_SCORE decide, as for a report's name (two within AMBIGUITY_MARGIN are
    ambiguous); else the federations all of whose words it names ('botkyrka' for Botkyrka Huddinge Salem,
    'östra' for both Östra Södertörn and Östra Smålandskusten) — never a match for a report's name, which
    may be another federation of that place, but what a person naming one means), a word also by its
    beginning ('vindel' for Vindelådalen) from PREFIX_LENGTH letters."""
    known = list(known)
    form = name_form(name)
    if form.key:
        same = next((k for k in known if any(f.key == form.key for f in k.forms)), None)
        if same:
            return FederationLookup(Candidate(same.id, same.name, 100.0, "exact"))
    found = candidates(name, [], known)
    matches = [c for c in found if c.score >= MATCH_SCORE]
    if matches:
        rivals = [c for c in matches[1:] if matches[0].score - c.score < AMBIGUITY_MARGIN]
        if not rivals:
            return FederationLookup(matches[0])
        return FederationLookup(None, (matches[0], *rivals))
    # the words as typed, and as the place list spells them ('vindel' is also read as the place Vindeln)
    typed = [fold_ocr(w) for w in _WORD.findall(name) if not _generic(w)]
    readings = [words for words in (typed, list(form.tokens)) if words]

    def names(word: str, token: str) -> bool:
        return same_word(word, token) or len(word) >= PREFIX_LENGTH and token.startswith(word)

    containing = [
        Candidate(k.id, k.name, 100.0, "words")
        for k in known
        if any(all(any(names(w, t) for t in f.tokens) for w in words) for words in readings for f in k.forms)
    ]
    if len(containing) == 1:
        return FederationLookup(containing[0])
    return FederationLookup(None, tuple(containing), tuple(found))


# ---------------------------------------------------------------------------------------------- alias files


@dataclass(frozen=True)
class Aliases:
    """An alias file: names as reports print them, each with the name of the federation it stands for.

    A name is looked up by its key (`federation_key`), so one entry covers every spelling that folds to it.
    A federation's own name stands for itself.
    """

    source: str
    entries: tuple[tuple[str, str], ...]  # (alias, federation), in the file's order

    def federations(self) -> dict[str, list[str]]:
        """Each federation named, with its aliases, in the file's order."""
        out: dict[str, list[str]] = {}
        for alias, federation in self.entries:
            out.setdefault(federation, [])
            if alias != federation:
                out[federation].append(alias)
        return out

    @cached_property
    def by_key(self) -> dict[str, str]:
        """Every alias's and federation's key -> the federation's name."""
        out: dict[str, str] = {}
        for alias, federation in self.entries:
            out.setdefault(federation_key(federation), federation)
            out.setdefault(federation_key(alias), federation)
        return out

    def federation_for(self, name: str | None) -> str | None:
        return self.by_key.get(federation_key(name))


def load_aliases(path: str | Path) -> Aliases:
    """Read and validate an alias file; AliasFileError (one line, exit status 2) says what is wrong.

    TOML (`.toml`): a table `[aliases]` of `"alias" = "federation"`. CSV (`.csv`, UTF-8, `,` or `;`): rows
    `alias,federation`, an optional header row `alias,federation`, blank lines and lines starting with `#`
    left out.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise AliasFileError(
            f"{path}: cannot read the alias file: {getattr(err, 'strerror', None) or err}"
        ) from None
    suffix = path.suffix.lower()
    if suffix == ".toml":
        entries = _toml_entries(path, text)
    elif suffix == ".csv":
        entries = _csv_entries(path, text)
    else:
        raise AliasFileError(f"{path}: an alias file is .toml or .csv, not '{path.suffix or path.name}'")
    return _validated(path, entries)


def _toml_entries(path: Path, text: str) -> list[tuple[str, str, str]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise AliasFileError(f"{path}: not valid TOML: {err}") from None
    unknown = sorted(set(data) - {"aliases"})
    if unknown:
        raise AliasFileError(f"{path}: unknown key '{unknown[0]}': an alias file has one table, [aliases]")
    table = data.get("aliases")
    if not isinstance(table, dict):
        raise AliasFileError(f'{path}: no [aliases] table (write [aliases] and then "alias" = "federation")')
    entries = []
    for alias, federation in table.items():
        if not isinstance(federation, str):
            raise AliasFileError(
                f"{path}: alias '{alias}': the federation must be a string, not {federation!r}"
            )
        entries.append((f"alias '{alias}'", alias.strip(), federation.strip()))
    return entries


def _csv_entries(path: Path, text: str) -> list[tuple[str, str, str]]:
    lines = [
        (n, line)
        for n, line in enumerate(text.splitlines(), 1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not lines:
        return []
    first = lines[0][1]
    delimiter = ";" if ";" in first and "," not in first else ","
    entries = []
    for n, line in lines:
        fields = [f.strip() for f in next(csv.reader(io.StringIO(line), delimiter=delimiter))]
        if n == lines[0][0] and [f.casefold() for f in fields] == ["alias", "federation"]:
            continue
        if len(fields) != 2 or not all(fields):
            raise AliasFileError(
                f"{path}: line {n}: expected two fields, alias{delimiter}federation: {line.strip()!r}"
            )
        entries.append((f"line {n}", fields[0], fields[1]))
    return entries


def _validated(path: Path, entries: list[tuple[str, str, str]]) -> Aliases:
    """Every name names a federation, no alias stands for two federations, no federation is an alias."""
    if not entries:
        raise AliasFileError(f"{path}: no aliases in the file")
    target_of: dict[str, tuple[str, str]] = {}  # alias key -> (federation, where)
    for where, alias, federation in entries:
        for name in (alias, federation):
            if not federation_key(name):
                raise AliasFileError(f"{path}: {where}: '{name}' names no federation (only generic words)")
        key = federation_key(alias)
        earlier = target_of.get(key)
        if earlier and federation_key(earlier[0]) != federation_key(federation):
            raise AliasFileError(
                f"{path}: {where}: '{alias}' is given two federations, '{earlier[0]}' ({earlier[1]}) "
                f"and '{federation}'"
            )
        target_of[key] = (federation, where)
    for where, _, federation in entries:
        key = federation_key(federation)
        if key in target_of and federation_key(target_of[key][0]) != key:
            raise AliasFileError(
                f"{path}: {where}: '{federation}' is a federation here but an alias of "
                f"'{target_of[key][0]}' ({target_of[key][1]}): name the federation it stands for"
            )
    return Aliases(str(path), tuple((alias, federation) for _, alias, federation in entries))

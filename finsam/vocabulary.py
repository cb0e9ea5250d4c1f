"""The canonical vocabulary: the key a printed row label names, from the terms of finsam.terms.

extractor/ calls `canonical_for(label, table_kind, section)` for every table row; normalized/ checks build
statement identities and cross-table tie-outs on the keys. A label is matched exactly after normalisation
first, then fuzzily (rapidfuzz) to survive OCR damage; a label that matches nothing stays None rather than
being guessed. A new wording in a new report needs a new synonym in `finsam.terms.TERMS`, not new code.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz, process

from finsam.reference import kommun_slugs
from finsam.terms import MUNICIPALITY_PREFIX, TERMS, Term
from finsam.text import fold_label, slug

# Total-row words (kept here too because "Summa X" often names the same figure as "X").
_TOTAL_PREFIX = re.compile(r"^(?:summa|s:a|totalt|total)\s+", re.I)
_NUMBERING = re.compile(r"^\s*(?:\d{1,2}[.)]\s+|[-–•*]\s*)")

# Words that, leading a label, say the row is a member's contribution (so a place name means that member).
_CONTRIBUTION_WORDS = (
    "bidrag",
    "driftbidrag",
    "medlemsavgift",
    "medlemsbidrag",
    "tilldelning",
    "inbetalning",
    "andel",
)
_MUNICIPALITY_SUFFIX = re.compile(r"\b(kommun|kommuner|stad|kommunen)\b", re.I)

FUZZY_THRESHOLD = 90  # rapidfuzz ratio on diacritic-free labels; high so unknown labels stay None


def _municipality_slug(label: str) -> str | None:
    """'Huddinge kommun', 'Driftbidrag från Salems kommun', 'Bidrag Mölndals stad' -> the municipality slug."""
    folded = fold_label(label)
    words = folded.split()
    known = kommun_slugs()
    for i in range(len(words)):
        for span in (3, 2, 1):  # multi-word names first ("upplands vasby")
            cand = " ".join(words[i : i + span])
            if cand in known:
                return known[cand]
    m = re.search(r"(\w[\w-]*)\s+(?:kommun|stad)\b", folded)
    if m and not known:  # no place list: trust the 'X kommun' pattern, dropping a genitive s
        name = m.group(1)
        return slug(name[:-1] if name.endswith("s") and not name.endswith(("as", "ss", "os")) else name)
    return None


@lru_cache(maxsize=1)
def _synonym_index() -> dict[str, list[Term]]:
    index: dict[str, list[Term]] = {}
    for term in TERMS:
        for syn in term.synonyms:
            index.setdefault(fold_label(syn), []).append(term)
    return index


def _allowed(term: Term, table_kind: str | None) -> bool:
    return term.kinds is None or table_kind is None or table_kind in term.kinds


def _lookup(folded: str, table_kind: str | None) -> str | None:
    terms = [t for t in _synonym_index().get(folded, []) if _allowed(t, table_kind)]
    return terms[0].key if terms else None


def canonical_for(label: str, table_kind: str | None = None, section: str | None = None) -> str | None:
    """The vocabulary key a row label names, or None when it names nothing we know.

    `table_kind` limits terms to where they can appear (a balance-sheet "Fordringar" is not a note's line
    item of the same name in a budget); `section` is the sub-heading the row stands under, used when the label
    alone is a bare total ("Summa" under "Kortfristiga skulder").
    """
    folded = fold_label(_NUMBERING.sub("", label or ""))
    if not folded or not re.search(r"[a-z]", folded):
        return None
    bare_total = folded in ("summa", "totalt", "total", "summa totalt")
    if bare_total:
        key = canonical_for(section, table_kind) if section else None
        if key is None and table_kind == "member_contributions":
            key = "member_contributions_total"
        return key
    key = _lookup(folded, table_kind)
    if key:
        return key
    contribution_context = table_kind == "member_contributions" or folded.split()[0] in _CONTRIBUTION_WORDS
    if (
        contribution_context
        and _MUNICIPALITY_SUFFIX.search(folded)
        or (table_kind == "member_contributions" and _municipality_slug(folded))
    ):
        muni = _municipality_slug(folded)
        if muni:
            return MUNICIPALITY_PREFIX + muni
    if contribution_context:
        # "Driftbidrag från staten", "Bidrag Regionen": the member named after the contribution word
        rest = re.sub(r"^(?:" + "|".join(_CONTRIBUTION_WORDS) + r")\s+(?:fran\s+)?", "", folded)
        key = _lookup(rest, "member_contributions") if rest != folded else None
        if key and key.startswith("member_contribution"):
            return key
    stripped = _TOTAL_PREFIX.sub("", folded)
    if stripped != folded:
        key = _lookup(stripped, table_kind)
        if key:
            return key
    return _fuzzy(folded, table_kind)


def _fuzzy(folded: str, table_kind: str | None) -> str | None:
    """Fuzzy match for OCR-damaged labels ("Verksamhetens kostnader" read as "Verksamhetens kostnadcr")."""
    choices = [s for s, terms in _synonym_index().items() if any(_allowed(t, table_kind) for t in terms)]
    if len(folded) < 6:
        return None
    hit = process.extractOne(folded, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD)
    if not hit or abs(len(hit[0]) - len(folded)) > max(2, len(folded) // 10):
        return None  # OCR damage keeps a label's length; a longer or shorter label is another item
    return _lookup(hit[0], table_kind)

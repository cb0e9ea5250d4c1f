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

from finsam.reference import kommun_slugs, region_names
from finsam.terms import MUNICIPALITY_PREFIX, REGION_KEY, TERMS, Term
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
_CONTRIBUTION_LEAD = re.compile(r"^(?:" + "|".join(_CONTRIBUTION_WORDS) + r")\s+(?:fran\s+)?")
# What a member's row may add after its name: "Försäkringskassan (statens andel)", "Region Gävleborg (25 %)".
_TRAILING_REMARK = re.compile(r"\s*\([^()]*\)\s*$")
_WHOLE_MUNICIPALITY = re.compile(r"^(.+?)\s+(?:kommun|stad)$")
# A row that only names a member ('Region Halland', 'Oskarshamns kommun') is that member's contribution in a
# table of the contributions, or under a heading that names contributions or income ('Medlemsavgifter',
# 'Verksamhetens intäkter'). Elsewhere a member's name is something else: a debtor in a note of fordringar,
# a partner in a table of participants or goals.
_INCOME_SECTION = re.compile(
    r"\b(?:intakter|medlemsavgift\w*|medlemsbidrag|bidrag|driftbidrag|finansiering)\b"
)
_NO_MONEY_KINDS = ("participants", "goals", "survey")

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
    key = _lookup(folded, table_kind) or _member_contribution(label, folded, table_kind, section)
    if key:
        return key
    stripped = _TOTAL_PREFIX.sub("", folded)
    if stripped != folded:
        key = _lookup(stripped, table_kind)
        if key:
            return key
    return _fuzzy(folded, table_kind)


def _member_contribution(label: str, folded: str, table_kind: str | None, section: str | None) -> str | None:
    """The member whose contribution a row is: named after a contribution word ('Bidrag Region Halland',
    'Driftbidrag från Salems kommun', 'Medlemsavgift Region Örebro län') in any table, or by its name alone
    ('Landstinget Dalarna', 'Oskarshamns kommun', 'Försäkringskassan (statens andel)') in a table of the
    contributions (where a kommun's name may stand anywhere in the label) or under a heading of income.
    Regions come from the place list before kommuner, so 'Region Uppsala' is the region, not
    Uppsala kommun."""
    plain = fold_label(_NUMBERING.sub("", _TRAILING_REMARK.sub("", label or "")))
    rest = _CONTRIBUTION_LEAD.sub("", plain)
    led = rest != plain
    if not led and table_kind != "member_contributions" and not _income_section(table_kind, section):
        return None
    if rest in region_names() or _fuzzy_region(rest):
        return REGION_KEY
    key = _lookup(rest, "member_contributions")
    if key and key.startswith("member_contribution") and (led or rest != folded):
        return key  # "Driftbidrag från staten", "Bidrag Regionen", "Försäkringskassan (statens andel)"
    if led and _MUNICIPALITY_SUFFIX.search(folded) or table_kind == "member_contributions":
        muni = _municipality_slug(folded)
    else:  # the whole label is the kommun's name ('Oskarshamns kommun')
        whole = _WHOLE_MUNICIPALITY.match(rest)
        muni = kommun_slugs().get(whole.group(1)) if whole else None
    return MUNICIPALITY_PREFIX + muni if muni else None


def _income_section(table_kind: str | None, section: str | None) -> bool:
    return table_kind not in _NO_MONEY_KINDS and bool(_INCOME_SECTION.search(fold_label(section or "")))


def _fuzzy_region(folded: str) -> bool:
    """A region's name damaged by OCR ('Stockholms lans landstlng'), by the rule of `_fuzzy`."""
    if len(folded) < 8:
        return False
    hit = process.extractOne(folded, region_names().keys(), scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD)
    return bool(hit) and abs(len(hit[0]) - len(folded)) <= max(2, len(folded) // 10)


def _fuzzy(folded: str, table_kind: str | None) -> str | None:
    """Fuzzy match for OCR-damaged labels ("Verksamhetens kostnader" read as "Verksamhetens kostnadcr")."""
    choices = [s for s, terms in _synonym_index().items() if any(_allowed(t, table_kind) for t in terms)]
    if len(folded) < 6:
        return None
    hit = process.extractOne(folded, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD)
    if not hit or abs(len(hit[0]) - len(folded)) > max(2, len(folded) // 10):
        return None  # OCR damage keeps a label's length; a longer or shorter label is another item
    return _lookup(hit[0], table_kind)

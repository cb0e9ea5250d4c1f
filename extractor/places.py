"""Metadata: Swedish places as a report names them — kommuner, regioner and other geographic words.

A (possibly damaged, possibly genitive) word is matched against the place list of finsam.reference, exactly
once folded or fuzzily on longer names ('Mélndal' -> Mölndal, 'Salems' -> Salem), and a kommun gets the name
it goes by as a member ('Salems kommun', 'Falu kommun').
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from finsam.reference import places
from finsam.text import FUZZY_WORD, SHORT_WORD, fold_ocr


@dataclass(frozen=True)
class Place:
    name: str  # correctly spelled, e.g. "Mölndal", "Östra Göinge", "Södertörn"
    kind: str  # "kommun", "region" (a region's core name, e.g. "Skåne") or "geo"


@lru_cache(maxsize=1)
def _place_index() -> dict[str, Place]:
    """Folded spelling -> place; kommuner win over other words spelt the same."""
    data = places()
    index: dict[str, Place] = {}
    for word in data["geo_words"]:
        index[fold_ocr(word)] = Place(word, "geo")
    for region in data["regioner"]:
        index.setdefault(fold_ocr(region["core"]), Place(region["core"], "region"))
    for kommun in data["kommuner"]:
        index[fold_ocr(kommun["name"])] = Place(kommun["name"], "kommun")
    return index


@lru_cache(maxsize=4096)
def match_place(word: str, kinds: tuple[str, ...] = ("kommun", "region", "geo")) -> Place | None:
    """The place a (possibly damaged, possibly genitive) word names, or None.

    'Mélndal' -> Mölndal, 'Salems' -> Salem, 'SÖDERTÖRN' -> Södertörn. Short names must match exactly, and
    a longer name fuzzily only at about its length.
    """
    word = word.strip("-–,.!:;()")
    if not word or not word[0].isalpha():
        return None
    index = _place_index()
    folded = fold_ocr(word)
    for form in (folded, folded[:-1] if folded.endswith("s") and len(folded) > 3 else None):
        if form and form in index and index[form].kind in kinds:
            return index[form]
    if len(folded) <= SHORT_WORD:
        return None
    keys = [k for k, p in index.items() if p.kind in kinds and len(k) > SHORT_WORD]
    for form in (folded, folded[:-1] if folded.endswith("s") else None):
        best = process.extractOne(form, keys, scorer=fuzz.ratio, score_cutoff=FUZZY_WORD) if form else None
        # OCR damage keeps a word's length: a longer word is another word made of the name
        # ('Staffanstorpåsen', a federation's name, is not Staffanstorp)
        if best and abs(len(best[0]) - len(form)) <= max(2, len(form) // 10):
            return index[best[0]]
    return None


def kommun_official_name(name: str, stad: bool = False) -> str:
    """The name a kommun goes by as a member: 'Salem' -> 'Salems kommun', 'Härryda' -> 'Härryda kommun'.

    Swedish adds a genitive -s except after a vowel or s/x/z; a few names have their own form (Falu kommun).
    `stad` when the report calls it a stad ('Mölndals Stad' -> 'Mölndals stad').
    """
    special = places()["kommun_official"].get(name)
    if special and not stad:
        return special
    genitive = name if name[-1].lower() in "aeiouyåäösxz" else name + "s"
    return f"{genitive} {'stad' if stad else 'kommun'}"

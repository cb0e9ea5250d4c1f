"""Metadata: the members of a samordningsförbund — the state agencies, the region and the kommuner.

Read from the sentence that lists them ("Förbundets medlemmar är …", "… som huvudmän"), each in its proper
name form; when no such sentence is found, from the agencies the text names and the kommuner in the
federation's name.
"""

from __future__ import annotations

import re

from extractor.places import kommun_official_name, match_place
from extractor.tokens import Token, tokenize
from finsam.reference import places
from finsam.text import fold_ocr, same_word, sentence_spans

# Words of the sentence that lists the members ("Förbundets medlemmar är …", "… som huvudmän").
MEMBER_KEYWORDS = (
    "medlemmar",
    "huvudman",
    "ingaende parter",
    "samverkande parter",
    "bestar av",
    "parterna ar",
)


def _region_aliases() -> list[tuple[tuple[str, ...], str, str]]:
    """(folded words, the alias as printed, the region it names), longest aliases first."""
    out = []
    for region in places()["regioner"]:
        aliases = [region["name"], *region["aliases"], f"Region {region['core']}"]
        for alias in dict.fromkeys(aliases):
            out.append((tuple(fold_ocr(w) for w in alias.split()), alias, region["name"]))
    return sorted(out, key=lambda a: -len(a[0]))


def find_members(text: str) -> list[str]:
    """The member organisations in the order the report lists them, in their proper name forms."""
    tokens = tokenize(text)
    best: list[str] = []
    for start, end in sentence_spans(text):
        sentence = text[start:end]
        folded = fold_ocr(sentence)
        if not any(k in folded for k in MEMBER_KEYWORDS):
            continue
        span_end = end
        if sentence.rstrip().endswith(":"):  # "Samordningsförbundets medlemmar är:" + the list below
            nxt = next(((a, b) for a, b in sentence_spans(text) if a >= end), None)
            span_end = nxt[1] if nxt else end
        span = [t for t in tokens if start <= t.start < span_end]
        members = members_in(span)
        if len(members) > len(best):
            best = members
    return best


def members_in(tokens: list[Token]) -> list[str]:
    """Member organisations named in a run of tokens, in order."""
    state = [(fold_ocr(n), n) for n in places()["state_members"]]
    regions = _region_aliases()
    found: dict[
        str, str
    ] = {}  # who -> the name as printed; "SLL" after "Stockholms läns landsting" is no new member
    i = 0
    words = [t for t in tokens if t.is_word or t.text in {",", "-"}]
    folds = [t.folded for t in words]  # each token folded once, not once for every alias tried on it
    while i < len(words):
        tok = words[i]
        if not tok.is_word:
            i += 1
            continue
        folded = folds[i].strip("-")
        hit = next(
            (
                name
                for key, name in state
                if same_word(folded[: len(key)], key) and len(folded) >= len(key) - 1
            ),
            None,
        )
        if hit:
            found.setdefault(hit, hit)
            i += 1
            continue
        matched = False
        for key, alias, region in regions:
            n = len(key)
            seq = [f.strip("-!") for f in folds[i : i + n]]
            if len(seq) == n and all(same_word(a, b) for a, b in zip(seq, key, strict=True)):
                found.setdefault(region, alias)
                i += n
                matched = True
                break
        if matched:
            continue
        if tok.text[0].isupper():
            # two-word kommuner first ("Upplands Väsby", "Östra Göinge")
            two = f"{tok.text} {words[i + 1].text}" if i + 1 < len(words) else ""
            place = match_place(two, ("kommun",)) if two else None
            width = 2 if place else 1
            place = place or match_place(tok.text, ("kommun",))
            if place:
                after = folds[i + width] if i + width < len(words) else ""
                if after in {"lan", "lans"}:  # "Stockholms läns landsting" is a region, not the kommun
                    i += width
                    continue
                found.setdefault(place.name, kommun_official_name(place.name, stad=after == "stad"))
                i += width
                continue
        i += 1
    return list(found.values())


def members_from_name(federation: str, text: str) -> list[str]:
    """Fallback when no members sentence is found: the agencies named in the text and the kommuner in the
    federation's name."""
    folded_words = {fold_ocr(w) for w in re.findall(r"[^\W\d_]+", text)}
    members = [n for n in places()["state_members"] if any(same_word(w, fold_ocr(n)) for w in folded_words)]
    for word in federation.split()[1:]:
        place = match_place(word, ("kommun",))
        if place:
            members.append(kommun_official_name(place.name))
    return list(dict.fromkeys(members))

"""What an English Tesseract model prints for the Swedish letters it does not have, and every reading of a
printed word that undoes it.

An English model prints a, d, i, é, 6, ¢ … for å, ä and ö, sometimes two characters for one ("moéta" for
"möta"). `swedish_readings` puts the Swedish letters back at those damage positions only, each reading
weighted by how often that misreading happens; parsers.repair decides which reading, if any, the word is.
"""

from __future__ import annotations

import functools

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
    "G": {"Ö": 0.05},
    "&": {"å": 0.5, "ä": 0.5},
    "@": {"ö": 0.5, "å": 0.5},  # "m@jlighet", "g@r"
    "€": {"å": 0.3, "ä": 0.3},
}
# Two printed characters for one Swedish letter, as real scans OCR'd with an English model show them
# ("moéta" möta, "méata" mäta, "kédnns" känns, "fraimja" främja, "vdart" vårt, "d&n" än).
DAMAGE_PAIRS: dict[str, dict[str, float]] = {
    "oé": {"ö": 0.5},
    "éo": {"ö": 0.5},
    "aé": {"ö": 0.3},
    "dé": {"ö": 0.3},
    "éa": {"ä": 0.5, "å": 0.2},  # "méata" mäta, "framéat" framåt
    "éd": {"ä": 0.1},
    "éi": {"ä": 0.3},  # "forvéintas" förväntas
    "d&": {"ä": 0.3},
    "ia": {"ä": 0.01},
    "ai": {"ä": 0.01},
    "id": {"ä": 0.01},
    "oi": {"ö": 0.01},  # "moijligheter"
    "ad": {"ö": 0.01, "å": 0.01, "ä": 0.01},  # "smadrta" smärta
    "da": {"å": 0.01},
}
# Characters that never stand inside a Swedish word: a word holding one was misread for sure.
NEVER_SWEDISH = frozenset("é¢6áàóò4&@€")


@functools.lru_cache(maxsize=50_000)
def swedish_readings(word: str, max_positions: int) -> list[tuple[str, float]]:
    """Every reading with Swedish letters at the damage positions (DAMAGE, and the letter pairs of
    DAMAGE_PAIRS that stand for one letter), in the printed word's case, with how likely that misreading is;
    at most `max_positions` damage positions are tried, the likeliest misreadings first."""
    upper = word.isupper() and len(word) > 1
    # options[i]: (characters consumed, replacement, weight) for a damage site starting at i
    options: dict[int, list[tuple[int, str, float]]] = {}
    for i, ch in enumerate(word):
        site = [(1, r, w) for r, w in DAMAGE.get(ch, {}).items()]
        site += [(2, r, w) for r, w in DAMAGE_PAIRS.get(word[i : i + 2].lower(), {}).items()]
        if site:
            options[i] = site
    if len(options) > max_positions:
        # the likeliest misreadings first: an 'a' or 'é' before an 'i' ("individniva")
        keep = sorted(options, key=lambda i: -max(w for _, _, w in options[i]))[:max_positions]
        options = {i: options[i] for i in sorted(keep)}
    if not options:
        return []
    out: list[tuple[str, float]] = []

    def walk(i: int, pieces: list[str], weight: float) -> None:
        if i >= len(word):
            candidate = "".join(pieces)
            if candidate != word:
                out.append((candidate.upper() if upper else candidate, weight))
            return
        walk(i + 1, [*pieces, word[i]], weight)
        for length, reading, w in options.get(i, ()):
            if i + length > len(word):
                continue
            # a capital printed for a Swedish letter is one only where a word starts: "mOjlighet"
            cased = reading.upper() if i == 0 and word[0].isupper() else reading.lower()
            walk(i + length, [*pieces, cased], weight * w)

    walk(0, [], 1.0)
    return out

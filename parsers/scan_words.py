"""Words Tesseract's Swedish model misreads by one look-alike letter: "kontfristiga" for kortfristiga,
"individinnktade" for individinriktade, "Kulturhäntverket" for Kulturhantverket, "korntfristiga" with a
thin letter too many.

Unlike an English-model OCR (parsers.repair), a scan read with `swe` has its å, ä and ö; what it gets
wrong is a letter whose shape is near another's (r and n, ri and n, rn and m, h and li, a and ä). A word is
mended only where the word as read is no Swedish word (neither listed nor made of listed words) and exactly
one look-alike change makes a common one: a name or a rare word stays as read. Applied to the row labels
of scanned tables (extractor.rows), where the label as read is kept as `label_raw`.
"""

from __future__ import annotations

import re

from parsers.lexicon import Lexicon, default_lexicon

# (as read, as printed): letters Tesseract's Swedish model takes for each other
LOOKALIKES = (
    ("n", "r"),
    ("r", "n"),
    ("n", "ri"),
    ("m", "rn"),
    ("rn", "m"),
    ("h", "li"),
    ("li", "h"),
    ("l", "i"),
    ("i", "l"),
    ("t", "f"),
    ("f", "t"),
    ("c", "e"),
    ("e", "c"),
    ("u", "n"),
    ("n", "u"),
    ("cl", "d"),
    ("a", "ä"),
    ("ä", "a"),
    ("a", "å"),
    ("å", "a"),
    ("å", "ä"),
    ("ä", "å"),
    ("o", "ö"),
    ("ö", "o"),
    # a thin letter seen where there is none ("korntfristiga")
    ("n", ""),
    ("i", ""),
    ("l", ""),
    ("r", ""),
)
MIN_LENGTH = 5  # shorter words have too many neighbours one letter away
UNKNOWN = 1e-10  # a word as read at most this frequent (listed or derived) is no Swedish word
COMMON = 1e-6  # the mended word is listed at least this frequent
MARGIN = 10.0  # and this many times as common as the next best mending

_WORD = re.compile(r"[A-Za-zÅÄÖåäöÉé]+")


def mend_word(word: str, lexicon: Lexicon | None = None) -> str | None:
    """The word as printed, when `word` as read is no word and one look-alike change makes a common one;
    None otherwise. Case is kept (a capital stays a capital)."""
    lower = word.casefold()
    if len(lower) < MIN_LENGTH or not lower.isalpha():
        return None
    lexicon = lexicon or default_lexicon()
    if lower in lexicon.places or lexicon.frequency(lower) > UNKNOWN:
        return None
    scored: dict[str, float] = {}
    for read, printed in LOOKALIKES:
        start = lower.find(read)
        while start >= 0:
            candidate = lower[:start] + printed + lower[start + len(read) :]
            if candidate not in scored:
                scored[candidate] = lexicon.listed(candidate)
            start = lower.find(read, start + 1)
    ranked = sorted(scored.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < COMMON:
        return None
    if len(ranked) > 1 and ranked[1][1] * MARGIN > ranked[0][1]:
        return None  # two mendings alike: nothing decides
    best = ranked[0][0]
    return best[0].upper() + best[1:] if word[0].isupper() else best


def mend_label(label: str, lexicon: Lexicon | None = None) -> str:
    """A scanned row label with each word mended that `mend_word` mends; spacing and punctuation kept."""

    def one(m: re.Match) -> str:
        return mend_word(m.group(), lexicon) or m.group()

    return _WORD.sub(one, label)

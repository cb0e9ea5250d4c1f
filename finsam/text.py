"""Text normalisation every stage shares: how words and labels are folded before they are compared, how a
text is cut into sentences, and how alike two words or texts are.

There is one plain `fold`; the other folds differ from it on purpose, each for the text it compares, and
say why beside them. Tests of these rules are in tests/finsam/test_text.py.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache

from rapidfuzz import fuzz

# ---------------------------------------------------------------------------------------------- folding


def fold(text: str) -> str:
    """Case-folded, without diacritics, white space collapsed: how header and caption text is compared
    ("Utfall  Jan–Aug" -> "utfall jan–aug")."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=65536)
def fold_word(word: str) -> str:
    """Case-folded, without diacritics, and nothing else: how goal-pattern words are compared, so 'Malet'
    (OCR) matches 'målet'. White space is kept as it is (a folded text keeps its offsets and its line
    breaks) and the result is cached: the goal matcher folds every token it sees."""
    word = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in word if not unicodedata.combining(c))


def slug(name: str) -> str:
    """A name as a key: `fold_word`, every run of other characters than letters and digits one hyphen
    ('Nynäshamn' -> 'nynashamn', 'Upplands-Bro' -> 'upplands-bro')."""
    return re.sub(r"[^a-z0-9]+", "-", fold_word(name)).strip("-")


# Footnote marks a label may carry ("Summa intäkter¹", "Övrigt*").
_FOOTNOTE = re.compile(r"[\u00b9\u00b2\u00b3\u2070-\u209f*]+")


def fold_label(text: str) -> str:
    """`fold`, and also without footnote marks and punctuation, with "s:a" read as "summa": the form row
    labels are looked up in the canonical vocabulary in ("S:a  övriga kostnader*" -> "summa ovriga kostnader").
    NFKC runs first, so a superscript digit has become a plain digit before the footnote marks are dropped
    ("kostnader³" -> "kostnader3")."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _FOOTNOTE.sub("", text)
    text = "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))
    text = text.replace("s:a", "summa")
    text = re.sub(r"[^\w/%]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=65536)
def fold_ocr(word: str) -> str:
    """A word as compared: case-folded, without diacritics, with English-OCR confusions undone.

    An English OCR model reads 'ö' as 'é', 'ø' or '6' ('Samordningsférbundet', 'Samordningsførbundet',
    '6versiktlig'), so 'é' and 'ø' (which has no diacritic to drop) fold to 'o' and a '6' inside a word to
    'o'; å/ä/ö fold to a/a/o like their undamaged readings. Used where names are matched in damaged text
    (federations, places, members, report kinds), on every token of a report: so the result is cached.
    """
    word = word.casefold().replace("é", "o").replace("è", "o").replace("ø", "o")
    word = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
    return re.sub(r"(?<=[a-z])6|6(?=[a-z])", "o", word)


_LETTER_FOLD = str.maketrans("åäöéá6¢4", "aaooaooa")


def fold_letters(word: str) -> str:
    """A word lower-cased with its Swedish letters and their usual misreadings folded together, letter for
    letter (the folded word is as long as the printed one): how OCR repair compares the word next to the one
    it judges, which is still as printed ("Har foljer" is "Här följer")."""
    return word.lower().translate(_LETTER_FOLD)


# ---------------------------------------------------------------------------------------------- sentences


def split_sentences(text: str) -> list[str]:
    """A paragraph's sentences: split after '.', '!' or '?' before a capital or a figure (a goal sentence
    may start with its target: "… i arbete. 40 % ska …")."""
    parts = re.split(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9])", text.strip())
    return [p.strip() for p in parts if p.strip()]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the sentences of a whole document's text: split at '. ' or '? ' before a capital,
    and at blank lines (a heading or a list ends there). Offsets, not strings: the metadata reader looks
    at the text around a sentence."""
    bounds = [0]
    for m in re.finditer(r"(?<=[.?])\s+(?=[A-ZÅÄÖ])|\n\s*\n", text):
        bounds.append(m.end())
    bounds.append(len(text))
    return [(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


# ---------------------------------------------------------------------------------------------- similarity

# Minimum rapidfuzz ratio (0..100) for a folded word to count as a damaged spelling of a known word.
FUZZY_WORD = 85
# Words this short must match exactly once folded ('Sala' is not 'Salem').
SHORT_WORD = 5


def same_word(a: str, b: str) -> bool:
    """Two folded words are the same word, allowing OCR damage or a typo on longer ones."""
    if a == b:
        return True
    if min(len(a), len(b)) <= SHORT_WORD:
        return False
    return fuzz.ratio(a, b) >= FUZZY_WORD


def similarity(a: str | None, b: str | None) -> float:
    """How alike two texts are, 0 to 1, once folded as `fold_ocr` folds (difflib's ratio)."""
    a, b = fold_ocr(a or ""), fold_ocr(b or "")
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b).ratio()


def first_match(patterns, folded: str):
    """The value of the first (pattern, value) pair whose pattern is found in the folded text, else None:
    the rule tables (roles, units, statement titles, fulfilment phrases) are read this one way."""
    return next((value for pattern, value in patterns if re.search(pattern, folded)), None)

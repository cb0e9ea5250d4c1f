"""Tell Swedish text that an English-model OCR mangled from clean text, page by page.

An English Tesseract model has no å, ä or ö: it reads them as a, d, é, 6, ¢ … So mangled Swedish is Swedish
(its function words are there) with almost no å/ä/ö, and with tell-tale forms: 'é' or a digit inside a word
('Samordningsférbundet', '6kat'), and common words that only exist with å/ä/ö turning up without them
('dr' for 'är', 'pd' for 'på', 'frdn' for 'från'). Clean text, short pages and pages of figures are left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from finsam.model import PageQuality


@dataclass(frozen=True)
class QualitySettings:
    min_words: int = 25  # fewer words than this: too little to judge, never mangled
    min_function_share: float = 0.06  # Swedish function words among all words: the text is Swedish
    max_diacritic_share: float = (
        0.006  # å/ä/ö among letters below this in Swedish text: the model lacked them
    )
    min_damage_share: float = 0.02  # damaged-looking words above this share: mangled


SETTINGS = QualitySettings()

_WORD = re.compile(r"[^\W_][^\s]*", re.UNICODE)
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_DIACRITIC = re.compile(r"[åäöÅÄÖ]")
# Frequent Swedish words without å/ä/ö: present in any Swedish prose, damaged or not.
FUNCTION_WORDS = frozenset(
    "och att som med av till den det en ett i under har inte vi de om sin sina samt eller vid ska kan "
    "detta denna dessa varit blev blir mot per hos inom utan sedan".split()
)
# Common words that need å/ä/ö, as an English model reads them: they never occur in clean Swedish.
DAMAGED_FORMS = frozenset(
    "dr pd pa frdn fran dven aven ocksa ndr sdsom tva tvd fér f6r fdr 6ver éver over mdl dret arets "
    "dren aret darfor ddr dar nagon ndgon nagra ndgra mojlighet méjlighet bade bdde sdtt sasom ldn lan "
    "foérbundet forbundet férbundet forbundets férbundets harvid saval ocksd".split()
)
_INNER_DAMAGE = re.compile(r"(?<=[a-zåäö])[é¢6](?=[a-zåäö])|^[6é¢](?=[a-z]{2})", re.I)


def assess_text(text: str, settings: QualitySettings = SETTINGS) -> PageQuality:
    """PageQuality for a page's text: `mangled` when it reads as Swedish OCR'd by an English model."""
    words = [w.strip(".,;:!?()\"'»«”“").lower() for w in _WORD.findall(text)]
    words = [w for w in words if w and not any(ch.isdigit() for ch in w.replace("6", ""))]
    if not words:
        return PageQuality()
    letters = len(_LETTER.findall(text))
    diacritic_share = len(_DIACRITIC.findall(text)) / max(letters, 1)
    function_share = sum(w in FUNCTION_WORDS for w in words) / len(words)
    inner = sum(1 for w in words if _INNER_DAMAGE.search(w))
    damaged = sum(1 for w in words if w in DAMAGED_FORMS or _INNER_DAMAGE.search(w))
    damage_share = damaged / len(words)
    if len(words) < settings.min_words:
        # too little to judge by shares: only unmistakable damage and not one å/ä/ö ("Samordningsférbundet
        # dr", a line of an OCR dump); headings and figures stay clean
        mangled = diacritic_share == 0 and (inner >= 1 or damaged >= 2) and damaged >= 1
        return PageQuality(mangled=mangled, mangle_score=round(damage_share, 4) if mangled else 0.0)
    swedish = function_share >= settings.min_function_share
    mangled = swedish and (
        damage_share >= settings.min_damage_share
        or (diacritic_share < settings.max_diacritic_share and damage_share > 0)
    )
    return PageQuality(mangled=mangled, mangle_score=round(damage_share, 4))

"""What Tesseract makes of a percent sign, shared by the OCR repair (parsers.ocr) and the readers of share
columns and goal targets (extractor): digits it sees in the ring and the slash ("26" most often, "20", "96",
"960", "Y60"), or a letter or two ("Yo", "Ho", "No"). Only where a share is due — a share column, a target
the context calls an andel, a small number before a lower-case word — may such a token after a figure be read
as the sign, and the text as read is kept beside.
"""

from __future__ import annotations

import re

PERCENT_SIGN_MISREADS = frozenset(
    {"%", "%.", "2", "4", "9", "20", "26", "96", "260", "940", "960", "Y60", "0/0", "°/o", "%o", '"o', "9o"}
    | {"No", "Yo", "Vo"}
)
_LETTERS = re.compile(r"^[A-Za-z]{1,3}\.?$")


def is_percent_sign_misread(token: str, letters: bool = True) -> bool:
    """A token OCR may have made of a percent sign: one of PERCENT_SIGN_MISREADS, or (with `letters`) one to
    three Latin letters ("Yo", "Ho", "HW")."""
    return token in PERCENT_SIGN_MISREADS or (letters and bool(_LETTERS.match(token)))

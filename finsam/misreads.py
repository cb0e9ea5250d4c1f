"""What Tesseract makes of a percent sign, shared by the OCR repair (parsers.ocr) and the readers of share
columns and goal targets (extractor): digits it sees in the ring and the slash ("26" most often, "20", "40",
"96", "960", "Y60"), or a letter or two ("Yo", "Ho", "No"). Only where a share is due — a share column, a target
the context calls an andel, a small number before a lower-case word — may such a token after a figure be read
as the sign, and the text as read is kept beside.
"""

from __future__ import annotations

import re

PERCENT_SIGN_MISREADS = frozenset(
    {
        "%",
        "%.",
        "2",
        "4",
        "9",
        "20",
        "26",
        "40",
        "96",
        "260",
        "940",
        "960",
        "Y60",
        "?4",  # "65 ?4 till arbete/studier" (a chromium scan at 200 dpi)
        "0/0",
        "°/o",
        "%o",
        '"o',
        "9o",
    }
    | {"No", "Yo", "Vo"}
)
# Where a share is due, also one to three letters ("Yo", "Ho", "HW"), or one or two digits with a letter or
# two ("61 40", "63 H4", "33 H0"): neither can go on the figure before it, whose groups after the first
# have three digits.
_SHARE_DUE = re.compile(r"^(?:[A-Za-z]{1,3}\.?|[A-Za-z]{0,2}\d{1,2}[A-Za-z]{0,2})$")


def is_percent_sign_misread(token: str, share_due: bool = True) -> bool:
    """A token OCR may have made of a percent sign after a figure: one of PERCENT_SIGN_MISREADS, or, where the
    context says a share is due (`share_due`), any short token that cannot continue the figure (see
    _SHARE_DUE). Without it (a run of text, "30 av deltagarna") only the listed misreads count."""
    return token in PERCENT_SIGN_MISREADS or (share_due and bool(_SHARE_DUE.match(token)))


# A share as printed in a table cell: a figure of up to three digits, perhaps with decimals, and one token
# after it ("7,64 HA", "25,00 4", "50,00 246").
_SHARE_AND_TOKEN = re.compile(r"^(-?\d{1,3}(?:,(\d{1,2}))?)\s+(\S{1,4})$")


def share_before_misread(cell: str) -> str | None:
    """The figure of a share cell whose percent sign OCR misread ("7,64 HA" -> "7,64"), None when the cell
    is no such misreading. The token after the figure is a misread sign where a share is due (see
    is_percent_sign_misread), and also any digits after a figure with decimals: nothing continues a
    figure after its decimals ("50,00 246")."""
    m = _SHARE_AND_TOKEN.match(cell.strip())
    if not m:
        return None
    figure, decimals, token = m.groups()
    if is_percent_sign_misread(token) or (decimals and token.isdigit()):
        return figure
    return None

"""Swedish number reading: the one place that knows how report figures are printed.

Figures use a space (or no-break/thin space) as thousands separator and a decimal comma ("15 400,0"),
a hyphen, minus sign or en dash for negatives ("-20 449,2", "−1 234", "–5"), parentheses for negatives in
some layouts ("(1 234)"), a lone dash for nil ("-" = 0) and a trailing "%" for percentages ("37 %").
`parse_number` reads one cell; `split_number_tail` reads the figures off the end of a flattened line (OCR or
PDF text where the cells ran together), grouping the space-separated thousands back into whole numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Characters that print as a space inside a number.
_SPACES = "\u00a0\u2009\u202f\u2007 "
_MINUS = "-\u2212\u2013\u2014"  # hyphen, minus sign, en dash, em dash
_NIL = re.compile(rf"^[{_MINUS}]{{1,2}}$|^0?[,.]?-{{1,2}}$")
# Footnote marks and emphasis that may trail or lead a printed figure.
_MARKS = re.compile(r"[\u00b9\u00b2\u00b3\u2070-\u209f*†]+")
_WELL_FORMED = re.compile(r"^\d{1,3}(?: \d{3})*(?:,\d+)?$|^\d+(?:,\d+)?$")
_NUMBER = re.compile(r"^\d+(?: \d+)*(?:[,.]\d+)?$")


@dataclass(frozen=True)
class ParsedNumber:
    value: float
    percent: bool = False  # printed with a % sign
    decimals: int = 0  # digits after the decimal comma
    irregular: bool = False  # digit grouping is not the standard "1 234 567" (e.g. OCR "1880 939")
    nil: bool = False  # a lone dash standing for zero


def _squash_spaces(text: str) -> str:
    for ch in _SPACES:
        text = text.replace(ch, " ")
    return re.sub(r"\s+", " ", text).strip()


def parse_number(text: str | None) -> ParsedNumber | None:
    """Read one printed figure; None when the text is not a number (words, dates, empty)."""
    if text is None:
        return None
    s = _MARKS.sub("", _squash_spaces(text)).strip()
    if not s:
        return None
    if _NIL.match(s):
        return ParsedNumber(0.0, nil=True)
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1].strip()
    percent = s.endswith("%")
    if percent:
        s = s[:-1].strip()
    if s and s[0] in "+" + _MINUS:
        negative = negative or s[0] != "+"
        s = s[1:].strip()
    if s.endswith(("kr", "tkr")) and re.search(r"\d", s):
        s = re.sub(r"\s*t?kr$", "", s)
    if not _NUMBER.match(s):
        return None
    irregular = not _WELL_FORMED.match(s)
    s = s.replace(" ", "")
    if "." in s:
        # a decimal point: only as a decimal mark with 1-2 decimals (a dot with 3 is a thousands mark)
        head, _, tail = s.partition(".")
        if len(tail) == 3:
            s, irregular = head + tail, True
        else:
            s = head + "," + tail
    whole, _, frac = s.partition(",")
    value = float(f"{whole}.{frac}" if frac else whole)
    return ParsedNumber(
        -value if negative else value, percent=percent, decimals=len(frac), irregular=irregular
    )


def is_number(text: str | None) -> bool:
    return parse_number(text) is not None


_TOKEN_NUM = re.compile(rf"^[({_MINUS}+]?\d[\d.,]*%?\)?$|^[{_MINUS}]{{1,2}}$|^%$")


def _is_head(tok: str) -> bool:
    """A token that can start a number: optional sign then 1-3 digits (or more when ungrouped)."""
    return bool(re.match(rf"^[({_MINUS}+]?\d+(?:,\d+)?%?\)?$", tok))


def _is_group(tok: str) -> bool:
    """A token that can continue a number after a thousands space: exactly three digits (+ decimals)."""
    return bool(re.match(r"^\d{3}(?:,\d+)?%?\)?$", tok))


def split_number_tail(text: str, max_numbers: int | None = None) -> tuple[str, list[str]]:
    """Split a flattened line into its label and the printed figures at its end.

    "Verksamhetens medlemsavgifter 1 15 400,0 16 008,0" -> ("Verksamhetens medlemsavgifter 1",
    ["15 400,0", "16 008,0"]) with max_numbers=2; thousands groups are re-joined reading from the right, so a
    number is a head of 1-3 digits followed by groups of exactly three. A lone dash counts as a figure (nil).
    """
    tokens = _squash_spaces(text).split(" ")
    numbers: list[list[str]] = []
    i = len(tokens) - 1
    while i >= 0 and (max_numbers is None or len(numbers) < max_numbers):
        tok = _MARKS.sub("", tokens[i])
        if tok == "%" and i > 0:  # "37 %"
            tokens[i - 1] = tokens[i - 1] + "%"
            i -= 1
            continue
        if not _TOKEN_NUM.match(tok) or tok == "%":
            break
        group = [tok]
        j = i - 1
        # a run of 3-digit groups, then a head, forms one number
        while _is_group(group[0]) and j >= 0 and _TOKEN_NUM.match(tokens[j]) and not tokens[j].endswith("%"):
            prev = tokens[j]
            if _is_group(prev) or (re.match(rf"^[({_MINUS}]?\d{{1,3}}$", prev)):
                # a decimal-bearing token cannot be followed by more digits of the same number
                if "," in prev:
                    break
                group.insert(0, prev)
                j -= 1
                if not _is_group(prev):
                    break
            else:
                break
        numbers.insert(0, group)
        i = j
    label = " ".join(tokens[: i + 1])
    return label, [" ".join(g) for g in numbers]

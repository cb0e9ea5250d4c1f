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
_DOTTED = re.compile(r"^\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?$")
_NUMBER = re.compile(r"^\d+(?: \d+)*(?:[,.]\d+)?$")


@dataclass(frozen=True)
class ParsedNumber:
    value: float
    percent: bool = False  # printed with a % sign
    decimals: int = 0  # digits after the decimal comma
    irregular: bool = False  # digit grouping is not the standard "1 234 567" (e.g. OCR "1880 939")
    nil: bool = False  # a lone dash standing for zero


def _ocr_lookalike_figure(text: str) -> str | None:
    """'[0]' → '0', 'T23' → '723', 'i' → '1': a short cell of digits and digit-like letters (at least one of
    them a letter or bracket), read as the figure it most likely is."""
    letters_only = not any(ch.isdigit() for ch in text)
    if not _LOOKALIKE_CELL.match(text) or text.isdigit() or (letters_only and not _LETTER_FIGURE.match(text)):
        return None
    mapped = text.strip("[]").translate(_DIGIT_LOOKALIKES)
    return mapped if mapped != text and parse_number(mapped) is not None else None


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
    if re.search(r"\d\s*(?:kr|tkr|mkr|mnkr|sek)\.?$", s, re.I):
        s = re.sub(r"\s*(?:kr|tkr|mkr|mnkr|sek)\.?$", "", s, flags=re.I)
    if _DOTTED.match(s):  # "1.234.567": dots as thousands separators
        s = s.replace(".", " ")
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


_TOKEN_NUM = re.compile(rf"^\(?[{_MINUS}+]?\d[\d.,]*%?\)?$|^[{_MINUS}]{{1,2}}$")
_HEAD = re.compile(rf"^\(?[{_MINUS}+]?(\d+)((?:,\d+)?%?\)?)$")
_CONT = re.compile(r"^(\d+)((?:,\d+)?%?\)?)$")
_MAX_TAIL = 12  # figures at a line's end worth partitioning


def _group_cost(tokens: list[str]) -> float | None:
    """Cost of reading `tokens` as one figure: 0 when well formed, more when irregular, None when impossible."""
    if len(tokens) == 1:
        ok = _TOKEN_NUM.match(tokens[0]) and tokens[0].endswith(")") == tokens[0].startswith("(")
        return 0.0 if ok else None
    if re.match(rf"^[{_MINUS}]{{1,2}}$", tokens[0]):
        return None  # a lone dash is a figure of its own
    if tokens[-1].endswith(")") != tokens[0].startswith("("):
        return None  # "(1 234)" is one negative figure; a lone ")" belongs to the label
    head = _HEAD.match(tokens[0])
    if not head or head.group(2):
        return None  # decimals or a % end a figure
    cost = 3.0 if len(head.group(1)) > 3 else 0.0  # OCR moved a space: "1880 939" for "1 880 939"
    for k, tok in enumerate(tokens[1:], 1):
        cont = _CONT.match(tok)
        if not cont or (cont.group(2) and k < len(tokens) - 1):
            return None
        digits = len(cont.group(1))
        if digits < 3:
            return None
        if digits > 3:
            cost += 3.0  # OCR lost a space: "-20 4492" for "-20 449,2"
    return cost


def split_number_tail(
    text: str, max_numbers: int | None = None, note_column: bool = False
) -> tuple[str, list[str]]:
    """Split a flattened line into its label and the printed figures at its end.

    "Verksamhetens medlemsavgifter 1 15 400,0 16 008,0" -> ("Verksamhetens medlemsavgifter 1",
    ["15 400,0", "16 008,0"]) with max_numbers=2. Space-separated thousands groups are joined back by trying
    the ways the trailing tokens can be cut into at most `max_numbers` figures and keeping the one with
    well-formed figures ("1 234 567", "15 400,0"), balanced group sizes, and no figure left stranded at the end
    of the label (a 1-2 digit Not reference may stay there when `note_column`).
    """
    tokens = _squash_spaces(text).split(" ")
    for k in range(len(tokens) - 1, 0, -1):  # "37 %" -> "37%"
        if tokens[k] == "%":
            tokens[k - 1] += "%"
            del tokens[k]
    tokens = [_MARKS.sub("", t) or t for t in tokens]
    n_tail = 0
    while n_tail < min(len(tokens), _MAX_TAIL) and _TOKEN_NUM.match(tokens[-1 - n_tail]):
        n_tail += 1
    limit = max_numbers if max_numbers is not None else n_tail
    best: tuple[float, int, list[list[str]]] | None = None

    def label_penalty(used: int) -> float:
        rest = tokens[: len(tokens) - used]
        if not rest or not _TOKEN_NUM.match(rest[-1]):
            return 0.0
        if (
            note_column
            and re.match(r"^\d{1,2}$", rest[-1])
            and (len(rest) < 2 or not _TOKEN_NUM.match(rest[-2]))
        ):
            return 0.0
        return 5.0

    def search(end: int, groups: list[list[str]], cost: float, used: int) -> None:
        nonlocal best
        if groups:
            sizes = [len(g) for g in groups]
            total = (
                cost + label_penalty(used) + 0.1 * (max(sizes) - min(sizes)) - 10.0 * len(groups) - 0.3 * used
            )
            if best is None or total < best[0] - 1e-9:
                best = (total, used, [list(g) for g in groups])
        if len(groups) >= limit:
            return
        for size in range(1, min(end, 6) + 1):
            if used + size > n_tail:
                break
            group = tokens[end - size : end]
            c = _group_cost(group)
            if c is not None:
                search(end - size, [group] + groups, cost + c, used + size)

    search(len(tokens), [], 0.0, 0)
    if best is None:
        return " ".join(tokens), []
    _, used, groups = best
    return " ".join(tokens[: len(tokens) - used]), [" ".join(g) for g in groups]


# OCR noise around and inside printed figures: stray punctuation where a thousands space was
# ("9.032 435", "1:321 605", "9-000 000", "19-927-076") or specks before and after (":2 404 910", "97 295-.").
_OCR_JUNK = ":;.,'`\"“”‘’_|~^*°"
_OCR_GROUP_SEP = re.compile(rf"(?<=\d)[.:;'`\-{_MINUS[1:]}](?=\d{{3}}(?:\D|$))")


# Letters an OCR reads for digits in a figure cell ("T23" for 723, "[0]" for 0, "i" for 1).
_DIGIT_LOOKALIKES = str.maketrans(
    {
        "T": "7",
        "J": "7",
        "I": "1",
        "L": "1",
        "l": "1",
        "i": "1",
        "|": "1",
        "O": "0",
        "o": "0",
        "S": "5",
        "B": "8",
    }
)
_LOOKALIKE_CELL = re.compile(r"^\[?[-−–]?[0-9TJILlio|OSB][0-9TJILlio|OSB ]{0,10}\]?$")
# Cells of look-alike letters only: "i", "T" (a 7 in a sans font at 150 dpi), "TI" (77 or 71: the totals
# decide), "[O]".
_LETTER_FIGURE = re.compile(r"^(?:[iIlT|]|[TJIL]{2,3}|\[[O0o]\])$")


# Marks OCR puts before a minus sign, from the edge of a cell, a rule or a speck of dust ("++-1799685",
# "<+-1 832547", "= -8 459 861"), with or without a space between.
_LEADING_JUNK = re.compile(rf"^[+<>«»={re.escape(_OCR_JUNK)}]+\s*(?=[{_MINUS}]\s?\d)")


def clean_ocr_figure(text: str) -> str | None:
    """The figure an OCR'd cell most likely prints, with stray punctuation removed, or None when the cell is
    not a figure (too few digits) or reads fine already. The caller marks such a reading as repaired."""
    lookalike = _ocr_lookalike_figure(text.strip())
    if lookalike is not None:
        return lookalike
    squashed = _squash_spaces(text)
    s = _LEADING_JUNK.sub("", squashed)
    core = s.replace(" ", "")
    digits = sum(ch.isdigit() for ch in core)
    if digits < 2 or digits < 0.5 * len(core):
        return None
    if parse_number(s) is not None:
        return s if s != squashed else None
    negative = bool(re.match(rf"^[{_MINUS}][^\d]*\d", s)) and not re.match(rf"^[{_MINUS}]\d{{1,3}}[-]\d", s)
    s = s.strip(_OCR_JUNK + _MINUS + " ")
    s = _OCR_GROUP_SEP.sub(" ", s)
    s = re.sub(r"(?<=\d)[.:;'`](?=\d{1,2}$)", ",", s)  # a decimal mark misread
    s = re.sub(rf"[{re.escape(_OCR_JUNK)}]", "", s) if not re.search(r"\d,\d", s) else s
    s = re.sub(r"\s+", " ", s).strip()
    candidate = ("-" if negative else "") + s
    return candidate if parse_number(candidate) is not None else None

"""Table reading, step 4: rows and totals — raw table lines (`RawRow`) read into `Row` records.

A row gets its label (footnote marks dropped), its figures parsed per column (uncertain when OCR doubted
them or their precision is off the column's), its Not reference, its section and level, whether it is a
total (by its label, or because it adds up the rows above it), and the canonical vocabulary key it names.
A label wrapped over two lines is joined back.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from extractor.captions import DOT_LEADER, SECTION_NUMBER
from extractor.lines import DANGLING_ENDS, CellQuality, dangling
from extractor.numbers import ParsedNumber, parse_number
from extractor.settings import SETTINGS
from extractor.wraps import join_wrapped
from finsam.misreads import share_before_misread
from finsam.model import Column, Row, Value
from finsam.text import fold
from finsam.vocabulary import canonical_for
from parsers.scan_words import mend_label

# Row labels that state a sum or a result (matched on the folded label, so OCR-dropped accents still match).
TOTAL_LABEL = re.compile(
    r"^\s*(?:\d+\.\s*)?(?:summa|s:a|totalt?|total|tot\.|sammanlagt|netto\b|"
    r"verksamhetens nettokostnad|.*\bresultat\b|.*\bkassaflode\b|arets kassaflode|"
    r"likvida medel vid (?:arets|periodens) slut|utgaende|medel fran verksamheten fore)"
)


NON_TOTAL_LABEL = re.compile(r"^\s*(?:kassaflode fran (?:investering|finansiering)|resultat\w* av\b)")


_FOOTNOTE_MARKS = re.compile(r"[\u00b9\u00b2\u00b3\u2070-\u209f]+|\*+$|(?<=\w)\*")


_QUOTES = "\"'“”‘’„«»"


def clean_label(label: str) -> str:
    """The label without footnote marks and doubled spaces ("S:a Rörelsens intäkter³" -> "S:a Rörelsens
    intäkter"), and without a quote mark it opens with and never closes: what a scan's speck or the rule's end
    before the label was read as (“"Summa individinriktade insatser”); a quoted name (“»Steget« – …”) stays."""
    label = re.sub(r"\s+", " ", _FOOTNOTE_MARKS.sub("", label or "")).strip()
    opened = len(label) - len(label.lstrip(_QUOTES))
    if opened and not any(ch in _QUOTES for ch in label[opened:]):
        label = label[opened:].lstrip()
    return label


def _value(raw: str, expected_decimals: int | None) -> Value | None:
    raw = raw.strip()
    if not raw:
        return None
    parsed: ParsedNumber | None = parse_number(raw)
    if parsed is None:
        return Value(raw=raw, value=None, uncertain=bool(re.search(r"\d", raw)))
    uncertain = parsed.irregular or (
        expected_decimals is not None and expected_decimals > 0 and not parsed.nil and parsed.decimals == 0
    )
    return Value(raw=raw, value=parsed.value, uncertain=uncertain)


# a row whose figures are shares whatever its columns ("Eget kapital i procent av medlemsavgifterna")
SHARE_LABEL = re.compile(r"\b(?:i procent|procent av|andel)\b|%")


def _is_share(column: Column) -> bool:
    return column.role == "share" or column.unit == "percent"


def _percent_misread(v: Value) -> Value | None:
    """A share cell whose percent sign OCR read as a digit or letters, read as its figure (marked repaired,
    the raw text kept); None when the cell reads fine or is no such misreading."""
    if v.value is not None and not v.uncertain:
        return None
    figure = share_before_misread(v.raw)
    parsed = parse_number(figure) if figure else None
    if parsed is None:
        return None
    return Value(raw=v.raw, value=parsed.value, repaired=True, uncertain=False)


# what a scan's specks and a table rule's end before a figure are read as ("=++$823166"): marks no printed
# figure starts with (a lone sign or a leading dash is read by parse_number)
_SPECKS = re.compile(r"^[=+$#*~^'\"`|:;.]+\s*(?=[-−–]?\d)")


# a long dash set apart from the figure after it ("— 3 889 487"): a scan's rule or speck, read as a dash; no
# report of the corpus prints a minus apart from its figure in a table
DETACHED_DASH = re.compile(r"^—\s+(?=\d)")
# a hyphen where a space parts the thousands ("3889-487")
_HYPHENED_GROUP = re.compile(r"(?<=\d)-(?=\d{3}(?:\D|$))")


# the headings a statement's or budget's sections stand under, folded: a line of its own, never the first part
# of a label wrapped
SECTION_HEADINGS = frozenset(
    fold(h)
    for h in (
        "Intäkter",
        "Kostnader",
        "Verksamhetens intäkter",
        "Verksamhetens kostnader",
        "Finansiella poster",
        "Tillgångar",
        "Omsättningstillgångar",
        "Anläggningstillgångar",
        "Eget kapital och skulder",
        "Skulder",
    )
)

# words no row's label starts with: a line of them goes on the label above, in capitals too ("S:A EGET
# KAPITAL, AVSÄTTNINGAR" over "OCH SKULDER")
JOINING_STARTS = frozenset({"och", "samt", "eller"})


def _joins_on(label: str) -> bool:
    words = label.split()
    return bool(words) and words[0].casefold() in JOINING_STARTS


def _specked(v: Value) -> Value | None:
    """A scanned cell whose figure specks stand before or in ("=++$823166", "— 3 889 487", "3889-487"):
    the figure without them, uncertain (the raw text kept), for the checks to confirm or report (a `sign`
    finding turns a figure whose dash was its minus back, normalized.number_repair); None otherwise."""
    raw = v.raw or ""
    m = _SPECKS.match(raw) if v.value is None else None
    dash = DETACHED_DASH.match(raw)
    text = raw[m.end() :] if m else raw[dash.end() :] if dash else raw
    text = _HYPHENED_GROUP.sub(" ", text)
    if text == raw:
        return None
    parsed = parse_number(text)
    if parsed is None:
        return None
    return Value(raw=v.raw, value=parsed.value, uncertain=True)


def _is_total(label: str, first_valued: bool) -> bool:
    label = fold(label)
    if not label or NON_TOTAL_LABEL.match(label):
        return False
    if re.match(r"^\s*(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d\s*$", label):
        return True  # "2011-2016" under yearly rows
    if first_valued and re.search(r"resultat", label, re.I):
        return False  # a cash-flow statement starts from the result: an input, not a sum
    return bool(TOTAL_LABEL.match(label))


@dataclass
class RawRow:
    """One table line before interpretation: its label cell, figure cells (one per column), Not reference."""

    label: str
    cells: list[str]
    note_ref: int | None
    page: int
    quality: list[CellQuality] | None = None  # per figure cell, for positioned (PDF/OCR) input
    wraps: bool = False  # set so close to the line below that the two are one cell (PDF/OCR geometry)
    ocr: bool = False  # read from a page image


# small letters whose capitals are the same shape, only larger: OCR tells their case by size alone and often
# misreads it at the start of a line ("vägen" for Vägen, "ungKraft")
SAME_SHAPE_CASES = frozenset("ckopsuvwxzö")


def _case_unread(label: str) -> bool:
    """A label read from an image whose first letter's case OCR cannot tell: a small letter shaped like its
    capital starting a word that is no joining word, before a word with a capital, as a name has it ("vägen
    Vidare"). A word alone ("verksamheten", "kostnader") is the usual tail of a wrapped label."""
    words = label.split()
    return (
        len(words) >= 2
        and label[:1] in SAME_SHAPE_CASES
        and words[0].casefold() not in DANGLING_ENDS
        and words[1][:1].isupper()
    )


def build_rows(
    raw_rows: list[RawRow],
    columns: list[Column],
    kind_hint: str | None,
    title: str,
) -> list[Row]:
    """Rows from raw table lines: sections, sub-rows, totals, uncertain figures."""
    decimals: dict[int, int] = {}
    for raw in raw_rows:
        for i, c in enumerate(raw.cells):
            p = parse_number(c)
            if p and not p.nil:
                decimals[i] = max(decimals.get(i, 0), p.decimals)
    # the usual precision of each column: a figure without decimals in a one-decimal column is suspect
    precision: dict[int, int] = {}
    for i in decimals:
        counts = Counter(
            parse_number(raw.cells[i]).decimals  # type: ignore[union-attr]
            for raw in raw_rows
            if i < len(raw.cells) and parse_number(raw.cells[i]) and not parse_number(raw.cells[i]).nil  # type: ignore[union-attr]
        )
        precision[i] = counts.most_common(1)[0][0] if counts else 0
    rows: list[Row] = []
    section: str | None = None
    heading_index: int | None = None
    seen_valued = False
    dashed = False  # the current heading's rows are "- " sub-rows
    wraps: list[bool] = []  # for each row so far, whether its last line's label goes on in the next line
    pieces: list[list[str]] = []  # for each row so far, the lines its label was read from

    def goes_on(n: int, below: str, ocr: bool = False) -> bool:
        """Row n's label goes on in the label `below`: a lower-case start, a label that cannot end, or
        the geometry of one cell. Read from an image, a name whose capital has its small letter's shape
        ("vägen Vidare" for Vägen Vidare) says nothing of case, and only the other two tell."""
        lower = below[:1].islower() and not (ocr and _case_unread(below))
        return lower or dangling(rows[n].label) or wraps[n] or _joins_on(below)

    def stands_alone(n: int, below: str) -> bool:
        """The label below row n's is a line the vocabulary knows on its own ("Medlemsbidrag") and the two
        joined are none ("Intäkter Medlemsbidrag"): a heading set tight over its first row, which only
        the geometry took for one label wrapped."""
        if below[:1].islower() or dangling(rows[n].label):
            return False
        if fold(join_wrapped(pieces[n])) in SECTION_HEADINGS:
            return True  # "Kostnader" over "Styrelse": a statement's section heads its rows
        joined = join_wrapped([*pieces[n], below])
        known = canonical_for(below, kind_hint, section=title)
        return known is not None and canonical_for(joined, kind_hint, section=title) is None

    for raw in raw_rows:
        label_raw, cells, note_ref, page = raw.label, raw.cells, raw.note_ref, raw.page
        label = clean_label(label_raw)
        if raw.ocr:  # a look-alike letter of a scan ("kontfristiga"), mended where the word is sure
            label = mend_label(label)
        values: dict[str, Value] = {}
        for i, cell in enumerate(cells[: len(columns)]):
            v = _value(cell, precision.get(i))
            if v is not None and raw.quality and _is_share(columns[i]):
                v = _percent_misread(v) or v
            if v is not None and raw.ocr:
                v = _specked(v) or v
            if v is not None:
                q = raw.quality[i] if raw.quality and i < len(raw.quality) else None
                if q is not None:
                    v.repaired = v.repaired or q.repaired
                    v.uncertain = (
                        v.uncertain
                        or q.raw is not None
                        or (q.conf is not None and q.conf < SETTINGS.low_confidence)
                    )
                    v.raw = q.raw or v.raw
                    v.confidence = q.conf
                values[columns[i].key] = v
        if (
            not values
            and label
            and rows
            and (rows[-1].values or (rows[-1].label and not rows[-1].is_total))
            and goes_on(len(rows) - 1, label, raw.ocr)
        ):
            # the wrapped tail of the previous label: a row's, or a heading's ("EGET KAPITAL OCH" over
            # "SKULDER"), which then names its section whole
            pieces[-1].append(label)
            rows[-1].label = join_wrapped(pieces[-1])
            rows[-1].label_raw = f"{rows[-1].label_raw} {label_raw.strip()}"
            wraps[-1] = raw.wraps
            if not rows[-1].values and heading_index == len(rows) - 1:
                section = rows[-1].label
            # what the row is, read from its whole label as from a label printed on one line: "Kassaflöde
            # från" over "investeringsverksamheten" is no total, "Likvida medel vid årets" over "slut" is
            if rows[-1].values:
                first_valued = not any(r.values for r in rows[:-1])
                rows[-1].is_total = _is_total(rows[-1].label, first_valued)
            rows[-1].canonical = canonical_key(rows[-1], kind_hint, title)
            continue
        # a label wrapped before its figures, over one line or more: the label-only lines above are its
        # first parts, not headings
        parts = [label]  # joined top down, so a word broken over lines is made whole ("sa" "mordnings" "et")
        while (
            values
            and rows
            and not rows[-1].values
            and not rows[-1].is_total
            and goes_on(len(rows) - 1, parts[0], raw.ocr)
            and not stands_alone(len(rows) - 1, parts[0])
        ):
            prev = rows.pop()
            wraps.pop()
            parts[:0] = pieces.pop()
            label_raw = f"{prev.label_raw} {label_raw.strip()}"
            heading_index, section = (None, None) if heading_index == len(rows) else (heading_index, section)
        label = join_wrapped(parts)
        is_total = _is_total(label, not seen_valued) if values else False
        seen_valued = seen_valued or bool(values)
        level, parent = 0, None
        if re.match(r"^[-–•]\s*\S", label) and heading_index is not None:
            level, parent = 1, heading_index
            dashed = True
        elif dashed:  # the first row after "- " sub-rows is back at the top level
            heading_index, section, dashed = None, None, False
        row = Row(
            label=label,
            label_raw=label_raw.strip(),
            values=values,
            is_total=is_total,
            level=level,
            parent=parent,
            section=section if (values or level) else None,
            note_ref=note_ref,
            page=page,
        )
        row.canonical = canonical_key(row, kind_hint, title)
        if not values and label and not _is_total(label, False):
            heading_index, section, dashed = len(rows), label, False
        elif is_total and section and fold(label).endswith(fold(section)):
            heading_index, section = None, None  # "S:a fordringar" closes the "Fordringar" section
        rows.append(row)
        wraps.append(raw.wraps)
        pieces.append(parts)
    for row in rows:  # a row of shares whatever its columns, told by its whole label (it may wrap)
        if SHARE_LABEL.search(fold(row.label)):
            for key, v in row.values.items():
                if v.confidence is not None and (read := _percent_misread(v)) is not None:
                    read.confidence = v.confidence
                    row.values[key] = read
    _mark_sums(rows)
    return rows


def _mark_sums(rows: list[Row]) -> None:
    """A row whose every figure is the sum of the two or more rows above it (back to the previous total or
    heading) is a total even when its label does not say so ("Intäkter", "Kostnader")."""
    start = 0
    for i, row in enumerate(rows):
        if not row.values:
            start = i + 1
            continue
        parts = [r for r in rows[start:i] if r.values]
        if (
            not row.is_total
            and len(parts) >= 2
            and all(
                v.value is not None
                and abs(sum((p.values[k].value or 0.0) for p in parts if k in p.values) - v.value) < 0.005
                and sum(1 for p in parts if k in p.values) >= 2
                for k, v in row.values.items()
            )
        ):
            row.is_total = True
        if row.is_total:
            start = i + 1


def canonical_key(row: Row, kind: str | None, title: str) -> str | None:
    if not row.label or not row.values:
        return None  # a heading names a group of rows, not a figure
    # the sub-heading a row stands under, else the table's title: a bare "Summa" is its section's total, and a
    # member named alone ("Lycksele kommun") is a contribution under "Medlemsavgifter" as under a note so titled
    return canonical_for(row.label, kind, section=row.section or title)


def is_contents(rows: list[Row]) -> bool:
    """A table of contents: section numbers or dot leaders with a page number."""
    labelled = [r for r in rows if r.label]
    if not labelled:
        return False
    toc = sum(1 for r in labelled if DOT_LEADER.search(r.label_raw) or SECTION_NUMBER.match(r.label_raw))
    single = all(len(r.values) <= 1 for r in rows)
    return single and toc >= 0.5 * len(labelled)

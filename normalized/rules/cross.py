"""The same figure in two tables of one document must agree.

A detail table (e.g. 'Finansiering av strukturinriktade insatser', total 1 220) is the same figure as the
row of a summary table whose label names it ('Strukturinriktade insatser' 1 320); the same label in two
tables (a summary's 'Nettokostnad och finansnetto' and the area table titled 'Nettokostnad … per område')
likewise; and a detail table's 'Summa X' row (any of its totals, 'Summa individinriktade insatser' 3 540)
is the same figure as a summary table's row 'X' ('Individinriktade insatser' 3 450). Only columns of the same role, year and period, in the same unit, are compared, and a total may
differ from its copy by the rounding of its components (one unit each) before it is an error.
"""

from __future__ import annotations

import re

from finsam.model import Column, Finding, Row, Table, Value
from finsam.text import same_word
from normalized.rules.base import (
    CheckContext,
    far_apart,
    finding,
    fmt,
    half_unit,
    numeric,
    rule,
    severity_for,
)
from normalized.rules.notes import note_total

_WORD = re.compile(r"[a-zåäö]+")
# Words that say what kind of table a title is, not what it is about.
TITLE_NOISE = {
    "finansiering",
    "av",
    "och",
    "i",
    "tkr",
    "kr",
    "per",
    "område",
    "omrade",
    "sammanställning",
    "budget",
    "utfall",
    "för",
    "for",
    "total",
    "totalt",
    "summa",
    "tabell",
    "samt",
    "mnkr",
    "de",
    "det",
    "den",
}


def _words(text: str | None) -> list[str]:
    return _WORD.findall((text or "").lower())


def _names(label: str, title: str) -> bool:
    """Does the row label name the table? Its content words all appear in the title (allowing a typo)."""
    label_words = [w for w in _words(re.sub(r"^\s*\d+[.)]\s*", "", label)) if w not in TITLE_NOISE]
    title_words = {w for w in _words(title) if w not in TITLE_NOISE}
    if not label_words or len("".join(label_words)) < 6:
        return False
    found = {w for w in label_words if any(same_word(w, t) for t in title_words)}
    if len(found) < len(set(label_words)):
        return False
    return len(label_words) >= 2 or len(title_words) == 1


def _period_key(c: Column) -> tuple:
    full_year = c.period_end is None or c.period_end.endswith("12-31")
    return (c.role, c.year, "year" if full_year else c.period_end)


def _components(table: Table, total: Row) -> int:
    return sum(1 for r in table.rows if not r.is_total and r.values and r is not total)


_TOTAL_WORD = re.compile(r"^\s*(?:summa|s:a|totalt|total)\s+", re.I)


def _subtotals(table: Table) -> list[tuple[Row, str, int]]:
    """The table's 'Summa X' rows, each with X and the number of rows it closes
    (back to the previous total or heading): 'Summa individinriktade insatser' in a table of insatsmedel
    is the same figure as a summary table's 'Individinriktade insatser'."""
    out = []
    for i, row in enumerate(table.rows):
        named = _TOTAL_WORD.sub("", row.label or "", count=1)
        if not row.is_total or named == row.label or not row.values:
            continue
        j = i - 1
        while j >= 0 and not table.rows[j].is_total and table.rows[j].values:
            j -= 1
        out.append((row, named, i - 1 - j))
    return out


def _same_label(label: str, named: str) -> bool:
    """A summary row's label and the X of a detail table's 'Summa X': the same content words (a typo
    allowed), at least two of them, so that 'Summa kostnader' is not taken for every 'Kostnader'."""
    a = [w for w in _words(label) if w not in TITLE_NOISE]
    b = [w for w in _words(named) if w not in TITLE_NOISE]
    if len(set(a)) < 2 or len(set(a)) != len(set(b)):
        return False
    return all(any(same_word(x, y) for y in b) for x in a) and all(any(same_word(y, x) for x in a) for y in b)


@rule("cross_table")
def cross_table(ctx: CheckContext) -> list[Finding]:
    found: list[Finding] = []
    for detail in ctx.tables:
        if detail.kind == "note":
            continue  # notes are tied to their statement lines by note_tie_out
        total = note_total(detail)
        if total is not None and not total.is_total:
            total = None
        subtotals = _subtotals(detail)
        if total is None and not subtotals:
            continue
        n = _components(detail, total) if total is not None else 0
        for summary in ctx.tables:
            if summary is detail or (summary.unit != detail.unit):
                continue
            for row in summary.rows:
                if total is not None and _names(row.label, detail.title):
                    found += _compare(summary, row, detail, total, n)
                elif not row.is_total:
                    for sub, named, parts in subtotals:
                        if _same_label(row.label, named):
                            found += _compare(
                                summary, row, detail, sub, parts, f"{sub.label} in '{detail.title}' is"
                            )
    return found


def _compatible(a: Column, b: Column) -> bool:
    """Same role and year, and the same period where both state one."""
    if a.role != b.role or a.year != b.year:
        return False
    return a.period_end is None or b.period_end is None or _period_key(a) == _period_key(b)


def _ambiguous(a: Column, b: Column) -> bool:
    """One column states no period and the other covers part of the year: maybe the same figure, maybe not."""
    return (a.period_end is None) != (b.period_end is None) and _period_key(a) != _period_key(b)


def _agree(stated: Value, copy: Value, n: int) -> bool:
    """Equal up to rounding: half a unit each, plus one unit per component rounded into the total."""
    tolerance = half_unit(stated) + half_unit(copy) + n * 2 * half_unit(copy)
    return abs(abs(stated.value) - abs(copy.value)) <= tolerance + 1e-9


def _compare(
    summary: Table, row: Row, detail: Table, total: Row, n: int, what: str | None = None
) -> list[Finding]:
    """Compare each column of the detail total with the summary row's column of the same role and period;
    where several fit, only a figure that agrees with none of them, and has one clear match, is flagged."""
    found = []
    what = what or f"'{detail.title}' totals"
    for dcol in detail.columns:
        copy = numeric(total, dcol.key)
        candidates = [c for c in summary.columns if _compatible(c, dcol) and numeric(row, c.key) is not None]
        if copy is None or not candidates:
            continue
        if any(_agree(numeric(row, c.key), copy, n) for c in candidates):
            continue
        if any(_ambiguous(c, dcol) for c in candidates):
            continue
        if len(candidates) > 1:
            exact = [
                c
                for c in candidates
                if _period_key(c) == _period_key(dcol) and c.period_end == dcol.period_end
            ]
            if len(exact) != 1:
                continue  # ambiguous: which of the columns is the same figure is not clear
            candidates = exact
        col = candidates[0]
        stated = numeric(row, col.key)
        diff = abs(stated.value) - abs(copy.value)
        sign = -1 if stated.value * copy.value < 0 else 1
        severity = severity_for(stated, copy)
        far = far_apart(stated.value, copy.value)  # a table split in parts, a sub-table named like the row
        if far and severity == "error":
            severity = "warning"
        found.append(
            finding(
                "cross_table",
                summary,
                row,
                col.key,
                stated.value,
                sign * copy.value,
                f"{row.label} ({col.header}) is {fmt(stated.value)} in '{summary.title}' but "
                f"{what} {fmt(copy.value)} (difference {fmt(diff)})"
                + (
                    "; so far apart that the table may hold only a part of it (or be read in parts)"
                    if far
                    else ""
                ),
                severity,
            )
        )
    return found

"""Note tie-outs: a note's total equals the statement line that refers to it (its Not column), column by
column of the same role, year and period; a note column of another period (Helår beside Jan–aug) or one the
periods cannot single out is tied to nothing."""

from __future__ import annotations

import re

from finsam.model import Column, Finding, Row, Table, Value
from finsam.text import fold, same_word
from normalized.rules.base import (
    CheckContext,
    consistent,
    far_apart,
    finding,
    fmt,
    numeric,
    rule,
    severity_for,
)

STATEMENT_KINDS = ("resultatrakning", "balansrakning", "kassaflodesanalys")


def note_total(note: Table) -> Row | None:
    """The row that sums the note up: its last total, or its only row."""
    totals = [r for r in note.rows if r.is_total and r.values]
    if totals:
        return totals[-1]
    with_values = [r for r in note.rows if r.values]
    return with_values[0] if len(with_values) == 1 else None


def matching_column(columns: list[Column], like: Column) -> Column | None:
    """The note column for the same role, year and period as the statement's column `like`.

    A column that states another period is never the same figure (a delårsrapport's note giving Helår 2022
    beside Jan–aug 2022 ties only its Jan–aug column to the statement's Jan–aug column). Where the periods
    cannot tell several columns apart, None: a figure that cannot be matched is no error."""
    same = [c for c in columns if c.year == like.year and c.year is not None and c.role == like.role]
    if like.period_end is not None:
        exact = [c for c in same if c.period_end == like.period_end]
        if exact:
            return exact[0] if len(exact) == 1 else None
    fitting = [c for c in same if c.period_end is None or like.period_end is None]
    return fitting[0] if len(fitting) == 1 else None


_CONTENT_WORD = re.compile(r"[a-z]{4,}")


def _names_the_line(title: str, label: str) -> bool:
    """The note's title and the statement line share a word ('Not 4 Övriga externa kostnader' and 'Övriga
    externa kostnader'); a note titled for something else ('Kortfristiga skulder' for 'Verksamhetens
    medlemsavgifter') was reached through a misread reference (an OCR'd Not column: '7' for '1')."""
    a, b = _CONTENT_WORD.findall(fold(title or "")), _CONTENT_WORD.findall(fold(label or ""))
    if not a or not b:
        return True  # a title or label of no words tells nothing
    return any(same_word(x, y) for x in a for y in b)


@rule("note_tie_out")
def note_tie_out(ctx: CheckContext) -> list[Finding]:
    found: list[Finding] = []
    notes = {t.note_number: t for t in ctx.tables if t.kind == "note" and t.note_number is not None}
    for statement in (t for t in ctx.tables if t.kind in STATEMENT_KINDS):
        for row in statement.rows:
            note = notes.get(row.note_ref)
            total = note_total(note) if note else None
            if total is None:
                continue
            for col in statement.columns:
                stated = numeric(row, col.key)
                other = matching_column(note.columns, col)
                expected = numeric(total, other.key) if other else None
                if (
                    stated is None
                    or expected is None
                    or (note.unit and statement.unit and note.unit != statement.unit)
                ):
                    continue
                sign = -1 if stated.value * expected.value < 0 else 1  # notes print costs positive
                if consistent(stated, [expected], [sign]):
                    continue
                severity = severity_for(stated, expected)
                misread = not _names_the_line(note.title, row.label) and far_apart(
                    stated.value, expected.value
                )
                if misread and severity == "error":
                    severity = "warning"
                found.append(
                    finding(
                        "note_tie_out",
                        statement,
                        row,
                        col.key,
                        stated.value,
                        sign * expected.value,
                        f"{row.label} ({col.header}) is {fmt(stated.value)} but Not {row.note_ref} "
                        f"({note.title}) totals {fmt(expected.value)} (difference "
                        f"{fmt(stated.value - sign * expected.value)}, in the statement's sign)"
                        + (
                            "; the note's title does not name this line, so its reference may be misread"
                            if misread
                            else ""
                        ),
                        severity,
                    )
                )
    return found


__all__ = ["note_tie_out", "note_total", "matching_column", "Value"]

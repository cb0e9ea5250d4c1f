"""The cross-checks on the real reports: their real inconsistencies found, nothing else called an error,
and an error injected into a clean table found where it was put."""

from __future__ import annotations

import pytest

from extractor import extract
from normalized.checks import check_document
from parsers import read_document

# (document, rule, row, stated, expected) of every real inconsistency in the clean corpus reports
REAL = {
    ("001", "cross_table", "Strukturinriktade insatser", 1320, 1220),
    ("003", "note_tie_out", "Verksamhetens kostnader", -19794180, -19799284),
    ("003", "note_tie_out", "Verksamhetens kostnader", -23942009, -23945061),
    ("003", "row_arithmetic", "Försörjningsstöd", -26, -21),
    ("003", "percent", "2014", 52, 51),
    ("004", "sign", "Totalt", 10238, -10238),
    ("004", "cross_table", "1. Nettokostnad och finansnetto", -10220, -10238),
    ("004", "cross_table", "1. Nettokostnad och finansnetto", -17687, -17703),
    ("004", "sign", "2. Bidrag", -11530, 11530),
    ("004", "row_arithmetic", "Årets resultat", -1799685, -1683685),
    ("004", "row_arithmetic", "S:a Eget kapital", -1948547, -1832547),
    ("004", "row_arithmetic", "Upplupna kostnader", -2284716, -2400716),
    ("004", "row_arithmetic", "S:a Kortfristiga skulder", -2134021, -2250021),
}
# borderline percentages the annotators accept either way (56.49 % printed 57, 56.52 % printed 56)
ACCEPTABLE = {("003", "percent", "2015", 57, 56), ("003", "percent", "2014", 56, 57)}


@pytest.fixture(scope="module")
def extracted(corpus_texts):
    return {n: extract(read_document(corpus_texts[n])) for n in ("001", "003", "004")}


def test_real_inconsistencies_found_and_no_false_errors(extracted):
    errors = set()
    for n, ex in extracted.items():
        for f in check_document(ex.tables, ex.meta):
            if f.severity == "error":
                errors.add((n, f.rule, f.row, f.stated, f.expected))
    assert REAL <= errors
    assert errors - REAL - ACCEPTABLE == set()


def test_findings_say_where_and_by_how_much(extracted):
    ex = extracted["003"]
    f = next(f for f in check_document(ex.tables, ex.meta) if f.rule == "note_tie_out")
    assert f.page == 1 and f.table == "Resultaträkning" and f.difference == 5104
    assert "Not 4" in f.message and "19 799 284" in f.message


@pytest.mark.parametrize("delta", [1000, -7, 250])
def test_injected_error_in_a_clean_note_is_found(extracted, delta):
    ex = extracted["003"]
    note = next(t for t in ex.tables if t.kind == "note" and t.note_number == 5)
    row = next(r for r in note.rows if not r.is_total and r.values)
    key = next(iter(row.values))
    cell = row.values[key]
    original = (cell.raw, cell.value)
    try:
        cell.value += delta
        cell.raw = f"{cell.value:.0f}"
        found = [
            f for f in check_document(ex.tables, ex.meta) if f.severity == "error" and f.table == note.title
        ]
        assert any(f.rule == "column_sum" and f.row == "Summa" and f.difference == -delta for f in found), (
            found
        )
    finally:
        cell.raw, cell.value = original

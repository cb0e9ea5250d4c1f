"""Property-based tests (hypothesis): what must hold for any input, not for the inputs we thought of.

- the Swedish number parser: any figure printed as reports print them reads back as its value; no string
  makes it raise;
- the text reader: any bytes make a document or a FinsamError, never another exception, and its extraction
  and checks never raise either;
- the word repair: never raises, never changes a figure, and leaves clean Swedish text (whole lines of the
  clean corpus, in any selection) as it is;
- the store: any document written, exported and imported into another store exports the same.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.numbers import parse_number
from finsam.errors import FinsamError
from parsers.repair import repair_text
from parsers.text import read_text

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SOME = settings(
    max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)


def _printed(value: int, decimals: int, minus: str, percent: bool) -> str:
    """A figure as a Swedish report prints it: groups of three digits set apart by a space, a decimal comma."""
    whole, fraction = divmod(abs(value), 10**decimals)
    groups = f"{whole:,}".replace(",", " ")
    text = groups + (f",{fraction:0{decimals}d}" if decimals else "")
    return (minus if value < 0 else "") + text + (" %" if percent else "")


@SOME
@given(
    st.integers(min_value=-(10**12), max_value=10**12),
    st.integers(min_value=0, max_value=2),
    st.sampled_from(["-", "−", "–"]),
    st.booleans(),
)
def test_any_printed_figure_reads_back_as_its_value(value, decimals, minus, percent):
    text = _printed(value, decimals, minus, percent)
    parsed = parse_number(text)
    assert parsed is not None, text
    assert parsed.value == pytest.approx(value / 10**decimals, abs=1e-9), text


@SOME
@given(st.text(max_size=40))
def test_no_string_makes_the_number_parser_raise(text):
    parse_number(text)


def _read_extract_check(data: bytes) -> None:
    """Read `data` as a text file, extract and check it: what `finsam ingest` runs on it."""
    from finsam.pipeline import analyse

    try:
        doc = read_text(Path("fuzz.txt"), data)
    except FinsamError:
        return
    analyse(doc)


@SOME
@given(st.binary(max_size=3000))
def test_any_bytes_make_a_document_or_a_clear_error(data):
    _read_extract_check(data)


_REPORT_LINE = st.sampled_from(
    [
        "Samordningsförbundet har under året finansierat insatser för deltagare.",
        "Belopp i tkr\tNot\t2021\t2020",
        "Medlemsavgifter\t1\t12 000\t11 500",
        "Summa intäkter\t\t12 000\t11 500",
        "Målet är att minst 30 % av deltagarna ska gå till arbete eller studier.",
        "Försäkringskassan\t50 %\t6 000",
        "Årets resultat\t\t-1 234,5\t987,6",
    ]
)


@SOME
@given(st.lists(st.one_of(_REPORT_LINE, st.text(max_size=60)), max_size=12))
def test_reports_made_of_any_lines_never_make_extraction_raise(lines):
    data = ("Samordningsförbundet Test\nÅrsredovisning 2021\n" + "\n".join(lines)).encode("utf-8")
    _read_extract_check(data)


# A figure: a run of digits that no letter touches. A 6 or 4 inside a word of letters is what an English
# model makes of ö or ä ("Samordningsf6rbundet", "J4"), and the repair may read it back as that letter.
_FIGURE_DIGITS = re.compile(r"(?<![^\W\d_])\d+(?![^\W\d_])")


@SOME
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_the_word_repair_never_raises_nor_changes_a_figure(text):
    repaired = repair_text(text).text
    assert _FIGURE_DIGITS.findall(repaired) == _FIGURE_DIGITS.findall(text)


def _clean_lines() -> list[str]:
    lines: list[str] = []
    for path in sorted(CORPUS.glob("00[134]_*.txt")):
        text = path.read_text(encoding="utf-8")
        lines += [ln for ln in re.sub(r"<[^>]+>", "", text).split("\n") if len(ln.split()) >= 4]
    return lines


CLEAN_LINES = _clean_lines()


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(CLEAN_LINES), min_size=1, max_size=8))
def test_the_word_repair_leaves_clean_swedish_text_as_it_is(lines):
    text = "\n".join(lines)
    assert repair_text(text).text == text


# --- the store ------------------------------------------------------------------------------------------------

_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30)
_NUMBER = st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False, width=64))
_MAYBE_INT = st.one_of(st.none(), st.integers(min_value=-(2**40), max_value=2**40))


@st.composite
def _table(draw, n: int):
    from finsam.model import COLUMN_ROLES, TABLE_KINDS, UNITS, Column, Row, Table, Value

    keys = draw(
        st.lists(st.text(alphabet="abcx0123456789_", min_size=1, max_size=6), max_size=4, unique=True)
    )
    columns = [
        Column(key, draw(_TEXT), draw(st.sampled_from(COLUMN_ROLES)), draw(_MAYBE_INT),
               draw(st.one_of(st.none(), _TEXT)), None, draw(st.one_of(st.none(), st.sampled_from(UNITS))))
        for key in keys
    ]  # fmt: skip
    rows = []
    for _ in range(draw(st.integers(0, 4))):
        cells = draw(st.lists(st.sampled_from(keys), unique=True)) if keys else []
        rows.append(
            Row(draw(_TEXT), draw(_TEXT),
                {k: Value(draw(_TEXT), draw(_NUMBER), draw(st.booleans()), draw(st.booleans())) for k in cells},
                draw(st.one_of(st.none(), _TEXT)), draw(st.booleans()), draw(st.integers(0, 3)),
                draw(st.one_of(st.none(), st.integers(0, 3))), draw(st.one_of(st.none(), _TEXT)),
                draw(_MAYBE_INT), draw(_MAYBE_INT))
        )  # fmt: skip
    return Table(draw(st.sampled_from(TABLE_KINDS)), draw(_TEXT), columns, rows,
                 draw(st.one_of(st.none(), st.sampled_from(UNITS))), draw(_MAYBE_INT), draw(_MAYBE_INT),
                 draw(_MAYBE_INT), f"t{n}", draw(st.lists(_TEXT, max_size=2)))  # fmt: skip


@st.composite
def _document(draw):
    from finsam.model import DOC_TYPES, DocumentMeta, Extraction, Finding, Goal, Page, ParsedDocument

    meta = DocumentMeta(draw(st.one_of(st.none(), _TEXT)), draw(st.one_of(st.none(), st.sampled_from(DOC_TYPES))),
                        draw(_MAYBE_INT), draw(st.one_of(st.none(), _TEXT)), None, draw(st.lists(_TEXT, max_size=3)))  # fmt: skip
    tables = [draw(_table(n)) for n in range(1, draw(st.integers(0, 3)) + 1)]
    goals = [
        Goal(draw(st.one_of(st.none(), _TEXT)), draw(_TEXT), draw(_NUMBER), draw(st.one_of(st.none(), _TEXT)),
             draw(st.one_of(st.none(), _TEXT)), draw(_NUMBER), draw(st.one_of(st.none(), _TEXT)), draw(_MAYBE_INT),
             draw(st.one_of(st.none(), _TEXT)))
        for _ in range(draw(st.integers(0, 2)))
    ]  # fmt: skip
    findings = [
        Finding(draw(_TEXT), draw(st.sampled_from(["error", "warning", "info"])), draw(_TEXT),
                draw(st.one_of(st.none(), _TEXT)), draw(st.one_of(st.none(), _TEXT)), None, draw(_NUMBER),
                draw(_NUMBER), draw(_NUMBER), draw(_MAYBE_INT), draw(st.one_of(st.none(), _TEXT)))
        for _ in range(draw(st.integers(0, 2)))
    ]  # fmt: skip
    pages = [Page(i, draw(_TEXT), [], draw(st.sampled_from(["text", "pdf_text", "ocr"])))
             for i in range(1, draw(st.integers(0, 3)) + 1)]  # fmt: skip
    sha = draw(st.binary(min_size=32, max_size=32)).hex()
    parsed = ParsedDocument(
        draw(_TEXT) or "report.txt", sha, draw(st.sampled_from(["text", "pdf_text"])), pages
    )
    return parsed, Extraction(meta, tables, goals, findings)


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_document(), min_size=1, max_size=3, unique_by=lambda d: d[0].sha256))
def test_any_document_exported_and_imported_exports_the_same(documents):
    import json
    import tempfile

    from normalized.store import Store
    from normalized.store.importing import import_export

    with tempfile.TemporaryDirectory() as folder:
        first, second = Store(Path(folder) / "a.db"), Store(Path(folder) / "b.db")
        for parsed, extraction in documents:
            first.write_document(parsed, extraction)
        export = json.loads(json.dumps(first.export(with_text=True)))
        outcomes = import_export(second, export)
        assert [o.status for o in outcomes] == ["imported"] * len(documents), outcomes
        again = json.loads(json.dumps(second.export(with_text=True)))
        first.close()
        second.close()
    assert _comparable(again) == _comparable(export)


def _comparable(export: dict) -> list[dict]:
    sha = {d["id"]: d["sha256"] for d in export["documents"]}
    return [
        {
            **{k: v for k, v in d.items() if k not in ("id", "federation_id")},
            "superseded_by": sha.get(d["superseded_by"]),
        }
        for d in export["documents"]
    ]

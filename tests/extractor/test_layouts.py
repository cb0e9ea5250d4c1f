"""Failure kinds of layouts finsam had never seen, each on a real report rendered by the sweep's reportlab
producer with the one layout choice that broke it: header cells wrapped in narrow columns with year and unit
on lines of their own, left-aligned and centred figures, running headers naming the federation, labels that
wrap over two lines, participant tables whose header words a narrow column broke, and figure columns set too
tight for the word gaps."""

from __future__ import annotations

import dataclasses

import pytest

from corpus.sweep import prepare, reportlab_producer, writer_producer
from corpus.sweep.document import read_report, title
from corpus.sweep.layout import random_layout
from extractor import extract
from parsers import read_document


def _extract(text: str, tmp_path, name: str, producer=reportlab_producer, **layout):
    if not producer.available():
        pytest.skip(f"{producer.PROGRAM} is not installed")
    blocks = read_report(text)
    chosen = dataclasses.replace(random_layout(0, title(blocks)), **layout)
    pdf = producer.render_pdf(prepare(blocks, chosen), chosen, tmp_path / f"{name}.pdf")
    return extract(read_document(pdf))


def _table(extraction, kind: str, title_part: str = ""):
    return next(t for t in extraction.tables if t.kind == kind and title_part in t.title)


def _values(table, label: str) -> dict:
    row = next(r for r in table.rows if r.label == label)
    return {(c.role, c.year): row.values[c.key].value for c in table.columns if c.key in row.values}


@pytest.fixture(scope="module")
def report_text(corpus_texts) -> str:
    return corpus_texts["003"].read_text(encoding="utf-8")


def test_header_words_broken_by_narrow_centred_columns(tmp_path, report_text):
    # LibreOffice breaks a header word that does not fit its column ("Deltag" / "are"), stacks the year and
    # unit, and the header runs over six lines above centred figures
    ex = _extract(
        report_text,
        tmp_path,
        "narrow",
        writer_producer,
        figure_align="center",
        header_stack=True,
        figure_width=6.5,
        table_style="bare",
        size=10,
        table_font_scale=1.0,
    )
    team = next(t for t in ex.tables if t.kind == "participants" and [r for r in t.rows if r.label == "2011"])
    assert [c.header for c in team.columns][:3] == ["Deltagare", "Avslutade", "Till arbete"]
    row = next(r for r in team.rows if r.label == "2011")
    assert [v.value for v in row.values.values()][:3] == [317, 208, 77]
    balance = _table(ex, "balansrakning")
    assert _values(balance, "Summa eget kapital och skulder") == {
        ("actual", 2016): 9363876,
        ("actual", 2015): 11713797,
    }


def test_left_aligned_figures_stay_in_their_columns(tmp_path, report_text):
    ex = _extract(report_text, tmp_path, "left", figure_align="left", table_style="bare", figure_width=8)
    balance = _table(ex, "balansrakning")
    assert _values(balance, "Summa eget kapital och skulder") == {
        ("actual", 2016): 9363876,
        ("actual", 2015): 11713797,
    }
    assert _values(balance, "Långfristiga skulder") == {("actual", 2016): 0, ("actual", 2015): 0}


def test_a_running_header_naming_the_federation_is_not_its_name(tmp_path, report_text):
    # a federation whose name is no place name: only the line's end would end it
    text = report_text.replace("Östra Södertörn", "Norrhälsinge")
    header = "Samordningsförbundet Norrhälsinge Organisationsnummer 222000-1234"
    ex = _extract(text, tmp_path, "header", running_header=header, running_footer="Sida {n} av {total}")
    assert ex.meta.federation == "Samordningsförbundet Norrhälsinge"
    assert (ex.meta.doc_type, ex.meta.fiscal_year) == ("arsredovisning", 2016)
    assert not [r for t in ex.tables for r in t.rows if "Organisationsnummer" in r.label or "Sida" in r.label]


def test_a_label_wrapped_above_its_figures_keeps_the_table_whole(tmp_path, report_text):
    # seed 1's cells align at the bottom: "Kassaflöde från" stands on a line of its own above
    # "investeringsverksamheten 0 0"
    ex = _extract(
        report_text, tmp_path, "wrapped", label_share=0.22, figure_width=10, table_style="grid", seed=1
    )
    cash = [t for t in ex.tables if t.kind == "kassaflodesanalys"]
    assert len(cash) == 1
    labels = [r.label for r in cash[0].rows]
    assert "Kassaflöde från investeringsverksamheten" in labels
    assert "Likvida medel vid årets slut" in labels

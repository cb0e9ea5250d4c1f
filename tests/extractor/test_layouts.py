"""Failure kinds of layouts finsam had never seen, each on a real report rendered by the sweep's reportlab
producer with the one layout choice that broke it: header cells wrapped in narrow columns with year and unit
on lines of their own, left-aligned and centred figures, running headers naming the federation, labels that
wrap over two lines, participant tables whose header words a narrow column broke, and figure columns set too
tight for the word gaps."""

from __future__ import annotations

import dataclasses

import pytest

from corpus.sweep import prepare
from corpus.sweep.document import read_report, title
from corpus.sweep.layout import random_layout
from corpus.sweep.reportlab_producer import render_pdf
from extractor import extract
from parsers import read_document


def _extract(text: str, tmp_path, name: str, **layout):
    blocks = read_report(text)
    chosen = dataclasses.replace(random_layout(0, title(blocks)), **layout)
    pdf = render_pdf(prepare(blocks, chosen), chosen, tmp_path / f"{name}.pdf")
    return extract(read_document(pdf))


def _table(extraction, kind: str, title_part: str = ""):
    return next(t for t in extraction.tables if t.kind == kind and title_part in t.title)


def _values(table, label: str) -> dict:
    row = next(r for r in table.rows if r.label == label)
    return {(c.role, c.year): row.values[c.key].value for c in table.columns if c.key in row.values}


@pytest.fixture(scope="module")
def plan_text(corpus_texts) -> str:
    return corpus_texts["001"].read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def report_text(corpus_texts) -> str:
    return corpus_texts["003"].read_text(encoding="utf-8")


def test_header_wrapped_in_narrow_columns_with_year_and_unit_on_lines_of_their_own(tmp_path, plan_text):
    ex = _extract(
        plan_text, tmp_path, "stacked", header_stack=True, figure_width=4.5, table_style="rules",
        bold_header=True,
    )
    budget = _table(ex, "budget", "Budget 2018")
    # "Prognos utfall\n2017\n(tkr)" over four lines stays a 2017 forecast, "Budget\n2018\n(tkr)" a 2018 budget
    assert _values(budget, "Summa kostnader") == {("forecast", 2017): 21994, ("budget", 2018): 25599}
    assert budget.unit == "tkr"


@pytest.mark.parametrize("align", ["left", "center"])
def test_figures_aligned_left_or_centred_stay_in_their_columns(tmp_path, report_text, align):
    ex = _extract(report_text, tmp_path, align, figure_align=align, table_style="bare", figure_width=8)
    balance = _table(ex, "balansrakning")
    assert _values(balance, "Summa eget kapital och skulder") == {
        ("actual", 2016): 9363876,
        ("actual", 2015): 11713797,
    }
    assert _values(balance, "Långfristiga skulder") == {("actual", 2016): 0, ("actual", 2015): 0}


def test_a_running_header_naming_the_federation_is_not_its_name(tmp_path, report_text):
    header = "Samordningsförbundet Östra Södertörn Organisationsnummer 222000-1234"
    ex = _extract(report_text, tmp_path, "header", running_header=header, running_footer="Sida {n} av {total}")
    assert ex.meta.federation == "Samordningsförbundet Östra Södertörn"
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


def test_participant_table_with_broken_header_words_is_read_as_participants(tmp_path, report_text):
    ex = _extract(report_text, tmp_path, "narrow", figure_width=3, table_font_scale=1.0, size=11)
    team = next(t for t in ex.tables if t.kind == "participants" and "Ungdomsteamet" in (t.title + str(t.rows)))
    row = next(r for r in team.rows if r.label == "2011")
    assert [v.value for v in row.values.values()][:3] == [317, 208, 77]
    assert not [v for r in team.rows for v in r.values.values() if v.value and v.value > 10000]

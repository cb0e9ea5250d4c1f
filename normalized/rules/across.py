"""Checks across documents of one federation.

- restatement (warning): the prior-year column of year N's report differs from year N−1's own report.
- revised_budget (info): an årsredovisning's budget differs from that year's verksamhetsplan budget.
"""

from __future__ import annotations

from finsam.model import DocumentMeta, Finding, Table
from normalized.rules.base import fmt, half_unit, numeric, rule

COMPARED_KINDS = ("resultatrakning", "balansrakning", "kassaflodesanalys", "note")
# The tables a budget is printed in, compared by canonical key whatever their kind: an årsredovisning's
# budget column against the verksamhetsplan's budget (here, and in normalized.facts for `finsam diff`).
BUDGET_KINDS = ("resultatrakning", "budget", "budget_outcome", "member_contributions")
# Every kind of table a rule here reads: what the store loads to run them (a new rule adds its kinds).
ACROSS_KINDS = tuple(dict.fromkeys(COMPARED_KINDS + BUDGET_KINDS))


def _figures(tables: list[Table], role: str, year: int, kinds=COMPARED_KINDS):
    """{(table kind, note number, canonical or label): (table, row, value)} for one role and year."""
    out = {}
    for t in tables:
        if t.kind not in kinds:
            continue
        for col in t.columns:
            if col.role != role or col.year != year:
                continue
            for row in t.rows:
                v = numeric(row, col.key)
                if v is not None:
                    key = (t.kind, t.note_number, row.canonical or row.label.casefold())
                    out.setdefault(key, (t, row, v, col))
    return out


def _pairs(documents, same):
    """(i, j) for every two documents of one named federation that `same` relates, in index order; the
    documents are grouped by federation first, so a store of many federations is not compared pairwise."""
    by_federation: dict[str, list[int]] = {}
    for i, (meta, _) in enumerate(documents):
        if meta.federation:
            by_federation.setdefault(meta.federation, []).append(i)
    pairs = [
        (i, j)
        for group in by_federation.values()
        for i in group
        for j in group
        if i != j and same(documents[i][0], documents[j][0])
    ]
    yield from sorted(pairs)


def _compare(documents, i, j, role_i, role_j, year, rule_name, severity, why) -> list[Finding]:
    found = []
    mine = _figures(documents[i][1], role_i, year)
    theirs = _figures(documents[j][1], role_j, year)
    for key, (t, row, v, col) in mine.items():
        if key not in theirs:
            continue
        _, _, w, _ = theirs[key]
        if abs(v.value - w.value) > half_unit(v) + half_unit(w) + 1e-9:
            found.append(
                Finding(
                    rule=rule_name,
                    severity=severity,
                    table=t.title,
                    table_id=t.id,
                    row=row.label,
                    column=col.key,
                    stated=v.value,
                    expected=w.value,
                    difference=v.value - w.value,
                    page=row.page or t.page,
                    message=f"{row.label} {year} is {fmt(v.value)} here but {fmt(w.value)} in {why}",
                    document_index=i,
                    other_document_index=j,
                )
            )
    return found


def _is(meta: DocumentMeta, doc_type: str) -> bool:
    """Is the document of this type, with a known year?"""
    return meta.doc_type == doc_type and meta.fiscal_year is not None


@rule("restatement", across=True)
def restatement(documents: list[tuple[DocumentMeta, list[Table]]]) -> list[Finding]:
    found: list[Finding] = []

    def previous_year(a: DocumentMeta, b: DocumentMeta) -> bool:
        return _is(a, "arsredovisning") and _is(b, "arsredovisning") and b.fiscal_year == a.fiscal_year - 1

    for i, j in _pairs(documents, previous_year):
        year = documents[j][0].fiscal_year
        found += _compare(
            documents,
            i,
            j,
            "actual",
            "actual",
            year,
            "restatement",
            "warning",
            f"the {year} årsredovisning (restated)",
        )
    return found


@rule("revised_budget", across=True)
def revised_budget(documents: list[tuple[DocumentMeta, list[Table]]]) -> list[Finding]:
    found: list[Finding] = []

    def plan_of_the_year(a: DocumentMeta, b: DocumentMeta) -> bool:
        return _is(a, "arsredovisning") and _is(b, "verksamhetsplan") and a.fiscal_year == b.fiscal_year

    for i, j in _pairs(documents, plan_of_the_year):
        year = documents[i][0].fiscal_year
        mine = _figures(documents[i][1], "budget", year, BUDGET_KINDS)
        theirs = {k[2]: v for k, v in _figures(documents[j][1], "budget", year, BUDGET_KINDS).items()}
        for key, (t, row, v, col) in mine.items():
            other = theirs.get(key[2])
            if other and row.canonical and abs(v.value - other[2].value) > half_unit(v) + half_unit(other[2]):
                if (t.unit or "") != (other[0].unit or ""):
                    continue
                found.append(
                    Finding(
                        rule="revised_budget",
                        severity="info",
                        table=t.title,
                        table_id=t.id,
                        row=row.label,
                        column=col.key,
                        stated=v.value,
                        expected=other[2].value,
                        difference=v.value - other[2].value,
                        page=row.page or t.page,
                        document_index=i,
                        other_document_index=j,
                        message=f"budget {year} for {row.label} is {fmt(v.value)} here but {fmt(other[2].value)} in the "
                        f"verksamhetsplan (revised budget)",
                    )
                )
    return found

"""Cross-checks: every total against its parts, every statement against its notes, tables against each other.

Each rule is a small function registered under its name with `@rule(...)`; `check_document` runs every
document rule over a document's tables and `check_across` runs the rules that compare documents. Rules live
in `normalized/rules/`, one module per family, built on the registry and the rounding-aware tolerance of
`normalized/rules/base.py`; this module runs them, keeps one finding per wrong cell, and writes the text
report.
"""

from __future__ import annotations

from finsam.model import DocumentMeta, Finding, Table
from normalized import rules  # noqa: F401  (importing the rules registers them)
from normalized.rules.base import ACROSS_RULES, DOCUMENT_RULES, AcrossRule, CheckContext, DocumentRule

# --- runners ------------------------------------------------------------------------------------------------


def registry() -> tuple[dict[str, DocumentRule], dict[str, AcrossRule]]:
    """The registered rules: (document rules, rules across documents), by name."""
    return DOCUMENT_RULES, ACROSS_RULES


def check_document(tables: list[Table], meta: DocumentMeta | None = None) -> list[Finding]:
    """Run every document rule; findings sorted by page, most severe first, duplicates dropped."""
    ctx = CheckContext(tables=tables, meta=meta)
    found: list[Finding] = []
    for fn in DOCUMENT_RULES.values():
        found.extend(fn(ctx))
    return _dedupe(found)


def check_across(documents: list[tuple[DocumentMeta, list[Table]]]) -> list[Finding]:
    """Run the rules that compare documents; Finding.document_index points into `documents`."""
    found: list[Finding] = []
    for fn in ACROSS_RULES.values():
        found.extend(fn(documents))
    return _dedupe(found)


def soften_ocr_findings(
    findings: list[Finding], ocr_pages: set[int], tables: list[Table] | None = None
) -> list[Finding]:
    """On OCR'd pages a difference of one digit (80 000, 100, 7) is as likely a misread as an error in the
    report, and so is any difference in a table some of whose figures were not read for certain (a cell read
    as no number, a figure marked uncertain, a row missing a figure its neighbours have): such findings
    become warnings that say so, and the printed raw text decides on a second look."""
    # counted only for documents with OCR'd pages, and only tables with an id a finding can name
    unread = {t.id: _unread_figures(t) for t in tables or [] if t.id and ocr_pages}
    by_id = {t.id: t for t in tables or [] if t.id}
    for f in findings:
        if f.severity != "error" or f.page not in ocr_pages:
            continue
        unsure = _unsure_figure(by_id.get(f.table_id), f)
        if f.difference and _one_digit(f.difference):
            f.severity = "warning"
            f.message += " (on an OCR'd page: could be one misread digit)"
        elif unread.get(f.table_id):
            f.severity = "warning"
            f.message += (
                f" (on an OCR'd page where {unread[f.table_id]} figure(s) of the table were not read for "
                "certain: could be a misreading)"
            )
        elif unsure:
            f.severity = "warning"
            f.message += f" (on an OCR'd page, {unsure} read unsurely: could be a misreading)"
    return findings


def _unsure_figure(table: Table | None, finding: Finding) -> str | None:
    """The printed figure a finding rests on that OCR read least surely, below CLEAR_READING, if any: of a
    total's parts and the total (column_sum), of the row (row_arithmetic and the row's other rules)."""
    from normalized.number_repair import CLEAR_READING, involved_cells

    if table is None or not finding.row:
        return None
    if finding.rule == "column_sum" and finding.column:
        cells = involved_cells(table, finding)
    else:
        cells = [v for r in table.rows if r.label == finding.row for v in r.values.values()]
    unsure = [v for v in cells if v.confidence is not None and v.confidence < CLEAR_READING]
    return f'"{min(unsure, key=lambda v: v.confidence).raw}"' if unsure else None


def _unread_figures(table: Table) -> int:
    """Figures of a table not read for certain: cells with digits that read as no number or are marked
    uncertain, and holes — a column empty in a row of figures where the rows above and below have it."""
    keys = [c.key for c in table.columns]
    count = 0
    valued = [r for r in table.rows if r.values]
    for n, row in enumerate(valued):
        for v in row.values.values():
            if v.uncertain or (v.value is None and any(ch.isdigit() for ch in v.raw)):
                count += 1
        if 0 < n < len(valued) - 1:
            count += sum(
                1
                for k in keys
                if k not in row.values and k in valued[n - 1].values and k in valued[n + 1].values
            )
    return count


def _one_digit(difference: float) -> bool:
    digits = f"{abs(difference):.2f}".rstrip("0").rstrip(".").replace(".", "").lstrip("0")
    return len(digits.rstrip("0")) == 1


_RANK = {"error": 0, "warning": 1, "info": 2}


# When two rules find one cell wrong by the same figure, the finding of the rule that says more about why
# is kept (a balance sheet's total against Summa tillgångar rather than against its rows), the other named.
PRECEDENCE = ("statement_identity", "cash_flow", "note_tie_out", "cross_table", "row_arithmetic", "sign")


def _dedupe(found: list[Finding]) -> list[Finding]:
    seen: set[tuple] = set()
    out: list[Finding] = []
    for f in sorted(found, key=lambda f: (f.document_index or 0, f.page or 0, _RANK[f.severity])):
        key = (f.rule, f.table_id, f.row, f.column, f.stated, f.expected, f.document_index)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return _one_per_cell(out)


def _precedence(f: Finding) -> tuple[int, int]:
    return (_RANK[f.severity], PRECEDENCE.index(f.rule) if f.rule in PRECEDENCE else len(PRECEDENCE))


def _one_per_cell(found: list[Finding]) -> list[Finding]:
    """One finding for one cell printed wrong by one figure, whichever rules found it."""
    kept: dict[tuple, int] = {}
    out: list[Finding | None] = []
    for f in found:
        key = (f.document_index, f.table_id, f.row, f.column, f.stated, f.expected)
        if f.stated is None or f.expected is None or key not in kept:
            kept.setdefault(key, len(out))
            out.append(f)
            continue
        first = out[kept[key]]
        keep, drop = (first, f) if _precedence(first) <= _precedence(f) else (f, first)
        keep.message += f" ({drop.rule} finds the same)"
        out[kept[key]] = keep
    return [f for f in out if f is not None]


def format_findings_text(by_doc: list[tuple[dict, list[dict]]]) -> str:
    """A readable report grouped by document, each finding with the page to look at."""
    lines: list[str] = []
    for doc, findings in by_doc:
        counts = {s: sum(1 for f in findings if f["severity"] == s) for s in _RANK}
        head = (
            f"{doc.get('source_name')} — {doc.get('federation') or '?'}, {doc.get('doc_type') or '?'} "
            f"{doc.get('fiscal_year') or '?'}"
        )
        lines.append(head)
        lines.append(f"  {counts['error']} errors, {counts['warning']} warnings, {counts['info']} notes")
        for f in sorted(findings, key=lambda f: (_RANK[f["severity"]], f.get("page") or 0)):
            where = f"p. {f['page']}" if f.get("page") else "p. ?"
            lines.append(
                f"  [{f['severity']}] {where} {f.get('table') or ''} / {f.get('row') or ''} "
                f"({f['rule']}): {f['message']}"
            )
        lines.append("")
    if not by_doc:
        lines.append("no documents matched")
    return "\n".join(lines)

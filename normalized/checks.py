"""Cross-checks: every total against its parts, every statement against its notes, tables against each other.

Each rule is a small function registered under its name with `@rule(...)`; `check_document` runs every
document rule over a document's tables and `check_across` runs the rules that compare documents. Rules live
in `normalized/rules/`, one module per family; this module holds the registry, the rounding-aware tolerance
they share, and the text report.

Tolerance follows XBRL Calculation 1.1 (round-to-nearest): a printed value stands for value ± ½ unit of its
last printed digit, and a total is consistent when its interval overlaps the interval sum of its parts.
Differences that rounding explains are never errors.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from finsam.model import DocumentMeta, Finding, Row, Table, Value

DocumentRule = Callable[["CheckContext"], Iterable[Finding]]
AcrossRule = Callable[[list[tuple[DocumentMeta, list[Table]]]], Iterable[Finding]]

DOCUMENT_RULES: dict[str, DocumentRule] = {}
ACROSS_RULES: dict[str, AcrossRule] = {}

# Columns whose figures add up down a table (shares, averages, goals and free columns do not).
ADDITIVE_ROLES = frozenset(
    {"actual", "budget", "forecast", "variance", "opening", "change", "closing", "count"}
)


def rule(name: str, across: bool = False):
    """Register a rule under `name` (the `rule` of the findings it makes)."""

    def register(fn):
        (ACROSS_RULES if across else DOCUMENT_RULES)[name] = fn
        fn.rule_name = name
        return fn

    return register


@dataclass
class CheckContext:
    tables: list[Table]
    meta: DocumentMeta | None = None


# --- rounding-aware arithmetic ------------------------------------------------------------------------------

_DECIMAL_COMMA = re.compile(r",(\d+)")
_DECIMAL_POINT = re.compile(r"\d\.(\d{1,2})(?!\d)")  # "12.5"; "1.234.567" has dots as thousands separators


def decimals(value: Value) -> int:
    """Digits after the decimal comma as printed ("5 115,9" → 1, "18 064 870" → 0, "11,75" → 2)."""
    raw = (value.raw or "").strip()
    m = _DECIMAL_COMMA.search(raw) or _DECIMAL_POINT.search(raw)
    return len(m.group(1)) if m else 0


def half_unit(value: Value) -> float:
    """Half a unit of the last printed digit: the rounding a printed figure may hide. A printed nil is exact."""
    raw = (value.raw or "").strip()
    if raw in {"-", "–", "—", "−", ""} or value.value == 0 and not any(ch.isdigit() for ch in raw):
        return 0.0
    return 0.5 * 10 ** (-decimals(value))


def unit_of(value: Value) -> float:
    return 2 * half_unit(value) or 1.0


def consistent(stated: Value, parts: list[Value], signs: list[int] | None = None, slack: float = 0.0) -> bool:
    """True when stated's interval overlaps the (signed) interval sum of the parts."""
    signs = signs or [1] * len(parts)
    total = sum(s * p.value for s, p in zip(signs, parts, strict=True))
    width = half_unit(stated) + sum(half_unit(p) for p in parts) + slack + 1e-9 * max(1.0, abs(total))
    return abs(stated.value - total) <= width


def exact_sum(parts: list[Value], signs: list[int] | None = None) -> float:
    signs = signs or [1] * len(parts)
    return round(sum(s * p.value for s, p in zip(signs, parts, strict=True)), 6)


def numeric(row: Row, key: str) -> Value | None:
    v = row.values.get(key)
    return v if v is not None and v.value is not None else None


def severity_for(*values: Value | None, default: str = "error") -> str:
    """An OCR reading the totals could not confirm makes a finding a warning, not an error."""
    return "warning" if any(v is not None and v.uncertain for v in values) else default


def fmt(x: float | None) -> str:
    """A number Swedish-style: 19 794 180, -5 115,9."""
    if x is None:
        return "–"
    neg = x < 0
    x = abs(x)
    whole = int(round(x)) if abs(x - round(x)) < 1e-9 else None
    if whole is not None:
        text = f"{whole:,}".replace(",", " ")
    else:
        text = f"{x:,.2f}".rstrip("0").rstrip(".").replace(",", " ").replace(".", ",")
    return ("-" if neg else "") + text


def finding(
    rule_name: str,
    table: Table,
    row: Row,
    column: str,
    stated: float,
    expected: float,
    message: str,
    severity: str = "error",
) -> Finding:
    return Finding(
        rule=rule_name,
        severity=severity,
        message=message,
        table=table.title,
        table_id=table.id,
        row=row.label,
        column=column,
        stated=stated,
        expected=round(expected, 6),
        difference=round(stated - expected, 6),
        page=row.page or table.page,
    )


# --- runners ------------------------------------------------------------------------------------------------


def _load_rules() -> None:
    from normalized import rules  # noqa: F401  (importing registers the rules)


def registry() -> tuple[dict[str, DocumentRule], dict[str, AcrossRule]]:
    """The registered rules: (document rules, rules across documents), by name."""
    _load_rules()
    return DOCUMENT_RULES, ACROSS_RULES


def check_document(tables: list[Table], meta: DocumentMeta | None = None) -> list[Finding]:
    """Run every document rule; findings sorted by page, most severe first, duplicates dropped."""
    _load_rules()
    ctx = CheckContext(tables=tables, meta=meta)
    found: list[Finding] = []
    for fn in DOCUMENT_RULES.values():
        found.extend(fn(ctx))
    return _dedupe(found)


def check_across(documents: list[tuple[DocumentMeta, list[Table]]]) -> list[Finding]:
    """Run the rules that compare documents; Finding.document_index points into `documents`."""
    _load_rules()
    found: list[Finding] = []
    for fn in ACROSS_RULES.values():
        found.extend(fn(documents))
    return _dedupe(found)


def soften_ocr_findings(findings: list[Finding], ocr_pages: set[int]) -> list[Finding]:
    """On OCR'd pages a difference of one digit (80 000, 100, 7) is as likely a misread as an error in the
    report: such findings become warnings that say so, and the printed raw text decides on a second look."""
    for f in findings:
        if f.severity == "error" and f.page in ocr_pages and f.difference and _one_digit(f.difference):
            f.severity = "warning"
            f.message += " (on an OCR'd page: could be one misread digit)"
    return findings


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

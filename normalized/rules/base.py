"""What every cross-check rule is built from: the registry a rule joins with `@rule(...)`, the context it
reads (`CheckContext`), and the rounding-aware arithmetic rules share.

Tolerance follows XBRL Calculation 1.1 (round-to-nearest): a printed value stands for value ± ½ unit of its
last printed digit, and a total is consistent when its interval overlaps the interval sum of its parts.
Differences that rounding explains are never errors. The rules themselves live beside this module, one module
a family, and normalized.checks runs them; this module imports neither, so the registry has no circle.
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

# Table units whose figures are money or shares, never head counts.
MONEY_OR_SHARE = ("kr", "tkr", "mkr", "percent")
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
    """Digits after the decimal comma as printed ("5 115,9" → 1, "18 064 870" → 0, "11,75" → 2). A figure
    repaired to fewer decimals than its text shows has those ("14,220", a share whose percent sign OCR ran
    into it, taken as 14,2: 1)."""
    raw = (value.raw or "").strip()
    m = _DECIMAL_COMMA.search(raw) or _DECIMAL_POINT.search(raw)
    printed = len(m.group(1)) if m else 0
    if value.repaired and value.value is not None and printed:
        return min(printed, len(f"{abs(value.value):.6f}".rstrip("0").partition(".")[2]))
    return printed


# Two figures further apart than this share of the larger are more likely a part and a whole, or figures
# reached through a misread reference, than one figure copied wrong: such findings are warnings.
FAR_APART = 0.5


def far_apart(a: float, b: float) -> bool:
    return abs(abs(a) - abs(b)) > FAR_APART * max(abs(a), abs(b))


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


def whole_number(value: Value | None) -> bool:
    """A figure printed as a whole number, not a share: what a head count is printed as (a negative one is a
    head count printed wrong)."""
    return value is not None and "%" not in (value.raw or "") and value.value == int(value.value)


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

"""Statement identities, by canonical row keys: the balance sheet balances and equity moves by the year's
result. The cash-flow statement's identities (cash at the start + the year's flow = cash at the end among
them) are the cash_flow rule's, in normalized/rules/cashflow.py."""

from __future__ import annotations

from finsam.model import Finding, Row, Table, Value
from normalized.rules.base import CheckContext, consistent, finding, fmt, numeric, rule, severity_for


def _row(table: Table, *keys: str) -> Row | None:
    for key in keys:
        rows = [r for r in table.rows if r.canonical == key and r.values]
        if rows:
            return rows[-1]
    return None


def _identity(
    table: Table, target: Row, parts: list[Row], signs: list[int], what: str, sign_free: bool = False
) -> list[Finding]:
    found = []
    for col in table.columns:
        if col.role not in ("actual", "budget", "closing", "opening", "forecast"):
            continue
        stated = numeric(target, col.key)
        values = [numeric(r, col.key) for r in parts]
        if stated is None or any(v is None for v in values):
            continue
        if sign_free:
            stated = Value(stated.raw, abs(stated.value), stated.repaired, stated.uncertain)
            values = [Value(v.raw, abs(v.value), v.repaired, v.uncertain) for v in values]
        if consistent(stated, values, signs):
            continue
        expected = sum(s * v.value for s, v in zip(signs, values, strict=True))
        found.append(
            finding(
                "statement_identity",
                table,
                target,
                col.key,
                numeric(target, col.key).value,
                expected if not sign_free or numeric(target, col.key).value >= 0 else -expected,
                f"{target.label} ({col.header}) is {fmt(numeric(target, col.key).value)} but {what} gives "
                f"{fmt(expected)}",
                severity_for(stated, *values),
            )
        )
    return found


@rule("statement_identity")
def statement_identity(ctx: CheckContext) -> list[Finding]:
    found: list[Finding] = []
    for t in ctx.tables:
        if t.kind == "balansrakning":
            assets, claims = _row(t, "assets_total"), _row(t, "equity_and_liabilities_total")
            if assets and claims:
                found += _identity(t, claims, [assets], [1], "Summa tillgångar", sign_free=True)
        if t.kind == "note" or t.kind == "balansrakning":
            opening, result, closing = _row(t, "equity_opening"), _row(t, "result"), _row(t, "equity_closing")
            if opening and result and closing and opening is not closing:
                found += _identity(
                    t, closing, [opening, result], [1, 1], "ingående eget kapital + årets resultat"
                )
    return found

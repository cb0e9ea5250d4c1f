"""Finsam law §5 (lag 2003:1210): of the members' contributions the state pays one half, the region one
quarter and the municipalities together one quarter. A deviation beyond rounding is a warning: federations
may agree otherwise in a given year, but an analyst wants to know."""

from __future__ import annotations

from finsam.model import Finding
from finsam.terms import MUNICIPALITY_PREFIX
from normalized.rules.base import CheckContext, finding, fmt, half_unit, numeric, rule

SHARES = (("member_contribution_state", 0.5, "staten"), ("member_contribution_region", 0.25, "regionen"))


def _step(values) -> float:
    """The coarsest power of ten (up to 1000) that divides every figure: the rounding they were given."""
    for step in (1000.0, 100.0, 10.0):
        if all(abs(v.value / step - round(v.value / step)) < 1e-9 for v in values):
            return step
    return max(2 * half_unit(v) for v in values)


@rule("member_shares")
def member_shares(ctx: CheckContext) -> list[Finding]:
    found: list[Finding] = []
    for t in ctx.tables:
        if t.kind not in ("member_contributions", "note", "resultatrakning"):
            continue
        state = next((r for r in t.rows if r.canonical == "member_contribution_state"), None)
        region = next((r for r in t.rows if r.canonical == "member_contribution_region"), None)
        towns = [r for r in t.rows if (r.canonical or "").startswith(MUNICIPALITY_PREFIX)]
        together = next((r for r in t.rows if r.canonical == "member_contribution_municipalities"), None)
        if not (state and region and (towns or together)):
            continue
        for col in t.columns:
            if col.role not in ("actual", "budget"):
                continue
            s, r = numeric(state, col.key), numeric(region, col.key)
            parts = [numeric(x, col.key) for x in ([together] if together else towns)]
            if s is None or r is None or any(p is None for p in parts):
                continue
            total = s.value + r.value + sum(p.value for p in parts)
            if total <= 0:
                continue
            # rounding: each figure may be rounded to its apparent step (whole kronor, thousands), and a
            # shortfall of a tenth of a percent is bookkeeping, not a breach of the law
            step = _step([s, r, *parts])
            slack = max(step * (2 + len(parts)), 0.001 * total)
            for row, value, share, who in ((state, s, 0.5, "staten"), (region, r, 0.25, "regionen")):
                expected = share * total
                if abs(value.value - expected) > slack:
                    found.append(
                        finding(
                            "member_shares",
                            t,
                            row,
                            col.key,
                            value.value,
                            expected,
                            f"{who} paid {fmt(value.value)} of {fmt(total)} ({100 * value.value / total:.1f} %); "
                            f"the Finsam law's share is {share:.0%} ({fmt(expected)})",
                            "warning",
                        )
                    )
            muni = sum(p.value for p in parts)
            if abs(muni - 0.25 * total) > slack:
                row = together or towns[-1]
                found.append(
                    finding(
                        "member_shares",
                        t,
                        row,
                        col.key,
                        muni,
                        0.25 * total,
                        f"the municipalities paid {fmt(muni)} of {fmt(total)} ({100 * muni / total:.1f} %); "
                        f"the Finsam law's share is 25 % ({fmt(0.25 * total)})",
                        "warning",
                    )
                )
    return found

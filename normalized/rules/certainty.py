"""Tables read without being sure of their columns (extractor.certainty): one warning a table, giving
every reason.

Nothing in such a table is checked less, but its figures may stand under the wrong year or role, so a check
that passes or fails on it says less than usual: the analyst is told to look at the page.
"""

from __future__ import annotations

import re

from extractor.numbers import parse_number
from finsam.model import Finding
from normalized.rules.base import CheckContext, decimals, fmt, rule


@rule("uncertain_table")
def uncertain_table(ctx: CheckContext) -> list[Finding]:
    return [
        Finding(
            rule="uncertain_table",
            severity="warning",
            message=f"{t.title}: {'; '.join(t.uncertain)}; look at the page before trusting its columns",
            table=t.title,
            table_id=t.id,
            page=t.page,
        )
        for t in ctx.tables
        if t.uncertain
    ]


def _digits(number: str) -> str:
    """The significant digits of a figure, wherever its comma stands ("5 115,9" and "51159": 51159)."""
    return re.sub(r"\D", "", number).strip("0")


@rule("ocr_reading")
def ocr_reading(ctx: CheckContext) -> list[Finding]:
    """A figure a scan read unsurely that finsam took with one look-alike digit changed, because with it the
    table's arithmetic holds (normalized.number_repair.repair_ocr_digits): one warning a figure, giving what
    the page reads and what was taken. A misread is likelier, but a report can print the very error the
    repair mends, so the analyst is told to look. A decimal comma put back leaves the digits as they are,
    and is no such finding."""
    found = []
    for table in ctx.tables:
        headers = {c.key: c.header for c in table.columns}
        shares = {c.key for c in table.columns if c.role == "share" or c.unit == "percent"}
        for row in table.rows:
            for key, v in row.values.items():
                printed = _digits(v.raw or "")
                if not v.repaired or v.value is None or not printed:
                    continue
                taken = _digits(f"{abs(v.value):.6f}")
                if taken == printed:
                    continue
                parsed = parse_number(v.raw)
                read = None if parsed is None else parsed.value
                shown = v.raw.strip()
                figure = f"{abs(v.value):.{decimals(v)}f}".replace(".", ",")  # as the page would print it
                sign = shown[len(figure) :] if shown.startswith(figure) else ""
                why = (
                    f"its percent sign read as {sign!r}, with which part ÷ base holds"
                    if key in shares and sign.isdigit() and len(sign) <= 3
                    else "the one look-alike digit with which the table's arithmetic holds"
                )
                found.append(
                    Finding(
                        rule="ocr_reading",
                        severity="warning",
                        message=(
                            f"{row.label} ({headers.get(key) or key}): the scan reads {shown!r} unsurely; "
                            f"taken as {fmt(v.value)}, {why}. If the page prints {shown}, the report is wrong "
                            "here: look at the page"
                        ),
                        table=table.title,
                        table_id=table.id,
                        row=row.label,
                        column=key,
                        stated=read,
                        expected=v.value,
                        difference=None if read is None else round(read - v.value, 6),
                        page=row.page or table.page,
                    )
                )
    return found

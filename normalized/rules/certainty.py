"""Tables read without being sure of their columns (extractor.certainty): one warning a table, giving
every reason.

Nothing in such a table is checked less, but its figures may stand under the wrong year or role, so a check
that passes or fails on it says less than usual: the analyst is told to look at the page.
"""

from __future__ import annotations

from finsam.model import Finding
from normalized.rules.base import CheckContext, rule


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

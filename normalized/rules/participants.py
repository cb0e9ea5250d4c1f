"""Participants across the tables of one report: the same group counted twice must come to the same figures.

A report counts its participants in several places: a summary per insats (kvinnor, män, totalt), a table per
insats in the appendix, a table of those who left split by reason (arbete, studier, arbetssökande, annan
avslutsanledning). Each table gives groups: a column of a table with Kvinnor/Män/Totalt rows, a row of a table
with Kvinnor/Män/Totalt columns (or its Totalt row, for the insats its title names), the row sums of a table
split by reason, a count column (Deltagare, Avslutade) of a table per insats. Two groups are taken for the
same group when

- they name the same insats (a row label, or the title of a table about one insats), in the same year, and
  count the same thing (deltagare, avslutade, nya) where both say what they count; or
- they have the same printed total (of at least MIN_TOTAL), count nothing that says otherwise and are not
  named for two different insatser; then only their split by gender is compared.

A group that matches more than one group of the other table is left alone: which one is meant is not clear.

Every finding is a warning. Participant figures have no accounting identity behind them: a report takes them
from different registers (SUS, the insatser's own reports), on different dates, and counts sometimes
deltagare and sometimes unique persons (002: 651 deltagare, about 600 individer), usually without saying so in
the table. 003's pilot education is 34 deltagare in its table and 27 in Bilaga 1, and its annotators judged
that no inconsistency because the two may measure different things. Two figures for what looks like one
group are worth an analyst's look, but the report does not contradict itself the way a wrong total does, so
they are never errors. A split that does not add up within one table is column_sum's and row_arithmetic's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from finsam.model import Column, Finding, Row, Table, Value
from finsam.text import fold_label
from normalized.rules.base import CheckContext, finding, fmt, numeric, rule

MIN_TOTAL = 10  # equal totals below this are too likely a coincidence to call two groups one
PARTICIPANT_KINDS = ("participants", "other")
GENDERS = ("kvinnor", "man", "annat")  # split keys, in message order ('man' is män folded)

# Row labels and column headers as folded (diacritics dropped, "Män" -> "man"), OCR misreadings included.
_GENDER = (
    ("kvinnor", re.compile(r"^(?:kvinnor|kvinna|flickor|tjejer)$")),
    ("man", re.compile(r"^(?:man|main|pojkar|killar)$")),
    ("annat", re.compile(r"^(?:annat|annan|okand|okant|ej angiv\w*|ovrigt|ovriga|vill ej uppge)\b")),
    ("totalt", re.compile(r"^(?:totalt|total|summa|samtliga|alla|sammanlagt)$")),
)
_N_EQUALS = re.compile(r"\(\s*n\s*=\s*\d+\s*\)")
# What a group counts, by the words of its header or title; checked in this order.
MEASURES = (
    ("avslutade", re.compile(r"\bavslut|\butskriv|\bavslutsanledning")),
    ("nya", re.compile(r"\bnya\b|\bpaborja|\bnyinskriv|\bstartade\b|\binskrivna under")),
    ("deltagare", re.compile(r"\bdeltag|\baktuella\b")),
)
# A table split by reason for leaving or by source of income: its columns (or rows) part one group.
PARTITION = re.compile(r"avslutsanledning|anledning|orsak|forsorjning")
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
_NOISE = {
    "tabell",
    "deltagare",
    "deltagarnas",
    "deltagarna",
    "antal",
    "per",
    "insats",
    "insatser",
    "och",
    "i",
    "av",
    "under",
    "vid",
    "totalt",
    "summa",
}


@dataclass
class Group:
    """One count of participants: where it is printed and how it splits."""

    table: Table
    counts: dict[str, Value]  # kvinnor / man / annat / totalt -> the printed figure (or the row sum)
    cells: dict[str, tuple[Row, Column]]  # where each figure stands (absent for a row sum)
    name: str | None  # the insats it names: a row label, or the title of a table about one insats
    year: int | None
    measure: str | None  # deltagare, avslutade, nya; None when nothing says
    where: str  # for messages: "column 4 of 'Tabell 1'"
    summed: bool = False  # the row sums of a table split by reason
    named_by_title: bool = False
    gender: bool = field(default=True)

    @property
    def total(self) -> Value | None:
        return self.counts.get("totalt")

    def split(self) -> tuple[float, ...] | None:
        if "kvinnor" not in self.counts or "man" not in self.counts:
            return None
        other = self.counts.get("annat")
        if other is None and self.total is not None:
            rest = self.total.value - self.counts["kvinnor"].value - self.counts["man"].value
            other = Value("", rest) if rest >= 0 else None
        return tuple(v.value for v in (self.counts["kvinnor"], self.counts["man"], other or Value("", 0.0)))


def gender(label: str | None) -> str | None:
    """'kvinnor', 'man' (män), 'annat' or 'totalt' for a label or header that names one, else None."""
    text = _N_EQUALS.sub("", fold_label(label or "")).strip(" |").strip()
    return next((key for key, pattern in _GENDER if pattern.match(text)), None)


def _measure(*texts: str | None) -> str | None:
    folded = " ".join(fold_label(t or "") for t in texts)
    return next((m for m, pattern in MEASURES if pattern.search(folded)), None)


def _year(*texts: str | None) -> int | None:
    years = {int(y) for t in texts for y in _YEAR.findall(t or "")}
    return years.pop() if len(years) == 1 else None


def head_count(v: Value | None) -> bool:
    """A head count: a whole number, not a share."""
    return v is not None and "%" not in (v.raw or "") and v.value >= 0 and v.value == int(v.value)


def _count_columns(table: Table) -> list[Column]:
    return [c for c in table.columns if c.role not in ("share", "target", "variance") and "%" not in c.header]


def groups(table: Table) -> list[Group]:
    """The participant groups one table counts."""
    if table.kind not in PARTICIPANT_KINDS or table.unit in ("kr", "tkr", "mkr", "percent"):
        return []
    rows_by_gender = {g: [r for r in table.rows if gender(r.label) == g and r.values] for g, _ in _GENDER}
    if len(rows_by_gender["kvinnor"]) == 1 and len(rows_by_gender["man"]) == 1:
        return _gender_rows(table, {g: rs[0] for g, rs in rows_by_gender.items() if len(rs) == 1})
    columns_by_gender = {g: [c for c in table.columns if gender(c.header) == g] for g, _ in _GENDER}
    if len(columns_by_gender["kvinnor"]) == 1 and len(columns_by_gender["man"]) == 1:
        return _gender_columns(table, {g: cs[0] for g, cs in columns_by_gender.items() if len(cs) == 1})
    return _count_table(table)


def _gender_rows(table: Table, rows: dict[str, Row]) -> list[Group]:
    out = []
    columns = [c for c in _count_columns(table) if all(head_count(numeric(r, c.key)) for r in rows.values())]
    for n, col in enumerate(columns, 1):
        counts = {g: numeric(r, col.key) for g, r in rows.items()}
        out.append(
            Group(
                table,
                counts,
                {g: (r, col) for g, r in rows.items()},
                None,
                col.year or _year(col.header, table.title),
                _measure(col.header) or _measure(table.title),
                f"column {col.header or n} of '{table.title}'",
            )
        )
    if (
        len(columns) >= 2
        and PARTITION.search(fold_label(table.title))
        and len(columns) == len(_count_columns(table))
    ):
        sums = {g: Value("", float(sum(numeric(r, c.key).value for c in columns))) for g, r in rows.items()}
        years = {c.year for c in columns}
        out.append(
            Group(
                table,
                sums,
                {},
                None,
                years.pop() if len(years) == 1 else _year(table.title),
                _measure(table.title),
                f"'{table.title}', its {len(columns)} columns added",
                summed=True,
            )
        )
    return out


def _gender_columns(table: Table, columns: dict[str, Column]) -> list[Group]:
    out = []
    titled = _measure(table.title)
    for row in table.rows:
        counts = {g: numeric(row, c.key) for g, c in columns.items()}
        if any(not head_count(v) for v in counts.values()):
            continue
        total_row = row.is_total or gender(row.label) == "totalt"
        out.append(
            Group(
                table,
                counts,
                {g: (row, c) for g, c in columns.items()},
                table.title if total_row else row.label,
                _year(row.label) or _year(table.title),
                titled,
                f"'{table.title}'" if total_row else f"'{row.label}' in '{table.title}'",
                named_by_title=total_row,
            )
        )
    return out


def _count_table(table: Table) -> list[Group]:
    """A table per insats without a gender split: each count column that says what it counts, by row."""
    out = []
    for col in _count_columns(table):
        measure = _measure(col.header)
        if measure is None:
            continue
        for row in table.rows:
            v = numeric(row, col.key)
            if not head_count(v):
                continue
            year = _year(row.label) if _YEAR.fullmatch(row.label.strip()) else None
            by_year = year is not None
            if not by_year and (row.is_total or re.search(r"\d", row.label)):
                continue  # a total over years ("2011-2016") or a label that is no insats
            out.append(
                Group(
                    table,
                    {"totalt": v},
                    {"totalt": (row, col)},
                    table.title if by_year else row.label,
                    year or _year(table.title),
                    measure,
                    f"'{row.label}' in '{table.title}'",
                    named_by_title=by_year,
                    gender=False,
                )
            )
    return out


# --- matching ------------------------------------------------------------------------------------------------


def _words(text: str | None) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", fold_label(text or "")) if w not in _NOISE and len(w) >= 3}


def _same_name(a: Group, b: Group) -> bool | None:
    """True when both name one insats, False when they name two, None when either names none."""
    if a.name is None or b.name is None:
        return None
    if a.named_by_title and b.named_by_title:
        return None  # two titles say what two tables are, not which insats
    wa, wb = _words(a.name), _words(b.name)
    if not wa or not wb:
        return None
    if a.named_by_title or b.named_by_title:
        label, title = (wb, wa) if a.named_by_title else (wa, wb)
        return label <= title
    return wa == wb


def _compatible(a: Group, b: Group, strict: bool) -> bool:
    if a.year is not None and b.year is not None and a.year != b.year:
        return False
    if strict:  # groups without a gender split are one group only when both say what they count
        return a.measure is not None and a.measure == b.measure
    return a.measure is None or b.measure is None or a.measure == b.measure


def _same_group(a: Group, b: Group) -> str | None:
    """'name' when a and b are one insats's count, 'total' when one by their total alone, else None."""
    name = _same_name(a, b)
    if name and _compatible(a, b, strict=not (a.gender and b.gender)):
        return "name"
    if name is False or not (a.gender and b.gender) or not _compatible(a, b, strict=False):
        return None
    ta, tb = a.total, b.total
    if ta is None or tb is None or ta.value != tb.value or ta.value < MIN_TOTAL:
        return None
    return "total"


def _describe(g: Group) -> str:
    split = g.split()
    total = fmt(g.total.value) if g.total is not None else "?"
    if split is None:
        return f"{total} in {g.where}"
    shown = "/".join(fmt(x) for x in (split if split[2] else split[:2]))
    what = "kvinnor/män/annat" if split[2] else "kvinnor/män"
    return f"{what} {shown} of {total} in {g.where}"


def _report(found: list[Finding], stated: Group, other: Group, key: str, how: str) -> None:
    """A finding at the printed figure of `stated` (the other group's, when stated's is a row sum)."""
    if key not in stated.cells:
        stated, other = other, stated
    if key not in stated.cells:
        return
    row, col = stated.cells[key]
    split = other.split()
    expected = other.counts[key].value if key in other.counts else split[GENDERS.index(key)]
    named = next((g.name for g in (stated, other) if g.name and not g.named_by_title), None)
    about = ", ".join(str(x) for x in (named, stated.year or other.year) if x)
    message = f"{_describe(stated)}, but {_describe(other)}: {how}" + (f" ({about})" if about else "")
    found.append(
        finding(
            "participants", stated.table, row, col.key, stated.counts[key].value, expected, message, "warning"
        )
    )


@rule("participants")
def participants(ctx: CheckContext) -> list[Finding]:
    found: list[Finding] = []
    by_table = [(t, groups(t)) for t in ctx.tables]
    by_table = [(t, gs) for t, gs in by_table if gs]
    for i, (_, mine) in enumerate(by_table):
        for _, theirs in by_table[i + 1 :]:
            for b in theirs:
                matches = [(a, how) for a in mine if (how := _same_group(a, b))]
                if len(matches) != 1:
                    continue  # none, or several that could each be meant
                a, how = matches[0]
                if sum(1 for other in theirs if _same_group(a, other)) != 1:
                    continue
                _compare(found, b, a, how)
    return found


def _compare(found: list[Finding], b: Group, a: Group, how: str) -> None:
    """b is the later table's group, a the earlier's; the finding stands at b's figure where it can."""
    tb, ta = b.total, a.total
    if how == "name" and tb is not None and ta is not None and tb.value != ta.value:
        _report(found, b, a, "totalt", "one insats counted with two totals")
        return
    sb, sa = b.split(), a.split()
    if sb is None or sa is None or sb == sa:
        return
    key = next(g for g, x, y in zip(GENDERS, sb, sa, strict=True) if x != y)
    same = f"the same {fmt(tb.value)} participants" if tb is not None else "the same participants"
    _report(found, b, a, key, f"{same} split differently")

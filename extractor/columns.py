"""Column headers as printed → Column records: role, year, period and unit.

Headers in these reports name a column by what its figures are ("Utfall", "Budget 2018 (tkr)", "Avvikelse
jan-aug", "Ing balans", "2016-01-01 -2016-12-31", "Andel (%)"). The rules are data: `ROLE_PATTERNS` is tried
in order and the first match wins, so "Prognos utfall 2017" is a forecast, not an actual. A header that names
only a year or a unit gets its role from the document: in a verksamhetsplan the plan year and later are budget,
elsewhere figures are actuals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from finsam.model import Column
from finsam.reference import MONTHS
from finsam.text import first_match, fold

# (pattern on the folded header, role) — first match wins; order matters.
ROLE_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"avvik|differens|\bdiff\b|utfall\s*-\s*budget", "variance"),  # "Budgetavvikelse" too
    (r"prognos", "forecast"),  # "Helårsprognos"
    # a share of the budget ("Förbrukat av helårsbudget", "Utfall i procent av budget"), not a budget
    (r"\bforbruka(?:t|d)\b|\bprocent av\b|\bandel av\b", "share"),
    (r"budget", "budget"),  # "Årsbudget"
    (r"\b(?:ing(?:aende)?\.?\s*balans|ingaende|ib\b|vid inskrivning|vid arets borjan)", "opening"),
    (r"\b(?:utg(?:aende)?\.?\s*balans|utgaende|ub\b|vid arets slut)", "closing"),
    (r"\bforandring|^period$", "change"),
    (r"%|\bprocent|\bandel", "share"),
    (r"utfall|bokslut|\bredovisat|\bverkligt|\barets siffror|\bresultat\s+(?:19|20)\d\d", "actual"),
    (r"^mal\b|\bmal (?:19|20)\d\d|\bmalvarde", "target"),
    (r"^resultat\b", "result"),
    (
        r"\bantal\b|\bdeltagare|\bavslutade|\btill arbete|\btill studier|arbete/studier|\bpersoner\b|\banstallda",
        "count",
    ),
)

# Roles that only a table of a given kind gives a header: planned participants are a target, while a
# planned sum of money is a budget.
KIND_ROLE_PATTERNS: dict[str, tuple[tuple[str, str], ...]] = {
    "participants": ((r"\bplanera[dt]e?\b|\bplanerade?\b|\bforvantat?\b", "target"),),
}

# Header words that name the label column rather than a figure column.
LABEL_HEADER_WORDS = (
    "belopp",
    "not",
    "budgetpost",
    "post",
    "insats",
    "insatser",
    "insatsens namn",
    "insats/projekt",
    "finansiar",
    "kostnadsstalle",
    "omrade",
    "forsorjningskalla",
    "verksamhet",
    "projekt",
    "namn",
    "benamning",
    "rad",
)

# Units printed in headers or captions: (pattern on folded text, unit).
UNIT_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"\btkr\b|\btusental kronor|\bi tusental|\bksek\b", "tkr"),
    (r"\bmkr\b|\bmnkr\b|\bmiljoner kronor|\bmsek\b", "mkr"),
    (r"\bbelopp i kr\b|\(kr\)|\bkronor\b|\bi kr\b|\bkr\.?$|\bsek\b", "kr"),
    (r"%|\bprocent\b", "percent"),
)

_MONTH_DAYS = {1: 31, 2: 28, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
# a month range, also run together by OCR with the role word before it ("Aktuell budgetjan-aug")
_PERIOD = re.compile(
    r"(?:\b|(?<=budget)|(?<=utfall)|(?<=prognos)|(?<=avvikelse))"
    r"(jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec)\w*\s*[-–]\s*(jan|feb|mar|apr|maj|jun|jul|"
    r"aug|sep|okt|nov|dec)\w*"
)
# Roles whose figures belong to a fiscal year (a yearless header of these takes the document's year).
YEARLY_ROLES = ("actual", "budget", "forecast", "variance", "opening", "change", "closing")


@dataclass
class DocContext:
    """What the whole document says that a header may leave unsaid."""

    doc_type: str | None = None
    fiscal_year: int | None = None


# Role words an OCR misreads by a letter ("Awvikelse", "Budgel", "Prognas", "procen"): a header word this close
# to one of them (rapidfuzz ratio, words of five letters or more) is read as that word before the patterns
# above, so that a misread role word is not outranked by a weaker pattern ('Arbete/studier (procen 1)' is a
# share, not a count).
OCR_ROLE_WORDS = ("avvikelse", "prognos", "budget", "utfall", "bokslut", "procent")
OCR_ROLE_SIMILARITY = 80


def header_role(header: str) -> str | None:
    """The role a header names outright, or None when it names only a year, date or unit."""
    return first_match(ROLE_PATTERNS, _role_words_mended(fold(header)))


def _role_words_mended(folded: str) -> str:
    def mend(m: re.Match) -> str:
        match = process.extractOne(
            m.group(0), OCR_ROLE_WORDS, scorer=fuzz.ratio, score_cutoff=OCR_ROLE_SIMILARITY
        )
        return match[0] if match else m.group(0)

    return re.sub(r"[a-z]{5,}", mend, folded)


def header_unit(text: str) -> str | None:
    return first_match(UNIT_PATTERNS, fold(text))


def header_years(header: str) -> list[int]:
    return [int(y) for y in _YEAR.findall(header or "")]


def header_period(header: str, year: int | None) -> tuple[str | None, str | None]:
    """'Utfall jan-aug' in 2016 -> ('2016-01-01', '2016-08-31'); 'helår' -> the whole year."""
    if year is None:
        return None, None
    folded = fold(header)
    m = _PERIOD.search(folded)
    if m:
        a, b = MONTHS[m.group(1)[:3]], MONTHS[m.group(2)[:3]]
        return f"{year}-{a:02d}-01", f"{year}-{b:02d}-{_MONTH_DAYS[b]:02d}"
    dates = re.findall(r"((?:19|20)\d\d)-(\d\d)-(\d\d)", header)
    if len(dates) == 2:
        return "-".join(dates[0]), "-".join(dates[1])
    if re.search(r"\bhelar\b", folded):
        return f"{year}-01-01", f"{year}-12-31"
    return None, None


def is_label_header(header: str) -> bool:
    """True for a first-column header that names the rows ("Belopp i kr", "Budgetpost", "Insatsens namn")."""
    folded = fold(header).strip(" .:")
    return any(folded == w or folded.startswith(w + " ") for w in LABEL_HEADER_WORDS)


def clean_header(header: str) -> str:
    """A header as printed, minus a scale explanation ("Medelvärde mellan 1-6 där 1 = Inte alls …")."""
    text = re.sub(r"\s+", " ", header or "").strip()
    m = re.match(r"(.+?\b(?:mellan|skala)\s+\d+\s*[-–]\s*\d+)\b.*", text, re.I)
    return m.group(1) if m else text


def build_columns(headers: list[str], ctx: DocContext, kind_hint: str | None = None) -> list[Column]:
    """Columns for the figure cells of a table, from their printed headers (multi-line headers joined)."""
    raw_roles = [header_role(h) for h in headers]
    years = [header_years(h) for h in headers]
    table_years = {y[-1] for y in years if y}
    plan = ctx.doc_type == "verksamhetsplan"
    columns: list[Column] = []
    used: set[str] = set()
    for i, header in enumerate(headers):
        role = raw_roles[i]
        if not header.strip() and len(headers) > 1:
            # no header read, and others beside it: which year or role it holds is unknown (the table is
            # marked uncertain), not the document's year by default
            columns.append(Column(key=column_key(header, "other", None, used), header="", role="other"))
            continue
        if role is None:
            folded = fold(header)
            role = next(
                (r for pat, r in KIND_ROLE_PATTERNS.get(kind_hint or "", ()) if re.search(pat, folded)), None
            )
        year = years[i][-1] if years[i] else None
        if role is None:
            if kind_hint in ("participants", "survey") and year is None:
                role = "other"
            elif plan and year is not None and ctx.fiscal_year is not None:
                role = "budget" if year >= ctx.fiscal_year else "actual"
            elif plan and year is None and not any(r == "actual" for r in raw_roles):
                role = "budget"
            else:
                role = "actual"
        if year is None and role in YEARLY_ROLES and kind_hint not in ("participants", "survey"):
            year = next(iter(table_years)) if len(table_years) == 1 else ctx.fiscal_year
        start, end = header_period(header, year)
        unit = header_unit(header)
        if role == "share" and unit is None:
            unit = "percent"
        if role == "count" and unit is None:
            unit = "count"
        key = column_key(header, role, year, used)
        columns.append(
            Column(
                key=key,
                header=clean_header(header),
                role=role,
                year=year,
                period_start=start,
                period_end=end,
                unit=unit,
            )
        )
    return columns


def column_key(header: str, role: str, year: int | None, used: set[str]) -> str:
    """A column's key, unique among `used` (and added to it): role and year, else the header slugged."""
    if role in YEARLY_ROLES and year is not None:
        base = f"{role}_{year}"
    else:
        base = re.sub(r"[^a-z0-9]+", "_", fold(clean_header(header))).strip("_")[:40] or role
    key, n = base, 2
    while key in used:
        key, n = f"{base}_{n}", n + 1
    used.add(key)
    return key

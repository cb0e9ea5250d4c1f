"""The tables a generated report prints, read off the ledger in the federation's style: the statements
(resultaträkning, balansräkning, kassaflödesanalys) and their notes, the budgetuppföljning, the plan's
budget, participants and goals. Each is a `Table` whose lines add up by construction: a total is the sum
of the lines it closes, a statement's line is its note's total.
"""

from __future__ import annotations

from .ledger import (
    OTHER_COST_LINES,
    PAYABLE_LINES,
    PERSONNEL_LINES,
    RECEIVABLE_LINES,
    Accounts,
    Budget,
)
from .profiles import Federation
from .tables import Column, Line, Table


def captioned(federation: Federation, number: int, title: str) -> str:
    return f"Tabell {number}. {title}" if federation.style.numbered_captions else title


def label_of(federation: Federation, key: str) -> str:
    return federation.style.labels[key]


def member_label(federation: Federation, member: str, kind: str) -> str:
    """How a note or table of contributions names a member ('Region Västerbotten', 'Bidrag Lycksele kommun')."""
    style = federation.style.member_labels if kind == "note" else "plain"
    if member == "state":
        return (
            label_of(federation, "member_contribution_state")
            if kind == "note"
            else ("Staten (Försäkringskassan och Arbetsförmedlingen)")
        )
    name = (
        federation.region
        if member == "region"
        else federation.kommun_members[federation.kommuner.index(member)]
    )
    if style == "bidrag":
        return f"Bidrag {name}"
    if style == "driftbidrag":
        return f"Driftbidrag från {name}"
    return name


def member_keys(federation: Federation) -> list[str]:
    return ["state", "region", *federation.kommuner]


def years_header(federation: Federation, role: str, year: int) -> str:
    if role == "budget":
        return f"Budget {year}"
    return f"Utfall {year}" if federation.style.year_header == "utfall" else str(year)


# --- the statements ---------------------------------------------------------------------------------------


def income_statement_lines(
    federation: Federation, figures: list[dict[str, int] | None], notes: dict[str, int], period: bool = False
) -> list[Line]:
    """The resultaträkning's lines, one value per column (None for the Not column, filled in here)."""
    has_note = bool(notes)

    def row(key: str, sign: int = 1, label: str | None = None, total: bool = False) -> Line:
        values = [None if f is None else sign * f[key] for f in figures]
        if has_note:
            values[0] = str(notes[key]) if key in notes else None
        return Line(key, label or label_of(federation, key), values, total)

    lines = [Line(None, "Verksamhetens intäkter"), row("member_contributions_total")]
    if any(f and f["income_other"] for f in figures):
        lines.append(row("income_other"))
    lines += [
        row("income_total", total=True),
        Line(None, "Verksamhetens kostnader"),
        row("costs_personnel", -1),
        row("costs_interventions", -1),
        row("costs_other", -1),
    ]
    if federation.style.fixed_assets:
        lines.append(row("depreciation", -1))
    lines += [
        row("costs_total", -1, total=True),
        row("net_cost", total=True),
        Line(None, "Finansiella poster"),
        row("financial_income"),
        row("financial_costs", -1),
    ]
    if period:
        lines.append(row("result", label="Periodens resultat", total=True))
    else:
        lines += [row("result_before_extraordinary", total=True), row("result", total=True)]
    return lines


def balance_lines(
    federation: Federation, balances: list, results: list[int], notes: dict[str, int], interim: bool = False
) -> list[Line]:
    def row(key: str, label: str, values: list[int], total: bool = False) -> Line:
        return Line(key, label, [str(notes[key]) if key in notes else None, *values], total)

    lines = [Line(None, "TILLGÅNGAR")]
    if federation.style.fixed_assets:
        lines += [
            Line(None, "Anläggningstillgångar"),
            row("fixed", "Inventarier", [b.fixed for b in balances]),
        ]
    current = [b.receivables_total + b.cash for b in balances]
    lines += [
        Line(None, "Omsättningstillgångar"),
        row("receivables", "Kortfristiga fordringar", [b.receivables_total for b in balances]),
        row("cash", label_of(federation, "cash"), [b.cash for b in balances]),
        row("current_assets_total", "Summa omsättningstillgångar", current, True),
        row("assets_total", "SUMMA TILLGÅNGAR", [b.assets for b in balances], True),
        Line(None, "EGET KAPITAL OCH SKULDER"),
        Line(None, "Eget kapital"),
        row(
            "equity_opening",
            label_of(federation, "equity_opening"),
            [b.equity - r for b, r in zip(balances, results, strict=True)],
        ),
        row("result", "Periodens/årets resultat" if interim else "Årets resultat", results),
        row("equity", "Summa eget kapital", [b.equity for b in balances], True),
        Line(None, "Skulder"),
        row("liabilities_short", "Kortfristiga skulder", [b.payables_total for b in balances]),
        row("liabilities_total", "Summa skulder", [b.payables_total for b in balances], True),
        row(
            "equity_and_liabilities_total",
            "SUMMA EGET KAPITAL OCH SKULDER",
            [b.equity + b.payables_total for b in balances],
            True,
        ),
    ]
    return lines


def cash_flow_lines(federation: Federation, flows: list[dict[str, int]], interim: bool = False) -> list[Line]:
    def row(key: str, label: str, total: bool = False) -> Line:
        return Line(key, label, [f[key] for f in flows], total)

    word = "periodens" if interim else "årets"
    adjustment = (
        "Justering för avskrivningar"
        if federation.style.fixed_assets
        else "Justering för ej likviditetspåverkande poster"
    )
    lines = [
        Line(None, "Den löpande verksamheten"),
        row("result", f"{word.capitalize()} resultat"),
        row("cf_non_cash_adjustments", adjustment),
        row("cf_before_working_capital", "Medel från verksamheten före förändring av rörelsekapital", True),
        row("cf_change_receivables", "Ökning/minskning kortfristiga fordringar"),
        row("cf_change_liabilities", "Ökning/minskning kortfristiga skulder"),
        row("cf_operating", "Kassaflöde från den löpande verksamheten", True),
        Line(None, "Investeringsverksamheten"),
        row("cf_investing", "Investeringar i inventarier"),
        row("cf_total", f"{word.capitalize()} kassaflöde", True),
        row("cash_opening", f"Likvida medel vid {word} början"),
        row("cash_closing", f"Likvida medel vid {word} slut", True),
    ]
    return lines


# --- notes ------------------------------------------------------------------------------------------------


def note_numbers(federation: Federation) -> dict[str, int]:
    """note -> its number: Medlemsavgifter first, then the notes this federation prints."""
    numbers = {"members": 1}
    for note in federation.style.notes:
        numbers[note] = len(numbers) + 1
    return numbers


def statement_refs(numbers: dict[str, int]) -> dict[str, int]:
    """The statement line each note explains -> the note's number."""
    line_of = {
        "members": "member_contributions_total",
        "personnel": "costs_personnel",
        "insatser": "costs_interventions",
        "other_costs": "costs_other",
        "receivables": "receivables",
        "payables": "liabilities_short",
    }
    return {line_of[note]: number for note, number in numbers.items()}


def detail_note(
    ref: str,
    caption: str,
    columns: list[Column],
    parts: list[tuple[str, str, list[int]]],
    total: tuple[str, str],
    unit: str,
) -> Table:
    """A note of lines and their sum: parts are (key, label, values per column)."""
    lines = [Line(key, label, values) for key, label, values in parts]
    sums = [sum(p[2][i] for p in parts) for i in range(len(columns))]
    lines.append(Line(total[0], total[1], sums, True))
    return Table(ref, caption, columns, lines, unit, "", "note")


def note_tables(federation: Federation, current: Accounts, prior: Accounts, unit: str) -> list[Table]:
    numbers = note_numbers(federation)
    years = [Column(str(current.year), "actual", current.year), Column(str(prior.year), "actual", prior.year)]
    dates = [
        Column(f"{current.year}-12-31", "actual", current.year),
        Column(f"{prior.year}-12-31", "actual", prior.year),
    ]
    both = (current, prior)
    members_label = label_of(federation, "member_contributions_total")
    out = [
        detail_note(
            "note:members",
            f"Not 1 {members_label}",
            years,
            [
                (f"member:{m}", member_label(federation, m, "note"), [a.members[m] for a in both])
                for m in member_keys(federation)
            ],
            ("member_contributions_total", f"Summa {members_label.lower()}"),
            unit,
        )
    ]
    for note, number in numbers.items():
        if note == "personnel":
            parts = [(f"personnel:{k}", k, [a.personnel[k] for a in both]) for k in PERSONNEL_LINES]
            out.append(
                detail_note(
                    "note:personnel",
                    f"Not {number} Personalkostnader",
                    years,
                    parts,
                    ("costs_personnel", "Summa personalkostnader"),
                    unit,
                )
            )
        elif note == "insatser":
            names = [
                i.name for i in federation.insatser if i.name in current.insatser or i.name in prior.insatser
            ]
            parts = [(f"insats:{n}", n, [a.insatser.get(n, 0) for a in both]) for n in names]
            label = label_of(federation, "costs_interventions")
            out.append(
                detail_note(
                    "note:insatser",
                    f"Not {number} {label}",
                    years,
                    parts,
                    ("costs_interventions", f"Summa {label.lower()}"),
                    unit,
                )
            )
        elif note == "other_costs":
            parts = [(f"other:{k}", k, [a.other_costs[k] for a in both]) for k in OTHER_COST_LINES]
            label = label_of(federation, "costs_other")
            out.append(
                detail_note(
                    "note:other_costs",
                    f"Not {number} {label}",
                    years,
                    parts,
                    ("costs_other", f"Summa {label.lower()}"),
                    unit,
                )
            )
        elif note == "receivables":
            parts = [
                (f"receivable:{k}", k, [a.closing.receivables[k] for a in both]) for k in RECEIVABLE_LINES
            ]
            out.append(
                detail_note(
                    "note:receivables",
                    f"Not {number} Kortfristiga fordringar",
                    dates,
                    parts,
                    ("receivables", "Summa kortfristiga fordringar"),
                    unit,
                )
            )
        elif note == "payables":
            parts = [(f"payable:{k}", k, [a.closing.payables[k] for a in both]) for k in PAYABLE_LINES]
            out.append(
                detail_note(
                    "note:payables",
                    f"Not {number} Kortfristiga skulder",
                    dates,
                    parts,
                    ("liabilities_short", "Summa kortfristiga skulder"),
                    unit,
                )
            )
    return out


def rr_columns(federation: Federation, year: int) -> list[tuple[str, int]]:
    """(role, year) of the resultaträkning's figure columns, in the federation's order."""
    order = {
        "after": [("actual", year), ("budget", year), ("actual", year - 1)],
        "before": [("budget", year), ("actual", year), ("actual", year - 1)],
        "none": [("actual", year), ("actual", year - 1)],
    }
    return order[federation.style.rr_budget]


def budget_outcome(
    federation: Federation, number: int, budget: Budget, outcome: Accounts, unit: str
) -> Table:
    """Budgetuppföljning: each line's budget, outcome and avvikelse (outcome − budget, costs negative)."""
    b, a = budget.figures(), outcome.figures()
    year = outcome.year
    columns = [Column(f"Budget {year}", "budget", year), Column(f"Utfall {year}", "actual", year)]
    if federation.style.bu_order == "outcome_first":
        columns.reverse()
    columns.append(Column("Avvikelse", "variance", year))

    def row(key: str, label: str, sign: int = 1, total: bool = False) -> Line:
        values = {"budget": sign * b.get(key, 0), "actual": sign * a.get(key, 0)}
        figures = [values[c.role] for c in columns[:2]]
        return Line(key, label, [*figures, values["actual"] - values["budget"]], total)

    lines = [
        Line(None, "Intäkter"),
        row("member_contributions_total", label_of(federation, "member_contributions_total")),
    ]
    if b["income_other"] or a["income_other"]:
        lines.append(row("income_other", label_of(federation, "income_other")))
    lines += [row("income_total", "Summa intäkter", total=True), Line(None, "Kostnader")]
    lines.append(row("costs_administration", "Styrelse och kansli", -1))
    for insats in federation.insatser:
        if insats.name in budget.insatser or insats.name in outcome.insatser:
            lines.append(row(f"insats:{insats.name}", insats.name, -1))
    lines += [
        row("costs_total", "Summa kostnader", -1, True),
        row("financial_items", "Finansnetto"),
        row("result", "Årets resultat", total=True),
    ]
    title = federation.style.bu_title
    return Table(
        "budget_outcome",
        captioned(federation, number, f"{title} {year}"),
        columns,
        lines,
        unit,
        f"Belopp i {unit_word(unit)}",
        "budget_outcome",
        nil="-",
    )


def unit_word(unit: str) -> str:
    return "kr" if unit == "kr" else "tkr"


def participant_table(federation: Federation, caption: str, accounts: Accounts) -> Table:
    columns = [Column(h, "count", accounts.year) for h in ("Kvinnor", "Män", "Totalt")]
    lines = [
        Line(f"participants:{name}", name, [w, m, w + m]) for name, (w, m) in accounts.participants.items()
    ]
    women = sum(w for w, _ in accounts.participants.values())
    men = sum(m for _, m in accounts.participants.values())
    lines.append(Line("participants_total", "Totalt", [women, men, women + men], True))
    return Table("participants", caption, columns, lines, "count", "Insats", "participants")


def goal_target(federation: Federation, name: str) -> int:
    insats = next(i for i in federation.insatser if i.name == name)
    return max(5, insats.participants // 5 * 5)


def goal_table(federation: Federation, caption: str, accounts: Accounts) -> Table:
    year = accounts.year
    columns = [Column("Mål"), Column(f"Resultat {year}"), Column("Måluppfyllelse")]
    lines = []
    for name, (w, m) in accounts.participants.items():
        target = goal_target(federation, name)
        count = w + m
        grade = (
            "Uppfyllt" if count >= target else ("Delvis uppfyllt" if count >= 0.8 * target else "Ej uppfyllt")
        )
        lines.append(Line(f"goal:{name}", name, [f"Minst {target} deltagare", f"{count} deltagare", grade]))
    return Table("goals", caption, columns, lines, "text", "Insats", "goals")


def plan_budget_lines(federation: Federation, budgets: list[dict[str, int]]) -> list[Line]:
    def row(key: str, label: str | None = None, total: bool = False) -> Line:
        return Line(key, label or label_of(federation, key), [b[key] for b in budgets], total)

    lines = [Line(None, "Intäkter"), row("member_contributions_total")]
    if any(b["income_other"] for b in budgets):
        lines.append(row("income_other"))
    lines += [
        row("income_total", "Summa intäkter", True),
        Line(None, "Kostnader"),
        row("costs_personnel"),
        row("costs_interventions"),
        row("costs_other"),
    ]
    if federation.style.fixed_assets:
        lines.append(row("depreciation"))
    lines += [
        row("costs_total", "Summa kostnader", True),
        row("financial_items", "Finansiella poster"),
        row("result", "Årets resultat", True),
    ]
    return lines

"""The three reports of a federation's year, written from its ledger in its style: the verksamhetsplan with
budget (adopted in the autumn before), the årsredovisning (the spring after) and the delårsrapport.

Each report is a list of blocks — lines of prose and headings, `Table`s, page breaks — printed as text the
way the test reports of tests/normalized/data/vindeladalen are: a caption line, a blank line, then the
table's rows with tabs between cells; a form feed between pages. What each table prints is read off the
ledger, so a clean report adds up everywhere: totals are the sums of their lines, the statements equal
their notes, the result moves the equity and the cash flow moves the cash.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from finsam.text import slug

from .ledger import (
    Budget,
    Ledger,
)
from .profiles import Federation
from .statements import (
    balance_lines,
    budget_outcome,
    captioned,
    cash_flow_lines,
    detail_note,
    goal_table,
    goal_target,
    income_statement_lines,
    member_keys,
    member_label,
    note_numbers,
    note_tables,
    participant_table,
    plan_budget_lines,
    rr_columns,
    statement_refs,
    unit_word,
    years_header,
)
from .tables import Column, Line, Table, group

PAGE = "\f"
MONTH_NAMES = {6: ("januari–juni", "jan–jun", "06-30"), 8: ("januari–augusti", "jan–aug", "08-31")}


@dataclass
class Report:
    federation: Federation
    doc_type: str  # verksamhetsplan | arsredovisning | delarsrapport
    year: int
    blocks: list[str | Table] = field(default_factory=list)

    @property
    def filename(self) -> str:
        return f"{self.federation.index:02d}_{slug(self.federation.short)}_{self.doc_type}_{self.year}.txt"

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def table(self, ref: str) -> Table | None:
        return next((t for t in self.tables if t.ref == ref), None)

    def text(self) -> str:
        out: list[str] = []
        for block in self.blocks:
            if block == PAGE:
                if out:
                    out[-1] = out[-1].rstrip("\n") + "\n" + PAGE
                continue
            if isinstance(block, Table):
                if block.caption:
                    out.append(block.caption + "\n\n")
                out.append(block.text() + "\n\n")
            else:
                out.append(block + "\n\n")
        return "".join(out).rstrip("\n") + "\n"


# --- the årsredovisning -----------------------------------------------------------------------------------


def annual_report(
    federation: Federation, ledger: Ledger, year: int, budget: Budget, remarks: list[str]
) -> Report:
    """The årsredovisning of `year`: its budget column as the board last revised it (`budget`), the year
    before as this report states it (`ledger.prior`), and `remarks` (restatements, revisions) in the
    förvaltningsberättelse."""
    style = federation.style
    unit = style.ar_unit
    current, prior = ledger.reported[year], ledger.prior[year]
    figures = current.figures()
    report = Report(federation, "arsredovisning", year)
    add = report.blocks.append
    for line in (
        f"Årsredovisning {year}",
        federation.name,
        f"Organisationsnummer {federation.org_number}",
        f"Finansiell samordning mellan {federation.member_list()}",
        f"Fastställd av styrelsen den {10 + federation.index % 15} mars {year + 1}",
    ):
        add(line)
    add(PAGE)
    add("1. Förvaltningsberättelse")
    add(
        f"Styrelsen för {federation.name}, organisationsnummer {federation.org_number}, med säte i "
        f"{federation.seat}, avger härmed årsredovisning för verksamhetsåret {year}-01-01 – {year}-12-31."
    )
    add(
        f"Förbundets medlemmar är {federation.member_list()}. Staten bidrar med hälften av medlen, regionen "
        "med en fjärdedel och kommunerna tillsammans med en fjärdedel."
    )
    started = [i.name for i in federation.insatser if i.start == year]
    ended = [i.name for i in federation.insatser if i.end == year - 1]
    if started:
        add(f"Under året har förbundet startat {' och '.join(started)}.")
    if ended:
        add(f"Insatsen {' och '.join(ended)} avslutades vid utgången av {year - 1}.")
    for remark in remarks:
        add(remark)
    add("1.1 Deltagare och resultat")
    women = sum(w for w, _ in current.participants.values())
    men = sum(m for _, m in current.participants.values())
    add(
        f"Under {year} har förbundets insatser haft {women + men} deltagare, varav {women} kvinnor och {men} män."
    )
    report.blocks.append(
        participant_table(federation, captioned(federation, 1, f"Deltagare per insats {year}"), current)
    )
    add("1.2 Måluppfyllelse")
    report.blocks.append(
        goal_table(federation, captioned(federation, 2, f"Mål och resultat {year}"), current)
    )
    add("1.3 Ekonomi")
    result = figures["result"]
    add(
        f"Förbundets intäkter uppgick {year} till {group(figures['income_total'])} kr, varav medlemsavgifter "
        f"{group(figures['member_contributions_total'])} kr. Årets resultat blev ett "
        f"{'överskott' if result >= 0 else 'underskott'} på {group(abs(result))} kr."
    )
    report.blocks.append(budget_outcome(federation, 3, budget, current, unit))
    add(f"Förbundets eget kapital uppgick vid årets slut till {group(current.closing.equity)} kr.")
    add(PAGE)

    numbers = note_numbers(federation)
    refs = statement_refs(numbers)
    columns_rr = rr_columns(federation, year)
    source = {
        ("actual", year): figures,
        ("actual", year - 1): prior.figures(),
        ("budget", year): budget.figures(),
    }
    rr = Table(
        "rr",
        "Resultaträkning",
        [Column("Not"), *(Column(years_header(federation, r, y), r, y) for r, y in columns_rr)],
        income_statement_lines(federation, [None, *(source[c] for c in columns_rr)], refs),
        unit,
        f"Belopp i {unit_word(unit)}",
        "resultatrakning",
    )
    add("2. Resultaträkning")
    report.blocks.append(rr)
    br = Table(
        "br",
        "Balansräkning",
        [
            Column("Not"),
            Column(f"{year}-12-31", "actual", year),
            Column(f"{year - 1}-12-31", "actual", year - 1),
        ],
        balance_lines(federation, [current.closing, prior.closing], [current.result, prior.result], refs),
        unit,
        f"Belopp i {unit_word(unit)}",
        "balansrakning",
    )
    add("3. Balansräkning")
    report.blocks.append(br)
    add(PAGE)
    kf = Table(
        "kf",
        "Kassaflödesanalys",
        [Column(str(year), "actual", year), Column(str(year - 1), "actual", year - 1)],
        cash_flow_lines(federation, [current.cash_flow(), prior.cash_flow()]),
        unit,
        f"Belopp i {unit_word(unit)}",
        "kassaflodesanalys",
    )
    add("4. Kassaflödesanalys")
    report.blocks.append(kf)
    add("5. Noter")
    report.blocks.extend(note_tables(federation, current, prior, unit))
    add(PAGE)
    add("6. Styrelsens underskrifter")
    add(f"{federation.seat} den {10 + federation.index % 15} mars {year + 1}")
    for person, member in zip(federation.board, federation.members, strict=True):
        add(f"{person}, {member}")
    return report


# --- the verksamhetsplan ----------------------------------------------------------------------------------


def plan(federation: Federation, ledger: Ledger, year: int) -> Report:
    """The verksamhetsplan with budget for `year`, adopted in November of the year before."""
    style = federation.style
    unit = style.plan_unit
    budget = ledger.budgets[year]
    report = Report(federation, "verksamhetsplan", year)
    add = report.blocks.append
    for line in (
        f"Verksamhetsplan med budget {year}",
        federation.name,
        f"{federation.member_list()} i samverkan",
        f"Beslutad av styrelsen den {12 + federation.index % 14} november {year - 1}, § {20 + federation.index}",
    ):
        add(line)
    add("1. Inledning")
    add(
        f"Verksamhetsplanen beskriver hur {federation.name} ska arbeta under {year} och vilka insatser "
        f"förbundet finansierar. Planen innehåller förbundets budget för {year}."
    )
    started = [i.name for i in federation.insatser if i.start == year]
    ended = [i.name for i in federation.insatser if i.end == year - 1]
    if started:
        add(f"Under {year} startar {' och '.join(started)}.")
    if ended:
        add(f"Insatsen {' och '.join(ended)} avslutas vid utgången av {year - 1}.")
    add("2. Förbundets medlemmar")
    add(f"Förbundets medlemmar är {federation.member_list()}.")
    add(PAGE)
    add(f"3. Budget {year}")
    total = sum(budget.members.values())
    previous = ledger.budgets[year - 1]
    add(
        "Staten bidrar med hälften, regionen med en fjärdedel och kommunerna tillsammans med en fjärdedel. "
        f"Medlemsavgifterna för {year} uppgår till {group(total)} kr."
    )
    word = unit_word(unit)
    member_columns = [
        Column("Andel", "share", year),
        Column(f"Avgift {year}", "budget", year),
        Column(f"Avgift {year - 1}", "actual", year - 1),
    ]
    member_lines = [
        Line(
            f"member:{m}",
            member_label(federation, m, "plan"),
            [round(budget.members[m] * 1000 / total), budget.members[m], previous.members[m]],
        )
        for m in member_keys(federation)
    ]
    member_lines.append(
        Line("member_contributions_total", "Totalt", [1000, total, sum(previous.members.values())], True)
    )
    title = (
        f"Medlemsavgifter {year}, {word}"
        if federation.index % 2
        else f"Medlemsavgifter {year} och {year - 1}, {word}"
    )
    report.blocks.append(
        Table(
            "plan_members",
            captioned(federation, 1, title),
            member_columns,
            member_lines,
            unit,
            "Medlem",
            "member_contributions",
        )
    )

    columns = [Column(f"Budget {year}", "budget", year)]
    figures = [budget.figures()]
    if style.plan_columns == "forecast":
        columns.append(Column(f"Prognos {year - 1}", "forecast", year - 1))
        figures.append(ledger.forecasts[year - 1].figures())
    else:
        columns += [
            Column(f"Budget {year - 1}", "budget", year - 1),
            Column(f"Utfall {year - 2}", "actual", year - 2),
        ]
        figures += [
            previous.figures(),
            ledger.reported[year - 2].figures() if year - 2 in ledger.reported else None,
        ]
        if figures[-1] is None:
            columns.pop()
            figures.pop()
    report.blocks.append(
        Table(
            "plan_budget",
            captioned(federation, 2, f"Budget {year}, {word}"),
            columns,
            plan_budget_lines(federation, figures),
            unit,
            f"Belopp i {word}",
            "budget",
        )
    )
    if style.plan_insatser:
        lines = [Line(f"insats:{n}", n, [c]) for n, c in budget.insatser.items()]
        lines.append(Line("costs_interventions", "Summa insatser", [sum(budget.insatser.values())], True))
        report.blocks.append(
            Table(
                "plan_insatser",
                captioned(federation, 3, f"Budget per insats {year}, {word}"),
                [Column(f"Budget {year}", "budget", year)],
                lines,
                unit,
                "Insats",
                "budget",
            )
        )
    result = budget.figures()["result"]
    add(
        f"Budgeten för {year} innebär ett {'överskott' if result >= 0 else 'underskott'} på "
        f"{group(abs(result))} kr{', som finansieras med eget kapital' if result < 0 else ''}."
    )
    add("4. Mål för insatserna")
    goals = [
        Line(
            f"goal:{i.name}",
            i.name,
            ["Antal deltagare under året", f"Minst {goal_target(federation, i.name)}"],
        )
        for i in federation.running(year)
    ]
    report.blocks.append(
        Table(
            "plan_goals",
            captioned(federation, 4, f"Mål {year}"),
            [Column("Indikator"), Column(f"Målvärde {year}")],
            goals,
            "text",
            "Insats",
            "goals",
        )
    )
    return report


# --- the delårsrapport ------------------------------------------------------------------------------------


def interim_report(federation: Federation, ledger: Ledger, year: int) -> Report:
    """The delårsrapport for the first months of `year`, with the same months of the year before, the
    year's budget as the plan adopted it and a forecast for the whole year."""
    style = federation.style
    unit = style.interim_unit
    word = unit_word(unit)
    months = style.interim_months
    long_name, short_name, end = MONTH_NAMES[months]
    current, prior = ledger.interim[year], ledger.interim[year - 1]
    budget, forecast = ledger.budgets[year], ledger.interim_forecasts[year]

    # a column's period as finsam reads it: its own months, or (a balance date) the report's
    def period(of: int) -> str:
        return f"{of}-01-01–{of}-{end}"

    report = Report(federation, "delarsrapport", year)
    add = report.blocks.append
    for line in (
        f"Delårsrapport {long_name} {year}",
        federation.name,
        f"Organisationsnummer {federation.org_number}",
        " • ".join(federation.members),
        f"Fastställd av styrelsen {year}-{9 if months == 8 else 8:02d}-{20 + federation.index % 9}",
    ):
        add(line)
    add("Förvaltningsberättelse")
    add(
        f"Styrelsen för {federation.name}, med säte i {federation.seat}, avger härmed delårsrapport för "
        f"perioden {year}-01-01 – {year}-{end}."
    )
    women = sum(w for w, _ in current.participants.values())
    men = sum(m for _, m in current.participants.values())
    add(f"Under perioden har insatserna haft {women + men} deltagare, {women} kvinnor och {men} män.")
    report.blocks.append(participant_table(federation, f"Deltagare {long_name} {year}", current))
    add("Ekonomi")
    result = current.result
    add(
        f"Periodens resultat uppgår till {group(result)} kr. Prognosen för helåret är ett resultat på "
        f"{group(forecast.figures()['result'])} kr."
    )
    add(PAGE)
    cap = short_name.capitalize()
    columns = [
        Column("Not"),
        Column(f"Utfall {short_name} {year}", "actual", year, period(year)),
        Column(f"Utfall {short_name} {year - 1}", "actual", year - 1, period(year - 1)),
        Column(f"Budget helår {year}", "budget", year),
        Column(f"Prognos helår {year}", "forecast", year),
    ]
    figures = [None, current.figures(), prior.figures(), budget.figures(), forecast.figures()]
    report.blocks.append(
        Table(
            "rr",
            "Resultaträkning",
            columns,
            income_statement_lines(federation, figures, {"member_contributions_total": 1}, period=True),
            unit,
            f"Belopp i {word}",
            "resultatrakning",
        )
    )
    opening = current.opening
    report.blocks.append(
        Table(
            "br",
            "Balansräkning",
            [
                Column("Not"),
                Column(f"{year}-{end}", "actual", year, period(year)),
                Column(f"{year - 1}-12-31", "actual", year - 1, period(year)),
            ],
            balance_lines(
                federation,
                [current.closing, opening],
                [current.result, ledger.reported[year - 1].result],
                {},
                interim=True,
            ),
            unit,
            f"Belopp i {word}",
            "balansrakning",
        )
    )
    report.blocks.append(
        Table(
            "kf",
            "Kassaflödesanalys",
            [
                Column(f"{cap} {year}", "actual", year, period(year)),
                Column(f"{cap} {year - 1}", "actual", year - 1, period(year - 1)),
            ],
            cash_flow_lines(federation, [current.cash_flow(), prior.cash_flow()], interim=True),
            unit,
            f"Belopp i {word}",
            "kassaflodesanalys",
        )
    )
    add("Noter")
    report.blocks.append(
        detail_note(
            "note:members",
            "Not 1 Medlemsbidrag",
            [
                Column(f"{cap} {year}", "actual", year, period(year)),
                Column(f"{cap} {year - 1}", "actual", year - 1, period(year - 1)),
            ],
            [
                (f"member:{m}", member_label(federation, m, "note"), [current.members[m], prior.members[m]])
                for m in member_keys(federation)
            ],
            ("member_contributions_total", "Summa medlemsbidrag"),
            unit,
        )
    )
    add(
        f"{federation.seat} den {20 + federation.index % 9} {'september' if months == 8 else 'augusti'} {year}"
    )
    add(f"Styrelsen för {federation.name}")
    return report

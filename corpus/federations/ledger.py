"""A federation's books, year by year: what its reports print is read off these, so every table adds up.

`Accounts` is one year's (or part of a year's) outcome — member contributions by member, other income, the
costs by note line and by insats, financial items, the balance at its start and its end; every total, the
result, the balance sheet's cash and the cash flow are derived from them, never drawn. `Budget` is a year's
budget (or a forecast) at the level a verksamhetsplan prints it. A year's accounts are built on the year
before as last stated, so a restatement of that year (`restate`) carries into the next one's opening
balance as a real correction does. `revise` is the board's revision of a budget after the plan was adopted.
Amounts are whole kronor; costs are kept positive and signed where a table prints them.
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass, field

from .profiles import Federation
from .tables import group

PERSONNEL_LINES = ("Löner kansli", "Arvoden styrelse", "Sociala avgifter")
OTHER_COST_LINES = ("Lokalkostnader", "Revision", "Köpta tjänster", "IT och telefoni", "Övrigt")
RECEIVABLE_LINES = ("Momsfordran", "Förutbetalda kostnader")
PAYABLE_LINES = ("Leverantörsskulder", "Upplupna kostnader")


@dataclass
class Balance:
    """What the federation owns and owes on one date; cash is what makes it balance."""

    fixed: int  # inventarier
    receivables: dict[str, int]
    payables: dict[str, int]
    equity: int

    @property
    def receivables_total(self) -> int:
        return sum(self.receivables.values())

    @property
    def payables_total(self) -> int:
        return sum(self.payables.values())

    @property
    def cash(self) -> int:
        return self.equity + self.payables_total - self.fixed - self.receivables_total

    @property
    def assets(self) -> int:
        return self.fixed + self.receivables_total + self.cash


@dataclass
class Budget:
    """A year's budget, or a forecast of it, as a verksamhetsplan prints it."""

    year: int
    members: dict[str, int]  # member -> contribution ('state', 'region', a kommun's name)
    income_other: int
    personnel: int
    insatser: dict[str, int]
    other_costs: int
    depreciation: int
    financial_income: int
    financial_costs: int

    def figures(self) -> dict[str, int]:
        return _figures(
            self.members,
            self.income_other,
            self.personnel,
            self.insatser,
            self.other_costs,
            self.depreciation,
            self.financial_income,
            self.financial_costs,
        )


@dataclass
class Accounts:
    """A year's outcome (or, with `months` < 12, that of its first months) and the balance it leaves."""

    year: int
    months: int
    members: dict[str, int]
    income_other: int
    personnel: dict[str, int]  # PERSONNEL_LINES -> amount
    insatser: dict[str, int]
    other_costs: dict[str, int]  # OTHER_COST_LINES -> amount
    depreciation: int
    investments: int
    financial_income: int
    financial_costs: int
    opening: Balance
    receivables: dict[str, int]
    payables: dict[str, int]
    participants: dict[str, tuple[int, int]] = field(default_factory=dict)  # insats -> (kvinnor, män)

    def figures(self) -> dict[str, int]:
        return _figures(
            self.members,
            self.income_other,
            sum(self.personnel.values()),
            self.insatser,
            sum(self.other_costs.values()),
            self.depreciation,
            self.financial_income,
            self.financial_costs,
        )

    @property
    def result(self) -> int:
        return self.figures()["result"]

    @property
    def closing(self) -> Balance:
        return Balance(
            fixed=self.opening.fixed + self.investments - self.depreciation,
            receivables=dict(self.receivables),
            payables=dict(self.payables),
            equity=self.opening.equity + self.result,
        )

    def cash_flow(self) -> dict[str, int]:
        """The kassaflödesanalys: every line from the result and the two balances."""
        closing = self.closing
        before = self.result + self.depreciation
        receivables = -(closing.receivables_total - self.opening.receivables_total)
        payables = closing.payables_total - self.opening.payables_total
        operating = before + receivables + payables
        return {
            "result": self.result,
            "cf_non_cash_adjustments": self.depreciation,
            "cf_before_working_capital": before,
            "cf_change_receivables": receivables,
            "cf_change_liabilities": payables,
            "cf_operating": operating,
            "cf_investing": -self.investments,
            "cf_total": operating - self.investments,
            "cash_opening": self.opening.cash,
            "cash_closing": closing.cash,
        }


def _figures(members, income_other, personnel, insatser, other_costs, depreciation, fin_in, fin_out):
    """The lines a resultaträkning and a budget print, by ledger key; costs positive."""
    members_total = sum(members.values())
    interventions = sum(insatser.values())
    costs = personnel + interventions + other_costs + depreciation
    income = members_total + income_other
    net = income - costs
    result = net + fin_in - fin_out
    out = {
        "member_contributions_total": members_total,
        "income_other": income_other,
        "income_total": income,
        "costs_personnel": personnel,
        "costs_interventions": interventions,
        "costs_other": other_costs,
        "depreciation": depreciation,
        "costs_total": costs,
        "net_cost": net,
        "financial_income": fin_in,
        "financial_costs": fin_out,
        "financial_items": fin_in - fin_out,
        "result_before_extraordinary": result,
        "result": result,
        "costs_administration": personnel + other_costs + depreciation,  # styrelse och kansli
    }
    out.update({f"insats:{name}": cost for name, cost in insatser.items()})
    out.update({f"member:{name}": amount for name, amount in members.items()})
    return out


# --- drawing the years ------------------------------------------------------------------------------------


def _round(value: float, unit: int) -> int:
    return int(round(value / unit)) * unit


def _spread(total: int, weights: list[float], unit: int) -> list[int]:
    """`total` split by `weights` into multiples of `unit` that add up to it exactly."""
    parts = [_round(total * w, unit) for w in weights]
    parts[0] += total - sum(parts)
    return parts


def member_contributions(federation: Federation, total: int) -> dict[str, int]:
    """Finsam law §5: the state half, the region a quarter, the kommuner a quarter by population."""
    quarter = total // 4
    kommuner = _spread(quarter, list(federation.weights), 1)
    return {
        "state": total // 2,
        "region": quarter,
        **dict(zip(federation.kommuner, kommuner, strict=True)),
    }


@dataclass
class Ledger:
    """Everything one federation's reports print, for the years before its first report onwards."""

    federation: Federation
    budgets: dict[int, Budget]
    forecasts: dict[int, Budget]  # the plan of the next year forecasts this one
    reported: dict[int, Accounts]  # each year as its own årsredovisning states it
    prior: dict[int, Accounts]  # the year before as each year's årsredovisning states it (restated or not)
    interim: dict[int, Accounts]  # the first months of each year, as the delårsrapport states them
    interim_forecasts: dict[int, Budget]


def draw_ledger(federation: Federation, years: range, rng: random.Random) -> Ledger:
    """The budgets and accounts of `years` and of the year before them (which the first reports compare
    with). A restatement is made afterwards: `restate`, then `rebuild_after` for the years that follow."""
    base = years[0] - 1
    total = _round(rng.uniform(2.0e6, 16.0e6), 4000)
    budgets: dict[int, Budget] = {}
    for year in range(base, years[-1] + 1):
        budgets[year] = _budget(federation, year, total, rng)
        total = _round(total * rng.choice((1.0, 1.0, 1.02, 1.03, 1.05)), 4000)
    opening = _opening_balance(federation, budgets[base], rng)
    reported: dict[int, Accounts] = {}
    previous_closing = opening
    for year in range(base, years[-1] + 1):
        reported[year] = _outcome(federation, budgets[year], previous_closing, 12, rng)
        previous_closing = reported[year].closing
    ledger = Ledger(federation, budgets, {}, reported, {}, {}, {})
    for year in years:
        ledger.prior[year] = reported[year - 1]
    for year in range(base, years[-1] + 1):
        ledger.forecasts[year] = _forecast(budgets[year], reported[year], rng)
    return ledger


def draw_interim(ledger: Ledger, years: range, rng: random.Random) -> None:
    """The delårsrapport's figures of each year and the year before: the first months' outcome on the
    balance the årsredovisning before it stated (a restatement made later does not reach back into it)."""
    federation = ledger.federation
    months = federation.style.interim_months
    base = years[0] - 1
    for year in range(base, years[-1] + 1):
        annual = ledger.reported[year]
        opening = ledger.reported[year - 1].closing if year - 1 in ledger.reported else annual.opening
        share = months / 12
        interim = Accounts(
            year=year,
            months=months,
            members={k: _round(v * share, 1) for k, v in annual.members.items()},
            income_other=_round(annual.income_other * share * rng.uniform(0.6, 1.2), 100),
            personnel={
                k: _round(v * share * rng.uniform(0.95, 1.05), 100) for k, v in annual.personnel.items()
            },
            insatser={
                k: _round(v * share * rng.uniform(0.85, 1.05), 100) for k, v in annual.insatser.items()
            },
            other_costs={
                k: _round(v * share * rng.uniform(0.8, 1.1), 100) for k, v in annual.other_costs.items()
            },
            depreciation=_round(annual.depreciation * share, 100),
            investments=0,
            financial_income=_round(annual.financial_income * share, 100),
            financial_costs=_round(annual.financial_costs * share, 100),
            opening=opening,
            receivables={k: _round(v * rng.uniform(0.6, 1.4), 100) for k, v in opening.receivables.items()},
            payables={k: _round(v * rng.uniform(0.5, 1.2), 100) for k, v in opening.payables.items()},
            participants={
                k: (max(1, round(w * share)), max(1, round(m * share)))
                for k, (w, m) in annual.participants.items()
            },
        )
        ledger.interim[year] = interim
        budget = ledger.budgets[year]
        ledger.interim_forecasts[year] = _forecast(budget, annual, rng)


def _budget(federation: Federation, year: int, total: int, rng: random.Random) -> Budget:
    """A year's budget: the kansli a fifth to a quarter of the contributions, the insatser the rest of
    what the federation means to spend — a little more or less than it receives."""
    running = federation.running(year)
    income_other = rng.choice((0, _round(total * rng.uniform(0.01, 0.06), 10_000)))
    spending = (total + income_other) * rng.uniform(0.97, 1.07)
    personnel = _round(total * rng.uniform(0.14, 0.2), 10_000)
    other = _round(total * rng.uniform(0.04, 0.07), 10_000)
    depreciation = _round(rng.uniform(8_000, 30_000), 1000) if federation.style.fixed_assets else 0
    shares = [i.cost_share for i in running]
    for_insatser = spending - personnel - other - depreciation
    insatser = {
        i.name: _round(for_insatser * s / sum(shares), 10_000) for i, s in zip(running, shares, strict=True)
    }
    return Budget(
        year=year,
        members=member_contributions(federation, total),
        income_other=income_other,
        personnel=personnel,
        insatser=insatser,
        other_costs=other,
        depreciation=depreciation,
        financial_income=_round(rng.uniform(0, 3000), 1000),
        financial_costs=_round(rng.uniform(1000, 5000), 1000),
    )


def _opening_balance(federation: Federation, budget: Budget, rng: random.Random) -> Balance:
    total = sum(budget.members.values())
    fixed = _round(rng.uniform(20_000, 90_000), 100) if federation.style.fixed_assets else 0
    return Balance(
        fixed=fixed,
        receivables={k: _round(total * rng.uniform(0.01, 0.03), 100) for k in RECEIVABLE_LINES},
        payables={k: _round(total * rng.uniform(0.03, 0.07), 100) for k in PAYABLE_LINES},
        equity=_round(total * rng.uniform(0.15, 0.35), 1),
    )


def _split(
    total: int, lines: tuple[str, ...], shares: tuple[float, ...], rng: random.Random, unit: int
) -> dict[str, int]:
    """`total` over `lines` at about `shares` of it each."""
    weights = [s * rng.uniform(0.8, 1.25) for s in shares]
    weights = [w / sum(weights) for w in weights]
    return dict(zip(lines, _spread(total, weights, unit), strict=True))


PERSONNEL_SHARES = (0.66, 0.07, 0.27)  # löner, arvoden, sociala avgifter
OTHER_COST_SHARES = (0.25, 0.15, 0.3, 0.15, 0.15)


def _outcome(
    federation: Federation, budget: Budget, opening: Balance, months: int, rng: random.Random
) -> Accounts:
    """A year's outcome near its budget, on the balance the year before left."""
    unit = 1 if federation.style.ar_unit == "kr" else 1000
    total = sum(budget.members.values())
    # an equity that has run low is rebuilt: the year's spending is held back
    restraint = 0.9 if opening.equity < 0.12 * total else 1.0

    def spent(planned: int) -> int:  # most costs come in a little under their budget
        return _round(planned * restraint * rng.uniform(0.88, 1.04), unit)

    personnel = spent(budget.personnel)
    other = spent(budget.other_costs)
    insatser = {name: spent(cost) for name, cost in budget.insatser.items()}
    investments = 0
    if federation.style.fixed_assets and rng.random() < 0.3:
        investments = _round(rng.uniform(15_000, 60_000), unit)
    depreciation = min(budget.depreciation, opening.fixed + investments)
    participants = {}
    for insats in federation.running(budget.year):
        count = max(4, round(insats.participants * rng.uniform(0.7, 1.3)))
        women = round(count * rng.uniform(0.35, 0.7))
        participants[insats.name] = (women, count - women)
    return Accounts(
        year=budget.year,
        months=months,
        members=dict(budget.members),
        income_other=_round(budget.income_other * rng.uniform(0.8, 1.3), unit) if budget.income_other else 0,
        personnel=_split(personnel, PERSONNEL_LINES, PERSONNEL_SHARES, rng, unit),
        insatser=insatser,
        other_costs=_split(other, OTHER_COST_LINES, OTHER_COST_SHARES, rng, unit),
        depreciation=depreciation,
        investments=investments,
        financial_income=_round(budget.financial_income * rng.uniform(0.5, 1.5), unit),
        financial_costs=_round(budget.financial_costs * rng.uniform(0.5, 1.2), unit),
        opening=opening,
        receivables={k: _round(total * rng.uniform(0.01, 0.03), max(unit, 100)) for k in RECEIVABLE_LINES},
        payables={k: _round(total * rng.uniform(0.03, 0.07), max(unit, 100)) for k in PAYABLE_LINES},
        participants=participants,
    )


def _forecast(budget: Budget, outcome: Accounts, rng: random.Random) -> Budget:
    """What a plan written in the autumn expects of the year: between its budget and its outcome."""
    figures = outcome.figures()

    def near(key: str, planned: int) -> int:
        return _round((planned + figures[key]) / 2 * rng.uniform(0.98, 1.02), 10_000)

    return Budget(
        year=budget.year,
        members=dict(budget.members),
        income_other=near("income_other", budget.income_other) if budget.income_other else 0,
        personnel=near("costs_personnel", budget.personnel),
        insatser={k: near(f"insats:{k}", v) for k, v in budget.insatser.items()},
        other_costs=near("costs_other", budget.other_costs),
        depreciation=budget.depreciation,
        financial_income=budget.financial_income,
        financial_costs=budget.financial_costs,
    )


def rebuild_after(ledger: Ledger, year: int) -> None:
    """The years after `year` built again on `year` as its next report states it (`ledger.prior[year+1]`):
    the same outcome, on the corrected opening balance."""
    previous = ledger.prior[year + 1].closing
    for later in sorted(y for y in ledger.reported if y > year):
        accounts = copy.deepcopy(ledger.reported[later])
        accounts.opening = previous
        ledger.reported[later] = accounts
        if later + 1 in ledger.prior:
            ledger.prior[later + 1] = accounts
        previous = accounts.closing


# --- what is injected -------------------------------------------------------------------------------------

RESTATEMENT_KINDS = ("reclassification", "insats_reclassification", "correction", "netting")
REVISION_KINDS = ("reallocation", "increase", "grant")


def restate(accounts: Accounts, kind: str, rng: random.Random) -> tuple[Accounts, str] | None:
    """A year's accounts as the next report states them, and the sentence that report gives for it; None
    where this kind cannot be applied to these accounts."""
    restated = copy.deepcopy(accounts)
    amount = _round(rng.uniform(8_000, 60_000), 1000)
    if kind == "reclassification":  # costs booked as övriga kostnader were personnel costs
        line = max(restated.other_costs, key=restated.other_costs.get)
        if restated.other_costs[line] <= amount:
            return None
        restated.other_costs[line] -= amount
        restated.personnel["Löner kansli"] += amount
        return restated, (
            f"Kostnader om {_kr(amount)} för inhyrd personal {accounts.year} har omförts från övriga kostnader "
            "till personalkostnader; jämförelsetalen är ändrade."
        )
    if kind == "insats_reclassification":
        names = [n for n, v in restated.insatser.items() if v > amount]
        if len(names) < 2:
            return None
        a, b = rng.sample(names, 2)
        restated.insatser[a] -= amount
        restated.insatser[b] += amount
        return restated, (
            f"Kostnader om {_kr(amount)} för {accounts.year} som redovisades på {a} avsåg {b}; jämförelsetalen "
            "är rättade."
        )
    if kind == "correction":  # a cost of the year was booked in the next one
        line = rng.choice(OTHER_COST_LINES)
        restated.other_costs[line] += amount
        restated.payables["Upplupna kostnader"] += amount
        return restated, (
            f"En faktura om {_kr(amount)} som avsåg {accounts.year} hade inte periodiserats. Jämförelsetalen "
            f"för {accounts.year} är rättade, och eget kapital vid årets början är {_kr(amount)} lägre."
        )
    if kind == "netting":  # an income that was a refund of costs
        if restated.income_other <= amount:
            return None
        line = max(restated.other_costs, key=restated.other_costs.get)
        if restated.other_costs[line] <= amount:
            return None
        restated.income_other -= amount
        restated.other_costs[line] -= amount
        return restated, (
            f"Återbetalningar om {_kr(amount)} som {accounts.year} redovisades som övriga intäkter har "
            "nettoredovisats mot kostnaderna; jämförelsetalen är ändrade."
        )
    raise ValueError(kind)


def revise(budget: Budget, kind: str, rng: random.Random) -> tuple[Budget, str] | None:
    """The budget as the board revised it during the year, and the sentence the årsredovisning gives."""
    revised = copy.deepcopy(budget)
    amount = _round(rng.uniform(20_000, 120_000), 10_000)
    if kind == "reallocation":  # within the kansli: bought services become an employee
        if revised.other_costs <= amount:
            return None
        revised.other_costs -= amount
        revised.personnel += amount
        return revised, (
            f"Styrelsen reviderade budgeten under året och flyttade {_kr(amount)} från övriga kostnader till "
            "personalkostnader."
        )
    if kind == "increase":
        revised.personnel += amount
        return revised, (
            f"Styrelsen beslutade under året om en utökad budget för kansliet med {_kr(amount)}, som "
            "finansieras med eget kapital."
        )
    if kind == "grant":  # a grant received during the year finances an insats
        name = rng.choice(sorted(revised.insatser))
        revised.income_other += amount
        revised.insatser[name] += amount
        return revised, (
            f"Budgeten reviderades under året med ett projektbidrag om {_kr(amount)} som finansierar {name}."
        )
    raise ValueError(kind)


def _kr(amount: int) -> str:
    return f"{group(amount)} kr"

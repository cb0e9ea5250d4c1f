"""Fictitious federations: a name, a seat, members, insatser and the way its reports are written.

A federation is made of real places — its kommuner are neighbours in one län, its region is that län's —
under a name no real samordningsförbund has: its seat's name joined to a landscape word ('Sorseledalen',
'Storumanbygden'), the way 'Vindelådalen' of the test reports is made. Names are kept far enough apart that
finsam's federation matcher never takes one for another (normalized.federations.name_score below
POSSIBLE_SCORE). What real reports vary from one federation to the next is drawn once per federation and
kept for all its years: kr or tkr, column orders, table titles, labels from the vocabulary's synonyms,
which notes are printed, a delårsrapport or not.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from extractor.places import kommun_official_name
from finsam.reference import places
from normalized.federations import POSSIBLE_SCORE, name_form, name_score

# Joined to the seat's name, they make a name of the kind federations have ('Klarälvdalen', 'Hälsingekusten').
LANDSCAPE_WORDS = ("dalen", "bygden", "slätten", "kusten", "åsen", "skogen", "sjöarna", "älven", "fjällen")
# Kommuner whose members call themselves 'stad' or whose name is no simple word: not made seats or members.
LEFT_OUT_KOMMUNER = frozenset(
    {
        "Stockholm", "Göteborg", "Malmö", "Västerås", "Mölndal", "Borås", "Lidingö", "Solna", "Sundbyberg",
        "Vaxholm", "Haparanda", "Landskrona", "Trollhättan", "Helsingborg", "Gotland", "Falun", "Kalmar",
        "Uppsala", "Norrköping", "Linköping", "Örebro", "Jönköping", "Umeå", "Lund",
    }
)  # fmt: skip
# Federations finsam's own test data already has: a generated one is never named like them.
TAKEN_NAMES = (
    "Vindelådalen",
    "Botkyrka Huddinge Salem",
    "Östra Södertörn",
    "Mölndal Partille Härryda Lerum Alingsås",
    "Hälsingekusten",
    "Klarälvdalen",
    "Östra Smålandskusten",
)
REGION_OF_LAN = {"Södermanlands län": "Region Sörmland", "Västra Götalands län": "Västra Götalandsregionen"}

INSATS_NAMES = (
    "Steget", "Vägen vidare", "Jobbspåret", "Hälsoteamet", "Arbetsträning i samverkan", "Kraftsamling",
    "Resursteamet", "Hälsoskolan", "Nästa steg", "Språkspåret", "Framtidsverkstaden", "Motivationslyftet",
    "Samverkansteamet", "Kvinnor i arbete", "Aktivitetshuset", "Unga framåt", "Livsstegen", "Ny start",
    "Vägledningscentrum", "Arbetslivsresursen",
)  # fmt: skip
FIRST_NAMES = (
    "Anna", "Per", "Karin", "Lars", "Eva", "Jonas", "Maria", "Anders", "Lena", "Johan", "Sara", "Mikael",
    "Ingrid", "Henrik", "Elin", "Magnus", "Sofia", "Peter", "Helena", "Fredrik",
)  # fmt: skip
LAST_NAMES = (
    "Lindgren", "Forsberg", "Öberg", "Nyström", "Sandberg", "Holm", "Berglund", "Lundqvist", "Hedlund",
    "Sjöberg", "Engström", "Wikström", "Åkesson", "Nilsson", "Bergström", "Lindqvist", "Eklund", "Strand",
)  # fmt: skip


@dataclass(frozen=True)
class Insats:
    """An insats the federation finances from `start` to `end` (inclusive; None: still running)."""

    name: str
    start: int
    end: int | None
    cost_share: float  # of the member contributions, in a year it runs
    participants: int  # about how many a year

    def runs(self, year: int) -> bool:
        return self.start <= year and (self.end is None or year <= self.end)


@dataclass(frozen=True)
class Style:
    """How one federation's reports are written, the same every year."""

    ar_unit: str  # kr | tkr: the årsredovisning's statements and notes
    plan_unit: str  # kr | tkr | tkr1: the verksamhetsplan
    interim_unit: str  # kr | tkr: the delårsrapport
    rr_budget: str  # after | before | none: the resultaträkning's budget column, after or before utfall
    year_header: str  # utfall ('Utfall 2019') | plain ('2019')
    bu_order: str  # budget_first | outcome_first: the budgetuppföljning's columns
    bu_title: str  # 'Budgetuppföljning', 'Budget och utfall', 'Utfall mot budget'
    plan_columns: str  # forecast ('Budget 2020', 'Prognos 2019') | history (+ 'Budget 2019', 'Utfall 2018')
    plan_insatser: bool  # the plan has a table of each insats's budget
    numbered_captions: bool  # 'Tabell 3. Budgetuppföljning 2019' or 'Budgetuppföljning 2019'
    notes: tuple[str, ...]  # which notes the årsredovisning prints besides Medlemsavgifter
    member_labels: str  # plain ('Region X') | bidrag ('Bidrag Region X') | driftbidrag ('Driftbidrag från …')
    labels: dict[str, str] = field(default_factory=dict)  # ledger key -> the label this federation prints
    fixed_assets: bool = False  # inventarier, depreciated
    interim: bool = False  # a delårsrapport every year
    interim_months: int = 8  # januari–augusti or januari–juni


@dataclass(frozen=True)
class Federation:
    index: int
    name: str  # 'Samordningsförbundet Sorseledalen'
    short: str  # 'Sorseledalen'
    org_number: str
    seat: str  # a kommun
    region: str  # 'Region Västerbotten'
    kommuner: tuple[str, ...]  # place-list names, the seat first
    weights: tuple[float, ...]  # each kommun's part of the kommuner's quarter
    insatser: tuple[Insats, ...]
    board: tuple[str, ...]  # the board's members, one for each member organisation
    style: Style

    @property
    def kommun_members(self) -> tuple[str, ...]:
        """'Lycksele kommun', 'Vindelns kommun' …"""
        return tuple(kommun_official_name(k) for k in self.kommuner)

    @property
    def members(self) -> tuple[str, ...]:
        return ("Försäkringskassan", "Arbetsförmedlingen", self.region, *self.kommun_members)

    def member_list(self) -> str:
        """'Försäkringskassan, Arbetsförmedlingen, Region X, A kommun och B kommun'."""
        names = list(self.members)
        return ", ".join(names[:-1]) + " och " + names[-1]

    def running(self, year: int) -> list[Insats]:
        return [i for i in self.insatser if i.runs(year)]


# Labels of the ledger's lines, each a synonym the vocabulary (finsam.terms) reads as the line's key.
LABEL_CHOICES: dict[str, tuple[str, ...]] = {
    "member_contributions_total": ("Medlemsavgifter", "Medlemsbidrag", "Bidrag från medlemmarna"),
    "income_other": ("Övriga intäkter", "Övriga verksamhetsintäkter"),
    "income_total": ("Summa verksamhetens intäkter", "Summa intäkter"),
    "costs_personnel": ("Personalkostnader",),
    "costs_interventions": ("Finansierade insatser", "Kostnader för insatser"),
    "costs_other": ("Övriga externa kostnader", "Övriga kostnader", "Övriga verksamhetskostnader"),
    "depreciation": ("Avskrivningar",),
    "costs_total": ("Summa verksamhetens kostnader", "Summa kostnader"),
    "net_cost": ("Verksamhetens resultat",),
    "financial_income": ("Finansiella intäkter", "Ränteintäkter"),
    "financial_costs": ("Finansiella kostnader", "Räntekostnader"),
    "result_before_extraordinary": ("Resultat efter finansiella poster",),
    "result": ("Årets resultat",),
    "member_contribution_state": (
        "Staten genom Försäkringskassan",
        "Driftbidrag från staten",
        "Statens andel",
    ),
    "equity_opening": ("Ingående eget kapital", "Ingående balans eget kapital"),
    "cash": ("Kassa och bank", "Likvida medel"),
}
OPTIONAL_NOTES = ("personnel", "insatser", "other_costs", "receivables", "payables")


def _regions() -> dict[str, str]:
    """län -> its region's name."""
    out = dict(REGION_OF_LAN)
    for region in places()["regioner"]:
        core = region["core"]
        for lan in (f"{core} län", f"{core}s län"):
            out.setdefault(lan, region["name"])
    out.setdefault("Jämtlands län", "Region Jämtland Härjedalen")
    return out


def _kommuner_by_lan() -> dict[str, list[str]]:
    by_lan: dict[str, list[str]] = {}
    for k in places()["kommuner"]:
        name = k["name"]
        if name in LEFT_OUT_KOMMUNER or not name.isalpha() or k["lan"] == "Gotlands län":
            continue
        by_lan.setdefault(k["lan"], []).append(name)
    return by_lan


def _org_number(rng: random.Random) -> str:
    """222000-NNNN with a Luhn check digit, as an organisation number of a kommunal body has."""
    digits = [2, 2, 2, 0, 0, 0] + [rng.randrange(10) for _ in range(3)]
    total = 0
    for i, d in enumerate(digits):
        d = d * 2 if i % 2 == 0 else d
        total += d - 9 if d > 9 else d
    check = (10 - total % 10) % 10
    text = "".join(map(str, digits)) + str(check)
    return f"{text[:6]}-{text[6:]}"


def _style(rng: random.Random) -> Style:
    labels = {key: rng.choice(choices) for key, choices in LABEL_CHOICES.items()}
    notes = tuple(n for n in OPTIONAL_NOTES if rng.random() < 0.6)
    return Style(
        ar_unit=rng.choice(("kr", "kr", "tkr")),
        plan_unit=rng.choice(("tkr1", "tkr", "kr")),
        interim_unit=rng.choice(("tkr", "kr")),
        rr_budget=rng.choice(("after", "before", "none")),
        year_header=rng.choice(("utfall", "plain")),
        bu_order=rng.choice(("budget_first", "outcome_first")),
        bu_title=rng.choice(("Budgetuppföljning", "Budget och utfall", "Utfall mot budget")),
        plan_columns=rng.choice(("forecast", "history")),
        plan_insatser=rng.random() < 0.5,
        numbered_captions=rng.random() < 0.5,
        notes=notes,
        member_labels=rng.choice(("plain", "bidrag", "driftbidrag")),
        labels=labels,
        fixed_assets=rng.random() < 0.4,
        interim=rng.random() < 0.35,
        interim_months=rng.choice((8, 8, 6)),
    )


def _insatser(rng: random.Random, seat: str, short: str, years: range) -> tuple[Insats, ...]:
    """Three to six insatser, some started before the first year, some starting or ending within it; at
    least two run every year."""
    first, last = years[0] - 1, years[-1]
    names = rng.sample(INSATS_NAMES, 6)
    names[0] = f"Unga {seat}"
    if rng.random() < 0.5:
        names[1] = f"IPS {short}"
    out: list[Insats] = []
    count = rng.randint(3, 6)
    for i, name in enumerate(names[:count]):
        if i < 2:  # run throughout
            start, end = first - rng.randint(1, 4), None
        else:
            start = rng.randint(first - 2, last)
            end = rng.choice((None, None, rng.randint(start, last + 1)))
            if end is not None and end < first:
                end = None
        out.append(Insats(name, start, end, rng.uniform(0.08, 0.2), rng.randint(12, 90)))
    return tuple(out)


def make_federations(seed: int, count: int, years: range) -> list[Federation]:
    """`count` fictitious federations, the same for the same seed."""
    rng = random.Random(f"federations:{seed}")
    by_lan = _kommuner_by_lan()
    regions = _regions()
    used: set[str] = set()
    forms = [name_form(f"Samordningsförbundet {n}") for n in TAKEN_NAMES]
    out: list[Federation] = []
    lans = sorted(by_lan)
    attempts = 0
    while len(out) < count:
        left = sum(1 for lan in lans if lan in regions for k in by_lan[lan] if k not in used)
        attempts += 1
        if left < count - len(out) or attempts > 100 * count:
            raise ValueError(
                f"{count} federations do not fit in the place list's kommuner: {len(out)} made, "
                f"{left} kommuner left"
            )
        lan = rng.choice(lans)
        free = [k for k in by_lan[lan] if k not in used]
        if not free or lan not in regions:
            continue
        seat = rng.choice(free)
        short = seat + rng.choice(LANDSCAPE_WORDS)
        name = f"Samordningsförbundet {short}"
        form = name_form(name)
        if any(name_score(form, other) >= POSSIBLE_SCORE for other in forms):
            continue
        neighbours = [k for k in free if k != seat]
        # as many neighbours as leave two kommuner for each federation still to make (Sweden's 290 kommuner
        # are in some 75 federations)
        room = left - 1 - 2 * (count - len(out) - 1)
        kommuner = (seat, *rng.sample(neighbours, min(len(neighbours), rng.randint(0, 7), max(0, room))))
        used.update(kommuner)
        forms.append(form)
        raw = [rng.uniform(0.3, 3.0) for _ in kommuner]
        raw[0] = max(raw) * rng.uniform(1.2, 2.5)  # the seat is the largest
        weights = tuple(w / sum(raw) for w in raw)
        board = tuple(f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}" for _ in range(len(kommuner) + 3))
        out.append(
            Federation(
                index=len(out) + 1,
                name=name,
                short=short,
                org_number=_org_number(rng),
                seat=seat,
                region=regions[lan],
                kommuner=kommuner,
                weights=weights,
                insatser=_insatser(rng, seat, short, years),
                board=board,
                style=_style(rng),
            )
        )
    return out

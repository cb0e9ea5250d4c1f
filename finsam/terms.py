"""The canonical vocabulary's terms: one key per figure that recurs across samordningsförbund reports, with a
line saying what it is and the Swedish labels that name it, as a table of data.

finsam.vocabulary matches a printed row label to these keys; normalized/ checks build statement identities
and cross-table tie-outs on them (e.g. income_total − costs_total = net_cost). A new wording in a new report
needs a new synonym here, not new code.
"""

from __future__ import annotations

from dataclasses import dataclass

# Table kinds grouped by where a term may appear (see finsam.model.TABLE_KINDS).
BALANCE = ("balansrakning", "note")
CASH_FLOW = ("kassaflodesanalys",)
ANY = None

# One municipality's contribution is keyed by this prefix and the slug of its name (finsam.text.slug).
MUNICIPALITY_PREFIX = "member_contribution_municipality:"
# The region's contribution. Which region a label names ('Region Halland', 'Landstinget Dalarna', 'SLL') comes
# from the place list (finsam.reference.region_names), not from synonyms here; these are the words that say
# "the region" without naming one.
REGION_KEY = "member_contribution_region"


@dataclass(frozen=True)
class Term:
    key: str
    description: str  # one line: what the figure is
    synonyms: tuple[str, ...]  # labels as printed (any case, diacritics optional)
    kinds: tuple[str, ...] | None = ANY  # table kinds the term can appear in; None = any


TERMS: tuple[Term, ...] = (
    # --- member contributions (medlemsavgifter / bidrag från medlemmarna) ---
    Term(
        "member_contribution_state",
        "the state's contribution (Försäkringskassan, incl. Arbetsförmedlingen)",
        (
            "Staten",
            "Driftbidrag från staten",
            "Bidrag från staten",
            "Statens andel",
            "Försäkringskassan",
            "Bidrag FK/Af",
            "Bidrag FK",
            "Bidrag Försäkringskassan",
            "Försäkringskassan och Arbetsförmedlingen",
            "Medlemsavgift staten",
            "Bidrag staten",
            "FK/Af",
            "Staten (FK/AF)",
            "Statlig medlemsavgift",
            "Statens bidrag",
            "Medlemsavgift Försäkringskassan",
            "Försäkringskassan/Arbetsförmedlingen",
            "Staten genom Försäkringskassan",
        ),
    ),
    Term(
        REGION_KEY,
        "the region's (landstingets) contribution",
        (
            "Landstinget",
            "Regionen",
            "Region",
            "Landsting",
            "Bidrag region",
            "Bidrag landstinget",
            "Bidrag regionen",
            "Driftbidrag från landstinget",
            "Driftbidrag från regionen",
            "Medlemsavgift region",
            "Medlemsavgift landsting",
            "Regionens medlemsavgift",
            "Landstingets medlemsavgift",
        ),
    ),
    Term(
        "member_contribution_municipalities",
        "the municipalities' contributions taken together",
        (
            "Kommunerna",
            "Kommuner",
            "Bidrag kommunerna",
            "Medlemskommunerna",
            "Kommunernas andel",
            "Kommunernas medlemsavgift",
            "Kommunernas bidrag",
        ),
    ),
    Term(
        "member_contributions_total",
        "all members' contributions (Verksamhetens medlemsavgifter)",
        (
            "Verksamhetens medlemsavgifter",
            "Medlemsavgifter",
            "Bidrag från medlemmarna",
            "Medlemsbidrag",
            "Inbetalning huvudmännen",
            "Bidrag från huvudmännen",
            "Tilldelade medel",
            "Intäkter/medlemsavgifter",
            "Summa medlemsavgifter",
            "Erhållna medlemsbidrag",
            "Driftbidrag",
        ),
    ),
    # --- income statement (resultaträkning) ---
    Term(
        "grants_other",
        "other grants: EU/ESF, Arvsfonden, project funding",
        (
            "EU-medel och andra bidrag",
            "Intäkter ESF",
            "Bidrag ESF",
            "ESF-medel",
            "Projektbidrag",
            "Övriga bidrag",
            "Intäkter/övriga intäkter",
            "Erhållna bidrag",
            "Andra bidrag",
        ),
    ),
    Term(
        "income_other",
        "other operating income",
        ("Övriga intäkter", "Övriga rörelseintäkter", "Övriga verksamhetsintäkter", "Övriga intäkter (MUCF)"),
    ),
    Term(
        "income_total",
        "total income",
        (
            "Summa intäkter",
            "Verksamhetens intäkter",
            "S:a Rörelsens intäkter",
            "Rörelsens intäkter",
            "Summa rörelsens intäkter",
            "Intäkter totalt",
            "Totala intäkter",
            "Bidrag/intäkt",
            "Summa verksamhetens intäkter",
        ),
    ),
    Term(
        "costs_total",
        "total operating costs (Verksamhetens kostnader)",
        (
            "Verksamhetens kostnader",
            "Summa kostnader",
            "S:a Rörelsens kostnader",
            "Rörelsens kostnader",
            "Summa rörelsens kostnader",
            "Kostnader totalt",
            "Totala kostnader",
            "Summa verksamhetens kostnader",
        ),
    ),
    Term("depreciation", "depreciation (avskrivningar)", ("Avskrivningar",)),
    Term(
        "net_cost",
        "net cost of operations (Verksamhetens nettokostnad)",
        (
            "Verksamhetens nettokostnad",
            "Verksamhetens nettokostnader",
            "Nettokostnad",
            "Nettokostnader",
            "Nettokostnad och finansnetto",
            "Verksamhetens resultat",
        ),
    ),
    Term(
        "financial_income",
        "financial income",
        ("Finansiella intäkter", "Finansiella ränteintäkter", "Ränteintäkter"),
    ),
    Term(
        "financial_costs",
        "financial costs",
        ("Finansiella kostnader", "Räntekostnader", "Finansiella räntekostnader"),
    ),
    Term(
        "financial_items",
        "financial items net (finansnetto)",
        ("Finansnetto", "Finansiella poster", "Finansiella intäkter/kostnader"),
    ),
    Term(
        "result_before_extraordinary",
        "result before extraordinary items",
        (
            "Resultat före extraordinära intäkter",
            "Resultat före extraordinära poster",
            "Resultat efter finansiella poster",
            "Resultat efter finansiella intäkter",
        ),
    ),
    Term("extraordinary_income", "extraordinary income", ("Extraordinära intäkter",)),
    Term("extraordinary_costs", "extraordinary costs", ("Extraordinära kostnader",)),
    Term(
        "result",
        "the period's / year's result",
        (
            "Årets resultat",
            "Periodens resultat",
            "Periodens/årets resultat",
            "Resultat",
            "Årets/periodens resultat",
            "Beräknat resultat",
            "Periodens/Årets resultat",
            "Resultat efter extraordinära poster",
            "Årets överskott",
            "Periodens överskott",
            "Årets över-/underskott",
        ),
    ),
    # --- balance sheet (balansräkning / balansrapport) ---
    Term(
        "fixed_assets_total",
        "fixed assets (anläggningstillgångar)",
        ("Summa anläggningstillgångar", "Anläggningstillgångar"),
        BALANCE,
    ),
    Term(
        "receivables",
        "receivables (fordringar)",
        ("Fordringar", "S:a fordringar", "Kortfristiga fordringar", "Summa fordringar"),
        BALANCE,
    ),
    Term(
        "cash",
        "cash and bank (likvida medel)",
        (
            "Kassa och bank",
            "Kassa och banktillgodohavande",
            "S:a Kassa och bank",
            "Likvida medel",
            "Kassa och banktillgodohavanden",
            "Bank",
            "Summa kassa och bank",
        ),
        BALANCE,
    ),
    Term(
        "current_assets_total",
        "current assets (omsättningstillgångar)",
        ("Summa omsättningstillgångar", "S:a Omsättningstillgångar", "Omsättningstillgångar"),
        BALANCE,
    ),
    Term(
        "assets_total",
        "total assets",
        ("Summa tillgångar", "S:a tillgångar", "Tillgångar totalt", "Summa tillgångar totalt"),
        BALANCE,
    ),
    Term(
        "equity",
        "equity (eget kapital)",
        ("Eget kapital", "S:a Eget kapital", "Summa eget kapital", "Utgående eget kapital", "Utgående EK"),
        ("balansrakning", "note", "budget_outcome"),
    ),
    Term("provisions", "provisions (avsättningar)", ("Avsättningar", "Summa avsättningar"), BALANCE),
    Term(
        "liabilities_long",
        "long-term liabilities",
        ("Långfristiga skulder", "Summa långfristiga skulder"),
        BALANCE,
    ),
    Term(
        "liabilities_short",
        "short-term liabilities",
        ("Kortfristiga skulder", "S:a Kortfristiga skulder", "Summa kortfristiga skulder"),
        BALANCE,
    ),
    Term(
        "equity_and_liabilities_total",
        "total equity and liabilities",
        (
            "Summa eget kapital och skulder",
            "S:a Eget kapital, avsättningar och skulder",
            "Summa eget kapital, avsättningar och skulder",
            "Eget kapital och skulder totalt",
        ),
        BALANCE,
    ),
    Term(
        "pledged_assets",
        "pledged assets (ställda säkerheter / panter)",
        ("Panter och därmed jämförliga säkerheter", "Ställda säkerheter", "Ställda panter"),
        BALANCE,
    ),
    Term(
        "contingent_liabilities",
        "contingent liabilities",
        ("Ansvarsförbindelser", "Eventualförpliktelser"),
        BALANCE,
    ),
    Term(
        "equity_opening",
        "equity at the start of the year",
        ("Ingående balans eget kapital", "Ingående eget kapital"),
        BALANCE,
    ),
    Term("equity_closing", "equity at the end of the year", ("Utgående balans eget kapital",), BALANCE),
    # --- cash flow (kassaflödesanalys / finansieringsanalys) ---
    Term(
        "cf_non_cash_adjustments",
        "adjustments for non-cash items",
        (
            "Justering för ej likviditetspåverkande poster",
            "Justering för av- och nedskrivningar",
            "Justering för poster som inte ingår i kassaflödet",
        ),
        CASH_FLOW,
    ),
    Term(
        "cf_before_working_capital",
        "cash from operations before changes in working capital",
        (
            "Medel från verksamheten före förändring av rörelsekapital",
            "Kassaflöde före förändring av rörelsekapital",
        ),
        CASH_FLOW,
    ),
    Term(
        "cf_change_receivables",
        "change in short-term receivables",
        (
            "Ökning/minskning kortfristiga fordringar",
            "Minskning/ökning kortfristiga fordringar",
            "Förändring kortfristiga fordringar",
            "Ökning/minskning av kortfristiga fordringar",
        ),
        CASH_FLOW,
    ),
    Term(
        "cf_change_liabilities",
        "change in short-term liabilities",
        (
            "Ökning/minskning kortfristiga skulder",
            "Minskning/ökning kortfristiga skulder",
            "Förändring kortfristiga skulder",
            "Ökning/minskning av kortfristiga skulder",
        ),
        CASH_FLOW,
    ),
    Term(
        "cf_operating",
        "cash flow from operating activities",
        (
            "Kassaflöde för den löpande verksamheten",
            "Kassaflöde från den löpande verksamheten",
            "Medel från verksamheten",  # a finansieringsanalys's line after the changes of rörelsekapital
            "Medel från den löpande verksamheten",
        ),
        CASH_FLOW,
    ),
    Term(
        "cf_investing",
        "cash flow from investing activities",
        ("Kassaflöde från investeringsverksamheten", "Kassaflöde för investeringsverksamheten"),
        CASH_FLOW,
    ),
    Term(
        "cf_financing",
        "cash flow from financing activities",
        ("Kassaflöde från finansieringsverksamheten", "Kassaflöde för finansieringsverksamheten"),
        CASH_FLOW,
    ),
    Term(
        "cf_total",
        "the year's cash flow",
        ("Årets kassaflöde", "Periodens kassaflöde", "Förändring av likvida medel"),
        CASH_FLOW,
    ),
    Term(
        "cash_opening",
        "cash at the start of the year",
        ("Likvida medel vid årets början", "Likvida medel vid periodens början"),
        CASH_FLOW,
    ),
    Term(
        "cash_closing",
        "cash at the end of the year",
        ("Likvida medel vid årets slut", "Likvida medel vid periodens slut"),
        CASH_FLOW,
    ),
    # --- cost breakdowns (notes, budgets, budget follow-up) ---
    Term(
        "costs_interventions",
        "costs of financed interventions (insatser)",
        ("Insatser", "Summa insatser", "Finansierade insatser", "Kostnader för insatser"),
    ),
    Term(
        "costs_individual_interventions",
        "costs of individual-oriented interventions",
        (
            "Individinriktade insatser",
            "Individerinriktade insatser",
            "Summa individinriktade insatser",
            "Finansiering av individinriktade insatser",
        ),
    ),
    Term(
        "costs_structural_interventions",
        "costs of structural interventions",
        (
            "Strukturinriktade insatser",
            "Summa strukturinriktade insatser",
            "Finansiering av strukturinriktade insatser",
        ),
    ),
    Term(
        "costs_administration",
        "administration costs (kansli, styrelse)",
        ("Administration", "Summa administration", "Summa styrelse och kansli", "Administrativa kostnader"),
    ),
    Term(
        "costs_personnel",
        "personnel costs",
        (
            "Personalkostnader",
            "Personalkostnader, styrelse och kansli",
            "Övriga personalkostnader",
            "Verksamhetsanknutna personalkostnader",
        ),
    ),
    Term(
        "costs_premises",
        "premises costs",
        ("Lokalkostnader", "Lokalkostnad kansli", "Lokalkostnad", "Verksamhetsanknutna lokalkostnader"),
    ),
    Term("costs_consultants", "consultant costs", ("Konsultkostnader", "Köpta tjänster")),
    Term(
        "costs_other",
        "other costs",
        ("Övriga kostnader", "Övriga verksamhetskostnader", "Övriga externa kostnader"),
    ),
)


def describe() -> dict[str, str]:
    """Every canonical key with its one-line description (municipality keys are a pattern)."""
    out = {t.key: t.description for t in TERMS}
    out[MUNICIPALITY_PREFIX + "<slug>"] = "one municipality's contribution, slug of its name (e.g. huddinge)"
    return out


CANONICAL_KEYS: tuple[str, ...] = tuple(t.key for t in TERMS)

"""The canonical vocabulary: one key per figure that recurs across samordningsförbund reports, with the
Swedish labels that name it.

extractor/ calls `canonical_for(label, table_kind, section)` for every table row; normalized/checks build
statement identities and cross-table tie-outs on the keys (e.g. income_total − costs_total = net_cost).
A label is matched exactly after normalisation first, then fuzzily (rapidfuzz) to survive OCR damage;
a label that matches nothing stays None rather than being guessed. A new wording in a new report needs a new
synonym in `TERMS`, not new code.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from finsam.reference import places
from finsam.text import fold_label

# Table kinds grouped by where a term may appear (see finsam.model.TABLE_KINDS).
STATEMENTS = ("resultatrakning", "balansrakning", "kassaflodesanalys", "note")
INCOME_STATEMENT = ("resultatrakning", "note", "budget", "budget_outcome", "member_contributions")
BALANCE = ("balansrakning", "note")
CASH_FLOW = ("kassaflodesanalys",)
ANY = None

MUNICIPALITY_PREFIX = "member_contribution_municipality:"


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
        ),
    ),
    Term(
        "member_contribution_region",
        "the region's (landstingets) contribution",
        (
            "Landstinget",
            "Regionen",
            "Region",
            "SLL",
            "Landsting",
            "Bidrag region",
            "Bidrag VG-region",
            "Bidrag landstinget",
            "Bidrag regionen",
            "Driftbidrag från landstinget",
            "Driftbidrag från regionen",
            "Västra Götalandsregionen",
            "Stockholms läns landsting",
            "Driftbidrag från Stockholms läns landsting",
            "Region Stockholm",
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
        ("Kassaflöde för den löpande verksamheten", "Kassaflöde från den löpande verksamheten"),
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

# Total-row words (kept here too because "Summa X" often names the same figure as "X").
_TOTAL_PREFIX = re.compile(r"^(?:summa|s:a|totalt|total)\s+", re.I)
_NUMBERING = re.compile(r"^\s*(?:\d{1,2}[.)]\s+|[-–•*]\s*)")

# Words that, leading a label, say the row is a member's contribution (so a place name means that member).
_CONTRIBUTION_WORDS = (
    "bidrag",
    "driftbidrag",
    "medlemsavgift",
    "medlemsbidrag",
    "tilldelning",
    "inbetalning",
    "andel",
)
_MUNICIPALITY_SUFFIX = re.compile(r"\b(kommun|kommuner|stad|kommunen)\b", re.I)

FUZZY_THRESHOLD = 90  # rapidfuzz ratio on diacritic-free labels; high so unknown labels stay None


def slug(name: str) -> str:
    """'Nynäshamn' -> 'nynashamn', 'Upplands-Bro' -> 'upplands-bro'."""
    s = "".join(c for c in unicodedata.normalize("NFKD", name.casefold()) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


@lru_cache(maxsize=1)
def _municipalities() -> dict[str, str]:
    """Folded municipality name (and its genitive) -> slug, from the shared place list when present."""
    names: list[str] = []
    try:
        data = places()
        names = [k["name"] for k in data.get("kommuner", [])]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    out: dict[str, str] = {}
    for name in names:
        out[fold_label(name)] = slug(name)
        if not name.endswith("s"):
            out[fold_label(name + "s")] = slug(name)
    return out


def _municipality_slug(label: str) -> str | None:
    """'Huddinge kommun', 'Driftbidrag från Salems kommun', 'Bidrag Mölndals stad' -> the municipality slug."""
    folded = fold_label(label)
    words = folded.split()
    known = _municipalities()
    for i in range(len(words)):
        for span in (3, 2, 1):  # multi-word names first ("upplands vasby")
            cand = " ".join(words[i : i + span])
            if cand in known:
                return known[cand]
    m = re.search(r"(\w[\w-]*)\s+(?:kommun|stad)\b", folded)
    if m and not known:  # no place list: trust the 'X kommun' pattern, dropping a genitive s
        name = m.group(1)
        return slug(name[:-1] if name.endswith("s") and not name.endswith(("as", "ss", "os")) else name)
    return None


@lru_cache(maxsize=1)
def _synonym_index() -> dict[str, list[Term]]:
    index: dict[str, list[Term]] = {}
    for term in TERMS:
        for syn in term.synonyms:
            index.setdefault(fold_label(syn), []).append(term)
    return index


def _allowed(term: Term, table_kind: str | None) -> bool:
    return term.kinds is None or table_kind is None or table_kind in term.kinds


def _lookup(folded: str, table_kind: str | None) -> str | None:
    terms = [t for t in _synonym_index().get(folded, []) if _allowed(t, table_kind)]
    return terms[0].key if terms else None


def canonical_for(label: str, table_kind: str | None = None, section: str | None = None) -> str | None:
    """The vocabulary key a row label names, or None when it names nothing we know.

    `table_kind` limits terms to where they can appear (a balance-sheet "Fordringar" is not a note's line
    item of the same name in a budget); `section` is the sub-heading the row stands under, used when the label
    alone is a bare total ("Summa" under "Kortfristiga skulder").
    """
    folded = fold_label(_NUMBERING.sub("", label or ""))
    if not folded or not re.search(r"[a-z]", folded):
        return None
    bare_total = folded in ("summa", "totalt", "total", "summa totalt")
    if bare_total:
        key = canonical_for(section, table_kind) if section else None
        if key is None and table_kind == "member_contributions":
            key = "member_contributions_total"
        return key
    key = _lookup(folded, table_kind)
    if key:
        return key
    contribution_context = table_kind == "member_contributions" or folded.split()[0] in _CONTRIBUTION_WORDS
    if (
        contribution_context
        and _MUNICIPALITY_SUFFIX.search(folded)
        or (table_kind == "member_contributions" and _municipality_slug(folded))
    ):
        muni = _municipality_slug(folded)
        if muni:
            return MUNICIPALITY_PREFIX + muni
    if contribution_context:
        # "Driftbidrag från staten", "Bidrag Regionen": the member named after the contribution word
        rest = re.sub(r"^(?:" + "|".join(_CONTRIBUTION_WORDS) + r")\s+(?:fran\s+)?", "", folded)
        key = _lookup(rest, "member_contributions") if rest != folded else None
        if key and key.startswith("member_contribution"):
            return key
    stripped = _TOTAL_PREFIX.sub("", folded)
    if stripped != folded:
        key = _lookup(stripped, table_kind)
        if key:
            return key
    return _fuzzy(folded, table_kind)


def _fuzzy(folded: str, table_kind: str | None) -> str | None:
    """Fuzzy match for OCR-damaged labels ("Verksamhetens kostnader" read as "Verksamhetens kostnadcr")."""
    choices = [s for s, terms in _synonym_index().items() if any(_allowed(t, table_kind) for t in terms)]
    if len(folded) < 6:
        return None
    hit = process.extractOne(folded, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD)
    if not hit or abs(len(hit[0]) - len(folded)) > max(2, len(folded) // 10):
        return None  # OCR damage keeps a label's length; a longer or shorter label is another item
    return _lookup(hit[0], table_kind)


def describe() -> dict[str, str]:
    """Every canonical key with its one-line description (municipality keys are a pattern)."""
    out = {t.key: t.description for t in TERMS}
    out[MUNICIPALITY_PREFIX + "<slug>"] = "one municipality's contribution, slug of its name (e.g. huddinge)"
    return out


CANONICAL_KEYS: tuple[str, ...] = tuple(t.key for t in TERMS)

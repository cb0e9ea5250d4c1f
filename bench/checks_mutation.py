"""The mutation benchmark of the cross-checks, run on demand:

    python bench/checks_mutation.py [--mutations 300] [--seed 0] [--reports FILE ...] [--jobs 1] [--json F]

The corpus holds a dozen real errors; this measures the checks on errors nobody chose. Each report with gold
(the shared three and corpus/authored/) is ingested as printed, then again with one printed figure changed in
its text, many times over, and the findings of each changed report are compared with those of the report as
printed. A mutation is one of:

- ``digit``: one digit of a figure replaced by another;
- ``sign``: a figure's sign turned (a minus added or dropped);
- ``transpose``: two adjacent, different digits swapped;
- ``drop_row``: a line of figures left out (a row that is not a total);
- ``total_1000``: a total off by 1 000 (in the table's printed unit);
- ``total_last``: a total off by one in its last printed digit.

The figures changed are the table cells the gold lists, found in the text by their row's label and values
(so the figure changed is the one the gold means, not another occurrence of the same digits). Which figures
belong together is read from the gold too, independently of finsam: each gold total against the rows it
closes (the shortest run back from it that adds up, subtotals standing for their rows), the figures of a row
that add up across it (utfall − budget = avvikelse, ingående + förändring = utgående, kvinnor + män =
totalt), shares against part ÷ base, a figure printed in two tables (a note's total and its statement line),
and the statement identities (the balance sheet balances, equity moves by the result, the cash flow's cash
and working-capital lines against the balance sheet). Only relations that hold in the gold count, within
the rounding of XBRL Calculation 1.1 (each printed figure ± half a unit of its last digit). A mutation is

- ``detectable`` when it breaks at least one of them beyond that rounding;
- ``hidden`` when it changes figures of relations that all still hold within the rounding;
- ``uncovered`` when no relation involves the figure (a figure no total or identity covers).

For a detectable mutation: ``flagged`` when the changed report has an error or warning finding the report
as printed has not; ``at row`` when one of them names the changed row, or the total (or the other side of
the identity) the change breaks, in the gold table that holds it. The rule of that finding is counted.
Also printed: the false errors on the reports as printed (errors that match no gold inconsistency, as
../shared/eval/score.py counts them) and the detectable mutations that were missed.

A text report is ingested in a few tenths of a second (read, extract, repair figures, check: what
``finsam ingest`` does, without the store), so 300 mutations take about two minutes on one core.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import random
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SHARED = REPO.parent / "shared"
REPORTS = (
    (SHARED / "corpus", SHARED / "gold", ("001", "003", "004")),
    (REPO / "corpus" / "authored", REPO / "corpus" / "authored" / "gold", ("005", "006", "007")),
)
MUTATION_TYPES = ("digit", "sign", "transpose", "drop_row", "total_1000", "total_last")
TOTAL_ONLY = ("total_1000", "total_last")
SEVERE = ("error", "warning")
# A figure printed in two tables is taken for one figure only from this size on (two 65s are a coincidence).
MIN_SAME_FIGURE = 10.0
FIGURE_ROLES = ("actual", "budget", "forecast", "variance", "opening", "change", "closing", "count")


def load_scorer():
    path = SHARED / "eval" / "score.py"
    spec = importlib.util.spec_from_file_location("finsam_gold_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- figures as printed in the text ---------------------------------------------------------------------

_TAG = re.compile(r"<[^>]+>")
_FOOTNOTE = re.compile(r"[\u00b9\u00b2\u00b3\u2070-\u209f*]+")
_FIGURE = re.compile(
    r"(?<![\w,.])([-−–+]?)[ \u00a0]?([0-9]{1,3}(?:[ \u00a0][0-9]{3})+|[0-9]+)(,[0-9]+)?(?![\w,])"
)
_NIL = {"-", "–", "—", "−"}


@dataclass(frozen=True)
class Figure:
    """A figure in a tab field of the text: where it is, what it reads as, and how precise it is printed."""

    start: int  # offsets in the field's text
    end: int
    value: float
    decimals: int
    nil: bool = False  # a dash standing for nothing

    @property
    def half(self) -> float:
        return 0.0 if self.nil else 0.5 * 10 ** (-self.decimals)


def read_figure(text: str) -> Figure | None:
    """The one figure a field holds ('4 001 997', '-10 345 000' in italics, '25,00', '100 %', '+4', '-'),
    or None when the field holds words or several figures."""
    bare = _FOOTNOTE.sub("", _TAG.sub("", text)).replace("%", "").strip()
    if bare in _NIL:
        at = text.find(bare)
        return Figure(at, at + len(bare), 0.0, 0, nil=True)
    matches = list(_FIGURE.finditer(text))
    if len(matches) != 1 or not re.fullmatch(r"[-−–+]?[ \u00a0]?[0-9 \u00a0]+(?:,[0-9]+)?", bare):
        return None
    m = matches[0]
    digits = m.group(2).replace(" ", "").replace("\u00a0", "")
    decimals = m.group(3) or ""
    value = float(digits + ("." + decimals[1:] if decimals else ""))
    if m.group(1) in ("-", "−", "–"):
        value = -value
    return Figure(m.start(), m.end(), value, len(decimals) - 1 if decimals else 0)


def format_like(figure_text: str, value: float, decimals: int) -> str:
    """`value` printed the way `figure_text` prints its figure: its minus sign, thousands separator and
    decimals."""
    minus = next((c for c in "-−–" if figure_text.lstrip().startswith(c)), "-")
    grouped = re.search(r"[0-9]([ \u00a0])[0-9]{3}", figure_text)
    separator = grouped.group(1) if grouped else ("" if re.search(r"[0-9]{4}", figure_text) else " ")
    text = f"{abs(value):,.{decimals}f}".replace(",", "\x00").replace(".", ",").replace("\x00", separator)
    return (minus if value < 0 else "+" if figure_text.lstrip().startswith("+") else "") + text


# --- the gold's cells in the text ------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    doc: str
    table: str
    row: int
    column: str


@dataclass
class Site:
    """Where a gold cell is printed: line and tab field of the report text."""

    line: int
    field: int
    figure: Figure


@dataclass
class Report:
    name: str
    path: Path
    gold: dict
    lines: list[str]
    sites: dict[Cell, Site] = field(default_factory=dict)
    cells: int = 0  # cells the gold lists
    baseline: set = field(default_factory=set)
    false_errors: list[dict] = field(default_factory=list)
    relations: list = field(default_factory=list)

    def table(self, table_id: str) -> dict:
        return next(t for t in self.gold["tables"] if t["id"] == table_id)


def _fields(line: str) -> list[str]:
    return line.split("\t")


def _align(values: list[float], figures: list[tuple[int, Figure]]) -> list[int] | None:
    """Field indexes of the values, in order, the rightmost way (a Not column stands left of the figures)."""
    out: list[int] = []
    j = len(figures) - 1
    for v in reversed(values):
        while j >= 0 and abs(figures[j][1].value - v) > 1e-6 * max(1.0, abs(v)):
            j -= 1
        if j < 0:
            return None
        out.append(figures[j][0])
        j -= 1
    return out[::-1]


def _titled(lines: list[str], first: int, gt: dict, scorer, reach: int = 6) -> bool:
    """Is the gold table's title printed in the few lines above its first row?"""
    title = scorer.norm(gt.get("title", ""))
    return bool(title) and any(
        title in scorer.norm(_TAG.sub("", lines[i])) for i in range(max(0, first - reach), first)
    )


def locate(report: Report, scorer) -> None:
    """Find each gold table's rows among the text's lines of tab fields: a line whose first field is the
    row's label and whose figures are the row's values in column order; of the ways to place a table's
    rows in order, the one that places most of them closest together."""
    parsed = []
    for line in report.lines:
        fields = _fields(line)
        if len(fields) < 2:
            parsed.append(None)
            continue
        label = _FOOTNOTE.sub("", _TAG.sub("", fields[0])).strip()
        figures = [(k, f) for k, f in ((k, read_figure(t)) for k, t in enumerate(fields) if k) if f]
        parsed.append((scorer.norm(label), label, figures))
    claimed: set[int] = set()
    for gt in report.gold.get("tables", []):
        order = [c["key"] for c in gt.get("columns", [])]
        candidates = []  # per gold row: [(line, {column: field})]
        for grow in gt.get("rows", []):
            values = grow.get("values", {})
            keys = [k for k in order if isinstance(values.get(k), int | float)] + [
                k for k in values if k not in order and isinstance(values[k], int | float)
            ]
            report.cells += len(values)
            found = []
            if keys:
                want = scorer.norm(grow["label"])
                for i, p in enumerate(parsed):
                    if p is None or not (p[0] == want or scorer.similar(p[1], grow["label"]) >= 0.9):
                        continue
                    at = _align([values[k] for k in keys], p[2])
                    if at is not None:
                        found.append((i, dict(zip(keys, at, strict=True))))
            candidates.append(found)
        best = None
        for r0, cands in enumerate(candidates):
            for anchor in cands:
                placed, last = {r0: anchor}, anchor[0]
                for r in range(r0 + 1, len(candidates)):
                    nxt = next((c for c in candidates[r] if c[0] > last), None)
                    if nxt is not None and nxt[0] - last <= 40:
                        placed[r], last = nxt, nxt[0]
                lines = [c[0] for c in placed.values()]
                # a note repeats lines of its statement: the lines no table took yet, under the table's title
                unclaimed = sum(1 for x in lines if x not in claimed)
                score = (
                    len(placed),
                    unclaimed,
                    _titled(report.lines, anchor[0], gt, scorer),
                    -(last - anchor[0]),
                )
                if best is None or score > best[0]:
                    best = (score, placed)
        for r, (line, at) in (best[1] if best else {}).items():
            claimed.add(line)
            for key, k in at.items():
                figure = read_figure(_fields(report.lines[line])[k])
                report.sites[Cell(report.name, gt["id"], r, key)] = Site(line, k, figure)


# --- what belongs together, read from the gold -----------------------------------------------------------


@dataclass(frozen=True)
class Relation:
    """target = Σ coefficient · part (`kind` sum, row, identity); |target| = |part| (same); target % =
    100 · part ÷ base (share). Built only where it holds in the gold."""

    kind: str
    target: Cell
    parts: tuple[tuple[Cell, float], ...]

    def cells(self) -> set[Cell]:
        return {self.target, *(c for c, _ in self.parts)}


class Figures:
    """The gold's values and their printed precision, with some of them changed (a mutation)."""

    def __init__(self, report: Report, changed: dict[Cell, float | None] | None = None):
        self.report, self.changed = report, changed or {}
        self._tables = {t["id"]: t for t in report.gold.get("tables", [])}

    def value(self, c: Cell) -> float | None:
        if c in self.changed:
            return self.changed[c]
        v = self._tables[c.table]["rows"][c.row].get("values", {}).get(c.column)
        return float(v) if isinstance(v, int | float) else None

    def half(self, c: Cell) -> float:
        if c in self.changed and self.changed[c] is None:
            return 0.0
        if self._exact(c):
            return 0.0
        site = self.report.sites.get(c)
        if site is not None:
            return site.figure.half
        v = self._tables[c.table]["rows"][c.row].get("values", {}).get(c.column)
        text = repr(float(v)) if isinstance(v, int | float) else "0"
        decimals = len(text.split(".")[1].rstrip("0")) if "." in text else 0
        return 0.5 * 10 ** (-decimals)

    def _exact(self, c: Cell) -> bool:
        """Head counts are whole persons, never rounded."""
        table = self._tables[c.table]
        role = next((col.get("role") for col in table.get("columns", []) if col["key"] == c.column), None)
        return role == "count" or table.get("unit") == "count" and role not in ("share", "other")

    def holds(self, rel: Relation) -> bool | None:
        """None when a figure of the relation is gone (its row dropped) and nothing is left to compare."""
        t = self.value(rel.target)
        if t is None:
            return None
        if rel.kind == "share":
            (p, _), (b, _) = rel.parts
            pv, bv = self.value(p), self.value(b)
            if pv is None or bv is None or bv == 0:
                return None
            width = self.half(rel.target) + 100 * (self.half(p) / abs(bv) + abs(pv) * self.half(b) / bv**2)
            return abs(t - 100 * pv / bv) <= width + 1e-9
        total, width = 0.0, self.half(rel.target)
        for c, k in rel.parts:
            v = self.value(c)
            if v is None:
                if rel.kind != "sum":
                    return None
                continue  # a dropped line adds nothing to the total it was part of
            total += k * v
            width += abs(k) * self.half(c)
        if rel.kind == "same":
            return abs(abs(t) - abs(total)) <= width + 1e-9
        return abs(t - total) <= width + 1e-9 * max(1.0, abs(total))


def _has_values(grow: dict) -> bool:
    return any(isinstance(v, int | float) for v in grow.get("values", {}).values())


def _footings(report: Report, gt: dict, figures: Figures) -> list[Relation]:
    """Each total against the rows it closes: the shortest run of rows back from it that adds up, a total
    inside the run standing for the rows it closed; failing that, a result line that adds and subtracts
    subtotals (up to four figures)."""
    out = []
    rows = gt.get("rows", [])
    for col in [c["key"] for c in gt.get("columns", [])]:

        def cell(i: int, col=col) -> Cell:
            return Cell(report.name, gt["id"], i, col)

        consumed: dict[int, int] = {}
        for i, row in enumerate(rows):
            if not row.get("is_total") or figures.value(cell(i)) is None:
                continue
            readings = []
            for start in range(i - 1, -1, -1):
                units, j, ok = [], i - 1, True
                while j >= start:
                    if rows[j].get("is_total") and j in consumed:
                        if consumed[j] < start:
                            ok = False
                            break
                        units.append(j)
                        j = consumed[j] - 1
                        continue
                    if figures.value(cell(j)) is not None:
                        units.append(j)
                    j -= 1
                if ok and units and units not in readings:
                    readings.append(units)
            found = None
            for units in readings:
                rel = Relation("sum", cell(i), tuple((cell(u), 1.0) for u in reversed(units)))
                if figures.holds(rel):
                    found = (rel, units)
                    break
            if found is None:
                for units in readings:
                    if not 2 <= len(units) <= 4 or not any(rows[u].get("is_total") for u in units):
                        continue
                    units_in_order = list(reversed(units))
                    for signs in itertools.product((1.0, -1.0), repeat=len(units) - 1):
                        rel = Relation(
                            "sum",
                            cell(i),
                            ((cell(units_in_order[0]), 1.0),)
                            + tuple((cell(u), s) for u, s in zip(units_in_order[1:], signs, strict=True)),
                        )
                        if figures.holds(rel):
                            found = (rel, units)
                            break
                    if found:
                        break
            if found:
                out.append(found[0])
                consumed[i] = min(consumed.get(u, u) for u in found[1])
            else:
                j = i - 1
                while j >= 0 and not rows[j].get("is_total") and _has_values(rows[j]):
                    j -= 1
                consumed[i] = j + 1
    return out


def _row_identities(report: Report, gt: dict, figures: Figures) -> list[Relation]:
    """Figures of a row that add up across it: a column that is the sum of two others on most rows of the
    table (utfall = budget + avvikelse, utgående = ingående + förändring, totalt = kvinnor + män)."""
    out = []
    rows = gt.get("rows", [])
    keys = [c["key"] for c in gt.get("columns", [])]
    for target in keys:
        for a, b in itertools.combinations([k for k in keys if k != target], 2):
            rels = []
            tried = 0
            for i in range(len(rows)):
                cells = [Cell(report.name, gt["id"], i, k) for k in (target, a, b)]
                values = [figures.value(c) for c in cells]
                if any(v is None for v in values) or not any(values):
                    continue
                tried += 1
                rel = Relation("row", cells[0], ((cells[1], 1.0), (cells[2], 1.0)))
                if figures.holds(rel):
                    rels.append(rel)
            if tried >= 2 and len(rels) >= max(2, 0.6 * tried):
                out += rels
    return out


def _shares(report: Report, gt: dict, figures: Figures) -> list[Relation]:
    """A share column against part ÷ base: part and base in the row, or part in the row and base in the
    table's last total row; the reading most rows agree with."""
    cols = gt.get("columns", [])
    rows = gt.get("rows", [])
    shares = [c["key"] for c in cols if c.get("role") == "share" or "%" in c.get("header", "")]
    totals = [i for i, r in enumerate(rows) if r.get("is_total")]
    out = []
    for s in shares:
        others = [c["key"] for c in cols if c["key"] not in shares]
        readings = [(p, b, None) for p in others for b in others if p != b]
        readings += [(p, p, totals[-1]) for p in others] if totals else []
        best: list[Relation] = []
        for p, b, total_row in readings:
            rels, tried = [], 0
            for i in range(len(rows)):
                if i == total_row:
                    continue
                base_row = i if total_row is None else total_row
                cells = [
                    Cell(report.name, gt["id"], i, s),
                    Cell(report.name, gt["id"], i, p),
                    Cell(report.name, gt["id"], base_row, b),
                ]
                if any(figures.value(c) is None for c in cells) or not figures.value(cells[2]):
                    continue
                tried += 1
                rel = Relation("share", cells[0], ((cells[1], 1.0), (cells[2], 1.0)))
                if figures.holds(rel):
                    rels.append(rel)
            if tried >= 2 and len(rels) >= max(2, 0.6 * tried) and len(rels) > len(best):
                best = rels
        out += best
    return out


def _same_figures(report: Report, figures: Figures, scorer) -> list[Relation]:
    """A figure printed in two tables of one unit, in columns of the same role and year, where the rows say
    so: the same label, a row naming the other table's title (a note's total, a detail table's Summa), or
    a statement line referring to the note."""
    tables = report.gold.get("tables", [])
    out = []
    for ta, tb in itertools.permutations(tables, 2):
        if ta.get("unit") != tb.get("unit"):
            continue
        cols_b = {(c.get("role"), c.get("year")): c["key"] for c in tb.get("columns", [])}
        for ia, ra in enumerate(ta.get("rows", [])):
            for ib, rb in enumerate(tb.get("rows", [])):
                linked = scorer.similar(ra["label"], rb["label"]) >= 0.9 or (
                    rb.get("is_total")
                    and (
                        scorer.similar(ra["label"], tb.get("title", "")) >= 0.8
                        or ra.get("note_ref") is not None
                        and ra.get("note_ref") == tb.get("note_number")
                    )
                )
                if not linked:
                    continue
                for ca in ta.get("columns", []):
                    if ca.get("role") not in FIGURE_ROLES:
                        continue  # shares and targets alike in two tables are two figures
                    kb = cols_b.get((ca.get("role"), ca.get("year")))
                    if kb is None:
                        continue
                    a, b = Cell(report.name, ta["id"], ia, ca["key"]), Cell(report.name, tb["id"], ib, kb)
                    va, vb = figures.value(a), figures.value(b)
                    if va is None or vb is None or abs(va) < MIN_SAME_FIGURE:
                        continue
                    rel = Relation("same", a, ((b, 1.0),))
                    if figures.holds(rel):
                        out.append(rel)
    return out


# The statement identities the gold's tables are checked for: (name, the target line, the lines it is made
# of as (kind, label pattern, year offset, coefficient)). A line is found by its folded label.
STATEMENT_IDENTITIES = (
    (
        "the balance sheet balances",
        ("balansrakning", r"^(summa|s:a) tillgangar$"),
        (("balansrakning", r"^(summa|s:a) eget kapital.*skulder$", 0, 1.0),),
    ),
    (
        "equity moves by the result",
        ("balansrakning", r"^(summa )?eget kapital$"),
        (
            ("balansrakning", r"^(summa )?eget kapital$", -1, 1.0),
            ("resultatrakning", r"^(arets|periodens|periodens/arets) resultat$", 0, 1.0),
        ),
    ),
    (
        "cash at the end",
        ("kassaflodesanalys", r"^likvida medel vid (arets|periodens) slut$"),
        (
            ("kassaflodesanalys", r"^likvida medel vid (arets|periodens) borjan$", 0, 1.0),
            ("kassaflodesanalys", r"^(arets|periodens) kassaflode$", 0, 1.0),
        ),
    ),
    (
        "cash at the end is the balance sheet's",
        ("kassaflodesanalys", r"^likvida medel vid (arets|periodens) slut$"),
        (("balansrakning", r"^(kassa och bank|likvida medel|kassa och banktillgodohavande)$", 0, 1.0),),
    ),
    (
        "cash at the start is last year's",
        ("kassaflodesanalys", r"^likvida medel vid (arets|periodens) borjan$"),
        (("balansrakning", r"^(kassa och bank|likvida medel|kassa och banktillgodohavande)$", -1, 1.0),),
    ),
    (
        "the change of fordringar",
        ("kassaflodesanalys", r"(okning|minskning|forandring).*fordringar$"),
        (
            ("balansrakning", r"^(summa )?(kortfristiga )?fordringar$", -1, 1.0),
            ("balansrakning", r"^(summa )?(kortfristiga )?fordringar$", 0, -1.0),
        ),
    ),
    (
        "the change of skulder",
        ("kassaflodesanalys", r"(okning|minskning|forandring).*kortfristiga skulder$"),
        (
            ("balansrakning", r"^(summa )?kortfristiga skulder$", 0, 1.0),
            ("balansrakning", r"^(summa )?kortfristiga skulder$", -1, -1.0),
        ),
    ),
)


def _statement_identities(report: Report, figures: Figures) -> list[Relation]:
    from finsam.text import fold_label

    def lines(kind: str, pattern: str) -> list[tuple[dict, int]]:
        return [
            (t, i)
            for t in report.gold.get("tables", [])
            if t["kind"] == kind
            for i, r in enumerate(t.get("rows", []))
            if re.search(pattern, fold_label(r["label"])) and _has_values(r)
        ]

    def column(t: dict, year: int | None) -> str | None:
        keys = [c["key"] for c in t.get("columns", []) if c.get("role") == "actual" and c.get("year") == year]
        return keys[0] if len(keys) == 1 else None

    out = []
    for _, (kind, pattern), parts in STATEMENT_IDENTITIES:
        for t, i in lines(kind, pattern):
            for col in t.get("columns", []):
                if col.get("role") != "actual" or col.get("year") is None:
                    continue
                target = Cell(report.name, t["id"], i, col["key"])
                built = []
                for part_kind, part_pattern, offset, k in parts:
                    found = [
                        (pt, j)
                        for pt, j in lines(part_kind, part_pattern)
                        if (pt["id"], j) != (t["id"], i) or offset
                    ]
                    key = column(found[-1][0], col["year"] + offset) if found else None
                    if key is None:
                        break
                    built.append((Cell(report.name, found[-1][0]["id"], found[-1][1], key), k))
                if len(built) != len(parts) or any(figures.value(c) is None for c, _ in built):
                    continue
                if figures.value(target) is None:
                    continue
                kind_of = "same" if len(built) == 1 else "identity"
                rel = Relation(kind_of, target, tuple(built))
                if figures.holds(rel):
                    out.append(rel)
    return out


def relations(report: Report, scorer) -> list[Relation]:
    figures = Figures(report)
    out: list[Relation] = []
    for gt in report.gold.get("tables", []):
        out += _footings(report, gt, figures) + _row_identities(report, gt, figures)
        out += _shares(report, gt, figures)
    out += _same_figures(report, figures, scorer) + _statement_identities(report, figures)
    unique = {}
    for rel in out:
        unique.setdefault((rel.kind, rel.target, frozenset(rel.parts)), rel)
    return list(unique.values())


# --- mutations -------------------------------------------------------------------------------------------


@dataclass
class Mutation:
    kind: str
    report: str
    table: str  # gold table id
    row: int  # gold row index
    column: str | None  # None for a dropped row
    printed: str  # the field (or line) as printed
    mutated: str | None  # the field as changed; None for a dropped line
    line: int
    field: int | None
    changed: dict[Cell, float | None]

    def describe(self, report: Report) -> str:
        t = report.table(self.table)
        label = t["rows"][self.row]["label"]
        where = f"{self.report} {self.table} / {label}" + (f" [{self.column}]" if self.column else "")
        shown = (
            "(line left out)"
            if self.mutated is None
            else f"{self.printed.strip()!r} -> {self.mutated.strip()!r}"
        )
        return f"{self.kind:<10} {where}: {shown}"


def _digit_positions(text: str, figure: Figure) -> list[int]:
    return [i for i in range(figure.start, figure.end) if text[i].isdigit()]


def _mutated_field(kind: str, text: str, figure: Figure, rng: random.Random) -> str | None:
    """The field with its figure changed by `kind`, or None when the change does not apply to it."""
    if figure.nil and kind != "drop_row":
        return None
    digits = _digit_positions(text, figure)
    body = text[figure.start : figure.end]
    if kind == "digit":
        at = rng.choice(digits)
        first = at == digits[0] and len(digits) > 1
        choices = [d for d in "0123456789" if d != text[at] and not (first and d == "0")]
        return text[:at] + rng.choice(choices) + text[at + 1 :]
    if kind == "transpose":
        pairs = [
            (a, b)
            for a, b in itertools.pairwise(digits)
            if text[a] != text[b] and not (a == digits[0] and text[b] == "0")
        ]
        if not pairs:
            return None
        a, b = rng.choice(pairs)
        chars = list(text)
        chars[a], chars[b] = chars[b], chars[a]
        return "".join(chars)
    if kind == "sign":
        if figure.value == 0:
            return None
        stripped = body.lstrip()
        if stripped[0] in "-−–+":
            new = stripped[1:].lstrip()
        else:
            new = "-" + stripped
        return text[: figure.start] + new + text[figure.end :]
    if kind in TOTAL_ONLY:
        step = 1000.0 if kind == "total_1000" else 10.0 ** (-figure.decimals)
        value = figure.value + rng.choice((1, -1)) * step
        return text[: figure.start] + format_like(body, value, figure.decimals) + text[figure.end :]
    return None


def draw(reports: dict[str, Report], n: int, seed: int) -> list[Mutation]:
    """n mutations, the kinds taken in turn, each on a gold cell (or row) drawn at random with `seed`."""
    rng = random.Random(seed)
    sites = sorted(
        ((c, s) for r in reports.values() for c, s in r.sites.items()),
        key=lambda cs: (cs[0].doc, cs[0].table, cs[0].row, cs[0].column),
    )
    by_line: dict[tuple[str, int], list[Cell]] = defaultdict(list)
    for c, s in sites:
        by_line[(c.doc, s.line)].append(c)
    rows = sorted({(c.doc, c.table, c.row, s.line) for c, s in sites})
    out: list[Mutation] = []
    seen: set = set()
    for i in range(n):
        kind = MUTATION_TYPES[i % len(MUTATION_TYPES)]
        for _ in range(200):
            if kind == "drop_row":
                doc, table, row, line = rng.choice(rows)
                if reports[doc].table(table)["rows"][row].get("is_total"):
                    continue
                key = (kind, doc, line)
                if key in seen:
                    continue
                seen.add(key)
                report = reports[doc]
                changed = {c: None for c in by_line[(doc, line)]}
                out.append(
                    Mutation(kind, doc, table, row, None, report.lines[line], None, line, None, changed)
                )
                break
            cell, site = rng.choice(sites)
            report = reports[cell.doc]
            if kind in TOTAL_ONLY and not report.table(cell.table)["rows"][cell.row].get("is_total"):
                continue
            text = _fields(report.lines[site.line])[site.field]
            new = _mutated_field(kind, text, site.figure, rng)
            figure = read_figure(new) if new is not None else None
            if figure is None or figure.value == site.figure.value or (cell.doc, site.line, new) in seen:
                continue
            seen.add((cell.doc, site.line, new))
            changed = {
                c: figure.value for c in by_line[(cell.doc, site.line)] if report.sites[c].field == site.field
            }
            out.append(
                Mutation(
                    kind,
                    cell.doc,
                    cell.table,
                    cell.row,
                    cell.column,
                    text,
                    new,
                    site.line,
                    site.field,
                    changed,
                )
            )
            break
    return out


def mutation(
    reports: dict[str, Report], kind: str, doc: str, table: str, label: str, column: str | None, seed: int = 0
) -> Mutation:
    """The mutation `kind` of one given gold cell (the row's line, for drop_row): for a test, or to look at
    one case again."""
    report = reports[doc]
    row = next(i for i, r in enumerate(report.table(table)["rows"]) if r["label"] == label)
    if kind == "drop_row":
        line = next(s.line for c, s in report.sites.items() if (c.table, c.row) == (table, row))
        changed = {c: None for c, s in report.sites.items() if s.line == line}
        return Mutation(kind, doc, table, row, None, report.lines[line], None, line, None, changed)
    cell = Cell(doc, table, row, column)
    site = report.sites[cell]
    text = _fields(report.lines[site.line])[site.field]
    new = _mutated_field(kind, text, site.figure, random.Random(seed))
    if new is None:
        raise ValueError(f"{kind} does not apply to {text!r}")
    value = read_figure(new).value
    changed = {c: value for c, s in report.sites.items() if (s.line, s.field) == (site.line, site.field)}
    return Mutation(kind, doc, table, row, column, text, new, site.line, site.field, changed)


def mutated_text(report: Report, m: Mutation) -> str:
    lines = list(report.lines)
    if m.mutated is None:
        del lines[m.line]
    else:
        fields = _fields(lines[m.line])
        fields[m.field] = m.mutated
        lines[m.line] = "\t".join(fields)
    return "\n".join(lines)


def classify(report: Report, m: Mutation) -> tuple[str, list[Relation]]:
    """detectable (with the relations it breaks), hidden (by rounding) or uncovered."""
    touched = [r for r in report.relations if r.cells() & set(m.changed)]
    if not touched:
        return "uncovered", []
    figures = Figures(report, m.changed)
    broken = [r for r in touched if figures.holds(r) is False]
    return ("detectable" if broken else "hidden"), broken


# --- ingesting -------------------------------------------------------------------------------------------


def ingest_text(job: tuple[str, str]) -> tuple[list[dict], dict[str, list]]:
    """Read, extract, repair and check one report text as `finsam ingest` does (without the store): the
    findings, and each table's rows (label, figures) by table id."""
    from finsam.model import to_dict
    from finsam.pipeline import process_file

    name, text = job
    with tempfile.TemporaryDirectory(prefix="finsam-mutation-") as tmp:
        path = Path(tmp) / name
        path.write_text(text, encoding="utf-8")
        _, extraction = process_file(path, ocr="never")
    tables = {
        t.id: [(r.label, [v.value for v in r.values.values() if v.value is not None]) for r in t.rows]
        for t in extraction.tables
    }
    return [to_dict(f) for f in extraction.findings], tables


def gold_table_of(rows: list[tuple[str, list[float]]], report: Report, scorer) -> str | None:
    """The gold table an extracted table is: the one most of whose figures it holds under the same label
    (three tables of one report may all have rows Personal, Lokal, Övrigt and Totalt)."""
    have = {(scorer.norm(label), round(v, 6)) for label, values in rows for v in values}
    best, score = None, (0, 0.0)
    for gt in report.gold.get("tables", []):
        want = {
            (scorer.norm(r["label"]), round(float(v), 6))
            for r in gt.get("rows", [])
            for v in r.get("values", {}).values()
            if isinstance(v, int | float)
        }
        found = len(want & have)
        # a note repeats lines of its statement: of two tables holding as many, the one of which more is held
        if found and (found, found / len(want)) > score:
            best, score = gt["id"], (found, found / len(want))
    return best


@dataclass
class Outcome:
    mutation: Mutation
    status: str  # detectable | hidden | uncovered
    flagged: bool = False
    at_row: bool = False
    rule: str | None = None
    rules: list[str] = field(default_factory=list)


def assess(report: Report, m: Mutation, findings: list[dict], tables: dict, scorer) -> Outcome:
    status, broken = classify(report, m)
    new = [
        f
        for f in findings
        if f["severity"] in SEVERE
        and (f["rule"], f["table"], f["row"], f["column"], f["stated"], f["expected"]) not in report.baseline
    ]
    outcome = Outcome(m, status, flagged=bool(new), rules=sorted({f["rule"] for f in new}))
    right = {(m.table, m.row)} if m.mutated is not None else set()
    for rel in broken:
        right.add((rel.target.table, rel.target.row))
        if rel.kind in ("same", "identity", "share", "row"):
            right.update((c.table, c.row) for c, _ in rel.parts)
    labels = {(t, scorer.norm(report.table(t)["rows"][r]["label"])) for t, r in right}
    for f in new:
        gold_table = gold_table_of(tables.get(f["table_id"], []), report, scorer)
        if (gold_table, scorer.norm(f["row"])) in labels:
            outcome.at_row, outcome.rule = True, f["rule"]
            break
    if outcome.rule is None and new:
        outcome.rule = new[0]["rule"]
    return outcome


def load_reports(paths: list[Path] | None, scorer) -> dict[str, Report]:
    reports = {}
    for folder, gold_dir, stems in REPORTS:
        for stem in stems:
            for text_path in sorted(folder.glob(f"{stem}_*.txt")):
                gold_path = gold_dir / f"{text_path.stem}.json"
                if not gold_path.exists() or paths and text_path.resolve() not in paths:
                    continue
                text = text_path.read_text(encoding="utf-8")
                report = Report(
                    text_path.stem[:3], text_path, json.loads(gold_path.read_text("utf-8")), text.split("\n")
                )
                locate(report, scorer)
                report.relations = relations(report, scorer)
                reports[report.name] = report
    return reports


def baseline(reports: dict[str, Report], scorer, pool) -> None:
    """The findings of each report as printed, and its false errors."""
    jobs = [(r.path.name, "\n".join(r.lines)) for r in reports.values()]
    for report, (findings, _) in zip(reports.values(), pool(ingest_text, jobs), strict=True):
        report.baseline = {
            (f["rule"], f["table"], f["row"], f["column"], f["stated"], f["expected"])
            for f in findings
            if f["severity"] in SEVERE
        }
        scored = scorer.score_doc({"findings": findings}, report.gold)
        benign = (
            report.gold.get("inconsistencies", [])
            + report.gold.get("also_acceptable", [])
            + [x for x in report.gold.get("rounding_notes", []) if isinstance(x, dict)]
        )
        if scored["false"]:
            report.false_errors = [
                f
                for f in findings
                if f["severity"] == "error"
                and not any(
                    scorer.flag_matches(f, b) or scorer.similar(f.get("row", ""), b.get("row", "")) >= 0.8
                    for b in benign
                )
            ]


def run(reports: dict[str, Report], mutations: list[Mutation], scorer, jobs: int) -> list[Outcome]:
    if jobs > 1:
        executor = ProcessPoolExecutor(max_workers=jobs)
        pool = executor.map
    else:
        executor, pool = None, map
    try:
        baseline(reports, scorer, pool)
        texts = [(reports[m.report].path.name, mutated_text(reports[m.report], m)) for m in mutations]
        results = list(pool(ingest_text, texts))
    finally:
        if executor is not None:
            executor.shutdown()
    return [
        assess(reports[m.report], m, findings, tables, scorer)
        for m, (findings, tables) in zip(mutations, results, strict=True)
    ]


# --- the report ------------------------------------------------------------------------------------------


def summarize(outcomes: list[Outcome], reports: dict[str, Report]) -> dict:
    def line(group: list[Outcome]) -> dict:
        det = [o for o in group if o.status == "detectable"]
        return {
            "tried": len(group),
            "detectable": len(det),
            "flagged": sum(o.flagged for o in det),
            "at_row": sum(o.at_row for o in det),
            "hidden": sum(o.status == "hidden" for o in group),
            "uncovered": sum(o.status == "uncovered" for o in group),
            "uncovered_flagged": sum(o.flagged for o in group if o.status == "uncovered"),
        }

    by_type = {k: line([o for o in outcomes if o.mutation.kind == k]) for k in MUTATION_TYPES}
    kinds = sorted({reports[o.mutation.report].table(o.mutation.table)["kind"] for o in outcomes})
    by_kind = {
        k: line([o for o in outcomes if reports[o.mutation.report].table(o.mutation.table)["kind"] == k])
        for k in kinds
    }
    rules = Counter(o.rule for o in outcomes if o.status == "detectable" and o.flagged)
    return {
        "total": line(outcomes),
        "by_type": by_type,
        "by_kind": by_kind,
        "rules": dict(rules.most_common()),
        "false_errors": {
            name: [f"{f['rule']}: {f['table']} / {f['row']} ({f['column']})" for f in r.false_errors]
            for name, r in reports.items()
        },
        "missed": [
            o.mutation.describe(reports[o.mutation.report])
            for o in outcomes
            if o.status == "detectable" and not o.flagged
        ],
        "not_at_row": [
            o.mutation.describe(reports[o.mutation.report]) + f"  ({', '.join(o.rules)})"
            for o in outcomes
            if o.status == "detectable" and o.flagged and not o.at_row
        ],
    }


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:5.1f}%" if b else "    –"


def print_summary(s: dict, reports: dict[str, Report], seconds: float, show: int) -> None:
    located = sum(len(r.sites) for r in reports.values())
    cells = sum(r.cells for r in reports.values())
    print(
        f"{len(reports)} reports, {located} of the {cells} gold cells found in the text, "
        f"{sum(len(r.relations) for r in reports.values())} relations that hold in the gold; {seconds:.0f} s"
    )
    head = f"{'':<22} {'tried':>5} {'detect':>6} {'flagged':>7} {'at row':>7} {'hidden':>6} {'uncov':>5}"
    print(head)

    def row(name: str, x: dict) -> None:
        print(
            f"{name:<22} {x['tried']:>5} {x['detectable']:>6} {_pct(x['flagged'], x['detectable']):>7} "
            f"{_pct(x['at_row'], x['detectable']):>7} {x['hidden']:>6} {x['uncovered']:>5}"
        )

    row("all", s["total"])
    for k, x in s["by_type"].items():
        row(f"  {k}", x)
    for k, x in s["by_kind"].items():
        row(f"  {k}", x)
    print("flagged by: " + ", ".join(f"{k} {v}" for k, v in s["rules"].items()))
    total = s["total"]
    print(f"uncovered mutations flagged all the same: {total['uncovered_flagged']} of {total['uncovered']}")
    false = {k: v for k, v in s["false_errors"].items() if v}
    print(f"false errors on the reports as printed: {sum(len(v) for v in false.values())}")
    for name, items in false.items():
        for item in items:
            print(f"  {name} {item}")
    for title, items in (("missed", s["missed"]), ("flagged, not at the row", s["not_at_row"])):
        if items:
            print(f"{title} ({len(items)}):")
            for item in items[:show]:
                print(f"  {item}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mutations", type=int, default=300, help="how many mutations (default 300)")
    ap.add_argument("--seed", type=int, default=0, help="the seed that draws them (default 0)")
    ap.add_argument("--reports", nargs="*", type=Path, help="report texts with gold (default: all six)")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    ap.add_argument("--show", type=int, default=40, help="missed mutations listed (default 40)")
    ap.add_argument("--json", type=Path, help="write the summary here")
    args = ap.parse_args(argv)
    if not (SHARED / "eval" / "score.py").exists():
        print("checks_mutation: ../shared/eval/score.py is missing", file=sys.stderr)
        return 3
    scorer = load_scorer()
    start = time.perf_counter()
    reports = load_reports([p.resolve() for p in args.reports] if args.reports else None, scorer)
    mutations = draw(reports, args.mutations, args.seed)
    outcomes = run(reports, mutations, scorer, args.jobs)
    summary = summarize(outcomes, reports)
    print(f"seed {args.seed}: {len(mutations)} mutations")
    print_summary(summary, reports, time.perf_counter() - start, args.show)
    if args.json:
        summary["seed"], summary["mutations"] = args.seed, len(mutations)
        args.json.write_text(json.dumps(summary, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

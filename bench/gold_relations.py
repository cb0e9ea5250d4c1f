"""What the mutation benchmark (bench/checks_mutation.py) reads from a report and its gold, independently of
finsam: the printed figures of the gold's cells, found in the report's text by their row's label and values
(`locate`), and the relations between them that hold in the gold (`relations`): each total against the rows
it closes, the figures of a row that add up across it, shares against part ÷ base, a figure printed in two
tables, and the statement identities, all within the rounding of XBRL Calculation 1.1.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

# A figure printed in two tables is taken for one figure only from this size on (two 65s are a coincidence).
MIN_SAME_FIGURE = 10.0
FIGURE_ROLES = ("actual", "budget", "forecast", "variance", "opening", "change", "closing", "count")


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


def fields_of(line: str) -> list[str]:
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
        fields = fields_of(line)
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
                figure = read_figure(fields_of(report.lines[line])[k])
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

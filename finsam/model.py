"""The small data model every stage of the pipeline shares.

source file ──parsers──▶ ParsedDocument (pages of positioned words)
            ──extractor──▶ Extraction (metadata, tables, goals)
            ──normalized──▶ findings, SQLite rows

Everything here is a plain dataclass so it pickles across worker processes and serialises to JSON.
Define these records here only; every module imports them from this one place.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# Source kinds of a document (documents.source_kind in the store).
SOURCE_KINDS = ("text", "pdf_text", "pdf_ocr", "image_ocr")
# How one page's text was obtained (pages.text_source in the store).
PAGE_SOURCES = ("text", "pdf_text", "ocr")
DOC_TYPES = ("arsredovisning", "verksamhetsplan", "delarsrapport")
# Kinds of tables whose figures are money (kr, tkr, mkr), then the others.
MONEY_KINDS = (
    "resultatrakning",
    "balansrakning",
    "kassaflodesanalys",
    "note",
    "budget",
    "budget_outcome",
    "member_contributions",
)
TABLE_KINDS = MONEY_KINDS + ("goals", "participants", "survey", "other")
COLUMN_ROLES = (
    "actual",  # utfall, bokslut, årets siffror
    "budget",
    "forecast",  # prognos
    "variance",  # avvikelse
    "share",  # andel (%)
    "opening",  # ingående balans
    "change",  # period / förändring
    "closing",  # utgående balans
    "target",  # mål
    "result",  # resultat
    "count",  # antal
    "other",
)
UNITS = ("kr", "tkr", "mkr", "count", "percent", "mixed")
# Multiplier from a table unit to kronor; count/percent/mixed have none.
UNIT_TO_KR = {"kr": 1.0, "tkr": 1000.0, "mkr": 1_000_000.0}
SEVERITIES = ("error", "warning", "info")


@dataclass
class Word:
    """One word on a page, with its box in PDF points (top-left origin) and, for OCR, its confidence."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    conf: float | None = None  # Tesseract confidence 0..100; None for a text layer
    raw: str | None = None  # the word before repair, when repair changed it


@dataclass
class Cell:
    """A run of words on one line separated from its neighbours by a column gap (or a tab in text input)."""

    text: str
    x0: float
    x1: float
    words: list[Word] = field(default_factory=list)


@dataclass
class Line:
    """One visual line of a page. For text input x0/x1 are character offsets and cells are the tab fields."""

    page: int
    index: int
    cells: list[Cell]
    top: float = 0.0
    bottom: float = 0.0

    @property
    def text(self) -> str:
        return "\t".join(c.text for c in self.cells)

    @property
    def words(self) -> list[Word]:
        return [w for c in self.cells for w in c.words]


@dataclass
class PageQuality:
    """What we know about how trustworthy a page's text is."""

    mangled: bool = False  # looks like an English-model OCR of Swedish
    mangle_score: float = 0.0  # share of words that look damaged (see parsers.quality)
    ocr_confidence: float | None = None  # mean word confidence when OCR'd
    repaired_words: int = 0


@dataclass
class Rule:
    """A ruled line found in a page image (a table's grid), in PDF points (top-left origin): from (x0, y0) to
    (x1, y1), which may be slightly skewed on a scan, `width` thick. orientation "h" (horizontal) or "v"."""

    orientation: str
    x0: float
    y0: float
    x1: float
    y1: float
    width: float = 0.0


@dataclass
class Page:
    number: int  # 1-based
    text: str  # the page text; table cells tab-separated, lines newline-separated
    lines: list[Line]
    text_source: str = "text"  # one of PAGE_SOURCES
    width: float | None = None
    height: float | None = None
    quality: PageQuality = field(default_factory=PageQuality)
    raw_text: str | None = None  # the text before repair, when repair changed it
    rules: list[Rule] = field(default_factory=list)  # table rules found in the page image (OCR'd pages only)
    # the words as the store keeps them (JSON), where a worker hands the page back without its lines
    words_json: str | None = None


@dataclass
class ParsedDocument:
    """What parsers/ hands to extractor/: a document's pages, nothing interpreted yet."""

    path: str
    sha256: str
    source_kind: str  # one of SOURCE_KINDS
    pages: list[Page]
    size_bytes: int = 0
    warnings: list[str] = field(default_factory=list)
    failed_pages: list[int] = field(default_factory=list)  # pages that could not be read: a partial document

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.pages)


@dataclass
class DocumentMeta:
    federation: str | None = None  # full name as printed, e.g. "Samordningsförbundet Östra Södertörn"
    doc_type: str | None = None  # one of DOC_TYPES
    fiscal_year: int | None = None
    period_start: str | None = None  # ISO date
    period_end: str | None = None
    members: list[str] = field(default_factory=list)


@dataclass
class Column:
    key: str  # unique within the table, e.g. "c2016", "utfall"
    header: str  # as printed
    role: str = "other"  # one of COLUMN_ROLES
    year: int | None = None
    period_start: str | None = None  # ISO date, when the header states a period ("jan-aug")
    period_end: str | None = None
    unit: str | None = None  # when a column has its own unit (e.g. share in %, amounts in kr)


@dataclass
class Value:
    """One table cell: the number as printed and as read."""

    raw: str  # the cell text exactly as it came from the page
    value: float | None  # parsed number in the table's (or column's) unit; None when not a number
    repaired: bool = False  # the reading differs from the raw text (OCR number repair)
    uncertain: bool = False  # the reading could not be confirmed (by totals or identities)
    confidence: float | None = None  # OCR: the least word confidence of the cell's words


@dataclass
class Row:
    label: str  # cleaned label: multi-line joined, footnote marks stripped, spelling repaired
    label_raw: str  # as printed
    values: dict[str, Value] = field(default_factory=dict)  # column key -> value
    canonical: str | None = None  # vocabulary key (finsam.vocabulary), None when unknown
    is_total: bool = False
    level: int = 0  # hierarchy depth: 0 top, 1 sub-row ("- Case manager"), ...
    parent: int | None = None  # index of the heading/parent row in Table.rows
    section: str | None = None  # sub-heading the row stands under ("Tillgångar", "Kortfristiga skulder")
    note_ref: int | None = None  # the statement's Not column
    page: int | None = None

    def number(self, key: str) -> float | None:
        v = self.values.get(key)
        return v.value if v else None


@dataclass
class Table:
    kind: str  # one of TABLE_KINDS
    title: str
    columns: list[Column]
    rows: list[Row]
    unit: str | None = None  # one of UNITS
    note_number: int | None = None
    page: int | None = None
    page_end: int | None = None
    id: str | None = None  # short id unique in the document, filled by the extractor
    # Why the columns cannot be trusted (a header unread, two columns alike), one reason each; empty when they
    # can (extractor.certainty)
    uncertain: list[str] = field(default_factory=list)

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)


@dataclass
class Goal:
    insats: str | None
    goal: str
    target_value: float | None = None
    target_unit: str | None = None  # count | percent | kr | tkr | None
    result: str | None = None
    result_value: float | None = None
    fulfilment: str | None = None  # "God", "Godtagbart", "Mycket god", "Uppfyllt", ...
    page: int | None = None
    section: str | None = None


@dataclass
class Finding:
    rule: str  # e.g. column_sum, row_arithmetic, statement_identity, note_tie_out, cross_table, percent, sign
    severity: str  # one of SEVERITIES
    message: str
    table: str | None = None  # table title (or id)
    row: str | None = None  # row label
    column: str | None = None  # column key or header
    stated: float | None = None
    expected: float | None = None
    difference: float | None = None
    page: int | None = None
    table_id: str | None = None
    # Set by checks across documents: indexes into the list of documents given to the check.
    document_index: int | None = None
    other_document_index: int | None = None


@dataclass
class Extraction:
    """What extractor/ hands to normalized/: everything read out of one document."""

    meta: DocumentMeta
    tables: list[Table] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def to_dict(obj: Any) -> Any:
    """A dataclass (or list of them) as plain JSON-ready data."""
    if isinstance(obj, list):
        return [to_dict(o) for o in obj]
    return asdict(obj)

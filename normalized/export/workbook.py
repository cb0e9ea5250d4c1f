"""The XLSX export (openpyxl): one workbook with a "Documents" sheet, a "Tables" sheet listing every table
with a link to its sheet, a "Findings" sheet whose errors are filled red and warnings yellow, a "Goals"
sheet, and one sheet per extracted table laid out as the report prints it: the row labels, then one column
per table column under its header, role, year and unit. Figures are numbers, never text, each with the
number format that shows it as printed ('5 115,9' → '#,##0.0', which Swedish Excel shows as 5 115,9; '37 %'
→ 37 with '0" %"', not 0.37), a repaired or unsure reading carries a comment with the text as printed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from finsam import __version__
from finsam.model import Value
from normalized.export.destination import atomic_write, prepare_file
from normalized.export.records import (
    DOCUMENT_CONTEXT,
    DOCUMENT_FIELDS,
    FINDING_FIELDS,
    GOAL_FIELDS,
    TABLE_FIELDS,
    context,
    document_records,
    finding_records,
    goal_records,
    plain_number,
    table_record,
)
from normalized.number_repair import column_precision
from normalized.rules.base import decimals

LIST_SHEETS = ("Documents", "Tables", "Findings", "Goals")
MAX_SHEET_NAME = 31  # Excel's limit
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
# fields of the list sheets that hold figures (shown with their decimals); ids, years and pages stay plain
FIGURE_FIELDS = frozenset({"stated", "expected", "difference", "target_value", "result_value"})
SEVERITY_FILLS = {
    "error": PatternFill("solid", fgColor="FFC7CE"),
    "warning": PatternFill("solid", fgColor="FFF2CC"),
}
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
QUIET = Font(italic=True, color="666666")
LINK = Font(color="0563C1", underline="single")
MAX_WIDTH = 60


def write_xlsx(export: dict[str, Any], path: str | Path) -> Path:
    """Write the export (`Store.export`) as one workbook at `path` (replaced when it exists). Raises
    ExportError, before writing anything, when `path` cannot be written."""
    path = prepare_file(Path(path), example="finsam.xlsx")
    workbook = build_workbook(export)
    with atomic_write(path) as temporary:
        workbook.save(temporary)
    return path


def build_workbook(export: dict[str, Any]) -> Workbook:
    wb = Workbook()
    wb.properties.creator = f"finsam {__version__}"
    taken = {name.casefold() for name in (*LIST_SHEETS, "History")}  # Excel keeps "History" for itself
    sheets: dict[tuple[int, str], str] = {}  # (document id, table key) → sheet name
    for d in export["documents"]:
        for t in d["tables"]:
            sheets[d["id"], t["id"]] = sheet_name(table_sheet_base(d["id"], t), taken)

    documents = wb.active
    documents.title = "Documents"
    list_sheet(documents, DOCUMENT_FIELDS, document_records(export))
    tables = [
        {**context(d), **table_record(t), "rows": len(t["rows"]), "sheet": sheets[d["id"], t["id"]]}
        for d in export["documents"]
        for t in d["tables"]
    ]
    list_sheet(
        wb.create_sheet("Tables"),
        ("sheet", *DOCUMENT_CONTEXT, *TABLE_FIELDS, "rows"),
        tables,
        links=lambda r: r["sheet"],
        link_field="sheet",
    )
    printed = printed_figures(export)
    list_sheet(
        wb.create_sheet("Findings"),
        FINDING_FIELDS,
        finding_records(export),
        links=lambda r: sheets.get((r["document_id"], r["table_key"])),
        link_field="table_title",
        fills=lambda r: SEVERITY_FILLS.get(r["severity"]),
        printed=lambda r: printed.get((r["document_id"], r["table_key"], r["row"], r["column"])),
    )
    list_sheet(wb.create_sheet("Goals"), GOAL_FIELDS, goal_records(export))
    for d in export["documents"]:
        for t in d["tables"]:
            table_sheet(wb.create_sheet(sheets[d["id"], t["id"]]), d, t)
    return wb


def printed_figures(export: dict[str, Any]) -> dict[tuple, str]:
    """(document id, table key, row label, column key) → the cell as printed: what a finding names."""
    found: dict[tuple, str] = {}
    for d in export["documents"]:
        for t in d["tables"]:
            for row in t["rows"]:
                for key, raw in row["raw"].items():
                    found.setdefault((d["id"], t["id"], row["label"], key), raw)
    return found


# --- names and formats ------------------------------------------------------------------------------------


def table_sheet_base(document_id: int, table: dict[str, Any]) -> str:
    """'003 Resultaträkning', '003 Not 4 Verksamhetens kostnader': the document, then the table as titled."""
    title = table["title"] or table["kind"]
    if table["note_number"] is not None and not title.casefold().startswith("not"):
        title = f"Not {table['note_number']} {title}"
    return f"{document_id:03d} {title}"


def sheet_name(base: str, taken: set[str]) -> str:
    """A name Excel accepts, unique (in any case) among `taken`, which it joins: at most 31 characters,
    none of []:*?/\\, no apostrophe at either end; a name taken gets ' (2)', ' (3)', …"""
    cleaned = " ".join(_NOT_IN_SHEET_NAMES.sub(" ", ILLEGAL_CHARACTERS_RE.sub("", base)).split())
    name = cleaned[:MAX_SHEET_NAME].strip(" '") or "Table"
    candidate, n = name, 1
    while candidate.casefold() in taken:
        n += 1
        suffix = f" ({n})"
        candidate = name[: MAX_SHEET_NAME - len(suffix)].rstrip(" '") + suffix
    taken.add(candidate.casefold())
    return candidate


def figure_format(places: int) -> str:
    """Thousands grouped, `places` decimals: '#,##0.0', which Swedish Excel shows as 5 115,9."""
    return "#,##0" + ("." + "0" * places if places else "")


def number_format(raw: str | None, places: int | None = None) -> str:
    """The number format that shows a figure as printed: its decimals ('5 115,9' → '#,##0.0'; `places`
    where the reading has other decimals than the print), a percent sign as a sign and not a times 100
    ('37 %' → '#,##0" %"'), negatives in brackets where it prints them, a nil dash as the dash."""
    text = (raw or "").strip()
    figure = figure_format(decimals(Value(text, None)) if places is None else places)
    if text.endswith("%"):
        figure += '" %"' if text[:-1].endswith(" ") else '"%"'
    if not any(ch.isdigit() for ch in text):
        return f'{figure};-{figure};"{text}"' if text and '"' not in text else figure
    if text.startswith("(") and text.endswith(")"):
        return f"{figure};({figure})"
    return figure


def value_format(value: float, printed: str | None = None) -> str:
    """The format of a figure computed from printed ones (a finding's expected sum, its difference): the
    decimals of the figure it is about as printed (`printed`), or more where it has them."""
    _, _, fraction = plain_number(value).partition(".")
    return figure_format(max(len(fraction), decimals(Value(printed or "", None))))


# --- sheets -----------------------------------------------------------------------------------------------


def put(ws: Worksheet, row: int, column: int, value: Any, number_format: str | None = None) -> Cell:
    """Write one cell: text without the characters XLSX cannot hold, and never read as a formula."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value) or None  # an empty cell, not an empty text
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl takes text starting with '=' for a formula
    if number_format:
        cell.number_format = number_format
    return cell


def list_sheet(
    ws: Worksheet,
    fields: tuple[str, ...],
    records,
    links=None,
    link_field: str | None = None,
    fills=None,
    printed=None,
) -> None:
    """A header row of `fields`, one row per record; `links(record)` names a sheet that `link_field`'s cell
    links to, `fills(record)` a fill for the whole row, `printed(record)` the printed figure whose decimals
    its figures show."""
    for column, name in enumerate(fields, 1):
        put(ws, 1, column, name).font = BOLD
    widths = [len(name) for name in fields]
    for row, record in enumerate(records, 2):
        fill = fills(record) if fills else None
        target = links(record) if links else None
        like = printed(record) if printed else None
        for column, name in enumerate(fields, 1):
            value = record.get(name)
            if isinstance(value, bool):
                value = int(value)
            figure = name in FIGURE_FIELDS and isinstance(value, int | float)
            cell = put(ws, row, column, value, value_format(value, like) if figure else None)
            if fill:
                cell.fill = fill
            if target and name == link_field:
                cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"{quote_sheet(target)}!A1")
                cell.font = LINK
            widths[column - 1] = max(widths[column - 1], len(str(value)) if value is not None else 0)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(fields))}{max(ws.max_row, 1)}"
    for column, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(column)].width = min(width + 2, MAX_WIDTH)


def table_sheet(ws: Worksheet, document: dict[str, Any], table: dict[str, Any]) -> None:
    """The table as printed: title and where it is from, then header, role, year and unit rows over the
    columns, then its rows; totals bold, sub-rows indented, the label column and header rows frozen."""
    put(ws, 1, 1, table["title"] or table["kind"]).font = TITLE
    pages = f"{table['page']}" + (
        f"–{table['page_end']}" if table["page_end"] not in (None, table["page"]) else ""
    )
    where = (
        f"{document['federation'] or '?'}, {document['doc_type'] or '?'} {document['fiscal_year'] or '?'}"
        f" · {document['source']}, page {pages} · table {table['id']} ({table['kind']})"
        f" · unit {table['unit'] or '?'}"
    )
    put(ws, 2, 1, where).font = QUIET
    if table["uncertain"]:
        reasons = "; ".join(map(str, table["uncertain"]))
        put(ws, 3, 1, f"Columns not read with confidence: {reasons}").font = QUIET

    has_notes = any(r["note_ref"] is not None for r in table["rows"])
    first = 3 if has_notes else 2  # first column of figures
    header_rows = {"header": 4, "role": 5, "year": 6, "unit": 7}
    top = 8
    for label, row in header_rows.items():
        if label != "header":
            put(ws, row, 1, label).font = QUIET
    if has_notes:
        put(ws, header_rows["header"], 2, "Not").font = BOLD
    widths = {1: 10, 2: 4}
    # a cell of a column the table does not list (none in the corpus) gets a column of its own after them
    listed = {c["key"] for c in table["columns"]}
    unlisted = sorted({k for r in table["rows"] for k in r["raw"] if k not in listed})
    blank = {"header": None, "role": None, "year": None, "unit": None}
    all_columns = [*table["columns"], *({**blank, "key": k, "header": k} for k in unlisted)]
    for i, column in enumerate(all_columns):
        at = first + i
        header = put(ws, header_rows["header"], at, column["header"])
        header.font = BOLD
        header.alignment = Alignment(wrap_text=True, horizontal="right", vertical="bottom")
        for label in ("role", "year", "unit"):
            value = column[label] if label != "unit" else column["unit"] or table["unit"]
            cell = put(ws, header_rows[label], at, value)
            cell.font = QUIET
            cell.alignment = Alignment(horizontal="right")
        widths[at] = min(len(column["header"] or ""), 14)

    columns = {c["key"]: first + i for i, c in enumerate(all_columns)}
    for offset, row in enumerate(table["rows"]):
        at = top + offset
        label = put(ws, at, 1, row["label"])
        label.alignment = Alignment(indent=row["level"] or 0)
        if row["is_total"]:
            label.font = BOLD
        widths[1] = max(widths[1], len(row["label"] or "") + (row["level"] or 0))
        if has_notes and row["note_ref"] is not None:
            put(ws, at, 2, row["note_ref"])
        flagged = {"repaired": row.get("repaired", []), "uncertain": row.get("uncertain", [])}
        for key, raw in row["raw"].items():
            value = row["values"].get(key)
            if value is not None:
                # a repaired figure ('51159' read 5115,9) has the decimals of its column, which it lost
                places = column_places(table, key) if key in flagged["repaired"] else None
                cell = put(ws, at, columns[key], value, number_format(raw, places))
            else:
                cell = put(ws, at, columns[key], raw)
                cell.alignment = Alignment(horizontal="right")
            if row["is_total"]:
                cell.font = BOLD
            notes = [f"{what}: printed '{raw}'" for what, keys in flagged.items() if key in keys]
            if notes:
                cell.comment = Comment("; ".join(notes), f"finsam {__version__}")
            widths[columns[key]] = max(widths.get(columns[key], 0), len(raw or ""))
    ws.freeze_panes = ws.cell(row=top, column=first)
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = min(width + 2, MAX_WIDTH)


def column_places(table: dict[str, Any], key: str) -> int:
    """The decimals most of a column's figures print (normalized.number_repair reads repairs with it)."""
    printed = [Value(r["raw"][key], None) for r in table["rows"] if r["raw"].get(key)]
    return column_precision(printed) or 0


def quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"

"""The CSV export: a folder of files, one per table kind (`note.csv`, `resultatrakning.csv`, …) in long form,
one row per cell, plus `documents.csv`, `findings.csv` and `goals.csv` (normalized.export.records gives the
rows). Every kind a table may have gets its file, with its header only when the store holds none, so a
script reading the folder finds the same files every time.

Files are RFC 4180 CSV (comma-separated, CRLF line ends) in UTF-8 with a byte-order mark: without it Excel,
the analysts' tool, reads the file as the Windows code page and prints "Ã–stra" for "Östra"; Python
(`utf-8-sig`), pandas and R read the mark as what it is. Numbers are written with a decimal point and no
thousands separators ("-19794180", "5115.9"), flags as 1 or 0, nothing for a missing value. The same store
gives the same bytes.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from normalized.export.destination import atomic_write, prepare_folder
from normalized.export.records import (
    CELL_FIELDS,
    DOCUMENT_FIELDS,
    FINDING_FIELDS,
    GOAL_FIELDS,
    Record,
    cell_records,
    document_records,
    finding_records,
    goal_records,
    plain_number,
    table_kinds,
)

ENCODING = "utf-8-sig"
# the files beside the table kinds' own: each name, its fields and its records
LIST_FILES = {
    "documents": (DOCUMENT_FIELDS, document_records),
    "findings": (FINDING_FIELDS, finding_records),
    "goals": (GOAL_FIELDS, goal_records),
}


def kind_file(kind: str) -> str:
    """The file name (less .csv) of a table kind's cells: the kind, but 'goals_tables' for the cells of the
    goal tables, whose name goals.csv (the goals read from them) already has."""
    return f"{kind}_tables" if kind in LIST_FILES else kind


def csv_text(value: Any) -> str:
    """A field as written: 5115.9 → '5115.9', 18064870.0 → '18064870', True → '1', None → ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return plain_number(value)
    return str(value)


def write_csv(export: dict[str, Any], folder: str | Path) -> list[Path]:
    """Write the export (`Store.export`) as CSV files into `folder`, created when missing: documents.csv,
    one file per table kind, findings.csv, goals.csv. Returns the files written, in that order. Raises
    ExportError, before writing anything, when `folder` cannot be one."""
    folder = prepare_folder(Path(folder))
    lists = {name: (fields, records(export)) for name, (fields, records) in LIST_FILES.items()}
    files: list[tuple[str, tuple[str, ...], Iterable[Record]]] = [
        ("documents", *lists.pop("documents")),
        *((kind_file(kind), CELL_FIELDS, cell_records(export, kind)) for kind in table_kinds(export)),
        *((name, *rest) for name, rest in lists.items()),
    ]
    written = []
    for name, fields, records in files:
        path = folder / f"{name}.csv"
        with atomic_write(path) as temporary, temporary.open("w", encoding=ENCODING, newline="") as f:
            writer = csv.writer(f)
            writer.writerow(fields)
            writer.writerows([csv_text(r.get(k)) for k in fields] for r in records)
        written.append(path)
    return written

"""Exports for analysts beside the JSON of the export contract: a folder of CSV files in long form
(normalized.export.csvdir) and an XLSX workbook with a sheet per table as the report prints it
(normalized.export.workbook), both made from `Store.export` through the flat records of
normalized.export.records and written only where normalized.export.destination finds they can be.

    from normalized.export import write_csv, write_xlsx
    data = store.export(federation="botkyrka", year=2018)
    write_csv(data, "out/")  # documents.csv, note.csv, …, findings.csv, goals.csv
    write_xlsx(data, "botkyrka-2018.xlsx")
"""

from normalized.export.csvdir import write_csv
from normalized.export.records import ExportCounts, counts
from normalized.export.workbook import write_xlsx

__all__ = ["ExportCounts", "counts", "write_csv", "write_xlsx"]

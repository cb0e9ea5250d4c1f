"""The commands that answer an analyst from the store: export, check, diff, series, serve."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import click

from finsam.cli.common import (
    DB_OPTION,
    FEDERATION_OPTION,
    REPORT_FORMAT_OPTION,
    YEAR_OPTION,
    echo_result,
    filter_text,
    open_existing,
    write_json,
)
from finsam.errors import ExitCode
from finsam.model import COLUMN_ROLES


@click.command()
@DB_OPTION
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv", "xlsx"]),
    default="json",
    show_default=True,
    help="json: the export contract (README), to stdout or --output; csv: a folder of CSV files, one per "
    "table kind in long form (one row per cell) plus documents.csv, findings.csv and goals.csv; xlsx: one "
    "workbook, a sheet per table as printed plus Documents, Tables, Findings and Goals.",
)
@click.option("--with-text", is_flag=True, help="Include every page's text (json only).")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    default="-",
    help="JSON output file (default stdout).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    metavar="DIR|FILE",
    default=None,
    help="Where to write: for csv a folder (created when missing), for xlsx the workbook file, for json "
    "the same as --output. Files there of the same names are replaced.",
)
@FEDERATION_OPTION
@YEAR_OPTION
def export(db_path, fmt, with_text, output, out, federation, year) -> None:
    """Export the store: documents with metadata, tables, goals and findings.

    With --federation or --year only the documents that match (and no failed files: they have neither).
    """
    from finsam.errors import ExportError
    from normalized.export import counts, write_csv, write_xlsx

    if fmt != "json" and out is None:
        where = "DIR (a folder for its files)" if fmt == "csv" else "FILE (the workbook, e.g. finsam.xlsx)"
        raise ExportError(f"--format {fmt} needs --out {where}")
    if fmt != "json" and with_text:
        raise ExportError("--with-text is for --format json only")
    if out is not None and output != "-":
        raise ExportError("give --output or --out, not both")
    store = open_existing(db_path)
    data = store.export(with_text=with_text, federation=federation, year=year)
    found = counts(data)
    if fmt == "json":
        destination = out if out is not None else Path(output)
        write_json(data, None if str(destination) == "-" else destination)
        done = ""
    elif fmt == "csv":
        files = write_csv(data, out)
        done = (
            f"{len(files)} CSV files ({found.cells} cells of {found.tables} tables, "
            f"{found.findings} findings, {found.goals} goals) → {out}"
        )
    else:
        write_xlsx(data, out)
        done = f"{found.tables} table sheets, {found.findings} findings, {found.goals} goals → {out}"
    if not found.documents:
        nothing = (
            f"no documents matched {filter_text(federation, year)}"
            if federation or year is not None
            else "the store holds no documents"
        )
        click.echo(
            f"finsam: {nothing}: " + (f"headers only → {out}" if done else "the export is empty"), err=True
        )
    elif done:
        click.echo(done, err=True)


@click.command()
@DB_OPTION
@FEDERATION_OPTION
@YEAR_OPTION
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True
)
@click.option(
    "--severity",
    type=click.Choice(["error", "warning", "info"]),
    default="info",
    show_default=True,
    help="Lowest severity shown.",
)
def check(db_path, federation, year, fmt, severity) -> None:
    """Re-run the cross-checks on stored documents and report what does not add up.

    Exit status 1 when any error is found, so it can gate a pipeline.
    """
    from finsam.pipeline import refresh_cross_document_findings
    from normalized.checks import check_document, format_findings_text, soften_ocr_findings

    store = open_existing(db_path, write=True)
    docs = store.documents(federation, year)
    for d in docs:
        tables = store.load_tables(d["id"])
        found = check_document(tables, store.load_meta(d["id"]))
        store.replace_findings(d["id"], soften_ocr_findings(found, store.ocr_pages(d["id"]), tables))
    refresh_cross_document_findings(store)
    ranks = {"error": 0, "warning": 1, "info": 2}
    by_doc = []
    for d in docs:
        found = [f for f in store.document_export(d)["findings"] if ranks[f["severity"]] <= ranks[severity]]
        by_doc.append((d, found))
    if fmt == "json":
        click.echo(
            json.dumps(
                [
                    {
                        "document": d["source_name"],
                        "federation": d["federation"],
                        "fiscal_year": d["fiscal_year"],
                        "findings": f,
                    }
                    for d, f in by_doc
                ],
                ensure_ascii=False,
                indent=1,
            )
        )
    elif fmt == "csv":
        buf = io.StringIO()
        cols = [
            "document",
            "federation",
            "fiscal_year",
            "page",
            "severity",
            "rule",
            "table",
            "row",
            "column",
            "stated",
            "expected",
            "difference",
            "message",
        ]
        w = csv.DictWriter(buf, cols, extrasaction="ignore")
        w.writeheader()
        for d, found in by_doc:
            for f in found:
                w.writerow(
                    {
                        **f,
                        "document": d["source_name"],
                        "federation": d["federation"],
                        "fiscal_year": d["fiscal_year"],
                    }
                )
        click.echo(buf.getvalue(), nl=False)
    else:
        click.echo(format_findings_text(by_doc))
    errors = sum(1 for _, found in by_doc for f in found if f["severity"] == "error")
    sys.exit(ExitCode.findings_errors if errors else ExitCode.ok)


@click.command()
@DB_OPTION
@click.option(
    "--federation",
    required=True,
    help="The federation: its name in any spelling `finsam federations` knows, a part that tells it apart "
    "('botkyrka', 'vindel') or its id. A name that could be several is refused, naming them.",
)
@click.option("--from", "from_year", type=int, required=True, metavar="YEAR", help="The year compared from.")
@click.option("--to", "to_year", type=int, required=True, metavar="YEAR", help="The year compared to.")
@REPORT_FORMAT_OPTION
def diff(db_path, federation, from_year, to_year, fmt) -> None:
    """Compare a federation's figures of two years, line by line, across all its reports.

    Lines are paired by canonical key (by label where a line has none); a report's prior-year column is a
    source for that year. Shown: the change in kronor and per cent, the lines that appeared or vanished,
    and every figure two documents state differently for one year (a restated prior-year column, a
    verksamhetsplan's budget against the årsredovisning's), each with its document, table and page.
    """
    from normalized.diff import CSV_FIELDS, compare_years

    result = compare_years(open_existing(db_path), federation, from_year, to_year)
    echo_result(result, fmt, CSV_FIELDS)
    if not result.lines:
        click.echo(f"finsam: {result.federation} has no figures for {from_year} or {to_year}", err=True)


@click.command()
@DB_OPTION
@click.option(
    "--canonical",
    "key",
    metavar="KEY",
    help="The canonical key of the figure ('member_contribution_state'; `finsam keys --all` lists them). "
    "With --member it may be left out, or be the beginning of the member's key ('member_contribution').",
)
@click.option(
    "--member",
    metavar="NAME",
    help="A member whose contribution to follow: 'staten', 'Försäkringskassan', 'Region Gävleborg', "
    "'huddinge'; matched by the vocabulary, then fuzzily against the names members are printed by.",
)
@click.option(
    "--federation",
    "federations",
    multiple=True,
    metavar="NAME",
    help="Only this federation (as for `finsam diff`); may be given several times. Default: all.",
)
@click.option(
    "--role",
    type=click.Choice([r for r in COLUMN_ROLES if r != "variance"]),
    default="actual",
    show_default=True,
    help="The column role followed: actual (utfall), budget, forecast (prognos), share (andel), …",
)
@click.option("--from", "from_year", type=int, metavar="YEAR", help="From this year on.")
@click.option("--to", "to_year", type=int, metavar="YEAR", help="Up to this year.")
@REPORT_FORMAT_OPTION
def series(db_path, key, member, federations, role, from_year, to_year, fmt) -> None:
    """Follow one figure across federations and years, each value with its source.

    Where several reports give a value for one federation and year, the one from the report of that year
    is shown and the others are listed as alternatives, marked where they disagree.
    """
    from normalized.series import CSV_FIELDS, figure_series

    if key is None and member is None:
        raise click.UsageError("give --canonical KEY or --member NAME")
    result = figure_series(
        open_existing(db_path), key, member, federations, role=role, from_year=from_year, to_year=to_year
    )
    echo_result(result, fmt, CSV_FIELDS)
    if not result.values:
        click.echo(f"finsam: no values of {result.key} ({role}) in the store", err=True)


@click.command()
@click.option(
    "--db",
    "db_path",
    default="finsam.db",
    show_default=True,
    type=click.Path(),
    help="SQLite database file of the store (an existing store: serve creates none).",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. The default, the loopback, lets only this machine connect; 0.0.0.0 (or "
    "a network address of this machine) lets anyone who can reach it read the store.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8001,
    show_default=True,
    help="Port to listen on; 0 picks a free one (the URL printed says which).",
)
@click.option(
    "--writable",
    is_flag=True,
    help="Open the store mutable instead of immutable: Datasette then follows changes made while it runs "
    "(an ingest beside it) and lets plugins that write do so. By default the file is read as it lies, "
    "never written and never locked.",
)
def serve(db_path, host, port, writable) -> None:
    """Browse the store in Datasette: every table and column described, facets (federation, year, type,
    table kind, rule, severity), full-text search of page text, canned queries (inconsistent totals, member
    contributions by year, year diff for a federation, restatements, page search), findings linked to
    their document and page, and a chart of a series (Dashboards in the menu).

    Read-only by default. A store from an older finsam is upgraded first, as every command does. Needs the
    web extra: pip install 'finsam[web]'. Stops on Ctrl-C.
    """
    from normalized.schema import SCHEMA_VERSION
    from normalized.web import prepare_store, require_web_extra
    from normalized.web import serve as run_server

    require_web_extra()
    upgraded = prepare_store(Path(db_path), writable=writable)
    if upgraded is not None:
        click.echo(
            f"finsam: {db_path}: upgraded from schema version {upgraded} to {SCHEMA_VERSION} to serve it",
            err=True,
        )
    mode = "mutable (--writable)" if writable else "read-only (immutable)"

    def ready(url: str) -> None:
        click.echo(f"finsam: serving {db_path} {mode} at {url} (Ctrl-C stops)")

    run_server(Path(db_path), host=host, port=port, writable=writable, on_ready=ready)

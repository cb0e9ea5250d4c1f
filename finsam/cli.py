"""The `finsam` command: a thin click shell over finsam.pipeline and normalized.store.

Every expected failure is turned into one line naming the file and the reason; tracebacks are for bugs and
only shown with --debug.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import time
from pathlib import Path

import click

from finsam import __version__
from finsam.errors import ExitCode
from finsam.model import COLUMN_ROLES

DB_OPTION = click.option(
    "--db",
    "db_path",
    default="finsam.db",
    show_default=True,
    type=click.Path(),
    help="SQLite database file of the store (created when missing).",
)

# the document filter of `check` and `export` (normalized.store.reading.matches)
FEDERATION_OPTION = click.option(
    "--federation",
    help="Only documents whose federation name contains this text, in any case ('botkyrka').",
)
YEAR_OPTION = click.option("--year", type=int, help="Only documents of this fiscal year.")


ALIASES_OPTION = click.option(
    "--aliases",
    "aliases_path",
    type=click.Path(path_type=Path),
    metavar="FILE",
    default=None,
    help="Alias file saying which federation a name stands for, over the matcher: TOML ([aliases] "
    '"alias" = "federation") or CSV (alias,federation). See the README.',
)


class FinsamGroup(click.Group):
    """Turns an error that stops a command before it starts (a store that cannot be used, a bad alias file, an
    export that cannot be written: exit status 2; an optional extra not installed: 3) into one line, for
    every command."""

    def invoke(self, ctx: click.Context):
        from finsam.errors import FinsamError

        try:
            return super().invoke(ctx)
        except FinsamError as err:
            if err.exit_code not in (ExitCode.bad_args, ExitCode.missing_dependency):
                raise
            click.echo(f"finsam: error: {err}", err=True)
            ctx.exit(err.exit_code)


@click.group(cls=FinsamGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="finsam")
def cli() -> None:
    """finsam: read Swedish samordningsförbund reports (PDF, scans, images, text) into one SQLite store,
    extract their tables and goals, and cross-check every total."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@DB_OPTION
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 64),
    default=None,
    help="Documents processed in parallel (worker processes). Default: the number of cores.",
)
@click.option(
    "--ocr",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="auto: OCR only pages without a usable text layer; always: OCR every page image; never: no OCR.",
)
@click.option(
    "--force", is_flag=True, help="Ingest again files whose bytes are already stored (replacing them)."
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar; print only failures and the summary.")
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="OCR cache folder (default: $FINSAM_CACHE_DIR or ~/.cache/finsam/ocr).",
)
@ALIASES_OPTION
def ingest(paths, db_path, jobs, ocr, force, quiet, cache_dir, aliases_path) -> None:
    """Ingest report files and folders (recursively: .pdf, .txt, .png, .jpg, .tif) into the store.

    Files already stored (same bytes) are skipped unless --force. A corrected version of a report (same
    federation, type and period, other bytes) is stored as a new document that supersedes the old one.
    Files that fail get a one-line reason, are recorded in the `failures` table, and the batch goes on;
    the exit status is 1 when any file failed.

    Each document is linked to its federation, across the spellings of its name; a name that may be one
    of two federations, or is not close enough to one, is kept apart and warned of. --aliases makes an
    alias file the store's before the batch: the documents already stored are linked by it too.
    """
    import os

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from finsam.pipeline import IngestOptions
    from finsam.pipeline import ingest as run_ingest

    err = Console(stderr=True, highlight=False, soft_wrap=True)
    aliases = _load_aliases(aliases_path)
    options = IngestOptions(
        ocr=ocr, force=force, jobs=jobs or os.cpu_count() or 1, cache_dir=cache_dir, aliases=aliases
    )
    started = time.perf_counter()
    show_bar = not quiet and err.is_terminal
    progress = Progress(
        TextColumn("[bold]ingest"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=err,
        disable=not show_bar,
    )
    task = None

    def on_start(total: int) -> None:
        nonlocal task
        task = progress.add_task("", total=total)

    def on_outcome(o) -> None:
        name = Path(o.path).name
        if o.status == "failed":
            if not quiet:
                progress.console.print(f"[red]failed[/red] {o.path}: {o.message}", markup=True)
        elif not quiet and not show_bar:
            extra = f" ({o.message}, {o.pages} pages, {o.seconds:.1f} s)" if o.status == "ingested" else ""
            progress.console.print(f"{o.status} {o.path}{extra}")
        if o.superseded:
            progress.console.print(f"{name} supersedes document(s) {', '.join(map(str, o.superseded))}")
        if task is not None:
            progress.update(task, advance=1, description=name)

    def on_relinked(relinked) -> None:
        err.print(f"{aliases_path}: {len(relinked)} stored document(s) linked anew", markup=False)
        for r in relinked:
            err.print(f"  {_relinked_line(r)}", markup=False)

    with progress:
        outcomes = run_ingest(
            paths, db_path, options, on_outcome=on_outcome, on_start=on_start, on_relinked=on_relinked
        )
    counts = {s: sum(1 for o in outcomes if o.status == s) for s in ("ingested", "skipped", "failed")}
    elapsed = time.perf_counter() - started
    err.print(
        f"{counts['ingested']} ingested, {counts['skipped']} skipped, {counts['failed']} failed "
        f"in {elapsed:.1f} s → {db_path}"
    )
    for o in outcomes:
        if o.status == "failed":
            err.print(f"  failed: {o.path}: [{o.error_kind}] {o.message}", markup=False)
    for o in outcomes:
        if o.warning:
            err.print(f"  warning: {o.path}: {o.warning}", markup=False)
    sys.exit(ExitCode.failed_documents if counts["failed"] else ExitCode.ok)


def _load_aliases(path: Path | None):
    from normalized.federations import load_aliases

    return load_aliases(path) if path is not None else None


def _relinked_line(r) -> str:
    return f"document {r.document_id} ({r.source_name}, '{r.printed}'): {r.from_federation or '-'} → {r.to_federation}"


def _print_rows(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    """A listing: a table on a terminal; piped, tab-separated, one row a line under the header."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    out = Console(highlight=False, soft_wrap=True)
    if out.is_terminal:
        table = Table(*header)
        for row in rows:
            table.add_row(*(Text(cell) for cell in row))  # Text: a '[' in a name is no markup
        out.print(table)
    else:
        click.echo("\t".join(header))
        for row in rows:
            click.echo("\t".join(row))


@cli.command()
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def documents(db_path, fmt) -> None:
    """List the stored documents (and the files that failed)."""

    store = _open_existing(db_path)
    docs = store.documents()
    failures = store.failures()
    if fmt == "json":
        click.echo(json.dumps({"documents": docs, "failures": failures}, ensure_ascii=False, indent=1))
        return
    counts = dict(
        store.db.execute("SELECT document_id, count(*) FROM tables GROUP BY document_id").fetchall()
    )
    header = ("id", "source", "kind", "pages", "federation", "type", "year", "period", "tables", "status")
    rows = [
        (
            str(d["id"]),
            d["source_name"],
            d["source_kind"],
            str(d["pages"]),
            d["federation"] or "?",
            d["doc_type"] or "?",
            str(d["fiscal_year"] or "?"),
            f"{d['period_start'] or '?'}..{d['period_end'] or '?'}",
            str(counts.get(d["id"], 0)),
            f"superseded by {d['superseded_by']}" if d["superseded_by"] else "current",
        )
        for d in docs
    ]
    _print_rows(header, rows)
    for f in failures:
        click.echo(f"failed: {f['source_path']}: [{f['error_kind']}] {f['message']}")


@cli.command()
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@ALIASES_OPTION
@click.option(
    "--apply",
    is_flag=True,
    help="With --aliases: write it to the store (one transaction). Without --apply, --aliases only shows "
    "what it would change.",
)
def federations(db_path, fmt, aliases_path, apply) -> None:
    """List the federations: each with its documents, years, report types and the names it is known by,
    and a warning for a name kept apart from federations it may be.

    --aliases FILE shows the documents it would move and the federations as they would then be, and writes
    nothing; add --apply to make it the store's (later ingests follow it without the file).
    """
    aliases = _load_aliases(aliases_path)
    if apply and aliases is None:
        raise click.UsageError("--apply needs --aliases FILE")
    store = _open_existing(db_path, write=aliases is not None)
    relinked: list = []
    if aliases is None:
        listed = store.federations()
    elif apply:
        relinked = store.apply_aliases(aliases)
        listed = store.federations()
    else:
        relinked, listed = store.preview_aliases(aliases)
    if fmt == "json":
        out = {**listed}
        if aliases is not None:
            out["aliases"] = {
                "file": str(aliases_path),
                "applied": apply,
                "relinked": [r.__dict__ for r in relinked],
            }
        click.echo(json.dumps(out, ensure_ascii=False, indent=1))
        return
    header = ("id", "federation", "documents", "years", "types", "other names", "kept apart")
    rows = []
    for f in listed["federations"]:
        others = [a["alias"] for a in f["aliases"] if a["alias"] != f["name"]]
        rows.append(
            (
                str(f["id"]),
                f["name"],
                str(len(f["documents"])),
                ", ".join(map(str, f["years"])) or "-",
                ", ".join(f"{t} {n}" for t, n in f["doc_types"].items()) or "-",
                "; ".join(dict.fromkeys(others)) or "-",
                "yes" if f["ambiguous"] else "-",
            )
        )
    _print_rows(header, rows)
    for f in listed["federations"]:
        for warning in f["warnings"]:
            click.echo(f"warning: {warning}")
    if listed["unlinked_documents"]:
        ids = ", ".join(str(d["id"]) for d in listed["unlinked_documents"])
        click.echo(f"documents linked to no federation (their names tell none apart): {ids}")
    if aliases is not None:
        verb = "linked anew" if apply else "would be linked anew"
        click.echo(f"{aliases_path}: {len(relinked)} document(s) {verb}")
        for r in relinked:
            click.echo(f"  {_relinked_line(r)}")
        if not apply:
            click.echo("nothing written: run again with --apply to make the alias file the store's")


@cli.command()
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--all", "with_unused", is_flag=True, help="Also the vocabulary's keys no stored row carries.")
def keys(db_path, fmt, with_unused) -> None:
    """List the canonical keys the stored table rows carry (table_rows.canonical): how many documents carry
    each, in how many rows, in which table kinds (with the documents for each), and what the key means."""
    store = _open_existing(db_path)
    found = store.canonical_keys(with_unused=with_unused)
    if fmt == "json":
        click.echo(json.dumps(found, ensure_ascii=False, indent=1))
        return
    header = ("key", "documents", "rows", "table kinds (documents)", "description")
    rows = [
        (
            k["key"],
            str(k["documents"]),
            str(k["rows"]),
            ", ".join(f"{kind} {n}" for kind, n in k["kinds"].items()) or "-",
            k["description"],
        )
        for k in found
    ]
    _print_rows(header, rows)


@cli.command()
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
    store = _open_existing(db_path)
    data = store.export(with_text=with_text, federation=federation, year=year)
    found = counts(data)
    if fmt == "json":
        destination = out if out is not None else Path(output)
        _write_json(data, None if str(destination) == "-" else destination)
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
            f"no documents matched {_filters(federation, year)}"
            if federation or year is not None
            else "the store holds no documents"
        )
        click.echo(
            f"finsam: {nothing}: " + (f"headers only → {out}" if done else "the export is empty"), err=True
        )
    elif done:
        click.echo(done, err=True)


def _write_json(data: dict, path: Path | None) -> None:
    """The export contract as JSON to stdout (path None) or a file."""
    from normalized.export.destination import atomic_write, prepare_file

    text = json.dumps(data, ensure_ascii=False, indent=1)
    if path is None:
        click.echo(text)
        return
    with atomic_write(prepare_file(path, example="finsam.json")) as temporary:
        temporary.write_text(text + "\n", encoding="utf-8")


def _echo_result(result, fmt: str, csv_fields: tuple[str, ...]) -> None:
    """A diff or series as JSON, CSV or the text a person reads."""
    if fmt == "json":
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=1))
    elif fmt == "csv":
        _echo_csv(csv_fields, result.csv_rows())
    else:
        click.echo(result.text(), nl=False)


def _filters(federation: str | None, year: int | None) -> str:
    shown = [f"--federation {federation!r}"] if federation else []
    return " ".join(shown + ([f"--year {year}"] if year is not None else []))


@cli.command()
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

    store = _open_existing(db_path, write=True)
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


def _echo_csv(fields: tuple[str, ...], rows: list[dict]) -> None:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fields, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    click.echo(buf.getvalue(), nl=False)


REPORT_FORMAT_OPTION = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "csv"]),
    default="text",
    show_default=True,
    help="text: to read top to bottom; json: everything, with every figure's source; csv: long form, one "
    "row per figure with its source (the one shown: chosen=1).",
)


@cli.command()
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

    result = compare_years(_open_existing(db_path), federation, from_year, to_year)
    _echo_result(result, fmt, CSV_FIELDS)
    if not result.lines:
        click.echo(f"finsam: {result.federation} has no figures for {from_year} or {to_year}", err=True)


@cli.command()
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
        _open_existing(db_path), key, member, federations, role=role, from_year=from_year, to_year=to_year
    )
    _echo_result(result, fmt, CSV_FIELDS)
    if not result.values:
        click.echo(f"finsam: no values of {result.key} ({role}) in the store", err=True)


@cli.command()
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


@cli.command()
@click.argument("file", type=click.File("r", encoding="utf-8", errors="replace"), default="-")
@click.option("--report", is_flag=True, help="Also print the changes made (to stderr).")
def repair(file, report) -> None:
    """Repair English-model OCR damage in Swedish text (FILE or stdin) and write it to stdout."""
    from parsers.repair import repair_text

    result = repair_text(file.read())
    click.echo(result.text, nl=False)
    if report:
        for offset, printed, repaired in result.changes:
            click.echo(f"{offset}\t{printed} → {repaired}", err=True)


@cli.command()
@click.option(
    "--markdown", "fmt", flag_value="markdown", default=True, help="The schema as Markdown (default)."
)
@click.option("--sql", "fmt", flag_value="sql", help="The CREATE statements.")
@click.option(
    "--metadata", "fmt", flag_value="metadata", help="Datasette metadata.json with column descriptions."
)
def schema(fmt) -> None:
    """Print the store's schema, documented column by column."""
    from normalized.schema import create_sql, datasette_metadata, schema_markdown

    if fmt == "sql":
        click.echo(";\n\n".join(create_sql()) + ";")
    elif fmt == "metadata":
        click.echo(json.dumps(datasette_metadata(), ensure_ascii=False, indent=1))
    else:
        click.echo(schema_markdown())


def _open_existing(db_path: str, write: bool = False):
    """An existing store; commands that only read it open a store they may not write read-only."""
    import os

    from normalized.store import Store

    path = Path(db_path)
    readonly = (
        not write and path.is_file() and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))
    )
    return Store(db_path, create=False, readonly=readonly)


def main() -> None:  # pragma: no cover - console script entry
    cli()

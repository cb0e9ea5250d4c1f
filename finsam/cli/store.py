"""The commands that fill and describe the store: ingest, import, documents, federations, keys, repair,
schema."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from finsam.cli.common import ALIASES_OPTION, DB_OPTION, load_aliases, open_existing, print_rows
from finsam.errors import ExitCode


@click.command()
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
    aliases = load_aliases(aliases_path)
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

    reading: dict[str, object] = {}  # a long document being read → its task of pages
    finished: set[str] = set()

    def on_page(path: str, done: int, total: int) -> None:
        if not show_bar or total < LONG_DOCUMENT or path in finished:
            return
        if path not in reading:
            reading[path] = progress.add_task(f"{Path(path).name}: pages", total=total)
        progress.update(reading[path], completed=done)

    def on_outcome(o) -> None:
        finished.add(o.path)
        if o.path in reading:
            progress.remove_task(reading.pop(o.path))
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
            paths,
            db_path,
            options,
            on_outcome=on_outcome,
            on_start=on_start,
            on_relinked=on_relinked,
            on_page=on_page if show_bar else None,
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


LONG_DOCUMENT = 20  # pages: a document this long gets a progress bar of its own pages


@click.command("import")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@DB_OPTION
@click.option("--quiet", "-q", is_flag=True, help="Print only failures and the summary.")
def import_(files, db_path, quiet) -> None:
    """Import exports (finsam export --format json, best made --with-text) into the store: another
    analyst's store merged into this one, or a store rebuilt from its export.

    Each document is written in one transaction, as ingest writes it; one whose bytes are stored already
    is skipped. A file that is no export, or a document of it that is malformed, gets a one-line reason
    and the rest go on; the exit status is 1 when any failed.
    """
    from finsam.pipeline import refresh_cross_document_findings
    from normalized.store import Store
    from normalized.store.importing import BadExportError, Imported, import_export, read_export

    store = Store(db_path)
    outcomes: list[Imported] = []
    for path in files:
        try:
            export = read_export(path)
        except BadExportError as err:
            outcomes.append(Imported(str(path), "failed", message=str(err)))
            click.echo(f"failed: {path}: {err}", err=True)
            continue
        for o in import_export(store, export):
            outcomes.append(o)
            if o.status == "failed":
                click.echo(f"failed: {path}: {o.source}: {o.message}", err=True)
            elif not quiet:
                click.echo(f"{o.status} {o.source} (document {o.document_id})", err=True)
    if any(o.status == "imported" for o in outcomes):
        refresh_cross_document_findings(store)
    store.close()
    counts = {s: sum(1 for o in outcomes if o.status == s) for s in ("imported", "skipped", "failed")}
    click.echo(
        f"{counts['imported']} imported, {counts['skipped']} skipped, {counts['failed']} failed → {db_path}",
        err=True,
    )
    sys.exit(ExitCode.failed_documents if counts["failed"] else ExitCode.ok)


def _relinked_line(r) -> str:
    return f"document {r.document_id} ({r.source_name}, '{r.printed}'): {r.from_federation or '-'} → {r.to_federation}"


def _status(document: dict) -> str:
    """current or superseded, and partial where pages could not be read ("current, partial: page 3")."""
    status = f"superseded by {document['superseded_by']}" if document["superseded_by"] else "current"
    failed = json.loads(document.get("failed_pages") or "[]")
    if failed:
        status += f", partial: page{'s' if len(failed) > 1 else ''} {', '.join(map(str, failed))} unread"
    return status


@click.command()
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def documents(db_path, fmt) -> None:
    """List the stored documents (and the files that failed)."""

    store = open_existing(db_path)
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
            _status(d),
        )
        for d in docs
    ]
    print_rows(header, rows)
    for f in failures:
        click.echo(f"failed: {f['source_path']}: [{f['error_kind']}] {f['message']}")


@click.command()
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
    aliases = load_aliases(aliases_path)
    if apply and aliases is None:
        raise click.UsageError("--apply needs --aliases FILE")
    store = open_existing(db_path, write=aliases is not None)
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
    print_rows(header, rows)
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


@click.command()
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--all", "with_unused", is_flag=True, help="Also the vocabulary's keys no stored row carries.")
def keys(db_path, fmt, with_unused) -> None:
    """List the canonical keys the stored table rows carry (table_rows.canonical): how many documents carry
    each, in how many rows, in which table kinds (with the documents for each), and what the key means."""
    store = open_existing(db_path)
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
    print_rows(header, rows)


@click.command()
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


@click.command()
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

"""What the commands of `finsam` share: the options (--db, --federation, --year, --aliases, --format of the
reports), opening a store, and printing rows, JSON and CSV."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import click

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


def load_aliases(path: Path | None):
    from normalized.federations import load_aliases

    return load_aliases(path) if path is not None else None


def print_rows(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
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


def write_json(data: dict, path: Path | None) -> None:
    """The export contract as JSON to stdout (path None) or a file."""
    from normalized.export.destination import atomic_write, prepare_file

    text = json.dumps(data, ensure_ascii=False, indent=1)
    if path is None:
        click.echo(text)
        return
    with atomic_write(prepare_file(path, example="finsam.json")) as temporary:
        temporary.write_text(text + "\n", encoding="utf-8")


def echo_result(result, fmt: str, csv_fields: tuple[str, ...]) -> None:
    """A diff or series as JSON, CSV or the text a person reads."""
    if fmt == "json":
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=1))
    elif fmt == "csv":
        echo_csv(csv_fields, result.csv_rows())
    else:
        click.echo(result.text(), nl=False)


def filter_text(federation: str | None, year: int | None) -> str:
    shown = [f"--federation {federation!r}"] if federation else []
    return " ".join(shown + ([f"--year {year}"] if year is not None else []))


def echo_csv(fields: tuple[str, ...], rows: list[dict]) -> None:
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


def open_existing(db_path: str, write: bool = False):
    """An existing store; commands that only read it open a store they may not write read-only."""
    import os

    from normalized.store import Store

    path = Path(db_path)
    readonly = (
        not write and path.is_file() and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))
    )
    return Store(db_path, create=False, readonly=readonly)

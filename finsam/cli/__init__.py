"""The `finsam` command: a thin click shell over finsam.pipeline and normalized.store.

Every expected failure is turned into one line naming the file and the reason; tracebacks are for bugs and
only shown with --debug.

The commands live by what they do: finsam.cli.store (ingest, import, documents, federations, keys, repair, schema)
and finsam.cli.reports (export, check, diff, series, serve), on the options and printing of
finsam.cli.common; this module makes them one group.
"""

from __future__ import annotations

import click

from finsam import __version__
from finsam.cli import reports, store
from finsam.errors import ExitCode


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


for command in (
    store.ingest,
    store.import_,
    store.documents,
    store.federations,
    store.keys,
    reports.export,
    reports.check,
    reports.diff,
    reports.series,
    reports.serve,
    store.repair,
    store.schema,
):
    cli.add_command(command)


def main() -> None:  # pragma: no cover - console script entry
    cli()

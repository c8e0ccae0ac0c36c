"""Asking before a command removes or overwrites many things (`undo`, `--replace` removals...).

On a terminal the command shows what goes and asks; elsewhere (a script, cron, a pipe) it
needs `--yes`, else it stops with a usage error (exit 2) before anything is written.
"""

import sys
from collections.abc import Callable
from typing import Annotated

import click
import typer

from ops_cli.errors import ExitStatus

from ._runtime import err

YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask (needed when not run on a terminal).")]


def confirm(question: str, yes: bool, show: Callable[[], None] | None = None, what: str = "this") -> None:
    """Go on when ``yes``; on a terminal call ``show`` (what goes) and ask ``question``; without
    a terminal refuse (exit 2). A "no" on the terminal stops with exit 1, nothing written."""
    if yes:
        return
    if not sys.stdin.isatty():
        raise click.UsageError(f"{what} needs --yes when not run on a terminal (nothing was changed)")
    if show is not None:
        show()
    if not typer.confirm(question, err=True):
        err("error: not confirmed; nothing was changed")
        raise typer.Exit(ExitStatus.NO)


def confirm_changes(ctx, question: str, yes: bool, write: Callable[[], object], what: str) -> None:
    """:func:`confirm` for a core write: on a terminal the rows ``write`` would change are shown
    first (run for real under ``changes.preview`` and rolled back)."""
    from . import _dryrun as dryrun
    from ._common import ops as get_ops
    from ._options import OutputFormat

    def show() -> None:
        _, rows = dryrun.diff(get_ops(ctx), write)
        dryrun.show_rows(rows, OutputFormat.table)

    confirm(question, yes, show, what=what)


def confirm_removals(question: str, yes: bool, removed: Callable[[], list], what: str) -> None:
    """Ask only when something would go: ``removed()`` lists it (dicts; a dry run, nothing
    written). Nothing to remove: go on without asking; else :func:`confirm` showing the list."""
    if yes:
        return
    entries = removed()
    if not entries:
        return
    from ._options import OutputFormat
    from ._output import emit

    confirm(question.format(count=len(entries)), False, lambda: emit(entries, OutputFormat.table), what=what)

"""`ops undo CHANGESET`: revert a whole changeset; `ops undo --list`: the recent changesets."""

from typing import Annotated

import click
import typer

from ops_cli import changes

from ._common import ops as get_ops
from ._confirm import YesOpt, confirm
from ._options import ColumnsOpt, DryRunOpt, FormatOpt, LimitOpt, OutputFormat, WideOpt
from ._output import emit, info

app = typer.Typer(add_completion=False)

_LIST_COLUMNS = ["id", "at", "business_at", "actor", "command", "actions", "rows", "undoes", "undone_by"]


@app.command("undo")
def undo(
    ctx: typer.Context,
    changeset: Annotated[
        int | None, typer.Argument(metavar="CHANGESET", help="The changeset to revert (see --list).", min=1)
    ] = None,
    dry_run: DryRunOpt = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Revert even rows that later changesets changed again."),
    ] = False,
    yes: YesOpt = False,
    list_: Annotated[
        bool, typer.Option("--list", help="List the recent changesets (id, time, actor, command, counts).")
    ] = False,
    limit: LimitOpt = None,
    columns: ColumnsOpt = None,
    wide: WideOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Revert a whole changeset (one command's changes) in one transaction.

    Every command that writes records a changeset: the command line, who,
    when, and the exact rows before and after (`ops undo --list`). The undo
    is a changeset itself, so undoing an undo redoes. Refused (exit 6, naming
    the rows) when a later changeset changed the same rows, unless --force.
    --dry-run shows the per-row diff (field: before → after). On a terminal
    it shows what changes and asks; elsewhere it needs --yes (exit 2).

    Example:

    ops undo --list -n 5

    ops undo 42 --dry-run

    ops undo 42 --yes
    """
    ops = get_ops(ctx)
    if list_:
        emit(changes.changesets(ops, limit or 20), fmt, columns=_LIST_COLUMNS)
        return
    if changeset is None:
        raise click.UsageError("give the CHANGESET to undo, or --list to see the recent ones")
    if not dry_run and not yes:
        confirm_undo(ops, changeset, force)
    result = changes.undo(ops, changeset, force=force, dry_run=dry_run)
    done = f" as changeset {result['undone_by']}" if result["undone_by"] else ""
    info(f"{'would undo' if dry_run else 'undid'} changeset {changeset}: {_summary(result)}{done}")
    _emit(result, fmt)


def confirm_undo(ops, changeset: int, force: bool) -> None:
    """On a terminal: the rows that change, then the question; elsewhere --yes is needed."""
    preview: dict = {}

    def show() -> None:
        preview.update(changes.undo(ops, changeset, force=force, dry_run=True))
        _emit(preview, OutputFormat.table)

    confirm(f"Undo changeset {changeset}?", False, show, what=f"`ops undo {changeset}`")


def _summary(result: dict) -> str:
    return (
        ", ".join(f"{result[k]} {k}" for k in ("removed", "restored", "reverted") if result[k]) or "no rows"
    )


def _emit(result: dict, fmt: OutputFormat) -> None:
    if fmt is OutputFormat.json:
        emit(result, fmt)
        return
    rows = [
        {"object": c["object"], "change": c["change"], "diff": changes.objects.diff_text(c["fields"])}
        for c in result["changes"]
    ]
    emit(rows, fmt, columns=["object", "change", "diff"])

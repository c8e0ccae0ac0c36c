"""Admin commands: `ops init`, `ops config ...`, `ops db ...`."""

from pathlib import Path
from typing import Annotated

import typer

from ops_cli import admin, changes
from ops_cli import config as config_mod
from ops_cli.errors import CheckFailed
from ops_cli.store.backend import label

from ._common import ops as get_ops
from ._common import state
from ._options import ColumnsOpt, ForceOpt, FormatOpt, LimitOpt, OutputFormat, WideOpt
from ._output import emit, emit_text, info

init_app = typer.Typer(add_completion=False)


@init_app.command("init")
def init(
    ctx: typer.Context,
    demo: Annotated[
        bool, typer.Option("--demo", help="Load the demo customers, rosters, cases... (idempotent).")
    ] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Load the demo even into a store that holds your own changes."),
    ] = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Create the config file (a commented template, only if missing) and the store.

    Safe to run again: an existing config is left as it is and the demo data is
    upserted, not duplicated. The demo is refused (exit 6) on a store that holds
    changes of your own, unless --force.

    Example: ops init --demo
    """
    result = admin.init(get_ops(ctx), demo=demo, force=force)
    info(("wrote config template " if result["config_created"] else "config kept at ") + result["config"])
    info(("created store " if result["db_created"] else "store ready at ") + result["db"])
    if demo and fmt is not OutputFormat.json:  # one summary line per demo step
        from ._summary import step_rows

        emit(step_rows(result.get("demo") or {}), fmt, columns=["step", "summary"])
        return
    emit(result if fmt is OutputFormat.json else admin.flatten(result), fmt)


config_app = typer.Typer(
    help="Show and change the configuration (TOML; `set` keeps comments and layout).",
    no_args_is_help=True,
    add_completion=False,
)


@config_app.command("path")
def config_path(ctx: typer.Context) -> None:
    """Print where the config file is (it may not exist yet: then defaults apply).

    Example: ops config path
    """
    s = state(ctx)
    emit_text(str(config_mod.resolve_config_path(s.config_path)))


@config_app.command("show")
def config_show(ctx: typer.Context, fmt: FormatOpt = OutputFormat.table) -> None:
    """Show the effective configuration: the file merged over the defaults.

    Example: ops config show -f json
    """
    data = admin.effective_config(get_ops(ctx))
    emit(data if fmt is OutputFormat.json else admin.flatten(data), fmt)


@config_app.command("get")
def config_get(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Dotted key, e.g. swap.rate or sla.tiers.gold.penalty.")],
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Print one value of the effective configuration.

    Example: ops config get swap.rate
    """
    value = admin.config_value(get_ops(ctx), key)
    if fmt is OutputFormat.json:
        emit(value, fmt)
    elif isinstance(value, dict):
        emit(admin.flatten(value, key + "."), fmt)
    else:
        emit_text(", ".join(value) if isinstance(value, list) else str(value))


@config_app.command("set")
def config_set(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Dotted key, e.g. cases.stale_days.")],
    value: Annotated[str, typer.Argument(help='New value (TOML syntax: 5, 0.1, true, "text", ["a", "b"]).')],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check the value and show the change; write nothing.")
    ] = False,
) -> None:
    """Set one value in the config file, keeping its comments and layout.

    The file is validated with the new value before it is written.

    Example: ops config set cases.stale_days 7
    """
    path = config_mod.resolve_config_path(state(ctx).config_path)
    if dry_run:
        before = config_mod.load(path).get(key)
        stored = config_mod.set_value(path, key, value, dry_run=True)
        info(f"dry run, nothing written: {key}: {before!r} → {stored!r} in {path}")
        return
    stored = config_mod.set_value(path, key, value)
    info(f"{key} = {stored!r} in {path}")


db_app = typer.Typer(
    help="Store administration: backup, integrity check, audit log.",
    no_args_is_help=True,
    add_completion=False,
)


@db_app.command("path")
def db_path(ctx: typer.Context) -> None:
    """Print where the store is (a file, or a PostgreSQL URL with its password masked).

    Example: ops db path
    """
    emit_text(label(get_ops(ctx).db_path))


@db_app.command("backup")
def db_backup(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="New file to write the copy to.")],
    force: ForceOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Write a consistent copy of the store, safe while others are writing.

    The copy is written beside PATH and renamed into place when complete (mode 0600); an
    existing file is refused (exit 6) unless --force. On PostgreSQL the copy is an SQLite
    file, a portable snapshot that `ops --db PATH` opens (for the server's own format use
    pg_dump).

    Example: ops db backup ops-backup.db
    """
    result = admin.backup(get_ops(ctx), path, force=force)
    info(f"backed up {result['db']} to {result['backup']}")
    emit(result, fmt)


@db_app.command("copy")
def db_copy(
    ctx: typer.Context,
    to: Annotated[
        str,
        typer.Option(
            "--to",
            metavar="PATH_OR_URL",
            help="Where to: an SQLite file, or postgresql://user@host/dbname (a password is never shown).",
        ),
    ],
    force: Annotated[
        bool, typer.Option("--force", help="Replace the contents of a target that already holds data.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the tables and row counts to copy; write nothing.")
    ] = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Copy the whole store to another store: SQLite to PostgreSQL and back.

    Every table is copied in one transaction on the target and its row count checked against
    the source before the commit: an error leaves the target as it was. A target that already
    holds data is refused (exit 6) unless --force. Other writers wait while the copy runs.

    Example: ops db copy --to postgresql://ops@db.example/ops --dry-run
    """
    result = admin.copy(get_ops(ctx), to, force=force, dry_run=dry_run)
    verb = "would copy" if dry_run else "copied"
    tables = len(result["tables"])
    info(f"{verb} {result['rows']} rows in {tables} tables from {result['from']} to {result['to']}")
    if fmt is OutputFormat.json:
        emit(result, fmt)
    else:
        emit(result["tables"], fmt, columns=["table", "rows"])


@db_app.command("check")
def db_check(ctx: typer.Context, fmt: FormatOpt = OutputFormat.table) -> None:
    """Check the store's integrity and foreign keys; exit 1 if there is a problem.

    Example: ops db check
    """
    s = state(ctx)
    path = config_mod.load(s.config_path).db_path(s.db_path)
    result = admin.check_store(path)
    emit(result, fmt)
    if not result["ok"]:
        raise CheckFailed(f"the store {label(path)} has problems: " + "; ".join(result["problems"][:5]))


@db_app.command("log")
def db_log(
    ctx: typer.Context,
    limit: LimitOpt = 50,
    include_classified: Annotated[
        bool,
        typer.Option("--include-classified", help="Show the text of sensitive and secret cases' records."),
    ] = False,
    actor: Annotated[
        str | None, typer.Option("--actor", metavar="EMAIL", help="Only this actor's records.")
    ] = None,
    obj: Annotated[
        str | None,
        typer.Option(
            "--object", metavar="KIND:ID", help="Only this object: issi:2010001, customer:2001, case:…"
        ),
    ] = None,
    action: Annotated[
        str | None, typer.Option("--action", help="Only this action (sub.change) or group (roster).")
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="TIME", help="From this time on (desk-local without offset)."),
    ] = None,
    until: Annotated[str | None, typer.Option("--until", metavar="TIME", help="Before this time.")] = None,
    changeset: Annotated[
        int | None,
        typer.Option("--changeset", min=1, help="Only this changeset's records (`ops undo --list`)."),
    ] = None,
    columns: ColumnsOpt = None,
    wide: WideOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Show the audit log, newest first: who changed what, when, before and after.

    `at` is the real time of the change; `business_at` the business time (OPS_NOW, --at)
    when it differs. Records of sensitive and secret cases show no text unless
    --include-classified.

    Example: ops db log --actor anna.berg@polisen.example -n 20
    """
    rows = changes.audit_log(  # times desk-local; filters and the changeset: ops_cli/changes/log.py
        get_ops(ctx),
        limit or 50,
        include_classified=include_classified,
        actor=actor,
        obj=obj,
        action=action,
        since=since,
        until=until,
        changeset=changeset,
    )
    emit(rows, fmt, columns=["id", "at", "business_at", "actor", "action", "object", "before", "after"])

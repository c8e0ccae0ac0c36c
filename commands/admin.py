"""Admin commands: `ops init`, `ops config ...`, `ops db ...`."""

from pathlib import Path
from typing import Annotated

import typer

from ops_cli import admin
from ops_cli import config as config_mod
from ops_cli.errors import CheckFailed

from ._common import ops as get_ops
from ._common import state
from ._options import FormatOpt, LimitOpt, OutputFormat
from ._output import emit, emit_text, info

init_app = typer.Typer(add_completion=False)


@init_app.command("init")
def init(
    ctx: typer.Context,
    demo: Annotated[
        bool, typer.Option("--demo", help="Load the demo customers, rosters, cases... (idempotent).")
    ] = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Create the config file (a commented template, only if missing) and the store.

    Safe to run again: an existing config is left as it is and the demo data is
    upserted, not duplicated.
    """
    result = admin.init(get_ops(ctx), demo=demo)
    info(("wrote config template " if result["config_created"] else "config kept at ") + result["config"])
    info(("created store " if result["db_created"] else "store ready at ") + result["db"])
    # Nested demo results read best as dotted key/value rows outside JSON.
    emit(result if fmt is OutputFormat.json else admin.flatten(result), fmt)


config_app = typer.Typer(
    help="Show and change the configuration (TOML; `set` keeps comments and layout).",
    no_args_is_help=True,
    add_completion=False,
)


@config_app.command("path")
def config_path(ctx: typer.Context) -> None:
    """Print where the config file is (it may not exist yet: then defaults apply)."""
    s = state(ctx)
    emit_text(str(config_mod.resolve_config_path(s.config_path)))


@config_app.command("show")
def config_show(ctx: typer.Context, fmt: FormatOpt = OutputFormat.table) -> None:
    """Show the effective configuration: the file merged over the defaults."""
    data = admin.effective_config(get_ops(ctx))
    emit(data if fmt is OutputFormat.json else admin.flatten(data), fmt)


@config_app.command("get")
def config_get(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Dotted key, e.g. swap.rate or sla.tiers.gold.penalty.")],
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Print one value of the effective configuration."""
    value = get_ops(ctx).config.get(key)
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
) -> None:
    """Set one value in the config file, keeping its comments and layout.

    The file is validated with the new value before it is written.
    """
    path = config_mod.resolve_config_path(state(ctx).config_path)
    stored = config_mod.set_value(path, key, value)
    info(f"{key} = {stored!r} in {path}")


db_app = typer.Typer(
    help="Store administration: backup, integrity check, audit log.",
    no_args_is_help=True,
    add_completion=False,
)


@db_app.command("path")
def db_path(ctx: typer.Context) -> None:
    """Print where the store file is."""
    emit_text(str(get_ops(ctx).db_path))


@db_app.command("backup")
def db_backup(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="New file to write the copy to.")],
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Write a consistent copy of the store, safe while others are writing."""
    result = admin.backup(get_ops(ctx), path)
    info(f"backed up {result['db']} to {result['backup']}")
    emit(result, fmt)


@db_app.command("check")
def db_check(ctx: typer.Context, fmt: FormatOpt = OutputFormat.table) -> None:
    """Check the store's integrity and foreign keys; exit 1 if there is a problem."""
    s = state(ctx)
    from ops_cli.config import load

    path = load(s.config_path).db_path(s.db_path)
    result = admin.check_store(path)
    emit(result, fmt)
    if not result["ok"]:
        raise CheckFailed(f"the store {path} has problems: " + "; ".join(result["problems"][:5]))


@db_app.command("log")
def db_log(ctx: typer.Context, limit: LimitOpt = 50, fmt: FormatOpt = OutputFormat.table) -> None:
    """Show the audit log, newest first: who changed what, when, before and after."""
    emit(
        get_ops(ctx).store.audit_log(limit or 50),
        fmt,
        columns=["id", "at", "actor", "action", "object", "before", "after"],
    )

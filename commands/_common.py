"""Helpers every command module uses: the current `Ops`."""

from __future__ import annotations

import typer


def ops(ctx: typer.Context):
    """The `Ops` (config, store, clock) for this invocation, built on first use."""
    return ctx.find_root().obj.ops()


def state(ctx: typer.Context):
    return ctx.find_root().obj

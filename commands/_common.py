"""Helpers every command module uses: the current `Ops`."""

from __future__ import annotations

import typer

from ._scripting import checking, reads_only


def ops(ctx: typer.Context):
    """The `Ops` (config, store, clock) for this invocation, built on first use."""
    checking(ctx)  # --exit-status: an error is never 1
    instance = ctx.find_root().obj.ops()
    if reads_only(ctx):  # read commands never create a store (exit 4 when it is missing)
        instance.must_exist = True
    return instance


def state(ctx: typer.Context):
    return ctx.find_root().obj

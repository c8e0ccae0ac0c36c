"""`ops case`: Support cases."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Support cases: open, route to departments, thread and status, classification, third-party access, feedback callbacks and stale lists.",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def callback() -> None:
    """Support cases: open, route to departments, thread and status, classification, third-party access, feedback callbacks and stale lists."""

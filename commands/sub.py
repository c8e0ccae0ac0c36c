"""`ops sub`: Radio subscriptions (ISSI/TEI)."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Radio subscriptions (ISSI/TEI): import, list, activate/deactivate, bulk ISSI/TEI change orders with promised delivery dates, decommissioning.",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def callback() -> None:
    """Radio subscriptions (ISSI/TEI): import, list, activate/deactivate, bulk ISSI/TEI change orders with promised delivery dates, decommissioning."""

"""`ops swap`: Spare-phone (swap) stock sized at 8 % of the fleet."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Spare-phone (swap) stock sized at 8 % of the fleet: units, shipping with next-working-day delivery, returns, refills and freight billing.",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def callback() -> None:
    """Spare-phone (swap) stock sized at 8 % of the fleet: units, shipping with next-working-day delivery, returns, refills and freight billing."""

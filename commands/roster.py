"""`ops roster`: Customers and their authorised people."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Customers and their authorised people: orderers, contacts, telephony responsibles and viewers. Import and export Excel rosters; check who may do what (`ops roster can`).",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def callback() -> None:
    """Customers and their authorised people: orderers, contacts, telephony responsibles and viewers. Import and export Excel rosters; check who may do what (`ops roster can`)."""

"""`ops report`: Reports."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Reports: the quarterly SLA report (terminal, Markdown, CSV, JSON, Excel, printable HTML), quality and delivery reports.",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def callback() -> None:
    """Reports: the quarterly SLA report (terminal, Markdown, CSV, JSON, Excel, printable HTML), quality and delivery reports."""

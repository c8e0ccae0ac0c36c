"""`ops sla`: SLA tiers (bronze/silver/gold), eligibility, support codes, business-hours callback timers and KPI (CSSR/CTSR) data."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="SLA tiers (bronze/silver/gold), eligibility, support codes, business-hours callback timers and KPI (CSSR/CTSR) data.",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def callback() -> None:
    """SLA tiers (bronze/silver/gold), eligibility, support codes, business-hours callback timers and KPI (CSSR/CTSR) data."""

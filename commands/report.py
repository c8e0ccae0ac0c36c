"""`ops report`: Reports."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._common import ops as get_ops
from ._options import FormatOpt, OutputFormat
from ._output import emit_text, info

app = typer.Typer(
    help="Reports: the quarterly SLA report (terminal, Markdown, CSV, JSON, Excel, printable HTML), quality and delivery reports.",
    no_args_is_help=True,
    add_completion=False,
)

OutOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write the report to FILE instead of printing it; the extension picks the format: "
        ".xlsx (sheets and charts), .html (printable page), .md, .csv, .json.",
        dir_okay=False,
    ),
]


@app.callback()
def callback() -> None:
    """Reports: the quarterly SLA report (terminal, Markdown, CSV, JSON, Excel, printable HTML), quality and delivery reports."""


def _show(report: dict, fmt: OutputFormat, output: Path | None) -> None:
    from ops_cli.reports import output as out

    if output is not None:
        done = out.write(report, output)
        info(f"wrote {done['written']} ({done['format']}, {done['bytes']:,} bytes)")
        return
    if fmt is OutputFormat.table:
        import sys

        if sys.stdout.isatty():
            import os

            from rich.console import Console

            from ops_cli.reports.terminal import renderables

            console = Console(no_color="NO_COLOR" in os.environ or None)
            for item in renderables(report):
                console.print(item)
            return
    emit_text(out.render(report, fmt.value))


@app.command("quarterly")
def quarterly(
    ctx: typer.Context,
    customer: Annotated[str, typer.Option("--customer", "-c", metavar="NUMBER", help="Customer number (must have an SLA tier).")],
    quarter: Annotated[str, typer.Option("--quarter", "-q", metavar="YYYYQn", help="The quarter, e.g. 2026Q3 (July to September 2026).")],
    output: OutOpt = None,
    include_classified: Annotated[
        bool,
        typer.Option(
            "--include-classified",
            help="Show the subjects of sensitive cases and list secret cases (left out by default).",
        ),
    ] = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """The quarterly SLA report of one customer.

    Per SLA zone and month plus the whole quarter: call attempts, CSSR and CTSR
    (each a ratio of sums of the raw counts, never a mean of percentages)
    against the tier's target, pass or fail; the fault cases opened in the
    quarter (count, critical, callbacks on time, repair time median and 90th
    percentile in the tier's support hours); for a guaranteed tier (gold) the
    penalty for each zone that missed the target over the quarter.

    Examples:

      ops report quarterly --customer 2001 --quarter 2026Q3

      ops report quarterly -c 2001 -q 2026Q3 -o nordbygg-2026Q3.xlsx

      ops report quarterly -c 2001 -q 2026Q3 -o nordbygg-2026Q3.html
    """
    from ops_cli.reports.quarterly import quarterly as build

    report = build(get_ops(ctx), customer, quarter, include_classified=include_classified)
    _show(report, fmt, output)

"""`ops report`: Reports."""

from pathlib import Path
from typing import Annotated

import typer

from ._common import ops as get_ops
from ._options import FormatOpt, OutputFormat
from ._output import emit, emit_rich, emit_text, info, stdout_is_terminal

app = typer.Typer(
    help=(
        "Reports: the quarterly SLA report (terminal, Markdown, CSV, JSON, Excel, printable HTML), "
        "quality and delivery reports."
    ),
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
TableOutOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        dir_okay=False,
        help="Write to FILE; the extension picks the format: .md, .csv, .json.",
    ),
]


def _wrote(done: dict) -> None:
    info(f"wrote {done['written']} ({done['format']}, {done['bytes']:,} bytes)")


@app.callback()
def callback() -> None:
    """Reports: the quarterly SLA report (terminal, Markdown, CSV, JSON, Excel, printable HTML),
    quality and delivery reports."""


def _show(report: dict, fmt: OutputFormat, output: Path | None) -> None:
    from ops_cli.reports import output as out

    if output is not None:
        _wrote(out.write(report, output))
        return
    if fmt is OutputFormat.table and stdout_is_terminal():
        from ops_cli.reports.terminal import renderables

        emit_rich(renderables(report))
        return
    emit_text(out.render(report, fmt.value))


@app.command("quarterly")
def quarterly(
    ctx: typer.Context,
    customer: Annotated[
        str,
        typer.Option("--customer", "-c", metavar="NUMBER", help="Customer number (must have an SLA tier)."),
    ],
    quarter: Annotated[
        str,
        typer.Option(
            "--quarter", "-q", metavar="YYYYQn", help="The quarter, e.g. 2026Q3 (July to September 2026)."
        ),
    ],
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


FromOpt = Annotated[str, typer.Option("--from", metavar="DATE", help="First day of the period (YYYY-MM-DD).")]
ToOpt = Annotated[
    str, typer.Option("--to", metavar="DATE", help="Last day of the period (YYYY-MM-DD, included).")
]


@app.command("quality")
def quality(
    ctx: typer.Context,
    customer: Annotated[str, typer.Option("--customer", "-c", metavar="NUMBER", help="Customer number.")],
    start: FromOpt,
    end: ToOpt,
    output: TableOutOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Service-quality statistics for a customer's orderer.

    Cases opened in the period by topic and by channel, closed with and without
    a swap phone, swaps shipped and delivered on time, median hours to the first
    answer and to closing (elapsed time), cases still open at the period's end.
    Counts only: no case text.

    Example: ops report quality --customer 2001 --from 2026-07-01 --to 2026-09-30
    """
    from ops_cli.reports import quality as core

    report = core.quality(get_ops(ctx), customer, start, end)
    rows = core.quality_rows(report)
    who = f"{report['customer_name']} ({report['customer']})"
    title = f"Service quality {report['from']} to {report['to']} · {who}"
    if output is not None:
        from ops_cli.reports.output import write_table_report

        _wrote(write_table_report(report, rows, output, title))
        return
    if fmt is OutputFormat.json:
        emit(report, fmt)
        return
    if fmt is not OutputFormat.csv:
        emit_text(title + "\n")
    emit(rows, fmt, columns=["section", "item", "value"], title=title)


@app.command("delivery")
def delivery(
    ctx: typer.Context,
    start: FromOpt,
    end: ToOpt,
    customer: Annotated[
        str | None, typer.Option("--customer", "-c", metavar="NUMBER", help="Only this customer's orders.")
    ] = None,
    output: TableOutOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """ISSI/TEI change orders received in a period: promised date, day delivered, on time or not.

    An order is on time when it was delivered on or before its promised date
    (5 working days for up to 10 changes, 10 for more, counted from the
    working day it was received). Undelivered orders are open, or overdue once
    their promised date has passed.

    Example: ops report delivery --from 2026-07-01 --to 2026-09-30
    """
    from ops_cli.reports import quality as core

    report = core.delivery(get_ops(ctx), start, end, customer)
    summary = core.delivery_summary_line(report)
    if output is not None:
        from ops_cli.reports.output import write_table_report

        _wrote(write_table_report(report, report["orders"], output, summary))
        return
    if fmt in (OutputFormat.json, OutputFormat.csv):
        emit(report if fmt is OutputFormat.json else report["orders"], fmt, columns=_ORDER_COLUMNS)
        return
    emit(report["orders"], fmt, columns=_ORDER_COLUMNS)
    emit_text("\n" + summary)


_ORDER_COLUMNS = [
    "order",
    "case",
    "customer",
    "received",
    "receipt_day",
    "changes",
    "urgent",
    "due_date",
    "delivered_on",
    "status",
]

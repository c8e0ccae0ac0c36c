"""`ops report`: Reports."""

from pathlib import Path
from typing import Annotated

import typer

from ops_cli.errors import ExitStatus

from . import _dryrun as dryrun
from ._common import ops as get_ops
from ._options import ColumnsOpt, DryRunOpt, ExitStatusOpt, FormatOpt, LimitOpt, OutputFormat, WideOpt
from ._output import emit, emit_rich, emit_text, info, stdout_is_terminal

app = typer.Typer(
    help=(
        "Reports: the quarterly SLA report (terminal, Markdown, CSV, JSON, Excel, printable HTML), "
        "the reports due in a quarter, quality and delivery reports."
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
        ".pdf (print-ready A4), .xlsx (sheets and charts), .html (printable page), .md, .csv, .json.",
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
        help="Write to FILE; the extension picks the format: "
        ".pdf, .xlsx, .html (printable), .md, .csv, .json.",
    ),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace the -o file if it exists.")]
QuarterOpt = Annotated[
    str,
    typer.Option(
        "--quarter",
        "-Q",
        metavar="YYYYQn",
        help="The quarter: YYYYQn (e.g. 2026Q3 = July to September 2026; years 2000-9998), "
        "'last' or 'current'.",
    ),
]


TieredCustomerOpt = Annotated[
    str | None,
    typer.Option(
        "--customer", "-c", metavar="NUMBER", help="Customer number (must have an SLA tier); or --all."
    ),
]
AllOpt = Annotated[
    bool,
    typer.Option(
        "--all",
        help="Every customer with an SLA tier (or of --tier), each to its own file: -o must hold "
        "{customer} (and may hold {quarter}, {tier}). Made-on-order tiers (bronze) without an order "
        "are skipped and listed. Prints what was written; exit 1 if any customer failed.",
    ),
]
TierOpt = Annotated[
    str | None,
    typer.Option("--tier", metavar="TIER[,TIER]", help="With --all: only these SLA tiers, e.g. silver,gold."),
]
OrderedByOpt = Annotated[
    str | None,
    typer.Option(
        "--ordered-by",
        metavar="EMAIL",
        help="Tiers whose report is made on order (bronze): who orders it, the customer's "
        "telephony responsible or an orderer. Records the order and its fee (sla.report_fee).",
    ),
]
SendToOpt = Annotated[
    str | None,
    typer.Option(
        "--send-to",
        metavar="EMAIL",
        help="With --ordered-by: where the report goes (default: the orderer).",
    ),
]
LangOpt = Annotated[
    str | None,
    typer.Option(
        "--lang",
        metavar="sv|da|en",
        help="Language of the report (terminal, Markdown, PDF, HTML, xlsx): words, month names "
        "and numbers (19 977 and 98,00 in Swedish). JSON and CSV stay language-neutral. "
        "Default: config report.lang; 'auto' (the default) follows calendar.country (SE: sv, DK: da).",
    ),
]
ClassifiedOpt = Annotated[
    bool,
    typer.Option(
        "--include-classified",
        help="Show the subjects of sensitive cases and list secret cases (left out by default).",
    ),
]


def _wrote(done: dict) -> None:
    info(f"wrote {done['written']} ({done['format']}, {done['bytes']:,} bytes)")


@app.callback()
def callback() -> None:
    """Reports: the quarterly SLA report (terminal, PDF, Excel, printable HTML, Markdown, CSV,
    JSON), the reports due in a quarter, quality and delivery reports."""


def _all(ctx: typer.Context, quarter: str, output, tier, force, lang, include_classified, fmt) -> None:
    from ops_cli.reports import batch

    from ._output import progress

    ops = get_ops(ctx)
    with progress(None, "reports") as step:
        result = batch.quarterly_all(
            ops,
            quarter,
            output,
            tiers=tier,
            force=force,
            lang=lang,
            include_classified=include_classified,
            progress=step,
        )
    if fmt is OutputFormat.json:
        emit(result, fmt)
    else:
        emit(result["customers"], fmt, columns=batch.COLUMNS, title=f"SLA reports {result['quarter']}")
        if fmt is OutputFormat.table:
            emit_text("\n" + batch.summary_line(result) + "\n")
    if result["failed"]:
        raise typer.Exit(ExitStatus.NO)


def _show(report: dict, fmt: OutputFormat, lang) -> None:
    from ops_cli.reports import output as out

    if fmt is OutputFormat.table and stdout_is_terminal():
        from ops_cli.reports.terminal import renderables

        emit_rich(renderables(report, lang))
        return
    emit_text(out.render_report(report, fmt.value, lang))


@app.command("quarterly")
def quarterly(
    ctx: typer.Context,
    quarter: QuarterOpt,
    customer: TieredCustomerOpt = None,
    every: AllOpt = False,
    tier: TierOpt = None,
    output: OutOpt = None,
    force: ForceOpt = False,
    ordered_by: OrderedByOpt = None,
    send_to: SendToOpt = None,
    include_classified: ClassifiedOpt = False,
    lang: LangOpt = None,
    dry_run: DryRunOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """The quarterly SLA report of one customer.

    Per SLA zone and month plus the whole quarter: call attempts, CSSR and CTSR
    (each a ratio of sums of the raw counts, never a mean of percentages)
    against the tier's target, pass or fail; the fault cases opened in the
    quarter (count, critical, every callback due on critical SLA faults and how
    many were made on time, repair time median and 90th percentile in the
    tier's support hours); for a guaranteed tier (gold) the penalty for each
    zone that missed the target over the quarter.

    Silver and gold reports are sent on schedule (days 5-20 of the month after
    the quarter). A bronze report is made on order: --ordered-by records the
    order and its fee once per quarter and dates the report in that window
    (an order after the 20th goes out from the 5th of the next month).

    Examples:

      ops report quarterly --customer 2001 --quarter 2026Q3

      ops report quarterly -c 2001 --quarter last -o nordbygg-2026Q3.xlsx

      ops report quarterly -c 2001 --quarter last --lang sv -o nordbygg-2026Q3.pdf

      ops report quarterly -c 2002 --quarter 2026Q3 \\
      --ordered-by lisa.ek@bonan.example -o bonan.html

      ops report quarterly --all --tier silver,gold --quarter last \\
      -o 'out/{customer}-{quarter}.pdf'
    """
    from ops_cli.errors import InvalidInput
    from ops_cli.reports.output import quarterly_report

    if every == (customer is not None):
        raise InvalidInput(
            "give --customer NUMBER or --all (not both)" if every else "give --customer NUMBER or --all"
        )
    if every:
        if ordered_by is not None or send_to is not None:
            raise InvalidInput(
                "--ordered-by/--send-to: order one customer's report at a time (not with --all)"
            )
        if dryrun.active(ctx):
            raise InvalidInput("--dry-run: one customer's report at a time (not with --all)")
        _all(ctx, quarter, output, tier, force, lang, include_classified, fmt)
        return
    if tier is not None:
        raise InvalidInput("--tier: only with --all")

    done = dryrun.run(  # --dry-run: the order it would record; no file is written
        ctx,
        fmt,
        lambda: quarterly_report(
            get_ops(ctx),
            customer,
            quarter,
            include_classified=include_classified,
            ordered_by=ordered_by,
            send_to=send_to,
            output=None if dryrun.active(ctx) else output,
            force=force,
            lang=lang,
        ),
    )
    if dryrun.active(ctx):
        return
    if done["written"]:
        _wrote(done["written"])
        return
    _show(done["report"], fmt, done["lang"])


@app.command("due")
def due(
    ctx: typer.Context,
    quarter: QuarterOpt,
    output: TableOutOpt = None,
    force: ForceOpt = False,
    exit_status: ExitStatusOpt = False,
    limit: LimitOpt = None,
    columns: ColumnsOpt = None,
    wide: WideOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """What a quarter's SLA reports ask of the desk.

    Reports to send (silver and gold customers, days 5-20 of the month after the
    quarter), ordered reports to fulfil (bronze, with the fee to bill), and the
    zones whose CSSR or CTSR over the quarter missed the tier's target: a
    notice to sales/CoE (bronze, silver) or the penalty (gold).

    Example: ops report due --quarter last --exit-status
    """
    from ops_cli.reports import due as core

    from . import _scripting as scripting

    report = core.due(get_ops(ctx), quarter)
    rows = core.due_rows(report)
    title = f"SLA reports due for {report['quarter']}"
    if output is not None:
        from ops_cli.reports.output import write_table_report

        _wrote(write_table_report(report, rows, output, title, force, core.COLUMNS))
    elif not scripting.show_listing(exit_status):
        pass  # --exit-status -q: the exit status says it all
    elif fmt is OutputFormat.json:
        emit(report, fmt)
    else:
        emit(rows, fmt, columns=core.COLUMNS, title=title)
        if fmt is OutputFormat.table:
            emit_text("\n" + core.summary_line(report) + "\n")
    scripting.exit_if_found(rows, exit_status)


FromOpt = Annotated[
    str, typer.Option("--since", "--from", metavar="DATE", help="First day of the period (YYYY-MM-DD).")
]
ToOpt = Annotated[
    str,
    typer.Option("--until", "--to", metavar="DATE", help="Last day of the period (YYYY-MM-DD, included)."),
]


@app.command("quality")
def quality(
    ctx: typer.Context,
    customer: Annotated[str, typer.Option("--customer", "-c", metavar="NUMBER", help="Customer number.")],
    start: FromOpt,
    end: ToOpt,
    output: TableOutOpt = None,
    force: ForceOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Service-quality statistics for a customer's orderer.

    Cases opened in the period by topic and by channel, closed with and without
    a swap phone, swaps shipped and delivered on time, median hours to the first
    answer and to closing (elapsed time), cases still open at the period's end.
    Counts only: no case text.

    Example: ops report quality -c 2001 --since 2026-07-01 --until 2026-09-30
    """
    from ops_cli.reports import quality as core

    report = core.quality(get_ops(ctx), customer, start, end)
    rows = core.quality_rows(report)
    who = f"{report['customer_name']} ({report['customer']})"
    title = f"Service quality {report['from']} to {report['to']} · {who}"
    if output is not None:
        from ops_cli.reports.output import write_table_report

        _wrote(write_table_report(report, rows, output, title, force))
        return
    if fmt is OutputFormat.json:
        emit(report, fmt)
        return
    if fmt in (OutputFormat.table, OutputFormat.md):  # never in csv or JSON Lines
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
    force: ForceOpt = False,
    limit: LimitOpt = None,
    columns: ColumnsOpt = None,
    wide: WideOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """ISSI/TEI change orders received in a period: promised date, day delivered, on time or not.

    An order is on time when it was delivered on or before its promised date
    (5 working days for up to 10 changes, 10 for more, counted from the
    working day it was received). Undelivered orders are open, or overdue once
    their promised date has passed.

    Example: ops report delivery --since 2026-07-01 --until 2026-09-30
    """
    from ops_cli.reports import delivery as core

    report = core.delivery(get_ops(ctx), start, end, customer)
    summary = core.delivery_summary_line(report)
    if output is not None:
        from ops_cli.reports.output import write_table_report

        _wrote(write_table_report(report, report["orders"], output, summary, force, core.ORDER_COLUMNS))
        return
    if fmt in (OutputFormat.json, OutputFormat.csv, OutputFormat.jsonl):
        emit(report if fmt is OutputFormat.json else report["orders"], fmt, columns=core.ORDER_COLUMNS)
        return
    emit(report["orders"], fmt, columns=core.ORDER_COLUMNS)
    emit_text("\n" + summary)

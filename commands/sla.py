"""`ops sla`: SLA tiers (bronze/silver/gold), eligibility, support codes, business-hours
callback timers and KPI (CSSR/CTSR) data."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from . import _dryrun as dryrun
from . import _scripting as scripting
from ._common import ops as get_ops
from ._import_opts import DelimiterOpt, SheetOpt, say_sheet, sheet_kwargs
from ._options import ColumnsOpt, CustomerOpt, DryRunOpt, FormatOpt, LimitOpt, OutputFormat, WideOpt
from ._output import emit, emit_text, info, progress

app = typer.Typer(
    help=(
        "SLA tiers (bronze/silver/gold), eligibility, support codes, business-hours callback timers"
        " and KPI (CSSR/CTSR) data."
    ),
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def callback() -> None:
    """SLA tiers (bronze/silver/gold), eligibility, support codes, business-hours callback timers
    and KPI (CSSR/CTSR) data."""


CustomerArg = Annotated[str, typer.Argument(metavar="CUSTOMER", help="Customer number, e.g. 2001.")]
ActorOpt = Annotated[
    str | None,
    typer.Option(
        "--by", metavar="EMAIL", help="Who does this (named in the audit log); default: the desk's operator."
    ),
]


@app.command("tiers")
def tiers(ctx: typer.Context, fmt: FormatOpt = OutputFormat.table) -> None:
    """Show the SLA tiers: KPI target, guarantee and penalty, report cadence and support hours.

    Callback timers for critical faults count only time inside a tier's
    support hours. Everything shown comes from the config's [sla] section
    (`ops config show`).

    Example: ops sla tiers -f json
    """
    from ops_cli import sla

    rows = sla.tiers(get_ops(ctx))
    if fmt is OutputFormat.json:
        emit(rows, fmt)
        return
    flat = []
    for r in rows:
        flat.append(
            {
                "tier": r["tier"],
                "target": f"{r['target']:g} %",
                "guaranteed": "yes" if r["guaranteed"] else "no",
                "penalty": f"{r['penalty']:g} {r['currency']}" if r["guaranteed"] else "-",
                "report": r["report"],
                "holidays": r["holidays"],
                **r["hours"],
            }
        )
    emit(flat, fmt)


@app.command("check")
def check(
    ctx: typer.Context,
    customer: CustomerArg,
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            metavar="DATE",
            help="Check on this day (YYYY-MM-DD; a time counts as its desk-local day); default today.",
        ),
    ] = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Is the customer eligible for an SLA? Exit 0 yes, 1 no (the reasons name each failed rule).

    Eligible: the agreement type is one of config sla.eligible_agreements
    (business, erhverv, mobildeal, forening) or an alias of one in
    sla.agreement_aliases (e.g. "Erhvervsaftale", "Business aftale"; names
    compared case-insensitively), and at least sla.min_binding_months (3)
    calendar months of binding are left on the day checked.

    Example: ops sla check 2002 --at 2027-03-31 -f json
    """
    from ops_cli import sla

    result = sla.check(get_ops(ctx), customer, at)
    if fmt is OutputFormat.json:
        emit(result, fmt)
    else:
        emit({**result, "reasons": "; ".join(result["reasons"])}, fmt)
    if not result["eligible"]:
        raise typer.Exit(1)


def _read_code(prompt: str, confirm: bool) -> str:
    """The code from a hidden prompt on a terminal, else one line of stdin."""
    if sys.stdin.isatty():
        return typer.prompt(prompt, hide_input=True, confirmation_prompt=confirm)
    from ops_cli.errors import InvalidInput

    try:
        line = sys.stdin.readline()
    except UnicodeDecodeError:  # a strict UTF-8 stdin; else the core refuses the surrogates
        raise InvalidInput("the support code is not UTF-8 text; type it again") from None
    if not line:
        raise InvalidInput("no support code on stdin; pipe one line, e.g. from a password manager")
    return line.rstrip("\r\n")


@app.command("set-code")
def set_code(
    ctx: typer.Context,
    customer: CustomerArg,
    by: ActorOpt = None,
    dry_run: DryRunOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Set the customer's SLA support code (asked twice on a terminal, else one line of stdin).

    The code is never taken as an argument (it would land in the shell's
    history) and never stored: only a salted scrypt hash is kept. --by: a
    desk agent (config desk.agents) or the customer's orderer.

    Example: pass show desk/2001-code | ops sla set-code 2001
    """
    from ops_cli import sla

    ops = get_ops(ctx)
    sla.known_customer(ops, customer)  # an unknown customer fails before the prompt
    code = _read_code("Support code", confirm=True)
    dryrun.run_and_emit(
        ctx,
        fmt,
        lambda: sla.set_code(ops, customer, code, by=by),
        lambda r: f"support code {r['code']} for customer {r['customer']}",
    )


@app.command("verify-code")
def verify_code(
    ctx: typer.Context, customer: CustomerArg, by: ActorOpt = None, fmt: FormatOpt = OutputFormat.table
) -> None:
    """Check a caller's SLA support code (hidden prompt on a terminal, else one line of stdin).

    Exit 0 when it matches, 1 when not (every failed try is audited), 6 while
    the customer is locked out: after sla.code_max_failures (5) wrong codes
    within sla.code_window_minutes (15), tries are refused for
    sla.code_lockout_minutes (15). The lock-out runs on the real clock:
    OPS_NOW does not move it. --by: a desk agent (config desk.agents); anyone
    else exits 5 and no try is recorded.

    Example: ops sla verify-code 2001 --by per.falk@nordbygg.example
    """
    from ops_cli import sla

    result = sla.verify_code(get_ops(ctx), customer, _read_code("Support code", confirm=False), by=by)
    emit(result, fmt)


@app.command("due")
def due(
    ctx: typer.Context,
    tier: Annotated[
        str, typer.Option("--tier", "-T", help="SLA tier whose support hours count (see `ops sla tiers`).")
    ],
    start: Annotated[
        str,
        typer.Option(
            "--from",
            metavar="TIME",
            help="When the fault was reported (ISO 8601; without an offset it is desk-local time).",
        ),
    ],
    count: Annotated[
        str, typer.Option("--count", metavar="N", help="How many callbacks to list (1 to 1000).")
    ] = "3",
    # --count is the schedule's length, not a --limit of rows (cli.md: `sla due ... [--count N]`)
    columns: ColumnsOpt = None,
    wide: WideOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """The callback schedule of a critical fault: first after 2 support hours, then every 4.

    Only time inside the tier's support hours counts (bronze: Mon-Fri 08-20,
    Sat 08-16, closed on holidays; silver: every day 07-22; gold: always),
    measured in real elapsed time across DST changes. JSON: an array of ISO
    times with their UTC offset.

    Example: ops sla due --tier bronze --from 2026-11-20T19:30 --count 3
    """
    from ops_cli import sla

    times = sla.due(get_ops(ctx), tier, start, count)
    if fmt is OutputFormat.json:
        emit(times, fmt)
    else:
        emit([{"callback": i, "due_at": t} for i, t in enumerate(times, 1)], fmt)


@app.command("explain")
def explain(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(metavar="NUMBER", help="Case number, e.g. 2026-00042.")],
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Explain how a case's next callback time is computed.

    Shows the tier's support-hour windows used, the days skipped (holidays by
    name) and any clock change (DST) crossed. JSON: the facts plus an
    `explanation` object and the same text as `lines`.

    Example: ops sla explain 2026-00009
    """
    from ops_cli import sla

    result = sla.explain(get_ops(ctx), number)
    if fmt is OutputFormat.json:
        emit(result, fmt)
    elif fmt is OutputFormat.table:
        emit_text("\n".join(result["lines"]))
    else:
        emit([{"line": line} for line in result["lines"]], fmt)


kpi_app = typer.Typer(
    help="KPI raw counts per customer, SLA zone and day or month (CSSR/CTSR are ratios of sums).",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(kpi_app, name="kpi")


@kpi_app.command("import")
def kpi_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help=".xlsx or .csv with the KPI counts.")],
    dry_run: DryRunOpt = False,
    by: ActorOpt = None,
    sheet: SheetOpt = None,
    delimiter: DelimiterOpt = None,
    format_in: scripting.FormatInOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Import KPI counts: customer, zone, date, attempts, setups_ok, established, terminated_ok.

    FILE `-` reads standard input (CSV, or xlsx sniffed from the bytes; see --format-in).

    `date` is a day (YYYY-MM-DD or an Excel date) or a whole month (YYYY-MM).
    Counts are whole numbers >= 0 with setups_ok <= attempts and
    terminated_ok <= established <= setups_ok; the customer must exist.
    Every row is checked first; any problem lists file:row: column and
    nothing is written. Re-importing a (customer, zone, date) replaces it.
    Counts are at most config kpi.max_count (default 1,000,000,000), periods
    from 2000-01; zone names are compared in Unicode NFC. With --by: desk
    staff, or an orderer or telephony responsible of every customer (exit 5).

    Example: ops sla kpi import kpi_2026q3.csv --dry-run
    """
    from ops_cli.sla import importing, kpi

    ops = get_ops(ctx)
    file = scripting.stdin_file(ctx, file, format_in)
    with progress(None, "Reading KPI counts") as step:
        result, diff = dryrun.imported(
            ctx,
            False,
            lambda dry: importing.import_kpi(
                ops, file, dry_run=dry, by=by, progress=step, **sheet_kwargs(sheet, delimiter)
            ),
        )
    say_sheet(result)
    verb = "would import" if dry_run else "imported"
    info(
        f"{verb} {result['file']}: {result['created']} created, {result['updated']} updated, "
        f"{result['unchanged']} unchanged"
    )
    if dry_run:
        info("dry run: nothing was written")
    dryrun.emit_imported(result, diff, fmt, kpi.summary_of(result))


@kpi_app.command("list")
def kpi_list(
    ctx: typer.Context,
    customer: CustomerOpt = None,
    zone: Annotated[str | None, typer.Option("--zone", "-z", help="Only this SLA zone.")] = None,
    start: Annotated[
        str | None, typer.Option("--since", "--from", metavar="DATE", help="From this day (YYYY-MM-DD).")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--until", "--to", metavar="DATE", help="To this day, inclusive.")
    ] = None,
    limit: LimitOpt = None,
    columns: ColumnsOpt = None,
    wide: WideOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """List stored KPI rows with each row's CSSR and CTSR (percent).

    Month rows are listed when their whole month lies inside --since/--until.
    For rates over a period use the quarterly report, which sums the counts.

    Example: ops sla kpi list -c 2001 --since 2026-07-01 --until 2026-09-30
    """
    from ops_cli.sla import kpi

    emit(kpi.list_kpi(get_ops(ctx), customer, zone, start, end), fmt)

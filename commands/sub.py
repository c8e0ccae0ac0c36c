"""`ops sub`: Radio subscriptions (ISSI/TEI)."""

from pathlib import Path
from typing import Annotated

import typer

from . import _dryrun as dryrun
from . import _scripting as scripting
from ._common import ops as get_ops
from ._confirm import YesOpt, confirm_changes
from ._import_opts import DelimiterOpt, SheetOpt, say_sheet, sheet_kwargs
from ._options import (
    AtOpt,
    ByOpt,
    ColumnsOpt,
    CustomerOpt,
    DryRunOpt,
    ExitStatusOpt,
    ForceOpt,
    FormatOpt,
    LimitOpt,
    OutputFormat,
    WideOpt,
)
from ._output import emit, info, progress

app = typer.Typer(
    help=(
        "Radio subscriptions (ISSI/TEI): import, list, activate/deactivate, bulk ISSI/TEI change orders"
        " with promised delivery dates and their delivery, orders of new subscriptions and add-ons,"
        " decommissioning."
    ),
    no_args_is_help=True,
    add_completion=False,
)

SUB_COLUMNS = ["issi", "tei", "customer", "kind", "status", "msisdn"]
ORDER_COLUMNS = [
    "case",
    "type",
    "customer",
    "changes",
    "urgent",
    "received",
    "due",
    "delivered",
    "status",
    "on_time",
    "overdue",
]

# --by is required on the commands the roster restricts (cli.md: `--by EMAIL`).
ByRequired = Annotated[
    str,
    typer.Option("--by", metavar="EMAIL", help="Who asks (checked against the owning customer's roster)."),
]
FileIn = Annotated[
    Path,
    typer.Argument(help=".xlsx or .csv (comma or semicolon; UTF-8 or Windows-1252).", dir_okay=False),
]
IssiArgs = Annotated[
    list[str] | None,
    typer.Argument(metavar="ISSI..", help="ISSIs (1..16777214; leading zeros allowed)."),
]
StatusOpt = Annotated[
    str | None, typer.Option("--status", "-s", help="Only this status: active, inactive or terminated.")
]


@app.callback()
def callback() -> None:
    """Radio subscriptions (ISSI/TEI): import, list, activate/deactivate, bulk ISSI/TEI change orders
    with promised delivery dates and their delivery, orders of new subscriptions and add-ons,
    decommissioning."""


@app.command("import")
def import_(
    ctx: typer.Context,
    file: FileIn,
    dry_run: DryRunOpt = False,
    by: ByOpt = None,
    confirm_reset: Annotated[
        bool,
        typer.Option(
            "--confirm-reset",
            help="Rows that terminate a subscription: confirm programming and DMO frequencies were"
            " removed and the terminal was factory-reset.",
        ),
    ] = False,
    form: Annotated[
        str | None,
        typer.Option(
            "--form", metavar="R30-REF", help="Reference of form R30, for standby subscriptions set active."
        ),
    ] = None,
    sheet: SheetOpt = None,
    delimiter: DelimiterOpt = None,
    format_in: scripting.FormatInOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Add or update subscriptions from a sheet (key: ISSI; FILE `-`: standard input).

    Columns: customer (kundnummer), issi, tei, msisdn (optional), kind
    (standard/standby, optional), status (active/inactive/terminated,
    optional). Empty optional cells keep the stored value; new subscriptions
    default to standard and inactive.

    Every row is checked first; any bad row (exit 3) or conflict such as a TEI
    already bound to another live subscription (exit 6) is listed with its
    row, and nothing is written. --dry-run shows the counts (and rows with
    --format json) and the per-row diff (field: before → after). With --by,
    only an orderer of every customer in the file (or desk staff) may import
    (exit 5); a row that terminates a subscription needs --confirm-reset, a
    standby subscription set active needs --form; an ISSI of another customer
    is refused (exit 5), an ISSI given up in an ISSI change is never reused
    (exit 6).

    Example: ops sub import subscriptions.xlsx --dry-run
    """
    from ops_cli.subscriptions import import_subscriptions

    file = scripting.stdin_file(ctx, file, format_in)
    with progress(None, "reading") as tick:
        result, diff = dryrun.imported(
            ctx,
            False,
            lambda dry: import_subscriptions(
                get_ops(ctx),
                file,
                dry_run=dry,
                by=by,
                confirm_reset=confirm_reset,
                form=form,
                progress=tick,
                **sheet_kwargs(sheet, delimiter),
            ),
        )
    say_sheet(result)
    counts = f"{result['created']}, {'update' if dry_run else 'updated'} {result['updated']}"
    prefix = "dry run, nothing written: would create" if dry_run else "created"
    info(f"{prefix} {counts}, unchanged {result['unchanged']}")
    if dry_run and fmt is not OutputFormat.json:
        result = {k: v for k, v in result.items() if k != "rows"}
    dryrun.emit_imported(result, diff, fmt)


@app.command("list")
def list_(
    ctx: typer.Context,
    customer: CustomerOpt = None,
    status: StatusOpt = None,
    limit: LimitOpt = None,
    columns: ColumnsOpt = None,
    wide: WideOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """List subscriptions: issi, tei, customer, kind, status, msisdn.

    Example: ops sub list --customer 1001 --status active -f json
    """
    from ops_cli.subscriptions import list_subscriptions

    emit(list_subscriptions(get_ops(ctx), customer=customer, status=status), fmt, SUB_COLUMNS)


@app.command("show")
def show(
    ctx: typer.Context,
    issi: Annotated[str, typer.Argument(metavar="ISSI", help="The subscription's ISSI.")],
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Show one subscription (exit 4 if there is none with this ISSI).

    Example: ops sub show 2010001
    """
    from ops_cli.subscriptions import show_subscription

    emit(show_subscription(get_ops(ctx), issi), fmt)


@app.command("export")
def export(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="New .xlsx or .csv file.", dir_okay=False)],
    customer: CustomerOpt = None,
    status: StatusOpt = None,
    force: ForceOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Write subscriptions to .xlsx or .csv in the columns `ops sub import` reads back.

    An existing file is refused (exit 6) unless --force; a symbolic link is never
    followed (exit 3). The file is created readable by its owner only.

    Example: ops sub export subs-1001.xlsx -c 1001
    """
    from ops_cli.subscriptions import export_subscriptions

    with progress(None, "Exporting subscriptions") as tick:
        result = export_subscriptions(
            get_ops(ctx), file, customer=customer, status=status, force=force, progress=tick
        )
    info(f"wrote {result['rows']} subscriptions to {result['file']}")
    emit(result, fmt)


def _status_command(
    ctx: typer.Context,
    issis: list[str] | None,
    by: str,
    form: str | None,
    file: Path | None,
    urgent: bool,
    at: str | None,
    fmt: OutputFormat,
    active: bool,
    reader: dict,
) -> None:
    from ops_cli.subscriptions import set_status

    ops = get_ops(ctx)
    result = dryrun.run(
        ctx,
        fmt,
        lambda: set_status(
            ops,
            issis or [],
            active=active,
            by=by,
            form=form,
            urgent=urgent,
            file=file,
            at=ops.at(at),
            **reader,
        ),
    )
    if dryrun.active(ctx):
        return
    say_sheet(result)
    info(
        f"{result['action']}d {result['changed']},"
        f" already {'active' if active else 'inactive'} {result['unchanged']}"
    )
    if fmt is OutputFormat.json:
        emit(result, fmt)
    else:
        emit(result["subscriptions"], fmt, [*SUB_COLUMNS, "was", "changed"])


FormOpt = Annotated[
    str | None,
    typer.Option(
        "--form", metavar="R30-REF", help="Reference of form R30; required for standby subscriptions."
    ),
]
IssiFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--file", metavar="FILE", help="Also take the ISSIs of this sheet's issi column.", dir_okay=False
    ),
]


@app.command("activate")
def activate(
    ctx: typer.Context,
    issis: IssiArgs = None,
    by: ByRequired = ...,
    form: FormOpt = None,
    file: IssiFileOpt = None,
    urgent: Annotated[bool, typer.Option("--urgent", help="Urgent: accepted around the clock.")] = False,
    at: AtOpt = None,
    sheet: SheetOpt = None,
    delimiter: DelimiterOpt = None,
    dry_run: DryRunOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Activate subscriptions: all given ISSIs in one transaction, or none.

    Only an orderer or contact of the owning customer (exit 5). Standby
    subscriptions (beredskapsabonnemang) need the reference of form R30
    (--form). Activations are done in desk office hours; an --urgent one is
    accepted around the clock (exit 6 otherwise).

    Example: ops sub activate 2010001 2010002 --by anna.berg@polisen.example
    """
    _status_command(ctx, issis, by, form, file, urgent, at, fmt, True, sheet_kwargs(sheet, delimiter))


@app.command("deactivate")
def deactivate(
    ctx: typer.Context,
    issis: IssiArgs = None,
    by: ByRequired = ...,
    form: FormOpt = None,
    file: IssiFileOpt = None,
    urgent: Annotated[
        bool,
        typer.Option("--urgent", help="Urgent (a lost or stolen terminal): accepted around the clock."),
    ] = False,
    at: AtOpt = None,
    sheet: SheetOpt = None,
    delimiter: DelimiterOpt = None,
    dry_run: DryRunOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Deactivate subscriptions: all given ISSIs in one transaction, or none.

    Only an orderer or contact of the owning customer (exit 5); standby
    subscriptions need the form R30 reference (--form). Like activations,
    deactivations are done in desk office hours; an --urgent one (a lost or
    stolen terminal) is accepted around the clock (exit 6 otherwise).

    Example: ops sub deactivate 2010001 --urgent --by anna.berg@polisen.example
    """
    _status_command(ctx, issis, by, form, file, urgent, at, fmt, False, sheet_kwargs(sheet, delimiter))


def _print_change(result: dict, fmt: OutputFormat) -> None:
    """The order's line on stderr and the result (or the dry run's per-row diff) on stdout."""
    say_sheet(result)
    due = result["due"]
    changes = f"{result['changes']} change{'' if result['changes'] == 1 else 's'}"
    when = (
        "the same day"
        if result["urgent"]
        else f"{result['working_days']} working days after {result['receipt_day']}"
    )
    if result["dry_run"]:
        info(
            f"dry run, nothing written: {changes} for customer {result['customer']},"
            f" would be due {due:%a} {due} ({when})"
        )
        if fmt is OutputFormat.json:
            emit(result, fmt)
        else:
            rows = [
                {
                    "row": r["row"],
                    "issi": r["issi"],
                    "new_issi": r["new_issi"] or "",
                    "tei": f"{r['old_tei'] or '-'} -> {r['new_tei']}" if r["new_tei"] else r["old_tei"],
                }
                for r in result["rows"]
            ]
            emit(rows, fmt, ["row", "issi", "new_issi", "tei"])
        return
    done = (
        "changed and delivered now"
        if result["status"] == "delivered"
        else f"promised by {due:%a} {due} ({when})"
    )
    info(f"order case {result['case']}: {changes} for customer {result['customer']}, {done}")
    if fmt is OutputFormat.json:
        emit(result, fmt)
    else:
        keys = ("case", "changes", "due", "status", "urgent", "received", "receipt_day")
        emit({k: result[k] for k in keys}, fmt)


OrderingCustomer = Annotated[
    str, typer.Option("--customer", "-c", metavar="NUMBER", help="The ordering customer.")
]
UrgentChangeOpt = Annotated[
    bool,
    typer.Option(
        "--urgent", help="1-3 changes due the same day, only in desk office hours on a working day."
    ),
]
ApplyNowOpt = Annotated[
    bool,
    typer.Option(
        "--apply-now", help="With --urgent: the desk makes the changes during the call (delivered at once)."
    ),
]


@app.command("change")
def change(
    ctx: typer.Context,
    file: FileIn,
    customer: OrderingCustomer,
    by: ByRequired,
    urgent: UrgentChangeOpt = False,
    apply_now: ApplyNowOpt = False,
    dry_run: DryRunOpt = False,
    at: AtOpt = None,
    sheet: SheetOpt = None,
    delimiter: DelimiterOpt = None,
    format_in: scripting.FormatInOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Register a bulk ISSI/TEI change order from a sheet and get its promised date (`-`: stdin).

    Columns: issi, and new_tei and/or new_issi (Swedish ny_tei, ny_issi).
    Only an orderer of the customer may order (exit 5). Every row is checked
    first: malformed values or an ISSI twice (exit 3), an ISSI of another
    customer (exit 5), an ISSI that does not exist (exit 4), a new TEI bound
    to another live subscription or given in two rows, a new ISSI in use or
    given up in an earlier ISSI change, a subscription or new TEI/ISSI in
    another pending order (exit 6). Nothing is written unless every row is
    right.

    Then an order case (topic `order`) lists the changes and the order is
    registered as pending: the subscriptions change when the desk delivers it
    (`ops sub deliver CASE`). Promised date: 5 working days after the receipt
    day for up to 10 changes, 10 for more (config `orders`); a receipt on a
    weekend or holiday counts from the next working day. --urgent: at most 3
    changes, in desk office hours, due the same day; with --apply-now the desk
    makes them during the call (status delivered).

    JSON: {"case": NUMBER, "changes": n, "due": "YYYY-MM-DD", "status": "pending"|"delivered", ...}.
    --dry-run prints the per-row diff (old -> new) and the due date, then every
    row the order would write (field: before → after; JSON "diff").

    Example:

    ops sub change change_order.xlsx -c 1001 --by anna.berg@polisen.example \\
    --dry-run
    """
    from ops_cli.subscriptions import change_order

    file = scripting.stdin_file(ctx, file, format_in)
    ops = get_ops(ctx)
    with progress(None, "reading") as tick:
        result, diff = dryrun.imported(
            ctx,
            False,
            lambda dry: change_order(
                ops,
                file,
                customer=customer,
                by=by,
                urgent=urgent,
                apply_now=apply_now,
                dry_run=dry,
                at=ops.at(at),
                progress=tick,
                **sheet_kwargs(sheet, delimiter),
            ),
        )
    _print_change(dryrun.with_changes(result, diff), fmt)
    dryrun.show_rows(diff, fmt)


@app.command("terminate")
def terminate(
    ctx: typer.Context,
    issis: Annotated[
        list[str] | None, typer.Argument(metavar="ISSI..", help="ISSIs to decommission.")
    ] = None,
    by: ByRequired = ...,
    confirm_reset: Annotated[
        bool,
        typer.Option(
            "--confirm-reset",
            help="Confirm that operator/network programming and DMO frequencies were removed and the"
            " terminal was factory-reset.",
        ),
    ] = False,
    file: IssiFileOpt = None,
    at: AtOpt = None,
    sheet: SheetOpt = None,
    delimiter: DelimiterOpt = None,
    yes: YesOpt = False,
    dry_run: DryRunOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Decommission subscriptions; their TEIs become free for other subscriptions.

    Only an orderer (exit 5). Refused without --confirm-reset: the customer
    must first remove all operator and network programming and DMO
    frequencies from the terminal and reset it to factory settings. On a
    terminal it shows what changes and asks; elsewhere it needs --yes (exit 2).

    Example:

    ops sub terminate 2010003 --confirm-reset --by anna.berg@polisen.example --yes
    """
    from ops_cli.subscriptions import terminate as terminate_core

    ops = get_ops(ctx)

    def write():
        return terminate_core(
            ops,
            issis or [],
            by=by,
            confirm_reset=confirm_reset,
            at=ops.at(at),
            file=file,
            **sheet_kwargs(sheet, delimiter),
        )

    named = [*(issis or []), *([f"the ISSIs of {file}"] if file is not None else [])]
    if named and not dry_run:  # nothing named: the core says so (exit 3) without asking
        confirm_changes(ctx, f"Terminate {', '.join(named)}?", yes, write, what="`ops sub terminate`")
    result = dryrun.run(ctx, fmt, write)
    if dryrun.active(ctx):
        return
    say_sheet(result)
    info(f"terminated {result['changed']}, already terminated {result['unchanged']}")
    if fmt is OutputFormat.json:
        emit(result, fmt)
    else:
        emit(result["subscriptions"], fmt, [*SUB_COLUMNS, "was", "changed"])


@app.command("orders")
def orders(
    ctx: typer.Context,
    customer: CustomerOpt = None,
    status: Annotated[
        str | None, typer.Option("--status", "-s", help="Only orders with this status: pending or delivered.")
    ] = None,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only pending orders past their due date.")
    ] = False,
    open_: Annotated[
        bool, typer.Option("--open", help="Only orders not yet delivered (= --status pending).")
    ] = False,
    exit_status: ExitStatusOpt = False,
    limit: LimitOpt = None,
    columns: ColumnsOpt = None,
    wide: WideOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """List orders (ISSI/TEI changes, new subscriptions, add-ons): case, type, due, status, overdue.

    Example: ops sub orders --overdue --exit-status
    """
    from ops_cli.subscriptions import list_orders

    found = list_orders(get_ops(ctx), customer=customer, open_only=open_, status=status, overdue=overdue)
    if scripting.show_listing(exit_status):
        emit(found, fmt, ORDER_COLUMNS)
    scripting.exit_if_found(found, exit_status)


@app.command("deliver")
def deliver(
    ctx: typer.Context,
    case: Annotated[str, typer.Argument(metavar="CASE_NUMBER", help="The order case, e.g. 2026-00012.")],
    by: Annotated[
        str | None,
        typer.Option("--by", metavar="EMAIL", help="The desk agent delivering (config desk.agents)."),
    ] = None,
    at: AtOpt = None,
    dry_run: DryRunOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Deliver an order: make its changes in one transaction and close its order case.

    The changes are checked again first (the new TEI still free, the new ISSI
    still unused and never given up, the subscription still live and the
    customer's): any problem refuses the whole delivery (exit 6). On time
    when delivered on or before the due date. Only the desk delivers (exit 5).

    Example: ops sub deliver 2026-00012
    """
    from ops_cli.subscriptions import deliver as deliver_core

    ops = get_ops(ctx)
    dryrun.run_and_emit(
        ctx,
        fmt,
        lambda: deliver_core(ops, case, at=ops.at(at), by=by),
        lambda r: f"order {r['case']} delivered {'on time' if r['on_time'] else 'LATE'} (due {r['due']})",
    )


@app.command("order")
def order(
    ctx: typer.Context,
    customer: OrderingCustomer,
    by: ByRequired,
    count: Annotated[
        int | None, typer.Option("--count", metavar="N", help="How many new subscriptions (1-10000).")
    ] = None,
    kind: Annotated[str, typer.Option("--kind", help="standard or standby (with --count).")] = "standard",
    file: Annotated[
        Path | None,
        typer.Option(
            "--file", metavar="FILE", help="One new subscription per row (columns kind, tei).", dir_okay=False
        ),
    ] = None,
    at: AtOpt = None,
    sheet: SheetOpt = None,
    delimiter: DelimiterOpt = None,
    dry_run: DryRunOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Order new subscriptions for a customer (orderer only): --count N [--kind], or --file FILE.

    Opens an order case (topic `order`) with its promised date (the change
    order rule: 5 working days for up to 10, else 10) and audits it. Deliver
    it with `ops sub deliver CASE`; the subscriptions arrive with `ops sub import`.

    Example:

    ops sub order -c 1001 --count 4 --kind standby \\
    --by anna.berg@polisen.example
    """
    from ops_cli.subscriptions import order_subscriptions

    ops = get_ops(ctx)
    result = dryrun.run(
        ctx,
        fmt,
        lambda: order_subscriptions(
            ops,
            customer=customer,
            by=by,
            count=count,
            kind=kind,
            file=file,
            at=ops.at(at),
            **sheet_kwargs(sheet, delimiter),
        ),
    )
    if dryrun.active(ctx):
        return
    say_sheet(result)
    due = result["due"]
    info(f"order case {result['case']}: {result['quantity']} new subscriptions, promised by {due:%a} {due}")
    emit(result, fmt)


addon_app = typer.Typer(
    help="Order add-on services for subscriptions (config subscriptions.addons).",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(addon_app, name="addon")

ServiceOpt = Annotated[
    str, typer.Option("--service", metavar="NAME", help="The add-on service (config subscriptions.addons).")
]


def _addon(ctx, issis, service, by, at, fmt, add: bool) -> None:
    from ops_cli.subscriptions import order_addon

    ops = get_ops(ctx)
    dryrun.run_and_emit(
        ctx,
        fmt,
        lambda: order_addon(ops, issis, service=service, add=add, by=by, at=ops.at(at)),
        lambda r: (
            f"order case {r['case']}: add-on {r['service']} for {r['quantity']}, promised by {r['due']}"
        ),
    )


@addon_app.command("add")
def addon_add(
    ctx: typer.Context,
    issis: Annotated[list[str], typer.Argument(metavar="ISSI..", help="Subscriptions of one customer.")],
    service: ServiceOpt,
    by: ByRequired,
    at: AtOpt = None,
    dry_run: DryRunOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Order an add-on service for subscriptions (orderer only); opens an order case with its promised date.

    Example:

    ops sub addon add 2010001 2010002 --service gps \\
    --by anna.berg@polisen.example
    """
    _addon(ctx, issis, service, by, at, fmt, add=True)


@addon_app.command("remove")
def addon_remove(
    ctx: typer.Context,
    issis: Annotated[list[str], typer.Argument(metavar="ISSI..", help="Subscriptions of one customer.")],
    service: ServiceOpt,
    by: ByRequired,
    at: AtOpt = None,
    dry_run: DryRunOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Order an add-on service removed from subscriptions (orderer only); opens an order case.

    Example:

    ops sub addon remove 2010001 --service gps --by anna.berg@polisen.example
    """
    _addon(ctx, issis, service, by, at, fmt, add=False)

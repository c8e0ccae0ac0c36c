"""`ops sub`: Radio subscriptions (ISSI/TEI)."""

from pathlib import Path
from typing import Annotated

import typer

from ._common import ops as get_ops
from ._options import AtOpt, CustomerOpt, DryRunOpt, FormatOpt, OutputFormat
from ._output import emit, info, progress

app = typer.Typer(
    help=(
        "Radio subscriptions (ISSI/TEI): import, list, activate/deactivate, bulk ISSI/TEI change orders"
        " with promised delivery dates, decommissioning."
    ),
    no_args_is_help=True,
    add_completion=False,
)

SUB_COLUMNS = ["issi", "tei", "customer", "kind", "status", "msisdn"]
ORDER_COLUMNS = [
    "case",
    "customer",
    "changes",
    "urgent",
    "received",
    "due",
    "delivered",
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
    with promised delivery dates, decommissioning."""


@app.command("import")
def import_(
    ctx: typer.Context, file: FileIn, dry_run: DryRunOpt = False, fmt: FormatOpt = OutputFormat.table
) -> None:
    """Add or update subscriptions from a sheet (key: ISSI).

    Columns: customer (kundnummer), issi, tei, msisdn (optional), kind
    (standard/standby, optional), status (active/inactive/terminated,
    optional). Empty optional cells keep the stored value; new subscriptions
    default to standard and inactive.

    Every row is checked first; any bad row (exit 3) or conflict such as a TEI
    already bound to another live subscription (exit 6) is listed with its
    row, and nothing is written. --dry-run shows the counts (and rows with
    --format json).

    Example: ops sub import subscriptions.xlsx --dry-run
    """
    from ops_cli.subscriptions import import_subscriptions

    with progress(None, "reading") as tick:
        result = import_subscriptions(get_ops(ctx), file, dry_run=dry_run, progress=tick)
    prefix = "dry run, nothing written: would create" if dry_run else "created"
    info(f"{prefix} {result['created']}, updated {result['updated']}, unchanged {result['unchanged']}")
    if dry_run and fmt is not OutputFormat.json:
        result = {k: v for k, v in result.items() if k != "rows"}
    emit(result, fmt)


@app.command("list")
def list_(
    ctx: typer.Context,
    customer: CustomerOpt = None,
    status: StatusOpt = None,
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
    """Show one subscription (exit 4 if there is none with this ISSI)."""
    from ops_cli.subscriptions import show_subscription

    emit(show_subscription(get_ops(ctx), issi), fmt)


@app.command("export")
def export(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="New .xlsx or .csv file.", dir_okay=False)],
    customer: CustomerOpt = None,
    status: StatusOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Write subscriptions to .xlsx or .csv in the columns `ops sub import` reads back."""
    from ops_cli.subscriptions import export_subscriptions

    result = export_subscriptions(get_ops(ctx), file, customer=customer, status=status)
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
) -> None:
    from ops_cli.subscriptions import set_status

    ops = get_ops(ctx)
    result = set_status(
        ops, issis or [], active=active, by=by, form=form, urgent=urgent, file=file, at=ops.at(at)
    )
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
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Activate subscriptions: all given ISSIs in one transaction, or none.

    Only an orderer or contact of the owning customer (exit 5). Standby
    subscriptions (beredskapsabonnemang) need the reference of form R30
    (--form). Activations are done in desk office hours; an --urgent one is
    accepted around the clock (exit 6 otherwise).

    Example: ops sub activate 2010001 2010002 --by anna.berg@polisen.example
    """
    _status_command(ctx, issis, by, form, file, urgent, at, fmt, active=True)


@app.command("deactivate")
def deactivate(
    ctx: typer.Context,
    issis: IssiArgs = None,
    by: ByRequired = ...,
    form: FormOpt = None,
    file: IssiFileOpt = None,
    urgent: Annotated[
        bool, typer.Option("--urgent", help="Mark the request urgent in the audit log.")
    ] = False,
    at: AtOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Deactivate subscriptions: all given ISSIs in one transaction, or none.

    Only an orderer or contact of the owning customer (exit 5); standby
    subscriptions need the form R30 reference (--form). Accepted at any hour.
    """
    _status_command(ctx, issis, by, form, file, urgent, at, fmt, active=False)


@app.command("change")
def change(
    ctx: typer.Context,
    file: FileIn,
    customer: Annotated[
        str, typer.Option("--customer", "-c", metavar="NUMBER", help="The ordering customer.")
    ],
    by: ByRequired,
    urgent: Annotated[
        bool,
        typer.Option(
            "--urgent", help="1-3 changes done at once, only in desk office hours on a working day."
        ),
    ] = False,
    dry_run: DryRunOpt = False,
    at: AtOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Place a bulk ISSI/TEI change order from a sheet and get its promised date.

    Columns: issi, and new_tei and/or new_issi (Swedish ny_tei, ny_issi).
    Only an orderer of the customer may order (exit 5). Every row is checked
    first: malformed values or an ISSI twice (exit 3), an ISSI that does not
    exist or belongs to another customer (exit 4), a new TEI bound to another
    live subscription or given in two rows, a new ISSI in use (exit 6).
    Nothing is written unless every row is right.

    Then, in one transaction, an order case (topic `order`) lists the
    changes, they are applied and audited. Promised date: 5 working days
    after the receipt day for up to 10 changes, 10 for more (config
    `orders`); a receipt on a weekend or holiday counts from the next working
    day. --urgent: at most 3 changes, in desk office hours, due the same day.

    JSON: {"case": NUMBER, "changes": n, "due": "YYYY-MM-DD", ...}.
    --dry-run prints the per-row diff (old -> new) and the due date.

    Example: ops sub change change_order.xlsx -c 1001 --by anna.berg@polisen.example --dry-run
    """
    from ops_cli.subscriptions import change_order

    ops = get_ops(ctx)
    with progress(None, "reading") as tick:
        result = change_order(
            ops, file, customer=customer, by=by, urgent=urgent, dry_run=dry_run, at=ops.at(at), progress=tick
        )
    due = result["due"]
    when = (
        "the same day"
        if result["urgent"]
        else f"{result['working_days']} working days after {result['receipt_day']}"
    )
    if dry_run:
        info(
            f"dry run, nothing written: {result['changes']} changes for customer {result['customer']},"
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
    info(
        f"order case {result['case']}: {result['changes']} changes for customer {result['customer']},"
        f" promised by {due:%a} {due} ({when})"
    )
    if fmt is OutputFormat.json:
        emit(result, fmt)
    else:
        emit({k: result[k] for k in ("case", "changes", "due", "urgent", "received", "receipt_day")}, fmt)


@app.command("terminate")
def terminate(
    ctx: typer.Context,
    issis: Annotated[list[str], typer.Argument(metavar="ISSI..", help="ISSIs to decommission.")],
    by: ByRequired,
    confirm_reset: Annotated[
        bool,
        typer.Option(
            "--confirm-reset",
            help="Confirm that operator/network programming and DMO frequencies were removed and the"
            " terminal was factory-reset.",
        ),
    ] = False,
    at: AtOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Decommission subscriptions; their TEIs become free for other subscriptions.

    Only an orderer (exit 5). Refused without --confirm-reset: the customer
    must first remove all operator and network programming and DMO
    frequencies from the terminal and reset it to factory settings.
    """
    from ops_cli.subscriptions import terminate as terminate_core

    ops = get_ops(ctx)
    result = terminate_core(ops, issis, by=by, confirm_reset=confirm_reset, at=ops.at(at))
    info(f"terminated {result['changed']}, already terminated {result['unchanged']}")
    if fmt is OutputFormat.json:
        emit(result, fmt)
    else:
        emit(result["subscriptions"], fmt, [*SUB_COLUMNS, "was", "changed"])


@app.command("orders")
def orders(
    ctx: typer.Context,
    customer: CustomerOpt = None,
    open_: Annotated[bool, typer.Option("--open", help="Only orders not yet delivered.")] = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """List ISSI/TEI change orders: case, changes, received, due, delivered, on_time, overdue."""
    from ops_cli.subscriptions import list_orders

    emit(list_orders(get_ops(ctx), customer=customer, open_only=open_), fmt, ORDER_COLUMNS)


@app.command("deliver")
def deliver(
    ctx: typer.Context,
    case: Annotated[str, typer.Argument(metavar="CASE_NUMBER", help="The order case, e.g. 2026-00012.")],
    at: AtOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Mark a change order delivered; it is on time when delivered on or before its due date."""
    from ops_cli.subscriptions import deliver as deliver_core

    ops = get_ops(ctx)
    result = deliver_core(ops, case, at=ops.at(at))
    info(
        f"order {result['case']} delivered {'on time' if result['on_time'] else 'LATE'} (due {result['due']})"
    )
    emit(result, fmt)

"""`ops swap`: Spare-phone (swap) stock sized at 8 % of the fleet."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from . import _dryrun as dryrun
from . import _scripting as scripting
from ._common import ops as get_ops
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
from ._output import emit, emit_text, info, warn

app = typer.Typer(
    help=(
        "Spare-phone (swap) stock sized at 8 % of the fleet: units, shipping with next-working-day "
        "delivery, returns, refills and freight billing."
    ),
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def callback() -> None:
    """Spare-phone (swap) stock sized at 8 % of the fleet: units, shipping with
    next-working-day delivery, returns, refills and freight billing.
    """


class State(StrEnum):
    in_stock = "in_stock"
    on_loan = "on_loan"
    swapped_out = "swapped_out"
    in_repair = "in_repair"
    retired = "retired"


class Destination(StrEnum):
    stock = "stock"
    repair = "repair"
    user = "user"


SerialArg = Annotated[str, typer.Argument(metavar="SERIAL", help="The unit's serial number or IMEI.")]
ModelOpt = Annotated[str | None, typer.Option("--model", "-M", metavar="MODEL", help="Phone model.")]
OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar="FILE", help="Also write the lines to FILE (.xlsx or .csv)."),
]
OowOpt = Annotated[
    bool, typer.Option("--out-of-warranty", help="Out of warranty: billed to the customer directly.")
]


@app.command("size")
def size(
    ctx: typer.Context,
    fleet: Annotated[
        str | None, typer.Option("--fleet", metavar="N", help="Phones in the fleet (0 to 2^63-1).")
    ] = None,
    customer: CustomerOpt = None,
    rate: Annotated[
        str | None,
        typer.Option(
            "--rate", metavar="R", help="Share of the fleet, e.g. 0.1 (default: config swap.rate, 0.08)."
        ),
    ] = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """How many spare phones a fleet needs: ceil(rate x fleet), at least 1 for a non-empty fleet.

    Exact arithmetic: 400 phones -> 32, 401 -> 33. Give --fleet N, or
    --customer C to use the customer's recorded fleet.

    Example: ops swap size --fleet 400
    """
    if (fleet is None) == (customer is None):
        raise typer.BadParameter("give either --fleet N or --customer C", param_hint="--fleet/--customer")
    from ops_cli import swap

    emit(swap.size(get_ops(ctx), fleet=fleet, customer=customer, rate=rate), fmt)


@app.command("add")
def add(
    ctx: typer.Context,
    serials: Annotated[
        list[str] | None, typer.Argument(metavar="SERIAL..", help="Serial numbers or IMEIs of the new units.")
    ] = None,
    customer: CustomerOpt = None,
    model: ModelOpt = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            metavar="FILE",
            help="A sheet (.xlsx/.csv) with columns customer, model, serial "
            "(Swedish: kundnummer, modell, serienummer; `-`: standard input); "
            "--customer/--model fill empty cells.",
        ),
    ] = None,
    dry_run: DryRunOpt = False,
    by: ByOpt = None,
    sheet: SheetOpt = None,
    delimiter: DelimiterOpt = None,
    format_in: scripting.FormatInOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Add spare units to a prof customer's swap stock (state in_stock).

    Serials are unique store-wide; a serial the customer already holds as the
    same model is left unchanged, so running the same command twice adds
    nothing. --by: a desk agent (config desk.agents) or the customer's orderer
    (of every customer in the file).

    Example: ops swap add --customer 2001 --model "Galaxy XCover7" R58W10001 R58W10002
    """
    from ops_cli import swap

    o = get_ops(ctx)
    if file is not None:
        if serials:
            raise typer.BadParameter("give serials or --file, not both", param_hint="SERIAL..")
        path = scripting.stdin_file(ctx, file, format_in)
        result, diff = dryrun.imported(
            ctx,
            False,
            lambda dry: swap.add_units_file(
                o, path, customer=customer, model=model, by=by, dry_run=dry, **sheet_kwargs(sheet, delimiter)
            ),
        )
        say_sheet(result)
    else:
        if not customer or not model:
            raise typer.BadParameter(
                "give --customer and --model with the serials (or --file)", param_hint="--customer/--model"
            )
        result, diff = dryrun.imported(
            ctx, False, lambda dry: swap.add_units(o, customer, model, serials or [], by=by, dry_run=dry)
        )
    verb = "would add" if dry_run else "added"
    info(f"{verb} {result['created']} unit(s), {result['unchanged']} unchanged")
    dryrun.emit_imported(result, diff, fmt, result["units"], ["serial", "customer", "model", "change"])


@app.command("list")
def list_(
    ctx: typer.Context,
    customer: CustomerOpt = None,
    state: Annotated[State | None, typer.Option("--state", help="Only units in this state.")] = None,
    model: ModelOpt = None,
    limit: LimitOpt = None,
    columns: ColumnsOpt = None,
    wide: WideOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """List swap units: serial, customer, model, state and the last case shipped on.

    Example: ops swap list -c 2001 --state in_stock
    """
    from ops_cli import swap

    rows = swap.list_units(get_ops(ctx), customer=customer, state=state.value if state else None, model=model)
    emit(rows, fmt, columns=swap.UNIT_COLUMNS)


@app.command("stock")
def stock(
    ctx: typer.Context,
    customer: CustomerOpt = None,
    below_target: Annotated[
        bool, typer.Option("--below-target", help="Only customers whose stock is below their target.")
    ] = False,
    exit_status: ExitStatusOpt = False,
    limit: LimitOpt = None,
    columns: ColumnsOpt = None,
    wide: WideOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Per customer and model: units in stock, the target and the refill to order.

    The customer's target (ops swap size) is spread over its models in
    proportion to their share of the stock, unless a per-model target is set
    (ops swap target). Customers whose stock is below target are flagged
    (below_target) and named on stderr.

    Example: ops swap stock --below-target --exit-status
    """
    from ops_cli import swap

    rows = swap.stock(get_ops(ctx), customer)
    if below_target:
        low = {r["customer"] for r in rows if r["below_target"]}
        rows = [r for r in rows if r["customer"] in low]
    if scripting.show_listing(exit_status):
        emit(rows, fmt, columns=swap.STOCK_COLUMNS)
    for number in dict.fromkeys(r["customer"] for r in rows if r["below_target"]):
        if scripting.show_listing(exit_status):
            warn(
                f"customer {number} is below its swap target; "
                f"see `ops swap refill-request --customer {number}`"
            )
    scripting.exit_if_found(rows, exit_status)


@app.command("target")
def target(
    ctx: typer.Context,
    customer: Annotated[str, typer.Option("--customer", "-c", metavar="NUMBER", help="Customer number.")],
    model: Annotated[str, typer.Option("--model", "-M", metavar="MODEL", help="Phone model.")],
    count: Annotated[
        str | None, typer.Argument(metavar="[N]", help="Units of this model to keep in stock (0 or more).")
    ] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Remove the per-model target.")] = False,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Set a per-model stock target (else the customer's target is spread by stock share).

    --by: a desk agent (config desk.agents) or the customer's orderer.

    Example: ops swap target --customer 2001 --model "Galaxy XCover7" 20
    """
    if (count is None) == (not clear):
        raise typer.BadParameter("give a target N or --clear", param_hint="N")
    from ops_cli import swap

    dryrun.run_and_emit(
        ctx, fmt, lambda: swap.set_target(get_ops(ctx), customer, model, None if clear else count, by=by)
    )


@app.command("refill-request")
def refill_request(
    ctx: typer.Context,
    customer: Annotated[str, typer.Option("--customer", "-c", metavar="NUMBER", help="Customer number.")],
    output: OutputOpt = None,
    force: ForceOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """The request to send a customer whose swap stock is below target: what to order.

    Prints the message and the lines per model (how many to order); -o writes
    the lines to .xlsx or .csv.

    Example: ops swap refill-request -c 2001 -o refill-2001.xlsx
    """
    from ops_cli import swap

    result = swap.refill_request(get_ops(ctx), customer, output, force=force)
    if output:
        info(f"wrote {output}")
    if fmt is OutputFormat.json:
        emit(result, fmt)
        return
    if fmt is OutputFormat.table:
        emit_text(result["message"])
    if result["lines"]:
        emit(result["lines"], fmt, columns=swap.REFILL_COLUMNS)


@app.command("ship")
def ship(
    ctx: typer.Context,
    customer: Annotated[
        str, typer.Option("--customer", "-c", metavar="NUMBER", help="Customer number (prof).")
    ],
    case: Annotated[str, typer.Option("--case", metavar="NUMBER", help="The case the spare is sent on.")],
    model: ModelOpt = None,
    at: AtOpt = None,
    out_of_warranty: OowOpt = False,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Send a spare phone from the customer's stock on a case (prof customers only).

    Picks an in-stock unit of --model, else of the model with most stock.
    The cut-off counts from when the service case was registered (its
    opening), not from when this runs: a case registered before 14:00
    (config swap.cutoff) on a working day is delivered the next working day;
    later, or on a weekend or holiday, it counts as registered on the next
    working day and is delivered the working day after that. A spare sent
    after its promised day ships that day and arrives the next working day.
    --at is when the spare is sent. --by: a desk agent (config desk.agents),
    or the customer's orderer or contact.

    Example: ops swap ship --customer 2001 --case 2026-00001 --at 2026-11-20T13:30
    """
    from ops_cli import swap

    o = get_ops(ctx)
    result = dryrun.run(
        ctx,
        fmt,
        lambda: swap.ship(
            o, customer, case, model=model, at=o.at(at), out_of_warranty=out_of_warranty, by=by
        ),
    )
    if dryrun.active(ctx):
        return
    info(
        f"ship {result['serial']} ({result['model']}) on {result['ship_date']}; "
        f"delivery {result['delivery_date']}"
    )
    if result.get("month_billed"):
        month = result["ship_date"][:7]
        warn(
            f"freight for {month} was already billed; bill this shipment with "
            f"`ops swap freight --month {month} --rebill`"
        )
    emit(result, fmt)


@app.command("delivered")
def delivered(
    ctx: typer.Context,
    serial: SerialArg,
    at: AtOpt = None,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Record that the latest shipment of a unit reached the user (for the quality report).

    --at may not be before the case was registered. --by: a desk agent (config
    desk.agents), or the unit's customer's orderer or contact.

    Example: ops swap delivered R58W10001
    """
    from ops_cli import swap

    o = get_ops(ctx)
    dryrun.run_and_emit(ctx, fmt, lambda: swap.delivered(o, serial, at=o.at(at), by=by))


@app.command("shipments")
def shipments(
    ctx: typer.Context,
    customer: CustomerOpt = None,
    month: Annotated[
        str | None, typer.Option("--month", metavar="YYYY-MM", help="Only shipments sent in this month.")
    ] = None,
    limit: LimitOpt = None,
    columns: ColumnsOpt = None,
    wide: WideOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """List shipments: case, unit, registration, ship and delivery dates.

    Example: ops swap shipments -c 2001 --month 2026-11
    """
    from ops_cli import swap

    emit(swap.list_shipments(get_ops(ctx), customer=customer, month=month), fmt, columns=swap.SHIP_COLUMNS)


@app.command("return")
def return_(
    ctx: typer.Context,
    serial: SerialArg,
    to: Annotated[
        Destination | None,
        typer.Option(
            "--to",
            help="Where the unit goes (default by the customer's policy: loan -> stock, "
            "exchange -> user; a repaired unit -> stock, a loan user's own phone -> user).",
        ),
    ] = None,
    broken: Annotated[
        str | None,
        typer.Option(
            "--broken",
            metavar="SERIAL",
            help="The user's broken phone that came back (exchange: it goes to repair, then to stock).",
        ),
    ] = None,
    model: Annotated[
        str | None, typer.Option("--model", "-M", help="Model of the --broken phone (default: the spare's).")
    ] = None,
    out_of_warranty: OowOpt = False,
    at: AtOpt = None,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Record a return of a shipped spare or of a repaired phone.

    Loan policy: the spare comes back to stock. Exchange policy: the user
    keeps the spare and the broken phone (--broken SERIAL) goes to repair,
    then to stock. A unit in repair comes back repaired: to stock (or, a loan
    user's own phone, to the user).

    --at may not be before the case was registered. --by: a desk agent (config
    desk.agents), or the unit's customer's orderer or contact.

    Examples: ops swap return R58W10001
              ops swap return R58W10001 --broken 356789012345678
    """
    from ops_cli import swap

    o = get_ops(ctx)
    dryrun.run_and_emit(
        ctx,
        fmt,
        lambda: swap.return_unit(
            o,
            serial,
            to=to.value if to else None,
            broken=broken,
            model=model,
            out_of_warranty=out_of_warranty,
            at=o.at(at),
            by=by,
        ),
    )


@app.command("repair")
def repair(
    ctx: typer.Context,
    serial: SerialArg,
    out_of_warranty: OowOpt = False,
    at: AtOpt = None,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Send a unit to repair, or mark its open repair out of warranty (billed to the customer).

    --by: a desk agent (config desk.agents), or the unit's customer's orderer or contact.

    A repaired unit comes back with `ops swap return SERIAL`.

    Example: ops swap repair R58W10002
    """
    from ops_cli import swap

    o = get_ops(ctx)
    dryrun.run_and_emit(
        ctx, fmt, lambda: swap.repair(o, serial, out_of_warranty=out_of_warranty, at=o.at(at), by=by)
    )


@app.command("retire")
def retire(
    ctx: typer.Context,
    serial: SerialArg,
    at: AtOpt = None,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Take a unit out of the stock for good (lost or beyond repair).

    --by: a desk agent (config desk.agents) or the owning customer's orderer.

    Example: ops swap retire R58W10003
    """
    from ops_cli import swap

    o = get_ops(ctx)
    dryrun.run_and_emit(ctx, fmt, lambda: swap.retire(o, serial, at=o.at(at), by=by))


@app.command("freight")
def freight(
    ctx: typer.Context,
    month: Annotated[
        str, typer.Option("--month", metavar="YYYY-MM", help="The month to bill (shipments by ship date).")
    ],
    rebill: Annotated[
        bool, typer.Option("--rebill", help="Bill a month that was already billed again.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Preview the lines; mark nothing as billed.")
    ] = False,
    output: OutputOpt = None,
    force: ForceOpt = False,
    by: ByOpt = None,
    limit: LimitOpt = None,
    columns: ColumnsOpt = None,
    wide: WideOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Freight and packaging billing for one month: one line per customer.

    Billed in arrears (the month must be over) at the config's
    swap.freight_price and swap.packaging_price per shipment. Out-of-warranty
    shipments and repairs are listed as billable to the customer directly. The
    month is marked billed: running it again needs --rebill.

    --by: a desk agent (config desk.agents); billing is the desk's own.

    Example: ops swap freight --month 2026-10 -o freight-2026-10.xlsx
    """
    from ops_cli import swap

    rows = swap.freight(
        get_ops(ctx), month, rebill=rebill, dry_run=dry_run, output=output, force=force, by=by
    )
    if not rows:
        info(f"no shipments or out-of-warranty repairs in {month}; nothing to bill")
    elif not dry_run:
        info(f"billed {month}: {len(rows)} customer(s)")
    if output:
        info(f"would write {output}" if dry_run else f"wrote {output}")
    emit(rows, fmt, columns=swap.FREIGHT_COLUMNS)

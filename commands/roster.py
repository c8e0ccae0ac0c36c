"""`ops roster`: Customers and their authorised people."""

from pathlib import Path
from typing import Annotated

import typer

from ops_cli import roster as core
from ops_cli.errors import CheckFailed
from ops_cli.permissions import ACTIONS

from ._common import ops as get_ops
from ._options import ByOpt, CustomerOpt, DryRunOpt, FormatOpt, OutputFormat
from ._output import emit, info, progress, warn

app = typer.Typer(
    help=(
        "Customers and their authorised people: orderers, contacts, telephony responsibles and viewers."
        " Import and export Excel rosters; check who may do what (`ops roster can`)."
    ),
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def callback() -> None:
    """Customers and their authorised people: orderers, contacts, telephony responsibles and viewers.
    Import and export Excel rosters; check who may do what (`ops roster can`)."""


customer_app = typer.Typer(
    help="Customers: number, name, email domains, account department, KAM, agreement, binding, SLA tier, "
    "service level, fleet size and swap policy.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(customer_app, name="customer")

NumberArg = Annotated[str, typer.Argument(metavar="NUMBER", help="Customer number (digits), e.g. 2001.")]
FileArg = Annotated[Path, typer.Argument(metavar="FILE", help=".xlsx or .csv file.")]
NameOpt = Annotated[str | None, typer.Option("--name", help="Customer name, e.g. 'Nordbygg AB'.")]
TierOpt = Annotated[
    str | None,
    typer.Option(
        "--sla-tier", metavar="TIER", help="none or a tier of the config's sla.tiers (bronze, silver, gold)."
    ),
]
LevelOpt = Annotated[str | None, typer.Option("--service-level", metavar="LEVEL", help="none, bas or prof.")]
FleetOpt = Annotated[int | None, typer.Option("--fleet", min=0, help="Number of phones/terminals.")]
AgreementOpt = Annotated[
    str | None,
    typer.Option(
        "--agreement",
        help="Agreement type (free text; config sla.eligible_agreements lists the SLA-eligible ones).",
    ),
]
BindingOpt = Annotated[
    str | None,
    typer.Option("--binding-until", metavar="DATE", help="Binding end date, YYYY-MM-DD ('' clears it)."),
]
KamOpt = Annotated[bool | None, typer.Option("--kam/--no-kam", help="Key-account managed.")]
DomainOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--domain",
        metavar="DOMAIN",
        help="Email domain of the customer's users (repeat for several; replaces the list; '' clears).",
    ),
]
DepartmentOpt = Annotated[
    str | None,
    typer.Option(
        "--department",
        help="Account department (one of the config's departments); all its cases route there. '' clears.",
    ),
]
SwapOpt = Annotated[str | None, typer.Option("--swap-policy", metavar="POLICY", help="loan or exchange.")]


def _customer_fields(**kw):
    domains = kw.pop("domains")
    if domains is not None:
        kw["domains"] = [d for d in domains if d.strip()]
    return kw


def _emit_customer(result: dict, fmt: OutputFormat) -> None:
    for message in result.pop("warnings", []):
        warn(message)
    emit(result, fmt)


@customer_app.command("add")
def customer_add(
    ctx: typer.Context,
    number: NumberArg,
    name: NameOpt = None,
    sla_tier: TierOpt = None,
    service_level: LevelOpt = None,
    fleet: FleetOpt = None,
    agreement: AgreementOpt = None,
    binding_until: BindingOpt = None,
    kam: KamOpt = None,
    domain: DomainOpt = None,
    department: DepartmentOpt = None,
    swap_policy: SwapOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Add a customer (the number must be new; --name is required).

    Example: ops roster customer add 2003 --name "Åkeri Syd AB" --agreement business
    --binding-until 2027-12-31 --sla-tier silver --domain akeri.example
    """
    result = core.add_customer(
        get_ops(ctx),
        number,
        **_customer_fields(
            name=name,
            sla_tier=sla_tier,
            service_level=service_level,
            fleet=fleet,
            agreement=agreement,
            binding_until=binding_until,
            kam=kam,
            domains=domain,
            department=department,
            swap_policy=swap_policy,
        ),
    )
    _emit_customer(result, fmt)


@customer_app.command("set")
def customer_set(
    ctx: typer.Context,
    number: NumberArg,
    name: NameOpt = None,
    sla_tier: TierOpt = None,
    service_level: LevelOpt = None,
    fleet: FleetOpt = None,
    agreement: AgreementOpt = None,
    binding_until: BindingOpt = None,
    kam: KamOpt = None,
    domain: DomainOpt = None,
    department: DepartmentOpt = None,
    swap_policy: SwapOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Change a customer's attributes; options left out stay as they are.

    Setting an SLA tier on a customer that is not eligible (agreement type,
    binding left) is done, with a warning on stderr giving the reasons.
    """
    result = core.set_customer(
        get_ops(ctx),
        number,
        **_customer_fields(
            name=name,
            sla_tier=sla_tier,
            service_level=service_level,
            fleet=fleet,
            agreement=agreement,
            binding_until=binding_until,
            kam=kam,
            domains=domain,
            department=department,
            swap_policy=swap_policy,
        ),
    )
    _emit_customer(result, fmt)


@customer_app.command("list")
def customer_list(ctx: typer.Context, fmt: FormatOpt = OutputFormat.table) -> None:
    """List every customer with its agreement, SLA tier, service level, fleet and domains."""
    emit(core.list_customers(get_ops(ctx)), fmt, columns=core.CUSTOMER_LIST_COLUMNS)


@customer_app.command("show")
def customer_show(ctx: typer.Context, number: NumberArg, fmt: FormatOpt = OutputFormat.table) -> None:
    """Show one customer with its roster (who may order, is contact, telephony, viewer)."""
    emit(core.show_customer(get_ops(ctx), number), fmt)


@customer_app.command("import")
def customer_import(
    ctx: typer.Context, file: FileArg, dry_run: DryRunOpt = False, fmt: FormatOpt = OutputFormat.table
) -> None:
    """Create or update customers by number from a .xlsx/.csv sheet.

    Columns (English or Swedish): number/kundnummer, name/kund, agreement/avtal,
    binding_until/bindningstid, sla_tier, service_level, fleet/antal, kam,
    domains (comma-separated), department/avdelning, swap_policy. Only number and
    name are required; columns left out of the sheet leave those attributes as
    they are, an empty cell clears them. Any bad cell: exit 3, nothing written.
    """
    with progress(None, "Reading customers") as tick:
        result = core.import_customers(get_ops(ctx), file, dry_run=dry_run, progress=tick)
    if fmt is OutputFormat.json:
        emit(result, fmt)
        return
    emit({k: result[k] for k in ("created", "updated", "unchanged")}, fmt)
    if dry_run:
        info("dry run: nothing was written")


RoleOpt = Annotated[
    list[str],
    typer.Option(
        "--role", "-r", metavar="ROLE", help="orderer, contact, telephony or viewer (repeat for several)."
    ),
]


@app.command("add")
def add(
    ctx: typer.Context,
    customer: Annotated[str, typer.Option("--customer", "-c", metavar="NUMBER", help="Customer number.")],
    email: Annotated[str, typer.Option("--email", "-e", help="Email address (the key with the customer).")],
    name: Annotated[
        str, typer.Option("--name", help="Person's name, or the function's (e.g. 'Ledningscentral').")
    ],
    role: RoleOpt,
    phone: Annotated[
        str | None, typer.Option("--phone", help="Phone number, kept as written (+46..., 070-...).")
    ] = None,
    function: Annotated[
        bool, typer.Option("--function", help="The entry is a function (a shared address), not a person.")
    ] = False,
    by: ByOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Add a person or function to a customer's roster (or update it if the email is there).

    With --by the asker must be an orderer of the customer (exit 5 otherwise,
    nothing changed). Example:
    ops roster add -c 2001 -e eva.lund@nordbygg.example --name "Eva Lund" -r contact
    --by maria.sund@nordbygg.example
    """
    result = core.add_entry(
        get_ops(ctx),
        customer,
        email,
        name,
        role,
        phone=phone,
        kind="function" if function else "person",
        by=by,
    )
    info(f"{result['result']} {result['email']} in the roster of customer {result['customer']}")
    emit(result, fmt)


@app.command("remove")
def remove(
    ctx: typer.Context,
    customer: Annotated[str, typer.Option("--customer", "-c", metavar="NUMBER", help="Customer number.")],
    email: Annotated[str, typer.Option("--email", "-e", help="Email address to remove.")],
    by: ByOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Remove a person or function from a customer's roster (--by must be an orderer)."""
    result = core.remove_entry(get_ops(ctx), customer, email, by=by)
    info(f"removed {result['email']} from the roster of customer {result['customer']}")
    emit(result, fmt)


@app.command("list")
def list_(
    ctx: typer.Context,
    customer: CustomerOpt = None,
    role: Annotated[
        str | None, typer.Option("--role", "-r", metavar="ROLE", help="Only entries with this role.")
    ] = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """List roster entries: customer, name, email, phone, roles, kind."""
    emit(core.list_entries(get_ops(ctx), customer, role), fmt, columns=core.ENTRY_COLUMNS)


@app.command("show")
def show(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(metavar="EMAIL", help="Email address of the person or function.")],
    customer: CustomerOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Show one roster entry and the actions its roles allow.

    Give --customer when the address is in several customers' rosters.
    """
    emit(core.show_entry(get_ops(ctx), email, customer), fmt)


@app.command("can")
def can(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(metavar="EMAIL", help="Who wants to act.")],
    action: Annotated[str, typer.Argument(metavar="ACTION", help="One of: " + ", ".join(ACTIONS) + ".")],
    customer: Annotated[str, typer.Option("--customer", "-c", metavar="NUMBER", help="Customer number.")],
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """May EMAIL do ACTION for the customer? Exit 0 if allowed, 1 if not (for scripts).

    Example: ops roster can per.falk@nordbygg.example report-sla -c 2001 && echo yes
    """
    result = core.can(get_ops(ctx), email, action, customer)
    emit(result, fmt)
    if not result["allowed"]:
        raise CheckFailed(f"not allowed: {result['reason']}")


@app.command("import")
def import_(
    ctx: typer.Context,
    file: FileArg,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace", help="Also remove entries of the file's customers that the file no longer lists."
        ),
    ] = False,
    skip_invalid: Annotated[
        bool,
        typer.Option(
            "--skip-invalid",
            help="Write the valid rows; put the rejected ones with a reason in FILE.rejected.csv.",
        ),
    ] = False,
    dry_run: DryRunOpt = False,
    by: ByOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Import a roster sheet (.xlsx or .csv): upsert on (customer, email), all rows in one transaction.

    Columns, English or Swedish, any case: customer/kundnummer, customer_name/kund
    (optional: creates unknown customers), name/namn, email/e-post,
    phone/telefon (optional), role/roll (one or more, comma-separated:
    orderer/beställare, contact/kontaktperson, telephony/telefoniansvarig, viewer),
    kind/typ (person or function, optional). Every row is checked first: any
    bad row gives exit 3 with `file:row: column: problem` for each, and
    nothing is written.
    """
    with progress(None, "Importing roster") as tick:
        result = core.import_roster(
            get_ops(ctx),
            file,
            replace=replace,
            dry_run=dry_run,
            skip_invalid=skip_invalid,
            by=by,
            progress=tick,
        )
    if result["rejected_file"]:
        warn(f"{result['rejected']} rejected row(s) written to {result['rejected_file']}")
    elif result["rejected"]:
        warn(f"{result['rejected']} row(s) would be rejected")
    created = result["customers_created"]
    if created:
        listed = ", ".join(created[:10]) + (f" and {len(created) - 10} more" if len(created) > 10 else "")
        info(f"{'would create' if dry_run else 'created'} customer{'s' if len(created) > 1 else ''} {listed}")
    if dry_run:
        info("dry run: nothing was written")
    if fmt is OutputFormat.json:
        emit(result, fmt)
        return
    emit({k: result[k] for k in ("created", "updated", "unchanged", "removed", "rejected")}, fmt)


@app.command("export")
def export(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Where to write: .xlsx or .csv.")],
    customer: CustomerOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Export the roster (or one customer's) to .xlsx or .csv, in the columns `roster import` reads.

    .xlsx: bold frozen header with filters, every text a string cell (never a
    formula). .csv: UTF-8 with BOM; text starting with = + - @ gets a leading '.
    Importing the file again changes nothing.
    """
    result = core.export_roster(get_ops(ctx), file, customer)
    info(f"wrote {result['rows']} entries to {result['file']}")
    emit(result, fmt)

"""`ops roster`: Customers and their authorised people."""

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from ops_cli import roster as core
from ops_cli.errors import CheckFailed
from ops_cli.permissions import ACTIONS

from . import _dryrun as dryrun
from . import _scripting as scripting
from ._common import ops as get_ops
from ._confirm import YesOpt, confirm_removals
from ._import_opts import DelimiterOpt, RejectedForceOpt, SheetOpt, say_sheet, sheet_kwargs
from ._options import (
    ByOpt,
    ColumnsOpt,
    CustomerOpt,
    DryRunOpt,
    ForceOpt,
    FormatOpt,
    LimitOpt,
    OutputFormat,
    WideOpt,
)
from ._output import emit, emit_text, info, progress, warn

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
FleetOpt = Annotated[
    str | None,
    typer.Option(
        "--fleet", metavar="N", help="Number of phones/terminals: a whole number from 0 to 1,000,000."
    ),
]
CustomerByOpt = Annotated[
    str | None,
    typer.Option(
        "--by",
        metavar="EMAIL",
        help="Who asks for the change: one of the desk's agents (config desk.agents); default: the operator.",
    ),
]
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


def _save_customer(
    ctx: typer.Context,
    fmt: OutputFormat,
    save: Callable[..., dict],
    number: str,
    by: str | None,
    **fields: Any,
) -> None:
    """``save`` (add or set) a customer's ``fields`` (blank domains dropped), then show it."""
    domains = fields.pop("domains")
    if domains is not None:
        fields["domains"] = [d for d in domains if d.strip()]
    result = dryrun.run(ctx, fmt, lambda: save(get_ops(ctx), number, by=by, **fields))
    if not dryrun.active(ctx):
        _emit_customer(result, fmt)


def _entry_saved(result: dict) -> str:
    return f"{result['result']} {result['email']} in the roster of customer {result['customer']}"


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
    by: CustomerByOpt = None,
    dry_run: DryRunOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Add a customer (the number must be new; --name is required).

    Example:

    ops roster customer add 2003 --name "Åkeri Syd AB" --agreement business \\
    --binding-until 2027-12-31 --sla-tier silver --domain akeri.example
    """
    _save_customer(
        ctx,
        fmt,
        core.add_customer,
        number,
        by,
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
    )


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
    by: CustomerByOpt = None,
    dry_run: DryRunOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Change a customer's attributes; options left out stay as they are.

    Setting an SLA tier on a customer that is not eligible (agreement type,
    binding left) is done, with a warning on stderr giving the reasons.

    Example:

    ops roster customer set 2002 --fleet 15 --swap-policy exchange
    """
    _save_customer(
        ctx,
        fmt,
        core.set_customer,
        number,
        by,
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
    )


@customer_app.command("list")
def customer_list(
    ctx: typer.Context,
    limit: LimitOpt = None,
    columns: ColumnsOpt = None,
    wide: WideOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """List every customer with its agreement, SLA tier, service level, fleet and domains.

    Example: ops roster customer list -f csv
    """
    emit(core.list_customers(get_ops(ctx)), fmt, columns=core.CUSTOMER_LIST_COLUMNS)


@customer_app.command("show")
def customer_show(ctx: typer.Context, number: NumberArg, fmt: FormatOpt = OutputFormat.table) -> None:
    """Show one customer with its roster (who may order, is contact, telephony, viewer).

    json: one object with a roster array; csv: the customer's own fields (the
    roster: `ops roster list -c NUMBER -f csv`); table and md: the roster below.

    Example: ops roster customer show 2001
    """
    record = scripting.shown_phones(core.show_customer(get_ops(ctx), number), fmt)
    if fmt is OutputFormat.json:
        emit(record, fmt)
        return
    entries = record.pop("roster")
    emit(record, fmt, columns=core.CUSTOMER_LIST_COLUMNS, title=f"customer {record['number']}")
    if fmt is OutputFormat.csv:
        return
    emit_text("\n### roster\n" if fmt is OutputFormat.md else "\nroster:")
    emit(entries, fmt, columns=[c for c in core.ENTRY_COLUMNS if c != "customer"], title="roster")


@customer_app.command("import")
def customer_import(
    ctx: typer.Context,
    file: FileArg,
    dry_run: DryRunOpt = False,
    sheet: SheetOpt = None,
    delimiter: DelimiterOpt = None,
    format_in: scripting.FormatInOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Create or update customers by number from a .xlsx/.csv sheet (`-`: standard input).

    Columns (English or Swedish): number/kundnummer, name/kund, agreement/avtal,
    binding_until/bindningstid, sla_tier, service_level, fleet/antal, kam,
    domains (comma-separated), department/avdelning, swap_policy. Only number and
    name are required; columns left out of the sheet leave those attributes as
    they are, an empty cell clears them. Any bad cell: exit 3, nothing written.

    Example: ops roster customer import customers.csv --dry-run
    """
    file = scripting.stdin_file(ctx, file, format_in)
    with progress(None, "Reading customers") as tick:
        result, diff = dryrun.imported(
            ctx,
            False,
            lambda dry: core.import_customers(
                get_ops(ctx), file, dry_run=dry, progress=tick, **sheet_kwargs(sheet, delimiter)
            ),
        )
    say_sheet(result)
    dryrun.emit_imported(result, diff, fmt, {k: result[k] for k in ("created", "updated", "unchanged")})
    if dry_run and fmt is not OutputFormat.json:
        info("dry run: nothing was written")


RoleOpt = Annotated[
    list[str],
    typer.Option(
        "--role", "-r", metavar="ROLE", help="orderer, contact, telephony or viewer (repeat for several)."
    ),
]


EntryCustomerOpt = Annotated[str, typer.Option("--customer", "-c", metavar="NUMBER", help="Customer number.")]
EmailOpt = Annotated[str, typer.Option("--email", "-e", help="Email address (the key with the customer).")]
EntryNameOpt = Annotated[
    str | None,
    typer.Option(
        "--name", help="Person's name, or the function's (e.g. 'Ledningscentral'); needed for a new entry."
    ),
]
PhoneOpt = Annotated[
    str | None, typer.Option("--phone", help="Phone number, kept as written (+46..., 070-...).")
]


@app.command("add")
def add(
    ctx: typer.Context,
    customer: EntryCustomerOpt,
    email: EmailOpt,
    role: RoleOpt,
    name: EntryNameOpt = None,
    phone: PhoneOpt = None,
    function: Annotated[
        bool | None,
        typer.Option(
            "--function/--person",
            help="The entry is a function (a shared address; contact only) or a person. Default: "
            "person for a new entry, unchanged for an existing one.",
        ),
    ] = None,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Add a person or function to a customer's roster.

    If the email is there already, add the given roles and update only the
    fields given (the phone and kind are never blanked). A function (shared
    mailbox) may only be a contact (exit 3). With --by the asker must be desk
    staff or an orderer of the customer (exit 5 otherwise, nothing changed).

    Example:

    ops roster add -c 2001 -e eva.lund@nordbygg.example --name "Eva Lund" \\
    -r contact --by maria.sund@nordbygg.example
    """
    dryrun.run_and_emit(
        ctx,
        fmt,
        lambda: core.add_entry(
            get_ops(ctx),
            customer,
            email,
            name,
            role,
            phone=phone,
            kind=None if function is None else ("function" if function else "person"),
            by=by,
        ),
        _entry_saved,
    )


@app.command("set")
def set_(
    ctx: typer.Context,
    customer: EntryCustomerOpt,
    email: EmailOpt,
    name: EntryNameOpt = None,
    phone: Annotated[
        str | None, typer.Option("--phone", help="Phone number, kept as written; '' removes it.")
    ] = None,
    role: Annotated[
        list[str] | None,
        typer.Option(
            "--role",
            "-r",
            metavar="ROLE",
            help="Replaces all roles: orderer, contact, telephony or viewer (repeat for several).",
        ),
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option("--kind", metavar="KIND", help="person or function (a function is contact only)."),
    ] = None,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Replace the given fields of a roster entry; options left out stay.

    --role replaces all its roles; --phone '' removes the phone. Adds the entry
    if it is missing (then --name and --role are needed). Taking the
    customer's last orderer or last contact away is refused (exit 6): add
    another one first.

    Example:

    ops roster set -c 1001 -e olle.ek@polisen.example -r viewer -r contact
    """
    dryrun.run_and_emit(
        ctx,
        fmt,
        lambda: core.set_entry(
            get_ops(ctx), customer, email, name=name, roles=role, phone=phone, kind=kind, by=by
        ),
        _entry_saved,
    )


@app.command("remove")
def remove(
    ctx: typer.Context,
    customer: Annotated[str, typer.Option("--customer", "-c", metavar="NUMBER", help="Customer number.")],
    email: Annotated[str, typer.Option("--email", "-e", help="Email address to remove.")],
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Remove a person or function from a customer's roster.

    --by: desk staff or an orderer of the customer. The customer's last
    orderer or last contact cannot be removed (exit 6): add another first.

    Example:

    ops roster remove -c 2001 -e johan.dahl@nordbygg.example
    """
    dryrun.run_and_emit(
        ctx,
        fmt,
        lambda: core.remove_entry(get_ops(ctx), customer, email, by=by),
        lambda r: f"removed {r['email']} from the roster of customer {r['customer']}",
    )


@app.command("list")
def list_(
    ctx: typer.Context,
    customer: CustomerOpt = None,
    role: Annotated[
        str | None,
        typer.Option(
            "--role", "-r", metavar="ROLE", help="Only entries with this role (a comma list: any of them)."
        ),
    ] = None,
    limit: LimitOpt = None,
    columns: ColumnsOpt = None,
    wide: WideOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """List roster entries: customer, name, email, phone, roles, kind.

    Example: ops roster list -c 2001 --role telephony
    """
    rows = scripting.shown_phones(core.list_entries(get_ops(ctx), customer, role), fmt)
    emit(rows, fmt, columns=core.ENTRY_COLUMNS)


@app.command("show")
def show(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(metavar="EMAIL", help="Email address of the person or function.")],
    customer: CustomerOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Show one roster entry and the actions its roles allow.

    Give --customer when the address is in several customers' rosters.

    Example: ops roster show per.falk@nordbygg.example
    """
    emit(scripting.shown_phones(core.show_entry(get_ops(ctx), email, customer), fmt), fmt)


@app.command("can")
def can(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(metavar="EMAIL", help="Who wants to act.")],
    action: Annotated[str, typer.Argument(metavar="ACTION", help="One of: " + ", ".join(ACTIONS) + ".")],
    customer: Annotated[str, typer.Option("--customer", "-c", metavar="NUMBER", help="Customer number.")],
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """May EMAIL do ACTION for the customer? Exit 0 if allowed, 1 if not.

    For scripts; the answer follows the customer's roster only.

    Example:

    ops roster can per.falk@nordbygg.example report-sla -c 2001 && echo yes
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
    yes: YesOpt = False,
    dry_run: DryRunOpt = False,
    by: ByOpt = None,
    sheet: SheetOpt = None,
    delimiter: DelimiterOpt = None,
    force: RejectedForceOpt = False,
    format_in: scripting.FormatInOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Import a roster sheet (.xlsx, .csv; `-`: stdin): upsert on (customer, email), in one transaction.

    Columns, English or Swedish, any case: customer/kundnummer, customer_name/kund
    (optional: creates unknown customers), name/namn, email/e-post,
    phone/telefon (optional), role/roll (one or more, comma-separated:
    orderer/beställare, contact/kontaktperson, telephony/telefoniansvarig, viewer),
    kind/typ (person or function, optional). Every row is checked first: any
    bad row gives exit 3 with `file:row: column: problem` for each, and
    nothing is written. --replace lists the entries it removes by name and
    never removes a person whose row was rejected; no import may leave a
    customer without the orderer or contact it had (exit 6, also --dry-run).
    When --replace would remove entries it lists them and asks on a terminal;
    elsewhere it needs --yes (exit 2, nothing changed). --dry-run also shows
    the per-row diff (field: before → after; JSON "changes").

    Example: ops roster import roster.xlsx --dry-run
    """
    file = scripting.stdin_file(ctx, file, format_in, rejected=skip_invalid)

    def run(dry: bool, tick=None) -> dict:
        return core.import_roster(
            get_ops(ctx),
            file,
            replace=replace,
            dry_run=dry,
            skip_invalid=skip_invalid,
            by=by,
            progress=tick,
            force=force,
            **sheet_kwargs(sheet, delimiter),
        )

    if replace and not dry_run:
        ask = "Remove these {count} roster entries?"
        confirm_removals(ask, yes, lambda: run(True)["removed_entries"], what="`roster import --replace`")
    with progress(None, "Importing roster") as tick:
        result, diff = dryrun.imported(ctx, skip_invalid, lambda dry: run(dry, tick))
    say_sheet(result)
    for entry in result["removed_entries"][:20]:
        verb = "would remove" if dry_run else "removed"
        info(f"{verb} {entry['name']} <{entry['email']}> (customer {entry['customer']})")
    if len(result["removed_entries"]) > 20:
        info(f"... and {len(result['removed_entries']) - 20} more removed (see --format json)")
    if result.get("removals_held"):
        held = ", ".join(result["removals_held"]).replace("*", "every customer")
        warn(f"--replace removed nobody of {held}: a rejected row there names no one we can tell")
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
    counts = {k: result[k] for k in ("created", "updated", "unchanged", "removed", "rejected")}
    dryrun.emit_imported(result, diff, fmt, counts)


@app.command("export")
def export(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Where to write: .xlsx or .csv.")],
    customer: CustomerOpt = None,
    force: ForceOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Export the roster (or one customer's) to .xlsx or .csv, in the columns `roster import` reads.

    .xlsx: bold frozen header with filters, every text a string cell (never a
    formula). .csv: UTF-8 with BOM; text starting with = + - @ gets a leading '.
    Importing the file again changes nothing. The file is created readable by its owner
    only (0600); an existing file is refused (exit 6) unless --force.

    Example: ops roster export roster-2001.xlsx -c 2001
    """
    with progress(None, "Exporting roster") as tick:
        result = core.export_roster(get_ops(ctx), file, customer, force=force, progress=tick)
    info(f"wrote {result['rows']} {'entry' if result['rows'] == 1 else 'entries'} to {result['file']}")
    emit(result, fmt)

"""`ops case`: Support cases."""

from collections.abc import Callable
from typing import Annotated

import typer

from . import _scripting as scripting
from ._common import ops as get_ops
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
from ._output import emit, emit_text, info

app = typer.Typer(
    help=(
        "Support cases: open, route to departments, thread and status, classification, third-party access,"
        " feedback callbacks and stale lists."
    ),
    no_args_is_help=True,
    add_completion=False,
)

LIST_COLUMNS = [
    "number",
    "customer",
    "topic",
    "department",
    "agent",
    "status",
    "critical",
    "classification",
    "opened_at",
    "next_callback_at",
    "subject",
]

NumberArg = Annotated[str, typer.Argument(metavar="NUMBER", help="Case number, e.g. 2026-00042.")]
MessageOpt = Annotated[
    str | None, typer.Option("--message", "-m", help="The text (`-`: read it from standard input).")
]
AgentByOpt = Annotated[
    str | None,
    typer.Option(
        "--by",
        metavar="EMAIL",
        help="The desk agent who acts (config desk.agents; else exit 5); default: the desk's operator.",
    ),
]
ClassifiedOpt = Annotated[
    bool,
    typer.Option(
        "--include-classified",
        help="Show the text of sensitive and secret cases (masked otherwise; exports also leave"
        " secret cases out).",
    ),
]


# `case open` options
SubjectOpt = Annotated[str, typer.Option("--subject", help="Short description of the problem.")]

ReporterOpt = Annotated[
    str,
    typer.Option(
        "--reporter",
        metavar="EMAIL",
        help="Who reports; a reporter on a customer's roster (any e-mail domain), else on its"
        " e-mail domain, is matched to that customer.",
    ),
]

TopicOpt = Annotated[
    str | None,
    typer.Option(
        "--topic",
        "-t",
        help="fault, disruption, coverage, order, question, invoice, planned-event, terminal-fault"
        " (config `topics`); default: config cases.default_topic.",
    ),
]

ChannelOpt = Annotated[
    str, typer.Option("--channel", help="portal, email, phone, radio or sla (the SLA line).")
]

OpenMessageOpt = Annotated[
    str | None, typer.Option("--message", "-m", help="The customer's message (`-`: from standard input).")
]

CriticalOpt = Annotated[
    bool,
    typer.Option(
        "--critical",
        help="A critical fault (fault topics; on the SLA line: SLA callback timers). Other topics: high"
        " priority only.",
    ),
]

ClassificationOpt = Annotated[
    str,
    typer.Option("--classification", help="normal, sensitive or secret (text masked in lists and exports)."),
]

AreaOpt = Annotated[
    str | None,
    typer.Option(
        "--area", help="Business area (config `areas`): fire-alarm, intrusion-alarm, access-control..."
    ),
]

FacilityOpt = Annotated[str | None, typer.Option("--facility", help="The facility or site concerned.")]

OccurredAtOpt = Annotated[
    str | None, typer.Option("--occurred-at", metavar="TIME", help="When the fault occurred (ISO 8601).")
]

OrganisationOpt = Annotated[
    str | None,
    typer.Option(
        "--organisation",
        metavar="NAME",
        help="The organisation (Kommun/Företag) of a reporter who is not yet a customer.",
    ),
]

ReporterNameOpt = Annotated[
    str | None,
    typer.Option("--reporter-name", metavar="NAME", help="The reporter's name (new customers)."),
]

ReporterPhoneOpt = Annotated[
    str | None,
    typer.Option("--reporter-phone", metavar="PHONE", help="The reporter's phone (new customers)."),
]

OpenByOpt = Annotated[
    str | None,
    typer.Option(
        "--by",
        metavar="EMAIL",
        help="Who records it: a desk agent, the reporter or a person of the customer (else exit 5);"
        " default: the reporter.",
    ),
]


@app.callback()
def callback() -> None:
    """Support cases: open, route to departments, thread and status, classification,
    third-party access, feedback callbacks and stale lists."""


def _emit_case(case: dict, fmt: OutputFormat) -> None:
    emit(case, fmt, columns=LIST_COLUMNS if fmt is OutputFormat.csv else None)


def _write_case(ctx: typer.Context, fmt: OutputFormat, write: Callable[[], dict]) -> None:
    """Run one case write (``--dry-run``: show what it would change) and show the case."""
    from . import _dryrun as dryrun  # the writes only: a listing does not load it

    result = dryrun.run(ctx, fmt, write)
    if not dryrun.active(ctx):
        _emit_case(result, fmt)


@app.command("open")
def open_(
    ctx: typer.Context,
    subject: SubjectOpt,
    reporter: ReporterOpt,
    topic: TopicOpt = None,
    customer: CustomerOpt = None,
    channel: ChannelOpt = "portal",
    message: OpenMessageOpt = None,
    critical: CriticalOpt = False,
    classification: ClassificationOpt = "normal",
    area: AreaOpt = None,
    facility: FacilityOpt = None,
    occurred_at: OccurredAtOpt = None,
    organisation: OrganisationOpt = None,
    reporter_name: ReporterNameOpt = None,
    reporter_phone: ReporterPhoneOpt = None,
    by: OpenByOpt = None,
    at: AtOpt = None,
    body_file: scripting.BodyFileOpt = None,
    dry_run: DryRunOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Open a case and route it to a department.

    Routing: the customer's account department, else (KAM customers) `kam`, else
    the business area's or the topic's national department.

    The customer: --customer, else the customer whose roster lists the reporter
    (any e-mail domain), else the one of the reporter's domain. Without a known
    customer, --organisation, --reporter-name, --reporter-phone, --area,
    --facility and --occurred-at are required. The SLA line (--channel sla) is
    only for customers with an SLA tier who are eligible (exit 5), takes only the
    customer's telephony entries, and outside customer-service hours only
    --critical faults of a fault topic. SLA timers (2 h, then every 4 support
    hours) run only for critical faults on the SLA line; other fault cases get
    feedback every 24 h (next_callback_at).

    Example:

    ops case open -t fault --reporter anna.berg@polisen.example --subject Nere
    """
    from ops_cli import cases

    from . import _dryrun as dryrun

    ops = get_ops(ctx)
    case = dryrun.run(
        ctx,
        fmt,
        lambda: cases.open_case(
            ops,
            topic=topic or ops.config["cases"]["default_topic"],
            reporter=reporter,
            subject=subject,
            customer=customer,
            channel=channel,
            message=scripting.message_body(message, body_file, required=False),
            critical=critical,
            classification=classification,
            area=area,
            facility=facility,
            occurred_at=ops.at(occurred_at, "--occurred-at") if occurred_at is not None else None,
            organisation=organisation,
            reporter_name=reporter_name,
            reporter_phone=reporter_phone,
            at=ops.at(at),
            actor=by,
        ),
    )
    if dryrun.active(ctx):
        return
    info(f"opened case {case['number']} ({case['department']})")
    if case.get("advice"):
        info(f"advice for the reporter: {case['advice']}")
    _emit_case(case, fmt)


@app.command("list")
def list_(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option("--status", help="open, answered or closed.")] = None,
    customer: CustomerOpt = None,
    department: Annotated[str | None, typer.Option("--department", "-d", help="Department name.")] = None,
    topic: Annotated[str | None, typer.Option("--topic", "-t", help="Topic.")] = None,
    agent: Annotated[str | None, typer.Option("--agent", help="Assigned agent.")] = None,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only open cases whose feedback callback is past due.")
    ] = False,
    since: Annotated[
        str | None, typer.Option("--since", metavar="TIME", help="Opened at or after (date or time).")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", metavar="TIME", help="Opened before (a date includes that day).")
    ] = None,
    limit: LimitOpt = None,
    include_classified: ClassifiedOpt = False,
    at: AtOpt = None,
    exit_status: ExitStatusOpt = False,
    columns: ColumnsOpt = None,
    wide: WideOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """List cases, newest first.

    Subjects of sensitive and secret cases are masked unless --include-classified.

    Example:

    ops case list --status open --customer 1001 -f json
    """
    from ops_cli import cases

    ops = get_ops(ctx)
    rows = cases.list_cases(
        ops,
        status=status,
        customer=customer,
        department=department,
        topic=topic,
        agent=agent,
        overdue=overdue,
        since=since,
        until=until,
        limit=limit,
        at=ops.at(at) if at is not None else None,
        include_classified=include_classified,
    )
    if scripting.show_listing(exit_status):
        whole = fmt in (OutputFormat.json, OutputFormat.jsonl)  # every field (jsonl: whatever columns)
        found = emit(rows, fmt, columns=None if whole else LIST_COLUMNS)
    else:
        found = next(rows, None) is not None  # a stream: one row tells
    scripting.exit_if_found(found, exit_status)


@app.command("show")
def show(
    ctx: typer.Context,
    number: NumberArg,
    include_classified: ClassifiedOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Show a case with its thread (internal notes marked), history, third-party grants and callbacks.

    A sensitive or secret case shows its dates, status and who acted, but every
    text (subject, thread, resolution, notes, third parties) is masked unless
    --include-classified, in every format.

    Example:

    ops case show 2026-00009
    """
    from ops_cli import cases

    case = cases.show_case(get_ops(ctx), number, include_classified=include_classified)
    if fmt in (OutputFormat.json, OutputFormat.csv):
        _emit_case(case, fmt)
        return
    parts = {k: case.pop(k) for k in ("thread", "history", "grants", "callbacks")}
    emit(case, fmt, title=f"case {case['number']}")
    for name, rows in parts.items():
        if not rows:
            continue
        if fmt is OutputFormat.md:
            emit_text(f"\n### {name}\n")
        else:
            emit_text(f"\n{name}:")
        emit(rows, fmt, title=name)


@app.command("reply")
def reply(
    ctx: typer.Context,
    number: NumberArg,
    message: MessageOpt = None,
    by: AgentByOpt = None,
    at: AtOpt = None,
    body_file: scripting.BodyFileOpt = None,
    dry_run: DryRunOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """An agent replies to the customer: the case becomes `answered` (a closed case: exit 6).

    Example:

    ops case reply 2026-00009 -m "Vi felsöker masten i Ystad."
    """
    from ops_cli import cases

    ops = get_ops(ctx)
    message = scripting.message_body(message, body_file)
    _write_case(ctx, fmt, lambda: cases.reply(ops, number, message, by=by, at=ops.at(at)))


@app.command("message")
def message_(
    ctx: typer.Context,
    number: NumberArg,
    message: MessageOpt = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            metavar="EMAIL",
            help="Who wrote: the reporter or a person on the customer's roster (else exit 5);"
            " default: the reporter.",
        ),
    ] = None,
    at: AtOpt = None,
    body_file: scripting.BodyFileOpt = None,
    dry_run: DryRunOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """The customer wrote again: the message joins the thread and the case is `open` again.

    A message on a closed case reopens it (recorded in the history) and restarts its
    feedback schedule.

    Example:

    ops case message 2026-00009 -m "Nere igen." --by anna.berg@polisen.example
    """
    from ops_cli import cases

    ops = get_ops(ctx)
    message = scripting.message_body(message, body_file)
    _write_case(ctx, fmt, lambda: cases.customer_message(ops, number, message, by=by, at=ops.at(at)))


@app.command("note")
def note(
    ctx: typer.Context,
    number: NumberArg,
    message: MessageOpt = None,
    by: AgentByOpt = None,
    at: AtOpt = None,
    body_file: scripting.BodyFileOpt = None,
    dry_run: DryRunOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Add an internal note (never shown to the customer side; allowed on closed cases).

    Example:

    ops case note 2026-00009 -m "NOC har larmet."
    """
    from ops_cli import cases

    ops = get_ops(ctx)
    message = scripting.message_body(message, body_file)
    _write_case(ctx, fmt, lambda: cases.note(ops, number, message, by=by, at=ops.at(at)))


@app.command("assign")
def assign(
    ctx: typer.Context,
    number: NumberArg,
    department: Annotated[
        str | None,
        typer.Option("--department", "-d", help="Department or local team (see `ops case departments`)."),
    ] = None,
    agent: Annotated[str | None, typer.Option("--agent", help="The agent who handles it.")] = None,
    by: AgentByOpt = None,
    at: AtOpt = None,
    dry_run: DryRunOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Move a case to another department or local team and/or an agent; recorded in the history.

    Example:

    ops case assign 2026-00009 --department local-south --agent tove@desk.example
    """
    from ops_cli import cases

    ops = get_ops(ctx)
    _write_case(
        ctx, fmt, lambda: cases.assign(ops, number, department=department, agent=agent, by=by, at=ops.at(at))
    )


@app.command("close")
def close(
    ctx: typer.Context,
    number: NumberArg,
    resolution: Annotated[
        str | None, typer.Option("--resolution", help="How it was resolved (`-`: from standard input).")
    ] = None,
    by: AgentByOpt = None,
    at: AtOpt = None,
    body_file: scripting.BodyFileOpt = None,
    dry_run: DryRunOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Close a case with a resolution (already closed: exit 6).

    Example:

    ops case close 2026-00009 --resolution "Masten omstartad."
    """
    from ops_cli import cases

    ops = get_ops(ctx)
    resolution = scripting.message_body(resolution, body_file, "--resolution")
    _write_case(ctx, fmt, lambda: cases.close(ops, number, resolution, by=by, at=ops.at(at)))


@app.command("reopen")
def reopen(
    ctx: typer.Context,
    number: NumberArg,
    by: ByOpt = None,
    at: AtOpt = None,
    dry_run: DryRunOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Reopen a closed case; its feedback schedule starts again from the reopening.

    --by: a desk agent, the reporter or a person of the customer (else exit 5).

    Example:

    ops case reopen 2026-00005 --by jonas.holm@rtj.example
    """
    from ops_cli import cases

    ops = get_ops(ctx)
    _write_case(ctx, fmt, lambda: cases.reopen(ops, number, by=by, at=ops.at(at)))


@app.command("grant")
def grant(
    ctx: typer.Context,
    number: NumberArg,
    name: Annotated[
        str, typer.Option("--name", help="The third party (person, company) the desk may talk to.")
    ],
    by: Annotated[
        str,
        typer.Option(
            "--by", metavar="EMAIL", help="The customer's orderer or contact who grants it (else exit 5)."
        ),
    ],
    at: AtOpt = None,
    dry_run: DryRunOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Record a named third party the desk may exchange information with on this case.

    Only on a fault case that is not closed (else exit 6).

    Example:

    ops case grant 2026-00009 --name "Radio AB" --by anna.berg@polisen.example
    """
    from ops_cli import cases

    from . import _dryrun as dryrun

    ops = get_ops(ctx)
    case = dryrun.run(ctx, fmt, lambda: cases.grant(ops, number, name, by=by, at=ops.at(at)))
    if dryrun.active(ctx):
        return
    info(f"{name} may now be told about case {case['number']}")
    if fmt is OutputFormat.json:
        emit(case, fmt)
    else:
        emit(case["grants"], fmt)


@app.command("set-callback")
def set_callback(
    ctx: typer.Context,
    number: NumberArg,
    every: Annotated[
        str,
        typer.Option("--every", metavar="HOURS", help="Agreed feedback interval in hours (0.25 to 8760)."),
    ],
    by: AgentByOpt = None,
    at: AtOpt = None,
    dry_run: DryRunOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Agree another feedback interval on this case.

    The next callback falls that many hours after the last callback made in the
    current open period (or its start): real hours, or on an SLA case the tier's
    support hours.

    Example:

    ops case set-callback 2026-00009 --every 4
    """
    from ops_cli import cases

    ops = get_ops(ctx)
    _write_case(ctx, fmt, lambda: cases.set_callback(ops, number, every, by=by, at=ops.at(at)))


@app.command("callbacks")
def callbacks(
    ctx: typer.Context,
    at: AtOpt = None,
    include_classified: ClassifiedOpt = False,
    exit_status: ExitStatusOpt = False,
    limit: LimitOpt = None,
    columns: ColumnsOpt = None,
    wide: WideOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Open cases whose feedback callback is due, earliest first, with who to call.

    Who to call: the customer's orderers and contacts with a phone; SLA-line cases:
    the customer's telephony entries; a new customer's case: the reporter's recorded
    phone. call_note says when nobody has a phone on file.

    Example:

    ops case callbacks --at 2026-11-20T09:00
    """
    from ops_cli import cases

    ops = get_ops(ctx)
    rows = cases.due_callbacks(ops, at=ops.at(at), include_classified=include_classified)
    if scripting.show_listing(exit_status):
        emit(
            rows,
            fmt,
            columns=None
            if fmt is OutputFormat.json
            else ["number", "customer", "due_at", "critical", "call", "call_note", "subject"],
        )
    scripting.exit_if_found(rows, exit_status)


@app.command("callback")
def callback_made(
    ctx: typer.Context,
    number: NumberArg,
    note_text: Annotated[str | None, typer.Option("--note", "--message", "-m", help="What was said.")] = None,
    by: AgentByOpt = None,
    at: AtOpt = None,
    dry_run: DryRunOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Record a feedback callback made; the case's next callback moves on.

    Example:

    ops case callback 2026-00009 --note "Pratat med Anna."
    """
    from ops_cli import cases

    from . import _dryrun as dryrun

    ops = get_ops(ctx)
    case = dryrun.run(
        ctx, fmt, lambda: cases.record_callback(ops, number, note_text=note_text, by=by, at=ops.at(at))
    )
    if dryrun.active(ctx):
        return
    info(f"next callback of {case['number']}: {case['next_callback_at'] or 'none scheduled'}")
    _emit_case(case, fmt)


@app.command("stale")
def stale(
    ctx: typer.Context,
    days: Annotated[
        str | None,
        typer.Option(
            "--days",
            metavar="DAYS",
            help="Days without activity, 0 to 36500 (default: config cases.stale_days).",
        ),
    ] = None,
    at: AtOpt = None,
    include_classified: ClassifiedOpt = False,
    exit_status: ExitStatusOpt = False,
    limit: LimitOpt = None,
    columns: ColumnsOpt = None,
    wide: WideOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Open cases without activity for N days, per department with the department's responsible.

    Example:

    ops case stale --days 5
    """
    from ops_cli import cases

    ops = get_ops(ctx)
    rows = cases.stale(ops, days=days, at=ops.at(at), include_classified=include_classified)
    if not scripting.show_listing(exit_status):
        return scripting.exit_if_found(rows, exit_status)
    emit(
        rows,
        fmt,
        columns=None
        if fmt is OutputFormat.json
        else [
            "department",
            "responsible",
            "number",
            "customer",
            "status",
            "last_activity_at",
            "idle_days",
            "subject",
        ],
    )
    scripting.exit_if_found(rows, exit_status)


@app.command("departments")
def departments(
    ctx: typer.Context,
    limit: LimitOpt = None,
    columns: ColumnsOpt = None,
    wide: WideOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """The configured departments (config `departments`) and the topics and business areas routed to each.

    Example:

    ops case departments -f json
    """
    from ops_cli import cases

    emit(cases.departments(get_ops(ctx)), fmt)


@app.command("export")
def export(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(metavar="FILE", help="Output file: .xlsx or .csv.")],
    status: Annotated[str | None, typer.Option("--status", help="open, answered or closed.")] = None,
    customer: CustomerOpt = None,
    since: Annotated[str | None, typer.Option("--since", metavar="TIME", help="Opened at or after.")] = None,
    until: Annotated[
        str | None, typer.Option("--until", metavar="TIME", help="Opened before (a date includes it).")
    ] = None,
    include_classified: ClassifiedOpt = False,
    force: ForceOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Export cases with their first customer message to .xlsx or .csv.

    Sensitive cases are masked and secret cases left out unless --include-classified;
    internal notes are never exported.

    Example:

    ops case export cases.xlsx --status open
    """
    from ops_cli import cases

    result = cases.export(
        get_ops(ctx),
        file,
        status=status,
        customer=customer,
        since=since,
        until=until,
        include_classified=include_classified,
        force=force,
    )
    info(
        f"wrote {result['cases']} cases to {result['file']}"
        + (f" ({result['secret_left_out']} secret left out)" if result["secret_left_out"] else "")
    )
    emit(result, fmt)

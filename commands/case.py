"""`ops case`: Support cases."""

from typing import Annotated

import typer

from ._common import ops as get_ops
from ._options import AtOpt, ByOpt, CustomerOpt, FormatOpt, LimitOpt, OutputFormat
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
MessageOpt = Annotated[str, typer.Option("--message", "-m", help="The text.")]
ClassifiedOpt = Annotated[
    bool,
    typer.Option(
        "--include-classified",
        help="Show the text of sensitive and secret cases (masked otherwise; exports also leave"
        " secret cases out).",
    ),
]


@app.callback()
def callback() -> None:
    """Support cases: open, route to departments, thread and status, classification,
    third-party access, feedback callbacks and stale lists."""


def _emit_case(case: dict, fmt: OutputFormat) -> None:
    emit(case, fmt, columns=LIST_COLUMNS if fmt is OutputFormat.csv else None)


@app.command("open")
def open_(
    ctx: typer.Context,
    subject: Annotated[str, typer.Option("--subject", "-s", help="Short description of the problem.")],
    reporter: Annotated[
        str,
        typer.Option(
            "--reporter",
            metavar="EMAIL",
            help="Who reports; a reporter on a customer's e-mail domain is matched to that customer.",
        ),
    ],
    topic: Annotated[
        str | None,
        typer.Option(
            "--topic",
            "-t",
            help="fault, disruption, coverage, order, question, invoice, planned-event, terminal-fault"
            " (config `topics`); default: config cases.default_topic.",
        ),
    ] = None,
    customer: CustomerOpt = None,
    channel: Annotated[
        str, typer.Option("--channel", help="portal, email, phone, radio or sla (the SLA line).")
    ] = "portal",
    message: Annotated[str | None, typer.Option("--message", "-m", help="The customer's message.")] = None,
    critical: Annotated[
        bool, typer.Option("--critical", help="A critical fault (SLA customers: SLA callback timers).")
    ] = False,
    classification: Annotated[
        str,
        typer.Option(
            "--classification", help="normal, sensitive or secret (text masked in lists and exports)."
        ),
    ] = "normal",
    area: Annotated[
        str | None,
        typer.Option(
            "--area", help="Business area (config `areas`): fire-alarm, intrusion-alarm, access-control..."
        ),
    ] = None,
    facility: Annotated[
        str | None, typer.Option("--facility", help="The facility or site concerned.")
    ] = None,
    occurred_at: Annotated[
        str | None, typer.Option("--occurred-at", metavar="TIME", help="When the fault occurred (ISO 8601).")
    ] = None,
    by: ByOpt = None,
    at: AtOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Open a case and route it: the customer's account department, else (KAM customers)
    `kam`, else the business area's or the topic's national department.

    Without a known customer (none given and the reporter's e-mail domain is no
    customer's), --area, --facility and --occurred-at are required. The SLA line
    (--channel sla) takes only the customer's telephony entries, and outside
    customer-service hours only --critical faults. Fault topics get a feedback
    callback schedule (next_callback_at).
    """
    from ops_cli import cases

    ops = get_ops(ctx)
    case = cases.open_case(
        ops,
        topic=topic or ops.config["cases"]["default_topic"],
        reporter=reporter,
        subject=subject,
        customer=customer,
        channel=channel,
        message=message,
        critical=critical,
        classification=classification,
        area=area,
        facility=facility,
        occurred_at=ops.at(occurred_at, "--occurred-at") if occurred_at else None,
        at=ops.at(at),
        actor=by,
    )
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
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """List cases, newest first.

    Subjects of sensitive and secret cases are masked unless --include-classified.
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
        at=ops.at(at) if at else None,
        include_classified=include_classified,
    )
    emit(rows, fmt, columns=None if fmt is OutputFormat.json else LIST_COLUMNS)


@app.command("show")
def show(
    ctx: typer.Context,
    number: NumberArg,
    include_classified: ClassifiedOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Show a case with its thread (internal notes marked), history, third-party grants and callbacks.

    Table and JSON show the full text; CSV and Markdown mask sensitive and secret
    cases unless --include-classified.
    """
    from ops_cli import cases

    masked_format = fmt in (OutputFormat.csv, OutputFormat.md)
    case = cases.show_case(get_ops(ctx), number, include_classified=include_classified or not masked_format)
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
    message: MessageOpt,
    by: ByOpt = None,
    at: AtOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """An agent replies to the customer: the case becomes `answered` (a closed case: exit 6)."""
    from ops_cli import cases

    ops = get_ops(ctx)
    _emit_case(cases.reply(ops, number, message, by=by, at=ops.at(at)), fmt)


@app.command("message")
def message_(
    ctx: typer.Context,
    number: NumberArg,
    message: MessageOpt,
    by: Annotated[
        str | None, typer.Option("--by", metavar="EMAIL", help="Who wrote (default: the reporter).")
    ] = None,
    at: AtOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """The customer wrote again: the message joins the thread and the case is `open` again."""
    from ops_cli import cases

    ops = get_ops(ctx)
    _emit_case(cases.customer_message(ops, number, message, by=by, at=ops.at(at)), fmt)


@app.command("note")
def note(
    ctx: typer.Context,
    number: NumberArg,
    message: MessageOpt,
    by: ByOpt = None,
    at: AtOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Add an internal note (never shown to the customer side; allowed on closed cases)."""
    from ops_cli import cases

    ops = get_ops(ctx)
    _emit_case(cases.note(ops, number, message, by=by, at=ops.at(at)), fmt)


@app.command("assign")
def assign(
    ctx: typer.Context,
    number: NumberArg,
    department: Annotated[
        str | None,
        typer.Option("--department", "-d", help="Department or local team (see `ops case departments`)."),
    ] = None,
    agent: Annotated[str | None, typer.Option("--agent", help="The agent who handles it.")] = None,
    by: ByOpt = None,
    at: AtOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Move a case to another department or local team and/or an agent; recorded in the history."""
    from ops_cli import cases

    ops = get_ops(ctx)
    _emit_case(cases.assign(ops, number, department=department, agent=agent, by=by, at=ops.at(at)), fmt)


@app.command("close")
def close(
    ctx: typer.Context,
    number: NumberArg,
    resolution: Annotated[str, typer.Option("--resolution", "-r", help="How it was resolved.")],
    by: ByOpt = None,
    at: AtOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Close a case with a resolution (already closed: exit 6)."""
    from ops_cli import cases

    ops = get_ops(ctx)
    _emit_case(cases.close(ops, number, resolution, by=by, at=ops.at(at)), fmt)


@app.command("reopen")
def reopen(
    ctx: typer.Context,
    number: NumberArg,
    by: ByOpt = None,
    at: AtOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Reopen a closed case; its feedback schedule starts again."""
    from ops_cli import cases

    ops = get_ops(ctx)
    _emit_case(cases.reopen(ops, number, by=by, at=ops.at(at)), fmt)


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
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Record a named third party the desk may exchange information with on this case."""
    from ops_cli import cases

    ops = get_ops(ctx)
    case = cases.grant(ops, number, name, by=by, at=ops.at(at))
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
        float, typer.Option("--every", metavar="HOURS", help="Agreed feedback interval in hours.")
    ],
    by: ByOpt = None,
    at: AtOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Agree another feedback interval on this case (real hours after the last callback made)."""
    from ops_cli import cases

    ops = get_ops(ctx)
    _emit_case(cases.set_callback(ops, number, every, by=by, at=ops.at(at)), fmt)


@app.command("callbacks")
def callbacks(
    ctx: typer.Context,
    at: AtOpt = None,
    include_classified: ClassifiedOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Open cases whose feedback callback is due, earliest first, with who to call.

    Who to call: the customer's orderers and contacts with a phone; SLA-line cases:
    the customer's telephony entries; a case without a customer: its reporter.
    """
    from ops_cli import cases

    ops = get_ops(ctx)
    rows = cases.due_callbacks(ops, at=ops.at(at), include_classified=include_classified)
    emit(
        rows,
        fmt,
        columns=None
        if fmt is OutputFormat.json
        else ["number", "customer", "due_at", "critical", "call", "subject"],
    )


@app.command("callback")
def callback_made(
    ctx: typer.Context,
    number: NumberArg,
    note_text: Annotated[str | None, typer.Option("--note", "-m", help="What was said.")] = None,
    by: ByOpt = None,
    at: AtOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Record a feedback callback made; the case's next callback moves on."""
    from ops_cli import cases

    ops = get_ops(ctx)
    case = cases.record_callback(ops, number, note_text=note_text, by=by, at=ops.at(at))
    info(f"next callback of {case['number']}: {case['next_callback_at'] or 'none scheduled'}")
    _emit_case(case, fmt)


@app.command("stale")
def stale(
    ctx: typer.Context,
    days: Annotated[
        int | None,
        typer.Option("--days", min=0, help="Days without activity (default: config cases.stale_days)."),
    ] = None,
    at: AtOpt = None,
    include_classified: ClassifiedOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Open cases without activity for N days, per department with the department's responsible."""
    from ops_cli import cases

    ops = get_ops(ctx)
    rows = cases.stale(ops, days=days, at=ops.at(at), include_classified=include_classified)
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


@app.command("departments")
def departments(ctx: typer.Context, fmt: FormatOpt = OutputFormat.table) -> None:
    """The configured departments (config `departments`) and the topics and business areas routed to each."""
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
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Export cases with their first customer message to .xlsx or .csv.

    Sensitive cases are masked and secret cases left out unless --include-classified;
    internal notes are never exported.
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
    )
    info(
        f"wrote {result['cases']} cases to {result['file']}"
        + (f" ({result['secret_left_out']} secret left out)" if result["secret_left_out"] else "")
    )
    emit(result, fmt)

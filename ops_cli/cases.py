"""Support cases: opening and routing, the thread and status, classification,
third-party access, the feedback (callback) schedule and stale lists.

Rules (``domain.md`` "Cases"):

- **Numbers** are the year the case was opened plus a per-year sequence
  (``2026-00042``), allocated inside the opening transaction: unique under
  concurrent writers and never reused.
- **Routing**: a known customer's account department; else, for a key-account
  (KAM) customer without one, the ``kam`` department (when configured); else
  the business area's department (``--area``); else the topic's department.
- **Status**: ``open`` -> ``answered`` (agent reply) -> ``open`` (customer
  message) -> ``closed`` (resolution); a closed case can be reopened. Replying
  to, writing on, calling back or closing a closed case is a conflict.
- **Feedback schedule** (``next_callback_at``):

  * an interval agreed on the case (``set_callback``) wins: due that many real
    hours after the last callback made (or the opening);
  * a critical fault of a customer with an SLA tier follows the SLA rule: first
    callback ``sla.first_callback_hours`` support hours after the report, each
    next one ``sla.callback_every_hours`` support hours after the previous due
    time, counted in the tier's hours;
  * other fault-type topics: ``topics.<t>.feedback_hours`` real hours after the
    last callback made (or the opening);
  * other topics have no schedule.

- **Classification**: subject and thread text of ``sensitive`` and ``secret``
  cases is masked in lists and exports unless asked; secret cases are left out
  of exports entirely unless asked.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from typing import Any

from ops_cli import clock, validators
from ops_cli.customers import require_customer
from ops_cli.errors import Conflict, InvalidInput, NotFound, Problem
from ops_cli.store import cases as sql

CHANNELS = ("portal", "email", "phone", "radio", "sla")
CLASSIFICATIONS = ("normal", "sensitive", "secret")
STATUSES = ("open", "answered", "closed")
MASK = "(classified)"

# Roster roles called back for feedback, and for SLA-line cases.
CALLBACK_ROLES = ("orderer", "contact")
SLA_CALLBACK_ROLES = ("telephony",)

_NUMBER = re.compile(r"^\d{4}-\d{5,}$")


# ------------------------------------------------------------------ helpers


def _db(moment: datetime | None) -> str | None:
    return clock.to_db(moment) if moment is not None else None


def _local(ops, text: str | None) -> str | None:
    moment = clock.from_db(text, ops.tz)
    return moment.isoformat() if moment else None


def _topic(ops, topic: str) -> dict[str, Any]:
    topics = ops.config["topics"]
    if topic not in topics:
        raise InvalidInput(f"unknown topic {topic!r}; topics are: {', '.join(topics)}")
    return topics[topic]


def _is_fault(ops, topic: str) -> bool:
    record = ops.config["topics"].get(topic) or {}
    return bool(record.get("fault"))


def _sla_due(ops, tier: str, start: datetime, count: int) -> list[datetime]:
    """The SLA callback schedule (the SLA group's engine; imported when needed)."""
    from ops_cli.sla import callback_schedule

    return callback_schedule(ops, tier, start, count)


def _next_callback(ops, row: Any, *, made: int, since: datetime, opened: datetime) -> datetime | None:
    """When the next feedback callback of a case is due (None: no schedule).

    ``made`` is the number of callbacks made so far; ``since`` the moment the
    interval counts from (the last callback made, a reopening, or the opening).
    """
    if row["feedback_hours"]:
        return since + timedelta(hours=float(row["feedback_hours"]))
    if row["sla_tier"]:
        return _sla_due(ops, row["sla_tier"], opened, made + 1)[made]
    hours = (ops.config["topics"].get(row["topic"]) or {}).get("feedback_hours") or 0
    if _is_fault(ops, row["topic"]) and hours > 0:
        return since + timedelta(hours=float(hours))
    return None


def _mask(row: dict[str, Any], include_classified: bool) -> dict[str, Any]:
    if not include_classified and row.get("classification") in ("sensitive", "secret"):
        row = dict(row)
        for key in ("subject", "message", "resolution"):
            if row.get(key):
                row[key] = MASK
    return row


def case_object(ops, row: Any, names: dict[str, str] | None = None) -> dict[str, Any]:
    """A case row as the object ``cli.md`` promises (times in the desk's zone)."""
    names = names if names is not None else sql.customer_names(ops.store, [row["customer"]])
    return {
        "number": row["number"],
        "customer": row["customer"],
        "customer_name": names.get(row["customer"]) if row["customer"] else None,
        "topic": row["topic"],
        "department": row["department"],
        "agent": row["agent"],
        "status": row["status"],
        "critical": bool(row["critical"]),
        "classification": row["classification"],
        "opened_at": _local(ops, row["opened_at"]),
        "next_callback_at": _local(ops, row["next_callback_at"]) if row["status"] != "closed" else None,
        "subject": row["subject"],
        "reporter": row["reporter"],
        "channel": row["channel"],
        "area": row["area"],
        "facility": row["facility"],
        "occurred_at": _local(ops, row["occurred_at"]),
        "priority": row["priority"],
        "sla_tier": row["sla_tier"],
        "feedback_hours": row["feedback_hours"],
        "last_activity_at": _local(ops, row["last_activity_at"]),
        "closed_at": _local(ops, row["closed_at"]),
        "resolution": row["resolution"],
    }


def _get(ops, number: str) -> Any:
    number = (number or "").strip()
    row = sql.case_by_number(ops.store, number)
    if row is None:
        if not _NUMBER.match(number):
            raise NotFound(f"no case {number!r}; case numbers look like 2026-00042 (see `ops case list`)")
        raise NotFound(f"no case {number}; see `ops case list`")
    return row


def _text(value: str | None, what: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(f"{what} is empty; give some text")
    return text


# ------------------------------------------------------------------ open


def open_case(
    ops,
    *,
    topic: str,
    reporter: str,
    subject: str,
    customer: str | None = None,
    channel: str = "portal",
    message: str | None = None,
    critical: bool = False,
    classification: str = "normal",
    area: str | None = None,
    facility: str | None = None,
    occurred_at: datetime | None = None,
    at: datetime | None = None,
    actor: str | None = None,
) -> dict[str, Any]:
    """Open a case: validate, match the customer, route, schedule feedback, write.

    Works alone or inside an outer ``with ops.store.write():`` (joins it).
    Returns the case object, plus ``advice`` for the reporter (the topic's
    configured advice, e.g. for terminal faults) when there is one.
    """
    at = at or ops.now()
    reporter = (reporter or "").strip().lower()
    problems: list[Problem] = []
    topic = (topic or "").strip()
    topics = ops.config["topics"]
    if topic not in topics:
        problems.append(Problem(f"unknown topic {topic!r}; topics are: {', '.join(topics)}", column="topic"))
    if channel not in CHANNELS:
        problems.append(
            Problem(f"unknown channel {channel!r}; channels are: {', '.join(CHANNELS)}", column="channel")
        )
    if classification not in CLASSIFICATIONS:
        problems.append(
            Problem(
                f"unknown classification {classification!r}; use one of: {', '.join(CLASSIFICATIONS)}",
                column="classification",
            )
        )
    try:
        reporter = validators.email(reporter)
    except ValueError as exc:
        problems.append(Problem(f"--reporter: {exc}", column="reporter"))
    subject = (subject or "").strip()
    if not subject:
        problems.append(Problem("subject is empty; give a short description", column="subject"))
    area = (area or "").strip() or None
    if area is not None and area not in ops.config["areas"]:
        problems.append(
            Problem(
                f"unknown business area {area!r}; areas are: {', '.join(ops.config['areas'])}", column="area"
            )
        )
    facility = (facility or "").strip() or None
    message = (message or "").strip() or None
    if problems:
        raise InvalidInput(
            problems[0].message if len(problems) == 1 else f"{len(problems)} problems with the new case",
            problems if len(problems) > 1 else None,
        )

    store = ops.store
    cust = None
    if customer is not None:
        customer = str(customer).strip()
        cust = require_customer(store, customer)
    else:
        matched = sql.customer_by_domain(store, reporter.rsplit("@", 1)[1])
        if matched:
            cust = sql.customer(store, matched)
            customer = matched
    if cust is None:
        missing = [
            name
            for name, value in (("--area", area), ("--facility", facility), ("--occurred-at", occurred_at))
            if value is None
        ]
        if missing:
            raise InvalidInput(
                f"a case without a known customer needs {', '.join(missing)}"
                f" (the reporter {reporter} is not on a customer's domain)",
                [Problem("required when the customer is not known", column=m) for m in missing],
            )

    if channel == "sla":
        if cust is None:
            raise InvalidInput(
                "the SLA line is for customers with an SLA; give --customer or a reporter on its domain"
            )
        from ops_cli.permissions import require

        require(store, customer, reporter, "report-sla")
        service = ops.hours("customer_service")
        if not critical and not service.is_open(at):
            opens = service.next_open(at)
            raise Conflict(
                f"the SLA line takes only critical faults outside customer-service hours"
                f" ({at.isoformat(timespec='minutes')} is outside them; they open again"
                f" {opens.isoformat(timespec='minutes')}); use --critical for a critical fault"
            )

    department, route = _route(ops, cust, topic, area)
    tier = None
    if (
        critical
        and cust is not None
        and _is_fault(ops, topic)
        and cust["sla_tier"]
        and cust["sla_tier"] != "none"
        and cust["sla_tier"] in ops.config["sla"]["tiers"]
    ):
        tier = cust["sla_tier"]
    actor = ops.actor(actor) if actor else reporter
    opened = _db(at)
    values: dict[str, Any] = {
        "customer": customer if cust is not None else None,
        "reporter": reporter,
        "channel": channel,
        "topic": topic,
        "area": area,
        "facility": facility,
        "occurred_at": _db(occurred_at),
        "department": department,
        "priority": "high" if critical else "normal",
        "critical": 1 if critical else 0,
        "classification": classification,
        "status": "open",
        "subject": subject,
        "sla_tier": tier,
        "opened_at": opened,
        "last_activity_at": opened,
    }
    nxt = _next_callback(ops, {**values, "feedback_hours": None}, made=0, since=at, opened=at)
    values["next_callback_at"] = _db(nxt)
    year = at.astimezone(ops.tz).year
    with store.write() as st:
        seq = sql.allocate_number(st, year)
        values["number"] = f"{year}-{seq:05d}"
        case_id = sql.insert_case(st, values)
        sql.add_entry(st, case_id, "message", reporter, message or subject, opened)
        sql.add_event(st, case_id, opened, actor, "opened", {"department": department, "routed_by": route})
        st.audit(actor, "case.open", f"case:{values['number']}", None, values, at=at)
    row = sql.case_by_number(store, values["number"])
    result = case_object(ops, row)
    advice = topics[topic].get("advice") or ""
    if advice:
        result["advice"] = advice
    return result


def _route(ops, cust: Any, topic: str, area: str | None) -> tuple[str, str]:
    """(department, why): account department > kam > business area > topic."""
    departments = ops.config["departments"]
    if cust is not None and cust["department"]:
        return cust["department"], "account department"
    if cust is not None and cust["kam"] and "kam" in departments:
        return "kam", "key-account customer"
    if area is not None:
        return ops.config["areas"][area]["department"], f"business area {area}"
    return ops.config["topics"][topic]["department"], f"topic {topic}"


# ------------------------------------------------------------------ thread and status


def _change(ops, number: str, action: str, at: datetime | None, actor: str, apply) -> dict[str, Any]:
    """Run one change to a case in one transaction: ``apply(st, row, at_db)`` returns
    (column updates, event detail); the event, last activity and audit are written here."""
    at = at or ops.now()
    when = _db(at)
    with ops.store.write() as st:
        row = _get(ops, number)
        updates, detail = apply(st, row, when)
        before = {k: row[k] for k in updates}
        updates = {**updates, "last_activity_at": when}
        sql.update_case(st, row["id"], updates)
        sql.add_event(st, row["id"], when, actor, action, detail)
        after = {k: v for k, v in updates.items() if k != "last_activity_at"}
        st.audit(actor, f"case.{action}", f"case:{row['number']}", before, {**after, **(detail or {})}, at=at)
        fresh = sql.case_by_number(st, row["number"])
    return case_object(ops, fresh)


def _not_closed(row: Any, doing: str) -> None:
    if row["status"] == "closed":
        raise Conflict(
            f"case {row['number']} is closed; reopen it first (`ops case reopen {row['number']}`) to {doing}"
        )


def reply(
    ops, number: str, message: str, *, by: str | None = None, at: datetime | None = None
) -> dict[str, Any]:
    """An agent's reply to the customer: the case becomes ``answered``."""
    body = _text(message, "--message")
    actor = ops.actor(by)

    def apply(st, row, when):
        _not_closed(row, "reply")
        sql.add_entry(st, row["id"], "reply", actor, body, when)
        return {"status": "answered"}, {"status": "answered"}

    return _change(ops, number, "replied", at, actor, apply)


def customer_message(
    ops, number: str, message: str, *, by: str | None = None, at: datetime | None = None
) -> dict[str, Any]:
    """The customer wrote again (``by`` defaults to the reporter): the case is ``open`` again."""
    body = _text(message, "--message")

    def apply(st, row, when):
        _not_closed(row, "add a customer message")
        sql.add_entry(st, row["id"], "message", author, body, when)
        return {"status": "open"}, {"status": "open"}

    row = _get(ops, number)
    author = by.strip().lower() if by else row["reporter"]
    return _change(ops, number, "customer-message", at, author, apply)


def note(
    ops, number: str, message: str, *, by: str | None = None, at: datetime | None = None
) -> dict[str, Any]:
    """An internal note: never shown to the customer side; allowed on closed cases too."""
    body = _text(message, "--message")
    actor = ops.actor(by)

    def apply(st, row, when):
        sql.add_entry(st, row["id"], "note", actor, body, when)
        return {}, None

    return _change(ops, number, "noted", at, actor, apply)


def assign(
    ops,
    number: str,
    *,
    department: str | None = None,
    agent: str | None = None,
    by: str | None = None,
    at: datetime | None = None,
) -> dict[str, Any]:
    """Move a case to another department (e.g. a local team) and/or an agent; recorded in the history."""
    department = (department or "").strip() or None
    agent = (agent or "").strip().lower() or None
    if department is None and agent is None:
        raise InvalidInput("say where the case goes: --department D and/or --agent A")
    departments = ops.config["departments"]
    if department is not None and department not in departments:
        raise InvalidInput(
            f"unknown department {department!r}; see `ops case departments` ({', '.join(departments)})"
        )
    actor = ops.actor(by)

    def apply(st, row, when):
        _not_closed(row, "assign it")
        updates: dict[str, Any] = {}
        if department is not None:
            updates["department"] = department
        if agent is not None:
            updates["agent"] = agent
        detail = {f"from_{k}": row[k] for k in updates} | {f"to_{k}": v for k, v in updates.items()}
        return updates, detail

    return _change(ops, number, "assigned", at, actor, apply)


def close(
    ops, number: str, resolution: str, *, by: str | None = None, at: datetime | None = None
) -> dict[str, Any]:
    """Close a case with a resolution; closing a closed case is a conflict (exit 6)."""
    text = _text(resolution, "--resolution")
    actor = ops.actor(by)

    def apply(st, row, when):
        if row["status"] == "closed":
            raise Conflict(f"case {row['number']} is already closed (at {_local(ops, row['closed_at'])})")
        updates = {"status": "closed", "resolution": text, "closed_at": when, "next_callback_at": None}
        return updates, {"resolution": text}

    return _change(ops, number, "closed", at, actor, apply)


def reopen(ops, number: str, *, by: str | None = None, at: datetime | None = None) -> dict[str, Any]:
    """Reopen a closed case; its feedback schedule starts again from now."""
    at = at or ops.now()
    actor = ops.actor(by)

    def apply(st, row, when):
        if row["status"] != "closed":
            raise Conflict(f"case {row['number']} is not closed (it is {row['status']}); nothing to reopen")
        made = sql.callback_count(st, row["id"])
        opened = clock.from_db(row["opened_at"], ops.tz)
        nxt = _next_callback(ops, row, made=made, since=at, opened=opened)
        updates = {"status": "open", "closed_at": None, "resolution": None, "next_callback_at": _db(nxt)}
        return updates, {"previous_resolution": row["resolution"]}

    return _change(ops, number, "reopened", at, actor, apply)


def grant(
    ops, number: str, name: str, *, by: str | None = None, at: datetime | None = None
) -> dict[str, Any]:
    """Record a named third party the desk may exchange information with on this case.

    ``by`` must be an orderer or contact of the case's customer (exit 5
    otherwise); ``None`` is the desk itself.
    """
    who = _text(name, "--name")
    granter = by.strip().lower() if by else None
    actor = ops.actor(by)

    def apply(st, row, when):
        if granter is not None:
            if not row["customer"]:
                from ops_cli.errors import NotPermitted

                raise NotPermitted(
                    f"case {row['number']} has no known customer, so no orderer or contact can grant access"
                )
            from ops_cli.permissions import require

            require(st, row["customer"], granter, "grant-access")
        sql.add_grant(st, row["id"], who, actor, when)
        return {}, {"name": who}

    result = _change(ops, number, "access-granted", at, actor, apply)
    result["grants"] = [dict(g) | {"granted_at": _local(ops, g["granted_at"])} for g in _grants(ops, number)]
    return result


def _grants(ops, number: str) -> list[Any]:
    return sql.grants(ops.store, _get(ops, number)["id"])


# ------------------------------------------------------------------ feedback callbacks


def set_callback(
    ops, number: str, every: float, *, by: str | None = None, at: datetime | None = None
) -> dict[str, Any]:
    """Agree another feedback interval on a case: every ``every`` real hours from the
    last callback made (or the opening). It replaces the topic's and the SLA rule."""
    try:
        every = float(every)
    except (TypeError, ValueError):
        raise InvalidInput(f"--every must be a number of hours, not {every!r}") from None
    if not every > 0:
        raise InvalidInput(f"--every must be more than 0 hours, not {every:g}")
    actor = ops.actor(by)

    def apply(st, row, when):
        _not_closed(row, "change its feedback schedule")
        last = sql.last_callback(st, row["id"])
        since = clock.from_db(last["made_at"] if last else row["opened_at"], ops.tz)
        nxt = since + timedelta(hours=every)
        return {"feedback_hours": every, "next_callback_at": _db(nxt)}, {"every_hours": every}

    return _change(ops, number, "callback-interval", at, actor, apply)


def _who_to_call(ops, row: Any, cache: dict) -> list[str]:
    if not row["customer"]:
        return [row["reporter"]]
    roles = SLA_CALLBACK_ROLES if row["channel"] == "sla" else CALLBACK_ROLES
    key = (row["customer"], roles)
    if key not in cache:
        cache[key] = [f"{p['name']} {p['phone']}" for p in sql.contacts(ops.store, row["customer"], roles)]
    return cache[key] or [row["reporter"]]


def due_callbacks(
    ops, *, at: datetime | None = None, include_classified: bool = False
) -> list[dict[str, Any]]:
    """Open cases whose feedback callback is due at ``at`` (default now), earliest first,
    with who to call: the customer's orderers/contacts with a phone (SLA-line
    cases: the telephony entries; no customer: the reporter)."""
    at = at or ops.now()
    rows = sql.list_cases(ops.store, due_before=_db(at))
    rows = sorted(rows, key=lambda r: (r["next_callback_at"], r["number"]))
    names = sql.customer_names(ops.store, [r["customer"] for r in rows])
    cache: dict = {}
    out = []
    for row in rows:
        due = clock.from_db(row["next_callback_at"], ops.tz)
        out.append(
            _mask(
                {
                    "number": row["number"],
                    "customer": row["customer"],
                    "customer_name": names.get(row["customer"]),
                    "due_at": due.isoformat(),
                    "overdue_minutes": int((at - due).total_seconds() // 60),
                    "critical": bool(row["critical"]),
                    "sla_tier": row["sla_tier"],
                    "call": _who_to_call(ops, row, cache),
                    "classification": row["classification"],
                    "subject": row["subject"],
                },
                include_classified,
            )
        )
    return out


def record_callback(
    ops, number: str, *, note_text: str | None = None, by: str | None = None, at: datetime | None = None
) -> dict[str, Any]:
    """Record a feedback callback made; the schedule moves to the next due time."""
    at = at or ops.now()
    actor = ops.actor(by)
    text = (note_text or "").strip() or None

    def apply(st, row, when):
        _not_closed(row, "record a callback")
        sql.add_callback(st, row["id"], row["next_callback_at"], when, actor, text)
        made = sql.callback_count(st, row["id"])
        opened = clock.from_db(row["opened_at"], ops.tz)
        nxt = _next_callback(ops, row, made=made, since=at, opened=opened)
        detail = {"due_at": _local(ops, row["next_callback_at"]), "note": text}
        return {"next_callback_at": _db(nxt)}, detail

    result = _change(ops, number, "callback", at, actor, apply)
    result["callbacks_made"] = sql.callback_count(
        ops.store, sql.case_by_number(ops.store, result["number"])["id"]
    )
    return result


# ------------------------------------------------------------------ reading


def _parse_bound(ops, text: str | datetime | None, what: str, *, end: bool) -> str | None:
    if text is None or text == "":
        return None
    if isinstance(text, datetime):
        return _db(text if text.tzinfo else text.replace(tzinfo=ops.tz))
    moment = clock.parse_time(text, ops.tz, what)
    if end and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        # --until 2026-09-30 includes that whole day
        moment = clock.parse_time((clock.parse_date(text) + timedelta(days=1)).isoformat(), ops.tz, what)
    return _db(moment)


def _query(
    ops,
    *,
    status: str | None = None,
    customer: str | None = None,
    department: str | None = None,
    topic: str | None = None,
    agent: str | None = None,
    overdue: bool = False,
    since: str | datetime | None = None,
    until: str | datetime | None = None,
    limit: int | None = None,
    at: datetime | None = None,
) -> list[Any]:
    if status is not None and status not in STATUSES:
        raise InvalidInput(f"unknown status {status!r}; use one of: {', '.join(STATUSES)}")
    topics, known = ops.config["topics"], ops.config["departments"]
    if topic is not None and topic not in topics:
        raise InvalidInput(f"unknown topic {topic!r}; topics are: {', '.join(topics)}")
    if department is not None and department not in known:
        raise InvalidInput(
            f"unknown department {department!r}; see `ops case departments` ({', '.join(known)})"
        )
    return sql.list_cases(
        ops.store,
        status=status,
        customer=customer.strip() if customer else None,
        department=department,
        topic=topic,
        agent=agent.strip().lower() if agent else None,
        due_before=_db(at or ops.now()) if overdue else None,
        opened_from=_parse_bound(ops, since, "--since", end=False),
        opened_until=_parse_bound(ops, until, "--until", end=True),
        limit=limit,
    )


def list_cases(ops, *, include_classified: bool = False, **filters: Any) -> list[dict[str, Any]]:
    """Cases matching every filter, newest first; classified text masked unless asked.

    Filters: ``status``, ``customer``, ``department``, ``topic``, ``agent``;
    ``overdue`` (open cases whose stored next callback is at or before ``at``,
    default now); ``since``/``until`` bound the opening time (a date alone for
    ``until`` includes that day); ``limit``.
    """
    rows = _query(ops, **filters)
    names = sql.customer_names(ops.store, [r["customer"] for r in rows])
    return [_mask(case_object(ops, r, names), include_classified) for r in rows]


def show_case(ops, number: str, *, include_classified: bool = True) -> dict[str, Any]:
    """One case with its thread (notes marked internal), history, grants and callbacks."""
    row = _get(ops, number)
    store = ops.store
    result = case_object(ops, row)
    masked = not include_classified and row["classification"] in ("sensitive", "secret")
    result = _mask(result, include_classified)
    result["thread"] = [
        {
            "at": _local(ops, e["at"]),
            "kind": e["kind"],
            "internal": e["kind"] == "note",
            "author": e["author"],
            "text": MASK if masked else e["body"],
        }
        for e in sql.entries(store, row["id"])
    ]
    result["history"] = [
        {
            "at": _local(ops, e["at"]),
            "actor": e["actor"],
            "event": e["event"],
            "detail": json.loads(e["detail"]) if e["detail"] else None,
        }
        for e in sql.events(store, row["id"])
    ]
    result["grants"] = [
        {"name": g["name"], "granted_by": g["granted_by"], "granted_at": _local(ops, g["granted_at"])}
        for g in sql.grants(store, row["id"])
    ]
    result["callbacks"] = [
        {
            "due_at": _local(ops, c["due_at"]),
            "made_at": _local(ops, c["made_at"]),
            "made_by": c["made_by"],
            "note": MASK if masked and c["note"] else c["note"],
        }
        for c in sql.callbacks(store, row["id"])
    ]
    return result


def stale(
    ops, *, days: int | None = None, at: datetime | None = None, include_classified: bool = False
) -> list[dict[str, Any]]:
    """Open cases without activity for ``days`` (config ``cases.stale_days``), per
    department with its responsible; oldest activity first within a department."""
    days = ops.config["cases"]["stale_days"] if days is None else days
    if days < 0:
        raise InvalidInput(f"--days must be 0 or more, not {days}")
    at = at or ops.now()
    rows = sql.list_cases(ops.store, open_only=True, active_before=_db(at - timedelta(days=days)))
    departments = ops.config["departments"]
    out = []
    for row in sorted(rows, key=lambda r: (r["department"], r["last_activity_at"], r["number"])):
        last = clock.from_db(row["last_activity_at"], ops.tz)
        out.append(
            _mask(
                {
                    "department": row["department"],
                    "responsible": (departments.get(row["department"]) or {}).get("responsible") or None,
                    "number": row["number"],
                    "customer": row["customer"],
                    "status": row["status"],
                    "agent": row["agent"],
                    "last_activity_at": last.isoformat(),
                    "idle_days": (at - last).days,
                    "classification": row["classification"],
                    "subject": row["subject"],
                },
                include_classified,
            )
        )
    return out


def departments(ops) -> list[dict[str, Any]]:
    """The configured departments, with the topics and business areas that route to each."""
    config = ops.config
    out = []
    for name, record in config["departments"].items():
        out.append(
            {
                "name": name,
                "level": record["level"],
                "area": record["area"] or None,
                "responsible": record["responsible"] or None,
                "topics": [t for t, r in config["topics"].items() if r["department"] == name],
                "areas": [a for a, r in config["areas"].items() if r["department"] == name],
            }
        )
    return out


EXPORT_COLUMNS = (
    "number",
    "customer",
    "customer_name",
    "topic",
    "area",
    "department",
    "agent",
    "status",
    "critical",
    "classification",
    "channel",
    "reporter",
    "opened_at",
    "next_callback_at",
    "closed_at",
    "subject",
    "message",
    "resolution",
)


def export(ops, path: str, *, include_classified: bool = False, **filters: Any) -> dict[str, Any]:
    """Write cases (filters as :func:`list_cases`) to .xlsx or .csv with their first
    customer message: subject and text of sensitive cases masked and secret cases
    left out, unless ``include_classified``. Internal notes are never exported."""
    from ops_cli.sheets import write_table

    rows = _query(ops, **filters)
    left_out = sum(1 for r in rows if r["classification"] == "secret")
    if not include_classified:
        rows = [r for r in rows if r["classification"] != "secret"]
    else:
        left_out = 0
    names = sql.customer_names(ops.store, [r["customer"] for r in rows])
    messages = sql.first_message(ops.store, [r["id"] for r in rows])
    out = [
        _mask({**case_object(ops, r, names), "message": messages.get(r["id"])}, include_classified)
        for r in rows
    ]
    write_table(path, out, list(EXPORT_COLUMNS), sheet_title="Cases")
    return {"file": str(path), "cases": len(out), "secret_left_out": left_out}


# ------------------------------------------------------------------ demo

DEMO_KEY = "demo.cases"


def load_demo(ops, path: str | None = None) -> dict[str, Any]:
    """Load the demo cases (``fixtures/cases.json``) through :func:`open_case` and the
    thread functions, in one transaction. Idempotent: skipped when already loaded."""
    if sql.meta_get(ops.store, DEMO_KEY):
        return {"cases": 0, "skipped": True}
    if path is None:
        from ops_cli.demo import fixture

        path = str(fixture("cases.json"))
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)

    def when(text: str | None) -> datetime | None:
        return clock.parse_time(text, ops.tz) if text else None

    steps = {
        "reply": lambda n, s: reply(ops, n, s["message"], by=s.get("by"), at=when(s["at"])),
        "message": lambda n, s: customer_message(ops, n, s["message"], by=s.get("by"), at=when(s["at"])),
        "note": lambda n, s: note(ops, n, s["message"], by=s.get("by"), at=when(s["at"])),
        "assign": lambda n, s: assign(
            ops, n, department=s.get("department"), agent=s.get("agent"), by=s.get("by"), at=when(s["at"])
        ),
        "close": lambda n, s: close(ops, n, s["resolution"], by=s.get("by"), at=when(s["at"])),
        "reopen": lambda n, s: reopen(ops, n, by=s.get("by"), at=when(s["at"])),
        "grant": lambda n, s: grant(ops, n, s["name"], by=s.get("by"), at=when(s["at"])),
        "callback": lambda n, s: record_callback(
            ops, n, note_text=s.get("note"), by=s.get("by"), at=when(s["at"])
        ),
        "set-callback": lambda n, s: set_callback(ops, n, s["every"], by=s.get("by"), at=when(s["at"])),
    }
    opened = 0
    with ops.store.write() as st:
        # numbers follow the opening times, as they would have been given
        for item in sorted(data["cases"], key=lambda c: when(c["open"]["at"])):
            spec = dict(item["open"])
            spec["at"] = when(spec.get("at"))
            spec["occurred_at"] = when(spec.get("occurred_at"))
            case = open_case(ops, **spec)
            opened += 1
            for step in item.get("steps", []):
                steps[step["do"]](case["number"], step)
        sql.meta_set(st, DEMO_KEY, str(opened))
    return {"cases": opened, "skipped": False}

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

from ops_cli import clock
from ops_cli.errors import Conflict, InvalidInput, NotFound, Problem
from ops_cli.store import cases as sql

CHANNELS = ("portal", "email", "phone", "radio", "sla")
CLASSIFICATIONS = ("normal", "sensitive", "secret")
STATUSES = ("open", "answered", "closed")
MASK = "(classified)"

# Roster roles called back for feedback, and for SLA-line cases.
CALLBACK_ROLES = ("orderer", "contact")
SLA_CALLBACK_ROLES = ("telephony",)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
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
        problems.append(Problem(f"unknown channel {channel!r}; channels are: {', '.join(CHANNELS)}", column="channel"))
    if classification not in CLASSIFICATIONS:
        problems.append(
            Problem(
                f"unknown classification {classification!r}; use one of: {', '.join(CLASSIFICATIONS)}",
                column="classification",
            )
        )
    if not _EMAIL.match(reporter):
        problems.append(Problem(f"reporter {reporter!r} is not an e-mail address", column="reporter"))
    subject = (subject or "").strip()
    if not subject:
        problems.append(Problem("subject is empty; give a short description", column="subject"))
    area = (area or "").strip() or None
    if area is not None and area not in ops.config["areas"]:
        problems.append(
            Problem(f"unknown business area {area!r}; areas are: {', '.join(ops.config['areas'])}", column="area")
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
        cust = sql.customer(store, customer)
        if cust is None:
            raise NotFound(f"no customer {customer}; see `ops roster customer list`")
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
                [Problem(f"{m} is required for a new customer", column=m.lstrip("-")) for m in missing],
            )

    if channel == "sla":
        if cust is None:
            raise InvalidInput("the SLA line is for customers with an SLA; give --customer or a reporter on its domain")
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

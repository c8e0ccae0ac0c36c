"""Opening a case: validation, customer matching, the SLA line, routing, the first callback.

Decisions (issue 13):

- **Customer matching** (13.8): a given ``--customer``; else
  ``ops_cli.roster.customer_of_email``: the customer whose roster lists the
  reporter, whatever the e-mail domain (a partner's gmail on 1001's roster
  reports as 1001), else the customer of the reporter's domain. A reporter on
  several customers' rosters must give ``--customer``.
- **New customers** (13.19): without a known customer the case needs the
  organisation ("Kommun/Företag", ``--organisation``), the reporter's name and
  phone, the business area, the facility and when the fault occurred.
- **SLA line** (13.2, 13.3, 13.12): only for a customer with an SLA tier who is
  eligible for an SLA on the day (``ops_cli.sla.eligibility``), and only for the
  customer's telephony responsibles (exit 5 otherwise, with the reason). Outside
  customer-service hours it takes only critical faults. Only fault topics
  (config ``topics.<t>.fault``) can be critical faults: ``--critical`` on another
  topic means high priority only, never SLA timers, and is refused on the SLA
  line outside customer-service hours. SLA timers run only for a critical fault
  reported on the SLA line; a critical fault reported elsewhere gets the topic's
  fault feedback (every 24 h).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ops_cli import parsers
from ops_cli.cases.common import (
    CHANNELS,
    CLASSIFICATIONS,
    _db,
    _is_fault,
    _text,
    case_object,
    fault_topics,
)
from ops_cli.cases.schedule import base_rule, first_due
from ops_cli.customers import require_customer
from ops_cli.errors import Conflict, InvalidInput, NotPermitted, Problem
from ops_cli.permissions import is_desk_agent, require, require_actor
from ops_cli.store import cases as sql
from ops_cli.store import roster as roster_sql

NEW_CUSTOMER_FIELDS = (
    ("organisation", "--organisation"),
    ("reporter_name", "--reporter-name"),
    ("reporter_phone", "--reporter-phone"),
    ("area", "--area"),
    ("facility", "--facility"),
    ("occurred_at", "--occurred-at"),
)


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
    organisation: str | None = None,
    reporter_name: str | None = None,
    reporter_phone: str | None = None,
    at: datetime | None = None,
    actor: str | None = None,
) -> dict[str, Any]:
    """Open a case: validate, match the customer, check the SLA line, route, schedule, write.

    ``actor`` (``--by``) is who records it: the operator (None), a desk agent, the
    reporter or a person on the customer's roster (else exit 5). Every check that
    reads the store runs inside the write transaction. Works alone or inside an
    outer ``with ops.store.write():`` (joins it). Returns the case object, plus
    ``advice`` for the reporter when the topic has one.
    """
    at = at or ops.now()
    fields = _validate(
        ops,
        topic=topic,
        reporter=reporter,
        subject=subject,
        message=message,
        channel=channel,
        classification=classification,
        area=area,
        facility=facility,
        occurred_at=occurred_at,
        organisation=organisation,
        reporter_name=reporter_name,
        reporter_phone=reporter_phone,
    )
    fields.update(critical=bool(critical))
    _check_occurred(ops, occurred_at, at)
    with ops.store.write() as st:
        cust = _match_customer(st, customer, fields["reporter"])
        if cust is None:
            _require_new_customer_fields(fields)
        _check_opener(ops, st, cust, fields["reporter"], actor)
        if channel == "sla":
            _check_sla_line(ops, st, cust, fields, at)
        number = _insert(ops, st, cust, fields, at, ops.actor(actor) if actor else fields["reporter"])
        row = sql.case_by_number(st, number)
    result = case_object(ops, row)
    advice = ops.config["topics"][fields["topic"]].get("advice") or ""
    if advice:
        result["advice"] = advice
    return result


def _validate(ops, **given: Any) -> dict[str, Any]:
    """Clean every field that needs no store; all problems at once (exit 3)."""
    problems: list[Problem] = []
    out = dict(given)
    topics = ops.config["topics"]
    out["topic"] = topic = (given["topic"] or "").strip()
    if topic not in topics:
        problems.append(Problem(f"unknown topic {topic!r}; topics are: {', '.join(topics)}", column="topic"))
    if given["channel"] not in CHANNELS:
        problems.append(
            Problem(
                f"unknown channel {given['channel']!r}; channels are: {', '.join(CHANNELS)}", column="channel"
            )
        )
    if given["classification"] not in CLASSIFICATIONS:
        problems.append(
            Problem(
                f"unknown classification {given['classification']!r};"
                f" use one of: {', '.join(CLASSIFICATIONS)}",
                column="classification",
            )
        )
    out["subject"] = (given["subject"] or "").strip()
    if not out["subject"]:
        problems.append(Problem("subject is empty; give a short description", column="subject"))
    # The first message may be long (an e-mail, a change order's lines): not bounded;
    # `case export` cuts it to one xlsx cell.
    for key, option, line in (("subject", "--subject", True), ("message", "--message", False)):
        try:
            out[key] = _text(given[key], option, line=line, required=False, bounded=line)
        except InvalidInput as exc:
            problems.append(Problem(str(exc), column=key))
    out["area"] = (given["area"] or "").strip() or None
    if out["area"] is not None and out["area"] not in ops.config["areas"]:
        areas = ", ".join(ops.config["areas"])
        problems.append(Problem(f"unknown business area {out['area']!r}; areas are: {areas}", column="area"))
    try:
        out["facility"] = _text(given["facility"], "--facility", line=True, required=False)
    except InvalidInput as exc:
        problems.append(Problem(str(exc), column="facility"))
    for key, option, parse in (
        ("reporter", "--reporter", parsers.email),
        ("reporter_phone", "--reporter-phone", parsers.phone),
        ("reporter_name", "--reporter-name", lambda v: parsers.name(v, "name", required=False) or None),
        ("organisation", "--organisation", lambda v: parsers.name(v, "name", required=False) or None),
    ):
        try:
            out[key] = parse((given[key] or "").strip().lower() if key == "reporter" else given[key])
        except ValueError as exc:
            problems.append(Problem(f"{option}: {exc}", column=option.lstrip("-")))
    if problems:
        raise InvalidInput(
            problems[0].message if len(problems) == 1 else f"{len(problems)} problems with the new case",
            problems if len(problems) > 1 else None,
        )
    return out


def _check_occurred(ops, occurred_at: datetime | None, at: datetime) -> None:
    """A fault is reported after it occurred: ``--occurred-at`` after the opening is exit 3."""
    if occurred_at is not None and occurred_at.tzinfo is not None and occurred_at > at:
        raise InvalidInput(
            f"--occurred-at {occurred_at.astimezone(ops.tz).isoformat()} is after the report"
            f" ({at.astimezone(ops.tz).isoformat()}); a fault is reported after it occurred"
        )


def _match_customer(st, customer: str | None, reporter: str) -> Any:
    """The customer row the case belongs to, or None for a not yet known customer."""
    if customer is not None:
        return require_customer(st, str(customer).strip())
    from ops_cli.roster.lookup import customer_of_email  # not at start-up: loads all of roster

    number = customer_of_email(st, reporter)
    if number is None and roster_sql.entries_of_email(st, reporter):
        raise InvalidInput(f"{reporter} is on more than one customer's roster; give --customer")
    return sql.customer(st, number) if number else None


def _require_new_customer_fields(fields: dict[str, Any]) -> None:
    missing = [option for key, option in NEW_CUSTOMER_FIELDS if fields.get(key) is None]
    if missing:
        raise InvalidInput(
            f"a case without a known customer needs {', '.join(missing)}"
            f" (the reporter {fields['reporter']} is on no customer's roster or domain)",
            [Problem("required when the customer is not known", column=m.lstrip("-")) for m in missing],
        )


def _check_opener(ops, st, cust: Any, reporter: str, by: str | None) -> None:
    """``--by`` on open: the operator, a desk agent, the reporter or a person of the customer."""
    if by is None or by.strip().lower() == reporter:
        return
    if cust is None:
        if is_desk_agent(ops.config, by):
            return
        raise NotPermitted(f"{by.strip().lower()} is neither one of the desk's agents nor the reporter")
    require_actor(st, ops.config, cust["number"], by, None)


def _check_sla_line(ops, st, cust: Any, fields: dict[str, Any], at: datetime) -> None:
    """The SLA line: an SLA customer, eligible, its telephony responsible; out of hours
    only critical faults."""
    from ops_cli.sla import eligibility

    if cust is None:
        raise InvalidInput(
            "the SLA line is for customers with an SLA; give --customer or a reporter on its roster"
        )
    number, tier = cust["number"], (cust["sla_tier"] or "none").strip().lower()
    if tier == "none" or tier not in ops.config["sla"]["tiers"]:
        raise NotPermitted(
            f"customer {number} has no SLA tier; the SLA line is only for customers with an SLA"
        )
    verdict = eligibility(ops, number, at.astimezone(ops.tz).date())
    if not verdict["eligible"]:
        raise NotPermitted(
            f"customer {number} is not eligible for an SLA, so the SLA line is closed to it: "
            + "; ".join(verdict["reasons"])
        )
    require(st, number, fields["reporter"], "report-sla")
    service = ops.hours("customer_service")
    if service.is_open(at):
        return
    opens = service.next_open(at).isoformat(timespec="minutes")
    outside = (
        f"({at.astimezone(ops.tz).isoformat(timespec='minutes')} is outside them; they open again {opens})"
    )
    if not _is_fault(ops, fields["topic"]):
        raise Conflict(
            f"the SLA line takes only critical faults outside customer-service hours {outside};"
            f" topic {fields['topic']!r} is not a fault topic ({', '.join(fault_topics(ops))})"
        )
    if not fields["critical"]:
        raise Conflict(
            f"the SLA line takes only critical faults outside customer-service hours {outside};"
            " use --critical for a critical fault"
        )


def _sla_tier(ops, cust: Any, fields: dict[str, Any]) -> str | None:
    """The tier whose timers run: a critical fault on the SLA line (checked) only."""
    if fields["channel"] == "sla" and fields["critical"] and _is_fault(ops, fields["topic"]):
        return cust["sla_tier"].strip().lower()
    return None


def _insert(ops, st, cust: Any, fields: dict[str, Any], at: datetime, actor: str) -> str:
    """Route, schedule and write the case, its first message, event and audit; its number."""
    department, route = _route(ops, cust, fields["topic"], fields["area"])
    opened = _db(at)
    values: dict[str, Any] = {
        key: fields[key] for key in ("reporter", "channel", "topic", "area", "facility", "subject")
    }
    values.update(
        customer=cust["number"] if cust is not None else None,
        occurred_at=_db(fields["occurred_at"]),
        department=department,
        priority="high" if fields["critical"] else "normal",
        critical=1 if fields["critical"] else 0,
        classification=fields["classification"],
        status="open",
        sla_tier=_sla_tier(ops, cust, fields),
        opened_at=opened,
        schedule_from=opened,
        last_activity_at=opened,
    )
    if cust is None:
        values.update({k: fields[k] for k in ("organisation", "reporter_name", "reporter_phone")})
    values["next_callback_at"] = _db(first_due(base_rule(ops, {**values, "feedback_hours": None}), at))
    year = at.astimezone(ops.tz).year
    values["number"] = f"{year}-{sql.allocate_number(st, year):05d}"
    case_id = sql.insert_case(st, values)
    sql.add_entry(st, case_id, "message", fields["reporter"], fields["message"] or fields["subject"], opened)
    sql.add_event(st, case_id, opened, actor, "opened", {"department": department, "routed_by": route})
    st.audit(actor, "case.open", f"case:{values['number']}", None, values, at=at)
    return values["number"]


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

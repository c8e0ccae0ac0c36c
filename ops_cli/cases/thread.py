"""The thread and status of a case: reply, customer message, note, assign, close,
reopen and third-party access.

Who may act with ``--by`` (issue 12; ``None`` is the configured operator):
reply, note, assign, close: desk agents (config ``desk.agents``); message: the
reporter or a person on the customer's roster (any role); reopen: a desk agent,
the reporter or a person of the customer; grant: an orderer or contact of the
customer. Anyone else: exit 5, nothing written (not even the audit).

A customer message on a closed case reopens it (recorded in the history) and
restarts its feedback schedule from the message (issue 13.9); agent replies to a
closed case stay refused (exit 6). Third-party access is granted only on a fault
case that is not closed (issue 13.10).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ops_cli.cases.common import (
    AGENT,
    CUSTOMER,
    GRANT,
    REOPEN,
    _change,
    _db,
    _get,
    _is_fault,
    _local,
    _not_closed,
    _text,
    fault_topics,
    not_before,
)
from ops_cli.cases.schedule import first_due, rule_of
from ops_cli.clock import from_db
from ops_cli.errors import Conflict, InvalidInput
from ops_cli.store import cases as sql


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

    return _change(ops, number, "replied", at, actor, apply, by=by, who=AGENT)


def _restart(ops, row: Any, when: str) -> dict[str, Any]:
    """The column updates that reopen a closed case: the schedule starts again at ``when``."""
    nxt = first_due(rule_of(ops, row), from_db(when, ops.tz))
    return {
        "status": "open",
        "closed_at": None,
        "resolution": None,
        "schedule_from": when,
        "next_callback_at": _db(nxt),
    }


def customer_message(
    ops, number: str, message: str, *, by: str | None = None, at: datetime | None = None
) -> dict[str, Any]:
    """The customer wrote again (``by`` defaults to the reporter): the case is ``open`` again.

    On a closed case the message reopens it, as replying to the e-mail does in the portal.
    """
    body = _text(message, "--message")

    def apply(st, row, when):
        author = by.strip().lower() if by else row["reporter"]
        updates: dict[str, Any] = {"status": "open"}
        detail: dict[str, Any] = {"status": "open"}
        if row["status"] == "closed":
            not_before(ops, from_db(when, ops.tz), row["closed_at"], f"case {row['number']} was closed")
            updates = _restart(ops, row, when)
            detail["reopened"] = True
            sql.add_event(
                st,
                row["id"],
                when,
                author,
                "reopened",
                {"by": "customer message", "previous_resolution": row["resolution"]},
            )
        sql.add_entry(st, row["id"], "message", author, body, when)
        return updates, detail

    row = _get(ops, number)
    author = by.strip().lower() if by else row["reporter"]
    return _change(ops, number, "customer-message", at, author, apply, by=by, who=CUSTOMER)


def note(
    ops, number: str, message: str, *, by: str | None = None, at: datetime | None = None
) -> dict[str, Any]:
    """An internal note: never shown to the customer side; allowed on closed cases too."""
    body = _text(message, "--message")
    actor = ops.actor(by)

    def apply(st, row, when):
        sql.add_entry(st, row["id"], "note", actor, body, when)
        return {}, None

    return _change(ops, number, "noted", at, actor, apply, by=by, who=AGENT)


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
    agent = (_text(agent, "--agent", line=True, required=False) or "").lower() or None
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

    return _change(ops, number, "assigned", at, actor, apply, by=by, who=AGENT)


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

    return _change(ops, number, "closed", at, actor, apply, by=by, who=AGENT)


def reopen(ops, number: str, *, by: str | None = None, at: datetime | None = None) -> dict[str, Any]:
    """Reopen a closed case; its feedback schedule starts again from the reopening."""
    actor = ops.actor(by)

    def apply(st, row, when):
        if row["status"] != "closed":
            raise Conflict(f"case {row['number']} is not closed (it is {row['status']}); nothing to reopen")
        not_before(ops, from_db(when, ops.tz), row["closed_at"], f"case {row['number']} was closed")
        return _restart(ops, row, when), {"previous_resolution": row["resolution"]}

    return _change(ops, number, "reopened", at, actor, apply, by=by, who=REOPEN)


def grant(
    ops, number: str, name: str, *, by: str | None = None, at: datetime | None = None
) -> dict[str, Any]:
    """Record a named third party the desk may exchange information with on this case.

    ``by`` must be an orderer or contact of the case's customer (exit 5
    otherwise); ``None`` is the desk itself. Only on a fault case that is not
    closed (exit 6 otherwise).
    """
    who = _text(name, "--name", line=True)
    actor = ops.actor(by)

    def apply(st, row, when):
        if not _is_fault(ops, row["topic"]):
            raise Conflict(
                f"third-party access is granted only on fault cases ({', '.join(fault_topics(ops))});"
                f" case {row['number']} is about {row['topic']!r}"
            )
        if row["status"] == "closed":
            raise Conflict(
                f"case {row['number']} is closed; third-party access is granted only on an open case"
            )
        same = [g for g in sql.grants(st, row["id"]) if g["name"].casefold() == who.casefold()]
        if same:
            raise Conflict(
                f"{same[0]['name']} already has third-party access to case {row['number']}"
                f" (granted by {same[0]['granted_by']} at {_local(ops, same[0]['granted_at'])})"
            )
        sql.add_grant(st, row["id"], who, actor, when)
        return {}, {"name": who}

    result = _change(ops, number, "access-granted", at, actor, apply, by=by, who=GRANT)
    result["grants"] = [dict(g) | {"granted_at": _local(ops, g["granted_at"])} for g in _grants(ops, number)]
    return result


def _grants(ops, number: str) -> list[Any]:
    return sql.grants(ops.store, _get(ops, number)["id"])

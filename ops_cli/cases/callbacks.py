"""Feedback callbacks: agreeing an interval, the due list, recording one made.

The schedule's rules live in :mod:`ops_cli.cases.schedule`; the reports use
:func:`due_times` / :func:`callback_record` / :func:`punctuality` from there
(re-exported here) to count every callback that fell due while a case was open.
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from typing import Any

from ops_cli import clock
from ops_cli.cases.common import (
    AGENT,
    CALLBACK_ROLES,
    SLA_CALLBACK_ROLES,
    _change,
    _db,
    _local,
    _mask,
    _not_closed,
    _text,
)
from ops_cli.cases.schedule import (
    agreed_rule,
    callback_record,
    due_times,
    punctuality,
    replay,
    since_last,
)
from ops_cli.errors import InvalidInput
from ops_cli.store import cases as sql

EVERY_MIN_HOURS = 0.25
EVERY_MAX_HOURS = 8760.0


_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def check_every(every: Any) -> float:
    """An agreed feedback interval in hours: a number from 0.25 (15 minutes) to 8760 (a year)."""
    allowed = f"from {EVERY_MIN_HOURS:g} to {EVERY_MAX_HOURS:g} hours"
    if isinstance(every, str):
        every = every.strip()
    try:
        if isinstance(every, str) and not _DECIMAL.fullmatch(every):
            raise ValueError(every)  # float() also reads "1_0", "infinity", " nan "
        hours = float(every)
    except (TypeError, ValueError):
        raise InvalidInput(f"--every must be {allowed}, not {every!r}") from None
    if not math.isfinite(hours) or not EVERY_MIN_HOURS <= hours <= EVERY_MAX_HOURS:
        raise InvalidInput(f"--every must be {allowed}, not {every!r}")
    return hours


def set_callback(
    ops, number: str, every: float, *, by: str | None = None, at: datetime | None = None
) -> dict[str, Any]:
    """Agree another feedback interval on a case: due every ``every`` hours after the last
    callback made in the current open period (or its start). Real hours, or the tier's
    support hours on an SLA case. It replaces the topic's and the SLA rule."""
    every = check_every(every)
    actor = ops.actor(by)

    def apply(st, row, when):
        _not_closed(row, "change its feedback schedule")
        start = clock.from_db(row["schedule_from"] or row["opened_at"], ops.tz)
        last = sql.last_callback(st, row["id"], since=row["schedule_from"] or row["opened_at"])
        made = clock.from_db(last["made_at"], ops.tz) if last else None
        nxt = since_last(agreed_rule(ops, row, every), start, made)
        return {"feedback_hours": every, "next_callback_at": _db(nxt)}, {"every_hours": every}

    return _change(ops, number, "callback-interval", at, actor, apply, by=by, who=AGENT)


def _who_to_call(ops, row: Any, cache: dict) -> tuple[list[str], str | None]:
    """(who to call, why nobody): the customer's orderers and contacts with a phone
    (SLA-line cases: its telephony responsibles); a new customer's reporter as recorded.
    Never an arbitrary reporter."""
    if not row["customer"]:
        if row["reporter_phone"]:
            return [f"{row['reporter_name'] or row['reporter']} {row['reporter_phone']}"], None
        return [], "no phone on file for the reporter"
    sla = row["channel"] == "sla"
    roles = SLA_CALLBACK_ROLES if sla else CALLBACK_ROLES
    key = (row["customer"], roles)
    if key not in cache:
        cache[key] = [f"{p['name']} {p['phone']}" for p in sql.contacts(ops.store, row["customer"], roles)]
    if cache[key]:
        return cache[key], None
    return [], "no phone on file for telephony" if sla else "no phone on file for orderer/contact"


def due_callbacks(
    ops, *, at: datetime | None = None, include_classified: bool = False
) -> list[dict[str, Any]]:
    """Open cases whose feedback callback is due at ``at`` (default now), earliest first,
    with who to call: the customer's orderers/contacts with a phone (SLA-line
    cases: the telephony entries; a new customer: the reporter's recorded phone);
    ``call_note`` says when there is nobody with a phone on file."""
    at = at or ops.now()
    rows = sql.due_callbacks(ops.store, _db(at))  # in due order, from the index of open cases' due times
    names = sql.customer_names(ops.store, [r["customer"] for r in rows])
    cache: dict = {}
    out = []
    for row in rows:
        due = clock.from_db(row["next_callback_at"], ops.tz)
        call, why = _who_to_call(ops, row, cache)
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
                    "call": call,
                    "call_note": why,
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
    text = _text(note_text, "--note", required=False)

    def apply(st, row, when):
        _not_closed(row, "record a callback")
        made = clock.from_db(when, ops.tz)
        walk = replay(ops, row, made, store=st)
        walk.callback(made)
        due = _db(walk.answered.due_at) if walk.answered else row["next_callback_at"]
        sql.add_callback(st, row["id"], due, when, actor, text)
        nxt = replay(ops, row, store=st).pending
        detail = {"due_at": _local(ops, due), "note": text}
        return {"next_callback_at": _db(nxt)}, detail

    result = _change(ops, number, "callback", at, actor, apply, by=by, who=AGENT)
    result["callbacks_made"] = sql.callback_count(
        ops.store, sql.case_by_number(ops.store, result["number"])["id"]
    )
    return result


__all__ = [
    "EVERY_MAX_HOURS",
    "EVERY_MIN_HOURS",
    "callback_record",
    "check_every",
    "due_callbacks",
    "due_times",
    "punctuality",
    "record_callback",
    "set_callback",
]

"""Shared pieces of the cases package: constants, the case object, masking, lookups
and the one-change-per-transaction helper."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any

from ops_cli import clock
from ops_cli.errors import Conflict, InvalidInput, NotFound, NotPermitted
from ops_cli.store import cases as sql

CHANNELS = ("portal", "email", "phone", "radio", "sla")
CLASSIFICATIONS = ("normal", "sensitive", "secret")
STATUSES = ("open", "answered", "closed")
MASK = "(classified)"

# Roster roles called back for feedback, and for SLA-line cases.
CALLBACK_ROLES = ("orderer", "contact")
SLA_CALLBACK_ROLES = ("telephony",)

# Patterns compiled on first use (``re``'s cache): a listing needs none of them.
_NUMBER_RE = r"^\d{4}-\d{5,}$"

# Free text (issue 12): C0 controls and DEL refused; tab and line breaks kept in
# multi-line texts (messages, notes, resolutions). One-line texts (subject, names)
# are short; a multi-line text fits one xlsx cell (32,767 characters) of an export.
_CONTROL_RE = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
_LINE_CONTROL_RE = "[\x00-\x1f\x7f]"
LINE_MAX = 200
TEXT_MAX = 32767


# ------------------------------------------------------------------ helpers


def _db(moment: datetime | None) -> str | None:
    return clock.to_db(moment) if moment is not None else None


def _local(ops, text: str | None) -> str | None:
    moment = clock.from_db(text, ops.tz)
    return moment.isoformat() if moment else None


def _is_fault(ops, topic: str) -> bool:
    record = ops.config["topics"].get(topic) or {}
    return bool(record.get("fault"))


def fault_topics(ops) -> list[str]:
    """The topics that are faults (config ``topics.<t>.fault``): only they can be critical faults."""
    return [name for name, record in ops.config["topics"].items() if record.get("fault")]


# Who may act with --by on a case (issue 12):
AGENT = "agent"  # desk agents only (reply, note, assign, close, set-callback, callback)
CUSTOMER = "customer"  # the reporter or a person of the case's customer, any role (message)
REOPEN = "reopen"  # a desk agent, the reporter or a person of the case's customer
GRANT = "grant"  # an orderer or contact of the case's customer (grant-access)


def check_actor(ops, st, row: Any, by: str | None, who: str) -> None:
    """Refuse (NotPermitted, exit 5) an actor who may not act on this case; ``by=None``
    is the configured operator. Call inside the write transaction, before any write."""
    if by is None:
        return
    from ops_cli.permissions import is_desk_agent, require_actor  # writes only: not for a listing

    email = by.strip().lower()
    config, customer = ops.config, row["customer"]
    if who == AGENT:
        require_actor(st, config, None, email, None)
        return
    if who == GRANT:
        if not customer:
            raise NotPermitted(
                f"case {row['number']} has no known customer, so no orderer or contact can grant access"
            )
        require_actor(st, config, customer, email, "grant-access", desk_may=False)
        return
    if email == row["reporter"] or (who == REOPEN and is_desk_agent(config, email)):
        return
    if who == CUSTOMER and is_desk_agent(config, email):
        raise NotPermitted(
            f"{email} is a desk agent; a customer message comes from the customer's people"
            " (use `ops case reply` or `ops case note`)"
        )
    if not customer:
        raise NotPermitted(f"{email} is not the reporter of case {row['number']}")
    try:
        require_actor(st, config, customer, email, None, desk_may=False)
    except NotPermitted:
        roster = f"the roster of customer {customer}"
        raise NotPermitted(
            f"{email} is not a desk agent, the reporter of case {row['number']} or on {roster}"
            if who == REOPEN
            else f"{email} is neither the reporter of case {row['number']} nor on {roster}"
        ) from None


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
        "organisation": row["organisation"],
        "reporter_name": row["reporter_name"],
        "reporter_phone": row["reporter_phone"],
    }


#: The case columns :func:`case_objects` reads, in this order.
LISTED_COLUMNS = (
    "number", "customer", "topic", "department", "agent", "status", "critical", "classification",
    "opened_at", "next_callback_at", "subject", "reporter", "channel", "area", "facility",
    "occurred_at", "priority", "sla_tier", "feedback_hours", "last_activity_at", "closed_at",
    "resolution", "organisation", "reporter_name", "reporter_phone",
)  # fmt: skip


#: The fields of a listed case (:func:`case_objects`), in this order.
CASE_FIELDS = (
    "number", "customer", "customer_name", "topic", "department", "agent", "status", "critical",
    "classification", "opened_at", "next_callback_at", "subject", "reporter", "channel", "area",
    "facility", "occurred_at", "priority", "sla_tier", "feedback_hours", "last_activity_at",
    "closed_at", "resolution", "organisation", "reporter_name", "reporter_phone",
)  # fmt: skip


def case_objects(
    ops, rows: Iterable[Sequence[Any]], names: Any, include_classified: bool = True
) -> Iterator[dict[str, Any]]:
    """:func:`case_object` (masked by :func:`_mask` unless ``include_classified``) for each
    row of :data:`LISTED_COLUMNS` values: a listing's per-row work, without a lookup by name
    or a time-zone conversion a value (``tests/cases`` holds the two to the same output)."""
    fields = CASE_FIELDS
    for values in case_tuples(ops, rows, names, include_classified):
        yield dict(zip(fields, values, strict=True))


def case_tuples(
    ops, rows: Iterable[Sequence[Any]], names: Any, include_classified: bool = True
) -> Iterator[tuple[Any, ...]]:
    """The values of :func:`case_objects`, a tuple of :data:`CASE_FIELDS` order a row: the one
    conversion pass of a listing (the JSON writer takes them without a dict a row)."""
    local = local_times(ops.tz)
    hidden = () if include_classified else ("sensitive", "secret")
    for (
        number, customer, topic, department, agent, status, critical, classification,
        opened, due, subject, reporter, channel, area, facility,
        occurred, priority, sla_tier, feedback_hours, last, closed,
        resolution, organisation, reporter_name, reporter_phone,
    ) in rows:  # fmt: skip
        if classification in hidden:
            if subject:
                subject = MASK
            if resolution:
                resolution = MASK
        yield (
            number,
            customer,
            names.get(customer) if customer else None,
            topic,
            department,
            agent,
            status,
            bool(critical),
            classification,
            local(opened),
            local(due) if due is not None and status != "closed" else None,
            subject,
            reporter,
            channel,
            area,
            facility,
            None if occurred is None else local(occurred),
            priority,
            sla_tier,
            feedback_hours,
            local(last),
            None if closed is None else local(closed),
            resolution,
            organisation,
            reporter_name,
            reporter_phone,
        )


# ":MM:SS+00:00" (how a stored time ends) -> ":MM:SS", for :func:`local_times`: filled as
# tails come up (at most 3,600 entries), each checked once against _TAIL.
_STORED_TAIL: dict[str, str] = {}
_TAIL = re.compile(r":[0-5][0-9]:[0-5][0-9]\+00:00")


def local_times(tz: Any) -> Callable[[str | None], str | None]:
    """:func:`_local` for many stored times: a time as stored (``YYYY-MM-DDTHH:MM:SS+00:00``)
    takes the local hour and offset of its UTC hour from a table filled as hours come up;
    an hour with a change of offset, an offset that is not whole hours, or any other text
    goes the exact way. Same text as :func:`_local`, a fraction of the work."""
    tails = _STORED_TAIL
    tail_form = _TAIL.fullmatch
    hours: dict[str, tuple[str, str] | tuple[()]] = {}
    days: dict[str, tuple[timedelta, str] | tuple[()]] = {}

    def local_hour(prefix: str) -> tuple[str, str] | tuple[()]:
        # A UTC day with one whole-hour offset gives each of its hours by adding it (a
        # listing meets a new hour every few rows); any other day goes hour by hour.
        day = days.get(prefix[:10])
        if day is None:
            day = days[prefix[:10]] = _day_offset(prefix[:10], tz)
        if not day:
            return _local_hour(prefix, tz)
        return (datetime.fromisoformat(prefix + ":00:00") + day[0]).isoformat()[:13], day[1]

    def local(text: str | None) -> str | None:
        if text is None:
            return None
        rest = tails.get(text[13:])  # ":MM:SS" of a time as stored, else None
        if rest is None and tail_form(text, 13):
            rest = tails[text[13:]] = text[13:19]
        if rest is not None:
            hour = hours.get(text[:13])
            if hour is None:
                hour = hours[text[:13]] = local_hour(text[:13])
            if hour:
                return hour[0] + rest + hour[1]
        moment = clock.from_db(text, tz)
        return moment.isoformat() if moment else None

    return local


def _day_offset(day: str, tz: Any) -> tuple[timedelta, str] | tuple[()]:
    """The offset (and its text) of a UTC day that has one whole-hour offset from its first
    second to its last, else ``()`` (a change of offset that day, or no date)."""
    try:
        start = clock.from_db(day + "T00:00:00+00:00", tz)
        end = clock.from_db(day + "T23:59:59+00:00", tz)
    except ValueError:  # not a date: the hour by hour way decides (and fails as before)
        return ()
    offset = start.utcoffset()
    if offset != end.utcoffset() or offset is None or offset % timedelta(hours=1):
        return ()
    return offset, start.isoformat()[19:]


def _local_hour(prefix: str, tz: Any) -> tuple[str, str] | tuple[()]:
    start = clock.from_db(prefix + ":00:00+00:00", tz)
    end = clock.from_db(prefix + ":59:59+00:00", tz)
    offset = start.utcoffset()
    if offset != end.utcoffset() or offset is None or offset % timedelta(hours=1):
        return ()
    text = start.isoformat()
    return text[:13], text[19:]


def _get(ops, number: str) -> Any:
    number = (number or "").strip()
    row = sql.case_by_number(ops.store, number)
    if row is None:
        if not re.match(_NUMBER_RE, number):
            raise NotFound(f"no case {number!r}; case numbers look like 2026-00042 (see `ops case list`)")
        raise NotFound(f"no case {number}; see `ops case list`")
    return row


def _text(
    value: str | None, what: str, *, line: bool = False, required: bool = True, bounded: bool = True
) -> str | None:
    """Free text from an option: trimmed, NFC; control characters refused (a one-line
    text: also line breaks and hidden bidi/zero-width characters); at most
    ``LINE_MAX`` (one line) or, when ``bounded``, ``TEXT_MAX`` characters (exit 3)."""
    text = (value or "").strip()
    if not text:
        if required:
            raise InvalidInput(f"{what} is empty; give some text")
        return None
    import unicodedata  # writes only: not for a listing

    text = unicodedata.normalize("NFC", text)
    bad = re.search(_LINE_CONTROL_RE if line else _CONTROL_RE, text)
    if bad:
        hint = "; keep it to one line" if bad.group() in "\r\n" else ""
        raise InvalidInput(f"{what} contains the control character U+{ord(bad.group()):04X}{hint}")
    if line:
        from ops_cli.parsers.text import hidden_character  # writes only: not for a listing

        hidden = hidden_character(text)
        if hidden:
            raise InvalidInput(f"{what} contains the invisible character {hidden}; type it again")
    limit = LINE_MAX if line else TEXT_MAX
    if bounded and len(text) > limit:
        raise InvalidInput(f"{what} is {len(text)} characters long; at most {limit}")
    return text


def _change(
    ops,
    number: str,
    action: str,
    at: datetime | None,
    actor: str,
    apply,
    *,
    by: str | None = None,
    who: str | None = None,
) -> dict[str, Any]:
    """Run one change to a case in one transaction: the actor check (``by`` as ``who``,
    see :func:`check_actor`) first, then ``apply(st, row, at_db)`` returns (column
    updates, event detail); the event, last activity and audit are written here."""
    at = at or ops.now()
    when = _db(at)
    with ops.store.write() as st:
        row = _get(ops, number)
        if who is not None:
            check_actor(ops, st, row, by, who)
        not_before(ops, at, row["opened_at"], f"case {row['number']} was opened")
        updates, detail = apply(st, row, when)
        before = {k: row[k] for k in updates}
        # A change recorded afterwards (--at in the past) never moves the last activity back.
        updates = {**updates, "last_activity_at": max(when, row["last_activity_at"], key=_instant)}
        sql.update_case(st, row["id"], updates)
        sql.add_event(st, row["id"], when, actor, action, detail)
        after = {k: v for k, v in updates.items() if k != "last_activity_at"}
        st.audit(actor, f"case.{action}", f"case:{row['number']}", before, {**after, **(detail or {})}, at=at)
        fresh = sql.case_by_number(st, row["number"])
    return case_object(ops, fresh)


def _instant(text: str) -> datetime:
    return clock.from_db(text, None)


def not_before(ops, at: datetime, stored: str | None, what: str) -> None:
    """Refuse a change dated (``--at``) before ``stored`` (exit 3): nothing happens to a
    case before it was opened, and a case is not reopened before it was closed."""
    if stored and at < _instant(stored):
        raise InvalidInput(
            f"--at {at.astimezone(ops.tz).isoformat()} is before {what} ({_local(ops, stored)})"
        )


def _not_closed(row: Any, doing: str) -> None:
    if row["status"] == "closed":
        raise Conflict(
            f"case {row['number']} is closed; reopen it first (`ops case reopen {row['number']}`) to {doing}"
        )

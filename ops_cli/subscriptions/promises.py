"""Promised dates and order cases, shared by change orders and orders of new subscriptions/add-ons.

Promised date: ``orders.small_order_days`` working days after the receipt day
for up to ``orders.small_order_max`` subscriptions, else
``orders.large_order_days``; a receipt on a weekend or holiday counts from the
next working day. Urgent orders (at most ``orders.urgent_max`` changes) are
due the same day and taken only in desk office hours on a working day.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ops_cli import cases
from ops_cli.errors import Conflict, InvalidInput
from ops_cli.store import subscriptions as sql
from ops_cli.subscriptions._common import _day_text, _hours_text


def promised_date(ops, received: datetime, changes: int, urgent: bool = False) -> dict[str, Any]:
    """The promised delivery of an order received at ``received`` (desk-local).

    Returns ``receipt_day`` (the working day the order counts as received on),
    ``working_days`` (0 for urgent) and ``due``. Raises Conflict when an
    urgent order is not allowed (too many changes, outside desk office hours).
    """
    try:
        return _promise(ops, received, changes, urgent)
    except OverflowError:
        raise InvalidInput(
            f"an order received {received.date().isoformat()} would be due after 9999-12-31,"
            " the last date the calendar knows; check --at or OPS_NOW"
        ) from None


def _promise(ops, received: datetime, changes: int, urgent: bool) -> dict[str, Any]:
    cfg = ops.config["orders"]
    cal = ops.calendar
    local = received.astimezone(ops.tz)
    day = local.date()
    receipt_day = cal.working_day_on_or_after(day)
    if urgent:
        if changes > cfg["urgent_max"]:
            raise Conflict(
                f"an urgent order takes at most {cfg['urgent_max']} changes; this one has {changes}."
                " Send it without --urgent (promised within"
                f" {_order_days(cfg, changes)}"
                " working days) or split it; nothing was changed"
            )
        check_urgent_time(ops, local)
        return {"receipt_day": day, "working_days": 0, "due": day}
    days = _order_days(cfg, changes)
    return {"receipt_day": receipt_day, "working_days": days, "due": cal.add_working_days(receipt_day, days)}


def _order_days(cfg: dict[str, Any], changes: int) -> int:
    return cfg["small_order_days"] if changes <= cfg["small_order_max"] else cfg["large_order_days"]


def check_urgent_time(ops, at: datetime) -> None:
    """Urgent changes only in desk office hours on a working day (Conflict with the reason otherwise)."""
    local = at.astimezone(ops.tz)
    when = local.isoformat(timespec="minutes")
    if not ops.calendar.is_working_day(local.date()):
        reason = f"{_day_text(ops, local.date())}, not a working day"
    elif not ops.hours("desk").is_open(local):
        reason = f"{when} is outside them"
    else:
        return
    raise Conflict(
        f"urgent changes are done only in desk office hours ({_hours_text(ops, 'desk')}); {reason}."
        " Send the order without --urgent to get a promised date; nothing was changed"
    )


def open_order_case(
    ops, *, customer: str, by: str, subject: str, lines: list[str], at: datetime
) -> tuple[str, int]:
    """The order case (topic ``order``) in the caller's transaction: (case number, case id)."""
    case = cases.open_case(
        ops,
        topic="order",
        reporter=by,
        subject=subject,
        customer=customer,
        channel="email",
        message="\n".join(lines),
        area="order" if "order" in ops.config["areas"] else None,
        at=at,
        actor=ops.actor(by),
    )
    return case["number"], sql.case_id(ops.store, case["number"])


def close_order_case(ops, st, case_id: int, case_number: str, resolution: str, by, at) -> None:
    """Close the order case in the caller's transaction (left alone when someone closed it already)."""
    if sql.case_status(st, case_id) != "closed":
        cases.close(ops, case_number, resolution, by=by, at=at)

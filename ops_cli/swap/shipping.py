"""Swap shipping: a spare sent on a case, with its delivery date from the 14:00 cut-off."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from ops_cli import clock
from ops_cli.context import Ops
from ops_cli.errors import Conflict, InvalidInput, NotFound
from ops_cli.store import swap as sql
from ops_cli.swap.freight import billing_month
from ops_cli.swap.stock import stock
from ops_cli.swap.units import (
    _customer,
    _model,
    _now_db,
    _require_prof,
    _serial,
    not_before_registration,
    require_actor,
    unit_for_actor,
)

SHIP_COLUMNS = [
    "shipment",
    "customer",
    "case",
    "serial",
    "model",
    "policy",
    "registered_at",
    "ship_date",
    "delivery_date",
    "out_of_warranty",
]


def _cutoff(ops: Ops) -> time:
    hour, minute = (int(p) for p in ops.config["swap"]["cutoff"].split(":"))
    return time(hour, minute)


def delivery(ops: Ops, at: datetime) -> tuple[date, date]:
    """(ship date, delivery date) of a request registered at ``at``.

    Before the cut-off on a working day: ships that day, delivered the next
    working day. Later, or on a non-working day: counts as registered on the
    next working day, so delivery is the working day after that.
    """
    cal = ops.calendar
    local = at.astimezone(ops.tz)
    day = local.date()
    if cal.is_working_day(day) and local.time() < _cutoff(ops):
        ship = day
    else:
        ship = cal.next_working_day(day)
    return ship, cal.next_working_day(ship)


def _shipment_out(ops: Ops, row: Any) -> dict[str, Any]:
    return {
        "shipment": row["id"],
        "customer": row["customer"],
        "case": row["case_number"],
        "serial": row["serial"],
        "model": row["model"],
        "policy": row["policy"],
        "registered_at": clock.from_db(row["registered_at"], ops.tz),
        "ship_date": row["ship_date"],
        "delivery_date": row["delivery_date"],
        "delivered_at": clock.from_db(row["delivered_at"], ops.tz),
        "returned_at": clock.from_db(row["returned_at"], ops.tz),
        "out_of_warranty": bool(row["out_of_warranty"]),
    }


def shipping_dates(ops: Ops, registered: datetime, shipped: datetime) -> tuple[date, date]:
    """(ship date, delivery date) of a spare for a case registered at ``registered``, sent at ``shipped``.

    The cut-off counts from the registration (:func:`delivery`): a case registered before
    14:00 on a working day is delivered the next working day, whenever that day the spare
    is recorded as sent. A spare sent after its promised ship day ships on the day it is
    sent (the next working day if that is not one) and is delivered the working day after.
    """
    ship_day, deliver_day = delivery(ops, registered)
    sent = shipped.astimezone(ops.tz).date()
    if sent > ship_day:
        cal = ops.calendar
        ship_day = sent if cal.is_working_day(sent) else cal.next_working_day(sent)
        deliver_day = cal.next_working_day(ship_day)
    return ship_day, deliver_day


def _ship_case(ops: Ops, st: Any, crow: Any, number: str, at: datetime) -> tuple[Any, datetime]:
    """The open case of this customer the spare is sent on, and when it was registered."""
    case_row = sql.case_by_number(st, number)
    if case_row is None:
        raise NotFound(f"unknown case {number!r}; see `ops case list --customer {crow['number']}`")
    if case_row["customer"] != crow["number"]:  # also a case without a customer
        raise Conflict(f"case {number} is not a case of customer {crow['number']}")
    if case_row["status"] == "closed":
        raise Conflict(f"case {number} is closed; reopen it or ship on an open case")
    registered = clock.from_db(case_row["opened_at"], ops.tz) or at
    if at < registered:
        raise InvalidInput(
            f"--at {at.isoformat(timespec='minutes')} is before case {number} was registered "
            f"({registered.isoformat(timespec='minutes')}); a spare is sent after the case is registered"
        )
    return case_row, registered


def _pick(ops: Ops, st: Any, crow: Any, model: str | None) -> Any:
    unit = sql.pick_unit(st, crow["number"], model)
    if unit is not None:
        return unit
    in_stock = sum(r["in_stock"] for r in stock(ops, crow["number"]))
    what = f"no {model} unit" if model else "no unit"
    other = f" ({in_stock} of other models: ship one without --model)" if model and in_stock else ""
    raise Conflict(
        f"customer {crow['number']} has {what} in swap stock{other}; the stock needs a refill: "
        f"send the customer `ops swap refill-request --customer {crow['number']}`"
    )


def ship(
    ops: Ops,
    customer: str,
    case: str,
    *,
    model: str | None = None,
    at: datetime | None = None,
    out_of_warranty: bool = False,
    by: str | None = None,
) -> dict[str, Any]:
    """Send a spare from the customer's stock on a case; returns the shipment with its delivery date.

    ``at`` is when the spare is sent (default now); the delivery date counts from when the
    case was registered (:func:`shipping_dates`). ``by``: a desk agent, or the customer's
    orderer or contact. Every check runs inside the write transaction.
    """
    at = at or ops.now()
    number = (case or "").strip()
    model = _model(model) or None
    with ops.store.write() as st:
        crow = _customer(ops, customer)
        require_actor(ops, crow["number"], by, "ship")
        _require_prof(crow, "swap shipping")
        case_row, registered = _ship_case(ops, st, crow, number, at)
        unit = _pick(ops, st, crow, model)
        ship_day, deliver_day = shipping_dates(ops, registered, at)
        policy = crow["swap_policy"]
        state = "on_loan" if policy == "loan" else "swapped_out"
        actor = ops.actor(by)
        values = {
            "customer": crow["number"],
            "case_id": case_row["id"],
            "case_number": case_row["number"],
            "serial": unit["serial"],
            "model": unit["model"],
            "policy": policy,
            "registered_at": _now_db(registered),
            "ship_date": ship_day.isoformat(),
            "delivery_date": deliver_day.isoformat(),
            "out_of_warranty": 1 if out_of_warranty else 0,
            "created_by": actor,
        }
        sid = sql.insert_shipment(st, values)
        sql.set_unit_state(st, unit["serial"], state, _now_db(at))
        st.audit(actor, "swap.ship", f"shipment:{sid}", None, values, at=at)
        after = {"state": state, "case": case_row["number"]}
        st.audit(actor, "swap.ship", f"unit:{unit['serial']}", {"state": "in_stock"}, after, at=at)
        # sent (recorded late) in a month whose freight was billed: the caller says to --rebill
        billed = bool(sql.freight_bills(st, ship_day.strftime("%Y-%m")))
        return {**_shipment_out(ops, sql.shipment(st, sid)), "month_billed": billed}


def list_shipments(
    ops: Ops, *, customer: str | None = None, month: str | None = None
) -> list[dict[str, Any]]:
    if customer:
        customer = _customer(ops, customer)["number"]
    if month:
        billing_month(month)
    return [_shipment_out(ops, r) for r in sql.list_shipments(ops.store, customer, month)]


def delivered(ops: Ops, serial: str, *, at: datetime | None = None, by: str | None = None) -> dict[str, Any]:
    """Record that the latest shipment of a unit reached the user."""
    serial = _serial(serial)
    at = at or ops.now()
    with ops.store.write() as st:
        unit_for_actor(ops, st, serial, by, "delivered")
        shipment = sql.last_shipment_of(st, serial)
        if shipment is None:
            raise Conflict(f"unit {serial} has not been shipped")
        if shipment["delivered_at"]:
            raise Conflict(f"shipment {shipment['id']} of unit {serial} was already recorded as delivered")
        not_before_registration(ops, shipment, at)
        sql.update_shipment(st, shipment["id"], delivered_at=_now_db(at))
        st.audit(
            ops.actor(by),
            "swap.delivered",
            f"shipment:{shipment['id']}",
            {"delivered_at": None},
            {"delivered_at": _now_db(at)},
            at=at,
        )
        return _shipment_out(ops, sql.shipment(st, shipment["id"]))

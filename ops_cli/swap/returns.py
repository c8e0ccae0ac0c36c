"""Swap returns and repairs: the customer's policy (loan or exchange) decides where a unit goes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ops_cli.context import Ops
from ops_cli.errors import Conflict, InvalidInput
from ops_cli.store import roster as roster_sql
from ops_cli.store import swap as sql
from ops_cli.swap.units import (
    _SERIAL,
    DESTINATIONS,
    _model,
    _now_db,
    _serial,
    canonical_model,
    not_before_registration,
    unit_for_actor,
)

_STATE_OF = {"stock": "in_stock", "repair": "in_repair", "user": "swapped_out"}


def return_unit(
    ops: Ops,
    serial: str,
    *,
    to: str | None = None,
    broken: str | None = None,
    model: str | None = None,
    out_of_warranty: bool = False,
    at: datetime | None = None,
    by: str | None = None,
) -> dict[str, Any]:
    """Record a return: where the unit ``serial`` goes (stock, repair or the user).

    * A shipped spare (on loan or swapped out): the default follows the
      customer's policy. ``loan``: the spare comes back to stock. ``exchange``:
      the user keeps the spare (``user``) and the broken phone, named with
      ``broken``, goes to repair and joins the stock when repaired.
    * A unit in repair comes back repaired: to stock, except a user's own
      phone under the loan policy, which goes back to the user.
    """
    serial = _serial(serial)
    if to is not None and to not in DESTINATIONS:
        raise InvalidInput(f"--to: {to!r} is not one of {', '.join(DESTINATIONS)}")
    ctx = _Return(ops, serial, to, broken, model, out_of_warranty, at or ops.now(), ops.actor(by))
    with ops.store.write() as st:
        unit = unit_for_actor(ops, st, serial, by, "return")
        crow = roster_sql.customer_row(st, unit["customer"])
        state = unit["state"]
        result: dict[str, Any] = {
            "serial": serial,
            "customer": unit["customer"],
            "policy": crow["swap_policy"],
            "from": state,
        }
        if state in ("in_stock", "retired"):
            raise Conflict(f"unit {serial} is {state.replace('_', ' ')}; there is nothing to return")
        if state == "in_repair":
            return _return_repaired(ctx, st, unit, result)
        return _return_shipped(ctx, st, unit, result)


class _Return:
    """What ``swap return`` was asked to do, and when and by whom."""

    def __init__(self, ops, serial, to, broken, model, out_of_warranty, at, actor):
        self.ops, self.serial, self.to, self.broken, self.model = ops, serial, to, broken, model
        self.out_of_warranty, self.at, self.actor = out_of_warranty, at, actor
        self.now = _now_db(at)

    def audit(self, st: Any, obj: str, before: Any, after: Any) -> None:
        st.audit(self.actor, "swap.return", obj, before, after, at=self.at)


def _return_repaired(ctx: _Return, st: Any, unit: Any, result: dict[str, Any]) -> dict[str, Any]:
    """A repaired unit comes back: to stock, or a loan user's own phone to the user."""
    serial, state = ctx.serial, unit["state"]
    if ctx.broken:
        raise InvalidInput("--broken is for the return of a shipped spare, not of a repaired phone")
    if ctx.to == "repair":
        raise Conflict(f"unit {serial} is already in repair")
    policy = result["policy"]
    repair_row = sql.open_repair_of(st, serial)
    if repair_row is not None and repair_row["shipment_id"] is not None:
        policy = result["policy"] = sql.shipment(st, repair_row["shipment_id"])["policy"]
    dest = ctx.to or ("user" if unit["origin"] == "user" and policy == "loan" else "stock")
    if repair_row is not None:
        oow = 1 if (ctx.out_of_warranty or repair_row["out_of_warranty"]) else 0
        sql.update_repair(st, repair_row["id"], done_at=ctx.now, out_of_warranty=oow)
    elif ctx.out_of_warranty:
        raise Conflict(f"unit {serial} has no open repair to mark out of warranty")
    sql.set_unit_state(st, serial, _STATE_OF[dest], ctx.now)
    ctx.audit(st, f"unit:{serial}", {"state": state}, {"state": _STATE_OF[dest], "repaired": True})
    result.update({"to": dest, "state": _STATE_OF[dest], "repaired": True})
    return result


def _broken_serial(ctx: _Return, st: Any, dest: str, unit: Any) -> str | None:
    """The user's broken phone named with --broken, checked; None when not given."""
    serial, state = ctx.serial, unit["state"]
    broken = _serial(ctx.broken) if ctx.broken else None
    if dest == "user" and state == "swapped_out" and broken is None and ctx.to is None:
        raise InvalidInput(
            f"customer {unit['customer']} has the exchange policy: the user keeps {serial} and the "
            "broken phone goes to repair; give its serial with --broken SERIAL (or --to stock if the "
            "spare itself came back)"
        )
    if dest == "user" and state == "swapped_out" and broken is None:
        raise Conflict(f"unit {serial} is already with the user; name the broken phone with --broken SERIAL")
    if broken is not None:
        if not _SERIAL.match(broken):
            raise InvalidInput(
                f"--broken: {ctx.broken!r} is not a serial number or IMEI (4-32 letters, digits or '-')"
            )
        if broken == serial:
            raise InvalidInput("--broken: the broken phone's serial is the spare's own serial")
        if sql.unit(st, broken) is not None:
            raise InvalidInput(f"--broken: duplicate serial {broken}: already in the store")
    return broken


def _return_shipped(ctx: _Return, st: Any, unit: Any, result: dict[str, Any]) -> dict[str, Any]:
    """A shipped spare (on loan or swapped out): the policy it was shipped under decides."""
    serial, state = ctx.serial, unit["state"]
    shipment = sql.open_shipment_of(st, serial)
    if shipment is not None:
        not_before_registration(ctx.ops, shipment, ctx.at)
        result["policy"] = shipment["policy"]
    policy = result["policy"]
    dest = ctx.to or ("stock" if policy == "loan" else "user")
    broken = _broken_serial(ctx, st, dest, unit)
    sql.set_unit_state(st, serial, _STATE_OF[dest], ctx.now)
    sid = shipment["id"] if shipment else None
    if shipment is not None:
        sql.update_shipment(st, sid, returned_at=ctx.now)
        ctx.audit(st, f"shipment:{sid}", {"returned_at": None}, {"returned_at": ctx.now})
    if dest == "repair":
        sql.insert_repair(st, serial, unit["customer"], sid, ctx.now, ctx.out_of_warranty)
    ctx.audit(st, f"unit:{serial}", {"state": state}, {"state": _STATE_OF[dest]})
    result.update({"to": dest, "state": _STATE_OF[dest], "shipment": sid, "repaired": False})
    if broken is not None:
        result["broken"] = _take_in_broken(ctx, st, unit, broken, sid, policy)
    return result


def _take_in_broken(ctx: _Return, st: Any, unit: Any, broken: str, sid: int | None, policy: str) -> dict:
    """The user's broken phone joins the store in repair (then to the user or to stock)."""
    customer = unit["customer"]
    bmodel = canonical_model(st, customer, _model(ctx.model)) if _model(ctx.model) else unit["model"]
    sql.insert_units(st, [(broken, customer, bmodel, "in_repair", "user", ctx.now, ctx.now)])
    sql.insert_repair(st, broken, customer, sid, ctx.now, ctx.out_of_warranty)
    after = {
        "customer": customer,
        "model": bmodel,
        "state": "in_repair",
        "origin": "user",
        "out_of_warranty": ctx.out_of_warranty,
    }
    ctx.audit(st, f"unit:{broken}", None, after)
    return {
        "serial": broken,
        "model": bmodel,
        "state": "in_repair",
        "then": "user" if policy == "loan" else "stock",
    }


def repair(
    ops: Ops,
    serial: str,
    *,
    out_of_warranty: bool = False,
    at: datetime | None = None,
    by: str | None = None,
) -> dict[str, Any]:
    """Send a unit to repair, or mark its open repair out of warranty (billed to the customer)."""
    serial = _serial(serial)
    at = at or ops.now()
    now = _now_db(at)
    actor = ops.actor(by)
    with ops.store.write() as st:
        unit = unit_for_actor(ops, st, serial, by, "repair")
        state = unit["state"]
        if state == "retired":
            raise Conflict(f"unit {serial} is retired")
        if state == "in_repair":
            if not out_of_warranty:
                raise Conflict(
                    f"unit {serial} is already in repair (add --out-of-warranty to mark the repair)"
                )
            rid, before = _mark_out_of_warranty(st, unit, now)
            after = {"serial": serial, "out_of_warranty": True}
            st.audit(actor, "swap.repair", f"repair:{rid}", before, after, at=at)
        else:
            shipment = sql.open_shipment_of(st, serial) if state == "on_loan" else None
            if shipment is not None:
                sql.update_shipment(st, shipment["id"], returned_at=now)
            sid = shipment["id"] if shipment else None
            rid = sql.insert_repair(st, serial, unit["customer"], sid, now, out_of_warranty)
            sql.set_unit_state(st, serial, "in_repair", now)
            after = {"state": "in_repair", "repair": rid, "out_of_warranty": out_of_warranty}
            st.audit(actor, "swap.repair", f"unit:{serial}", {"state": state}, after, at=at)
        return {
            "serial": serial,
            "customer": unit["customer"],
            "state": "in_repair",
            "repair": rid,
            "out_of_warranty": True if state == "in_repair" else out_of_warranty,
        }


def _mark_out_of_warranty(st: Any, unit: Any, now: str) -> tuple[int, dict[str, bool] | None]:
    """Mark a unit's open repair out of warranty (opening one if none is recorded)."""
    repair_row = sql.open_repair_of(st, unit["serial"])
    if repair_row is None:
        return sql.insert_repair(st, unit["serial"], unit["customer"], None, now, True), None
    sql.update_repair(st, repair_row["id"], out_of_warranty=1)
    return repair_row["id"], {"out_of_warranty": bool(repair_row["out_of_warranty"])}

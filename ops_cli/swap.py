"""Swap stock: the spare phones a prof customer owns and the desk keeps and ships.

Rules (domain.md "Swap stock", seed 003):

* the stock's target is ``ceil(rate x fleet)`` computed exactly (Decimal of the
  rate's text), at least 1 for a non-empty fleet: 400 phones -> 32, 401 -> 33;
* a unit is ``in_stock``, ``on_loan``, ``swapped_out``, ``in_repair`` or ``retired``;
* only ``prof`` customers get swap phones; a request registered before the
  cut-off (14:00) on a working day is delivered the next working day, a later
  or non-working-day request counts as registered on the next working day;
* the customer's policy decides returns: ``loan`` -> the spare comes back to
  stock (the user's own phone is repaired and goes back to the user);
  ``exchange`` -> the user keeps the spare and the broken phone goes to repair,
  then to stock;
* freight and packaging are billed monthly in arrears per customer, a month
  once; out-of-warranty shipments and repairs are billed to the customer directly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from decimal import ROUND_CEILING, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ops_cli import clock
from ops_cli.context import Ops
from ops_cli.customers import require_customer
from ops_cli.errors import Conflict, InvalidInput, NotFound, Problem
from ops_cli.store import roster as roster_sql
from ops_cli.store import swap as sql

STATES = ("in_stock", "on_loan", "swapped_out", "in_repair", "retired")
DESTINATIONS = ("stock", "repair", "user")
SERVICE_LEVELS = {
    "bas": "diagnosis, registration, phone and operating-system help",
    "prof": "bas plus sync/e-mail help, swap administration and swap shipping",
}
_SERIAL = re.compile(r"^[A-Z0-9][A-Z0-9-]{3,31}$")
MAX_MODEL = 60

UNIT_COLUMNS = ["serial", "customer", "model", "state", "last_case", "added_at", "updated_at"]
STOCK_COLUMNS = [
    "customer",
    "name",
    "model",
    "in_stock",
    "target",
    "refill",
    "customer_target",
    "below_target",
]
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
FREIGHT_COLUMNS = [
    "month",
    "customer",
    "name",
    "shipments",
    "packaging",
    "freight",
    "total",
    "currency",
    "out_of_warranty",
    "out_of_warranty_items",
]
REFILL_COLUMNS = ["customer", "name", "model", "in_stock", "target", "order"]


# ---------------------------------------------------------------- sizing


def target_for(fleet: int, rate: Decimal) -> int:
    """ceil(rate x fleet), exact; at least 1 for a non-empty fleet, 0 for none."""
    if fleet <= 0:
        return 0
    return max(1, int((rate * fleet).to_integral_value(rounding=ROUND_CEILING)))


def parse_rate(ops: Ops, text: str | None) -> Decimal:
    """The rate typed with --rate (Decimal of the text), else config ``swap.rate``."""
    if text is None:
        return ops.config.swap_rate
    try:
        rate = Decimal(str(text).strip())
    except InvalidOperation:
        rate = None
    if rate is None or not rate.is_finite() or not (0 < rate <= 1):
        raise InvalidInput(f"--rate: {text!r} is not a fraction in (0, 1]; use e.g. 0.08 for 8 %")
    return rate


def size(ops: Ops, *, fleet: int | None = None, customer: str | None = None, rate: str | None = None) -> dict:
    """The stock target for a fleet, or for a customer's recorded fleet."""
    if (fleet is None) == (customer is None):
        raise InvalidInput("give either --fleet N or --customer C")
    the_rate = parse_rate(ops, rate)
    if customer is not None:
        fleet = _customer(ops, customer)["fleet"]
    assert fleet is not None
    if fleet < 0:
        raise InvalidInput(
            f"--fleet: {fleet} is negative; give the number of phones in the fleet (0 or more)"
        )
    result: dict[str, Any] = {"fleet": fleet, "rate": the_rate, "target": target_for(fleet, the_rate)}
    if customer is not None:
        result = {"customer": customer.strip(), **result}
    return result


# ---------------------------------------------------------------- helpers


def _customer(ops: Ops, number: str) -> Any:
    return require_customer(ops.store, number)


def _require_prof(row: Any, what: str) -> None:
    level = row["service_level"]
    if level == "prof":
        return
    if level in SERVICE_LEVELS:
        includes = f"service level {level} includes {SERVICE_LEVELS[level]}"
    else:
        includes = "it has no Smartservice level"
    raise Conflict(
        f"customer {row['number']} cannot get {what}: {includes}; swap phones come with service level prof"
    )


def _serial(text: str) -> str:
    return (text or "").strip().upper()


def _model(text: str | None) -> str:
    return " ".join((text or "").split())


def _now_db(at: datetime) -> str:
    return clock.to_db(at)


def _cutoff(ops: Ops) -> time:
    hour, minute = (int(p) for p in ops.config["swap"]["cutoff"].split(":"))
    return time(hour, minute)


def _price(ops: Ops, key: str) -> Decimal:
    return Decimal(str(ops.config["swap"][key])).quantize(Decimal("0.01"))


def _unit_out(row: Any, tz) -> dict[str, Any]:
    keys = row.keys()
    return {
        "serial": row["serial"],
        "customer": row["customer"],
        "model": row["model"],
        "state": row["state"],
        "origin": row["origin"],
        "last_case": row["last_case"] if "last_case" in keys else None,
        "added_at": clock.from_db(row["added_at"], tz),
        "updated_at": clock.from_db(row["updated_at"], tz),
    }


# ---------------------------------------------------------------- units


def _check_units(
    ops: Ops, rows: Sequence[tuple[int | None, str, str, str]], file: str | None
) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """Validate (row, customer, model, serial) items; returns (new, unchanged) or raises InvalidInput."""
    problems: list[Problem] = []
    customers: dict[str, Any] = {}
    seen: dict[str, int | None] = {}
    checked: list[tuple[int | None, str, str, str]] = []
    for row, customer, model, serial_text in rows:
        ok = True
        customer = (customer or "").strip()
        if not customer:
            problems.append(Problem("customer is empty", file, row, "customer"))
            ok = False
        else:
            if customer not in customers:
                customers[customer] = roster_sql.customer_row(ops.store, customer)
            crow = customers[customer]
            if crow is None:
                problems.append(Problem(f"unknown customer {customer!r}", file, row, "customer"))
                ok = False
            elif crow["service_level"] != "prof":
                problems.append(
                    Problem(
                        f"customer {customer} has service level {crow['service_level']}; "
                        "swap stock is kept for prof customers only",
                        file,
                        row,
                        "customer",
                    )
                )
                ok = False
        model = _model(model)
        if not model:
            problems.append(Problem("model is empty", file, row, "model"))
            ok = False
        elif len(model) > MAX_MODEL:
            problems.append(Problem(f"model is longer than {MAX_MODEL} characters", file, row, "model"))
            ok = False
        serial = _serial(serial_text)
        if not _SERIAL.match(serial):
            problems.append(
                Problem(
                    f"serial {serial_text!r} is not a serial number or IMEI (4-32 letters, digits or '-')",
                    file,
                    row,
                    "serial",
                )
            )
            ok = False
        elif serial in seen:
            where = f"row {seen[serial]}" if seen[serial] is not None else "this request"
            problems.append(Problem(f"duplicate serial {serial} (also in {where})", file, row, "serial"))
            ok = False
        else:
            seen[serial] = row
        if ok:
            checked.append((row, customer, model, serial))
    existing = sql.units_by_serial(ops.store, [c[3] for c in checked])
    new: list[tuple[str, str, str]] = []
    unchanged: list[tuple[str, str, str]] = []
    for row, customer, model, serial in checked:
        old = existing.get(serial)
        if old is None:
            new.append((serial, customer, model))
        elif old["customer"] == customer and old["model"].lower() == model.lower():
            unchanged.append((serial, customer, model))
        else:
            problems.append(
                Problem(
                    f"duplicate serial {serial}: already in the store as {old['model']} of customer "
                    f"{old['customer']}",
                    file,
                    row,
                    "serial",
                )
            )
    if problems:
        if len(problems) == 1 and not file:
            raise InvalidInput(problems[0].message + "; nothing was added", problems)
        raise InvalidInput(f"{len(problems)} problem(s) in the units; nothing was added", problems)
    return new, unchanged


def _add(
    ops: Ops,
    items: Sequence[tuple[int | None, str, str, str]],
    file: str | None,
    *,
    by: str | None,
    dry_run: bool,
    source: str,
) -> dict[str, Any]:
    """Validate every item, then (unless ``dry_run``) write the new units in one transaction.

    The check runs inside the write transaction, so two writers cannot both add one serial.
    """
    if dry_run:
        new, unchanged = _check_units(ops, items, file)
    else:
        at = ops.now()
        now = _now_db(at)
        actor = ops.actor(by)
        with ops.store.write() as st:
            new, unchanged = _check_units(ops, items, file)
            sql.insert_units(st, [(s, c, m, "in_stock", "stock", now, now) for s, c, m in new])
            for s, c, m in new:
                st.audit(
                    actor,
                    "swap.add",
                    f"unit:{s}",
                    None,
                    {"customer": c, "model": m, "state": "in_stock", "source": source},
                    at=at,
                )
    return {
        "created": len(new),
        "unchanged": len(unchanged),
        "dry_run": dry_run,
        "units": [{"serial": s, "customer": c, "model": m, "change": "created"} for s, c, m in new]
        + [{"serial": s, "customer": c, "model": m, "change": "unchanged"} for s, c, m in unchanged],
    }


def add_units(
    ops: Ops,
    customer: str,
    model: str,
    serials: Sequence[str],
    *,
    by: str | None = None,
    dry_run: bool = False,
) -> dict[str, Any]:
    """Add spare units of one model to a prof customer's stock (serials unique store-wide).

    A serial already held by the same customer as the same model is unchanged
    (running the same command twice adds nothing); held by another customer or
    as another model, it is refused.
    """
    if not serials:
        raise InvalidInput("give one or more serial numbers (or --file)")
    row = _customer(ops, customer)
    _require_prof(row, "swap stock")
    items = [(None, row["number"], model, s) for s in serials]
    return _add(ops, items, None, by=by, dry_run=dry_run, source="command")


def unit_columns():
    from ops_cli.sheets import Column

    return [
        Column("customer", ("kundnummer", "kund", "customer number")),
        Column("model", ("modell",)),
        Column("serial", ("serienummer", "imei", "serial number")),
    ]


def add_units_file(
    ops: Ops,
    path: str | Path,
    *,
    customer: str | None = None,
    model: str | None = None,
    by: str | None = None,
    dry_run: bool = False,
) -> dict[str, Any]:
    """Add the units of a sheet (columns customer, model, serial; --customer/--model fill empty cells).

    Every row is validated first (rows named by the sheet's own numbers); then
    all new units are written in one transaction.
    """
    from ops_cli.sheets import Column, read_table

    columns = [
        Column(
            c.name,
            c.aliases,
            required=not ((c.name == "customer" and customer) or (c.name == "model" and model)),
        )
        for c in unit_columns()
    ]
    table = read_table(path, columns)
    if customer:
        _customer(ops, customer)
    items = [
        (
            r.row,
            r.values.get("customer") or (customer or ""),
            r.values.get("model") or (model or ""),
            r.values.get("serial", ""),
        )
        for r in table.rows
    ]
    if not items:
        raise InvalidInput(
            f"{table.file}: no units in the file", [Problem("no rows below the header", table.file)]
        )
    return _add(ops, items, table.file, by=by, dry_run=dry_run, source=Path(table.file).name)


def list_units(
    ops: Ops, *, customer: str | None = None, state: str | None = None, model: str | None = None
) -> list[dict[str, Any]]:
    if customer:
        customer = _customer(ops, customer)["number"]
    if state and state not in STATES:
        raise InvalidInput(f"--state: unknown state {state!r}; states are: {', '.join(STATES)}")
    return [_unit_out(r, ops.tz) for r in sql.list_units(ops.store, customer, state, model)]


def retire(ops: Ops, serial: str, *, at: datetime | None = None, by: str | None = None) -> dict[str, Any]:
    """Take a unit out of the stock for good (lost, beyond repair)."""
    serial = _serial(serial)
    at = at or ops.now()
    with ops.store.write() as st:
        unit = _unit(st, serial)
        if unit["state"] == "retired":
            raise Conflict(f"unit {serial} is already retired")
        sql.set_unit_state(st, serial, "retired", _now_db(at))
        st.audit(
            ops.actor(by),
            "swap.retire",
            f"unit:{serial}",
            {"state": unit["state"]},
            {"state": "retired"},
            at=at,
        )
        return _unit_out(sql.unit(st, serial), ops.tz)


def _unit(store, serial: str) -> Any:
    unit = sql.unit(store, serial)
    if unit is None:
        raise NotFound(f"unknown unit {serial!r}; see `ops swap list`")
    return unit


# ---------------------------------------------------------------- stock


def _spread(total: int, weights: dict[str, int]) -> dict[str, int]:
    """Split ``total`` over keys in proportion to weights (largest remainder; equal if all are 0)."""
    if not weights:
        return {}
    if sum(weights.values()) == 0:
        weights = {k: 1 for k in weights}
    whole = sum(weights.values())
    shares = {k: total * w // whole for k, w in weights.items()}
    left = total - sum(shares.values())
    order = sorted(weights, key=lambda k: (-(total * weights[k] % whole), k))
    for k in order[:left]:
        shares[k] += 1
    return shares


def _customer_stock(ops: Ops, crow: Any, counts: list[Any]) -> list[dict[str, Any]]:
    target = target_for(crow["fleet"], ops.config.swap_rate)
    fixed = sql.model_targets(ops.store, crow["number"])
    in_stock = {r["model"]: int(r["in_stock"]) for r in counts}
    owned = {r["model"]: int(r["owned"]) for r in counts}
    models = sorted(set(in_stock) | set(fixed), key=lambda m: (m.casefold(), m))
    free = {m: owned.get(m, 0) for m in models if m not in fixed}
    spread = _spread(max(0, target - sum(fixed.values())), free)
    total_in_stock = sum(in_stock.values())
    below = total_in_stock < target
    rows = []
    for m in models:
        t = fixed.get(m, spread.get(m, 0))
        rows.append(
            {
                "customer": crow["number"],
                "name": crow["name"],
                "model": m,
                "in_stock": in_stock.get(m, 0),
                "target": t,
                "refill": max(0, t - in_stock.get(m, 0)),
                "customer_target": target,
                "below_target": below,
            }
        )
    if not rows:
        rows.append(
            {
                "customer": crow["number"],
                "name": crow["name"],
                "model": "",
                "in_stock": 0,
                "target": target,
                "refill": target,
                "customer_target": target,
                "below_target": below,
            }
        )
    return rows


def stock(ops: Ops, customer: str | None = None) -> list[dict[str, Any]]:
    """Per customer and model: units in stock, the target and the refill to order.

    The customer's target (``swap size``) is spread across its models in
    proportion to their share of the stock (units in stock, on loan or in
    repair), unless a per-model target is set (``swap target``). ``below_target``
    flags a customer whose units in stock are fewer than its target.
    """
    if customer:
        _customer(ops, customer)
    customers = sql.stock_customers(ops.store, customer.strip() if customer else None)
    counts = sql.stock_counts(ops.store, [c["number"] for c in customers])
    rows: list[dict[str, Any]] = []
    for crow in customers:
        rows.extend(_customer_stock(ops, crow, [r for r in counts if r["customer"] == crow["number"]]))
    return rows


def set_target(
    ops: Ops, customer: str, model: str, target: int | None, *, by: str | None = None
) -> dict[str, Any]:
    """Set (or with ``None`` clear) a per-model stock target for a customer."""
    crow = _customer(ops, customer)
    _require_prof(crow, "a swap stock target")
    model = _model(model)
    if not model:
        raise InvalidInput("--model: give the model name")
    if target is not None and target < 0:
        raise InvalidInput(f"target {target} is negative; give 0 or more")
    at = ops.now()
    with ops.store.write() as st:
        before = sql.model_targets(st, crow["number"]).get(model)
        sql.set_model_target(st, crow["number"], model, target)
        st.audit(
            ops.actor(by),
            "swap.target",
            f"customer:{crow['number']}",
            {"model": model, "target": before},
            {"model": model, "target": target},
            at=at,
        )
    return {"customer": crow["number"], "model": model, "target": target, "previous": before}


def refill_request(ops: Ops, customer: str, output: str | Path | None = None) -> dict[str, Any]:
    """The request the desk sends a customer below target: how many of which model to order.

    With ``output`` (.csv or .xlsx) the lines are also written to that file.
    """
    crow = _customer(ops, customer)
    _require_prof(crow, "a swap refill")
    rows = stock(ops, crow["number"])
    target = rows[0]["customer_target"]
    in_stock = sum(r["in_stock"] for r in rows)
    missing = max(0, target - in_stock)
    lines = [
        {
            "customer": r["customer"],
            "name": r["name"],
            "model": r["model"] or "(a recommended model)",
            "in_stock": r["in_stock"],
            "target": r["target"],
            "order": r["refill"],
        }
        for r in rows
        if r["refill"] > 0
    ]
    rate = ops.config.swap_rate
    percent = (rate * 100).normalize()
    if missing == 0 and not lines:
        message = (
            f"Customer {crow['number']} {crow['name']}: the swap stock holds {in_stock} spare phones, "
            f"at or above the target of {target}; nothing to order."
        )
    else:
        parts = ", ".join(f"{line['order']} x {line['model']}" for line in lines)
        message = (
            f"Customer {crow['number']} {crow['name']}: your swap stock holds {in_stock} spare phones; "
            f"the agreed target is {target} ({percent:f} % of your fleet of {crow['fleet']}). "
            f"Please order {parts} to refill it. We recommend keeping to few models."
        )
    result = {
        "customer": crow["number"],
        "name": crow["name"],
        "fleet": crow["fleet"],
        "target": target,
        "in_stock": in_stock,
        "refill": missing,
        "lines": lines,
        "message": message,
    }
    if output:
        from ops_cli.sheets import write_table

        _check_output(output)
        write_table(output, lines, REFILL_COLUMNS, sheet_title="Refill")
        result["output"] = str(output)
    return result


# ---------------------------------------------------------------- shipping


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
    """Send a spare from the customer's stock on a case; returns the shipment with its delivery date."""
    at = at or ops.now()
    crow = _customer(ops, customer)
    _require_prof(crow, "swap shipping")
    number = (case or "").strip()
    model = _model(model) or None
    with ops.store.write() as st:
        case_row = sql.case_by_number(st, number)
        if case_row is None:
            raise NotFound(f"unknown case {number!r}; see `ops case list --customer {crow['number']}`")
        if case_row["customer"] and case_row["customer"] != crow["number"]:
            raise Conflict(f"case {number} belongs to customer {case_row['customer']}, not {crow['number']}")
        if case_row["status"] == "closed":
            raise Conflict(f"case {number} is closed; reopen it or ship on an open case")
        unit = sql.pick_unit(st, crow["number"], model)
        if unit is None:
            in_stock = sum(r["in_stock"] for r in stock(ops, crow["number"]))
            what = f"no {model} unit" if model else "no unit"
            other = f" ({in_stock} of other models: ship one without --model)" if model and in_stock else ""
            raise Conflict(
                f"customer {crow['number']} has {what} in swap stock{other}; the stock needs a refill: "
                f"send the customer `ops swap refill-request --customer {crow['number']}`"
            )
        ship_day, deliver_day = delivery(ops, at)
        policy = crow["swap_policy"]
        state = "on_loan" if policy == "loan" else "swapped_out"
        now = _now_db(at)
        values = {
            "customer": crow["number"],
            "case_id": case_row["id"],
            "case_number": case_row["number"],
            "serial": unit["serial"],
            "model": unit["model"],
            "policy": policy,
            "registered_at": now,
            "ship_date": ship_day.isoformat(),
            "delivery_date": deliver_day.isoformat(),
            "out_of_warranty": 1 if out_of_warranty else 0,
            "created_by": ops.actor(by),
        }
        sid = sql.insert_shipment(st, values)
        sql.set_unit_state(st, unit["serial"], state, now)
        actor = ops.actor(by)
        st.audit(actor, "swap.ship", f"shipment:{sid}", None, values, at=at)
        st.audit(
            actor,
            "swap.ship",
            f"unit:{unit['serial']}",
            {"state": "in_stock"},
            {"state": state, "case": case_row["number"]},
            at=at,
        )
        return _shipment_out(ops, sql.shipment(st, sid))


def list_shipments(
    ops: Ops, *, customer: str | None = None, month: str | None = None
) -> list[dict[str, Any]]:
    if customer:
        customer = _customer(ops, customer)["number"]
    if month:
        clock.parse_month(month, "--month")
    return [_shipment_out(ops, r) for r in sql.list_shipments(ops.store, customer, month)]


def delivered(ops: Ops, serial: str, *, at: datetime | None = None, by: str | None = None) -> dict[str, Any]:
    """Record that the latest shipment of a unit reached the user."""
    serial = _serial(serial)
    at = at or ops.now()
    with ops.store.write() as st:
        _unit(st, serial)
        shipment = sql.last_shipment_of(st, serial)
        if shipment is None:
            raise Conflict(f"unit {serial} has not been shipped")
        if shipment["delivered_at"]:
            raise Conflict(f"shipment {shipment['id']} of unit {serial} was already recorded as delivered")
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


# ---------------------------------------------------------------- returns and repairs


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
    at = at or ops.now()
    now = _now_db(at)
    actor = ops.actor(by)
    with ops.store.write() as st:
        unit = _unit(st, serial)
        crow = roster_sql.customer_row(st, unit["customer"])
        policy = crow["swap_policy"]
        state = unit["state"]
        result: dict[str, Any] = {
            "serial": serial,
            "customer": unit["customer"],
            "policy": policy,
            "from": state,
        }
        if state in ("in_stock", "retired"):
            raise Conflict(f"unit {serial} is {state.replace('_', ' ')}; there is nothing to return")
        if state == "in_repair":
            if broken:
                raise InvalidInput("--broken is for the return of a shipped spare, not of a repaired phone")
            if to == "repair":
                raise Conflict(f"unit {serial} is already in repair")
            repair = sql.open_repair_of(st, serial)
            if repair is not None and repair["shipment_id"] is not None:
                policy = result["policy"] = sql.shipment(st, repair["shipment_id"])["policy"]
            default = "user" if unit["origin"] == "user" and policy == "loan" else "stock"
            dest = to or default
            if repair is not None:
                sql.update_repair(
                    st,
                    repair["id"],
                    done_at=now,
                    out_of_warranty=1 if (out_of_warranty or repair["out_of_warranty"]) else 0,
                )
            elif out_of_warranty:
                raise Conflict(f"unit {serial} has no open repair to mark out of warranty")
            sql.set_unit_state(st, serial, _STATE_OF[dest], now)
            st.audit(
                actor,
                "swap.return",
                f"unit:{serial}",
                {"state": state},
                {"state": _STATE_OF[dest], "repaired": True},
                at=at,
            )
            result.update({"to": dest, "state": _STATE_OF[dest], "repaired": True})
            return result
        # A shipped spare (on_loan or swapped_out): the policy it was shipped under decides.
        shipment = sql.open_shipment_of(st, serial)
        if shipment is not None:
            policy = result["policy"] = shipment["policy"]
        default = "stock" if policy == "loan" else "user"
        dest = to or default
        broken_serial = _serial(broken) if broken else None
        if dest == "user" and state == "swapped_out" and broken_serial is None and to is None:
            raise InvalidInput(
                f"customer {unit['customer']} has the exchange policy: the user keeps {serial} and the "
                "broken "
                "phone goes to repair; give its serial with --broken SERIAL (or --to stock if the spare "
                "itself came back)"
            )
        if dest == "user" and state == "swapped_out" and broken_serial is None:
            raise Conflict(
                f"unit {serial} is already with the user; name the broken phone with --broken SERIAL"
            )
        if broken_serial is not None:
            if not _SERIAL.match(broken_serial):
                raise InvalidInput(
                    f"--broken: {broken!r} is not a serial number or IMEI (4-32 letters, digits or '-')"
                )
            if broken_serial == serial:
                raise InvalidInput("--broken: the broken phone's serial is the spare's own serial")
            if sql.unit(st, broken_serial) is not None:
                raise InvalidInput(f"--broken: duplicate serial {broken_serial}: already in the store")
        sql.set_unit_state(st, serial, _STATE_OF[dest], now)
        sid = shipment["id"] if shipment else None
        if shipment is not None:
            sql.update_shipment(st, sid, returned_at=now)
            st.audit(
                actor, "swap.return", f"shipment:{sid}", {"returned_at": None}, {"returned_at": now}, at=at
            )
        if dest == "repair":
            sql.insert_repair(st, serial, unit["customer"], sid, now, out_of_warranty)
        st.audit(actor, "swap.return", f"unit:{serial}", {"state": state}, {"state": _STATE_OF[dest]}, at=at)
        result.update({"to": dest, "state": _STATE_OF[dest], "shipment": sid, "repaired": False})
        if broken_serial is not None:
            bmodel = _model(model) or unit["model"]
            sql.insert_units(st, [(broken_serial, unit["customer"], bmodel, "in_repair", "user", now, now)])
            sql.insert_repair(st, broken_serial, unit["customer"], sid, now, out_of_warranty)
            st.audit(
                actor,
                "swap.return",
                f"unit:{broken_serial}",
                None,
                {
                    "customer": unit["customer"],
                    "model": bmodel,
                    "state": "in_repair",
                    "origin": "user",
                    "out_of_warranty": out_of_warranty,
                },
                at=at,
            )
            result["broken"] = {
                "serial": broken_serial,
                "model": bmodel,
                "state": "in_repair",
                "then": "user" if policy == "loan" else "stock",
            }
        return result


def repair(
    ops: Ops, serial: str, *, out_of_warranty: bool = False, at: datetime | None = None, by: str | None = None
) -> dict[str, Any]:
    """Send a unit to repair, or mark its open repair out of warranty (billed to the customer)."""
    serial = _serial(serial)
    at = at or ops.now()
    now = _now_db(at)
    actor = ops.actor(by)
    with ops.store.write() as st:
        unit = _unit(st, serial)
        state = unit["state"]
        if state == "retired":
            raise Conflict(f"unit {serial} is retired")
        if state == "in_repair":
            repair_row = sql.open_repair_of(st, serial)
            if not out_of_warranty:
                raise Conflict(
                    f"unit {serial} is already in repair (add --out-of-warranty to mark the repair)"
                )
            if repair_row is None:
                rid = sql.insert_repair(st, serial, unit["customer"], None, now, True)
                before = None
            else:
                rid = repair_row["id"]
                before = {"out_of_warranty": bool(repair_row["out_of_warranty"])}
                sql.update_repair(st, rid, out_of_warranty=1)
            st.audit(
                actor,
                "swap.repair",
                f"repair:{rid}",
                before,
                {"serial": serial, "out_of_warranty": True},
                at=at,
            )
            return {
                "serial": serial,
                "customer": unit["customer"],
                "state": "in_repair",
                "repair": rid,
                "out_of_warranty": True,
            }
        shipment = sql.open_shipment_of(st, serial) if state == "on_loan" else None
        if shipment is not None:
            sql.update_shipment(st, shipment["id"], returned_at=now)
        rid = sql.insert_repair(
            st, serial, unit["customer"], shipment["id"] if shipment else None, now, out_of_warranty
        )
        sql.set_unit_state(st, serial, "in_repair", now)
        st.audit(
            actor,
            "swap.repair",
            f"unit:{serial}",
            {"state": state},
            {"state": "in_repair", "repair": rid, "out_of_warranty": out_of_warranty},
            at=at,
        )
        return {
            "serial": serial,
            "customer": unit["customer"],
            "state": "in_repair",
            "repair": rid,
            "out_of_warranty": out_of_warranty,
        }


# ---------------------------------------------------------------- freight


def _check_output(output: str | Path | None) -> None:
    if output is not None and Path(output).suffix.lower() not in (".csv", ".xlsx"):
        raise InvalidInput(f"-o: {str(output)!r} is not a .csv or .xlsx file name")


def _freight_lines(ops: Ops, month: str, first: datetime, nxt: datetime) -> list[dict[str, Any]]:
    """One billing line per customer with shipments sent (or out-of-warranty repairs) in the month."""
    first_utc = first.astimezone(UTC).isoformat(timespec="seconds")
    next_utc = nxt.astimezone(UTC).isoformat(timespec="seconds")
    freight_price, packaging_price = _price(ops, "freight_price"), _price(ops, "packaging_price")
    currency = ops.config["swap"]["currency"]
    lines: dict[str, dict[str, Any]] = {}

    def line(customer: str, name: str) -> dict[str, Any]:
        if customer not in lines:
            lines[customer] = {
                "month": month,
                "customer": customer,
                "name": name,
                "shipments": 0,
                "packaging": Decimal("0.00"),
                "freight": Decimal("0.00"),
                "total": Decimal("0.00"),
                "currency": currency,
                "out_of_warranty": 0,
                "out_of_warranty_items": [],
            }
        return lines[customer]

    for s in sql.freight_shipments(ops.store, month):
        li = line(s["customer"], s["customer_name"])
        li["shipments"] += 1
        li["packaging"] += packaging_price
        li["freight"] += freight_price
        li["total"] += packaging_price + freight_price
        if s["out_of_warranty"]:
            li["out_of_warranty"] += 1
            li["out_of_warranty_items"].append(f"{s['serial']} (case {s['case_number']})")
    for r in sql.freight_repairs(ops.store, first_utc, next_utc):
        li = line(r["customer"], r["customer_name"])
        li["out_of_warranty"] += 1
        li["out_of_warranty_items"].append(f"{r['serial']} (repair)")
    return [lines[c] for c in sorted(lines)]


def _mark_billed(
    ops: Ops,
    st: Any,
    month: str,
    result: list[dict[str, Any]],
    billed: list[Any],
    *,
    rebill: bool,
    at: datetime,
    by: str | None,
) -> None:
    if billed and not rebill:
        when = clock.from_db(billed[0]["billed_at"], ops.tz).date().isoformat()
        raise Conflict(
            f"{month} was already billed on {when} by {billed[0]['billed_by']} "
            f"(customers {', '.join(b['customer'] for b in billed)}); add --rebill to bill it again"
        )
    actor = ops.actor(by)
    now = _now_db(at)
    marks = [
        {
            "month": month,
            "customer": li["customer"],
            "shipments": li["shipments"],
            "packaging": str(li["packaging"]),
            "freight": str(li["freight"]),
            "total": str(li["total"]),
            "currency": li["currency"],
            "out_of_warranty": li["out_of_warranty"],
            "billed_at": now,
            "billed_by": actor,
        }
        for li in result
    ]
    sql.replace_freight_bills(st, month, marks)
    st.audit(
        actor,
        "swap.rebill" if billed else "swap.freight",
        f"freight:{month}",
        [dict(b) for b in billed] or None,
        marks,
        at=at,
    )


def freight(
    ops: Ops,
    month: str,
    *,
    rebill: bool = False,
    dry_run: bool = False,
    output: str | Path | None = None,
    by: str | None = None,
) -> list[dict[str, Any]]:
    """Bill freight and packaging of one month's shipments: one line per customer.

    Shipments count in the month they were sent (their ship date). Out-of-warranty
    shipments and repairs are listed as billable to the customer directly. The
    month is marked as billed; billing it again needs ``rebill``. ``dry_run``
    previews without marking (also for a month not yet over).
    """
    year, mon = clock.parse_month(month, "--month")
    month = f"{year:04d}-{mon:02d}"
    at = ops.now()
    local = at.astimezone(ops.tz)
    first = datetime(year, mon, 1, tzinfo=ops.tz)
    nxt = datetime(*clock.next_month(year, mon), 1, tzinfo=ops.tz)
    if not dry_run and (local.year, local.month) <= (year, mon):
        raise Conflict(
            f"{month} is not over yet; freight is billed in arrears from {nxt.date().isoformat()} "
            "(preview it with --dry-run)"
        )
    _check_output(output)
    if dry_run:
        result = _freight_lines(ops, month, first, nxt)
        billed = sql.freight_bills(ops.store, month)
    else:
        with ops.store.write() as st:
            result = _freight_lines(ops, month, first, nxt)
            billed = sql.freight_bills(st, month)
            if result:
                _mark_billed(ops, st, month, result, billed, rebill=rebill, at=at, by=by)
    for li in result:
        li["billed"] = not dry_run or bool(billed)
    if output:
        from ops_cli.sheets import write_table

        rows = [{**li, "out_of_warranty_items": ", ".join(li["out_of_warranty_items"])} for li in result]
        write_table(output, rows, FREIGHT_COLUMNS, sheet_title=f"Freight {month}")
    return result


# ---------------------------------------------------------------- demo


def load_demo(ops: Ops) -> dict[str, Any]:
    """Demo units for customer 2001 (through the same code as `swap add --file`), plus a shipment
    on a demo case of 2001 when one exists. Idempotent."""
    from ops_cli.demo import fixture

    if roster_sql.customer_row(ops.store, "2001") is None:
        return {"skipped": "customer 2001 is not in the store"}
    units = add_units_file(ops, fixture("swap_units.csv"), by="demo")
    result: dict[str, Any] = {"units": {"created": units["created"], "unchanged": units["unchanged"]}}
    shipped = sql.list_shipments(ops.store, "2001")
    case = sql.first_open_case(ops.store, "2001")
    result["shipment"] = None
    if not shipped and case is not None:
        at = clock.from_db(case["opened_at"], ops.tz)
        done = ship(ops, "2001", case["number"], at=at, by="demo")
        result["shipment"] = {k: done[k] for k in ("case", "serial", "delivery_date")}
    return result

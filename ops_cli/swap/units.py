"""Swap units: the spare phones in a prof customer's stock, and the helpers every swap module shares.

A unit is ``in_stock``, ``on_loan``, ``swapped_out``, ``in_repair`` or ``retired``;
serials are unique store-wide; only ``prof`` customers get swap phones.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from ops_cli import clock, files, permissions
from ops_cli.context import Ops
from ops_cli.customers import require_customer
from ops_cli.errors import Conflict, InvalidInput, NotFound, NotPermitted, Problem
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

UNIT_COLUMNS = [
    "serial",
    "customer",
    "model",
    "state",
    "last_case",
    "added_at",
    "updated_at",
]


# Who may act with --by (desk agents always; customer people by role), decided per command:
# the customer orders, owns and disposes of its swap stock (seed 003), so adding units, setting a
# per-model target and retiring a unit take an orderer; shipping a spare ("SWAP-aktivering")
# takes an orderer or a contact, like activating a terminal; so do the logistics that follow a
# shipment (return, repair, delivered). Freight billing is the desk's own: desk agents only.
ACTOR_ACTIONS = {
    "add": "order",
    "target": "order",
    "retire": "order",
    "ship": "activate",
    "return": "activate",
    "repair": "activate",
    "delivered": "activate",
}


def require_desk_actor(ops: Ops, by: str | None) -> None:
    """NotPermitted (exit 5) unless ``by`` is the operator (None) or a desk agent (``desk.agents``)."""
    permissions.require_actor(ops.store, ops.config, None, by, None)


def require_actor(ops: Ops, customer: str, by: str | None, command: str) -> None:
    """NotPermitted (exit 5) unless ``by`` may run ``swap COMMAND`` for ``customer``.

    Call it inside the write transaction, before anything (the audit included) is written.
    """
    action = ACTOR_ACTIONS[command]
    try:
        permissions.require_actor(ops.store, ops.config, customer, by, action)
    except NotPermitted as exc:  # name the command the user ran, not the roster's action
        raise NotPermitted(
            str(exc).replace(f"; {action} needs the role", f"; swap {command} needs the role")
        ) from None


def unit_for_actor(ops: Ops, store: Any, serial: str, by: str | None, command: str) -> Any:
    """The unit ``serial`` (NotFound) once :func:`require_actor` lets ``by`` run ``swap <command>``
    (retire/repair/return/delivered) on it: someone on none of the unit's customer's roster is
    refused without naming that customer (the serial alone must not tell a stranger whose unit it is)."""
    unit = _unit(store, serial)
    email = (by or "").strip().lower()
    if email and not permissions.is_desk_agent(ops.config, email):
        if not roster_sql.roles_of(store, unit["customer"], email):
            raise NotPermitted(
                f"{email} may not run swap {command} on unit {unit['serial']}: it is not in the swap "
                f"stock of a customer whose roster lists {email}"
            )
    require_actor(ops, unit["customer"], by, command)
    return unit


#: The largest whole number SQLite stores (a signed 64-bit integer).
MAX_INT = 2**63 - 1


def whole_number(value: int | str, what: str, low: int = 0, high: int = MAX_INT) -> int:
    """``value`` as an int in ``low..high``; InvalidInput (exit 3) naming the allowed range."""
    text = str(value).strip()
    digits = text[1:] if text[:1] in "+-" else text
    if not digits.isascii() or not digits.isdigit():
        raise InvalidInput(f"{what}: {text!r} is not a whole number; give {low} to {high}")
    number = int(text)
    if not low <= number <= high:
        raise InvalidInput(f"{what}: {text} is out of range; give {low} to {high}")
    return number


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


def model_spellings(store, customer: str) -> dict[str, str]:
    """casefolded model name -> the spelling the customer's stock already uses."""
    return {m.casefold(): m for m in reversed(sql.customer_models(store, customer))}


def canonical_model(store, customer: str, model: str) -> str:
    """``model`` as the customer's stock already spells it ("iphone 15" -> "iPhone 15"), so that a
    model typed in another case never splits the stock into two models."""
    return model_spellings(store, customer).get(model.casefold(), model)


def not_before_registration(ops: Ops, shipment: Any, at: datetime) -> None:
    """InvalidInput (exit 3) when ``at`` is before the shipment's case was registered: nothing
    sent on a case can arrive or come back before the case existed."""
    registered = clock.from_db(shipment["registered_at"], ops.tz)
    if registered is not None and at < registered:
        raise InvalidInput(
            f"--at {at.astimezone(ops.tz).isoformat(timespec='minutes')} is before case "
            f"{shipment['case_number']} was registered ({registered.isoformat(timespec='minutes')})"
        )


def _now_db(at: datetime) -> str:
    return clock.to_db(at)


def _check_output(output: str | Path | None, force: bool = False) -> None:
    """Refuse a bad ``-o`` before anything is done: not .csv/.xlsx (exit 3), a symlink or folder
    (exit 3), an existing file without ``--force`` (exit 6)."""
    if output is None:
        return
    if Path(output).suffix.lower() not in (".csv", ".xlsx"):
        raise InvalidInput(f"-o: {str(output)!r} is not a .csv or .xlsx file name")
    files.check_target(output, force=force)


def write_sheet(
    output: str | Path, rows: Sequence[dict[str, Any]], columns: Sequence[str], *, title: str, force: bool
) -> None:
    """Write ``rows`` to a .csv/.xlsx file through the one output-file writer (0600, atomic)."""
    from ops_cli.sheets import write_table

    target = Path(output)
    with files.output_path(target, force=force) as tmp:
        staged = tmp.with_name(tmp.name + target.suffix.lower())  # the sheet writer picks by suffix
        try:
            write_table(staged, rows, columns, sheet_title=title)
            os.replace(staged, tmp)
        finally:
            if staged.exists():
                staged.unlink()


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


def _unit(store, serial: str) -> Any:
    unit = sql.unit(store, serial)
    if unit is None:
        raise NotFound(f"unknown unit {serial!r}; see `ops swap list`")
    return unit


def _check_item(
    ops: Ops, item: tuple[int | None, str, str, str], file: str | None, customers: dict[str, Any]
) -> tuple[tuple[str, str, str], list[Problem]]:
    """One (row, customer, model, serial) item: its cleaned (customer, model, serial) and problems."""
    row, customer, model, serial_text = item
    problems: list[Problem] = []
    customer = (customer or "").strip()
    if not customer:
        problems.append(Problem("customer is empty", file, row, "customer"))
    else:
        if customer not in customers:
            customers[customer] = roster_sql.customer_row(ops.store, customer)
        crow = customers[customer]
        if crow is None:
            problems.append(Problem(f"unknown customer {customer!r}", file, row, "customer"))
        elif crow["service_level"] != "prof":
            message = (
                f"customer {customer} has service level {crow['service_level']}; "
                "swap stock is kept for prof customers only"
            )
            problems.append(Problem(message, file, row, "customer"))
    model = _model(model)
    if not model:
        problems.append(Problem("model is empty", file, row, "model"))
    elif len(model) > MAX_MODEL:
        problems.append(Problem(f"model is longer than {MAX_MODEL} characters", file, row, "model"))
    serial = _serial(serial_text)
    if not _SERIAL.match(serial):
        message = f"serial {serial_text!r} is not a serial number or IMEI (4-32 letters, digits or '-')"
        problems.append(Problem(message, file, row, "serial"))
    return (customer, model, serial), problems


def _check_units(
    ops: Ops, rows: Sequence[tuple[int | None, str, str, str]], file: str | None
) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """Validate (row, customer, model, serial) items; returns (new, unchanged) or raises InvalidInput.

    A serial held by another customer is refused without naming that customer.
    """
    problems: list[Problem] = []
    customers: dict[str, Any] = {}
    seen: dict[str, int | None] = {}
    checked: list[tuple[int | None, str, str, str]] = []
    for item in rows:
        row = item[0]
        (customer, model, serial), found = _check_item(ops, item, file, customers)
        if _SERIAL.match(serial) and serial in seen:
            where = f"row {seen[serial]}" if seen[serial] is not None else "this request"
            found.append(Problem(f"duplicate serial {serial} (also in {where})", file, row, "serial"))
        elif _SERIAL.match(serial):
            seen[serial] = row
        problems.extend(found)
        if not found:
            checked.append((row, customer, model, serial))
    spellings: dict[str, dict[str, str]] = {}
    for i, (row, customer, model, serial) in enumerate(checked):
        if customer not in spellings:
            spellings[customer] = model_spellings(ops.store, customer)
        model = spellings[customer].setdefault(model.casefold(), model)  # first spelling wins
        checked[i] = (row, customer, model, serial)
    existing = sql.units_by_serial(ops.store, [c[3] for c in checked])
    new: list[tuple[str, str, str]] = []
    unchanged: list[tuple[str, str, str]] = []
    for row, customer, model, serial in checked:
        old = existing.get(serial)
        if old is None:
            new.append((serial, customer, model))
        elif old["customer"] == customer and old["state"] == "retired":
            message = (
                f"serial {serial} is a retired unit of customer {customer}; a retired unit does not come"
                " back to the stock (add the repaired or replacement phone under its own serial)"
            )
            problems.append(Problem(message, file, row, "serial"))
        elif old["customer"] == customer and old["model"].lower() == model.lower():
            unchanged.append((serial, customer, model))
        else:
            held = (
                f"as {old['model']} of customer {customer}"
                if old["customer"] == customer
                else "as another customer's unit"
            )
            problems.append(
                Problem(f"duplicate serial {serial}: already in the store {held}", file, row, "serial")
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
        for customer in sorted({c for _, c, _ in new + unchanged}):
            require_actor(ops, customer, by, "add")
    else:
        at = ops.now()
        now = _now_db(at)
        actor = ops.actor(by)
        with ops.store.write() as st:
            new, unchanged = _check_units(ops, items, file)
            for customer in sorted({c for _, c, _ in new + unchanged}):
                require_actor(ops, customer, by, "add")
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


def list_units(
    ops: Ops,
    *,
    customer: str | None = None,
    state: str | None = None,
    model: str | None = None,
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
        unit = unit_for_actor(ops, st, serial, by, "retire")
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

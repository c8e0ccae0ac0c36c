"""Orders by a customer's orderer: new subscriptions (``sub order``) and add-on services (``sub addon``).

Only an orderer of the customer may order (exit 5; desk staff do not order
for a customer). Each order opens an order case (topic ``order``) with its
promised date (the change-order rule: up to ``orders.small_order_max``
subscriptions within ``orders.small_order_days`` working days, more within
``orders.large_order_days``) and is audited. ``sub deliver CASE`` delivers
it: add-on orders change the subscriptions' add-ons then (checked again);
an order of new subscriptions is marked delivered (the subscriptions
themselves arrive with ``sub import``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from ops_cli import clock
from ops_cli.customers import require_customer
from ops_cli.errors import Conflict, InvalidInput, NotFound, Problem
from ops_cli.parsers.identities import IdentityError, parse_tei
from ops_cli.permissions import require_actor
from ops_cli.render import plural
from ops_cli.store import subscriptions as sql
from ops_cli.subscriptions._common import _KIND_WORDS, KINDS, _cell, _read, _source, parse_issi_args
from ops_cli.subscriptions.promises import close_order_case, open_order_case, promised_date
from ops_cli.subscriptions.rules import bounded_count, check_actor_for_subscriptions, require_known_actor

DEFAULT_ADDONS = ("group-call", "dmo", "status-messages", "gps")  # the template's list
MAX_ORDER = 10_000
NEW_COLUMNS_SPEC = (("kind", ("typ", "abonnemangstyp", "type"), False), ("tei", (), False))


def addon_services(ops) -> list[str]:
    """The add-on services that may be ordered (config ``subscriptions.addons``)."""
    return [str(a).strip().lower() for a in ops.config["subscriptions"]["addons"]]


# ------------------------------------------------------------------ new subscriptions
def _read_new_rows(path, source: dict, **reader: Any) -> list[dict[str, Any]]:
    """One new subscription per row (kind, tei); ``source`` gets the sheet that was read."""
    table = _read(path, NEW_COLUMNS_SPEC, **reader)
    source.update(_source(table))
    rows, problems, seen = [], [], {}
    for r in table.rows:
        text = r.values.get("kind", "").lower()
        kind = _KIND_WORDS.get(text, None) if text else "standard"
        if kind is None:
            problems.append(
                Problem(
                    f"kind {r.values['kind']!r} is not one of: {', '.join(KINDS)}", table.file, r.row, "kind"
                )
            )
        tei = None
        if r.values.get("tei"):
            try:
                tei = parse_tei(_cell(r, "tei"))
            except IdentityError as exc:
                problems.append(Problem(str(exc), table.file, r.row, "tei"))
            if tei is not None and tei in seen:
                problems.append(Problem(f"TEI {tei} is also in row {seen[tei]}", table.file, r.row, "tei"))
            if tei is not None:
                seen.setdefault(tei, r.row)
        rows.append({"row": r.row, "kind": kind, "tei": tei, "file": table.file})
    if problems:
        raise InvalidInput(
            f"{table.file}: {plural(len(problems), 'invalid value')}; nothing was ordered", problems
        )
    if not rows:
        raise InvalidInput(f"{table.file}: the order has no rows; list one new subscription per row")
    bounded_count(len(rows), f"{table.file}: the number of rows", 1, MAX_ORDER)
    return rows


def _check_new_teis(st, rows, customer: str) -> None:
    """The order's TEIs are free: no live subscription holds one, no pending change order claims one.

    A claim by another customer's order is not named (its case number is that customer's data).
    """
    live = {r["tei"] for r in sql.index(st) if r["tei"] and r["status"] != "terminated"}
    claims = {r["new_tei"]: (r["case_number"], r["customer"]) for r in sql.pending_claims(st) if r["new_tei"]}
    problems = []
    for r in rows:
        tei = r["tei"]
        if tei is None:
            continue
        if tei in live:
            problems.append(Problem(f"TEI {tei} is bound to a live subscription", r["file"], r["row"], "tei"))
        elif tei in claims:
            case, owner = claims[tei]
            claim = f"pending change order {case}" if owner == customer else "another pending change order"
            problems.append(Problem(f"TEI {tei} is the new TEI of {claim}", r["file"], r["row"], "tei"))
    if problems:
        raise Conflict(
            f"{plural(len(problems), 'TEI')} of the order {'is' if len(problems) == 1 else 'are'} not free;"
            " nothing was ordered",
            problems,
        )


def order_subscriptions(
    ops,
    *,
    customer: str,
    by: str | None,
    count: int | None = None,
    kind: str = "standard",
    file: str | os.PathLike[str] | None = None,
    at: datetime | None = None,
    **reader: Any,  # sheet=, delimiter=: for ``file``, passed to the import pipeline's reader
) -> dict[str, Any]:
    """Order new subscriptions: ``count`` of one ``kind``, or one per row of ``file`` (kind, tei)."""
    customer, at = str(customer).strip(), at or ops.now()
    if not by:
        raise InvalidInput("an order needs the orderer's e-mail address (--by EMAIL)")
    if (count is None) == (file is None):
        raise InvalidInput("give either --count N or --file FILE")
    if _KIND_WORDS.get((kind or "").strip().lower()) is None:
        raise InvalidInput(f"kind {kind!r} is not one of: {', '.join(KINDS)}")
    kind = _KIND_WORDS[kind.strip().lower()]
    source: dict[str, str] = {}
    if count is not None:
        bounded_count(count, "--count", 1, MAX_ORDER)
        rows = [{"row": None, "kind": kind, "tei": None}] * count
    else:
        rows = _read_new_rows(file, source, **reader)
    with ops.store.write() as st:
        require_customer(st, customer)
        require_actor(st, ops.config, customer, by, "order", desk_may=False)
        _check_new_teis(st, rows, customer)
        kinds = {k: sum(1 for r in rows if r["kind"] == k) for k in KINDS}
        detail = {"kinds": {k: n for k, n in kinds.items() if n}}
        if file is not None:
            detail["rows"] = [{"kind": r["kind"], "tei": r["tei"]} for r in rows]
        words = ", ".join(f"{n} {k}" for k, n in detail["kinds"].items())
        lines = [f"Order of {plural(len(rows), 'new subscription')} ({words}) for customer {customer}."]
        return {**_place(ops, st, "new", customer, by, len(rows), detail, lines, at), **source}


# ------------------------------------------------------------------ add-ons
def order_addon(
    ops,
    issis: Sequence[str | int],
    *,
    service: str,
    add: bool,
    by: str | None,
    at: datetime | None = None,
) -> dict[str, Any]:
    """Order an add-on service added to (or removed from) subscriptions of one customer."""
    at = at or ops.now()
    if not by:
        raise InvalidInput("an add-on order needs the orderer's e-mail address (--by EMAIL)")
    service = (service or "").strip().lower()
    services = addon_services(ops)
    if service not in services:
        raise InvalidInput(f"unknown add-on service {service!r}; services are: {', '.join(services)}")
    numbers = list(dict.fromkeys(parse_issi_args([str(i) for i in issis])))
    if not numbers:
        raise InvalidInput("no ISSI given; name one or more ISSIs")
    bounded_count(len(numbers), "the number of ISSIs", 1, MAX_ORDER)
    with ops.store.write() as st:
        require_known_actor(st, ops.config, by, desk_may=False)
        rows = _addon_rows(st, numbers)
        check_actor_for_subscriptions(
            st, ops.config, {n: rows[n]["customer"] for n in numbers}, by, "order", desk_may=False
        )
        customers = {rows[n]["customer"] for n in numbers}
        if len(customers) > 1:
            raise InvalidInput("the ISSIs belong to more than one customer; place one order per customer")
        customer = customers.pop()
        _check_addon_pending(st, customer, numbers, service)
        _check_addon_state(rows, numbers, service, add)
        kind = "addon-add" if add else "addon-remove"
        detail = {"service": service, "issis": numbers}
        verb = "add" if add else "remove"
        lines = [
            f"Order to {verb} add-on {service} for {plural(len(numbers), 'subscription')}:",
            *map(str, numbers),
        ]
        return _place(ops, st, kind, customer, by, len(numbers), detail, lines, at)


def _addon_rows(st, numbers: list[int]) -> dict[int, Any]:
    rows = {int(r["issi"]): r for r in sql.get_many(st, numbers)}
    missing = [n for n in numbers if n not in rows]
    if missing:
        raise NotFound(f"no subscription with ISSI {', '.join(map(str, missing[:20]))}; nothing was ordered")
    return rows


def _addons(row) -> list[str]:
    return [a for a in (row["addons"] or "").split(",") if a]


def _check_addon_state(rows, numbers, service: str, add: bool) -> None:
    problems = []
    for n in numbers:
        has = service in _addons(rows[n])
        if rows[n]["status"] == "terminated":
            problems.append(Problem(f"ISSI {n} is terminated", column="issi"))
        elif add and has:
            problems.append(Problem(f"ISSI {n} already has add-on {service}", column="issi"))
        elif not add and not has:
            problems.append(Problem(f"ISSI {n} does not have add-on {service}", column="issi"))
    if problems:
        message = (
            problems[0].message if len(problems) == 1 else f"{len(problems)} ISSIs cannot take this order"
        )
        raise Conflict(f"{message}; nothing was ordered", problems if len(problems) > 1 else None)


def _check_addon_pending(st, customer: str, numbers: list[int], service: str) -> None:
    """No subscription may have two pending orders for the same add-on: the later could never be delivered."""
    claimed: dict[int, str] = {}
    for row in sql.pending_addon_orders(st, customer):
        detail = json.loads(row["detail"])
        if detail.get("service") == service:
            for n in detail.get("issis", []):
                claimed.setdefault(int(n), row["case_number"])
    problems = [
        Problem(
            f"ISSI {n} already has a pending order for add-on {service} (case {claimed[n]})", column="issi"
        )
        for n in numbers
        if n in claimed
    ]
    if problems:
        message = (
            problems[0].message
            if len(problems) == 1
            else (f"{len(problems)} ISSIs already have a pending order for add-on {service}")
        )
        raise Conflict(
            f"{message}; deliver it first (`ops sub deliver CASE`); nothing was ordered",
            problems if len(problems) > 1 else None,
        )


# ------------------------------------------------------------------ placing, listing, delivering
def _place(ops, st, kind, customer, by, quantity, detail, lines, at) -> dict[str, Any]:
    promise = promised_date(ops, at, quantity)
    due = promise["due"]
    subject = {
        "new": "Order: new subscriptions",
        "addon-add": "Order: add-on",
        "addon-remove": "Order: remove add-on",
    }
    lines = [
        *lines,
        "",
        f"Received {at.astimezone(ops.tz).isoformat(timespec='minutes')}, promised by {due.isoformat()}.",
    ]
    case, case_id = open_order_case(
        ops, customer=customer, by=by, subject=f"{subject[kind]} ({quantity})", lines=lines, at=at
    )
    actor = ops.actor(by)
    values = {
        "case_id": case_id,
        "customer": customer,
        "kind": kind,
        "quantity": quantity,
        "detail": json.dumps(detail, sort_keys=True),
        "received_at": clock.to_db(at),
        "receipt_day": promise["receipt_day"].isoformat(),
        "due_date": due.isoformat(),
        "created_by": actor,
    }
    sql.insert_service_order(st, values)
    audit = {"customer": customer, "kind": kind, "quantity": quantity, "due": due.isoformat(), **detail}
    st.audit(actor, f"sub.order-{kind}", f"case:{case}", None, audit, at=at)
    return {
        "case": case,
        "type": kind,
        "customer": customer,
        "quantity": quantity,
        "due": due,
        "status": "pending",
        "receipt_day": promise["receipt_day"],
        "working_days": promise["working_days"],
        **detail,
    }


def _service_object(ops, row, today: date) -> dict[str, Any]:
    due = date.fromisoformat(row["due_date"])
    delivered = clock.from_db(row["delivered_at"], ops.tz)
    return {
        "case": row["case_number"],
        "type": row["kind"],
        "customer": row["customer"],
        "changes": int(row["quantity"]),
        "urgent": False,
        "received": clock.from_db(row["received_at"], ops.tz),
        "receipt_day": row["receipt_day"],
        "due": row["due_date"],
        "status": "delivered" if delivered else "pending",
        "delivered": delivered,
        "on_time": None if not row["delivered_on"] else date.fromisoformat(row["delivered_on"]) <= due,
        "overdue": delivered is None and today > due,
        "ordered_by": row["created_by"],
    }


def service_order_objects(ops, customer: str | None, today: date) -> list[dict[str, Any]]:
    return [_service_object(ops, r, today) for r in sql.service_orders(ops.store, customer)]


def deliver_service_order(ops, st, case_number: str, *, at: datetime, by: str | None) -> dict[str, Any]:
    """Inside the caller's transaction: deliver an order of new subscriptions or add-ons."""
    row = sql.service_order_by_case(st, case_number)
    if row is None:
        raise NotFound(f"no order with case {case_number}; see `ops sub orders`")
    if row["delivered_at"]:
        when = clock.from_db(row["delivered_at"], ops.tz).isoformat(timespec="minutes")
        raise Conflict(f"the order of case {case_number} was already delivered at {when}")
    if at < clock.from_db(row["received_at"], ops.tz):
        raise InvalidInput(
            f"delivery time {at.isoformat(timespec='minutes')} is before the order was received"
        )
    stamp, actor = clock.to_db(at), ops.actor(by)
    if row["kind"].startswith("addon-"):
        _apply_addons(ops, st, row, stamp, actor, at)
    on = at.astimezone(ops.tz).date().isoformat()
    sql.mark_delivered(st, row["id"], stamp, on, actor, table="service_orders")
    after = {"delivered_at": stamp, "due": row["due_date"], "on_time": on <= row["due_date"]}
    st.audit(actor, "sub.deliver", f"case:{case_number}", {"delivered_at": None}, after, at=at)
    close_order_case(ops, st, row["case_id"], case_number, f"Order delivered {on}.", by, at)
    return _service_object(ops, sql.service_order_by_case(st, case_number), at.astimezone(ops.tz).date())


def _apply_addons(ops, st, row, stamp: str, actor: str, at: datetime) -> None:
    detail = json.loads(row["detail"])
    service, numbers, add = detail["service"], [int(n) for n in detail["issis"]], row["kind"] == "addon-add"
    rows = _addon_rows(st, numbers)
    try:
        _check_addon_state(rows, numbers, service, add)
    except Conflict as exc:
        raise Conflict(
            f"order {row['case_number']} cannot be delivered: {exc.message}", exc.problems
        ) from None
    pairs = []
    for n in numbers:
        before = _addons(rows[n])
        after = sorted({*before, service}) if add else [a for a in before if a != service]
        pairs.append((",".join(after), n))
        st.audit(
            actor,
            "sub.addons",
            f"sub:{n}",
            {"addons": before},
            {"addons": after, "order": row["case_number"]},
            at=at,
        )
    sql.set_addons(st, pairs, stamp)

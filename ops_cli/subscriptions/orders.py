"""ISSI/TEI change orders: promised dates, registering, listing and delivering.

``sub change`` registers an order (its case, promised date and the old and new
ISSI/TEI of each subscription) without changing the subscriptions;
``sub deliver CASE`` makes the changes in one transaction, re-checking them
there, and closes the order case. The desk's urgent 1-3 changes done during
the call (``--urgent --apply-now``) are registered and delivered at once.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import nullcontext
from datetime import date, datetime
from typing import Any

from ops_cli import clock
from ops_cli.customers import require_customer
from ops_cli.errors import Conflict, InvalidInput, NotFound
from ops_cli.importing import sheet_name
from ops_cli.permissions import require_actor
from ops_cli.render import plural
from ops_cli.store import subscriptions as sql
from ops_cli.subscriptions._common import _raise_row_problems
from ops_cli.subscriptions.changes import (
    Found,
    apply_changes,
    change_line,
    check_items,
    load_state,
    parse_rows,
)
from ops_cli.subscriptions.importing import read_change_order
from ops_cli.subscriptions.ordering import deliver_service_order, service_order_objects
from ops_cli.subscriptions.promises import (
    check_urgent_time,
    close_order_case,
    open_order_case,
    promised_date,
)


# ------------------------------------------------------------------ registering
def _dry_rows(items) -> list[dict[str, Any]]:
    keys = ("row", "issi", "new_issi", "old_tei", "new_tei")
    return [{k: i[k] for k in keys} for i in items]


def change_order(
    ops,
    path: str | os.PathLike[str],
    *,
    customer: str,
    by: str | None,
    urgent: bool = False,
    apply_now: bool = False,
    dry_run: bool = False,
    at: datetime | None = None,
    progress: Callable[[int], None] | None = None,
    **reader: Any,  # sheet=, delimiter=: passed to the import pipeline's reader
) -> dict[str, Any]:
    """Register a bulk ISSI/TEI change order from a sheet (columns issi, new_tei and/or new_issi).

    Every row is checked inside the write transaction; then the order case
    (topic ``order``), the order with its promised date and its items are
    written, and the subscriptions are left as they are until ``deliver``.
    ``apply_now`` (only with ``urgent``) delivers it in the same transaction.
    Returns ``{"case", "changes", "due", "status", ...}``; with ``dry_run``
    the per-row diff and the due date, writing nothing.
    """
    customer = str(customer).strip()
    at = at or ops.now()
    if not by:
        raise InvalidInput("a change order needs the orderer's e-mail address (--by EMAIL)")
    if apply_now and not urgent:
        raise InvalidInput("--apply-now is for the desk's urgent changes done during the call; add --urgent")
    table = read_change_order(path, progress, **reader)  # the import pipeline's reading step
    with nullcontext(ops.store) if dry_run else ops.store.write() as st:
        require_customer(st, customer)
        require_actor(st, ops.config, customer, by, "change", desk_may=False)
        if urgent:
            check_urgent_time(ops, at)
        items, found = parse_rows(table)
        items = check_items(load_state(st, items), items, customer, table.file, found)
        _raise_row_problems(
            table.file, found.malformed, found.missing, found.conflicts, "change order", found.foreign
        )
        promise = promised_date(ops, at, len(items), urgent)
        result = _result(ops, customer, items, promise, at, urgent=urgent, dry_run=dry_run)
        if sheet_name(table) is not None:
            result.update(file=table.file, sheet=sheet_name(table))
        if dry_run:
            return {**result, "rows": _dry_rows(items)}
        case, order_id = _write_order(
            ops, st, items, customer=customer, by=by, urgent=urgent, at=at, promise=promise
        )
        result["case"] = case
        if apply_now:
            _deliver_in(
                ops, st, sql.order_by_case(st, case), items, at=at, by=None, note="done during the call"
            )
            result["status"] = "delivered"
    return result


def _result(ops, customer, items, promise, at, *, urgent, dry_run) -> dict[str, Any]:
    return {
        "case": None,
        "changes": len(items),
        "due": promise["due"],
        "status": "pending",
        "urgent": urgent,
        "customer": customer,
        "received": at.astimezone(ops.tz),
        "receipt_day": promise["receipt_day"],
        "working_days": promise["working_days"],
        "dry_run": dry_run,
    }


def _write_order(ops, st, items, *, customer, by, urgent, at, promise) -> tuple[str, int]:
    """The order case, the order and its items, and the order's audit record (no subscription changes)."""
    n = len(items)
    actor = ops.actor(by)
    due = promise["due"]
    subject = f"ISSI/TEI change order: {plural(n, 'subscription')}" + (" (urgent)" if urgent else "")
    lines = [
        f"{'Urgent ' if urgent else ''}ISSI/TEI change order for customer {customer}, {plural(n, 'change')},"
        f" received {at.astimezone(ops.tz).isoformat(timespec='minutes')}, promised by {due.isoformat()}.",
        "",
        *(change_line(i) for i in items),
    ]
    case, case_id = open_order_case(ops, customer=customer, by=by, subject=subject, lines=lines, at=at)
    order = {
        "case_id": case_id,
        "customer": customer,
        "received_at": clock.to_db(at),
        "receipt_day": promise["receipt_day"].isoformat(),
        "due_date": due.isoformat(),
        "urgent": 1 if urgent else 0,
        "change_count": n,
        "created_by": actor,
    }
    order_id = sql.insert_order(st, order)
    sql.insert_items(st, order_id, items)
    detail = {"customer": customer, "changes": n, "due": due.isoformat(), "urgent": urgent}
    st.audit(actor, "sub.order", f"case:{case}", None, detail, at=at)
    return case, order_id


# ------------------------------------------------------------------ listing
def _order_object(ops, row: Any, today: date | None = None) -> dict[str, Any]:
    due = date.fromisoformat(row["due_date"])
    delivered = clock.from_db(row["delivered_at"], ops.tz)
    on_time = None
    if row["delivered_on"]:
        on_time = date.fromisoformat(row["delivered_on"]) <= due
    today = today or ops.now().date()
    return {
        "case": row["case_number"],
        "type": "change",
        "customer": row["customer"],
        "changes": int(row["change_count"]),
        "urgent": bool(row["urgent"]),
        "received": clock.from_db(row["received_at"], ops.tz),
        "receipt_day": row["receipt_day"],
        "due": row["due_date"],
        "status": "delivered" if delivered else "pending",
        "delivered": delivered,
        "on_time": on_time,
        "overdue": delivered is None and today > due,
        "ordered_by": row["created_by"],
    }


ORDER_STATUSES = ("pending", "delivered")


def list_orders(
    ops,
    *,
    customer: str | None = None,
    open_only: bool = False,
    status: str | None = None,
    overdue: bool = False,
) -> list[dict[str, Any]]:
    """Orders (ISSI/TEI changes, new subscriptions, add-ons) with promised and delivered dates.

    ``status``: ``pending`` or ``delivered`` (``open_only`` = pending);
    ``overdue``: pending past their due date.
    """
    if status is not None and status not in ORDER_STATUSES:
        raise InvalidInput(f"unknown order status {status!r}; use one of: {', '.join(ORDER_STATUSES)}")
    if open_only and status not in (None, "pending"):
        raise InvalidInput(f"--open lists pending orders; it cannot be combined with --status {status}")
    if open_only:
        status = "pending"
    if customer is not None:
        require_customer(ops.store, customer)
    today = ops.now().date()
    found = [_order_object(ops, r, today) for r in sql.orders(ops.store, customer, False)]
    found += service_order_objects(ops, customer, today)
    found.sort(key=lambda o: (o["received"], o["case"]))
    return [o for o in found if (status is None or o["status"] == status) and (not overdue or o["overdue"])]


def order_changes(ops, case_number: str) -> list[dict[str, Any]]:
    row = sql.order_by_case(ops.store, case_number.strip())
    if row is None:
        raise NotFound(f"no change order with case {case_number.strip()}; see `ops sub orders`")
    return _dry_rows(sql.order_items(ops.store, row["id"]))


# ------------------------------------------------------------------ delivery
def deliver(ops, case_number: str, *, at: datetime | None = None, by: str | None = None) -> dict[str, Any]:
    """Deliver the order of a case: make its changes (checked again now), mark it delivered, close the case.

    Only the desk delivers (``by``: None = the operator, or one of ``desk.agents``).
    On time when delivered on or before the due date.
    """
    case_number = case_number.strip()
    at = at or ops.now()
    with ops.store.write() as st:
        require_actor(st, ops.config, None, by, None)
        row = sql.order_by_case(st, case_number)
        if row is None:
            return deliver_service_order(ops, st, case_number, at=at, by=by)
        _check_deliverable(ops, row, case_number, at)
        items = [dict(i) for i in sql.order_items(st, row["id"])]
        _deliver_in(ops, st, row, items, at=at, by=by)
        fresh = sql.order_by_case(st, case_number)
    return _order_object(ops, fresh)


def _check_deliverable(ops, row, case_number: str, at: datetime) -> None:
    if row["delivered_at"]:
        when = clock.from_db(row["delivered_at"], ops.tz).isoformat(timespec="minutes")
        raise Conflict(f"the order of case {case_number} was already delivered at {when}")
    received = clock.from_db(row["received_at"], ops.tz)
    if at < received:
        raise InvalidInput(
            f"delivery time {at.isoformat(timespec='minutes')} is before the order was received"
            f" ({received.isoformat(timespec='minutes')})"
        )


def _deliver_in(ops, st, row, items, *, at: datetime, by: str | None, note: str = "") -> None:
    """Inside the caller's transaction: re-check and apply the changes, mark delivered, close the case."""
    case_number, customer = row["case_number"], row["customer"]
    stamp = clock.to_db(at)
    actor = ops.actor(by)
    if row["applied_at"] is None:
        _recheck(st, items, customer, case_number)
        apply_changes(st, items, customer=customer, order_id=row["id"], stamp=stamp)
        for i in items:
            before = {"issi": i["issi"], "tei": i["old_tei"]}
            after = {
                "issi": i["new_issi"] or i["issi"],
                "tei": i["new_tei"] or i["old_tei"],
                "order": case_number,
            }
            st.audit(actor, "sub.change", f"sub:{i['issi']}", before, after, at=at)
    on = at.astimezone(ops.tz).date().isoformat()
    sql.mark_delivered(st, row["id"], stamp, on, actor)
    after = {"delivered_at": stamp, "due": row["due_date"], "on_time": on <= row["due_date"]}
    st.audit(actor, "sub.deliver", f"case:{case_number}", {"delivered_at": None}, after, at=at)
    close_order_case(
        ops, st, row["case_id"], case_number, f"Order delivered {on}{'; ' + note if note else ''}.", by, at
    )


def _recheck(st, items, customer: str, case_number: str) -> None:
    """The changes are still possible now: any problem refuses the whole delivery (exit 6)."""
    found = Found()
    state = load_state(st, items, except_case=case_number)
    check_items(state, items, customer, f"order {case_number}", found)
    problems = found.malformed + found.foreign + found.missing + found.conflicts
    if problems:
        raise Conflict(
            f"order {case_number} cannot be delivered: {plural(len(problems), 'change')} no longer possible;"
            " nothing was changed",
            sorted(problems, key=lambda p: p.row or 0),
        )

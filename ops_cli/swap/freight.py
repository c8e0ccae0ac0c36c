"""Swap freight: packaging and freight billed monthly in arrears per customer, a month once."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from ops_cli import clock
from ops_cli.context import Ops
from ops_cli.errors import Conflict, InvalidInput
from ops_cli.store import swap as sql
from ops_cli.swap.units import _check_output, _now_db, require_desk_actor, write_sheet

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


#: The months freight can be billed for (the next month must exist too).
FIRST_MONTH, LAST_MONTH = (2000, 1), (9999, 11)
_MONTH = re.compile(r"(\d{4})-(\d{2})")


def billing_month(text: str) -> tuple[int, int]:
    """``--month`` as (year, month) from 2000-01 to 9999-11; InvalidInput (exit 3) otherwise."""
    shape = _MONTH.fullmatch((text or "").strip())
    if shape and 1 <= int(shape[2]) <= 12 and not FIRST_MONTH <= (int(shape[1]), int(shape[2])) <= LAST_MONTH:
        # checked before clock.parse_month, which raises ValueError for year 0 (reported to platform)
        raise InvalidInput(f"--month: {text!r} is out of range; give a month from 2000-01 to 9999-11")
    return clock.parse_month(text, "--month")


def _price(ops: Ops, key: str) -> Decimal:
    return Decimal(str(ops.config["swap"][key])).quantize(Decimal("0.01"))


def _freight_lines(ops: Ops, month: str, first: datetime, nxt: datetime) -> list[dict[str, Any]]:
    """One billing line per customer with shipments sent (or out-of-warranty repairs) in the month."""
    first_utc = first.astimezone(UTC).isoformat(timespec="seconds")
    next_utc = nxt.astimezone(UTC).isoformat(timespec="seconds")
    freight_price, packaging_price = (
        _price(ops, "freight_price"),
        _price(ops, "packaging_price"),
    )
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
    force: bool = False,
    by: str | None = None,
) -> list[dict[str, Any]]:
    """Bill freight and packaging of one month's shipments: one line per customer.

    Shipments count in the month they were sent (their ship date). Out-of-warranty
    shipments and repairs are listed as billable to the customer directly. The
    month is marked as billed; billing it again needs ``rebill``. ``dry_run``
    previews without marking (also for a month not yet over). With ``output`` the lines
    are written to that file before the billing commits: a file that cannot be written
    leaves the month unbilled.
    """
    year, mon = billing_month(month)
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
    require_desk_actor(ops, by)  # billing is the desk's own: the operator or a desk agent
    _check_output(output, force)
    if dry_run:
        result = _freight_lines(ops, month, first, nxt)
        billed = sql.freight_bills(ops.store, month)
        _finish(result, month, billed=bool(billed), output=None, force=force)  # dry run: no file
        return result
    with ops.store.write() as st:
        result = _freight_lines(ops, month, first, nxt)
        billed = sql.freight_bills(st, month)
        if result:
            _mark_billed(ops, st, month, result, billed, rebill=rebill, at=at, by=by)
        _finish(result, month, billed=True, output=output, force=force)
    return result


def _finish(
    result: list[dict[str, Any]], month: str, *, billed: bool, output: str | Path | None, force: bool
) -> None:
    for li in result:
        li["billed"] = billed
    if output:
        rows = [{**li, "out_of_warranty_items": ", ".join(li["out_of_warranty_items"])} for li in result]
        write_sheet(output, rows, FREIGHT_COLUMNS, title=f"Freight {month}", force=force)

"""The delivery report of ISSI/TEI change orders: promised date, day delivered, on time or not.

:func:`delivery`: change orders received in a period with their promised date and the day
delivered, and the on-time percentage. An order is on time when delivered on or before its
promised date; an undelivered one is open, or overdue once its promised date has passed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ops_cli import clock
from ops_cli.context import Ops
from ops_cli.sla.kpi import percent
from ops_cli.store import reports as sql

from .period import parse_period
from .quarterly import known_customer

ORDER_COLUMNS = [
    "order",
    "case",
    "customer",
    "received",
    "receipt_day",
    "changes",
    "urgent",
    "due_date",
    "delivered_on",
    "status",
]


def _pct(part: int, whole: int) -> float | None:
    value = percent(part, whole)
    return None if value is None else round(value, 2)


def _status(order: dict[str, Any], today: str) -> str:
    if order["delivered_on"]:
        return "on time" if order["delivered_on"] <= order["due_date"] else "late"
    return "overdue" if order["due_date"] < today else "open"


def _row(ops: Ops, o: dict[str, Any], today: str) -> dict[str, Any]:
    return {
        "order": o["id"],
        "case": o["case_number"],
        "customer": o["customer"],
        "received": _local_day(ops, o["received_at"]),
        "receipt_day": o["receipt_day"],
        "changes": o["change_count"],
        "urgent": bool(o["urgent"]),
        "due_date": o["due_date"],
        "delivered_on": o["delivered_on"],
        "status": _status(o, today),
    }


def delivery(ops: Ops, start: str, end: str, customer: str | None = None) -> dict[str, Any]:
    """Change orders received ``start``..``end`` (dates, both included): promised and delivered days."""
    number = known_customer(ops, customer)["number"] if customer else None
    first, last, s, e = parse_period(ops, start, end)
    today = ops.now().date().isoformat()
    orders = [
        _row(ops, o, today) for o in sql.change_orders(ops.store, clock.to_db(s), clock.to_db(e), number)
    ]
    delivered = [o for o in orders if o["delivered_on"]]
    on_time = sum(1 for o in delivered if o["status"] == "on time")
    return {
        "from": first.isoformat(),
        "to": last.isoformat(),
        "customer": number,
        "orders": orders,
        "received": len(orders),
        "delivered": len(delivered),
        "on_time": on_time,
        "late": len(delivered) - on_time,
        "on_time_pct": _pct(on_time, len(delivered)),
        "open": sum(1 for o in orders if o["status"] == "open"),
        "overdue": sum(1 for o in orders if o["status"] == "overdue"),
        "generated_at": ops.now().isoformat(timespec="seconds"),
    }


def _local_day(ops: Ops, text: str) -> str:
    moment: datetime = clock.from_db(text, ops.tz)
    return moment.date().isoformat()


DELIVERY_SUMMARY = ("received", "delivered", "on_time", "late", "on_time_pct", "open", "overdue")


def delivery_summary_line(report: dict[str, Any]) -> str:
    pct = "—" if report["on_time_pct"] is None else f"{report['on_time_pct']:.2f} %"
    who = f" for customer {report['customer']}" if report["customer"] else ""
    return (
        f"Change orders received {report['from']} to {report['to']}{who}: {report['received']}; "
        f"delivered {report['delivered']}, on time {report['on_time']} ({pct}), late {report['late']}; "
        f"open {report['open']}, overdue {report['overdue']}."
    )

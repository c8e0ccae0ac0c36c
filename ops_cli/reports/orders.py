"""Reports made on order: a tier without a scheduled quarterly report (bronze) gets its SLA
report only when the customer orders it, for a fee.

Rules (seed "SLA Bronze ... rapport"; ``sla.report_fee``, default 499 SEK;
``sla.report_send_from_day`` / ``sla.report_send_to_day``, default 5 and 20):

- the order comes from the customer's telephony responsible or an orderer (``--ordered-by``);
  anyone else, desk staff included, is refused (exit 5) before anything is written;
- the report is sent to the address the customer gives (``--send-to``, default the orderer);
- one order per customer and quarter: printing an ordered report again bills nothing more;
- the order is recorded with the fee for billing (table ``report_orders``, audited) and the
  report is dated in the send window (:func:`.quarter.report_date`);
- a quarter that has not begun cannot be ordered (exit 3).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ops_cli import clock
from ops_cli.context import Ops
from ops_cli.errors import InvalidInput, NotPermitted
from ops_cli.parsers.contact import email as parse_email
from ops_cli.permissions import decide
from ops_cli.store import Store
from ops_cli.store import reports as sql

from .quarter import Quarter, report_date

ORDER_ROLES = ("report-sla", "order")  # telephony responsible, orderer


def fee(ops: Ops) -> float:
    return float(ops.config["sla"]["report_fee"])


def window_days(ops: Ops) -> tuple[int, int]:
    sla = ops.config["sla"]
    return int(sla["report_send_from_day"]), int(sla["report_send_to_day"])


def _email(value: str, option: str) -> str:
    try:
        return parse_email(value)
    except ValueError as exc:
        raise InvalidInput(f"{option}: {exc}") from None


def check_orderer(store: Store, number: str, email: str) -> None:
    """The customer's telephony responsible or an orderer may order; else NotPermitted (exit 5)."""
    if any(decide(store, number, email, action).allowed for action in ORDER_ROLES):
        return
    raise NotPermitted(
        f"{email} may not order the SLA report of customer {number}: "
        "only the customer's telephony responsible or an orderer may"
    )


def _missing(found: dict[str, Any], tier: str, ops: Ops) -> InvalidInput:
    return InvalidInput(
        f"customer {found['number']} has tier {tier}, whose SLA report is made on order: give "
        f"--ordered-by EMAIL (the customer's telephony responsible or orderer); the fee is "
        f"{fee(ops):g} {ops.config['sla']['currency']}"
    )


def take_order(
    st: Store,
    ops: Ops,
    found: dict[str, Any],
    tier: str,
    quarter: Quarter,
    ordered_by: str | None,
    send_to: str | None,
    at: datetime | None = None,
) -> dict[str, Any]:
    """The order of this customer's report for ``quarter``: the one on record, or a new one.

    Runs inside the caller's write transaction (the checks re-read the store there).
    ``at``: when it was ordered (default now).
    """
    number = found["number"]
    who = _email(ordered_by, "--ordered-by") if ordered_by is not None else None
    target = _email(send_to, "--send-to") if send_to is not None else who
    if who is not None:
        check_orderer(st, number, who)
    existing = sql.report_order(st, number, quarter.label)
    if existing is not None:
        return {**existing, "new": False}
    if who is None:
        raise _missing(found, tier, ops)
    at = at or ops.now()
    today = at.astimezone(ops.tz).date()
    if quarter.first_day > today:
        raise InvalidInput(f"--quarter: {quarter.label} has not begun; its report cannot be ordered yet")
    values = {
        "customer": number,
        "quarter": quarter.label,
        "ordered_by": who,
        "send_to": target,
        "ordered_at": clock.to_db(at),
        "report_date": report_date(quarter, today, *window_days(ops)).isoformat(),
        "fee": fee(ops),
        "currency": ops.config["sla"]["currency"],
        "recorded_by": ops.actor(None),
    }
    order_id = sql.add_report_order(st, values)
    st.audit(who, "report.order", f"report-order:{order_id}", None, values, at=at)
    return {"id": order_id, **values, "new": True}


def order_summary(ops: Ops, order: dict[str, Any]) -> dict[str, Any]:
    """The order as the report shows it (times in the desk's zone)."""
    keys = ("id", "ordered_by", "send_to", "report_date", "fee", "currency", "new")
    ordered_at = clock.from_db(order["ordered_at"], ops.tz).isoformat(timespec="seconds")
    return {k: order[k] for k in keys} | {"ordered_at": ordered_at}

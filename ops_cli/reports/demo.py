"""The reports' demo step: the bronze customer 2002 (Café Bönan) orders its 2026Q3 SLA report.

Loaded by ``ops init --demo`` after the KPI counts; idempotent (an order on record is kept).
"""

from __future__ import annotations

from typing import Any

from ops_cli import clock
from ops_cli.context import Ops

from . import orders
from .quarter import parse_quarter
from .quarterly import tier_of

CUSTOMER, QUARTER = "2002", "2026Q3"
ORDERED_BY = "lisa.ek@bonan.example"  # orderer and telephony responsible of 2002
ORDERED_AT = "2026-10-06T10:15"  # desk-local: inside the send window, so dated that day


def load_demo(ops: Ops) -> dict[str, Any]:
    """Record the demo's one report order (fee from config ``sla.report_fee``)."""
    found, tier, _ = tier_of(ops, CUSTOMER)
    with ops.store.write() as st:
        order = orders.take_order(
            st,
            ops,
            found,
            tier,
            parse_quarter(QUARTER),
            ORDERED_BY,
            None,
            at=clock.parse_time(ORDERED_AT, ops.tz),
        )
    return {"report_orders": 1 if order["new"] else 0, "skipped": not order["new"]}

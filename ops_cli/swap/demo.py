"""Demo swap units and a shipment for customer 2001."""

from __future__ import annotations

from typing import Any

from ops_cli import clock
from ops_cli.context import Ops
from ops_cli.store import roster as roster_sql
from ops_cli.store import swap as sql
from ops_cli.swap.importing import add_units_file
from ops_cli.swap.shipping import ship


def load_demo(ops: Ops) -> dict[str, Any]:
    """Demo units for customer 2001 (through the same code as `swap add --file`), plus a shipment
    on a demo case of 2001 when one exists. Idempotent."""
    from ops_cli.demo import fixture

    if roster_sql.customer_row(ops.store, "2001") is None:
        return {"skipped": "customer 2001 is not in the store"}
    units = add_units_file(
        ops,
        fixture("swap_units.csv"),
    )
    result: dict[str, Any] = {"units": {"created": units["created"], "unchanged": units["unchanged"]}}
    shipped = sql.list_shipments(ops.store, "2001")
    case = sql.first_open_case(ops.store, "2001")
    result["shipment"] = None
    if not shipped and case is not None:
        at = clock.from_db(case["opened_at"], ops.tz)
        done = ship(
            ops,
            "2001",
            case["number"],
            at=at,
        )
        result["shipment"] = {k: done[k] for k in ("case", "serial", "delivery_date")}
    return result

"""Demo subscriptions and one delivered change order (the demo loader's subscription step)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from ops_cli import clock
from ops_cli.store import subscriptions as sql
from ops_cli.subscriptions.importing import import_subscriptions
from ops_cli.subscriptions.orders import change_order, deliver

DEMO_ORDERER = "anna.berg@polisen.example"
DEMO_ORDER_AT = "2026-11-16T09:30"
DEMO_DELIVERED_AT = "2026-11-19T14:00"


def _fixture(name: str) -> Path:
    """A demo file shipped in the package (no import of the demo loader: it imports us)."""
    return Path(str(resources.files("ops_cli.fixtures"))) / name


def load_demo(ops) -> dict[str, Any]:
    """Demo subscriptions (fixtures/subscriptions.csv) and one delivered change order by Anna Berg.

    The order (fixtures/sub_demo_order.csv) leaves the rows of the example
    order fixtures/change_order.xlsx alone, so that one can be tried on the
    demo store.

    Idempotent: once the demo order is in the store, nothing is loaded again
    (re-importing the sheet would undo the order's changes).
    """
    received = ops.at(DEMO_ORDER_AT)
    if sql.order_count(ops.store, "1001", DEMO_ORDERER, clock.to_db(received)):
        return {"subscriptions": "already loaded", "order": "already loaded"}
    imported = import_subscriptions(ops, _fixture("subscriptions.csv"))
    order = change_order(ops, _fixture("sub_demo_order.csv"), customer="1001", by=DEMO_ORDERER, at=received)
    # Registered pending; delivering it makes the changes (ISSI 2010012 -> 2010112 retires 2010012).
    deliver(ops, order["case"], at=ops.at(DEMO_DELIVERED_AT))
    return {
        "subscriptions": {k: imported[k] for k in ("created", "updated", "unchanged")},
        "order": {"case": order["case"], "changes": order["changes"], "due": order["due"].isoformat()},
    }

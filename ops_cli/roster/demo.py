"""The demo customers and rosters."""

from __future__ import annotations

from typing import Any

from ops_cli.context import Ops


def load_demo(ops: Ops) -> dict[str, Any]:
    """The demo customers and rosters, loaded through the same imports users run (idempotent)."""
    from ops_cli.demo import fixture
    from ops_cli.roster.importing import import_customers, import_roster  # not at start-up

    customers = import_customers(ops, fixture("customers.csv"))
    roster = import_roster(ops, fixture("roster.xlsx"))
    return {
        "customers": {k: customers[k] for k in ("created", "updated", "unchanged")},
        "roster": {k: roster[k] for k in ("created", "updated", "unchanged", "removed")},
    }

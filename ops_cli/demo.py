"""The demo store: fixtures a newcomer can load with `ops init --demo`.

The demo loader owns its steps: it calls each domain's ``load_demo`` in dependency order (the
domains never import this module). Every step loads its files through the same import code
users run, and is idempotent (running it twice changes nothing).

Demo data is made up; it must not be mixed into a store that holds the user's own changes.
Every audit record the loader writes carries ``origin = 'demo'``; a store with any other audit
record (every change writes one) holds user changes, and loading the demo there is refused
(exit 6) unless ``force``.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from ops_cli.cases import demo as cases_demo
from ops_cli.context import Ops
from ops_cli.errors import Conflict
from ops_cli.reports import demo as reports_demo
from ops_cli.roster import demo as roster_demo
from ops_cli.sla import demo as sla_demo
from ops_cli.store.audit import DEMO, user_changes
from ops_cli.subscriptions import demo as subscriptions_demo
from ops_cli.swap import demo as swap_demo

#: The steps, in dependency order: customers and rosters first, the report order last.
STEPS: tuple[tuple[str, Callable[[Ops], dict[str, Any]]], ...] = (
    ("roster", roster_demo.load_demo),
    ("subscriptions", subscriptions_demo.load_demo),
    ("cases", cases_demo.load_demo),
    ("kpi", sla_demo.load_demo),
    ("swap", swap_demo.load_demo),
    ("reports", reports_demo.load_demo),
)


def fixtures_dir() -> Path:
    """The fixtures folder shipped inside the package."""
    return Path(str(resources.files("ops_cli.fixtures")))


def fixture(name: str) -> Path:
    return fixtures_dir() / name


def load_demo(ops: Ops, *, force: bool = False) -> dict[str, Any]:
    """Load every demo data set in dependency order; returns what each step did.

    Runs in one write transaction (all steps or none). Refused (Conflict, exit 6) when the
    store holds changes that are not the demo's, unless ``force``.
    """
    store = ops.store
    with store.write() as st:
        changes = user_changes(st)
        if changes and not force:
            raise Conflict(
                f"the store {st.path} holds {changes} change(s) that are not demo data;"
                " the demo would mix made-up customers into them; use --force to load it anyway"
            )
        previous, st.origin = st.origin, DEMO
        try:
            return {name: step(ops) for name, step in STEPS}
        finally:
            st.origin = previous

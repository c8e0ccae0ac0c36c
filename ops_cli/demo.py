"""The demo store: fixtures a newcomer can load with `ops init --demo`.

Every step loads its files through the same import code users run, and is
idempotent (running it twice changes nothing).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from ops_cli.context import Ops


def fixtures_dir() -> Path:
    """The fixtures folder shipped inside the package."""
    return Path(str(resources.files("ops_cli.fixtures")))


def fixture(name: str) -> Path:
    return fixtures_dir() / name


def load_demo(ops: Ops) -> dict[str, Any]:
    """Load every demo data set in dependency order; returns what each step did."""
    results: dict[str, Any] = {}
    # Each group adds its step here, in dependency order.
    from ops_cli import roster

    results["roster"] = roster.load_demo(ops)
    results["subscriptions"] = __import__("ops_cli.subscriptions", fromlist=["load_demo"]).load_demo(ops)
    results["cases"] = __import__("ops_cli.cases", fromlist=["load_demo"]).load_demo(ops)
    results["kpi"] = __import__("ops_cli.kpi", fromlist=["load_demo"]).load_demo(ops)
    results["swap"] = __import__("ops_cli.swap", fromlist=["load_demo"]).load_demo(ops)
    return results

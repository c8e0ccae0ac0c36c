"""Demo KPI counts, loaded through the user's import."""

from __future__ import annotations

from typing import Any

from ops_cli.context import Ops
from ops_cli.sla.importing import import_kpi


def load_demo(ops: Ops) -> dict[str, Any]:
    """Import the demo KPI counts (2026Q3 for customers 2001 and 2002) through the user's import."""
    from ops_cli.demo import fixture

    result = import_kpi(ops, fixture("kpi_2026q3.csv"))  # the desk's operator
    return {k: result[k] for k in ("file", "created", "updated", "unchanged")}

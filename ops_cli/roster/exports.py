"""Roster export to .xlsx/.csv in the columns `roster import` reads."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ops_cli.context import Ops
from ops_cli.customers import require_customer
from ops_cli.errors import InvalidInput
from ops_cli.roster.records import _customer_number
from ops_cli.store import roster as q

EXPORT_COLUMNS = ["customer", "customer_name", "name", "email", "phone", "role", "kind"]


def export_roster(
    ops: Ops,
    path: str | os.PathLike[str],
    customer: str | None = None,
    *,
    force: bool = False,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Write the roster (or one customer's) to .xlsx or .csv in the columns ``roster import`` reads.

    Written through :mod:`ops_cli.files` (0600, temp file + rename): an existing file is
    refused (Conflict, exit 6) unless ``force``; a symlink is never followed (exit 3). The
    entries stream from the store into the writer (never all in memory); ``progress`` is
    called with the number of entries just written.
    """
    file = str(path)
    if Path(file).suffix.lower() not in (".xlsx", ".csv"):
        raise InvalidInput(
            f"cannot write {file!r}: export to .xlsx or .csv (a file name ending in .xlsx or .csv)"
        )
    if customer is not None:
        customer = _customer_number(customer)
        require_customer(ops.store, customer)
    names = {r["number"]: r["name"] for r in q.customers(ops.store)}
    rows = (
        {
            "customer": r["customer"],
            "customer_name": names.get(r["customer"], ""),
            "name": r["name"],
            "email": r["email"],
            "phone": r["phone"],
            "role": r["roles"],
            "kind": r["kind"],
        }
        for r in q.entries(ops.store, customer)
    )
    from ops_cli.sheets import write_table  # the sheet writers stay out of start-up

    written = write_table(file, rows, EXPORT_COLUMNS, sheet_title="Roster", force=force, progress=progress)
    return {"file": file, "rows": written, "customer": customer}

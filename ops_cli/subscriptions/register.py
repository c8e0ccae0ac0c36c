"""The subscription register: list, show, export."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from ops_cli import clock, render
from ops_cli.customers import require_customer
from ops_cli.errors import InvalidInput, NotFound
from ops_cli.store import subscriptions as sql
from ops_cli.subscriptions._common import STATUSES, parse_issi_args, sub_object


def list_subscriptions(ops, *, customer: str | None = None, status: str | None = None) -> render.Rows:
    """The filters are checked now; the subscriptions come one at a time from the store
    cursor (a listing streams; ``list(...)`` for a list)."""
    if status is not None and status not in STATUSES:
        raise InvalidInput(f"unknown status {status!r}; use one of: {', '.join(STATUSES)}")
    if customer is not None:
        require_customer(ops.store, customer)
    # sub_object's fields straight from the store (issi is an INTEGER PRIMARY KEY: an int).
    return render.Rows(
        sql.LIST_COLUMNS,
        sql.listing(ops.store, customer, status),
        json=lambda: sql.listing_json(ops.store, customer, status),
    )


def show_subscription(ops, issi: str | int) -> dict[str, Any]:
    number = parse_issi_args([str(issi)])[0]
    row = sql.get(ops.store, number)
    if row is None:
        raise NotFound(f"no subscription with ISSI {number}; see `ops sub list`")
    result = sub_object(row)
    result["addons"] = [a for a in (row["addons"] or "").split(",") if a]
    result["created_at"] = clock.from_db(row["created_at"], ops.tz)
    result["updated_at"] = clock.from_db(row["updated_at"], ops.tz)
    return result


def export_subscriptions(
    ops,
    path: str | os.PathLike[str],
    *,
    customer: str | None = None,
    status: str | None = None,
    force: bool = False,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Write the subscriptions to .xlsx or .csv in the columns `sub import` reads back.

    An existing file is replaced only with ``force`` (Conflict otherwise); symlinks are refused.
    The rows stream from the store into the writer; ``progress`` gets the number just written.
    """
    from ops_cli.sheets import write_table

    rows = list_subscriptions(ops, customer=customer, status=status)
    columns = ["customer", "issi", "tei", "msisdn", "kind", "status"]
    written = write_table(path, rows, columns, sheet_title="Subscriptions", force=force, progress=progress)
    return {"file": str(path), "rows": written}

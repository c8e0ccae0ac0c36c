"""Looking up a customer that a command names: the one place that says "not found"."""

from __future__ import annotations

import sqlite3

from ops_cli.errors import NotFound
from ops_cli.store import Store
from ops_cli.store import roster as roster_sql


def require_customer(store: Store, number: object) -> sqlite3.Row:
    """The customer's row; :class:`NotFound` (exit 4) naming the number when there is none."""
    text = str(number or "").strip()
    row = roster_sql.customer_row(store, text) if text else None
    if row is None:
        raise NotFound(f"customer {text or '(none)'} not found; see `ops roster customer list`")
    return row

"""SQL for customers and roster entries."""

from __future__ import annotations

import sqlite3

from ops_cli.store import Store


def roles_of(store: Store, customer: str, email: str) -> list[str]:
    """The roles ``email`` holds for ``customer`` (empty when not in the roster)."""
    row = store.one("SELECT roles FROM roster_entries WHERE customer = ? AND email = ?", (customer, email))
    return [r for r in row["roles"].split(",") if r] if row else []


def customer_row(store: Store, number: str) -> sqlite3.Row | None:
    return store.one("SELECT * FROM customers WHERE number = ?", (number,))

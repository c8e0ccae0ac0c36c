"""Values for shell completion: customer numbers, case numbers, roster emails (prefix match)."""

from __future__ import annotations

from ops_cli.store.connection import Store

#: At most this many suggestions: a shell lists them all.
LIMIT = 200


def _like(prefix: str) -> str:
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def customer_numbers(store: Store, prefix: str) -> list[tuple[str, str]]:
    """(number, name) of the customers whose number starts with ``prefix``."""
    rows = store.query(
        "SELECT number, name FROM customers WHERE number LIKE ? ESCAPE '\\'"
        " ORDER BY CAST(number AS INTEGER), number LIMIT ?",
        (_like(prefix), LIMIT),
    )
    return [(r["number"], r["name"]) for r in rows]


def case_numbers(store: Store, prefix: str) -> list[tuple[str, str]]:
    """(number, status) of the cases whose number starts with ``prefix``, newest first.

    Subjects are not offered: a sensitive or secret case's subject never leaves the store here.
    """
    rows = store.query(
        "SELECT number, status FROM cases WHERE number LIKE ? ESCAPE '\\' ORDER BY number DESC LIMIT ?",
        (_like(prefix), LIMIT),
    )
    return [(r["number"], r["status"]) for r in rows]


def roster_emails(store: Store, prefix: str) -> list[tuple[str, str]]:
    """(email, customer) of the roster entries whose email starts with ``prefix`` (lower case)."""
    rows = store.query(
        "SELECT email, MIN(customer) AS customer FROM roster_entries WHERE email LIKE ? ESCAPE '\\'"
        " GROUP BY email ORDER BY email LIMIT ?",
        (_like(prefix.lower()), LIMIT),
    )
    return [(r["email"], r["customer"]) for r in rows]

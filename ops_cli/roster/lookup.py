"""Whose user is this address? (issue 13, item 8: people on a roster are that customer's users)."""

from __future__ import annotations

from ops_cli.store import Store
from ops_cli.store import roster as q


def customer_of_email(store: Store, email: str) -> str | None:
    """The customer an email address belongs to, or None when it is unknown or ambiguous.

    - On exactly one customer's roster: that customer, whatever the address's domain (a
      partner's gmail on 1001's roster is 1001's user).
    - On several customers' rosters: ambiguous, None (the caller asks for ``--customer``).
    - On no roster: the customer whose email domain it is (``customer_domains``), else None.
    """
    address = (email or "").strip().lower()
    if "@" not in address:
        return None
    customers = {row["customer"] for row in q.entries_of_email(store, address)}
    if len(customers) == 1:
        return customers.pop()
    if customers:
        return None
    return q.customer_for_email(store, address)

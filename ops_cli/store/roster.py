"""SQL for customers, their email domains and roster entries."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import chain
from typing import Any

from ops_cli.store import Store

CUSTOMER_FIELDS = (
    "name",
    "department",
    "kam",
    "agreement",
    "binding_until",
    "sla_tier",
    "service_level",
    "fleet",
    "swap_policy",
)
ENTRY_FIELDS = ("name", "phone", "kind", "roles")
_CHUNK = 500  # keys per IN (...) list: well under every SQLite build's variable limit


def roles_of(store: Store, customer: str, email: str) -> list[str]:
    """The roles ``email`` holds for ``customer`` (empty when not in the roster)."""
    row = store.one("SELECT roles FROM roster_entries WHERE customer = ? AND email = ?", (customer, email))
    return [r for r in row["roles"].split(",") if r] if row else []


def customer_row(store: Store, number: str) -> sqlite3.Row | None:
    return store.one("SELECT * FROM customers WHERE number = ?", (number,))


# ------------------------------------------------------------------ customers
def customers(store: Store) -> list[sqlite3.Row]:
    return store.query("SELECT * FROM customers ORDER BY CAST(number AS INTEGER), number")


def existing_numbers(store: Store, numbers: Iterable[str]) -> set[str]:
    found: set[str] = set()
    keys = list(numbers)
    for i in range(0, len(keys), _CHUNK):
        part = keys[i : i + _CHUNK]
        marks = ",".join("?" * len(part))
        found.update(
            r[0] for r in store.query(f"SELECT number FROM customers WHERE number IN ({marks})", part)
        )
    return found


def customers_by_number(store: Store, numbers: Iterable[str]) -> dict[str, sqlite3.Row]:
    found: dict[str, sqlite3.Row] = {}
    keys = list(numbers)
    for i in range(0, len(keys), _CHUNK):
        part = keys[i : i + _CHUNK]
        marks = ",".join("?" * len(part))
        for r in store.query(f"SELECT * FROM customers WHERE number IN ({marks})", part):
            found[r["number"]] = r
    return found


def all_domains(store: Store) -> dict[str, list[str]]:
    """customer -> its domains (sorted)."""
    out: dict[str, list[str]] = {}
    for r in store.query("SELECT customer, domain FROM customer_domains ORDER BY domain"):
        out.setdefault(r["customer"], []).append(r["domain"])
    return out


def domains_of(store: Store, number: str) -> list[str]:
    return [
        r[0]
        for r in store.query(
            "SELECT domain FROM customer_domains WHERE customer = ? ORDER BY domain", (number,)
        )
    ]


def domain_owner(store: Store, domain: str) -> str | None:
    row = store.one("SELECT customer FROM customer_domains WHERE domain = ?", (domain,))
    return row[0] if row else None


def customer_for_email(store: Store, email: str) -> str | None:
    """The customer whose email domain this address is on, if any."""
    return domain_owner(store, email.rsplit("@", 1)[-1].lower())


def insert_customer(store: Store, number: str, fields: dict[str, Any], at: str) -> None:
    cols = ["number", *fields, "created_at", "updated_at"]
    store.execute(
        f"INSERT INTO customers ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
        (number, *fields.values(), at, at),
    )


def insert_customers(store: Store, rows: Iterable[tuple[str, str]], at: str) -> None:
    """New customers with defaults: rows of (number, name)."""
    store.executemany(
        "INSERT INTO customers (number, name, created_at, updated_at) VALUES (?, ?, ?, ?)",
        ((number, name, at, at) for number, name in rows),
    )


def update_customer(store: Store, number: str, fields: dict[str, Any], at: str) -> None:
    if not fields:
        return
    sets = ", ".join(f"{k} = ?" for k in fields)
    store.execute(
        f"UPDATE customers SET {sets}, updated_at = ? WHERE number = ?", (*fields.values(), at, number)
    )


def set_domains(store: Store, number: str, domains: Sequence[str]) -> None:
    store.execute("DELETE FROM customer_domains WHERE customer = ?", (number,))
    store.executemany(
        "INSERT INTO customer_domains (domain, customer) VALUES (?, ?)", [(d, number) for d in domains]
    )


# ------------------------------------------------------------------ entries
def entry(store: Store, customer: str, email: str) -> sqlite3.Row | None:
    return store.one("SELECT * FROM roster_entries WHERE customer = ? AND email = ?", (customer, email))


def entries_of_email(store: Store, email: str) -> list[sqlite3.Row]:
    return store.query(
        "SELECT * FROM roster_entries WHERE email = ? ORDER BY CAST(customer AS INTEGER), customer", (email,)
    )


def entries(store: Store, customer: str | None = None, role: str | None = None) -> Iterable[sqlite3.Row]:
    """Roster entries in listing order (index ``roster_entries_listing``); a cursor."""
    sql = "SELECT * FROM roster_entries"
    where, params = [], []
    if customer is not None:
        where.append("customer = ?")
        params.append(customer)
    if role is not None:
        where.append("(',' || roles || ',') LIKE ?")
        params.append(f"%,{role},%")
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY CAST(customer AS INTEGER), customer, email"
    return store.execute(sql, params)


def entries_of_customers(store: Store, numbers: Iterable[str]) -> dict[tuple[str, str], tuple]:
    """(customer, email) -> (name, phone, kind, roles) for every entry of these customers."""
    out: dict[tuple[str, str], tuple] = {}
    keys = list(numbers)
    conn = store.conn
    conn.row_factory = None  # plain tuples: this is the hot path of a 100k-row import
    try:
        for i in range(0, len(keys), _CHUNK):
            part = keys[i : i + _CHUNK]
            marks = ",".join("?" * len(part))
            for c, e, n, p, k, r in conn.execute(
                "SELECT customer, email, name, phone, kind, roles FROM roster_entries"
                f" WHERE customer IN ({marks})",
                part,
            ):
                out[(c, e)] = (n, p, k, r)
    finally:
        conn.row_factory = sqlite3.Row
    return out


_INSERT_ENTRIES = (
    "INSERT INTO roster_entries (customer, email, name, phone, kind, roles, created_at, updated_at) VALUES "
)
_ROWS_PER_INSERT = 200  # rows per multi-row INSERT: 1,201 variables, far below SQLite's limit


@lru_cache(maxsize=4)
def _insert_entries_sql(count: int) -> str:
    """One INSERT of ``count`` entries: ?1 is the time, then six variables per entry."""
    return _INSERT_ENTRIES + ", ".join(
        f"(?{b}, ?{b + 1}, ?{b + 2}, ?{b + 3}, ?{b + 4}, ?{b + 5}, ?1, ?1)"
        for b in range(2, 2 + 6 * count, 6)
    )


def insert_entries(store: Store, rows: Sequence[tuple], at: str) -> None:
    """rows: (customer, email, name, phone, kind, roles).

    Many rows per statement: SQLite then runs one statement per 200 rows instead
    of one per row (a third less time for a 100k-row import than executemany).
    """
    step = _ROWS_PER_INSERT
    full = len(rows) - len(rows) % step
    if full:
        sql = _insert_entries_sql(step)
        execute = store.execute
        for i in range(0, full, step):
            execute(sql, (at, *chain.from_iterable(rows[i : i + step])))
    if full < len(rows):
        store.execute(_insert_entries_sql(len(rows) - full), (at, *chain.from_iterable(rows[full:])))


def update_entries(store: Store, rows: Iterable[tuple], at: str) -> None:
    """rows: (customer, email, name, phone, kind, roles)."""
    store.executemany(
        "UPDATE roster_entries SET name = ?, phone = ?, kind = ?, roles = ?, updated_at = ?"
        " WHERE customer = ? AND email = ?",
        ((n, p, k, r, at, c, e) for c, e, n, p, k, r in rows),
    )


def delete_entries(store: Store, keys: Iterable[tuple[str, str]]) -> None:
    store.executemany("DELETE FROM roster_entries WHERE customer = ? AND email = ?", keys)

"""SQL for subscriptions and ISSI/TEI change orders."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from ops_cli.store import Store

SUB_COLUMNS = ("issi", "customer", "tei", "msisdn", "kind", "status", "addons", "created_at", "updated_at")


# ------------------------------------------------------------------ subscriptions
def index(store: Store) -> list[sqlite3.Row]:
    """Every subscription's key facts in ONE query (the bulk commands build their sets from it)."""
    return store.query("SELECT issi, customer, tei, msisdn, kind, status FROM subscriptions")


def get(store: Store, issi: int) -> sqlite3.Row | None:
    return store.one("SELECT * FROM subscriptions WHERE issi = ?", (issi,))


def get_many(store: Store, issis: Sequence[int]) -> list[sqlite3.Row]:
    found: list[sqlite3.Row] = []
    for start in range(0, len(issis), 500):
        chunk = list(issis[start : start + 500])
        marks = ",".join("?" * len(chunk))
        found.extend(store.query(f"SELECT * FROM subscriptions WHERE issi IN ({marks})", chunk))
    return found


def select(store: Store, customer: str | None = None, status: str | None = None) -> list[sqlite3.Row]:
    where, params = [], []
    if customer is not None:
        where.append("customer = ?")
        params.append(customer)
    if status is not None:
        where.append("status = ?")
        params.append(status)
    sql = "SELECT * FROM subscriptions"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return store.query(sql + " ORDER BY customer, issi", params)


def customer_numbers(store: Store) -> set[str]:
    return {row[0] for row in store.query("SELECT number FROM customers")}


def insert_many(store: Store, rows: Iterable[dict[str, Any]]) -> None:
    store.executemany(
        "INSERT INTO subscriptions (issi, customer, tei, msisdn, kind, status, created_at, updated_at)"
        " VALUES (:issi, :customer, :tei, :msisdn, :kind, :status, :at, :at)",
        rows,
    )


def update_many(store: Store, rows: Iterable[dict[str, Any]]) -> None:
    store.executemany(
        "UPDATE subscriptions SET tei = :tei, msisdn = :msisdn, kind = :kind, status = :status,"
        " updated_at = :at"
        " WHERE issi = :issi",
        rows,
    )


def clear_teis(store: Store, issis: Iterable[int], at: str) -> None:
    """Unbind TEIs first so that TEIs moving between subscriptions of one order never collide."""
    store.executemany(
        "UPDATE subscriptions SET tei = NULL, updated_at = ? WHERE issi = ?", ((at, i) for i in issis)
    )


def set_teis(store: Store, pairs: Iterable[tuple[str, int]], at: str) -> None:
    store.executemany(
        "UPDATE subscriptions SET tei = ?, updated_at = ? WHERE issi = ?",
        ((tei, at, issi) for tei, issi in pairs),
    )


def set_issis(store: Store, pairs: Iterable[tuple[int, int]], at: str) -> None:
    store.executemany(
        "UPDATE subscriptions SET issi = ?, updated_at = ? WHERE issi = ?",
        ((new, at, old) for new, old in pairs),
    )


def set_status(store: Store, issis: Iterable[int], status: str, at: str) -> None:
    store.executemany(
        "UPDATE subscriptions SET status = ?, updated_at = ? WHERE issi = ?", ((status, at, i) for i in issis)
    )


# ------------------------------------------------------------------ change orders
def insert_order(store: Store, values: dict[str, Any]) -> int:
    cursor = store.execute(
        "INSERT INTO change_orders (case_id, customer, received_at, receipt_day, due_date, urgent,"
        " change_count,"
        " created_by) VALUES (:case_id, :customer, :received_at, :receipt_day, :due_date, :urgent,"
        " :change_count, :created_by)",
        values,
    )
    return int(cursor.lastrowid)


def insert_items(store: Store, order_id: int, items: Iterable[dict[str, Any]]) -> None:
    store.executemany(
        "INSERT INTO change_order_items (order_id, row, issi, new_issi, old_tei, new_tei)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        ((order_id, i["row"], i["issi"], i["new_issi"], i["old_tei"], i["new_tei"]) for i in items),
    )


_ORDER_SELECT = "SELECT o.*, c.number AS case_number FROM change_orders o JOIN cases c ON c.id = o.case_id"


def orders(store: Store, customer: str | None = None, open_only: bool = False) -> list[sqlite3.Row]:
    where, params = [], []
    if customer is not None:
        where.append("o.customer = ?")
        params.append(customer)
    if open_only:
        where.append("o.delivered_at IS NULL")
    sql = _ORDER_SELECT
    if where:
        sql += " WHERE " + " AND ".join(where)
    return store.query(sql + " ORDER BY o.received_at, o.id", params)


def order_by_case(store: Store, case_number: str) -> sqlite3.Row | None:
    return store.one(_ORDER_SELECT + " WHERE c.number = ?", (case_number,))


def order_items(store: Store, order_id: int) -> list[sqlite3.Row]:
    return store.query("SELECT * FROM change_order_items WHERE order_id = ? ORDER BY row", (order_id,))


def order_count(store: Store, customer: str, created_by: str, received_at: str) -> int:
    row = store.one(
        "SELECT count(*) FROM change_orders WHERE customer = ? AND created_by = ? AND received_at = ?",
        (customer, created_by, received_at),
    )
    return int(row[0])


def mark_delivered(store: Store, order_id: int, at: str, on: str, by: str) -> None:
    store.execute(
        "UPDATE change_orders SET delivered_at = ?, delivered_on = ?, delivered_by = ? WHERE id = ?",
        (at, on, by, order_id),
    )


def case_id(store: Store, number: str) -> int:
    return int(store.one("SELECT id FROM cases WHERE number = ?", (number,))["id"])

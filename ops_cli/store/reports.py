"""SQL for the reports: fault cases and callbacks of a period, change orders, shipments,
report orders (bronze reports made on order) and the tiered customers.

KPI sums come from :func:`ops_cli.sla.kpi.summarize` (its SQL is in ``store/kpi.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ops_cli.store import Store


def customer(store: Store, number: str) -> dict[str, Any] | None:
    row = store.one("SELECT number, name, sla_tier FROM customers WHERE number = ?", (number,))
    return dict(row) if row else None


def cases_opened(
    store: Store, customer_number: str, start_utc: str, end_utc: str, topics: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    """Cases of a customer opened in ``[start_utc, end_utc)``, optionally only these topics."""
    sql = (
        "SELECT id, number, topic, channel, critical, classification, status, subject, sla_tier,"
        " opened_at, closed_at FROM cases WHERE customer = ? AND opened_at >= ? AND opened_at < ?"
    )
    params: list[Any] = [customer_number, start_utc, end_utc]
    if topics is not None:
        if not topics:
            return []
        sql += f" AND topic IN ({', '.join('?' for _ in topics)})"
        params.extend(topics)
    sql += " ORDER BY opened_at, number"
    return [dict(r) for r in store.query(sql, params)]


def callbacks_recorded(store: Store, case_ids: Sequence[int]) -> dict[int, int]:
    """How many callbacks with a due time each case has on record (the report's old
    ``callbacks`` figure, kept for the scripts that read it)."""
    ids, counts = list(case_ids), {}
    for start in range(0, len(ids), 500):  # chunks: a big quarter never passes SQLite's variable limit
        chunk = ids[start : start + 500]
        rows = store.query(
            f"SELECT case_id, COUNT(*) AS n FROM case_callbacks WHERE due_at IS NOT NULL"
            f" AND case_id IN ({_marks(chunk)}) GROUP BY case_id",
            chunk,
        )
        counts.update((r["case_id"], r["n"]) for r in rows)
    return counts


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" for _ in values)


def case_stats(store: Store, customer_number: str, start_utc: str, end_utc: str) -> list[dict[str, Any]]:
    """Cases opened in ``[start_utc, end_utc)``: topic, channel, times, first reply, swap sent or not."""
    rows = store.query(
        """
        SELECT c.id, c.topic, c.channel, c.opened_at, c.closed_at,
               (SELECT MIN(e.at) FROM case_entries e
                WHERE e.case_id = c.id AND e.kind = 'reply') AS answered_at,
               EXISTS (SELECT 1 FROM swap_shipments s WHERE s.case_id = c.id) AS swapped
        FROM cases c
        WHERE c.customer = ? AND c.opened_at >= ? AND c.opened_at < ?
        ORDER BY c.opened_at, c.number
        """,
        (customer_number, start_utc, end_utc),
    )
    return [dict(r) for r in rows]


def open_at(store: Store, customer_number: str, moment_utc: str) -> int:
    """Cases opened before ``moment_utc`` and not closed by then."""
    row = store.one(
        "SELECT COUNT(*) FROM cases"
        " WHERE customer = ? AND opened_at < ? AND (closed_at IS NULL OR closed_at >= ?)",
        (customer_number, moment_utc, moment_utc),
    )
    return int(row[0])


def shipments(store: Store, customer_number: str, first_day: str, last_day: str) -> list[dict[str, Any]]:
    """Swap shipments sent on days ``first_day``..``last_day`` (inclusive)."""
    rows = store.query(
        """
        SELECT case_number, serial, model, ship_date, delivery_date, delivered_at
        FROM swap_shipments WHERE customer = ? AND ship_date >= ? AND ship_date <= ?
        ORDER BY ship_date, id
        """,
        (customer_number, first_day, last_day),
    )
    return [dict(r) for r in rows]


def change_orders(
    store: Store, start_utc: str, end_utc: str, customer_number: str | None = None
) -> list[dict[str, Any]]:
    """Change orders received in ``[start_utc, end_utc)``, optionally of one customer."""
    sql = (
        "SELECT o.id, o.customer, cu.name AS customer_name, o.received_at, o.receipt_day, o.due_date,"
        " o.urgent, o.change_count, o.delivered_at, o.delivered_on, c.number AS case_number"
        " FROM change_orders o JOIN customers cu ON cu.number = o.customer"
        " LEFT JOIN cases c ON c.id = o.case_id"
        " WHERE o.received_at >= ? AND o.received_at < ?"
    )
    params: list[Any] = [start_utc, end_utc]
    if customer_number is not None:
        sql += " AND o.customer = ?"
        params.append(customer_number)
    sql += " ORDER BY o.received_at, o.id"
    return [dict(r) for r in store.query(sql, params)]


def tiered_customers(store: Store, tiers: Sequence[str]) -> list[dict[str, Any]]:
    """Customers whose SLA tier is one of ``tiers``, by number."""
    if not tiers:
        return []
    rows = store.query(
        f"SELECT number, name, sla_tier FROM customers WHERE sla_tier IN ({_marks(tiers)}) ORDER BY number",
        list(tiers),
    )
    return [dict(r) for r in rows]


REPORT_ORDER_COLUMNS = (
    "id, customer, quarter, ordered_by, send_to, ordered_at, report_date, fee, currency, recorded_by"
)


def report_order(store: Store, customer_number: str, quarter: str) -> dict[str, Any] | None:
    row = store.one(
        f"SELECT {REPORT_ORDER_COLUMNS} FROM report_orders WHERE customer = ? AND quarter = ?",
        (customer_number, quarter),
    )
    return dict(row) if row else None


def report_orders(store: Store, quarter: str | None = None) -> list[dict[str, Any]]:
    """Report orders (all, or of one quarter) with the customer's name, oldest first."""
    sql = (
        f"SELECT o.{REPORT_ORDER_COLUMNS.replace(', ', ', o.')}, c.name AS customer_name, c.sla_tier AS tier"
        " FROM report_orders o JOIN customers c ON c.number = o.customer"
    )
    params: list[Any] = []
    if quarter is not None:
        sql += " WHERE o.quarter = ?"
        params.append(quarter)
    return [dict(r) for r in store.query(sql + " ORDER BY o.report_date, o.id", params)]


def add_report_order(st: Store, values: dict[str, Any]) -> int:
    """Insert one report order (inside the caller's write transaction); returns its id."""
    cols = list(values)
    cur = st.execute(
        f"INSERT INTO report_orders ({', '.join(cols)}) VALUES ({_marks(cols)})", [values[c] for c in cols]
    )
    return int(cur.lastrowid)

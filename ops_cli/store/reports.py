"""SQL for the reports: fault cases and callbacks of a period, change orders, shipments,
report orders (bronze reports made on order) and the tiered customers.

KPI sums come from :func:`ops_cli.sla.kpi.summarize` (its SQL is in ``store/kpi.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import compress, count
from operator import eq, itemgetter, le
from typing import Any

from ops_cli.store import Store


def customer(store: Store, number: str) -> dict[str, Any] | None:
    row = store.one("SELECT number, name, sla_tier FROM customers WHERE number = ?", (number,))
    return dict(row) if row else None


#: The columns of :func:`cases_opened`'s rows, in order.
CASE_COLUMNS = (
    "id",
    "number",
    "topic",
    "critical",
    "classification",
    "status",
    "subject",
    "sla_tier",
    "opened_at",
    "closed_at",
)
_OPENED, _NUMBER = CASE_COLUMNS.index("opened_at"), CASE_COLUMNS.index("number")


def _opened_where(
    customer_number: str, start_utc: str, end_utc: str, topics: Sequence[str] | None, alias: str
) -> tuple[str, list[Any]]:
    """The filter of :func:`cases_opened` on cases named ``alias``, with its parameters."""
    where = f"{alias}.customer = ? AND {alias}.opened_at >= ? AND {alias}.opened_at < ?"
    params: list[Any] = [customer_number, start_utc, end_utc]
    if topics is not None:
        where += f" AND {alias}.topic IN ({_marks(topics)})"
        params.extend(topics)
    return where, params


def cases_opened(
    store: Store, customer_number: str, start_utc: str, end_utc: str, topics: Sequence[str] | None = None
) -> list[tuple[Any, ...]]:
    """Cases of a customer opened in ``[start_utc, end_utc)``, optionally only these topics:
    plain tuples of :data:`CASE_COLUMNS` (a quarter may hold 100,000 of them)."""
    if topics is not None and not topics:
        return []
    where, params = _opened_where(customer_number, start_utc, end_utc, topics, "c")
    columns = ", ".join(f"c.{name}" for name in CASE_COLUMNS)
    store.backend.large_read(store.conn)
    # in the order of the index (customer, opened_at); cases opened in the same second put in
    # number order here (an ORDER BY on both has SQLite sort every row again: 10% of the read)
    cursor = store.execute(f"SELECT {columns} FROM cases AS c WHERE {where} ORDER BY c.opened_at", params)
    cursor.row_factory = None
    rows = cursor.fetchall()
    _by_time_then_number(rows)
    return rows


def _by_time_then_number(rows: list[tuple[Any, ...]]) -> None:
    """Sort rows of :data:`CASE_COLUMNS` by opening time, then number, in place. They come in
    time order (as the store orders text): when that is Python's order too, only the runs of
    cases opened in the same second are sorted (a few hundred in 100,000 cases), else all."""
    opened = list(map(itemgetter(_OPENED), rows))
    following = opened[1:]
    if not all(map(le, opened, following)):
        rows.sort(key=itemgetter(_OPENED, _NUMBER))
        return
    by_number = itemgetter(_NUMBER)
    start = end = -1
    for i in compress(count(), map(eq, opened, following)):  # rows i and i + 1 opened together
        if i != end:
            if end > start:
                rows[start : end + 1] = sorted(rows[start : end + 1], key=by_number)
            start = i
        end = i + 1
    if end > start:
        rows[start : end + 1] = sorted(rows[start : end + 1], key=by_number)


def _by_case(store: Store, sql: str, case_ids: Sequence[int]) -> list[Any]:
    """``sql`` (with one ``{marks}``) for ``case_ids`` in chunks of 500: primary-key and index
    lookups that grow with the report's cases only (a join from the cases' side walks them
    all, one from the callbacks' side every callback on record)."""
    ids, found = list(case_ids), []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        found.extend(store.query(sql.format(marks=_marks(chunk)), chunk))
    return found


def callbacks_recorded(store: Store, case_ids: Sequence[int]) -> dict[int, int]:
    """How many callbacks with a due time each case has on record (the report's old
    ``callbacks`` figure, kept for the scripts that read it)."""
    rows = _by_case(
        store,
        "SELECT case_id, COUNT(*) FROM case_callbacks WHERE due_at IS NOT NULL"
        " AND case_id IN ({marks}) GROUP BY case_id",
        case_ids,
    )
    return {r[0]: r[1] for r in rows}


def schedule_histories(
    store: Store, case_ids: Sequence[int]
) -> tuple[dict[int, list[Any]], dict[int, list[str]]]:
    """The schedule events (``at``, ``event``, ``detail``) and the times callbacks were made of
    these cases, oldest first: what ``store.cases.schedule_events`` and ``callbacks_made``
    give one case, for all of a report's cases at once."""
    events: dict[int, list[Any]] = {}
    for r in _by_case(
        store,
        "SELECT case_id, at, event, detail FROM case_events WHERE case_id IN ({marks})"
        " AND event IN ('opened', 'reopened', 'closed', 'callback-interval') ORDER BY case_id, at, id",
        case_ids,
    ):
        events.setdefault(r["case_id"], []).append(r)
    made: dict[int, list[str]] = {}
    for r in _by_case(
        store,
        "SELECT case_id, made_at FROM case_callbacks WHERE case_id IN ({marks})"
        " ORDER BY case_id, made_at, id",
        case_ids,
    ):
        made.setdefault(r["case_id"], []).append(r["made_at"])
    return events, made


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

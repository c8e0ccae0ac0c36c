"""SQL for the reports: sums of KPI counts, fault cases and callbacks of a period.

Every query reads only; rates are computed by the caller from the sums
(:func:`ops_cli.kpi.rates`), never averaged here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ops_cli.store import Store


def customer(store: Store, number: str) -> dict[str, Any] | None:
    row = store.one("SELECT number, name, sla_tier FROM customers WHERE number = ?", (number,))
    return dict(row) if row else None


def kpi_sums(store: Store, customer_number: str, first_month: str, after_month: str) -> list[dict[str, Any]]:
    """Raw counts summed per zone and month for months ``first_month <= m < after_month``.

    ``period`` is 'YYYY-MM' or 'YYYY-MM-DD'; both sort as text inside the
    month range, so one range condition takes day and month rows alike.
    """
    rows = store.query(
        """
        SELECT zone, substr(period, 1, 7) AS month,
               SUM(attempts) AS attempts, SUM(setups_ok) AS setups_ok,
               SUM(established) AS established, SUM(terminated_ok) AS terminated_ok,
               COUNT(*) AS rows
        FROM kpi
        WHERE customer = ? AND period >= ? AND period < ?
        GROUP BY zone, substr(period, 1, 7)
        ORDER BY zone, month
        """,
        (customer_number, first_month, after_month),
    )
    return [dict(r) for r in rows]


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


def callbacks_of_cases(
    store: Store, customer_number: str, start_utc: str, end_utc: str, topics: Sequence[str]
) -> list[dict[str, Any]]:
    """Callbacks with a due time on the cases :func:`cases_opened` selects."""
    if not topics:
        return []
    rows = store.query(
        f"""
        SELECT cb.case_id, cb.due_at, cb.made_at
        FROM case_callbacks cb JOIN cases c ON c.id = cb.case_id
        WHERE c.customer = ? AND c.opened_at >= ? AND c.opened_at < ?
          AND c.topic IN ({', '.join('?' for _ in topics)})
          AND cb.due_at IS NOT NULL
        ORDER BY cb.case_id, cb.due_at, cb.made_at
        """,
        [customer_number, start_utc, end_utc, *topics],
    )
    return [dict(r) for r in rows]

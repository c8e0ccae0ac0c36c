"""SQL for KPI counts per customer, zone and day or month."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from ops_cli.store import Store

KPI_COLUMNS = ("customer", "zone", "period", "attempts", "setups_ok", "established", "terminated_ok")


def customer_numbers(store: Store, numbers: Iterable[str]) -> set[str]:
    """Which of ``numbers`` are known customers."""
    wanted = sorted(set(numbers))
    found: set[str] = set()
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        marks = ",".join("?" * len(chunk))
        found.update(
            r[0] for r in store.query(f"SELECT number FROM customers WHERE number IN ({marks})", chunk)
        )
    return found


def kpi_existing(
    store: Store, customers: Sequence[str]
) -> dict[tuple[str, str, str], tuple[int, int, int, int]]:
    """Every stored KPI row of these customers: (customer, zone, period) -> counts."""
    out: dict[tuple[str, str, str], tuple[int, int, int, int]] = {}
    for customer in sorted(set(customers)):
        for r in store.query(
            "SELECT customer, zone, period, attempts, setups_ok, established, terminated_ok"
            " FROM kpi WHERE customer = ?",
            (customer,),
        ):
            out[(r[0], r[1], r[2])] = (r[3], r[4], r[5], r[6])
    return out


def kpi_upsert(store: Store, rows: Sequence[tuple[Any, ...]], imported_at: str) -> None:
    """Insert or replace rows of (customer, zone, period, attempts, setups_ok, established, terminated_ok)."""
    store.executemany(
        "INSERT INTO kpi (customer, zone, period, attempts, setups_ok, established, terminated_ok,"
        " imported_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (customer, zone, period) DO UPDATE SET"
        " attempts = excluded.attempts, setups_ok = excluded.setups_ok,"
        " established = excluded.established,"
        " terminated_ok = excluded.terminated_ok, imported_at = excluded.imported_at",
        [(*row, imported_at) for row in rows],
    )


def _range_where(
    customer: str | None, zone: str | None, days: tuple[str, str] | None, months: tuple[str, str] | None
) -> tuple[str, list[Any]]:
    """WHERE clause: day rows inside ``days`` (inclusive) or month rows inside ``months``."""
    clauses: list[str] = []
    params: list[Any] = []
    if customer is not None:
        clauses.append("customer = ?")
        params.append(customer)
    if zone is not None:
        clauses.append("zone = ?")
        params.append(zone)
    if days is not None or months is not None:
        parts = []
        if days is not None:
            parts.append("(length(period) = 10 AND period BETWEEN ? AND ?)")
            params.extend(days)
        if months is not None:
            parts.append("(length(period) = 7 AND period BETWEEN ? AND ?)")
            params.extend(months)
        clauses.append("(" + " OR ".join(parts) + ")")
    where = " WHERE " + " AND ".join(clauses) if clauses else ""
    return where, params


def kpi_rows(
    store: Store,
    customer: str | None = None,
    zone: str | None = None,
    days: tuple[str, str] | None = None,
    months: tuple[str, str] | None = None,
) -> list[sqlite3.Row]:
    where, params = _range_where(customer, zone, days, months)
    return store.query(
        "SELECT customer, zone, period, attempts, setups_ok, established, terminated_ok, imported_at FROM kpi"
        + where
        + " ORDER BY customer, zone, period",
        params,
    )


def kpi_sums_by_zone_month(
    store: Store, customer: str, days: tuple[str, str] | None, months: tuple[str, str] | None
) -> list[sqlite3.Row]:
    """Sums of the raw counts per zone and month ('YYYY-MM') in the range."""
    if days is None and months is None:
        return []
    where, params = _range_where(customer, None, days, months)
    return store.query(
        "SELECT zone, substr(period, 1, 7) AS month, SUM(attempts) AS attempts, SUM(setups_ok) AS setups_ok,"
        " SUM(established) AS established, SUM(terminated_ok) AS terminated_ok FROM kpi"
        + where
        + " GROUP BY zone, substr(period, 1, 7) ORDER BY zone, month",
        params,
    )


def kpi_rename_zones(store: Store, renames: Iterable[tuple[str, str, str]]) -> None:
    """Give a customer's stored KPI rows their zone's normalised (NFC) name: (new zone, customer, old zone).

    Rows imported before zone names were normalised may spell a zone in NFD; the next import
    that names the zone renames every period of it, so one zone is one zone in the reports.
    """
    store.executemany("UPDATE kpi SET zone = ? WHERE customer = ? AND zone = ?", renames)

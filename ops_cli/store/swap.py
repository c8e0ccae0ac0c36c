"""SQL for swap stock: units, shipments, repairs, per-model targets and freight billing marks."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date

from ops_cli import clock
from ops_cli.store import Store

# ---------------------------------------------------------------- units


def unit(store: Store, serial: str) -> sqlite3.Row | None:
    return store.one("SELECT * FROM swap_units WHERE serial = ?", (serial,))


def units_by_serial(store: Store, serials: Sequence[str]) -> dict[str, sqlite3.Row]:
    found: dict[str, sqlite3.Row] = {}
    chunk = 500
    for i in range(0, len(serials), chunk):
        part = list(serials[i : i + chunk])
        marks = ", ".join("?" for _ in part)
        for row in store.query(f"SELECT * FROM swap_units WHERE serial IN ({marks})", part):
            found[row["serial"]] = row
    return found


def insert_units(store: Store, rows: Iterable[tuple[str, str, str, str, str, str, str]]) -> None:
    """Rows of (serial, customer, model, state, origin, added_at, updated_at)."""
    store.executemany(
        "INSERT INTO swap_units (serial, customer, model, state, origin, added_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def set_unit_state(store: Store, serial: str, state: str, at: str) -> None:
    store.execute("UPDATE swap_units SET state = ?, updated_at = ? WHERE serial = ?", (state, at, serial))


def list_units(
    store: Store, customer: str | None = None, state: str | None = None, model: str | None = None
) -> list[sqlite3.Row]:
    where, params = [], []
    if customer:
        where.append("u.customer = ?")
        params.append(customer)
    if state:
        where.append("u.state = ?")
        params.append(state)
    if model:
        where.append("lower(u.model) = lower(?)")
        params.append(model)
    sql = (
        "SELECT u.*, (SELECT s.case_number FROM swap_shipments s WHERE s.serial = u.serial"
        " ORDER BY s.id DESC LIMIT 1) AS last_case FROM swap_units u"
    )
    if where:
        sql += " WHERE " + " AND ".join(where)
    return store.query(sql + " ORDER BY u.customer, u.model, u.serial", params)


def pick_unit(store: Store, customer: str, model: str | None) -> sqlite3.Row | None:
    """An in-stock unit: of ``model``, else of the model with most units in stock (first added first)."""
    if model:
        return store.one(
            "SELECT * FROM swap_units WHERE customer = ? AND state = 'in_stock' AND lower(model) = lower(?)"
            " ORDER BY added_at, serial LIMIT 1",
            (customer, model),
        )
    best = store.one(
        "SELECT model, COUNT(*) AS n FROM swap_units WHERE customer = ? AND state = 'in_stock'"
        " GROUP BY model ORDER BY n DESC, model LIMIT 1",
        (customer,),
    )
    if best is None:
        return None
    return pick_unit(store, customer, best["model"])


def stock_counts(store: Store, customer: str | None = None) -> list[sqlite3.Row]:
    """Per customer and model (one grouped query, all customers or one): units in stock and
    units that belong to the stock (not kept by users). Retired units are left out."""
    where, params = ("AND customer = ?", [customer]) if customer else ("", [])
    return store.query(
        "SELECT customer, model,"
        " SUM(CASE WHEN state = 'in_stock' THEN 1 ELSE 0 END) AS in_stock,"
        " SUM(CASE WHEN state IN ('in_stock', 'on_loan', 'in_repair') THEN 1 ELSE 0 END) AS owned"
        f" FROM swap_units WHERE state <> 'retired' {where}"
        " GROUP BY customer, model ORDER BY customer, model",
        params,
    )


def stock_customers(store: Store, customer: str | None) -> list[sqlite3.Row]:
    """Customers the stock view covers: prof customers and any customer holding units."""
    if customer:
        return store.query("SELECT * FROM customers WHERE number = ?", (customer,))
    return store.query(
        "SELECT * FROM customers WHERE service_level = 'prof'"
        " OR number IN (SELECT customer FROM swap_units) ORDER BY number"
    )


def customer_models(store: Store, customer: str) -> list[str]:
    """The model names a customer's stock already uses (its units and its per-model targets)."""
    rows = store.query(
        "SELECT model FROM swap_units WHERE customer = ?"
        " UNION SELECT model FROM swap_model_targets WHERE customer = ? ORDER BY model",
        (customer, customer),
    )
    return [row["model"] for row in rows]


# ---------------------------------------------------------------- targets


def model_targets(store: Store, customer: str) -> dict[str, int]:
    rows = store.query("SELECT model, target FROM swap_model_targets WHERE customer = ?", (customer,))
    return {row["model"]: row["target"] for row in rows}


def model_targets_by_customer(store: Store, customer: str | None = None) -> dict[str, dict[str, int]]:
    """Per-model targets of every customer (or one): customer -> {model: target}, one query."""
    where, params = (" WHERE customer = ?", [customer]) if customer else ("", [])
    out: dict[str, dict[str, int]] = {}
    for row in store.query("SELECT customer, model, target FROM swap_model_targets" + where, params):
        out.setdefault(row["customer"], {})[row["model"]] = row["target"]
    return out


def set_model_target(store: Store, customer: str, model: str, target: int | None) -> None:
    store.execute("DELETE FROM swap_model_targets WHERE customer = ? AND model = ?", (customer, model))
    if target is not None:
        store.execute(
            "INSERT INTO swap_model_targets (customer, model, target) VALUES (?, ?, ?)",
            (customer, model, target),
        )


# ---------------------------------------------------------------- cases


def first_open_case(store: Store, customer: str) -> sqlite3.Row | None:
    return store.one(
        "SELECT number, opened_at FROM cases WHERE customer = ? AND status <> 'closed' ORDER BY id LIMIT 1",
        (customer,),
    )


def case_by_number(store: Store, number: str) -> sqlite3.Row | None:
    return store.one("SELECT id, number, customer, status, opened_at FROM cases WHERE number = ?", (number,))


# ---------------------------------------------------------------- shipments


def insert_shipment(store: Store, values: dict) -> int:
    cols = list(values)
    cur = store.execute(
        f"INSERT INTO swap_shipments ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
        [values[c] for c in cols],
    )
    return int(cur.lastrowid)


def shipment(store: Store, shipment_id: int) -> sqlite3.Row | None:
    return store.one("SELECT * FROM swap_shipments WHERE id = ?", (shipment_id,))


def open_shipment_of(store: Store, serial: str) -> sqlite3.Row | None:
    """The latest shipment of ``serial`` not yet returned."""
    return store.one(
        "SELECT * FROM swap_shipments WHERE serial = ? AND returned_at IS NULL ORDER BY id DESC LIMIT 1",
        (serial,),
    )


def last_shipment_of(store: Store, serial: str) -> sqlite3.Row | None:
    return store.one("SELECT * FROM swap_shipments WHERE serial = ? ORDER BY id DESC LIMIT 1", (serial,))


def update_shipment(store: Store, shipment_id: int, **values: object) -> None:
    sets = ", ".join(f"{k} = ?" for k in values)
    store.execute(f"UPDATE swap_shipments SET {sets} WHERE id = ?", [*values.values(), shipment_id])


def list_shipments(store: Store, customer: str | None = None, month: str | None = None) -> list[sqlite3.Row]:
    where, params = [], []
    if customer:
        where.append("customer = ?")
        params.append(customer)
    if month:
        where.append("ship_date >= ? AND ship_date < ?")
        params.extend(month_bounds(month))
    sql = "SELECT * FROM swap_shipments"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return store.query(sql + " ORDER BY ship_date, id", params)


# ---------------------------------------------------------------- repairs


def insert_repair(
    store: Store, serial: str, customer: str, shipment_id: int | None, at: str, oow: bool
) -> int:
    cur = store.execute(
        "INSERT INTO swap_repairs (serial, customer, shipment_id, sent_at, out_of_warranty)"
        " VALUES (?, ?, ?, ?, ?)",
        (serial, customer, shipment_id, at, 1 if oow else 0),
    )
    return int(cur.lastrowid)


def open_repair_of(store: Store, serial: str) -> sqlite3.Row | None:
    return store.one(
        "SELECT * FROM swap_repairs WHERE serial = ? AND done_at IS NULL ORDER BY id DESC LIMIT 1", (serial,)
    )


def update_repair(store: Store, repair_id: int, **values: object) -> None:
    sets = ", ".join(f"{k} = ?" for k in values)
    store.execute(f"UPDATE swap_repairs SET {sets} WHERE id = ?", [*values.values(), repair_id])


# ---------------------------------------------------------------- freight


def month_bounds(month: str) -> tuple[str, str]:
    """``YYYY-MM`` -> (first day, first day of the next month) as date text."""
    year, mon = clock.parse_month(month)
    return date(year, mon, 1).isoformat(), date(*clock.next_month(year, mon), 1).isoformat()


def freight_shipments(store: Store, month: str) -> list[sqlite3.Row]:
    """Shipments sent in the month (by ship date) with the customer's name."""
    lo, hi = month_bounds(month)
    return store.query(
        "SELECT s.*, c.name AS customer_name FROM swap_shipments s JOIN customers c ON c.number = s.customer"
        " WHERE s.ship_date >= ? AND s.ship_date < ? ORDER BY s.customer, s.ship_date, s.id",
        (lo, hi),
    )


def freight_repairs(store: Store, first_utc: str, next_utc: str) -> list[sqlite3.Row]:
    """Out-of-warranty repairs sent to the workshop in [first, next) (UTC times)."""
    return store.query(
        "SELECT r.*, c.name AS customer_name FROM swap_repairs r JOIN customers c ON c.number = r.customer"
        " WHERE r.out_of_warranty = 1 AND r.sent_at >= ? AND r.sent_at < ?"
        " AND (r.shipment_id IS NULL OR r.shipment_id NOT IN"
        "      (SELECT id FROM swap_shipments WHERE out_of_warranty = 1))"
        " ORDER BY r.customer, r.sent_at",
        (first_utc, next_utc),
    )


def freight_bills(store: Store, month: str) -> list[sqlite3.Row]:
    return store.query("SELECT * FROM swap_freight_bills WHERE month = ? ORDER BY customer", (month,))


def replace_freight_bills(store: Store, month: str, rows: Sequence[dict]) -> None:
    store.execute("DELETE FROM swap_freight_bills WHERE month = ?", (month,))
    for row in rows:
        cols = list(row)
        store.execute(
            f"INSERT INTO swap_freight_bills ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
            [row[c] for c in cols],
        )

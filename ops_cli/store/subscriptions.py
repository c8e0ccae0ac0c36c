"""SQL for subscriptions and ISSI/TEI change orders."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from operator import itemgetter
from typing import Any

from ops_cli.store import Store, changes
from ops_cli.store.audit import audit_times

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


#: ``issi`` in a set of ISSIs passed as ONE parameter, a JSON array (:func:`issi_set`): one
#: statement whatever the number of ISSIs (PostgreSQL: ``issi = ANY(?)``, see store/pg_sql.py).
_IN_SET = "issi IN (SELECT value FROM json_each(?))"


def issi_set(issis: Iterable[int]) -> str:
    """The parameter of an ISSI set (:data:`_IN_SET`)."""
    return json.dumps([int(i) for i in issis])


def get_set(store: Store, issis: str) -> list[sqlite3.Row]:
    """The subscriptions of the ISSI set ``issis`` (:func:`issi_set`), in one statement: their
    issi, customer, tei, msisdn, kind and status."""
    return store.query(
        f"SELECT issi, customer, tei, msisdn, kind, status FROM subscriptions WHERE {_IN_SET}", (issis,)
    )


def audit_status(
    store: Store,
    actor: str,
    at: datetime | None,
    action: str,
    issis: str,
    target: str,
    befores: dict[str, str],
    afters: dict[str, str],
) -> int:
    """One audit record ``sub:ISSI`` for every subscription of the ISSI set ``issis`` whose status
    is not ``target``, in ONE statement, in ISSI order (run it before :func:`set_status_set`):
    the records ``audit_many`` would write (same clocks, changeset and JSON texts).

    The JSON images are the texts given: the before by the row's status (``befores``), the
    after by its kind (``afters``: "standard", "standby")."""
    real, business = audit_times(at)
    changeset = changes.current(store, actor, business)  # None: no changesets recorded
    cases = " ".join("WHEN ? THEN ?" for _ in befores)
    return store.execute(
        "INSERT INTO audit (at, business_at, origin, actor, action, object, before, after, changeset_id)"
        " SELECT ?, ?, ?, ?, ?, 'sub:' || CAST(s.issi AS TEXT),"
        f" CASE s.status {cases} END,"
        " CASE s.kind WHEN 'standby' THEN ? ELSE ? END, ?"
        f" FROM subscriptions AS s WHERE s.{_IN_SET} AND s.status <> ? ORDER BY s.issi",
        (
            real,
            business,
            store.origin,
            actor,
            action,
            *(v for pair in befores.items() for v in pair),
            afters["standby"],
            afters["standard"],
            changeset,
            issis,
            target,
        ),
    ).rowcount


def audit_terminate(store: Store, actor: str, at: datetime | None, issis: str) -> int:
    """One ``sub.terminate`` audit record for every subscription of the ISSI set ``issis`` not
    terminated yet, in ONE statement, in ISSI order (run it before :func:`set_status_set`): the
    status and TEI before, the TEI released after, as ``audit_many`` writes them (keys sorted,
    ``json_quote`` writes a TEI, its hex digits, or null, as ``json.dumps`` does)."""
    real, business = audit_times(at)
    changeset = changes.current(store, actor, business)
    return store.execute(
        "INSERT INTO audit (at, business_at, origin, actor, action, object, before, after, changeset_id)"
        " SELECT ?, ?, ?, ?, 'sub.terminate', 'sub:' || CAST(s.issi AS TEXT),"
        " '{\"status\": ' || json_quote(s.status) || ', \"tei\": ' || json_quote(s.tei) || '}',"
        ' \'{"reset_confirmed": true, "status": "terminated", "tei_released": \''
        " || json_quote(s.tei) || '}', ?"
        f" FROM subscriptions AS s WHERE s.{_IN_SET} AND s.status <> 'terminated' ORDER BY s.issi",
        (real, business, store.origin, actor, changeset, issis),
    ).rowcount


def set_status_set(store: Store, issis: str, status: str, at: str) -> int:
    """``status`` for every subscription of the ISSI set ``issis`` that has another one, in one
    UPDATE, the changed rows' images for ``ops undo`` taken set-based; how many changed."""
    with changes.bulk(store, "subscriptions") as rows:
        return rows.update_known(
            f"UPDATE subscriptions SET status = ?, updated_at = ? WHERE {_IN_SET} AND status <> ?",
            (status, at, issis, status),
            f"FROM subscriptions AS r WHERE r.{_IN_SET} AND r.status <> ?",
            (issis, status),
        )


def _keyed(store: Store, sql: str, keys: Iterable[Any]) -> list[sqlite3.Row]:
    """``sql`` (with one ``{marks}``) run for ``keys`` in chunks of 500: cost grows with the keys only."""
    keys = list(dict.fromkeys(k for k in keys if k is not None))
    found: list[sqlite3.Row] = []
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        found.extend(store.query(sql.format(marks=",".join("?" * len(chunk))), chunk))
    return found


def facts_by_issi(store: Store, issis: Iterable[int]) -> list[sqlite3.Row]:
    """Key facts of the subscriptions with these ISSIs (primary-key lookups)."""
    sql = "SELECT issi, customer, tei, status FROM subscriptions WHERE issi IN ({marks})"
    return _keyed(store, sql, issis)


def live_by_tei(store: Store, teis: Iterable[str]) -> list[sqlite3.Row]:
    """The live subscriptions holding these TEIs (the partial index ``subscriptions_live_tei``)."""
    return _keyed(
        store,
        "SELECT issi, customer, tei, status FROM subscriptions"
        " WHERE tei IN ({marks}) AND tei IS NOT NULL AND status <> 'terminated'",
        teis,
    )


def retired_among(store: Store, issis: Iterable[int]) -> set[int]:
    """Which of these ISSIs were given up in an ISSI change."""
    return {int(r[0]) for r in _keyed(store, "SELECT issi FROM retired_issis WHERE issi IN ({marks})", issis)}


def select(store: Store, customer: str | None = None, status: str | None = None) -> Iterable[sqlite3.Row]:
    """Subscriptions by customer and ISSI (the index ``subscriptions_customer`` holds that
    order); a cursor, read row by row."""
    return store.execute(*_filtered("*", customer, status))


#: The columns of a listing, in the order ``ops sub list`` prints them.
LIST_COLUMNS = ("issi", "tei", "customer", "kind", "status", "msisdn")


def listing(store: Store, customer: str | None = None, status: str | None = None) -> sqlite3.Cursor:
    """:func:`select` for a listing: only :data:`LIST_COLUMNS`, rows as plain tuples."""
    return _listing(store, ", ".join(LIST_COLUMNS), customer, status)


# One compact JSON object a row, as the output's C encoder writes it (", " and ": ", text
# as it is): json_quote escapes text exactly so, and writes an INTEGER as Python does
# (every column here is an INTEGER or TEXT one).
_JSON_OBJECT = (
    "'{' || " + " || ', ' || ".join(f"'\"{c}\": ' || json_quote({c})" for c in LIST_COLUMNS) + " || '}'"
)


def listing_json(store: Store, customer: str | None = None, status: str | None = None) -> Iterator[str]:
    """The rows of :func:`listing` as JSON texts ``{"issi": 2010001, "tei": ...}``."""
    return map(itemgetter(0), _listing(store, _JSON_OBJECT, customer, status))


def _listing(store: Store, what: str, customer: str | None, status: str | None) -> sqlite3.Cursor:
    cursor = store.execute(*_filtered(what, customer, status))
    cursor.row_factory = None
    return cursor


def _filtered(what: str, customer: str | None, status: str | None) -> tuple[str, list[str]]:
    """The query of ``what`` over the subscriptions of a customer and/or a status, in listing
    order, and its parameters."""
    where, params = [], []
    if customer is not None:
        where.append("customer = ?")
        params.append(customer)
    if status is not None:
        where.append("status = ?")
        params.append(status)
    sql = f"SELECT {what} FROM subscriptions"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return sql + " ORDER BY customer, issi", params


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


# ------------------------------------------------------------------ change orders
def insert_order(store: Store, values: dict[str, Any]) -> int:
    """A change order; ``applied_at`` NULL until its changes are made (`sub deliver` or --apply-now)."""
    cursor = store.execute(
        "INSERT INTO change_orders (case_id, customer, received_at, receipt_day, due_date, urgent,"
        " change_count, created_by, applied_at) VALUES (:case_id, :customer, :received_at, :receipt_day,"
        " :due_date, :urgent, :change_count, :created_by, NULL)",
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


def mark_delivered(
    store: Store, order_id: int, at: str, on: str, by: str, table: str = "change_orders"
) -> None:
    assert table in ("change_orders", "service_orders")
    store.execute(
        f"UPDATE {table} SET delivered_at = ?, delivered_on = ?, delivered_by = ? WHERE id = ?",
        (at, on, by, order_id),
    )


def mark_applied(store: Store, order_id: int, at: str) -> None:
    store.execute("UPDATE change_orders SET applied_at = ? WHERE id = ?", (at, order_id))


def pending_claims(store: Store) -> list[sqlite3.Row]:
    """Items of change orders not yet applied: the ISSIs, new ISSIs and new TEIs they claim."""
    return store.query(
        "SELECT i.issi, i.new_issi, i.new_tei, c.number AS case_number, o.customer"
        " FROM change_order_items i JOIN change_orders o ON o.id = i.order_id"
        " JOIN cases c ON c.id = o.case_id WHERE o.applied_at IS NULL"
    )


# ------------------------------------------------------------------ retired ISSIs
def retired_issis(store: Store) -> set[int]:
    """Every ISSI given up in an ISSI change (never to be used again)."""
    return {int(r[0]) for r in store.query("SELECT issi FROM retired_issis")}


def is_retired(store: Store, issi: int) -> bool:
    return store.one("SELECT 1 FROM retired_issis WHERE issi = ?", (issi,)) is not None


def retire_issis(store: Store, rows: Iterable[tuple[int, str, int, int | None]], at: str) -> None:
    """Record given-up ISSIs: (issi, customer, replaced_by, order_id)."""
    store.executemany(
        "INSERT INTO retired_issis (issi, customer, replaced_by, order_id, retired_at)"
        " VALUES (?, ?, ?, ?, ?)",
        ((issi, customer, new, order, at) for issi, customer, new, order in rows),
    )


# ------------------------------------------------------------------ actors and cases
def customers_of(store: Store, email: str) -> set[str]:
    """The customers whose roster lists ``email`` (lower case)."""
    return {r[0] for r in store.query("SELECT customer FROM roster_entries WHERE email = ?", (email,))}


def case_status(store: Store, case_id: int) -> str | None:
    row = store.one("SELECT status FROM cases WHERE id = ?", (case_id,))
    return row[0] if row else None


def set_addons(store: Store, pairs: Iterable[tuple[str, int]], at: str) -> None:
    store.executemany(
        "UPDATE subscriptions SET addons = ?, updated_at = ? WHERE issi = ?",
        ((addons, at, issi) for addons, issi in pairs),
    )


# ------------------------------------------------------------------ service orders (new, add-ons)
_SERVICE_SELECT = "SELECT o.*, c.number AS case_number FROM service_orders o JOIN cases c ON c.id = o.case_id"


def insert_service_order(store: Store, values: dict[str, Any]) -> int:
    cursor = store.execute(
        "INSERT INTO service_orders (case_id, customer, kind, quantity, detail, received_at, receipt_day,"
        " due_date, created_by) VALUES (:case_id, :customer, :kind, :quantity, :detail, :received_at,"
        " :receipt_day, :due_date, :created_by)",
        values,
    )
    return int(cursor.lastrowid)


def service_orders(store: Store, customer: str | None = None) -> list[sqlite3.Row]:
    if customer is None:
        return store.query(_SERVICE_SELECT + " ORDER BY o.received_at, o.id")
    return store.query(_SERVICE_SELECT + " WHERE o.customer = ? ORDER BY o.received_at, o.id", (customer,))


def pending_addon_orders(store: Store, customer: str) -> list[sqlite3.Row]:
    """The customer's add-on orders not yet delivered (their ``detail`` JSON names service and ISSIs)."""
    return store.query(
        _SERVICE_SELECT + " WHERE o.customer = ? AND o.delivered_at IS NULL AND o.kind IN"
        " ('addon-add', 'addon-remove') ORDER BY o.received_at, o.id",
        (customer,),
    )


def service_order_by_case(store: Store, case_number: str) -> sqlite3.Row | None:
    return store.one(_SERVICE_SELECT + " WHERE c.number = ?", (case_number,))


def case_id(store: Store, number: str) -> int:
    return int(store.one("SELECT id FROM cases WHERE number = ?", (number,))["id"])

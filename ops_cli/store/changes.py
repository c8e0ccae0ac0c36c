"""Changesets and row images: the SQL behind `ops undo` and the changeset list.

Every write transaction (:meth:`Store.write`, outermost level) that changes a row gets one
``changesets`` row, made lazily by the first captured row or audit record, so a transaction
that changes nothing leaves none. The row images come from TEMP triggers that this module
creates on the connection (generated from ``PRAGMA table_info``, re-made when the schema
version moves), AFTER INSERT/UPDATE/DELETE on every domain table: they live with the
connection, never in the store file, and stay out of the migrations' way.

Bulk imports record their rows set-based instead (:func:`bulk`, :class:`Bulk`: one
``INSERT ... SELECT`` into ``row_changes`` per statement, the table's triggers standing aside
meanwhile): the same row changes in the same form, without a trigger firing per row.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from ops_cli.store import pg_changes as _pg
from ops_cli.store.recorded_command import command_line
from ops_cli.store.tables import INFO as _INFO
from ops_cli.store.tables import columns, primary_key  # noqa: F401  (names kept here)
from ops_cli.store.tables import image_sql as _image
from ops_cli.store.tables import literal as _lit
from ops_cli.store.tables import quote as _q
from ops_cli.store.tables import table_info as _table_info  # noqa: F401  (a name kept here)

#: Tables whose rows are never captured nor undone: the audit and changeset records
#: themselves, the migration ledger, store facts, the support-code lock-out counter, and the
#: case-number counter (an undone case's number is never given to another case).
NOT_CAPTURED = frozenset(
    {"audit", "changesets", "row_changes", "schema_migrations", "meta", "sla_code_tries", "case_sequences"}
)

_TEMP_TABLES = (
    "CREATE TEMP TABLE IF NOT EXISTS ops_ctx (at TEXT, command TEXT, origin TEXT)",
    "CREATE TEMP TABLE IF NOT EXISTS ops_cs (id INTEGER)",
    # Tables whose rows a bulk statement records itself (set-based, :class:`Bulk`): their
    # per-row triggers stand aside while a row names them.
    "CREATE TEMP TABLE IF NOT EXISTS ops_bulk (tbl TEXT PRIMARY KEY)",
)

# The lazy changeset: made by the first captured row of the transaction.
_ENSURE = """
    INSERT INTO changesets (at, command, origin)
    SELECT coalesce(x.at, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')), x.command, x.origin
    FROM (SELECT 1) LEFT JOIN temp.ops_ctx AS x
    WHERE NOT EXISTS (SELECT 1 FROM temp.ops_cs);
    INSERT INTO ops_cs (id) SELECT max(id) FROM main.changesets
    WHERE NOT EXISTS (SELECT 1 FROM temp.ops_cs);
"""


def captured_tables(conn: sqlite3.Connection) -> list[str]:
    """The domain tables: not the records above, not virtual tables (full-text indexes) nor
    their shadow tables, not WITHOUT ROWID tables (no rowid to follow a row by)."""
    rows = conn.execute(
        "SELECT name, sql FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " ORDER BY name"
    ).fetchall()
    virtual = [name for name, sql in rows if "VIRTUAL TABLE" in (sql or "").upper()]
    return [
        name
        for name, sql in rows
        if name not in NOT_CAPTURED
        and name not in virtual
        and not any(name.startswith(v + "_") for v in virtual)
        and not re.search(r"\)\s*WITHOUT\s+ROWID", sql or "", re.IGNORECASE)
    ]


def trigger_sql(table: str, cols: list[str]) -> list[str]:
    """The three capture triggers of one table (each stands aside while :class:`Bulk` records
    the table's rows itself)."""
    name, lit = _q(table), _lit(table)
    log = "INSERT INTO row_changes (changeset_id, tbl, op, rid, old_rid, before, after) VALUES"
    cs = "(SELECT id FROM temp.ops_cs)"
    changed = " OR ".join(f"OLD.{_q(c)} IS NOT NEW.{_q(c)}" for c in cols) + " OR OLD.rowid IS NOT NEW.rowid"
    per_row = f"NOT EXISTS (SELECT 1 FROM temp.ops_bulk WHERE tbl = {lit})"
    return [
        f"CREATE TEMP TRIGGER {_q('ops_capture_ins_' + table)} AFTER INSERT ON main.{name}"
        f" WHEN {per_row} BEGIN {_ENSURE}"
        f" {log} ({cs}, {lit}, 'insert', NEW.rowid, NULL, NULL, {_image(cols, 'NEW')}); END",
        f"CREATE TEMP TRIGGER {_q('ops_capture_upd_' + table)} AFTER UPDATE ON main.{name}"
        f" WHEN ({changed}) AND {per_row} BEGIN {_ENSURE}"
        f" {log} ({cs}, {lit}, 'update', NEW.rowid,"
        f" CASE WHEN OLD.rowid IS NOT NEW.rowid THEN OLD.rowid END,"
        f" {_image(cols, 'OLD')}, {_image(cols, 'NEW')}); END",
        f"CREATE TEMP TRIGGER {_q('ops_capture_del_' + table)} AFTER DELETE ON main.{name}"
        f" WHEN {per_row} BEGIN {_ENSURE}"
        f" {log} ({cs}, {lit}, 'delete', OLD.rowid, NULL, {_image(cols, 'OLD')}, NULL); END",
    ]


def audit_trigger_sql() -> str:
    """Audit records written by a bulk statement (not :meth:`Store.audit`) get the changeset too."""
    return (
        "CREATE TEMP TRIGGER ops_capture_audit AFTER INSERT ON main.audit WHEN NEW.changeset_id IS NULL"
        f" BEGIN {_ENSURE}"
        " UPDATE changesets SET actor = coalesce(actor, NEW.actor), origin = coalesce(origin, NEW.origin),"
        " business_at = coalesce(business_at, NEW.business_at) WHERE id = (SELECT id FROM temp.ops_cs);"
        " UPDATE audit SET changeset_id = (SELECT id FROM temp.ops_cs) WHERE id = NEW.id; END"
    )


def _has_changesets(conn: sqlite3.Connection) -> bool:
    return (
        conn.execute(
            "SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = 'changesets'"
        ).fetchone()
        is not None
    )


def install(store: Any) -> bool:
    """(Re)create the capture triggers when the store's schema moved; False without changesets."""
    if store.is_postgres:
        return _pg.install(store, NOT_CAPTURED)
    conn = store.conn
    version = conn.execute("PRAGMA main.schema_version").fetchone()[0]
    if store.__dict__.get("_capture_version") == version:
        return True
    if not _has_changesets(conn):
        return False
    for key in [k for k in _INFO if k[0] == id(conn)]:
        del _INFO[key]  # a new connection may have the id of a closed one
    for sql in _TEMP_TABLES:
        conn.execute(sql)
    for (name,) in conn.execute(
        "SELECT name FROM temp.sqlite_master WHERE type = 'trigger' AND name LIKE 'ops_capture_%'"
    ).fetchall():
        conn.execute(f"DROP TRIGGER temp.{_q(name)}")
    conn.execute(audit_trigger_sql())
    for table in captured_tables(conn):
        for sql in trigger_sql(table, columns(conn, table)):
            conn.execute(sql)
    store._capture_version = version
    return True


def prepare(store: Any) -> None:
    """Called before every outermost ``BEGIN IMMEDIATE``: triggers ready, a fresh changeset."""
    store._changeset = None
    if not store.__dict__.get("record_changes"):
        return
    if not install(store):
        return
    if store.is_postgres:
        return _pg.prepare(store, command_line())
    conn = store.conn
    conn.execute("DELETE FROM temp.ops_cs")
    conn.execute("DELETE FROM temp.ops_ctx")
    conn.execute("DELETE FROM temp.ops_bulk")
    conn.execute(
        "INSERT INTO temp.ops_ctx (at, command, origin) VALUES (?, ?, ?)",
        (datetime.now(UTC).isoformat(timespec="seconds"), command_line(), store.origin),
    )


def current(store: Any, actor: str | None = None, business_at: str | None = None) -> int | None:
    """The changeset of the running write transaction (made now if no row made it yet);
    None when the store does not record changes. The first actor and business time stick."""
    cached = store.__dict__.get("_changeset")
    if cached is not None:
        return cached
    if not store.__dict__.get("record_changes") or store.__dict__.get("_capture_version") is None:
        return None
    conn = store.conn
    number = _ensure_sql(store)
    conn.execute(
        "UPDATE changesets SET actor = coalesce(actor, ?), business_at = coalesce(business_at, ?),"
        " origin = coalesce(origin, ?) WHERE id = ?",
        (actor, business_at, store.origin, number),
    )
    store._changeset = number
    return number


# ---------------------------------------------------------------- set-based capture (bulk writes)
class Bulk:
    """The row capture of one table done by a bulk write itself (an import's ``UPDATE ... FROM`` /
    ``INSERT ... SELECT``), set-based, instead of a trigger firing for each row.

    The capture contract (what the per-row triggers record, so ``ops undo`` cannot tell them
    apart): one ``row_changes`` row per changed row, with the changeset, the table, the op,
    the row's id and the JSON images of every column before and after. A bulk write may leave
    the after image NULL (:meth:`insert`, :meth:`update_known`): "the row as this change left
    it", which is the before image of the row's next change, or the row as it is now when no
    change came after (``changes_read.row_changes`` fills it in). Writing a 1M-row import's
    JSON twice (once into the table, once as its image) was half the time of its write lock.

    - :meth:`update` ``(sql, params, rows)``: ``rows`` is a ``FROM ... WHERE ...`` fragment that
      names, as alias ``r``, every row of the table that ``sql`` may change. Their images are
      taken, ``sql`` runs, and each of them whose image is no longer the same gets an
      ``update`` row change, in row-id order.
    - :meth:`insert` ``(sql, params, rows)``: ``sql`` inserts; ``rows`` names (alias ``r``)
      exactly the rows it inserted, read after it ran; each gets an ``insert`` row change, in
      row-id order.

    Write with one statement per step in the order the store must pass through (undo reverts
    the row changes newest first). Any other write of the table inside :func:`bulk` goes
    unrecorded: do not make one. When the store records no changes, the statements just run.
    """

    def __init__(self, store: Any, table: str, active: bool):
        self.store, self.table, self.active = store, table, active

    def update(self, sql: str, params: Any = (), rows: str = "", rows_params: Any = ()) -> int:
        if not self.active:
            return self.store.execute(sql, params).rowcount
        self.store.execute("DELETE FROM temp.ops_bulk_before")
        self.store.execute(_snapshot_sql(self.store, self.table, rows), rows_params)
        changed = self.store.execute(sql, params).rowcount
        if changed:
            self.store.execute(_updates_sql(self.store, self.table), (_ensure(self.store), self.table))
        self.store.execute("DELETE FROM temp.ops_bulk_before")
        return changed

    def update_known(self, sql: str, params: Any, rows: str, rows_params: Any) -> int:
        """:meth:`update` for a ``sql`` that changes exactly the rows ``rows`` names (say,
        ``status <> ?`` in both): their before images written in ONE statement before ``sql``
        runs, the after images left NULL, no snapshot to compare after it (SQLite; PostgreSQL:
        :meth:`update`)."""
        if not self.active or self.store.is_postgres:
            return self.update(sql, params, rows, rows_params)
        image = _image(columns(self.store.conn, self.table), "r")
        self.store.execute(
            "INSERT INTO row_changes (changeset_id, tbl, op, rid, old_rid, before, after)"
            f" SELECT ?, ?, 'update', r.rowid, NULL, {image}, NULL {rows} ORDER BY r.rowid",
            (_ensure(self.store), self.table, *rows_params),
        )
        return self.store.execute(sql, params).rowcount

    def insert(self, sql: str, params: Any = (), rows: str = "", rows_params: Any = ()) -> int:
        inserted = self.store.execute(sql, params).rowcount
        if self.active and inserted:
            self.store.execute(
                _inserts_sql(self.store, self.table, rows), (_ensure(self.store), self.table, *rows_params)
            )
        return inserted


@contextmanager
def bulk(store: Any, table: str) -> Iterator[Bulk]:
    """Inside the write transaction: ``table``'s per-row capture triggers stand aside for the
    block, and the :class:`Bulk` it gives records the rows set-based."""
    active = bool(
        store.in_transaction
        and store.__dict__.get("record_changes")
        and store.__dict__.get("_capture_version") is not None
    )
    if active:
        store.execute("CREATE TEMP TABLE IF NOT EXISTS ops_bulk_before (rid INTEGER PRIMARY KEY, image TEXT)")
        active = bool(
            store.execute(
                "INSERT INTO temp.ops_bulk (tbl) VALUES (?) ON CONFLICT (tbl) DO NOTHING", (table,)
            ).rowcount
        )
    aside = active and (_pg.set_aside(store, table) if store.is_postgres else _drop_triggers(store, table))
    try:
        yield Bulk(store, table, active)
    finally:
        if active:
            try:
                if aside and store.is_postgres:
                    _pg.set_aside(store, table, False)
                elif aside:
                    for sql in trigger_sql(table, columns(store.conn, table)):
                        store.execute(sql)
                store.execute("DELETE FROM temp.ops_bulk WHERE tbl = ?", (table,))
            except sqlite3.Error:  # the transaction failed: its rollback takes the flag back too
                pass


def _drop_triggers(store: Any, table: str) -> bool:
    """SQLite: the table's capture triggers dropped for the block (made again after it, or put
    back by the rollback): a trigger that stands aside by its WHEN still costs each row a test."""
    for kind in ("ins", "upd", "del"):
        store.execute(f"DROP TRIGGER IF EXISTS temp.{_q(f'ops_capture_{kind}_{table}')}")
    return True


def _ensure(store: Any) -> int:
    """The running changeset, made now if need be, as a captured row makes it (the actor and
    business time are left to the first audit record, see :func:`current`)."""
    if store.__dict__.get("_changeset") is not None:
        return store._changeset
    return _ensure_sql(store)


def _ensure_sql(store: Any) -> int:
    """Make the running changeset if no row made it yet; its id."""
    if store.is_postgres:
        return _pg.ensure(store)
    for statement in _ENSURE.split(";"):
        if statement.strip():
            store.execute(statement)
    return store.one("SELECT id FROM temp.ops_cs")[0]


# The SQLite pieces of the set-based capture (rowid, json_object images: as the triggers').
def _snapshot_sql(store: Any, table: str, rows: str) -> str:
    image = _image(columns(store.conn, table), "r")
    return f"INSERT INTO temp.ops_bulk_before (rid, image) SELECT DISTINCT r.rowid, {image} {rows}"


def _updates_sql(store: Any, table: str) -> str:
    image = _image(columns(store.conn, table), "r")
    return (
        "INSERT INTO row_changes (changeset_id, tbl, op, rid, old_rid, before, after)"
        " SELECT ?, ?, 'update', x.rid, NULL, x.before, x.after FROM"
        f" (SELECT b.rid AS rid, b.image AS before, {image} AS after"
        f" FROM temp.ops_bulk_before AS b JOIN main.{_q(table)} AS r ON r.rowid = b.rid) AS x"
        " WHERE x.before IS NOT x.after ORDER BY x.rid"
    )


def _inserts_sql(store: Any, table: str, rows: str) -> str:
    """The inserted rows' row changes, their after image left NULL (see :class:`Bulk`)."""
    return (
        "INSERT INTO row_changes (changeset_id, tbl, op, rid, old_rid, before, after)"
        f" SELECT ?, ?, 'insert', r.rowid, NULL, NULL, NULL {rows} ORDER BY r.rowid"
    )


# The reading side lives in changes_read.py (it uses the helpers above); its names stay here.
from ops_cli.store.changes_read import (  # noqa: E402, F401  (the reading side, names kept here)
    after_image,
    audit_filtered,
    audit_of,
    case_classification,
    case_number,
    changeset,
    delete_by_key,
    delete_row,
    image_after,
    in_column_order,
    insert_row,
    later_changes,
    load_image,
    mark_undo,
    recent,
    row_changes,
    row_image,
    row_images,
    running,
    undo_pairs,
    undone_by,
    update_row,
)

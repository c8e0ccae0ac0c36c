"""Backend-neutral access to a test store, for checks (and the odd forced state) in tests.

A store is what ``env.db`` holds: a file path (SQLite) or a :class:`PgStore` URL (PostgreSQL,
one schema per store). Write the SQL once with ``?`` placeholders; on PostgreSQL they become
``%s``. Rows come back as plain tuples on both backends.

    from helpers import db as store_db

    store_db.scalar(env.db, "SELECT count(*) FROM audit")
    store_db.query(env.db, "SELECT status FROM subscriptions WHERE issi = ?", (2010001,))
    store_db.execute(env.db, "UPDATE cases SET subject = ? WHERE number = ?", (text, number))
    with store_db.connect(env.db) as conn:       # one transaction, committed on success
        conn.executemany("INSERT INTO ...", rows)

The PostgreSQL run (``tests/conftest.py``): :func:`start_pg_run` makes one throw-away database
on the server, every :func:`new_pg_store` is a fresh schema name in it (ops creates the schema
on its first write), :func:`end_pg_run` drops the database.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

_RUN: dict[str, Any] = {}  # the PostgreSQL run: server URL, database name, its URL


def _database_errors() -> tuple[type[BaseException], ...]:
    try:
        import psycopg
    except ImportError:
        return (sqlite3.Error,)
    return (sqlite3.Error, psycopg.Error)


#: What a refused statement raises, on either backend (``pytest.raises(DatabaseError, ...)``).
DatabaseError = _database_errors()


class PgStore(str):
    """A PostgreSQL test store: its URL (a ``str``, what ``--db``/``OPS_DB`` take) and schema."""

    schema: str

    def __new__(cls, url: str, schema: str) -> PgStore:
        instance = super().__new__(cls, url)
        instance.schema = schema
        return instance

    def exists(self) -> bool:
        """The store was made: its schema exists (the analogue of the SQLite file)."""
        return one(self, "SELECT 1 FROM pg_namespace WHERE nspname = ?", (self.schema,)) is not None


# ------------------------------------------------------------------ the PostgreSQL run
def backend_name() -> str:
    return "postgresql" if _RUN else "sqlite"


def is_pg(db: Any) -> bool:
    return isinstance(db, str) and db.startswith(("postgresql://", "postgres://"))


def _with(url: str, *, dbname: str | None = None, schema: str | None = None) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if not (schema and k == "options")]
    if schema:
        query.append(("options", f"-csearch_path={schema}"))
    path = f"/{dbname}" if dbname else parts.path
    return urlunsplit(parts._replace(path=path, query=urlencode(query, quote_via=quote, safe="/")))


def start_pg_run(server_url: str) -> None:
    """Make this run's throw-away database on the server at ``server_url``."""
    import psycopg

    name = f"ops_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    _RUN.update(server=server_url, name=name, url=_with(server_url, dbname=name))


def end_pg_run() -> None:
    if not _RUN:
        return
    import psycopg

    if "admin" in _RUN:
        _RUN["admin"].close()
    with psycopg.connect(_RUN["server"], autocommit=True) as conn:
        names = conn.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", (_RUN["name"] + "%",))
        for (name,) in names.fetchall():  # the run's (and any a killed run left with its name)
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _RUN.clear()


def new_pg_store() -> PgStore:
    """A fresh, not yet made store on this run's database (a schema name nobody used).

    Never dropped one by one: the run's database goes at the end (cheaper than a DROP each)."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    return PgStore(_with(_RUN["url"], schema=schema), schema)


def _admin() -> Any:
    """One connection to the run's database, for dropping stores."""
    if "admin" not in _RUN:
        import psycopg

        _RUN["admin"] = psycopg.connect(_RUN["url"], autocommit=True)
    return _RUN["admin"]


def drop_pg_store(db: Any) -> None:
    """Drop a store's schema now (best effort: a connection a test left open must not hang
    the run; the run's database goes at the end anyway)."""
    if not isinstance(db, PgStore):
        return
    import psycopg

    try:
        _admin().execute("SET lock_timeout = '2s'")
        _admin().execute(f'DROP SCHEMA IF EXISTS "{db.schema}" CASCADE')
    except psycopg.Error:
        pass


# ------------------------------------------------------------------ statements
def _pg_sql(sql: str) -> str:
    """``?`` placeholders to ``%s`` (and ``%`` to ``%%``), outside quoted text."""
    out, quote_char = [], None
    for ch in sql:
        if quote_char:
            out.append("%%" if ch == "%" else ch)
            if ch == quote_char:
                quote_char = None
        elif ch in "'\"":
            quote_char = ch
            out.append(ch)
        elif ch == "?":
            out.append("%s")
        elif ch == "%":
            out.append("%%")
        else:
            out.append(ch)
    return "".join(out)


_CHANGES = frozenset({"INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER"})


class Conn:
    """One connection to a store, used as :class:`sqlite3.Connection` is: ``execute`` and
    ``executemany`` (``?`` placeholders), ``commit``, ``rollback``, ``close``. As a context
    manager (like sqlite3's): the transaction is committed on success, rolled back on error;
    the connection stays open."""

    def __init__(self, db: Any, timeout: float = 30.0):
        self.pg = is_pg(db)
        if self.pg:
            import psycopg

            # As sqlite3 does: reads outside a transaction, one opened before the first change.
            self._conn = psycopg.connect(str(db), autocommit=True)
        else:
            self._conn = sqlite3.connect(Path(db), timeout=timeout)

    def _begin_before_a_change(self, sql: str) -> None:
        from psycopg.pq import TransactionStatus

        if sql.lstrip().split(None, 1)[0].upper() in _CHANGES:
            if self._conn.info.transaction_status == TransactionStatus.IDLE:
                self._conn.execute("BEGIN")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        if self.pg:
            self._begin_before_a_change(sql)
            return self._conn.execute(_pg_sql(sql) if params else sql, tuple(params) or None)
        return self._conn.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        if self.pg:
            self._begin_before_a_change(sql)
            with self._conn.cursor() as cur:
                cur.executemany(_pg_sql(sql), [tuple(r) for r in rows])
        else:
            self._conn.executemany(sql, rows)

    def commit(self) -> None:
        if not self.pg:
            self._conn.commit()
        elif self._in_transaction():
            self._conn.execute("COMMIT")

    def rollback(self) -> None:
        if not self.pg:
            self._conn.rollback()
        elif self._in_transaction():
            self._conn.execute("ROLLBACK")

    def _in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return self._conn.info.transaction_status != TransactionStatus.IDLE

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Conn:
        return self

    def __exit__(self, kind, value, tb) -> None:
        if kind is None:
            self.commit()
        else:
            self.rollback()


def connect(db: Any, timeout: float = 30.0) -> Conn:
    """A connection to the store (``sqlite3.connect`` for either backend)."""
    return Conn(db, timeout)


@contextmanager
def _session(db: Any) -> Iterator[Conn]:
    conn = connect(db)
    try:
        with conn:
            yield conn
    finally:
        conn.close()


def query(db: Any, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
    with _session(db) as conn:
        return [tuple(row) for row in conn.execute(sql, params).fetchall()]


def one(db: Any, sql: str, params: Sequence[Any] = ()) -> tuple | None:
    rows = query(db, sql, params)
    return rows[0] if rows else None


def scalar(db: Any, sql: str, params: Sequence[Any] = ()) -> Any:
    row = one(db, sql, params)
    return None if row is None else row[0]


def execute(db: Any, sql: str, params: Sequence[Any] = ()) -> None:
    with _session(db) as conn:
        conn.execute(sql, params)


def executemany(db: Any, sql: str, rows: Iterable[Sequence[Any]]) -> None:
    with _session(db) as conn:
        conn.executemany(sql, rows)


# ------------------------------------------------------------------ the whole store
def exists(db: Any) -> bool:
    return db.exists() if isinstance(db, PgStore) else Path(db).exists()


def tables(db: Any) -> list[str]:
    """The store's tables, by name."""
    if is_pg(db):
        sql = (
            "SELECT relname::text FROM pg_class WHERE relnamespace = current_schema()::regnamespace"
            " AND relkind IN ('r', 'p') ORDER BY relname COLLATE \"C\""
        )
    else:
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
    return [row[0] for row in query(db, sql)]


def snapshot(db: Any) -> dict[str, list[tuple]]:
    """Every row of every table ({} when there is no store): equal before and after proves a
    command changed nothing. Rows in storage order on SQLite, sorted on PostgreSQL."""
    if not exists(db):
        return {}
    with _session(db) as conn:
        if conn.pg:
            names = tables(db)
            return {t: [tuple(r) for r in conn.execute(_sorted_select(conn, t)).fetchall()] for t in names}
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        names = [r[0] for r in conn.execute(sql)]
        return {t: conn.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall() for t in names}


#: The hidden row id of PostgreSQL stores (for the changesets): not part of a row's content.
PG_ROW_ID = "ops_rid"


def _sorted_select(conn: Conn, table: str) -> str:
    names = [c.name for c in conn.execute(f'SELECT * FROM "{table}" LIMIT 0').description]
    shown = [f'"{n}"' for n in names if n != PG_ROW_ID]
    order = ", ".join(str(i) for i in range(1, len(shown) + 1))
    return f'SELECT {", ".join(shown)} FROM "{table}" ORDER BY {order}'


def dump(db: Any) -> list[str]:
    """The store as text, schema included: equal before and after proves nothing changed at all
    (SQLite: ``iterdump``; PostgreSQL: every table's columns and rows; not the identity
    sequences, which PostgreSQL never rolls back: an id skipped is no change)."""
    if not is_pg(db):
        conn = sqlite3.connect(Path(db))
        try:
            return list(conn.iterdump())
        finally:
            conn.close()
    lines = [repr(row) for row in _pg_catalog(db)]
    for table, rows in snapshot(db).items():
        lines.extend(f"{table}: {row!r}" for row in rows)
    return lines


def _pg_catalog(db: Any) -> list[tuple]:
    return query(
        db,
        "SELECT c.relname, c.relkind, a.attname, format_type(a.atttypid, a.atttypmod)"
        " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
        " WHERE n.nspname = current_schema() ORDER BY 1, 2, 3",
    )


@contextmanager
def write_lock(db: Any, busy_timeout: float = 30.0) -> Iterator[Any]:
    """Hold the store's write lock (as a writing ``ops`` does) until the block ends, committed
    then: other writers queue behind it. Yields the store (``execute``) for writes made under
    the lock. Taken through the store layer itself (SQLite ``BEGIN IMMEDIATE``, PostgreSQL the
    store's advisory lock), and recording no changeset, as a foreign writer would."""
    from ops_cli.store import open_store

    store = open_store(db, busy_timeout)
    store.record_changes = False
    try:
        with store.write():
            yield store
    finally:
        store.close()

"""The PostgreSQL backend (psycopg 3): the connection, errors, the write lock, bulk inserts.

Imported only when a ``postgresql://`` URL is opened (:mod:`.backend` forwards its names), so
an SQLite user never pays for it. The SQL translation and the rows are in :mod:`.pg_sql`, the
changesets' capture in :mod:`.pg_changes`, opening and migrating in :mod:`.pg_setup`.
"""

from __future__ import annotations

import os
import re
import sqlite3
from functools import lru_cache
from typing import Any

from ops_cli.store.backend import mask_url, scrub
from ops_cli.store.pg_sql import (  # noqa: F401  (names the backend module forwards)
    Translated,
    _row_factory,
    _row_factory_rid,
    pg_array,
    row_class,
    translate,
)

_SLOW_LOG = os.environ.get("OPS_DEBUG_SQL") == "time"


# ====================================================================== errors
_BUSY = {"55P03", "40001", "40P01", "57014"}
_READ_ONLY = {"25006", "42501"}
_NO_TABLE = {"42P01"}


def to_sqlite_error(exc: Exception, url: str) -> Exception:
    """The sqlite3 exception the rest of the program expects for a psycopg error."""
    import psycopg

    state = getattr(exc, "sqlstate", None) or ""
    message = scrub(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__, url)
    if state in _BUSY:
        return sqlite3.OperationalError(f"database is locked ({message})")
    if state in _READ_ONLY:
        return sqlite3.OperationalError(f"attempt to write a readonly database ({message})")
    if state in _NO_TABLE:
        return sqlite3.OperationalError(f"no such table ({message})")
    if state == "22003":
        return OverflowError(message)
    if state == "P0001" or isinstance(exc, psycopg.IntegrityError):
        return sqlite3.IntegrityError(message)
    if isinstance(exc, psycopg.OperationalError):
        return sqlite3.OperationalError(message)
    if isinstance(exc, psycopg.ProgrammingError):
        return sqlite3.OperationalError(message)
    return sqlite3.DatabaseError(message)


# ====================================================================== PostgreSQL
_ADVISORY_CLASS = 0x6F7073  # "ops": the first key of the store's write lock


class PgConnection:
    """A psycopg connection that speaks as :class:`sqlite3.Connection` does to the store:
    ``execute``/``executemany`` take SQLite SQL text, rows are :class:`sqlite3.Row`-like,
    errors are :mod:`sqlite3` exceptions."""

    def __init__(self, raw: Any, url: str):
        self.raw = raw
        self.url = url
        self._factory = _row_factory
        self._trace: Any = None
        self._deferred: list[Any] = []  # rows of one INSERT held back (see defer)
        self._deferred_sql = ""
        raw.row_factory = _row_factory

    def set_trace_callback(self, callback: Any) -> None:
        """As :meth:`sqlite3.Connection.set_trace_callback`: each statement, values bound."""
        self._trace = callback

    def _traced(self, tr: Translated, params: Any) -> None:
        with self.raw.cursor() as cur:
            self._trace(cur.mogrify(tr.sql, tr.params(params)))

    @property
    def row_factory(self) -> Any:
        return self._factory

    @row_factory.setter
    def row_factory(self, factory: Any) -> None:
        from psycopg.rows import tuple_row

        self._factory = _row_factory if factory is not None else tuple_row
        self.raw.row_factory = self._factory

    def _fail(self, exc: Exception, sql: str = "") -> Exception:
        if os.environ.get("OPS_DEBUG_SQL") == "1":  # a developer's aid: the statement that failed
            import sys

            print(f"[pg] {scrub(str(exc), self.url).strip()}\n[pg] in: {sql}", file=sys.stderr)
        return to_sqlite_error(exc, self.url)

    def defer(self, sql: str, params: Any) -> None:
        """An INSERT whose result nobody reads (an audit record), sent with the next statement
        of the connection as one multi-row INSERT: a round trip per record saved. The rows are
        in before any later statement runs (so everything reads as if sent at once); a
        ROLLBACK drops them."""
        if self._deferred and sql != self._deferred_sql:
            self._flush()
        self._deferred_sql = sql
        self._deferred.append(params)

    def _flush(self) -> None:
        rows, self._deferred = self._deferred, []
        self.executemany(self._deferred_sql, rows)

    def execute(self, sql: str, params: Any = ()) -> Any:
        import psycopg

        if self._deferred:
            if sql == "ROLLBACK":
                self._deferred = []
            else:
                self._flush()
        tr = translate(sql)
        if self._trace is not None:
            self._traced(tr, params)
        if _SLOW_LOG:
            return self._timed(tr, params)
        try:
            if tr.rid and self._factory is _row_factory:
                return self.raw.cursor(row_factory=_row_factory_rid).execute(tr.sql, tr.params(params))
            return self.raw.execute(tr.sql, tr.params(params))
        except psycopg.Error as exc:
            raise self._fail(exc, tr.sql) from None

    def _timed(self, tr: Translated, params: Any) -> Any:
        """``OPS_DEBUG_SQL=time``: every statement over 20 ms, with its time, to stderr."""
        import sys
        import time

        import psycopg

        start = time.perf_counter()
        try:
            factory = _row_factory_rid if tr.rid and self._factory is _row_factory else self._factory
            cur = self.raw.cursor(row_factory=factory).execute(tr.sql, tr.params(params))
        except psycopg.Error as exc:
            raise self._fail(exc, tr.sql) from None
        took = time.perf_counter() - start
        if took > 0.02:
            print(f"[pg] {took * 1000:8.1f} ms  {' '.join(tr.sql.split())[:300]}", file=sys.stderr)
        return cur

    def executemany(self, sql: str, rows: Any) -> Any:
        import psycopg

        if self._deferred:
            self._flush()
        tr = translate(sql)
        if self._trace is not None:
            rows = list(rows)
            for row in rows:
                self._traced(tr, row)
        batch = _batched(tr.sql)
        if batch is not None:
            rows = list(rows)
            target = _copy_target(batch) if len(rows) >= COPY_FROM else None
            if target is not None:
                return self._copy(tr, target, rows)
            return self._insert_batches(tr, batch, rows)
        cur = self.raw.cursor()
        try:
            if tr.order is not None:
                cur.executemany(tr.sql, (tr.params(r) for r in rows))
            else:
                cur.executemany(tr.sql, rows)
        except psycopg.Error as exc:
            raise self._fail(exc, tr.sql) from None
        return cur

    def _insert_batches(self, tr: Translated, batch: tuple[str, str, str, int], rows: Any) -> Any:
        """``INSERT ... VALUES (?, ...)`` for many rows as multi-row INSERTs (a round trip per
        :data:`BATCH` rows instead of per row); the cursor's ``rowcount`` is the total."""
        import psycopg

        head, values, tail, width = batch
        done = _Many()
        cur = self.raw.cursor()
        chunk: list[Any] = []

        def flush() -> None:
            count = len(chunk) // width
            text = head + ", ".join([values] * count) + tail
            cur.execute(text, chunk)
            done.rowcount += max(cur.rowcount, 0)
            chunk.clear()

        try:
            for row in rows:
                chunk.extend(tr.params(row))
                if len(chunk) >= BATCH * width:
                    flush()
            if chunk:
                flush()
        except psycopg.Error as exc:
            raise self._fail(exc, tr.sql) from None
        return done

    def _copy(self, tr: Translated, target: tuple[str, str, str], rows: list[Any]) -> Any:
        """Many rows in through ``COPY`` (ten times the speed of INSERTs); ``ON CONFLICT DO
        NOTHING`` through a TEMP table of the same columns, then one ``INSERT ... SELECT``."""
        import psycopg

        table, cols, conflict = target
        ignore = bool(conflict)
        done = _Many()
        try:
            into = table
            if ignore:
                into = _q("ops_copy_" + table)
                self.raw.execute(
                    f"CREATE TEMP TABLE IF NOT EXISTS {into} AS SELECT {cols} FROM {table} WITH NO DATA"
                )
                self.raw.execute(f"TRUNCATE {into}")
            with self.raw.cursor() as cur:
                with cur.copy(f"COPY {into} ({cols}) FROM STDIN") as copy:
                    write = copy.write_row
                    if tr.order is None and not tr.arrays:
                        for row in rows:
                            write(row)
                    else:
                        for row in rows:
                            write(tr.params(row))
                done.rowcount = len(rows)
                if ignore:
                    cur.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {into} {conflict}")
                    done.rowcount = cur.rowcount
                    cur.execute(f"TRUNCATE {into}")
        except psycopg.Error as exc:
            raise self._fail(exc, tr.sql) from None
        return done

    def script(self, sql: str) -> None:
        """Run a PostgreSQL script as it is (several statements, dollar quotes)."""
        import psycopg

        if self._deferred:
            self._flush()
        try:
            self.raw.execute(sql.encode("utf-8"), prepare=False)
        except psycopg.Error as exc:
            raise self._fail(exc) from None

    def close(self) -> None:
        self.raw.close()

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return self.raw.info.transaction_status != TransactionStatus.IDLE


@lru_cache(maxsize=1)
def cursor_class() -> type:
    """psycopg's client-side cursor (values are sent as literals, typed by the column they meet,
    as SQLite does), taking ``row_factory = None`` for plain tuples and giving ``lastrowid``."""
    import psycopg
    from psycopg.rows import tuple_row

    base = psycopg.ClientCursor.row_factory

    class OpsCursor(psycopg.ClientCursor):
        @property
        def row_factory(self) -> Any:
            return base.fget(self)

        @row_factory.setter
        def row_factory(self, factory: Any) -> None:
            base.fset(self, factory if factory is not None else tuple_row)

        @property
        def lastrowid(self) -> Any:
            """The id an INSERT ... VALUES gave (the backend added ``RETURNING id``)."""
            if self.description is None or self.description[0].name != "id":
                return None
            rows = self.fetchall()
            return rows[-1][0] if rows else None

    return OpsCursor


#: Rows per multi-row INSERT when ``executemany`` inserts (see :meth:`PgConnection.executemany`).
BATCH = 500
_ONE_ROW = re.compile(
    r"^(\s*INSERT\s+INTO\s+[^()]+(?:\([^()]*\))?\s*VALUES\s*)(\((?:\s*%s\s*,)*\s*%s\s*\))(.*)$", re.I | re.S
)


@lru_cache(maxsize=256)
def _batched(sql: str) -> tuple[str, str, str, int] | None:
    """(head, one row's values, tail, width) of a one-row ``INSERT ... VALUES (%s, ...)``."""
    match = _ONE_ROW.match(sql)
    tail = match.group(3).upper() if match else ""
    if match is None or "DO UPDATE" in tail or ("RETURNING" in tail and "RETURNING ID" not in tail):
        return None  # an upsert may meet its own rows twice in one statement: row by row
    tail = re.sub(r"\s*RETURNING\s+id\s*$", "", match.group(3), flags=re.I)
    return match.group(1), match.group(2), tail, match.group(2).count("%s")


#: ``executemany`` of an INSERT with at least this many rows goes through ``COPY``.
COPY_FROM = 200
_TARGET = re.compile(
    r"^\s*INSERT\s+INTO\s+((?:\"[^\"]+\"|\w+)(?:\.(?:\"[^\"]+\"|\w+))?)\s*\(([^()]*)\)\s*VALUES\s*$", re.I
)


_DO_NOTHING = re.compile(r"^ON\s+CONFLICT\s*(?:\([^()]*\))?\s*DO\s+NOTHING$", re.I)


def _copy_target(batch: tuple[str, str, str, int]) -> tuple[str, str, str] | None:
    """(table, column list, its ``ON CONFLICT ... DO NOTHING`` or "") of an INSERT that ``COPY``
    can do."""
    head, _values, tail, _width = batch
    match = _TARGET.match(head)
    rest = tail.strip()
    if match is None or (rest and not _DO_NOTHING.match(rest)):
        return None
    return match.group(1), match.group(2).strip(), rest


def _q(name: str) -> str:
    return '"' + name.replace('"', "").replace(".", "_") + '"'


class _Many:
    """What ``executemany`` gives back for batched inserts: the rows inserted."""

    rowcount = 0
    lastrowid = None


def _loaders(raw: Any) -> None:
    """Values come back as from SQLite: whole numbers as int (SUM gives numeric on PostgreSQL),
    booleans as 1/0; Python int and bool go out as untyped literals (SQLite's loose typing)."""
    from psycopg.adapt import Dumper, Loader

    class NumericLoader(Loader):
        def load(self, data: Any) -> Any:
            text = bytes(data).decode()
            if "." in text or "e" in text.lower() or "N" in text:
                return float(text)
            return int(text)

    class BoolLoader(Loader):
        def load(self, data: Any) -> Any:
            return 1 if bytes(data) in (b"t", b"true") else 0

    class IntDumper(Dumper):
        oid = 0  # unknown: the server takes the type of the column it meets

        def dump(self, obj: Any) -> bytes:
            return str(int(obj)).encode()

        def quote(self, obj: Any) -> bytes:
            return b"'" + str(int(obj)).encode() + b"'"

    from psycopg.types.string import TextLoader

    raw.adapters.register_loader("json", TextLoader)  # JSON stays text, as SQLite gives it
    raw.adapters.register_loader("jsonb", TextLoader)
    raw.adapters.register_loader("numeric", NumericLoader)
    raw.adapters.register_loader("bool", BoolLoader)
    raw.adapters.register_dumper(bool, IntDumper)
    raw.adapters.register_dumper(int, IntDumper)


class PgBackend:
    name = "postgresql"

    def connect(self, url: str, busy_timeout: float) -> PgConnection:
        from ops_cli.errors import InvalidInput

        try:
            import psycopg
        except ImportError:
            raise InvalidInput(
                f"the store {mask_url(url)} is on PostgreSQL, which needs psycopg:"
                " pip install 'ops-cli[postgres]' (or give a file path for an SQLite store)"
            ) from None
        try:
            raw = psycopg.connect(url, autocommit=True, cursor_factory=cursor_class())
        except psycopg.Error as exc:
            reason = scrub(" ".join(str(exc).split()), url)
            raise InvalidInput(f"cannot connect to the store {mask_url(url)}: {reason}") from None
        _loaders(raw)
        conn = PgConnection(raw, url)
        ms = max(int(busy_timeout * 1000), 1)
        conn.script(f"SET lock_timeout = {ms}; SET client_min_messages = warning")
        return conn

    # ---------------------------------------------------------------- the schema
    def schema(self, conn: PgConnection) -> str | None:
        """The schema the store lives in: the first of ``search_path`` (None: it does not exist)."""
        return conn.execute("SELECT current_schema()").fetchone()[0]

    def wanted_schema(self, conn: PgConnection) -> str:
        path = conn.execute("SHOW search_path").fetchone()[0]
        for part in (p.strip() for p in path.split(",")):
            if part and part != '"$user"':
                return part[1:-1].replace('""', '"') if part.startswith('"') else part
        return "public"

    def create_schema(self, conn: PgConnection, name: str) -> None:
        quoted = '"' + name.replace('"', '""') + '"'
        conn.execute("SELECT pg_advisory_lock(?, hashtext(?))", (_ADVISORY_CLASS, name))
        try:
            conn.script(f"CREATE SCHEMA IF NOT EXISTS {quoted}")
        finally:
            conn.execute("SELECT pg_advisory_unlock(?, hashtext(?))", (_ADVISORY_CLASS, name))

    def tables(self, conn: PgConnection) -> list[str]:
        return [
            row[0]
            for row in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
                " AND table_type = 'BASE TABLE' ORDER BY table_name"
            )
        ]

    # ---------------------------------------------------------------- transactions
    def begin_write(self, conn: PgConnection) -> None:
        """A transaction holding the store's write lock: one writer at a time, as on SQLite
        (the wait is bounded by ``lock_timeout``, the busy timeout)."""
        try:  # one round trip
            conn.script(f"BEGIN; SELECT pg_advisory_xact_lock({_ADVISORY_CLASS}, hashtext(current_schema()))")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def commit(self, conn: PgConnection) -> None:
        """COMMIT; a transaction a failed statement spoiled is refused, never quietly rolled
        back as PostgreSQL's COMMIT would (SQLite would have kept the other statements)."""
        from psycopg.pq import TransactionStatus

        if conn._deferred:
            conn._flush()
        if conn.raw.info.transaction_status == TransactionStatus.INERROR:
            raise sqlite3.OperationalError("a statement of the transaction failed; nothing was written")
        conn.execute("COMMIT")

    # ---------------------------------------------------------------- version, check
    def user_version(self, conn: PgConnection) -> int:
        try:
            row = conn.execute("SELECT max(number) FROM schema_migrations").fetchone()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                if conn.in_transaction:
                    raise
                return 0
            raise
        return int(row[0] or 0)

    def set_user_version(self, conn: PgConnection, number: int) -> None:
        """The version is the ledger's highest number on PostgreSQL: nothing to set."""

    def problems(self, conn: PgConnection) -> list[str]:
        """PostgreSQL keeps its own pages and foreign keys sound; check that every foreign key
        constraint is validated and the audit's append-only triggers are in place (enabled)."""
        rows = conn.execute(
            "SELECT conrelid::regclass::text, conname FROM pg_constraint"
            " WHERE contype = 'f' AND NOT convalidated AND connamespace = current_schema()::regnamespace"
        ).fetchall()
        found = [f"{table}: foreign key {name} not validated" for table, name in rows]
        guards = {
            row[0]
            for row in conn.execute(
                "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                " WHERE c.relnamespace = current_schema()::regnamespace AND c.relname = 'audit'"
                " AND t.tgenabled <> 'D'"
            )
        }
        if "audit" in self.tables(conn):
            found += [
                f"audit: trigger {name} is missing or disabled (the audit is no longer append-only)"
                for name in ("audit_no_update", "audit_no_delete")
                if name not in guards
            ]
        return found


PG = PgBackend()

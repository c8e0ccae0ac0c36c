"""The PostgreSQL connection as the store speaks to it: SQLite SQL text in, rows that behave as
:class:`sqlite3.Row` out, errors as :mod:`sqlite3` exceptions; many-row INSERTs through COPY or
multi-row statements, audit records sent with the next statement (see :class:`PgConnection`).
"""

from __future__ import annotations

import os
import re
import sqlite3
from functools import lru_cache
from typing import Any

from ops_cli.store.backend import scrub
from ops_cli.store.pg_sql import Translated, _row_factory, _row_factory_rid, translate

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
        self.schema_mark: int | None = None  # pg_changes.schema_version, until DDL or ROLLBACK
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
        if tr.ddl:
            self.schema_mark = None
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
        """Many rows in through ``COPY`` (ten times the speed of INSERTs). ``ON CONFLICT DO
        NOTHING``: straight into the table all the same (under a savepoint); only when a key is
        already there or repeats does it go again through a TEMP table of the same columns and
        one ``INSERT ... SELECT ... ON CONFLICT DO NOTHING``."""
        import psycopg

        table, cols, conflict = target
        done = _Many()
        try:
            if not conflict:
                self._copy_into(table, cols, tr, rows)
                done.rowcount = len(rows)
                return done
            savepoint = self.in_transaction
            if savepoint:
                self.raw.execute("SAVEPOINT ops_copy")
            try:
                self._copy_into(table, cols, tr, rows)
            except psycopg.errors.UniqueViolation:
                if savepoint:
                    self.raw.execute("ROLLBACK TO SAVEPOINT ops_copy")
            else:
                if savepoint:
                    self.raw.execute("RELEASE SAVEPOINT ops_copy")
                done.rowcount = len(rows)
                return done
            into = _q("ops_copy_" + table)
            self.raw.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS {into} AS SELECT {cols} FROM {table} WITH NO DATA"
            )
            self.raw.execute(f"TRUNCATE {into}")
            self._copy_into(into, cols, tr, rows)
            with self.raw.cursor() as cur:
                cur.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {into} {conflict}")
                done.rowcount = cur.rowcount
                cur.execute(f"TRUNCATE {into}")
        except psycopg.Error as exc:
            raise self._fail(exc, tr.sql) from None
        return done

    def _copy_into(self, table: str, cols: str, tr: Translated, rows: list[Any]) -> None:
        with self.raw.cursor() as cur, cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
            write = copy.write_row
            if tr.order is None and not tr.arrays:
                for row in rows:
                    write(row)
            else:
                for row in rows:
                    write(tr.params(row))

    def script(self, sql: str) -> None:
        """Run a PostgreSQL script as it is (several statements, dollar quotes)."""
        import psycopg

        if self._deferred:
            self._flush()
        self.schema_mark = None
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

        def __iter__(self) -> Any:
            """Rows a thousand at a time (made by psycopg's C loader) rather than one call each:
            an import reading back 100k staged rows spends a tenth of the time on it."""
            fetch = self.fetchmany
            while rows := fetch(1000):
                yield from rows

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

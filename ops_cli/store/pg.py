"""The PostgreSQL backend (psycopg 3): connecting, the schema, the write lock, version and check.

Imported only when a ``postgresql://`` URL is opened (:mod:`.backend` forwards its names), so
an SQLite user never pays for it. The connection is :mod:`.pg_conn`, the SQL translation and
the rows :mod:`.pg_sql`, the changesets' capture :mod:`.pg_changes`, opening and migrating
:mod:`.pg_setup`.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from ops_cli.store.backend import mask_url, scrub
from ops_cli.store.pg_changes import RID as ROW_ID
from ops_cli.store.pg_conn import (  # noqa: F401  (names the backend module forwards)
    BATCH,
    COPY_FROM,
    PgConnection,
    cursor_class,
    to_sqlite_error,
)
from ops_cli.store.pg_sql import (  # noqa: F401  (names the backend module forwards)
    Translated,
    pg_array,
    row_class,
    translate,
)

_ADVISORY_CLASS = 0x6F7073  # "ops": the first key of the store's write lock

#: Foreign keys checked per statement instead of per row (a bulk import's tables): (child
#: table, column, parent table). See ``ops_fk`` in ``migrations/0002_core.pg.sql``.
STATEMENT_KEYS = (("roster_entries", "customer", "customers"), ("row_changes", "changeset_id", "changesets"))


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
    #: A staging table's rows go in as one ``executemany``, which the connection turns into COPY.
    rows_per_insert = 1

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
        # work_mem: an import's sorts and hashes (100k staged rows) stay in memory, not on disk.
        conn.script(f"SET lock_timeout = {ms}; SET client_min_messages = warning; SET work_mem = '64MB'")
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
                "SELECT relname::text FROM pg_class WHERE relnamespace = current_schema()::regnamespace"
                " AND relkind IN ('r', 'p') ORDER BY relname COLLATE \"C\""
            )
        ]

    def foreign_keys(self, conn: PgConnection) -> list[tuple[str, str]]:
        """(child table, parent table) for every foreign key of the store's schema."""
        rows = conn.execute(
            "SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint"
            " WHERE contype = 'f' AND connamespace = current_schema()::regnamespace"
        )
        found = [(row[0].strip('"'), row[1].strip('"')) for row in rows]
        return found + [(child, parent) for child, _col, parent in self._statement_keys(conn)]

    def _statement_keys(self, conn: PgConnection) -> list[tuple[str, str, str]]:
        """(child table, column, parent table) of the foreign keys checked per statement
        (``ops_fk`` in ``migrations/0002_core.pg.sql``): their INSERT triggers' arguments."""
        rows = conn.execute(
            "SELECT c.relname, t.tgargs FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " WHERE c.relnamespace = current_schema()::regnamespace"
            " AND t.tgname LIKE 'ops!_fk!_%!_ins' ESCAPE '!'"
        ).fetchall()
        found = []
        for child, args in rows:
            column, parent = bytes(args).decode().split("\0")[:2]
            found.append((child, column, parent))
        return found

    def keeps_row_id(self, columns: list[str]) -> bool:
        """Whether a table's rows carry a row id that undo follows: the hidden ``ops_rid``."""
        return ROW_ID in columns

    def large_read(self, conn: PgConnection) -> None:
        """Before a read that visits many rows: nothing to do (the server keeps its own cache)."""

    def sync_identities(self, conn: PgConnection) -> None:
        """After rows were written with their ids: each identity column's next value follows
        the highest id."""
        identities = conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND is_identity = 'YES'"
        ).fetchall()
        for table, column in identities:
            conn.execute(
                f'SELECT setval(pg_get_serial_sequence(?, ?), COALESCE(max("{column}"), 0) + 1, false)'
                f' FROM "{table}"',
                (f'"{table}"', column),
            )

    def drop_store(self, conn: PgConnection) -> None:
        """Every table and function of the store's schema (the audit refuses DELETE); the
        schema itself stays (its grants). Inside the caller's write transaction."""
        for table in self.tables(conn):
            conn.execute(f'DROP TABLE IF EXISTS "{table}" CASCADE')
        functions = conn.execute(
            "SELECT oid::regprocedure::text FROM pg_proc WHERE pronamespace = current_schema()::regnamespace"
        ).fetchall()
        for (function,) in functions:
            conn.execute(f"DROP FUNCTION IF EXISTS {function} CASCADE")

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
        checks = {
            (row[0], row[1])
            for row in conn.execute(
                "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                " WHERE c.relnamespace = current_schema()::regnamespace"
                " AND t.tgname LIKE 'ops!_fk!_%' ESCAPE '!'"
                " AND t.tgenabled <> 'D'"
            )
        }
        tables = set(self.tables(conn))
        constraints = {  # a store made before these triggers keeps PostgreSQL's own foreign key
            (row[0].strip('"'), row[1].strip('"'))
            for row in conn.execute(
                "SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint"
                " WHERE contype = 'f' AND convalidated AND connamespace = current_schema()::regnamespace"
            )
        }
        for child, column, parent in STATEMENT_KEYS:
            if child not in tables or parent not in tables or (child, parent) in constraints:
                continue
            wanted = [
                (child, f"ops_fk_{column}_ins"),
                (child, f"ops_fk_{column}_upd"),
                (parent, f"ops_fk_{child}_{column}"),
            ]
            if any(pair not in checks for pair in wanted):
                found.append(
                    f"{child}: foreign key {column} -> {parent} is missing or disabled (trigger ops_fk_*)"
                )
        return found


PG = PgBackend()

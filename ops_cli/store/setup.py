"""Opening a store: creating the file, WAL, migrations, and refusing a newer store.

Any number of processes may open a store that does not exist yet at the same time: the file
is created once (``O_EXCL``, 0600), every opener makes sure the file is in WAL mode (also an
existing empty file), and migrations run one per ``BEGIN IMMEDIATE`` transaction, each skipped
when another process applied it meanwhile.
"""

from __future__ import annotations

import os
import re
import sqlite3
import stat
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from ops_cli import __version__
from ops_cli.errors import Conflict, InvalidInput, OpsError
from ops_cli.store.backend import is_url
from ops_cli.store.connection import Store, busy_error, is_busy, is_read_only, read_only_error

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
#: A migration's PostgreSQL twin beside it: ``NNNN_name.pg.sql`` (same number, recorded under
#: the same name ``NNNN_name.sql`` in the ledger, so a store keeps its version across backends).
_PG_MIGRATION_NAME_RE = r"^((\d{4})_[a-z0-9_]+)\.pg\.sql$"  # compiled on first use (re's cache)
_MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class StoreUnreadable(OpsError):
    """The file is not an SQLite database or is damaged (exit 1: `ops db check` says more)."""


def migration_files(postgres: bool = False) -> list[tuple[int, str, str]]:
    """The numbered migrations shipped with the package: (number, name, sql)."""
    found = []
    for entry in os.scandir(_MIGRATIONS_DIR):
        if postgres:
            match = re.match(_PG_MIGRATION_NAME_RE, entry.name)
            number, name = (int(match.group(2)), match.group(1) + ".sql") if match else (0, "")
        else:
            match = _MIGRATION_NAME.match(entry.name)
            number, name = (int(match.group(1)), entry.name) if match else (0, "")
        if match:
            with open(entry.path, encoding="utf-8") as handle:
                found.append((number, name, handle.read()))
    return sorted(found)


def latest_version() -> int:
    """The highest migration number shipped (cheap: file names only)."""
    return max(int(m.group(1)) for e in os.scandir(_MIGRATIONS_DIR) if (m := _MIGRATION_NAME.match(e.name)))


def statements(script: str) -> Iterator[str]:
    """Split a script into statements (trigger bodies hold semicolons)."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statement = buffer.strip()
            buffer = ""
            if statement.rstrip(";").strip():
                yield statement
    if buffer.strip() and not all(
        part.strip().startswith("--") or not part.strip() for part in buffer.splitlines()
    ):
        raise ValueError(f"incomplete SQL statement at the end of a migration: {buffer.strip()[:60]}")


def create_private(path: Path) -> bool:
    """Create an empty file readable by its owner only (0600); False if it already exists."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return False
    os.close(fd)
    return True


def _create_file(path: Path) -> None:
    try:
        info = path.stat()
    except OSError:
        info = None  # missing, or a part of the path is not a folder: creating says which
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise InvalidInput(f"the store path {path} is a folder; give a file name with --db or OPS_DB")
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise InvalidInput(
            f"the store path {path} is not a regular file; give a file name with --db or OPS_DB"
        )
    if info is not None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        create_private(path)  # another process may have created it first: fine
    except OSError as exc:
        from ops_cli.files import os_cause  # an error only: not at start-up

        raise InvalidInput(
            f"cannot create the store at {path}: {os_cause(exc)}; choose another place with --db or OPS_DB"
        ) from None


def _connect(path: Path, busy_timeout: float) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
    return conn


#: Tables that mark a file as an ops store (of any version), even before its first migration.
_OURS = frozenset({"meta", "schema_migrations", "audit"})


def refuse_foreign(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse (exit 3), before anything is written, a file that is another program's SQLite
    database: tables but no schema version and none of ours (``OPS_DB`` pointing elsewhere)."""
    if conn.execute("PRAGMA user_version").fetchone()[0]:
        return
    query = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    tables = sorted(row[0] for row in conn.execute(query))
    if tables and not _OURS & set(tables):
        conn.close()
        shown = ", ".join(tables[:3]) + (", ..." if len(tables) > 3 else "")
        raise InvalidInput(
            f"{path} is not an ops store but another program's SQLite database"
            f" (it holds the table{'s' if len(tables) > 1 else ''} {shown});"
            " give an ops store or a new file with --db or OPS_DB"
        )


def ensure_wal(conn: sqlite3.Connection, path: Path, busy_timeout: float) -> None:
    """Put the file in WAL mode (a property of the file, kept by every later connection).

    Switching needs a moment alone with the file; while other openers hold it (creating,
    migrating) SQLite answers busy or leaves the mode unchanged: retry until the timeout.
    """
    deadline = time.monotonic() + max(busy_timeout, 0.1)
    while True:
        try:
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
            if str(mode).lower() == "wal":
                return
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() == "wal":
                return
        except sqlite3.OperationalError as exc:
            if not is_busy(exc):
                raise
        if time.monotonic() > deadline:
            raise busy_error(path)
        import random  # only when another process holds the store

        time.sleep(0.005 + random.random() * 0.02)


def shipped_numbers() -> set[int]:
    """The numbers of the migrations shipped (file names only)."""
    return {int(m.group(1)) for e in os.scandir(_MIGRATIONS_DIR) if (m := _MIGRATION_NAME.match(e.name))}


def applied_numbers(store: Store) -> set[int] | None:
    """The migrations applied to the store (its ledger), or None for a store without a ledger."""
    try:
        return {row[0] for row in store.conn.execute("SELECT number FROM schema_migrations")}
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return None
        raise


def check_version(store: Store, applied: set[int] | None = None, shipped: set[int] | None = None) -> int:
    """The store's schema version; a store made by a newer ops-cli is refused (exit 6): its
    version is above every migration shipped, or it holds a migration this program lacks."""
    shipped = shipped_numbers() if shipped is None else shipped  # one look at the folder
    version = store.user_version()
    known = max(shipped)  # latest_version()
    unknown = (applied or set()) - shipped
    if version > known or unknown:
        row = store.conn.execute("SELECT value FROM meta WHERE key = 'ops_cli_version'").fetchone()
        made_by = f"ops-cli {row[0]}" if row else f"a newer ops-cli (schema {version})"
        raise Conflict(
            f"the store {store.path} was made by {made_by}; this is ops-cli {__version__}"
            f" (schema {known}); upgrade ops-cli to use it"
        )
    return version


def open_store(path: Path, busy_timeout: float = 5.0, *, must_exist: bool = False) -> Store:
    """Open the store, creating the file (mode 0600, WAL) and running pending migrations.

    ``must_exist`` (read commands): a missing file is NotFound (exit 4), never created.
    """
    if is_url(path):
        from ops_cli.store.pg_setup import open_pg

        return open_pg(path, busy_timeout, must_exist=must_exist)
    path = Path(path)
    # An empty file is no store either (a `touch` or a failed copy): a read command must not
    # quietly build one there.
    if must_exist and (not path.exists() or (path.is_file() and path.stat().st_size == 0)):
        from ops_cli.errors import NotFound

        raise NotFound(f"no store at {path}; run `ops init`")
    _create_file(path)
    try:
        conn = _connect(path, busy_timeout)
        refuse_foreign(conn, path)
        store = Store(path, conn)
        ensure_wal(conn, path, busy_timeout)
        migrate(store)
        store.record_changes = True  # changesets from here on, never for migrations
    except sqlite3.DatabaseError as exc:
        if isinstance(exc, sqlite3.OperationalError) and is_busy(exc):
            raise busy_error(path) from None
        if is_read_only(exc):
            raise read_only_error(path) from None
        raise StoreUnreadable(
            f"{path} is not a readable ops store ({exc}); run `ops db check` on it"
        ) from None
    return store


def _ledger(store: Store) -> set[int]:
    """The applied migrations, inside the write transaction; creates the ledger on first use.

    A store from before the ledger has applied every shipped migration up to its
    ``user_version`` (migrations used to run in number order only).
    """
    if store.is_postgres:  # a failed SELECT would end the transaction there: make it first
        store.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations"
            " (number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
    applied = applied_numbers(store)
    if applied is not None:
        return applied
    store.conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations"
        " (number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    version = store.user_version()
    legacy = [(n, name) for n, name, _ in migration_files() if n <= version]
    store.conn.executemany(
        "INSERT INTO schema_migrations (number, name, applied_at) VALUES (?, ?, 'before the ledger')", legacy
    )
    return {n for n, _ in legacy}


def migrate(store: Store) -> list[str]:
    """Apply every shipped migration the store lacks, in number order, each in its own
    ``BEGIN IMMEDIATE`` transaction (skipped when another process applied it meanwhile);
    on PostgreSQL all of them in one transaction (its DDL is transactional).

    The ledger (``schema_migrations``) records each one, so a migration numbered below one
    already applied (the teams' number blocks) still runs; ``user_version`` is the highest.
    """
    applied = applied_numbers(store)
    shipped = shipped_numbers()
    check_version(store, applied, shipped)
    if applied is not None and shipped <= applied:
        return []  # the common case: nothing to read
    pending = [m for m in migration_files(store.is_postgres) if applied is None or m[0] not in applied]
    done = []
    if store.is_postgres:  # DDL is transactional there: every pending migration in one transaction
        with store.write():
            ledger = _ledger(store)  # another process may have got there first
            for number, name, sql in pending:
                if number not in ledger:
                    _apply(store, number, name, sql)
                    done.append(name)
        return done
    for number, name, sql in pending:
        with store.write():
            if number in _ledger(store):  # another process got there first
                continue
            _apply(store, number, name, sql)
        done.append(name)
    return done


def _apply(store: Store, number: int, name: str, sql: str) -> None:
    """One migration and its ledger record, inside the caller's write transaction."""
    if store.is_postgres:
        store.conn.script(sql)
    else:
        for statement in statements(sql):
            store.conn.execute(statement)
    store.conn.execute(
        "INSERT INTO schema_migrations (number, name, applied_at) VALUES (?, ?, ?)",
        (number, name, datetime.now(UTC).isoformat(timespec="seconds")),
    )
    store.backend.set_user_version(store.conn, max(number, store.user_version()))
    store.conn.execute(
        "INSERT INTO meta (key, value) VALUES ('ops_cli_version', ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (__version__,),
    )

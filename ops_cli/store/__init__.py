"""The SQLite store: connection set-up, migrations, transactions and audit.

All SQL of the toolkit lives in this package. Connections run in autocommit
mode and every write is an explicit ``BEGIN IMMEDIATE`` transaction
(:meth:`Store.write`), so two processes writing at once queue on the busy
timeout instead of failing half-way, and a killed bulk import leaves all rows
or none.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ops_cli.errors import Conflict, InvalidInput, OpsError

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


_MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def migration_files() -> list[tuple[int, str, str]]:
    """The numbered migrations shipped with the package: (number, name, sql)."""
    found = []
    for entry in os.scandir(_MIGRATIONS_DIR):
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            with open(entry.path, encoding="utf-8") as handle:
                found.append((int(match.group(1)), entry.name, handle.read()))
    return sorted(found)


def latest_version() -> int:
    """The highest migration number shipped (cheap: file names only)."""
    return max(int(m.group(1)) for e in os.scandir(_MIGRATIONS_DIR) if (m := _MIGRATION_NAME.match(e.name)))


def _statements(script: str) -> Iterator[str]:
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


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


class Store:
    """One open store file."""

    def __init__(self, path: Path, conn: sqlite3.Connection):
        self.path = path
        self.conn = conn
        self._depth = 0

    # ------------------------------------------------------------ basics
    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        try:
            return self.conn.execute(sql, params)
        except sqlite3.OperationalError as exc:
            if _is_busy(exc):
                raise Conflict(f"the store {self.path} stayed busy past the timeout; try again") from None
            raise

    def executemany(self, sql: str, rows: Any) -> sqlite3.Cursor:
        return self.conn.executemany(sql, rows)

    def query(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
        return self.execute(sql, params).fetchall()

    def one(self, sql: str, params: Any = ()) -> sqlite3.Row | None:
        return self.execute(sql, params).fetchone()

    @contextmanager
    def write(self) -> Iterator[Store]:
        """A write transaction: ``BEGIN IMMEDIATE`` ... ``COMMIT``, rolled back on any error.

        Nested use joins the outer transaction, so a core function that writes
        can be called from another one that already holds the write lock.
        """
        if self._depth:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if _is_busy(exc):
                raise Conflict(
                    f"the store {self.path} is busy (another process is writing); try again"
                ) from None
            if "readonly" in str(exc).lower() or "read-only" in str(exc).lower():
                raise InvalidInput(f"the store {self.path} is read-only; check its permissions") from None
            raise
        self._depth = 1
        try:
            yield self
        except BaseException:
            self._depth = 0
            self.conn.execute("ROLLBACK")
            raise
        self._depth = 0
        try:
            self.conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            self.conn.execute("ROLLBACK")
            if _is_busy(exc):
                raise Conflict(f"the store {self.path} stayed busy past the timeout; try again") from None
            raise

    @property
    def in_transaction(self) -> bool:
        return self._depth > 0

    def audit(
        self,
        actor: str,
        action: str,
        obj: str,
        before: Any = None,
        after: Any = None,
        at: datetime | None = None,
    ) -> None:
        """Append one audit record (inside the caller's write transaction)."""
        if not self._depth:
            raise RuntimeError("audit records are written inside Store.write()")
        when = (at or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
        self.conn.execute(
            "INSERT INTO audit (at, actor, action, object, before, after) VALUES (?, ?, ?, ?, ?, ?)",
            (when, actor, action, obj, _json(before), _json(after)),
        )

    def close(self) -> None:
        self.conn.close()

    # ------------------------------------------------------------ admin
    def user_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def check(self) -> list[str]:
        """Integrity and foreign-key problems; an empty list means healthy."""
        return _problems(self.conn)

    def backup(self, target: Path) -> None:
        """A consistent copy, taken with SQLite's online backup API while others write."""
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            raise Conflict(f"{target} already exists; choose a new file name")
        _create_private(target)
        dest = sqlite3.connect(target)
        try:
            self.conn.backup(dest)
        finally:
            dest.close()

    def audit_log(self, limit: int = 50) -> list[dict[str, Any]]:
        rows = self.query(
            "SELECT id, at, actor, action, object, before, after FROM audit ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        return [
            {
                "id": row["id"],
                "at": row["at"],
                "actor": row["actor"],
                "action": row["action"],
                "object": row["object"],
                "before": json.loads(row["before"]) if row["before"] else None,
                "after": json.loads(row["after"]) if row["after"] else None,
            }
            for row in rows
        ]


def _problems(conn: sqlite3.Connection) -> list[str]:
    problems = [row[0] for row in conn.execute("PRAGMA integrity_check") if row[0] != "ok"]
    for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check"):
        problems.append(f"{table} row {rowid}: missing {parent} row")
    return problems


def check_file(path: Path) -> tuple[list[str], int | None]:
    """Check a store file read-only, without migrating it: (problems, schema version)."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return _problems(conn), conn.execute("PRAGMA user_version").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return [f"not a readable SQLite store: {exc}"], None


def _json(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, default=str, ensure_ascii=False, sort_keys=True)


def _create_private(path: Path) -> None:
    """Create an empty file readable by its owner only (mode 0600)."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def _connect(path: Path, busy_timeout: float) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
    return conn


def open_store(path: Path, busy_timeout: float = 5.0) -> Store:
    """Open the store, creating the file (mode 0600, WAL) and running pending migrations."""
    path = Path(path)
    created = False
    if not path.exists():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                _create_private(path)
                created = True
            except FileExistsError:
                pass  # another process created it first
        except OSError as exc:
            raise InvalidInput(
                f"cannot create the store at {path}: {exc.strerror}; choose another place with --db or OPS_DB"
            ) from None
    elif path.is_dir():
        raise InvalidInput(f"the store path {path} is a folder; give a file name with --db or OPS_DB")
    try:
        conn = _connect(path, busy_timeout)
        if created:
            # WAL is a property of the file: set once, kept by every later connection.
            conn.execute("PRAGMA journal_mode = WAL")
        store = Store(path, conn)
        migrate(store)
    except sqlite3.DatabaseError as exc:
        if isinstance(exc, sqlite3.OperationalError) and _is_busy(exc):
            raise Conflict(f"the store {path} stayed busy past the timeout; try again") from None
        raise StoreUnreadable(
            f"{path} is not a readable ops store ({exc}); run `ops db check` on it"
        ) from None
    return store


class StoreUnreadable(OpsError):
    """The file is not an SQLite database or is damaged."""

    exit_code = 1


def migrate(store: Store) -> list[str]:
    """Apply pending migrations, each in its own transaction; returns the names applied."""
    if store.user_version() >= latest_version():
        return []  # the common case: nothing to read
    pending = [m for m in migration_files() if m[0] > store.user_version()]
    applied = []
    for number, name, sql in pending:
        with store.write():
            # Another process may have migrated while we waited for the lock.
            if store.user_version() >= number:
                continue
            for statement in _statements(sql):
                store.conn.execute(statement)
            store.conn.execute(f"PRAGMA user_version = {number}")
        applied.append(name)
    return applied

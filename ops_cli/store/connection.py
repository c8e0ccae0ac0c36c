"""One open store: statements, write transactions, the audit record, backup and check."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ops_cli import files
from ops_cli.errors import Conflict, InvalidInput
from ops_cli.store import changes as _changes
from ops_cli.store.audit import audit_rows

#: The audit keeps the business time (``OPS_NOW``, ``--at``) beside the real time when they
#: differ by at least this much (a command's own run time does not count as a difference).
BUSINESS_CLOCK_SLACK = timedelta(minutes=1)


def is_busy(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def is_read_only(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "readonly" in text or "read-only" in text


def busy_error(path: Path) -> Conflict:
    return Conflict(f"the store {path} stayed busy past the timeout (another process is writing); try again")


def read_only_error(path: Path) -> InvalidInput:
    return InvalidInput(f"the store {path} is read-only; check the permissions of the file and of its folder")


class Store:
    """One open store file."""

    def __init__(self, path: Path, conn: sqlite3.Connection):
        self.path = path
        self.conn = conn
        self._depth = 0
        #: Written into every audit record's ``origin`` ("demo" while the demo loader runs).
        self.origin: str | None = None

    # ------------------------------------------------------------ basics
    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        try:
            return self.conn.execute(sql, params)
        except sqlite3.OperationalError as exc:
            if is_busy(exc):
                raise busy_error(self.path) from None
            if is_read_only(exc):
                raise read_only_error(self.path) from None
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
        _changes.prepare(self)  # changesets: capture triggers, a fresh changeset
        self._begin()
        self._depth = 1
        try:
            yield self
        except BaseException as exc:
            self._depth = 0
            self.conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError) and is_read_only(exc):
                raise read_only_error(self.path) from None
            raise
        self._depth = 0
        self._commit()

    def _begin(self) -> None:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if is_busy(exc):
                raise Conflict(
                    f"the store {self.path} is busy (another process is writing); try again"
                ) from None
            if is_read_only(exc):
                raise read_only_error(self.path) from None
            raise

    def _commit(self) -> None:
        try:
            self.conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            self.conn.execute("ROLLBACK")
            if is_busy(exc):
                raise busy_error(self.path) from None
            if is_read_only(exc):
                raise read_only_error(self.path) from None
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
        """Append one audit record (inside the caller's write transaction).

        ``at`` is the business time of the change (``ops.now()``, which honours ``OPS_NOW``, or
        a typed ``--at``). The record's ``at`` is always the real time of the write; the
        business time is kept beside it (``business_at``) when the two differ.
        """
        if not self._depth:
            raise RuntimeError("audit records are written inside Store.write()")
        real = datetime.now(UTC)
        business = None
        if at is not None and abs(at.astimezone(UTC) - real) >= BUSINESS_CLOCK_SLACK:
            business = at.astimezone(UTC).isoformat(timespec="seconds")
        changeset = _changes.current(self, actor, business)  # None: the store records no changesets
        self.conn.execute(
            "INSERT INTO audit (at, business_at, origin, actor, action, object, before, after, changeset_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                real.isoformat(timespec="seconds"),
                business,
                self.origin,
                actor,
                action,
                obj,
                _json(before),
                _json(after),
                changeset,
            ),
        )

    def close(self) -> None:
        self.conn.close()

    # ------------------------------------------------------------ admin
    def user_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def check(self) -> list[str]:
        """Integrity and foreign-key problems; an empty list means healthy."""
        return problems(self.conn)

    def backup(self, target: Path, *, force: bool = False) -> None:
        """A consistent copy, taken with SQLite's online backup API while others write.

        Written through :mod:`ops_cli.files`: into a temp file beside ``target`` (0600),
        renamed into place when complete; an existing file is refused unless ``force``.
        """
        with files.output_path(target, force=force) as tmp:
            dest = sqlite3.connect(tmp)
            try:
                self.conn.backup(dest)
                dest.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            finally:
                dest.close()

    def audit_log(self, limit: int = 50) -> list[dict[str, Any]]:
        """The newest audit records; ``classified`` tells a sensitive or secret case's record."""
        return audit_rows(self, limit)


def problems(conn: sqlite3.Connection) -> list[str]:
    found = [row[0] for row in conn.execute("PRAGMA integrity_check") if row[0] != "ok"]
    for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check"):
        found.append(f"{table} row {rowid}: missing {parent} row")
    return found


def _json(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, default=str, ensure_ascii=False, sort_keys=True)

"""One open store: statements, write transactions, the audit record, backup and check."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ops_cli.errors import Conflict, InvalidInput
from ops_cli.store.backend import SQLITE, is_url, label

if TYPE_CHECKING:
    from ops_cli.store.audit import BUSINESS_CLOCK_SLACK  # see __getattr__

__all__ = [
    "BUSINESS_CLOCK_SLACK",
    "Store",
    "busy_error",
    "is_busy",
    "is_read_only",
    "problems",
    "read_only_error",
]


def is_busy(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def is_read_only(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "readonly" in text or "read-only" in text


def busy_error(path: Path | str) -> Conflict:
    return Conflict(
        f"the store {label(path)} stayed busy past the timeout (another process is writing); try again"
    )


def read_only_error(path: Path | str) -> InvalidInput:
    if is_url(path):
        return InvalidInput(
            f"the store {label(path)} is read-only for this user; check the role's privileges on the schema"
        )
    return InvalidInput(f"the store {path} is read-only; check the permissions of the file and of its folder")


class Store:
    """One open store: an SQLite file, or a PostgreSQL schema (``backend``, :mod:`.backend`).

    ``path`` is the file's path, or the URL with its password masked (safe in any message).
    """

    def __init__(self, path: Path | str, conn: Any, backend: Any = SQLITE):
        self.path = label(path) if is_url(path) else path
        self.conn = conn
        self.backend = backend
        self._depth = 0
        #: Written into every audit record's ``origin`` ("demo" while the demo loader runs).
        self.origin: str | None = None

    # ------------------------------------------------------------ basics
    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        try:
            return self.conn.execute(sql, params)
        except sqlite3.OperationalError as exc:
            raise self._store_error(exc) from None

    def executemany(self, sql: str, rows: Any) -> sqlite3.Cursor:
        try:
            return self.conn.executemany(sql, rows)
        except sqlite3.OperationalError as exc:
            raise self._store_error(exc) from None

    def _store_error(self, exc: sqlite3.OperationalError) -> Exception:
        """A locked or read-only store becomes the error the runtime maps to its exit code; any
        other database error stays itself."""
        if is_busy(exc):
            return busy_error(self.path)
        if is_read_only(exc):
            return read_only_error(self.path)
        return exc

    def query(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
        return self.execute(sql, params).fetchall()

    def one(self, sql: str, params: Any = ()) -> sqlite3.Row | None:
        return self.execute(sql, params).fetchone()

    @contextmanager
    def write(self) -> Iterator[Store]:
        """A write transaction: ``BEGIN IMMEDIATE`` ... ``COMMIT`` (PostgreSQL: a transaction
        holding the store's advisory lock, so writers take turns alike), rolled back on any error.

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
        from ops_cli.store import changes  # writes only: a read command never loads it

        changes.prepare(self)  # changesets: capture triggers, a fresh changeset
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
        self._saving = changes.running(self)  # what an interrupt from here on may have saved
        self._depth = 0
        self._commit()

    def saved_changeset(self) -> int | None:
        """The changeset of this store's last write transaction if its COMMIT went through (a
        Ctrl-C may land just before or just after it: the store itself is asked), else None."""
        number = self.__dict__.get("_saving")
        if number is None:
            return None
        try:
            if self.conn.in_transaction:  # stopped before the COMMIT: nothing was saved
                self.conn.execute("ROLLBACK")
                return None
            return number if self.one("SELECT 1 FROM changesets WHERE id = ?", (number,)) else None
        except sqlite3.Error:
            return None

    def _begin(self) -> None:
        try:
            self.backend.begin_write(self.conn)
        except sqlite3.OperationalError as exc:
            if is_busy(exc):
                raise Conflict(
                    f"the store {label(self.path)} is busy (another process is writing); try again"
                ) from None
            if is_read_only(exc):
                raise read_only_error(self.path) from None
            raise

    def _commit(self) -> None:
        try:
            self.backend.commit(self.conn)
        except sqlite3.OperationalError as exc:
            self.conn.execute("ROLLBACK")
            raise self._store_error(exc) from None

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
        from ops_cli.store.audit import audit_times, image_json  # writes only: not for a listing

        real, business = audit_times(at)  # the one clock rule (store/audit.py)
        from ops_cli.store import changes  # loaded by write() already

        changeset = changes.current(self, actor, business)  # None: the store records no changesets
        (self.conn.defer if self.is_postgres else self.conn.execute)(
            "INSERT INTO audit (at, business_at, origin, actor, action, object, before, after, changeset_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                real,
                business,
                self.origin,
                actor,
                action,
                obj,
                image_json(before),
                image_json(after),
                changeset,
            ),
        )

    def close(self) -> None:
        self.conn.close()

    # ------------------------------------------------------------ admin
    @property
    def is_postgres(self) -> bool:
        return self.backend.name == "postgresql"

    def user_version(self) -> int:
        return self.backend.user_version(self.conn)

    def tables(self) -> list[str]:
        """The store's tables (its schema's, on PostgreSQL), by name."""
        return self.backend.tables(self.conn)

    def check(self) -> list[str]:
        """Integrity and foreign-key problems; an empty list means healthy."""
        return self.backend.problems(self.conn)

    def backup(self, target: Path, *, force: bool = False) -> None:
        """A consistent copy, taken with SQLite's online backup API while others write.

        Written through :mod:`ops_cli.files`: into a temp file beside ``target`` (0600),
        renamed into place when complete; an existing file is refused unless ``force``.
        """
        from ops_cli import files  # a backup only: not at start-up

        if self.is_postgres:  # a portable snapshot: an SQLite file with every row
            from ops_cli.store.copy import copy_store

            files.check_target(target, force=force)
            copy_store(self, Path(target), force=force)
            return
        with files.output_path(target, force=force) as tmp:
            dest = sqlite3.connect(tmp)
            try:
                self.conn.backup(dest)
                dest.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            finally:
                dest.close()

    def audit_log(self, limit: int = 50) -> list[dict[str, Any]]:
        """The newest audit records; ``classified`` tells a sensitive or secret case's record."""
        from ops_cli.store.audit import audit_rows

        return audit_rows(self, limit)


def problems(conn: sqlite3.Connection) -> list[str]:
    return SQLITE.problems(conn)


def _json(value: Any) -> str | None:
    from ops_cli.store.audit import image_json

    return image_json(value)


def __getattr__(name: str) -> Any:
    """``BUSINESS_CLOCK_SLACK`` (of :mod:`.audit`, loaded by the writes: a read command does
    not load it, start-up issue 16)."""
    if name == "BUSINESS_CLOCK_SLACK":
        from ops_cli.store.audit import BUSINESS_CLOCK_SLACK

        return BUSINESS_CLOCK_SLACK
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

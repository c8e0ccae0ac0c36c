"""The store: connection set-up, migrations, transactions and audit, on SQLite or PostgreSQL.

All SQL of the toolkit lives in this package, written once for both backends (SQLite's
dialect with ``?`` placeholders; :mod:`.backend` says what the PostgreSQL side translates).
Connections run in autocommit mode and every write is an explicit ``BEGIN IMMEDIATE``
transaction (PostgreSQL: a transaction holding the store's advisory lock) (:meth:`Store.write`),
so two processes writing at once queue on the busy timeout instead of failing half-way, and a
killed bulk import leaves all rows or none.

- :mod:`.connection`: :class:`Store` (statements, transactions, the audit record, backup);
- :mod:`.setup`: :func:`open_store` (creation, WAL, migrations, newer stores refused; a
  ``postgresql://`` URL goes to :mod:`.pg_setup`);
- :mod:`.backend`: what differs between the backends (:mod:`.pg`, :mod:`.pg_sql`,
  :mod:`.pg_changes` for PostgreSQL, imported only for a URL);
- :mod:`.audit`: reading the audit log; one module per domain for its SQL.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ops_cli.store.connection import (
    Store,
    busy_error,
    is_busy,
    is_read_only,
    problems,
    read_only_error,
)
from ops_cli.store.setup import (
    StoreUnreadable,
    check_version,
    create_private,
    latest_version,
    migrate,
    migration_files,
    open_store,
    statements,
)

if TYPE_CHECKING:
    from ops_cli.store.audit import BUSINESS_CLOCK_SLACK  # see __getattr__


def check_file(path: Path) -> tuple[list[str], int | None]:
    """Check a store file read-only, without migrating it: (problems, schema version)."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return problems(conn), conn.execute("PRAGMA user_version").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if is_read_only(exc):  # e.g. a WAL store in a read-only folder: not damaged, not checkable
            raise read_only_error(path) from None
        if is_busy(exc):
            raise busy_error(path) from None
        return [f"not a readable SQLite store: {exc}"], None


def __getattr__(name: str) -> Any:
    """``BUSINESS_CLOCK_SLACK`` of :mod:`.audit`, loaded when first asked for (writes)."""
    if name == "BUSINESS_CLOCK_SLACK":
        from ops_cli.store.audit import BUSINESS_CLOCK_SLACK

        return BUSINESS_CLOCK_SLACK
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# Names of the flat module, kept for callers that used them.
_statements = statements
_create_private = create_private
_is_busy = is_busy
_problems = problems

__all__ = [
    "BUSINESS_CLOCK_SLACK",
    "Store",
    "StoreUnreadable",
    "check_file",
    "check_version",
    "latest_version",
    "migrate",
    "migration_files",
    "open_store",
]

"""The two store backends: SQLite (a file path, the default) and PostgreSQL (a URL).

Everything that differs between the two sits here, behind one small interface, so the store
modules write one SQL text for both (``?`` placeholders, ``ON CONFLICT``, ``COALESCE``...):

- connecting (psycopg 3 is imported only when a ``postgresql://`` URL is opened);
- the SQL text: translated once per statement text for PostgreSQL and cached (``?``, ``?NNN``
  and ``:name`` placeholders, ``%`` escaped, ``LIKE`` case-insensitive as SQLite's,
  ``IS ?`` as a null-safe comparison, ``INSERT OR IGNORE``, ``main.``/``temp.`` prefixes);
- rows that behave as :class:`sqlite3.Row` (index and key access, ``keys()``, ``dict(row)``);
- the write lock (SQLite ``BEGIN IMMEDIATE``; PostgreSQL a transaction holding an advisory
  lock, so writers take turns as on SQLite), the schema version, the integrity check;
- errors: PostgreSQL errors reach the rest of the program as the :mod:`sqlite3` exception
  classes (busy, read-only, integrity), so every existing ``except`` and exit code holds;
- no password of a URL is ever shown (:func:`mask_url`).

This module holds the SQLite backend and what both need (it is imported at every start-up);
the PostgreSQL one is :mod:`.pg` (connection, errors, lock), :mod:`.pg_sql` (translation,
rows), :mod:`.pg_setup` (opening, migrations ``migrations/NNNN_name.pg.sql``) and :mod:`.pg_changes`
(changesets), imported only for a URL. ``backend.PG``, ``backend.translate``... still work.
"""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path
from typing import Any

_SCHEMES = ("postgresql://", "postgres://")


def is_url(location: Any) -> bool:
    """True for a PostgreSQL URL (``postgresql://`` or ``postgres://``)."""
    return isinstance(location, str) and location.lower().startswith(_SCHEMES)


def mask_url(url: str) -> str:
    """The URL with its password (and a ``password=`` parameter) replaced by ``***``."""
    url = re.sub(r"^([A-Za-z][\w+.-]*://[^:/@?#]*:)[^@/?#]*@", r"\1***@", url)
    return re.sub(r"([?&]password=)[^&#]*", r"\1***", url, flags=re.I)


def secrets_of(url: str) -> list[str]:
    """The password texts a URL holds (to scrub them from any driver message)."""
    from urllib.parse import parse_qsl, unquote, urlsplit  # only for a URL's messages

    found = []
    try:
        parts = urlsplit(url)
        if parts.password:
            found.append(parts.password)
            found.append(unquote(parts.password))
        found += [v for k, v in parse_qsl(parts.query) if k.lower() == "password" and v]
    except ValueError:
        pass
    return [s for s in found if s]


def scrub(text: str, url: str) -> str:
    for secret in secrets_of(url):
        text = text.replace(secret, "***")
    return text


# ====================================================================== SQLite
class SqliteBackend:
    name = "sqlite"
    #: Rows bound to one INSERT of a staging table (``store.staging``): 200 rows of eight values
    #: stay far below SQLite's 32,766 variables.
    rows_per_insert = 200

    def begin_write(self, conn: sqlite3.Connection) -> None:
        conn.execute("BEGIN IMMEDIATE")

    def commit(self, conn: sqlite3.Connection) -> None:
        conn.execute("COMMIT")

    def user_version(self, conn: sqlite3.Connection) -> int:
        return conn.execute("PRAGMA user_version").fetchone()[0]

    def set_user_version(self, conn: sqlite3.Connection, number: int) -> None:
        conn.execute(f"PRAGMA user_version = {int(number)}")

    def problems(self, conn: sqlite3.Connection) -> list[str]:
        found = [row[0] for row in conn.execute("PRAGMA integrity_check") if row[0] != "ok"]
        for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check"):
            found.append(f"{table} row {rowid}: missing {parent} row")
        return found

    def tables(self, conn: sqlite3.Connection) -> list[str]:
        query = (
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
        return [row[0] for row in conn.execute(query)]

    def foreign_keys(self, conn: sqlite3.Connection) -> list[tuple[str, str]]:
        """(child table, parent table) for every foreign key of the store."""
        query = (
            'SELECT m.name, p."table" FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) p'
            " WHERE m.type = 'table'"
        )
        return [(row[0], row[1]) for row in conn.execute(query)]

    def keeps_row_id(self, columns: list[str]) -> bool:
        """Whether a table's rows carry a row id that undo follows: always on SQLite (``rowid``)."""
        return True

    def sync_identities(self, conn: sqlite3.Connection) -> None:
        """After rows were written with their ids: SQLite keeps its counters itself."""

    def large_read(self, conn: sqlite3.Connection) -> None:
        """Before a read that visits many rows out of their table's order (a report's 100,000
        cases by time): a page cache of up to 64 MB, filled as pages are read (the default 2 MB
        reads pages again and again), and the file's first 256 MB read through a memory map (no
        copy of each page into that cache: a tenth of a 100,000-case read)."""
        conn.execute("PRAGMA cache_size = -65536")
        conn.execute("PRAGMA mmap_size = 268435456")


SQLITE = SqliteBackend()


def backend_of(location: Any) -> Any:
    if is_url(location):
        from ops_cli.store.pg import PG

        return PG
    return SQLITE


def label(location: Any) -> str:
    """How a store is named in a message: the path, or the URL without its password."""
    return mask_url(location) if is_url(location) else os.fspath(location)


def location(text: str | os.PathLike[str]) -> str | Path:
    """A ``--db``/``OPS_DB``/config value: a URL stays text, anything else is a path."""
    if is_url(text):
        return str(text)
    return Path(os.fspath(text)).expanduser()


def store_exists(location: Any) -> bool:
    """Whether a store is there: the file exists, or the URL's schema holds the migration ledger."""
    if not is_url(location):
        return Path(location).exists()
    from ops_cli.store.pg import PG

    conn = PG.connect(location, 5.0)
    try:
        return "schema_migrations" in PG.tables(conn)
    finally:
        conn.close()


def __getattr__(name: str) -> Any:
    """The PostgreSQL backend's names (``PG``, ``translate``, ``row_class``...), from
    :mod:`.pg`, imported on first use."""
    if name.startswith("__"):
        raise AttributeError(name)
    from ops_cli.store import pg

    try:
        return getattr(pg, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None

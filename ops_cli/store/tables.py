"""The tables as the change capture sees them: their columns and primary key (``PRAGMA
table_info``, remembered per connection and schema version; PostgreSQL's from the catalog), and
the SQL of a row's JSON image, as the capture triggers, the set-based capture and undo build it."""

from __future__ import annotations

import sqlite3
from typing import Any

from ops_cli.store import pg_changes as _pg


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def table_info(conn: sqlite3.Connection, table: str) -> list[tuple[Any, ...]]:
    """``PRAGMA table_info``, remembered per connection while the schema stays the same."""
    pg = not isinstance(conn, sqlite3.Connection)  # PostgreSQL: ops_cli/store/pg_changes.py
    version = _pg.schema_version(conn) if pg else conn.execute("PRAGMA main.schema_version").fetchone()[0]
    key = (id(conn), version, table)
    if key not in INFO:
        if len(INFO) > 256:
            INFO.clear()
        INFO[key] = (
            _pg.table_info(conn, table)
            if pg
            else [tuple(row) for row in conn.execute(f"PRAGMA main.table_info({quote(table)})")]
        )
    return INFO[key]


INFO: dict[tuple[int, int, str], list[tuple[Any, ...]]] = {}


def columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in table_info(conn, table)]


def primary_key(conn: sqlite3.Connection, table: str) -> list[str]:
    rows = sorted((row[5], row[1]) for row in table_info(conn, table) if row[5])
    return [name for _, name in rows]


def image_sql(cols: list[str], which: str) -> str:
    """SQL for the JSON object of a row's columns (in parts of 40: SQLite caps a function's
    arguments, 127 in older builds)."""
    image = "json_object(" + ", ".join(f"{literal(c)}, {which}.{quote(c)}" for c in cols[:40]) + ")"
    for i in range(40, len(cols), 40):
        more = ", ".join(f"{literal(chr(36) + '.' + quote(c))}, {which}.{quote(c)}" for c in cols[i : i + 40])
        image = f"json_set({image}, {more})"
    return image

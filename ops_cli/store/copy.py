"""Copying a whole store to another place, across backends (``ops db copy``, ``db backup``).

SQLite → PostgreSQL, PostgreSQL → SQLite (the portable snapshot ``db backup`` writes on
PostgreSQL), or the same backend twice. The target is a store made by this program (its
migrations, its triggers); every table's rows are copied in foreign-key order inside ONE write
transaction on the target, and each table's row count is checked against the source's before
the commit: a mismatch, an error or a kill leaves the target as it was (an SQLite file target
is built in a temp file beside it and renamed into place through :mod:`ops_cli.files`).

The source is read under its own write lock, so the copy is one consistent state even while
others work (they wait for the copy, as for any writer).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ops_cli import files
from ops_cli.errors import CheckFailed, Conflict, InvalidInput
from ops_cli.store.backend import is_url, label
from ops_cli.store.connection import Store
from ops_cli.store.pg_changes import RID as _RID  # PostgreSQL's hidden row id (SQLite's rowid)

#: Bookkeeping every store makes for itself (the target's own migrations write them).
_OWN = frozenset({"schema_migrations"})
#: Kept by key: the target's row is replaced by the source's.
_BY_KEY = {"meta": "key"}
_CHUNK = 5000
#: What ``_probe`` reports for a file that is not an SQLite database at all.
_NOT_A_STORE = "(not an ops store)"


def _same_place(source: Store, target: str | Path) -> bool:
    if is_url(target) or source.is_postgres:
        return is_url(target) and source.is_postgres and label(target) == label(source.path)
    try:
        return Path(target).resolve() == Path(source.path).resolve()
    except OSError:
        return False


# ------------------------------------------------------------------ what a store holds
def columns(store: Store, table: str) -> list[str]:
    cursor = store.execute(f'SELECT * FROM "{table}" WHERE 1 = 0')
    names = [col[0] for col in cursor.description]
    cursor.fetchall()
    return names


def row_counts(store: Store) -> dict[str, int]:
    """Every table's row count (bookkeeping tables left out)."""
    return {t: store.one(f'SELECT count(*) FROM "{t}"')[0] for t in store.tables() if t not in _OWN}


def _data_rows(counts: dict[str, int]) -> int:
    """Rows a user made (``meta`` holds only the program's own version)."""
    return sum(n for t, n in counts.items() if t not in _BY_KEY)


def copy_order(store: Store, tables: list[str]) -> list[str]:
    """The tables, every one after the tables its foreign keys name (parents first)."""
    parents: dict[str, set[str]] = {t: set() for t in tables}
    for child, parent in store.backend.foreign_keys(store.conn):
        if child in parents and parent in parents and child != parent:
            parents[child].add(parent)
    ordered: list[str] = []
    while parents:
        ready = sorted(t for t, needs in parents.items() if not needs - set(ordered))
        if not ready:  # a cycle: keep the rest in name order (foreign keys then say which row)
            ready = sorted(parents)
        ordered.extend(ready)
        for t in ready:
            del parents[t]
    return ordered


# ------------------------------------------------------------------ the target
def _probe(target: str | Path) -> dict[str, int] | None:
    """The target's row counts without changing it; None when there is no store there."""
    from ops_cli.store.backend import store_exists

    if is_url(target):
        from ops_cli.store.pg import PG

        if not store_exists(target):
            return None
        conn = PG.connect(target, 5.0)
        try:
            return {
                t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                for t in PG.tables(conn)
                if t not in _OWN
            }
        finally:
            conn.close()
    path = Path(target)
    if not path.exists():
        return None
    if not path.is_file() or path.stat().st_size == 0:
        return {}
    try:  # read-write: a read-only connection would leave a WAL file's -wal/-shm behind
        conn = sqlite3.connect(path)
        try:
            names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            return {
                t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                for t in names
                if t not in _OWN and not t.startswith("sqlite_")
            }
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return {_NOT_A_STORE: 1}


def _present(target: str | Path) -> bool:
    from ops_cli.store.backend import store_exists

    return store_exists(target) if is_url(target) else Path(target).exists()


def _refuse_full(target: str | Path, counts: dict[str, int] | None, force: bool) -> None:
    if counts is None or force:
        return
    if _NOT_A_STORE in counts:
        raise Conflict(f"the target {label(target)} is a file that is not a store; use --force to replace it")
    rows = _data_rows(counts)
    if rows:
        raise Conflict(
            f"the target {label(target)} already holds a store with {rows} row(s);"
            " use --force to replace its contents"
        )


@contextmanager
def _target_store(target: str | Path, *, replace: bool, busy_timeout: float) -> Iterator[Store]:
    """A fresh store at ``target``, yielded for filling; SQLite: built beside it, renamed on success."""
    from ops_cli.store.setup import open_store

    if is_url(target):
        store = open_store(target, busy_timeout)
        try:
            if replace:
                store = _emptied(store, target, busy_timeout)
            store.record_changes = False
            yield store
        finally:
            store.close()
        return
    with files.output_path(target, force=replace) as tmp:  # an empty 0600 file: becomes the store
        store = open_store(tmp, busy_timeout)
        try:
            store.record_changes = False
            yield store
            store.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        finally:
            store.close()


def _emptied(store: Store, target: str, busy_timeout: float) -> Store:
    """``--force`` on PostgreSQL: the store dropped (tables and functions), then made again by
    the migrations."""
    from ops_cli.store.setup import open_store

    with store.write():
        store.backend.drop_store(store.conn)
    store.close()
    return open_store(target, busy_timeout)


# ------------------------------------------------------------------ the copy


def _shape(store: Store, table: str) -> tuple[list[str], bool]:
    """The table's columns and whether its rows have a row id (SQLite: always)."""
    names = columns(store, table)
    return [n for n in names if n != _RID], store.backend.keeps_row_id(names)


def _copy_table(source: Store, target: Store, table: str, names: list[str], rid: bool) -> int:
    """The rows of ``table`` (the given columns, and the row id when ``rid``: undo follows rows by it)."""
    quoted = ", ".join(["rowid"] * rid + [f'"{n}"' for n in names])
    names = ["rowid"] * rid + names
    marks = ", ".join("?" for _ in names)
    insert = f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})'
    if table in _BY_KEY:
        key = _BY_KEY[table]
        sets = ", ".join(f'"{n}" = excluded."{n}"' for n in names if n != key)
        insert += f' ON CONFLICT ("{key}") DO UPDATE SET {sets}'
    cursor = source.execute(f'SELECT {quoted} FROM "{table}"')
    done = 0
    while rows := cursor.fetchmany(_CHUNK):
        target.executemany(insert, [tuple(r) for r in rows])
        done += len(rows)
    return done


def plan(source: Store, target: str | Path) -> list[dict[str, Any]]:
    """The tables to copy with their row counts, in copy order; refuses what cannot be copied."""
    counts = row_counts(source)
    return [{"table": t, "rows": counts[t]} for t in copy_order(source, list(counts))]


def copy_store(
    source: Store,
    target: str | Path,
    *,
    force: bool = False,
    dry_run: bool = False,
    busy_timeout: float = 5.0,
) -> dict[str, Any]:
    """Copy every row of ``source`` into a store at ``target`` (a path or a URL).

    A target holding a store with rows is refused (exit 6) unless ``force`` (its contents are
    replaced). Returns ``{"from", "to", "tables": [{"table", "rows"}], "rows", "dry_run"}``.
    """
    if _same_place(source, target):
        raise InvalidInput(f"cannot copy the store {label(target)} onto itself; choose another target")
    if not is_url(target):  # a symlink, folder or device is refused before anything is read
        files.check_target(target, force=True)
    existing = _probe(target) if not force else ({} if _present(target) else None)
    _refuse_full(target, existing, force)
    result: dict[str, Any] = {"from": label(source.path), "to": label(target), "dry_run": dry_run}
    with source.write():  # one consistent state: other writers wait for the copy
        tables = plan(source, target)
        if not dry_run:
            replace = existing is not None and (force or not is_url(target))
            with _target_store(target, replace=replace, busy_timeout=busy_timeout) as dest:
                _fill(source, dest, tables)
    result["tables"] = tables
    result["rows"] = sum(t["rows"] for t in tables)
    return result


def _fill(source: Store, dest: Store, tables: list[dict[str, Any]]) -> None:
    """Every table's rows into ``dest`` in one transaction; counts checked before the commit."""
    wanted = set(dest.tables())
    missing = [t["table"] for t in tables if t["table"] not in wanted and t["rows"]]
    if missing:
        raise CheckFailed(f"the target has no table {', '.join(missing)}; nothing was copied")
    with dest.write():
        for entry in tables:
            table = entry["table"]
            if table not in wanted:
                continue
            names, rid = _shape(source, table)
            there, dest_rid = _shape(dest, table)
            lost = [n for n in names if n not in set(there)]
            if lost and entry["rows"]:
                missing = ", ".join(lost)
                raise CheckFailed(f"the target's table {table} has no column {missing}; nothing was copied")
            keep_rid = rid and dest_rid and table not in _BY_KEY  # meta: kept by key
            _copy_table(source, dest, table, [n for n in names if n not in lost], keep_rid)
        dest.backend.sync_identities(dest.conn)
        counted = row_counts(dest)
        wrong = [
            f"{t['table']}: {t['rows']} in the source, {counted.get(t['table'], 0)} copied"
            for t in tables
            if counted.get(t["table"], 0) != t["rows"] and t["table"] not in _BY_KEY
        ]
        if wrong:
            raise CheckFailed("row counts differ, nothing was copied: " + "; ".join(wrong))

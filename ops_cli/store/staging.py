"""The staging tables of big imports: the file's rows are staged (outside the write lock, chunk
by chunk) in a TEMP table; every check that decides the write then runs in SQL inside the write
transaction, against the store as it is (``imports_roster``, ``imports_sub``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from itertools import chain, islice
from typing import Any

from ops_cli.store import Store


def add(store: Store, table: str, fields: str, key: str, rows: Iterable[tuple[Any, ...]]) -> int:
    """Stage ``rows`` (values of ``fields``) in ``table``; a row whose ``key`` is staged already is
    left out (the caller finds it: fewer staged than given). Returns how many were staged.
    The backend says how (``rows_per_insert``): SQLite binds many rows to one INSERT (a quarter
    less time than a statement a row); PostgreSQL takes one ``executemany``, which goes through
    COPY."""
    per_insert = store.backend.rows_per_insert
    if per_insert == 1:
        return _add_many(store, table, fields, key, rows)
    return _add_blocks(store, table, fields, key, rows, per_insert)


def create(store: Store, table: str, definition: str) -> None:
    """A fresh TEMP staging table ``table`` (an earlier one of this connection dropped first)."""
    drop(store, table)
    store.conn.execute(f"CREATE TEMP TABLE {table} {definition}")


def drop(store: Store, table: str) -> None:
    store.conn.execute(f"DROP TABLE IF EXISTS temp.{table}")


def _add_blocks(
    store: Store, table: str, fields: str, key: str, rows: Iterable[tuple[Any, ...]], per_insert: int
) -> int:
    """:func:`add` as INSERTs of ``per_insert`` rows each."""
    width = len(fields.split(","))
    values = chain.from_iterable(rows)
    staged = 0
    with _chunk_transaction(store):
        while block := tuple(islice(values, per_insert * width)):
            staged += store.conn.execute(_blocks_sql(table, fields, key, len(block) // width), block).rowcount
    return staged


@lru_cache(maxsize=8)
def _blocks_sql(table: str, fields: str, key: str, count: int) -> str:
    row = "(" + ", ".join("?" * len(fields.split(","))) + ")"
    return f"INSERT INTO {table} ({fields}) VALUES {', '.join((row,) * count)} ON CONFLICT ({key}) DO NOTHING"


def _add_many(store: Store, table: str, fields: str, key: str, rows: Iterable[tuple[Any, ...]]) -> int:
    """:func:`add` as one many-row insert (``executemany``)."""
    marks = ", ".join("?" * len(fields.split(",")))
    with _chunk_transaction(store):
        cur = store.conn.executemany(
            f"INSERT INTO {table} ({fields}) VALUES ({marks}) ON CONFLICT ({key}) DO NOTHING", rows
        )
        return cur.rowcount


@contextmanager
def _chunk_transaction(store: Store) -> Iterator[None]:
    """One transaction for a chunk's inserts into a TEMP table (outside the write lock: ``BEGIN``
    takes no lock on the store; in autocommit every row would be a transaction of its own)."""
    if store.in_transaction:
        yield
        return
    store.conn.execute("BEGIN")
    try:
        yield
    except BaseException:
        store.conn.execute("ROLLBACK")
        raise
    store.conn.execute("COMMIT")

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
    SQLite: many rows per INSERT; PostgreSQL: one ``executemany``, which goes through COPY."""
    if store.is_postgres:
        return _add_many(store, table, fields, key, list(rows))
    return _add_blocks(store, table, fields, key, rows)


def create(store: Store, table: str, definition: str) -> None:
    """A fresh TEMP staging table ``table`` (an earlier one of this connection dropped first)."""
    drop(store, table)
    store.conn.execute(f"CREATE TEMP TABLE {table} {definition}")


def drop(store: Store, table: str) -> None:
    store.conn.execute(f"DROP TABLE IF EXISTS temp.{table}")


_STAGE_ROWS = 200  # rows per staging INSERT on SQLite (1,600 variables for the sub import's eight)


def _add_blocks(store: Store, table: str, fields: str, key: str, rows: Iterable[tuple[Any, ...]]) -> int:
    """:func:`add` on SQLite as INSERTs of :data:`_STAGE_ROWS` rows each (the values bound
    are the same; a quarter less time than a statement per row)."""
    width = len(fields.split(","))
    values = chain.from_iterable(rows)
    staged = 0
    with _chunk_transaction(store):
        while block := tuple(islice(values, _STAGE_ROWS * width)):
            staged += store.conn.execute(_blocks_sql(table, fields, key, len(block) // width), block).rowcount
    return staged


@lru_cache(maxsize=8)
def _blocks_sql(table: str, fields: str, key: str, count: int) -> str:
    row = "(" + ", ".join("?" * len(fields.split(","))) + ")"
    return f"INSERT INTO {table} ({fields}) VALUES {', '.join((row,) * count)} ON CONFLICT ({key}) DO NOTHING"


def _add_many(store: Store, table: str, fields: str, key: str, rows: Iterable[tuple[Any, ...]]) -> int:
    """:func:`add` on PostgreSQL: one many-row insert (it goes through COPY)."""
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

"""SQL the import pipeline needs beyond the domain modules' own (``store/roster.py``, ``store/kpi.py``...)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from itertools import chain, islice
from typing import Any

from ops_cli.store import Store, changes
from ops_cli.store.connection import BUSINESS_CLOCK_SLACK


def kpi_rename_zones(store: Store, renames: Iterable[tuple[str, str, str]]) -> None:
    """Give a customer's stored KPI rows their zone's normalised (NFC) name: (new zone, customer, old zone).

    Rows imported before zone names were normalised may spell a zone in NFD; the next import
    that names the zone renames every period of it, so one zone is one zone in the reports.
    """
    store.executemany("UPDATE kpi SET zone = ? WHERE customer = ? AND zone = ?", renames)


# ------------------------------------------------------------------ audit records made in SQL
def audit_select(
    store: Store, head: tuple[Any, ...], action: str, select: str, params: Sequence[Any], order: str = ""
) -> int:
    """Audit records for a set of rows in one statement: ``select`` gives (object, before, after),
    written in the order of ``order`` (an ORDER BY list of ``select``'s tables).

    ``head`` is (at, business_at, origin, actor) as ``Store.audit`` computes them
    (:func:`audit_head`); the JSON is built by SQLite (``json_object``), not row by row in Python.
    """
    # The changeset given here, not by the audit trigger record by record (see changes.current);
    # a select that gives no row must not make one (asked without the order: no sort for it).
    _at, business_at, _origin, actor = head
    if store.one(f"SELECT 1 FROM ({select}) x LIMIT 1", params) is None:
        return 0
    changeset = changes.current(store, actor, business_at)
    ordered = f"{select} ORDER BY {order}" if order else select
    cur = store.execute(
        "INSERT INTO audit (at, business_at, origin, actor, action, object, before, after, changeset_id)"
        f" SELECT ?, ?, ?, ?, ?, x.object, x.before, x.after, ? FROM ({ordered}) x",
        (*head, action, changeset, *params),
    )
    return cur.rowcount


def audit_head(store: Store, actor: str, at: datetime | None) -> tuple[Any, ...]:
    """(at, business_at, origin, actor) of an audit record written now (see ``Store.audit``)."""
    real = datetime.now(UTC)
    business = None
    if at is not None and abs(at.astimezone(UTC) - real) >= BUSINESS_CLOCK_SLACK:
        business = at.astimezone(UTC).isoformat(timespec="seconds")
    return real.isoformat(timespec="seconds"), business, store.origin, actor


# ------------------------------------------------------------------ the staging tables of big imports
# The file's rows are staged (outside the write lock, chunk by chunk) in a TEMP table; every check
# that decides the write then runs in SQL inside the write transaction, against the store as it is.


def _stage_create(store: Store, table: str, definition: str) -> None:
    """A fresh TEMP staging table ``table`` (an earlier one of this connection dropped first)."""
    _stage_drop(store, table)
    store.conn.execute(f"CREATE TEMP TABLE {table} {definition}")


def _stage_drop(store: Store, table: str) -> None:
    store.conn.execute(f"DROP TABLE IF EXISTS temp.{table}")


_STAGE_ROWS = 200  # rows per staging INSERT on SQLite (1,600 variables for the sub import's eight)


def _stage_blocks(store: Store, table: str, fields: str, key: str, rows: Iterable[tuple[Any, ...]]) -> int:
    """:func:`_stage_rows` on SQLite as INSERTs of :data:`_STAGE_ROWS` rows each (the values bound
    are the same; a quarter less time than a statement per row)."""
    width = len(fields.split(","))
    values = chain.from_iterable(rows)
    staged = 0
    with staging(store):
        while block := tuple(islice(values, _STAGE_ROWS * width)):
            staged += store.conn.execute(_blocks_sql(table, fields, key, len(block) // width), block).rowcount
    return staged


@lru_cache(maxsize=8)
def _blocks_sql(table: str, fields: str, key: str, count: int) -> str:
    row = "(" + ", ".join("?" * len(fields.split(","))) + ")"
    return f"INSERT INTO {table} ({fields}) VALUES {', '.join((row,) * count)} ON CONFLICT ({key}) DO NOTHING"


def _stage_rows(store: Store, table: str, fields: str, key: str, rows: Iterable[tuple[Any, ...]]) -> int:
    """Stage ``rows`` (values of ``fields``) in ``table``; a row whose ``key`` is staged already is
    left out (the caller finds it: fewer staged than given). One many-row insert (COPY on
    PostgreSQL). Returns how many were staged."""
    marks = ", ".join("?" * len(fields.split(",")))
    with staging(store):
        cur = store.conn.executemany(
            f"INSERT INTO {table} ({fields}) VALUES ({marks}) ON CONFLICT ({key}) DO NOTHING", rows
        )
        return cur.rowcount


@contextmanager
def staging(store: Store) -> Iterator[None]:
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


# `sub import` lives in imports_sub.py (it uses the staging pieces above); its names stay here.
# `roster import` lives in imports_roster.py (it uses the staging pieces above); its names stay here.
from ops_cli.store.imports_roster import (  # noqa: E402, F401
    ROSTER_STAGE,
    roster_stage_add,
    roster_stage_create,
    roster_stage_created,
    roster_stage_customers,
    roster_stage_drop,
    roster_stage_earlier,
    roster_stage_merge,
    roster_stage_planned,
    roster_stage_updated,
    roster_stage_updated_functions,
    roster_stage_write,
)
from ops_cli.store.imports_sub import (  # noqa: E402, F401
    SUB_STAGE,
    SubSurvey,
    sub_stage_add,
    sub_stage_changes,
    sub_stage_count,
    sub_stage_counts,
    sub_stage_create,
    sub_stage_customer_of,
    sub_stage_customers,
    sub_stage_drop,
    sub_stage_foreign,
    sub_stage_holds,
    sub_stage_index,
    sub_stage_merge,
    sub_stage_repeats_tei,
    sub_stage_rule_candidates,
    sub_stage_seen,
    sub_stage_set_aside,
    sub_stage_survey,
    sub_stage_tei_clashes,
    sub_stage_unknown_customers,
    sub_stage_write,
)

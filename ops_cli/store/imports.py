"""SQL the import pipeline needs beyond the domain modules' own (``store/roster.py``, ``store/kpi.py``...)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
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


# ------------------------------------------------------------------ `sub import`: the staging table
# The file's rows are staged (outside the write lock, chunk by chunk) in a TEMP table; every check
# that decides the write then runs in SQL inside the write transaction, against the store as it is.
SUB_STAGE = "import_sub"


def _stage_create(store: Store, table: str, definition: str) -> None:
    """A fresh TEMP staging table ``table`` (an earlier one of this connection dropped first)."""
    _stage_drop(store, table)
    store.conn.execute(f"CREATE TEMP TABLE {table} {definition}")


def _stage_drop(store: Store, table: str) -> None:
    store.conn.execute(f"DROP TABLE IF EXISTS temp.{table}")


def sub_stage_create(store: Store) -> None:
    # act: create / update (NULL: unchanged, or not written when not ok)
    _stage_create(
        store,
        SUB_STAGE,
        "(issi INTEGER PRIMARY KEY, row INTEGER NOT NULL, customer TEXT, tei TEXT, msisdn TEXT,"
        " kind TEXT, status TEXT, ok INTEGER NOT NULL, act TEXT)",
    )
    store.conn.execute(f"CREATE UNIQUE INDEX {SUB_STAGE}_row ON {SUB_STAGE} (row)")


def sub_stage_drop(store: Store) -> None:
    _stage_drop(store, SUB_STAGE)


def sub_stage_seen(store: Store, issis: Sequence[int]) -> dict[int, int]:
    """ISSI -> its staged row, for the given ISSIs already staged (an ISSI may appear once)."""
    rows = store.conn.execute(
        f"SELECT issi, row FROM {SUB_STAGE} WHERE issi IN (SELECT value FROM json_each(?))",
        (json.dumps(list(issis)),),
    )
    return dict(rows)


def sub_stage_add(store: Store, rows: Iterable[tuple[Any, ...]]) -> int:
    """(issi, row, customer, tei, msisdn, kind, status, ok) per row; an ISSI already staged is left
    out. Returns how many were staged."""
    return _stage_rows(store, SUB_STAGE, "issi, row, customer, tei, msisdn, kind, status, ok", "issi", rows)


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


def sub_stage_customers(store: Store) -> list[str]:
    """The staged good rows' customers that exist."""
    return [
        r[0]
        for r in store.conn.execute(
            f"SELECT DISTINCT customer FROM {SUB_STAGE} WHERE ok = 1"
            " AND customer IN (SELECT number FROM customers)"
        )
    ]


def sub_stage_unknown_customers(store: Store) -> list[tuple[int, str]]:
    """(row, customer) of good rows whose customer does not exist; those rows are set aside."""
    where = "ok = 1 AND customer NOT IN (SELECT number FROM customers)"
    found = store.conn.execute(f"SELECT row, customer FROM {SUB_STAGE} WHERE {where}").fetchall()
    if found:
        store.conn.execute(f"UPDATE {SUB_STAGE} SET ok = 0 WHERE {where}")
    return found


def sub_stage_foreign(store: Store) -> list[tuple[int, int, str]]:
    """(row, issi, customer) of good rows naming another customer's ISSI; set aside."""
    sql_from = (
        f"FROM {SUB_STAGE} t JOIN subscriptions s ON s.issi = t.issi"
        " WHERE t.ok = 1 AND s.customer <> t.customer"
    )
    found = store.conn.execute(f"SELECT t.row, t.issi, t.customer {sql_from}").fetchall()
    if found:
        store.conn.execute(f"UPDATE {SUB_STAGE} SET ok = 0 WHERE issi IN (SELECT t.issi {sql_from})")
    return found


def sub_stage_merge(store: Store) -> None:
    """Each good row as it will be after the import (empty cells keep the stored value; new rows get
    kind ``standard``, status ``inactive``) and its action: create or update; an unchanged row keeps
    ``act`` NULL and is rewritten only when it has an empty cell to fill (a re-import of an
    unchanged full sheet rewrites no staged row)."""
    t = SUB_STAGE
    fields = ("tei", "msisdn", "kind", "status")
    merged = ", ".join(f"{f} = COALESCE({t}.{f}, s.{f})" for f in fields)
    same = " AND ".join(f"COALESCE({t}.{f}, s.{f}) IS NOT DISTINCT FROM s.{f}" for f in fields)
    empty = " OR ".join(f"{t}.{f} IS NULL" for f in fields)
    match = f"FROM subscriptions s WHERE s.issi = {t}.issi AND {t}.ok = 1"
    create = (
        f"UPDATE {t} SET act = 'create', kind = COALESCE(kind, 'standard'),"
        " status = COALESCE(status, 'inactive') WHERE ok = 1 AND act IS NULL"
    )
    held = f"SELECT 1 FROM {t} JOIN subscriptions s ON s.issi = {t}.issi WHERE {t}.ok = 1 LIMIT 1"
    if store.one(held) is None:  # the store holds none of the ISSIs: every good row is new
        store.execute(create)
        return
    store.execute(f"UPDATE {t} SET act = 'update', {merged} {match} AND NOT ({same})")
    store.execute(f"UPDATE {t} SET {merged} {match} AND {t}.act IS NULL AND ({empty})")
    store.execute(f"{create} AND NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.issi = {t}.issi)")


def sub_stage_rule_candidates(store: Store) -> list[sqlite3.Row]:
    """Good rows a subscription rule may refuse (``rules.check_import_row_rules`` decides): a new
    ISSI given up earlier, a termination, a standby subscription set active."""
    return store.query(
        "SELECT t.row, t.issi, t.customer, t.tei, t.msisdn, t.kind, t.status, s.status AS was,"
        " s.issi IS NOT NULL AS existed"
        f" FROM {SUB_STAGE} t LEFT JOIN subscriptions s ON s.issi = t.issi WHERE t.ok = 1 AND ("
        " (s.issi IS NULL AND t.issi IN (SELECT issi FROM retired_issis))"
        " OR (t.status = 'terminated' AND s.status IS NOT 'terminated')"
        " OR (t.kind = 'standby' AND t.status = 'active' AND s.status IS NOT 'active'))"
        " ORDER BY t.row"
    )


def sub_stage_set_aside(store: Store, issis: Iterable[int]) -> None:
    store.conn.executemany(f"UPDATE {SUB_STAGE} SET ok = 0, act = NULL WHERE issi = ?", ((i,) for i in issis))


def sub_stage_repeats_tei(store: Store) -> bool:
    """Whether two good staged rows name the same TEI (asked outside the write lock: rows are only
    set aside later, so a False stays true for the rows :func:`sub_stage_tei_clashes` looks at)."""
    found = store.one(
        f"SELECT 1 FROM {SUB_STAGE} WHERE ok = 1 AND tei IS NOT NULL GROUP BY tei HAVING count(*) > 1 LIMIT 1"
    )
    return found is not None


def sub_stage_tei_clashes(
    store: Store, *, in_file: bool = True
) -> list[tuple[int, str, int, str | None, int | None, int | None]]:
    """Good rows whose TEI would be bound to two live subscriptions after the import.

    (row, tei, holder issi, holder's customer or None, holder's file row or None, the row's issi):
    the holder is a live subscription the file does not name, else the TEI's first row in the file
    (``in_file=False``: no TEI is in two rows, :func:`sub_stage_repeats_tei`; only the store's).
    """
    # Only TEIs that a created or changed row binds can clash (the store holds each live TEI once,
    # so an unchanged row's TEI is held by no subscription but its own).
    live = (
        f"SELECT row, issi, tei, act FROM {SUB_STAGE}"
        " WHERE ok = 1 AND tei IS NOT NULL AND status <> 'terminated'"
    )
    binding = "CASE WHEN act IN ('create', 'update') THEN 1 ELSE 0 END"
    if store.one(f"SELECT 1 FROM ({live}) l WHERE l.act IN ('create', 'update') LIMIT 1") is None:
        return []  # no row binds a TEI (an unchanged sheet)
    store_held = store.execute(
        f"SELECT l.row, l.tei, s.issi, s.customer, NULL, l.issi FROM ({live}) l"
        " JOIN subscriptions s ON s.tei = l.tei AND s.status <> 'terminated'"
        f" WHERE l.act IN ('create', 'update') AND s.issi NOT IN (SELECT issi FROM {SUB_STAGE} WHERE ok = 1)"
    ).fetchall()
    if not in_file:
        return [tuple(r) for r in store_held]
    held = {r[1] for r in store_held}
    repeated = store.execute(
        f"WITH live AS ({live}),"
        " first AS (SELECT tei, min(row) AS row FROM live GROUP BY tei"
        f" HAVING count(*) > 1 AND max({binding}) = 1)"
        " SELECT l.row, l.tei, h.issi, NULL, h.row, l.issi FROM live l JOIN first f ON f.tei = l.tei"
        " JOIN live h ON h.row = f.row WHERE l.row <> f.row"
    ).fetchall()
    return [tuple(r) for r in store_held] + [tuple(r) for r in repeated if r[1] not in held]


def sub_stage_counts(store: Store) -> dict[str, int]:
    """Good rows by action (create / update / same)."""
    rows = store.execute(f"SELECT act, count(*) FROM {SUB_STAGE} WHERE ok = 1 GROUP BY act")
    return {act or "same": n for act, n in rows}


def sub_stage_changes(store: Store) -> list[sqlite3.Row]:
    """Rows to create or update, with the stored values (dry-run listing), in sheet order."""
    return store.query(
        "SELECT t.row, t.issi, t.act, t.tei, t.msisdn, t.kind, t.status,"
        " s.tei AS old_tei, s.msisdn AS old_msisdn, s.kind AS old_kind, s.status AS old_status"
        f" FROM {SUB_STAGE} t LEFT JOIN subscriptions s ON s.issi = t.issi"
        " WHERE t.ok = 1 AND t.act IN ('create', 'update') ORDER BY t.row"
    )


def _sub_after(fields: str, form: str | None, confirm_reset: bool, was: str) -> tuple[str, list[Any]]:
    """The ``after`` JSON of a written row (``form_r30`` / ``reset_confirmed`` as the rules added)."""
    expr, params = f"json_object({fields})", []
    if form:
        expr = (
            f"CASE WHEN t.kind = 'standby' AND t.status = 'active' AND {was} IS NOT 'active'"
            f" THEN json_set({expr}, '$.form_r30', ?) ELSE {expr} END"
        )
        params.append(form)
    if confirm_reset:
        expr = (
            f"CASE WHEN t.status = 'terminated'"
            f" THEN json_set({expr}, '$.reset_confirmed', json('true')) ELSE {expr} END"
        )
    return expr, params


def sub_stage_write(
    store: Store,
    head: tuple[Any, ...],
    at: str,
    *,
    form: str | None,
    confirm_reset: bool,
    counts: dict[str, int] | None = None,
) -> None:
    """Write the staged creates and updates, each with its audit record (before/after), set-based.
    ``counts`` (:func:`sub_stage_counts`) lets the steps of an action no row has be skipped."""
    if counts is None:
        counts = sub_stage_counts(store)
    if counts.get("update"):
        _sub_write_updates(store, head, at, form=form, confirm_reset=confirm_reset)
    if counts.get("create"):
        _sub_write_creates(store, head, at, form=form, confirm_reset=confirm_reset)


def _sub_write_updates(
    store: Store, head: tuple[Any, ...], at: str, *, form: str | None, confirm_reset: bool
) -> None:
    four = "'kind', {p}.kind, 'msisdn', {p}.msisdn, 'status', {p}.status, 'tei', {p}.tei"
    after, params = _sub_after(four.format(p="t"), form, confirm_reset, "s.status")
    audit_select(
        store,
        head,
        "sub.update",
        f"SELECT 'sub:' || t.issi AS object, json_object({four.format(p='s')}) AS before, {after} AS after"
        f" FROM {SUB_STAGE} t JOIN subscriptions s ON s.issi = t.issi WHERE t.ok = 1 AND t.act = 'update'",
        params,
        order="t.row",
    )
    changed = (
        f"SELECT t.issi FROM {SUB_STAGE} t JOIN subscriptions s ON s.issi = t.issi"
        " WHERE t.ok = 1 AND t.act = 'update'"
    )
    updating = (
        f"FROM {SUB_STAGE} t JOIN subscriptions r ON r.issi = t.issi WHERE t.ok = 1 AND t.act = 'update'"
    )
    with changes.bulk(store, "subscriptions") as rows:
        # TEIs moving between subscriptions of one file never collide: unbind the moving ones first.
        rows.update(
            f"UPDATE subscriptions SET tei = NULL, updated_at = ?"
            f" WHERE issi IN ({changed} AND t.tei IS NOT s.tei)",
            (at,),
            updating + " AND t.tei IS DISTINCT FROM r.tei",
        )
        rows.update(
            "UPDATE subscriptions SET tei = t.tei, msisdn = t.msisdn, kind = t.kind, status = t.status,"
            f" updated_at = ? FROM {SUB_STAGE} t"
            " WHERE t.issi = subscriptions.issi AND t.ok = 1 AND t.act = 'update'",
            (at,),
            updating,
        )


def _sub_write_creates(
    store: Store, head: tuple[Any, ...], at: str, *, form: str | None, confirm_reset: bool
) -> None:
    four = "'kind', {p}.kind, 'msisdn', {p}.msisdn, 'status', {p}.status, 'tei', {p}.tei"
    with changes.bulk(store, "subscriptions") as rows:
        rows.insert(
            "INSERT INTO subscriptions (issi, customer, tei, msisdn, kind, status, created_at, updated_at)"
            f" SELECT issi, customer, tei, msisdn, kind, status, ?, ? FROM {SUB_STAGE}"
            " WHERE ok = 1 AND act = 'create'"
            " ORDER BY issi",
            (at, at),
            f"FROM {SUB_STAGE} t JOIN subscriptions r ON r.issi = t.issi WHERE t.ok = 1 AND t.act = 'create'",
        )
    after, params = _sub_after(
        "'customer', t.customer, 'issi', t.issi, " + four.format(p="t"), form, confirm_reset, "NULL"
    )
    audit_select(
        store,
        head,
        "sub.create",
        f"SELECT 'sub:' || t.issi AS object, NULL AS before, {after} AS after"
        f" FROM {SUB_STAGE} t WHERE t.ok = 1 AND t.act = 'create'",
        params,
        order="t.row",
    )


def sub_stage_customer_of_row(store: Store, row: int) -> str | None:
    found = store.conn.execute(f"SELECT customer FROM {SUB_STAGE} WHERE row = ?", (row,)).fetchone()
    return found[0] if found else None


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

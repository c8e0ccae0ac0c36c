"""`ops sub import`: the staging table and the SQL that checks and writes from it (the shared
staging pieces all big imports share are in :mod:`.staging`; the writes in :mod:`.imports_sub_write`)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ops_cli.store import Store, staging

# ------------------------------------------------------------------ `sub import`: the staging table
SUB_STAGE = "import_sub"


def sub_stage_create(store: Store) -> None:
    # act: create / update (NULL: unchanged, or not written when not ok)
    staging.create(
        store,
        SUB_STAGE,
        "(issi INTEGER PRIMARY KEY, row INTEGER NOT NULL, customer TEXT, tei TEXT, msisdn TEXT,"
        " kind TEXT, status TEXT, ok INTEGER NOT NULL, act TEXT)",
    )


def sub_stage_index(store: Store) -> None:
    """The staged rows' index by sheet row, made once every row is staged (half the cost of growing
    it row by row), before the write lock: the audit records are written in sheet order from it."""
    store.conn.execute(f"CREATE UNIQUE INDEX {SUB_STAGE}_row ON {SUB_STAGE} (row)")


def sub_stage_drop(store: Store) -> None:
    staging.drop(store, SUB_STAGE)


def sub_stage_seen(store: Store, issis: Sequence[int]) -> dict[int, int]:
    """ISSI -> its staged row, for the given ISSIs already staged (an ISSI may appear once)."""
    rows = store.conn.execute(
        f"SELECT issi, row FROM {SUB_STAGE} WHERE issi IN (SELECT value FROM json_each(?))",
        (json.dumps(list(issis)),),
    )
    return dict(rows)


def sub_stage_add(store: Store, rows: Sequence[tuple[Any, ...]]) -> int:
    """(issi, row, customer, tei, msisdn, kind, status, ok) per row; an ISSI already staged is left
    out. Returns how many were staged."""
    return staging.add(store, SUB_STAGE, "issi, row, customer, tei, msisdn, kind, status, ok", "issi", rows)


def sub_stage_customers(store: Store, customers: Collection[str] | None = None) -> list[str]:
    """The staged good rows' customers that exist (``customers``: those rows' customers, known
    from the staging: looked up by their numbers, no pass over the staged rows)."""
    if customers is not None:
        return [r[0] for r in store.conn.execute(_KNOWN_CUSTOMERS, (json.dumps(sorted(customers)),))]
    return [
        r[0]
        for r in store.conn.execute(
            f"SELECT DISTINCT customer FROM {SUB_STAGE} WHERE ok = 1"
            " AND customer IN (SELECT number FROM customers)"
        )
    ]


_KNOWN_CUSTOMERS = "SELECT number FROM customers WHERE number IN (SELECT value FROM json_each(?))"


def sub_stage_unknown_customers(
    store: Store, customers: Collection[str] | None = None
) -> list[tuple[int, str]]:
    """(row, customer) of good rows whose customer does not exist; those rows are set aside.
    ``customers``: the good rows' customers (known from the staging): when every one of them
    exists (one look-up by their numbers) no staged row is read."""
    if customers is not None and len(sub_stage_customers(store, customers)) == len(customers):
        return []
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


def sub_stage_holds(store: Store) -> bool:
    """Whether the store holds the ISSI of any good staged row."""
    t = SUB_STAGE
    held = f"SELECT 1 FROM {t} JOIN subscriptions s ON s.issi = {t}.issi WHERE {t}.ok = 1 LIMIT 1"
    return store.one(held) is not None


@dataclass
class SubSurvey:
    """The good staged rows against the store (:func:`sub_stage_survey`)."""

    held: int = 0  # rows whose ISSI the store holds
    foreign: int = 0  # of them, held by another customer
    same: int = 0  # of them, unchanged after the merge
    fill: int = 0  # of the unchanged, with an empty cell (the merge fills it from the store)
    moves: int = 0  # of them, given a TEI other than their stored one
    span: tuple[int, int] | None = None  # the staged ISSIs' range, when the store holds none in it


def _sub_merge_sql(t: str) -> tuple[str, str, str]:
    """(SET list of the merged values, "unchanged", "has an empty cell") over ``t`` and ``s``."""
    fields = ("tei", "msisdn", "kind", "status")
    merged = ", ".join(f"{f} = COALESCE({t}.{f}, s.{f})" for f in fields)
    same = " AND ".join(f"COALESCE({t}.{f}, s.{f}) IS NOT DISTINCT FROM s.{f}" for f in fields)
    empty = " OR ".join(f"{t}.{f} IS NULL" for f in fields)
    return merged, same, empty


def sub_stage_survey(store: Store, low: int | None = None, high: int | None = None) -> SubSurvey:
    """The good staged rows against the store in one pass (:class:`SubSurvey`); ``low``..``high``:
    the staged ISSIs' range (from the staging): when the store holds no ISSI in it, nothing is read."""
    if low is not None and store.one(SUB_IN_RANGE, (low, high)) is None:
        return SubSurvey(span=(low, high))
    _, same, empty = _sub_merge_sql("t")
    found = store.one(
        "SELECT count(*), coalesce(sum(CASE WHEN s.customer <> t.customer THEN 1 ELSE 0 END), 0),"
        f" coalesce(sum(CASE WHEN {same} THEN 1 ELSE 0 END), 0),"
        f" coalesce(sum(CASE WHEN ({same}) AND ({empty}) THEN 1 ELSE 0 END), 0),"
        " coalesce(sum(CASE WHEN t.tei IS NOT NULL AND t.tei IS DISTINCT FROM s.tei THEN 1 ELSE 0 END), 0)"
        f" FROM {SUB_STAGE} t JOIN subscriptions s ON s.issi = t.issi WHERE t.ok = 1"
    )
    return SubSurvey(*(int(n) for n in found))


SUB_IN_RANGE = "SELECT 1 FROM subscriptions WHERE issi BETWEEN ? AND ? LIMIT 1"


def sub_stage_merge(store: Store, *, survey: SubSurvey | None = None, rows: int = 0) -> dict[str, int] | None:
    """Each good row as it will be after the import (empty cells keep the stored value; new rows get
    kind ``standard``, status ``inactive``) and its action: create or update; an unchanged row keeps
    ``act`` NULL and is rewritten only when it has an empty cell to fill (a re-import of an
    unchanged full sheet rewrites no staged row).

    ``survey``: :func:`sub_stage_survey` taken in this transaction, no row set aside since, of the
    ``rows`` good rows: the statements no row needs are not run, and the good rows by action
    (create, update, same) are returned; else None (:func:`sub_stage_counts` tells them).

    Not called when the store holds none of the ISSIs and the file's every row is good (a first
    import): every good row is new, none is rewritten here, and the steps after this one read
    such a "fresh" row's action as ``create`` and its empty kind and status as the new rows'
    defaults (``fresh=True``, :func:`sub_rows_sql`)."""
    t = SUB_STAGE
    merged, same, empty = _sub_merge_sql(t)
    match = f"FROM subscriptions s WHERE s.issi = {t}.issi AND {t}.ok = 1"
    create = (
        f"UPDATE {t} SET act = 'create', kind = COALESCE(kind, 'standard'),"
        " status = COALESCE(status, 'inactive') WHERE ok = 1 AND act IS NULL"
    )
    if survey is not None:
        counts = {"create": rows - survey.held, "update": survey.held - survey.same, "same": survey.same}
        counts["moved"] = survey.moves
        if counts["update"]:
            store.execute(f"UPDATE {t} SET act = 'update', {merged} {match} AND NOT ({same})")
        if survey.fill:
            store.execute(f"UPDATE {t} SET {merged} {match} AND {t}.act IS NULL AND ({empty})")
        if counts["create"]:
            store.execute(f"{create} AND NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.issi = {t}.issi)")
        return counts
    if not sub_stage_holds(store):  # the store holds none of the ISSIs: every good row is new
        store.execute(create)
        return None
    store.execute(f"UPDATE {t} SET act = 'update', {merged} {match} AND NOT ({same})")
    store.execute(f"UPDATE {t} SET {merged} {match} AND {t}.act IS NULL AND ({empty})")
    store.execute(f"{create} AND NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.issi = {t}.issi)")
    return None


#: A good row's action and values as the steps after :func:`sub_stage_merge` read them: ``fresh``
#: (no merge: every good row is new, none rewritten) every good row is a create, its empty kind and
#: status the new rows' defaults; else as the merge marked it (no good row's kind or status is empty).
FRESH_ACT, MERGED_ACT = "'create'", "t.act"


def sub_rows_sql(fresh: bool) -> dict[str, str]:
    """SQL pieces over the staging table as ``t`` for :data:`FRESH_ACT` / :data:`MERGED_ACT`."""
    return {
        "act": FRESH_ACT if fresh else MERGED_ACT,
        "kind": "COALESCE(t.kind, 'standard')",
        "status": "COALESCE(t.status, 'inactive')",
        "creates": "t.ok = 1" if fresh else "t.ok = 1 AND t.act = 'create'",
        "binds": "t.ok = 1" if fresh else "t.ok = 1 AND t.act IN ('create', 'update')",
    }


def sub_stage_rule_candidates(
    store: Store,
    *,
    fresh: bool = False,
    words: bool = True,
    low: int | None = None,
    high: int | None = None,
) -> list[sqlite3.Row]:
    """Good rows a subscription rule may refuse (``rules.check_import_row_rules`` decides): a new
    ISSI given up earlier, a termination, a standby subscription set active.

    ``fresh`` (see :func:`sub_rows_sql`) with ``words`` False (no staged row names the status
    ``terminated`` nor the kind ``standby``, known from the staging): only a retired ISSI can be
    refused; when ``retired_issis`` holds none in ``low``..``high`` (the staged ISSIs), no staged
    row is read."""
    if fresh and not words and low is not None and store.one(RETIRED_IN_RANGE, (low, high)) is None:
        return []
    p = sub_rows_sql(fresh)
    return store.query(
        f"SELECT t.row, t.issi, t.customer, t.tei, t.msisdn, {p['kind']} AS kind, {p['status']} AS status,"
        " s.status AS was, s.issi IS NOT NULL AS existed"
        f" FROM {SUB_STAGE} t LEFT JOIN subscriptions s ON s.issi = t.issi WHERE t.ok = 1 AND ("
        " (s.issi IS NULL AND t.issi IN (SELECT issi FROM retired_issis))"
        " OR (t.status = 'terminated' AND s.status IS NOT 'terminated')"
        f" OR ({p['kind']} = 'standby' AND t.status = 'active' AND s.status IS NOT 'active'))"
        " ORDER BY t.row"
    )


RETIRED_IN_RANGE = "SELECT 1 FROM retired_issis WHERE issi BETWEEN ? AND ? LIMIT 1"


def sub_stage_set_aside(store: Store, issis: Iterable[int]) -> None:
    store.conn.executemany(f"UPDATE {SUB_STAGE} SET ok = 0, act = NULL WHERE issi = ?", ((i,) for i in issis))


def sub_stage_repeats_tei(store: Store) -> bool:
    """Whether two good staged rows name the same TEI: asked outside the write lock on the TEIs the
    cells give (rows are only set aside later, so a False stays true for the rows
    :func:`sub_stage_tei_clashes` looks at), and again after :func:`sub_stage_merge` filled a held
    row's empty TEI cell from the store (a terminated subscription set live again brings its TEI
    back, which no live subscription of the store holds)."""
    found = store.one(
        f"SELECT 1 FROM {SUB_STAGE} WHERE ok = 1 AND tei IS NOT NULL GROUP BY tei HAVING count(*) > 1 LIMIT 1"
    )
    return found is not None


def sub_stage_tei_clashes(
    store: Store, *, in_file: bool = True, fresh: bool = False
) -> list[tuple[int, str, int, str | None, int | None, int | None]]:
    """Good rows whose TEI would be bound to two live subscriptions after the import.

    (row, tei, holder issi, holder's customer or None, holder's file row or None, the row's issi):
    the holder is a live subscription the file does not name, else the TEI's first row in the file
    (``in_file=False``: no TEI is in two rows, :func:`sub_stage_repeats_tei`; only the store's).
    ``fresh``: see :func:`sub_rows_sql`.
    """
    # Only TEIs that a created or changed row binds can clash (the store holds each live TEI once,
    # so an unchanged row's TEI is held by no subscription but its own).
    p = sub_rows_sql(fresh)
    live = (
        f"SELECT t.row, t.issi, t.tei, {p['act']} AS act FROM {SUB_STAGE} t"
        f" WHERE t.ok = 1 AND t.tei IS NOT NULL AND {p['status']} <> 'terminated'"
    )
    binding = "CASE WHEN act IN ('create', 'update') THEN 1 ELSE 0 END"
    if store.one(f"SELECT 1 FROM ({live}) l WHERE l.act IN ('create', 'update') LIMIT 1") is None:
        return []  # no row binds a TEI (an unchanged sheet)
    # The holder is a live subscription that keeps the TEI: one the file does not name, or names
    # with that TEI still (an empty TEI cell keeps the stored one) and not terminated.
    released = (
        f"SELECT 1 FROM {SUB_STAGE} h WHERE h.issi = s.issi AND h.ok = 1"
        " AND (h.tei IS DISTINCT FROM s.tei OR h.status = 'terminated')"
    )
    store_held = []
    if store.one(LIVE_TEI) is not None:  # (a store with no live TEI: no row of the file is read)
        store_held = store.execute(
            f"SELECT l.row, l.tei, s.issi, s.customer, NULL, l.issi FROM ({live}) l"
            " JOIN subscriptions s ON s.tei = l.tei AND s.status <> 'terminated'"
            f" WHERE l.act IN ('create', 'update') AND s.issi <> l.issi AND NOT EXISTS ({released})"
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


#: Whether the store binds any TEI to a live subscription (the words of the partial index
#: ``subscriptions_live_tei``, which answers it).
LIVE_TEI = "SELECT 1 FROM subscriptions WHERE tei IS NOT NULL AND status <> 'terminated' LIMIT 1"


def sub_stage_count(store: Store) -> int:
    """How many rows are staged (good or not)."""
    return store.one(f"SELECT count(*) FROM {SUB_STAGE}")[0]


def sub_stage_counts(store: Store) -> dict[str, int]:
    """Good rows by action (create / update / same)."""
    rows = store.execute(f"SELECT act, count(*) FROM {SUB_STAGE} WHERE ok = 1 GROUP BY act")
    return {act or "same": n for act, n in rows}


def sub_stage_changes(store: Store, *, fresh: bool = False) -> list[sqlite3.Row]:
    """Rows to create or update, with the stored values (dry-run listing), in sheet order."""
    p = sub_rows_sql(fresh)
    return store.query(
        f"SELECT t.row, t.issi, {p['act']} AS act, t.tei, t.msisdn,"
        f" {p['kind']} AS kind, {p['status']} AS status,"
        " s.tei AS old_tei, s.msisdn AS old_msisdn, s.kind AS old_kind, s.status AS old_status"
        f" FROM {SUB_STAGE} t LEFT JOIN subscriptions s ON s.issi = t.issi"
        f" WHERE {p['binds']} ORDER BY t.row"
    )


def sub_stage_customer_of(store: Store, issi: int) -> str | None:
    """The customer of the staged row of ``issi``."""
    found = store.conn.execute(f"SELECT customer FROM {SUB_STAGE} WHERE issi = ?", (issi,)).fetchone()
    return found[0] if found else None

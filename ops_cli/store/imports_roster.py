"""`ops roster import`: the staging table and the SQL that plans and writes from it (the
staging pieces all big imports share are in :mod:`.staging`)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from itertools import groupby
from operator import itemgetter
from typing import Any

from ops_cli.store import Store, changes, staging

# ------------------------------------------------------------------ `roster import`: the staging table
ROSTER_STAGE = "import_roster"
_ROSTER_FIELDS = "customer, email, name, phone, kind, roles"


def roster_stage_create(store: Store) -> None:
    staging.create(
        store,
        ROSTER_STAGE,
        "(customer TEXT NOT NULL, email TEXT NOT NULL, name TEXT, phone TEXT, kind TEXT, roles TEXT,"
        " row INTEGER NOT NULL, act TEXT DEFAULT 'create', PRIMARY KEY (customer, email)) WITHOUT ROWID",
    )


def roster_stage_drop(store: Store) -> None:
    staging.drop(store, ROSTER_STAGE)


def roster_stage_add(store: Store, rows: Iterable[tuple[Any, ...]]) -> int:
    """(customer, email, name, phone, kind, roles, row) per row; a key already staged is left out.
    Returns how many were staged."""
    return staging.add(store, ROSTER_STAGE, f"{_ROSTER_FIELDS}, row", "customer, email", rows)


def roster_stage_earlier(store: Store, rows: Sequence[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The staged rows that share a key with ``rows`` but came from another (earlier) sheet row."""
    keys = [(r[0], r[1], r[6]) for r in rows]
    found: list[tuple[Any, ...]] = []
    for start in range(0, len(keys), 300):  # the keys as a VALUES table: the same SQL on both backends
        part = keys[start : start + 300]
        found += store.conn.execute(
            f"SELECT t.{_ROSTER_FIELDS.replace(', ', ', t.')}, t.row FROM {ROSTER_STAGE} t"
            f" JOIN (VALUES {', '.join('(?, ?, CAST(? AS INTEGER))' for _ in part)}) AS k"
            " ON t.customer = k.column1 AND t.email = k.column2 AND t.row <> k.column3",
            [value for key in part for value in key],
        ).fetchall()
    return found


def roster_stage_customers(store: Store) -> list[str]:
    return [r[0] for r in store.conn.execute(f"SELECT DISTINCT customer FROM {ROSTER_STAGE}")]


def roster_stage_merge(store: Store, *, keep_phone: bool, keep_kind: bool) -> dict[str, int]:
    """Each staged row against the stored entry: create / update / same (``keep_*``: the sheet has
    no such column, so the stored value stays); returns the counts by action.

    Rows are staged as ``create``. One join counts the staged rows the store holds and how many of
    them are unchanged: when it holds none (new customers: the usual first import) no staged row
    is rewritten; when every row is unchanged (a re-import) nothing will be written; else one
    ``UPDATE ... FROM`` marks each held row ``update`` or same (``act`` NULL)."""
    t = ROSTER_STAGE
    phone = "r.phone" if keep_phone else f"{t}.phone"
    kind = "r.kind" if keep_kind else f"{t}.kind"
    same = " AND ".join(
        f"{new} IS NOT DISTINCT FROM r.{old}"
        for new, old in ((f"{t}.name", "name"), (phone, "phone"), (kind, "kind"), (f"{t}.roles", "roles"))
    )
    staged, held, unchanged = store.one(
        f"SELECT (SELECT count(*) FROM {t}), count(r.customer),"
        f" coalesce(sum(CASE WHEN {same} THEN 1 ELSE 0 END), 0)"
        f" FROM {t} JOIN roster_entries r ON r.customer = {t}.customer AND r.email = {t}.email"
    )
    if held and unchanged == staged:
        return {"same": staged}  # the staged rows keep ``create``: nothing reads them again
    if held:
        store.execute(
            f"UPDATE {t} SET act = CASE WHEN {same} THEN NULL ELSE 'update' END,"
            f" phone = {phone}, kind = {kind} FROM roster_entries r"
            f" WHERE r.customer = {t}.customer AND r.email = {t}.email"
        )
    counts = {"create": staged - held, "update": held - unchanged, "same": unchanged}
    return {act: n for act, n in counts.items() if n}


def roster_stage_updated_functions(store: Store) -> list[tuple[int, str, str]]:
    """(row, kind, roles) of updated rows whose entry is a function (sheet order)."""
    return store.conn.execute(
        f"SELECT row, kind, roles FROM {ROSTER_STAGE} WHERE act = 'update' AND kind = 'function' ORDER BY row"
    ).fetchall()


def roster_stage_planned(store: Store) -> dict[tuple[str, str], str]:
    """(customer, email) -> roles of the updated rows and the created rows of the same customers."""
    rows = store.conn.execute(
        f"SELECT customer, email, roles FROM {ROSTER_STAGE} WHERE act = 'update' OR (act = 'create'"
        f" AND customer IN (SELECT customer FROM {ROSTER_STAGE} WHERE act = 'update'))"
    )
    return {(c, e): r for c, e, r in rows}


def roster_stage_created(store: Store) -> Iterator[tuple[str, list[str]]]:
    """(customer, the emails created for it in sheet order) per customer, by customer.

    One row per customer, read in the staging table's key order: its rows' sheet row numbers and
    emails as two texts that one aggregate pass builds (so both list the rows in the same order;
    an email holds no space), put in sheet order here. A row per email read into Python cost half
    as much again."""
    cursor = store.execute(
        "SELECT customer, group_concat(CAST(row AS TEXT), ' '), group_concat(email, ' ')"
        f" FROM {ROSTER_STAGE} WHERE act = 'create' GROUP BY customer ORDER BY customer"
    )
    cursor.row_factory = None
    for customer, rows, emails in cursor:
        yield customer, [e for _, e in sorted(zip(map(int, rows.split(" ")), emails.split(" "), strict=True))]


def roster_stage_updated(store: Store) -> Iterator[tuple[str, list[tuple[Any, ...]]]]:
    """(customer, its updated rows in sheet order) per customer, by customer; a row is (email,
    name, phone, kind, roles, stored name, stored phone, stored kind, stored roles)."""
    cursor = store.execute(
        "SELECT t.customer, t.email, t.name, t.phone, t.kind, t.roles, r.name, r.phone, r.kind, r.roles"
        f" FROM {ROSTER_STAGE} t JOIN roster_entries r ON r.customer = t.customer AND r.email = t.email"
        " WHERE t.act = 'update' ORDER BY t.customer, t.row"
    )
    cursor.row_factory = None
    for customer, group in groupby(cursor, key=itemgetter(0)):
        yield customer, [found[1:] for found in group]


def roster_insert_customers(store: Store, rows: Sequence[tuple[str, str]], at: str) -> None:
    """New customers with defaults, (number, name) per row (``store.roster.insert_customers``'s
    rows), many per statement and recorded set-based (no capture trigger firing per row)."""
    with changes.bulk(store, "customers") as bulk:
        for start in range(0, len(rows), _CUSTOMERS_PER_INSERT):
            part = rows[start : start + _CUSTOMERS_PER_INSERT]
            bulk.insert(
                "INSERT INTO customers (number, name, created_at, updated_at) VALUES "
                + ", ".join(("(?, ?, ?, ?)",) * len(part)),
                [value for number, name in part for value in (number, name, at, at)],
                "FROM customers r WHERE r.number IN (SELECT value FROM json_each(?))",
                (json.dumps([number for number, _ in part]),),
            )


_CUSTOMERS_PER_INSERT = 500  # 2,000 variables per statement


def roster_stage_write(store: Store, at: str, counts: dict[str, int]) -> None:
    """Write the staged ``update`` and ``create`` rows (``counts``: :func:`roster_stage_merge`'s;
    an action no row has is not looked for)."""
    t = ROSTER_STAGE
    rows = (
        f"FROM {t} t JOIN roster_entries r ON r.customer = t.customer AND r.email = t.email WHERE t.act = ?"
    )
    with changes.bulk(store, "roster_entries") as bulk:
        if counts.get("update"):
            bulk.update(
                "UPDATE roster_entries SET name = t.name, phone = t.phone, kind = t.kind, roles = t.roles,"
                f" updated_at = ? FROM {t} t WHERE t.customer = roster_entries.customer"
                " AND t.email = roster_entries.email AND t.act = 'update'",
                (at,),
                rows,
                ("update",),
            )
        if not counts.get("create"):
            return
        # The new rows are those after the highest row id (appended rows get the next ids, and
        # the write lock keeps other writers out; PostgreSQL's ids come from the table's identity
        # sequence, every id it holds was given by it): read back as a range of ids, with no join
        # to the staging table and no sort. Near the id limit SQLite picks ids at random: there
        # they are found by their keys.
        top = store.one("SELECT max(rowid) FROM roster_entries")[0] or 0
        if top is not None and top < 1 << 62:
            new, new_params = "FROM roster_entries r WHERE r.rowid > ?", (top,)
        else:
            new, new_params = rows, ("create",)
        bulk.insert(
            f"INSERT INTO roster_entries ({_ROSTER_FIELDS}, created_at, updated_at)"
            f" SELECT {_ROSTER_FIELDS}, ?, ? FROM {t} WHERE act = 'create'"
            " ORDER BY customer, email",  # key order (no sort): the indexes grow at their end
            (at, at),
            new,
            new_params,
        )

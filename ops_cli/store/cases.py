"""SQL for support cases: numbers, the case row, its thread, history, grants and callbacks."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from ops_cli.store import Store

CASE_COLUMNS = (
    "number",
    "customer",
    "reporter",
    "channel",
    "topic",
    "area",
    "facility",
    "occurred_at",
    "department",
    "agent",
    "priority",
    "critical",
    "classification",
    "status",
    "subject",
    "resolution",
    "sla_tier",
    "feedback_hours",
    "next_callback_at",
    "opened_at",
    "last_activity_at",
    "closed_at",
    "schedule_from",
    "organisation",
    "reporter_name",
    "reporter_phone",
)
UPDATABLE = frozenset(CASE_COLUMNS) - {"number", "opened_at"}


def allocate_number(st: Store, year: int) -> int:
    """The next sequence number of ``year``; call inside ``Store.write()`` (the lock makes it unique)."""
    row = st.one("SELECT last FROM case_sequences WHERE year = ?", (year,))
    if row is None:
        st.execute("INSERT INTO case_sequences (year, last) VALUES (?, 1)", (year,))
        return 1
    st.execute("UPDATE case_sequences SET last = last + 1 WHERE year = ?", (year,))
    return row["last"] + 1


def insert_case(st: Store, values: dict[str, Any]) -> int:
    cols = [c for c in CASE_COLUMNS if c in values]
    cur = st.execute(
        f"INSERT INTO cases ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
        [values[c] for c in cols],
    )
    return int(cur.lastrowid)


def update_case(st: Store, case_id: int, values: dict[str, Any]) -> None:
    unknown = set(values) - UPDATABLE
    if unknown:
        raise ValueError(f"cannot update case columns {sorted(unknown)}")
    if not values:
        return
    cols = sorted(values)
    st.execute(
        f"UPDATE cases SET {', '.join(f'{c} = ?' for c in cols)} WHERE id = ?",
        [*(values[c] for c in cols), case_id],
    )


def add_entry(st: Store, case_id: int, kind: str, author: str, body: str, at: str) -> None:
    st.execute(
        "INSERT INTO case_entries (case_id, kind, author, body, at) VALUES (?, ?, ?, ?, ?)",
        (case_id, kind, author, body, at),
    )


def add_event(st: Store, case_id: int, at: str, actor: str, event: str, detail: Any = None) -> None:
    st.execute(
        "INSERT INTO case_events (case_id, at, actor, event, detail) VALUES (?, ?, ?, ?, ?)",
        (
            case_id,
            at,
            actor,
            event,
            None if detail is None else json.dumps(detail, ensure_ascii=False, default=str),
        ),
    )


def add_grant(st: Store, case_id: int, name: str, by: str, at: str) -> None:
    st.execute(
        "INSERT INTO case_grants (case_id, name, granted_by, granted_at) VALUES (?, ?, ?, ?)",
        (case_id, name, by, at),
    )


def add_callback(
    st: Store, case_id: int, due_at: str | None, made_at: str, made_by: str, note: str | None
) -> None:
    st.execute(
        "INSERT INTO case_callbacks (case_id, due_at, made_at, made_by, note) VALUES (?, ?, ?, ?, ?)",
        (case_id, due_at, made_at, made_by, note),
    )


def case_by_number(store: Store, number: str) -> sqlite3.Row | None:
    return store.one("SELECT * FROM cases WHERE number = ?", (number,))


def entries(store: Store, case_id: int) -> list[sqlite3.Row]:
    return store.query(
        "SELECT kind, author, body, at FROM case_entries WHERE case_id = ? ORDER BY id", (case_id,)
    )


def events(store: Store, case_id: int) -> list[sqlite3.Row]:
    return store.query(
        "SELECT at, actor, event, detail FROM case_events WHERE case_id = ? ORDER BY id", (case_id,)
    )


def grants(store: Store, case_id: int) -> list[sqlite3.Row]:
    return store.query(
        "SELECT name, granted_by, granted_at FROM case_grants WHERE case_id = ? ORDER BY id", (case_id,)
    )


def callbacks(store: Store, case_id: int) -> list[sqlite3.Row]:
    return store.query(
        "SELECT due_at, made_at, made_by, note FROM case_callbacks WHERE case_id = ? ORDER BY id", (case_id,)
    )


def callback_count(store: Store, case_id: int) -> int:
    return store.one("SELECT COUNT(*) AS n FROM case_callbacks WHERE case_id = ?", (case_id,))["n"]


def last_callback(store: Store, case_id: int, since: str | None = None) -> sqlite3.Row | None:
    """The last callback made (at or after ``since`` when given)."""
    return store.one(
        "SELECT due_at, made_at FROM case_callbacks WHERE case_id = ? AND made_at >= ?"
        " ORDER BY made_at DESC, id DESC LIMIT 1",
        (case_id, since or ""),
    )


def schedule_events(store: Store, case_id: int) -> list[sqlite3.Row]:
    """The history events that shape the feedback schedule, oldest first."""
    return store.query(
        "SELECT at, event, detail FROM case_events WHERE case_id = ?"
        " AND event IN ('opened', 'reopened', 'closed', 'callback-interval') ORDER BY at, id",
        (case_id,),
    )


def callbacks_made(store: Store, case_id: int) -> list[str]:
    """When each callback of a case was made (UTC text), in time order."""
    rows = store.query(
        "SELECT made_at FROM case_callbacks WHERE case_id = ? ORDER BY made_at, id", (case_id,)
    )
    return [r["made_at"] for r in rows]


def customer(store: Store, number: str) -> sqlite3.Row | None:
    return store.one("SELECT * FROM customers WHERE number = ?", (number,))


def customer_by_domain(store: Store, domain: str) -> str | None:
    row = store.one("SELECT customer FROM customer_domains WHERE domain = ?", (domain.lower(),))
    return row["customer"] if row else None


def customer_names(store: Store, numbers: Sequence[str]) -> dict[str, str]:
    wanted = sorted({n for n in numbers if n})
    if not wanted:
        return {}
    rows = store.query(
        f"SELECT number, name FROM customers WHERE number IN ({', '.join('?' for _ in wanted)})", wanted
    )
    return {r["number"]: r["name"] for r in rows}


def contacts(store: Store, customer: str, roles: Sequence[str]) -> list[sqlite3.Row]:
    """Roster entries of ``customer`` holding one of ``roles`` and a phone number."""
    rows = store.query(
        "SELECT name, email, phone, roles FROM roster_entries"
        " WHERE customer = ? AND phone IS NOT NULL AND phone <> '' ORDER BY email",
        (customer,),
    )
    wanted = set(roles)
    return [r for r in rows if wanted & set(r["roles"].split(","))]


def list_cases(
    store: Store,
    *,
    status: str | None = None,
    customer: str | None = None,
    department: str | None = None,
    topic: str | None = None,
    agent: str | None = None,
    due_before: str | None = None,
    opened_from: str | None = None,
    opened_until: str | None = None,
    active_before: str | None = None,
    open_only: bool = False,
    limit: int | None = None,
    newest_first: bool = True,
    columns: Sequence[str] | None = None,
) -> Iterable[sqlite3.Row]:
    """Cases matching every given filter, newest first (``newest_first=False``: in no set
    order, so the due-time and activity indexes of open cases serve the filter); a cursor,
    read row by row. ``columns``: only those, each row a plain tuple in that order."""
    where, params = [], []
    for column, value in (
        ("status", status),
        ("customer", customer),
        ("department", department),
        ("topic", topic),
        ("agent", agent),
    ):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    if open_only:
        where.append("status <> 'closed'")
    if due_before is not None:
        where.append("status <> 'closed' AND next_callback_at IS NOT NULL AND next_callback_at <= ?")
        params.append(due_before)
    if opened_from is not None:
        where.append("opened_at >= ?")
        params.append(opened_from)
    if opened_until is not None:
        where.append("opened_at < ?")
        params.append(opened_until)
    if active_before is not None:
        where.append("last_activity_at < ?")
        params.append(active_before)
    sql = f"SELECT {', '.join(columns) if columns else '*'} FROM cases"
    if where:
        sql += " WHERE " + " AND ".join(where)
    if newest_first:
        sql += " ORDER BY opened_at DESC, id DESC"
    if limit:
        sql += " LIMIT ?"
        params.append(limit)
    cursor = store.execute(sql, params)
    if columns:
        cursor.row_factory = None
    return cursor


def _json_text(column: str) -> str:
    return f"json_quote({column})"


def listed_json_pieces(mask: str | None) -> tuple[str, ...]:
    """The SELECT list of a listing written as JSON (``ops case list -f json``): each row's
    object as compact JSON pieces made by the store, around the five times a listing shows in
    the desk's zone (which the caller puts in): ``(head, opened_at, next_callback_at, middle,
    occurred_at, tail_a, feedback_hours, last_activity_at, closed_at, tail_b)``.

    The same text as the C encoder writes for the listed case (", " and ": ", text as it is:
    ``json_quote`` escapes as it does); ``mask``: the JSON text that replaces a non-empty subject
    or resolution of a sensitive or secret case (None: nothing masked); ``next_callback_at``
    only while the case is not closed. The feedback hours (a REAL) are left to the caller."""
    q = _json_text

    def masked(column: str) -> str:
        if mask is None:
            return q(column)
        literal = "'" + mask.replace("'", "''") + "'"
        return (
            f"CASE WHEN classification IN ('sensitive', 'secret') AND {column} IS NOT NULL"
            f" AND {column} <> '' THEN {literal} ELSE {q(column)} END"
        )

    def fields(pairs: list[tuple[str, str]], lead: str = ", ") -> str:
        return " || ".join(
            f"'{lead if n else ''}\"{name}\": ' || {value}" for n, (name, value) in enumerate(pairs)
        )

    name = "coalesce((SELECT json_quote(k.name) FROM customers AS k WHERE k.number = cases.customer), 'null')"
    head = fields(
        [
            ("number", q("number")),
            ("customer", q("customer")),
            ("customer_name", f"CASE WHEN customer IS NULL OR customer = '' THEN 'null' ELSE {name} END"),
            ("topic", q("topic")),
            ("department", q("department")),
            ("agent", q("agent")),
            ("status", q("status")),
            ("critical", "CASE WHEN critical <> 0 THEN 'true' ELSE 'false' END"),
            ("classification", q("classification")),
        ]
    )
    middle = fields(
        [
            ("subject", masked("subject")),
            ("reporter", q("reporter")),
            ("channel", q("channel")),
            ("area", q("area")),
            ("facility", q("facility")),
        ]
    )
    tail_a = fields([("priority", q("priority")), ("sla_tier", q("sla_tier"))])
    tail_b = fields(
        [
            ("resolution", masked("resolution")),
            ("organisation", q("organisation")),
            ("reporter_name", q("reporter_name")),
            ("reporter_phone", q("reporter_phone")),
        ]
    )
    return (
        f"'{{' || {head}",
        "opened_at",
        "CASE WHEN status <> 'closed' THEN next_callback_at END",
        middle,
        "occurred_at",
        tail_a,
        "feedback_hours",
        "last_activity_at",
        "closed_at",
        f"{tail_b} || '}}'",
    )


def due_callbacks(store: Store, due_before: str) -> list[sqlite3.Row]:
    """Open cases whose next callback is due at ``due_before``, earliest first (then by number).

    The condition repeats the partial index ``cases_due_open`` word for word, so SQLite walks
    that index in due order: the cost grows with the due cases, never with all cases."""
    return store.query(
        "SELECT * FROM cases WHERE status <> 'closed' AND next_callback_at IS NOT NULL"
        " AND next_callback_at <= ? ORDER BY next_callback_at, number",
        (due_before,),
    )


def first_message(store: Store, case_ids: Sequence[int]) -> dict[int, str]:
    """The first customer message of each case (for exports)."""
    if not case_ids:
        return {}
    out: dict[int, str] = {}
    ids = list(case_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = store.query(
            "SELECT case_id, body FROM case_entries WHERE kind = 'message' AND case_id IN ("
            + ", ".join("?" for _ in chunk)
            + ") ORDER BY id",
            chunk,
        )
        for row in rows:
            out.setdefault(row["case_id"], row["body"])
    return out


def meta_get(store: Store, key: str) -> str | None:
    row = store.one("SELECT value FROM meta WHERE key = ?", (key,))
    return row["value"] if row else None


def meta_set(st: Store, key: str, value: str) -> None:
    st.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )

"""Reading changesets and putting rows back: the SQL behind `ops undo`, the changeset list and
the filtered audit log (the capture side is :mod:`.changes`, which re-exports these names)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from typing import Any

from ops_cli.store.audit import audit_record
from ops_cli.store.tables import columns, primary_key
from ops_cli.store.tables import image_sql as _image
from ops_cli.store.tables import quote as _q
from ops_cli.store.tables import table_info as _table_info


# ---------------------------------------------------------------- reading
def running(store: Any) -> int | None:
    """The changeset the running write transaction made so far (None: nothing changed yet)."""
    if not store.in_transaction:
        return None
    if store.__dict__.get("_changeset") is not None:
        return store._changeset
    if store.__dict__.get("_capture_version") is None:
        return None
    row = store.one("SELECT id FROM temp.ops_cs")
    return row[0] if row else None


def changeset(store: Any, number: int) -> sqlite3.Row | None:
    return store.one("SELECT * FROM changesets WHERE id = ?", (number,))


def row_changes(store: Any, number: int) -> list[dict[str, Any]]:
    """The row changes of changeset ``number`` in order, as dicts, each after image filled in.

    A bulk write stores no after image of the rows it inserts or updates (``after`` NULL, see
    ``changes.Bulk``): the row as that change left it. Every later change of a row records the
    row's before image, so that is the next change's ``before`` (within this changeset or a
    later one); when no change came after, ``after_is_now`` is True and the row as it is now is
    the after image (:func:`after_image`). A change made outside ops (no capture) is not seen
    there: undo takes such a row as the import left it."""
    rows = [
        dict(row)
        for row in store.query("SELECT * FROM row_changes WHERE changeset_id = ? ORDER BY id", (number,))
    ]
    pending: dict[tuple[str, int], dict[str, Any]] = {}
    for row in rows:
        if row["op"] != "insert":  # (an insert at a pending row's id: that row was gone before)
            rid = row["old_rid"] if row["old_rid"] is not None else row["rid"]
            _settle(pending, row["tbl"], rid, row["before"])
        if row["after"] is None and row["op"] != "delete":
            pending[(row["tbl"], row["rid"])] = row
    if pending:
        later = store.execute(
            "SELECT tbl, coalesce(old_rid, rid), before FROM row_changes"
            " WHERE changeset_id > ? AND op <> 'insert' ORDER BY id",
            (number,),
        )
        for table, rid, before in later:
            _settle(pending, table, rid, before)
            if not pending:
                break
    for row in rows:
        row["after_is_now"] = row["after"] is None and row["op"] != "delete"
    return rows


def _settle(pending: dict[tuple[str, int], dict[str, Any]], table: str, rid: int, before: str | None) -> None:
    """The next change of a row whose after image is pending: its before image is that after."""
    row = pending.pop((table, rid), None)
    if row is not None:
        row["after"] = before


def image_after(store: Any, table: str, rid: int, change_id: int) -> dict[str, Any] | None:
    """The row ``rid`` of ``table`` as row change ``change_id`` left it, for a change that kept
    no after image: its next change's before image, else the row as it is now."""
    found = store.one(
        "SELECT before FROM row_changes WHERE id > ? AND tbl = ? AND coalesce(old_rid, rid) = ?"
        " AND op <> 'insert' ORDER BY id LIMIT 1",
        (change_id, table, rid),
    )
    if found is not None:
        return load_image(store, table, found[0])
    return row_image(store, table, rid)


def after_image(store: Any, row: dict[str, Any], now: Any = None) -> dict[str, Any] | None:
    """The after image of a row change from :func:`row_changes` (``now``: the row as it is now,
    if the caller read it already)."""
    if row["after_is_now"]:
        return now if now is not None else row_image(store, row["tbl"], row["rid"])
    return load_image(store, row["tbl"], row["after"])


def audit_of(store: Any, number: int) -> list[sqlite3.Row]:
    return store.query(
        "SELECT id, actor, action, object, before, after FROM audit WHERE changeset_id = ? ORDER BY id",
        (number,),
    )


_LATER = """
WITH mine AS (
    SELECT tbl, rid FROM row_changes WHERE changeset_id = :cs
    UNION SELECT tbl, old_rid FROM row_changes WHERE changeset_id = :cs AND old_rid IS NOT NULL
)
SELECT l.id, l.tbl, l.rid, l.changeset_id, coalesce(l.after, l.before) AS image
FROM row_changes AS l JOIN mine AS m ON l.tbl = m.tbl AND (l.rid = m.rid OR l.old_rid = m.rid)
WHERE l.changeset_id > :cs
ORDER BY l.changeset_id, l.id
"""


def later_changes(store: Any, number: int) -> list[sqlite3.Row]:
    """Row changes of later changesets on the rows this changeset touched."""
    return store.query(_LATER, {"cs": number})


def row_image(store: Any, table: str, rid: int) -> dict[str, Any] | None:
    """The row as it is now, as the triggers would record it (or None)."""
    cols = columns(store.conn, table)
    row = store.one(f"SELECT {_image(cols, _q(table))} FROM main.{_q(table)} WHERE rowid = ?", (rid,))
    if not row:
        return None
    return _as_stored(store, table, json.loads(row[0]))


def row_images(store: Any, table: str, rids: list[int]) -> dict[int, dict[str, Any]]:
    """:func:`row_image` of many rows, one statement a thousand ids (a round trip a row costs a
    PostgreSQL dry run of a big import seconds): {rid: image} of those that exist."""
    cols = columns(store.conn, table)
    found: dict[int, dict[str, Any]] = {}
    for start in range(0, len(rids), 1000):
        part = json.dumps(rids[start : start + 1000])
        for rid, text in store.execute(
            f"SELECT rowid, {_image(cols, _q(table))} FROM main.{_q(table)}"
            " WHERE rowid IN (SELECT value FROM json_each(?))",
            (part,),
        ):
            found[rid] = _as_stored(store, table, json.loads(text))
    return found


def _as_stored(store: Any, table: str, image: dict[str, Any]) -> dict[str, Any]:
    for info in _table_info(store.conn, table):  # PostgreSQL's jsonb writes a REAL's 499.0 as 499
        if type(image.get(info[1])) is int and str(info[2]).upper() in _FLOATS:
            image[info[1]] = float(image[info[1]])
    return in_column_order(store, table, image)


#: Declared types of a floating-point column (SQLite's REAL; PostgreSQL's, as format_type names them).
_FLOATS = frozenset({"REAL", "DOUBLE PRECISION", "FLOAT", "DOUBLE"})


def load_image(store: Any, table: str, text: str | None) -> dict[str, Any] | None:
    """A stored row image (``row_changes.before``/``after``) as a dict, its fields in the
    table's column order (or None)."""
    return in_column_order(store, table, json.loads(text)) if text else None


def in_column_order(store: Any, table: str, image: dict[str, Any]) -> dict[str, Any]:
    """``image`` with its fields in the table's column order, as SQLite's ``json_object``
    writes them; PostgreSQL's ``jsonb`` keeps its keys sorted by length and name, so every diff
    and listing made from an image reads the same on both backends. Only the order: the stored
    text is left as it is (an image of a column the table no longer has keeps it, last)."""
    cols = columns(store.conn, table)
    if list(image) == cols:
        return image
    ordered = {c: image[c] for c in cols if c in image}
    if len(ordered) < len(image):
        ordered.update(image)
    return ordered


def delete_row(store: Any, table: str, rid: int) -> None:
    store.execute(f"DELETE FROM main.{_q(table)} WHERE rowid = ?", (rid,))


def delete_by_key(store: Any, table: str, image: dict[str, Any]) -> None:
    """Remove a row holding the primary key of ``image`` (``--force`` re-inserting over it)."""
    key = primary_key(store.conn, table)
    if key:
        where = " AND ".join(f"{_q(c)} IS ?" for c in key)
        store.execute(f"DELETE FROM main.{_q(table)} WHERE {where}", [image.get(c) for c in key])


def insert_row(store: Any, table: str, rid: int, image: dict[str, Any]) -> None:
    cols = [c for c in columns(store.conn, table) if c in image]
    names = ", ".join(["rowid", *(_q(c) for c in cols)])
    marks = ", ".join("?" for _ in range(len(cols) + 1))
    store.execute(
        f"INSERT INTO main.{_q(table)} ({names}) VALUES ({marks})", [rid, *(image[c] for c in cols)]
    )


def update_row(store: Any, table: str, rid: int, new_rid: int, image: dict[str, Any]) -> int:
    cols = [c for c in columns(store.conn, table) if c in image]
    sets = ", ".join(["rowid = ?", *(f"{_q(c)} = ?" for c in cols)])
    cursor = store.execute(
        f"UPDATE main.{_q(table)} SET {sets} WHERE rowid = ?", [new_rid, *(image[c] for c in cols), rid]
    )
    return cursor.rowcount


def undo_pairs(store: Any, after: int) -> dict[int, int]:
    """{undo changeset: the changeset it reverted} for the changesets after ``after``."""
    rows = store.query("SELECT id, undoes FROM changesets WHERE id > ? AND undoes IS NOT NULL", (after,))
    return {row[0]: row[1] for row in rows}


def undone_by(store: Any, number: int) -> int | None:
    row = store.one("SELECT max(id) FROM changesets WHERE undoes = ?", (number,))
    return row[0] if row else None


def mark_undo(store: Any, changeset_id: int, undoes: int) -> None:
    store.execute("UPDATE changesets SET undoes = ? WHERE id = ?", (undoes, changeset_id))


def case_classification(store: Any, case_id: Any) -> str | None:
    try:
        row = store.one("SELECT classification FROM cases WHERE id = ?", (case_id,))
    except sqlite3.OperationalError:
        return None
    return row[0] if row else None


def case_number(store: Any, case_id: Any) -> str | None:
    try:
        row = store.one("SELECT number FROM cases WHERE id = ?", (case_id,))
    except sqlite3.OperationalError:
        return None
    return row[0] if row else None


# ---------------------------------------------------------------- listing
_LIST = """
SELECT c.id, c.at, c.business_at, c.actor, c.command, c.origin, c.undoes,
       (SELECT json_group_object(action, n) FROM
            (SELECT action, count(*) AS n FROM audit WHERE changeset_id = c.id GROUP BY action)) AS actions,
       (SELECT json_group_object(k, n) FROM
            (SELECT tbl || ' ' || op AS k, count(*) AS n FROM row_changes WHERE changeset_id = c.id
             GROUP BY tbl, op)) AS rows,
       (SELECT min(u.id) FROM changesets AS u WHERE u.undoes = c.id) AS undone_by
FROM changesets AS c
WHERE (:actor IS NULL OR c.actor = :actor)
ORDER BY c.id DESC
LIMIT :limit
"""


def recent(store: Any, limit: int, actor: str | None = None) -> list[sqlite3.Row]:
    return store.query(_LIST, {"limit": limit, "actor": actor})


# ---------------------------------------------------------------- the audit log, filtered
_AUDIT = """
SELECT a.id, a.at, a.business_at, a.actor, a.action, a.object, a.before, a.after, a.changeset_id,
       CASE WHEN c.classification IN ('sensitive', 'secret') THEN 1 ELSE 0 END AS classified
FROM audit AS a
LEFT JOIN cases AS c ON a.object LIKE 'case:%' AND c.number = substr(a.object, 6)
WHERE (:actor IS NULL OR a.actor = :actor)
  AND (:object IS NULL OR a.object = :object OR a.object LIKE :within ESCAPE '\\')
  AND (:action IS NULL OR a.action = :action OR a.action LIKE :action || '.%')
  AND (:since IS NULL OR a.at >= :since)
  AND (:until IS NULL OR a.at < :until)
  AND (:changeset IS NULL OR a.changeset_id = :changeset)
ORDER BY a.id DESC
LIMIT :limit
"""


def audit_filtered(store: Any, limit: int, filters: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The newest audit records that pass ``filters`` (actor, object, action, since, until,
    changeset; None: any), newest first, with their ``classified`` flag; read from the
    cursor row by row."""
    return (audit_record(row, changeset=True) for row in store.execute(_AUDIT, {**filters, "limit": limit}))

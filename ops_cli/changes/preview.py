"""A per-row diff for any `--dry-run`: run the real write, read what the store captured, and
roll it all back. Gives commands a `field: before → after` preview without a second code path."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from ops_cli.changes import objects
from ops_cli.context import Ops
from ops_cli.store import changes as sql

T = TypeVar("T")
_VERB = {"insert": "added", "delete": "removed", "update": "changed"}
#: Secret columns: a diff says they change, never their value (a support code's hash and salt).
SECRET = "(secret)"
_SECRET_FIELDS = {"sla_codes": frozenset({"kdf", "salt", "hash"})}


class _Rollback(Exception):
    pass


def preview(ops: Ops, write: Callable[[], T]) -> tuple[T, list[dict[str, Any]]]:
    """Run ``write`` (a core function that writes through ``ops.store.write()``) in a
    transaction that is rolled back; its result and the rows it would change:
    ``{"object", "table", "key": {column: value}, "op": insert/update/delete,
    "change": added/removed/changed, "fields": {f: {before, after}}}`` (secret columns masked).

    Only the store is rolled back: a ``write`` that also writes files must not be previewed.
    """
    box: dict[str, Any] = {}
    try:
        with ops.store.write() as st:
            box["result"] = write()
            number = sql.running(st)
            changes = sql.row_changes(st, number) if number else []
            nows = _rows_now(st, changes)
            rows = (
                _row(st, first, last, nows.get((last["tbl"], last["rid"]))) for first, last in _net(changes)
            )
            box["rows"] = [row for row in rows if row is not None]
            raise _Rollback
    except _Rollback:
        pass
    return box["result"], box["rows"]


def _rows_now(st: Any, changes: list[dict[str, Any]]) -> dict[tuple[str, int], dict[str, Any]]:
    """The rows as they are now whose image the changes kept none of (a bulk write's), read a
    table at a time: {(table, rid): image}."""
    wanted: dict[str, list[int]] = {}
    for rc in changes:
        if rc["after_is_now"]:
            wanted.setdefault(rc["tbl"], []).append(rc["rid"])
    return {
        (table, rid): image
        for table, rids in wanted.items()
        for rid, image in sql.row_images(st, table, rids).items()
    }


def _net(changes: list[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(first, last) change of each row, in the order the rows were first changed: a row a write
    changed in steps (a TEI unbound, then bound to another subscription) is one change."""
    steps: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for rc in changes:
        was = (rc["tbl"], rc["old_rid"] if rc["old_rid"] is not None else rc["rid"])
        row = steps.pop(was, None) or []
        steps[(rc["tbl"], rc["rid"])] = [*row[:1], rc]  # a moved row (new rowid) under its new id
    return [(row[0], row[-1]) for row in steps.values()]


def _row(st: Any, first: Any, last: Any, now: dict[str, Any] | None) -> dict[str, Any] | None:
    """The diff of one row from before ``first`` to after ``last`` (None: back as it was)."""
    rc = last
    op = _net_op(first["op"], last["op"])
    if op is None:
        return None
    before = sql.load_image(st, rc["tbl"], first["before"])
    after = sql.after_image(st, rc, now) if op != "delete" else None
    if op == "update" and before == after:
        return None
    fields = objects.field_changes(before, after)
    if objects.classified(st, rc["tbl"], before) or objects.classified(st, rc["tbl"], after):
        fields = objects.mask(fields)
    image = after or before or {}
    key = {c: image.get(c) for c in sql.primary_key(st.conn, rc["tbl"])} or {"rowid": rc["rid"]}
    return {
        "object": objects.name(st, rc["tbl"], rc["rid"], image),
        "table": rc["tbl"],
        "key": key,
        "op": op,
        "change": _VERB[op],
        "fields": _hide_secrets(rc["tbl"], fields),
    }


def _net_op(first: str, last: str) -> str | None:
    """The op of a row changed in steps: added (then changed), removed, or changed; None for a row
    added and removed again."""
    if first == "insert":
        return None if last == "delete" else "insert"
    return "delete" if last == "delete" else "update"


def _hide_secrets(table: str, fields: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    secret = _SECRET_FIELDS.get(table, frozenset())
    return {
        f: {k: (SECRET if v is not None else None) for k, v in change.items()} if f in secret else change
        for f, change in fields.items()
    }

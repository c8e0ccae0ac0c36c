"""`ops undo CHANGESET`: revert a whole changeset from its row images, in one transaction.

The rows are put back in the inverse order they were changed (an inserted row is deleted, a
deleted one re-inserted with its rowid, an updated one given its earlier image back), so every
step passes through a state the store really had. The undo is a changeset itself (its
``undoes`` names the one reverted), so undoing it redoes. The audit is never touched: the undo
appends its own records.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from ops_cli.changes import objects
from ops_cli.context import Ops
from ops_cli.errors import Conflict, NotFound
from ops_cli.store import changes as sql

_VERB = {"insert": "removed", "delete": "restored", "update": "reverted"}
_SHOW_OBJECTS = 5


class _Rollback(Exception):
    """Leaves the write transaction of a dry run without keeping anything."""


def undo(ops: Ops, number: int, *, force: bool = False, dry_run: bool = False) -> dict[str, Any]:
    """Revert changeset ``number``; ``dry_run`` does all of it and keeps nothing.

    Refused (Conflict) when a later changeset touched one of its rows, or a row is no longer
    as the changeset left it, unless ``force``; a restored row that breaks a rule of the store
    (a key taken meanwhile, a row that a later one refers to) is refused even then.
    """
    result: dict[str, Any] = {}
    try:
        with ops.store.write() as st:
            result = _undo(ops, st, number, force)
            if dry_run:
                raise _Rollback
    except _Rollback:
        result["undone_by"] = None
    result["dry_run"] = dry_run
    return result


def _undo(ops: Ops, st: Any, number: int, force: bool) -> dict[str, Any]:
    head = sql.changeset(st, number)
    if head is None:
        raise NotFound(f"no changeset {number}; `ops undo --list` shows the recent ones")
    rows = sql.row_changes(st, number)
    if not rows:
        raise Conflict(f"changeset {number} changed no rows that can be undone")
    later = _effective(st, number, sql.later_changes(st, number))
    if later and not force:
        raise Conflict(_overlap_message(st, number, later))
    changes = [_revert(st, number, row, force) for row in reversed(rows)]
    actor = ops.actor(None)
    at = ops.now()
    for record in reversed(sql.audit_of(st, number)):
        st.audit(actor, "undo", record["object"], _load(record["after"]), _load(record["before"]), at=at)
    counts = {verb: sum(1 for c in changes if c["change"] == verb) for verb in _VERB.values()}
    st.audit(actor, "changeset.undo", f"changeset:{number}", None, {"rows": counts}, at=at)
    new = sql.current(st, actor)
    if new is not None:
        sql.mark_undo(st, new, number)
    return {
        "changeset": number,
        "command": head["command"],
        "actor": head["actor"],
        "undone_by": new,
        **counts,
        "forced": bool(force and later),
        "changes": changes,
    }


def _effective(st: Any, number: int, later: list[sqlite3.Row]) -> list[sqlite3.Row]:
    """The later row changes that still count: a later changeset and the undo that reverted
    it cancel out (newest first, so an undo that was itself undone counts again as its target)."""
    undoes = sql.undo_pairs(st, number)
    cancelled: set[int] = set()
    for newer in sorted(undoes, reverse=True):
        target = undoes[newer]
        if newer not in cancelled and target > number and target not in cancelled:
            cancelled |= {newer, target}
    return [row for row in later if row["changeset_id"] not in cancelled]


def _overlap_message(st: Any, number: int, later: list[sqlite3.Row]) -> str:
    names: list[str] = []
    for row in later:
        # a later bulk insert kept no image: the row as it left it (its next change, or now)
        image = _load(row["image"]) or sql.image_after(st, row["tbl"], row["rid"], row["id"])
        label = objects.name(st, row["tbl"], row["rid"], image)
        if label not in names:
            names.append(label)
    ids = sorted({row["changeset_id"] for row in later})
    shown = ", ".join(names[:_SHOW_OBJECTS])
    if len(names) > _SHOW_OBJECTS:
        shown += f" and {len(names) - _SHOW_OBJECTS} more"
    which = ("changeset " if len(ids) == 1 else "changesets ") + ", ".join(map(str, ids))
    undone_by = sql.undone_by(st, number)
    if undone_by is not None and undone_by in ids:
        return f"changeset {number} was undone already by changeset {undone_by}; undo {undone_by} to redo it"
    return (
        f"changeset {number} cannot be undone: {which} changed the same rows later: {shown};"
        " undo those first, or use --force to put these rows back anyway"
    )


def _revert(st: Any, number: int, row: dict[str, Any], force: bool) -> dict[str, Any]:
    """Undo one row change; the diff it makes (from the row as it is to the row put back)."""
    table, rid, op = row["tbl"], row["rid"], row["op"]
    now = sql.row_image(st, table, rid)
    before, after = sql.load_image(st, table, row["before"]), sql.after_image(st, row, now)
    if op == "insert" and now is not None and not _same_key(st, table, now, after):
        # SQLite gives a removed row's id to the next row added: another key at this id now is
        # not the row this changeset added (that one is gone), and undo leaves it alone.
        now = None
    label = objects.name(st, table, rid, before or after)
    if now != after and not force:
        raise Conflict(
            f"changeset {number} cannot be undone: {label} is no longer as it left it;"
            " use --force to put it back anyway"
        )
    try:
        _apply(st, table, row, now, before, force)
    except sqlite3.IntegrityError as exc:
        raise Conflict(
            f"changeset {number} cannot be undone: {'removing' if op == 'insert' else 'putting back'} {label}"
            " breaks a rule of the store"
            f" ({exc}); a later change depends on it"
        ) from None
    fields = objects.field_changes(now, before)
    if any(objects.classified(st, table, image) for image in (before, after, now)):
        fields = objects.mask(fields)
    return {"object": label, "table": table, "change": _VERB[op], "fields": fields}


def _apply(
    st: Any,
    table: str,
    row: dict[str, Any],
    now: dict[str, Any] | None,
    before: dict[str, Any] | None,
    force: bool,
) -> None:
    rid, op = row["rid"], row["op"]
    target = row["old_rid"] if row["old_rid"] is not None else rid
    if op == "insert":
        if now is not None:
            sql.delete_row(st, table, rid)
        return
    assert before is not None
    if force:  # make room: a row that took the key or the rowid meanwhile gives way
        if op == "delete" and now is not None:
            sql.delete_row(st, table, rid)
        if op == "delete" or now is None:
            sql.delete_by_key(st, table, before)
            sql.delete_row(st, table, target)
    if op == "delete" or now is None:
        sql.insert_row(st, table, target, before)
    else:
        sql.update_row(st, table, rid, target, before)


def _same_key(st: Any, table: str, now: dict[str, Any], after: dict[str, Any] | None) -> bool:
    """Whether ``now`` is the row ``after`` was (the same primary key; a table without one: yes)."""
    key = sql.primary_key(st.conn, table)
    return after is None or all(now.get(c) == after.get(c) for c in key)


def _load(text: str | None) -> Any:
    return json.loads(text) if text else None

"""Shared steps of the undo and changeset tests: a command that must succeed, the newest
changeset, and the store's domain tables (without the audit and changeset records, which
every write adds to)."""

from __future__ import annotations

from typing import Any

#: Tables that every write appends to (or a counter moves in): left out of "the store as it was".
NOT_DOMAIN = frozenset({"audit", "changesets", "row_changes", "sqlite_sequence", "case_sequences"})


def domain_of(snapshot: dict) -> dict:
    """The domain tables of a snapshot (``env.snapshot()``)."""
    return {t: rows for t, rows in snapshot.items() if t not in NOT_DOMAIN}


def domain(env: Any) -> dict:
    """The domain tables of the test's store now."""
    return domain_of(env.snapshot())


def ok(env: Any, *args: str) -> Any:
    """Run ``ops *args`` in-process; it must exit 0."""
    result = env.cli(*args)
    assert result.code == 0, (args, result.stderr)
    return result


def last_changeset(env: Any) -> int:
    """The id of the newest changeset (``ops undo --list``)."""
    return ok(env, "undo", "--list", "-n", "1", "-f", "json").json()[0]["id"]


def undo_images(env: Any, number: int, table: str) -> list[tuple[str, dict | None, dict | None]]:
    """(op, before, after) of each row change of ``table`` in changeset ``number``, the images
    as ``ops undo`` reads them (a bulk write stores no after image: the reader takes it from
    the row's next change, else from the store as it is)."""
    from ops_cli.context import Ops
    from ops_cli.store import changes

    ops = Ops.open(config_path=env.config, db_path=env.db)
    try:
        st = ops.store
        return [
            (row["op"], changes.load_image(st, table, row["before"]), changes.after_image(st, row))
            for row in changes.row_changes(st, number)
            if row["tbl"] == table
        ]
    finally:
        ops.close()


def after_images(env: Any, number: int, table: str) -> list[dict | None]:
    """The after images of :func:`undo_images`."""
    return [after for _, _, after in undo_images(env, number, table)]


def dry_run_changes(env: Any, *args: str) -> dict[str, dict]:
    """Run ``ops *args --dry-run -f json``: it must succeed and leave the store as it was; its
    per-row ``changes`` by object."""
    before = env.snapshot()
    out = ok(env, *args, "--dry-run", "-f", "json").json()
    assert env.snapshot() == before
    return {change["object"]: change for change in out["changes"]}

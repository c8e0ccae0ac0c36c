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

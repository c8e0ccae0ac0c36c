"""The recent changesets (`ops undo --list`) and the audit log with filters (`ops db log`)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ops_cli import clock
from ops_cli.cases.common import MASK
from ops_cli.context import Ops
from ops_cli.errors import InvalidInput
from ops_cli.store import changes as sql

#: Names a person may use for an object, as the audit writes it (`issi:2010001` is `sub:2010001`).
_OBJECT_ALIASES = {"issi": "sub", "subscription": "sub", "unit": "unit", "serial": "unit"}


def _local(ops: Ops, text: str | None) -> str | None:
    """A stored UTC time in the desk's zone (ISO 8601 with offset)."""
    moment = clock.from_db(text, ops.tz) if text else None
    return moment.astimezone(ops.tz).isoformat() if moment else None


def changesets(ops: Ops, limit: int = 20, actor: str | None = None) -> list[dict[str, Any]]:
    """The newest changesets: when, who, the command, what it did (audit actions and rows)."""
    out = []
    for row in sql.recent(ops.store, limit, actor.strip().lower() if actor else None):
        actions = json.loads(row["actions"]) if row["actions"] else {}
        rows = json.loads(row["rows"]) if row["rows"] else {}
        out.append(
            {
                "id": row["id"],
                "at": _local(ops, row["at"]),
                "business_at": _local(ops, row["business_at"]),
                "actor": row["actor"],
                "command": row["command"],
                "actions": ", ".join(f"{k} {v}" for k, v in sorted(actions.items())),
                "rows": sum(rows.values()),
                "undoes": row["undoes"],
                "undone_by": row["undone_by"],
            }
        )
    return out


def normalise_object(text: str) -> str:
    """``issi:2010001`` -> ``sub:2010001``; other objects as the audit writes them.

    Not ``KIND:ID`` (no colon, an empty kind or id, an ISSI that is not a number): InvalidInput.
    """
    kind, sep, rest = text.strip().partition(":")
    kind, rest = kind.strip().lower(), rest.strip()
    if not sep or not kind or not rest:
        raise InvalidInput(
            f"--object: {text.strip()!r} is not KIND:ID; e.g. issi:2010001, customer:2001, case:2026-00001"
        )
    kind = _OBJECT_ALIASES.get(kind, kind)
    if kind == "sub" and not rest.isdigit():
        raise InvalidInput(f"--object: {rest!r} is not an ISSI (digits), e.g. issi:2010001")
    return f"{kind}:{rest}"


def _within(obj: str) -> str | None:
    """A LIKE pattern for the records of things inside ``obj``: a customer's roster entries."""
    kind, _, key = obj.partition(":")
    if kind != "customer" or not key:
        return None
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"roster:{escaped}:%"


def audit_filters(
    ops: Ops,
    *,
    actor: str | None = None,
    obj: str | None = None,
    action: str | None = None,
    since: str | None = None,
    until: str | None = None,
    changeset: int | None = None,
) -> dict[str, Any]:
    """The SQL parameters of :func:`ops_cli.store.changes.audit_filtered` from typed options."""
    return {
        "actor": actor.strip().lower() if actor else None,
        "object": normalise_object(obj) if obj else None,
        "within": _within(normalise_object(obj)) if obj else None,
        "action": action.strip() if action else None,
        "since": clock.to_db(clock.parse_time(since, ops.tz, "--since")) if since else None,
        "until": clock.to_db(clock.parse_time(until, ops.tz, "--until")) if until else None,
        "changeset": changeset,
    }


def local_times(ops: Ops, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Audit rows with ``at``/``business_at`` in the desk's zone."""
    for row in rows:
        row["at"] = _local(ops, row["at"])
        row["business_at"] = _local(ops, row.get("business_at"))
    return rows


def audit_log(
    ops: Ops, limit: int = 50, *, include_classified: bool = False, **filters: Any
) -> Iterator[dict[str, Any]]:
    """The newest audit records passing the filters (:func:`audit_filters`), times desk-local.
    Those of a sensitive or secret case show no text unless ``include_classified``."""
    rows = sql.audit_filtered(ops.store, limit, audit_filters(ops, **filters))
    return (_shown(ops, row, include_classified) for row in rows)  # streamed: a cursor


def _shown(ops: Ops, row: dict[str, Any], include_classified: bool) -> dict[str, Any]:
    if row.pop("classified") and not include_classified:
        for key in ("before", "after"):
            row[key] = None if row[key] is None else MASK
    return local_times(ops, [row])[0]

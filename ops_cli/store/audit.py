"""Reading the audit log: the newest records, which of them belong to a classified case, and
whether a store holds changes other than the demo loader's."""

from __future__ import annotations

import json
from typing import Any

#: The ``origin`` of the audit records the demo loader writes (``ops init --demo``).
DEMO = "demo"

_LOG = """
SELECT a.id, a.at, a.business_at, a.actor, a.action, a.object, a.before, a.after,
       COALESCE(c.classification IN ('sensitive', 'secret'), 0) AS classified
FROM audit AS a
LEFT JOIN cases AS c ON a.object LIKE 'case:%' AND c.number = substr(a.object, 6)
ORDER BY a.id DESC
LIMIT ?
"""


def audit_record(row: Any, *, changeset: bool = False) -> dict[str, Any]:
    """One audit row as a record: JSON images decoded, ``classified`` a bool; with ``changeset``
    also the row's ``changeset_id`` (as ``changeset``, before ``classified``)."""
    record = {
        "id": row["id"],
        "at": row["at"],
        "business_at": row["business_at"],
        "actor": row["actor"],
        "action": row["action"],
        "object": row["object"],
        "before": json.loads(row["before"]) if row["before"] else None,
        "after": json.loads(row["after"]) if row["after"] else None,
    }
    if changeset:
        record["changeset"] = row["changeset_id"]
    record["classified"] = bool(row["classified"])
    return record


def audit_rows(store: Any, limit: int) -> list[dict[str, Any]]:
    """The newest ``limit`` audit records, newest first, with their ``classified`` flag."""
    return [audit_record(row) for row in store.query(_LOG, (limit,))]


def user_changes(store: Any) -> int:
    """How many audit records were not written by the demo loader (every change writes one)."""
    row = store.one("SELECT count(*) FROM audit WHERE origin IS NOT ?", (DEMO,))
    return int(row[0])

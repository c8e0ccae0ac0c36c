"""The audit log: writing many records in one statement (:func:`audit_many`, the set-based twin
of ``Store.audit``) and the clock rule both share (:func:`audit_times`); reading the newest
records, which of them belong to a classified case, and whether a store holds changes other
than the demo loader's."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

#: The ``origin`` of the audit records the demo loader writes (``ops init --demo``).
DEMO = "demo"

#: The audit keeps the business time (``OPS_NOW``, ``--at``) beside the real time when they
#: differ by at least this much (a command's own run time does not count as a difference).
BUSINESS_CLOCK_SLACK = timedelta(minutes=1)

_INSERT = (
    "INSERT INTO audit (at, business_at, origin, actor, action, object, before, after, changeset_id)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def audit_times(at: datetime | None) -> tuple[str, str | None]:
    """The ``at`` and ``business_at`` texts of an audit record written now for a change made at
    business time ``at``: ``at`` is always the real time of the write; the business time is kept
    beside it only when the two differ by :data:`BUSINESS_CLOCK_SLACK` or more."""
    real = datetime.now(UTC)
    business = None
    if at is not None and abs(at.astimezone(UTC) - real) >= BUSINESS_CLOCK_SLACK:
        business = at.astimezone(UTC).isoformat(timespec="seconds")
    return real.isoformat(timespec="seconds"), business


def image_json(value: Any) -> str | None:
    """The JSON text an audit record keeps for a before/after image (None stays NULL)."""
    if value is None:
        return None
    return json.dumps(value, default=str, ensure_ascii=False, sort_keys=True)


def audit_many(
    store: Any, records: Iterable[tuple[str, str, str, Any, Any]], at: datetime | None = None
) -> int:
    """Append audit records ``(actor, action, object, before, after)`` in ONE ``executemany``
    (inside the caller's write transaction); returns how many.

    The same records as ``store.audit(actor, action, object, before, after, at=at)`` once per
    record: one real time for the batch, the business time ``at`` beside it by the same rule
    (:func:`audit_times`), the running changeset. Images that are the same object are encoded
    once (a bulk command shares its few distinct images among all of its records)."""
    if not store.in_transaction:
        raise RuntimeError("audit records are written inside Store.write()")
    records = list(records)
    if not records:
        return 0
    from ops_cli.store import changes  # changes imports this module

    real, business = audit_times(at)
    changeset = changes.current(store, records[0][0], business)  # None: no changesets recorded
    origin = store.origin
    encoded: dict[int, tuple[Any, str | None]] = {}  # id(image) -> (image, its text): kept alive

    def text(value: Any) -> str | None:
        if value is None:
            return None
        hit = encoded.get(id(value))
        if hit is None:
            hit = encoded[id(value)] = (value, image_json(value))
        return hit[1]

    store.executemany(
        _INSERT,
        [
            (real, business, origin, actor, action, obj, text(before), text(after), changeset)
            for actor, action, obj, before, after in records
        ],
    )
    return len(records)


def audit_select(
    store: Any, head: tuple[Any, ...], action: str, select: str, params: Sequence[Any], order: str = ""
) -> int:
    """Audit records for a set of rows in one statement: ``select`` gives (object, before, after),
    written in the order of ``order`` (an ORDER BY list of ``select``'s tables).

    ``head`` is (at, business_at, origin, actor) as ``Store.audit`` computes them
    (:func:`audit_head`); the JSON is built by SQLite (``json_object``), not row by row in Python.
    """
    # The changeset given here, not by the audit trigger record by record (see changes.current);
    # a select that gives no row must not make one (asked without the order: no sort for it).
    _at, business_at, _origin, actor = head
    if store.one(f"SELECT 1 FROM ({select}) x LIMIT 1", params) is None:
        return 0
    from ops_cli.store import changes  # changes imports this module

    changeset = changes.current(store, actor, business_at)
    ordered = f"{select} ORDER BY {order}" if order else select
    cur = store.execute(
        "INSERT INTO audit (at, business_at, origin, actor, action, object, before, after, changeset_id)"
        f" SELECT ?, ?, ?, ?, ?, x.object, x.before, x.after, ? FROM ({ordered}) x",
        (*head, action, changeset, *params),
    )
    return cur.rowcount


def audit_head(store: Any, actor: str, at: datetime | None) -> tuple[Any, ...]:
    """(at, business_at, origin, actor) of an audit record written now (see ``Store.audit``)."""
    return (*audit_times(at), store.origin, actor)


_LOG = """
SELECT a.id, a.at, a.business_at, a.actor, a.action, a.object, a.before, a.after,
       CASE WHEN c.classification IN ('sensitive', 'secret') THEN 1 ELSE 0 END AS classified
FROM audit AS a
LEFT JOIN cases AS c ON a.object LIKE 'case:%' AND c.number = substr(a.object, 6)
ORDER BY a.id DESC
LIMIT ?
"""


def _image(text: str | None) -> Any:
    """A record's before/after image, its keys sorted as :func:`image_json` writes them: the
    images a statement builds in SQL come in PostgreSQL's jsonb order (by length) otherwise."""
    value = json.loads(text) if text else None
    return dict(sorted(value.items())) if isinstance(value, dict) else value


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
        "before": _image(row["before"]),
        "after": _image(row["after"]),
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

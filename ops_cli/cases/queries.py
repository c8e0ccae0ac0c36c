"""Reading cases: list, show, stale, departments and the export."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from ops_cli import clock, render
from ops_cli.cases.common import (
    CASE_FIELDS,
    LISTED_COLUMNS,
    MASK,
    STATUSES,
    _db,
    _get,
    _local,
    _mask,
    case_object,
    case_tuples,
    local_times,
)
from ops_cli.errors import InvalidInput
from ops_cli.store import cases as sql

DAYS_MAX = 36500

_SQL_MAX = 2**63 - 1  # the largest SQLite INTEGER


def check_days(days: Any) -> int:
    """``--days``: a whole number of days from 0 to 36500 (a hundred years)."""
    allowed = f"a whole number of days from 0 to {DAYS_MAX}"
    text = str(days).strip()
    if isinstance(days, bool) or not re.fullmatch(r"\d+", text) or int(text) > DAYS_MAX:
        raise InvalidInput(f"--days must be {allowed}, not {days!r}")
    return int(text)


def _parse_bound(ops, text: str | datetime | None, what: str, *, end: bool) -> str | None:
    if text is None or text == "":
        return None
    if isinstance(text, datetime):
        return _db(text if text.tzinfo else text.replace(tzinfo=ops.tz))
    moment = clock.parse_time(text, ops.tz, what)
    if end and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        # --until 2026-09-30 includes that whole day
        try:
            moment = moment + timedelta(days=1)
        except OverflowError:
            raise InvalidInput(f"{what} {text.strip()} is past the last date this program handles") from None
    return _db(moment)


def _query(
    ops,
    *,
    status: str | None = None,
    customer: str | None = None,
    department: str | None = None,
    topic: str | None = None,
    agent: str | None = None,
    overdue: bool = False,
    since: str | datetime | None = None,
    until: str | datetime | None = None,
    limit: int | None = None,
    at: datetime | None = None,
    columns: tuple[str, ...] | None = None,
) -> list[Any]:
    if status is not None and status not in STATUSES:
        raise InvalidInput(f"unknown status {status!r}; use one of: {', '.join(STATUSES)}")
    if limit is not None and not 1 <= limit <= _SQL_MAX:
        raise InvalidInput(f"--limit must be from 1 to {_SQL_MAX}, not {limit}")
    topics, known = ops.config["topics"], ops.config["departments"]
    if topic is not None and topic not in topics:
        raise InvalidInput(f"unknown topic {topic!r}; topics are: {', '.join(topics)}")
    if department is not None and department not in known:
        raise InvalidInput(
            f"unknown department {department!r}; see `ops case departments` ({', '.join(known)})"
        )
    opened_from = _parse_bound(ops, since, "--since", end=False)
    opened_until = _parse_bound(ops, until, "--until", end=True)
    if opened_from and opened_until and clock.from_db(opened_from) > clock.from_db(opened_until):
        raise InvalidInput(f"--since {since} is after --until {until}: no case could match; swap them?")
    return sql.list_cases(
        ops.store,
        status=status,
        customer=customer.strip() if customer else None,
        department=department,
        topic=topic,
        agent=agent.strip().lower() if agent else None,
        due_before=_db(at or ops.now()) if overdue else None,
        opened_from=opened_from,
        opened_until=opened_until,
        limit=limit,
        columns=columns,
    )


def list_cases(ops, *, include_classified: bool = False, **filters: Any) -> Iterator[dict[str, Any]]:
    """Cases matching every filter, newest first; classified text masked unless asked.

    Filters: ``status``, ``customer``, ``department``, ``topic``, ``agent``;
    ``overdue`` (open cases whose stored next callback is at or before ``at``,
    default now); ``since``/``until`` bound the opening time (a date alone for
    ``until`` includes that day); ``limit``.

    The filters are checked now; the cases come one at a time from the store cursor
    (a listing streams; ``list(...)`` for a list).
    """
    rows = _query(ops, columns=LISTED_COLUMNS, **filters)
    values = case_tuples(ops, rows, _CustomerNames(ops.store), include_classified)

    def json_texts() -> Iterator[str]:
        # the JSON writers: the store writes each object's JSON but the desk-local times
        rows.close()
        mask = None if include_classified else render.to_json(MASK, indent=None)
        pieces = _query(ops, columns=sql.listed_json_pieces(mask), **filters)
        return _case_json_texts(ops, pieces)

    # An iterator of dicts for any caller; the JSON writers take texts without a dict a row.
    return render.Rows(CASE_FIELDS, values, json=json_texts)


def _case_json_texts(ops, pieces: Any) -> Iterator[str]:
    """Each case's compact JSON text from :func:`store.cases.listed_json_pieces`' pieces: the
    times put in as the desk sees them (:func:`~ops_cli.cases.common.local_times`)."""
    local = local_times(ops.tz)
    compact = render.to_json
    for head, opened, due, middle, occurred, tail_a, hours, last, closed, tail_b in pieces:
        yield (
            f'{head}, "opened_at": "{local(opened)}", "next_callback_at": '
            f'{"null" if due is None else chr(34) + local(due) + chr(34)}, {middle}, "occurred_at": '
            f"{'null' if occurred is None else chr(34) + local(occurred) + chr(34)}, {tail_a}, "
            f'"feedback_hours": {"null" if hours is None else compact(hours, indent=None)}, '
            f'"last_activity_at": "{local(last)}", "closed_at": '
            f"{'null' if closed is None else chr(34) + local(closed) + chr(34)}, {tail_b}"
        )


class _CustomerNames(dict):
    """Customer number -> name, looked up the first time a number is asked for."""

    def __init__(self, store: Any):
        super().__init__()
        self._store = store

    def __missing__(self, number: Any) -> Any:
        name = self[number] = sql.customer_names(self._store, [number]).get(number)
        return name

    #: ``names.get(number)`` (what :func:`case_objects` calls a row): one lookup in C for a
    #: number seen before, the store asked once for a new one.
    get = dict.__getitem__


def show_case(ops, number: str, *, include_classified: bool = False) -> dict[str, Any]:
    """One case with its thread (notes marked internal), history, grants and callbacks.

    A sensitive or secret case shows its numbers, dates, status and who acted, but
    every text (subject, thread, resolution, callback notes, third parties, the
    texts in its history) is masked unless ``include_classified``.
    """
    row = _get(ops, number)
    store = ops.store
    result = case_object(ops, row)
    masked = not include_classified and row["classification"] in ("sensitive", "secret")
    result = _mask(result, include_classified)
    result["thread"] = [
        {
            "at": _local(ops, e["at"]),
            "kind": e["kind"],
            "internal": e["kind"] == "note",
            "author": e["author"],
            "text": MASK if masked else e["body"],
        }
        for e in sql.entries(store, row["id"])
    ]
    result["history"] = [
        {
            "at": _local(ops, e["at"]),
            "actor": e["actor"],
            "event": e["event"],
            "detail": _mask_detail(json.loads(e["detail"]) if e["detail"] else None, masked),
        }
        for e in sql.events(store, row["id"])
    ]
    result["grants"] = [
        {
            "name": MASK if masked else g["name"],
            "granted_by": g["granted_by"],
            "granted_at": _local(ops, g["granted_at"]),
        }
        for g in sql.grants(store, row["id"])
    ]
    result["callbacks"] = [
        {
            "due_at": _local(ops, c["due_at"]),
            "made_at": _local(ops, c["made_at"]),
            "made_by": c["made_by"],
            "note": MASK if masked and c["note"] else c["note"],
        }
        for c in sql.callbacks(store, row["id"])
    ]
    return result


# Keys of history details that hold case text (masked on classified cases).
_DETAIL_TEXT = ("note", "resolution", "previous_resolution", "name", "message", "subject", "text")


def _mask_detail(detail: Any, masked: bool) -> Any:
    if not masked or not isinstance(detail, dict):
        return detail
    return {k: MASK if k in _DETAIL_TEXT and v else v for k, v in detail.items()}


def stale(
    ops, *, days: int | None = None, at: datetime | None = None, include_classified: bool = False
) -> list[dict[str, Any]]:
    """Open cases without activity for ``days`` (config ``cases.stale_days``), per
    department with its responsible; oldest activity first within a department."""
    days = check_days(ops.config["cases"]["stale_days"] if days is None else days)
    at = at or ops.now()
    rows = sql.list_cases(
        ops.store, open_only=True, active_before=_db(at - timedelta(days=days)), newest_first=False
    )
    departments = ops.config["departments"]
    out = []
    for row in sorted(rows, key=lambda r: (r["department"], r["last_activity_at"], r["number"])):
        last = clock.from_db(row["last_activity_at"], ops.tz)
        out.append(
            _mask(
                {
                    "department": row["department"],
                    "responsible": (departments.get(row["department"]) or {}).get("responsible") or None,
                    "number": row["number"],
                    "customer": row["customer"],
                    "status": row["status"],
                    "agent": row["agent"],
                    "last_activity_at": last.isoformat(),
                    "idle_days": (at - last).days,
                    "classification": row["classification"],
                    "subject": row["subject"],
                },
                include_classified,
            )
        )
    return out


def departments(ops) -> list[dict[str, Any]]:
    """The configured departments, with the topics and business areas that route to each."""
    config = ops.config
    out = []
    for name, record in config["departments"].items():
        out.append(
            {
                "name": name,
                "level": record["level"],
                "area": record["area"] or None,
                "responsible": record["responsible"] or None,
                "topics": [t for t, r in config["topics"].items() if r["department"] == name],
                "areas": [a for a, r in config["areas"].items() if r["department"] == name],
            }
        )
    return out


EXPORT_COLUMNS = (
    "number",
    "customer",
    "customer_name",
    "topic",
    "area",
    "department",
    "agent",
    "status",
    "critical",
    "classification",
    "channel",
    "reporter",
    "opened_at",
    "next_callback_at",
    "closed_at",
    "subject",
    "message",
    "resolution",
)


def export(
    ops, path: str, *, include_classified: bool = False, force: bool = False, **filters: Any
) -> dict[str, Any]:
    """Write cases (filters as :func:`list_cases`) to .xlsx or .csv with their first
    customer message: subject and text of sensitive cases masked and secret cases
    left out, unless ``include_classified``. Internal notes are never exported.

    The file goes through ``ops_cli.files``: an existing file is refused (exit 6)
    unless ``force``, a symlink is never followed; created 0600 (personal data).
    """
    from ops_cli import files  # an export only: a listing does not load it
    from ops_cli.sheets import write_table

    if not str(path).strip():
        raise InvalidInput("give the file to write: a name ending in .xlsx or .csv")
    files.check_target(path, force=force)  # refuse before reading anything
    rows = list(_query(ops, **filters))
    left_out = sum(1 for r in rows if r["classification"] == "secret")
    if not include_classified:
        rows = [r for r in rows if r["classification"] != "secret"]
    else:
        left_out = 0
    names = sql.customer_names(ops.store, [r["customer"] for r in rows])
    messages = sql.first_message(ops.store, [r["id"] for r in rows])
    out = [
        _mask({**case_object(ops, r, names), "message": messages.get(r["id"])}, include_classified)
        for r in rows
    ]
    if str(path).lower().endswith(".xlsx"):
        out = [{k: _cell(v) if isinstance(v, str) else v for k, v in r.items()} for r in out]
    write_table(path, out, list(EXPORT_COLUMNS), sheet_title="Cases", force=force)
    return {"file": str(path), "cases": len(out), "secret_left_out": left_out}


_CUT = " … (cut to fit one xlsx cell; the whole text: `ops case show` or a .csv export)"


def _cell(text: str) -> str:
    """Text that fits one xlsx cell: at most 32,767 characters (longer ones are cut, marked);
    control characters a workbook cannot hold (older stores accepted them) shown as U+FFFD."""
    from ops_cli.sheets.cells import CONTROL, EXCEL_MAX_CELL

    text = CONTROL.sub("\ufffd", text)
    return text if len(text) <= EXCEL_MAX_CELL else text[: EXCEL_MAX_CELL - len(_CUT)] + _CUT

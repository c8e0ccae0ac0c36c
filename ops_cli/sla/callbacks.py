"""SLA callback timers: the schedule of an SLA critical fault and ``sla explain``.

The first callback falls ``sla.first_callback_hours`` support hours after the
report, each next one ``sla.callback_every_hours`` support hours after the
previous one was due.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from ops_cli import clock
from ops_cli.cases.schedule import replay
from ops_cli.context import Ops
from ops_cli.errors import InvalidInput, NotFound
from ops_cli.sla.tiers import _check_tier, tier_names
from ops_cli.store import cases as case_sql
from ops_cli.store import sla as q


def _aware(ops: Ops, moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return ops.calendar.localize(moment)
    return moment.astimezone(ops.tz)


def _steps(ops: Ops) -> tuple[timedelta, timedelta]:
    sla = ops.config["sla"]
    return clock.hours(sla["first_callback_hours"]), clock.hours(sla["callback_every_hours"])


def callback_schedule(ops: Ops, tier: str, start: datetime, count: int) -> list[datetime]:
    """The first ``count`` callback due times of an SLA critical fault reported at ``start``.

    The first falls ``sla.first_callback_hours`` support hours after ``start``,
    each next one ``sla.callback_every_hours`` support hours after the previous
    due time, counted only inside the tier's support hours (real elapsed time
    across DST changes). ``start`` may be naive (desk-local wall time).
    Returns aware datetimes in the desk's zone. Unknown tier or ``count`` < 1:
    :class:`InvalidInput`.
    """
    name = _check_tier(ops, tier)
    if count < 1:
        raise InvalidInput(f"count must be at least 1, not {count}")
    hours = ops.hours(f"sla.tiers.{name}")
    first, every = _steps(ops)
    due = hours.add(_aware(ops, start), first)
    out = [due]
    while len(out) < count:
        due = hours.add(due, every)
        out.append(due)
    return out


#: How many callback times ``sla due`` lists at most.
MAX_DUE_COUNT = 1000


def due_count(value: int | str) -> int:
    """``--count`` as a whole number from 1 to :data:`MAX_DUE_COUNT`; InvalidInput (exit 3) otherwise."""
    text = str(value).strip()
    digits = text[1:] if text[:1] in "+-" else text
    number = int(text) if digits.isascii() and digits.isdigit() else None
    if number is None or not 1 <= number <= MAX_DUE_COUNT:
        raise InvalidInput(f"--count: {text!r} is not a whole number from 1 to {MAX_DUE_COUNT}")
    return number


def due(ops: Ops, tier: str, start: str | datetime, count: int | str = 3) -> list[str]:
    """``sla due``: the schedule as ISO 8601 times with their UTC offset (1 to 1000 of them)."""
    number = due_count(count)
    moment = clock.parse_time(start, ops.tz, "--from") if isinstance(start, str) else start
    try:
        return [d.isoformat() for d in callback_schedule(ops, tier, moment, number)]
    except OverflowError:  # the schedule ran off the calendar (year 9999)
        raise InvalidInput(
            f"the schedule of {number} callback(s) from {moment.isoformat()} runs past 9999-12-31, "
            "the calendar's end; give an earlier --from or a smaller --count"
        ) from None


def explain(ops: Ops, number: str) -> dict[str, Any]:
    """How a case's next callback time is computed (``sla explain``).

    A critical fault of an SLA customer carries the tier whose support hours
    run its timers (``cases.sla_tier``). The schedule runs in the current open
    period: from the opening, or from the last reopening (``schedule_from``).
    The next callback is due the configured support hours after the previous
    due time of that period (after its start for the first; the k-th callback
    made in the period answers its k-th due time), as ``case show`` stores it
    (:func:`ops_cli.cases.schedule.replay`). The result names the windows used,
    the days skipped (holidays by name) and the clock changes crossed. Other
    cases (an agreed interval, a topic's feedback interval, closed) are
    described without SLA timers.
    """
    store = ops.store
    row = case_sql.case_by_number(store, number.strip())
    if row is None:
        raise NotFound(f"case {number} not found; see `ops case list`")
    opened = clock.from_db(row["opened_at"], ops.tz)
    period = clock.from_db(row["schedule_from"] or row["opened_at"], ops.tz)
    made = [m for m in q.case_callbacks(store, row["id"]) if clock.from_db(m["made_at"], ops.tz) >= period]
    stored = clock.from_db(row["next_callback_at"], ops.tz)
    tier = (row["sla_tier"] or "").strip().lower() or None
    result: dict[str, Any] = {
        "number": row["number"],
        "customer": row["customer"],
        "status": row["status"],
        "critical": bool(row["critical"]),
        "tier": tier,
        "opened_at": opened.isoformat() if opened else None,
        "schedule_from": period.isoformat() if period else None,
        "callbacks_made": len(made),
        "stored_next_callback_at": stored.isoformat() if stored else None,
    }
    reason = _no_timer_reason(ops, row, tier)
    if reason:
        result.update(sla_timer=False, reason=reason, next_callback_at=result["stored_next_callback_at"])
        result["lines"] = [f"Case {row['number']}: {reason}."]
        if stored and row["status"] != "closed":
            result["lines"].append(f"Next callback: {_fmt(stored)}.")
        return result
    pending = replay(ops, row).pending
    result.update(_timer_explanation(ops, row["number"], tier, (opened, period), len(made)))
    if pending is not None and pending != datetime.fromisoformat(result["next_callback_at"]):
        # the replayed history is the rule (it is what the case stores)
        result["next_callback_at"] = pending.isoformat()
        result["lines"].append(f"Next callback (from the case's history): {_fmt(pending)}.")
    if stored and stored != datetime.fromisoformat(result["next_callback_at"]):
        result["lines"].append(f"Note: the case stores {_fmt(stored)} as its next callback.")
    return result


def _no_timer_reason(ops: Ops, row: Any, tier: str | None) -> str | None:
    """Why no SLA timer runs on the case (closed, an agreed interval, no tier), or None."""
    if row["status"] == "closed":
        return "the case is closed: no further callbacks are due"
    if row["feedback_hours"]:
        every = float(row["feedback_hours"])
        if tier is not None and tier in tier_names(ops):
            return (
                f"an interval of {every:g} hours was agreed on the case, counted in the {tier} tier's"
                " support hours from the last callback made (or the start of the open period);"
                " it replaces the SLA timers"
            )
        return (
            f"an interval of {every:g} hours (real time, from the last callback"
            " made) was agreed on the case; it replaces the SLA timers"
        )
    if tier is None:
        why = "is not critical" if not row["critical"] else "is not a fault of a customer with an SLA tier"
        every = (ops.config["topics"].get(row["topic"]) or {}).get("feedback_hours") or 0
        rule = (
            f"topic {row['topic']!r} gets feedback every {every:g} hours (real time)"
            if every
            else f"topic {row['topic']!r} has no feedback schedule"
        )
        return f"the case {why}, so no SLA timers run; {rule}"
    if tier not in tier_names(ops):
        return f"the case's tier {tier!r} is not configured (tiers: {', '.join(tier_names(ops))})"
    return None


def _timer_explanation(
    ops: Ops, number: str, tier: str, times: tuple[datetime, datetime], made: int
) -> dict[str, Any]:
    """The next SLA due time after ``made`` callbacks in the open period that began at
    ``times[1]`` (the case was reported at ``times[0]``), with the support-hour steps."""
    opened, start_at = times
    hours = ops.hours(f"sla.tiers.{tier}")
    first, every_h = _steps(ops)
    previous_due = None
    due_at = hours.add(start_at, first)
    for _ in range(made):
        previous_due = due_at
        due_at = hours.add(due_at, every_h)
    start, duration = (start_at, first) if previous_due is None else (previous_due, every_h)
    expl = hours.explain_add(start, duration)
    span = f"{duration.total_seconds() / 3600:g} support hours"
    began = f"reported {_fmt(opened)}" if start_at == opened else f"reopened {_fmt(start_at)}"
    basis = (
        f"{began}; the first callback is due {span} later"
        if previous_due is None
        else f"{began}; {made} callback(s) made since; callback {made} was due {_fmt(previous_due)}, "
        f"the next is due {span} after that"
    )
    return {
        "sla_timer": True,
        "next_callback_at": expl.result.isoformat(),
        "basis": basis,
        "explanation": expl.to_dict(),
        "lines": [f"Case {number}, {tier} support hours: {basis}.", *expl.lines()],
    }


def _fmt(moment: datetime) -> str:
    return moment.strftime("%a %Y-%m-%d %H:%M %Z")

"""The feedback (callback) schedule of a case: one rule set for the live next due time
and for the reports' punctuality figures.

Rules (``domain.md`` "Cases", issue 13.3-13.5):

- **SLA timers** run only for a critical fault reported on the SLA line by the
  customer's telephony responsible (the case then carries ``sla_tier``): the
  first callback is due ``sla.first_callback_hours`` support hours after the
  report, each next one ``sla.callback_every_hours`` support hours after the
  previous *due time* (a fixed chain, whenever callbacks were made), counted in
  the tier's support hours.
- **Fault feedback**: other cases of a fault topic are called back every
  ``topics.<t>.feedback_hours`` *real elapsed* hours (across a DST change 24 h
  after 2026-10-24 10:00 CEST is 2026-10-25 09:00 CET) after the last callback
  made, or after the due time when it was missed.
- **An agreed interval** (``case set-callback --every``) replaces both from when
  it is agreed: due that many hours after the last callback made in the current
  open period (or its start); real hours, or the tier's support hours on an SLA
  case.
- **Open periods**: the schedule starts at the opening; closing stops it;
  reopening starts it again from the reopening (never a due time in the past).
- A due time **falls due while the case is open** when it is before the closing
  (a callback due at the very moment of closing is not owed: the closing call
  informs the customer) and before ``until``.
- **Which due time a callback answers**: SLA chain: the k-th callback made in an
  open period answers its k-th due time (as the desk's list shows: the earliest
  one still owed); the next due time follows the previous due time. Real-time
  intervals: a callback answers the pending due time, unless that due time's
  successor already passed unanswered (then it was missed); the next due time is
  the callback plus the interval. Made by the due time: on time; after it: late.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from ops_cli import clock
from ops_cli.store import cases as sql


@dataclass(frozen=True)
class Rule:
    """How due times follow each other: ``first`` after the period's start, then ``every``.

    ``hours`` is the support-hours calendar to count in (None: real elapsed time);
    ``fixed``: each next due counts from the previous due time (the SLA chain),
    else from the last callback made (or the missed due time).
    """

    first: timedelta
    every: timedelta
    hours: Any = None
    fixed: bool = False

    def add(self, start: datetime, span: timedelta) -> datetime:
        if self.hours is not None:
            return self.hours.add(start, span)
        return real_add(start, span)


@dataclass(frozen=True)
class Due:
    """One callback that fell due: when, and the callback that answered it (None: missed)."""

    due_at: datetime
    made_at: datetime | None

    @property
    def on_time(self) -> bool:
        return self.made_at is not None and self.made_at <= self.due_at


def real_add(moment: datetime, span: timedelta) -> datetime:
    """``moment`` plus ``span`` of real elapsed time, in ``moment``'s zone (DST-safe)."""
    return (moment.astimezone(UTC) + span).astimezone(moment.tzinfo)


def _tier_hours(ops, row: Any):
    tier = (row["sla_tier"] or "").strip().lower()
    if tier and tier in ops.config["sla"]["tiers"]:
        return ops.hours(f"sla.tiers.{tier}")
    return None


def base_rule(ops, row: Any) -> Rule | None:
    """The case's rule without an agreed interval: SLA timers, fault feedback or none."""
    hours = _tier_hours(ops, row)
    if hours is not None:
        sla = ops.config["sla"]
        return Rule(
            clock.hours(sla["first_callback_hours"]), clock.hours(sla["callback_every_hours"]), hours, True
        )
    topic = ops.config["topics"].get(row["topic"]) or {}
    every = float(topic.get("feedback_hours") or 0)
    if topic.get("fault") and every > 0:
        return Rule(clock.hours(every), clock.hours(every))
    return None


def agreed_rule(ops, row: Any, every_hours: float) -> Rule:
    """An agreed interval: real hours, or the tier's support hours on an SLA case."""
    span = clock.hours(float(every_hours))
    return Rule(span, span, _tier_hours(ops, row), False)


def rule_of(ops, row: Any) -> Rule | None:
    """The rule in force now: the agreed interval if any, else :func:`base_rule`."""
    if row["feedback_hours"]:
        return agreed_rule(ops, row, row["feedback_hours"])
    return base_rule(ops, row)


def first_due(rule: Rule | None, start: datetime) -> datetime | None:
    """The first due time of an open period that starts at ``start``."""
    return rule.add(start, rule.first) if rule else None


def since_last(rule: Rule, start: datetime, last_made: datetime | None) -> datetime:
    """The due time of a newly agreed interval: after the last callback made, else the start."""
    return rule.add(last_made or start, rule.every)


# ------------------------------------------------------------------ the history replayed


_ORDER = {"opened": 0, "reopened": 0, "callback": 1, "callback-interval": 2, "closed": 3}


class Replay:
    """Walks a case's history in time order: the due times and the one pending now."""

    def __init__(self, ops, row: Any):
        self.ops, self.row = ops, row
        self.rule: Rule | None = None
        self.agreed: float | None = None
        self.start: datetime | None = None
        self.pending: datetime | None = None
        self.last_made: datetime | None = None
        self.answered: Due | None = None
        self.dues: list[Due] = []
        self._period: list[Due] = []

    def _next(self, due: datetime) -> datetime:
        return self.rule.add(due, self.rule.every)

    def _expire(self, moment: datetime) -> None:
        """Real-time intervals: due times whose successor passed before ``moment`` unanswered
        are missed (the SLA chain keeps them owed: the k-th callback answers the k-th)."""
        if self.rule is None or self.rule.fixed:
            return
        while self.pending is not None and self._next(self.pending) < moment:
            self._period.append(Due(self.pending, None))
            self.pending = self._next(self.pending)

    def _end_period(self, end: datetime) -> None:
        """Close the period at ``end``: due times before it still pending are missed; due times
        at or after it (answered early or not) never fell due."""
        while self.pending is not None and self.pending < end:
            self._period.append(Due(self.pending, None))
            self.pending = self._next(self.pending)
        self.dues.extend(sorted((d for d in self._period if d.due_at < end), key=lambda d: d.due_at))
        self._period, self.start, self.pending = [], None, None

    def point(self, kind: str, moment: datetime, detail: Any = None) -> None:
        if kind == "callback-interval":
            self.agreed = float((detail or {}).get("every_hours") or 0) or None
        if kind in ("opened", "reopened"):
            row = {**dict(self.row), "feedback_hours": self.agreed}
            self.rule, self.start, self.last_made = rule_of(self.ops, row), moment, None
            self.pending = first_due(self.rule, moment)
        elif self.start is None:
            return  # closed: nothing is scheduled
        elif kind == "callback":
            self.callback(moment)
        elif kind == "callback-interval":
            self._expire(moment)
            self.rule = rule_of(self.ops, {**dict(self.row), "feedback_hours": self.agreed})
            self.pending = since_last(self.rule, self.start, self.last_made) if self.rule else None
        elif kind == "closed":
            self._end_period(moment)

    def callback(self, made: datetime) -> None:
        """A callback made at ``made`` answers the pending due time (``self.answered``)."""
        self.last_made, self.answered = made, None
        if self.pending is None:
            return
        self._expire(made)
        self.answered = Due(self.pending, made)
        self._period.append(self.answered)
        self.pending = self._next(self.pending) if self.rule.fixed else self._next(made)

    def finish(self, until: datetime) -> list[Due]:
        if self.start is not None:
            self._end_period(until)
        return self.dues


def _points(ops, store, row: Any) -> list[tuple[datetime, int, str, Any]]:
    return history_points(ops, sql.schedule_events(store, row["id"]), sql.callbacks_made(store, row["id"]))


def history_points(ops, events: Any, made: Any) -> list[tuple[datetime, int, str, Any]]:
    """A case's history in time order from its schedule events (``at``, ``event``, ``detail``)
    and the times its callbacks were made, as ``store.cases`` reads them (a report reads them
    for all of its cases in one query and passes each case's here)."""
    tz = ops.tz
    points = []
    for e in events:
        detail = json.loads(e["detail"]) if e["detail"] else None
        points.append((clock.from_db(e["at"], tz), _ORDER[e["event"]], e["event"], detail))
    for at in made:
        points.append((clock.from_db(at, tz), _ORDER["callback"], "callback", None))
    points.sort(key=lambda p: (p[0], p[1]))
    return points


def replay(ops, row: Any, until: datetime | None = None, *, store=None, points=None) -> Replay:
    """The case's history replayed up to ``until`` (points at ``until`` included; None: all);
    ``points``: the case's :func:`history_points` when the caller read them already."""
    walk = Replay(ops, row)
    if points is None:
        points = _points(ops, store or ops.store, row)
    for moment, _order, kind, detail in points:
        if until is not None and moment > until:
            break
        walk.point(kind, moment, detail)
    return walk


def callback_record(ops, row: Any, until: datetime, *, points=None) -> list[Due]:
    """Every callback that fell due while the case was open, before ``until``,
    each with the callback that answered it (``made_at``; None: missed; after
    ``due_at``: late).

    ``row`` is a ``cases`` row (``store.cases.case_by_number``). Reads the case's
    history; writes nothing.
    """
    return replay(ops, row, until, points=points).finish(until)


def due_times(ops, row: Any, until: datetime) -> list[datetime]:
    """The due times of every callback that fell due while the case was open, before ``until``."""
    return [d.due_at for d in callback_record(ops, row, until)]


def punctuality(ops, row: Any, until: datetime) -> dict[str, Any]:
    """Callback punctuality of one case: ``due``, ``on_time``, ``first_on_time`` (None: none due)."""
    dues = callback_record(ops, row, until)
    return {
        "due": len(dues),
        "on_time": sum(1 for d in dues if d.on_time),
        "first_on_time": dues[0].on_time if dues else None,
    }

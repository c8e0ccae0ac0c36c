"""The fault-case figures of the quarterly report: counts, callback punctuality, repair times.

Fault cases (topics with ``fault = true``) opened in the quarter are counted and listed
(secret ones counted but listed only on request). Repair time is the time from the report
to closing in the tier's support hours.

Callback punctuality covers the critical faults that run SLA timers (the case carries a
tier) and counts **every callback that fell due while the case was open** — before it was
closed, the quarter ended and the report was made — with the callback that answered each
(the cases' own schedule, :func:`ops_cli.cases.schedule.callback_record`: 2 support hours
after the report, then every 4, restarted by a reopening; an agreed interval replaces it).
On time = made by its due time; late and missed (never made) are not. A case with due
callbacks and none made is 0 % on time, never 100 %.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ops_cli import clock
from ops_cli.cases.schedule import Due, callback_record
from ops_cli.context import Ops
from ops_cli.sla.kpi import percent
from ops_cli.store import reports as sql

from .period import median, shown

CLASSIFIED = ("sensitive", "secret")


def _percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile (a value that occurred; no interpolation)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def _hours(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _pct(part: int, whole: int) -> float | None:
    return shown(percent(part, whole))


def is_sla_critical(case: dict[str, Any]) -> bool:
    """A critical fault whose callbacks run on SLA timers (the case carries a tier)."""
    return bool(case["critical"]) and bool(case["sla_tier"])


@dataclass(frozen=True)
class CaseCallbacks:
    """Every callback that fell due on one case, each with the callback that answered it."""

    dues: list[Due]

    @property
    def due(self) -> int:
        return len(self.dues)

    @property
    def on_time(self) -> int:
        return sum(1 for d in self.dues if d.on_time)

    @property
    def missed(self) -> int:
        return sum(1 for d in self.dues if d.made_at is None)

    @property
    def first_on_time(self) -> bool | None:
        """Whether the case's first due callback was made by its due time (None: none fell due)."""
        return self.dues[0].on_time if self.dues else None


def callbacks_by_case(
    ops: Ops, cases: list[dict[str, Any]], tiers: dict[str, Any], until: datetime
) -> dict[int, CaseCallbacks]:
    """For each critical SLA case: every callback due before ``until`` and the ones made."""
    return {
        c["id"]: CaseCallbacks(callback_record(ops, c, until))
        for c in cases
        if is_sla_critical(c) and c["sla_tier"] in tiers
    }


def _repair_hours(ops: Ops, case: dict[str, Any], tier: str, hours_of: dict[str, Any]) -> float | None:
    if not case["closed_at"]:
        return None
    case_tier = case["sla_tier"] if case["sla_tier"] in ops.config["sla"]["tiers"] else tier
    if case_tier not in hours_of:
        hours_of[case_tier] = ops.hours(f"sla.tiers.{case_tier}")
    spent = hours_of[case_tier].open_duration(
        clock.from_db(case["opened_at"], ops.tz), clock.from_db(case["closed_at"], ops.tz)
    )
    return spent.total_seconds() / 3600


def _listed(
    ops: Ops,
    case: dict[str, Any],
    repair: float | None,
    cbs: CaseCallbacks | None,
    include_classified: bool,
    recorded: int,
) -> dict[str, Any]:
    classified = case["classification"] in CLASSIFIED
    return {
        "number": case["number"],
        "opened_at": clock.from_db(case["opened_at"], ops.tz).isoformat(timespec="minutes"),
        "topic": case["topic"],
        "critical": bool(case["critical"]),
        "status": case["status"],
        "subject": case["subject"] if include_classified or not classified else f"({case['classification']})",
        "repair_hours": _hours(repair),
        "callbacks": recorded,  # the old key: callbacks on record with a due time (scripts read it)
        "callbacks_due": cbs.due if cbs else 0,
        "callbacks_on_time": cbs.on_time if cbs else 0,
    }


def _punctuality(per_case: dict[int, CaseCallbacks]) -> dict[str, Any]:
    due = sum(c.due for c in per_case.values())
    on_time = sum(c.on_time for c in per_case.values())
    firsts = [c.first_on_time for c in per_case.values() if c.first_on_time is not None]
    return {
        "callbacks_due": due,
        "callbacks_on_time": on_time,
        "callbacks_late": due - on_time - sum(c.missed for c in per_case.values()),
        "callbacks_missed": sum(c.missed for c in per_case.values()),
        "first_callback_cases": len(firsts),
        "first_callback_on_time_pct": _pct(sum(firsts), len(firsts)),
        "all_callbacks_on_time_pct": _pct(on_time, due),
    }


def case_figures(
    ops: Ops, number: str, tier: str, start: datetime, end: datetime, include_classified: bool
) -> dict[str, Any]:
    """The ``cases`` part of the quarterly report (see the module doc)."""
    topics = sorted(name for name, t in ops.config["topics"].items() if t.get("fault"))
    cases = sql.cases_opened(ops.store, number, clock.to_db(start), clock.to_db(end), topics)
    per_case = callbacks_by_case(ops, cases, ops.config["sla"]["tiers"], min(end, ops.now()))
    recorded = sql.callbacks_recorded(ops.store, [c["id"] for c in cases])
    hours_of: dict[str, Any] = {}
    repairs: list[float] = []
    listed: list[dict[str, Any]] = []
    hidden = 0
    for case in cases:
        repair = _repair_hours(ops, case, tier, hours_of)
        if repair is not None:
            repairs.append(repair)
        if case["classification"] == "secret" and not include_classified:
            hidden += 1
            continue
        cbs = per_case.get(case["id"])
        listed.append(_listed(ops, case, repair, cbs, include_classified, recorded.get(case["id"], 0)))
    return {
        "count": len(cases),
        "critical": sum(1 for c in cases if c["critical"]),
        "closed": len(repairs),
        "open": len(cases) - len(repairs),
        "sla_critical": len(per_case),
        "callbacks": sum(recorded.values()),  # the old key (callbacks on record), next to the new ones
        **_punctuality(per_case),
        "repair_hours_median": _hours(median(repairs)),
        "repair_hours_p90": _hours(_percentile(repairs, 90)),
        "hours": f"support hours of tier {tier}",
        "secret_not_listed": hidden,
        "list": listed,
    }

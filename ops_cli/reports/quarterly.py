"""The quarterly SLA report: KPI rates per zone and month against the tier's target,
fault-case figures and the gold penalty.

:func:`quarterly` returns one plain dict (the JSON of ``ops report quarterly
--format json``); the renderers in this package turn that dict into text,
Markdown, CSV, Excel and HTML. Every rate is a ratio of sums of the raw counts
(:func:`ops_cli.kpi.rates`), never a mean of percentages.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from ops_cli import clock
from ops_cli.context import Ops
from ops_cli.customers import require_customer
from ops_cli.errors import Conflict, InvalidInput
from ops_cli.kpi import percent, rates, summarize
from ops_cli.store import reports as sql

from .period import median

_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*Q([1-4])\s*$", re.IGNORECASE)
COUNTS = ("attempts", "setups_ok", "established", "terminated_ok")
CLASSIFIED = ("sensitive", "secret")


def parse_quarter(text: str) -> tuple[int, int]:
    """'2026Q3' (also '2026-Q3', '2026q3') -> (2026, 3)."""
    match = _QUARTER.match(text or "")
    if not match:
        raise InvalidInput(f"--quarter: {text!r} is not a quarter; use YYYYQn, e.g. 2026Q3")
    return int(match.group(1)), int(match.group(2))


def quarter_months(year: int, q: int) -> list[str]:
    first = 3 * (q - 1) + 1
    return [f"{year:04d}-{m:02d}" for m in range(first, first + 3)]


def shown(value: float | None) -> float | None:
    """A percentage cut (not rounded) to two decimals, so a shown 98.00 never hides 97.996."""
    if value is None:
        return None
    return float(Decimal(repr(float(value))).quantize(Decimal("0.01"), rounding=ROUND_FLOOR))


def _rated(sums: dict[str, Any], target: float) -> dict[str, Any]:
    r = rates(sums["attempts"], sums["setups_ok"], sums["established"], sums["terminated_ok"])
    cssr, ctsr = r["cssr"], r["ctsr"]
    # A rate without calls (denominator 0) has nothing to miss.
    passed = all(v is None or v >= target for v in (cssr, ctsr))
    return {**{k: sums[k] for k in COUNTS}, "cssr": shown(cssr), "ctsr": shown(ctsr), "pass": passed}


def _percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile (a value that occurred; no interpolation)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def _pct(part: int, whole: int) -> float | None:
    return shown(percent(part, whole))


def _hours(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def known_customer(ops: Ops, number: str) -> dict[str, Any]:
    """The customer row (number, name, sla_tier); NotFound (exit 4) when there is none."""
    require_customer(ops.store, number)
    return sql.customer(ops.store, str(number).strip())


def tier_of(ops: Ops, number: str) -> tuple[dict[str, Any], str, dict[str, Any]]:
    """The customer row, its tier name and the tier's config; refuses a customer without a tier."""
    found = known_customer(ops, number)
    number = found["number"]
    tier = found["sla_tier"] or "none"
    tiers = ops.config["sla"]["tiers"]
    if tier == "none":
        raise Conflict(
            f"customer {number} ({found['name']}) has no SLA tier, so there is no SLA report; "
            "give the customer a tier (bronze, silver or gold) first"
        )
    if tier not in tiers:
        raise Conflict(
            f"customer {number} ({found['name']}) has SLA tier {tier!r}, which the config does not define "
            f"(sla.tiers has {', '.join(sorted(tiers))}); add it to the config"
        )
    return found, tier, tiers[tier]


def _case_figures(
    ops: Ops, number: str, tier: str, start: datetime, end: datetime, include_classified: bool
) -> dict[str, Any]:
    topics = sorted(name for name, t in ops.config["topics"].items() if t.get("fault"))
    s, e = clock.to_db(start), clock.to_db(end)
    cases = sql.cases_opened(ops.store, number, s, e, topics)
    callbacks = sql.callbacks_of_cases(ops.store, number, s, e, topics)

    by_case: dict[int, list[dict[str, Any]]] = {}
    for cb in callbacks:
        by_case.setdefault(cb["case_id"], []).append(cb)
    on_time_all = sum(1 for cb in callbacks if cb["made_at"] <= cb["due_at"])
    first_on_time = sum(1 for cbs in by_case.values() if cbs[0]["made_at"] <= cbs[0]["due_at"])

    hours_of: dict[str, Any] = {}
    repairs: list[float] = []
    listed: list[dict[str, Any]] = []
    hidden = 0
    for case in cases:
        repair = None
        if case["closed_at"]:
            case_tier = case["sla_tier"] if case["sla_tier"] in ops.config["sla"]["tiers"] else tier
            if case_tier not in hours_of:
                hours_of[case_tier] = ops.hours(f"sla.tiers.{case_tier}")
            spent = hours_of[case_tier].open_duration(
                clock.from_db(case["opened_at"], ops.tz), clock.from_db(case["closed_at"], ops.tz)
            )
            repair = spent.total_seconds() / 3600
            repairs.append(repair)
        classified = case["classification"] in CLASSIFIED
        if case["classification"] == "secret" and not include_classified:
            hidden += 1
            continue
        cbs = by_case.get(case["id"], [])
        listed.append(
            {
                "number": case["number"],
                "opened_at": clock.from_db(case["opened_at"], ops.tz).isoformat(timespec="minutes"),
                "topic": case["topic"],
                "critical": bool(case["critical"]),
                "status": case["status"],
                "subject": case["subject"]
                if include_classified or not classified
                else f"({case['classification']})",
                "repair_hours": _hours(repair),
                "callbacks": len(cbs),
                "callbacks_on_time": sum(1 for cb in cbs if cb["made_at"] <= cb["due_at"]),
            }
        )
    return {
        "count": len(cases),
        "critical": sum(1 for c in cases if c["critical"]),
        "closed": len(repairs),
        "open": len(cases) - len(repairs),
        "callbacks": len(callbacks),
        "callbacks_on_time": on_time_all,
        "first_callback_on_time_pct": _pct(first_on_time, len(by_case)),
        "all_callbacks_on_time_pct": _pct(on_time_all, len(callbacks)),
        "repair_hours_median": _hours(median(repairs)),
        "repair_hours_p90": _hours(_percentile(repairs, 90)),
        "hours": f"support hours of tier {tier}",
        "secret_not_listed": hidden,
        "list": listed,
    }


def quarterly(ops: Ops, customer: str, quarter: str, include_classified: bool = False) -> dict[str, Any]:
    """The SLA report of one customer for one quarter (plain data; see the module doc)."""
    year, q = parse_quarter(quarter)
    found, tier, conf = tier_of(ops, str(customer).strip())
    number = found["number"]
    target = float(conf["target"])
    months = quarter_months(year, q)

    start_day = date(year, 3 * (q - 1) + 1, 1)
    end_day = date(year + (q == 4), (3 * q) % 12 + 1, 1)
    last_day = date.fromordinal(end_day.toordinal() - 1)
    zone_out = []
    all_sums = dict.fromkeys(COUNTS, 0)
    zone_months: list[dict[str, Any]] = []
    for row in summarize(ops, number, start_day, last_day):
        if row["month"] is not None:
            zone_months.append({"month": row["month"], **_rated(row, target)})
            continue
        for k in COUNTS:
            all_sums[k] += row[k]
        zone_out.append(
            {
                "zone": row["zone"],
                **_rated(row, target),
                "months": zone_months,
                "months_without_data": [m for m in months if m not in {r["month"] for r in zone_months}],
            }
        )
        zone_months = []
    missed = [z["zone"] for z in zone_out if not z["pass"]]
    per_zone = float(conf["penalty"]) if conf["guaranteed"] else 0.0

    start = datetime.combine(start_day, time(0), ops.tz)
    end = datetime.combine(end_day, time(0), ops.tz)
    cases = _case_figures(ops, number, tier, start, end, include_classified)

    note = None if zone_out else f"no KPI rows for customer {number} in {year}Q{q}"
    return {
        "customer": number,
        "customer_name": found["name"],
        "quarter": f"{year}Q{q}",
        "from": start_day.isoformat(),
        "to": last_day.isoformat(),
        "months": months,
        "tier": tier,
        "target": target,
        "guaranteed": bool(conf["guaranteed"]),
        "has_kpi_data": bool(zone_out),
        "note": note,
        "zones": zone_out,
        "all_zones": _rated(all_sums, target) if zone_out else None,
        "zones_missed": missed,
        "cases": cases,
        "penalty_per_zone": per_zone,
        "penalty": per_zone * len(missed),
        "currency": ops.config["sla"]["currency"],
        "generated_at": ops.now().isoformat(timespec="seconds"),
    }

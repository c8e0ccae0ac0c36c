"""The quarterly SLA report: KPI rates per zone and month against the tier's target,
fault-case figures and the gold penalty.

:func:`quarterly` returns one plain dict (the JSON of ``ops report quarterly
--format json``); the renderers in this package turn that dict into text,
Markdown, CSV, Excel and HTML. Every rate is a ratio of sums of the raw counts
(:func:`ops_cli.sla.kpi.rates`), never a mean of percentages.

Tiers with ``quarterly_report = true`` (silver, gold) get the report on schedule; the others
(bronze) on order only (:mod:`.orders`): the report records the order and its fee. Either
way it is sent in the window after the quarter (``send_window``, days 5-20 of the month
after it); an ordered report carries the order and the day it is dated (``report_date``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ops_cli.context import Ops
from ops_cli.customers import require_customer
from ops_cli.errors import Conflict, InvalidInput
from ops_cli.sla.kpi import rates, summarize
from ops_cli.store import reports as sql

from . import orders
from .faults import case_figures
from .jsontext import record_lines
from .period import shown
from .quarter import Quarter, parse_quarter, send_window

COUNTS = ("attempts", "setups_ok", "established", "terminated_ok")


def quarter_months(year: int, q: int) -> list[str]:
    return Quarter(year, q).months


def _rated(sums: dict[str, Any], target: float) -> dict[str, Any]:
    r = rates(sums["attempts"], sums["setups_ok"], sums["established"], sums["terminated_ok"])
    cssr, ctsr = r["cssr"], r["ctsr"]
    # A rate without calls (denominator 0) has nothing to miss.
    passed = all(v is None or v >= target for v in (cssr, ctsr))
    return {**{k: sums[k] for k in COUNTS}, "cssr": shown(cssr), "ctsr": shown(ctsr), "pass": passed}


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


def zone_figures(ops: Ops, number: str, quarter: Quarter, target: float) -> list[dict[str, Any]]:
    """Each zone's quarter figures with its months (rated against ``target``)."""
    zones: list[dict[str, Any]] = []
    months: list[dict[str, Any]] = []
    for row in summarize(ops, number, quarter.first_day, quarter.last_day):
        if row["month"] is not None:
            months.append({"month": row["month"], **_rated(row, target)})
            continue
        seen = {m["month"] for m in months}
        zones.append(
            {
                "zone": row["zone"],
                **_rated(row, target),
                "months": months,
                "months_without_data": [m for m in quarter.months if m not in seen],
            }
        )
        months = []
    return zones


def _all_zones(zones: list[dict[str, Any]], target: float) -> dict[str, Any] | None:
    if not zones:
        return None
    return _rated({k: sum(z[k] for z in zones) for k in COUNTS}, target)


def _build(
    ops: Ops,
    found: dict[str, Any],
    tier: str,
    conf: dict[str, Any],
    quarter: Quarter,
    include_classified: bool,
    lines: list[str] | None = None,
) -> dict[str, Any]:
    number = found["number"]
    target = float(conf["target"])
    zones = zone_figures(ops, number, quarter, target)
    missed = [z["zone"] for z in zones if not z["pass"]]
    per_zone = float(conf["penalty"]) if conf["guaranteed"] else 0.0
    tz = ops.tz
    cases = case_figures(ops, number, tier, quarter.start(tz), quarter.end(tz), include_classified, lines)
    return {
        "customer": number,
        "customer_name": found["name"],
        "quarter": quarter.label,
        "from": quarter.first_day.isoformat(),
        "to": quarter.last_day.isoformat(),
        "months": quarter.months,
        "tier": tier,
        "target": target,
        "guaranteed": bool(conf["guaranteed"]),
        "delivery": "schedule" if conf.get("quarterly_report") else "order",
        "send_window": [d.isoformat() for d in send_window(quarter, *orders.window_days(ops))],
        "report_date": None,
        "order": None,
        "has_kpi_data": bool(zones),
        "note": None if zones else f"no KPI rows for customer {number} in {quarter.label}",
        "zones": zones,
        "all_zones": _all_zones(zones, target),
        "zones_missed": missed,
        "cases": cases,
        "penalty_per_zone": per_zone,
        "penalty": per_zone * len(missed),
        "currency": ops.config["sla"]["currency"],
        "generated_at": ops.now().isoformat(timespec="seconds"),
    }


def quarterly(
    ops: Ops,
    customer: str,
    quarter: str,
    include_classified: bool = False,
    *,
    ordered_by: str | None = None,
    send_to: str | None = None,
    deliver: Callable[[dict[str, Any]], Any] | None = None,
    deliver_json: bool = False,
) -> dict[str, Any]:
    """The SLA report of one customer for one quarter (plain data; see the module doc).

    For a tier whose report is made on order, the order is taken (or found) in one write
    transaction with ``deliver(report)`` (e.g. writing the ``-o`` file): if delivering fails,
    no order is recorded. ``deliver_json``: ``deliver`` writes the report as JSON
    (:mod:`.jsontext`): the listed cases' JSON texts are made with them and lent to it
    (:func:`.jsontext.record_lines`; ``deliver`` must not change the report's cases).
    """
    q = parse_quarter(quarter, ops.now().date())
    found, tier, conf = tier_of(ops, str(customer).strip())
    if conf.get("quarterly_report"):
        if ordered_by is not None or send_to is not None:
            raise InvalidInput(
                f"--ordered-by/--send-to: the SLA report of tier {tier} is sent on schedule, not on order"
            )
        lines: list[str] | None = [] if deliver is not None and deliver_json else None
        report = _build(ops, found, tier, conf, q, include_classified, lines)
        if deliver is not None:
            _deliver(deliver, report, lines)
        return report
    with ops.store.write() as st:
        order = orders.take_order(st, ops, found, tier, q, ordered_by, send_to)
        lines = [] if deliver is not None and deliver_json else None
        report = _build(ops, found, tier, conf, q, include_classified, lines)
        report["order"] = orders.order_summary(ops, order)
        report["report_date"] = order["report_date"]
        if deliver is not None:
            _deliver(deliver, report, lines)
    return report


def _deliver(
    deliver: Callable[[dict[str, Any]], Any], report: dict[str, Any], lines: list[str] | None
) -> None:
    if lines is None:
        deliver(report)
        return
    with record_lines(report["cases"]["list"], lines):
        deliver(report)

"""The service-quality report a customer's orderer receives.

:func:`quality`: cases opened in a period by topic and by channel, solved with
and without a swap phone, swaps shipped and delivered on time, median time to
the first answer and to closing (elapsed hours), cases open at the period's
end. No case text appears in it, only counts. (The delivery report of change
orders is :mod:`.delivery`.)
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ops_cli import clock
from ops_cli.context import Ops
from ops_cli.sla.kpi import percent
from ops_cli.store import reports as sql

from .period import median, parse_period
from .quarterly import known_customer


def _hours_between(a: str, b: str) -> float:
    return (clock.from_db(b) - clock.from_db(a)).total_seconds() / 3600


def _pct(part: int, whole: int) -> float | None:
    value = percent(part, whole)
    return None if value is None else round(value, 2)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def quality(ops: Ops, customer: str, start: str, end: str) -> dict[str, Any]:
    """Service-quality statistics of one customer for ``start``..``end`` (dates, both included)."""
    found = known_customer(ops, customer)
    first, last, s, e = parse_period(ops, start, end)
    cases = sql.case_stats(ops.store, found["number"], clock.to_db(s), clock.to_db(e))
    end_db = clock.to_db(e)
    closed = [c for c in cases if c["closed_at"] and c["closed_at"] < end_db]
    answered = [c for c in cases if c["answered_at"] and c["answered_at"] < end_db]
    ships = sql.shipments(ops.store, found["number"], first.isoformat(), last.isoformat())
    delivered = [x for x in ships if x["delivered_at"]]
    on_time = [
        x
        for x in delivered
        if clock.from_db(x["delivered_at"], ops.tz).date().isoformat() <= x["delivery_date"]
    ]
    return {
        "customer": found["number"],
        "customer_name": found["name"],
        "from": first.isoformat(),
        "to": last.isoformat(),
        "cases": len(cases),
        "by_topic": dict(sorted(Counter(c["topic"] for c in cases).items())),
        "by_channel": dict(sorted(Counter(c["channel"] for c in cases).items())),
        "closed": len(closed),
        "closed_without_swap": sum(1 for c in closed if not c["swapped"]),
        "closed_with_swap": sum(1 for c in closed if c["swapped"]),
        "swaps_shipped": len(ships),
        "swaps_delivered": len(delivered),
        "swaps_delivered_on_time": len(on_time),
        "swaps_on_time_pct": _pct(len(on_time), len(delivered)),
        "median_hours_to_answer": _round(
            median([_hours_between(c["opened_at"], c["answered_at"]) for c in answered])
        ),
        "median_hours_to_close": _round(
            median([_hours_between(c["opened_at"], c["closed_at"]) for c in closed])
        ),
        "open_at_end": sql.open_at(ops.store, found["number"], end_db),
        "generated_at": ops.now().isoformat(timespec="seconds"),
    }


def quality_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The report as (section, item, value) rows for tables, Markdown and CSV."""
    rows: list[dict[str, Any]] = [{"section": "cases", "item": "opened", "value": report["cases"]}]
    rows += [{"section": "by topic", "item": k, "value": v} for k, v in report["by_topic"].items()]
    rows += [{"section": "by channel", "item": k, "value": v} for k, v in report["by_channel"].items()]
    for key in ("closed", "closed_without_swap", "closed_with_swap", "open_at_end"):
        rows.append({"section": "cases", "item": key.replace("_", " "), "value": report[key]})
    for key in ("swaps_shipped", "swaps_delivered", "swaps_delivered_on_time", "swaps_on_time_pct"):
        rows.append({"section": "swaps", "item": key[6:].replace("_", " "), "value": report[key]})
    for key in ("median_hours_to_answer", "median_hours_to_close"):
        rows.append({"section": "times", "item": key.replace("_", " "), "value": report[key]})
    return rows

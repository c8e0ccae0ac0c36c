"""SLA tiers from the config's ``[sla.tiers]``: targets, guarantee, penalty, report cadence, hours."""

from __future__ import annotations

from typing import Any

from ops_cli.context import Ops
from ops_cli.errors import InvalidInput

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def tier_names(ops: Ops) -> list[str]:
    return list(ops.config["sla"]["tiers"])


def _check_tier(ops: Ops, tier: str) -> str:
    name = (tier or "").strip().lower()
    tiers = tier_names(ops)
    if name not in tiers:
        raise InvalidInput(f"unknown SLA tier {tier!r}; the tiers are {', '.join(tiers)}")
    return name


def tiers(ops: Ops) -> list[dict[str, Any]]:
    """The configured tiers: targets, guarantee and penalty, report cadence and support hours."""
    from ops_cli.calendar import format_hours

    sla = ops.config["sla"]
    out = []
    for name, tier in sla["tiers"].items():
        hours = format_hours(tier["hours"])
        out.append(
            {
                "tier": name,
                "target": tier["target"],
                "guaranteed": tier["guaranteed"],
                "penalty": tier["penalty"],
                "currency": sla["currency"],
                "report": "quarterly"
                if tier["quarterly_report"]
                else f"on order (fee {sla['report_fee']:g})",
                "quarterly_report": tier["quarterly_report"],
                "holidays": "closed" if tier["closed_on_holidays"] else "open",
                "closed_on_holidays": tier["closed_on_holidays"],
                "hours": {day: ", ".join(hours[day]) or "closed" for day in WEEKDAY_NAMES},
                "first_callback_hours": sla["first_callback_hours"],
                "callback_every_hours": sla["callback_every_hours"],
            }
        )
    return out

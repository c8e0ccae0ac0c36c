"""A report period typed as two dates (both days included), in the desk's time zone, and the
small number helpers every report shares (median, a percentage as shown)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import ROUND_FLOOR, Decimal

from ops_cli import clock
from ops_cli.context import Ops
from ops_cli.errors import InvalidInput


def parse_period(ops: Ops, start: str, end: str) -> tuple[date, date, datetime, datetime]:
    """(first day, last day, start, end) for ``--from``/``--to``; the end moment is exclusive."""
    first = clock.parse_date(start, "--from")
    last = clock.parse_date(end, "--to")
    if last < first:
        raise InvalidInput(f"--to {last.isoformat()} is before --from {first.isoformat()}")
    return (
        first,
        last,
        datetime.combine(first, time(0), ops.tz),
        datetime.combine(last + timedelta(days=1), time(0), ops.tz),
    )


def median(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def shown(value: float | None) -> float | None:
    """A percentage cut (not rounded) to two decimals, so a shown 98.00 never hides 97.996."""
    if value is None:
        return None
    return float(Decimal(repr(float(value))).quantize(Decimal("0.01"), rounding=ROUND_FLOOR))

"""KPI data for SLA zones: raw counts in, CSSR and CTSR out.

The network delivers raw counts per customer, zone and day (or whole month):
call ``attempts``, successful call set-ups (``setups_ok``), ``established``
calls and normally terminated calls (``terminated_ok``). Only counts are
stored. Rates are always a **ratio of sums** over the period asked for,
never a mean of percentages:

* CSSR = sum(setups_ok) / sum(attempts) x 100
* CTSR = sum(terminated_ok) / sum(established) x 100

:func:`rates` is the one function that computes them; reports call it (or
:func:`summarize`) and nothing else.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any

from ops_cli import clock
from ops_cli.context import Ops
from ops_cli.customers import require_customer
from ops_cli.errors import InvalidInput
from ops_cli.store import kpi as q

COUNTS = ("attempts", "setups_ok", "established", "terminated_ok")


def percent(part: int, whole: int) -> float | None:
    """``part`` as a percentage of ``whole`` (unrounded); None when ``whole`` is 0."""
    return part * 100.0 / whole if whole else None


def rates(attempts: int, setups_ok: int, established: int, terminated_ok: int) -> dict[str, Any]:
    """The counts and their rates.

    Keys: ``attempts``, ``setups_ok``, ``established``, ``terminated_ok``, ``cssr``, ``ctsr``.

    ``cssr`` = setups_ok / attempts and ``ctsr`` = terminated_ok / established,
    in percent, unrounded; None when the denominator is 0. Pass *sums* of raw
    counts for any period longer than one row: that is the ratio of sums.
    """
    return {
        "attempts": attempts,
        "setups_ok": setups_ok,
        "established": established,
        "terminated_ok": terminated_ok,
        "cssr": percent(setups_ok, attempts),
        "ctsr": percent(terminated_ok, established),
    }


def _range_keys(start: date, end: date) -> tuple[tuple[str, str] | None, tuple[str, str] | None]:
    """SQL bounds: day rows with start <= day <= end, month rows for months wholly inside."""
    if end < start:
        return None, None
    days = (start.isoformat(), end.isoformat())
    first = (start.year, start.month) if start.day == 1 else clock.next_month(start.year, start.month)
    if end == clock.month_end(end.year, end.month):
        last = (end.year, end.month)
    else:
        before = clock.add_months(end, -1)
        last = (before.year, before.month)
    months = (f"{first[0]:04d}-{first[1]:02d}", f"{last[0]:04d}-{last[1]:02d}") if first <= last else None
    return days, months


def summarize(ops: Ops, customer: str, start: date, end: date) -> list[dict[str, Any]]:
    """Sums and rates of a customer's KPI counts from ``start`` to ``end`` (inclusive).

    For each zone (sorted): one row per month with data (``month`` 'YYYY-MM'),
    then one row for the whole range (``month`` None). Each row:
    ``{"customer", "zone", "month", "period", "attempts", "setups_ok",
    "established", "terminated_ok", "cssr", "ctsr"}``; ``period`` is the month
    or ``'START/END'`` for the range row. Day rows count when their day is in
    the range; month rows when the whole month is. Rates are ratios of the
    summed raw counts (:func:`rates`), never means of percentages.
    """
    days, months = _range_keys(start, end)
    sums = q.kpi_sums_by_zone_month(ops.store, str(customer).strip(), days, months)
    out: list[dict[str, Any]] = []
    zone_rows: dict[str, list[Any]] = {}
    for r in sums:
        zone_rows.setdefault(r["zone"], []).append(r)
    whole = f"{start.isoformat()}/{end.isoformat()}"
    for zone in sorted(zone_rows):
        total = dict.fromkeys(COUNTS, 0)
        for r in zone_rows[zone]:
            counts = [r[k] for k in COUNTS]
            for k, v in zip(COUNTS, counts, strict=True):
                total[k] += v
            out.append(
                {
                    "customer": customer,
                    "zone": zone,
                    "month": r["month"],
                    "period": r["month"],
                    **rates(*counts),
                }
            )
        out.append(
            {"customer": customer, "zone": zone, "month": None, "period": whole, **rates(*total.values())}
        )
    return out


def _display(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def list_kpi(
    ops: Ops,
    customer: str | None = None,
    zone: str | None = None,
    start: str | None = None,
    end: str | None = None,
) -> list[dict[str, Any]]:
    """``sla kpi list``: stored rows with their own rates (percent, two decimals).

    ``start``/``end`` (dates, inclusive) keep day rows inside them and month
    rows whose whole month is inside them.
    """
    # an unknown customer: exit 4; an empty --customer lists every customer (like `swap stock`)
    customer = require_customer(ops.store, customer)["number"] if customer else None
    first = clock.parse_date(start, "--from") if start else date(1, 1, 1)
    last = clock.parse_date(end, "--to") if end else date(9999, 12, 31)
    if last < first:
        raise InvalidInput(f"--to {last.isoformat()} is before --from {first.isoformat()}")
    days, months = _range_keys(first, last) if (start or end) else (None, None)
    if (start or end) and days is None and months is None:
        return []
    if zone is not None:
        zone = unicodedata.normalize("NFC", zone.strip())  # zones are stored in NFC
    rows = q.kpi_rows(ops.store, customer, zone, days, months)
    out = []
    for r in rows:
        rated = rates(*(r[k] for k in COUNTS))
        out.append(
            {
                "customer": r["customer"],
                "zone": r["zone"],
                "period": r["period"],
                **{k: rated[k] for k in COUNTS},
                "cssr": _display(rated["cssr"]),
                "ctsr": _display(rated["ctsr"]),
                "imported_at": clock.from_db(r["imported_at"], ops.tz).isoformat(),
            }
        )
    return out


def summary_of(result: dict[str, Any]) -> dict[str, Any]:
    """An import result without its rows (for table output)."""
    return {k: v for k, v in result.items() if k != "rows"}

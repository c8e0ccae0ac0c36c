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

import re
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from ops_cli import clock
from ops_cli.context import Ops
from ops_cli.errors import InvalidInput, Problem
from ops_cli.store import sla as q

COUNTS = ("attempts", "setups_ok", "established", "terminated_ok")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_INT = re.compile(r"^[+]?\d+(\.0*)?$")
_CUSTOMER = re.compile(r"^\d+$")
_AUDIT_ROWS_MAX = 1000


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


# ---------------------------------------------------------------------- ranges


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
    first = clock.parse_date(start, "--from") if start else date(1, 1, 1)
    last = clock.parse_date(end, "--to") if end else date(9999, 12, 31)
    if last < first:
        raise InvalidInput(f"--to {last.isoformat()} is before --from {first.isoformat()}")
    days, months = _range_keys(first, last) if (start or end) else (None, None)
    if (start or end) and days is None and months is None:
        return []
    rows = q.kpi_rows(ops.store, customer.strip() if customer else None, zone, days, months)
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


# ---------------------------------------------------------------------- import


def _columns():
    from ops_cli.sheets import Column

    return [
        Column("customer", ("kundnummer", "kund", "customer_number", "kundnr")),
        Column("zone", ("zon", "sla_zone", "sla_zon", "område")),
        Column("date", ("datum", "day", "dag", "period", "month", "månad")),
        Column("attempts", ("call_attempts", "försök", "samtalsförsök")),
        Column("setups_ok", ("setup_ok", "successful_setups", "lyckade_uppkopplingar", "uppkopplade")),
        Column("established", ("established_calls", "etablerade", "etablerade_samtal")),
        Column("terminated_ok", ("normally_terminated", "normalt_avslutade", "avslutade_ok")),
    ]


def _period(raw: object, text: str) -> str:
    """A day 'YYYY-MM-DD' or a month 'YYYY-MM' from a cell; ValueError with a message."""
    from ops_cli.sheets import cell_date

    if isinstance(raw, str) or raw is None:
        m = _MONTH.match(text)
        if m:
            year, month = int(m.group(1)), int(m.group(2))
            if not 1 <= month <= 12:
                raise ValueError(f"{text!r} is not a month (use YYYY-MM, e.g. 2026-07)")
            return f"{year:04d}-{month:02d}"
    if text == "":
        raise ValueError("missing; give a day (YYYY-MM-DD) or a month (YYYY-MM)")
    try:
        day = cell_date(raw if raw is not None else text)
    except ValueError:
        raise ValueError(f"{text!r} is not a day (YYYY-MM-DD) or a month (YYYY-MM)") from None
    if day is None:
        raise ValueError("missing; give a day (YYYY-MM-DD) or a month (YYYY-MM)")
    return day.isoformat()


def _count(text: str) -> int:
    t = text.strip()
    if t == "":
        raise ValueError("missing; give a whole number of calls (0 or more)")
    if t.startswith("-") and _INT.match(t[1:]):
        raise ValueError(f"{t} is negative; counts are 0 or more")
    if not _INT.match(t):
        raise ValueError(f"{t!r} is not a whole number (counts, not percentages)")
    return int(t.split(".")[0].lstrip("+"))


def validate_rows(ops: Ops, table) -> tuple[list[tuple[Any, ...]], list[Problem]]:
    """Check every row of a read KPI table; returns (rows to write, problems)."""
    file = table.file
    problems: list[Problem] = []
    parsed: list[tuple[int, tuple[Any, ...]]] = []
    customers = {r.values.get("customer", "").strip() for r in table.rows}
    known = q.customer_numbers(ops.store, [c for c in customers if _CUSTOMER.match(c)])
    for srow in table.rows:
        v = srow.values
        bad = False

        def problem(column: str, message: str, row: int = srow.row) -> None:
            nonlocal bad
            bad = True
            problems.append(Problem(message, file, row, column))

        customer = v.get("customer", "").strip()
        if not customer:
            problem("customer", "missing; give the customer number")
        elif not _CUSTOMER.match(customer):
            problem("customer", f"{customer!r} is not a customer number (digits only)")
        elif customer not in known:
            problem("customer", f"unknown customer {customer}; add it first (`ops roster customer add`)")
        zone = " ".join(v.get("zone", "").split())
        if not zone:
            problem("zone", "missing; give the SLA zone's name")
        period = None
        try:
            period = _period(srow.raw.get("date"), v.get("date", "").strip())
        except ValueError as exc:
            problem("date", str(exc))
        counts: dict[str, int] = {}
        for name in COUNTS:
            try:
                counts[name] = _count(v.get(name, ""))
            except ValueError as exc:
                problem(name, str(exc))
        if len(counts) == len(COUNTS):
            a, s, e, t = (counts[k] for k in COUNTS)
            if s > a:
                problem("setups_ok", f"{s} is more than attempts ({a})")
            if e > s:
                problem("established", f"{e} is more than setups_ok ({s})")
            if t > e:
                problem("terminated_ok", f"{t} is more than established ({e})")
        if not bad:
            parsed.append((srow.row, (customer, zone, period, *(counts[k] for k in COUNTS))))
    # Keys: once per file; a month row and day rows of the same month would count twice.
    seen: dict[tuple[str, str, str], int] = {}
    for row, rec in parsed:
        key = rec[:3]
        if key in seen:
            problems.append(
                Problem(f"{key[0]} / {key[1]} / {key[2]} is already in row {seen[key]}", file, row, "date")
            )
        else:
            seen[key] = row
    existing = q.kpi_existing(ops.store, sorted({rec[0] for _, rec in parsed}))
    keys = set(seen) | set(existing)
    months_with_days = {(c, z, p[:7]) for c, z, p in keys if len(p) == 10}
    month_rows = {(c, z, p) for c, z, p in keys if len(p) == 7}
    for row, rec in parsed:
        c, z, p = rec[:3]
        if seen.get((c, z, p)) != row:
            continue
        if len(p) == 7 and (c, z, p) in months_with_days:
            problems.append(
                Problem(
                    f"{c} / {z} has day rows in {p}; give either day rows or one month row, not both",
                    file,
                    row,
                    "date",
                )
            )
        elif len(p) == 10 and (c, z, p[:7]) in month_rows:
            problems.append(
                Problem(
                    f"{c} / {z} has a month row for {p[:7]}; give either day rows or one month row, not both",
                    file,
                    row,
                    "date",
                )
            )
    order = ["customer", "zone", "date", *COUNTS]
    problems.sort(key=lambda p: (p.row or 0, order.index(p.column) if p.column in order else 99))
    return [rec for _, rec in parsed], problems


def import_kpi(
    ops: Ops,
    path: str | Path,
    *,
    dry_run: bool = False,
    by: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """``sla kpi import``: validate every row, then write all in one transaction.

    Re-importing a (customer, zone, date) replaces its counts. Any bad row:
    :class:`InvalidInput` listing every problem (file, row, column) and
    nothing written. Returns counts (``created``, ``updated``, ``unchanged``)
    and the ``rows`` with their ``action``.
    """
    from ops_cli.sheets import read_table

    table = read_table(path, _columns(), progress=progress)
    records, problems = validate_rows(ops, table)
    if problems:
        bad_rows = len({p.row for p in problems})
        raise InvalidInput(
            f"{table.file}: {bad_rows} of {len(table.rows)} rows have problems; nothing was imported",
            problems,
        )
    existing = q.kpi_existing(ops.store, sorted({r[0] for r in records}))
    actions: list[dict[str, Any]] = []
    changed: list[tuple[Any, ...]] = []
    before_rows: list[dict[str, Any]] = []
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for rec in records:
        old = existing.get(rec[:3])
        if old is None:
            action = "created"
        elif tuple(old) == tuple(rec[3:]):
            action = "unchanged"
        else:
            action = "updated"
            if len(before_rows) < _AUDIT_ROWS_MAX:
                before_rows.append({"key": list(rec[:3]), **dict(zip(COUNTS, old, strict=True))})
        counts[action] += 1
        if action != "unchanged":
            changed.append(rec)
        actions.append(
            {
                "customer": rec[0],
                "zone": rec[1],
                "period": rec[2],
                **dict(zip(COUNTS, rec[3:], strict=True)),
                "action": action,
            }
        )
    result: dict[str, Any] = {"file": table.file, "dry_run": dry_run, "rows_read": len(records), **counts}
    if changed and not dry_run:
        now = ops.now()
        with ops.store.write() as st:
            q.kpi_upsert(st, changed, clock.to_db(now))
            st.audit(
                ops.actor(by),
                "kpi.import",
                f"kpi:{Path(table.file).name}",
                {"updated": before_rows} if before_rows else None,
                {
                    **counts,
                    "customers": sorted({r[0] for r in changed}),
                    "periods": [min(r[2] for r in changed), max(r[2] for r in changed)],
                },
                at=now,
            )
    result["rows"] = actions
    return result


def load_demo(ops: Ops) -> dict[str, Any]:
    """Import the demo KPI counts (2026Q3 for customers 2001 and 2002) through the user's import."""
    from ops_cli.demo import fixture

    result = import_kpi(ops, fixture("kpi_2026q3.csv"), by="demo")
    return {k: result[k] for k in ("file", "created", "updated", "unchanged")}


def summary_of(result: dict[str, Any]) -> dict[str, Any]:
    """An import result without its rows (for table output)."""
    return {k: v for k, v in result.items() if k != "rows"}


__all__: Sequence[str] = ("COUNTS", "rates", "summarize", "list_kpi", "import_kpi", "load_demo")

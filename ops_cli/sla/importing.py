"""``sla kpi import``: KPI counts per customer, zone and day (or month), on the one import pipeline.

Rows are checked with the shared parsers (customer numbers, NFC zone names, periods
from 2000-01, counts bounded by config ``kpi.max_count``). Inside the write
transaction the actor is checked (``--by``: a desk agent, or an orderer or telephony
responsible of every customer in the file) and every check that decides the write
is re-done against the store as it is then: unknown customers, and a month row
next to day rows of the same customer, zone and month (they would count twice),
so two imports racing each other cannot both add such rows.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ops_cli import clock
from ops_cli.context import Ops
from ops_cli.errors import ConfigError, NotPermitted
from ops_cli.importing import Importer, Options, Outcome, Problems, Progress, run_import
from ops_cli.parsers import dates, numbers, text
from ops_cli.permissions import decide, is_desk_agent
from ops_cli.sheets import Column
from ops_cli.sla.kpi import COUNTS
from ops_cli.store import kpi as q

_AUDIT_ROWS_MAX = 1000
ORDER = ("customer", "zone", "date", *COUNTS)
KPI_ROLES_ACTIONS = ("order", "report-sla")  # an orderer or a telephony responsible


def _columns() -> list[Column]:
    return [
        Column("customer", ("kundnummer", "kund", "customer_number", "kundnr")),
        Column("zone", ("zon", "sla_zone", "sla_zon", "område")),
        Column("date", ("datum", "day", "dag", "period", "month", "månad")),
        Column("attempts", ("call_attempts", "försök", "samtalsförsök")),
        Column("setups_ok", ("setup_ok", "successful_setups", "lyckade_uppkopplingar", "uppkopplade")),
        Column("established", ("established_calls", "etablerade", "etablerade_samtal")),
        Column("terminated_ok", ("normally_terminated", "normalt_avslutade", "avslutade_ok")),
    ]


def max_count(ops: Ops) -> int:
    """The largest count a KPI cell may hold (config ``kpi.max_count``, default 10^9)."""
    try:
        return int(ops.config.get("kpi.max_count"))
    except (ConfigError, KeyError, TypeError):
        return numbers.COUNT_MAX


def import_kpi(
    ops: Ops,
    path: str | Path,
    *,
    dry_run: bool = False,
    by: str | None = None,
    progress: Progress = None,
    sheet: str | None = None,
    delimiter: str | None = None,
) -> dict[str, Any]:
    """``sla kpi import``: validate every row, then write all in one transaction.

    Re-importing a (customer, zone, date) replaces its counts. Any bad row:
    ``InvalidInput`` listing every problem (file, row, column) and nothing written.
    Returns counts (``created``, ``updated``, ``unchanged``) and the ``rows`` with
    their ``action``.
    """
    options = Options(dry_run=dry_run, by=by, sheet=sheet, delimiter=delimiter, progress=progress)
    return run_import(KpiImporter(ops, options), path)


def parse_row(values: dict[str, str], raw: dict[str, object], limit: int) -> tuple[tuple | None, list]:
    """One KPI row: (customer, zone, period, *counts) or None, and its (column, message) problems."""
    errors: list[tuple[str, str]] = []

    def parsed(column: str, fn: Any, *args: Any) -> Any:
        try:
            return fn(*args)
        except ValueError as exc:
            errors.append((column, str(exc)))
            return None

    customer_text = values.get("customer", "")
    if customer_text:
        customer = parsed("customer", numbers.customer_number, customer_text)
    else:
        customer = None
        errors.append(("customer", "missing; give the customer number"))
    zone_text = values.get("zone", "")
    zone = parsed("zone", text.zone, zone_text) if zone_text else None
    if not zone_text:
        errors.append(("zone", "missing; give the SLA zone's name"))
    period = parsed("date", dates.period, raw.get("date"), values.get("date", "").strip())
    counts = [parsed(name, numbers.bounded_count, values.get(name, ""), limit) for name in COUNTS]
    if None not in counts:
        a, s, e, t = counts
        if s > a:
            errors.append(("setups_ok", f"{s} is more than attempts ({a})"))
        if e > s:
            errors.append(("established", f"{e} is more than setups_ok ({s})"))
        if t > e:
            errors.append(("terminated_ok", f"{t} is more than established ({e})"))
    if errors:
        return None, errors
    return (customer, zone, period, *counts), errors


@dataclass
class KpiBatch:
    rows: list[tuple[int, tuple]] = field(default_factory=list)  # (sheet row, record)
    total: int = 0


def validate_rows(ops: Ops, table: Any, problems: Problems | None = None) -> tuple[list[tuple], list]:
    """Check every row of a read KPI table (no store access); returns (records, problems)."""
    problems = problems or Problems(table.file)
    batch = _validate(table, problems, max_count(ops))
    return [rec for _, rec in batch.rows], problems.sorted(ORDER)


def _validate(table: Any, problems: Problems, limit: int) -> KpiBatch:
    batch = KpiBatch(total=len(table.rows))
    seen: dict[tuple[str, str, str], int] = {}
    for srow in table.rows:
        rec, errors = parse_row(srow.values, srow.raw, limit)
        for column, message in errors:
            problems.add(message, srow.row, column)
        if rec is None:
            continue
        key = rec[:3]
        if key in seen:  # once per file: a repeated key would count twice
            problems.add(f"{key[0]} / {key[1]} / {key[2]} is already in row {seen[key]}", srow.row, "date")
            continue
        seen[key] = srow.row
        batch.rows.append((srow.row, rec))
    return batch


@dataclass
class KpiPlan:
    file: str
    changed: list[tuple] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    before_rows: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0})
    rows_read: int = 0
    renames: list[tuple[str, str, str]] = field(default_factory=list)  # (NFC zone, customer, stored zone)


class KpiImporter(Importer):
    column_order = ORDER

    @property
    def columns(self) -> list[Column]:  # type: ignore[override]
        return _columns()

    def validate(self, source: Any, problems: Problems) -> KpiBatch:
        return _validate(source, problems, max_count(self.ops))

    def refuse(self, problems: Problems) -> None:
        """Row problems are raised with the store's (in ``plan``), so one error lists them all."""

    def authorize(self, store: Any, batch: KpiBatch) -> None:
        by = self.options.by
        if by is None or is_desk_agent(self.ops.config, by):
            return
        for customer in sorted({rec[0] for _, rec in batch.rows}, key=lambda c: (len(c), c)):
            if not any(decide(store, customer, by, action).allowed for action in KPI_ROLES_ACTIONS):
                raise NotPermitted(
                    f"{by.strip().lower()} may not import KPI counts for customer {customer}: that needs "
                    "a desk agent (config desk.agents) or the customer's orderer or telephony responsible"
                )

    def plan(self, store: Any, batch: KpiBatch, problems: Problems) -> KpiPlan:
        rows = _known_rows(store, batch, problems)
        stored = q.kpi_existing(store, sorted({rec[0] for _, rec in rows}))
        existing, renames = _normalised(stored, rows)
        _check_overlaps(rows, existing, problems)
        if problems:
            headline = f"{problems.bad_rows} of {batch.total} rows have problems; nothing was imported"
            raise problems.invalid(ORDER, headline=headline)
        p = KpiPlan(problems.file, rows_read=len(rows), renames=renames)
        for _, rec in rows:
            old = existing.get(rec[:3])
            if old is None:
                action = "created"
            elif tuple(old) == tuple(rec[3:]):
                action = "unchanged"
            else:
                action = "updated"
                if len(p.before_rows) < _AUDIT_ROWS_MAX:
                    p.before_rows.append({"key": list(rec[:3]), **dict(zip(COUNTS, old, strict=True))})
            p.counts[action] += 1
            if action != "unchanged":
                p.changed.append(rec)
            counts = dict(zip(COUNTS, rec[3:], strict=True))
            p.actions.append(
                {"customer": rec[0], "zone": rec[1], "period": rec[2], **counts, "action": action}
            )
        return p

    def write(self, st: Any, plan: KpiPlan) -> None:
        if not (plan.changed or plan.renames):
            return
        now = self.ops.now()
        changed = plan.changed
        q.kpi_rename_zones(st, plan.renames)
        q.kpi_upsert(st, changed, clock.to_db(now))
        after: dict[str, Any] = {**plan.counts, "customers": sorted({r[0] for r in changed})}
        if changed:
            after["periods"] = [min(r[2] for r in changed), max(r[2] for r in changed)]
        if plan.renames:
            after["zones_normalised"] = [[c, old, new] for new, c, old in plan.renames]
        before = {"updated": plan.before_rows} if plan.before_rows else None
        actor = self.ops.actor(self.options.by)
        st.audit(actor, "kpi.import", f"kpi:{Path(plan.file).name}", before, after, at=now)

    def result(self, plan: KpiPlan, outcome: Outcome) -> dict[str, Any]:
        return {**outcome.fields(), "rows_read": plan.rows_read, **plan.counts, "rows": plan.actions}


def _normalised(stored: dict[tuple[str, str, str], Any], rows: list[tuple[int, tuple]]) -> tuple[dict, list]:
    """Stored rows keyed by NFC zone names, and the renames that make them so.

    A zone stored before zone names were normalised (one NFD spelling for a customer's
    zone, and the file names that zone) is renamed to its NFC name on every period, so
    one zone is one zone in the reports. Two stored spellings of one zone stay as they are.
    """
    named = {(rec[0], rec[1]) for _, rec in rows}
    spellings: dict[tuple[str, str], set[str]] = {}
    for c, z, _ in stored:
        n = z if z.isascii() else unicodedata.normalize("NFC", z)
        if (c, n) in named:
            spellings.setdefault((c, n), set()).add(z)
    renames = [(n, c, min(zs)) for (c, n), zs in spellings.items() if len(zs) == 1 and min(zs) != n]
    if not renames:
        return stored, []
    moved = {(c, z): n for n, c, z in renames}
    existing = {(c, moved.get((c, z), z), p): counts for (c, z, p), counts in stored.items()}
    return existing, renames


def _known_rows(store: Any, batch: KpiBatch, problems: Problems) -> list[tuple[int, tuple]]:
    """The rows whose customer exists (read in the caller's transaction); the others are problems."""
    known = q.customer_numbers(store, {rec[0] for _, rec in batch.rows})
    rows = []
    for row, rec in batch.rows:
        if rec[0] in known:
            rows.append((row, rec))
        else:
            problems.add(
                f"unknown customer {rec[0]}; add it first (`ops roster customer add`)", row, "customer"
            )
    return rows


def _check_overlaps(rows: list[tuple[int, tuple]], existing: dict, problems: Problems) -> None:
    """A month row and day rows of one customer, zone and month would count twice: refuse either."""
    keys = {rec[:3] for _, rec in rows} | set(existing)
    months_with_days = {(c, z, p[:7]) for c, z, p in keys if len(p) == 10}
    month_rows = {(c, z, p) for c, z, p in keys if len(p) == 7}
    for row, rec in rows:
        c, z, p = rec[:3]
        if len(p) == 7 and (c, z, p) in months_with_days:
            problems.add(
                f"{c} / {z} has day rows in {p}; give either day rows or one month row, not both", row, "date"
            )
        elif len(p) == 10 and (c, z, p[:7]) in month_rows:
            problems.add(
                f"{c} / {z} has a month row for {p[:7]}; give either day rows or one month row, not both",
                row,
                "date",
            )

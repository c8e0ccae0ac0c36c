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

import gc
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import compress, repeat
from json.encoder import encode_basestring
from typing import Any

from ops_cli import clock
from ops_cli.cases.schedule import Due, callback_record, history_points
from ops_cli.context import Ops
from ops_cli.sla.kpi import percent
from ops_cli.store import reports as sql

from .opentime import OpenTime
from .period import median, shown

CLASSIFIED = ("sensitive", "secret")

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# Positions in a row of ``store.reports.CASE_COLUMNS``.
_CRITICAL, _CLASS, _TIER, _OPENED, _CLOSED = (
    sql.CASE_COLUMNS.index(name)
    for name in ("critical", "classification", "sla_tier", "opened_at", "closed_at")
)


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
    ops: Ops,
    cases: list[dict[str, Any]],
    tiers: dict[str, Any],
    until: datetime,
    histories: tuple[dict[int, list[Any]], dict[int, list[str]]] | None = None,
) -> dict[int, CaseCallbacks]:
    """For each critical SLA case: every callback due before ``until`` and the ones made.
    ``histories``: their schedule events and callbacks made by case id, as
    :func:`ops_cli.store.reports.schedule_histories` reads them for a whole report (else
    each case's history is read on its own)."""
    sla = [c for c in cases if is_sla_critical(c) and c["sla_tier"] in tiers]
    if histories is None:
        return {c["id"]: CaseCallbacks(callback_record(ops, c, until)) for c in sla}
    events, made = histories
    return {
        c["id"]: CaseCallbacks(
            callback_record(
                ops, c, until, points=history_points(ops, events.get(c["id"], ()), made.get(c["id"], ()))
            )
        )
        for c in sla
    }


def _repair_hours(ops: Ops, cases: list[tuple[Any, ...]], tier: str) -> list[float | None]:
    """Each case's repair time (rows of ``store.reports.CASE_COLUMNS``): open support hours of
    its tier (else the report's) from the report to the closing; None while open. All cases at
    once: each tier's windows over the days its cases span are taken once
    (:class:`.opentime.OpenTime`), then each case is two binary searches."""
    known = ops.config["sla"]["tiers"]
    parse, epoch = datetime.fromisoformat, _EPOCH
    # tier -> the places, starts and ends of its closed cases (in microseconds)
    tiers: dict[str, tuple[list[int], list[int], list[int]]] = {}
    last, add_place, add_start, add_end = None, None, None, None
    for i, case in enumerate(cases):
        if case[_CLOSED]:
            opened, closed = parse(case[_OPENED]), parse(case[_CLOSED])
            if opened.tzinfo is None:  # stored without an offset: UTC (as clock.from_db)
                opened = opened.replace(tzinfo=UTC)
            if closed.tzinfo is None:
                closed = closed.replace(tzinfo=UTC)
            if case[_TIER] != last or add_place is None:  # the lists of the case's tier
                last = case[_TIER]
                places, starts, ends = tiers.setdefault(last if last in known else tier, ([], [], []))
                add_place, add_start, add_end = places.append, starts.append, ends.append
            a, b = opened - epoch, closed - epoch  # exact microseconds (timedelta // is slower)
            add_place(i)
            add_start((a.days * 86_400 + a.seconds) * 1_000_000 + a.microseconds)
            add_end((b.days * 86_400 + b.seconds) * 1_000_000 + b.microseconds)
    repairs: list[float | None] = [None] * len(cases)
    for name, (places, starts, ends) in tiers.items():
        low, high = min(min(starts), min(ends)), max(max(starts), max(ends))
        spent = OpenTime(ops.hours(f"sla.tiers.{name}"), _moment(low), _moment(high)).spans(starts, ends)
        for i, open_us in zip(places, spent, strict=True):
            repairs[i] = open_us / 1_000_000 / 3600  # as open_duration().total_seconds() / 3600
    return repairs


def _moment(us: int) -> datetime:
    return datetime.fromtimestamp(0, UTC) + timedelta(microseconds=us)


def _local_minutes(tz: Any) -> Any:
    """``clock.from_db(stamp, tz).isoformat(timespec="minutes")``, fast for the store's own UTC
    text (``...+00:00``): the zone's offset is found once per hour (when it is whole hours and
    stays the same through the hour, the local minute is the UTC minute moved by it)."""
    hours: dict[str, tuple[str, str] | None] = {}
    hour = timedelta(hours=1)

    def parts(stamp: str) -> tuple[str, str] | None:
        """For a store text of that form: the local text's parts before and after the minute
        (``head + stamp[13:16] + tail``), None when the hour is not that simple."""
        if not (len(stamp) == 25 and stamp.endswith("+00:00")):
            return None
        key = stamp[:13]
        hit = hours.get(key, False)
        if hit is False:
            first = datetime.fromisoformat(key + ":00:00+00:00").astimezone(tz)
            last = datetime.fromisoformat(key + ":59:59+00:00").astimezone(tz)
            offset = first.utcoffset()
            hit = None
            if offset == last.utcoffset() and offset is not None and offset % hour == timedelta(0):
                shown = first.isoformat(timespec="minutes")
                hit = (shown[:13], shown[16:])
            hours[key] = hit
        return hit

    def text(stamp: str) -> str:
        hit = parts(stamp)
        if hit is not None:
            return hit[0] + stamp[13:16] + hit[1]
        return clock.from_db(stamp, tz).isoformat(timespec="minutes")

    text.parts = parts  # type: ignore[attr-defined]
    return text


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


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a report makes its 100,000s of rows and
    records (none of them in a cycle: reference counting frees them as ever). Each full
    collection walks every one of them: three of them took a twentieth of a 100k-case report."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


#: The keys of a listed case, in order (its dict is made in :func:`case_figures`).
LISTED_KEYS = (
    "number",
    "opened_at",
    "topic",
    "critical",
    "status",
    "subject",
    "repair_hours",
    "callbacks",
    "callbacks_due",
    "callbacks_on_time",
)
#: What comes before each value in a listed case's compact JSON (``ops_cli.render._COMPACT``
#: of its dict: ``", "`` and ``": "``), and after the last.
_HEADS = tuple(("{" if n == 0 else ", ") + encode_basestring(key) + ": " for n, key in enumerate(LISTED_KEYS))
_JSON_BOOL = {True: "true", False: "false"}


def _case_lines(columns: tuple[Any, ...], recorded: dict[int, Any]) -> list[str]:
    """Each listed case's JSON text as the C encoder writes its dict, from the columns the dict
    is made of (each value's text is the encoder's: the texts quoted, the flags true/false; the
    counts are ints, made here or checked, as ``str`` writes them; the hours rounded finite
    floats, as ``repr`` writes them, none of them -0.0, which equals 0.0; each count's and
    hour's text made once: a few thousand values). An empty list when a text is not one: the
    writer then encodes the dicts."""
    numbers, shown, topics, flags, statuses, subjects, hours, callbacks, due, on_time = columns
    if not set(map(type, recorded.values())) <= {int}:
        return []
    try:
        quoted = {value: encode_basestring(value) for value in {*topics, *statuses}}
        texts = (
            map(encode_basestring, numbers),
            map(encode_basestring, shown),
            map(quoted.__getitem__, topics),
            map(_JSON_BOOL.__getitem__, flags),
            map(quoted.__getitem__, statuses),
            map(encode_basestring, subjects),
            map({h: "null" if h is None else repr(h) for h in set(hours)}.__getitem__, hours),
            map({n: str(n) for n in set(callbacks)}.__getitem__, callbacks),
            map({n: str(n) for n in set(due)}.__getitem__, due),
            map({n: str(n) for n in set(on_time)}.__getitem__, on_time),
        )
        pieces = [part for head, text in zip(_HEADS, texts, strict=True) for part in (repeat(head), text)]
        return list(map("".join, zip(*pieces, repeat("}"))))
    except TypeError:  # a text that is not one
        return []


def _local_texts(tz: Any, stamps: Sequence[str]) -> list[str]:
    """Each stored time as the local minute (:func:`_local_minutes`), for stamps in time order
    (an hour's stamps come together: its parts are looked up once)."""
    local = _local_minutes(tz)
    out: list[str] = []
    hour, parts = None, None
    for stamp in stamps:
        if stamp[:13] != hour:
            hour = stamp[:13]
            parts = local.parts(stamp)
        if parts is not None and len(stamp) == 25 and stamp.endswith("+00:00"):
            out.append(parts[0] + stamp[13:16] + parts[1])
        else:
            out.append(local(stamp))
    return out


@_collector_paused()
def case_figures(
    ops: Ops,
    number: str,
    tier: str,
    start: datetime,
    end: datetime,
    include_classified: bool,
    lines: list[str] | None = None,
) -> dict[str, Any]:
    """The ``cases`` part of the quarterly report (see the module doc). Set-based: the cases in
    one query, their callbacks and the histories of the SLA ones a chunk at a time; repair hours
    on the tiers' windows taken once; each case listed is one dict built in one step.

    ``lines``: a list that gets each listed case's JSON text too (as the C encoder writes its
    dict, :func:`_case_lines`), made from the same values as the dict, for a JSON file of the
    report (:func:`.jsontext.record_lines`); left empty if a value is not of the type the
    text is made for (the writer then encodes the dicts)."""
    topics = sorted(name for name, t in ops.config["topics"].items() if t.get("fault"))
    period = (ops.store, number, clock.to_db(start), clock.to_db(end), topics)
    cases = sql.cases_opened(*period)
    critical = [dict(zip(sql.CASE_COLUMNS, c, strict=True)) for c in cases if c[_CRITICAL]]
    tiers = ops.config["sla"]["tiers"]
    sla = [c for c in critical if is_sla_critical(c) and c["sla_tier"] in tiers]
    histories = sql.schedule_histories(ops.store, [c["id"] for c in sla])
    per_case = callbacks_by_case(ops, sla, tiers, min(end, ops.now()), histories)
    recorded = sql.callbacks_recorded(ops.store, [c[0] for c in cases])
    every_repair = _repair_hours(ops, cases, tier)
    repairs = [r for r in every_repair if r is not None]
    # The listed cases column by column (a quarter may hold 100,000 of them): secret ones only
    # counted unless asked for, then each column in one pass and each case's dict in one step.
    rows, listed_repairs = cases, every_repair
    if not include_classified:
        keep = [c[_CLASS] != "secret" for c in cases]
        rows, listed_repairs = list(compress(cases, keep)), list(compress(every_repair, keep))
    ids, numbers, topics_, flags, classes, statuses, subjects, _, opened, _ = (
        zip(*rows, strict=True) if rows else ((),) * len(sql.CASE_COLUMNS)
    )
    if not include_classified:
        subjects = [s if c not in CLASSIFIED else f"({c})" for s, c in zip(subjects, classes, strict=True)]
    columns = (
        numbers,
        _local_texts(ops.tz, opened),
        topics_,
        list(map(bool, flags)),
        statuses,
        subjects,
        [None if r is None else round(r, 2) for r in listed_repairs],
        # the old key: callbacks on record with a due time (scripts read it)
        list(map(recorded.get, ids, repeat(0))),
        list(map({i: c.due for i, c in per_case.items()}.get, ids, repeat(0))),
        list(map({i: c.on_time for i, c in per_case.items()}.get, ids, repeat(0))),
    )
    listed = [
        {
            "number": case_number,
            "opened_at": shown,
            "topic": topic,
            "critical": is_critical,
            "status": status,
            "subject": subject,
            "repair_hours": repair,
            "callbacks": callbacks,
            "callbacks_due": due,
            "callbacks_on_time": on_time,
        }
        for case_number, shown, topic, is_critical, status, subject, repair, callbacks, due, on_time in zip(
            *columns, strict=True
        )
    ]
    if lines is not None:
        lines.extend(_case_lines(columns, recorded))
    return {
        "count": len(cases),
        "critical": len(critical),
        "closed": len(repairs),
        "open": len(cases) - len(repairs),
        "sla_critical": len(per_case),
        "callbacks": sum(recorded.values()),  # the old key (callbacks on record), next to the new ones
        **_punctuality(per_case),
        "repair_hours_median": _hours(median(repairs)),
        "repair_hours_p90": _hours(_percentile(repairs, 90)),
        "hours": f"support hours of tier {tier}",
        "secret_not_listed": len(cases) - len(rows),
        "list": listed,
    }

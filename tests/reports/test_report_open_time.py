"""Repair hours of many cases at once (issue 16): the windows of the days spanned taken once,
then two binary searches a case. Every figure must equal ``OpeningHours.open_duration`` of that
case to the bit: around DST changes, over holidays, for spans outside the windows taken and for
a closing before the opening."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from ops_cli import clock
from ops_cli.reports.faults import _repair_hours


def _row(opened: str, closed: str | None, tier: str | None) -> tuple:
    return (1, "2026-0000001", "fault", 0, "normal", "closed", "s", tier, opened, closed)


def _one_by_one(ops, rows, tier):
    out = []
    for row in rows:
        if not row[9]:
            out.append(None)
            continue
        name = row[7] if row[7] in ops.config["sla"]["tiers"] else tier
        spent = ops.hours(f"sla.tiers.{name}").open_duration(
            clock.from_db(row[8], ops.tz), clock.from_db(row[9], ops.tz)
        )
        out.append(spent.total_seconds() / 3600)
    return out


def test_repair_hours_at_once_equal_open_duration_case_by_case(ops):
    rows = [
        _row("2026-03-28T05:00:00", "2026-03-29T01:30:00", "gold"),  # no offset: UTC; DST night
        _row("2026-03-27T16:59:59.123456+01:00", "2026-03-30T08:00:00+02:00", "bronze"),
        _row("2026-10-24T18:00:00+00:00", "2026-10-26T07:30:00+00:00", "bronze"),  # DST ends
        _row("2026-05-13T17:00:00+00:00", "2026-05-15T07:00:00+00:00", "bronze"),  # Ascension Day
        _row("2026-01-02T00:00:00+00:00", "2026-01-01T00:00:00+00:00", None),  # closed before opened
        _row("2026-01-02T00:00:00+00:00", "2029-06-01T00:00:00+00:00", "silver"),  # years
        _row("2026-05-13T18:00:00+00:00", None, "bronze"),  # still open
        _row("2026-05-13T18:00:00+00:00", "2026-05-13T18:00:00+00:00", "no-such-tier"),
    ]
    rnd = random.Random(16)
    for _ in range(400):
        opened = 1767225600 + rnd.randrange(330 * 86400)
        closed = opened + rnd.randrange(-7200, 12 * 86400)
        rows.append(
            _row(
                datetime.fromtimestamp(opened, UTC).isoformat(),
                datetime.fromtimestamp(closed, UTC).isoformat(),
                rnd.choice(["gold", "silver", "bronze", None]),
            )
        )
    assert _repair_hours(ops, rows, "bronze") == _one_by_one(ops, rows, "bronze")


def test_local_opening_times_read_as_clock_from_db_gives_them():
    from zoneinfo import ZoneInfo

    from ops_cli.reports.faults import _local_minutes

    rnd = random.Random(7)
    stamps = [
        "2026-03-29T00:59:59+00:00",
        "2026-03-29T01:00:00+00:00",
        "2026-10-25T00:30:00+00:00",
        "2026-10-25T01:30:00+00:00",
        "2026-01-05T10:12:33",
        "2026-01-05T10:12:33.250000+00:00",
        "2026-01-05 10:12:33+00:00",
    ]
    stamps += [
        datetime.fromtimestamp(1767225600 + rnd.randrange(400 * 86400), UTC).isoformat() for _ in range(2000)
    ]
    for zone in ("Europe/Stockholm", "Asia/Kolkata", "America/St_Johns", "UTC"):
        tz = ZoneInfo(zone)
        local = _local_minutes(tz)
        assert [local(s) for s in stamps] == [
            clock.from_db(s, tz).isoformat(timespec="minutes") for s in stamps
        ]


def test_hours_open_around_the_clock_take_each_spans_length(ops):
    from ops_cli.reports.opentime import OpenTime, micros

    first, last = datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC)  # both DST changes
    gold = OpenTime(ops.hours("sla.tiers.gold"), first, last)
    bronze = OpenTime(ops.hours("sla.tiers.bronze"), first, last)
    assert gold.always and not bronze.always  # gold: around the clock; bronze: weekdays and Saturdays
    rnd = random.Random(5)
    starts = [micros(first) + rnd.randrange(240 * 86400 * 10**6) for _ in range(500)]
    ends = [s + rnd.randrange(-3600 * 10**6, 20 * 86400 * 10**6) for s in starts]
    starts.append(micros(first) - 30 * 86400 * 10**6)  # outside the windows taken
    ends.append(micros(first))
    hours = ops.hours("sla.tiers.gold")
    expected = [
        hours.open_duration(_at_us(s), _at_us(e)) // timedelta(microseconds=1) if e > s else 0
        for s, e in zip(starts, ends, strict=True)
    ]
    assert gold.spans(starts, ends) == expected == [max(e - s, 0) for s, e in zip(starts, ends, strict=True)]


def _at_us(us: int) -> datetime:
    return datetime.fromtimestamp(0, UTC) + timedelta(microseconds=us)

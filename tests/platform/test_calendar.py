"""Tests for ops_cli.calendar: working days, opening hours, DST, properties.

Real ``holidays`` data throughout (no mocks).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ops_cli.calendar import (
    END_OF_DAY,
    Explanation,
    OpeningHours,
    Window,
    WorkCalendar,
    format_hours,
    parse_hours,
)

STO = ZoneInfo("Europe/Stockholm")
H = timedelta(hours=1)

BRONZE = {
    "mon": "08:00-20:00",
    "tue": "08:00-20:00",
    "wed": "08:00-20:00",
    "thu": "08:00-20:00",
    "fri": "08:00-20:00",
    "sat": "08:00-16:00",
}
SILVER = {d: "07:00-22:00" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
GOLD = {d: "00:00-24:00" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
SPLIT = {d: ["08:00-12:00", "13:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")}
# Windows on the DST nights (Sundays) and across midnight Sunday -> Monday.
NIGHT = {
    "sun": ["01:30-02:30", "02:45-03:15", "22:00-24:00"],
    "mon": "00:00-02:00",
    "thu": "12:00-12:30",
}


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=STO)


@pytest.fixture(scope="module")
def se() -> WorkCalendar:
    return WorkCalendar()


@pytest.fixture(scope="module")
def dk() -> WorkCalendar:
    return WorkCalendar("DK", "Europe/Copenhagen")


@pytest.fixture(scope="module")
def bronze(se: WorkCalendar) -> OpeningHours:
    return OpeningHours(se, BRONZE)


@pytest.fixture(scope="module")
def silver(se: WorkCalendar) -> OpeningHours:
    return OpeningHours(se, SILVER, closed_on_holidays=False)


@pytest.fixture(scope="module")
def gold(se: WorkCalendar) -> OpeningHours:
    return OpeningHours(se, GOLD, closed_on_holidays=False)


# ---------------------------------------------------------------- holidays


class TestWorkingDaysSweden:
    @pytest.mark.parametrize(
        ("d", "name"),
        [
            (date(2026, 6, 19), "Midsummer Eve"),
            (date(2026, 12, 24), "Christmas Eve"),
            (date(2026, 12, 31), "New Year's Eve"),
            (date(2026, 1, 6), "Epiphany"),
            (date(2026, 4, 3), "Good Friday"),
            (date(2026, 4, 6), "Easter Monday"),
        ],
    )
    def test_days_off(self, se: WorkCalendar, d: date, name: str) -> None:
        assert se.is_holiday(d)
        assert se.holiday_name(d) == name
        assert not se.is_working_day(d)

    def test_ordinary_wednesday_is_working(self, se: WorkCalendar) -> None:
        d = date(2026, 11, 18)
        assert d.weekday() == 2
        assert se.is_working_day(d)
        assert not se.is_holiday(d)
        assert se.holiday_name(d) is None

    def test_weekend_is_not_working_but_not_a_holiday(self, se: WorkCalendar) -> None:
        sat = date(2026, 11, 21)
        assert not se.is_working_day(sat)
        assert not se.is_holiday(sat)
        assert not se.is_working_day(sat + timedelta(days=1))

    def test_public_only_makes_midsummer_eve_a_working_day(self) -> None:
        cal = WorkCalendar("SE", categories=("public",))
        assert cal.is_working_day(date(2026, 6, 19))
        assert not cal.is_holiday(date(2026, 6, 19))
        assert cal.holiday_name(date(2026, 6, 20)) == "Midsummer Day"

    def test_datetime_accepted_as_date(self, se: WorkCalendar) -> None:
        assert not se.is_working_day(datetime(2026, 6, 19, 12, 0))

    def test_holidays_in_year(self, se: WorkCalendar) -> None:
        table = se.holidays_in(2026)
        assert table[date(2026, 6, 19)] == "Midsummer Eve"
        assert all(d.year == 2026 for d in table)


class TestWorkingDaysDenmark:
    @pytest.mark.parametrize(
        "d",
        [
            date(2026, 4, 2),  # Maundy Thursday
            date(2026, 5, 25),  # Whit Monday
            date(2026, 6, 5),  # Constitution Day (optional category)
            date(2026, 12, 24),  # Christmas Eve (optional category)
        ],
    )
    def test_days_off(self, dk: WorkCalendar, d: date) -> None:
        assert not dk.is_working_day(d)
        assert dk.holiday_name(d)

    def test_swedish_days_off_are_danish_working_days(self, dk: WorkCalendar) -> None:
        assert dk.is_working_day(date(2026, 6, 19))  # no midsummer eve in DK
        assert dk.is_working_day(date(2026, 1, 6))

    def test_default_categories(self, dk: WorkCalendar) -> None:
        assert dk.categories == ("public", "optional")
        assert WorkCalendar().categories == ("public", "de_facto")
        assert WorkCalendar("NO", "Europe/Oslo").categories == ("public",)

    def test_add_working_days_across_danish_easter(self, dk: WorkCalendar, se: WorkCalendar) -> None:
        # DK: Thu 2 Apr (Maundy Thursday), Fri 3, Mon 6 Apr are off.
        assert dk.add_working_days(date(2026, 4, 1), 1) == date(2026, 4, 7)
        assert se.add_working_days(date(2026, 4, 1), 1) == date(2026, 4, 2)


class TestCalendarErrors:
    def test_unknown_timezone(self) -> None:
        with pytest.raises(ValueError, match="Mars/Olympus"):
            WorkCalendar(timezone="Mars/Olympus")

    def test_unknown_country_on_use(self) -> None:
        cal = WorkCalendar("XX", "UTC")
        with pytest.raises(ValueError, match="'XX'"):
            cal.is_holiday(date(2026, 1, 1))

    def test_bad_category(self) -> None:
        with pytest.raises(ValueError, match="categor"):
            WorkCalendar("SE", categories=("nonsense",)).is_holiday(date(2026, 1, 1))

    def test_negative_working_days(self, se: WorkCalendar) -> None:
        with pytest.raises(ValueError):
            se.add_working_days(date(2026, 1, 1), -1)


class TestWorkingDayArithmetic:
    def test_eleven_changes_ten_working_days_over_christmas(self, se: WorkCalendar) -> None:
        # Fri 18 Dec 2026: 21, 22, 23, (24-27 off), 28, 29, 30, (31, 1-3 off),
        # 4, 5, (6 Epiphany), 7, 8 -> Fri 8 Jan 2027.
        assert se.add_working_days(date(2026, 12, 18), 10) == date(2027, 1, 8)
        assert se.add_working_days(date(2026, 12, 18), 5) == date(2026, 12, 29)
        assert se.working_days_between(date(2026, 12, 18), date(2027, 1, 8)) == 10

    def test_across_easter(self, se: WorkCalendar) -> None:
        # Thu 2 Apr 2026; Fri 3 (Good Friday) and Mon 6 (Easter Monday) off.
        assert se.add_working_days(date(2026, 4, 2), 5) == date(2026, 4, 13)
        assert se.add_working_days(date(2026, 4, 2), 10) == date(2026, 4, 20)

    def test_receipt_on_saturday(self, se: WorkCalendar) -> None:
        sat = date(2026, 11, 21)
        assert se.working_day_on_or_after(sat) == date(2026, 11, 23)
        # Counted as received Monday 23rd; 5 working days later is Monday 30th.
        assert se.due_date(sat, 5) == date(2026, 11, 30)
        assert se.due_date(sat, 10) == date(2026, 12, 7)
        assert se.due_date(date(2026, 11, 23), 5) == date(2026, 11, 30)

    def test_receipt_on_midsummer_eve(self, se: WorkCalendar) -> None:
        assert se.due_date(date(2026, 6, 19), 1) == date(2026, 6, 23)

    def test_zero_days_is_the_day_itself(self, se: WorkCalendar) -> None:
        sat = date(2026, 11, 21)
        assert se.add_working_days(sat, 0) == sat

    def test_next_working_day_is_strictly_after(self, se: WorkCalendar) -> None:
        assert se.next_working_day(date(2026, 11, 18)) == date(2026, 11, 19)
        assert se.next_working_day(date(2026, 12, 23)) == date(2026, 12, 28)
        assert se.working_day_on_or_after(date(2026, 11, 18)) == date(2026, 11, 18)

    def test_working_days_between_sign(self, se: WorkCalendar) -> None:
        a, b = date(2026, 11, 16), date(2026, 11, 23)
        assert se.working_days_between(a, b) == 5
        assert se.working_days_between(b, a) == -5
        assert se.working_days_between(a, a) == 0

    def test_year_boundary_loads_both_years(self, se: WorkCalendar) -> None:
        assert se.add_working_days(date(2030, 12, 30), 2) == date(2031, 1, 3)


# ---------------------------------------------------------------- localize


class TestLocalize:
    def test_spring_gap_moves_past_the_gap(self, se: WorkCalendar) -> None:
        got = se.localize(datetime(2026, 3, 29, 2, 30))
        assert got == datetime(2026, 3, 29, 3, 0, tzinfo=STO)
        assert got.utcoffset() == 2 * H

    def test_autumn_ambiguous_is_first_occurrence(self, se: WorkCalendar) -> None:
        got = se.localize(datetime(2026, 10, 25, 2, 30))
        assert got.utcoffset() == 2 * H
        assert got.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)

    def test_ordinary(self, se: WorkCalendar) -> None:
        got = se.localize(datetime(2026, 11, 20, 19, 30))
        assert got.tzinfo is se.tz
        assert got.astimezone(UTC) == datetime(2026, 11, 20, 18, 30, tzinfo=UTC)

    def test_aware_is_converted(self, se: WorkCalendar) -> None:
        got = se.localize(datetime(2026, 11, 20, 18, 30, tzinfo=UTC))
        assert got.tzinfo is se.tz and got.hour == 19


# ---------------------------------------------------------------- parse_hours


class TestParseHours:
    def test_basic_split_and_24(self) -> None:
        h = parse_hours({"mon": "08:00-17:00", "tue": ["13:00-17:00", "08:00-12:00"], "sun": "00:00-24:00"})
        assert h[0] == [(time(8), time(17))]
        assert h[1] == [(time(8), time(12)), (time(13), time(17))]
        assert h[6] == [(time(0), END_OF_DAY)]
        assert h[2] == [] and h[5] == []
        assert set(h) == set(range(7))

    def test_closed_forms_and_full_names(self) -> None:
        h = parse_hours({"Monday": "", "tue": [], "wed": None, "THU": "08:00-09:00, 10:00-11:00"})
        assert h[0] == h[1] == h[2] == []
        assert h[3] == [(time(8), time(9)), (time(10), time(11))]

    def test_touching_windows_are_not_overlapping(self) -> None:
        h = parse_hours({"mon": ["08:00-12:00", "12:00-17:00"]})
        assert len(h[0]) == 2

    def test_idempotent_and_format_roundtrip(self) -> None:
        h = parse_hours(SPLIT | {"sun": "00:00-24:00"})
        assert parse_hours(h) == h
        f = format_hours(h)
        assert f["mon"] == ["08:00-12:00", "13:00-17:00"]
        assert f["sun"] == ["00:00-24:00"]
        assert f["sat"] == []
        assert parse_hours(f) == h

    def test_end_of_day_ordering(self) -> None:
        assert time(23, 59, 59) < END_OF_DAY
        assert END_OF_DAY > time(0)
        assert not END_OF_DAY < time(23)
        assert str(END_OF_DAY) == "24:00"
        assert END_OF_DAY.hour == 24

    @pytest.mark.parametrize(
        ("spec", "pattern"),
        [
            ({"mon": "8-17"}, r"'mon'.*'8-17'"),
            ({"mon": "08:00"}, r"'mon'.*'08:00'"),
            ({"mon": "17:00-08:00"}, r"'mon'.*17:00-08:00.*before"),
            ({"fri": "08:00-08:00"}, r"'fri'.*08:00-08:00"),
            ({"tue": ["08:00-12:00", "11:00-13:00"]}, r"'tue'.*08:00-12:00.*11:00-13:00.*overlap"),
            ({"mond": "08:00-17:00"}, r"unknown weekday 'mond'"),
            ({"mon": "25:00-26:00"}, r"'mon'.*25:00"),
            ({"mon": "08:60-09:00"}, r"'mon'.*08:60"),
            ({"mon": "24:00-24:00"}, r"'mon'.*24:00"),
            ({"mon": 8}, r"'mon'.*8"),
            ({"mon": "08:00-17:00", "Monday": "09:00-10:00"}, r"twice"),
            ({"sat": "abc"}, r"'sat'.*'abc'"),
        ],
    )
    def test_errors(self, spec: dict, pattern: str) -> None:
        with pytest.raises(ValueError, match=pattern):
            parse_hours(spec)

    def test_not_a_mapping(self) -> None:
        with pytest.raises(ValueError, match="table"):
            parse_hours(["mon 08:00-17:00"])  # type: ignore[arg-type]

    def test_opening_hours_rejects_bad_spec(self, se: WorkCalendar) -> None:
        with pytest.raises(ValueError, match="'wed'"):
            OpeningHours(se, {"wed": "09:00-08:00"})


# ---------------------------------------------------------------- tiers


class TestTierCallbacks:
    """The seed's example: an SLA callback timer started Friday 19:30."""

    def test_bronze(self, bronze: OpeningHours) -> None:
        first = bronze.add(local(2026, 11, 20, 19, 30), 2 * H)
        assert first == local(2026, 11, 21, 9, 30)
        second = bronze.add(first, 4 * H)
        assert second == local(2026, 11, 21, 13, 30)
        third = bronze.add(second, 4 * H)
        assert third == local(2026, 11, 23, 9, 30)
        assert third.tzinfo is bronze.calendar.tz

    def test_silver(self, silver: OpeningHours) -> None:
        first = silver.add(local(2026, 11, 20, 19, 30), 2 * H)
        assert first == local(2026, 11, 20, 21, 30)
        second = silver.add(first, 4 * H)
        assert second == local(2026, 11, 21, 10, 30)
        assert silver.add(second, 4 * H) == local(2026, 11, 21, 14, 30)

    def test_gold(self, gold: OpeningHours) -> None:
        first = gold.add(local(2026, 11, 20, 19, 30), 2 * H)
        assert first == local(2026, 11, 20, 21, 30)
        second = gold.add(first, 4 * H)
        assert second == local(2026, 11, 21, 1, 30)
        assert gold.add(second, 4 * H) == local(2026, 11, 21, 5, 30)

    def test_gold_is_continuous_across_midnight(self, gold: OpeningHours) -> None:
        sun = local(2026, 11, 22, 23, 0)
        assert gold.add(sun, 2 * H) == local(2026, 11, 23, 1, 0)
        assert gold.is_open(local(2026, 11, 23, 0, 0))
        assert gold.next_open(local(2026, 11, 23, 0, 0)) == local(2026, 11, 23, 0, 0)

    def test_run_out_at_window_end_returns_the_end(self, bronze: OpeningHours) -> None:
        end = bronze.add(local(2026, 11, 20, 18, 0), 2 * H)
        assert end == local(2026, 11, 20, 20, 0)
        assert not bronze.is_open(end)
        assert bronze.next_open(end) == local(2026, 11, 21, 8, 0)
        # the next timer continues from the next window
        assert bronze.add(end, 4 * H) == local(2026, 11, 21, 12, 0)
        assert bronze.add(local(2026, 11, 20, 18, 0), 6 * H) == local(2026, 11, 21, 12, 0)

    def test_start_outside_window_counts_from_next_open(self, bronze: OpeningHours) -> None:
        assert bronze.add(local(2026, 11, 21, 17, 0), 2 * H) == local(2026, 11, 23, 10, 0)
        assert bronze.add(local(2026, 11, 23, 6, 0), 30 * timedelta(minutes=1)) == local(2026, 11, 23, 8, 30)

    def test_zero_duration(self, bronze: OpeningHours) -> None:
        open_t = local(2026, 11, 20, 10, 0)
        assert bronze.add(open_t, timedelta(0)) == open_t
        assert bronze.add(local(2026, 11, 22, 10, 0), timedelta(0)) == local(2026, 11, 23, 8, 0)

    def test_negative_duration(self, bronze: OpeningHours) -> None:
        with pytest.raises(ValueError, match="negative"):
            bronze.add(local(2026, 11, 20, 10, 0), -H)

    def test_naive_and_foreign_zone_inputs(self, bronze: OpeningHours) -> None:
        expected = local(2026, 11, 21, 9, 30)
        assert bronze.add(datetime(2026, 11, 20, 19, 30), 2 * H) == expected
        assert bronze.add(datetime(2026, 11, 20, 18, 30, tzinfo=UTC), 2 * H) == expected
        ny = datetime(2026, 11, 20, 13, 30, tzinfo=ZoneInfo("America/New_York"))
        assert bronze.add(ny, 2 * H) == expected

    def test_split_windows(self, se: WorkCalendar) -> None:
        split = OpeningHours(se, SPLIT)
        assert split.add(local(2026, 11, 18, 11, 0), 2 * H) == local(2026, 11, 18, 14, 0)
        assert split.add(local(2026, 11, 18, 11, 0), H) == local(2026, 11, 18, 12, 0)
        assert not split.is_open(local(2026, 11, 18, 12, 30))
        assert split.next_open(local(2026, 11, 18, 12, 30)) == local(2026, 11, 18, 13, 0)


class TestMidsummer:
    def test_bronze_across_midsummer(self, bronze: OpeningHours) -> None:
        # Thu 18 June 19:00: 1 h on Thursday; Fri 19 (Midsummer Eve), Sat 20
        # (Midsummer Day) and Sunday closed; 1 h on Monday 22nd.
        start = local(2026, 6, 18, 19, 0)
        assert bronze.add(start, 2 * H) == local(2026, 6, 22, 9, 0)
        assert not bronze.is_open(local(2026, 6, 19, 10, 0))
        assert not bronze.is_open(local(2026, 6, 20, 10, 0))

    def test_explanation_names_the_holidays(self, bronze: OpeningHours) -> None:
        exp = bronze.explain_add(local(2026, 6, 18, 19, 0), 2 * H)
        assert isinstance(exp, Explanation)
        assert exp.result == local(2026, 6, 22, 9, 0)
        assert [(s["date"], s["reason"]) for s in exp.skipped_days] == [
            (date(2026, 6, 19), "Midsummer Eve"),
            (date(2026, 6, 20), "Midsummer Day"),
            (date(2026, 6, 21), "closed"),
        ]
        assert sum((s["used"] for s in exp.steps), timedelta(0)) == 2 * H
        assert [s["remaining"] for s in exp.steps] == [H, timedelta(0)]
        assert exp.steps[0]["window_start"] == local(2026, 6, 18, 8, 0)
        assert exp.steps[0]["window_end"] == local(2026, 6, 18, 20, 0)
        text = "\n".join(exp.lines())
        assert "Midsummer Eve" in text and "Midsummer Day" in text
        assert exp.lines()[-1] == "Result: Mon 2026-06-22 09:00 CEST."
        assert exp.dst_changes == []

    def test_silver_is_open_on_midsummer(self, silver: OpeningHours) -> None:
        assert silver.add(local(2026, 6, 18, 21, 0), 2 * H) == local(2026, 6, 19, 8, 0)

    def test_explanation_over_christmas(self, bronze: OpeningHours) -> None:
        exp = bronze.explain_add(local(2026, 12, 23, 19, 0), 3 * H)
        assert exp.result == local(2026, 12, 28, 10, 0)
        reasons = {s["date"]: s["reason"] for s in exp.skipped_days}
        assert reasons[date(2026, 12, 24)] == "Christmas Eve"
        assert reasons[date(2026, 12, 25)] == "Christmas Day"
        assert reasons[date(2026, 12, 26)] == "Second Day of Christmas"
        assert reasons[date(2026, 12, 27)] == "closed"
        assert json.dumps(exp.to_dict())


# ---------------------------------------------------------------- DST


class TestDST:
    def test_gold_24h_spring(self, gold: OpeningHours) -> None:
        got = gold.add(local(2026, 3, 28, 12, 0), 24 * H)
        assert got == local(2026, 3, 29, 13, 0)
        assert got.astimezone(UTC) - local(2026, 3, 28, 12, 0).astimezone(UTC) == 24 * H

    def test_gold_24h_autumn(self, gold: OpeningHours) -> None:
        got = gold.add(local(2026, 10, 24, 12, 0), 24 * H)
        assert got == local(2026, 10, 25, 11, 0)
        assert got.utcoffset() == H

    def test_gold_day_lengths(self, gold: OpeningHours) -> None:
        assert gold.open_duration(local(2026, 3, 29, 0, 0), local(2026, 3, 30, 0, 0)) == 23 * H
        assert gold.open_duration(local(2026, 10, 25, 0, 0), local(2026, 10, 26, 0, 0)) == 25 * H
        (w,) = gold.windows(local(2026, 10, 25, 12, 0), local(2026, 10, 25, 13, 0))
        assert w.day == date(2026, 10, 25) and w.duration == 25 * H

    def test_explain_reports_spring_change(self, gold: OpeningHours) -> None:
        exp = gold.explain_add(local(2026, 3, 28, 12, 0), 24 * H)
        (ch,) = exp.dst_changes
        assert ch["at"] == local(2026, 3, 29, 3, 0)
        assert ch["at"].astimezone(UTC) == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
        assert (ch["offset_before"], ch["offset_after"]) == (H, 2 * H)
        assert sum((s["used"] for s in exp.steps), timedelta(0)) == 24 * H
        assert any("Clock change" in line and "shorter" in line for line in exp.lines())

    def test_explain_reports_autumn_change(self, gold: OpeningHours) -> None:
        exp = gold.explain_add(local(2026, 10, 24, 12, 0), 24 * H)
        (ch,) = exp.dst_changes
        assert ch["at"].astimezone(UTC) == datetime(2026, 10, 25, 1, 0, tzinfo=UTC)
        assert (ch["offset_before"], ch["offset_after"]) == (2 * H, H)
        assert any("longer" in line for line in exp.lines())

    def test_bronze_over_dst_weekends(self, bronze: OpeningHours) -> None:
        # Sunday is closed anyway: 1 h Saturday, 1 h Monday (wall clock).
        assert bronze.add(local(2026, 3, 28, 15, 0), 2 * H) == local(2026, 3, 30, 9, 0)
        assert bronze.add(local(2026, 10, 24, 15, 0), 2 * H) == local(2026, 10, 26, 9, 0)
        exp = bronze.explain_add(local(2026, 3, 28, 15, 0), 2 * H)
        assert len(exp.dst_changes) == 1
        assert bronze.open_duration(local(2026, 3, 28, 15, 0), exp.result) == 2 * H

    def test_silver_over_dst_weekends(self, silver: OpeningHours) -> None:
        assert silver.add(local(2026, 3, 28, 21, 0), 2 * H) == local(2026, 3, 29, 8, 0)
        assert silver.add(local(2026, 10, 24, 21, 0), 2 * H) == local(2026, 10, 25, 8, 0)
        # 07:00-22:00 does not contain the change itself: 15 h either way.
        assert silver.open_duration(local(2026, 3, 29, 0, 0), local(2026, 3, 30, 0, 0)) == 15 * H
        assert silver.open_duration(local(2026, 10, 25, 0, 0), local(2026, 10, 26, 0, 0)) == 15 * H

    def test_windows_inside_the_change_night(self, se: WorkCalendar) -> None:
        night = OpeningHours(se, {"sun": ["01:00-04:00"]}, closed_on_holidays=False)
        (spring,) = night.windows(local(2026, 3, 29, 0, 0), local(2026, 3, 30, 0, 0))
        assert spring.duration == 2 * H
        (autumn,) = night.windows(local(2026, 10, 25, 0, 0), local(2026, 10, 26, 0, 0))
        assert autumn.duration == 4 * H
        gap = OpeningHours(se, {"sun": ["02:15-02:45", "05:00-06:00"]})
        # The first window never exists on the spring-forward night.
        wins = gap.windows(local(2026, 3, 29, 0, 0), local(2026, 3, 30, 0, 0))
        assert [w.start.hour for w in wins] == [5]
        assert gap.next_open(local(2026, 3, 29, 0, 0)) == local(2026, 3, 29, 5, 0)


# ---------------------------------------------------------------- misc


class TestWindowsAndDurations:
    def test_bronze_week(self, bronze: OpeningHours) -> None:
        wins = bronze.windows(local(2026, 11, 16, 0, 0), local(2026, 11, 23, 0, 0))
        assert len(wins) == 6
        assert all(isinstance(w, Window) for w in wins)
        assert [w.day for w in wins] == [date(2026, 11, d) for d in range(16, 22)]
        assert wins[-1].start == local(2026, 11, 21, 8, 0) and wins[-1].end == local(2026, 11, 21, 16, 0)
        assert bronze.open_duration(local(2026, 11, 16, 0, 0), local(2026, 11, 23, 0, 0)) == 68 * H

    def test_windows_overlap_is_unclipped(self, bronze: OpeningHours) -> None:
        (w,) = bronze.windows(local(2026, 11, 18, 10, 0), local(2026, 11, 18, 11, 0))
        assert w.start == local(2026, 11, 18, 8, 0)
        assert bronze.windows(local(2026, 11, 18, 20, 0), local(2026, 11, 19, 8, 0)) == []

    def test_open_duration_reversed_is_zero(self, bronze: OpeningHours) -> None:
        assert bronze.open_duration(local(2026, 11, 19, 0, 0), local(2026, 11, 18, 0, 0)) == timedelta(0)

    def test_christmas_closed(self, bronze: OpeningHours) -> None:
        assert bronze.windows(local(2026, 12, 24, 0, 0), local(2026, 12, 27, 0, 0)) == []

    def test_no_open_hours_raise(self, se: WorkCalendar) -> None:
        never = OpeningHours(se, {})
        assert not never.has_open_time
        assert not never.is_open(local(2026, 11, 18, 10, 0))
        assert never.windows(local(2026, 1, 1, 0, 0), local(2027, 1, 1, 0, 0)) == []
        assert never.open_duration(local(2026, 1, 1, 0, 0), local(2027, 1, 1, 0, 0)) == timedelta(0)
        with pytest.raises(ValueError, match="no open time"):
            never.add(local(2026, 11, 18, 10, 0), H)
        with pytest.raises(ValueError, match="no open time"):
            never.next_open(local(2026, 11, 18, 10, 0))
        with pytest.raises(ValueError, match="no open time"):
            never.add(local(2026, 11, 18, 10, 0), timedelta(0))

    def test_ten_thousand_hours(self, se: WorkCalendar) -> None:
        sparse = OpeningHours(se, {"sat": "08:00-16:00", "wed": "10:00-11:00"})
        start = local(2026, 1, 1, 0, 0)
        end = sparse.add(start, 10_000 * H)
        assert end.year > 2045
        assert sparse.open_duration(start, end) == 10_000 * H
        exp = sparse.explain_add(start, 10_000 * H)
        assert exp.result == end
        assert sum((s["used"] for s in exp.steps), timedelta(0)) == 10_000 * H

    def test_explanation_zero_duration(self, bronze: OpeningHours) -> None:
        exp = bronze.explain_add(local(2026, 11, 22, 10, 0), timedelta(0))
        assert exp.steps == []
        assert exp.result == local(2026, 11, 23, 8, 0)
        assert exp.skipped_days == [{"date": date(2026, 11, 22), "reason": "closed", "holiday": False}]


def test_module_import_does_not_load_holidays() -> None:
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
    code = (
        "import sys, ops_cli.calendar as c; "
        "c.WorkCalendar(); "
        "assert 'holidays' not in sys.modules, 'holidays imported at module level'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


# ---------------------------------------------------------------- properties

_CAL = WorkCalendar()
SPECS = {
    "bronze": OpeningHours(_CAL, BRONZE),
    "silver": OpeningHours(_CAL, SILVER, closed_on_holidays=False),
    "gold": OpeningHours(_CAL, GOLD, closed_on_holidays=False),
    "split": OpeningHours(_CAL, SPLIT),
    "night": OpeningHours(_CAL, NIGHT),
}


def _dst_instants() -> list[datetime]:
    out = []
    for year in range(2024, 2031):
        for month in (3, 10):
            last = date(year, month, 31)
            sunday = last - timedelta(days=(last.weekday() - 6) % 7)
            out.append(datetime(sunday.year, sunday.month, sunday.day, 1, 0, tzinfo=UTC))
    return out


uniform_instants = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
)
near_dst = st.builds(
    lambda base, minutes: base + timedelta(minutes=minutes),
    st.sampled_from(_dst_instants()),
    st.integers(-48 * 60, 48 * 60),
)
naive_local = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31))
instants = st.one_of(uniform_instants, near_dst, naive_local)
durations = st.one_of(
    st.integers(0, 500 * 3600).map(lambda s: timedelta(seconds=s)),
    st.integers(0, 500 * 4).map(lambda q: timedelta(minutes=15 * q)),
)
positive_durations = durations.filter(lambda d: d > timedelta(0))
spec_names = st.sampled_from(sorted(SPECS))

PROP = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def u(dt: datetime) -> datetime:
    """UTC view for comparisons: ``==`` between zones is False for
    ambiguous local times (PEP 495), and same-zone comparisons ignore fold."""
    return (_CAL.localize(dt) if dt.tzinfo is None else dt).astimezone(UTC)


def _inside_or_at_end(oh: OpeningHours, r: datetime) -> bool:
    if oh.is_open(r):
        return True
    return any(u(w.end) == u(r) for w in oh.windows(r - timedelta(seconds=1), r))


@PROP
@given(spec_names, instants, durations)
def test_prop_result_in_window_or_at_end(name: str, start: datetime, d: timedelta) -> None:
    oh = SPECS[name]
    r = oh.add(start, d)
    assert r.tzinfo is _CAL.tz
    assert _inside_or_at_end(oh, r)
    assert u(r) >= u(start)


@PROP
@given(spec_names, instants, durations, positive_durations)
def test_prop_add_is_associative(name: str, start: datetime, a: timedelta, b: timedelta) -> None:
    oh = SPECS[name]
    assert u(oh.add(oh.add(start, a), b)) == u(oh.add(start, a + b))


@PROP
@given(spec_names, instants)
def test_prop_zero_is_identity_when_open(name: str, start: datetime) -> None:
    oh = SPECS[name]
    t = oh.next_open(start)
    assert oh.is_open(t)
    assert u(oh.add(t, timedelta(0))) == u(t)
    assert u(oh.add(start, timedelta(0))) == u(t)
    if oh.is_open(start):
        assert u(t) == u(start)


@PROP
@given(spec_names, instants, durations)
def test_prop_open_duration_inverts_add(name: str, start: datetime, d: timedelta) -> None:
    oh = SPECS[name]
    assert oh.open_duration(start, oh.add(start, d)) == d


@PROP
@given(spec_names, instants, durations)
def test_prop_explanation_steps_sum_to_duration(name: str, start: datetime, d: timedelta) -> None:
    oh = SPECS[name]
    exp = oh.explain_add(start, d)
    assert u(exp.result) == u(oh.add(start, d))
    assert sum((s["used"] for s in exp.steps), timedelta(0)) == d
    for s in exp.steps:
        assert u(s["window_start"]) <= u(s["used_from"]) < u(s["used_to"]) <= u(s["window_end"])
    assert exp.lines()[-1].startswith("Result:")


@PROP
@given(instants, durations)
def test_prop_gold_is_plain_elapsed_time(start: datetime, d: timedelta) -> None:
    assert u(SPECS["gold"].add(start, d)) == u(start) + d


@PROP
@given(st.dates(date(2024, 1, 1), date(2030, 12, 31)), st.integers(0, 40))
def test_prop_working_days_roundtrip(d: date, n: int) -> None:
    r = _CAL.add_working_days(d, n)
    assert _CAL.working_days_between(d, r) == n
    assert _CAL.working_days_between(r, d) == -n
    if n:
        assert _CAL.is_working_day(r)


@PROP
@given(naive_local)
def test_prop_localize_keeps_existing_wall_time(naive: datetime) -> None:
    got = _CAL.localize(naive)
    wall = got.replace(tzinfo=None)
    if wall != naive:  # only in the spring-forward gap, and then forward by < 1 h
        assert naive < wall <= naive + H
        assert got.minute == 0 and got.hour == 3


def test_window_contains_in_the_repeated_hour(se: WorkCalendar) -> None:
    night = OpeningHours(se, {"sun": "02:00-02:45"}, closed_on_holidays=False)
    (w,) = night.windows(local(2026, 10, 25, 0, 0), local(2026, 10, 26, 0, 0))
    first_0230 = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST
    second_0230 = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 02:30 CET
    assert w.contains(first_0230) and night.is_open(first_0230)
    assert not w.contains(second_0230) and not night.is_open(second_0230)

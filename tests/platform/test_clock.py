"""The clock: OPS_NOW, user times, storage format."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from ops_cli import clock
from ops_cli.errors import InvalidInput

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def test_ops_now_without_offset_is_desk_local(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("OPS_NOW", "2026-11-20T19:30")
    now = clock.now(STOCKHOLM)
    assert now == datetime(2026, 11, 20, 19, 30, tzinfo=STOCKHOLM)
    assert now.utcoffset().total_seconds() == 3600


def test_ops_now_with_offset_is_converted(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("OPS_NOW", "2026-07-01T06:00Z")
    now = clock.now(STOCKHOLM)
    assert (now.hour, now.utcoffset().total_seconds()) == (8, 7200)


def test_bad_ops_now_is_invalid_input(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("OPS_NOW", "yesterday-ish")
    with pytest.raises(InvalidInput, match="OPS_NOW"):
        clock.now(STOCKHOLM)


def test_real_now_without_ops_now(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("OPS_NOW", raising=False)
    before = datetime.now(UTC)
    assert before <= clock.now(STOCKHOLM) <= datetime.now(UTC)


def test_time_in_the_spring_gap_is_refused():
    with pytest.raises(InvalidInput, match="daylight-saving gap"):
        clock.parse_time("2026-03-29T02:30", STOCKHOLM)


def test_date_alone_is_midnight():
    assert clock.parse_time("2026-06-19", STOCKHOLM) == datetime(2026, 6, 19, tzinfo=STOCKHOLM)


def test_storage_round_trip_is_utc_text():
    moment = datetime(2026, 11, 20, 19, 30, tzinfo=STOCKHOLM)
    text = clock.to_db(moment)
    assert text == "2026-11-20T18:30:00+00:00"
    assert clock.from_db(text, STOCKHOLM) == moment
    with pytest.raises(ValueError):
        clock.to_db(datetime(2026, 1, 1))


@pytest.mark.parametrize("text", ["", "20-11-2026", "2026-13-01"])
def test_bad_user_times(text: str):
    with pytest.raises(InvalidInput):
        clock.parse_time(text, STOCKHOLM)


def test_month_helpers():
    from datetime import date

    assert clock.parse_month(" 2026-12 ") == (2026, 12)
    assert clock.next_month(2026, 12) == (2027, 1) and clock.next_month(2026, 3) == (2026, 4)
    assert clock.month_end(2028, 2) == date(2028, 2, 29)
    assert clock.add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert clock.add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
    assert clock.add_months(date(2026, 1, 15), -1) == date(2025, 12, 15)


@pytest.mark.parametrize("text", ["2026-13", "2026-7", "26-07", "", None, "2026-07-01"])
def test_bad_month(text):
    with pytest.raises(InvalidInput, match="is not a month; use YYYY-MM"):
        clock.parse_month(text, "--month")


def test_parse_day_takes_a_date_or_the_local_date_of_a_time():
    from datetime import date

    assert clock.parse_day("2026-11-20", STOCKHOLM) == date(2026, 11, 20)
    assert clock.parse_day("2026-11-20T23:30Z", STOCKHOLM) == date(2026, 11, 21)
    with pytest.raises(InvalidInput, match="--at: 'soon' is not a date"):
        clock.parse_day("soon", STOCKHOLM, "--at")

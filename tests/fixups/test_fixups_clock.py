"""Times typed by users: year 0, empty text, `now`, and the DST gap and overlap of Stockholm."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from ops_cli import clock
from ops_cli.errors import InvalidInput

TZ = ZoneInfo("Europe/Stockholm")


@pytest.mark.parametrize("text", ["0000-01", "1999-12", "10000-01"])
def test_month_out_of_range_names_the_range(text):
    with pytest.raises(InvalidInput) as caught:
        clock.parse_month(text)
    assert "2000-01-01 to 9999-12-30" in caught.value.message or "not a month" in caught.value.message


def test_year_zero_month_is_invalid_input_with_the_range():
    with pytest.raises(InvalidInput, match="'0000-01' is out of range; give a month from 2000-01-01"):
        clock.parse_month("0000-01")


def test_spring_forward_gap_is_refused():
    with pytest.raises(
        InvalidInput, match="does not exist on the Europe/Stockholm clock.*daylight-saving gap"
    ):
        clock.parse_time("2026-03-29T02:30", TZ, "--at")


def test_autumn_overlap_is_the_first_occurrence():
    moment = clock.parse_time("2026-10-25T02:30", TZ, "--at")
    assert moment.utcoffset() == timedelta(hours=2)  # still summer time (CEST)
    assert clock.to_db(moment) == "2026-10-25T00:30:00+00:00"
    second = clock.parse_time("2026-10-25T02:30+01:00", TZ, "--at")
    assert clock.to_db(second) == "2026-10-25T01:30:00+00:00"  # the second 02:30 (CET)


def test_times_next_to_the_gap_are_kept():
    assert clock.parse_time("2026-03-29T01:59", TZ).isoformat() == "2026-03-29T01:59:00+01:00"
    assert clock.parse_time("2026-03-29T03:00", TZ).isoformat() == "2026-03-29T03:00:00+02:00"
    assert clock.parse_time("2026-03-29T02:30+01:00", TZ) == datetime(2026, 3, 29, 3, 30, tzinfo=TZ)


def _refused(env, args, text):
    before = env.snapshot()
    run = env.run(*args)
    assert run.code == 3, (run.code, run.stderr)
    lines = run.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), run.stderr
    assert text in lines[0], run.stderr
    assert env.snapshot() == before


@pytest.fixture
def store(env):
    assert env.run("init").code == 0
    env.now = "2026-11-16T10:00"
    return env


@pytest.mark.parametrize(
    ("at", "text"),
    [
        ("", "--at: empty"),
        ("  ", "--at: empty"),
        ("now", "--at: 'now' is not a moment"),
        ("NOW", "--at: 'NOW' is not a moment"),
        ("2026-03-29T02:30", "does not exist on the Europe/Stockholm clock"),
    ],
)
def test_bad_at_is_refused(store, at, text):
    _refused(store, ["case", "callbacks", "--at", at], text)
    _refused(store, ["case", "list", "--at", at], text)


def test_ops_now_in_the_gap_is_refused_as_at_is(store):
    before = store.snapshot()
    run = store.run("case", "callbacks", OPS_NOW="2026-03-29T02:30")
    assert run.code == 3 and run.stderr.startswith("error: OPS_NOW: '2026-03-29T02:30' does not exist")
    assert store.snapshot() == before


def test_ambiguous_at_is_accepted(store):
    run = store.run("case", "callbacks", "--at", "2026-10-25T02:30", "-f", "json")
    assert run.code == 0, run.stderr
    assert run.json() == []

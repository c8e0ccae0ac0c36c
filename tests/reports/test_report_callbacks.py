"""Callback punctuality in the quarterly report: every callback that fell due while a critical
SLA fault was open, against the ones made by their due time (issue 13 item 1).

Due times are hand-computed from the seed's rule (first 2 support hours after the report, then
every 4) in each tier's support hours: gold around the clock, silver 07-22 every day, bronze
Mon-Fri 08-20 and Sat 08-16 (August 2026 has no Swedish public holiday).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from test_report_quarterly import english

from ops_cli import cases as case_core
from ops_cli import roster
from ops_cli.reports.quarterly import quarterly

TZ = ZoneInfo("Europe/Stockholm")
PEOPLE = {
    "2001": "per.falk@nordbygg.example",
    "2002": "lisa.ek@bonan.example",
    "3001": "sam.sol@silver.example",
}


def kept(c: dict) -> tuple[int, int, int, int]:
    """(due, on time, late, missed)"""
    return c["callbacks_due"], c["callbacks_on_time"], c["callbacks_late"], c["callbacks_missed"]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


@pytest.fixture
def world(env, ops, monkeypatch):
    monkeypatch.setenv("OPS_NOW", "2026-10-05T09:00")
    for number, name, tier in (
        ("2001", "Nordbygg AB", "gold"),
        ("2002", "Café Bönan", "bronze"),
        ("3001", "Silver & Co", "silver"),
    ):
        roster.add_customer(
            ops, number, name=name, sla_tier=tier, agreement="business", binding_until="2028-12-31"
        )
        roster.add_entry(ops, number, PEOPLE[number], "Tel Ansvarig", ["telephony", "orderer", "contact"])
    env.now = "2026-10-05T09:00"
    english(env)
    return ops


def critical(ops, customer: str, when: str) -> str:
    case = case_core.open_case(
        ops,
        customer=customer,
        reporter=PEOPLE[customer],
        channel="sla",
        topic="fault",
        subject="No calls in the zone",
        critical=True,
        at=at(when),
    )
    return case["number"]


def called(ops, number: str, *times: str) -> None:
    for t in times:
        case_core.record_callback(ops, number, at=at(t))


def close(ops, number: str, when: str) -> None:
    case_core.close(ops, number, "fixed", at=at(when))


def cases_of(ops, customer: str, quarter: str = "2026Q3") -> dict:
    return quarterly(ops, customer, quarter, ordered_by=PEOPLE[customer] if customer == "2002" else None)[
        "cases"
    ]


# ------------------------------------------------------------------ the rule, per tier


def test_gold_case_without_any_callback_is_zero_percent_not_100(world):
    # Opened 10:00 CEST, closed 16:30: due 12:00 and 16:00 (gold: around the clock).
    n = critical(world, "2001", "2026-08-03T10:00")
    close(world, n, "2026-08-03T16:30")
    c = cases_of(world, "2001")
    assert (c["sla_critical"], c["callbacks_due"], c["callbacks_on_time"], c["callbacks_missed"]) == (
        1,
        2,
        0,
        2,
    )
    assert c["first_callback_on_time_pct"] == 0.0
    assert c["all_callbacks_on_time_pct"] == 0.0
    assert c["list"][0]["callbacks_due"] == 2 and c["list"][0]["callbacks_on_time"] == 0


def test_gold_one_on_time_one_late(world):
    n = critical(world, "2001", "2026-08-03T10:00")
    called(world, n, "2026-08-03T11:30", "2026-08-03T16:20")  # due 12:00 kept; due 16:00 made late
    close(world, n, "2026-08-03T16:30")
    c = cases_of(world, "2001")
    assert (c["callbacks_due"], c["callbacks_on_time"], c["callbacks_late"], c["callbacks_missed"]) == (
        2,
        1,
        1,
        0,
    )
    assert c["first_callback_on_time_pct"] == 100.0
    assert c["all_callbacks_on_time_pct"] == 50.0


def test_a_callback_due_at_the_moment_of_closing_is_not_owed(world):
    n = critical(world, "2001", "2026-08-03T10:00")
    called(world, n, "2026-08-03T11:00")
    close(world, n, "2026-08-03T16:00")  # the 16:00 callback is the closing call
    c = cases_of(world, "2001")
    assert (c["callbacks_due"], c["callbacks_on_time"]) == (1, 1)
    assert c["all_callbacks_on_time_pct"] == 100.0


def test_silver_counts_only_07_to_22(world):
    # Mon 20:30: 1.5 h to 22:00, then 0.5 h from 07:00 -> Tue 07:30; +4 h -> 11:30. Closed 12:00.
    n = critical(world, "3001", "2026-08-03T20:30")
    called(world, n, "2026-08-04T07:15")  # the first on time, the second never made
    close(world, n, "2026-08-04T12:00")
    c = cases_of(world, "3001")
    assert (c["callbacks_due"], c["callbacks_on_time"], c["callbacks_missed"]) == (2, 1, 1)
    assert c["first_callback_on_time_pct"] == 100.0
    assert c["all_callbacks_on_time_pct"] == 50.0


def test_bronze_weekend_hours(world):
    # Fri 2026-08-07 19:00: 1 h Fri + 1 h Sat -> Sat 09:00; +4 h -> Sat 13:00;
    # +4 h = 3 h Sat (13-16) + Sunday closed + 1 h Mon -> Mon 09:00. Closed Mon 10:00.
    n = critical(world, "2002", "2026-08-07T19:00")
    called(world, n, "2026-08-08T08:55", "2026-08-08T13:30", "2026-08-10T08:30")
    close(world, n, "2026-08-10T10:00")
    c = cases_of(world, "2002")
    # The k-th callback answers the k-th due time: 08:55 <= Sat 09:00 on time; 13:30 > Sat 13:00
    # late; Mon 08:30 <= Mon 09:00 on time -> 2 of 3 = 66.66 % (cut, not rounded).
    assert (c["callbacks_due"], c["callbacks_on_time"], c["callbacks_late"], c["callbacks_missed"]) == (
        3,
        2,
        1,
        0,
    )
    assert c["all_callbacks_on_time_pct"] == 66.66
    assert c["hours"] == "support hours of tier bronze"


def test_reopening_restarts_the_schedule(world):
    # Open 10:00-11:00 (no callback due yet); reopened 14:00 -> due 16:00 and 20:00; closed 21:00.
    n = critical(world, "2001", "2026-08-03T10:00")
    close(world, n, "2026-08-03T11:00")
    case_core.reopen(world, n, at=at("2026-08-03T14:00"))
    called(world, n, "2026-08-03T15:00")
    close(world, n, "2026-08-03T21:00")
    c = cases_of(world, "2001")
    assert (c["callbacks_due"], c["callbacks_on_time"], c["callbacks_missed"]) == (2, 1, 1)
    assert c["first_callback_on_time_pct"] == 100.0


def test_a_case_still_open_counts_until_the_quarter_ends(world):
    # Opened Wed 2026-09-30 20:00, never closed: due 22:00 only before 2026-10-01 00:00.
    critical(world, "2001", "2026-09-30T20:00")
    c = cases_of(world, "2001")
    assert (c["callbacks_due"], c["callbacks_missed"]) == (1, 1)


def test_the_current_quarter_counts_until_now(world, monkeypatch):
    critical(world, "2001", "2026-08-03T10:00")
    monkeypatch.setenv("OPS_NOW", "2026-08-03T15:00")
    c = quarterly(world, "2001", "current")["cases"]
    assert c["callbacks_due"] == 1  # 12:00 fell due; 16:00 has not yet


def test_non_critical_faults_have_no_sla_callbacks(world):
    case_core.open_case(
        world,
        customer="2001",
        reporter=PEOPLE["2001"],
        channel="phone",
        topic="fault",
        subject="Crackling line",
        at=at("2026-08-03T10:00"),
    )
    c = cases_of(world, "2001")
    assert c["sla_critical"] == 0 and c["callbacks_due"] == 0
    assert c["first_callback_on_time_pct"] is None and c["all_callbacks_on_time_pct"] is None


def test_the_text_report_says_when_no_callback_was_made(env, world):
    n = critical(world, "2001", "2026-08-03T10:00")
    close(world, n, "2026-08-03T16:30")
    run = env.cli("report", "quarterly", "-c", "2001", "--quarter", "2026Q3", "-f", "md")
    assert run.code == 0, run.stderr
    assert "| First callback on time | 0.00 % |" in run.stdout
    assert "| All callbacks on time | 0.00 % (0 of 2; 0 late, 2 missed) |" in run.stdout


# ------------------------------------------------------------------ clocks and intervals


def test_due_times_cross_the_dst_change_in_real_hours(world, monkeypatch):
    # Gold, Sat 2026-10-24 23:00 CEST + 2 h = Sun 01:00 CEST (23:00 UTC); + 4 h real time
    # = 03:00 UTC = 04:00 CET (the clock went back at 03:00 CEST). Closed 05:00 CET: 2 due.
    monkeypatch.setenv("OPS_NOW", "2027-01-10T09:00")
    n = critical(world, "2001", "2026-10-24T23:00")
    called(world, n, "2026-10-25T00:30")
    close(world, n, "2026-10-25T05:00")
    c = quarterly(world, "2001", "2026Q4")["cases"]
    assert kept(c) == (2, 1, 0, 1)


def test_an_agreed_interval_on_an_sla_case_counts_in_support_hours(world):
    # Silver (07-22): opened Mon 10:00 (first due 12:00). At 11:00 every 8 support hours is
    # agreed: due 8 h after the last callback made, or the period's start: 10:00 + 8 h = 18:00
    # (replacing 12:00). Made 18:00: on time. Next 18:00 + 8 h = 4 h Mon + 4 h Tue = Tue 11:00,
    # never made before closing at 12:30: missed.
    n = critical(world, "3001", "2026-08-03T10:00")
    case_core.set_callback(world, n, 8, at=at("2026-08-03T11:00"))
    called(world, n, "2026-08-03T18:00")
    close(world, n, "2026-08-04T12:30")
    assert kept(cases_of(world, "3001")) == (2, 1, 0, 1)


def test_a_customer_message_that_reopens_restarts_the_schedule(world):
    # Closed 11:00 before any callback fell due; the customer writes at 13:00 (reopens):
    # due 15:00; closed again 15:30 without a callback -> 1 due, missed.
    n = critical(world, "2001", "2026-08-03T10:00")
    close(world, n, "2026-08-03T11:00")
    case_core.customer_message(world, n, "Still no calls here", at=at("2026-08-03T13:00"))
    close(world, n, "2026-08-03T15:30")
    assert kept(cases_of(world, "2001")) == (1, 0, 0, 1)


def test_the_old_callbacks_key_is_kept_next_to_the_new_ones(world):
    """`cases.callbacks` (and each listed case's `callbacks`) is still the number of callbacks on
    record for the quarter's fault cases, as before issue 13: scripts read it."""
    number = critical(world, "2001", "2026-08-03T10:00")
    called(world, number, "2026-08-03T11:50", "2026-08-03T16:20")
    close(world, number, "2026-08-03T16:30")
    c = cases_of(world, "2001")
    assert c["callbacks"] == 2 and c["list"][0]["callbacks"] == 2
    assert kept(c) == (2, 1, 1, 0)

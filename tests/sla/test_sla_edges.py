"""SLA edges found by outside testing: `sla kpi list` for an unknown customer and a zone typed in
NFD, `sla due` whose schedule would run past the calendar's end, and hand-computed schedules and
binding edges from seed 004's numbers.
"""

from __future__ import annotations

import subprocess
import sys
import unicodedata

import pytest
from test_kpi import store  # noqa: F401

from ops_cli.sla.demo import load_demo


def test_kpi_list_for_an_unknown_customer_is_not_found(store, env):  # noqa: F811
    load_demo(store)
    before = env.snapshot()
    r = env.cli("sla", "kpi", "list", "-c", "9999")
    assert r.code == 4, r.stderr
    assert r.stderr == "error: customer 9999 not found; see `ops roster customer list`\n"
    assert env.snapshot() == before


def test_kpi_list_zone_typed_in_nfd_is_the_stored_nfc_zone(store, env):  # noqa: F811
    load_demo(store)
    nfd = unicodedata.normalize("NFD", "Borås")
    assert nfd != "Borås"
    r = env.cli("sla", "kpi", "list", "-c", "2001", "-z", f" {nfd} ", "--to", "2026-07-02", "-f", "json")
    assert r.code == 0, r.stderr
    assert [(x["zone"], x["period"]) for x in r.json()] == [("Borås", "2026-07-01"), ("Borås", "2026-07-02")]


def test_due_past_the_end_of_the_calendar_is_refused_with_the_reason(env):
    before = env.snapshot()
    r = env.cli("sla", "due", "--tier", "bronze", "--from", "9999-12-30T19:00", "--count", "1000")
    assert r.code == 3, r.stderr
    assert r.stderr.startswith("error: ") and r.stderr.count("\n") == 1
    assert "9999-12-31" in r.stderr and "--count" in r.stderr
    assert "±9223372036854775807" not in r.stderr
    assert env.snapshot() == before


@pytest.mark.parametrize(
    "tier,start,expected",
    [
        # bronze Fri 08-20, Sat 08-16: Fri 19:30 has 30 min left, Sat from 08:00 1 h 30 -> 09:30;
        # +4 h -> 13:30; 2 h 30 left on Saturday, Sunday closed, Monday 08:00 + 1 h 30 -> 09:30
        (
            "bronze",
            "2026-06-12T19:30",
            ["2026-06-13T09:30:00+02:00", "2026-06-13T13:30:00+02:00", "2026-06-15T09:30:00+02:00"],
        ),
        # bronze Sat 16:00 is the closing time: Monday 08:00 + 2 h
        ("bronze", "2026-06-13T16:00", ["2026-06-15T10:00:00+02:00"]),
        # silver every day 07-22: Fri 21:30 has 30 min, Sat 07:00 + 1 h 30 -> 08:30
        ("silver", "2026-06-12T21:30", ["2026-06-13T08:30:00+02:00", "2026-06-13T12:30:00+02:00"]),
        # gold around the clock, real elapsed time across the October change (CEST -> CET):
        # 01:30 CEST = 23:30 UTC; +2 h = 01:30 UTC = 02:30 CET; +4 h = 06:30 CET
        ("gold", "2026-10-25T01:30", ["2026-10-25T02:30:00+01:00", "2026-10-25T06:30:00+01:00"]),
        # and across the March change (CET -> CEST): 01:30 CET = 00:30 UTC; +2 h = 04:30 CEST
        ("gold", "2026-03-29T01:30", ["2026-03-29T04:30:00+02:00", "2026-03-29T08:30:00+02:00"]),
    ],
)
def test_due_hand_computed(env, tier, start, expected):
    r = env.cli("sla", "due", "--tier", tier, "--from", start, "--count", str(len(expected)), "-f", "json")
    assert r.code == 0, r.stderr
    assert r.json() == expected


@pytest.mark.parametrize(
    "at,eligible",
    [("2027-03-30", True), ("2027-03-31", True), ("2027-04-01", False)],  # binding ends 2027-06-30
)
def test_check_binding_exactly_three_months_left_and_one_day_less(store, env, at, eligible):  # noqa: F811
    with store.store.write() as st:
        st.execute("UPDATE customers SET binding_until = '2027-06-30', agreement = ' erhvervs AFTALE'")
    r = env.cli("sla", "check", "2002", "--at", at, "-f", "json")
    assert r.code == (0 if eligible else 1), r.stderr
    assert r.json()["eligible"] is eligible
    if not eligible:
        assert r.json()["reasons"] == [
            "binding ends 2027-06-30: 2 months, 29 days left on 2027-04-01, at least 3 months needed"
        ]


def test_verify_code_by_someone_outside_the_desk_is_refused(store, env):  # noqa: F811
    """The desk checks a caller's code: --by must be a desk agent (or the operator without --by);
    anyone else could otherwise lock the customer out with wrong tries."""
    env.config.write_text('[desk]\nagents = ["tove@desk.example"]\n')
    assert env.cli("sla", "set-code", "2001", input="4711-code\n").code == 0
    before = env.snapshot()
    for who in ("x@example.com", "someone@nordbygg.example"):
        r = env.cli("sla", "verify-code", "2001", "--by", who, input="wrong\n")
        assert r.code == 5, r.stderr
        assert r.stderr == f"error: {who} is not one of the desk's agents (config desk.agents)\n"
        assert env.snapshot() == before
    r = env.cli("sla", "verify-code", "2001", "--by", "tove@desk.example", input="4711-code\n")
    assert r.code == 0, r.stderr


def _ops_bytes(env, stdin: bytes, *args: str) -> subprocess.CompletedProcess:
    """The installed program with raw bytes on stdin (not a terminal)."""
    return subprocess.run(
        [sys.executable, "-m", "ops_cli", *args],
        input=stdin,
        capture_output=True,
        env=env.environ(),
        timeout=120,
    )


@pytest.mark.parametrize(
    "stdin,message",
    [
        (
            b"abc\x00def\n",
            "error: the support code holds a control character; use letters, digits and punctuation\n",
        ),
        (
            b"abc\x1bdef\n",
            "error: the support code holds a control character; use letters, digits and punctuation\n",
        ),
        (b"\xff\xfeabcd\n", "error: the support code is not UTF-8 text; type it again\n"),
    ],
)
def test_set_code_refuses_control_characters_and_bytes_that_are_not_text(store, env, stdin, message):  # noqa: F811
    before = env.snapshot()
    r = _ops_bytes(env, stdin, "sla", "set-code", "2001")
    assert r.returncode == 3, r.stderr
    assert r.stderr.decode() == message
    assert env.snapshot() == before
    r = _ops_bytes(env, b"\xff\xfeabcd\n", "sla", "verify-code", "2001")
    assert (
        r.returncode == 3
        and r.stderr.decode() == "error: the support code is not UTF-8 text; type it again\n"
    )
    assert env.snapshot() == before


@pytest.mark.parametrize(
    "country,expected",
    [
        # Sweden: Friday 2026-06-05 is a working day: 30 min Thursday, then Friday 08:00 + 1 h 30
        ("SE", ["2026-06-05T09:30:00+02:00", "2026-06-05T13:30:00+02:00", "2026-06-05T17:30:00+02:00"]),
        # Denmark: Grundlovsdag closes bronze on Friday; Saturday 08-16, Sunday closed, Monday 08:00
        ("DK", ["2026-06-06T09:30:00+02:00", "2026-06-06T13:30:00+02:00", "2026-06-08T09:30:00+02:00"]),
    ],
)
def test_bronze_due_follows_the_desks_country(env, country, expected):
    env.config.write_text(f'[calendar]\ncountry = "{country}"\n')
    r = env.cli("sla", "due", "--tier", "bronze", "--from", "2026-06-04T19:30", "--count", "3", "-f", "json")
    assert r.code == 0, r.stderr
    assert r.json() == expected

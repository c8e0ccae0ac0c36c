"""SLA: tiers, callback timers on real calendars, eligibility edges, `sla explain`."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ops_cli import clock, sla
from ops_cli.errors import InvalidInput, NotFound

CUSTOMERS = [
    # number, name, agreement, binding_until, sla_tier
    ("2001", "Nordbygg AB", "business", "2027-12-31", "gold"),
    ("2002", "Café Bönan", "forening", "2027-06-30", "bronze"),
    ("1001", "Polisregion Syd", "rakel", None, "none"),
    ("3001", "Kort Bindning AB", "Business", "2027-02-20", "none"),
    ("3002", "Nästan AB", "erhverv", "2027-02-19", "none"),
    ("3003", "Månadsslut AB", "mobildeal", "2027-02-28", "none"),
    ("3004", "Utgången AB", "business", "2026-10-31", "none"),
    ("3005", "Utan Avtal AB", None, "2028-01-01", "silver"),
]


def add_customers(ops, rows=CUSTOMERS):
    with ops.store.write() as st:
        for number, name, agreement, binding, tier in rows:
            st.execute(
                "INSERT INTO customers (number, name, agreement, binding_until, sla_tier, created_at,"
                " updated_at)"
                " VALUES (?, ?, ?, ?, ?, '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')",
                (number, name, agreement, binding, tier),
            )


def iso(ops, *parts):
    """Desk-local wall time as an aware datetime."""
    return ops.calendar.localize(datetime(*parts))


def schedule(ops, tier, start, count=3):
    return [d.isoformat() for d in sla.callback_schedule(ops, tier, start, count)]


# ------------------------------------------------------------------ timers (seed 000/004 numbers)


def test_bronze_friday_evening_runs_into_saturday_then_monday(ops):
    # 30 min left on Friday (08-20), Saturday opens 08-16, Sunday closed.
    assert schedule(ops, "bronze", iso(ops, 2026, 11, 20, 19, 30)) == [
        "2026-11-21T09:30:00+01:00",
        "2026-11-21T13:30:00+01:00",
        "2026-11-23T09:30:00+01:00",
    ]


def test_silver_and_gold_from_the_same_friday_evening(ops):
    start = iso(ops, 2026, 11, 20, 19, 30)
    # silver: every day 07-22, so 2 h from 19:30 is 21:30; then 30 min + Saturday 07:00 + 3.5 h.
    assert schedule(ops, "silver", start) == [
        "2026-11-20T21:30:00+01:00",
        "2026-11-21T10:30:00+01:00",
        "2026-11-21T14:30:00+01:00",
    ]
    # gold: around the clock.
    assert schedule(ops, "gold", start) == [
        "2026-11-20T21:30:00+01:00",
        "2026-11-21T01:30:00+01:00",
        "2026-11-21T05:30:00+01:00",
    ]


def test_naive_start_is_desk_local(ops):
    assert schedule(ops, "bronze", datetime(2026, 11, 20, 19, 30), 1) == ["2026-11-21T09:30:00+01:00"]


def test_bronze_skips_midsummer_silver_does_not(ops):
    # Midsummer Eve Fri 2026-06-19 (de facto) and Midsummer Day Sat 2026-06-20 close bronze.
    assert schedule(ops, "bronze", iso(ops, 2026, 6, 18, 19, 0), 2) == [
        "2026-06-22T09:00:00+02:00",
        "2026-06-22T13:00:00+02:00",
    ]
    # Silver is open on holidays: 1 h Thursday 21-22, then Friday 07:00 + 1 h.
    assert schedule(ops, "silver", iso(ops, 2026, 6, 18, 21, 0), 1) == ["2026-06-19T08:00:00+02:00"]


def test_march_dst_weekend(ops):
    # Clocks go 02:00 -> 03:00 on Sun 2026-03-29: two real hours after 01:00 CET is 04:00 CEST.
    assert schedule(ops, "gold", iso(ops, 2026, 3, 29, 1, 0), 2) == [
        "2026-03-29T04:00:00+02:00",
        "2026-03-29T08:00:00+02:00",
    ]
    # Silver: 1 h Saturday 21-22 (CET), then Sunday 07:00 CEST + 1 h.
    assert schedule(ops, "silver", iso(ops, 2026, 3, 28, 21, 0), 1) == ["2026-03-29T08:00:00+02:00"]
    # Bronze: 1 h Saturday 15-16, Sunday closed, Monday 08:00 CEST + 1 h.
    assert schedule(ops, "bronze", iso(ops, 2026, 3, 28, 15, 0), 1) == ["2026-03-30T09:00:00+02:00"]


def test_october_dst_weekend(ops):
    # Clocks go 03:00 -> 02:00 on Sun 2026-10-25: two real hours after 01:00 CEST is 02:00 CET.
    assert schedule(ops, "gold", iso(ops, 2026, 10, 25, 1, 0), 2) == [
        "2026-10-25T02:00:00+01:00",
        "2026-10-25T06:00:00+01:00",
    ]
    assert schedule(ops, "silver", iso(ops, 2026, 10, 24, 21, 0), 1) == ["2026-10-25T08:00:00+01:00"]
    assert schedule(ops, "bronze", iso(ops, 2026, 10, 24, 15, 0), 1) == ["2026-10-26T09:00:00+01:00"]


def test_report_inside_closed_time_counts_from_the_next_opening(ops):
    # Sunday: bronze closed; the 2 h start Monday 08:00.
    assert schedule(ops, "bronze", iso(ops, 2026, 11, 22, 11, 0), 1) == ["2026-11-23T10:00:00+01:00"]


def test_hours_from_config(ops, env):
    from ops_cli.context import Ops

    env.config.write_text(
        "[sla]\nfirst_callback_hours = 1.0\ncallback_every_hours = 2.0\n"
        '[sla.tiers.bronze.hours]\nmon = "08:00-17:00"\n',
        encoding="utf-8",
    )
    custom = Ops.open(config_path=env.config, db_path=env.db)
    try:
        # Only Mondays 08-17 now: from Friday, Monday 08:00 + 1 h, then + 2 h.
        assert schedule(custom, "bronze", iso(custom, 2026, 11, 20, 19, 30), 2) == [
            "2026-11-23T09:00:00+01:00",
            "2026-11-23T11:00:00+01:00",
        ]
    finally:
        custom.close()


def test_unknown_tier_lists_the_tiers(ops):
    with pytest.raises(InvalidInput, match="unknown SLA tier 'platinum'; the tiers are bronze, silver, gold"):
        sla.callback_schedule(ops, "platinum", iso(ops, 2026, 11, 20, 19, 30), 1)
    with pytest.raises(InvalidInput, match="count must be at least 1"):
        sla.callback_schedule(ops, "gold", iso(ops, 2026, 11, 20, 19, 30), 0)


_STARTS = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31)).map(
    lambda d: d.replace(second=0, microsecond=0)
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=_STARTS, tier=st.sampled_from(["bronze", "silver", "gold"]))
def test_schedule_property_each_step_is_exactly_the_support_hours(ops, start, tier):
    hours = ops.hours(f"sla.tiers.{tier}")
    times = sla.callback_schedule(ops, tier, start, 3)
    begin = ops.calendar.localize(start)  # the fixture is only read here
    assert hours.open_duration(begin, times[0]) == timedelta(hours=2)
    assert hours.open_duration(times[0], times[1]) == timedelta(hours=4)
    assert hours.open_duration(times[1], times[2]) == timedelta(hours=4)
    for due in times:
        assert due.utcoffset() is not None
        assert hours.is_open(due - timedelta(seconds=1))  # a due time ends open time


# ------------------------------------------------------------------ sla due (CLI)


def test_due_json_is_an_array_of_times_with_offsets(env):
    r = env.cli("sla", "due", "--tier", "bronze", "--from", "2026-11-20T19:30", "--count", "3", "-f", "json")
    assert r.code == 0, r.stderr
    assert r.json() == ["2026-11-21T09:30:00+01:00", "2026-11-21T13:30:00+01:00", "2026-11-23T09:30:00+01:00"]


def test_due_table_and_offset_input(env):
    # 18:30 UTC is 19:30 in Stockholm.
    r = env.cli("sla", "due", "--tier", "bronze", "--from", "2026-11-20T18:30Z", "--count", "1")
    assert r.code == 0, r.stderr
    assert "2026-11-21T09:30:00+01:00" in r.stdout


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--tier", "platinum", "--from", "2026-11-20T19:30"], 3, "unknown SLA tier 'platinum'"),
        (["--tier", "gold", "--from", "friday"], 3, "--from: 'friday' is not an ISO 8601 time"),
        (
            ["--tier", "gold", "--from", "2026-11-20T19:30", "--count", "0"],
            3,
            "error: --count: '0' is not a whole number from 1 to 1000",
        ),
        (
            ["--tier", "gold", "--from", "2026-11-20T19:30", "--count", "1e20"],
            3,
            "error: --count: '1e20' is not a whole number from 1 to 1000",
        ),
        (
            ["--tier", "gold", "--from", "2026-11-20T19:30", "--count", "9223372036854775808"],
            3,
            "error: --count: '9223372036854775808' is not a whole number from 1 to 1000",
        ),
        (
            ["--tier", "gold", "--from", "2026-11-20T19:30", "--count", "1001"],
            3,
            "from 1 to 1000",
        ),
        (["--tier", "gold"], 2, "--from"),
    ],
)
def test_due_bad_input(env, args, code, message):
    before = env.snapshot()
    r = env.cli("sla", "due", *args)
    assert r.code == code
    assert message in r.stderr
    assert env.snapshot() == before


# ------------------------------------------------------------------ tiers


def test_tiers_show_targets_penalty_hours_and_cadence(env):
    r = env.cli("sla", "tiers", "-f", "json")
    assert r.code == 0, r.stderr
    tiers = {t["tier"]: t for t in r.json()}
    assert list(tiers) == ["bronze", "silver", "gold"]
    assert tiers["bronze"]["target"] == 97.0 and tiers["silver"]["target"] == 98.0
    assert tiers["gold"]["guaranteed"] is True and tiers["gold"]["penalty"] == 10000.0
    assert tiers["bronze"]["hours"]["sat"] == "08:00-16:00" and tiers["bronze"]["hours"]["sun"] == "closed"
    assert tiers["bronze"]["holidays"] == "closed" and tiers["silver"]["holidays"] == "open"
    assert tiers["silver"]["hours"]["sun"] == "07:00-22:00"
    assert tiers["gold"]["hours"]["wed"] == "00:00-24:00"
    assert tiers["bronze"]["report"] == "on order (fee 499)" and tiers["gold"]["report"] == "quarterly"
    table = env.cli("sla", "tiers")
    assert table.code == 0 and "10000 SEK" in table.stdout and "08:00-16:00" in table.stdout


# ------------------------------------------------------------------ eligibility


@pytest.fixture
def customers(ops):
    add_customers(ops)
    return ops


def test_exactly_three_months_is_eligible(customers):
    # 2026-11-20 + 3 months = 2027-02-20; agreement "Business" matches case-insensitively.
    assert sla.eligibility(customers, "3001", date(2026, 11, 20)) == {"eligible": True, "reasons": []}


def test_two_months_thirty_days_is_not(customers):
    result = sla.eligibility(customers, "3002", date(2026, 11, 20))
    assert result["eligible"] is False
    assert result["reasons"] == [
        "binding ends 2027-02-19: 2 months, 30 days left on 2026-11-20, at least 3 months needed"
    ]


def test_end_of_month(customers):
    # 30 November + 3 months is the last day of February.
    assert sla.eligibility(customers, "3003", date(2026, 11, 30))["eligible"] is True
    assert sla.eligibility(customers, "3003", date(2026, 11, 28))["eligible"] is True
    assert sla.eligibility(customers, "3003", date(2026, 12, 1))["eligible"] is False
    assert clock.add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert clock.add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)
    assert sla.months_between(date(2026, 11, 30), date(2027, 2, 28)) == (3, 0)


def test_wrong_agreement_and_missing_binding_name_each_rule(customers):
    result = sla.eligibility(customers, "1001", date(2026, 11, 20))
    assert result == {
        "eligible": False,
        "reasons": [
            "agreement type 'rakel' is not one of business, erhverv, mobildeal, forening",
            "no binding end date recorded (at least 3 months of binding needed)",
        ],
    }
    assert sla.eligibility(customers, "3005", date(2026, 11, 20))["reasons"] == [
        "no agreement type recorded; eligible types are business, erhverv, mobildeal, forening"
    ]
    assert sla.eligibility(customers, "3004", date(2026, 11, 20))["reasons"] == [
        "binding ended 2026-10-31 (at least 3 months of binding needed)"
    ]


def test_demo_customers(customers):
    assert sla.eligibility(customers, "2001", date(2026, 11, 20))["eligible"] is True
    assert sla.eligibility(customers, "2002", date(2027, 3, 30))["eligible"] is True
    assert sla.eligibility(customers, "2002", date(2027, 3, 31))["eligible"] is True
    assert sla.eligibility(customers, "2002", date(2027, 4, 1))["eligible"] is False


def test_unknown_customer_is_not_found(customers):
    with pytest.raises(NotFound, match="customer 9999 not found"):
        sla.eligibility(customers, "9999", date(2026, 11, 20))


def test_eligibility_rules_from_config(customers, env):
    from ops_cli.context import Ops

    env.config.write_text(
        '[sla]\neligible_agreements = ["rakel"]\nmin_binding_months = 1\n', encoding="utf-8"
    )
    custom = Ops.open(config_path=env.config, db_path=env.db)
    try:
        assert sla.eligibility(custom, "3002", date(2026, 11, 20))["reasons"] == [
            "agreement type 'erhverv' is not one of rakel"
        ]
        assert sla.eligibility(custom, "1001", date(2026, 11, 20))["reasons"] == [
            "no binding end date recorded (at least 1 month of binding needed)"
        ]
    finally:
        custom.close()


def test_check_cli_exit_codes_and_json(customers, env):
    ok = env.cli("sla", "check", "3001", "--at", "2026-11-20", "-f", "json")
    assert ok.code == 0, ok.stderr
    assert ok.json()["eligible"] is True and ok.json()["reasons"] == []
    no = env.cli("sla", "check", "3002", "--at", "2026-11-20", "-f", "json")
    assert no.code == 1
    assert no.json()["eligible"] is False
    assert "2 months, 30 days left" in no.json()["reasons"][0]
    # Without --at: the clock (OPS_NOW) decides the day.
    env.now = "2026-11-20T10:00"
    assert env.cli("sla", "check", "3001").code == 0
    env.now = "2026-11-21T10:00"
    assert env.cli("sla", "check", "3001").code == 1


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["9999"], 4, "customer 9999 not found"),
        (["3001", "--at", "20 nov"], 3, "--at: '20 nov' is not a date"),
        ([], 2, "CUSTOMER"),
    ],
)
def test_check_bad_input(customers, env, args, code, message):
    before = env.snapshot()
    r = env.cli("sla", "check", *args)
    assert r.code == code
    assert message in r.stderr
    assert env.snapshot() == before


def test_check_end_to_end(customers, env):
    r = env.run("sla", "check", "1001", "--at", "2026-11-20", "-f", "json")
    assert r.code == 1
    assert r.json()["reasons"][0].startswith("agreement type 'rakel'")


# ------------------------------------------------------------------ explain


def add_case(
    ops, number, opened, *, tier, critical=True, customer="2002", status="open", callbacks=(), feedback=None
):
    with ops.store.write() as st:
        cur = st.execute(
            "INSERT INTO cases (number, customer, reporter, channel, topic, department, critical, status,"
            " subject, sla_tier, feedback_hours, opened_at, last_activity_at)"
            " VALUES (?, ?, 'lisa.ek@bonan.example', 'sla', 'fault', 'operations', ?, ?, 'No calls',"
            " ?, ?, ?, ?)",
            (
                number,
                customer,
                int(critical),
                status,
                tier,
                feedback,
                clock.to_db(opened),
                clock.to_db(opened),
            ),
        )
        for made in callbacks:
            st.execute(
                "INSERT INTO case_callbacks (case_id, made_at, made_by) VALUES (?, ?, 'agent@desk.example')",
                (cur.lastrowid, clock.to_db(made)),
            )


def test_explain_midsummer_names_the_holidays(customers):
    add_case(customers, "2026-00001", iso(customers, 2026, 6, 18, 19, 0), tier="bronze")
    result = sla.explain(customers, "2026-00001")
    assert result["sla_timer"] is True
    assert result["next_callback_at"] == "2026-06-22T09:00:00+02:00"
    text = "\n".join(result["lines"])
    assert "Fri 2026-06-19: holiday (Midsummer Eve), skipped." in text
    assert "Sat 2026-06-20: holiday (Midsummer Day), skipped." in text
    assert "Sun 2026-06-21: closed, skipped." in text
    assert "Thu 2026-06-18: open 08:00-20:00, used 19:00-20:00 (1 h); 1 h left." in text
    skipped = result["explanation"]["skipped_days"]
    assert {"date": "2026-06-19", "reason": "Midsummer Eve", "holiday": True} in skipped


def test_explain_after_callbacks_counts_from_the_previous_due_time(customers):
    opened = iso(customers, 2026, 11, 20, 19, 30)
    # One callback made (late, Saturday 10:05): the next is 4 support hours after the 09:30 due time.
    add_case(customers, "2026-00002", opened, tier="bronze", callbacks=[iso(customers, 2026, 11, 21, 10, 5)])
    result = sla.explain(customers, "2026-00002")
    assert result["callbacks_made"] == 1
    assert result["next_callback_at"] == "2026-11-21T13:30:00+01:00"
    assert "callback 1 was due Sat 2026-11-21 09:30 CET" in result["basis"]


def test_explain_october_dst_change(customers):
    add_case(customers, "2026-00003", iso(customers, 2026, 10, 24, 15, 0), tier="bronze")
    result = sla.explain(customers, "2026-00003")
    assert result["next_callback_at"] == "2026-10-26T09:00:00+01:00"
    assert result["explanation"]["dst_changes"][0]["at"] == "2026-10-25T02:00:00+01:00"
    assert any(line.startswith("Clock change at Sun 2026-10-25 02:00 CET") for line in result["lines"])


def test_explain_cases_without_sla_timers(customers):
    add_case(customers, "2026-00004", iso(customers, 2026, 11, 20, 9, 0), tier=None, critical=False)
    add_case(customers, "2026-00005", iso(customers, 2026, 11, 20, 9, 0), tier="gold", status="closed")
    add_case(customers, "2026-00006", iso(customers, 2026, 11, 20, 9, 0), tier="gold", feedback=6)
    normal = sla.explain(customers, "2026-00004")
    assert normal["sla_timer"] is False
    assert "is not critical" in normal["reason"] and "every 24 hours" in normal["reason"]
    assert "closed" in sla.explain(customers, "2026-00005")["reason"]
    assert "interval of 6 hours" in sla.explain(customers, "2026-00006")["reason"]


def test_explain_cli(customers, env):
    add_case(customers, "2026-00001", iso(customers, 2026, 6, 18, 19, 0), tier="bronze")
    r = env.cli("sla", "explain", "2026-00001")
    assert r.code == 0, r.stderr
    assert "holiday (Midsummer Eve)" in r.stdout
    assert "Result: Mon 2026-06-22 09:00 CEST." in r.stdout
    j = env.cli("sla", "explain", "2026-00001", "-f", "json")
    assert j.json()["next_callback_at"] == "2026-06-22T09:00:00+02:00"
    before = env.snapshot()
    missing = env.cli("sla", "explain", "2026-99999")
    assert missing.code == 4
    assert "case 2026-99999 not found" in missing.stderr
    assert env.snapshot() == before


def test_check_at_takes_a_time_too(customers, env):
    # 23:30 UTC on 2026-11-20 is already 2026-11-21 in Stockholm: one day too late for 3001.
    assert env.cli("sla", "check", "3001", "--at", "2026-11-20T22:30Z").code == 0
    assert env.cli("sla", "check", "3001", "--at", "2026-11-20T23:30Z").code == 1

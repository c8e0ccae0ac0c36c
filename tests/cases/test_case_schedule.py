"""Issue 13.3-13.5 and 13.1's input: the feedback schedule with hand-computed times
(Europe/Stockholm; CEST -> CET on 2026-10-25; the real `holidays` calendar)."""

from __future__ import annotations

from datetime import datetime

from test_case_helpers import TZ, seed_customers, use_agents

from ops_cli import cases
from ops_cli.cases import schedule
from ops_cli.store import cases as sql


def t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def fault(ops, customer: str, reporter: str, at: str, **kw) -> dict:
    kw.setdefault("topic", "fault")
    return cases.open_case(ops, customer=customer, reporter=reporter, subject="Nere", at=t(at), **kw)


def row(ops, number: str):
    return sql.case_by_number(ops.store, number)


def iso(moments) -> list[str]:
    return [m.isoformat() for m in moments]


# ------------------------------------------------------------------ 13.3 SLA timers only on the SLA line


def test_critical_fault_off_the_sla_line_gets_24h_feedback(ops):
    seed_customers(ops)
    # Gold customer, critical fault reported by its telephony responsible, but by phone.
    phoned = fault(
        ops, "2001", "per.falk@nordbygg.example", "2026-11-16T10:00", critical=True, channel="phone"
    )
    assert phoned["sla_tier"] is None
    assert phoned["priority"] == "high"
    assert phoned["next_callback_at"] == "2026-11-17T10:00:00+01:00"  # 24 h
    sla_line = fault(
        ops, "2001", "per.falk@nordbygg.example", "2026-11-16T10:00", critical=True, channel="sla"
    )
    assert sla_line["sla_tier"] == "gold"
    assert sla_line["next_callback_at"] == "2026-11-16T12:00:00+01:00"  # 2 support hours (gold: all day)


# ------------------------------------------------------------------ 13.4 real elapsed time across DST


def test_24h_feedback_across_the_dst_change_is_real_time(ops):
    seed_customers(ops)
    made = fault(ops, "1001", "anna.berg@polisen.example", "2026-10-24T10:00")
    assert made["opened_at"] == "2026-10-24T10:00:00+02:00"
    # 24 real hours after 10:00 CEST is 09:00 CET (the night had 25 hours)
    assert made["next_callback_at"] == "2026-10-25T09:00:00+01:00"
    after = cases.record_callback(ops, made["number"], at=t("2026-10-24T22:00"))
    assert after["next_callback_at"] == "2026-10-25T21:00:00+01:00"


def test_agreed_interval_on_an_sla_case_counts_in_the_tiers_support_hours(ops):
    seed_customers(ops)
    use_agents(None, ops)
    # Bronze: Fri 08-20, Sat 08-16, Sun closed. Friday 2026-11-20 19:30 on the SLA line.
    made = fault(ops, "2002", "lisa.ek@bonan.example", "2026-11-20T19:30", critical=True, channel="sla")
    assert made["next_callback_at"] == "2026-11-21T09:30:00+01:00"  # 0.5 h Fri + 1.5 h Sat
    agreed = cases.set_callback(ops, made["number"], 6, by="tove@desk.example", at=t("2026-11-21T09:00"))
    # 6 support hours from the report: 0.5 h Friday, 5.5 h Saturday from 08:00
    assert agreed["next_callback_at"] == "2026-11-21T13:30:00+01:00"
    called = cases.record_callback(ops, made["number"], by="tove@desk.example", at=t("2026-11-21T13:00"))
    # 3 h to Saturday 16:00, Sunday closed, 3 h on Monday from 08:00
    assert called["next_callback_at"] == "2026-11-23T11:00:00+01:00"


def test_agreed_interval_elsewhere_is_real_hours_across_dst(ops):
    seed_customers(ops)
    made = fault(ops, "1001", "anna.berg@polisen.example", "2026-10-24T20:00")
    agreed = cases.set_callback(ops, made["number"], 12, at=t("2026-10-24T21:00"))
    assert agreed["next_callback_at"] == "2026-10-25T07:00:00+01:00"  # 12 real hours after 20:00 CEST


# ------------------------------------------------------------------ 13.5 reopening restarts the schedule


def test_reopening_restarts_the_24h_schedule_from_the_reopening(ops):
    seed_customers(ops)
    made = fault(ops, "1001", "anna.berg@polisen.example", "2026-11-16T10:00")
    cases.record_callback(ops, made["number"], at=t("2026-11-16T11:00"))
    cases.close(ops, made["number"], "fixed", at=t("2026-11-16T12:00"))
    again = cases.reopen(ops, made["number"], at=t("2026-11-20T08:00"))
    assert again["next_callback_at"] == "2026-11-21T08:00:00+01:00"  # not 2026-11-17 11:00 (past)


def test_reopening_restarts_the_sla_chain(ops):
    seed_customers(ops)
    made = fault(ops, "2001", "per.falk@nordbygg.example", "2026-11-16T10:00", critical=True, channel="sla")
    cases.record_callback(ops, made["number"], at=t("2026-11-16T11:50"))
    cases.close(ops, made["number"], "fixed", at=t("2026-11-16T13:00"))
    again = cases.reopen(ops, made["number"], at=t("2026-11-18T15:00"))
    assert again["next_callback_at"] == "2026-11-18T17:00:00+01:00"  # 2 support hours after reopening
    called = cases.record_callback(ops, made["number"], at=t("2026-11-18T16:30"))
    assert called["next_callback_at"] == "2026-11-18T21:00:00+01:00"  # 4 h after the 17:00 due time
    r = row(ops, made["number"])
    until = t("2026-11-18T23:00")
    assert iso(cases.due_times(ops, r, until)) == [
        "2026-11-16T12:00:00+01:00",  # answered 11:50
        "2026-11-18T17:00:00+01:00",  # answered 16:30
        "2026-11-18T21:00:00+01:00",  # missed
    ]
    assert cases.punctuality(ops, r, until) == {"due": 3, "on_time": 2, "first_on_time": True}


# ------------------------------------------------------------------ a late callback answers its due time


def test_late_sla_callback_answers_the_due_time_it_missed(ops):
    seed_customers(ops)
    made = fault(ops, "2002", "lisa.ek@bonan.example", "2026-11-20T19:30", critical=True, channel="sla")
    late = cases.record_callback(ops, made["number"], at=t("2026-11-21T09:40"))
    assert late["next_callback_at"] == "2026-11-21T13:30:00+01:00"
    shown = cases.show_case(ops, made["number"])
    assert shown["callbacks"][0]["due_at"] == "2026-11-21T09:30:00+01:00"
    r = row(ops, made["number"])
    record = cases.callback_record(ops, r, t("2026-11-21T15:00"))
    assert [(d.due_at.isoformat(), d.on_time) for d in record] == [
        ("2026-11-21T09:30:00+01:00", False),  # made 09:40: late
        ("2026-11-21T13:30:00+01:00", False),  # none made: missed
    ]


# ------------------------------------------------------------------ 13.1: due times for the quarterly report


def test_due_times_count_every_callback_that_fell_due_while_open(ops):
    seed_customers(ops)
    # Gold, SLA line, Monday 2026-08-03 10:00: due 12:00, 16:00, 20:00 (support hours all day).
    made = fault(ops, "2001", "per.falk@nordbygg.example", "2026-08-03T10:00", critical=True, channel="sla")
    n = made["number"]
    cases.record_callback(ops, n, at=t("2026-08-03T11:30"))  # answers 12:00 on time
    cases.record_callback(ops, n, at=t("2026-08-03T17:00"))  # answers 16:00 late
    cases.close(ops, n, "fixed", at=t("2026-08-03T21:00"))  # 20:00 passed unanswered
    r = row(ops, n)
    dues = cases.due_times(ops, r, t("2026-09-30T23:59"))
    assert iso(dues) == [
        "2026-08-03T12:00:00+02:00",
        "2026-08-03T16:00:00+02:00",
        "2026-08-03T20:00:00+02:00",
    ]
    assert cases.punctuality(ops, r, t("2026-09-30T23:59")) == {"due": 3, "on_time": 1, "first_on_time": True}
    # until cuts the list: due times before it
    assert iso(cases.due_times(ops, r, t("2026-08-03T16:00"))) == iso(dues[:1])
    assert iso(cases.due_times(ops, r, t("2026-08-03T16:01"))) == iso(dues[:2])


def test_a_callback_due_at_the_closing_is_not_owed(ops):
    seed_customers(ops)
    made = fault(ops, "2001", "per.falk@nordbygg.example", "2026-08-03T10:00", critical=True, channel="sla")
    cases.record_callback(ops, made["number"], at=t("2026-08-03T11:30"))
    cases.close(ops, made["number"], "fixed", at=t("2026-08-03T16:00"))  # due 16:00: the closing call
    r = row(ops, made["number"])
    assert cases.punctuality(ops, r, t("2026-09-30T23:59")) == {"due": 1, "on_time": 1, "first_on_time": True}


def test_sla_callbacks_answer_the_due_times_in_order(ops):
    seed_customers(ops)
    # Gold from 10:00: due 12:00, 16:00, 20:00, 00:00. Nothing until 17:00, then two calls.
    made = fault(ops, "2001", "per.falk@nordbygg.example", "2026-08-03T10:00", critical=True, channel="sla")
    n = made["number"]
    first = cases.record_callback(ops, n, at=t("2026-08-03T17:00"))  # answers 12:00, late
    assert first["next_callback_at"] == "2026-08-03T16:00:00+02:00"  # still owed
    second = cases.record_callback(ops, n, at=t("2026-08-03T17:30"))  # answers 16:00, late
    assert second["next_callback_at"] == "2026-08-03T20:00:00+02:00"
    record = cases.callback_record(ops, row(ops, n), t("2026-08-03T21:00"))
    assert [(d.due_at.strftime("%H:%M"), d.made_at and d.made_at.strftime("%H:%M")) for d in record] == [
        ("12:00", "17:00"),
        ("16:00", "17:30"),
        ("20:00", None),
    ]
    assert cases.punctuality(ops, row(ops, n), t("2026-08-03T21:00"))["on_time"] == 0


def test_due_times_with_no_callback_at_all_are_all_misses(ops):
    seed_customers(ops)
    made = fault(ops, "1001", "anna.berg@polisen.example", "2026-10-24T10:00")
    r = row(ops, made["number"])
    until = t("2026-10-26T12:00")
    assert iso(cases.due_times(ops, r, until)) == ["2026-10-25T09:00:00+01:00", "2026-10-26T09:00:00+01:00"]
    assert cases.punctuality(ops, r, until) == {"due": 2, "on_time": 0, "first_on_time": False}


def test_due_times_skip_the_closed_period_and_restart_at_the_reopening(ops):
    seed_customers(ops)
    made = fault(ops, "1001", "anna.berg@polisen.example", "2026-11-16T10:00")
    cases.close(ops, made["number"], "fixed", at=t("2026-11-16T12:00"))
    cases.reopen(ops, made["number"], at=t("2026-11-20T08:00"))
    r = row(ops, made["number"])
    assert iso(cases.due_times(ops, r, t("2026-11-21T08:01"))) == ["2026-11-21T08:00:00+01:00"]
    assert cases.due_times(ops, r, t("2026-11-21T08:00")) == []


def test_no_schedule_no_due_times(ops):
    seed_customers(ops)
    made = fault(ops, "1001", "anna.berg@polisen.example", "2026-11-16T10:00", topic="invoice")
    assert made["next_callback_at"] is None
    assert cases.due_times(ops, row(ops, made["number"]), t("2026-12-31T00:00")) == []


def test_live_next_callback_agrees_with_the_replayed_history(ops):
    seed_customers(ops)
    made = fault(ops, "2001", "per.falk@nordbygg.example", "2026-11-16T10:00", critical=True, channel="sla")
    n = made["number"]
    for at in ("2026-11-16T11:00", "2026-11-16T11:30", "2026-11-16T19:00"):
        live = cases.record_callback(ops, n, at=t(at))["next_callback_at"]
        assert schedule.replay(ops, row(ops, n)).pending.isoformat() == live
    # 11:00 answers 12:00, 11:30 answers 16:00, 19:00 answers 20:00: next 00:00
    assert live == "2026-11-17T00:00:00+01:00"


def test_24h_feedback_missed_then_made_late(ops):
    seed_customers(ops)
    made = fault(ops, "1001", "anna.berg@polisen.example", "2026-11-16T10:00")  # due Tue 10:00
    late = cases.record_callback(ops, made["number"], at=t("2026-11-18T12:00"))
    assert late["next_callback_at"] == "2026-11-19T12:00:00+01:00"  # 24 h after the callback
    record = cases.callback_record(ops, row(ops, made["number"]), t("2026-11-19T12:01"))
    assert [(d.due_at.isoformat(), d.made_at and d.made_at.isoformat()) for d in record] == [
        ("2026-11-17T10:00:00+01:00", None),  # its successor (Wed 10:00) passed: missed
        ("2026-11-18T10:00:00+01:00", "2026-11-18T12:00:00+01:00"),  # late
        ("2026-11-19T12:00:00+01:00", None),
    ]
    shown = cases.show_case(ops, made["number"])
    assert shown["callbacks"][0]["due_at"] == "2026-11-18T10:00:00+01:00"

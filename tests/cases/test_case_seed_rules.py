"""Issue 13 items 2, 6, 8, 9, 10, 12, 19 through the CLI: every refusal checks the exit
code, the `error:` line and that the store did not change."""

from __future__ import annotations

import json
from datetime import datetime

from helpers import refused
from test_case_helpers import (
    TZ,
    add_person,
    desk,  # noqa: F401 (shared pytest fixtures)
    seed_customers,
)

from ops_cli import cases


def opened(env, *args: str) -> dict:
    run = env.cli("case", "open", "--subject", "Nere", *args, "-f", "json")
    assert run.code == 0, run.stderr
    return run.json()


SLA_FAULT = ("case", "open", "--subject", "Växeln nere", "--topic", "fault", "--channel", "sla", "--critical")


# ------------------------------------------------------------------ 13.2 SLA line for customers without SLA


def test_sla_line_refused_for_a_customer_without_a_tier(desk):
    refused(
        desk,
        5,
        "customer 1001 has no SLA tier; the SLA line is only for customers with an SLA",
        *SLA_FAULT,
        "--customer",
        "1001",
        "--reporter",
        "anna.berg@polisen.example",
    )


def test_sla_line_refused_for_a_customer_no_longer_eligible(desk, ops):
    with ops.store.write() as st:  # 1 month 15 days of binding left on 2026-11-16
        st.execute("UPDATE customers SET binding_until = '2026-12-31' WHERE number = '2002'")
    refused(
        desk,
        5,
        "customer 2002 is not eligible for an SLA, so the SLA line is closed to it: binding ends 2026-12-31",
        *SLA_FAULT,
        "--customer",
        "2002",
        "--reporter",
        "lisa.ek@bonan.example",
    )


# ------------------------------------------------------------------ 13.12 out of hours: only critical faults


def test_sla_line_out_of_hours_refuses_a_critical_invoice_question(desk):
    desk.now = "2026-11-22T10:00"  # Sunday: customer service closed
    base = ("case", "open", "--subject", "Fakturan", "--customer", "2001", "--channel", "sla")
    base += ("--reporter", "per.falk@nordbygg.example")
    refused(
        desk,
        6,
        "topic 'invoice' is not a fault topic (fault, disruption, coverage)",
        *base,
        "--topic",
        "invoice",
        "--critical",
    )
    refused(desk, 6, "use --critical for a critical fault", *base, "--topic", "fault")
    ok = opened(
        desk,
        "--customer",
        "2001",
        "--channel",
        "sla",
        "--reporter",
        "per.falk@nordbygg.example",
        "--topic",
        "fault",
        "--critical",
    )
    assert (ok["sla_tier"], ok["next_callback_at"]) == ("gold", "2026-11-22T12:00:00+01:00")


def test_critical_invoice_in_hours_is_high_priority_without_timers(desk):
    made = opened(
        desk,
        "--customer",
        "2001",
        "--channel",
        "sla",
        "--reporter",
        "per.falk@nordbygg.example",
        "--topic",
        "invoice",
        "--critical",
    )
    assert (made["priority"], made["sla_tier"], made["next_callback_at"]) == ("high", None, None)


# ------------------------------------------------------------------ 13.6 feedback to an orderer or contact


def test_callbacks_go_to_orderer_or_contact_never_the_reporter(desk, ops):
    # Reporter on 1002's domain but not on its roster; the contact has no phone.
    made = opened(desk, "--topic", "fault", "--reporter", "vakt@rtj.example")
    assert made["customer"] == "1002"
    due = desk.cli("case", "callbacks", "--at", "2026-11-17T10:00", "-f", "json").json()
    assert [(d["number"], d["call"], d["call_note"]) for d in due] == [
        (made["number"], ["Karin Lind +46703000001"], None)
    ]
    with ops.store.write() as st:
        st.execute("UPDATE roster_entries SET phone = NULL WHERE email = 'karin.lind@rtj.example'")
    due = desk.cli("case", "callbacks", "--at", "2026-11-17T10:00", "-f", "json").json()
    assert (due[0]["call"], due[0]["call_note"]) == ([], "no phone on file for orderer/contact")
    table = desk.cli("case", "callbacks", "--at", "2026-11-17T10:00")
    assert "no phone on file for orderer/contact" in table.stdout
    assert "vakt@rtj.example" not in table.stdout


def test_sla_line_callbacks_go_to_telephony(desk, ops):
    made = opened(desk, *SLA_FAULT[4:], "--customer", "2001", "--reporter", "per.falk@nordbygg.example")
    due = desk.cli("case", "callbacks", "--at", "2026-11-16T12:00", "-f", "json").json()
    assert due[0]["number"] == made["number"]
    assert due[0]["call"] == ["Per Falk +46701234567"]
    with ops.store.write() as st:
        st.execute("UPDATE roster_entries SET phone = '' WHERE email = 'per.falk@nordbygg.example'")
    due = desk.cli("case", "callbacks", "--at", "2026-11-16T12:00", "-f", "json").json()
    assert (due[0]["call"], due[0]["call_note"]) == ([], "no phone on file for telephony")


# ------------------------------------------------------------------ 13.8 roster people whatever their domain


def test_partner_gmail_on_the_roster_reports_as_that_customer(desk, ops):
    add_person(ops, "1001", "partner.larm@gmail.com", "Partner Larm", "+46709999999", "viewer")
    made = opened(desk, "--topic", "fault", "--reporter", "Partner.Larm@gmail.com")
    assert (made["customer"], made["customer_name"]) == ("1001", "Polisregion Syd")
    assert made["organisation"] is None


def test_reporter_on_two_rosters_must_name_the_customer(desk, ops):
    add_person(ops, "1001", "konsult@gmail.com", "Konsult", None, "viewer")
    add_person(ops, "1002", "konsult@gmail.com", "Konsult", None, "viewer")
    refused(
        desk,
        3,
        "konsult@gmail.com is on more than one customer's roster; give --customer",
        "case",
        "open",
        "--subject",
        "x",
        "--topic",
        "fault",
        "--reporter",
        "konsult@gmail.com",
    )
    assert (
        opened(desk, "--topic", "fault", "--reporter", "konsult@gmail.com", "--customer", "1002")["customer"]
        == "1002"
    )


# ------------------------------------------------------------------ 13.9 a customer message reopens


def test_customer_message_on_a_closed_case_reopens_it(desk):
    made = opened(desk, "--topic", "fault", "--reporter", "anna.berg@polisen.example")
    n = made["number"]
    desk.now = "2026-11-16T12:00"
    assert desk.cli("case", "close", n, "--resolution", "Fixat", "--by", "tove@desk.example").code == 0
    refused(desk, 6, f"case {n} is closed; reopen it first", "case", "reply", n, "-m", "hej")
    desk.now = "2026-11-17T09:00"
    wrote = desk.cli("case", "message", n, "-m", "Det är trasigt igen", "-f", "json")
    assert wrote.code == 0, wrote.stderr
    case = wrote.json()
    assert (case["status"], case["resolution"], case["closed_at"]) == ("open", None, None)
    assert case["next_callback_at"] == "2026-11-18T09:00:00+01:00"  # schedule restarts at the message
    shown = desk.cli("case", "show", n, "-f", "json").json()
    events = [(e["event"], e["actor"]) for e in shown["history"]]
    assert events[-2:] == [
        ("reopened", "anna.berg@polisen.example"),
        ("customer-message", "anna.berg@polisen.example"),
    ]
    assert shown["history"][-2]["detail"] == {"by": "customer message", "previous_resolution": "Fixat"}
    assert shown["thread"][-1]["text"] == "Det är trasigt igen"


# ------------------------------------------------------------------ 13.10 grants only on open fault cases


def test_grant_only_on_a_fault_case_that_is_not_closed(desk):
    question = opened(desk, "--topic", "question", "--reporter", "anna.berg@polisen.example")
    refused(
        desk,
        6,
        "third-party access is granted only on fault cases (fault, disruption, coverage)",
        "case",
        "grant",
        question["number"],
        "--name",
        "Elfirma AB",
        "--by",
        "anna.berg@polisen.example",
    )
    faulty = opened(desk, "--topic", "disruption", "--reporter", "anna.berg@polisen.example")
    ok = desk.cli(
        "case", "grant", faulty["number"], "--name", "Elfirma AB", "--by", "anna.berg@polisen.example"
    )
    assert ok.code == 0, ok.stderr
    assert desk.cli("case", "close", faulty["number"], "--resolution", "klart").code == 0
    refused(
        desk,
        6,
        f"case {faulty['number']} is closed; third-party access is granted only on an open case",
        "case",
        "grant",
        faulty["number"],
        "--name",
        "Annan AB",
        "--by",
        "anna.berg@polisen.example",
    )


# ------------------------------------------------------------------ 13.19 new-customer cases


def test_new_customer_case_needs_organisation_name_and_phone(desk):
    base = (
        "case",
        "open",
        "--subject",
        "Larmet tyst",
        "--topic",
        "fault",
        "--reporter",
        "drift@larmbolaget.example",
        "--area",
        "intrusion-alarm",
        "--facility",
        "Lager 7",
        "--occurred-at",
        "2026-11-15T22:40",
    )
    stderr = refused(
        desk,
        3,
        "a case without a known customer needs --organisation, --reporter-name, --reporter-phone",
        *base,
    ).stderr
    assert "--area" not in stderr.splitlines()[0]
    refused(
        desk,
        3,
        "needs --reporter-phone",
        *base,
        "--organisation",
        "Larmbolaget Syd AB",
        "--reporter-name",
        "Sara",
    )
    refused(
        desk,
        3,
        "--reporter-phone: 'ring mig' is not a phone number",
        *base,
        "--organisation",
        "L AB",
        "--reporter-name",
        "Sara",
        "--reporter-phone",
        "ring mig",
    )
    made = desk.cli(
        *base,
        "--organisation",
        "Larmbolaget Syd AB",
        "--reporter-name",
        "Sara Nyström",
        "--reporter-phone",
        "+46 40-612 34 50",
        "-f",
        "json",
    )
    assert made.code == 0, made.stderr
    case = made.json()
    assert (case["customer"], case["organisation"], case["reporter_name"], case["reporter_phone"]) == (
        None,
        "Larmbolaget Syd AB",
        "Sara Nyström",
        "+46406123450",
    )
    # feedback goes to the reporter's recorded phone
    due = desk.cli("case", "callbacks", "--at", "2026-11-17T10:00", "-f", "json").json()
    assert due[0]["call"] == ["Sara Nyström +46406123450"]
    audit = json.dumps(desk.snapshot()["audit"], ensure_ascii=False)
    assert "Larmbolaget Syd AB" in audit


def test_customer_matching_reads_inside_the_write_transaction(ops):
    """open_case joins an outer transaction and matches on what that transaction wrote."""
    seed_customers(ops)
    with ops.store.write() as st:
        st.execute(
            "INSERT INTO roster_entries (customer, email, name, phone, kind, roles, created_at, updated_at)"
            " VALUES ('1002', 'vikarie@outlook.com', 'Vikarie', NULL, 'person', 'viewer', 'x', 'x')"
        )
        made = cases.open_case(
            ops,
            topic="fault",
            reporter="vikarie@outlook.com",
            subject="Nere",
            at=datetime(2026, 11, 16, 10, 0, tzinfo=TZ),
        )
    assert made["customer"] == "1002"

"""`open_case`: numbers, routing, customer matching, required fields, feedback schedule."""

from __future__ import annotations

from datetime import datetime

import pytest
from test_case_helpers import TZ, seed_customers

from ops_cli import cases
from ops_cli.errors import Conflict, InvalidInput, NotFound, NotPermitted


def t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def test_open_case_numbers_thread_event_audit(ops):
    seed_customers(ops)
    first = cases.open_case(
        ops,
        topic="question",
        reporter="anna.berg@polisen.example",
        subject="Hur?",
        message="Hur gör man?",
        at=t("2026-11-16T10:00"),
    )
    second = cases.open_case(
        ops,
        topic="question",
        customer="1001",
        reporter="anna.berg@polisen.example",
        subject="Igen",
        at=t("2026-11-16T11:00"),
    )
    assert first["number"] == "2026-00001"
    assert second["number"] == "2026-00002"
    assert first["customer"] == "1001"  # matched by the reporter's domain
    assert first["status"] == "open"
    assert first["opened_at"] == "2026-11-16T10:00:00+01:00"
    store = ops.store
    case_id = store.one("SELECT id FROM cases WHERE number = ?", (first["number"],))["id"]
    assert [
        tuple(r)
        for r in store.query("SELECT kind, author, body FROM case_entries WHERE case_id = ?", (case_id,))
    ] == [("message", "anna.berg@polisen.example", "Hur gör man?")]
    assert store.one("SELECT event FROM case_events WHERE case_id = ?", (case_id,))["event"] == "opened"
    assert store.one("SELECT COUNT(*) FROM audit WHERE action = 'case.open'")[0] == 2


def test_numbers_restart_per_year_and_are_never_reused(ops):
    seed_customers(ops)
    a = cases.open_case(
        ops,
        topic="question",
        customer="1001",
        reporter="x@polisen.example",
        subject="a",
        at=t("2026-12-31T23:30"),
    )
    b = cases.open_case(
        ops,
        topic="question",
        customer="1001",
        reporter="x@polisen.example",
        subject="b",
        at=t("2027-01-01T00:30"),
    )
    assert (a["number"], b["number"]) == ("2026-00001", "2027-00001")
    # a failed opening inside an outer transaction rolls back and does not burn a number for good
    with pytest.raises(RuntimeError), ops.store.write():
        cases.open_case(
            ops,
            topic="question",
            customer="1001",
            reporter="x@polisen.example",
            subject="c",
            at=t("2026-12-31T23:40"),
        )
        raise RuntimeError("outer work failed")
    c = cases.open_case(
        ops,
        topic="question",
        customer="1001",
        reporter="x@polisen.example",
        subject="d",
        at=t("2026-12-31T23:50"),
    )
    assert c["number"] == "2026-00002"
    assert ops.store.one("SELECT COUNT(*) FROM cases")[0] == 3


def test_open_case_joins_an_outer_transaction(ops):
    seed_customers(ops)
    with ops.store.write() as st:
        made = cases.open_case(
            ops,
            topic="order",
            customer="2001",
            reporter="maria.sund@nordbygg.example",
            subject="Order 5 ISSI changes",
            actor="maria.sund@nordbygg.example",
            at=t("2026-11-16T10:00"),
        )
        st.audit("maria.sund@nordbygg.example", "sub.change", f"case:{made['number']}", None, {"n": 5})
    assert ops.store.one("SELECT status FROM cases WHERE number = ?", (made["number"],))["status"] == "open"


def test_routing_account_department_else_area_else_topic(ops):
    seed_customers(ops)
    with ops.store.write() as st:
        st.execute("UPDATE customers SET department = 'local-south' WHERE number = '1002'")
    own = cases.open_case(
        ops,
        topic="fault",
        customer="1002",
        reporter="karin.lind@rtj.example",
        subject="x",
        at=t("2026-11-16T10:00"),
    )
    assert own["department"] == "local-south"
    by_topic = cases.open_case(
        ops,
        topic="invoice",
        customer="1001",
        reporter="anna.berg@polisen.example",
        subject="x",
        at=t("2026-11-16T10:00"),
    )
    assert by_topic["department"] == "support"
    by_area = cases.open_case(
        ops,
        topic="fault",
        customer="1001",
        reporter="anna.berg@polisen.example",
        subject="x",
        area="social-alarm",
        at=t("2026-11-16T10:00"),
    )
    assert by_area["department"] == "social-alarm"
    kam = cases.open_case(
        ops,
        topic="fault",
        customer="2001",
        reporter="maria.sund@nordbygg.example",
        subject="x",
        at=t("2026-11-16T10:00"),
    )
    assert kam["department"] == "kam"
    new = cases.open_case(
        ops,
        topic="fault",
        reporter="someone@unknown.example",
        organisation="Skolbolaget",
        reporter_name="Some One",
        reporter_phone="+46 8 123 456",
        subject="Larm tyst",
        area="fire-alarm",
        facility="Skola 4",
        occurred_at=t("2026-11-16T09:00"),
        at=t("2026-11-16T10:00"),
    )
    assert (new["customer"], new["department"], new["facility"]) == (None, "fire-alarm", "Skola 4")


def test_new_customer_needs_area_facility_occurred_at(ops):
    seed_customers(ops)
    with pytest.raises(InvalidInput) as err:
        cases.open_case(
            ops,
            topic="fault",
            reporter="someone@unknown.example",
            subject="x",
            facility="F",
            at=t("2026-11-16T10:00"),
        )
    assert "--area, --occurred-at" in err.value.message
    assert ops.store.one("SELECT COUNT(*) FROM cases")[0] == 0


@pytest.mark.parametrize(
    ("kwargs", "error", "text"),
    [
        ({"topic": "nonsense"}, InvalidInput, "unknown topic 'nonsense'"),
        ({"classification": "top"}, InvalidInput, "unknown classification 'top'"),
        ({"subject": "   "}, InvalidInput, "subject is empty"),
        ({"channel": "fax"}, InvalidInput, "unknown channel 'fax'"),
        ({"area": "moon"}, InvalidInput, "unknown business area 'moon'"),
        ({"customer": "9999"}, NotFound, "customer 9999 not found"),
        ({"reporter": "not-an-email"}, InvalidInput, "'not-an-email' is not a valid email address"),
    ],
)
def test_bad_input_writes_nothing(ops, kwargs, error, text):
    seed_customers(ops)
    args = {
        "topic": "fault",
        "customer": "1001",
        "reporter": "anna.berg@polisen.example",
        "subject": "x",
        "at": t("2026-11-16T10:00"),
        **kwargs,
    }
    with pytest.raises(error) as err:
        cases.open_case(ops, **args)
    assert text in err.value.message
    assert ops.store.one("SELECT COUNT(*) FROM cases")[0] == 0
    assert ops.store.one("SELECT COUNT(*) FROM case_sequences")[0] == 0


def test_fault_feedback_every_24_hours_monday_to_tuesday(ops):
    seed_customers(ops)
    made = cases.open_case(
        ops,
        topic="fault",
        customer="1001",
        reporter="anna.berg@polisen.example",
        subject="No service",
        at=t("2026-11-16T10:00"),
    )  # a Monday
    assert made["next_callback_at"] == "2026-11-17T10:00:00+01:00"
    question = cases.open_case(
        ops,
        topic="question",
        customer="1001",
        reporter="anna.berg@polisen.example",
        subject="?",
        at=t("2026-11-16T10:00"),
    )
    assert question["next_callback_at"] is None


def test_critical_bronze_fault_friday_1930_due_saturday_0930(ops):
    seed_customers(ops)
    made = cases.open_case(
        ops,
        topic="fault",
        customer="2002",
        reporter="lisa.ek@bonan.example",
        channel="sla",
        subject="Växeln nere",
        critical=True,
        at=t("2026-11-20T19:30"),
    )
    assert made["sla_tier"] == "bronze"
    assert made["next_callback_at"] == "2026-11-21T09:30:00+01:00"
    gold = cases.open_case(
        ops,
        topic="fault",
        customer="2001",
        reporter="per.falk@nordbygg.example",
        channel="sla",
        subject="Nere",
        critical=True,
        at=t("2026-11-20T19:30"),
    )
    assert gold["next_callback_at"] == "2026-11-20T21:30:00+01:00"


def test_terminal_fault_gives_advice(ops):
    seed_customers(ops)
    made = cases.open_case(
        ops,
        topic="terminal-fault",
        customer="1001",
        reporter="anna.berg@polisen.example",
        subject="Display broken",
        at=t("2026-11-16T10:00"),
    )
    assert "equipment supplier" in made["advice"]


def test_sla_line_only_telephony_and_only_critical_outside_hours(ops):
    seed_customers(ops)
    with pytest.raises(NotPermitted) as err:
        cases.open_case(
            ops,
            topic="fault",
            customer="2001",
            reporter="maria.sund@nordbygg.example",
            subject="x",
            channel="sla",
            at=t("2026-11-16T10:00"),
        )
    assert "telephony" in err.value.message
    ok = cases.open_case(
        ops,
        topic="fault",
        customer="2001",
        reporter="per.falk@nordbygg.example",
        subject="x",
        channel="sla",
        at=t("2026-11-16T10:00"),
    )
    assert ok["channel"] == "sla"
    with pytest.raises(Conflict) as err:  # Sunday: customer service closed
        cases.open_case(
            ops,
            topic="fault",
            customer="2001",
            reporter="per.falk@nordbygg.example",
            subject="x",
            channel="sla",
            at=t("2026-11-22T10:00"),
        )
    assert "only critical faults" in err.value.message
    crit = cases.open_case(
        ops,
        topic="fault",
        customer="2001",
        reporter="per.falk@nordbygg.example",
        subject="x",
        channel="sla",
        critical=True,
        at=t("2026-11-22T10:00"),
    )
    assert crit["critical"] is True
    assert ops.store.one("SELECT COUNT(*) FROM cases")[0] == 2

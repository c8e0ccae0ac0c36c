"""Bronze reports are made on order (issue 13 item 18): who may order, the fee, the report date."""

from __future__ import annotations

import pytest
from helpers import db as store_db
from test_report_quarterly import english

from ops_cli import roster
from ops_cli.reports.quarter import Quarter, parse_quarter, report_date

LISA = "lisa.ek@bonan.example"  # orderer and telephony of 2002
MAJA = "maja.orderer@bonan.example"  # orderer only
SVEN = "sven.tel@bonan.example"  # telephony only
KIM = "kim.viewer@bonan.example"  # viewer only
PER = "per.falk@nordbygg.example"  # telephony of another customer (2001)
BRONZE = ("report", "quarterly", "-c", "2002", "--quarter", "2026Q3")


@pytest.fixture
def world(env, ops):
    for number, name, tier in (("2001", "Nordbygg AB", "gold"), ("2002", "Café Bönan", "bronze")):
        roster.add_customer(
            ops, number, name=name, sla_tier=tier, agreement="business", binding_until="2028-12-31"
        )
    roster.add_entry(ops, "2002", LISA, "Lisa Ek", ["orderer", "telephony", "contact"])
    roster.add_entry(ops, "2002", MAJA, "Maja Ek", ["orderer"])
    roster.add_entry(ops, "2002", SVEN, "Sven Ek", ["telephony"])
    roster.add_entry(ops, "2002", KIM, "Kim Ek", ["viewer"])
    roster.add_entry(ops, "2001", PER, "Per Falk", ["telephony", "orderer", "contact"])
    env.now = "2026-10-12T10:00"
    english(env)
    return ops


def orders(env) -> list[tuple]:
    conn = store_db.connect(env.db)
    try:
        return conn.execute(
            "SELECT customer, quarter, ordered_by, send_to, report_date, fee, currency FROM report_orders"
        ).fetchall()
    finally:
        conn.close()


def audit_actions(env) -> list[tuple]:
    conn = store_db.connect(env.db)
    try:
        return conn.execute("SELECT actor, action FROM audit WHERE action LIKE 'report.%'").fetchall()
    finally:
        conn.close()


# ------------------------------------------------------------------ ordering


@pytest.mark.parametrize("who", [LISA, MAJA, SVEN])
def test_telephony_or_orderer_orders_and_the_fee_is_recorded(env, world, who):
    run = env.cli(*BRONZE, "--ordered-by", who, "-f", "json")
    assert run.code == 0, run.stderr
    data = run.json()
    assert data["delivery"] == "order"
    assert data["order"]["ordered_by"] == who and data["order"]["new"] is True
    assert (data["order"]["fee"], data["order"]["currency"]) == (499.0, "SEK")
    assert data["report_date"] == "2026-10-12"  # ordered inside the window: dated today
    assert orders(env) == [("2002", "2026Q3", who, who, "2026-10-12", 499.0, "SEK")]
    assert audit_actions(env) == [(who, "report.order")]


def test_ordering_again_bills_nothing_more(env, world):
    assert env.cli(*BRONZE, "--ordered-by", LISA, "--send-to", "boss@bonan.example").code == 0
    before = env.snapshot()
    again = env.cli(*BRONZE, "--ordered-by", MAJA, "-f", "json", OPS_NOW="2026-11-02T10:00")
    assert again.code == 0, again.stderr
    assert again.json()["order"]["new"] is False
    assert again.json()["order"]["send_to"] == "boss@bonan.example"
    assert again.json()["report_date"] == "2026-10-12"
    reprint = env.cli(*BRONZE, "-f", "json")  # an ordered report prints again without --ordered-by
    assert reprint.code == 0 and reprint.json()["order"]["ordered_by"] == LISA
    assert env.snapshot() == before
    assert len(orders(env)) == 1


@pytest.mark.parametrize(
    ("now", "dated"),
    [
        ("2026-08-15T10:00", "2026-10-05"),  # ordered during the quarter: the window's first day
        ("2026-10-01T10:00", "2026-10-05"),  # before the 5th
        ("2026-10-05T10:00", "2026-10-05"),
        ("2026-10-20T23:00", "2026-10-20"),  # the last day of the window
        ("2026-10-21T08:00", "2026-11-05"),  # after the 20th: the next month's window
        ("2026-12-31T08:00", "2027-01-05"),  # across the year
        ("2027-02-10T08:00", "2027-02-10"),  # a late order inside a later month's window
    ],
)
def test_the_report_is_dated_in_the_5th_to_20th_window(env, world, now, dated):
    run = env.cli(*BRONZE, "--ordered-by", LISA, "-f", "json", OPS_NOW=now)
    assert run.code == 0, run.stderr
    assert run.json()["report_date"] == dated
    assert run.json()["send_window"] == ["2026-10-05", "2026-10-20"]


def test_report_date_rule_by_hand():
    from datetime import date

    q3 = Quarter(2026, 3)
    assert report_date(q3, date(2026, 9, 30), 5, 20) == date(2026, 10, 5)
    assert report_date(q3, date(2026, 10, 19), 5, 20) == date(2026, 10, 19)
    assert report_date(q3, date(2026, 11, 3), 5, 20) == date(2026, 11, 5)
    assert report_date(Quarter(2026, 4), date(2027, 1, 2), 5, 20) == date(2027, 1, 5)


def test_the_text_report_names_the_order(env, world):
    run = env.cli(*BRONZE, "--ordered-by", LISA, "-f", "md")
    assert run.code == 0, run.stderr
    assert f"Ordered by {LISA} on 2026-10-12; sent to {LISA}; dated 2026-10-12; fee 499 SEK." in run.stdout


# ------------------------------------------------------------------ refusals: nothing written


@pytest.mark.parametrize(
    ("extra", "code", "message"),
    [
        (
            (),
            3,
            "error: customer 2002 has tier bronze, whose SLA report is made on order: give --ordered-by",
        ),
        (("--ordered-by", KIM), 5, f"error: {KIM} may not order the SLA report of customer 2002: only the"),
        (("--ordered-by", PER), 5, f"error: {PER} may not order the SLA report of customer 2002"),
        (("--ordered-by", "nobody@elsewhere.example"), 5, "may not order the SLA report of customer 2002"),
        (
            ("--ordered-by", "not-an-email"),
            3,
            "error: --ordered-by: 'not-an-email' is not a valid email address",
        ),
        (("--ordered-by", LISA, "--send-to", "x@"), 3, "error: --send-to: 'x@' is not a valid email address"),
    ],
)
def test_a_refused_order_writes_nothing(env, world, extra, code, message):
    before = env.snapshot()
    run = env.cli(*BRONZE, *extra)
    assert run.code == code, run.stderr
    assert message in run.stderr
    assert "2001" not in run.stderr and "Nordbygg" not in run.stderr  # never another customer's data
    assert env.snapshot() == before


def test_a_quarter_that_has_not_begun_cannot_be_ordered(env, world):
    before = env.snapshot()
    run = env.cli("report", "quarterly", "-c", "2002", "--quarter", "2027Q1", "--ordered-by", LISA)
    assert run.code == 3
    assert "error: --quarter: 2027Q1 has not begun; its report cannot be ordered yet" in run.stderr
    assert env.snapshot() == before


def test_ordered_by_is_refused_for_a_scheduled_tier(env, world):
    before = env.snapshot()
    run = env.cli("report", "quarterly", "-c", "2001", "--quarter", "2026Q3", "--ordered-by", PER)
    assert run.code == 3
    assert "error: --ordered-by/--send-to: the SLA report of tier gold is sent on schedule" in run.stderr
    assert env.snapshot() == before


def test_an_order_whose_file_is_refused_is_not_recorded(env, world):
    out = env.tmp / "bonan.md"
    out.write_text("keep me\n", encoding="utf-8")
    before = env.snapshot()
    run = env.cli(*BRONZE, "--ordered-by", LISA, "-o", str(out))
    assert run.code == 6
    assert f"error: {out} already exists; use --force to replace it" in run.stderr
    assert env.snapshot() == before and out.read_text(encoding="utf-8") == "keep me\n"
    written = env.cli(*BRONZE, "--ordered-by", LISA, "-o", str(out), "--force")
    assert written.code == 0, written.stderr
    assert "Ordered by lisa.ek@bonan.example" in out.read_text(encoding="utf-8")
    assert len(orders(env)) == 1


def test_quarter_words_and_range():
    from datetime import date

    today = date(2026, 12, 1)
    assert parse_quarter("current", today) == Quarter(2026, 4)
    assert parse_quarter("last", today) == Quarter(2026, 3)
    assert parse_quarter("LAST", date(2026, 2, 1)) == Quarter(2025, 4)
    assert parse_quarter("2026-q3") == Quarter(2026, 3)
    assert parse_quarter("2000Q1").first_day == date(2000, 1, 1)
    assert parse_quarter("9998Q4").last_day == date(9998, 12, 31)


def test_the_demo_step_records_one_bronze_order(env, ops):
    from ops_cli.reports.demo import load_demo

    roster.load_demo(ops)
    assert load_demo(ops) == {"report_orders": 1, "skipped": False}
    before = env.snapshot()
    assert load_demo(ops) == {"report_orders": 0, "skipped": True}
    assert env.snapshot() == before
    assert orders(env) == [("2002", "2026Q3", LISA, LISA, "2026-10-06", 499.0, "SEK")]
    run = env.cli("report", "due", "--quarter", "2026Q3", "-f", "json", OPS_NOW="2026-10-07T09:00")
    assert [o["customer"] for o in run.json()["fulfil"]] == ["2002"]

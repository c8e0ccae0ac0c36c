"""`ops report quality` and `ops report delivery`: counts, on-time rules, formats, bad input."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from test_report_quarterly import add_customers

from ops_cli import cases as case_core
from ops_cli import clock
from ops_cli.reports.delivery import delivery
from ops_cli.reports.quality import quality

TZ = ZoneInfo("Europe/Stockholm")


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def _db(text: str) -> str:
    return clock.to_db(_at(text))


def _case(ops, at: str, topic: str = "fault", channel: str = "phone", customer: str = "2001") -> str:
    return case_core.open_case(
        ops,
        customer=customer,
        reporter="per.falk@nordbygg.example",
        channel=channel,
        topic=topic,
        subject="Radio dead",
        at=_at(at),
    )["number"]


def _shipment(ops, case_number: str, serial: str, ship: str, due: str, delivered: str | None) -> None:
    """A swap shipment row (the swap group's `ship` needs a whole stock set-up; the report only reads)."""
    with ops.store.write() as st:
        case_id = st.one("SELECT id FROM cases WHERE number = ?", (case_number,))[0]
        st.execute(
            "INSERT INTO swap_units (serial, customer, model, state, added_at, updated_at)"
            " VALUES (?, '2001', 'XP8', 'swapped_out', ?, ?)",
            (serial, _db("2026-06-01T08:00"), _db("2026-06-01T08:00")),
        )
        st.execute(
            "INSERT INTO swap_shipments (customer, case_id, case_number, serial, model, policy,"
            " registered_at,"
            " ship_date, delivery_date, delivered_at, created_by)"
            " VALUES ('2001', ?, ?, ?, 'XP8', 'exchange', ?, ?, ?, ?, 'desk')",
            (
                case_id,
                case_number,
                serial,
                _db(ship + "T09:00"),
                ship,
                due,
                _db(delivered) if delivered else None,
            ),
        )


@pytest.fixture
def world(env, ops, monkeypatch):
    add_customers(ops)
    env.now = "2026-10-05T09:00"
    monkeypatch.setenv("OPS_NOW", env.now)
    return ops


def test_quality_counts_topics_channels_swaps_and_times(env, world):
    ops = world
    a = _case(ops, "2026-09-01T08:00", channel="phone")
    case_core.reply(ops, a, "Sending a spare phone", at=_at("2026-09-01T10:00"))  # 2 h to answer
    case_core.close(ops, a, "swapped", at=_at("2026-09-02T08:00"))  # 24 h to close
    _shipment(ops, a, "SN-A", "2026-09-01", "2026-09-02", "2026-09-02T11:00")  # on time
    b = _case(ops, "2026-09-10T12:00", topic="question", channel="email")
    case_core.reply(ops, b, "Here is how", at=_at("2026-09-10T13:00"))  # 1 h
    case_core.close(ops, b, "answered", at=_at("2026-09-10T16:00"))  # 4 h
    c = _case(ops, "2026-09-20T09:00", channel="portal")  # still open
    _shipment(ops, c, "SN-C", "2026-09-21", "2026-09-22", "2026-09-24T10:00")  # late
    d = _case(ops, "2026-08-31T09:00")  # before the period, closed after it
    case_core.close(ops, d, "fixed", at=_at("2026-10-02T09:00"))
    _case(ops, "2026-09-15T09:00", customer="2002")  # another customer

    r = quality(ops, "2001", "2026-09-01", "2026-09-30")
    assert r["cases"] == 3
    assert r["by_topic"] == {"fault": 2, "question": 1}
    assert r["by_channel"] == {"email": 1, "phone": 1, "portal": 1}
    assert (r["closed"], r["closed_without_swap"], r["closed_with_swap"]) == (2, 1, 1)
    assert (r["swaps_shipped"], r["swaps_delivered"], r["swaps_delivered_on_time"]) == (2, 2, 1)
    assert r["swaps_on_time_pct"] == 50.0
    assert r["median_hours_to_answer"] == 1.5
    assert r["median_hours_to_close"] == 14.0
    assert r["open_at_end"] == 2  # c, and d (closed only in October)

    run = env.cli(
        "report", "quality", "-c", "2001", "--from", "2026-09-01", "--to", "2026-09-30", "-f", "json"
    )
    assert run.code == 0 and run.json()["by_topic"] == {"fault": 2, "question": 1}
    table = env.cli("report", "quality", "-c", "2001", "--from", "2026-09-01", "--to", "2026-09-30")
    assert table.stdout.startswith("Service quality 2026-09-01 to 2026-09-30 · Nordbygg AB (2001)")
    assert "swaps" in table.stdout and "on time pct" in table.stdout
    out = env.tmp / "q.csv"
    assert (
        env.cli(
            "report", "quality", "-c", "2001", "--from", "2026-09-01", "--to", "2026-09-30", "-o", str(out)
        ).code
        == 0
    )
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert {"section": "by channel", "item": "portal", "value": "1"} in rows


def test_quality_of_an_empty_period(env, world):
    r = quality(world, "2001", "2026-01-01", "2026-01-31")
    assert r["cases"] == 0 and r["by_topic"] == {} and r["swaps_on_time_pct"] is None
    assert r["median_hours_to_close"] is None


def _order(ops, customer: str, received: str, due: str, changes: int, delivered_on: str | None) -> None:
    """A change-order row (placing one needs roster, subscriptions and a sheet; the report only reads)."""
    number = _case(ops, received, topic="order", channel="email", customer=customer)
    with ops.store.write() as st:
        case_id = st.one("SELECT id FROM cases WHERE number = ?", (number,))[0]
        st.execute(
            "INSERT INTO change_orders (case_id, customer, received_at, receipt_day, due_date, change_count,"
            " delivered_at, delivered_on, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'orderer@x.example')",
            (
                case_id,
                customer,
                _db(received),
                received[:10],
                due,
                changes,
                _db(delivered_on + "T15:00") if delivered_on else None,
                delivered_on,
            ),
        )


def test_delivery_on_time_late_open_and_overdue(env, world):
    ops = world
    _order(ops, "2001", "2026-09-01T10:00", "2026-09-08", 3, "2026-09-07")  # on time
    _order(ops, "2001", "2026-09-02T10:00", "2026-09-09", 11, "2026-09-10")  # late
    _order(ops, "2002", "2026-09-03T10:00", "2026-09-10", 1, None)  # overdue on 2026-10-05
    _order(ops, "2001", "2026-09-28T10:00", "2026-10-12", 2, None)  # open, not yet due
    _order(ops, "2001", "2026-10-02T10:00", "2026-10-09", 2, "2026-10-03")  # outside the period

    r = delivery(ops, "2026-09-01", "2026-09-30")
    assert [o["status"] for o in r["orders"]] == ["on time", "late", "overdue", "open"]
    assert (r["received"], r["delivered"], r["on_time"], r["late"], r["open"], r["overdue"]) == (
        4,
        2,
        1,
        1,
        1,
        1,
    )
    assert r["on_time_pct"] == 50.0
    assert r["orders"][1]["changes"] == 11 and r["orders"][1]["due_date"] == "2026-09-09"

    only = delivery(ops, "2026-09-01", "2026-09-30", customer="2001")
    assert only["received"] == 3 and only["customer"] == "2001"

    run = env.cli("report", "delivery", "--from", "2026-09-01", "--to", "2026-09-30")
    assert run.code == 0
    assert (
        "Change orders received 2026-09-01 to 2026-09-30: 4; delivered 2, on time 1 (50.00 %), late 1; "
        "open 1, overdue 1."
    ) in run.stdout
    data = env.cli("report", "delivery", "--from", "2026-09-01", "--to", "2026-09-30", "-f", "json").json()
    assert data["on_time_pct"] == 50.0 and len(data["orders"]) == 4
    out = env.tmp / "d.json"
    assert (
        env.cli("report", "delivery", "--from", "2026-09-01", "--to", "2026-09-30", "-o", str(out)).code == 0
    )
    assert json.loads(out.read_text(encoding="utf-8"))["received"] == 4


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ("quality", "-c", "9999", "--from", "2026-09-01", "--to", "2026-09-30"),
            4,
            "customer 9999 not found",
        ),
        (
            ("quality", "-c", "2001", "--from", "2026-09-31", "--to", "2026-09-30"),
            3,
            "--from: '2026-09-31' is not",
        ),
        (
            ("quality", "-c", "2001", "--from", "2026-09-30", "--to", "2026-09-01"),
            3,
            "--to 2026-09-01 is before --from 2026-09-30",
        ),
        (
            ("quality", "-c", "2001", "--from", "2026-09-01", "--to", "2026-09-30", "-o", "q.odt"),
            3,
            "unknown report file type '.odt'",
        ),
        (
            ("delivery", "--from", "2026-09-01", "--to", "2026-09-30", "-c", "9999"),
            4,
            "customer 9999 not found",
        ),
        (("delivery", "--from", "x", "--to", "2026-09-30"), 3, "--from: 'x' is not a date"),
    ],
)
def test_bad_input(env, world, args, code, message):
    before = env.snapshot()
    run = env.cli("report", *args)
    assert run.code == code
    assert message in run.stderr
    assert env.snapshot() == before

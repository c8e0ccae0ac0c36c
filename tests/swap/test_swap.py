"""Swap stock: sizing, units, stock and refill, shipping with delivery dates, returns, freight.

The rules come from seed 003 (Smartservice): 8 % of the fleet (400 -> 32),
delivery the working day after a request registered before 14:00, loan or
exchange per customer, freight and packaging billed monthly in arrears.
"""

from __future__ import annotations

import csv
from datetime import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ops_cli import clock, swap

NOW = "2026-11-20T10:00"  # a Friday
CASE_OPENED = "2026-11-19T09:00"  # a Thursday: the default registration of a test's service case


# ---------------------------------------------------------------- helpers


def add_customer(ops, number, name, level="prof", fleet=400, policy="exchange"):
    now = clock.to_db(ops.now())
    with ops.store.write() as store:
        store.execute(
            "INSERT INTO customers (number, name, service_level, fleet, swap_policy, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (number, name, level, fleet, policy, now, now),
        )


def open_case(ops, customer, at=None):
    from ops_cli.cases import open_case as open_

    at = at or clock.parse_time(CASE_OPENED, ops.tz)
    case = open_(
        ops,
        topic="question",
        reporter="per.falk@nordbygg.example",
        subject="Phone broken",
        customer=customer,
        at=at,
    )
    return case["number"]


@pytest.fixture
def world(env, ops):
    """2001 prof/exchange fleet 400, 2002 bas fleet 13, 3001 prof/loan fleet 25, 3002 prof without stock."""
    env.now = NOW
    add_customer(ops, "2001", "Nordbygg AB", "prof", 400, "exchange")
    add_customer(ops, "2002", "Café Bönan", "bas", 13, "loan")
    add_customer(ops, "3001", "Lånebolaget AB", "prof", 25, "loan")
    add_customer(ops, "3002", "Tomma Lagret AB", "prof", 50, "loan")
    return env


def stock_units(env, customer, model, *serials):
    r = env.cli("swap", "add", "--customer", customer, "--model", model, *serials)
    assert r.code == 0, r.stderr


def at(text):
    return datetime.fromisoformat(text)


def unit_state(env, serial):
    rows = env.cli("swap", "list", "-f", "json").json()
    return {r["serial"]: r["state"] for r in rows}[serial]


# ---------------------------------------------------------------- sizing


@pytest.mark.parametrize(
    "fleet,target",
    [(0, 0), (1, 1), (13, 2), (25, 2), (400, 32), (401, 33), (1000, 80)],
)
def test_target_is_ceil_of_eight_percent(fleet, target):
    assert swap.target_for(fleet, Decimal("0.08")) == target


@pytest.mark.parametrize(
    "fleet,target", [(0, 0), (1, 1), (13, 2), (25, 3), (400, 40), (401, 41), (1000, 100)]
)
def test_target_with_rate_ten_percent(fleet, target):
    assert swap.target_for(fleet, Decimal("0.1")) == target


def test_size_json_keys_and_seed_numbers(env):
    r = env.cli("swap", "size", "--fleet", "400", "-f", "json")
    assert r.code == 0
    assert r.json() == {"fleet": 400, "rate": 0.08, "target": 32}
    assert env.cli("swap", "size", "--fleet", "401", "-f", "json").json()["target"] == 33
    r = env.cli("swap", "size", "--fleet", "400", "--rate", "0.1", "-f", "json")
    assert r.json() == {"fleet": 400, "rate": 0.1, "target": 40}
    assert env.cli("swap", "size", "--fleet", "5", "--rate", "1", "-f", "json").json()["target"] == 5


def test_size_of_a_customer_uses_its_fleet(world):
    r = world.cli("swap", "size", "--customer", "2001", "-f", "json")
    assert r.json() == {"customer": "2001", "fleet": 400, "rate": 0.08, "target": 32}
    assert world.cli("swap", "size", "--customer", "2002", "-f", "json").json()["target"] == 2


def test_size_rate_from_config(env):
    env.config.write_text("[swap]\nrate = 0.1\n", encoding="utf-8")
    assert env.cli("swap", "size", "--fleet", "13", "-f", "json").json() == {
        "fleet": 13,
        "rate": 0.1,
        "target": 2,
    }


@pytest.mark.parametrize(
    "args,code,message",
    [
        (["--fleet", "-1"], 3, "--fleet: -1 is negative"),
        (["--fleet", "10", "--rate", "0"], 3, "--rate: '0' is not a fraction in (0, 1]"),
        (["--fleet", "10", "--rate", "1.01"], 3, "--rate: '1.01' is not a fraction in (0, 1]"),
        (["--fleet", "10", "--rate", "-0.08"], 3, "is not a fraction in (0, 1]"),
        (["--fleet", "10", "--rate", "eight"], 3, "--rate: 'eight' is not a fraction"),
        (["--customer", "9999"], 4, "customer 9999 not found"),
        (["--fleet", "10", "--customer", "2001"], 2, "give either --fleet N or --customer C"),
        ([], 2, "give either --fleet N or --customer C"),
    ],
)
def test_size_bad_input(world, args, code, message):
    before = world.snapshot()
    r = world.cli("swap", "size", *args)
    assert r.code == code
    assert message in r.stderr
    assert world.snapshot() == before


# ---------------------------------------------------------------- units


def test_add_and_list_units(world):
    r = world.cli("swap", "add", "-c", "2001", "-M", "Galaxy XCover7", "r58w10001", "R58W10002", "-f", "json")
    assert r.code == 0, r.stderr
    assert r.json()["created"] == 2
    rows = world.cli("swap", "list", "--customer", "2001", "-f", "json").json()
    assert [(u["serial"], u["model"], u["state"]) for u in rows] == [
        ("R58W10001", "Galaxy XCover7", "in_stock"),
        ("R58W10002", "Galaxy XCover7", "in_stock"),
    ]
    # The same command again adds nothing.
    before = world.snapshot()
    r = world.cli("swap", "add", "-c", "2001", "-M", "Galaxy XCover7", "R58W10001", "-f", "json")
    assert r.code == 0 and r.json()["created"] == 0 and r.json()["unchanged"] == 1
    assert world.snapshot() == before
    audit = world.cli("db", "log", "-f", "json").json()
    assert {a["object"] for a in audit if a["action"] == "swap.add"} == {"unit:R58W10001", "unit:R58W10002"}


@pytest.mark.parametrize(
    "args,code,message",
    [
        (["-c", "2001", "-M", "X", "AB1234", "ab1234"], 3, "duplicate serial AB1234"),
        (
            ["-c", "3001", "-M", "Galaxy XCover7", "R58W10001"],
            3,
            "duplicate serial R58W10001: already in the store as another customer's unit",
        ),
        (["-c", "9999", "-M", "X", "AB1234"], 4, "customer 9999 not found"),
        (["-c", "2002", "-M", "X", "AB1234"], 6, "service level bas includes diagnosis"),
        (["-c", "2001", "-M", "X", "a b"], 3, "serial 'a b' is not a serial number"),
        (["-c", "2001", "-M", " ", "AB1234"], 3, "model is empty"),
        (["-c", "2001", "AB1234"], 2, "give --customer and --model"),
    ],
)
def test_add_bad_input(world, args, code, message):
    stock_units(world, "2001", "Galaxy XCover7", "R58W10001")
    before = world.snapshot()
    r = world.cli("swap", "add", *args)
    assert r.code == code, r.stderr
    assert message in r.stderr
    assert world.snapshot() == before


def test_add_from_file_reports_sheet_rows_and_writes_nothing(world):
    path = world.tmp / "units.csv"
    path.write_text(
        "Kundnummer;Modell;Serienummer\n2001;Galaxy XCover7;R58W20001\n9999;Galaxy XCover7;R58W20002\n"
        "2001;;R58W20003\n2001;iPhone 15;R58W20001\n",
        encoding="utf-8",
    )
    before = world.snapshot()
    r = world.cli("swap", "add", "--file", str(path))
    assert r.code == 3
    assert "3 problem(s) in the units; nothing was added" in r.stderr
    assert f"{path}:3: customer: unknown customer '9999'" in r.stderr
    assert f"{path}:4: model: model is empty" in r.stderr
    assert f"{path}:5: serial: duplicate serial R58W20001 (also in row 2)" in r.stderr
    assert world.snapshot() == before


def test_add_from_xlsx_with_dry_run(world):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["customer", "model", "serial"])
    ws.append(["2001", "Nokia XR21", "353912110000001"])
    ws.append(["2001", "Nokia XR21", "353912110000002"])
    path = world.tmp / "units.xlsx"
    wb.save(path)
    before = world.snapshot()
    r = world.cli("swap", "add", "--file", str(path), "--dry-run", "-f", "json")
    assert r.code == 0 and r.json()["created"] == 2 and r.json()["dry_run"] is True
    assert world.snapshot() == before
    assert world.cli("swap", "add", "--file", str(path), "-f", "json").json()["created"] == 2
    assert len(world.cli("swap", "list", "--model", "nokia xr21", "-f", "json").json()) == 2


# ---------------------------------------------------------------- stock and refill


def test_stock_spreads_target_by_share_and_flags_below_target(world):
    stock_units(world, "2001", "Galaxy XCover7", *[f"G{i:05d}" for i in range(10)])
    stock_units(world, "2001", "iPhone 15", *[f"I{i:05d}" for i in range(6)])
    stock_units(world, "2001", "Nokia XR21", *[f"N{i:05d}" for i in range(4)])
    r = world.cli("swap", "stock", "--customer", "2001", "-f", "json")
    assert r.code == 0
    rows = {row["model"]: row for row in r.json()}
    # 32 over 10:6:4 -> 16, 9.6, 6.4 -> 16, 10, 6 (largest remainder)
    assert {m: (x["in_stock"], x["target"], x["refill"]) for m, x in rows.items()} == {
        "Galaxy XCover7": (10, 16, 6),
        "iPhone 15": (6, 10, 4),
        "Nokia XR21": (4, 6, 2),
    }
    assert all(x["below_target"] and x["customer_target"] == 32 for x in rows.values())
    assert "customer 2001 is below its swap target" in r.stderr


def test_stock_per_model_target_and_customer_without_units(world):
    stock_units(world, "2001", "Galaxy XCover7", *[f"G{i:05d}" for i in range(30)])
    stock_units(world, "2001", "iPhone 15", "I00001", "I00002")
    r = world.cli("swap", "target", "-c", "2001", "-M", "iPhone 15", "4")
    assert r.code == 0, r.stderr
    rows = {row["model"]: row for row in world.cli("swap", "stock", "-c", "2001", "-f", "json").json()}
    assert (rows["iPhone 15"]["target"], rows["iPhone 15"]["refill"]) == (4, 2)
    assert (rows["Galaxy XCover7"]["target"], rows["Galaxy XCover7"]["refill"]) == (28, 0)
    assert rows["iPhone 15"]["below_target"] is False  # 32 in stock, target 32
    empty = world.cli("swap", "stock", "-c", "3002", "-f", "json").json()
    assert empty == [
        {
            "customer": "3002",
            "name": "Tomma Lagret AB",
            "model": "",
            "in_stock": 0,
            "target": 4,
            "refill": 4,
            "customer_target": 4,
            "below_target": True,
        }
    ]
    everyone = {row["customer"] for row in world.cli("swap", "stock", "-f", "json").json()}
    assert everyone == {"2001", "3001", "3002"}  # prof customers; 2002 (bas) has no stock


def test_refill_request_text_json_and_export(world):
    stock_units(world, "2001", "Galaxy XCover7", *[f"G{i:05d}" for i in range(10)])
    stock_units(world, "2001", "iPhone 15", *[f"I{i:05d}" for i in range(6)])
    stock_units(world, "2001", "Nokia XR21", *[f"N{i:05d}" for i in range(4)])
    r = world.cli("swap", "refill-request", "-c", "2001")
    assert r.code == 0
    assert "holds 20 spare phones; the agreed target is 32 (8 % of your fleet of 400)" in r.stdout
    assert "Please order 6 x Galaxy XCover7, 4 x iPhone 15, 2 x Nokia XR21" in r.stdout
    out = world.tmp / "refill.csv"
    data = world.cli("swap", "refill-request", "-c", "2001", "-o", str(out), "-f", "json").json()
    assert (data["target"], data["in_stock"], data["refill"]) == (32, 20, 12)
    with open(out, encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.DictReader(handle))
    assert [(x["model"], x["order"]) for x in lines] == [
        ("Galaxy XCover7", "6"),
        ("iPhone 15", "4"),
        ("Nokia XR21", "2"),
    ]
    r = world.cli("swap", "refill-request", "-c", "2002")
    assert r.code == 6 and "service level bas" in r.stderr


# ---------------------------------------------------------------- delivery dates


@pytest.mark.parametrize(
    "registered,ship_date,delivery_date",
    [
        # cut-off on a working day (Thursday 2026-11-19)
        ("2026-11-19T13:59", "2026-11-19", "2026-11-20"),
        ("2026-11-19T14:00", "2026-11-20", "2026-11-23"),
        # Friday before and after the cut-off
        ("2026-11-20T13:59", "2026-11-20", "2026-11-23"),
        ("2026-11-20T14:00", "2026-11-23", "2026-11-24"),
        # a Saturday request counts as registered on Monday
        ("2026-11-21T09:00", "2026-11-23", "2026-11-24"),
        ("2026-11-22T23:59", "2026-11-23", "2026-11-24"),
        # midsummer eve (Friday 2026-06-19) is not a working day, and the day before it
        ("2026-06-18T13:59", "2026-06-18", "2026-06-22"),
        ("2026-06-18T14:00", "2026-06-22", "2026-06-23"),
        ("2026-06-19T09:00", "2026-06-22", "2026-06-23"),
        # the days before Christmas 2026: 24th (eve) and 25th off, then the weekend
        ("2026-12-22T15:00", "2026-12-23", "2026-12-28"),
        ("2026-12-23T13:59", "2026-12-23", "2026-12-28"),
        ("2026-12-23T14:00", "2026-12-28", "2026-12-29"),
        ("2026-12-24T10:00", "2026-12-28", "2026-12-29"),
        # New Year's eve and day off
        ("2026-12-30T13:00", "2026-12-30", "2027-01-04"),
    ],
)
def test_delivery_date(ops, registered, ship_date, delivery_date):
    moment = clock.parse_time(registered, ops.tz)
    ship, deliver = swap.delivery(ops, moment)
    assert (ship.isoformat(), deliver.isoformat()) == (ship_date, delivery_date)


def test_cutoff_from_config(env, ops):
    env.config.write_text('[swap]\ncutoff = "12:00"\n', encoding="utf-8")
    from ops_cli.context import Ops

    other = Ops.open(env.config, env.db)
    try:
        ship, deliver = swap.delivery(other, clock.parse_time("2026-11-19T12:30", other.tz))
        assert (ship.isoformat(), deliver.isoformat()) == ("2026-11-20", "2026-11-23")
    finally:
        other.close()


# ---------------------------------------------------------------- shipping


def test_ship_picks_model_with_most_stock_and_links_case(world, ops):
    stock_units(world, "2001", "Galaxy XCover7", "G00001", "G00002")
    stock_units(world, "2001", "iPhone 15", "I00001")
    case = open_case(ops, "2001")
    r = world.cli("swap", "ship", "-c", "2001", "--case", case, "--at", "2026-11-19T13:59", "-f", "json")
    assert r.code == 0, r.stderr
    data = r.json()
    assert data["serial"] == "G00001" and data["model"] == "Galaxy XCover7"
    assert data["delivery_date"] == "2026-11-20" and data["case"] == case and data["policy"] == "exchange"
    assert unit_state(world, "G00001") == "swapped_out"
    r = world.cli(
        "swap",
        "ship",
        "-c",
        "2001",
        "--case",
        case,
        "--model",
        "iphone 15",
        "--at",
        "2026-11-19T14:00",
        "-f",
        "json",
    )
    # The cut-off counts from the case's registration (Thu 09:00), not from the 14:00 ship run.
    assert r.json()["serial"] == "I00001" and r.json()["delivery_date"] == "2026-11-20"
    row = ops.store.one(
        "SELECT s.case_id, c.number FROM swap_shipments s JOIN cases c ON c.id = s.case_id"
        " WHERE s.serial = 'I00001'"
    )
    assert row["number"] == case
    audit = world.cli("db", "log", "-f", "json").json()
    assert any(a["action"] == "swap.ship" and a["object"] == "unit:I00001" for a in audit)


def test_ship_uses_now_when_no_at(world, ops):
    stock_units(world, "3001", "Nokia XR21", "N00001")
    case = open_case(ops, "3001")
    world.now = "2026-11-21T10:00"  # Saturday
    data = world.cli("swap", "ship", "-c", "3001", "--case", case, "-f", "json").json()
    assert (data["ship_date"], data["delivery_date"]) == ("2026-11-23", "2026-11-24")
    # Registered Thu 09:00 (promised Fri), sent late on Saturday: ships Monday, delivered Tuesday.
    assert data["registered_at"] == "2026-11-19T09:00:00+01:00"
    assert unit_state(world, "N00001") == "on_loan"


def test_ship_refused_for_bas(world, ops):
    case = open_case(ops, "2002")
    before = world.snapshot()
    r = world.cli("swap", "ship", "-c", "2002", "--case", case)
    assert r.code == 6
    assert (
        "customer 2002 cannot get swap shipping: service level bas includes diagnosis, registration, phone "
        "and operating-system help; swap phones come with service level prof"
    ) in r.stderr
    assert world.snapshot() == before


def test_ship_without_stock_gives_refill_advice(world, ops):
    case = open_case(ops, "3002")
    before = world.snapshot()
    r = world.cli("swap", "ship", "-c", "3002", "--case", case)
    assert r.code == 6
    assert "customer 3002 has no unit in swap stock" in r.stderr
    assert "ops swap refill-request --customer 3002" in r.stderr
    stock_units(world, "3002", "Galaxy XCover7", "G00009")
    before = world.snapshot()
    r = world.cli("swap", "ship", "-c", "3002", "--case", case, "--model", "iPhone 15")
    assert r.code == 6
    assert "no iPhone 15 unit in swap stock (1 of other models: ship one without --model)" in r.stderr
    assert world.snapshot() == before


@pytest.mark.parametrize(
    "customer,case,code,message",
    [
        ("9999", None, 4, "customer 9999 not found"),
        ("2001", "2026-99999", 4, "unknown case '2026-99999'"),
        ("3001", None, 6, "case 2026-00001 is not a case of customer 3001"),
    ],
)
def test_ship_bad_input(world, ops, customer, case, code, message):
    stock_units(world, "3001", "Nokia XR21", "N00001")
    case = case or open_case(ops, "2001")
    before = world.snapshot()
    r = world.cli("swap", "ship", "-c", customer, "--case", case, "--at", "2026-11-19T10:00")
    assert r.code == code
    assert message in r.stderr
    assert world.snapshot() == before


def test_ship_bad_at_is_refused(world, ops):
    stock_units(world, "2001", "Nokia XR21", "N00001")
    case = open_case(ops, "2001")
    before = world.snapshot()
    r = world.cli("swap", "ship", "-c", "2001", "--case", case, "--at", "tomorrow")
    assert r.code == 3 and "--at: 'tomorrow' is not an ISO 8601 time" in r.stderr
    assert world.snapshot() == before


def test_delivered_is_recorded_once(world, ops):
    stock_units(world, "2001", "Nokia XR21", "N00001")
    case = open_case(ops, "2001")
    world.cli("swap", "ship", "-c", "2001", "--case", case, "--at", "2026-11-19T10:00")
    r = world.cli("swap", "delivered", "N00001", "--at", "2026-11-20T09:30", "-f", "json")
    assert r.code == 0 and r.json()["delivered_at"] == "2026-11-20T09:30:00+01:00"
    before = world.snapshot()
    r = world.cli("swap", "delivered", "N00001")
    assert r.code == 6 and "already recorded as delivered" in r.stderr
    assert world.snapshot() == before


# ---------------------------------------------------------------- returns


def test_loan_return_brings_the_spare_back_to_stock(world, ops):
    stock_units(world, "3001", "Nokia XR21", "N00001")
    case = open_case(ops, "3001")
    world.cli("swap", "ship", "-c", "3001", "--case", case, "--at", "2026-11-19T10:00")
    assert unit_state(world, "N00001") == "on_loan"
    r = world.cli("swap", "return", "N00001", "--at", "2026-11-25T10:00", "-f", "json")
    assert r.code == 0, r.stderr
    assert r.json()["to"] == "stock" and r.json()["state"] == "in_stock"
    assert unit_state(world, "N00001") == "in_stock"
    shipment = world.cli("swap", "shipments", "-c", "3001", "-f", "json").json()[0]
    assert shipment["returned_at"] == "2026-11-25T10:00:00+01:00"
    before = world.snapshot()
    r = world.cli("swap", "return", "N00001")
    assert r.code == 6 and "unit N00001 is in stock; there is nothing to return" in r.stderr
    assert world.snapshot() == before


def test_loan_user_phone_goes_back_to_the_user_after_repair(world, ops):
    stock_units(world, "3001", "Nokia XR21", "N00001")
    case = open_case(ops, "3001")
    world.cli("swap", "ship", "-c", "3001", "--case", case, "--at", "2026-11-19T10:00")
    r = world.cli("swap", "return", "N00001", "--broken", "U00001", "-f", "json")
    assert r.json()["broken"] == {
        "serial": "U00001",
        "model": "Nokia XR21",
        "state": "in_repair",
        "then": "user",
    }
    assert unit_state(world, "N00001") == "in_stock"
    r = world.cli("swap", "return", "U00001", "-f", "json")
    assert r.json()["to"] == "user" and unit_state(world, "U00001") == "swapped_out"


def test_exchange_user_keeps_spare_and_broken_phone_goes_to_repair_then_stock(world, ops):
    stock_units(world, "2001", "Galaxy XCover7", "G00001")
    case = open_case(ops, "2001")
    world.cli("swap", "ship", "-c", "2001", "--case", case, "--at", "2026-11-19T10:00")
    before = world.snapshot()
    r = world.cli("swap", "return", "G00001")
    assert r.code == 3
    assert "has the exchange policy: the user keeps G00001" in r.stderr and "--broken SERIAL" in r.stderr
    assert world.snapshot() == before
    r = world.cli("swap", "return", "G00001", "--broken", "g00777", "--at", "2026-11-24T10:00", "-f", "json")
    assert r.code == 0, r.stderr
    assert r.json()["to"] == "user" and r.json()["broken"]["then"] == "stock"
    assert unit_state(world, "G00001") == "swapped_out"
    assert unit_state(world, "G00777") == "in_repair"
    assert world.cli("swap", "stock", "-c", "2001", "-f", "json").json()[0]["in_stock"] == 0
    r = world.cli("swap", "return", "G00777", "-f", "json")
    assert r.json()["to"] == "stock" and r.json()["repaired"] is True
    assert world.cli("swap", "stock", "-c", "2001", "-f", "json").json()[0]["in_stock"] == 1


def test_return_to_repair_and_bad_returns(world, ops):
    stock_units(world, "3001", "Nokia XR21", "N00001", "N00002")
    case = open_case(ops, "3001")
    world.cli("swap", "ship", "-c", "3001", "--case", case, "--at", "2026-11-19T10:00")
    r = world.cli("swap", "return", "N00001", "--to", "repair", "-f", "json")
    assert r.json()["state"] == "in_repair"
    before = world.snapshot()
    for args, code, message in [
        (["NOPE0001"], 4, "unknown unit 'NOPE0001'"),
        (["N00001", "--to", "repair"], 6, "unit N00001 is already in repair"),
        (["N00001", "--to", "moon"], 2, "moon"),
        (["N00002"], 6, "unit N00002 is in stock"),
    ]:
        r = world.cli("swap", "return", *args)
        assert r.code == code, args
        assert message in r.stderr
    assert world.snapshot() == before


def test_broken_serial_must_be_new(world, ops):
    stock_units(world, "2001", "Galaxy XCover7", "G00001", "G00002")
    case = open_case(ops, "2001")
    world.cli("swap", "ship", "-c", "2001", "--case", case, "--at", "2026-11-19T10:00")
    before = world.snapshot()
    r = world.cli("swap", "return", "G00001", "--broken", "G00002")
    assert r.code == 3 and "--broken: duplicate serial G00002" in r.stderr
    assert world.snapshot() == before


# ---------------------------------------------------------------- freight


def _ship_on(world, ops, customer, serial, when, *extra):
    case = open_case(ops, customer, at=clock.parse_time(when, ops.tz))
    r = world.cli("swap", "ship", "-c", customer, "--case", case, "--at", when, "-f", "json", *extra)
    assert r.code == 0, r.stderr
    assert r.json()["serial"] == serial
    return r.json()


def test_freight_bills_one_month_once(world, ops):
    stock_units(world, "2001", "Galaxy XCover7", "G00001", "G00002", "G00003")
    stock_units(world, "3001", "Nokia XR21", "N00001", "N00002")
    _ship_on(world, ops, "2001", "G00001", "2026-09-30T13:00")  # September
    _ship_on(world, ops, "2001", "G00002", "2026-10-01T09:00")
    _ship_on(world, ops, "2001", "G00003", "2026-10-30T15:00", "--out-of-warranty")  # ships 2 Nov
    _ship_on(world, ops, "3001", "N00001", "2026-10-15T10:00")
    _ship_on(world, ops, "3001", "N00002", "2026-10-31T10:00")  # Saturday: ships Monday 2 Nov
    r = world.cli("swap", "freight", "--month", "2026-10", "-f", "json")
    assert r.code == 0, r.stderr
    lines = r.json()
    assert [(x["customer"], x["shipments"], x["packaging"], x["freight"], x["total"]) for x in lines] == [
        ("2001", 1, 45, 120, 165),
        ("3001", 1, 45, 120, 165),
    ]
    assert lines[0]["currency"] == "SEK" and lines[0]["month"] == "2026-10"
    nov = world.cli("swap", "freight", "--month", "2026-11", "--dry-run", "-f", "json").json()
    assert [(x["customer"], x["shipments"], x["out_of_warranty"]) for x in nov] == [
        ("2001", 1, 1),
        ("3001", 1, 0),
    ]
    assert nov[0]["out_of_warranty_items"] == [f"G00003 (case {_case_of(world, 'G00003')})"]
    # no double billing
    before = world.snapshot()
    r = world.cli("swap", "freight", "--month", "2026-10")
    assert r.code == 6
    assert "2026-10 was already billed on 2026-11-20" in r.stderr and "--rebill" in r.stderr
    assert world.snapshot() == before
    r = world.cli("swap", "freight", "--month", "2026-10", "--rebill", "-f", "json")
    assert r.code == 0 and len(r.json()) == 2
    audit = world.cli("db", "log", "-f", "json").json()
    assert [a["action"] for a in audit if a["object"] == "freight:2026-10"] == ["swap.rebill", "swap.freight"]


def _case_of(world, serial):
    return {s["serial"]: s["case"] for s in world.cli("swap", "shipments", "-f", "json").json()}[serial]


def test_freight_lists_out_of_warranty_repairs_and_exports(world, ops):
    stock_units(world, "2001", "Galaxy XCover7", "G00001", "G00002")
    _ship_on(world, ops, "2001", "G00001", "2026-10-05T10:00")
    world.cli("swap", "return", "G00001", "--broken", "U00001", "--at", "2026-10-08T10:00")
    r = world.cli("swap", "repair", "U00001", "--out-of-warranty", "--at", "2026-10-09T10:00", "-f", "json")
    assert r.code == 0 and r.json()["out_of_warranty"] is True
    out = world.tmp / "freight.xlsx"
    r = world.cli("swap", "freight", "--month", "2026-10", "-o", str(out), "-f", "json")
    assert r.code == 0, r.stderr
    line = r.json()[0]
    assert (line["shipments"], line["total"], line["out_of_warranty"]) == (1, 165, 1)
    assert line["out_of_warranty_items"] == ["U00001 (repair)"]
    from openpyxl import load_workbook

    ws = load_workbook(out).active
    header = [c.value for c in ws[1]]
    assert header == swap.FREIGHT_COLUMNS
    values = dict(zip(header, [c.value for c in ws[2]], strict=True))
    assert values["customer"] == "2001" and values["out_of_warranty_items"] == "U00001 (repair)"


@pytest.mark.parametrize(
    "args,code,message",
    [
        (["--month", "2026-13"], 3, "--month: '2026-13' is not a month; use YYYY-MM"),
        (["--month", "oct"], 3, "--month: 'oct' is not a month"),
        (["--month", "2026-11"], 6, "2026-11 is not over yet; freight is billed in arrears from 2026-12-01"),
        (["--month", "2027-01"], 6, "is not over yet"),
    ],
)
def test_freight_bad_month(world, ops, args, code, message):
    stock_units(world, "2001", "Galaxy XCover7", "G00001")
    _ship_on(world, ops, "2001", "G00001", "2026-11-05T10:00")
    before = world.snapshot()
    r = world.cli("swap", "freight", *args)
    assert r.code == code
    assert message in r.stderr
    assert world.snapshot() == before


def test_freight_dry_run_marks_nothing(world, ops):
    stock_units(world, "2001", "Galaxy XCover7", "G00001")
    _ship_on(world, ops, "2001", "G00001", "2026-10-05T10:00")
    before = world.snapshot()
    r = world.cli("swap", "freight", "--month", "2026-10", "--dry-run", "-f", "json")
    assert r.code == 0 and r.json()[0]["billed"] is False
    assert world.snapshot() == before
    assert world.cli("swap", "freight", "--month", "2026-10").code == 0


# ---------------------------------------------------------------- repair, retire


def test_repair_and_retire(world):
    stock_units(world, "2001", "Galaxy XCover7", "G00001")
    assert world.cli("swap", "repair", "G00001").code == 0
    before = world.snapshot()
    r = world.cli("swap", "repair", "G00001")
    assert r.code == 6 and "already in repair" in r.stderr
    assert world.snapshot() == before
    assert world.cli("swap", "return", "G00001", "-f", "json").json()["state"] == "in_stock"
    assert world.cli("swap", "retire", "G00001", "-f", "json").json()["state"] == "retired"
    assert world.cli("swap", "stock", "-c", "2001", "-f", "json").json()[0]["in_stock"] == 0
    r = world.cli("swap", "list", "--state", "sold")
    assert r.code == 2


# ---------------------------------------------------------------- demo and end to end


def test_load_demo_units_and_shipment_idempotent(world, ops):
    case = open_case(ops, "2001")
    first = swap.load_demo(ops)
    assert first["units"] == {"created": 20, "unchanged": 0}
    assert first["shipment"]["case"] == case and first["shipment"]["serial"] == "R58W10001"
    before = world.snapshot()
    again = swap.load_demo(ops)
    assert again["units"]["created"] == 0 and again["units"]["unchanged"] == 20
    assert world.snapshot() == before
    rows = world.cli("swap", "stock", "-c", "2001", "-f", "json").json()
    assert sum(r["in_stock"] for r in rows) == 19 and rows[0]["customer_target"] == 32


def test_load_demo_without_customer_is_skipped(ops):
    assert "skipped" in swap.load_demo(ops)


def test_end_to_end_ship_in_a_subprocess(world, ops):
    stock_units(world, "2001", "Galaxy XCover7", "G00001")
    # Registered Thursday 2026-06-18 13:59, before the cut-off; shipped after it at 14:00. Friday
    # 2026-06-19 is midsummer eve (not a working day in Sweden), so delivery is Monday 2026-06-22.
    case = open_case(ops, "2001", at=clock.parse_time("2026-06-18T13:59", ops.tz))
    r = world.run(
        "swap", "ship", "--customer", "2001", "--case", case, "-f", "json", OPS_NOW="2026-06-18T14:00"
    )
    assert r.code == 0, r.stderr
    data = r.json()
    assert (data["serial"], data["ship_date"], data["delivery_date"]) == (
        "G00001",
        "2026-06-18",
        "2026-06-22",
    )
    assert data["registered_at"] == "2026-06-18T13:59:00+02:00"
    r = world.run("swap", "size", "--fleet", "1000", "-f", "json")
    assert r.json() == {"fleet": 1000, "rate": 0.08, "target": 80}


def test_ship_on_a_closed_case_is_refused(world, ops):
    from ops_cli.cases import close

    stock_units(world, "2001", "Galaxy XCover7", "G00001")
    case = open_case(ops, "2001")
    close(ops, case, "Solved on the phone")
    before = world.snapshot()
    r = world.cli("swap", "ship", "-c", "2001", "--case", case)
    assert r.code == 6
    assert f"case {case} is closed" in r.stderr
    assert world.snapshot() == before


def test_freight_csv_export_and_bad_output_name(world, ops):
    stock_units(world, "2001", "Galaxy XCover7", "G00001")
    _ship_on(world, ops, "2001", "G00001", "2026-10-05T10:00")
    before = world.snapshot()
    r = world.cli("swap", "freight", "--month", "2026-10", "-o", str(world.tmp / "freight.txt"))
    assert r.code == 3 and "is not a .csv or .xlsx file name" in r.stderr
    assert world.snapshot() == before
    out = world.tmp / "freight.csv"
    assert world.cli("swap", "freight", "--month", "2026-10", "-o", str(out)).code == 0
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["customer"], r["shipments"], r["packaging"], r["freight"], r["total"]) for r in rows] == [
        ("2001", "1", "45.00", "120.00", "165.00")
    ]


def test_freight_of_a_month_without_shipments_bills_nothing(world):
    before = world.snapshot()
    r = world.cli("swap", "freight", "--month", "2026-09", "-f", "json")
    assert r.code == 0 and r.json() == []
    assert "nothing to bill" in r.stderr
    assert world.snapshot() == before


def test_return_follows_the_policy_the_spare_was_shipped_under(world, ops):
    stock_units(world, "3001", "Nokia XR21", "N00001")
    case = open_case(ops, "3001")
    world.cli("swap", "ship", "-c", "3001", "--case", case, "--at", "2026-11-19T10:00")
    with ops.store.write() as store:  # the customer moves to exchange after the loan went out
        store.execute("UPDATE customers SET swap_policy = 'exchange' WHERE number = '3001'")
    r = world.cli("swap", "return", "N00001", "-f", "json")
    assert r.code == 0, r.stderr
    assert (r.json()["policy"], r.json()["to"]) == ("loan", "stock")


@given(fleet=st.integers(min_value=1, max_value=10**6), percent=st.integers(min_value=1, max_value=100))
def test_target_matches_integer_arithmetic(fleet, percent):
    rate = Decimal(percent) / 100
    expected = -(-fleet * percent // 100)  # ceil with integers only
    assert swap.target_for(fleet, rate) == max(1, expected)
    assert swap.target_for(fleet, rate) >= 1

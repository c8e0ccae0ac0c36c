"""Swap data safety (issue 12) and seed rules (issue 13 item 11): who may act with --by, numbers
out of range, output files through the one writer, the cut-off counted from the case's
registration, and `swap stock` over many customers.
"""

from __future__ import annotations

import csv
import os
import stat

import pytest
from test_swap import add_customer, open_case, stock_units

from ops_cli import clock, swap

NOW = "2026-11-20T10:00"  # a Friday
AGENT = "tove@desk.example"
ORDERER = "maria.sund@nordbygg.example"  # orderer of 2001
CONTACT = "per.falk@nordbygg.example"  # contact of 2001
VIEWER = "olle.ek@nordbygg.example"  # viewer of 2001
FOREIGN = "lars.lan@lanebolaget.example"  # orderer of 3001, nobody at 2001
STRANGER = "x@example.com"


def add_person(ops, customer, email, roles):
    now = clock.to_db(ops.now())
    with ops.store.write() as st:
        st.execute(
            "INSERT INTO roster_entries (customer, email, name, phone, kind, roles, created_at, updated_at)"
            " VALUES (?, ?, ?, NULL, 'person', ?, ?, ?)",
            (customer, email, email.split("@")[0], roles, now, now),
        )


@pytest.fixture
def desk(env, ops):
    """2001 prof/exchange fleet 400 with orderer, contact and viewer; 3001 prof/loan with an orderer;
    desk agent tove@desk.example; G00001 in 2001's stock; an open case of 2001."""
    env.now = NOW
    add_customer(ops, "2001", "Nordbygg AB", "prof", 400, "exchange")
    add_customer(ops, "3001", "Lånebolaget AB", "prof", 25, "loan")
    add_person(ops, "2001", ORDERER, "orderer")
    add_person(ops, "2001", CONTACT, "contact")
    add_person(ops, "2001", VIEWER, "viewer")
    add_person(ops, "3001", FOREIGN, "orderer")
    env.config.write_text(f'[desk]\nagents = ["{AGENT}"]\n')
    ops.config["desk"]["agents"] = [AGENT]
    stock_units(env, "2001", "Galaxy XCover7", "G00001", "G00002")
    env.case = open_case(ops, "2001")
    return env


def _args(env, command):
    return {
        "add": ["swap", "add", "-c", "2001", "-M", "Galaxy XCover7", "G10001"],
        "target": ["swap", "target", "-c", "2001", "-M", "Galaxy XCover7", "5"],
        "retire": ["swap", "retire", "G00001"],
        "ship": ["swap", "ship", "-c", "2001", "--case", env.case],
    }[command]


# Who may act: desk agents always; add/target/retire take the customer's orderer (the customer
# orders, owns and disposes of its stock, seed 003); ship ("SWAP-aktivering") an orderer or contact.
ALLOWED = {
    "add": {AGENT, ORDERER},
    "target": {AGENT, ORDERER},
    "retire": {AGENT, ORDERER},
    "ship": {AGENT, ORDERER, CONTACT},
}


@pytest.mark.parametrize("command", ["add", "target", "retire", "ship"])
@pytest.mark.parametrize("actor", [STRANGER, FOREIGN, VIEWER, CONTACT, ORDERER, AGENT])
def test_by_is_checked_on_swap_commands(desk, command, actor):
    before = desk.snapshot()
    r = desk.cli(*_args(desk, command), "--by", actor)
    if actor in ALLOWED[command]:
        assert r.code == 0, r.stderr
        audit = desk.cli("db", "log", "-n", "1", "-f", "json").json()
        assert audit[0]["actor"] == actor
        return
    assert r.code == 5, r.stderr
    assert r.stderr.startswith("error: ")
    if actor in (STRANGER, FOREIGN) and command == "retire":  # by serial: the owner is not named
        assert r.stderr == (
            f"error: {actor} may not run swap retire on unit G00001: it is not in the swap stock of a"
            f" customer whose roster lists {actor}\n"
        )
    elif actor in (STRANGER, FOREIGN):
        assert f"error: {actor} is not in the roster of customer 2001" in r.stderr
        assert "3001" not in r.stderr  # never names the actor's own customer
    else:
        need = "needs the role contact or orderer" if command == "ship" else "needs the role orderer"
        assert f"error: {actor} is " in r.stderr and need in r.stderr
    assert desk.snapshot() == before  # nothing written, not even the audit


def test_add_file_checks_every_customer_of_the_file(desk):
    sheet = desk.tmp / "units.csv"
    sheet.write_text("customer,model,serial\n2001,Galaxy XCover7,G20001\n3001,Nokia XR21,N20001\n")
    before = desk.snapshot()
    r = desk.cli("swap", "add", "--file", str(sheet), "--by", ORDERER)
    assert r.code == 5
    assert f"error: {ORDERER} is not in the roster of customer 3001" in r.stderr
    assert desk.snapshot() == before
    r = desk.cli("swap", "add", "--file", str(sheet), "--by", ORDERER, "--dry-run")
    assert r.code == 5 and desk.snapshot() == before
    assert desk.cli("swap", "add", "--file", str(sheet), "--by", AGENT).code == 0


# ---------------------------------------------------------------- numbers out of range


@pytest.mark.parametrize(
    "args,message",
    [
        (["--fleet", "-1"], "error: --fleet: -1 is negative"),
        (
            ["--fleet", "9223372036854775808"],
            "error: --fleet: 9223372036854775808 is out of range; give 0 to",
        ),
        (["--fleet", "1e20"], "error: --fleet: '1e20' is not a whole number; give 0 to 9223372036854775807"),
        (["--fleet", "10", "--rate", "nan"], "error: --rate: 'nan' is not a fraction in (0, 1]"),
        (["--fleet", "10", "--rate", "inf"], "error: --rate: 'inf' is not a fraction in (0, 1]"),
        (["--fleet", "10", "--rate", "1e-400"], "error: --rate: '1e-400' is not a fraction in (0, 1]"),
    ],
)
def test_size_numbers_out_of_range(env, args, message):
    before = env.snapshot()
    r = env.cli("swap", "size", *args)
    assert r.code == 3
    assert message in r.stderr
    assert env.snapshot() == before


def test_size_at_the_top_of_the_range(env):
    r = env.cli("swap", "size", "--fleet", "9223372036854775807", "-f", "json")
    assert r.code == 0, r.stderr
    assert r.json()["target"] == 737869762948382065  # ceil(0.08 x (2^63 - 1))


@pytest.mark.parametrize(
    "count,message",
    [
        ("-1", "error: target: -1 is out of range; give 0 to 9223372036854775807"),
        ("9223372036854775808", "error: target: 9223372036854775808 is out of range; give 0 to"),
        ("1e20", "error: target: '1e20' is not a whole number; give 0 to 9223372036854775807"),
    ],
)
def test_target_out_of_range(desk, count, message):
    before = desk.snapshot()
    r = desk.cli("swap", "target", "-c", "2001", "-M", "Galaxy XCover7", "--", count)
    assert r.code == 3, r.stderr
    assert message in r.stderr
    assert desk.snapshot() == before


@pytest.mark.parametrize(
    "args,message",
    [
        (["freight", "--month", "0000-01", "--dry-run"], "error: --month: '0000-01' is out of range"),
        (["freight", "--month", "9999-12", "--dry-run"], "give a month from 2000-01 to 9999-11"),
        (["shipments", "--month", "0000-12"], "error: --month: '0000-12' is out of range"),
    ],
)
def test_months_out_of_range(env, args, message):
    before = env.snapshot()
    r = env.cli("swap", *args)
    assert r.code == 3, r.stderr
    assert message in r.stderr
    assert env.snapshot() == before


# ---------------------------------------------------------------- output files


def test_refill_request_file_goes_through_the_writer(desk):
    out = desk.tmp / "refill.csv"
    out.write_text("keep me\n")
    before = desk.snapshot()
    r = desk.cli("swap", "refill-request", "-c", "2001", "-o", str(out))
    assert r.code == 6
    assert f"error: {out} already exists; use --force to replace it" in r.stderr
    assert out.read_text() == "keep me\n" and desk.snapshot() == before
    link = desk.tmp / "link.csv"
    link.symlink_to(desk.tmp / "elsewhere.csv")
    r = desk.cli("swap", "refill-request", "-c", "2001", "-o", str(link), "--force")
    assert r.code == 3 and "is a symbolic link" in r.stderr
    assert not (desk.tmp / "elsewhere.csv").exists()
    r = desk.cli("swap", "refill-request", "-c", "2001", "-o", str(out), "--force")
    assert r.code == 0, r.stderr
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    with open(out, encoding="utf-8-sig", newline="") as handle:
        assert [(x["model"], x["order"]) for x in csv.DictReader(handle)] == [("Galaxy XCover7", "30")]
    assert [p.name for p in desk.tmp.iterdir() if p.name.startswith(".refill")] == []


def test_freight_file_refused_leaves_the_month_unbilled(desk, ops):
    case = open_case(ops, "2001", at=clock.parse_time("2026-10-05T10:00", ops.tz))
    assert desk.cli("swap", "ship", "-c", "2001", "--case", case, "--at", "2026-10-05T10:00").code == 0
    out = desk.tmp / "freight.csv"
    out.write_text("old\n")
    before = desk.snapshot()
    r = desk.cli("swap", "freight", "--month", "2026-10", "-o", str(out))
    assert r.code == 6 and f"error: {out} already exists; use --force to replace it" in r.stderr
    assert desk.snapshot() == before and out.read_text() == "old\n"
    r = desk.cli("swap", "freight", "--month", "2026-10", "-o", str(desk.tmp / "missing" / "f.csv"))
    assert r.code == 3 and "error: cannot write" in r.stderr
    assert desk.snapshot() == before
    r = desk.cli("swap", "freight", "--month", "2026-10", "-o", str(out), "--force")
    assert r.code == 0, r.stderr
    assert "165.00" in out.read_text(encoding="utf-8-sig")
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600


# ---------------------------------------------------------------- cut-off from the registration


@pytest.mark.parametrize(
    "opened,shipped,ship_date,delivery_date",
    [
        # Thu 13:59 before the cut-off; Fri 2026-06-19 is midsummer eve (no working day): Monday.
        ("2026-06-18T13:59", "2026-06-18T16:30", "2026-06-18", "2026-06-22"),
        # Thu 14:00 is after the cut-off: counts as registered Monday, delivered Tuesday.
        ("2026-06-18T14:00", "2026-06-18T14:05", "2026-06-22", "2026-06-23"),
        # Fri 2026-11-20 09:00, shipped at 15:00 the same day: delivered Monday 2026-11-23.
        ("2026-11-20T09:00", "2026-11-20T15:00", "2026-11-20", "2026-11-23"),
        # Registered Thu 09:00, the spare only sent on Saturday: ships Monday, delivered Tuesday.
        ("2026-11-19T09:00", "2026-11-21T10:00", "2026-11-23", "2026-11-24"),
    ],
)
def test_cutoff_counts_from_the_case_registration(desk, ops, opened, shipped, ship_date, delivery_date):
    case = open_case(ops, "2001", at=clock.parse_time(opened, ops.tz))
    r = desk.cli("swap", "ship", "-c", "2001", "--case", case, "--at", shipped, "-f", "json")
    assert r.code == 0, r.stderr
    data = r.json()
    assert (data["ship_date"], data["delivery_date"]) == (ship_date, delivery_date)
    assert data["registered_at"].startswith(opened)


def test_midsummer_eve_is_not_a_working_day(ops):
    from datetime import date

    assert not ops.calendar.is_working_day(date(2026, 6, 19))
    assert ops.calendar.holiday_name(date(2026, 6, 19)) == "Midsummer Eve"


def test_ship_before_the_case_was_registered_is_refused(desk, ops):
    case = open_case(ops, "2001", at=clock.parse_time("2026-11-20T09:00", ops.tz))
    before = desk.snapshot()
    r = desk.cli("swap", "ship", "-c", "2001", "--case", case, "--at", "2026-11-19T09:00")
    assert r.code == 3
    assert f"error: --at 2026-11-19T09:00+01:00 is before case {case} was registered" in r.stderr
    assert desk.snapshot() == before


# ---------------------------------------------------------------- stock over many customers


def test_stock_over_all_customers_matches_each_customer(env, ops):
    env.now = NOW
    for i in range(30):
        add_customer(ops, str(4000 + i), f"Kund {i}", "prof", 10 + 37 * i, "loan")
    for i in range(0, 30, 3):
        stock_units(env, str(4000 + i), "Nokia XR21", f"N{i:05d}")
        stock_units(env, str(4000 + i), "iPhone 15", f"I{i:05d}", f"J{i:05d}")
    assert env.cli("swap", "target", "-c", "4003", "-M", "Nokia XR21", "4").code == 0
    whole = swap.stock(ops)
    each = [row for i in range(30) for row in swap.stock(ops, str(4000 + i))]
    assert whole == each
    by = {(r["customer"], r["model"]): r for r in whole}
    # 4003: fleet 121 -> target 10; Nokia fixed at 4, the 6 left follow iPhone's share.
    assert (by[("4003", "Nokia XR21")]["target"], by[("4003", "iPhone 15")]["target"]) == (4, 6)
    assert by[("4001", "")]["target"] == 4  # fleet 47 -> ceil(3.76), no units yet


# ---------------------------------------------------------------- races


def test_concurrent_ships_of_the_last_unit_ship_it_once(desk, ops):
    """The stock check runs inside the write transaction: of four racing `swap ship` runs for
    a stock of two units, two ship and two are refused; no unit is shipped twice."""
    import subprocess

    from conftest import OPS_BIN

    cases = [open_case(ops, "2001") for _ in range(4)]
    procs = [
        subprocess.Popen(
            [str(OPS_BIN), "swap", "ship", "-c", "2001", "--case", case, "--by", AGENT],
            env=desk.environ(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for case in cases
    ]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    assert sorted(code for code, _ in results) == [0, 0, 6, 6], results
    refused = [err for code, err in results if code == 6]
    assert all("error: customer 2001 has no unit in swap stock" in err for err in refused)
    rows = ops.store.query("SELECT serial FROM swap_shipments ORDER BY serial")
    assert [r["serial"] for r in rows] == ["G00001", "G00002"]

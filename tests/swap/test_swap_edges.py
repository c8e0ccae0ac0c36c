"""Swap edges found by outside testing: --by on every swap command that acts for a customer
(return, repair, delivered, freight) without naming a unit's owner to a stranger, model names
that differ only in case, retired units, cases without a customer, --at before the case, months
out of range, late shipments in a billed month, and the 14:00 cut-off with the Danish calendar.
"""

from __future__ import annotations

import pytest
from test_swap import open_case, stock_units
from test_swap_safety import AGENT, CONTACT, FOREIGN, ORDERER, STRANGER, VIEWER, desk  # noqa: F401

from ops_cli import clock, swap


def _shipped(env):
    """Ship G00001 (the first Galaxy in stock) on the fixture's case."""
    r = env.cli("swap", "ship", "-c", "2001", "--case", env.case, "--model", "Galaxy XCover7")
    assert r.code == 0, r.stderr
    return r


# return/repair/delivered record the desk's logistics for the unit's customer: a desk agent, or
# the customer's orderer or contact (like `swap ship`); anyone else exits 5 and writes nothing.
COMMANDS = {
    "repair": lambda env: ["swap", "repair", "G00002"],
    "return": lambda env: ["swap", "return", "G00001", "--to", "stock"],
    "delivered": lambda env: ["swap", "delivered", "G00001"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("actor", [STRANGER, FOREIGN, VIEWER, CONTACT, ORDERER, AGENT])
def test_by_is_checked_on_return_repair_and_delivered(desk, command, actor):  # noqa: F811
    _shipped(desk)
    before = desk.snapshot()
    r = desk.cli(*COMMANDS[command](desk), "--by", actor)
    if actor in (CONTACT, ORDERER, AGENT):
        assert r.code == 0, r.stderr
        assert desk.cli("db", "log", "-n", "1", "-f", "json").json()[0]["actor"] == actor
        return
    assert r.code == 5, r.stderr
    assert r.stderr.count("error:") == 1 and r.stderr.startswith("error: ")
    if actor == VIEWER:  # on the unit's customer's roster, without the role
        need = f"swap {command} needs the role contact or orderer"
        assert r.stderr == f"error: {actor} is viewer of customer 2001; {need}\n"
    else:  # addressed by serial: the unit's customer is not named to a stranger
        assert "2001" not in r.stderr and "3001" not in r.stderr
        assert f"error: {actor} may not run swap {command} on unit " in r.stderr
    assert "Traceback" not in r.stderr
    assert desk.snapshot() == before


@pytest.mark.parametrize("actor", [STRANGER, FOREIGN, ORDERER])
def test_freight_billing_is_the_desks_own(desk, actor):  # noqa: F811
    desk.now = "2026-11-20T10:00"
    _shipped(desk)
    desk.now = "2026-12-02T10:00"
    before = desk.snapshot()
    r = desk.cli("swap", "freight", "--month", "2026-11", "--by", actor)
    assert r.code == 5, r.stderr
    assert r.stderr == f"error: {actor} is not one of the desk's agents (config desk.agents)\n"
    assert desk.snapshot() == before
    r = desk.cli("swap", "freight", "--month", "2026-11", "--by", AGENT, "-f", "json")
    assert r.code == 0, r.stderr
    assert [(x["customer"], x["shipments"]) for x in r.json()] == [("2001", 1)]


def test_a_model_differing_only_in_case_is_the_same_model(desk):  # noqa: F811
    r = desk.cli("swap", "add", "-c", "2001", "-M", "galaxy xcover7", "G00003", "-f", "json")
    assert r.code == 0, r.stderr
    assert r.json()["units"][0]["model"] == "Galaxy XCover7"
    stock = desk.cli("swap", "stock", "-c", "2001", "-f", "json").json()
    assert [(x["model"], x["in_stock"]) for x in stock] == [("Galaxy XCover7", 3)]
    r = desk.cli("swap", "ship", "-c", "2001", "--case", desk.case, "--model", "GALAXY XCOVER7", "-f", "json")
    assert r.code == 0, r.stderr
    assert r.json()["model"] == "Galaxy XCover7"
    r = desk.cli("swap", "target", "-c", "2001", "-M", "galaxy XCOVER7", "5", "-f", "json")
    assert r.code == 0 and r.json()["model"] == "Galaxy XCover7"


@pytest.mark.parametrize(
    "registered,ship_date,delivery_date",
    [
        # Danish calendar (PUBLIC + OPTIONAL): midsummer eve is a working day in Denmark
        ("2026-06-18T13:59:59", "2026-06-18", "2026-06-19"),
        ("2026-06-18T14:00:00", "2026-06-19", "2026-06-22"),
        # Grundlovsdag, Friday 2026-06-05, is a day off
        ("2026-06-04T13:00:00", "2026-06-04", "2026-06-08"),
        # Maundy Thursday, Good Friday and Easter Monday
        ("2026-04-01T13:00:00", "2026-04-01", "2026-04-07"),
        # Christmas eve (optional in DK), Christmas day, Boxing day, then the weekend
        ("2026-12-23T13:00:00", "2026-12-23", "2026-12-28"),
    ],
)
def test_cutoff_with_the_danish_calendar(env, ops, registered, ship_date, delivery_date):
    ops.config["calendar"]["country"] = "DK"
    from test_swap import add_customer

    add_customer(ops, "2001", "Nordbygg AB", "prof", 400, "exchange")
    stock_units(env, "2001", "Galaxy XCover7", "G00001")
    case = open_case(ops, "2001", at=clock.parse_time(registered, ops.tz))
    result = swap.ship(ops, "2001", case, at=clock.parse_time(registered, ops.tz))
    assert (result["ship_date"], result["delivery_date"]) == (ship_date, delivery_date)


@pytest.mark.parametrize(
    "args",
    [
        ["swap", "delivered", "G00001", "--at", "2026-11-19T08:59"],
        ["swap", "return", "G00001", "--to", "stock", "--at", "2020-01-01T10:00"],
    ],
)
def test_delivered_or_returned_before_the_case_was_registered_is_refused(desk, args):  # noqa: F811
    _shipped(desk)  # on a case registered 2026-11-19T09:00
    before = desk.snapshot()
    r = desk.cli(*args)
    assert r.code == 3, r.stderr
    assert r.stderr.startswith("error: --at ") and r.stderr.count("\n") == 1
    assert "before case" in r.stderr and "2026-11-19T09:00" in r.stderr
    assert desk.snapshot() == before
    ok = desk.cli(*args[:-1], "2026-11-19T09:00")
    assert ok.code == 0, ok.stderr


def test_ship_on_a_case_without_a_customer_is_refused(desk, ops):  # noqa: F811
    """A case opened for an unknown reporter (no customer) is not the customer's service case:
    shipping its spare there would bill freight and count quality for the wrong case."""
    from ops_cli.cases import open_case as open_

    case = open_(
        ops,
        topic="fault",
        reporter="someone@unknown.example",
        subject="Larmet når inte centralen",
        organisation="Okänd AB",
        reporter_name="Someone",
        reporter_phone="+46700000000",
        area="intrusion-alarm",
        facility="Lagret",
        occurred_at=clock.parse_time("2026-11-19T08:00", ops.tz),
        at=clock.parse_time("2026-11-19T09:00", ops.tz),
    )["number"]
    before = desk.snapshot()
    r = desk.cli("swap", "ship", "-c", "2001", "--case", case)
    assert r.code == 6, r.stderr
    assert r.stderr == f"error: case {case} is not a case of customer 2001\n"
    assert desk.snapshot() == before


@pytest.mark.parametrize("command", [["freight", "--dry-run"], ["shipments"]])
@pytest.mark.parametrize("month", ["0000-01", "1999-12", "9999-12"])
def test_months_out_of_range_name_the_month_range(env, command, month):
    """`clock.parse_month("0000-01")` raises ValueError (platform code): the swap commands check
    the range first, so every month out of range gets the same one line, exit 3."""
    before = env.snapshot()
    r = env.cli("swap", command[0], "--month", month, *command[1:])
    assert r.code == 3, r.stderr
    assert r.stderr == f"error: --month: '{month}' is out of range; give a month from 2000-01 to 9999-11\n"
    assert env.snapshot() == before


def test_adding_a_retired_unit_again_is_refused_not_reported_unchanged(desk):  # noqa: F811
    """`swap add` of a retired serial said "1 unchanged" while the unit stayed out of the stock."""
    assert desk.cli("swap", "retire", "G00002").code == 0
    before = desk.snapshot()
    r = desk.cli("swap", "add", "-c", "2001", "-M", "Galaxy XCover7", "G00002")
    assert r.code == 3, r.stderr
    assert r.stderr.splitlines()[0] == (
        "error: serial G00002 is a retired unit of customer 2001; a retired unit does not come back"
        " to the stock (add the repaired or replacement phone under its own serial); nothing was added"
    )
    assert desk.snapshot() == before
    ok = desk.cli("swap", "add", "-c", "2001", "-M", "Galaxy XCover7", "G00001", "-f", "json")
    assert ok.code == 0 and ok.json()["unchanged"] == 1  # an in-stock unit is still unchanged


def test_a_shipment_sent_in_an_already_billed_month_says_so(desk):  # noqa: F811
    """A spare recorded late (--at in a month whose freight was billed) is not silently left
    unbilled: the command warns and names the --rebill to run; the rebill replaces the lines."""
    _shipped(desk)  # 2026-11-20
    desk.now = "2026-12-02T10:00"
    billed = desk.cli("swap", "freight", "--month", "2026-11", "-f", "json")
    assert billed.code == 0 and billed.json()[0]["shipments"] == 1
    late = desk.cli(
        "swap", "ship", "-c", "2001", "--case", desk.case, "--at", "2026-11-20T15:00", "-f", "json"
    )
    assert late.code == 0, late.stderr
    assert late.json()["month_billed"] is True
    assert (
        "warning: freight for 2026-11 was already billed; bill this shipment with "
        "`ops swap freight --month 2026-11 --rebill`" in late.stderr
    )
    rebill = desk.cli("swap", "freight", "--month", "2026-11", "--rebill", "-f", "json")
    assert rebill.code == 0 and [(x["customer"], x["shipments"]) for x in rebill.json()] == [("2001", 2)]
    stock_units(desk, "2001", "Galaxy XCover7", "G00003")
    on_time = desk.cli("swap", "ship", "-c", "2001", "--case", desk.case, "-f", "json")
    assert on_time.code == 0 and on_time.json()["month_billed"] is False
    assert "already billed" not in on_time.stderr

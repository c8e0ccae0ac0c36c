"""Issue 12 on the roster: `--by` on every roster write, `--fleet` in range, the export writer;
and the email -> customer lookup the cases group uses (issue 13 item 8)."""

from __future__ import annotations

import os
import stat

import pytest
from helpers import refused

from ops_cli import roster
from ops_cli.demo import fixture

AGENT = "desk.agent@desk.example"


@pytest.fixture
def demo(env):
    env.now = "2026-11-20T10:00"
    env.config.write_text(f'[desk]\nagents = ["{AGENT}"]\n', encoding="utf-8")
    assert env.cli("roster", "customer", "import", str(fixture("customers.csv"))).code == 0
    assert env.cli("roster", "import", str(fixture("roster.xlsx"))).code == 0
    return env


def last_audit(env):
    row = env.snapshot()["audit"][-1]
    return row[2], row[3], row[4]  # actor, action, object


# ------------------------------------------------------------------ --by on every roster write
@pytest.mark.parametrize(
    "by, why",
    [
        ("per.falk@nordbygg.example", "per.falk@nordbygg.example is telephony of customer 2001"),
        ("anna.berg@polisen.example", "anna.berg@polisen.example is not in the roster of customer 2001"),
        ("stranger@example.com", "stranger@example.com is not in the roster of customer 2001"),
    ],
)
def test_entry_writes_by_a_non_orderer_are_refused(demo, by, why):
    message = f"{why}; manage-roster needs the role orderer"
    base = ("-c", "2001", "--by", by)
    refused(
        demo, 5, message, "roster", "add", *base, "-e", "ny@nordbygg.example", "--name", "Ny", "-r", "viewer"
    )
    refused(demo, 5, message, "roster", "set", *base, "-e", "per.falk@nordbygg.example", "-r", "viewer")
    refused(demo, 5, message, "roster", "remove", *base, "-e", "johan.dahl@nordbygg.example")


def test_permission_is_checked_before_the_roster_rules(demo):
    # a stranger asking to remove the last orderer hears "not permitted", not the rule
    refused(
        demo,
        5,
        "stranger@example.com is not in the roster of customer 2001",
        *(
            "roster",
            "remove",
            "-c",
            "2001",
            "-e",
            "maria.sund@nordbygg.example",
            "--by",
            "stranger@example.com",
        ),
    )


def test_entry_writes_by_an_orderer_or_a_desk_agent(demo):
    r = demo.cli("roster", "set", "-c", "2001", "-e", "johan.dahl@nordbygg.example", "-r", "contact",
                 "--by", "Maria.Sund@nordbygg.example")  # fmt: skip
    assert r.code == 0, r.stderr
    assert last_audit(demo) == (
        "maria.sund@nordbygg.example",
        "roster.set",
        "roster:2001:johan.dahl@nordbygg.example",
    )
    r = demo.cli("roster", "remove", "-c", "2001", "-e", "johan.dahl@nordbygg.example", "--by", AGENT)
    assert r.code == 0, r.stderr
    assert last_audit(demo) == (AGENT, "roster.remove", "roster:2001:johan.dahl@nordbygg.example")


def test_customer_writes_only_by_the_desk(demo):
    message = "maria.sund@nordbygg.example is not one of the desk's agents (config desk.agents)"
    refused(
        demo,
        5,
        message,
        "roster",
        "customer",
        "set",
        "2001",
        "--fleet",
        "401",
        "--by",
        "maria.sund@nordbygg.example",
    )
    refused(
        demo,
        5,
        "x@example.com is not one of the desk's agents",
        "roster",
        "customer",
        "add",
        "3001",
        "--name",
        "X",
        "--by",
        "x@example.com",
    )
    r = demo.cli("roster", "customer", "add", "3001", "--name", "Åkeri Syd AB", "--by", AGENT)
    assert r.code == 0, r.stderr
    assert last_audit(demo) == (AGENT, "customer.add", "customer:3001")
    r = demo.cli("roster", "customer", "set", "3001", "--fleet", "12", "--by", AGENT, "-f", "json")
    assert r.code == 0 and r.json()["fleet"] == 12
    assert last_audit(demo) == (AGENT, "customer.set", "customer:3001")


# ------------------------------------------------------------------ --fleet in range
@pytest.mark.parametrize(
    "value, message",
    [
        ("-1", "fleet size '-1' must be a whole number from 0 to 1,000,000"),
        ("1e20", "fleet size '1e20' must be a whole number from 0 to 1,000,000"),
        (
            "9223372036854775808",
            "fleet size 9223372036854775808 is too large; it must be a whole number from 0 to 1,000,000",
        ),
        ("1000001", "fleet size 1000001 is too large; it must be a whole number from 0 to 1,000,000"),
        ("12.5", "fleet size '12.5' must be a whole number from 0 to 1,000,000"),
    ],
)
def test_fleet_out_of_range(demo, value, message):
    refused(demo, 3, message, "roster", "customer", "set", "2001", "--fleet", value)
    refused(demo, 3, message, "roster", "customer", "add", "3001", "--name", "X", "--fleet", value)


def test_fleet_bounds_accepted(demo):
    r = demo.cli("roster", "customer", "set", "2001", "--fleet", "1000000", "-f", "json")
    assert r.code == 0 and r.json()["fleet"] == 1_000_000
    r = demo.cli("roster", "customer", "add", "3001", "--name", "X", "--fleet", "0", "-f", "json")
    assert r.code == 0 and r.json()["fleet"] == 0


def test_customer_import_fleet_out_of_range(demo, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("number,name,fleet\n2001,Nordbygg AB,99999999999999999999\n", encoding="utf-8")
    before = demo.snapshot()
    r = demo.cli("roster", "customer", "import", str(path))
    assert r.code == 3
    assert f"{path}:2: fleet: fleet size 99999999999999999999 is too large" in r.stderr
    assert demo.snapshot() == before


# ------------------------------------------------------------------ export through the writer
def test_export_refuses_an_existing_file_unless_force(demo, tmp_path):
    out = tmp_path / "roster.csv"
    out.write_text("keep me", encoding="utf-8")
    r = demo.cli("roster", "export", str(out))
    assert r.code == 6
    assert r.stderr.startswith("error: ") and str(out) in r.stderr
    assert out.read_text(encoding="utf-8") == "keep me"
    r = demo.cli("roster", "export", str(out), "--force", "-f", "json")
    assert r.code == 0, r.stderr
    assert r.json()["rows"] == 15
    assert (
        out.read_text(encoding="utf-8-sig").splitlines()[0]
        == "customer,customer_name,name,email,phone,role,kind"
    )


def test_export_file_is_private_and_symlinks_are_refused(demo, tmp_path):
    out = tmp_path / "r.xlsx"
    r = demo.cli("roster", "export", str(out), "-c", "2002")
    assert r.code == 0, r.stderr
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    target = tmp_path / "elsewhere.csv"
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    r = demo.cli("roster", "export", str(link), "--force")
    assert r.code == 3 and "symbolic link" in r.stderr
    assert not target.exists()
    r = demo.cli("roster", "export", str(tmp_path / "missing" / "r.csv"))
    assert r.code == 3 and "does not exist" in r.stderr and "missing" in r.stderr


# ------------------------------------------------------------------ whose user is this address?
def test_customer_of_email(ops):
    roster.load_demo(ops)
    store = ops.store
    assert roster.customer_of_email(store, "Anna.Berg@polisen.example") == "1001"
    assert roster.customer_of_email(store, "someone.new@rtj.example") == "1002"  # by domain
    assert roster.customer_of_email(store, "nobody@elsewhere.example") is None
    assert roster.customer_of_email(store, "not an email") is None
    # a partner's gmail on 1001's roster is 1001's user
    roster.add_entry(ops, "1001", "partner@gmail.example", "Partner", ["viewer"])
    assert roster.customer_of_email(store, "partner@gmail.example") == "1001"
    # the roster wins over the domain: a Nordbygg address on 1002's roster is 1002's user
    roster.add_entry(ops, "1002", "konsult@nordbygg.example", "Konsult", ["viewer"])
    assert roster.customer_of_email(store, "konsult@nordbygg.example") == "1002"
    # on two rosters: ambiguous
    roster.add_entry(ops, "2002", "partner@gmail.example", "Partner", ["viewer"])
    assert roster.customer_of_email(store, "partner@gmail.example") is None

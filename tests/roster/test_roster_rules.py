"""Roster rules (issue 13 item 7): the last orderer/contact stays, functions are contacts only,
`roster add` merges, `roster set` replaces.

Demo roster (fixtures/roster.xlsx): 1001 orderer anna.berg, contacts ledningscentral
(function) and sara.lund, viewers olle.ek and mats.holm; 1002 orderer karin.lind, contact
jonas.holm, viewer eva.sjo; 2001 orderer maria.sund, telephony per.falk (+46701234567),
contacts emma.strand and vaxel (function), viewer johan.dahl; 2002 orderer+telephony lisa.ek,
contact oskar.ek.
"""

from __future__ import annotations

import pytest
from helpers import refused

from ops_cli import roster
from ops_cli.demo import fixture
from ops_cli.errors import Conflict


@pytest.fixture
def demo(env):
    env.now = "2026-11-20T10:00"
    assert env.cli("roster", "customer", "import", str(fixture("customers.csv"))).code == 0
    assert env.cli("roster", "import", str(fixture("roster.xlsx"))).code == 0
    return env


def entry(env, customer, email):
    rows = env.cli("roster", "list", "-c", customer, "-f", "json").json()
    found = [r for r in rows if r["email"] == email]
    return found[0] if found else None


# ------------------------------------------------------------------ the last orderer / contact
def test_remove_last_orderer_is_refused(demo):
    refused(
        demo,
        6,
        "customer 2001 would be left without an orderer (taken from maria.sund@nordbygg.example); "
        "every customer keeps at least one orderer and one contact: add another orderer first",
        *("roster", "remove", "-c", "2001", "-e", "maria.sund@nordbygg.example"),
    )


def test_remove_last_contact_function_is_refused(demo):
    r = demo.cli("roster", "remove", "-c", "1001", "-e", "sara.lund@polisen.example")
    assert r.code == 0, r.stderr  # the function is still a contact
    refused(
        demo,
        6,
        "customer 1001 would be left without a contact (taken from ledningscentral@polisen.example)",
        *("roster", "remove", "-c", "1001", "-e", "ledningscentral@polisen.example"),
    )


def test_remove_an_orderer_when_another_remains(demo):
    r = demo.cli(
        "roster", "add", "-c", "2001", "-e", "eva@nordbygg.example", "--name", "Eva", "-r", "orderer"
    )
    assert r.code == 0, r.stderr
    r = demo.cli("roster", "remove", "-c", "2001", "-e", "maria.sund@nordbygg.example")
    assert r.code == 0, r.stderr
    assert entry(demo, "2001", "maria.sund@nordbygg.example") is None
    # now eva is the last one
    refused(
        demo,
        6,
        "customer 2001 would be left without an orderer (taken from eva@nordbygg.example)",
        *("roster", "remove", "-c", "2001", "-e", "eva@nordbygg.example"),
    )


def test_set_that_drops_the_last_orderer_role_is_refused(demo):
    refused(
        demo,
        6,
        "customer 2002 would be left without an orderer (taken from lisa.ek@bonan.example)",
        *("roster", "set", "-c", "2002", "-e", "lisa.ek@bonan.example", "-r", "telephony"),
    )
    refused(
        demo,
        6,
        "customer 1002 would be left without a contact (taken from jonas.holm@rtj.example)",
        *("roster", "set", "-c", "1002", "-e", "jonas.holm@rtj.example", "-r", "viewer"),
    )


def test_set_moving_the_contact_role_within_the_plan_is_allowed(ops):
    roster.load_demo(ops)
    # 1002's only contact is jonas: karin takes the role first, then jonas may drop it.
    roster.set_entry(ops, "1002", "karin.lind@rtj.example", roles=["orderer", "contact"])
    out = roster.set_entry(ops, "1002", "jonas.holm@rtj.example", roles=["viewer"])
    assert out["roles"] == ["viewer"] and out["result"] == "updated"


def test_brand_new_customer_without_roster_is_allowed(demo):
    r = demo.cli("roster", "customer", "add", "3001", "--name", "Åkeri Syd AB")
    assert r.code == 0, r.stderr
    r = demo.cli("roster", "add", "-c", "3001", "-e", "v@akeri.example", "--name", "V", "-r", "viewer")
    assert r.code == 0, r.stderr  # no orderer, no contact yet: allowed, it never had one
    r = demo.cli("roster", "add", "-c", "3001", "-e", "o@akeri.example", "--name", "O", "-r", "orderer")
    assert r.code == 0
    r = demo.cli("roster", "remove", "-c", "3001", "-e", "v@akeri.example")
    assert r.code == 0, r.stderr  # still no contact, but it never had one
    refused(
        demo,
        6,
        "customer 3001 would be left without an orderer (taken from o@akeri.example)",
        *("roster", "remove", "-c", "3001", "-e", "o@akeri.example"),
    )


def test_invariant_function_on_a_planned_import(ops):
    """What `roster import --replace` (and its --dry-run) hands over: a plan, checked before writing."""
    roster.load_demo(ops)
    with ops.store.write() as st:
        # removals of two customers' last orderers: both named, 1001 first
        with pytest.raises(Conflict) as exc:
            roster.check_roster_invariants(
                st,
                {("2001", "maria.sund@nordbygg.example"): None, ("1001", "anna.berg@polisen.example"): None},
            )
        assert str(exc.value) == "2 customers would be left without an orderer or a contact"
        assert [p.message.split(" (")[0] for p in exc.value.problems] == [
            "customer 1001 would be left without an orderer",
            "customer 2001 would be left without an orderer",
        ]
        # the same removal with a new orderer in the same plan is fine
        roster.check_roster_invariants(
            st, {("2001", "maria.sund@nordbygg.example"): None, ("2001", "new@nordbygg.example"): "orderer"}
        )
        # an updated row that drops the role counts too; losing both roles names both
        with pytest.raises(Conflict, match="customer 1002 would be left without an orderer and a contact"):
            roster.check_roster_invariants(
                st, {("1002", "karin.lind@rtj.example"): ["viewer"], ("1002", "jonas.holm@rtj.example"): None}
            )
        # the caller's own reading of the roster (entries_of_customers tuples) is used when given
        current = {("2002", "lisa.ek@bonan.example"): ("Lisa Ek", None, "person", "orderer,telephony")}
        with pytest.raises(Conflict, match="customer 2002 would be left without an orderer"):
            roster.check_roster_invariants(st, {("2002", "lisa.ek@bonan.example"): "telephony"}, current)
        roster.check_roster_invariants(st, {("2002", "lisa.ek@bonan.example"): "orderer,viewer"}, current)


# ------------------------------------------------------------------ functions are contacts only
def test_function_may_only_be_a_contact(demo):
    only_contact = "a function (shared mailbox) may only have the role contact"
    message = f"ledningscentral@polisen.example: {only_contact}, not orderer"
    refused(
        demo,
        3,
        message,
        "roster",
        "add",
        "-c",
        "1001",
        "-e",
        "ledningscentral@polisen.example",
        "-r",
        "orderer",
    )
    refused(
        demo,
        3,
        f"jour@polisen.example: {only_contact}, not telephony or viewer",
        *("roster", "add", "-c", "1001", "-e", "jour@polisen.example", "--name", "Jour"),
        *("-r", "viewer", "-r", "telephony", "--function"),
    )
    refused(
        demo,
        3,
        f"anna.berg@polisen.example: {only_contact}, not orderer",
        *("roster", "set", "-c", "1001", "-e", "anna.berg@polisen.example", "--kind", "function"),
    )
    r = demo.cli(
        "roster", "set", "-c", "1001", "-e", "jour@polisen.example", "--name", "Jour", "-r", "contact",
        "--kind", "function", "-f", "json",
    )  # fmt: skip
    assert r.code == 0, r.stderr
    assert (r.json()["kind"], r.json()["roles"], r.json()["result"]) == ("function", ["contact"], "created")


# ------------------------------------------------------------------ add merges, set replaces
def test_add_existing_email_adds_roles_and_keeps_other_fields(demo):
    r = demo.cli(
        "roster", "add", "-c", "2001", "-e", "per.falk@nordbygg.example", "-r", "viewer", "-f", "json"
    )
    assert r.code == 0, r.stderr
    assert r.json() == {
        "customer": "2001",
        "name": "Per Falk",
        "email": "per.falk@nordbygg.example",
        "phone": "+46701234567",
        "roles": ["telephony", "viewer"],
        "kind": "person",
        "result": "updated",
    }
    # a function stays a function when re-added without --function; an empty phone blanks nothing
    r = demo.cli(
        "roster", "add", "-c", "1001", "-e", "ledningscentral@polisen.example", "--name", "Ledningscentralen",
        "-r", "contact", "--phone", "", "-f", "json",
    )  # fmt: skip
    assert r.code == 0, r.stderr
    assert (r.json()["kind"], r.json()["name"], r.json()["roles"]) == (
        "function",
        "Ledningscentralen",
        ["contact"],
    )
    audit = demo.snapshot()["audit"]
    assert [row[3] for row in audit[-2:]] == ["roster.update", "roster.update"]


def test_add_same_data_again_is_unchanged_and_not_audited(demo):
    before = demo.snapshot()
    r = demo.cli(
        "roster", "add", "-c", "2001", "-e", "per.falk@nordbygg.example", "-r", "telephony", "-f", "json"
    )
    assert r.code == 0 and r.json()["result"] == "unchanged"
    assert demo.snapshot() == before


def test_add_new_entry_needs_a_name(demo):
    refused(
        demo,
        3,
        "eva@nordbygg.example is not in the roster yet: a new entry needs a name (--name)",
        *("roster", "add", "-c", "2001", "-e", "eva@nordbygg.example", "-r", "viewer"),
    )


def test_set_replaces_given_fields_only(demo):
    r = demo.cli(
        "roster", "set", "-c", "2001", "-e", "per.falk@nordbygg.example", "-r", "viewer", "-r", "contact",
        "--phone", "", "-f", "json",
    )  # fmt: skip
    assert r.code == 0, r.stderr
    assert r.json() == {
        "customer": "2001",
        "name": "Per Falk",
        "email": "per.falk@nordbygg.example",
        "phone": None,
        "roles": ["contact", "viewer"],
        "kind": "person",
        "result": "updated",
    }
    r = demo.cli(
        "roster", "set", "-c", "2001", "-e", "per.falk@nordbygg.example", "--name", "Per  Falk", "-f", "json"
    )
    assert (r.json()["name"], r.json()["roles"]) == ("Per  Falk", ["contact", "viewer"])
    action, obj, before, after = demo.snapshot()["audit"][-1][3:7]
    assert (action, obj) == ("roster.set", "roster:2001:per.falk@nordbygg.example")


def test_set_adds_a_missing_entry(demo):
    r = demo.cli(
        "roster", "set", "-c", "2002", "-e", "kassa@bonan.example", "--name", "Kassan", "-r", "contact",
        "--phone", "08-123 456 78", "-f", "json",
    )  # fmt: skip
    assert r.code == 0, r.stderr
    assert r.json()["result"] == "created" and r.json()["phone"] == "+46812345678"
    assert demo.snapshot()["audit"][-1][3] == "roster.add"
    refused(
        demo,
        3,
        "x@bonan.example is not in the roster yet: a new entry needs a role (--role)",
        *("roster", "set", "-c", "2002", "-e", "x@bonan.example", "--name", "X"),
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (["--kind", "robot"], "unknown kind 'robot'; allowed: person, function"),
        (["--phone", "call me"], "'call me' is not a phone number"),
        (["--name", " "], "name is missing"),
        (["-r", "boss"], "unknown role 'boss'"),
        (["--name", "Per\u202eFalk"], "name contains the invisible character U+202E"),
    ],
)
def test_set_bad_values(demo, args, message):
    refused(demo, 3, message, "roster", "set", "-c", "2001", "-e", "per.falk@nordbygg.example", *args)

"""Hostile and edge input on the roster commands, as the desk would type it (roster-qa).

Demo roster (fixtures/roster.xlsx): 2001 orderer maria.sund, telephony per.falk
(+46701234567), contacts emma.strand and vaxel (function), viewer johan.dahl; 2002
orderer+telephony lisa.ek, contact oskar.ek. Customers 1001, 1002, 2001, 2002.
"""

from __future__ import annotations

import re
import shlex
import unicodedata

import pytest
from helpers import refused

from ops_cli.demo import fixture


@pytest.fixture
def demo(env):
    env.now = "2026-11-20T10:00"
    assert env.cli("roster", "customer", "import", str(fixture("customers.csv"))).code == 0
    assert env.cli("roster", "import", str(fixture("roster.xlsx"))).code == 0
    return env


# ------------------------------------------------------------------ --by given but empty
@pytest.mark.parametrize("by", ["", "   "])
def test_empty_by_is_invalid_input_not_an_unnamed_actor(demo, by):
    # before: exit 5 "error:  is not in the roster of customer 2001; ..." (an empty name)
    r = refused(
        demo,
        3,
        "--by is empty",
        *("roster", "add", "-c", "2001", "-e", "eva.lund@nordbygg.example", "--name", "Eva Lund"),
        *("-r", "contact", "--by", by),
    )
    assert "error:  " not in r.stderr
    refused(
        demo,
        3,
        "--by is empty",
        "roster",
        "remove",
        "-c",
        "2001",
        "-e",
        "johan.dahl@nordbygg.example",
        "--by",
        by,
    )
    refused(demo, 3, "--by is empty", "roster", "customer", "set", "2001", "--fleet", "5", "--by", by)


# ------------------------------------------------------------------ customer numbers and fleet
@pytest.mark.parametrize("number", ["２００１", "٢٠٠١", "२००१"])
def test_customer_number_in_other_digits_is_refused(demo, number):
    # before: `roster customer add ２００１` created a second customer that looks like 2001
    refused(demo, 3, "digits 0-9", "roster", "customer", "add", number, "--name", "Look-alike AB")
    refused(
        demo,
        3,
        "digits 0-9",
        "roster",
        "add",
        "-c",
        number,
        "-e",
        "a@b.example",
        "--name",
        "A",
        "-r",
        "viewer",
    )


@pytest.mark.parametrize("fleet", ["٣", "１２", "1e3", "-1", "1000001", str(2**63), "1.5", "+5"])
def test_fleet_outside_the_plain_whole_numbers_is_refused(demo, fleet):
    refused(
        demo, 3, "a whole number from 0 to 1,000,000", "roster", "customer", "set", "2002", "--fleet", fleet
    )


@pytest.mark.parametrize(
    "fleet,stored", [("0", 0), ("1", 1), ("1000000", 1_000_000), (" 7 ", 7), ("12.0", 12)]
)
def test_fleet_limits_accepted(demo, fleet, stored):
    r = demo.cli("roster", "customer", "set", "2002", "--fleet", fleet, "-f", "json")
    assert r.code == 0, r.stderr
    assert r.json()["fleet"] == stored


# ------------------------------------------------------------------ names typed on the command line
@pytest.mark.parametrize(
    "name,problem",
    [
        ("Eva\x01Lund", "control character U+0001"),
        ("Eva\nLund", "control character U+000A"),
        ("Eva\tLund", "control character U+0009"),
        ("Eva\x7fLund", "control character U+007F"),
    ],
)
def test_control_characters_in_names_are_refused(demo, name, problem):
    # before: stored, and then `roster export x.xlsx` failed and a .csv export could not be imported
    args = ("roster", "add", "-c", "2001", "-e", "eva.lund@nordbygg.example", "--name", name, "-r", "contact")
    refused(demo, 3, problem, *args)
    refused(
        demo, 3, problem, "roster", "set", "-c", "2001", "-e", "per.falk@nordbygg.example", "--name", name
    )
    refused(demo, 3, problem, "roster", "customer", "add", "3001", "--name", name)
    refused(demo, 3, problem, "roster", "customer", "set", "2001", "--name", name)


def test_overlong_name_is_refused(demo):
    long = "x" * 40_000  # over Excel's 32,767: the export of the roster would fail
    refused(
        demo,
        3,
        "at most 200 characters",
        "roster",
        "add",
        "-c",
        "2001",
        "-e",
        "x@nordbygg.example",
        "--name",
        long,
        "-r",
        "viewer",
    )
    refused(demo, 3, "at most 200 characters", "roster", "customer", "set", "2001", "--name", "y" * 201)
    r = demo.cli(
        "roster", "add", "-c", "2001", "-e", "x@nordbygg.example", "--name", "z" * 200, "-r", "viewer"
    )
    assert r.code == 0, r.stderr


def test_export_round_trip_after_hostile_but_valid_names(demo, tmp_path):
    nfd = "A\u030asa O\u0308berg"  # NFD, as macOS types it: stored NFC
    r = demo.cli(
        "roster",
        "add",
        "-c",
        "2001",
        "-e",
        "asa@nordbygg.example",
        "--name",
        nfd,
        "-r",
        "viewer",
        "-f",
        "json",
    )
    assert r.code == 0, r.stderr
    assert r.json()["name"] == "\u00c5sa \u00d6berg"
    r = demo.cli(
        "roster", "add", "-c", "2001", "-e", "f@nordbygg.example", "--name", '=HYPERLINK("x")', "-r", "viewer"
    )
    assert r.code == 0, r.stderr
    for name in ("r.xlsx", "r.csv"):
        out = tmp_path / name
        assert demo.cli("roster", "export", str(out)).code == 0
        before = demo.snapshot()
        r = demo.cli("roster", "import", str(out), "-f", "json")
        assert r.code == 0, r.stderr
        assert (r.json()["created"], r.json()["updated"]) == (0, 0)
        assert demo.snapshot() == before


# ------------------------------------------------------------------ roles and actions as typed
def test_role_option_takes_a_comma_list_like_the_sheet(demo):
    r = demo.cli(
        "roster", "add", "-c", "2001", "-e", "eva.lund@nordbygg.example", "--name", "Eva Lund",
        "-r", "telefoniansvarig, Kontaktperson", "-f", "json",
    )  # fmt: skip
    assert r.code == 0, r.stderr
    assert r.json()["roles"] == ["contact", "telephony"]
    refused(
        demo,
        3,
        "unknown role 'orderr'",
        "roster",
        "add",
        "-c",
        "2001",
        "-e",
        "x@nordbygg.example",
        "--name",
        "X",
        "-r",
        "viewer,orderr",
    )


def test_swedish_role_names_typed_decomposed(demo):
    nfd = unicodedata.normalize("NFD", "beställare")  # as a macOS terminal may send it
    r = demo.cli("roster", "list", "-r", nfd, "-f", "json")
    assert r.code == 0, r.stderr
    assert {e["email"] for e in r.json()} >= {"maria.sund@nordbygg.example", "lisa.ek@bonan.example"}
    r = demo.cli(
        "roster", "add", "-c", "2001", "-e", "eva.lund@nordbygg.example", "--name", "Eva Lund",
        "-r", unicodedata.normalize("NFD", "Läsare"), "-f", "json",
    )  # fmt: skip
    assert r.code == 0, r.stderr
    assert r.json()["roles"] == ["viewer"]


def test_kind_as_the_sheet_writes_it(demo):
    r = demo.cli(
        "roster",
        "set",
        "-c",
        "2001",
        "-e",
        "emma.strand@nordbygg.example",
        "--kind",
        "Funktion",
        "-f",
        "json",
    )
    assert r.code == 0, r.stderr
    assert r.json()["kind"] == "function"
    refused(
        demo,
        3,
        "unknown kind ' '; allowed: person, function",
        "roster",
        "set",
        "-c",
        "2001",
        "-e",
        "emma.strand@nordbygg.example",
        "--kind",
        " ",
    )
    refused(
        demo,
        3,
        "unknown kind 'bot'",
        "roster",
        "set",
        "-c",
        "2001",
        "-e",
        "x@nordbygg.example",
        "--kind",
        "bot",
    )


def test_export_says_entry_or_entries(demo, tmp_path):
    r = demo.cli("roster", "export", str(tmp_path / "one.csv"), "-c", "2001")
    assert r.code == 0 and "wrote 5 entries to" in r.stderr
    demo.cli("roster", "customer", "add", "3001", "--name", "Ett AB")
    demo.cli("roster", "add", "-c", "3001", "-e", "a@ett.example", "--name", "A", "-r", "orderer")
    r = demo.cli("roster", "export", str(tmp_path / "two.csv"), "-c", "3001")
    assert r.code == 0 and "wrote 1 entry to" in r.stderr


def test_can_action_any_case(demo):
    r = demo.cli("roster", "can", "lisa.ek@bonan.example", " Order ", "-c", "2002", "-f", "json")
    assert r.code == 0, r.stderr
    assert r.json()["action"] == "order"
    refused(demo, 3, "unknown action 'ordr'", "roster", "can", "lisa.ek@bonan.example", "ordr", "-c", "2002")


# ------------------------------------------------------------------ --help examples paste cleanly
@pytest.mark.parametrize("command", [("add",), ("set",), ("remove",), ("can",), ("customer", "add")])
def test_help_examples_paste_and_run(demo, command):
    """Each example is its own paragraph (lines joined only by a trailing backslash, as a shell
    would), short enough for an 80-column terminal, and runs as pasted on the demo store."""
    r = demo.cli("roster", *command, "--help", COLUMNS="80")
    assert r.code == 0
    lines = [line.strip().strip("│").strip() for line in r.stdout.splitlines()]
    starts = [i for i, line in enumerate(lines) if line.startswith("ops roster ")]
    assert starts, r.stdout
    for i in starts:
        parts = [lines[i]]
        while parts[-1].endswith("\\"):
            i += 1
            parts.append(lines[i])
        assert all(len(part) <= 76 for part in parts), parts
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        assert nxt == "", (parts, nxt)  # nothing glued to the example
        words = shlex.split(" ".join(p.rstrip("\\") for p in parts))
        if "&&" in words:
            words = words[: words.index("&&")]
        assert words[:2] == ["ops", "roster"], words
        run = demo.cli(*words[1:])
        assert run.code == 0, (words, run.stderr)


# ------------------------------------------------------------------ customer show in every format
def test_customer_show_prints_the_roster_as_a_table_not_json_blobs(demo):
    # before: the table/md/csv held one cell of JSON text: {"customer": "2002", "name": ...}
    for fmt in ("table", "md", "csv"):
        r = demo.cli("roster", "customer", "show", "2002", "-f", fmt)
        assert r.code == 0, r.stderr
        assert '{"' not in r.stdout, r.stdout
    r = demo.cli("roster", "customer", "show", "2002", "-f", "table")
    assert "roster:" in r.stdout
    assert re.search(
        r"Lisa Ek\s+lisa\.ek@bonan\.example\s+\+46 70 987 65 43\s+orderer, telephony\s+person", r.stdout
    )
    r = demo.cli("roster", "customer", "show", "2002", "-f", "csv")
    assert r.stdout.splitlines() == [
        "number,name,agreement,binding_until,sla_tier,service_level,fleet,kam,swap_policy,department,domains",
        "2002,Café Bönan,forening,2027-06-30,bronze,bas,13,no,loan,,bonan.example",
    ]
    r = demo.cli("roster", "customer", "show", "2002", "-f", "json")
    assert [e["email"] for e in r.json()["roster"]] == ["lisa.ek@bonan.example", "oskar.ek@bonan.example"]


def test_agreement_is_one_line_of_text(demo):
    for bad, problem in (("Busi\x01ness", "control character U+0001"), ("Business\nDeal", "U+000A")):
        refused(demo, 3, problem, "roster", "customer", "set", "2001", "--agreement", bad)
    r = demo.cli("roster", "customer", "set", "2001", "--agreement", " Erhvervsaftale ", "-f", "json")
    assert r.code == 0, r.stderr
    assert r.json()["agreement"] == "Erhvervsaftale"


@pytest.mark.parametrize("name", ["roster.txt", ".csv", "folder"])
def test_export_needs_a_file_name_ending_in_xlsx_or_csv(demo, tmp_path, name):
    (tmp_path / "folder").mkdir(exist_ok=True)
    target = tmp_path / name
    refused(demo, 3, f"cannot write '{target}': export to .xlsx or .csv", "roster", "export", str(target))
    assert not (tmp_path / "roster.txt").exists()


@pytest.mark.parametrize(
    "typed,problem",
    [
        ("45000", "binding date '45000' must be written YYYY-MM-DD"),  # was 2023-03-15 (Excel day)
        ("1", "binding date '1' must be written YYYY-MM-DD"),  # was 1899-12-31
        ("2027-02-30", "binding date '2027-02-30' must be written YYYY-MM-DD"),
        ("31/12/2027", "must be written YYYY-MM-DD"),
        ("0001-01-01", "binding date 0001-01-01 is out of range: 2000-01-01 to 2099-12-31"),
        ("9999-12-31", "out of range"),
    ],
)
def test_binding_date_as_typed(demo, typed, problem):
    refused(demo, 3, problem, "roster", "customer", "set", "2002", "--binding-until", typed)
    refused(
        demo, 3, problem, "roster", "customer", "add", "3001", "--name", "Ny AB", "--binding-until", typed
    )


def test_binding_date_accepted_and_cleared(demo):
    r = demo.cli("roster", "customer", "set", "2002", "--binding-until", " 2099-12-31 ", "-f", "json")
    assert r.code == 0 and r.json()["binding_until"] == "2099-12-31"
    r = demo.cli("roster", "customer", "set", "2002", "--binding-until", "", "-f", "json")
    assert r.code == 0 and r.json()["binding_until"] is None


def test_several_bad_customer_options_are_named_on_the_error_line(demo):
    r = refused(
        demo, 3, "2 invalid values (--sla-tier, --fleet); nothing was changed",
        "roster", "customer", "add", "3001", "--name", "X", "--fleet", "abc", "--sla-tier", "zz",
    )  # fmt: skip
    assert "unknown SLA tier 'zz'" in r.stderr and "fleet size 'abc'" in r.stderr


def test_list_with_several_roles_lists_either(demo):
    # before: `-r viewer,contact` silently listed the contacts only
    r = demo.cli("roster", "list", "-c", "2001", "-r", "viewer, kontaktperson", "-f", "json")
    assert r.code == 0, r.stderr
    assert [e["email"] for e in r.json()] == [
        "emma.strand@nordbygg.example",
        "johan.dahl@nordbygg.example",
        "vaxel@nordbygg.example",
    ]

"""Issue 12 for cases: `--by` checked on every case command, out-of-range numbers exit 3,
the export goes through the one file writer. A refusal writes nothing, not even the audit."""

from __future__ import annotations

import os

import pytest
from helpers import refused
from test_case_helpers import desk, number  # noqa: F401 (shared pytest fixtures)

AGENT = "tove@desk.example"
ORDERER = "anna.berg@polisen.example"  # customer 1001
VIEWER = "olle.ek@polisen.example"  # customer 1001
FOREIGN = "karin.lind@rtj.example"  # customer 1002's orderer
STRANGER = "nobody@elsewhere.example"


AGENT_ACTIONS = [
    ("reply", "-m", "Vi felsöker"),
    ("note", "-m", "Ring NOC"),
    ("assign", "--department", "local-south"),
    ("set-callback", "--every", "12"),
    ("callback", "--note", "Pratat med Anna"),
    ("close", "--resolution", "Fixat"),
]


@pytest.mark.parametrize("action", AGENT_ACTIONS, ids=lambda a: a[0])
@pytest.mark.parametrize("who", [ORDERER, FOREIGN, STRANGER])
def test_agent_actions_refuse_anyone_but_desk_agents(desk, number, action, who):
    verb, *rest = action
    refused(
        desk,
        5,
        f"{who} is not one of the desk's agents (config desk.agents)",
        "case",
        verb,
        number,
        *rest,
        "--by",
        who,
    )


@pytest.mark.parametrize("action", AGENT_ACTIONS, ids=lambda a: a[0])
def test_agent_actions_by_a_desk_agent_or_the_operator(desk, number, action):
    verb, *rest = action
    run = desk.cli("case", verb, number, *rest, "--by", AGENT.upper())
    assert run.code == 0, run.stderr
    audit = desk.snapshot()["audit"]
    assert AGENT in str(audit[-1])


def test_operator_without_by_is_allowed(desk, number):
    assert desk.cli("case", "reply", number, "-m", "ok").code == 0


def test_customer_message_by_its_people_or_the_reporter_only(desk, number):
    refused(
        desk,
        5,
        f"{FOREIGN} is neither the reporter of case {number} nor on the roster of customer 1001",
        "case",
        "message",
        number,
        "-m",
        "x",
        "--by",
        FOREIGN,
    )
    refused(
        desk,
        5,
        f"{AGENT} is a desk agent; a customer message comes from the customer's people",
        "case",
        "message",
        number,
        "-m",
        "x",
        "--by",
        AGENT,
    )
    ok = desk.cli("case", "message", number, "-m", "Fortfarande nere", "--by", VIEWER)
    assert ok.code == 0, ok.stderr


def test_new_customer_case_message_only_by_its_reporter(desk):
    run = desk.cli(
        "case",
        "open",
        "--topic",
        "fault",
        "--reporter",
        "drift@larmbolaget.example",
        "--subject",
        "Larm",
        "--organisation",
        "Larmbolaget",
        "--reporter-name",
        "Sara",
        "--reporter-phone",
        "+46 40 123 45 67",
        "--area",
        "fire-alarm",
        "--facility",
        "Skola",
        "--occurred-at",
        "2026-11-16T08:00",
        "-f",
        "json",
    )
    n = run.json()["number"]
    refused(
        desk,
        5,
        f"{STRANGER} is not the reporter of case {n}",
        "case",
        "message",
        n,
        "-m",
        "x",
        "--by",
        STRANGER,
    )
    assert desk.cli("case", "message", n, "-m", "x", "--by", "drift@larmbolaget.example").code == 0


def test_grant_by_orderer_or_contact_only(desk, number):
    refused(
        desk,
        5,
        "grant-access needs the role contact or orderer",
        "case",
        "grant",
        number,
        "--name",
        "X AB",
        "--by",
        VIEWER,
    )
    refused(
        desk,
        5,
        f"{AGENT} is not in the roster of customer 1001",
        "case",
        "grant",
        number,
        "--name",
        "X AB",
        "--by",
        AGENT,
    )
    refused(
        desk,
        5,
        f"{FOREIGN} is not in the roster of customer 1001",
        "case",
        "grant",
        number,
        "--name",
        "X AB",
        "--by",
        FOREIGN,
    )
    assert desk.cli("case", "grant", number, "--name", "X AB", "--by", ORDERER).code == 0


def test_reopen_by_agent_or_the_customers_people(desk, number):
    assert desk.cli("case", "close", number, "--resolution", "klart").code == 0
    refused(
        desk,
        5,
        f"{FOREIGN} is not a desk agent, the reporter of case {number} or on the roster of customer 1001",
        "case", "reopen", number, "--by", FOREIGN,
    )  # fmt: skip
    assert desk.cli("case", "reopen", number, "--by", VIEWER).code == 0
    assert desk.cli("case", "close", number, "--resolution", "klart").code == 0
    assert desk.cli("case", "reopen", number, "--by", AGENT).code == 0


def test_open_by_someone_foreign_is_refused(desk):
    refused(
        desk,
        5,
        f"{FOREIGN} is neither one of the desk's agents",
        "case",
        "open",
        "--topic",
        "fault",
        "--reporter",
        ORDERER,
        "--subject",
        "x",
        "--by",
        FOREIGN,
    )


def test_a_refused_actor_is_checked_before_the_case_state(desk, number):
    assert desk.cli("case", "close", number, "--resolution", "klart").code == 0
    # closed case and a stranger: the stranger learns nothing about the case's state
    refused(desk, 5, "is not one of the desk's agents", "case", "reply", number, "-m", "x", "--by", STRANGER)


# ------------------------------------------------------------------ numbers out of range


@pytest.mark.parametrize("every", ["inf", "0", "-4", "nan", "1e9", "0.1"])
def test_every_out_of_range_exits_3(desk, number, every):
    refused(
        desk, 3, "--every must be from 0.25 to 8760 hours", "case", "set-callback", number, f"--every={every}"
    )


@pytest.mark.parametrize("days", ["-1", "1e20", "abc", "99999999999999999999", "36501", "2.5"])
def test_days_out_of_range_exits_3(desk, days):
    refused(
        desk, 3, "--days must be a whole number of days from 0 to 36500", "case", "stale", f"--days={days}"
    )


def test_days_at_the_limits_work(desk, number):
    assert desk.cli("case", "stale", "--days", "0").code == 0
    assert desk.cli("case", "stale", "--days", "36500").code == 0


def test_until_at_the_end_of_the_calendar_exits_3(desk):
    refused(desk, 3, "--until", "case", "list", "--until", "9999-12-31")  # the clock bounds dates


# ------------------------------------------------------------------ export through the file writer


def test_export_refuses_an_existing_file_unless_force(desk, number, tmp_path):
    target = tmp_path / "cases.csv"
    target.write_text("keep me\n")
    refused(desk, 6, f"{target} already exists; use --force to replace it", "case", "export", str(target))
    assert target.read_text() == "keep me\n"
    run = desk.cli("case", "export", str(target), "--force")
    assert run.code == 0, run.stderr
    assert number in target.read_text(encoding="utf-8-sig")
    assert target.stat().st_mode & 0o777 == 0o600  # personal data: like the store
    fresh = tmp_path / "fresh.xlsx"
    assert desk.cli("case", "export", str(fresh)).code == 0
    assert fresh.stat().st_mode & 0o777 == 0o600


def test_export_never_follows_a_symlink(desk, number, tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("keep\n")
    link = tmp_path / "link.csv"
    os.symlink(real, link)
    refused(desk, 3, "is a symbolic link (not followed)", "case", "export", str(link), "--force")
    assert real.read_text() == "keep\n"

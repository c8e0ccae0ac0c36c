"""`sla explain` follows the current open period (a reopened case counts from its reopening)
and says an agreed interval on an SLA case counts in the tier's support hours.

Demo customer 2001 (Nordbygg AB) has the gold tier: support hours 00:00-24:00 every day;
the first callback is due 2 support hours after the period's start, each next one 4 after
the previous due time (config template)."""

from __future__ import annotations

import pytest

REPORTER = "per.falk@nordbygg.example"


@pytest.fixture
def reopened(env):
    """A critical SLA fault opened Mon 2026-11-16 10:00, closed 11:00, reopened Wed 09:30."""
    assert env.run("init", "--demo").code == 0
    env.now = "2026-11-16T10:00"
    opened = env.cli(
        "case", "open", "--subject", "Växeln nere", "--topic", "fault", "--channel", "sla",
        "--critical", "--customer", "2001", "--reporter", REPORTER, "-f", "json",
    )  # fmt: skip
    assert opened.code == 0, opened.stderr
    number = opened.json()["number"]
    assert opened.json()["next_callback_at"] == "2026-11-16T12:00:00+01:00"
    env.now = "2026-11-16T11:00"
    assert env.cli("case", "close", number, "--resolution", "Fixat").code == 0
    env.now = "2026-11-18T09:30"
    assert env.cli("case", "reopen", number).code == 0, "reopen"
    return number


def _show(env, number):
    run = env.cli("case", "show", number, "-f", "json")
    assert run.code == 0, run.stderr
    return run.json()


def _explain(env, number):
    run = env.cli("sla", "explain", number, "-f", "json")
    assert run.code == 0, run.stderr
    return run.json()


def test_explain_counts_from_the_reopening(env, reopened):
    shown, explained = _show(env, reopened), _explain(env, reopened)
    assert shown["next_callback_at"] == "2026-11-18T11:30:00+01:00"  # 09:30 + 2 support hours
    assert explained["next_callback_at"] == shown["next_callback_at"]
    assert explained["schedule_from"] == "2026-11-18T09:30:00+01:00"
    assert explained["callbacks_made"] == 0
    assert "reopened Wed 2026-11-18 09:30" in explained["lines"][0]
    assert not any(line.startswith("Note: the case stores") for line in explained["lines"])


def test_explain_after_a_callback_in_the_reopened_period(env, reopened):
    env.now = "2026-11-18T11:00"
    assert env.cli("case", "callback", reopened).code == 0
    shown, explained = _show(env, reopened), _explain(env, reopened)
    assert shown["next_callback_at"] == "2026-11-18T15:30:00+01:00"  # 11:30 + 4 support hours
    assert explained["next_callback_at"] == shown["next_callback_at"]
    assert explained["callbacks_made"] == 1


def test_agreed_interval_on_an_sla_case_counts_support_hours(env, reopened):
    env.now = "2026-11-18T10:00"
    assert env.cli("case", "set-callback", reopened, "--every", "4").code == 0
    explained = _explain(env, reopened)
    assert explained["sla_timer"] is False
    assert "gold tier's support hours" in explained["reason"]
    assert "real time" not in explained["reason"]
    assert explained["next_callback_at"] == _show(env, reopened)["next_callback_at"]
    assert explained["next_callback_at"] == "2026-11-18T13:30:00+01:00"  # reopening + 4 h

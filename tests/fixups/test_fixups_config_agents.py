"""`desk.agents` holds email addresses only; a list of non-text says "a list of text"."""

from __future__ import annotations

import pytest


@pytest.fixture
def store(env):
    assert env.run("init").code == 0
    return env


def _refused(env, value, text):
    before, config = env.snapshot(), env.config.read_bytes()
    run = env.run("config", "set", "desk.agents", value)
    assert run.code == 3, (run.code, run.stderr)
    lines = run.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), run.stderr
    assert text in lines[0], run.stderr
    assert env.snapshot() == before
    assert env.config.read_bytes() == config


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ('["not an email", ""]', "desk.agents: 'not an email' is not an email address"),
        ('["tove@desk.example", ""]', "desk.agents: '' is not an email address"),
        ('["tove@desk"]', "desk.agents: 'tove@desk' is not an email address"),
        ("[1, 2]", "desk.agents must be a list of text, not [1, 2]"),
    ],
)
def test_bad_agents_are_refused(store, value, text):
    _refused(store, value, text)


def test_agents_that_are_emails_are_kept(store):
    run = store.run("config", "set", "desk.agents", '["tove@desk.example", "Sara@Desk.example"]')
    assert run.code == 0, run.stderr
    got = store.run("config", "get", "desk.agents")
    assert got.code == 0 and "tove@desk.example" in got.stdout and "Sara@Desk.example" in got.stdout


def test_a_config_file_with_a_bad_agent_is_refused(store):
    store.config.write_text('[desk]\nagents = ["tove@desk.example", "nobody"]\n', encoding="utf-8")
    before = store.snapshot()
    run = store.run("case", "list")
    assert run.code == 3, run.stderr
    assert "desk.agents: 'nobody' is not an email address" in run.stderr
    assert store.snapshot() == before

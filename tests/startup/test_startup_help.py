"""`ops --help`: plain text into a pipe (no rich), rich on a terminal, groups listed from
summaries that stay equal to the groups' own help."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

import click
import pytest
import typer
from ops_cli.commands.app import GROUPS, SUMMARIES, app


def _first_paragraph(text: str) -> str:
    return " ".join(text.split("\n\n")[0].split())


@pytest.mark.parametrize("name", list(GROUPS))
def test_summary_is_the_groups_own_first_paragraph(name):
    group = typer.main.get_command(app).get_command(click.Context(click.Command("ops")), name)
    assert " ".join(SUMMARIES[name].split()) == _first_paragraph(group.help or "")


def test_summaries_cover_every_group():
    assert list(SUMMARIES) == list(GROUPS)


def test_help_into_a_pipe_is_plain_and_lists_every_group(env):
    run = env.run("--help")
    assert run.code == 0, run.stderr
    assert "╭" not in run.stdout
    assert run.stdout.startswith("Usage: ops [OPTIONS] COMMAND [ARGS]...")
    listed = run.stdout.split("\nCommands:\n", 1)[1].splitlines()
    assert [line.split()[0] for line in listed if line.strip()] == list(GROUPS)
    assert "  db          Store administration: backup, integrity check, audit log." in listed


def test_subcommand_help_into_a_pipe_is_plain(env):
    run = env.run("case", "open", "--help")
    assert run.code == 0, run.stderr
    assert "╭" not in run.stdout
    assert "  -s, --status" not in run.stdout and "--subject TEXT" in run.stdout
    # the example pastes cleanly: its flags exist with this meaning
    assert "ops case open -t fault --reporter anna.berg@polisen.example --subject Nere" in run.stdout


def _on_terminal(env, *args: str) -> str:
    """Run `ops ARGS` with stdout on a pseudo-terminal; returns what it printed."""
    leader, follower = pty.openpty()
    environ = {**env.environ(), "COLUMNS": "100", "TERM": "xterm"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "ops_cli", *args], stdout=follower, stderr=subprocess.PIPE, env=environ
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the program closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert proc.wait(timeout=60) == 0, proc.stderr.read()
    return b"".join(chunks).decode("utf-8", "replace")


def test_help_on_a_terminal_keeps_the_rich_layout(env):
    out = _on_terminal(env, "--help")
    assert "╭" in out and "Commands" in out
    for name in GROUPS:
        assert name in out


def test_the_rich_switch_is_restored_after_a_run(env):
    assert typer.core.HAS_RICH is True
    assert env.cli("--help").code == 0
    assert typer.core.HAS_RICH is True

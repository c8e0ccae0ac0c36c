"""Every command's --help has at least one example that pastes cleanly (80 columns, no wrap)."""

from __future__ import annotations

import shlex

import click
import pytest
import typer
from ops_cli.commands.app import GROUPS, app


def _leaves(path: list[str], command):
    names = command.list_commands(None) if isinstance(command, click.Group) else []
    if not names:
        yield path, command
    for name in names:
        yield from _leaves([*path, name], command.get_command(None, name))


def _all_commands():
    root = typer.main.get_command(app)
    for group in GROUPS:
        yield from _leaves([group], root.get_command(None, group))


COMMANDS = list(_all_commands())


def _examples(text: str, words: list[str]) -> list[list[str]]:
    """The example command lines in a rendered help: `ops WORDS ...`, also after `Example:` or a pipe."""
    start = " ".join(["ops", *words])
    found = []
    lines = [line.strip() for line in text.splitlines()]
    joined: list[str] = []
    for line in lines:  # a shell continuation (`\\` at the end) pastes as one command
        if joined and joined[-1].endswith("\\"):
            joined[-1] = joined[-1][:-1] + line
        else:
            joined.append(line)
    for line in joined:
        at = line.find(start)
        if at < 0 or line[at + len(start) : at + len(start) + 1] not in ("", " "):
            continue
        if at and not (line[:at].rstrip().endswith(("Example:", "|", "$")) or line[:at].strip() == ""):
            continue
        command = line[at:].split(" && ")[0].split(" | ")[0].split(" || ")[0].split(" > ")[0]
        found.append(shlex.split(command))
    return found


@pytest.mark.parametrize("words", [w for w, _ in COMMANDS], ids=[" ".join(w) for w, _ in COMMANDS])
def test_every_help_has_an_example_that_pastes_cleanly(env, words):
    command = dict((tuple(w), c) for w, c in COMMANDS)[tuple(words)]
    text = env.cli(*words, "--help", COLUMNS="80").stdout
    examples = _examples(text, words)
    assert examples, f"`ops {' '.join(words)} --help` shows no example on one line of 80 columns:\n{text}"
    for args in examples:
        assert args[: len(words) + 1] == ["ops", *words]
        # the pasted line parses: every option exists, every required argument is there
        ctx = command.make_context(" ".join(["ops", *words]), args[len(words) + 1 :], resilient_parsing=False)
        ctx.close()

"""The output module: rich tables on a terminal, plain text otherwise, one JSON document."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import subprocess

from conftest import OPS_BIN


def _run_on_terminal(env, *args: str, **extra: str) -> str:
    primary, secondary = pty.openpty()
    environ = env.environ(**extra)
    environ.pop("NO_COLOR", None)
    environ.update({k: v for k, v in extra.items()})
    environ["COLUMNS"] = "100"
    proc = subprocess.Popen([str(OPS_BIN), *args], stdout=secondary, stderr=subprocess.PIPE, env=environ)
    os.close(secondary)
    chunks = []
    while True:
        try:
            data = os.read(primary, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(primary)
    return b"".join(chunks).decode()


def test_terminal_gets_a_rich_table(env):
    out = _run_on_terminal(env, "config", "get", "desk.hours")
    assert "┃" in out or "│" in out  # box drawing: a rich table
    assert "desk.hours.mon" in out


def test_no_color_turns_colour_off_on_a_terminal(env):
    import re

    plain = _run_on_terminal(env, "config", "get", "desk.hours", NO_COLOR="1")
    assert "desk.hours.mon" in plain
    # SGR colour parameters (30-38, 40-48, 90-97); bold and the like are not colour.
    colour = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-8]|4[0-8]|9[0-7])(?:;[0-9;]*)?m")
    assert not colour.search(plain)


def test_pipe_gets_plain_aligned_text(env):
    result = env.run("config", "get", "desk.hours")
    assert result.code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["key", "value"] and set(lines[1]) <= {"-", " "}
    assert "\x1b[" not in result.stdout and "│" not in result.stdout


def test_each_format(env):
    as_json = env.run("config", "get", "desk.hours", "-f", "json")
    assert json.loads(as_json.stdout)["fri"] == "08:00-17:00"
    as_csv = env.run("config", "get", "desk.hours", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert {"key": "desk.hours.mon", "value": "08:00-17:00"} in rows
    as_md = env.run("config", "get", "desk.hours", "-f", "md")
    assert as_md.stdout.splitlines()[:2] == ["| key | value |", "|---|---|"]
    bad = env.run("config", "get", "desk.hours", "-f", "xml")
    assert bad.code == 2


def test_messages_go_to_stderr_and_quiet_silences_them(env):
    result = env.run("init", "-f", "json")
    json.loads(result.stdout)  # stdout is exactly one JSON document
    assert "created store" in result.stderr
    quiet = env.run("--quiet", "init", "-f", "json")
    assert quiet.stderr == ""

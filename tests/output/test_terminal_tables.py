"""Tables on a terminal never wrap a value mid-way: cut to the width with an ellipsis;
`--wide` shows every value whole. Machine formats on a terminal: JSON indented, jsonl not."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess

import pytest
from conftest import OPS_BIN

ANSI = re.compile(r"\x1b\[[0-9;]*m")

LONG = "Lång rubrik som inte får brytas mitt i ordet utan kapas med en ellips vid kanten"


def on_terminal(env, *args: str, columns: int = 60) -> str:
    primary, secondary = pty.openpty()
    environ = env.environ(COLUMNS=str(columns), LINES="40")
    proc = subprocess.Popen([str(OPS_BIN), *args], stdout=secondary, stderr=subprocess.PIPE, env=environ)
    os.close(secondary)
    chunks = []
    while True:
        try:
            data = os.read(primary, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(primary)
    assert proc.returncode == 0, proc.stderr.read()
    return ANSI.sub("", b"".join(chunks).decode().replace("\r\n", "\n"))


@pytest.fixture
def desk(env):
    env.now = "2026-11-20T10:00"
    assert env.run("-q", "init", "--demo").code == 0
    run = env.run(
        "case",
        "open",
        "--topic",
        "fault",
        "--reporter",
        "anna.berg@polisen.example",
        "--subject",
        LONG,
        "-f",
        "json",
    )
    assert run.code == 0, run.stderr
    return env


def test_a_long_value_is_cut_with_an_ellipsis_to_the_terminal_width(desk):
    out = on_terminal(desk, "case", "list", "--columns", "number,subject", columns=60)
    lines = [line for line in out.splitlines() if line.strip()]
    assert max(len(line) for line in lines) <= 60
    row = next(line for line in lines if "Lång rubrik" in line)
    assert "…" in row
    assert "2026-00013" in row  # the short column stays whole; the long one takes the cut
    assert not any(line.lstrip("│ ").startswith("brytas") for line in lines)  # no second line of it
    assert sum("Lång rubrik" in line for line in lines) == 1


def test_wide_shows_every_value_whole(desk):
    out = on_terminal(desk, "case", "list", "--columns", "number,subject", "--wide", columns=60)
    assert LONG in out


def test_json_on_a_terminal_is_indented_and_jsonl_is_not(desk):
    out = on_terminal(desk, "sub", "list", "-n", "2", "-f", "json")
    assert '\n    "issi": 2010001' in out
    assert [r["issi"] for r in json.loads(out)] == [2010001, 2010002]
    lines = on_terminal(desk, "sub", "list", "-n", "2", "-f", "jsonl").splitlines()
    assert [json.loads(line)["issi"] for line in lines] == [2010001, 2010002]


def test_fit_widths_cuts_the_widest_first():
    from ops_cli.commands._output import fit_widths

    assert fit_widths([10, 80, 6], 100) == [10, 80, 6]
    assert fit_widths([10, 80, 6], 50) == [10, 34, 6]
    assert fit_widths([30, 30, 4], 40) == [18, 18, 4]


def test_many_rows_on_a_terminal_stay_aligned_across_chunks(monkeypatch):
    """More rows than one terminal chunk: each chunk a table with the first chunk's widths."""
    import io

    from ops_cli.commands import _output
    from rich.console import Console

    screen = io.StringIO()
    monkeypatch.setattr(_output, "TERMINAL_CHUNK", 10)
    monkeypatch.setattr(
        _output, "_console", lambda: Console(file=screen, width=50, force_terminal=True, no_color=True)
    )
    rows = ({"n": i, "text": "x" * (i % 7) + ("long " * 20 if i == 25 else "")} for i in range(35))
    _output._rich_tables(rows, ["n", "text"], None, wide=False)
    lines = ANSI.sub("", screen.getvalue()).splitlines()
    body = [line for line in lines if line.startswith("│")]
    assert len(body) == 35
    assert len({len(line) for line in lines}) == 1  # one width for every chunk
    assert sum("n " in line and "text" in line for line in lines) == 1  # one header
    assert "…" in body[25] and len(body[25]) <= 50


def test_one_object_on_a_terminal_shows_its_values_whole(desk):
    """A detail view (field/value) wraps a long value at its words instead of cutting it."""
    number = json.loads(desk.run("case", "list", "-n", "1", "-f", "json").stdout)[0]["number"]
    out = on_terminal(desk, "case", "show", number, columns=60)
    assert max(len(line) for line in out.splitlines()) <= 60
    words = " ".join(out.split())
    for word in LONG.split():
        assert word in words
    assert "ellips" in words and "kanten" in words

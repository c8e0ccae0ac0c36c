"""Help text into a pipe whose reader has gone (`ops --help | head -0`, `| grep -q`): like every
other output cut short, it stops quietly with exit 0 (outside testing, issue 12). Rich, which
formats the help, turns a broken pipe into exit 1 by itself."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


@pytest.mark.parametrize("args", [["--help"], ["case", "--help"], ["case", "list", "--help"], ["roster"]])
def test_help_into_a_closed_pipe_exits_0_quietly(env, args):
    read, write = os.pipe()
    os.close(read)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "ops_cli", *args],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            env=env.environ(),
        )
    finally:
        os.close(write)
    assert (proc.returncode, proc.stderr) == (0, "")


def test_help_into_a_full_disk_is_still_exit_3(env):
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "ops_cli", "--help"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=env.environ(),
        )
    assert proc.returncode == 3
    assert proc.stderr.splitlines() == ["error: cannot write to standard output: no space left on the device"]

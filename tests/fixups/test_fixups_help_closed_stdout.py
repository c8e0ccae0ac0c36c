"""`ops --help` with standard output closed fails as every other command does (exit 3)."""

from __future__ import annotations

import subprocess

import pytest
from conftest import OPS_BIN


def _closed_stdout(env, *args):
    return subprocess.run(
        [str(OPS_BIN), *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        env=env.environ(), timeout=60, pass_fds=(), close_fds=True,
        preexec_fn=lambda: __import__("os").close(1),
    )  # fmt: skip


@pytest.mark.parametrize(
    "args", [["--help"], ["case", "--help"], ["case", "list", "-h"], ["--version"], ["case", "list"]]
)
def test_closed_stdout_is_exit_3(env, args):
    assert env.run("init").code == 0
    proc = _closed_stdout(env, *args)
    assert proc.returncode == 3, proc.stderr
    assert proc.stderr.splitlines() == ["error: cannot write to standard output: it is closed"]


def test_help_to_a_real_stdout_still_works(env):
    run = env.run("--help")
    assert run.code == 0 and "Usage: ops" in run.stdout and run.stderr == ""

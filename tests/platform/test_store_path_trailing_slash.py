"""A store path ending in a slash names a folder (`OPS_DB=~/ops/`): refused (exit 3) like an
existing folder, never turned into a file of the folder's name (outside testing, issue 12)."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("how", ["flag", "env", "config"])
def test_store_path_ending_in_a_slash_is_refused(env, how):
    folder = env.tmp / "stores"
    given = f"{folder}/"
    args, environ = ["case", "list"], env.environ()
    if how == "flag":
        args = ["--db", given, *args]
    elif how == "env":
        environ["OPS_DB"] = given
    else:
        env.config.write_text(f'db = "{given}"\n', encoding="utf-8")
        environ.pop("OPS_DB")
    command = [sys.executable, "-m", "ops_cli", *args]
    proc = subprocess.run(command, capture_output=True, text=True, env=environ)
    assert proc.returncode == 3, proc.stderr
    assert proc.stderr.splitlines() == [
        f"error: the store path {given} names a folder;"
        f" give a file name with --db or OPS_DB, such as {given}ops.db"
    ]
    assert not folder.exists()

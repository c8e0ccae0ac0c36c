"""`db check` on a store in a read-only folder (outside testing, issue 12 "Clean failures"): the
store is read-only, not damaged; say so (exit 3), never "not a readable SQLite store" (exit 1)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest


def _unprivileged() -> list[str]:
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: permissions cannot be tested")
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner"]


def test_db_check_in_a_read_only_folder_says_read_only(env):
    prefix = _unprivileged()
    folder = env.tmp / "ro"
    folder.mkdir()
    db = folder / "ops.db"
    assert env.run("--db", str(db), "init").code == 0
    before = sorted(p.name for p in folder.iterdir())
    folder.chmod(0o555)
    try:
        proc = subprocess.run(
            [*prefix, sys.executable, "-m", "ops_cli", "--db", str(db), "db", "check"],
            capture_output=True,
            text=True,
            env=env.environ(),
        )
    finally:
        folder.chmod(0o755)
    assert proc.returncode == 3, proc.stderr
    assert proc.stderr.splitlines() == [
        f"error: the store {db} is read-only; check the permissions of the file and of its folder"
    ]
    assert sorted(p.name for p in folder.iterdir()) == before
    assert env.run("--db", str(db), "db", "check").code == 0

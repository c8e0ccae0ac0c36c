"""`pytest --shard K/N` (tests/conftest.py): the parts of a run hold every test exactly once, a
file's tests dealt out over the parts, a file with a module-scoped fixture kept whole."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FILES = ["tests/backend/test_backend_sql.py", "tests/platform/test_calendar.py"]  # the 2nd: module fixtures


def collected(*extra: str) -> list[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *FILES, *extra],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "OPS_TEST_DB_URL"},  # collecting needs no server
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return [line for line in proc.stdout.splitlines() if "::" in line]


def test_the_parts_hold_every_test_once_and_module_fixture_files_whole() -> None:
    everything = collected()
    parts = [collected("--shard", f"{k}/2") for k in (1, 2)]
    assert sorted(parts[0] + parts[1]) == sorted(everything)
    assert not set(parts[0]) & set(parts[1])
    sql_tests = [[t for t in part if t.startswith(FILES[0])] for part in parts]
    assert abs(len(sql_tests[0]) - len(sql_tests[1])) <= 1  # dealt out
    calendar = [any(t.startswith(FILES[1]) for t in part) for part in parts]
    assert calendar.count(True) == 1  # whole, in one part

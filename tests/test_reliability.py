"""Reliability goals (engineering.md): kill -9 mid-import, two writers at once, backup during writes.

These run the real installed `ops` in subprocesses against a real store file.
"""

from __future__ import annotations

import csv
import signal
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest
from conftest import OPS_BIN

from ops_cli.admin import check_store

ROWS = 60_000


def _big_roster(path: Path, rows: int = ROWS, customer: str = "5001") -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["customer", "customer_name", "name", "email", "phone", "role"])
        for i in range(rows):
            writer.writerow(
                [customer, "Bulk AB", f"Person {i}", f"p{i}@bulk.example", f"+4670{i:07d}", "contact"]
            )
    return path


def _entries(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM roster_entries").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory) -> Path:
    return _big_roster(tmp_path_factory.mktemp("big") / "roster.csv")


@pytest.mark.parametrize("delay", [0.5, 1.5])
def test_sigkill_mid_import_leaves_all_rows_or_none(env, big_csv, delay):
    assert env.run("init").code == 0
    proc = subprocess.Popen(
        [str(OPS_BIN), "roster", "import", str(big_csv)],
        env=env.environ(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    check = env.run("db", "check", "-f", "json")
    assert check.code == 0, check.stdout + check.stderr
    assert _entries(env.db) in (0, ROWS)


def test_sigkill_while_the_transaction_is_writing(env, big_csv):
    """Kill as soon as the import's transaction has started filling the WAL file."""
    assert env.run("init").code == 0
    wal = Path(str(env.db) + "-wal")
    baseline = wal.stat().st_size if wal.exists() else 0
    proc = subprocess.Popen(
        [str(OPS_BIN), "roster", "import", str(big_csv)],
        env=env.environ(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if wal.exists() and wal.stat().st_size > baseline + 256 * 1024:
            break
        time.sleep(0.002)
    killed_while_running = proc.poll() is None
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert killed_while_running, "the import finished before it could be killed; make the file bigger"
    check = env.run("db", "check", "-f", "json")
    assert check.code == 0, check.stdout + check.stderr
    assert _entries(env.db) in (0, ROWS)


def test_two_writers_at_once_both_finish(env, big_csv):
    assert env.run("init", "--demo").code == 0
    results: dict[str, object] = {}

    def importer():
        results["import"] = env.run("roster", "import", str(big_csv), "-f", "json")

    def case_opener():
        results["cases"] = [
            env.run(
                "case",
                "open",
                "--topic",
                "question",
                "--customer",
                "1001",
                "--reporter",
                "anna.berg@polisen.example",
                "--subject",
                f"parallel {i}",
                "-f",
                "json",
            )
            for i in range(5)
        ]

    threads = [threading.Thread(target=importer), threading.Thread(target=case_opener)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results["import"].code == 0, results["import"].stderr
    for run in results["cases"]:
        assert run.code == 0, run.stderr
        assert "locked" not in run.stderr
    numbers = {run.json()["number"] for run in results["cases"]}
    assert len(numbers) == 5
    assert _entries(env.db) >= ROWS


def test_backup_taken_during_writes_opens_and_passes_check(env, big_csv):
    assert env.run("init").code == 0
    proc = subprocess.Popen(
        [str(OPS_BIN), "roster", "import", str(big_csv)],
        env=env.environ(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(0.3)
    target = env.tmp / "backup.db"
    backup = env.run("db", "backup", str(target))
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stderr
    assert backup.code == 0, backup.stderr
    assert check_store(target)["ok"] is True
    assert _entries(target) in (0, ROWS)

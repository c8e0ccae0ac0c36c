"""Reliability goals (engineering.md): kill -9 mid-import, two writers at once, backup during writes.

These run the real installed `ops` in subprocesses against a real store, on both backends
(SQLite: a file; PostgreSQL: a server): a killed import leaves all of its rows or none.
"""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
from conftest import OPS_BIN
from helpers import db as store_db

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


def _entries(db) -> int:
    return store_db.scalar(db, "SELECT count(*) FROM roster_entries")


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory) -> Path:
    return _big_roster(tmp_path_factory.mktemp("big") / "roster.csv")


def _wal_size(db: Path) -> int:
    wal = Path(str(db) + "-wal")
    return wal.stat().st_size if wal.exists() else 0


def _has_open(pid: int, target: Path) -> bool:
    """The process holds ``target`` open (Linux: /proc/PID/fd)."""
    folder = Path(f"/proc/{pid}/fd")
    try:
        links = [os.readlink(folder / fd) for fd in os.listdir(folder)]
    except OSError:
        return False
    return str(target) in links


def _kill_when(proc: subprocess.Popen, ready, timeout: float = 60) -> None:
    """SIGKILL ``proc`` as soon as ``ready()``; prove the kill landed while it was running."""
    deadline = time.monotonic() + timeout
    while proc.poll() is None and not ready() and time.monotonic() < deadline:
        time.sleep(0.001)
    running_at_kill = proc.poll() is None
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert running_at_kill, "the import finished before the kill; make the file bigger"
    # Killed by the signal, not exited on its own between the check and the kill.
    assert proc.returncode == -signal.SIGKILL


class SqliteProgress:
    """A writer seen from outside, on SQLite: the store file open, bytes in the WAL file."""

    def __init__(self, db: Path):
        self.db = db.resolve()

    def opened(self, proc: subprocess.Popen) -> bool:
        return _has_open(proc.pid, self.db)

    def written(self) -> int:
        return _wal_size(self.db)

    def close(self) -> None:
        pass


class PgProgress:
    """A writer seen from outside, on PostgreSQL: another session on the store's database,
    the roster table's size on disk (it grows with rows not yet committed)."""

    def __init__(self, db: str):
        import psycopg

        self.conn = psycopg.connect(str(db), autocommit=True)

    def opened(self, proc: subprocess.Popen) -> bool:
        sql = (
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return self.conn.execute(sql).fetchone()[0] > 0

    def written(self) -> int:
        return self.conn.execute("SELECT pg_total_relation_size('roster_entries')").fetchone()[0]

    def close(self) -> None:
        self.conn.close()


PHASES = {
    # the import has opened the store but not yet written to it (reading, validating, planning)
    "before-writing": lambda proc, seen, base: seen.opened(proc) and seen.written() <= base,
    # the transaction has started writing (the WAL file, the table's pages)
    "writing-early": lambda proc, seen, base: seen.written() > base + 64 * 1024,
    # well into the rows' pages (the whole import writes about 13 MB on SQLite)
    "writing-late": lambda proc, seen, base: seen.written() > base + 4 * 1024 * 1024,
}


@pytest.mark.parametrize("phase", list(PHASES))
def test_sigkill_mid_import_leaves_all_rows_or_none(env, big_csv, phase):
    pg = store_db.is_pg(env.db)
    if phase == "before-writing" and not pg and not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to see the store opened")
    assert env.run("init").code == 0
    seen = PgProgress(env.db) if pg else SqliteProgress(env.db)
    baseline = seen.written()
    proc = subprocess.Popen(
        [str(OPS_BIN), "roster", "import", str(big_csv)],
        env=env.environ(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _kill_when(proc, lambda: PHASES[phase](proc, seen, baseline))
    finally:
        seen.close()
    check = env.run("db", "check", "-f", "json")
    assert check.code == 0, check.stdout + check.stderr
    # Killed before the commit: nothing of the import is in the store.
    assert _entries(env.db) == 0


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

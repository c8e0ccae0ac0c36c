"""Benchmark: listings on a big store, against the sqlite3 command-line shell.

Run:  python bench/bench_lists.py [--rows 100000] [--big] [--repeat 3]

Builds a store with N subscriptions and N cases (N = 100,000; 1,000,000 with --big) in a
temp folder, then times, as real subprocesses writing to a file (what a pipe sees):
- `ops sub list -f csv|json|jsonl`, `ops sub list` (a plain table to a pipe),
  `ops case list -f json`, `ops case callbacks -f json`;
- the same SELECT through `sqlite3 -csv`, `-json`, `-column`, measured in the same run
  ("skipped" when the sqlite3 shell is not installed: `apt-get install sqlite3`);
- `sub list -f csv` also against `sqlite-utils query --csv` (the issue's goal: <= 1.0x). Keep
  sqlite-utils out of the project: install it in its own venv and point ``SQLITE_UTILS`` at
  its executable (`python -m venv /tmp/bench-venv && /tmp/bench-venv/bin/pip install
  sqlite-utils`; ``SQLITE_UTILS=/tmp/bench-venv/bin/sqlite-utils``), or have it on PATH;
  "skipped" without it.
Each figure is the median of --repeat runs, with the peak memory (max RSS) of the command.
Figures only: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from benchstore import OPS, new_store  # noqa: E402

MEASURE = """
import resource, subprocess, sys, time
with open(sys.argv[1], "wb") as out:
    t0 = time.perf_counter()
    code = subprocess.run(sys.argv[2:], stdout=out).returncode
    took = time.perf_counter() - t0
print(code, took, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""

SUB_SQL = "SELECT issi, tei, customer, kind, status, msisdn FROM subscriptions ORDER BY customer, issi"
CASE_SQL = "SELECT * FROM cases ORDER BY opened_at DESC, id DESC"


def build(folder: Path, n: int) -> dict[str, str]:
    now = datetime(2026, 11, 20, 9, tzinfo=UTC)
    stamp = now.isoformat()
    env, conn, customers = new_store(folder, n, stamp, OPS_NOW="2026-11-20T10:00")
    with conn:
        conn.executemany(
            "INSERT INTO subscriptions (issi, customer, tei, msisdn, kind, status, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, 'standard', ?, ?, ?)",
            (
                (
                    1_000_000 + i,
                    str(10000 + i % customers),
                    f"{i:015X}",
                    f"+4670{i:07d}",
                    "active" if i % 5 else "inactive",
                    stamp,
                    stamp,
                )
                for i in range(n)
            ),
        )
        conn.executemany(
            "INSERT INTO cases (number, customer, reporter, channel, topic, department, status, subject,"
            " next_callback_at, opened_at, last_activity_at) VALUES (?, ?, ?, 'portal', 'fault',"
            " 'radio', ?, ?, ?, ?, ?)",
            (_case(i, customers, now) for i in range(n)),
        )
    conn.close()
    return env


def _case(i: int, customers: int, now: datetime) -> tuple:
    opened = (now - timedelta(minutes=n_minutes(i))).isoformat()
    closed = i % 50 != 0  # 2% open
    due = None if closed else (now + timedelta(hours=(i % 7) - 3)).isoformat()
    return (
        f"2026-{i + 1:07d}",
        str(10000 + i % customers),
        f"user{i}@kund.example",
        "closed" if closed else "open",
        f"Fel nummer {i} på terminalen",
        due,
        opened,
        opened,
    )


def n_minutes(i: int) -> int:
    return 10_000_000 - i * 5


def measure(cmd: list[str], env: dict[str, str], repeat: int, out: Path) -> tuple[float, float] | None:
    times, peaks = [], []
    for _ in range(repeat):
        proc = subprocess.run(
            [sys.executable, "-c", MEASURE, str(out), *cmd], env=env, capture_output=True, text=True
        )
        code, took, peak = proc.stdout.split()
        if code != "0":
            print(f"  {' '.join(cmd)} failed ({code}): {proc.stderr.strip()[:200]}")
            return None
        times.append(float(took))
        peaks.append(int(peak) / 1024)
    return statistics.median(times), max(peaks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--big", action="store_true", help="1,000,000 rows")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    n = 1_000_000 if args.big else args.rows
    shell = shutil.which("sqlite3")
    utils = os.environ.get("SQLITE_UTILS") or shutil.which("sqlite-utils")
    with tempfile.TemporaryDirectory(prefix="bench-lists-") as tmp:
        folder = Path(tmp)
        env = build(folder, n)
        db = env["OPS_DB"]
        out = folder / "out.txt"
        sq = (lambda *a: [shell, *a]) if shell else (lambda *a: None)
        work = [
            (
                "sub list -f csv",
                ["sub", "list", "-f", "csv"],
                "sqlite3 -csv",
                sq("-csv", "-header", db, SUB_SQL),
            ),
            (
                "sub list -f csv",
                ["sub", "list", "-f", "csv"],
                "sqlite-utils --csv",
                [utils, "query", db, SUB_SQL, "--csv"] if utils else None,
            ),
            ("sub list -f json", ["sub", "list", "-f", "json"], "sqlite3 -json", sq("-json", db, SUB_SQL)),
            ("sub list -f jsonl", ["sub", "list", "-f", "jsonl"], "sqlite3 -json", sq("-json", db, SUB_SQL)),
            (
                "sub list (table to a pipe)",
                ["sub", "list"],
                "sqlite3 -column",
                sq("-column", "-header", db, SUB_SQL),
            ),
            ("case list -f json", ["case", "list", "-f", "json"], "sqlite3 -json", sq("-json", db, CASE_SQL)),
            ("case callbacks -f json", ["case", "callbacks", "-f", "json"], "", None),
        ]
        print(f"{n:,} subscriptions and {n:,} cases; median of {args.repeat}; peak = max RSS")
        print(f"{'work':28} {'ops s':>7} {'ops MB':>7}  {'reference':18} {'ref s':>7} {'MB':>5} {'ratio':>7}")
        for name, ops_args, ref_name, ref_args in work:
            got = measure([str(OPS), *ops_args], env, args.repeat, out)
            if got is None:
                continue
            ref = measure(ref_args, env, args.repeat, out) if ref_args else None
            if ref:
                ref_s = f"{ref_name:18} {ref[0]:7.2f} {ref[1]:5.0f} {got[0] / ref[0]:6.2f}x"
            else:
                ref_s = f"{ref_name:18} {'skipped' if ref_name else '—':>7}"
            print(f"{name:28} {got[0]:7.2f} {got[1]:7.0f}  {ref_s}")
        check = json.loads(
            subprocess.run(
                [str(OPS), "case", "callbacks", "-f", "json"], env=env, capture_output=True, text=True
            ).stdout
            or "[]"
        )
        print(f"(case callbacks listed {len(check):,} due of {n // 50:,} open cases)")


if __name__ == "__main__":
    main()

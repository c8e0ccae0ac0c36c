"""Benchmark: `ops roster export FILE.xlsx` of a big roster against a bare openpyxl writer.

Run:  python bench/bench_export.py [--rows 100000] [--repeat 3]

Builds a store with N roster entries (N/100 customers) in a temp folder, then times, as real
subprocesses, each run taking turns (medians of --repeat, with the peak memory, max RSS):
- `ops roster export roster.xlsx --force` with stderr to a file (no progress bar);
- the same with stderr on a pseudo-terminal (what a user at a terminal gets: the progress bar);
- the reference: a bare openpyxl ``Workbook(write_only=True)`` writing the same rows, columns
  and values, read from the store with ``sqlite3`` (no styles, no checks, no temp file);
- `ops roster export roster.csv` for comparison.
Issue 16's goal: the .xlsx export at most 1.1x the bare writer, a progress bar on a terminal.
Figures only: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from benchstore import OPS, new_store  # noqa: E402

MEASURE = """
import os, pty, resource, subprocess, sys, threading, time
tty = sys.argv[1] == "tty"
if tty:
    master, slave = pty.openpty()
    def drain():
        try:
            while os.read(master, 1 << 16):
                pass
        except OSError:
            pass
    threading.Thread(target=drain, daemon=True).start()
    err = slave
else:
    err = subprocess.DEVNULL
t0 = time.perf_counter()
code = subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=err).returncode
took = time.perf_counter() - t0
print(code, took, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""

BARE = """
import sqlite3, sys
from openpyxl import Workbook
conn = sqlite3.connect(sys.argv[1])
names = dict(conn.execute("SELECT number, name FROM customers"))
wb = Workbook(write_only=True)
ws = wb.create_sheet("Roster")
ws.append(["customer", "customer_name", "name", "email", "phone", "role", "kind"])
for customer, name, email, phone, roles, kind in conn.execute(
    "SELECT customer, name, email, phone, roles, kind FROM roster_entries"
    " ORDER BY CAST(customer AS INTEGER), customer, email"
):
    ws.append([customer, names.get(customer, ""), name, email, phone, roles, kind])
wb.save(sys.argv[2])
"""


def build(folder: Path, n: int) -> dict[str, str]:
    stamp = "2026-11-20T09:00:00+00:00"
    env, conn, customers = new_store(folder, n, stamp)  # (no CI: the progress bar stays off under CI)
    with conn:
        conn.executemany(
            "INSERT INTO roster_entries (customer, email, name, phone, kind, roles, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, 'person', ?, ?, ?)",
            (
                (
                    str(10000 + i % customers),
                    f"person{i}@kund{i % customers}.example",
                    f"Person Nummer {i}",
                    f"+4670{i:07d}",
                    "contact,orderer" if i % 3 == 0 else "contact",
                    stamp,
                    stamp,
                )
                for i in range(n)
            ),
        )
    conn.close()
    return env


def measure(cmd: list[str], env: dict[str, str], tty: bool = False) -> tuple[float, float]:
    argv = [sys.executable, "-c", MEASURE, "tty" if tty else "file", *cmd]
    proc = subprocess.run(argv, env=env, capture_output=True, text=True)
    code, took, peak = proc.stdout.split()
    if code != "0":
        sys.exit(f"{' '.join(cmd[:4])}... failed ({code}): {proc.stderr.strip()[:300]}")
    return float(took), int(peak) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
        folder = Path(tmp)
        env = build(folder, args.rows)
        xlsx, csv_file, bare = folder / "roster.xlsx", folder / "roster.csv", folder / "bare.xlsx"
        work = {
            "ops roster export .xlsx": ([str(OPS), "roster", "export", str(xlsx), "--force"], False),
            "  the same, stderr a terminal": ([str(OPS), "roster", "export", str(xlsx), "--force"], True),
            "bare openpyxl write_only": ([sys.executable, "-c", BARE, env["OPS_DB"], str(bare)], False),
            "ops roster export .csv": ([str(OPS), "roster", "export", str(csv_file), "--force"], False),
        }
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in work}
        for _ in range(args.repeat):
            for name, (cmd, tty) in work.items():
                runs[name].append(measure(cmd, env, tty))
        print(f"{args.rows:,} roster entries; median of {args.repeat} (taking turns); peak = max RSS")
        base = statistics.median(t for t, _ in runs["bare openpyxl write_only"])
        for name, values in runs.items():
            took = statistics.median(t for t, _ in values)
            peak = max(p for _, p in values)
            ratio = "" if name.startswith("bare") else f"  {took / base:5.2f}x the bare writer"
            print(f"{name:32} {took:6.2f} s {peak:6.0f} MB{ratio}")


if __name__ == "__main__":
    main()

"""Benchmark: the import rows of issue 16, each next to its reference measured in the same run.

Run:  python bench/bench_imports.py [--rows 100000] [--repeat 3] [--big] [--against OTHER/bin/ops]

Every figure is a real subprocess (what a user runs), timed wall-clock, with its peak
memory from ``os.wait4``'s rusage of that child (``ru_maxrss``). Medians of ``--repeat`` runs.

- roster import .csv          vs  ``sqlite-utils insert DB roster FILE --csv``
- sub import .csv             vs  ``sqlite-utils insert DB subs FILE --csv``
- sub import .xlsx            vs  python-calamine's bare read of the same .xlsx
- re-import unchanged (roster / sub)  vs  the first import of the same file
- ``--big``: the same at 1,000,000 rows, plus roster import .xlsx vs calamine (slow: run it
  once, on a quiet machine), and the longest wait of another writer during the imports;
- ``--against OPS``: the first roster and sub imports also by another install's ``ops`` (an
  earlier release), for "no slower than before".

sqlite-utils is taken from ``$SQLITE_UTILS`` (a path to the ``sqlite-utils`` command), else
from ``PATH``; never installed into the project (``python -m venv /tmp/bench-venv &&
/tmp/bench-venv/bin/pip install sqlite-utils; SQLITE_UTILS=/tmp/bench-venv/bin/sqlite-utils``).
Without it those references print "skipped". Figures only: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from bench_roster_import import PER_CUSTOMER, write_csv, write_xlsx  # noqa: E402

SUB_HEADER = ["customer", "issi", "tei", "msisdn", "kind", "status"]
FIRST_ISSI = 1_000_001


def sub_rows(n: int):
    for i in range(n):
        c = 10000 + i // PER_CUSTOMER
        yield [str(c), str(FIRST_ISSI + i), f"{i:015X}", f"+4670{i:07d}", "standard", "active"]


def write_sub_csv(path: Path, n: int) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(SUB_HEADER)
        w.writerows(sub_rows(n))


def write_sub_xlsx(path: Path, n: int) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Abonnemang")
    ws.append(SUB_HEADER)
    for r in sub_rows(n):
        r[0], r[1] = int(r[0]), int(r[1])
        ws.append(r)
    wb.save(path)


def run(
    cmd: list[str], env: dict[str, str] | None = None, probe: Path | None = None
) -> tuple[float, float, float]:
    """One child process: (wall seconds, peak MB, CPU seconds user+system); exits on failure.
    ``probe``: meanwhile another writer takes the write lock of that store every 50 ms
    (:func:`writer_waits`; its longest wait goes into ``WAITS``)."""
    with tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=err)
        if probe is not None:
            longest, status, usage = writer_waits(proc, probe)
            WAITS.append(longest)
        else:
            _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        if os.waitstatus_to_exitcode(status):
            err.seek(0)
            raise SystemExit(f"{' '.join(cmd[:4])} ... failed: {err.read()[-800:]}")
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


Figure = tuple[float, float, float]  # wall s (median), peak MB (max), CPU s (median)
WAITS: list[float] = []  # the longest wait of another writer during each probed import


def writer_waits(proc: subprocess.Popen, db: Path) -> tuple[float, int, Any]:
    """While ``proc`` runs: another writer (``BEGIN IMMEDIATE``, as every ops write starts) every
    50 ms on ``db``, waiting up to 60 s for the lock. Returns the longest wait (the import's write
    lock as other writers feel it: over the 5 s busy timeout they would fail) and ``os.wait4``'s
    status and rusage of ``proc``."""
    import sqlite3

    longest = 0.0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            return longest, status, usage
        time.sleep(0.05)
        if not Path(f"{db}-wal").exists():  # not yet created and set up by the import
            continue
        try:  # mode=rw: never create the store the import is about to create
            conn = sqlite3.connect(f"file:{db}?mode=rw", uri=True, timeout=60, isolation_level=None)
        except sqlite3.OperationalError:
            continue
        try:  # a connection per probe: the import stays the store's last one (its checkpoint at exit)
            t0 = time.perf_counter()
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("COMMIT")
            longest = max(longest, time.perf_counter() - t0)
        except sqlite3.OperationalError:  # the store is still being created
            pass
        finally:
            conn.close()


def median(repeat: int, fn: Callable[[int], Figure]) -> Figure:
    runs = [fn(k) for k in range(repeat)]
    return (
        statistics.median(r[0] for r in runs),
        max(r[1] for r in runs),
        statistics.median(r[2] for r in runs),
    )


class Bench:
    def __init__(self, tmp: Path, repeat: int, against: str | None = None):
        self.tmp, self.repeat, self.against = tmp, repeat, against
        self.ops = str(Path(sys.executable).with_name("ops"))
        self.su = os.environ.get("SQLITE_UTILS") or shutil.which("sqlite-utils")

    def env(self, db: Path) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("OPS_")}
        env.update(
            OPS_DB=str(db), OPS_CONFIG=str(self.tmp / "none.toml"), OPS_NOW="2026-12-01T09:00:00+01:00"
        )
        return env

    def ops_import(
        self,
        what: str,
        file: Path,
        db: Path,
        base: Path | None = None,
        probe: bool = False,
        ops: str | None = None,
    ) -> Figure:
        """`ops WHAT import FILE` into a fresh copy of ``base`` (or an empty store) each run
        (``probe``: with another writer meanwhile, see :func:`writer_waits`; ``ops``: another
        install's command, ``--against``)."""

        def once(k: int) -> Figure:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
            if base is not None:
                shutil.copyfile(base, db)
                with open(db, "rb+") as fh:  # on disk before the run: the import's fsync must not
                    os.fsync(fh.fileno())  # write the copy's pages (a store is on disk already)
            cmd = [ops or self.ops, "-q", *what.split(), "import", str(file)]
            return run(cmd, self.env(db), db if probe else None)

        return median(self.repeat, once)

    def ops_again(self, what: str, file: Path, db: Path) -> Figure:
        """The same file imported again into ``db`` (already holding it): unchanged."""
        return median(
            self.repeat, lambda k: run([self.ops, "-q", *what.split(), "import", str(file)], self.env(db))
        )

    def sqlite_utils(self, table: str, file: Path) -> Figure | None:
        if not self.su:
            return None

        def once(k: int) -> Figure:
            db = self.tmp / f"su_{table}.db"
            db.unlink(missing_ok=True)
            return run([self.su, "insert", str(db), table, str(file), "--csv"])

        return median(self.repeat, once)

    def calamine(self, file: Path) -> Figure:
        code = (
            "import sys; from python_calamine import CalamineWorkbook;"
            "CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).to_python()"
        )
        return median(self.repeat, lambda k: run([sys.executable, "-c", code, str(file)]))


def line(work: str, ops: Figure, ref_name: str, ref: Figure | None, goal: str) -> None:
    """One table row: wall-clock and CPU (user+system) figures; the ratio on both. On a busy machine
    the CPU ratio is the steadier one."""
    ops_s = f"{ops[0]:.2f} s (CPU {ops[2]:.2f} s), {ops[1]:.0f} MB"
    if ref is None:
        print(f"| {work} | {ops_s} | {ref_name}: skipped | — | {goal} |")
        return
    ref_s = f"{ref_name} {ref[0]:.2f} s (CPU {ref[2]:.2f} s), {ref[1]:.0f} MB"
    print(f"| {work} | {ops_s} | {ref_s} | {ops[0] / ref[0]:.2f} (CPU {ops[2] / ref[2]:.2f}) | {goal} |")


def rows_for(b: Bench, n: int, big: bool) -> None:
    tmp, label = b.tmp, f"{n // 1000}k" if n < 1_000_000 else f"{n // 1_000_000}M"
    roster_csv, roster_xlsx = tmp / f"roster{n}.csv", tmp / f"roster{n}.xlsx"
    sub_csv, sub_xlsx = tmp / f"subs{n}.csv", tmp / f"subs{n}.xlsx"
    subprocess.run(
        [sys.executable, __file__, "--generate", str(tmp), "--rows", str(n)] + (["--big"] if big else []),
        check=True,
    )
    roster_db, sub_db, base = tmp / "roster.db", tmp / "subs.db", tmp / "customers.db"

    first_roster = b.ops_import("roster", roster_csv, roster_db, probe=big)
    line(
        f"roster import .csv {label}",
        first_roster,
        "sqlite-utils insert",
        b.sqlite_utils("roster", roster_csv),
        "≤ 0.15",
    )
    shutil.copyfile(roster_db, base)  # the roster import made the customers the subscriptions need
    again_roster = b.ops_again("roster", roster_csv, roster_db)

    first_sub = b.ops_import("sub", sub_csv, sub_db, base, probe=big)
    line(
        f"sub import .csv {label}",
        first_sub,
        "sqlite-utils insert",
        b.sqlite_utils("subs", sub_csv),
        "≤ 0.15",
    )
    again_sub = b.ops_again("sub", sub_csv, sub_db)
    if not big:
        xlsx_sub = b.ops_import("sub", sub_xlsx, tmp / "subs_x.db", base)
        line(
            f"sub import .xlsx {label}", xlsx_sub, "python-calamine bare read", b.calamine(sub_xlsx), "≤ 1.5x"
        )
    else:
        xlsx_roster = b.ops_import("roster", roster_xlsx, tmp / "roster_x.db")
        line(
            f"roster import .xlsx {label}",
            xlsx_roster,
            "python-calamine bare read",
            b.calamine(roster_xlsx),
            "≤ 1.3x",
        )
    line(f"re-import unchanged {label} (roster)", again_roster, "first import", first_roster, "≤ 0.3")
    line(f"re-import unchanged {label} (sub)", again_sub, "first import", first_sub, "≤ 0.3")
    if b.against:  # the same imports by another install (an earlier release), same files, same run
        old_roster = b.ops_import("roster", roster_csv, tmp / "old_roster.db", ops=b.against)
        line(f"roster import .csv {label}", first_roster, "--against", old_roster, "no slower (≤ 1)")
        old_sub = b.ops_import("sub", sub_csv, tmp / "old_subs.db", base, ops=b.against)
        line(f"sub import .csv {label}", first_sub, "--against", old_sub, "no slower (≤ 1)")
    if big and len(WAITS) >= 2:
        print(
            f"| another writer during the {label} roster / sub import | longest wait {WAITS[-2]:.2f} s /"
            f" {WAITS[-1]:.2f} s | busy timeout 5 s | — | < 5 s |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (the median is printed)")
    parser.add_argument("--big", action="store_true", help="also the 1,000,000-row rows (slow)")
    parser.add_argument("--only-big", action="store_true", help="only the 1,000,000-row rows (one run each)")
    parser.add_argument(
        "--against", metavar="OPS", help="also time the first imports by this `ops` (another install)"
    )
    parser.add_argument("--generate", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:  # a child, so that openpyxl's memory is not in the figures
        d, n = Path(args.generate), args.rows
        write_csv(d / f"roster{n}.csv", n)
        write_sub_csv(d / f"subs{n}.csv", n)
        (write_xlsx(d / f"roster{n}.xlsx", n) if args.big else write_sub_xlsx(d / f"subs{n}.xlsx", n))
        return
    print("| work | ops: wall (CPU), peak | reference, same run | ratio wall (CPU) | goal |")
    print("|---|---|---|---|---|")
    if not args.only_big:
        with tempfile.TemporaryDirectory() as d:
            rows_for(Bench(Path(d), args.repeat, args.against), args.rows, big=False)
    if args.big or args.only_big:
        with tempfile.TemporaryDirectory() as d:
            rows_for(Bench(Path(d), 1, args.against), 1_000_000, big=True)


if __name__ == "__main__":
    main()

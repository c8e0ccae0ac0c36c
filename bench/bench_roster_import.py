"""Benchmark: importing a 100,000-row roster (.csv and .xlsx).

Run:  python bench/bench_roster_import.py [--rows 100000] [--against OTHER/bin/ops]

Prints, for one run on this machine:
- `ops roster import` of the .csv and of the .xlsx into a fresh store, as a
  real subprocess (what a user runs) and as an in-process core call;
- python-calamine's bare read of the .xlsx (the floor for any xlsx import);
- `sqlite-utils insert --csv` of the same .csv, if sqlite-utils is installed
  (importable, or a `sqlite-utils` command on PATH), else "skipped";
- ``--against``: the same subprocess imports by another install's ``ops`` (an earlier release:
  ``git archive COMMIT | tar -x -C /tmp/old`` installed into its own venv), for "no slower";
- the ratios against the goals in engineering.md (csv >= 4x faster than
  sqlite-utils, xlsx <= 3x calamine's read) and the peak memory (< 250 MB).
Figures only: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADER = ["Kundnummer", "Kund", "Namn", "E-post", "Telefon", "Roll", "Typ"]
ROLES = [
    "beställare",
    "kontaktperson",
    "telefoniansvarig",
    "ansvarig medarbetare",
    "beställare, kontaktperson",
]
PER_CUSTOMER = 50


def rows(n: int):
    for i in range(n):
        c = 10000 + i // PER_CUSTOMER
        yield [
            str(c),
            f"Kund {c} AB",
            f"Person {i} Svensson",
            f"person{i}@kund{c}.example",
            f"+46 70 {i % 1000:03d} {i % 100:02d} {i % 97:02d}",
            "kontaktperson" if i % 40 == 0 else ROLES[i % len(ROLES)],  # a function holds only contact
            "funktion" if i % 40 == 0 else "person",
        ]


def write_csv(path: Path, n: int) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        w.writerows(rows(n))


def write_xlsx(path: Path, n: int) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Roster")
    ws.append(HEADER)
    for r in rows(n):
        r[0] = int(r[0])  # customer numbers as numeric cells, as Excel users type them
        ws.append(r)
    wb.save(path)


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def ops_cli(tmp: Path, name: str, file: Path, ops: Path | None = None) -> tuple[float, float]:
    """`ops roster import FILE` in a subprocess: (seconds, its peak memory in MB)."""
    db = tmp / f"{name}.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPS_")}
    env.update(OPS_DB=str(db), OPS_CONFIG=str(tmp / "none.toml"))
    ops = ops or Path(sys.executable).with_name("ops")
    with open(tmp / f"{name}.err", "w+") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [str(ops), "-q", "roster", "import", str(file)], env=env, stdout=subprocess.DEVNULL, stderr=err
        )
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode:
            err.seek(0)
            raise SystemExit(f"ops roster import failed: {err.read()}")
    return seconds, usage.ru_maxrss / 1024


def ops_core(tmp: Path, name: str, file: Path) -> tuple[float, dict]:
    from ops_cli import roster
    from ops_cli.context import Ops

    ops = Ops.open(config_path=tmp / "none.toml", db_path=tmp / f"{name}.db")
    _ = ops.store  # create and migrate outside the timing
    try:
        return timed(lambda: roster.import_roster(ops, file))
    finally:
        ops.close()


def sqlite_utils_cmd() -> list[str] | None:
    """``$SQLITE_UTILS`` (a path to the command, e.g. from a separate venv), the module, or PATH."""
    if os.environ.get("SQLITE_UTILS"):
        return [os.environ["SQLITE_UTILS"]]
    if importlib.util.find_spec("sqlite_utils"):
        return [sys.executable, "-m", "sqlite_utils"]
    exe = shutil.which("sqlite-utils")
    return [exe] if exe else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--against",
        metavar="OPS",
        type=Path,
        help="also time this `ops` command (another install, e.g. an earlier release) on the same files",
    )
    parser.add_argument("--generate", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args()
    n = args.rows
    if args.generate:  # run as a child so that openpyxl's memory does not count as ours
        write_csv(Path(args.generate) / "roster.csv", n)
        write_xlsx(Path(args.generate) / "roster.xlsx", n)
        return
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        csv_path, xlsx_path = tmp / "roster.csv", tmp / "roster.xlsx"
        t_gen, _ = timed(
            lambda: subprocess.run([sys.executable, __file__, "--rows", str(n), "--generate", d], check=True)
        )
        print(f"{n:,} rows, {n // PER_CUSTOMER:,} customers; generated the .csv and .xlsx in {t_gen:.1f} s")

        # calamine's read in a child too: the rows it reads would stay in this process's memory,
        # and a child started from it would report them as its own peak.
        code = (
            "import sys; from python_calamine import CalamineWorkbook;"
            "rows = CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).to_python();"
            "assert len(rows) == int(sys.argv[2]) + 1"
        )
        t_cal, _ = timed(
            lambda: subprocess.run([sys.executable, "-c", code, str(xlsx_path), str(n)], check=True)
        )
        t_cli_csv, mb_csv = ops_cli(tmp, "cli_csv", csv_path)
        t_cli_xlsx, mb_xlsx = ops_cli(tmp, "cli_xlsx", xlsx_path)
        if args.against:
            t_old_csv, _ = ops_cli(tmp, "old_csv", csv_path, args.against)
            t_old_xlsx, _ = ops_cli(tmp, "old_xlsx", xlsx_path, args.against)
        t_core_csv, res = ops_core(tmp, "core_csv", csv_path)
        assert res["created"] == n, res
        t_core_xlsx, res = ops_core(tmp, "core_xlsx", xlsx_path)
        assert res["created"] == n, res
        t_again, res = ops_core(tmp, "core_csv", csv_path)  # same file again: all unchanged
        assert res["unchanged"] == n, res
        self_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        print(f"python-calamine bare read of the .xlsx      {t_cal:7.2f} s")
        print(f"ops roster import .csv  (subprocess)        {t_cli_csv:7.2f} s")
        print(f"ops roster import .xlsx (subprocess)        {t_cli_xlsx:7.2f} s")
        print(f"import_roster .csv  (in-process core)       {t_core_csv:7.2f} s")
        print(f"import_roster .xlsx (in-process core)       {t_core_xlsx:7.2f} s")
        again = t_again / t_core_csv
        print(f"import_roster .csv again (all unchanged)    {t_again:7.2f} s  ({again:.2f} of the first)")
        if args.against:
            for kind, old, new in (("csv ", t_old_csv, t_cli_csv), ("xlsx", t_old_xlsx, t_cli_xlsx)):
                print(f"--against: roster import .{kind} (subprocess) {old:7.2f} s  (this: {new / old:.2f}x)")

        cmd = sqlite_utils_cmd()
        if cmd:
            t_su, proc = timed(
                lambda: subprocess.run(
                    [*cmd, "insert", str(tmp / "su.db"), "roster", str(csv_path), "--csv"],
                    capture_output=True,
                    text=True,
                )
            )
            if proc.returncode:
                print(f"sqlite-utils failed: {proc.stderr.strip()}")
            else:
                print(f"sqlite-utils insert --csv (subprocess)      {t_su:7.2f} s")
                print(
                    f"csv: sqlite-utils / ops  = {t_su / t_cli_csv:5.2f}x  (goal >= 4x; in-process core: "
                    f"{t_su / t_core_csv:.2f}x)"
                )
        else:
            print("sqlite-utils: skipped (not installed: pip install sqlite-utils to compare)")
        print(
            f"xlsx: ops / calamine read = {t_cli_xlsx / t_cal:5.2f}x  (goal <= 3x; in-process core: "
            f"{t_core_xlsx / t_cal:.2f}x)"
        )
        print(
            f"peak memory: ops roster import .csv {mb_csv:.0f} MB, .xlsx {mb_xlsx:.0f} MB; "
            f"this process (both in-process imports) {self_peak_mb:.0f} MB (goal < 250 MB)"
        )


if __name__ == "__main__":
    main()

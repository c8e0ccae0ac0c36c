"""`ops sub change` with 1,000 / 10,000 (/ 100,000) rows.

Target (engineering.md): a 10,000-row change order under 3 s on this machine,
scaling linearly or better. Each order runs as the real installed `ops` in a
fresh process against a store that holds every subscription of all the sizes
(so validation sees the whole store). Printed next to two baselines measured
in the same run: `python -c "import typer"` and reading the same file with
`ops_cli.sheets.read_table` alone. No asserts: figures only.

    python bench/bench_sub_change.py [--sizes 1000,10000,100000] [--xlsx]
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ORDERER = "anna.berg@polisen.example"
FIRST_ISSI = 1_000_001


def tei(n: int, prefix: str) -> str:
    return f"{prefix}{n:014X}"


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode:
        sys.exit(f"{' '.join(cmd[:3])}... failed ({proc.returncode}): {proc.stderr.strip()[:500]}")
    return elapsed


def write_order(path: Path, issis: range, xlsx: bool) -> None:
    rows = ([issi, tei(issi, "F")] for issi in issis)
    if xlsx:
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet()
        ws.append(["issi", "new_tei"])
        for row in rows:
            ws.append(row)
        wb.save(path)
        return
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["issi", "new_tei"])
        writer.writerows(rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--xlsx", action="store_true", help="Orders as .xlsx instead of .csv.")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    ops_bin = str(Path(sys.executable).with_name("ops"))

    from ops_cli import roster
    from ops_cli.context import Ops
    from ops_cli.sheets import Column, read_table
    from ops_cli.subscriptions import import_subscriptions

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("OPS_")},
            "OPS_DB": str(tmp / "ops.db"),
            "OPS_CONFIG": str(tmp / "config.toml"),
            "OPS_NOW": "2026-11-18T10:00",
        }
        os.environ.update({k: env[k] for k in ("OPS_DB", "OPS_CONFIG")})
        ops = Ops.open()
        roster.add_customer(ops, "1001", name="Polisregion Syd")
        roster.add_entry(ops, "1001", ORDERER, "Anna Berg", ["orderer"])
        total = sum(sizes)
        subs = tmp / "subs.csv"
        with open(subs, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["customer", "issi", "tei", "status"])
            writer.writerows(
                ["1001", FIRST_ISSI + i, tei(FIRST_ISSI + i, "A"), "active"] for i in range(total)
            )
        start = time.perf_counter()
        import_subscriptions(ops, subs)
        print(f"set-up: imported {total:,} subscriptions in {time.perf_counter() - start:.2f} s (core, csv)")
        ops.close()

        baseline = min(timed([sys.executable, "-c", "import typer"], env) for _ in range(5))
        print(f"baseline: python -c 'import typer' {baseline:.3f} s")
        print(
            f"{'rows':>8} {'ops sub change':>15} {'read file':>10}"
            f" {'x typer':>8} {'x read':>7} {'per 1k rows':>12}"
        )
        first = FIRST_ISSI
        ext = ".xlsx" if args.xlsx else ".csv"
        columns = [Column("issi"), Column("new_tei", required=False), Column("new_issi", required=False)]
        for size in sizes:
            path = tmp / f"order_{size}{ext}"
            write_order(path, range(first, first + size), args.xlsx)
            first += size
            start = time.perf_counter()
            read_table(path, columns)
            read = time.perf_counter() - start
            elapsed = timed(
                [
                    ops_bin,
                    "-q",
                    "sub",
                    "change",
                    str(path),
                    "--customer",
                    "1001",
                    "--by",
                    ORDERER,
                    "-f",
                    "json",
                ],
                env,
            )
            print(
                f"{size:>8,} {elapsed:>13.2f} s {read:>8.2f} s"
                f" {elapsed / baseline:>7.1f}x {elapsed / read:>6.1f}x"
                f" {elapsed / size * 1000:>10.3f} s"
            )


if __name__ == "__main__":
    main()

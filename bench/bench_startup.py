"""Start-up cost of the CLI against the bare cost of importing Typer.

Target (engineering.md): `ops case list --format json` on the demo store takes
at most 1.5x the time of `python -c "import typer"`. Both are measured here, in
the same run, as the best of N fresh processes.

    python bench/bench_startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def best_of(cmd: list[str], runs: int, env: dict[str, str]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    ops = str(Path(sys.executable).with_name("ops"))
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "OPS_DB": f"{tmp}/ops.db", "OPS_CONFIG": f"{tmp}/config.toml"}
        subprocess.run([ops, "init", "--demo"], env=env, check=True, capture_output=True)
        baseline = best_of([sys.executable, "-c", "import typer"], args.runs, env)
        figures = {
            "ops --help": best_of([ops, "--help"], args.runs, env),
            "ops case list --format json": best_of([ops, "case", "list", "--format", "json"], args.runs, env),
            "ops roster customer list --format json": best_of(
                [ops, "roster", "customer", "list", "--format", "json"], args.runs, env
            ),
        }
    print(f"baseline  python -c 'import typer': {baseline * 1000:7.1f} ms")
    for name, seconds in figures.items():
        print(f"{name:40s} {seconds * 1000:7.1f} ms  ratio {seconds / baseline:4.2f}x")
    print("target: ops case list --format json <= 1.50x")


if __name__ == "__main__":
    main()

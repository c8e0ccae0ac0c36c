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


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def interleaved(commands: dict[str, list[str]], runs: int, env: dict[str, str]) -> dict[str, float]:
    """Best of ``runs`` for each command, taking turns so that load spikes hit all alike."""
    for cmd in commands.values():
        timed(cmd, env)  # warm: bytecode written, files in the page cache
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            times[name].append(timed(cmd, env))
    return {name: min(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    ops = str(Path(sys.executable).with_name("ops"))
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "OPS_DB": f"{tmp}/ops.db", "OPS_CONFIG": f"{tmp}/config.toml"}
        # Measure what users get: cached bytecode (some sandboxes turn it off).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run([ops, "init", "--demo"], env=env, check=True, capture_output=True)
        figures = interleaved(
            {
                "baseline": [sys.executable, "-c", "import typer"],
                "ops --help": [ops, "--help"],
                "ops case list --format json": [ops, "case", "list", "--format", "json"],
                "ops roster customer list --format json": [
                    ops,
                    "roster",
                    "customer",
                    "list",
                    "--format",
                    "json",
                ],
            },
            args.runs,
            env,
        )
        baseline = figures.pop("baseline")
    print(f"baseline  python -c 'import typer': {baseline * 1000:7.1f} ms")
    for name, seconds in figures.items():
        print(f"{name:40s} {seconds * 1000:7.1f} ms  ratio {seconds / baseline:4.2f}x")
    print("target: ops case list --format json <= 1.50x")


if __name__ == "__main__":
    main()

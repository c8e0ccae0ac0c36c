"""Start-up cost of the CLI against the bare cost of importing Typer.

Targets (issue 16): `ops --help` into a pipe at most 1.8x the time of
`python -c "import typer"`, `ops case list --format json` on the demo store at
most 1.3x. All are measured here in the same run, taking turns, as the median
(and the best) of N fresh processes: the machine is shared, medians of >= 15.

    python bench/bench_startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS = {"ops --help": 1.8, "ops case list --format json": 1.3}


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def interleaved(commands: dict[str, list[str]], runs: int, env: dict[str, str]) -> dict[str, list[float]]:
    """``runs`` timings of each command, taking turns so that load spikes hit all alike."""
    for cmd in commands.values():
        timed(cmd, env)  # warm: bytecode written, files in the page cache
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            times[name].append(timed(cmd, env))
    return times


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
        base = figures.pop("baseline")
    median, best = statistics.median(base), min(base)
    label = "baseline python -c 'import typer'"
    print(f"{label:40s} median {median * 1000:6.1f} ms  best {best * 1000:6.1f} ms")
    for name, values in figures.items():
        m, b = statistics.median(values), min(values)
        target = TARGETS.get(name)
        goal = f"  target <= {target:.2f}x" if target else ""
        print(
            f"{name:40s} median {m * 1000:6.1f} ms  best {b * 1000:6.1f} ms  "
            f"ratio {m / median:4.2f}x (best {b / best:4.2f}x){goal}"
        )


if __name__ == "__main__":
    main()

"""Benchmark: the same commands on PostgreSQL and on SQLite, in one run (issue 17).

Run:  python bench/bench_pg.py [--rows 100000] [--cases 10000] [--runs 3] [--pg-url URL]

Without ``--pg-url`` (or ``$OPS_BENCH_PG_URL``) a throw-away cluster is started in a temp
folder with ``scripts/pg-cluster`` (needs the server binaries) and stopped at the end.

Prints, for one run on this machine (median of ``--runs``, each into a fresh store):
- ``ops roster import`` of a ``--rows`` .csv (bench_roster_import's sheet) into an empty store;
- ``ops report quarterly -f json`` over ``--cases`` fault cases and 900 KPI days (bench_bulk's
  report store, copied to PostgreSQL with ``ops db copy``, whose time is shown too);
- ``ops case list -f json`` on the same store;
- each PostgreSQL figure as a ratio of the SQLite one (issue 17's goal: within 2x).
Figures only: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_bulk import report_store  # noqa: E402
from bench_roster_import import write_csv  # noqa: E402

OPS = str(Path(sys.executable).with_name("ops"))
CLUSTER = HERE.parent / "scripts" / "pg-cluster"


def schema_url(server: str) -> str:
    """A fresh store on the server: a new schema (ops creates it on the first write)."""
    joiner = "&" if "?" in server else "?"
    return f"{server}{joiner}options=-csearch_path%3Dbench_{uuid.uuid4().hex[:10]}"


def environ(db: str, config: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPS_")}
    env.update(OPS_DB=db, OPS_CONFIG=str(config), **extra)
    return env


def timed(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    took = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {proc.stderr.strip()}")
    return took


def drop_schemas(server: str) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        names = [r[0] for r in conn.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'bench_%'")]
        for name in names:
            conn.execute(f'DROP SCHEMA "{name}" CASCADE')


def bench_import(tmp: Path, server: str, rows: int, runs: int) -> tuple[float, float]:
    sheet = tmp / "roster.csv"
    write_csv(sheet, rows)
    config = tmp / "config.toml"
    times: dict[str, list[float]] = {"sqlite": [], "postgresql": []}
    for i in range(runs):
        for backend in times:
            db = str(tmp / f"import-{i}.db") if backend == "sqlite" else schema_url(server)
            env = environ(db, config)
            subprocess.run([OPS, "-q", "init"], env=env, check=True, capture_output=True)
            times[backend].append(timed([OPS, "-q", "roster", "import", str(sheet)], env))
    return statistics.median(times["sqlite"]), statistics.median(times["postgresql"])


def bench_reads(tmp: Path, server: str, cases: int, runs: int) -> list[tuple[str, float, float]]:
    env = report_store(tmp / "report", cases)  # SQLite, built with plain inserts
    sqlite_db, config = env["OPS_DB"], Path(env["OPS_CONFIG"])
    pg_db = schema_url(server)
    copy = timed([OPS, "-q", "db", "copy", "--to", pg_db], environ(sqlite_db, config))
    commands = {
        f"report quarterly -f json ({cases:,} cases)": ["report", "quarterly", "-c", "2001", "-Q", "2026Q1"],
        f"case list -f json ({cases:,} cases)": ["case", "list", "--status", "closed", "-n", "1000000"],
    }
    out = [(f"db copy SQLite → PostgreSQL ({cases:,} cases)", copy, copy)]
    for name, args in commands.items():
        figures = []
        for db in (sqlite_db, pg_db):
            run_env = environ(db, config, OPS_NOW="2026-04-15T10:00")
            figures.append(
                statistics.median(timed([OPS, "-q", *args, "-f", "json"], run_env) for _ in range(runs))
            )
        out.append((name, *figures))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="roster rows to import (at most 100k here)")
    parser.add_argument("--cases", type=int, default=10_000, help="fault cases in the report store")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--pg-url", default=os.environ.get("OPS_BENCH_PG_URL"), help="a PostgreSQL server URL"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-pg-") as folder:
        tmp = Path(folder)
        cluster = None
        server = args.pg_url
        if not server:
            tmp.chmod(0o755)  # run as root, the server's user (postgres) must reach its folder
            cluster = tmp / "cluster"
            server = subprocess.run(
                [str(CLUSTER), "start", str(cluster)], check=True, capture_output=True, text=True
            ).stdout.strip()
        try:
            sqlite_import, pg_import = bench_import(tmp, server, args.rows, args.runs)
            rows = [(f"roster import .csv ({args.rows:,} rows)", sqlite_import, pg_import)]
            rows += bench_reads(tmp, server, args.cases, args.runs)
        finally:
            if cluster:
                subprocess.run([str(CLUSTER), "stop", str(cluster)], check=False)
            else:
                drop_schemas(server)
    print(f"{'command':48}  {'SQLite':>8}  {'PostgreSQL':>10}  {'ratio':>6}  goal")
    for name, lite, pg in rows:
        if name.startswith("db copy"):
            print(f"{name:48}  {'':>8}  {pg:9.2f}s  {'':>6}")
            continue
        ratio = pg / lite
        print(
            f"{name:48}  {lite:7.2f}s  {pg:9.2f}s  {ratio:5.2f}x  {'met' if ratio <= 2 else 'NOT met'} (≤ 2x)"
        )


if __name__ == "__main__":
    main()

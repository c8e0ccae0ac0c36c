"""Benchmark: `ops report quarterly` (core + JSON render) over 10k, 100k and 1M cases and KPI rows.

Builds one store per size in a temp folder (bulk executemany, no audit: this is
test data), then times :func:`ops_cli.reports.quarterly.quarterly` plus the
JSON render for the biggest customer's busiest quarter. The data grows with the
size: 20 customers share the cases and KPI rows, so the reported customer's
share (cases in the quarter, zones x days of KPI counts) grows linearly too.

Prints the figures and the scaling ratios; asserts nothing (goal: 1M under 3 s).

    /tmp/venv/bin/python bench/bench_report.py            # 10k, 100k, 1M
    /tmp/venv/bin/python bench/bench_report.py 10000 100000
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

CUSTOMERS = 20
DAYS = 500  # KPI days and case days, from 2025-06-01
START = datetime(2025, 6, 1, tzinfo=UTC)
TOPICS = ("fault", "disruption", "coverage", "question", "order", "invoice")
CHANNELS = ("portal", "email", "phone", "radio")


def build(folder: Path, n: int) -> Path:
    from ops_cli.context import Ops

    db = folder / f"bench-{n}.db"
    os.environ["OPS_DB"] = str(db)
    ops = Ops.open(config_path=folder / "none.toml", db_path=db)
    rnd = random.Random(n)
    stamp = START.isoformat(timespec="seconds")
    numbers = [str(2001 + i) for i in range(CUSTOMERS)]
    store = ops.store
    with store.write() as st:
        st.executemany(
            "INSERT INTO customers (number, name, sla_tier, created_at, updated_at)"
            " VALUES (?, ?, 'gold', ?, ?)",
            [(c, f"Customer {c}", stamp, stamp) for c in numbers],
        )
        # KPI: each customer gets n / CUSTOMERS day rows over zones x DAYS.
        per_customer = n // CUSTOMERS
        zones = max(1, per_customer // DAYS)
        days = [(START + timedelta(days=d)).date().isoformat() for d in range(DAYS)]

        def kpi_rows():
            for c in numbers:
                made = 0
                for z in range(zones):
                    for day in days:
                        if made == per_customer:
                            return
                        attempts = rnd.randint(500, 2000)
                        ok = attempts - rnd.randint(0, attempts // 40)
                        est = ok - rnd.randint(0, 5)
                        term = est - rnd.randint(0, est // 60)
                        yield (c, f"Zone {z:03d}", day, attempts, ok, est, term, stamp)
                        made += 1

        st.executemany(
            "INSERT INTO kpi (customer, zone, period, attempts, setups_ok, established, terminated_ok,"
            " imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            kpi_rows(),
        )

        def case_rows():
            for i in range(n):
                opened = START + timedelta(seconds=rnd.randrange(DAYS * 86400))
                closed = opened + timedelta(minutes=rnd.randint(30, 72 * 60))
                o, cl = opened.isoformat(timespec="seconds"), closed.isoformat(timespec="seconds")
                yield (
                    i + 1,
                    f"{opened.year}-{i + 1:07d}",
                    numbers[i % CUSTOMERS],
                    "user@bench.example",
                    rnd.choice(CHANNELS),
                    rnd.choice(TOPICS),
                    "operations",
                    int(rnd.random() < 0.1),
                    "normal",
                    "closed",
                    f"Bench case {i}",
                    "gold",
                    o,
                    cl,
                    cl,
                )

        st.executemany(
            "INSERT INTO cases (id, number, customer, reporter, channel, topic, department, critical,"
            " classification, status, subject, sla_tier, opened_at, last_activity_at, closed_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            case_rows(),
        )
        st.execute(
            "INSERT INTO case_callbacks (case_id, due_at, made_at, made_by)"
            " SELECT id, opened_at, opened_at, 'bench' FROM cases WHERE critical = 1"
        )
    ops.close()
    return db


def time_report(db: Path, folder: Path, repeat: int = 3) -> tuple[float, int, int]:
    from ops_cli.context import Ops
    from ops_cli.reports.quarterly import quarterly
    from ops_cli.reports.text import to_json

    best = float("inf")
    for _ in range(repeat):
        ops = Ops.open(config_path=folder / "none.toml", db_path=db)
        t0 = time.perf_counter()
        report = quarterly(ops, "2001", "2026Q1")
        text = to_json(report)
        best = min(best, time.perf_counter() - t0)
        ops.close()
    return best, report["cases"]["count"], len(text)


def main(sizes: list[int]) -> None:
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for n in sizes:
            t0 = time.perf_counter()
            db = build(folder, n)
            built = time.perf_counter() - t0
            seconds, cases, size = time_report(db, folder)
            results.append((n, seconds))
            print(
                f"{n:>9,} cases + {n:>9,} KPI rows: built in {built:6.1f} s; report quarterly (core + JSON) "
                f"{seconds * 1000:8.1f} ms  [{cases:,} fault cases of customer 2001 in 2026Q1, "
                f"{size:,} bytes of JSON]",
                flush=True,
            )
            db.unlink()
    for (n1, t1), (n2, t2) in zip(results, results[1:], strict=False):
        print(f"scaling {n1:,} -> {n2:,} (x{n2 / n1:g} data): time x{t2 / t1:.2f}")
    if results and results[-1][0] >= 1_000_000:
        verdict = "met" if results[-1][1] < 3 else "MISSED"
        print(f"goal: 1M under 3 s: {verdict} ({results[-1][1]:.2f} s)")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000, 100_000, 1_000_000])

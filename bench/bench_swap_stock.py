"""Benchmark: `ops swap stock` over all customers for 1k, 4k and 10k prof customers.

Builds one store per size in a temp folder (bulk executemany, no audit: this is
test data): every customer holds 4 units over 3 models (one on loan) and every
tenth has a per-model target. Times :func:`ops_cli.swap.stock` for all
customers (one grouped query per table, so time should grow linearly with the
customers) and prints the figures in the same form as before the grouped
queries ("swap stock, N customers: S s (R rows)") plus the time per customer
and the growth against the smallest size. Asserts nothing.

    .venv/bin/python bench/bench_swap_stock.py              # 1000, 4000, 10000
    .venv/bin/python bench/bench_swap_stock.py 1000 2000
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from ops_cli import clock, swap
from ops_cli.context import Ops

MODELS = ("Galaxy XCover7", "iPhone 15", "Nokia XR21")
SIZES = (1000, 4000, 10000)


def build(n: int, folder: Path) -> Ops:
    """A store with ``n`` prof customers, 4 units each, a per-model target on every tenth."""
    ops = Ops.open(config_path=folder / "config.toml", db_path=folder / "ops.db")
    now = clock.to_db(ops.now())
    with ops.store.write() as st:
        st.executemany(
            "INSERT INTO customers (number, name, service_level, fleet, swap_policy, created_at, updated_at)"
            " VALUES (?, ?, 'prof', ?, 'loan', ?, ?)",
            [(str(100000 + i), f"Kund {i}", 50 + i % 400, now, now) for i in range(n)],
        )
        units = []
        for i in range(n):
            for k in range(4):  # 4 units over the models, one on loan
                state = "on_loan" if k == 3 else "in_stock"
                model = MODELS[(i + k) % 3]
                units.append((f"S{i:06d}X{k}", str(100000 + i), model, state, "stock", now, now))
        st.executemany(
            "INSERT INTO swap_units (serial, customer, model, state, origin, added_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            units,
        )
        st.executemany(
            "INSERT INTO swap_model_targets (customer, model, target) VALUES (?, ?, ?)",
            [(str(100000 + i), MODELS[0], 2) for i in range(0, n, 10)],
        )
    return ops


def measure(n: int) -> tuple[float, int]:
    """Seconds for `swap stock` over all ``n`` customers, and the rows it returned."""
    with tempfile.TemporaryDirectory() as tmp:
        ops = build(n, Path(tmp))
        try:
            started = time.perf_counter()
            rows = swap.stock(ops)
            took = time.perf_counter() - started
        finally:
            ops.close()
    return took, len(rows)


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or list(SIZES)
    first: tuple[int, float] | None = None
    for n in sizes:
        took, rows = measure(n)
        per = took / n * 1e6
        growth = ""
        if first is None:
            first = (n, took)
        elif first[1] > 0:
            growth = f"; x{took / first[1]:.1f} time for x{n / first[0]:.1f} customers"
        print(f"swap stock, {n:>6} customers: {took:6.2f} s ({rows} rows; {per:.0f} us per customer{growth})")


if __name__ == "__main__":
    main(sys.argv[1:])

"""A bench store: `ops init` in a folder, then N/100 customers written straight to the file
(one ``executemany``), so a bench at 1M rows sets up in seconds. Shared by the list and export
benches, which add their own rows through the connection it returns."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

OPS = Path(sys.executable).with_name("ops")


def new_store(
    folder: Path, rows: int, stamp: str, **extra: str
) -> tuple[dict[str, str], sqlite3.Connection, int]:
    """(the environment that runs `ops` on it, an open connection, how many customers) of a new
    store in ``folder`` with ``rows // 100`` customers (at least one) made at ``stamp``."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("OPS_") and k != "CI"},
        "OPS_DB": str(folder / "ops.db"),
        "OPS_CONFIG": str(folder / "config.toml"),
        "NO_COLOR": "1",
        **extra,
    }
    subprocess.run([str(OPS), "-q", "init"], env=env, check=True, stdout=subprocess.DEVNULL)
    customers = max(1, rows // 100)
    conn = sqlite3.connect(folder / "ops.db")
    with conn:
        conn.executemany(
            "INSERT INTO customers (number, name, created_at, updated_at) VALUES (?, ?, ?, ?)",
            ((str(10000 + c), f"Kund {c} AB", stamp, stamp) for c in range(customers)),
        )
    return env, conn, customers

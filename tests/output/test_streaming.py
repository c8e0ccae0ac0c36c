"""Listings stream: the emitter writes rows while the generator still runs (it never holds
the list), and `sub list`/`roster list` of 100k rows stay under 100 MB peak in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from conftest import OPS_BIN
from ops_cli.commands import _output

N = 200_000


class Watch:
    """A stdout that checks, at every write, how far the row generator ran ahead of it."""

    def __init__(self, lines_per_row: int = 1):
        self.made = 0  # rows the generator has produced
        self.lines = 0  # lines written so far
        self.ahead = 0  # the most rows produced but not yet written
        self.per_row = lines_per_row

    def rows(self):
        for i in range(N):
            self.made += 1
            yield {"issi": i, "customer": "1001", "note": "a,b" if i % 2 else None}

    def write(self, text: str) -> int:
        self.lines += text.count("\n")
        self.ahead = max(self.ahead, self.made - self.lines // self.per_row)
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


@pytest.mark.parametrize(
    ("fmt", "bound"), [("jsonl", 2), ("json", 3), ("csv", 501), ("md", 3), ("table", 1002)]
)
def test_the_emitter_consumes_a_200k_row_generator_without_holding_it(monkeypatch, fmt, bound):
    watch = Watch()
    monkeypatch.setattr(sys, "stdout", watch)
    shown = _output.emit(watch.rows(), fmt, columns=["issi", "customer", "note"])
    assert shown == N and watch.made == N
    assert watch.ahead <= bound  # rows in flight: one, a CSV batch, or the plain table's width sample


def test_limit_stops_reading_the_generator(monkeypatch):
    import click

    watch = Watch()
    monkeypatch.setattr(sys, "stdout", watch)
    ctx = click.Context(click.Command("list"))
    ctx.meta["ops.output.limit"] = 5
    with ctx:
        assert _output.emit(watch.rows(), "jsonl") == 5
    assert watch.made == 5


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """A store with 100k subscriptions and 100k roster entries (inserted in bulk)."""
    from conftest import Env

    folder = tmp_path_factory.mktemp("big")
    env = Env(tmp=folder, db=folder / "ops.db", config=folder / "config.toml")
    assert env.run("-q", "roster", "customer", "add", "1001", "--name", "Stor kund").code == 0
    from helpers import db as store_db

    now = datetime(2026, 11, 20, tzinfo=UTC).isoformat()
    conn = store_db.connect(env.db)
    with conn:
        conn.executemany(
            "INSERT INTO subscriptions (issi, customer, tei, msisdn, kind, status, created_at, updated_at)"
            " VALUES (?, '1001', NULL, NULL, 'standard', 'active', ?, ?)",
            ((1_000_000 + i, now, now) for i in range(100_000)),
        )
        conn.executemany(
            "INSERT INTO roster_entries (customer, email, name, phone, kind, roles, created_at, updated_at)"
            " VALUES ('1001', ?, ?, NULL, 'person', 'viewer', ?, ?)",
            ((f"p{i:06d}@stor.example", f"Person {i}", now, now) for i in range(100_000)),
        )
    conn.close()
    return env


MEASURE = """
import resource, subprocess, sys
with open(sys.argv[1], "wb") as out:
    code = subprocess.run(sys.argv[2:], stdout=out).returncode
print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


@pytest.mark.parametrize(
    "args",
    [
        ("sub", "list", "-f", "jsonl"),
        ("sub", "list", "-f", "json"),
        ("sub", "list", "-f", "csv"),
        ("roster", "list"),
    ],
    ids=" ".join,
)
def test_100k_rows_listed_with_peak_memory_under_100_mb(big, tmp_path, args):
    out = tmp_path / "out.txt"
    proc = subprocess.run(
        [sys.executable, "-c", MEASURE, str(out), str(OPS_BIN), *args],
        capture_output=True,
        text=True,
        env=big.environ(),
        timeout=300,
    )
    code, peak_kb = map(int, proc.stdout.split())
    assert code == 0, proc.stderr
    lines = out.read_text().splitlines()
    assert len(lines) in (100_000, 100_001, 100_002)  # rows, plus a header (csv) or [ ] (json)
    if args[-1] == "jsonl":
        assert json.loads(lines[-1])["issi"] == 1_099_999
    assert peak_kb < 100 * 1024, f"peak {peak_kb // 1024} MB"


def test_roster_list_into_head_stops_at_once_and_quietly(big):
    proc = subprocess.run(
        f"'{OPS_BIN}' roster list | head -3",
        shell=True,
        capture_output=True,
        text=True,
        env=big.environ(),
        timeout=120,
    )
    assert proc.stdout.splitlines()[2].split()[:2] == ["1001", "Person"]
    assert len(proc.stdout.splitlines()) == 3
    assert proc.stderr == ""


def test_the_big_lists_are_cursor_backed_streams(ops):
    """`sub list`, `case list`, `roster list` and `db log` hand over iterators, not lists."""
    from ops_cli import cases, changes, roster, subscriptions

    for rows in (
        subscriptions.list_subscriptions(ops),
        cases.list_cases(ops),
        roster.list_entries(ops),
        changes.audit_log(ops, 10),
    ):
        assert iter(rows) is rows and not isinstance(rows, list)
        list(rows)

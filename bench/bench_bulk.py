"""Bulk subscription commands on a big fleet (issue 16), each next to its reference in the same run.

- `sub deactivate --file` with K ISSIs   vs  a bare `sqlite3` UPDATE of the same K rows
- `sub change` with 100 changes          vs  a bare `sqlite3` UPDATE ... FROM of the same 100 rows

The store is made with `ops init`, the roster through the core, and the fleet
with one ``executemany`` on the real schema (so set-up takes seconds even at 1M).
Stores live in a temporary directory (or --keep DIR, reused when it exists).
No asserts: figures only.

    python bench/bench_bulk.py [--fleet 100000] [--deactivate 10000,30000] [--big] [--keep /tmp/bulk]
        [--runs 3] [--against OTHER/bin/ops]
    (--big = a 1,000,000 fleet)
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC
from pathlib import Path

ORDERER = "anna.berg@polisen.example"
FIRST_ISSI = 1_000_001
NOW = "2026-11-18T10:00"  # a Wednesday in desk hours


def tei(n: int, prefix: str = "A") -> str:
    return f"{prefix}{n:014X}"


def make_store(tmp: Path, fleet: int) -> dict[str, str]:
    """``ops init``, customer 1001 with an orderer, ``fleet`` active subscriptions (one executemany)."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("OPS_")},
        "OPS_DB": str(tmp / "ops.db"),
        "OPS_CONFIG": str(tmp / "config.toml"),
        "OPS_NOW": NOW,
    }
    if (tmp / "ops.db").exists():
        return env
    ops_bin = str(Path(sys.executable).with_name("ops"))
    subprocess.run([ops_bin, "init"], env=env, check=True, capture_output=True)
    os.environ.update({k: env[k] for k in ("OPS_DB", "OPS_CONFIG", "OPS_NOW")})
    from ops_cli import roster
    from ops_cli.context import Ops

    ops = Ops.open()
    roster.add_customer(ops, "1001", name="Polisregion Syd")
    roster.add_entry(ops, "1001", ORDERER, "Anna Berg", ["orderer"])
    ops.close()
    db = sqlite3.connect(env["OPS_DB"])
    stamp = "2026-01-01T00:00:00+00:00"
    with db:
        db.executemany(
            "INSERT INTO subscriptions (issi, customer, tei, kind, status, created_at, updated_at)"
            " VALUES (?, '1001', ?, 'standard', 'active', ?, ?)",
            ((FIRST_ISSI + i, tei(FIRST_ISSI + i), stamp, stamp) for i in range(fleet)),
        )
    db.close()
    return env


def timed(cmd: list[str], env: dict[str, str], stdin: str | None = None) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, input=stdin)
    elapsed = time.perf_counter() - start
    if proc.returncode:
        sys.exit(f"{' '.join(cmd[:4])}... failed ({proc.returncode}): {proc.stderr.strip()[:500]}")
    return elapsed


def timed_tty(cmd: list[str], env: dict[str, str]) -> float:
    """``cmd`` with its stdout on a pseudo-terminal (what a user at a terminal gets), read
    as fast as it comes."""
    import pty
    import threading

    master, slave = pty.openpty()

    def drain() -> None:
        try:
            while os.read(master, 1 << 16):
                pass
        except OSError:  # the terminal closed
            pass

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    start = time.perf_counter()
    proc = subprocess.run(cmd, env={**env, "COLUMNS": "100"}, stdout=slave, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    os.close(slave)
    reader.join(timeout=10)
    os.close(master)
    if proc.returncode:
        sys.exit(f"{' '.join(cmd[:4])}... failed ({proc.returncode}): {proc.stderr.strip()[:500]}")
    return elapsed


def sqlite_ref(db: str, script: str) -> float:
    """A bare run of ``script`` by the `sqlite3` shell (a process, as `ops` is); by the module
    (dot-commands left out) when the shell is not installed."""
    shell = shutil.which("sqlite3")
    start = time.perf_counter()
    if shell:
        subprocess.run([shell, db], input=script, text=True, check=True, capture_output=True)
    else:
        conn = sqlite3.connect(db)
        conn.executescript("\n".join(line for line in script.splitlines() if not line.startswith(".")))
        conn.close()
    return time.perf_counter() - start


def bench_deactivate(env, tmp: Path, sizes: list[int], first: int, runs: int = 1, against: str = "") -> int:
    """Each size: ``runs`` times `ops sub deactivate --file` (and ``against``'s, another install's
    `ops`, when given) and the bare `sqlite3` UPDATE that sets the rows back; medians."""
    from statistics import median

    ops_bin = str(Path(sys.executable).with_name("ops"))
    other = f" {'--against':>10} {'ratio':>6}" if against else ""
    print(f"{'ISSIs':>8} {'ops sub deactivate --file':>26} {'sqlite3 UPDATE':>15} {'ratio':>6}{other}")
    for size in sizes:
        path = tmp / f"deactivate_{size}.csv"
        with open(path, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows([["issi"], *([n] for n in range(first, first + size))])
        # reference: the `sqlite3` shell reads the same file and sets the same rows back to active
        # in one UPDATE (which also restores the fleet for the next run)
        script = (
            f".import --csv {path} file_issis\n"
            "UPDATE subscriptions SET status = 'active', updated_at = 'x'"
            " WHERE issi IN (SELECT CAST(issi AS INTEGER) FROM file_issis); DROP TABLE file_issis;"
        )
        times, refs, olds, floors = [], [], [], []
        for _ in range(runs):
            for binary, into in ((ops_bin, times), *(((against, olds),) if against else ())):
                cmd = [binary, "-q", "sub", "deactivate", "--file", str(path), "--by", ORDERER, "-f", "json"]
                into.append(timed(cmd, env))
                refs.append(sqlite_ref(env["OPS_DB"], script))
            # the floor: the same rows written by the shell WITH what ops must also keep (an
            # audit record and the undo images of each row, as ops's own statements write them)
            cmd = [ops_bin, "-q", "sub", "deactivate", "--file", str(path), "--by", ORDERER, "-f", "json"]
            timed(cmd, env)
            floors.append(sqlite_ref(env["OPS_DB"], _with_records(path)))
        elapsed, ref = median(times), median(refs)
        line = f"{size:>8,} {elapsed:>24.2f} s {ref:>13.2f} s {elapsed / ref:>5.1f}x"
        if against:
            line += f" {median(olds):>8.2f} s {median(olds) / ref:>5.1f}x"
        print(line)
        print(
            f"{'':>8} the same UPDATE by sqlite3 with an audit record and undo images a row:"
            f" {median(floors):.2f} s ({elapsed / median(floors):.1f}x)"
        )
        first += size
    return first


def _with_records(path: Path) -> str:
    """The shell's script that sets the file's rows back to active as ops would: one audit record
    and the before image (every column) of each changed row, then the UPDATE (ops keeps no after
    image of a bulk update: the reader takes it from the row's next change or the store)."""
    cols = ("issi", "customer", "tei", "msisdn", "kind", "status", "addons", "created_at", "updated_at")
    before = "json_object(" + ", ".join(f"'{c}', r.{c}" for c in cols) + ")"
    rows = "FROM subscriptions AS r WHERE r.issi IN (SELECT CAST(issi AS INTEGER) FROM file_issis)"
    return (
        f".import --csv {path} file_issis\n"
        "BEGIN IMMEDIATE;"
        " INSERT INTO changesets (at, command) VALUES ('x', 'bench');"
        " INSERT INTO audit (at, actor, action, object, before, after, changeset_id)"
        " SELECT 'x', 'bench', 'sub.activate', 'sub:' || r.issi, '{\"status\": \"inactive\"}',"
        f" '{{\"status\": \"active\"}}', (SELECT max(id) FROM changesets) {rows} AND r.status <> 'active'"
        " ORDER BY r.issi;"
        " INSERT INTO row_changes (changeset_id, tbl, op, rid, before, after)"
        f" SELECT (SELECT max(id) FROM changesets), 'subscriptions', 'update', r.rowid, {before}, NULL"
        f" {rows} AND r.status <> 'active' ORDER BY r.rowid;"
        " UPDATE subscriptions SET status = 'active', updated_at = 'x'"
        " WHERE issi IN (SELECT CAST(issi AS INTEGER) FROM file_issis) AND status <> 'active';"
        " COMMIT; DROP TABLE file_issis;"
    )


def bench_change(env, tmp: Path, first: int, count: int = 100) -> None:
    ops_bin = str(Path(sys.executable).with_name("ops"))
    conn = sqlite3.connect(env["OPS_DB"])
    first += count * conn.execute("SELECT count(*) FROM change_orders").fetchone()[0]  # a reused store
    conn.close()
    path = tmp / f"change_{first}.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(
            [["issi", "new_tei"], *([n, tei(n, "F")] for n in range(first, first + count))]
        )
    cmd = [ops_bin, "-q", "sub", "change", str(path), "--customer", "1001", "--by", ORDERER, "-f", "json"]
    elapsed = timed(cmd, env)
    values = ",".join(f"({n}, '{tei(n, 'E')}')" for n in range(first, first + count))
    ref = sqlite_ref(
        env["OPS_DB"],
        f"CREATE TEMP TABLE ch (issi INTEGER PRIMARY KEY, new_tei TEXT); INSERT INTO ch VALUES {values};"
        " UPDATE subscriptions SET tei = ch.new_tei FROM ch WHERE subscriptions.issi = ch.issi;"
        f" UPDATE subscriptions SET tei = printf('A%014X', issi) WHERE issi BETWEEN {first}"
        f" AND {first + count - 1};",
    )
    print(f"sub change {count} rows: ops {elapsed:.2f} s; sqlite3 UPDATE...FROM (and back) {ref:.2f} s")


def add_cases(env: dict[str, str], n: int) -> None:
    """``n`` cases of customer 1001: 2% open, their callbacks due hourly from 4 hours ago to a week
    ahead (so about 3% of the open cases are due: a desk's real list, not the whole store)."""
    from datetime import datetime, timedelta

    conn = sqlite3.connect(env["OPS_DB"])
    if conn.execute("SELECT count(*) FROM cases WHERE number LIKE '2026-_______'").fetchone()[0] == n:
        return
    now = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)

    def case(i: int) -> tuple:
        opened = (now - timedelta(minutes=10_000_000 - i * 5)).isoformat()
        closed = i % 50 != 0
        due = None if closed else (now + timedelta(hours=(i // 50) % 168 - 4)).isoformat()
        status = "closed" if closed else "open"
        return (f"2026-{i + 1:07d}", f"user{i}@kund.example", status, f"Fel {i}", due, opened, opened)

    with conn:
        conn.execute("DELETE FROM cases WHERE number LIKE '2026-_______'")
        conn.executemany(
            "INSERT INTO cases (number, customer, reporter, channel, topic, department, status, subject,"
            " next_callback_at, opened_at, last_activity_at) VALUES (?, '1001', ?, 'portal', 'fault',"
            " 'radio', ?, ?, ?, ?, ?)",
            (case(i) for i in range(n)),
        )
    conn.close()


def bench_callbacks(env: dict[str, str], n: int) -> None:
    ops_bin = str(Path(sys.executable).with_name("ops"))
    add_cases(env, n)
    took = min(timed([ops_bin, "case", "callbacks", "-f", "json"], env) for _ in range(3))
    typer = min(timed([sys.executable, "-c", "import typer"], env) for _ in range(3))
    print(f"case callbacks -f json, {n:,} cases: ops {took:.2f} s (python -c 'import typer' {typer:.2f} s)")


def report_store(folder: Path, n: int) -> dict[str, str]:
    """``n`` fault cases of customer 2001 (gold) opened in 2026Q1, 10% critical with a callback."""
    import random
    from datetime import UTC, datetime, timedelta

    folder.mkdir(parents=True, exist_ok=True)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("OPS_")},
        "OPS_DB": str(folder / "ops.db"),
        "OPS_CONFIG": str(folder / "config.toml"),
        "OPS_NOW": "2026-04-15T10:00",
    }
    if (folder / "ops.db").exists():
        return env
    subprocess.run(
        [str(Path(sys.executable).with_name("ops")), "init"], env=env, check=True, capture_output=True
    )
    rnd, start = random.Random(1), datetime(2026, 1, 1, tzinfo=UTC)
    stamp = start.isoformat(timespec="seconds")

    def case(i: int) -> tuple:
        o = start + timedelta(seconds=rnd.randrange(89 * 86400))
        cl = (o + timedelta(minutes=rnd.randint(30, 4000))).isoformat(timespec="seconds")
        topic, critical = rnd.choice(("fault", "disruption")), int(rnd.random() < 0.1)
        return (
            i + 1,
            f"2026-{i + 1:07d}",
            topic,
            critical,
            f"Fel {i}",
            o.isoformat(timespec="seconds"),
            cl,
            cl,
        )

    conn = sqlite3.connect(env["OPS_DB"])
    with conn:
        conn.execute(
            "INSERT INTO customers (number, name, sla_tier, created_at, updated_at)"
            " VALUES ('2001', 'Kund 2001', 'gold', ?, ?)",
            (stamp, stamp),
        )
        conn.executemany(
            "INSERT INTO cases (id, number, customer, reporter, channel, topic, department, critical,"
            " classification, status, subject, sla_tier, opened_at, last_activity_at, closed_at) VALUES"
            " (?, ?, '2001', 'u@k.example', 'portal', ?, 'operations', ?, 'normal', 'closed', ?, 'gold',"
            " ?, ?, ?)",
            (case(i) for i in range(n)),
        )
        conn.execute(
            "INSERT INTO case_callbacks (case_id, due_at, made_at, made_by)"
            " SELECT id, opened_at, opened_at, 'bench' FROM cases WHERE critical = 1"
        )
        days = [(start + timedelta(days=d)).date().isoformat() for d in range(90)]
        conn.executemany(
            "INSERT INTO kpi (customer, zone, period, attempts, setups_ok, established, terminated_ok,"
            " imported_at) VALUES ('2001', ?, ?, 1000, 990, 985, 980, ?)",
            ((f"Zone {z}", d, stamp) for z in range(10) for d in days),
        )
    conn.close()
    return env


def bench_report(folder: Path, n: int, runs: int = 2, against: str = "") -> None:
    """`report quarterly -o .json` and `-f json` to a pipe, every one of the n cases listed
    (``against``: another install's `ops` too, each run next to this one's; medians)."""
    from statistics import median

    env = report_store(folder, n)
    ops_bin = str(Path(sys.executable).with_name("ops"))
    out = folder / "q.json"
    tail = ["-q", "report", "quarterly", "-c", "2001", "-Q", "2026Q1"]
    base = [ops_bin, *tail]
    files, olds = [], []
    for _ in range(max(runs, 2)):
        files.append(timed([*base, "-o", str(out), "--force"], env))
        if against:
            olds.append(timed([against, *tail, "-o", str(folder / "q-old.json"), "--force"], env))
    to_file = median(files)
    to_pipe = median(timed([*base, "-f", "json"], env) for _ in range(max(runs, 2)))
    old = f" (--against: {median(olds):.2f} s)" if against else ""
    print(
        f"report quarterly, {n:,} cases listed: -o .json {to_file:.2f} s{old};"
        f" -f json to a pipe {to_pipe:.2f} s"
    )
    table_pipe = min(timed(base, env) for _ in range(2))
    table_tty = min(timed_tty(base, env) for _ in range(2))
    print(f"  the table: to a pipe {table_pipe:.2f} s; on a terminal (a pty, 100 columns) {table_tty:.2f} s")
    import json

    from ops_cli.render import to_json as before_issue_16
    from ops_cli.reports.jsontext import to_json

    report = json.loads(out.read_text(encoding="utf-8"))
    start = time.perf_counter()
    before_issue_16(report)  # what reports.text.to_json did: plain() and json.dumps(indent=2)
    old = time.perf_counter() - start
    start = time.perf_counter()
    to_json(report)
    new = time.perf_counter() - start
    print(f"  its JSON text alone: render.to_json (before) {old:.2f} s; reports.jsontext {new:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fleet", type=int, default=100_000)
    parser.add_argument("--big", action="store_true", help="a 1,000,000-subscription fleet")
    parser.add_argument("--deactivate", default="10000,30000")
    parser.add_argument("--cases", type=int, default=0, help="also time `case callbacks` over N cases")
    parser.add_argument("--report", type=int, default=0, help="also time `report quarterly` over N cases")
    parser.add_argument("--keep", help="a directory for the store (reused when it holds one)")
    parser.add_argument("--runs", type=int, default=1, help="runs of each deactivation (medians)")
    parser.add_argument("--against", default="", help="also time another install's `ops` (an earlier one)")
    args = parser.parse_args()
    fleet = 1_000_000 if args.big else args.fleet
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(args.keep or tmp_name)
        tmp.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        env = make_store(tmp, fleet)
        print(f"set-up: {fleet:,} subscriptions in {time.perf_counter() - start:.1f} s ({env['OPS_DB']})")
        sizes = [int(s) for s in args.deactivate.split(",") if s]
        first = bench_deactivate(env, tmp, sizes, FIRST_ISSI, args.runs, args.against)
        bench_change(env, tmp, first)
        if args.cases:
            bench_callbacks(env, args.cases)
        if args.report:
            bench_report(tmp / f"report-{args.report}", args.report, args.runs, args.against)


if __name__ == "__main__":
    main()

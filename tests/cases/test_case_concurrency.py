"""Two processes opening cases at once: unique numbers, nothing lost, no "database is locked"."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor

from test_case_helpers import seed_customers

WRITER = textwrap.dedent(
    """
    import sys
    from ops_cli.context import Ops
    from ops_cli import cases

    ops = Ops.open(sys.argv[1], sys.argv[2])
    for i in range(int(sys.argv[4])):
        cases.open_case(ops, topic="fault", customer="1001", reporter="anna.berg@polisen.example",
                        subject=f"{sys.argv[3]} {i}")
    ops.close()
    """
)


def test_two_cli_processes_open_cases_at_once(env, ops):
    seed_customers(ops)
    env.now = "2026-11-16T10:00"

    def writer(name: str) -> list:
        return [
            env.run(
                "case",
                "open",
                "--topic",
                "fault",
                "--customer",
                "1001",
                "--reporter",
                "anna.berg@polisen.example",
                "--subject",
                f"{name} {i}",
                "-f",
                "json",
            )
            for i in range(6)
        ]

    with ThreadPoolExecutor(2) as pool:
        runs = [r for batch in pool.map(writer, ["a", "b"]) for r in batch]
    assert [r.code for r in runs] == [0] * 12, [r.stderr for r in runs if r.code]
    assert not any("locked" in r.stderr for r in runs)
    numbers = sorted(r.json()["number"] for r in runs)
    assert numbers == [f"2026-{n:05d}" for n in range(1, 13)]
    assert ops.store.one("SELECT COUNT(*) FROM cases")[0] == 12


def test_two_python_processes_hammer_the_sequence(env, ops):
    seed_customers(ops)
    env_vars = env.environ(OPS_NOW="2026-11-16T10:00")
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(env.config), str(env.db), name, "40"],
            env=env_vars,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("cron", "person")
    ]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err for _, err in results]
    rows = ops.store.query("SELECT number, subject FROM cases ORDER BY number")
    assert len(rows) == 80
    assert len({r["number"] for r in rows}) == 80
    assert [r["number"] for r in rows] == [f"2026-{n:05d}" for n in range(1, 81)]
    assert {r["subject"] for r in rows} == {f"{w} {i}" for w in ("cron", "person") for i in range(40)}
    assert ops.store.one("SELECT last FROM case_sequences WHERE year = 2026")[0] == 80
    assert ops.store.one("SELECT COUNT(*) FROM audit WHERE action = 'case.open'")[0] == 80

"""Eight writer processes at once (issue 17, on both backends): no row lost or doubled, case
numbers unique and gap-free, one audit record per change, the store sound afterwards."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from helpers import db as store_db
from helpers.seed import seed_customer, seed_person

WRITERS = 8
EACH = 12

WRITER = textwrap.dedent(
    """
    import sys
    from ops_cli import cases
    from ops_cli.context import Ops
    from ops_cli.roster import add_customer, add_entry

    ops = Ops.open(sys.argv[1], sys.argv[2])
    name, each = sys.argv[3], int(sys.argv[4])
    for i in range(each):
        cases.open_case(ops, topic="fault", customer="1001", reporter="anna.berg@polisen.example",
                        subject=f"{name} {i}")
        number = f"7{int(name):02d}{i:02d}"
        add_customer(ops, number, name=f"Writer {name} kund {i}")
        add_entry(ops, number, f"p{i}@w{name}.example", f"Person {i}", ["orderer"])
    ops.close()
    """
)


def test_eight_writer_processes_lose_and_double_nothing(env, ops):
    seed_customer(ops, "1001", "Polisregion Syd", domains=["polisen.example"])
    seed_person(ops, "1001", "anna.berg@polisen.example", "Anna Berg", ["orderer", "contact"])
    ops.close()
    env.config.write_text("busy_timeout = 60.0\n", encoding="utf-8")  # waiting is the point here
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(env.config), str(env.db), str(w), str(EACH)],
            env=env.environ(OPS_NOW="2026-11-16T10:00"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(WRITERS)
    ]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0] * WRITERS, [err[-2000:] for _, err in results]
    total = WRITERS * EACH

    numbers = [row[0] for row in store_db.query(env.db, "SELECT number FROM cases ORDER BY number")]
    assert numbers == [f"2026-{n:05d}" for n in range(1, total + 1)]  # unique, no gap
    subjects = store_db.query(env.db, "SELECT subject FROM cases")
    assert sorted(s for (s,) in subjects) == sorted(f"{w} {i}" for w in range(WRITERS) for i in range(EACH))
    assert store_db.scalar(env.db, "SELECT last FROM case_sequences WHERE year = 2026") == total

    customers = store_db.query(env.db, "SELECT number FROM customers WHERE number LIKE '7%'")
    assert sorted(c for (c,) in customers) == sorted(
        f"7{w:02d}{i:02d}" for w in range(WRITERS) for i in range(EACH)
    )
    assert store_db.scalar(env.db, "SELECT count(*) FROM roster_entries WHERE email LIKE '%@w%'") == total

    actions = dict(store_db.query(env.db, "SELECT action, count(*) FROM audit GROUP BY action"))
    assert (actions["case.open"], actions["customer.add"]) == (total, total + 1)
    check = env.run("db", "check", "-f", "json")
    assert check.code == 0 and check.json()["ok"] is True, check.stdout + check.stderr

"""Scripting QA (issue 14): `--dry-run` on every writing command leaves the store byte-identical
(the whole dump, case sequences included) and writes no file; cron exit statuses."""

from __future__ import annotations

import pytest
from helpers import db as store_db

NOW = "2026-11-25T10:00:00"
ANNA = "anna.berg@polisen.example"
XCOVER = "Galaxy XCover7"

WRITES = [
    ("roster", "add", "-c", "2001", "-e", "eva.lund@nordbygg.example", "--name", "Eva Lund", "-r", "viewer"),
    ("roster", "set", "-c", "1001", "-e", "olle.ek@polisen.example", "-r", "contact"),
    ("roster", "remove", "-c", "1001", "-e", "mats.holm@polisen.example"),
    ("roster", "customer", "add", "2003", "--name", "Åkeri Syd AB"),
    ("roster", "customer", "set", "2002", "--fleet", "15"),
    ("sub", "deactivate", "2010001", "--by", ANNA),
    ("sub", "change", "{dir}/ch.csv", "-c", "1001", "--by", ANNA),
    ("sub", "terminate", "2010003", "--confirm-reset", "--by", ANNA),
    ("sub", "order", "-c", "1001", "--count", "2", "--kind", "standard", "--by", ANNA),
    ("sub", "addon", "add", "2010001", "--service", "gps", "--by", ANNA),
    ("case", "open", "-t", "question", "--reporter", ANNA, "--subject", "Hej", "-m", "hej"),
    ("case", "reply", "2026-00009", "-m", "svar"),
    ("case", "message", "2026-00009", "-m", "igen", "--by", ANNA),
    ("case", "note", "2026-00009", "-m", "note"),
    ("case", "assign", "2026-00009", "--department", "support"),
    ("case", "close", "2026-00009", "--resolution", "klar"),
    ("case", "reopen", "2026-00005"),
    ("case", "grant", "2026-00009", "--name", "Radio AB", "--by", ANNA),
    ("case", "set-callback", "2026-00009", "--every", "4"),
    ("case", "callback", "2026-00009", "--note", "ok"),
    ("swap", "add", "--customer", "2001", "--model", XCOVER, "R58W19999"),
    ("swap", "target", "--customer", "2001", "--model", XCOVER, "20"),
    ("swap", "ship", "-c", "2001", "--case", "2026-00011"),
    ("swap", "delivered", "R58W10001"),
    ("swap", "repair", "R58W10002"),
    ("swap", "retire", "R58W10003"),
    ("swap", "freight", "--month", "2026-11", "-o", "{dir}/freight.xlsx"),
    ("report", "quarterly", "-c", "2001", "-Q", "2026Q4", "-o", "{dir}/report.md"),
    ("undo", "1", "--yes"),
]


@pytest.fixture
def demo(env):
    env.now = NOW
    assert env.run("init", "--demo", "-q").code == 0
    (env.tmp / "ch.csv").write_text("issi,new_tei\n2010001,1111111111111A1\n")
    return env


def dump(db) -> list[str]:
    return store_db.dump(db)


@pytest.mark.parametrize("args", WRITES, ids=lambda a: " ".join(a[:2]))
def test_dry_run_changes_no_byte_and_writes_no_file(demo, args):
    args = [a.replace("{dir}", str(demo.tmp)) for a in args]
    before, files = dump(demo.db), sorted(p.name for p in demo.tmp.iterdir())
    run = demo.run(*args, "--dry-run")
    assert run.code == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert dump(demo.db) == before
    assert sorted(p.name for p in demo.tmp.iterdir()) == files


def test_case_number_is_not_consumed_by_a_dry_run(demo):
    opening = ("case", "open", "-t", "question", "--reporter", ANNA, "--subject", "x", "-m", "x")
    for _ in range(2):
        assert demo.run(*opening, "--dry-run").code == 0
    run = demo.run(*opening, "-f", "json")
    assert run.code == 0, run.stderr
    assert run.json()["number"] == "2026-00013"


CHECKS = [
    ("case", "callbacks"),
    ("case", "list", "--overdue"),
    ("case", "stale"),
    ("swap", "stock", "--below-target"),
    ("sub", "orders", "--overdue"),
    ("report", "due", "-Q", "2026Q4"),
]


@pytest.mark.parametrize("args", CHECKS, ids=" ".join)
@pytest.mark.parametrize("store", ["missing", "garbage", "empty-folder"])
def test_exit_status_is_never_1_for_a_broken_store(env, args, store):
    env.now = NOW
    if store == "missing":
        env.db = env.tmp / "nope" / "ops.db"
    elif store == "garbage":
        env.db = env.tmp / "ops.db"  # a file, on either run
        env.db.write_bytes(b"\x00\x13garbage" * 500)
    else:
        env.db = env.tmp
    run = env.run(*args, "--exit-status", "-q")
    assert run.code not in (0, 1), (run.code, run.stderr)
    assert run.stdout == ""
    assert len(run.stderr.strip().splitlines()) == 1 and run.stderr.startswith("error: ")


@pytest.mark.parametrize("args", CHECKS, ids=" ".join)
def test_exit_status_quiet_prints_nothing(demo, args):
    run = demo.run(*args, "--exit-status", "-q")
    assert run.code in (0, 1), run.stderr
    assert run.stdout == "" and run.stderr == ""

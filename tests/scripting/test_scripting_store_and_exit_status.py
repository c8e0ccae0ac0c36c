"""Scripting conventions: read commands never create a store; `--exit-status` for cron checks."""

from __future__ import annotations

import shutil

import pytest
from helpers import db as store_db

_TEMPLATE: dict[str, object] = {}


def demo(env, tmp_path_factory=None):
    """The demo store (loaded once per session, copied for each test; loaded each time on
    PostgreSQL)."""
    if store_db.is_pg(env.db):
        assert env.run("init", "--demo").code == 0
    elif "db" not in _TEMPLATE:
        assert env.run("init", "--demo").code == 0
        keep = env.tmp.parent / f"{env.tmp.name}-demo-template.db"
        shutil.copy(env.db, keep)
        _TEMPLATE["db"] = keep
    else:
        assert env.run("init").code == 0  # the config file
        shutil.copy(_TEMPLATE["db"], env.db)
    return env


def one_error(run, code, text):
    assert run.code == code, (run.code, run.stdout, run.stderr)
    lines = run.stderr.strip().splitlines()
    assert lines[0].startswith("error: ") and text in lines[0], run.stderr
    return lines


# ------------------------------------------------------------------ a missing store
READS = [
    ("case", "list"),
    ("case", "callbacks", "--exit-status"),
    ("case", "show", "2026-00001"),
    ("roster", "list"),
    ("roster", "customer", "list"),
    ("sub", "orders", "--overdue", "--exit-status"),
    ("swap", "stock", "--below-target", "--exit-status"),
    ("report", "due", "--quarter", "2026Q3", "--exit-status"),
    ("sla", "kpi", "list"),
    ("db", "log"),
]


@pytest.mark.parametrize("args", READS, ids=[" ".join(a[:2]) for a in READS])
def test_read_commands_never_create_a_store(env, args):
    typo = env.tmp / "typo.db"
    run = env.run(*args, OPS_DB=str(typo))
    lines = one_error(run, 4, f"no store at {typo}; run `ops init`")
    assert len(lines) == 1 and run.stdout == ""
    assert not typo.exists() and not env.db.exists()  # never 1, never created


def test_read_command_with_db_after_the_group_names_that_path(env):
    typo = env.tmp / "elsewhere.db"
    run = env.run("case", "--db", str(typo), "list")
    one_error(run, 4, f"no store at {typo}")
    assert not typo.exists()


def test_write_command_and_init_create_the_store(env):
    assert not env.db.exists()
    assert env.run("roster", "customer", "add", "9001", "--name", "Nio").code == 0
    assert env.db.exists()
    other = env.tmp / "sub" / "other.db"
    assert env.run("--db", str(other), "init").code == 0
    assert other.exists()
    listed = env.run("roster", "customer", "list", "-f", "json")
    assert listed.code == 0 and [c["number"] for c in listed.json()] == ["9001"]


def test_db_check_on_a_missing_store_answers_no_and_creates_nothing(env):
    run = env.run("db", "check", OPS_DB=str(env.tmp / "nope.db"))
    assert run.code == 1 and "does not exist" in run.stderr  # a check that answers no
    assert not (env.tmp / "nope.db").exists()


# ------------------------------------------------------------------ --exit-status
CHECKS = {
    # command: (a time when something is listed, a time when nothing is)
    ("case", "callbacks"): ("2026-11-20T10:00", "2026-11-16T08:00"),
    ("case", "list", "--overdue"): ("2026-11-20T10:00", "2026-11-16T08:00"),
}


@pytest.mark.parametrize("args", list(CHECKS), ids=[" ".join(a) for a in CHECKS])
def test_exit_status_one_when_found_zero_when_not(env, args):
    demo(env)
    found_at, empty_at = CHECKS[args]
    found = env.run(*args, "--exit-status", "-f", "json", OPS_NOW=found_at)
    assert found.code == 1 and len(found.json()) >= 1, found.stderr
    quiet = env.run(*args, "--exit-status", "-q", OPS_NOW=found_at)
    assert (quiet.code, quiet.stdout, quiet.stderr) == (1, "", "")
    empty = env.run(*args, "--exit-status", "-f", "json", OPS_NOW=empty_at)
    assert (empty.code, empty.json()) == (0, [])
    plain = env.run(*args, OPS_NOW=found_at)  # without --exit-status: 0 and the listing
    assert plain.code == 0 and plain.stdout


def test_case_stale_exit_status(env):
    demo(env)
    assert env.run("case", "stale", "--exit-status", "-q", OPS_NOW="2026-12-15T10:00").code == 1
    none = env.run("case", "stale", "--days", "36500", "--exit-status", "-q", OPS_NOW="2026-12-15T10:00")
    assert (none.code, none.stdout) == (0, "")


def test_swap_stock_below_target_exit_status(env):
    demo(env)
    low = env.run("swap", "stock", "--below-target", "--exit-status", "-f", "json")
    assert low.code == 1 and {r["customer"] for r in low.json()} == {"2001"}
    assert all(r["below_target"] for r in low.json())
    quiet = env.run("swap", "stock", "--below-target", "--exit-status", "-q")
    assert (quiet.code, quiet.stdout, quiet.stderr) == (1, "", "")


def test_swap_stock_below_target_nothing_low_is_zero(env):
    assert env.run("init").code == 0
    calm = env.run("swap", "stock", "--below-target", "--exit-status", "-f", "json")
    assert (calm.code, calm.json()) == (0, [])


def test_sub_orders_overdue_exit_status(env):
    demo(env)
    assert env.run("sub", "orders", "--overdue", "--exit-status", OPS_NOW="2026-12-15T10:00").code == 0
    order = env.run(
        "sub", "change", "-", "-c", "1001", "--by", "anna.berg@polisen.example",
        input="issi,new_tei\n2010001,42A2D8E4321F899\n", OPS_NOW="2026-11-17T10:00",
    )  # fmt: skip
    assert order.code == 0, order.stderr
    late = env.run("sub", "orders", "--overdue", "--exit-status", "-f", "json", OPS_NOW="2026-12-15T10:00")
    assert late.code == 1 and [o["changes"] for o in late.json()] == [1]
    early = env.run("sub", "orders", "--overdue", "--exit-status", "-q", OPS_NOW="2026-11-18T10:00")
    assert (early.code, early.stdout) == (0, "")


def test_cron_line_pages_only_when_something_is_due(env):
    demo(env)
    import subprocess

    from conftest import OPS_BIN

    line = f"'{OPS_BIN}' case callbacks --exit-status -q || echo page-the-desk"
    due = subprocess.run(
        line, shell=True, capture_output=True, text=True, env=env.environ(OPS_NOW="2026-11-20T10:00")
    )
    calm = subprocess.run(
        line, shell=True, capture_output=True, text=True, env=env.environ(OPS_NOW="2026-11-16T08:00")
    )
    assert due.stdout == "page-the-desk\n" and calm.stdout == ""


def test_exit_status_on_an_unreadable_store_is_never_one(env):
    env.db = env.tmp / "ops.db"  # a damaged file, on either run
    env.db.write_bytes(b"this is not sqlite at all" * 100)
    run = env.run("case", "callbacks", "--exit-status", "-q")
    assert run.code == 3 and run.stderr.startswith("error: ") and "not a readable ops store" in run.stderr
    plain = env.run("case", "callbacks")  # without --exit-status the store's own code stays
    assert plain.code == 1

"""Scripting QA (issue 14): defects found by using the installed `ops` as an admin and a cron
script would. Each test names the defect it pins down."""

from __future__ import annotations

import subprocess

import pytest
from conftest import OPS_BIN
from helpers.sheets import write_xlsx

NOW = "2026-11-25T10:00:00"
ANNA = "anna.berg@polisen.example"


@pytest.fixture
def demo(env):
    env.now = NOW
    run = env.run("init", "--demo", "-q")
    assert run.code == 0, run.stderr
    return env


def _missing(env):
    env.db = env.tmp / "typo" / "ops.db"
    return env


@pytest.mark.parametrize(
    "args",
    [
        ("undo", "--list"),
        ("undo", "3", "--dry-run"),
        ("undo", "3", "--yes"),
        ("swap", "refill-request", "-c", "2001"),
        ("sla", "verify-code", "2001"),
    ],
)
def test_commands_that_only_read_or_revert_never_create_a_missing_store(env, args):
    env = _missing(env)
    run = env.run(*args, input="123456\n")
    assert run.code == 4, run.stderr
    assert run.stderr.startswith(f"error: no store at {env.db}; run `ops init`")
    assert "Traceback" not in run.stderr
    assert not env.db.exists() and not env.db.parent.exists()


@pytest.mark.parametrize("value", ["foo", "issi:", ":2010001", "issi:abc"])
def test_db_log_object_must_be_kind_colon_id(demo, value):
    before = demo.snapshot()
    run = demo.run("db", "log", "--object", value)
    assert run.code == 3, run.stdout + run.stderr
    assert run.stderr.startswith("error: --object: ")
    assert len(run.stderr.strip().splitlines()) == 1
    assert demo.snapshot() == before


def test_db_log_object_alias_still_matches(demo):
    run = demo.run("db", "log", "--object", "ISSI:2010001", "-f", "json")
    assert run.code == 0, run.stderr
    assert {r["object"] for r in run.json()} == {"sub:2010001"}


def test_body_file_that_does_not_exist_says_so(demo):
    before = demo.snapshot()
    run = demo.run("case", "note", "2026-00009", "--body-file", str(demo.tmp / "nope.txt"))
    assert run.code == 3
    assert run.stderr.strip() == f"error: {demo.tmp / 'nope.txt'}: no such file"
    assert demo.snapshot() == before


def test_stdin_xlsx_import_names_stdin_not_the_temp_file(demo, tmp_path):
    book = write_xlsx(
        tmp_path / "r.xlsx",
        ["customer", "name", "email", "role"],
        [[2002, "Nils Ny", "nils.ny@bonan.example", "viewer"]],
    )
    proc = subprocess.run(
        [str(OPS_BIN), "roster", "import", "-", "-f", "json"],
        input=book.read_bytes(), capture_output=True, env=demo.environ(), timeout=120,
    )  # fmt: skip
    out, err = proc.stdout.decode(), proc.stderr.decode()
    assert proc.returncode == 0, err
    assert "ops-stdin-" not in out and "ops-stdin-" not in err
    assert '"file": "<stdin>"' in out
    assert "of <stdin>" in err


def test_unicode_email_is_refused_with_the_real_reason(demo):
    before = demo.snapshot()
    run = demo.run("roster", "add", "-c", "1001", "-e", "åsa@exempel.se", "--name", "Åsa", "-r", "viewer")
    assert run.code == 3
    assert "expected name@domain.tld" not in run.stderr
    assert "non-ASCII" in run.stderr
    assert demo.snapshot() == before


def test_bad_phone_region_in_config_is_named_not_blamed_on_the_number(demo):
    assert demo.run("config", "set", "phone.region", "XX").code == 0
    before = demo.snapshot()
    run = demo.run("roster", "set", "-c", "1001", "-e", "olle.ek@polisen.example", "--phone", "070-111 22 33")
    assert run.code == 3
    assert "phone.region" in run.stderr and "'XX'" in run.stderr
    assert "Traceback" not in run.stderr
    assert demo.snapshot() == before


def test_phone_region_dk_reads_danish_numbers(demo):
    assert demo.run("config", "set", "phone.region", "DK").code == 0
    run = demo.run(
        "roster", "set", "-c", "1001", "-e", "olle.ek@polisen.example", "--phone", "32 12 34 56", "-f", "json"
    )
    assert run.code == 0, run.stderr
    assert run.json()["phone"] == "+4532123456"


def test_swap_freight_dry_run_writes_no_file(demo):
    target = demo.tmp / "freight.xlsx"
    before = demo.snapshot()
    run = demo.run("swap", "freight", "--month", "2026-11", "--dry-run", "-o", str(target), "-f", "json")
    assert run.code == 0, run.stderr
    assert not target.exists()
    assert f"wrote {target}" not in run.stderr
    assert run.json()[0]["customer"] == "2001"
    assert demo.snapshot() == before


def test_undo_list_takes_columns_like_every_list(demo):
    run = demo.run("undo", "--list", "--columns", "id,command", "-f", "csv")
    assert run.code == 0, run.stderr
    assert run.stdout.splitlines() == ["id,command", "1,ops init --demo -q"]
    bad = demo.run("undo", "--list", "--columns", "nope")
    assert bad.code == 3 and bad.stderr.startswith("error: unknown column nope")


def test_a_read_command_on_an_empty_store_file_does_not_build_a_store(env):
    env.db = env.tmp / "ops.db"  # an empty file, on either run
    env.db.write_bytes(b"")
    r = env.run("case", "list")
    assert r.code == 4, r.stderr
    assert r.stderr.startswith("error: no store at"), r.stderr
    assert env.db.stat().st_size == 0


def test_an_option_value_that_looks_like_a_global_option_stays_the_value(env):
    """`-m -q` is a note that reads "-q", `-m --db` one that reads "--db": only the root's own
    options given between the command's options are moved in front of the group."""
    assert env.run("init", "--demo").code == 0
    number = env.run("case", "list", "-f", "json", "--limit", "1").json()[0]["number"]
    for text in ("-q", "--db"):
        r = env.run("case", "note", number, "-m", text)
        assert r.code == 0, r.stderr
    shown = env.run("case", "show", number, "-f", "json", "--include-classified")
    assert shown.code == 0, shown.stderr
    bodies = [entry.get("text") for entry in shown.json().get("thread", [])]
    assert "-q" in bodies and "--db" in bodies, bodies
    # and a real global option after the group still works
    other = env.tmp / "other.db"
    assert env.run("case", "--db", str(other), "list").code == 4  # read command, no store there

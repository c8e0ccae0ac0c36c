"""`ops init`, `ops config`, `ops db` end to end, and the error contract."""

from __future__ import annotations

import json
import stat
import subprocess
import sys

import pytest
from helpers import db as store_db

from ops_cli import config as cfg


def test_init_creates_config_template_and_store(env):
    result = env.run("init", "-f", "json")
    assert result.code == 0, result.stderr
    doc = result.json()
    assert doc["config_created"] is True and doc["db_created"] is True
    assert env.config.read_text() == cfg.TEMPLATE
    if not store_db.is_pg(env.db):
        assert stat.S_IMODE(env.db.stat().st_mode) == 0o600
    assert "wrote config template" in result.stderr
    again = env.run("init", "-f", "json").json()
    assert again["config_created"] is False and again["db_created"] is False


def test_init_keeps_an_existing_config(env):
    env.config.write_text("# mine\n[cases]\nstale_days = 7\n")
    assert env.run("init").code == 0
    assert env.config.read_text() == "# mine\n[cases]\nstale_days = 7\n"


def test_store_in_a_missing_folder_is_created(env):
    deep = env.tmp / "a" / "b" / "ops.db"
    assert env.run("--db", str(deep), "init").code == 0  # read commands may refuse a missing store
    result = env.run("--db", str(deep), "db", "log", "-f", "json")
    assert result.code == 0, result.stderr
    assert isinstance(json.loads(result.stdout), list) and deep.exists()


def test_unwritable_store_path_exit_3(env):
    blocker = env.tmp / "file"
    blocker.write_text("x")
    result = env.run("--db", str(blocker / "ops.db"), "init")
    assert result.code == 3
    assert result.stderr.startswith("error: cannot create the store at ")
    assert "Traceback" not in result.stderr


def test_bad_config_file_exit_3_names_key_and_file(env):
    env.config.write_text('[swap]\nrate = "lots"\n')
    result = env.run("db", "log")
    assert result.code == 3
    assert result.stderr == f"error: {env.config}: swap.rate must be a number, not 'lots'\n"
    assert not env.db.exists()  # nothing was created


def test_config_path_show_get_set(env):
    assert env.run("config", "path").stdout.strip() == str(env.config)
    assert env.run("--config", str(env.tmp / "x.toml"), "config", "path").stdout.strip() == str(
        env.tmp / "x.toml"
    )
    assert env.run("config", "get", "swap.rate").stdout == "0.08\n"
    assert env.run("config", "get", "sla.tiers.gold", "-f", "json").json()["penalty"] == 10000.0
    shown = env.run("config", "show", "-f", "json").json()
    assert shown["orders"]["large_order_days"] == 10
    env.run("init")
    result = env.run("config", "set", "cases.stale_days", "5")
    assert result.code == 0, result.stderr
    assert env.run("config", "get", "cases.stale_days").stdout == "5\n"
    assert "# Open cases without activity for this many days are listed as stale." in env.config.read_text()


def test_config_set_bad_key_and_value(env):
    env.run("init")
    before = env.config.read_bytes()
    bad_key = env.run("config", "set", "cases.stale", "5")
    assert bad_key.code == 3 and bad_key.stderr == "error: unknown config key cases.stale\n"
    bad_value = env.run("config", "set", "cases.stale_days", "soon")
    assert bad_value.code == 3 and "cases.stale_days must be an integer" in bad_value.stderr
    assert env.config.read_bytes() == before
    unknown_get = env.run("config", "get", "nope")
    assert unknown_get.code == 3 and "unknown config key nope" in unknown_get.stderr


@pytest.mark.sqlite_only("a damaged SQLite file")
def test_db_check_healthy_and_corrupted(env):
    env.run("init")
    ok = env.run("db", "check", "-f", "json")
    assert ok.code == 0 and ok.json()["ok"] is True
    env.db.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4096)
    bad = env.run("db", "check", "-f", "json")
    assert bad.code == 1
    assert bad.json()["ok"] is False
    assert bad.stderr.startswith("error: the store ") and "Traceback" not in bad.stderr


def test_db_check_missing_file_exit_1(env):
    result = env.run("db", "check")
    assert result.code == 1 and "does not exist" in result.stderr


def test_db_backup_and_log(env):
    env.run("init")
    target = env.tmp / "backup.db"
    result = env.run("db", "backup", str(target), "-f", "json")
    assert result.code == 0, result.stderr
    assert result.json()["backup"] == str(target)
    assert store_db.scalar(target, "PRAGMA integrity_check") == "ok"  # a backup is an SQLite file
    again = env.run("db", "backup", str(target))
    assert again.code == 6 and "already exists" in again.stderr


def test_usage_error_is_exit_2(env):
    assert env.run("db", "log", "--nonsense").code == 2
    assert env.run("config", "get").code == 2


def test_bad_ops_now_is_refused_where_the_clock_is_read(ops, monkeypatch):
    import pytest

    from ops_cli.errors import InvalidInput

    monkeypatch.setenv("OPS_NOW", "next tuesday")
    with pytest.raises(InvalidInput, match="OPS_NOW: 'next tuesday' is not an ISO 8601 time"):
        ops.now()


def test_python_dash_m_works(env):
    proc = subprocess.run([sys.executable, "-m", "ops_cli", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.startswith("ops ")


def test_internal_error_has_no_traceback_unless_debug():
    from ops_cli.commands import _runtime

    class Weird(Exception):
        pass

    import io
    import sys as _sys

    captured = io.StringIO()
    old = _sys.stderr
    _sys.stderr = captured
    try:
        code = _runtime.exit_code_for(Weird("boom"))
    finally:
        _sys.stderr = old
    assert code == 1
    assert (
        captured.getvalue()
        == "error: internal error: Weird: boom; run again with OPS_DEBUG=1 for the traceback\n"
    )


def test_error_lines_list_every_problem():
    import io
    import sys as _sys

    from ops_cli.commands import _runtime

    from ops_cli.errors import InvalidInput, Problem

    captured = io.StringIO()
    old = _sys.stderr
    _sys.stderr = captured
    try:
        code = _runtime.exit_code_for(
            InvalidInput(
                "2 rows are invalid; nothing was written",
                [
                    Problem("not an email", "r.csv", 3, "email"),
                    Problem("unknown role 'boss'", "r.csv", 7, "role"),
                ],
            )
        )
    finally:
        _sys.stderr = old
    assert code == 3
    assert captured.getvalue().splitlines() == [
        "error: 2 rows are invalid; nothing was written",
        "  r.csv:3: email: not an email",
        "  r.csv:7: role: unknown role 'boss'",
    ]


def test_bad_ops_now_on_the_command_line_exit_3_store_unchanged(env):
    assert env.run("init", "--demo").code == 0
    before = env.snapshot()
    result = env.run(
        "case", "open", "--topic", "question", "--customer", "1001",
        "--reporter", "anna.berg@polisen.example", "--subject", "x",
        OPS_NOW="next tuesday",
    )  # fmt: skip
    assert result.code == 3
    assert result.stderr.startswith("error: OPS_NOW: 'next tuesday' is not an ISO 8601 time")
    assert env.snapshot() == before

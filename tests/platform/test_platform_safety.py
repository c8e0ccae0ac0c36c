"""Issue 12, platform items: clean failures, the two clocks, store creation and versions,
`init --demo` on a user's store, `db log` masking, usage errors, `db backup` through the writer."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from helpers import db as store_db

from ops_cli.errors import ExitStatus
from ops_cli.store import StoreUnreadable, latest_version, migration_files

OPS = [sys.executable, "-m", "ops_cli"]


def _lines(stderr: str) -> list[str]:
    return stderr.splitlines()


def _one_error(result, code: int, needle: str) -> None:
    assert result.code == code, result.stderr
    lines = _lines(result.stderr)
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert needle in lines[0], lines[0]
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


def _unprivileged() -> list[str]:
    """A command prefix under which file permissions hold (root drops its override capabilities)."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: permissions cannot be tested")
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner"]


def _run(env, *args: str, prefix: list[str] = (), **popen):
    proc = subprocess.run(
        [*prefix, *OPS, *args], capture_output="stdout" not in popen, text=True, env=env.environ(), **popen
    )
    return proc


# ------------------------------------------------------------------ one exit-status enum


def test_store_unreadable_uses_the_one_exit_status_enum():
    assert StoreUnreadable.exit_code is ExitStatus.NO
    assert "exit_code" not in StoreUnreadable.__dict__  # inherited, no second copy


# ------------------------------------------------------------------ OS errors: one line, exit 3


def test_config_that_is_a_folder_or_a_fifo(env):
    env.config.mkdir()
    _one_error(env.run("db", "log"), 3, f"cannot read config file {env.config}: it is a folder")
    env.config.rmdir()
    os.mkfifo(env.config)  # reading it would block for ever
    _one_error(env.run("db", "log"), 3, f"cannot read config file {env.config}: it is not a regular file")
    assert not env.db.exists()


@pytest.mark.sqlite_only("a store file that is a FIFO")
def test_store_that_is_a_fifo(env):
    os.mkfifo(env.db)
    _one_error(env.run("db", "log"), 3, f"the store path {env.db} is not a regular file")


@pytest.mark.sqlite_only("the store file's permissions")
def test_read_only_store_says_read_only_and_changes_nothing(env):
    prefix = _unprivileged()
    assert env.run("init").code == 0
    before = env.snapshot()
    env.db.chmod(0o444)
    try:
        proc = _run(env, "roster", "customer", "add", "9001", "--name", "X", prefix=prefix)
    finally:
        env.db.chmod(0o600)
    assert proc.returncode == 3, proc.stderr
    assert _lines(proc.stderr) == [
        f"error: the store {env.db} is read-only; check the permissions of the file and of its folder"
    ]
    assert env.snapshot() == before


def test_read_only_folder_for_a_new_store(env):
    prefix = _unprivileged()
    folder = env.tmp / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        proc = _run(env, "--db", str(folder / "ops.db"), "init", prefix=prefix)
    finally:
        folder.chmod(0o755)
    assert proc.returncode == 3, proc.stderr
    assert _lines(proc.stderr) == [
        f"error: cannot create the store at {folder / 'ops.db'}: permission denied;"
        " choose another place with --db or OPS_DB"
    ]


def test_stdout_on_a_full_disk_or_closed(env):
    assert env.run("init").code == 0
    with open("/dev/full", "w") as full:
        proc = _run(env, "config", "show", stdout=full, stderr=subprocess.PIPE)
    assert proc.returncode == 3
    assert _lines(proc.stderr) == ["error: cannot write to standard output: no space left on the device"]
    proc = _run(env, "config", "show", stdout=None, stderr=subprocess.PIPE, preexec_fn=lambda: os.close(1))
    assert proc.returncode == 3
    assert _lines(proc.stderr) == ["error: cannot write to standard output: it is closed"]


def test_unexpected_os_error_is_one_line_naming_path_and_cause(capsys):
    from ops_cli.commands._runtime import exit_code_for

    code = exit_code_for(PermissionError(13, "Permission denied", "/srv/in.xlsx"))
    assert code == 3
    assert capsys.readouterr().err == "error: /srv/in.xlsx: permission denied\n"
    assert exit_code_for(IsADirectoryError(21, "Is a directory", "/srv")) == 3
    assert capsys.readouterr().err == "error: /srv: it is a folder\n"


# ------------------------------------------------------------------ db backup through the writer


def test_db_backup_refuses_existing_replaces_with_force(env):
    assert env.run("init").code == 0
    target = env.tmp / "b.db"
    target.write_text("old")
    _one_error(env.run("db", "backup", str(target)), 6, "already exists; use --force")
    assert target.read_text() == "old"
    result = env.run("db", "backup", str(target), "--force")
    assert result.code == 0, result.stderr
    assert store_db.scalar(target, "PRAGMA integrity_check") == "ok"  # a backup is an SQLite file
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    store_file = [] if store_db.is_pg(env.db) else ["ops.db"]
    assert sorted(p.name for p in env.tmp.iterdir()) == ["b.db", "config.toml", *store_file]


def test_db_backup_missing_folder_and_dev_full(env):
    assert env.run("init").code == 0
    missing = env.tmp / "nope" / "b.db"
    _one_error(env.run("db", "backup", str(missing)), 3, f"cannot write {missing}: the folder")
    _one_error(
        env.run("db", "backup", "/dev/full", "--force"), 3, "cannot write /dev/full: it is not a regular file"
    )


# ------------------------------------------------------------------ usage errors


def test_usage_error_is_one_error_line_and_a_hint(env):
    result = env.run("db", "log", "--nonsense")
    assert result.code == 2
    assert _lines(result.stderr) == ["error: No such option '--nonsense'.", "  see `ops db log --help`"]
    assert "╭" not in result.stderr


@pytest.mark.parametrize(
    ("value", "needle"),
    [
        ("0", "0 is not in the range 1<=x<=9223372036854775807"),
        ("1e20", "'1e20' is not a valid integer range. Allowed: 1<=x<=9223372036854775807."),
        ("99999999999999999999", "99999999999999999999 is not in the range 1<=x<=9223372036854775807"),
    ],
)
def test_numbers_out_of_range_exit_3_with_the_range(env, value, needle):
    assert env.run("init").code == 0
    _one_error(env.run("db", "log", "-n", value), 3, needle)


# ------------------------------------------------------------------ clocks


def test_ops_now_now_and_out_of_range_dates_exit_3(env):
    assert env.run("init").code == 0
    before = env.snapshot()
    _one_error(
        env.run("roster", "customer", "add", "9001", "--name", "X", OPS_NOW="now"), 3, "OPS_NOW: 'now'"
    )
    for bad in ("0001-01-01", "1999-12-31T23:00", "9999-12-31"):
        result = env.run("roster", "customer", "add", "9001", "--name", "X", OPS_NOW=bad)
        _one_error(result, 3, "give a date from 2000-01-01 to 9999-12-30")
    _one_error(env.run("sla", "check", "1001", "--at", "0001-01-01"), 3, "--at: '0001-01-01' is out of range")
    assert env.snapshot() == before


def test_audit_records_the_real_time_and_the_business_time(env):
    assert env.run("init").code == 0
    moved = env.run("roster", "customer", "add", "9001", "--name", "X", OPS_NOW="2026-01-15T10:00")
    assert moved.code == 0, moved.stderr
    real = env.run("roster", "customer", "add", "9002", "--name", "Y")
    assert real.code == 0, real.stderr
    log = env.run("db", "log", "-f", "json").json()
    by_object = {row["object"]: row for row in log}
    today = datetime.now(UTC).date().isoformat()
    assert by_object["customer:9001"]["at"][:10] in {today, datetime.now(UTC).date().isoformat()}
    assert by_object["customer:9001"]["business_at"] == "2026-01-15T10:00:00+01:00"  # desk-local (issue 14)
    assert by_object["customer:9002"]["business_at"] is None


# ------------------------------------------------------------------ store creation and versions


@pytest.mark.parametrize("round_", [1, 2])
def test_eight_processes_create_one_store_race_free(env, round_):
    path = env.tmp / f"fresh{round_}" / "ops.db" if not store_db.is_pg(env.db) else env.db
    procs = [
        subprocess.Popen(
            [*OPS, "--db", str(path), "roster", "customer", "add", f"90{i:02d}", "--name", f"C{i}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env.environ(),
        )
        for i in range(8)
    ]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    assert [code for code, _ in results] == [0] * 8, results
    assert store_db.scalar(path, "SELECT max(number) FROM schema_migrations") == latest_version()
    assert store_db.scalar(path, "SELECT count(*) FROM schema_migrations") == len(migration_files())
    assert store_db.scalar(path, "SELECT count(*) FROM customers") == 8
    check = env.run("--db", str(path), "db", "check", "-f", "json")
    assert check.code == 0 and check.json()["ok"] is True, check.stdout + check.stderr
    if not store_db.is_pg(path):
        assert store_db.scalar(path, "PRAGMA journal_mode") == "wal"
        assert store_db.scalar(path, "PRAGMA user_version") == latest_version()


@pytest.mark.sqlite_only("an empty file put in WAL mode")
def test_existing_empty_file_gets_wal(env):
    env.db.touch(mode=0o600)
    # A read command refuses an empty file (exit 4, tests/scripting_qa); a write command builds
    # the store in it, with WAL on.
    assert env.run("roster", "customer", "add", "9001", "--name", "X").code == 0
    conn = sqlite3.connect(env.db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_store_holding_a_newer_migration_is_refused_and_untouched(env):
    assert env.run("init").code == 0
    newer = latest_version() + 1
    with store_db.connect(env.db) as conn:
        conn.execute("UPDATE meta SET value = '9.1.0' WHERE key = 'ops_cli_version'")
        conn.execute(
            "INSERT INTO schema_migrations (number, name, applied_at) VALUES (?, ?, ?)",
            (newer, f"{newer:04d}_future.sql", "2030-01-01T00:00:00+00:00"),
        )
    before = env.snapshot()
    result = env.run("roster", "customer", "add", "9001", "--name", "X")
    _one_error(result, 6, f"the store {env.db} was made by ops-cli 9.1.0")
    assert "upgrade ops-cli" in result.stderr
    assert env.snapshot() == before


@pytest.mark.sqlite_only("the schema version in SQLite's user_version")
def test_store_made_by_a_newer_ops_cli_is_refused_and_untouched(env):
    assert env.run("init").code == 0
    conn = sqlite3.connect(env.db)
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('ops_cli_version', '9.1.0')")
    conn.execute(f"PRAGMA user_version = {latest_version() + 1}")
    conn.commit()
    conn.close()
    before = env.snapshot()
    result = env.run("roster", "customer", "add", "9001", "--name", "X")
    _one_error(result, 6, f"the store {env.db} was made by ops-cli 9.1.0")
    assert "upgrade ops-cli" in result.stderr
    assert env.snapshot() == before
    conn = sqlite3.connect(env.db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == latest_version() + 1
    conn.close()


# ------------------------------------------------------------------ init --demo on a user's store


def test_init_demo_refuses_a_store_with_user_changes_unless_force(env):
    assert env.run("roster", "customer", "add", "9001", "--name", "Mine").code == 0
    before = env.snapshot()
    result = env.run("init", "--demo")
    _one_error(result, 6, "holds 1 change(s) that are not demo data")
    assert "--force" in result.stderr
    assert env.snapshot() == before
    forced = env.run("init", "--demo", "--force")
    assert forced.code == 0, forced.stderr


def test_init_demo_twice_is_fine(env):
    assert env.run("init", "--demo").code == 0
    again = env.run("init", "--demo")
    assert again.code == 0, again.stderr


# ------------------------------------------------------------------ db log masks classified cases


def test_db_log_masks_classified_cases(env):
    assert env.run("init", "--demo").code == 0
    cases = env.run("case", "list", "--include-classified", "-f", "json").json()
    classified = {f"case:{c['number']}" for c in cases if c["classification"] in ("sensitive", "secret")}
    assert classified
    log = env.run("db", "log", "-n", "10000", "-f", "json").json()
    rows = [row for row in log if row["object"] in classified]
    assert rows and all(row["after"] in (None, "(classified)") for row in rows)
    assert all(row["before"] in (None, "(classified)") for row in rows)
    text = env.run("db", "log", "-n", "10000").stdout
    assert "Sambandsplan" not in text and "skyddsrum" not in text
    shown = env.run("db", "log", "-n", "10000", "--include-classified", "-f", "json").json()
    assert "Sambandsplan" in json.dumps(shown, ensure_ascii=False)


def test_unreadable_input_file_argument_is_exit_3_not_usage(env):
    prefix = _unprivileged()
    sheet = env.tmp / "locked.csv"
    sheet.write_text("customer,name\n")
    sheet.chmod(0)
    proc = _run(env, "roster", "import", str(sheet), prefix=prefix)
    assert proc.returncode == 3, proc.stderr
    assert len(_lines(proc.stderr)) == 1 and str(sheet) in proc.stderr and "not readable" in proc.stderr

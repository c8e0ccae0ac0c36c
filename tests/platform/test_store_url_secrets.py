"""A store URL's password is never printed (issue 17): not in errors, results or the audit.

The unreachable-server cases run on every backend (they need no server); the rest use the
PostgreSQL run's server with a password added to the test store's URL (the test cluster
trusts local connections, so any password is accepted).
"""

from __future__ import annotations

import pytest
from helpers import db as store_db

SECRET = "s3cr3t-Pw"


def _with_password(url: str) -> str:
    scheme, rest = url.split("://", 1)
    user, _, host = rest.partition("@")
    return f"{scheme}://{user}:{SECRET}@{host}"


def _no_secret(run) -> None:
    assert SECRET not in run.stdout and SECRET not in run.stderr, run.stdout + run.stderr
    assert "Traceback" not in run.stderr


UNREACHABLE = f"postgresql://ops:{SECRET}@/ops?host=/nonexistent-ops-socket-dir"


@pytest.mark.parametrize(
    "args",
    [
        ("case", "list"),
        ("init",),
        ("db", "check"),
        ("db", "log"),
        ("roster", "customer", "add", "9001", "--name", "X"),
        ("db", "backup", "{tmp}/b.db"),
    ],
    ids=" ".join,
)
def test_an_unreachable_server_is_one_error_line_without_the_password(env, args):
    args = [a.replace("{tmp}", str(env.tmp)) for a in args]
    for run in (env.run("--db", UNREACHABLE, *args), env.run(*args, OPS_DB=UNREACHABLE)):
        assert run.code != 0
        _no_secret(run)
        assert len(run.stderr.splitlines()) == 1 and run.stderr.startswith("error: ")


def test_db_copy_to_an_unreachable_server_does_not_show_the_password(env):
    assert env.run("init").code == 0
    run = env.run("db", "copy", "--to", UNREACHABLE)
    assert run.code != 0
    _no_secret(run)


@pytest.fixture
def secret_url(env):
    if not store_db.is_pg(env.db):
        pytest.skip("needs the PostgreSQL run's server")
    return _with_password(str(env.db))


def test_commands_on_a_url_with_a_password_never_print_it(env, secret_url):
    runs = [
        env.run("--db", secret_url, "init", "--demo"),
        env.run("--db", secret_url, "init", "-f", "json"),
        env.run("--db", secret_url, "db", "path"),
        env.run("--db", secret_url, "db", "check", "-f", "json"),
        env.run("--db", secret_url, "db", "log", "-n", "5", "-f", "json"),
        env.run("--db", secret_url, "db", "backup", str(env.tmp / "b.db")),
        env.run("--db", secret_url, "db", "copy", "--to", str(env.tmp / "c.db")),
        env.run("--db", secret_url, "db", "copy", "--to", str(env.tmp / "c.db")),  # refused: exists
        env.run("--db", secret_url, "case", "show", "2099-99999"),  # not found
        env.run("--db", secret_url, "roster", "customer", "add", "abc", "--name", "X"),  # invalid
    ]
    assert [r.code for r in runs[:7]] == [0] * 7, [r.stderr for r in runs[:7]]
    assert [r.code for r in runs[7:]] == [6, 4, 3]
    for run in runs:
        _no_secret(run)
    assert "***" in runs[2].stdout  # the path is shown, the password masked
    audit = store_db.query(env.db, "SELECT before, after, object FROM audit")
    assert SECRET not in repr(audit)


def test_a_read_command_on_an_empty_schema_is_exit_4_without_the_password(env, secret_url):
    run = env.run("--db", secret_url, "case", "list")
    assert run.code == 4, run.stderr
    _no_secret(run)
    assert not env.db.exists()


@pytest.mark.parametrize(
    "args", [("config", "show"), ("config", "show", "-f", "json"), ("config", "get", "db")]
)
def test_config_shows_the_store_url_with_its_password_masked(env, args):
    env.config.write_text(f'db = "{UNREACHABLE}"\n')
    run = env.run(*args, OPS_DB="")
    assert run.code == 0, run.stderr
    _no_secret(run)
    assert "postgresql://ops:***@/ops?host=/nonexistent-ops-socket-dir" in run.stdout

"""Shared test fixtures: a temp store and config, the CLI in-process and as a real subprocess.

The backend: SQLite by default (no server needed). With ``OPS_TEST_DB_URL=postgresql://...``
or ``pytest --db-url postgresql://...`` (a server URL; the role needs CREATEDB) every store of
the run is a fresh schema in one throw-away database on that server, and ``env.db`` is the
store's URL (a :class:`helpers.db.PgStore`, a ``str``) instead of a file path. Tests about
SQLite itself carry ``@pytest.mark.sqlite_only(reason)`` and are skipped on PostgreSQL.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import db as store_db

OPS_BIN = Path(sys.executable).with_name("ops")

#: The environment variable that selects the PostgreSQL backend (a server URL).
DB_URL_VAR = "OPS_TEST_DB_URL"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--db-url",
        default=None,
        help=f"run the tests on PostgreSQL: a server URL (default: ${DB_URL_VAR}; unset = SQLite)",
    )
    parser.addoption(
        "--shard",
        default=None,
        metavar="K/N",
        help="run only the K-th of N parts (each file's tests dealt out over the parts): N runs use N cores",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "sqlite_only(reason): a test about SQLite itself (its file, WAL, format); skipped on PostgreSQL",
    )
    # The holiday tables `ops` keeps between runs (ops_cli/calendar/cache.py) go to a folder of
    # this run, not the developer's own cache (every `ops` subprocess inherits it).
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="ops-test-cache-")
    url = config.getoption("--db-url") or os.environ.get(DB_URL_VAR) or None
    if url:
        store_db.start_pg_run(url)


def pytest_unconfigure(config: pytest.Config) -> None:
    store_db.end_pg_run()


def pytest_report_header(config: pytest.Config) -> str:
    return f"ops store backend: {store_db.backend_name()}"


#: Fixture scopes wider than a test but narrower than the run: a file using one stays whole in
#: one part (else both parts would build it).
_SHARED_SCOPES = frozenset({"class", "module", "package"})


def _shares_a_fixture(item: pytest.Item) -> bool:
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    return any(defs and defs[-1].scope in _SHARED_SCOPES for defs in info.name2fixturedefs.values())


def _shard(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep the K-th of N parts. A file's tests are dealt out in turn over the parts (so every
    part gets its share of each file's slow and quick tests: the parts take about the same time
    without any stored timings); a file with a module- or class-scoped fixture stays whole, the
    biggest first into the part with the fewest tests so far."""
    k, n = (int(x) for x in config.getoption("--shard").split("/"))
    files: dict[str, list[pytest.Item]] = {}
    for item in items:
        files.setdefault(item.nodeid.split("::")[0], []).append(item)
    part_of: dict[str, int] = {}
    sizes = [0] * n
    dealt = 0
    whole = [name for name, tests in files.items() if any(_shares_a_fixture(t) for t in tests)]
    for name, tests in files.items():
        if name in whole:
            continue
        for item in tests:
            part_of[item.nodeid] = dealt % n
            sizes[dealt % n] += 1
            dealt += 1
    for name in sorted(whole, key=lambda f: (-len(files[f]), f)):
        least = sizes.index(min(sizes))
        for item in files[name]:
            part_of[item.nodeid] = least
        sizes[least] += len(files[name])
    keep = [i for i in items if part_of[i.nodeid] == k - 1]
    config.hook.pytest_deselected(items=[i for i in items if part_of[i.nodeid] != k - 1])
    items[:] = keep


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--shard"):
        _shard(config, items)
    if store_db.backend_name() == "sqlite":
        return
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if marker is not None:
            reason = marker.args[0] if marker.args else marker.kwargs.get("reason", "about SQLite itself")
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {reason}"))


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    def json(self):
        return json.loads(self.stdout)


@dataclass
class Env:
    """A private world for one test: its own store, config and clock.

    ``db`` is the store: a file path on SQLite; on PostgreSQL a file path given here is
    replaced by a fresh schema's URL (so fixtures that build an ``Env`` work on both).
    """

    tmp: Path
    db: Path | str
    config: Path
    now: str | None = None

    def __post_init__(self) -> None:
        if store_db.backend_name() == "postgresql" and isinstance(self.db, Path):
            self.db = store_db.new_pg_store()

    def environ(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("OPS_")}
        env.update(OPS_DB=str(self.db), OPS_CONFIG=str(self.config), NO_COLOR="1")
        if self.now:
            env["OPS_NOW"] = self.now
        env.update(extra)
        return env

    def run(self, *args: str, input: str | None = None, **extra_env: str) -> Run:
        """The installed `ops` in a subprocess (the end-to-end path)."""
        proc = subprocess.run(
            [str(OPS_BIN), *args],
            input=input,
            capture_output=True,
            text=True,
            env=self.environ(**extra_env),
            timeout=120,
        )
        return Run(proc.returncode, proc.stdout, proc.stderr)

    def cli(self, *args: str, input: str | None = None, **extra_env: str) -> Run:
        """The CLI in-process through Typer's CliRunner (fast; same code path)."""
        from ops_cli.commands.app import app
        from typer.testing import CliRunner

        runner = CliRunner()
        env = self.environ(**extra_env)
        # CliRunner only overlays env; clear OPS_* we do not set.
        overlay = {k: env.get(k) for k in set(env) | {k for k in os.environ if k.startswith("OPS_")}}
        result = runner.invoke(app, list(args), input=input, env=overlay, catch_exceptions=False)
        return Run(result.exit_code, result.stdout, result.stderr)

    def snapshot(self) -> dict[str, list[tuple]]:
        """Every row of every table: compare before and after to prove nothing changed."""
        return snapshot(self.db)


def snapshot(db: Path | str) -> dict[str, list[tuple]]:
    """Every row of every table of the store (on either backend); {} when there is no store."""
    return store_db.snapshot(db)


@pytest.fixture
def env(tmp_path: Path) -> Env:
    # On PostgreSQL a fresh schema name each; never dropped one by one (the run's database
    # goes at the end: cheaper than a DROP per test).
    return Env(tmp=tmp_path, db=tmp_path / "ops.db", config=tmp_path / "config.toml")


@pytest.fixture
def ops(env: Env, monkeypatch: pytest.MonkeyPatch):
    """A core `Ops` on the test's private store (for unit tests of core functions)."""
    from ops_cli.context import Ops

    for key in [k for k in os.environ if k.startswith("OPS_")]:
        monkeypatch.delenv(key)
    instance = Ops.open(config_path=env.config, db_path=env.db)
    yield instance
    instance.close()

"""Shared test fixtures: a temp store and config, the CLI in-process and as a real subprocess."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

OPS_BIN = Path(sys.executable).with_name("ops")


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    def json(self):
        return json.loads(self.stdout)


@dataclass
class Env:
    """A private world for one test: its own store, config and clock."""

    tmp: Path
    db: Path
    config: Path
    now: str | None = None

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


def snapshot(db: Path) -> dict[str, list[tuple]]:
    if not db.exists():
        return {}
    conn = sqlite3.connect(db)
    try:
        tables = [
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        ]
        return {t: conn.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall() for t in tables}
    finally:
        conn.close()


@pytest.fixture
def env(tmp_path: Path) -> Env:
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

"""Commands that remove many things ask first: `sub terminate` and `roster import --replace`
(when it would remove entries) show what goes and ask on a terminal; elsewhere they need --yes
(exit 2, one `error:` line, nothing changed)."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import db as store_db

ANNA = "anna.berg@polisen.example"
MARIA = "maria.sund@nordbygg.example"
TERMINATE = ("sub", "terminate", "2010002", "--by", ANNA, "--confirm-reset")


@pytest.fixture
def demo(env):
    env.now = "2026-11-18T10:00"
    assert env.cli("init", "--demo").code == 0
    return env


def status(env, issi: str) -> str:
    conn = store_db.connect(env.db)
    try:
        return conn.execute("SELECT status FROM subscriptions WHERE issi = ?", (issi,)).fetchone()[0]
    finally:
        conn.close()


def roster_csv(path: Path) -> Path:
    """Nordbygg's roster without Johan Dahl and the switchboard: --replace removes those two."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(
            [
                ["customer", "name", "email", "phone", "role", "kind"],
                ["2001", "Maria Sund", MARIA, "", "orderer", "person"],
                ["2001", "Per Falk", "per.falk@nordbygg.example", "+46701234567", "telephony", "person"],
                ["2001", "Emma Strand", "emma.strand@nordbygg.example", "", "contact", "person"],
            ]
        )
    return path


def refused_without_yes(env, *args: str, what: str) -> None:
    before = env.snapshot()
    result = env.run(*args, input="")  # stdin is a pipe, not a terminal
    assert result.code == 2, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {what} needs --yes when not run on a terminal (nothing was changed)"]
    assert result.stdout == ""
    assert env.snapshot() == before


def on_a_terminal(env, answer: str, *args: str) -> subprocess.CompletedProcess:
    """Run `ops` with its stdin on a pseudo-terminal, typing ``answer``."""
    import pty

    master, slave = pty.openpty()
    try:
        os.write(master, answer.encode())
        return subprocess.run(
            [str(Path(sys.executable).with_name("ops")), *args],
            stdin=slave,
            capture_output=True,
            text=True,
            env=env.environ(),
            timeout=60,
        )
    finally:
        os.close(master)
        os.close(slave)


# ------------------------------------------------------------------ sub terminate
def test_terminate_needs_yes_without_a_terminal(demo):
    refused_without_yes(demo, *TERMINATE, what="`ops sub terminate`")
    assert status(demo, "2010002") == "active"


def test_terminate_with_yes_is_done(demo):
    result = demo.run(*TERMINATE, "--yes", "-f", "json", input="")
    assert result.code == 0, result.stderr
    assert result.json()["changed"] == 1
    assert status(demo, "2010002") == "terminated"


def test_terminate_asks_on_a_terminal_showing_what_goes(demo):
    before = demo.snapshot()
    declined = on_a_terminal(demo, "n\n", *TERMINATE)
    assert declined.returncode == 1, declined.stderr
    assert "subscription 2010002" in declined.stdout and "status: active → terminated" in declined.stdout
    assert "Terminate 2010002?" in declined.stderr and "nothing was changed" in declined.stderr
    assert demo.snapshot() == before
    accepted = on_a_terminal(demo, "y\n", *TERMINATE)
    assert accepted.returncode == 0, accepted.stderr
    assert status(demo, "2010002") == "terminated"


def test_a_refused_terminate_on_a_terminal_names_the_problem_before_asking(demo):
    before = demo.snapshot()
    result = on_a_terminal(demo, "y\n", "sub", "terminate", "2010002", "--by", ANNA)  # no --confirm-reset
    assert result.returncode == 3, result.stderr
    assert "--confirm-reset" in result.stderr and "Terminate" not in result.stderr
    assert demo.snapshot() == before


# ------------------------------------------------------------------ roster import --replace
def test_replace_that_removes_needs_yes_without_a_terminal(demo, tmp_path):
    path = roster_csv(tmp_path / "nordbygg.csv")
    refused_without_yes(demo, "roster", "import", str(path), "--replace", what="`roster import --replace`")


def test_replace_with_yes_removes(demo, tmp_path):
    path = roster_csv(tmp_path / "nordbygg.csv")
    result = demo.run("roster", "import", str(path), "--replace", "--yes", "-f", "json", input="")
    assert result.code == 0, result.stderr
    assert result.json()["removed"] == 2


def test_replace_that_removes_nobody_needs_no_yes(demo, tmp_path):
    path = roster_csv(tmp_path / "nordbygg.csv")
    assert demo.cli("roster", "import", str(path), "--replace", "--yes").code == 0
    again = demo.run("roster", "import", str(path), "--replace", "-f", "json", input="")
    assert again.code == 0, again.stderr
    assert again.json()["removed"] == 0


def test_replace_dry_run_needs_no_yes(demo, tmp_path):
    path = roster_csv(tmp_path / "nordbygg.csv")
    before = demo.snapshot()
    result = demo.run("roster", "import", str(path), "--replace", "--dry-run", "-f", "json", input="")
    assert result.code == 0, result.stderr
    assert result.json()["removed"] == 2
    assert demo.snapshot() == before


def test_replace_asks_on_a_terminal_listing_who_goes(demo, tmp_path):
    path = roster_csv(tmp_path / "nordbygg.csv")
    before = demo.snapshot()
    declined = on_a_terminal(demo, "n\n", "roster", "import", str(path), "--replace")
    assert declined.returncode == 1, declined.stderr
    assert "johan.dahl@nordbygg.example" in declined.stdout and "vaxel@nordbygg.example" in declined.stdout
    assert "Remove these 2 roster entries?" in declined.stderr
    assert demo.snapshot() == before
    accepted = on_a_terminal(demo, "y\n", "roster", "import", str(path), "--replace")
    assert accepted.returncode == 0, accepted.stderr
    assert demo.snapshot() != before

"""`ops completion`, completion of store values, `ops --install-completion`, `ops man`."""

from __future__ import annotations

import subprocess

import pytest
from conftest import OPS_BIN


def complete(env, words: str, shell: str = "bash", **extra) -> list[str]:
    parts = words.split(" ")
    environ = env.environ(
        _OPS_COMPLETE=f"complete_{shell}", COMP_WORDS=words, COMP_CWORD=str(len(parts) - 1), **extra
    )
    if shell != "bash":
        environ["_TYPER_COMPLETE_ARGS"] = words
    proc = subprocess.run([str(OPS_BIN)], capture_output=True, text=True, env=environ, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return [line for line in proc.stdout.splitlines() if line]


@pytest.fixture
def demo(env):
    assert env.run("init", "--demo").code == 0
    return env


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_script(env, shell):
    run = env.run("completion", shell)
    assert run.code == 0 and "_OPS_COMPLETE" in run.stdout and f"complete_{shell}" in run.stdout
    assert not env.db.exists()  # printing a script needs no store


def test_completion_unknown_shell_is_usage(env):
    run = env.run("completion", "tcsh")
    assert run.code == 2 and run.stderr.startswith("error: ")


def test_completes_commands(env):
    assert complete(env, "ops ca") == ["case"]
    assert "callbacks" in complete(env, "ops case ca")


def test_completes_case_numbers_customers_and_emails(demo):
    cases = complete(demo, "ops case show 2026-0000")
    assert "2026-00009" in cases and all(c.startswith("2026-0000") for c in cases)
    assert complete(demo, "ops case list -c 20") == ["2001", "2002"]
    assert complete(demo, "ops roster customer show 100") == ["1001", "1002"]
    assert complete(demo, "ops roster show anna") == ["anna.berg@polisen.example"]
    assert "maria.sund@nordbygg.example" in complete(demo, "ops case reply 2026-00009 --by mar")


def test_zsh_completion_carries_the_customer_name(demo):
    lines = complete(demo, "ops case list --customer 200", shell="zsh")
    assert any("2001" in line and "Nordbygg AB" in line for line in lines), lines


def test_completion_never_creates_a_store(env):
    missing = env.tmp / "typo.db"
    assert complete(env, "ops case show 2026", OPS_DB=str(missing)) == []
    assert not missing.exists()


def test_install_completion_bash_twice_adds_one_line(env, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    for _ in range(2):
        run = env.run("--install-completion", HOME=str(home), SHELL="/bin/bash")
        assert run.code == 0, run.stderr
    script = home / ".bash_completions" / "ops.sh"
    assert "_OPS_COMPLETE=complete_bash" in script.read_text()
    assert (home / ".bashrc").read_text().splitlines().count(f"source {script}") == 1
    assert not env.db.exists()


def test_install_completion_unknown_shell(env, tmp_path):
    run = env.run("--install-completion", HOME=str(tmp_path), SHELL="/bin/tcsh")
    assert run.code == 3 and run.stderr.startswith("error: cannot tell the shell (tcsh)")


def test_man_pages(env, tmp_path):
    folder = tmp_path / "man1"
    run = env.run("man", "--dir", str(folder))
    assert run.code == 0, run.stderr
    page = (folder / "ops-case-list.1").read_text()
    assert page.startswith(".TH OPS-CASE-LIST 1") and "\\fB\\-\\-exit\\-status\\fR" in page
    assert (folder / "ops.1").exists() and (folder / "ops-roster-customer-import.1").exists()
    again = env.run("man", "--dir", str(folder))
    assert again.code == 6 and again.stderr.startswith("error: ")
    assert env.run("man", "--dir", str(folder), "--force").code == 0
    assert not env.db.exists()


def test_start_up_loads_no_completion_phone_or_email_library(env):
    import json
    import sys

    assert env.run("init").code == 0
    driver = (
        "import json, sys\n"
        "from ops_cli.commands.app import run\n"
        "code = run(json.loads(sys.argv[1]))\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    for args in (["--help"], ["case", "list", "-f", "json"], ["roster", "list", "-f", "json"]):
        proc = subprocess.run(
            [sys.executable, "-c", driver, json.dumps(args)],
            capture_output=True,
            text=True,
            env=env.environ(),
        )
        loaded = json.loads(proc.stdout.strip().splitlines()[-1])
        heavy = [m for m in loaded if m.split(".")[0] in ("phonenumbers", "email_validator")]
        assert heavy == [], (args, heavy)
        if args[0] != "--help":  # the help lists every group; a command loads only its own
            assert "ops_cli.commands.completion" not in loaded

"""Global options after the group, one meaning per short flag, --since/--until everywhere."""

from __future__ import annotations

import pytest
from ops_cli.commands._scripting import hoist_globals

GROUPS = ["case", "roster", "report"]


@pytest.mark.parametrize(
    ("args", "hoisted"),
    [
        (["case", "--db", "x.db", "list"], ["--db", "x.db", "case", "list"]),
        (["case", "list", "-q", "--db=x.db"], ["-q", "--db=x.db", "case", "list"]),
        (["--db", "case", "case", "list"], ["--db", "case", "case", "list"]),  # a store named "case"
        (["case", "note", "1", "--", "-q"], ["case", "note", "1", "--", "-q"]),
        (["--config", "c.toml", "roster", "list", "--config", "d.toml"],
         ["--config", "c.toml", "--config", "d.toml", "roster", "list"]),
    ],
)  # fmt: skip
def test_hoist_globals(args, hoisted):
    assert hoist_globals(args, GROUPS) == hoisted


def test_db_and_config_after_the_group_and_the_command(env):
    other = env.tmp / "other.db"
    assert env.run("roster", "customer", "add", "9001", "--name", "Nio", "--db", str(other)).code == 0
    assert other.exists() and not env.db.exists()
    listed = env.run("roster", "--db", str(other), "customer", "list", "-f", "json")
    assert [c["number"] for c in listed.json()] == ["9001"]
    in_process = env.cli("roster", "customer", "list", "--db", str(other), "-f", "json")
    assert in_process.code == 0 and [c["number"] for c in in_process.json()] == ["9001"]


def test_quiet_after_the_command_silences_messages(env):
    loud = env.run("roster", "customer", "add", "9001", "--name", "Nio")
    assert loud.code == 0
    quiet = env.run("roster", "customer", "add", "9002", "--name", "Tvo", "-q")
    assert quiet.code == 0 and quiet.stderr == ""


def test_q_is_quiet_never_quarter(env):
    helps = env.run("report", "quarterly", "--help").stdout
    assert "-Q" in helps and " -q" not in helps.replace("--quarter", "")
    run = env.run("report", "due", "-q", "2026Q3")  # -q is quiet: 2026Q3 is an extra argument
    assert run.code == 2 and run.stderr.startswith("error: ")


def test_old_date_range_spellings_still_work(env):
    assert env.run("init", "--demo").code == 0
    new = env.run(
        "sla", "kpi", "list", "-c", "2001", "--since", "2026-07-01", "--until", "2026-07-31", "-f", "json"
    )
    old = env.run(
        "sla", "kpi", "list", "-c", "2001", "--from", "2026-07-01", "--to", "2026-07-31", "-f", "json"
    )
    assert new.code == 0 and new.json() == old.json() and len(new.json()) > 0
    quality = env.run(
        "report", "quality", "-c", "2001", "--since", "2026-07-01", "--until", "2026-09-30", "-f", "json"
    )
    assert quality.code == 0, quality.stderr


def _short_flags():
    """short flag -> the long names of each option using it (one frozenset per option)."""
    import click
    import typer
    from ops_cli.commands.app import app

    found: dict[str, set[frozenset[str]]] = {}

    def walk(command):
        for param in command.params:
            if isinstance(param, click.Option):
                names = [*param.opts, *param.secondary_opts]
                longs = frozenset(n for n in names if n.startswith("--")) or frozenset([param.name])
                for short in (n for n in names if not n.startswith("--")):
                    found.setdefault(short, set()).add(longs)
        if isinstance(command, click.Group):
            for name in command.list_commands(None):
                walk(command.get_command(None, name))

    walk(typer.main.get_command(app))
    return found


# One meaning per letter across the whole CLI (issue 14): every option using a short flag
# answers to one common long name (`case callback --note` is also `--message`, like the other
# message bodies). Retired doubles: -s (subject), -r (resolution), -t (tier: now -T),
# -m (model: now -M), -n (count: long only).
MEANING = {
    "-q": "--quiet",
    "-m": "--message",
    "-n": "--limit",
    "-r": "--role",
    "-s": "--status",
    "-t": "--topic",
    "-T": "--tier",
    "-M": "--model",
}


def test_short_flags_mean_one_thing():
    flags = _short_flags()
    for short, options in sorted(flags.items()):
        common = frozenset.intersection(*options)
        assert common, f"{short} means {sorted(sorted(o) for o in options)}"
        if short in MEANING:
            assert MEANING[short] in common, (short, sorted(common))


def test_report_due_exit_status_quiet(env):
    assert env.run("init", "--demo").code == 0
    run = env.run("report", "due", "--quarter", "2026Q3", "--exit-status", "-q", OPS_NOW="2026-10-08T10:00")
    assert (run.code, run.stdout, run.stderr) == (1, "", "")


def test_init_demo_prints_one_line_per_step(env):
    run = env.run("init", "--demo")
    assert run.code == 0, run.stderr
    lines = run.stdout.strip().splitlines()
    steps = [line.split()[0] for line in lines[2:]]  # after the header and its rule
    assert steps == ["roster", "subscriptions", "cases", "kpi", "swap", "reports"]
    assert "demo." not in run.stdout
    assert "customers 4 created" in lines[2]
    again = env.run("init", "--demo", "-f", "csv")
    assert again.code == 0 and again.stdout.splitlines()[0] == "step,summary"
    assert len(again.stdout.strip().splitlines()) == 7
    as_json = env.run("init", "--demo", "-f", "json").json()
    assert set(as_json["demo"]) == set(steps)  # JSON keeps the full nested result

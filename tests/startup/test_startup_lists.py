"""`ops case list` into a pipe loads only what a listing needs: no rich, no sheet or database
drivers, no phone parsers, none of the case package's writing modules; the packages that load
their modules on first use still give every public name."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from helpers.startup import loaded_modules

# Libraries a listing into a pipe never needs.
LIBRARIES = ("rich", "openpyxl", "python_calamine", "psycopg", "phonenumbers", "tomlkit", "holidays")
# Nor these of the standard library (an SQLite store; the PostgreSQL driver may load them):
# ``dataclasses`` (`Ops` and `Config` are plain classes), ``tomllib`` (the config file is the
# template `ops init` wrote), ``shlex`` (the command line a changeset records: writes only).
STDLIB = ("dataclasses", "tomllib", "shlex")

# Project modules a listing never needs: the case package's writing side (and the command
# layer's dry run), the calendar, the permissions, the phone and contact parsers, the config
# editor, the file writer, the config validation (the file is the template), the changesets
# and the audit records (writes only).
PROJECT = (
    "ops_cli.cases.callbacks",
    "ops_cli.cases.demo",
    "ops_cli.cases.opening",
    "ops_cli.cases.schedule",
    "ops_cli.cases.thread",
    "ops_cli.commands._dryrun",
    "ops_cli.calendar",
    "ops_cli.permissions",
    "ops_cli.parsers.contact",
    "ops_cli.parsers.phones",
    "ops_cli.config.editing",
    "ops_cli.files",
    "ops_cli.config.schema",
    "ops_cli.config.rules",
    "ops_cli.config.hours",
    "ops_cli.store.audit",
    "ops_cli.store.changes",
    "ops_cli.store.changes_read",
    "ops_cli.store.pg_changes",
)


def _modules(tmp_path, env, args: list[str]) -> list[str]:
    result, proc = loaded_modules(tmp_path, args, env.environ())
    assert result["code"] in (0, None), proc.stderr
    return result["modules"]


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "table"])
def test_case_list_into_a_pipe_loads_only_the_listing(tmp_path, env, fmt):
    assert env.run("init", "--demo").code == 0
    modules = _modules(tmp_path, env, ["case", "list", "--format", fmt])
    tops = {name.split(".")[0] for name in modules}
    driver = {"psycopg"} if isinstance(env.db, str) else set()  # a PostgreSQL store needs its driver
    assert [m for m in LIBRARIES if m in tops - driver] == []
    if not driver:
        assert [m for m in STDLIB if m in tops] == []
    # The PostgreSQL backend (store/pg.py) names its hidden row id from pg_changes.
    backend = {"ops_cli.store.pg_changes"} if driver else set()
    assert [m for m in PROJECT if m in modules and m not in backend] == []
    assert "ops_cli.cases.queries" in modules  # it did list


def test_help_into_a_pipe_loads_no_store_and_no_dataclasses(tmp_path, env):
    modules = _modules(tmp_path, env, ["--help"])
    tops = {name.split(".")[0] for name in modules}
    assert [m for m in (*LIBRARIES, *STDLIB, "sqlite3", "zoneinfo") if m in tops] == []
    assert [m for m in modules if m.startswith(("ops_cli.store", "ops_cli.config", "ops_cli.files"))] == []


LAZY = """
import importlib, json, sys
name = sys.argv[1]
package = importlib.import_module(name)
public = list(package.__all__)
missing = [n for n in public if not hasattr(package, n)]
star = {}
exec(f"from {name} import *", star)
try:
    package.no_such_name
    unknown = "no error"
except AttributeError:
    unknown = "AttributeError"
print(json.dumps({"public": public, "missing": missing, "star": sorted(set(public) - set(star)),
                  "unknown": unknown}))
"""


@pytest.mark.parametrize("package", ["ops_cli.cases", "ops_cli.parsers", "ops_cli.config"])
def test_lazy_packages_give_every_public_name(package):
    proc = subprocess.run([sys.executable, "-c", LAZY, package], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["public"]
    assert result["missing"] == []
    assert result["star"] == []
    assert result["unknown"] == "AttributeError"


def test_the_phone_region_applies_whether_the_parsers_are_loaded_or_not(env):
    """Ops.open sets `phone.region` without loading the phone parsers for the default region;
    loaded later, they start from that default."""
    script = """
import sys
from ops_cli.context import Ops
Ops.open()
assert "ops_cli.parsers.phones" not in sys.modules
from ops_cli.parsers import phones
first = phones._region
phones.set_region("NO")
Ops.open()  # the default again: set although the parsers are loaded now
print(first, phones._region)
"""
    assert env.run("init").code == 0
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env.environ())
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["SE", "SE"]
    assert env.run("config", "set", "phone.region", "DK").code == 0
    other = "from ops_cli.context import Ops\nfrom ops_cli.parsers import phones\n"
    other += "Ops.open()\nprint(phones._region)"
    proc = subprocess.run([sys.executable, "-c", other], capture_output=True, text=True, env=env.environ())
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["DK"]


def test_the_program_freezes_what_start_up_made(env):
    """`main` (the `ops` program) moves the objects of start-up out of the cyclic collector's
    way (its collections and the one at exit skip them); `run`, which a program may call many
    times, does not."""
    script = """
import gc, sys
from ops_cli.commands.app import main, run
sys.argv = ["ops", "--version"]
assert run(["--version"]) == 0 and gc.get_freeze_count() == 0
try:
    main()
except SystemExit as exc:
    assert exc.code == 0, exc.code
print(gc.get_freeze_count())
"""
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env.environ())
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout.split()[-1]) > 1000

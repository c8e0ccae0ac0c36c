"""Start-up stays light: `ops --help` and `ops case list` load none of the heavy libraries."""

from __future__ import annotations

import pytest
from helpers.startup import loaded_modules

HEAVY = ("openpyxl", "python_calamine", "holidays")


# The project's own heavy parts: the sheet readers/writers, the import pipeline, the whole
# roster package (its re-exports pull in both) and the demo loader (every domain package).
HEAVY_PROJECT = ("ops_cli.sheets", "ops_cli.importing", "ops_cli.roster", "ops_cli.demo")


@pytest.fixture(autouse=True)
def _store(env):
    """A store to list from (read commands may refuse a missing one)."""
    assert env.run("init").code == 0


def _loaded(tmp_path, env, args, environ=None):
    """What ``ops *args`` loaded: its exit code, the top-level packages and the project's modules."""
    result, proc = loaded_modules(tmp_path, args, environ if environ is not None else env.environ())
    modules = result["modules"]
    loaded = sorted({name.split(".")[0] for name in modules})
    project = [name for name in modules if name.startswith("ops_cli.")]
    return {"code": result["code"], "loaded": loaded, "project": project}, proc


@pytest.mark.parametrize("args", [["--help"], ["case", "list"], ["case", "list", "--format", "json"]])
def test_no_heavy_imports(tmp_path, env, args):
    result, proc = _loaded(tmp_path, env, args)
    assert result["code"] in (0, None), proc.stderr
    assert [m for m in HEAVY if m in result["loaded"]] == []


def test_json_path_does_not_load_rich_or_tabulate(tmp_path, env):
    result, proc = _loaded(tmp_path, env, ["case", "list", "--format", "json"])
    assert result["code"] in (0, None), proc.stderr
    assert [m for m in ("rich", "tabulate", "tomlkit") if m in result["loaded"]] == []


@pytest.mark.parametrize("args", [["case", "list"], ["case", "list", "--format", "json"]])
def test_case_list_does_not_load_sheets_importing_or_roster(tmp_path, env, args):
    result, proc = _loaded(tmp_path, env, args)
    assert result["code"] in (0, None), proc.stderr
    assert [m for m in HEAVY_PROJECT if m in result["project"]] == []


@pytest.mark.parametrize(
    "args", [["--help"], ["case", "--help"], ["case", "list", "--help"], ["case", "list"]]
)
def test_help_and_lists_into_a_pipe_do_not_load_rich(tmp_path, env, args):
    """Help for a pipe is click's plain text: rich (and its markdown parser) only on a terminal."""
    result, proc = _loaded(tmp_path, env, args)
    assert result["code"] in (0, None), proc.stderr
    assert [m for m in ("rich", "markdown_it", "pygments") if m in result["loaded"]] == []


def test_root_help_into_a_pipe_loads_no_command_group(tmp_path, env):
    """`ops --help` lists the groups from their summaries without importing them."""
    result, proc = _loaded(tmp_path, env, ["--help"])
    assert result["code"] in (0, None), proc.stderr
    groups = ("roster", "sub", "case", "sla", "swap", "report", "admin", "undo", "completion")
    assert [g for g in groups if f"ops_cli.commands.{g}" in result["project"]] == []


def test_help_does_not_load_the_demo_loader(tmp_path, env):
    result, proc = _loaded(tmp_path, env, ["--help"])
    assert result["code"] in (0, None), proc.stderr
    assert "ops_cli.demo" not in result["project"]


def test_help_does_not_load_sheets_or_importing(tmp_path, env):
    result, proc = _loaded(tmp_path, env, ["--help"])
    assert result["code"] in (0, None), proc.stderr
    assert [m for m in ("ops_cli.sheets", "ops_cli.importing") if m in result["project"]] == []


def test_unedited_config_needs_no_toml_parser(tmp_path, env):
    """The file `ops init` writes is the template: its values are the defaults, parsed once and
    cached beside the bytecode, so start-up reads it without a TOML parser."""
    import os

    from ops_cli.config import defaults

    if not os.access(defaults.TEMPLATE_PATH.parent, os.W_OK):
        pytest.skip("the installed package is read-only: the cache is a best effort")
    assert env.run("init").code == 0
    assert env.config.read_text(encoding="utf-8") == defaults.TEMPLATE
    environ = env.environ()
    environ.pop("PYTHONDONTWRITEBYTECODE", None)
    for _ in range(2):  # the first run may write the cache
        result, proc = _loaded(tmp_path, env, ["case", "list", "-f", "json"], environ)
        assert result["code"] in (0, None), proc.stderr
    assert "tomllib" not in result["loaded"]

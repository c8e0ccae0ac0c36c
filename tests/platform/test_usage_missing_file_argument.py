"""A missing FILE/PATH argument is wrong usage (exit 2, `cli.md`), like any missing argument;
only a given file that cannot be read is invalid input (exit 3). Found by outside testing."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("args", "name", "path"),
    [
        (("db", "backup"), "PATH", "ops db backup"),
        (("roster", "import"), "FILE", "ops roster import"),
        (("roster", "export"), "FILE", "ops roster export"),
        (("sla", "kpi", "import"), "FILE", "ops sla kpi import"),
    ],
)
def test_missing_file_argument_is_usage_exit_2(env, args, name, path):
    result = env.run(*args)
    assert result.code == 2, result.stderr
    assert result.stderr.splitlines() == [f"error: Missing argument '{name}'.", f"  see `{path} --help`"]
    assert not env.db.exists()


def test_missing_input_file_is_still_exit_3(env):
    result = env.run("roster", "import", str(env.tmp / "nope.csv"))
    assert result.code == 3, result.stderr
    assert len(result.stderr.splitlines()) == 1 and "nope.csv" in result.stderr

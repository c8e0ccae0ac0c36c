"""Start-up stays light: `ops --help` and `ops case list` load none of the heavy libraries."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("openpyxl", "python_calamine", "holidays")

DRIVER = """
import json, sys
from ops_cli.commands.app import main
sys.argv = ["ops", *json.loads(sys.argv[1])]
try:
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
loaded = sorted({name.split(".")[0] for name in sys.modules})
with open(sys.argv_file if hasattr(sys, "argv_file") else %r, "w") as out:
    json.dump({"code": code, "loaded": loaded}, out)
"""


def _loaded(tmp_path, env, args):
    report = tmp_path / "loaded.json"
    proc = subprocess.run(
        [sys.executable, "-c", DRIVER % str(report), json.dumps(args)],
        capture_output=True,
        text=True,
        env=env.environ(),
    )
    assert report.exists(), proc.stderr
    return json.loads(report.read_text()), proc


@pytest.mark.parametrize("args", [["--help"], ["case", "list"], ["case", "list", "--format", "json"]])
def test_no_heavy_imports(tmp_path, env, args):
    result, proc = _loaded(tmp_path, env, args)
    assert result["code"] in (0, None), proc.stderr
    assert [m for m in HEAVY if m in result["loaded"]] == []


def test_json_path_does_not_load_rich_or_tabulate(tmp_path, env):
    result, proc = _loaded(tmp_path, env, ["case", "list", "--format", "json"])
    assert result["code"] in (0, None), proc.stderr
    assert [m for m in ("rich", "tabulate", "tomlkit") if m in result["loaded"]] == []

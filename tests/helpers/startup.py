"""What one `ops` command loads: the program run in a fresh interpreter (as the installed
`ops` runs), its exit code and the names in ``sys.modules`` when it ended."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

DRIVER = """
import json, sys
from ops_cli.commands.app import main
report = sys.argv[2]
sys.argv = ["ops", *json.loads(sys.argv[1])]
try:
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
with open(report, "w") as out:
    json.dump({"code": code, "modules": sorted(sys.modules)}, out)
"""


def loaded_modules(
    folder: Path, args: list[str], environ: dict[str, str]
) -> tuple[dict[str, Any], subprocess.CompletedProcess]:
    """Run ``ops *args`` in a new interpreter: ``{"code": ..., "modules": [...]}`` and the run."""
    report = folder / "modules.json"
    report.unlink(missing_ok=True)
    proc = subprocess.run(
        [sys.executable, "-c", DRIVER, json.dumps(args), str(report)],
        capture_output=True,
        text=True,
        env=environ,
    )
    assert report.exists(), proc.stderr
    return json.loads(report.read_text()), proc

"""The roster package loads its import code (and the sheet readers) only when asked for."""

from __future__ import annotations

import json
import subprocess
import sys

DRIVER = """
import json, sys
from ops_cli import roster
from ops_cli.roster import add_entry, export_roster
heavy = ("ops_cli.sheets", "ops_cli.importing", "ops_cli.roster.importing")
before = sorted(m for m in sys.modules if m.startswith(heavy))
names = [roster.import_roster.__name__, roster.import_customers.__name__]
names.append(type(roster.ROSTER_COLUMNS).__name__)
from ops_cli.roster import CUSTOMER_COLUMNS, Progress
after = "ops_cli.roster.importing" in sys.modules
try:
    roster.no_such_name
except AttributeError as exc:
    missing = str(exc)
print(json.dumps({"before": before, "names": names, "after": after, "missing": missing}))
"""


def test_importing_names_load_on_first_use():
    proc = subprocess.run([sys.executable, "-c", DRIVER], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["before"] == []
    assert result["names"] == ["import_roster", "import_customers", "tuple"]
    assert result["after"] is True
    assert result["missing"] == "module 'ops_cli.roster' has no attribute 'no_such_name'"

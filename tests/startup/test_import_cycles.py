"""No import cycle (issue 11): every module of the core and of the commands imports on its own,
first, in a fresh interpreter. Two modules that import each other fail here when the wrong one
is imported first ("partially initialized module"), whatever order the CLI happens to use."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def modules() -> list[str]:
    found = []
    for package in ("ops_cli", "commands"):
        for path in sorted((ROOT / package).rglob("*.py")):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found.append(name.removesuffix(".__init__"))
    return found


def test_every_module_imports_first_on_its_own():
    # One interpreter per module (a module imported once stays imported): run in one child
    # that forks per module, so the whole check costs one start-up.
    script = (
        "import os, sys, traceback\n"
        "failed = []\n"
        "for name in sys.argv[1:]:\n"
        "    pid = os.fork()\n"
        "    if pid == 0:\n"
        "        try:\n"
        "            __import__(name)\n"
        "        except Exception:\n"
        "            traceback.print_exc()\n"
        "            os._exit(1)\n"
        "        os._exit(0)\n"
        "    if os.waitpid(pid, 0)[1]:\n"
        "        failed.append(name)\n"
        "print(' '.join(failed))\n"
    )
    names = modules()
    assert "ops_cli.store.changes_read" in names and "commands.app" in names
    run = subprocess.run(
        [sys.executable, "-c", script, *names], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == [], run.stderr[-3000:]

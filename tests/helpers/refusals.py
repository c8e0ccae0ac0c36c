"""The one check of a refused command: its exit code, one `error:` line naming the problem
(row details may follow), no traceback, and the store exactly as before (audit included)."""

from __future__ import annotations

from typing import Any


def refused(env: Any, code: int, text: str, *args: str, subprocess: bool = False) -> Any:
    """Run ``ops *args`` (in-process, or the installed `ops` with ``subprocess``) and check the
    refusal; returns the run for further checks."""
    before = env.snapshot()
    run = (env.run if subprocess else env.cli)(*args)
    assert run.code == code, (args, run.code, run.stderr)
    assert run.stderr.startswith("error: "), run.stderr
    errors = [line for line in run.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, run.stderr
    assert text in run.stderr, (args, run.stderr)
    assert "Traceback" not in run.stderr
    assert env.snapshot() == before
    return run

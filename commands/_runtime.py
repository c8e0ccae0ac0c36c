"""Run-time glue for commands: the shared state, and errors mapped to exit codes.

This is the one place where a core error becomes an exit code and a message on
stderr (``cli.md``: "Exit codes"); commands never call ``sys.exit`` themselves.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import traceback
from dataclasses import dataclass, field

from ops_cli.errors import ExitStatus, OpsError


@dataclass
class State:
    """What the root command's options resolved; the `Ops` is built on first use."""

    config_path: str | None = None
    db_path: str | None = None
    quiet: bool = False
    _ops: object | None = field(default=None, repr=False)

    def ops(self):
        if self._ops is None:
            from ops_cli.context import Ops

            self._ops = Ops.open(self.config_path, self.db_path)
        return self._ops

    def close(self) -> None:
        if self._ops is not None:
            self._ops.close()


def err(line: str) -> None:
    sys.stderr.write(line + "\n")


def silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def exit_code_for(exc: BaseException) -> int:
    """Print the one-line error (plus row details) and return the exit code."""
    if isinstance(exc, BrokenPipeError):
        # The reader went away (`ops case list | head -1`): stop quietly.
        silence_stdout()
        return ExitStatus.OK
    debug = os.environ.get("OPS_DEBUG") == "1"
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    if isinstance(exc, OpsError):
        err(f"error: {exc.message}")
        for problem in exc.problems:
            if str(problem) != exc.message:  # a lone problem that *is* the message is not repeated
                err(f"  {problem}")
        return int(exc.exit_code)
    if isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc)):
        err("error: the store stayed busy past the timeout (another process is writing); try again")
        return ExitStatus.CONFLICT
    if isinstance(exc, sqlite3.DatabaseError):
        err(f"error: the store cannot be read ({exc}); run `ops db check`")
        return ExitStatus.NO
    hint = "" if debug else "; run again with OPS_DEBUG=1 for the traceback"
    err(f"error: internal error: {type(exc).__name__}: {exc}{hint}")
    return ExitStatus.NO

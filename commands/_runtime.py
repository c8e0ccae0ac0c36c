"""Run-time glue for commands: the shared state, and errors mapped to exit codes.

This is the one place where a core error becomes an exit code and a message on
stderr (``cli.md``: "Exit codes"); commands never call ``sys.exit`` themselves.
"""

from __future__ import annotations

import errno
import os
import re
import sys
import traceback

from ops_cli.errors import ExitStatus, OpsError, Problem

from ._output import StdoutError

#: The largest whole number the store holds (SQLite's 64-bit integers).
SQLITE_MAX = 2**63 - 1


class State:
    """What the root command's options resolved; the `Ops` is built on first use.

    A plain class, not a dataclass: `ops --help` then needs no `dataclasses` at all."""

    def __init__(self, config_path: str | None = None, db_path: str | None = None, quiet: bool = False):
        self.config_path = config_path
        self.db_path = db_path
        self.quiet = quiet
        self._ops: object | None = None

    def ops(self):
        if self._ops is None:
            # The one deliberate late project import: `ops --help` and usage errors need no
            # config, store or calendar (see tests/platform/test_startup.py).
            from ops_cli.context import Ops

            self._ops = Ops.open(self.config_path, self.db_path)
        return self._ops

    def close(self) -> None:
        if self._ops is not None:
            self._ops.close()


def interrupted(state: object) -> None:
    """The line a Ctrl-C leaves: whether the command's write was saved (its changeset, which
    `ops undo` reverts) or nothing was changed (a write is one transaction: all or nothing)."""
    ops = state._ops if isinstance(state, State) else None
    store = getattr(ops, "_store", None)
    saved = store.saved_changeset() if store is not None else None
    if saved is not None:
        err(f"interrupted after the change was saved as changeset {saved} (`ops undo {saved}` reverts it)")
    else:
        err("interrupted; nothing was changed")


def err(line: str) -> None:
    sys.stderr.write(line + "\n")


def silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    if sys.stdout is None:
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    finally:
        os.close(devnull)


def os_error_line(exc: OSError, stream: str | None = None) -> str:
    """One line for an OS error that no core code turned into an error of its own: the path
    (or the stream) and the cause."""
    where = stream or (os.fsdecode(exc.filename) if exc.filename is not None else None)
    if exc.filename2 is not None:
        where = f"{where} -> {os.fsdecode(exc.filename2)}"
    from ops_cli.files import os_cause  # an error only: not at start-up

    return f"{where}: {os_cause(exc)}" if where else os_cause(exc)


def flush_stdout() -> int:
    """Flush stdout at the end of a run: a full disk or a closed stdout is one error line, exit 3."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
    except OSError as exc:
        err(f"error: {os_error_line(exc, 'cannot write to standard output')}")
        silence_stdout()
        return ExitStatus.INVALID
    return ExitStatus.OK


def _repeats(problem: Problem, message: str) -> bool:
    """A problem that only restates the message (same file and cause, no row) is not printed again."""
    if str(problem) == message:
        return True
    return (
        problem.row is None
        and problem.column is None
        and set(re.findall(r"\w+", problem.message)) <= set(re.findall(r"\w+", message))
        and (problem.file is None or problem.file in message)
    )


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
            if not _repeats(problem, exc.message):
                err(f"  {problem}")
        return int(exc.exit_code)
    import sqlite3  # loaded already whenever a store was opened; `--help` needs none

    if isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc)):
        err("error: the store stayed busy past the timeout (another process is writing); try again")
        return ExitStatus.CONFLICT
    if isinstance(exc, sqlite3.OperationalError) and ("readonly" in str(exc) or "read-only" in str(exc)):
        err("error: the store is read-only; check the permissions of the file and of its folder")
        return ExitStatus.INVALID
    if isinstance(exc, sqlite3.DatabaseError):
        err(f"error: the store cannot be read ({exc}); run `ops db check`")
        return ExitStatus.NO
    if isinstance(exc, StdoutError):
        err(f"error: {os_error_line(exc, 'cannot write to standard output')}")
        silence_stdout()
        return ExitStatus.INVALID
    if isinstance(exc, OSError):
        err(f"error: {os_error_line(exc)}")
        return ExitStatus.CONFLICT if exc.errno in (errno.EBUSY, errno.EAGAIN) else ExitStatus.INVALID
    if isinstance(exc, OverflowError):
        err(f"error: a number is out of range ({exc}); numbers must lie within ±{SQLITE_MAX}")
        return ExitStatus.INVALID
    hint = "" if debug else "; run again with OPS_DEBUG=1 for the traceback"
    err(f"error: internal error: {type(exc).__name__}: {exc}{hint}")
    return ExitStatus.NO

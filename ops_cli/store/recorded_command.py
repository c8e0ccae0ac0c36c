"""The command line a changeset records (``ops db log``, ``ops undo``): shell-quoted, the values
of free-text options (a message, a note) left out, at most 500 characters."""

from __future__ import annotations

import os
import re
import shlex
import sys

#: Set by a program that runs commands itself; else the process's own command line.
COMMAND: list[str] | None = None

#: Options whose value is free text (a message, a note): left out of the recorded command line.
_TEXT_OPTIONS = frozenset({"-m", "--message", "--body", "--note", "--text", "--subject", "--resolution"})
#: ... and the short ones of `ops case` (elsewhere -r is a role, -s a status).
_CASE_TEXT_OPTIONS = _TEXT_OPTIONS | {"-r", "-s"}


def command_line() -> str:
    """The command line, shell-quoted, free-text option values left out."""
    argv = list(COMMAND) if COMMAND is not None else ["ops", *sys.argv[1:]]
    if COMMAND is None and argv and os.path.basename(sys.argv[0] or "") not in ("ops", "__main__.py"):
        argv[0] = os.path.basename(sys.argv[0] or "python")
    hidden = _CASE_TEXT_OPTIONS if "case" in argv[1:4] else _TEXT_OPTIONS
    out, hide = [], False
    for arg in argv:
        if hide:
            out.append("...")
            hide = False
            continue
        key = arg.split("=", 1)[0]
        if key in hidden:
            hide = "=" not in arg
            arg = arg if hide else key + "=..."
        out.append(re.sub(r"[\x00-\x1f\x7f]", "?", arg))
    text = shlex.join(out)
    return text if len(text) <= 500 else text[:499] + "…"

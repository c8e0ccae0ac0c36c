"""Generate docs/cli.md, the command-line reference, from the app itself.

Run ``python -m ops_cli.commands._docgen docs/cli.md`` after changing a
command; ``tests/test_docs.py`` fails while the file is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

from .app import GROUPS, app

HEADER = """# `ops` command reference

Generated from the application by `python -m ops_cli.commands._docgen docs/cli.md`;
do not edit by hand. The contract these commands keep is `../shared/spec/cli.md`.

Global options (before the command): `--db PATH`, `--config PATH`, `--quiet/-q`,
`--version`. Exit codes: 0 done, 1 a check said no (or an internal error),
2 wrong usage, 3 invalid input (nothing written), 4 not found, 5 not permitted
by the roster, 6 conflict with the current state, 130 interrupted (Ctrl-C; the last line says
whether the change was saved, and as which changeset).
"""


def _param_row(param: Any) -> str | None:
    if getattr(param, "hidden", False) or param.name in ("help",):
        return None
    if param.param_type_name == "argument":
        name = f"`{param.human_readable_name.upper()}`"
        kind = "argument"
    else:
        names = ", ".join(f"`{opt}`" for opt in [*param.opts, *param.secondary_opts])
        name = names
        kind = "flag" if getattr(param, "is_flag", False) else "option"
    help_text = (getattr(param, "help", None) or "").replace("\n", " ").replace("|", "\\|")
    default = getattr(param, "default", None)
    show_default = default not in (None, False, (), []) and kind != "flag" and not callable(default)
    if show_default:
        value = getattr(default, "value", default)
        help_text += f" (default: `{value}`)"
    if getattr(param, "required", False):
        help_text += " (required)"
    if getattr(param, "multiple", False):
        help_text += " (repeatable)"
    choices = getattr(getattr(param, "type", None), "choices", None)
    if choices:
        help_text += " One of: " + ", ".join(f"`{getattr(c, 'value', c)}`" for c in choices) + "."
    return f"| {name} | {kind} | {help_text.strip()} |"


def _command_doc(path: str, command: Any, lines: list[str], level: int) -> None:
    lines.append(f"{'#' * level} `{path}`")
    lines.append("")
    help_text = (command.help or "").strip()
    if help_text:
        lines.append(help_text.replace("\b\n", ""))
        lines.append("")
    rows = [row for row in (_param_row(p) for p in command.params) if row]
    names = command.list_commands(None) if hasattr(command, "list_commands") else []
    if rows and not names:
        lines.extend(["| name | kind | meaning |", "|---|---|---|", *rows, ""])
    if names:
        for name in sorted(names):
            sub = command.get_command(None, name)
            if getattr(sub, "hidden", False):
                continue
            _command_doc(f"{path} {name}", sub, lines, min(level + 1, 4))


def render_reference() -> str:
    root = typer.main.get_command(app)
    lines = [HEADER]
    for name in GROUPS:
        command = root.get_command(None, name)
        _command_doc(f"ops {name}", command, lines, 2)
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    text = render_reference()
    if args:
        Path(args[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()

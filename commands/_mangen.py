"""Man pages (roff, section 1) generated from the app, like `_docgen` generates docs/cli.md.

`ops man --dir DIR` writes them through `ops_cli/files.py`; ``python -m
ops_cli.commands._mangen DIR`` does the same for packaging.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

from ops_cli import __version__, files

from .app import GROUPS, app


def _roff(text: str) -> str:
    """Text safe for roff: backslashes escaped, no line starting with a control character."""
    out = []
    for line in text.replace("\\", "\\e").replace("\b", "").splitlines():
        stripped = line.strip()
        out.append("\\&" + stripped if stripped.startswith((".", "'")) else stripped or ".PP")
    return "\n".join(out)


def _option_lines(param: Any) -> list[str]:
    if getattr(param, "hidden", False) or param.name == "help":
        return []
    if param.param_type_name == "argument":
        head = f"\\fI{param.human_readable_name.upper()}\\fR"
    else:
        names = ", ".join(f"\\fB{_dash(o)}\\fR" for o in [*param.opts, *param.secondary_opts])
        metavar = "" if getattr(param, "is_flag", False) else f" \\fI{param.make_metavar(_ctx())}\\fR"
        head = names + metavar
    return [".TP", head, _roff(getattr(param, "help", None) or "")]


def _dash(option: str) -> str:
    return option.replace("-", "\\-")


def _ctx() -> Any:
    import click

    return click.Context(click.Command("ops"))


def page(path: str, command: Any) -> str:
    """One command's man page."""
    name = path.replace(" ", "-")
    help_text = (command.help or "").strip()
    summary = help_text.splitlines()[0] if help_text else path
    subs = command.list_commands(None) if hasattr(command, "list_commands") else []
    lines = [
        f'.TH {name.upper()} 1 "" "ops-cli {__version__}" "ops manual"',
        ".SH NAME",
        f"{name} \\- {_roff(summary)}",
        ".SH SYNOPSIS",
        f".B {path}",
        "[\\fIOPTIONS\\fR]" + (" \\fICOMMAND\\fR" if subs else ""),
        ".SH DESCRIPTION",
        _roff(help_text),
    ]
    options = [line for p in command.params for line in _option_lines(p)]
    if options:
        lines += [".SH OPTIONS", *options]
    if subs:
        lines += [".SH COMMANDS", ", ".join(f"{name}-{s}(1)" for s in sorted(subs))]
    lines += [".SH SEE ALSO", "ops(1)" if path != "ops" else "ops-case(1), ops-roster(1)"]
    return "\n".join(lines) + "\n"


def pages() -> dict[str, str]:
    """File name -> page, for `ops` and every group and command."""
    root = typer.main.get_command(app)
    out = {"ops.1": page("ops", root)}

    def walk(path: str, command: Any) -> None:
        out[path.replace(" ", "-") + ".1"] = page(path, command)
        for name in command.list_commands(None) if hasattr(command, "list_commands") else []:
            sub = command.get_command(None, name)
            if sub is not None and not getattr(sub, "hidden", False):
                walk(f"{path} {name}", sub)

    for name in GROUPS:
        walk(f"ops {name}", root.get_command(None, name))
    return out


def write_pages(folder: Path, *, force: bool = False) -> list[Path]:
    """Write every page into ``folder`` (every target checked first: nothing half-written)."""
    folder = Path(folder)
    texts = pages()
    targets = {folder / name: text for name, text in texts.items()}
    folder.mkdir(parents=True, exist_ok=True)
    for target in targets:
        files.check_target(target, force=force)
    for target, text in targets.items():
        files.write_text(target, text, force=force)
    return list(targets)


if __name__ == "__main__":
    write_pages(Path(sys.argv[1] if len(sys.argv) > 1 else "man/man1"), force=True)

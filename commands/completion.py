"""`ops completion bash|zsh|fish`, `ops --install-completion` and `ops man`.

Completion runs through click's shell completion (Typer's script and classes): the shell calls
`ops` with `_OPS_COMPLETE=complete_<shell>` and the words typed. On top of the commands and
options, customer numbers, case numbers and roster emails come from the store (never created:
no store, no suggestions). Kept light at import time: `app.py` imports this module only when a
completion is asked for or `--install-completion` is given.
"""

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from ops_cli import files

from ._scripting import command_words

PROG = "ops"
COMPLETE_VAR = "_OPS_COMPLETE"


class Shell(StrEnum):
    bash = "bash"
    zsh = "zsh"
    fish = "fish"


# ---------------------------------------------------------------- values from the store
def value_kind(ctx: Any, param: Any) -> str | None:
    """Which store values complete this parameter: customer, case, email (or None)."""
    name = getattr(param, "name", None)
    if name is None or not hasattr(param, "param_type_name"):
        return None
    words = command_words(ctx)
    if name == "customer":
        return "customer"
    if name == "number":
        return "customer" if words.startswith("roster") else "case"
    if name in ("email", "by", "reporter", "ordered_by"):
        return "email"
    return None


def store_values(ctx: Any, kind: str, prefix: str) -> list[tuple[str, str]]:
    """Suggestions for ``kind`` starting with ``prefix``; none when the store is missing or unreadable."""
    from ops_cli.context import Ops
    from ops_cli.store import completion as sql

    root = ctx.find_root().params
    try:
        ops = Ops.open(root.get("config"), root.get("db"))
    except Exception:
        return []
    ops.must_exist = True  # completing never creates a store
    try:
        query = {"customer": sql.customer_numbers, "case": sql.case_numbers, "email": sql.roster_emails}[kind]
        return query(ops.store, prefix)
    except Exception:  # a missing, locked or damaged store: no suggestions, no noise
        return []
    finally:
        ops.close()


class _StoreValues:
    """Mixed into Typer's completion classes: store values for the parameters above."""

    def get_completions(self, args: list[str], incomplete: str) -> list[Any]:
        from click.shell_completion import CompletionItem, _resolve_context, _resolve_incomplete

        try:
            ctx = _resolve_context(self.cli, self.ctx_args, self.prog_name, args)
            param, typed = _resolve_incomplete(ctx, args, incomplete)
        except Exception:
            return super().get_completions(args, incomplete)
        kind = value_kind(ctx, param)
        if kind is None:
            return super().get_completions(args, incomplete)
        return [CompletionItem(value, help=str(help_)) for value, help_ in store_values(ctx, kind, typed)]


def prepare() -> None:
    """Register the completion classes (before the shell's request is answered)."""
    import click.shell_completion
    from typer import _completion_classes as classes

    for shell, base in (
        ("bash", classes.BashComplete),
        ("zsh", classes.ZshComplete),
        ("fish", classes.FishComplete),
    ):
        click.shell_completion.add_completion_class(
            type(f"Ops{base.__name__}", (_StoreValues, base), {}), shell
        )


def script(shell: str) -> str:
    """The completion script of ``shell`` (bash, zsh or fish)."""
    from typer._completion_shared import get_completion_script

    return get_completion_script(prog_name=PROG, complete_var=COMPLETE_VAR, shell=str(shell))


# ---------------------------------------------------------------- installing
def _rc_line(rc: Path, line: str) -> None:
    """Add ``line`` to a shell start-up file unless it is there already."""
    try:
        old = rc.read_text(encoding="utf-8")
    except FileNotFoundError:
        old = ""
    if line in old.splitlines():
        return
    files.write_text(rc, old + ("" if not old or old.endswith("\n") else "\n") + line + "\n", force=True)


def install(shell: str | None = None, home: Path | None = None) -> tuple[str, Path]:
    """Write the completion script where ``shell`` looks for it (and source it from its rc file)."""
    from ops_cli.errors import InvalidInput

    shell = shell or Path(os.environ.get("SHELL", "")).name
    if shell not in Shell.__members__:
        raise InvalidInput(
            f"cannot tell the shell ({shell or 'no $SHELL'}); use `ops completion bash|zsh|fish`"
        )
    home = home or Path.home()
    target = {
        "bash": home / ".bash_completions" / "ops.sh",
        "zsh": home / ".zfunc" / "_ops",
        "fish": home / ".config" / "fish" / "completions" / "ops.fish",
    }[shell]
    target.parent.mkdir(parents=True, exist_ok=True)
    files.write_text(target, script(shell), force=True)
    if shell == "bash":
        _rc_line(home / ".bashrc", f"source {target}")
    elif shell == "zsh":
        for line in ("fpath+=~/.zfunc", "autoload -Uz compinit", "compinit"):
            _rc_line(home / ".zshrc", line)
    return shell, target


def install_option(value: bool) -> None:
    """The root's eager `--install-completion`."""
    if not value:
        return
    from ._output import info
    from ._runtime import exit_code_for

    try:
        shell, target = install()
    except Exception as exc:
        raise typer.Exit(exit_code_for(exc)) from None
    info(f"{shell} completion installed in {target}; it works in new shells")
    raise typer.Exit()


# ---------------------------------------------------------------- commands
completion_app = typer.Typer(add_completion=False)


@completion_app.command("completion")
def completion(
    shell: Annotated[Shell, typer.Argument(help="bash, zsh or fish.", case_sensitive=False)],
) -> None:
    """Print the shell completion script: commands, options, customer and case numbers, roster emails.

    Examples:

      ops completion bash > ~/.bash_completions/ops.sh

      eval "$(ops completion zsh)"

      ops completion fish > ~/.config/fish/completions/ops.fish

    `ops --install-completion` does the same for your $SHELL.
    """
    from ._output import emit_text

    emit_text(script(shell.value))


man_app = typer.Typer(add_completion=False)


@man_app.command("man")
def man(
    folder: Annotated[
        Path, typer.Option("--dir", metavar="DIR", help="Folder for the pages (created if missing).")
    ] = Path("man/man1"),
    force: Annotated[bool, typer.Option("--force", help="Replace pages that exist.")] = False,
) -> None:
    """Write man pages (roff) for `ops` and every command into DIR: ops.1, ops-case-list.1...

    Example:

      ops man --dir ~/.local/share/man/man1 --force && man ops-case-list
    """
    from ._mangen import write_pages
    from ._output import info

    written = write_pages(folder, force=force)
    info(f"wrote {len(written)} man pages to {folder}")

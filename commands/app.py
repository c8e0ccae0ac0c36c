"""The root `ops` command: global options, lazily loaded groups, error mapping."""

import gc
import importlib
import os
import sys
from typing import Annotated, Any

import click
import typer
from typer.core import TyperGroup

from ops_cli import __version__
from ops_cli.errors import ExitStatus

from ._output import StdoutError, set_quiet
from ._runtime import State, err, exit_code_for, flush_stdout, interrupted, silence_stdout
from ._scripting import hoist_globals, name_stdin, never_one

# name -> (module under commands/, attribute holding the Typer app). Groups are
# imported only when used, so `ops case list` loads the case module alone.
GROUPS: dict[str, tuple[str, str]] = {
    "roster": ("roster", "app"),
    "sub": ("sub", "app"),
    "case": ("case", "app"),
    "sla": ("sla", "app"),
    "swap": ("swap", "app"),
    "report": ("report", "app"),
    "init": ("admin", "init_app"),
    "config": ("admin", "config_app"),
    "db": ("admin", "db_app"),
    "undo": ("undo", "app"),
    "completion": ("completion", "completion_app"),
    "man": ("completion", "man_app"),
}

# The first paragraph of each group's help, so that the plain `ops --help` (to a pipe) lists
# the groups without importing all of them (half its start-up). tests/startup keeps these
# equal to the groups' own help.
SUMMARIES: dict[str, str] = {
    "roster": "Customers and their authorised people: orderers, contacts, telephony responsibles "
    "and viewers. Import and export Excel rosters; check who may do what (`ops roster can`).",
    "sub": "Radio subscriptions (ISSI/TEI): import, list, activate/deactivate, bulk ISSI/TEI "
    "change orders with promised delivery dates and their delivery, orders of new "
    "subscriptions and add-ons, decommissioning.",
    "case": "Support cases: open, route to departments, thread and status, classification, "
    "third-party access, feedback callbacks and stale lists.",
    "sla": "SLA tiers (bronze/silver/gold), eligibility, support codes, business-hours callback "
    "timers and KPI (CSSR/CTSR) data.",
    "swap": "Spare-phone (swap) stock sized at 8 % of the fleet: units, shipping with "
    "next-working-day delivery, returns, refills and freight billing.",
    "report": "Reports: the quarterly SLA report (terminal, Markdown, CSV, JSON, Excel, "
    "printable HTML), the reports due in a quarter, quality and delivery reports.",
    "init": "Create the config file (a commented template, only if missing) and the store.",
    "config": "Show and change the configuration (TOML; `set` keeps comments and layout).",
    "db": "Store administration: backup, integrity check, audit log.",
    "undo": "Revert a whole changeset (one command's changes) in one transaction.",
    "completion": "Print the shell completion script: commands, options, customer and case "
    "numbers, roster emails.",
    "man": "Write man pages (roff) for `ops` and every command into DIR: ops.1, ops-case-list.1...",
}


class OpsGroup(TyperGroup):
    """Root group: loads sub-groups on demand and maps core errors to exit codes."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(GROUPS)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        groups = [*GROUPS, *self.commands]
        return super().parse_args(ctx, hoist_globals(args, groups, self._value_options(ctx, args, groups)))

    def _value_options(self, ctx: Any, args: list[str], groups: list[str]) -> set[str]:
        """The options that take a value on the command path the arguments name (group, then its
        subcommands), so that such a value is never mistaken for a global option."""
        names: set[str] = set()
        try:
            command = next((self.get_command(ctx, a) for a in args if a in groups), None)
            for token in args:
                if command is None:
                    break
                for param in command.params:
                    if isinstance(param, click.Option) and not param.is_flag and not param.count:
                        names.update(param.opts + param.secondary_opts)
                sub = command.get_command(ctx, token) if isinstance(command, click.Group) else None
                if sub is not None:
                    command = sub
        except Exception:  # a typo in a name: click reports it while parsing, not here
            return names
        return names

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in GROUPS:
            module_name, attribute = GROUPS[cmd_name]
            module = importlib.import_module(f"ops_cli.commands.{module_name}")
            command = _lazy_group(getattr(module, attribute))
            command.name = cmd_name
            self.commands[cmd_name] = command
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The plain command list: groups not loaded yet are listed from SUMMARIES."""
        rows = [(name, self.commands.get(name)) for name in self.list_commands(ctx)]
        rows = [(name, command) for name, command in rows if command is None or not command.hidden]
        limit = formatter.width - 6 - max(len(name) for name, _ in rows)
        with formatter.section("Commands"):
            formatter.write_dl(
                [
                    (
                        name,
                        command.get_short_help_str(limit)
                        if command is not None
                        else click.utils.make_default_short_help(SUMMARIES[name], limit),
                    )
                    for name, command in rows
                ]
            )

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise  # usage errors and explicit exits keep click's handling (exit 2...)
        except KeyboardInterrupt:  # Ctrl-C: say whether the change was saved (typer exits 130)
            interrupted(ctx.obj)
            raise
        except Exception as exc:  # the one place core errors become exit codes
            name_stdin(exc)  # an import from `-`: errors name <stdin>, not the temp copy
            raise typer.Exit(never_one(ctx, exit_code_for(exc))) from None
        finally:
            if isinstance(ctx.obj, State):
                ctx.obj.close()


app = typer.Typer(
    cls=OpsGroup,
    name="ops",
    help=(
        "Back-office toolkit for a TETRA radio and business-mobile support desk: rosters, "
        "subscriptions, cases, SLAs, swap phones and reports on one SQLite store.\n\n"
        "Start with `ops init --demo`, then try `ops roster customer list`."
    ),
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class LazySubcommands(TyperGroup):
    """A group whose commands are converted from Typer only when used.

    Converting a command makes Typer inspect its signature; doing that for the
    one command being run, not for all twenty of its group, keeps start-up low.
    """

    _pending: dict[str, Any]
    _order: list[str]
    _app: Any

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self._order)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in self._pending:
            self.commands[cmd_name] = typer.main.get_command_from_info(
                self._pending.pop(cmd_name),
                pretty_exceptions_short=self._app.pretty_exceptions_short,
                rich_markup_mode=self.rich_markup_mode,
            )
        return self.commands.get(cmd_name)


def _lazy_group(typer_app: typer.Typer) -> Any:
    """The click group of a command module, its commands converted on demand."""
    if typer_app.registered_callback is None:
        return typer.main.get_command(typer_app)
    infos = list(typer_app.registered_commands)
    typer_app.registered_commands = []
    try:
        group = typer.main.get_command(typer_app)  # options, help and sub-groups only
    finally:
        typer_app.registered_commands = infos
    if type(group) is not TyperGroup:
        return typer.main.get_command(typer_app)
    group.__class__ = LazySubcommands
    group._pending = {
        info.name or typer.main.get_command_name(info.callback.__name__): info for info in infos
    }
    group._order = [*group._pending, *group.commands]
    group._app = typer_app
    return group


def _install_completion(value: bool) -> None:
    if value:
        from .completion import install_option

        install_option(value)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ops {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db", metavar="PATH", help="Store file (else $OPS_DB, else config `db`, else the data folder)."
        ),
    ] = None,
    config: Annotated[
        str | None,
        typer.Option(
            "--config", metavar="PATH", help="Config file (else $OPS_CONFIG, else the config folder)."
        ),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No messages or progress bars on stderr.")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
    install_completion: Annotated[
        bool,
        typer.Option(
            "--install-completion",
            callback=_install_completion,
            is_eager=True,
            help="Install shell completion for your $SHELL (bash, zsh, fish) and exit.",
        ),
    ] = False,
) -> None:
    ctx.obj = State(config_path=config, db_path=db, quiet=quiet)
    set_quiet(quiet)


def usage_error(exc: click.UsageError) -> int:
    """A usage error: one `error:` line and a hint (typer's boxed message on a terminal)."""
    if isinstance(exc, click.exceptions.NoArgsIsHelpError):
        if typer.core.HAS_RICH:
            exc.show()  # `ops` or `ops case` alone: the help text (rich prints it to stdout)
            return ExitStatus.USAGE
        try:  # plain help: to stdout as well, like --help
            click.echo(exc.ctx.get_help(), color=exc.ctx.color)
        except BrokenPipeError:  # cut short by a closed pipe: no error
            silence_stdout()
            return ExitStatus.OK
        return ExitStatus.USAGE
    message = " ".join(exc.format_message().split())
    given = isinstance(exc, click.BadParameter) and not isinstance(exc, click.MissingParameter)
    kind = getattr(exc.param, "type", None) if given else None  # a missing one is usage (exit 2)
    if isinstance(kind, click.Path):
        # A file argument that is missing or unreadable: an OS error on input (exit 3), not usage.
        err(f"error: {message}")
        return ExitStatus.INVALID
    if isinstance(kind, click.types._NumberParamTypeBase):
        # A number that is no number or out of range: invalid input (exit 3) with the range.
        err(f"error: {message}{_allowed(kind, message)}")
        return ExitStatus.INVALID
    if sys.stderr.isatty():
        from typer import rich_utils

        rich_utils.rich_format_error(exc)
        return ExitStatus.USAGE
    path = exc.ctx.command_path if exc.ctx is not None else "ops"
    err(f"error: {message}")
    err(f"  see `{path} --help`")
    return ExitStatus.USAGE


def _allowed(kind: Any, message: str) -> str:
    if isinstance(kind, click.types._NumberRangeBase):
        described = kind._describe_range()
        return "" if described in message else f" Allowed: {described}."
    return ""


def _stdout_file() -> tuple[int, int, int] | None:
    try:
        info = os.fstat(1)
    except OSError:
        return None
    return info.st_dev, info.st_ino, info.st_rdev


def run(args: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (usage errors and OS errors mapped)."""
    before, stream = _stdout_file(), sys.stdout
    try:
        return _run(args)
    except SystemExit as exc:
        # Rich (help on a terminal) meets a closed pipe by pointing stdout at /dev/null and
        # exiting 1; typer (plain help) by wrapping sys.stdout and exiting 1. A help text cut
        # short is no error, like any other output cut short.
        if exc.code == 1 and _stdout_file() != before and _stdout_file() == _devnull_file():
            return ExitStatus.OK
        wrapped = isinstance(sys.stdout, click.utils.PacifyFlushWrapper)
        if exc.code == 1 and sys.stdout is not stream and wrapped:
            silence_stdout()
            return ExitStatus.OK
        raise


def _devnull_file() -> tuple[int, int, int] | None:
    try:
        info = os.stat(os.devnull)
    except OSError:
        return None
    return info.st_dev, info.st_ino, info.st_rdev


def _run(args: list[str] | None) -> int:
    words = sys.argv[1:] if args is None else list(args)
    words = words[: words.index("--")] if "--" in words else words
    if sys.stdout is None and {"-h", "--help", "--version"} & set(words):
        import errno  # help or version with stdout closed (`ops --help >&-`): as every other command

        return exit_code_for(StdoutError(errno.EBADF, "it is closed"))
    if "_OPS_COMPLETE" in os.environ:  # the shell asks for completions
        from .completion import prepare

        prepare()
    rich_before = typer.core.HAS_RICH
    # Help for a pipe or a file: click's plain formatter, without loading rich (~40 ms).
    typer.core.HAS_RICH = rich_before and _stdout_is_terminal()
    try:
        result = typer.main.get_command(app).main(args=args, prog_name="ops", standalone_mode=False)
    except click.UsageError as exc:
        return usage_error(exc)
    except click.exceptions.Abort:
        err("error: aborted")
        return ExitStatus.NO
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except BrokenPipeError:  # help or output cut short by a closed pipe
        silence_stdout()
        return ExitStatus.OK
    except OSError as exc:  # writing the help text failed (a full disk, a closed stdout)
        return exit_code_for(exc if exc.filename else StdoutError(exc.errno, exc.strerror))
    finally:
        typer.core.HAS_RICH = rich_before
    return result if isinstance(result, int) else ExitStatus.OK


def _stdout_is_terminal() -> bool:
    try:
        return sys.stdout is not None and sys.stdout.isatty()
    except (OSError, ValueError):  # a closed or detached stream
        return False


def main() -> None:
    """The `ops` program (one command a process)."""
    # What start-up made so far (modules, classes, Typer's and click's tables) lives until the
    # process ends: frozen, the cyclic collector no longer walks it, neither during the command
    # nor in the collection at exit (a few ms of a short command; start-up, issue 16). Objects
    # made from here on are collected as before. Not in `run`, which a program may call often.
    gc.freeze()
    code = run()
    if code:  # the error is said already: a failing final flush adds nothing
        try:
            if sys.stdout is not None:
                sys.stdout.flush()
        except OSError:
            silence_stdout()
        sys.exit(code)
    sys.exit(flush_stdout())

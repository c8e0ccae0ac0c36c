"""The root `ops` command: global options, lazily loaded groups, error mapping."""

import importlib
from typing import Annotated, Any

import click
import typer
from typer.core import TyperGroup

from ops_cli import __version__

from ._output import set_quiet
from ._runtime import State, exit_code_for, silence_stdout

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
}


class OpsGroup(TyperGroup):
    """Root group: loads sub-groups on demand and maps core errors to exit codes."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(GROUPS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in GROUPS:
            module_name, attribute = GROUPS[cmd_name]
            module = importlib.import_module(f"ops_cli.commands.{module_name}")
            command = _lazy_group(getattr(module, attribute))
            command.name = cmd_name
            self.commands[cmd_name] = command
        return self.commands.get(cmd_name)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise  # usage errors and explicit exits keep click's handling (exit 2...)
        except Exception as exc:  # the one place core errors become exit codes
            raise typer.Exit(exit_code_for(exc)) from None
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
) -> None:
    ctx.obj = State(config_path=config, db_path=db, quiet=quiet)
    set_quiet(quiet)


def main() -> None:
    try:
        typer.main.get_command(app).main(prog_name="ops")
    except BrokenPipeError:  # help or output cut short by a closed pipe
        silence_stdout()

"""Option types shared by every command, declared once."""

from enum import StrEnum
from typing import Annotated

import click
import typer

from ops_cli.errors import InvalidInput

#: The largest --limit (SQLite's 64-bit integers).
LIMIT_MAX = 2**63 - 1


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    md = "md"


FormatOpt = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        "-f",
        help="Output: table (aligned; rich on a terminal), json (one document), jsonl (one JSON object "
        "a line), csv or md.",
        case_sensitive=False,
    ),
]


def _listing_option(key: str):
    """A callback that leaves the option's value where ``_output.emit`` finds it
    (``ctx.meta``, shared by this invocation's contexts only)."""

    def remember(ctx: typer.Context, value):
        ctx.meta[f"ops.output.{key}"] = value
        return value

    return remember


#: Listing options: ``emit`` applies them to whatever list the command prints (the rows are
#: streamed, so ``--limit`` stops reading the store cursor too).
class _LimitRange(click.IntRange):
    """1..2^63-1. No number, or one out of range, is invalid input (exit 3, naming the range)
    on every path, an in-process run included (click's own error would be usage, exit 2)."""

    def convert(self, value, param, ctx):
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter as exc:
            described = self._describe_range()
            allowed = "" if described in exc.message else f" Allowed: {described}."
            raise InvalidInput(f"Invalid value for '--limit' / '-n': {exc.message}{allowed}") from None


LimitOpt = Annotated[
    int | None,
    typer.Option(
        "--limit",
        "-n",
        click_type=_LimitRange(1, LIMIT_MAX),
        metavar="N",
        callback=_listing_option("limit"),
        help="Show at most this many rows.",
    ),
]
ColumnsOpt = Annotated[
    str | None,
    typer.Option(
        "--columns",
        metavar="A,B,C",
        callback=_listing_option("columns"),
        help="Only these fields, in this order (comma list; every format).",
    ),
]
WideOpt = Annotated[
    bool,
    typer.Option(
        "--wide",
        callback=_listing_option("wide"),
        help="On a terminal, show every value whole (tables are otherwise cut to the width with …).",
    ),
]
ByOpt = Annotated[
    str | None,
    typer.Option(
        "--by",
        metavar="EMAIL",
        help="Who asks for the change (checked against the roster); default: the desk's operator.",
    ),
]
DryRunOpt = Annotated[
    bool,
    typer.Option("--dry-run", help="Validate everything and show what would change; write nothing."),
]
AtOpt = Annotated[
    str | None,
    typer.Option(
        "--at",
        metavar="TIME",
        help="Use this moment instead of now (ISO 8601; without an offset it is desk-local time).",
    ),
]
CustomerOpt = Annotated[
    str | None, typer.Option("--customer", "-c", metavar="NUMBER", help="Customer number.")
]


ForceOpt = Annotated[bool, typer.Option("--force", help="Replace the output file if it exists.")]


ExitStatusOpt = Annotated[
    bool,
    typer.Option(
        "--exit-status",
        help="Exit 1 when anything is listed, 0 when nothing (for cron; with -q nothing is printed).",
    ),
]


def __getattr__(name: str):
    """The reader options of the `import` commands live in ``_import_opts`` (a command that
    imports nothing does not build their enum: start-up, issue 16); kept here by name."""
    if name in ("Delimiter", "DelimiterOpt", "SheetOpt"):
        from . import _import_opts

        return getattr(_import_opts, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

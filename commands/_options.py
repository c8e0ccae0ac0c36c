"""Option types shared by every command, declared once."""

from enum import StrEnum
from typing import Annotated

import typer


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"


FormatOpt = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        "-f",
        help="Output: table (aligned; rich on a terminal), json (one document), csv or md.",
        case_sensitive=False,
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
LimitOpt = Annotated[int | None, typer.Option("--limit", "-n", min=1, help="Show at most this many.")]

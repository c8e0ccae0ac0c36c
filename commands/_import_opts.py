"""What every `import` command shares beyond the shared options: the rejected-rows --force, the
reader options passed through, and the stderr line naming the sheet that was read."""

from enum import StrEnum
from typing import Annotated

import typer

from ._output import info
from ._scripting import stdin_named

__all__ = ["Delimiter", "DelimiterOpt", "RejectedForceOpt", "SheetOpt", "say_sheet", "sheet_kwargs"]


class Delimiter(StrEnum):
    comma = ","
    semicolon = ";"
    tab = "tab"


SheetOpt = Annotated[
    str | None,
    typer.Option(
        "--sheet",
        metavar="NAME",
        help="The workbook's sheet to read (default: the only visible sheet, else the active one; "
        "a hidden sheet only by name).",
    ),
]
DelimiterOpt = Annotated[
    Delimiter | None,
    typer.Option(
        "--delimiter",
        help="The CSV field separator: ',', ';' or 'tab' (default: detected from the header row).",
        case_sensitive=False,
    ),
]

RejectedForceOpt = Annotated[
    bool, typer.Option("--force", help="Replace an existing rejected-rows file (FILE.rejected.csv).")
]


def sheet_kwargs(sheet: str | None, delimiter: str | None) -> dict:
    """The reader options a user gave (only those)."""
    out: dict = {}
    if sheet is not None:
        out["sheet"] = sheet
    if delimiter is not None:
        out["delimiter"] = delimiter
    return out


def say_sheet(result: dict) -> None:
    """Tell stderr which sheet of a workbook was read."""
    stdin_named(result)  # `-`: the result and this line name <stdin>, not the temp copy
    sheet = result.get("sheet")
    if sheet:
        info(f"read sheet {sheet!r} of {result.get('file') or 'the workbook'}")

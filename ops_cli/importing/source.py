"""Step 1 and 2 of an import: read the sheet and map its headers to the wanted columns.

Reading is the sheets module's (``ops_cli.sheets.read_table`` / ``read_columns``):
it finds the header row, maps headers and aliases to the columns' canonical names
and refuses a file it cannot read. This module only passes the import's options
through (``sheet``, ``delimiter``, ``progress``) and says which sheet was read.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ops_cli import sheets
from ops_cli.sheets import Column
from ops_cli.sheets.stream import CHUNK, iter_columns

Progress = Callable[[int], None] | None


@dataclass(frozen=True)
class Options:
    """What the user asked of one import (the shared command-line options)."""

    dry_run: bool = False
    skip_invalid: bool = False
    by: str | None = None
    sheet: str | None = None
    delimiter: str | None = None
    force: bool = False  # replace an existing rejected-rows file
    progress: Progress = None


def _reader_kwargs(options: Options) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"progress": options.progress}
    if options.sheet is not None:
        kwargs["sheet"] = options.sheet
    if options.delimiter is not None:
        kwargs["delimiter"] = options.delimiter
    return kwargs


def read_rows(path: str | os.PathLike[str], columns: Sequence[Column], options: Options) -> sheets.Table:
    """The sheet as rows (``Table``: ``.file``, ``.headers``, ``.rows`` of ``SheetRow``)."""
    return sheets.read_table(path, columns, **_reader_kwargs(options))


def read_by_column(
    path: str | os.PathLike[str], columns: Sequence[Column], options: Options
) -> sheets.Columns:
    """The sheet column by column (``Columns``): the fast path of the big imports."""
    return sheets.read_columns(path, columns, **_reader_kwargs(options))


def read_chunks(
    path: str | os.PathLike[str], columns: Sequence[Column], options: Options, chunk: int = CHUNK
) -> Iterator[sheets.Columns]:
    """The sheet in ``Columns`` chunks of at most ``chunk`` rows (the streaming imports)."""
    return iter_columns(path, columns, chunk=chunk, **_reader_kwargs(options))


def sheet_name(source: object) -> str | None:
    """The name of the sheet that was read (None for CSV or a reader that does not say)."""
    return getattr(source, "sheet", None)


def has_column(source: sheets.Table | sheets.Columns, column: Column) -> bool:
    """Whether the file's header names ``column`` (by its name or an alias)."""
    keys = {sheets.header_key(n) for n in (column.name, *column.aliases)}
    return any(sheets.header_key(h) in keys for h in source.headers if h)

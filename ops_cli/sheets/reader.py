"""``read_table`` and ``read_columns``: the one reader of every sheet a command imports."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from ops_cli.sheets.columns import build_columns, wanted_keys
from ops_cli.sheets.csv_reader import csv_source, delimiter_of
from ops_cli.sheets.inputs import XLSX_EXTENSIONS, check_extension
from ops_cli.sheets.model import Column, Columns, Table
from ops_cli.sheets.xlsx_reader import DEFAULT_MAX_COLUMNS, DEFAULT_MAX_ROWS, xlsx_source


def read_table(
    path: str | os.PathLike[str],
    columns: Sequence[Column],
    *,
    sheet: str | None = None,
    delimiter: str | None = None,
    progress: Callable[[int], None] | None = None,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_columns: int = DEFAULT_MAX_COLUMNS,
) -> Table:
    """Read a .xlsx/.xlsm/.csv/.tsv/.txt file into rows keyed by the wanted columns' canonical names.

    ``sheet`` names the worksheet to read (see ``xlsx_reader.choose_sheet`` for the default);
    ``delimiter`` forces the CSV delimiter (``,``, ``;`` or ``tab``; default: sniffed on the
    header row). ``max_rows``/``max_columns`` bound a workbook's data (config ``import.*``).
    """
    with no_gc():
        cols = read_columns(
            path,
            columns,
            sheet=sheet,
            delimiter=delimiter,
            progress=progress,
            max_rows=max_rows,
            max_columns=max_columns,
        )
        return Table(file=cols.file, headers=cols.headers, rows=cols.rows(), sheet=cols.sheet)


def read_columns(
    path: str | os.PathLike[str],
    columns: Sequence[Column],
    *,
    sheet: str | None = None,
    delimiter: str | None = None,
    progress: Callable[[int], None] | None = None,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_columns: int = DEFAULT_MAX_COLUMNS,
) -> Columns:
    """``read_table`` column by column: the same checks and errors, without a dict per row."""
    file = str(path)
    ext = check_extension(file)
    with no_gc():
        if ext in XLSX_EXTENSIONS:
            source = xlsx_source(file, sheet, max_rows=max_rows, max_columns=max_columns)
        else:
            delimiter_of(file, delimiter)  # a bad forced delimiter is refused before reading
            source = csv_source(file, set(wanted_keys(columns)), delimiter)
        return build_columns(file, source, columns, progress)


@contextmanager
def no_gc() -> Iterator[None]:
    """The cyclic garbage collector paused for a bulk load.

    Reading 100k rows makes ~half a million small dicts and tuples, none of
    them in reference cycles; the collector would scan them again and again
    (10-15 % of an import). Reference counting still frees everything.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

"""Spreadsheets in and out: one reader and one writer for every bulk command.

- ``read_table`` / ``read_columns`` (``reader.py``) read .xlsx/.xlsm with python-calamine
  (``xlsx_reader.py``: which sheet, bounded by the cells that hold data, ``xlsx_scan.py``) and
  .csv/.tsv/.txt with the csv module (``csv_reader.py``: strict UTF-8 / UTF-16 / Windows-1252,
  delimiter sniffed on the header row). Columns are found by name or alias, case-insensitively,
  with spaces, underscores and hyphens treated alike; unknown columns are ignored
  (``columns.py``). Every problem with the *file* (missing, unreadable, a folder or FIFO, not a
  spreadsheet, too big, ambiguous sheets, empty, missing/duplicate/blank headers, a cell over
  1 MB or holding a control character) raises ``InvalidInput`` with ``Problem``s that carry the
  sheet's own row numbers (the header is row 1). Problems with *values* are the caller's.
- ``write_table`` (``writer.py``) streams rows to .xlsx or .csv through ``ops_cli.files``.
"""

from ops_cli.sheets.cells import MAX_CELL, cell_date, cell_text, column_letter, header_key
from ops_cli.sheets.inputs import READ_EXTENSIONS
from ops_cli.sheets.model import Column, Columns, SheetRow, Table, describe_columns
from ops_cli.sheets.reader import no_gc, read_columns, read_table
from ops_cli.sheets.writer import WRITE_EXTENSIONS, write_table
from ops_cli.sheets.xlsx_reader import DEFAULT_MAX_COLUMNS, DEFAULT_MAX_ROWS

__all__ = [
    "DEFAULT_MAX_COLUMNS",
    "DEFAULT_MAX_ROWS",
    "MAX_CELL",
    "READ_EXTENSIONS",
    "WRITE_EXTENSIONS",
    "Column",
    "Columns",
    "SheetRow",
    "Table",
    "cell_date",
    "cell_text",
    "column_letter",
    "describe_columns",
    "header_key",
    "no_gc",
    "read_columns",
    "read_table",
    "write_table",
]

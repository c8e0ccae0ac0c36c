"""Cells and headers as text, column letters, limits, and the one error for a bad file."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from ops_cli.errors import InvalidInput, Problem
from ops_cli.parsers.dates import cell_date  # the one date-cell parser (``sheets.cell_date`` kept)

MAX_CELL = 1_000_000  # characters; a bigger cell is refused (row and column named), CSV and xlsx alike
EXCEL_MAX_CELL = 32_767  # Excel's own limit; openpyxl silently cuts longer text, so the writer refuses it
# Control characters (not tab, line feed, carriage return): a file holding them is binary or hostile.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SEPARATORS = re.compile(r"[\s_\-]+")


def header_key(text: str) -> str:
    """A header as compared: trimmed, lower-case, runs of spaces/underscores/hyphens as one ``_``."""
    return _SEPARATORS.sub("_", text.strip().lower()).strip("_")


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """A -> 1, Z -> 26, AA -> 27 (1-based, as Excel counts)."""
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


def cell_text(value: object) -> str:
    """A cell as text: integral numbers without ``.0``, dates ISO, booleans true/false."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        if value.time() == time(0, 0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value).strip()


def fail(file: str, message: str, row: int | None = None, column: str | None = None) -> InvalidInput:
    """The one error for a bad input file (exit 3): ``file:row: column: message``."""
    problem = Problem(message, file, row, column)
    return InvalidInput(str(problem), [problem])


__all__ = [
    "CONTROL",
    "EXCEL_MAX_CELL",
    "MAX_CELL",
    "cell_date",
    "cell_text",
    "column_index",
    "column_letter",
    "fail",
    "header_key",
]

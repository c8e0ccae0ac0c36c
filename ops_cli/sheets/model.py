"""What the reader returns: rows (``Table``) or columns (``Columns``), and what callers ask for."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ops_cli.errors import InvalidInput


@dataclass(frozen=True)
class Column:
    """A column a caller wants: its canonical key, other accepted headers, required or not."""

    name: str
    aliases: tuple[str, ...] = ()
    required: bool = True


@dataclass
class SheetRow:
    row: int  # the sheet's own row number (header = row 1)
    values: dict[str, str]  # canonical name -> trimmed text ("" when empty)
    # canonical name -> cell as read (int/float/bool/date/datetime/str, None when empty); for CSV
    # every cell is text, so raw is values itself ("" when empty)
    raw: dict[str, object] = field(default_factory=dict)


@dataclass
class Table:
    file: str
    headers: list[str]
    rows: list[SheetRow]
    sheet: str | None = None  # the worksheet read (None for CSV)


@dataclass
class Columns:
    """A sheet read column by column: the fast path for bulk imports (``read_columns``).

    ``values[name][i]`` is the trimmed text of data row ``i`` ("" when empty) and
    ``numbers[i]`` that row's own number in the sheet. ``cells`` holds the cells
    as read (for CSV: ``values`` itself). ``sheet`` names the worksheet read (None for CSV).
    """

    file: str
    headers: list[str]
    numbers: list[int]
    values: dict[str, list[str]]
    cells: dict[str, Sequence[object]]
    text_only: bool
    sheet: str | None = None

    def __len__(self) -> int:
        return len(self.numbers)

    def raw(self, name: str) -> list[object]:
        """One column as ``SheetRow.raw`` holds it: cells as read, None when empty (CSV: the text)."""
        texts = self.values[name]
        if self.text_only:
            return texts
        return [
            None if c.__class__ is str and not t else c for c, t in zip(self.cells[name], texts, strict=True)
        ]

    def row(self, i: int) -> SheetRow:
        """Data row ``i`` as a ``SheetRow``."""
        values = {name: texts[i] for name, texts in self.values.items()}
        if self.text_only:
            return SheetRow(self.numbers[i], values, values)
        raw: dict[str, object] = {}
        for name, cells in self.cells.items():
            cell = cells[i]
            raw[name] = None if cell.__class__ is str and not values[name] else cell
        return SheetRow(self.numbers[i], values, raw)

    def rows(self) -> list[SheetRow]:
        """Every data row as a ``SheetRow`` (what ``read_table`` returns)."""
        names = list(self.values)
        value_dicts = list(
            map(dict, map(zip, itertools.repeat(names), zip(*self.values.values(), strict=True)))
        )
        if self.text_only:
            return list(map(SheetRow, self.numbers, value_dicts, value_dicts))
        raw_dicts = list(
            map(dict, map(zip, itertools.repeat(names), zip(*map(self.raw, names), strict=True)))
        )
        return list(map(SheetRow, self.numbers, value_dicts, raw_dicts))


@dataclass
class Source:
    """Rows as a reader gave them, before the header is found."""

    rows: list[list]  # every row read, from the sheet's row 1
    col_offset: int  # column of the first cell (for letters in messages)
    text_only: bool  # CSV: every cell is text
    error: InvalidInput | None = None  # the reader failed after ``rows``: raised where reading reached it
    longest_cell: int | None = None  # a bound on every cell's length when known cheaply (CSV)
    sheet: str | None = None  # the worksheet read (None for CSV)
    # A lazy reader's failure while ``rows`` is iterated, as the file's error (``sheets.stream``
    # translates it where it catches it, so the rows need no wrapper of their own).
    fail: Callable[[BaseException], InvalidInput] | None = None


def describe_columns(columns: Sequence[Column]) -> str:
    """``customer (or kundnummer)`` ... for help texts and messages."""
    return ", ".join(c.name + (f" ({'/'.join(c.aliases)})" if c.aliases else "") for c in columns)

"""Spreadsheets in and out: one reader and one writer for every bulk command.

``read_table`` reads .xlsx/.xlsm with python-calamine (fast) and .csv with the
standard csv module (comma or semicolon; UTF-8 with or without BOM, else
Windows-1252). Columns are found by name or alias, case-insensitively, with
spaces, underscores and hyphens treated alike; unknown columns are ignored.
Every problem with the *file* (missing, not a spreadsheet, empty, missing or
duplicate or blank headers, a cell over 1 MB) raises ``InvalidInput`` with
``Problem``s that carry the sheet's own row numbers (the header is row 1).
Problems with *values* are the caller's to find and report. ``read_columns``
does the same reading and checks but returns the sheet column by column
(``Columns``: a list per column, no dict per row), the fast path of the
100k-row roster import.

``write_table`` writes .xlsx with openpyxl (bold frozen header, autofilter,
sensible widths, text always as string cells, never formulas) or .csv (UTF-8
with BOM, every text cell through ``render.safe_cell``).
"""

from __future__ import annotations

import csv
import gc
import itertools
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from operator import itemgetter
from pathlib import Path

from ops_cli.errors import InvalidInput, Problem

MAX_CELL = 1_000_000  # characters; a bigger cell is refused (row and column named)
READ_EXTENSIONS = (".xlsx", ".xlsm", ".csv")
WRITE_EXTENSIONS = (".xlsx", ".csv")
_PROGRESS_EVERY = 1000
_TITLE_ROWS = 10  # non-empty rows searched for the header row
_EXCEL_EPOCH = date(1899, 12, 30)  # serial 0 in the 1900 date system (with Lotus's leap-year bug)
_BINARY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SEPARATORS = re.compile(r"[\s_\-]+")
_NOT_CONTROL = bytes(b for b in range(256) if not _BINARY.match(chr(b)))  # bytes.translate deletes these
# Line breaks str.splitlines knows but csv/io do not (\v, \f and \x1c-\x1e are refused as binary).
_OTHER_LINE_BREAKS = ("\x85", "\u2028", "\u2029")


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


# ------------------------------------------------------------------ cells
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


def cell_date(value: object) -> date | None:
    """A date cell: date/datetime objects, Excel serial numbers (1900 system) or ISO ``YYYY-MM-DD`` text.

    Empty cells give None; anything else raises ``ValueError`` with a message for the user.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise ValueError(f"not a date: {value!r}")
    if isinstance(value, int | float):
        if not 1 <= value < 2958466:  # 1900-01-01 .. 9999-12-31
            raise ValueError(f"not a date: {value!r} is outside Excel's date range")
        return _EXCEL_EPOCH + timedelta(days=int(value))
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if re.fullmatch(r"\d{1,7}(\.0+)?", text):
            return cell_date(float(text))
        try:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                return date.fromisoformat(text)
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?", text):
                return datetime.fromisoformat(text).date()
        except ValueError:
            pass
        raise ValueError(f"not a date: {text!r} (use YYYY-MM-DD)")
    raise ValueError(f"not a date: {value!r}")


# ------------------------------------------------------------------ reading
@dataclass
class Columns:
    """A sheet read column by column: the fast path for bulk imports (``read_columns``).

    ``values[name][i]`` is the trimmed text of data row ``i`` ("" when empty) and
    ``numbers[i]`` that row's own number in the sheet. ``cells`` holds the cells
    as read (for CSV: ``values`` itself).
    """

    file: str
    headers: list[str]
    numbers: list[int]
    values: dict[str, list[str]]
    cells: dict[str, Sequence[object]]
    text_only: bool

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


def read_table(
    path: str | os.PathLike[str],
    columns: Sequence[Column],
    *,
    sheet: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> Table:
    """Read a .xlsx/.xlsm/.csv file into rows keyed by the wanted columns' canonical names."""
    with no_gc():
        cols = read_columns(path, columns, sheet=sheet, progress=progress)
        return Table(file=cols.file, headers=cols.headers, rows=cols.rows())


def read_columns(
    path: str | os.PathLike[str],
    columns: Sequence[Column],
    *,
    sheet: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> Columns:
    """``read_table`` column by column: the same checks and errors, without a dict per row."""
    file = str(path)
    p = Path(path)
    ext = p.suffix.lower()
    if ext not in READ_EXTENSIONS:
        raise InvalidInput(
            f"{file}: unknown file type {ext or '(none)'!r}; use one of {', '.join(READ_EXTENSIONS)}",
            [Problem(f"unknown file type (use {', '.join(READ_EXTENSIONS)})", file)],
        )
    if not p.is_file():
        raise InvalidInput(f"{file}: no such file", [Problem("no such file", file)])
    if p.stat().st_size == 0:
        raise InvalidInput(f"{file}: the file is empty", [Problem("the file is empty", file)])
    with no_gc():
        if ext in (".xlsx", ".xlsm"):
            return _columns(file, _xlsx_rows(p, file, sheet), columns, progress)
        return _columns(file, _csv_rows(p, file), columns, progress)


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


def _fail(file: str, message: str, row: int | None = None, column: str | None = None) -> InvalidInput:
    problem = Problem(message, file, row, column)
    return InvalidInput(str(problem), [problem])


@dataclass
class _Source:
    rows: list[list]  # every row read, from the sheet's row 1
    col_offset: int  # column of the first cell (for letters in messages)
    text_only: bool  # CSV: every cell is text
    error: InvalidInput | None = None  # the reader failed after ``rows``: raised where reading reached it
    longest_cell: int | None = None  # a bound on every cell's length when known cheaply (CSV)


def _xlsx_rows(p: Path, file: str, sheet: str | None) -> _Source:
    """Every row of the sheet (from row 1); column offset for letters."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(p))
    except Exception as exc:  # calamine raises several types for "not a workbook"
        raise _fail(file, f"not a spreadsheet (could not open it as Excel: {exc})") from None
    try:
        if sheet is None:
            if not book.sheet_names:
                raise _fail(file, "the workbook has no sheets")
            ws = book.get_sheet_by_index(0)
        elif sheet in book.sheet_names:
            ws = book.get_sheet_by_name(sheet)
        else:
            raise _fail(file, f"no sheet named {sheet!r} (sheets: {', '.join(book.sheet_names)})")
    except InvalidInput:
        raise
    except Exception as exc:
        raise _fail(file, f"not a spreadsheet (could not read the sheet: {exc})") from None
    col_offset = ws.start[1] if ws.start else 0
    # iter_rows yields from the sheet's first row (row 1); columns start at the first used column.
    return _Source(list(ws.iter_rows()), col_offset, False)


def _decode(data: bytes, file: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise _fail(file, "not a spreadsheet: the file is neither UTF-8 nor Windows-1252 text") from None
    # Control characters are the same bytes in UTF-8 and Windows-1252: look for them in the bytes
    # (bytes.translate in C: ~10x faster than the regex over the text), then find the first one.
    bad = _BINARY.search(text) if data.translate(None, _NOT_CONTROL) else None
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise _fail(file, f"not a spreadsheet: binary data (control character at line {line})")
    return text


def _csv_rows(p: Path, file: str) -> _Source:
    import io

    text = _decode(p.read_bytes(), file)
    if not text.strip():
        raise _fail(file, "the file is empty")
    # Lines split at \r, \n and \r\n with their endings kept, as io.StringIO(text, newline="") gives
    # them to the csv module; str.splitlines does the same in one pass without StringIO's copy of the
    # text at 4 bytes a character, unless the text holds a line break only splitlines knows.
    if any(c in text for c in _OTHER_LINE_BREAKS):
        lines = io.StringIO(text, newline="")
        head_lines = io.StringIO(text)
    else:
        lines = head_lines = text.splitlines(keepends=True)
    del text
    # Comma or semicolon: whichever the first lines (the header, maybe a title line) hold more of.
    head = "".join(itertools.islice((line for line in head_lines if line.strip()), _TITLE_ROWS))
    delimiter = ";" if head.count(";") > head.count(",") else ","
    if csv.field_size_limit() < 4 * MAX_CELL:
        csv.field_size_limit(16 * MAX_CELL)  # read big cells so that the size check can name them
    reader = csv.reader(lines, delimiter=delimiter)
    rows: list[list] = []
    try:
        rows.extend(reader)  # in C; on an error the rows before it stay in the list
    except csv.Error as exc:
        error = _fail(file, f"not a readable CSV file: line {reader.line_num}: {exc}")
        return _Source(rows, 0, True, error)
    # One record per line (no quoted line breaks): no cell is longer than the longest line.
    longest = max(map(len, lines), default=0) if isinstance(lines, list) and len(lines) == len(rows) else None
    return _Source(rows, 0, True, longest_cell=longest)


# Cell types whose equal values always read as the same text (1 == 1.0 -> "1"; no bool: True == 1).
_SAME_TEXT_WHEN_EQUAL = frozenset({str, int, float, type(None)})


def _cell_texts(col: Sequence[object]) -> list[str]:
    """``cell_text`` of every cell of an xlsx column; each distinct value converted once when safe."""
    if _SAME_TEXT_WHEN_EQUAL.issuperset(map(type, col)):
        table = {c: cell_text(c) for c in set(col)}
        return list(map(table.__getitem__, col))
    return [c.strip() if c.__class__ is str else cell_text(c) for c in col]


def _columns(
    file: str, source: _Source, columns: Sequence[Column], progress: Callable[[int], None] | None
) -> Columns:
    rows, col_offset, text_only = source.rows, source.col_offset, source.text_only
    wanted: dict[str, Column] = {}
    for col in columns:
        for name in (col.name, *col.aliases):
            wanted[header_key(name)] = col

    # The header is the first non-empty row, or a later one (up to the 10th non-empty row) when the
    # sheet starts with a title line that names none of the columns.
    header_row = 0
    header: list[str] = []
    seen = 0
    for number, cells in enumerate(rows, 1):
        texts = [cell_text(c) for c in cells]
        if not any(texts):
            continue
        seen += 1
        if not header_row:
            header_row, header = number, texts
        if any(header_key(t) in wanted for t in texts if t):
            header_row, header = number, texts
            break
        if seen >= _TITLE_ROWS:
            break
    else:
        if source.error is not None:  # the reader failed before the header search was done
            raise source.error
    if not header_row:
        raise _fail(file, "the file is empty (no header row)")

    last = max(i for i, h in enumerate(header) if h)
    positions: dict[str, int] = {}
    problems: list[Problem] = []
    for i, text in enumerate(header[: last + 1]):
        letter = column_letter(i + col_offset)
        if not text:
            problems.append(
                Problem(
                    f"blank header cell in column {letter} (merged or empty header cells are not allowed)",
                    file,
                    header_row,
                    letter,
                )
            )
            continue
        if len(text) > MAX_CELL:
            problems.append(Problem("the header cell is over 1 MB", file, header_row, letter))
            continue
        col = wanted.get(header_key(text))
        if col is None:
            continue
        if col.name in positions:
            first = header[positions[col.name]]
            problems.append(
                Problem(
                    f"duplicate header: {text!r} and {first!r} both mean {col.name!r}", file, header_row, text
                )
            )
            continue
        positions[col.name] = i
    if not positions and not problems:
        names = ", ".join(c.name for c in columns)
        raise _fail(
            file, f"header row missing: row {header_row} names none of the columns ({names})", header_row
        )
    missing = [c for c in columns if c.required and c.name not in positions]
    if missing:
        listed = ", ".join(c.name + (f" (or {' / '.join(c.aliases)})" if c.aliases else "") for c in missing)
        problems.append(Problem(f"missing required column(s): {listed}", file, header_row))
    if problems:
        raise InvalidInput(
            "; ".join(str(p) for p in problems) if len(problems) == 1 else f"{file}: bad header row",
            problems,
        )

    names = list(positions)
    indices = list(positions.values())
    data = rows[header_row:]  # the rows after the header
    del rows
    n = len(data)
    fill = "" if text_only else None
    width = max(indices) + 1
    # Column by column: transpose once in C (short rows padded with empty cells), then every check is
    # a pass over a list instead of Python work per row.
    cells: list[Sequence[object]] = []
    texts: list[list[str]] = []
    if n and min(map(len, data)) >= width:
        # Every row reaches the last wanted column (the usual case): pick each column in C.
        for i in indices:
            if text_only:
                texts.append(list(map(str.strip, map(itemgetter(i), data))))
                continue
            col = list(map(itemgetter(i), data))
            cells.append(col)
            try:
                texts.append(list(map(str.strip, col)))
            except TypeError:
                texts.append(_cell_texts(col))
    else:
        # Short rows: transpose once, padded with empty cells (long rows cut to the wanted width).
        if max(map(len, data), default=0) > width:
            picked_rows = map(itemgetter(slice(None, width)), data)
        else:
            picked_rows = iter(data)
        transposed = list(itertools.zip_longest(*picked_rows, fillvalue=fill)) if n else []
        for i in indices:
            col = transposed[i] if i < len(transposed) else (fill,) * n
            cells.append(col)
            try:
                texts.append(list(map(str.strip, col)))  # every cell text (always for CSV): in C
            except TypeError:
                texts.append(_cell_texts(col))
        del transposed

    # Rows with nothing in the wanted columns: skipped when the whole row is empty.
    if not any(map(all, texts)):
        blank = [j for j, t in enumerate(zip(*texts, strict=True)) if not any(t)]
        if text_only:
            empty = [j for j in blank if not any(c.strip() for c in data[j])]
        else:
            empty = [j for j in blank if not any(cell_text(c) for c in data[j])]
    else:
        empty = []
    # A cell over the limit: the first such row (in sheet order), its first such column.
    too_long = source.longest_cell is None or source.longest_cell > MAX_CELL
    if too_long and max((max(map(len, t), default=0) for t in texts), default=0) > MAX_CELL:
        j, k = min(
            (next(j for j, x in enumerate(t) if len(x) > MAX_CELL), k)
            for k, t in enumerate(texts)
            if max(map(len, t), default=0) > MAX_CELL
        )
        raise _fail(
            file,
            f"cell is over 1 MB ({len(texts[k][j]):,} characters)",
            header_row + 1 + j,
            header[indices[k]],
        )
    if source.error is not None:  # the reader failed after the rows it gave
        raise source.error
    numbers = list(range(header_row + 1, header_row + 1 + n))
    if empty:
        gone = set(empty)
        keep = [j for j in range(n) if j not in gone]
        numbers = [numbers[j] for j in keep]
        texts = [[t[j] for j in keep] for t in texts]
        cells = [[c[j] for j in keep] for c in cells]
    if progress:
        for _ in range(n // _PROGRESS_EVERY):
            progress(_PROGRESS_EVERY)
        if n % _PROGRESS_EVERY:
            progress(n % _PROGRESS_EVERY)
    values = dict(zip(names, texts, strict=True))
    return Columns(
        file=file,
        headers=header,
        numbers=numbers,
        values=values,
        cells=values if text_only else dict(zip(names, cells, strict=True)),
        text_only=text_only,
    )


# ------------------------------------------------------------------ writing
def write_table(
    path: str | os.PathLike[str],
    rows: Sequence[Mapping[str, object]],
    columns: Sequence[str],
    *,
    sheet_title: str = "Sheet1",
) -> None:
    """Write rows to .xlsx or .csv (by the file's extension); text is never written as a formula."""
    p = Path(path)
    ext = p.suffix.lower()
    if ext == ".xlsx":
        _write_xlsx(p, rows, columns, sheet_title)
    elif ext == ".csv":
        _write_csv(p, rows, columns)
    else:
        raise _fail(str(path), f"unknown file type {ext or '(none)'!r}; use .xlsx or .csv")


def _out_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ", ".join(_out_text(v) for v in value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def _write_csv(p: Path, rows: Sequence[Mapping[str, object]], columns: Sequence[str]) -> None:
    from ops_cli.render import safe_cell

    with open(p, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(columns)
        for row in rows:
            line = []
            for col in columns:
                value = row.get(col)
                text = _out_text(value)
                line.append(safe_cell(text) if isinstance(value, str) else text)
            writer.writerow(line)


def _write_xlsx(p: Path, rows: Sequence[Mapping[str, object]], columns: Sequence[str], title: str) -> None:
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = title[:31] or "Sheet1"
    bold = Font(bold=True)
    widths = [len(c) for c in columns]
    for j, name in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=j)
        cell.value = name
        cell.data_type = TYPE_STRING
        cell.font = bold
    for i, row in enumerate(rows, start=2):
        for j, col in enumerate(columns, start=1):
            value = row.get(col)
            cell = ws.cell(row=i, column=j)
            if value is None:
                continue
            if isinstance(value, bool):
                cell.value = value
                width = 5
            elif isinstance(value, int | float):
                cell.value = value
                width = len(str(value))
            elif isinstance(value, datetime):
                cell.value = value.replace(tzinfo=None)
                cell.number_format = "yyyy-mm-dd hh:mm"
                width = 16
            elif isinstance(value, date):
                cell.value = value
                cell.number_format = "yyyy-mm-dd"
                width = 10
            else:
                text = _out_text(value)
                cell.value = text
                cell.data_type = TYPE_STRING  # never a formula, even for "=..."
                width = len(text)
            if width > widths[j - 1]:
                widths[j - 1] = width
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = min(max(width + 2, 8), 60)
    ws.freeze_panes = "A2"
    if columns:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(rows) + 1, 1)}"
    wb.save(p)


def describe_columns(columns: Sequence[Column]) -> str:
    """``customer (or kundnummer)`` ... for help texts and messages."""
    return ", ".join(c.name + (f" ({'/'.join(c.aliases)})" if c.aliases else "") for c in columns)


__all__ = [
    "Column",
    "Columns",
    "SheetRow",
    "Table",
    "cell_date",
    "cell_text",
    "column_letter",
    "header_key",
    "no_gc",
    "read_columns",
    "read_table",
    "write_table",
    "MAX_CELL",
]

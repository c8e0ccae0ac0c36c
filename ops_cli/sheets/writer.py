"""``write_table``: rows to .xlsx or .csv, streamed, through the one output-file writer.

Every file goes through ``ops_cli.files`` (temp file beside the target, 0600, fsync, rename;
an existing file only with ``force``; a symlink never followed). Rows may be any iterable
(a generator over the store): they are written as they come, never all held in memory.

- .xlsx: openpyxl in write-only mode; a bold, frozen header with an autofilter; column widths
  estimated from the first 1,000 rows (a streamed sheet's widths must be set before its rows);
  text always as string cells, never a formula. Text over Excel's 32,767 characters or holding a
  control character cannot be stored in a workbook (openpyxl would silently cut the one and fail
  on the other): it is refused, naming the row and column, and nothing is written.
- .csv: UTF-8 with a BOM (so that Excel reads it as UTF-8), CRLF; every text cell through
  ``render.safe_cell`` so that a spreadsheet never evaluates it as a formula.
"""

from __future__ import annotations

import csv
import itertools
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, time
from itertools import compress

from ops_cli.files import open_output, output_path
from ops_cli.render import safe_cell
from ops_cli.sheets.cells import CONTROL, EXCEL_MAX_CELL, fail

WRITE_EXTENSIONS = (".xlsx", ".csv")
_WIDTH_SAMPLE = 1000  # rows whose content sets the column widths of a workbook
_PROGRESS_EVERY = 1000
_BAD_TITLE = re.compile(r"[\\/?*\[\]:]")


def write_table(
    path: str | os.PathLike[str],
    rows: Iterable[Mapping[str, object]],
    columns: Sequence[str],
    *,
    sheet_title: str = "Sheet1",
    force: bool = False,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write rows to .xlsx or .csv (by the file's extension); returns the number of rows written."""
    file = str(path)
    ext = os.path.splitext(file)[1].lower()
    if ext == ".xlsx":
        return _write_xlsx(file, rows, columns, sheet_title, force, progress)
    if ext == ".csv":
        return _write_csv(file, rows, columns, force, progress)
    raise fail(file, f"unknown file type {ext or '(none)'!r}; use .xlsx or .csv")


def out_text(value: object) -> str:
    """A value as the text an export shows."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ", ".join(out_text(v) for v in value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def _write_csv(
    file: str,
    rows: Iterable[Mapping[str, object]],
    columns: Sequence[str],
    force: bool,
    progress: Callable[[int], None] | None,
) -> int:
    n = 0
    with open_output(file, "w", force=force, encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(columns)
        for n, row in enumerate(rows, 1):
            line = []
            for col in columns:
                value = row.get(col)
                text = out_text(value)
                line.append(safe_cell(text) if isinstance(value, str) else text)
            writer.writerow(line)
            if progress and n % _PROGRESS_EVERY == 0:
                progress(_PROGRESS_EVERY)
    if progress and n % _PROGRESS_EVERY:
        progress(n % _PROGRESS_EVERY)
    return n


def _write_xlsx(
    file: str,
    rows: Iterable[Mapping[str, object]],
    columns: Sequence[str],
    title: str,
    force: bool,
    progress: Callable[[int], None] | None,
) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    it = iter(rows)
    head = list(itertools.islice(it, _WIDTH_SAMPLE))
    n = 0
    with output_path(file, force=force) as tmp:
        wb = Workbook(write_only=True)
        ws = wb.create_sheet(_BAD_TITLE.sub("-", title)[:31] or "Sheet1")
        ws.freeze_panes = "A2"
        for j, width in enumerate(_widths(head, columns), start=1):
            ws.column_dimensions[get_column_letter(j)].width = width
        bold = Font(bold=True)
        header = []
        for name in columns:
            cell = WriteOnlyCell(ws, value=_checked(file, name, 1, name))
            cell.data_type = "s"
            cell.font = bold
            header.append(cell)
        plain = _plain_text()
        try:
            ws.append(header)
            for n, row in enumerate(itertools.chain(head, it), 1):
                # Plain text (nearly every cell) goes to openpyxl as it is: it makes a string
                # cell of it, without a cell object of ours; its control characters looked for
                # once a row. Anything else (numbers, dates, text openpyxl would take for a
                # formula or an error value, too long text) through _xlsx_cell.
                values = [row.get(col) for col in columns]
                flags = list(map(plain, values))
                texts = list(compress(values, flags))
                if texts and CONTROL.search("\n".join(texts)):
                    for v, f, col in zip(values, flags, columns, strict=True):
                        if f:
                            _checked(file, v, n + 1, col)
                if len(texts) < len(values):
                    values = [
                        v if f else _xlsx_cell(ws, WriteOnlyCell, file, v, n + 1, col)
                        for v, f, col in zip(values, flags, columns, strict=True)
                    ]
                ws.append(values)
                if progress and n % _PROGRESS_EVERY == 0:
                    progress(_PROGRESS_EVERY)
            if columns:
                ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{n + 1}"
            wb.save(tmp)
        except BaseException:
            _discard(ws)
            raise
    if progress and n % _PROGRESS_EVERY:
        progress(n % _PROGRESS_EVERY)
    return n


def _plain_text() -> Callable[[object], bool]:
    """Whether a value is text that openpyxl stores as a plain string cell, unchanged: not
    longer than Excel's limit, not starting with "=" (a formula to openpyxl), not one of
    Excel's error values (``#N/A``...)."""
    from openpyxl.cell.cell import ERROR_CODES

    errors = frozenset(ERROR_CODES)

    def plain(value: object) -> bool:
        return (
            type(value) is str
            and len(value) <= EXCEL_MAX_CELL
            and not value.startswith("=")
            and value not in errors
        )

    return plain


def _discard(ws) -> None:
    """Close a write-only sheet that failed half-way and remove openpyxl's own temp file of its rows."""
    try:
        ws.close()
    except Exception:  # noqa: S110 - best effort: the error being raised is the one that matters
        pass
    writer = getattr(ws, "_writer", None)
    if writer is not None:
        try:
            writer.cleanup()
        except Exception:  # noqa: S110
            pass


def _xlsx_cell(ws, cell_type, file: str, value: object, row: int, column: str):
    """One workbook cell: numbers, booleans and dates as such; everything else as a string cell."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, datetime):
        cell = cell_type(ws, value=value.replace(tzinfo=None))
        cell.number_format = "yyyy-mm-dd hh:mm"
        return cell
    if isinstance(value, date):
        cell = cell_type(ws, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    cell = cell_type(ws, value=_checked(file, out_text(value), row, column))
    cell.data_type = "s"  # never a formula, even for "=..."
    return cell


def _checked(file: str, text: str, row: int, column: str) -> str:
    """Text a workbook can hold unchanged, else ``InvalidInput`` naming the cell."""
    if len(text) > EXCEL_MAX_CELL:
        raise fail(
            file,
            f"cannot write a workbook: the cell holds {len(text):,} characters, over Excel's "
            f"{EXCEL_MAX_CELL:,}; export to .csv instead",
            row,
            column,
        )
    bad = CONTROL.search(text)
    if bad:
        raise fail(
            file,
            f"cannot write a workbook: control character U+{ord(bad.group()):04X} in the cell; "
            "export to .csv instead",
            row,
            column,
        )
    return text


def _widths(rows: list[Mapping[str, object]], columns: Sequence[str]) -> list[float]:
    widths = [len(c) for c in columns]
    for row in rows:
        for j, col in enumerate(columns):
            value = row.get(col)
            if value is None:
                continue
            if isinstance(value, bool):
                width = 5
            elif isinstance(value, int | float):
                width = len(str(value))
            elif isinstance(value, datetime):
                width = 16
            elif isinstance(value, date):
                width = 10
            else:
                width = len(out_text(value))
            widths[j] = max(widths[j], width)
    return [min(max(w + 2, 8), 60) for w in widths]

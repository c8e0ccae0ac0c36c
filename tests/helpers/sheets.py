"""Input sheets for tests: CSV (any delimiter and encoding) and real xlsx written by openpyxl."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any


def write_csv(
    path: Path,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    bom: bool = False,
) -> Path:
    """A CSV file with ``header`` and ``rows`` (values written as text; None as empty)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    data = buffer.getvalue().encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def write_xlsx(
    path: Path,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    sheet: str = "Sheet1",
    extra_sheets: dict[str, list[Sequence[Any]]] | None = None,
    hidden: Sequence[str] = (),
) -> Path:
    """A real workbook: the first sheet holds ``header`` and ``rows`` (typed values kept:
    ints, floats, dates); ``extra_sheets`` adds more sheets (name -> rows), ``hidden`` hides
    sheets by name."""
    from openpyxl import Workbook

    workbook = Workbook()
    first = workbook.active
    first.title = sheet
    first.append(list(header))
    for row in rows:
        first.append(list(row))
    for name, extra_rows in (extra_sheets or {}).items():
        ws = workbook.create_sheet(name)
        for row in extra_rows:
            ws.append(list(row))
    for name in hidden:
        workbook[name].sheet_state = "hidden"
    workbook.save(path)
    return path

"""``iter_columns``: the reader of ``read_columns`` in chunks, so that memory does not grow with the file.

The same file checks and the same errors as ``read_columns`` (header search and mapping, cell size,
control characters, the workbook's safety scan), applied chunk by chunk: a chunk is handed out only
after its cells passed. Each chunk is a ``Columns`` of at most ``chunk`` data rows with the sheet's
own row numbers; the first chunk is handed out even when the sheet has no data rows (so a caller
sees the headers). A file error in a later chunk is raised when the reading reaches it: callers
that write must do so in one transaction that the error rolls back.

CSV is decoded as it is read when the file is plain UTF-8 (with or without a byte-order mark) and
holds no control byte, which a first pass over the bytes checks in C; any other file (UTF-16,
Windows-1252, binary, empty) goes through ``csv_reader.csv_source`` whole, which gives the exact
errors and decodings of ``read_columns``. A workbook's rows come from calamine's ``iter_rows``
one by one (calamine keeps the sheet's cells in its own compact form meanwhile).
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import os
from collections.abc import Callable, Iterator, Sequence

from ops_cli.errors import InvalidInput
from ops_cli.sheets.cells import MAX_CELL, fail
from ops_cli.sheets.columns import (
    _TITLE_ROWS,
    assemble,
    check_cells,
    empty_rows,
    find_header,
    map_header,
    pick_columns,
    wanted_keys,
)
from ops_cli.sheets.csv_reader import _NOT_CONTROL, _UTF8_BOM, _UTF16_BOMS, csv_source, delimiter_of, sniff
from ops_cli.sheets.inputs import XLSX_EXTENSIONS, check_extension, open_input
from ops_cli.sheets.model import Column, Columns, Source
from ops_cli.sheets.xlsx_reader import DEFAULT_MAX_COLUMNS, DEFAULT_MAX_ROWS, xlsx_source

CHUNK = 10_000
Fail = Callable[[BaseException], InvalidInput] | None
_BLOCK = 1 << 20


def iter_columns(
    path: str | os.PathLike[str],
    columns: Sequence[Column],
    *,
    chunk: int = CHUNK,
    sheet: str | None = None,
    delimiter: str | None = None,
    progress: Callable[[int], None] | None = None,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_columns: int = DEFAULT_MAX_COLUMNS,
) -> Iterator[Columns]:
    """The sheet as ``Columns`` chunks of at most ``chunk`` data rows (see the module's notes)."""
    file = str(path)
    ext = check_extension(file)
    if ext in XLSX_EXTENSIONS:
        source = xlsx_source(file, sheet, max_rows=max_rows, max_columns=max_columns, lazy=True)
    else:
        delimiter_of(file, delimiter)
        source = csv_stream_source(file, set(wanted_keys(columns)), delimiter)
    return chunked_columns(file, source, columns, progress, chunk)


def csv_stream_source(file: str, wanted: set[str], delimiter: str | None = None) -> Source:
    """A CSV file's records as a lazy iterator (``Source.rows``), or the whole-file reader's list."""
    forced = delimiter_of(file, delimiter)
    encoding = _plain_utf8(file)
    if encoding is None:
        return csv_source(file, wanted, delimiter)
    with _text(file, encoding, None) as head:
        sep = forced or sniff(itertools.islice(head, 4 * _TITLE_ROWS), wanted)
    if csv.field_size_limit() < 4 * MAX_CELL:
        csv.field_size_limit(16 * MAX_CELL)
    return Source(_csv_records(file, encoding, sep), 0, True)


def _plain_utf8(file: str) -> str | None:
    """``utf-8`` / ``utf-8-sig`` when the whole file is UTF-8 without control bytes and not blank."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    blank, encoding = True, "utf-8"
    with open_input(file) as fh:
        first = True
        try:
            while block := fh.read(_BLOCK):
                if first:
                    if block.startswith(_UTF16_BOMS):
                        return None
                    if block.startswith(_UTF8_BOM):
                        encoding, block = "utf-8-sig", block[3:]
                    first = False
                if block.translate(None, _NOT_CONTROL):
                    return None
                text = decoder.decode(block)
                blank = blank and not text.strip()
            decoder.decode(b"", final=True)
        except (UnicodeDecodeError, OSError):
            return None
    return None if blank else encoding


def _text(file: str, encoding: str, newline: str | None) -> io.TextIOWrapper:
    return io.TextIOWrapper(open_input(file), encoding=encoding, newline=newline)


def _csv_records(file: str, encoding: str, sep: str) -> Iterator[list[str]]:
    with _text(file, encoding, "") as fh:
        reader = csv.reader(fh, delimiter=sep)
        try:
            yield from reader
        except csv.Error as exc:
            raise fail(file, f"not a readable CSV file: line {reader.line_num}: {exc}") from None


def _take(rows: Iterator[list], n: int, out: list[list], fail: Fail = None) -> InvalidInput | None:
    """Up to ``n`` more rows into ``out``; the reader's error (the rows before it kept) returned
    (``fail``: the source's translation of any other failure of its reader, ``Source.fail``)."""
    try:
        out.extend(itertools.islice(rows, n))
    except InvalidInput as exc:
        return exc
    except (KeyboardInterrupt, SystemExit, MemoryError, GeneratorExit):
        raise
    except BaseException as exc:
        if fail is None:
            raise
        return fail(exc)
    return None


def _head(rows: Iterator[list], out: list[list], fail: Fail = None) -> InvalidInput | None:
    """Rows up to the ``_TITLE_ROWS``-th non-empty one (what the header search looks at)."""
    seen = 0
    while seen < _TITLE_ROWS:
        before = len(out)
        error = _take(rows, 1, out, fail)
        if error is not None or len(out) == before:
            return error
        if any(c.strip() if c.__class__ is str else c is not None for c in out[-1]):
            seen += 1
    return None


def chunked_columns(
    file: str, source: Source, columns: Sequence[Column], progress: Callable[[int], None] | None, size: int
) -> Iterator[Columns]:
    """``build_columns`` chunk by chunk."""
    wanted = wanted_keys(columns)
    rows = iter(source.rows)
    head: list[list] = []
    head_error = _head(rows, head, source.fail)
    header_row, header = find_header(
        file, Source(head, source.col_offset, source.text_only, head_error), wanted
    )
    positions = map_header(file, header, header_row, source.col_offset, columns, wanted)
    names, indices = list(positions), list(positions.values())
    header_names = [header[i] for i in indices]
    buf, offset, first = head[header_row:], header_row, True
    del head
    error = head_error
    while True:
        if error is None and len(buf) < size:
            error = _take(rows, size - len(buf), buf, source.fail)
        buf, rest = buf[:size], buf[size:]  # the header search may have read past one chunk
        if not buf and not first:
            if error is not None:
                raise error
            return
        cells, texts = pick_columns(buf, indices, source.text_only)
        empty = empty_rows(buf, texts, source.text_only)
        check_cells(file, texts, offset, header_names, source)
        if error is not None and not rest:  # no more rows were read after it: this chunk is the last
            raise error
        n = len(buf)
        if progress and n:
            progress(n)
        yield assemble(file, header, source, names, offset, n, texts, cells, empty)
        offset += n
        buf, first = rest, False

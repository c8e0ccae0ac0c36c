"""How far a worksheet's *data* reaches, read from its XML before calamine loads it.

calamine builds a dense grid from the first to the last cell that holds a value, whatever
the ``<dimension>`` element says (it ignores that, and ignores empty styled cells). So a 5 KB
file with one value at XFD1048576 asks for 17 billion cells (the process aborts), and one at
XFD20000 for 12 GB. This scan streams the sheet's XML (a few MB at a time, never the whole
sheet in memory) and finds the last row and column that hold a value and how many cells do,
so that the reader can refuse a sheet beyond the limits, or one whose data is mostly empty
space, *before* calamine allocates anything.

The fast path handles the XML every known writer produces (``<c r="B7" ...>`` with the
reference first): two regular-expression passes in C over each chunk. Anything else (cells
without a reference, a namespace prefix, the reference after other attributes) is counted
tag by tag, following the positions as calamine does; slower but still linear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import IO

from ops_cli.sheets.cells import column_index

_CHUNK = 4 << 20
_MAX_TAG = 1 << 20  # a tag longer than this is not a worksheet's
# A cell that holds something (not self-closing), reference first: its column letters / its row.
_DATA_COLUMN = re.compile(rb'<c r="([A-Za-z]+)[0-9]+"[^>/]*>')
_DATA_ROW = re.compile(rb'<c r="[A-Za-z]+([0-9]+)"[^>/]*>')
_EMPTY_CELL = re.compile(rb'<c r="[A-Za-z]+[0-9]+"[^>/]*/>')
_SAFE_GRID = 4_000_000  # cells: a grid this big costs calamine ~130 MB, however empty
_ODD_CELL = re.compile(rb'<c(?! r=")[\s>/]')  # a cell tag without the reference first
_PREFIXED_CELL = re.compile(rb":c[\s>/]")  # x:c - calamine reads cells by local name
_TAG = re.compile(rb"<(/?)(?:[\w.-]+:)?(row|c)(?=[\s/>])([^>]*)>")
_REF_ATTR = re.compile(rb"""(?:^|\s)r\s*=\s*["']([^"']*)["']""")
_CELL_REF = re.compile(rb"([A-Za-z]+)([0-9]+)")


class MalformedSheet(ValueError):
    """The sheet's XML is not what a worksheet holds (a broken reference or tag)."""


@dataclass
class Extent:
    rows: int = 0  # the last row holding a value (1-based)
    columns: int = 0  # the last column holding a value (1-based)
    cells: int = 0  # cells holding a value
    bounded: bool = False  # rows/columns are only an upper bound (the sheet fits the safe box)


def data_extent(open_stream, *, max_rows: int, max_columns: int) -> Extent:
    """The extent of the data of the worksheet XML that ``open_stream()`` opens (a new stream each call).

    Most sheets are narrow (columns A-Z) and not very long: when no cell reference reaches beyond
    the *safe box* (a grid of at most ``_SAFE_GRID`` cells inside the limits), the sheet is safe
    whatever its exact extent, and the scan is a few searches in C that allocate nothing. Only
    a sheet with a reference beyond the box is measured exactly.
    """
    rows_safe = min(max_rows, _SAFE_GRID // 26)
    columns_safe = min(max_columns, 26)
    with open_stream() as stream:
        if _within(stream, rows_safe, columns_safe):
            return Extent(rows_safe, columns_safe, rows_safe * columns_safe, bounded=True)
    with open_stream() as stream:
        extent = _fast(stream)
    if extent is None:
        with open_stream() as stream:
            extent = _slow(stream)
    return extent


def _within(stream: IO[bytes], rows: int, columns: int) -> bool:
    """True when every cell tag is a plain ``<c r="A1"...>`` inside columns x rows (see above)."""
    letters = b"A-Za-z" if columns >= 26 else f"A-{chr(64 + columns)}a-{chr(96 + columns)}".encode()
    # A cell tag without the reference first (``_ODD_CELL``), or a cell reference that is not one
    # letter in range and a row number up to ``rows``: one search for both.
    odd_or_outside = re.compile(
        rb'<c(?:(?! r=")[\s>/]| r="(?![' + letters + rb"](?!" + _number_over(rows) + rb')[0-9]{1,7}"))'
    )
    for chunk in _chunks(stream):
        if odd_or_outside.search(chunk) or _PREFIXED_CELL.search(chunk):
            return False
    return True


def _number_over(n: int) -> bytes:
    """A pattern for digit strings (no leading zeros) greater than ``n``."""
    digits = str(n)
    parts = [rb"[0-9]{%d,}" % (len(digits) + 1)]
    for i, d in enumerate(digits):
        if d != "9":
            rest = len(digits) - i - 1
            parts.append(
                digits[:i].encode() + b"[%d-9]" % (int(d) + 1) + (rb"[0-9]{%d}" % rest if rest else b"")
            )
    return b"|".join(parts)


def _chunks(stream: IO[bytes]):
    """The stream in chunks that never end inside a tag."""
    carry = b""
    while block := stream.read(_CHUNK):
        block = carry + block
        cut = block.rfind(b"<")
        if cut > block.rfind(b">"):
            carry, block = block[cut:], block[:cut]
            if len(carry) > _MAX_TAG:
                raise MalformedSheet("a tag of over 1 MB")
        else:
            carry = b""
        yield block
    if carry:
        yield carry


def _fast(stream: IO[bytes]) -> Extent | None:
    """The extent when every cell tag is ``<c r="..."``; None when the XML needs the slow path."""
    extent = Extent()
    letters: set[bytes] = set()
    for chunk in _chunks(stream):
        tags = chunk.count(b"<c ") + chunk.count(b"<c>") + chunk.count(b"<c/")
        rows = _DATA_ROW.findall(chunk)
        if tags != len(rows) + len(_EMPTY_CELL.findall(chunk)) or b":c " in chunk or b":c>" in chunk:
            return None
        if rows:
            extent.cells += len(rows)
            extent.rows = max(extent.rows, max(map(int, rows)))
            letters.update(_DATA_COLUMN.findall(chunk))
    extent.columns = max((column_index(x.decode()) for x in letters), default=0)
    return extent


def _slow(stream: IO[bytes]) -> Extent:
    """Tag by tag, with positions as calamine counts them (a cell or row without ``r`` follows the last)."""
    extent = Extent()
    row = column = 0
    for chunk in _chunks(stream):
        for m in _TAG.finditer(chunk):
            closing, name, attrs = m.groups()
            if closing:
                continue
            ref = _REF_ATTR.search(attrs)
            if name == b"row":
                row = _number(ref.group(1)) if ref else row + 1
                column = 0
                continue
            if ref:
                parts = _CELL_REF.fullmatch(ref.group(1))
                if not parts:
                    raise MalformedSheet(f"cell reference {ref.group(1)[:20].decode(errors='replace')!r}")
                column, row = column_index(parts.group(1).decode()), int(parts.group(2))
            else:
                column += 1
            if attrs.rstrip().endswith(b"/"):
                continue  # an empty cell (maybe styled): calamine leaves it out
            extent.cells += 1
            extent.rows = max(extent.rows, row)
            extent.columns = max(extent.columns, column)
    return extent


def _number(text: bytes) -> int:
    if not text.isdigit():
        raise MalformedSheet(f"row number {text[:20].decode(errors='replace')!r}")
    return int(text)

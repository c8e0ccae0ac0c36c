"""Reading CSV (and tab-separated / Excel "Unicode text") files: strict decoding, sniffed delimiter.

Decoding is strict, so that no row is ever stored garbled:

- UTF-16 with a byte-order mark (Excel's "Unicode text", tab-separated) is decoded as UTF-16;
- UTF-8, with or without a byte-order mark;
- else Windows-1252, but only when every byte is valid in it *and* the bytes hold no valid
  multi-byte UTF-8 sequence. A file that is UTF-8 except for some rows (one row pasted from an
  old system) is refused, naming the first row that is not UTF-8, rather than decoded wholly as
  Windows-1252 (which would garble every other non-ASCII letter).

The delimiter (comma, semicolon or tab) is chosen on the header row: the one that splits it into
cells naming the wanted columns, else the most frequent one on the first line. Commas inside
cells of a semicolon file (``Dahl, Johan``) therefore do not matter. ``delimiter=`` forces it.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterable

from ops_cli.sheets.cells import CONTROL, MAX_CELL, fail, header_key
from ops_cli.sheets.inputs import read_bytes
from ops_cli.sheets.model import Source

DELIMITERS = {",": ",", ";": ";", "\t": "\t", "tab": "\t", "\\t": "\t"}
_SNIFF_ORDER = (";", "\t", ",")  # on a tie in the fallback count, the rarer-in-text delimiter wins
_TITLE_ROWS = 10  # non-empty lines searched for the header row
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# One valid multi-byte UTF-8 sequence (RFC 3629: no overlongs, no surrogates, up to U+10FFFF).
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_NOT_CONTROL = bytes(b for b in range(256) if not CONTROL.match(chr(b)))  # bytes.translate deletes these
# Line breaks str.splitlines knows but csv/io do not (\v, \f and \x1c-\x1e are refused as binary).
_OTHER_LINE_BREAKS = ("\x85", "\u2028", "\u2029")


def delimiter_of(file: str, delimiter: str | None) -> str | None:
    """A forced delimiter as the csv module wants it (``tab`` -> ``\\t``); None: sniff it."""
    if delimiter is None:
        return None
    if delimiter not in DELIMITERS:
        raise fail(file, f"unknown delimiter {delimiter!r}; use ',', ';' or 'tab'")
    return DELIMITERS[delimiter]


def decode(data: bytes, file: str) -> str:
    """The file's text (see the module's notes); ``InvalidInput`` naming the first bad line."""
    if data.startswith(_UTF16_BOMS):
        return _decode_utf16(data, file)
    bom = data.startswith(_UTF8_BOM)
    if bom:
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        if bom or _UTF8_MULTIBYTE.search(data):
            raise fail(
                file, "not UTF-8 text (the rest of the file is UTF-8); save the file again as UTF-8", line
            ) from None
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc2:
            line = data.count(b"\n", 0, exc2.start) + 1
            raise fail(
                file, f"not a spreadsheet: the file is neither UTF-8 nor Windows-1252 text (line {line})"
            ) from None
    # Control characters are the same bytes in UTF-8 and Windows-1252: look for them in the bytes
    # (bytes.translate in C: ~10x faster than the regex over the text), then find the first one.
    if data.translate(None, _NOT_CONTROL):
        _refuse_control(text, file)
    return text


def _decode_utf16(data: bytes, file: str) -> str:
    try:
        text = data.decode("utf-16")  # the BOM says which byte order; it is dropped
    except UnicodeDecodeError:
        raise fail(file, "not a spreadsheet: the file starts like UTF-16 text but is not") from None
    _refuse_control(text, file)
    return text


def _refuse_control(text: str, file: str) -> None:
    bad = CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise fail(file, f"not a spreadsheet: binary data (control character at line {line})")


def sniff(lines: Iterable[str], wanted: set[str]) -> str:
    """The delimiter of the header row (see the module's notes)."""
    head = list(itertools.islice((line for line in lines if line.strip()), _TITLE_ROWS))
    for line in head:
        best: tuple[int, str] | None = None
        for delimiter in _SNIFF_ORDER:
            cells = next(csv.reader([line], delimiter=delimiter), [])
            hits = sum(1 for c in cells if header_key(c) in wanted)
            if hits and (best is None or hits > best[0]):
                best = (hits, delimiter)
        if best:
            return best[1]
    first = head[0] if head else ""
    counts = [(first.count(d), -i, d) for i, d in enumerate(_SNIFF_ORDER)]
    count, _, delimiter = max(counts)
    return delimiter if count else ","


def csv_source(file: str, wanted: set[str], delimiter: str | None = None) -> Source:
    """Every record of the file as a list of text cells (row 1 first)."""
    forced = delimiter_of(file, delimiter)
    text = decode(read_bytes(file), file)
    if not text.strip():
        raise fail(file, "the file is empty")
    # Lines split at \r, \n and \r\n with their endings kept, as io.StringIO(text, newline="") gives
    # them to the csv module; str.splitlines does the same in one pass without StringIO's copy of the
    # text at 4 bytes a character, unless the text holds a line break only splitlines knows.
    if any(c in text for c in _OTHER_LINE_BREAKS):
        lines = io.StringIO(text, newline="")
        head_lines = io.StringIO(text)
    else:
        lines = head_lines = text.splitlines(keepends=True)
    del text
    sep = forced or sniff(head_lines, wanted)
    if csv.field_size_limit() < 4 * MAX_CELL:
        csv.field_size_limit(16 * MAX_CELL)  # read big cells so that the size check can name them
    reader = csv.reader(lines, delimiter=sep)
    rows: list[list] = []
    try:
        rows.extend(reader)  # in C; on an error the rows before it stay in the list
    except csv.Error as exc:
        error = fail(file, f"not a readable CSV file: line {reader.line_num}: {exc}")
        return Source(rows, 0, True, error)
    # One record per line (no quoted line breaks): no cell is longer than the longest line.
    longest = max(map(len, lines), default=0) if isinstance(lines, list) and len(lines) == len(rows) else None
    return Source(rows, 0, True, longest_cell=longest)

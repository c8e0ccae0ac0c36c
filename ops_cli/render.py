"""Turning plain data into text: JSON, CSV, Markdown and aligned plain tables.

Pure functions that return strings, and ``iter_*`` generators that turn an
iterator of rows into text chunks one row at a time (a listing streams from
the store cursor to stdout without being held in memory); the command layer
decides where they go (``commands/_output.py`` adds the rich table for
terminals). Exports and reports reuse :func:`safe_cell` so that no cell is
ever evaluated as a formula by a spreadsheet.
"""

from __future__ import annotations

import io
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from itertools import islice
from typing import Any

FORMATS = ("table", "json", "jsonl", "csv", "md")

#: Rows a plain table to a pipe reads before it fixes its column widths.
PLAIN_SAMPLE = 1000

# OWASP CSV injection: a text cell starting with one of these is prefixed
# with "'" ... unless it is a plain number or a phone number, which a
# spreadsheet shows as data anyway and which must survive a round trip.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# The patterns below are compiled on first use (``re``'s own cache): a JSON listing or
# ``--help`` never needs them (start-up, issue 16).
_NUMBER_OR_PHONE_RE = r"^[+-]?(\d[\d\s().-]*\d|\d)(\.\d+)?$"


def plural(n: int, word: str) -> str:
    """``1 change``, ``2 changes``."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def safe_cell(text: str) -> str:
    if text and text.startswith(_FORMULA_START) and not re.match(_NUMBER_OR_PHONE_RE, text):
        return "'" + text
    return text


def is_record(value: Any) -> bool:
    """A dataclass instance (``dataclasses.is_dataclass`` of an instance) without importing
    ``dataclasses``: a listing or ``--help`` loads none (start-up, issue 16)."""
    return not isinstance(value, type) and hasattr(type(value), "__dataclass_fields__")


def plain(value: Any) -> Any:
    """Data made JSON-friendly: dataclasses to dicts, times to ISO 8601, Decimals to numbers."""
    if is_record(value):
        from dataclasses import asdict  # loaded already: the value is a dataclass

        return plain(asdict(value))
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    decimal = sys.modules.get("decimal")  # imported on use: no Decimal exists before that
    if decimal is not None and isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _json_default(value: Any) -> Any:
    """What the C encoder cannot write itself (times, Decimals, dataclasses, sets)."""
    converted = plain(value)
    if converted is value:
        if isinstance(value, set | frozenset):
            return list(value)
        raise TypeError(f"{type(value).__name__} is not JSON serialisable")
    return converted


def _compact_encoder():
    """The C encoder (no indent), made once: machine output, one pass per row, key order kept.

    ``JSONEncoder.encode`` builds a new C encoder for every call; for a stream of rows the
    one built here is reused (same output: ``", "`` and ``": "``, no ASCII escaping)."""
    from json.encoder import c_make_encoder, encode_basestring

    slow = json.JSONEncoder(ensure_ascii=False, default=_json_default).encode
    if c_make_encoder is None:  # a Python without the C accelerator
        return slow
    encode = c_make_encoder(None, _json_default, encode_basestring, None, ": ", ", ", False, False, True)

    def compact(value: Any) -> str:
        if isinstance(value, str):
            return encode_basestring(value)
        return "".join(encode(value, 0))

    return compact


_COMPACT = _compact_encoder()


def to_json(value: Any, indent: int | None = 2) -> str:
    """One JSON document; ``indent=None`` uses the C encoder (machine output)."""
    if indent is None:
        return _COMPACT(value)
    return json.dumps(plain(value), ensure_ascii=False, indent=indent)


#: Rows a streamed JSON listing encodes before it hands the text on (a chunk, not a row,
#: per write; small enough that ``| head`` still stops at once).
JSON_BATCH = 200


def iter_json(rows: Iterable[Any], indent: int | None = None) -> Iterator[str]:
    """A streamed JSON array: ``[`` one row a line ``]`` (valid JSON for 0 rows too)."""
    if indent is None:  # machine output: encoded a chunk of rows at a time
        yield from iter_json_texts(map(_COMPACT, rows), JSON_BATCH)
        return
    first = True
    for row in rows:
        text = _COMPACT(row) if indent is None else _indented(row, indent)
        yield ("[\n" if first else ",\n") + text
        first = False
    yield "[]\n" if first else "\n]\n"


def _indented(row: Any, indent: int) -> str:
    pad = " " * indent
    return "\n".join(pad + line for line in to_json(row, indent).splitlines())


def iter_json_texts(texts: Iterable[str], batch: int = 1000) -> Iterator[str]:
    """:func:`iter_json` for rows already written as compact JSON texts."""
    texts = iter(texts)
    first = True
    while chunk := list(islice(texts, batch)):
        yield ("[\n" if first else ",\n") + ",\n".join(chunk)
        first = False
    yield "[]\n" if first else "\n]\n"


def _separated_encoder():
    """The C encoder with a NUL between items: JSON text never holds a raw control character
    (the encoder escapes them in strings), so the NULs mark exactly where items meet."""
    from json.encoder import c_make_encoder, encode_basestring

    if c_make_encoder is None:
        return None
    return c_make_encoder(None, _json_default, encode_basestring, None, ": ", "\x00", False, False, True)


_SEPARATED = _separated_encoder()


def iter_flat_json_texts(
    columns: Sequence[str], rows: Iterable[Sequence[Any]], batch: int = JSON_BATCH
) -> Iterator[str]:
    """Compact JSON texts, one a row, of value tuples in ``columns`` order whose values are
    all scalars (text, numbers, booleans, None; or what :func:`plain` makes a scalar, e.g. a
    time): the same text as :func:`to_json` of ``dict(zip(columns, row))`` with
    ``indent=None``. One C-encoder call writes a batch of rows as lists and the keys come from
    a template, instead of encoding every key of every row."""
    from json.encoder import encode_basestring

    width = len(columns)
    rows = iter(rows)
    if _SEPARATED is None or not width:
        yield from (_COMPACT(dict(zip(columns, row, strict=True))) for row in rows)
        return
    template = "{" + ", ".join(encode_basestring(c).replace("%", "%%") + ": %s" for c in columns) + "}"
    while chunk := list(islice(rows, batch)):
        # "[[v\0v]\0[v\0v]]": a row's values end at "]\0[" (no value ends with "]": scalars)
        values = "".join(_SEPARATED(chunk, 0))[2:-2].replace("]\x00[", "\x00").split("\x00")
        if len(values) != width * len(chunk) or set(map(len, chunk)) != {width}:  # not flat: the safe way
            yield from (_COMPACT(dict(zip(columns, row, strict=True))) for row in chunk)
            continue
        # a row's values a tuple (the length was checked: no row is cut)
        yield from map(template.__mod__, zip(*[iter(values)] * width, strict=False))


def iter_jsonl_texts(texts: Iterable[str], batch: int = 1000) -> Iterator[str]:
    """:func:`iter_jsonl` for rows already written as compact JSON texts."""
    texts = iter(texts)
    while chunk := list(islice(texts, batch)):
        yield "\n".join(chunk) + "\n"


def iter_jsonl(rows: Iterable[Any]) -> Iterator[str]:
    """JSON Lines: one compact object a line."""
    return iter_jsonl_texts(map(_COMPACT, rows), JSON_BATCH)


def _text(value: Any) -> str:
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def columns_of(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None) -> list[str]:
    if columns:
        return list(columns)
    seen: dict[str, None] = {}
    for row in rows:
        for key in row:
            seen.setdefault(key, None)
    return list(seen)


def cell(value: Any) -> str:
    """One value as table/CSV text (the common store types without a detour)."""
    kind = type(value)
    if kind is str:
        return value
    if value is None:
        return ""
    if kind is int or kind is float:
        return str(value)
    return _text(value)


def row_cells(row: Mapping[str, Any], columns: Sequence[str]) -> list[str]:
    get = row.get
    return [cell(get(col)) for col in columns]


def cells(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> list[list[str]]:
    return [row_cells(row, columns) for row in rows]


_FORMULA_FIRST = frozenset(_FORMULA_START)


def csv_value(value: Any) -> Any:
    """One value for the CSV writer, converted once: text made formula-safe, numbers and
    None as they are (the writer writes them), anything else through :func:`cell`."""
    kind = type(value)
    if kind is str:
        if value[:1] in _FORMULA_FIRST and not re.match(_NUMBER_OR_PHONE_RE, value):
            return "'" + value
        return value
    if value is None or kind is int or kind is float:
        return value
    return safe_cell(cell(value))


def iter_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], batch: int = 500) -> Iterator[str]:
    """CSV text in chunks of ``batch`` rows; each value converted once (:func:`csv_value`)."""
    import csv  # not at start-up: only --format csv

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    rows = iter(rows)
    conv = csv_value
    while True:
        chunk = [[conv(row.get(col)) for col in columns] for row in islice(rows, batch)]
        writer.writerows(chunk)
        yield out.getvalue()
        if len(chunk) < batch:
            return
        out.seek(0)
        out.truncate()


# A field (after a comma or a line break) the CSV writer wrote that may start with a formula
# character and is not a plain number or phone number (the chunk-wide twin of
# :func:`csv_value`'s test; it may flag a harmless field, e.g. a quoted one, but never
# misses one that :func:`csv_value` changes).
_CSV_RISKY_RE = (
    r'[,\n](?=["=+\-@\t\r])(?![+-]?\d+[,\n])'
    r'(?![+-]?(?:\d(?:\d|[^\S\n]|[().-])*\d|\d)(?:\.\d+)?[,\n])"?[=+\-@\t\r]'
)


class Rows:
    """A listing straight from a store cursor: ``columns`` and an iterator of value tuples
    in that order. It is an iterator of one dict a row (what any caller expects of a
    listing, read once); the emitter takes the tuples themselves when it needs no dicts
    (CSV, compact JSON, plain tables). ``json``, when given, makes the same rows as compact
    JSON texts (what :func:`to_json` writes for each dict, e.g. built by the store's SQL)."""

    def __init__(
        self,
        columns: Sequence[str],
        tuples: Iterable[Sequence[Any]],
        json: Callable[[], Iterator[str]] | None = None,
    ):
        self.columns = tuple(columns)
        self.tuples = iter(tuples)
        self.json = json

    def __iter__(self) -> Rows:
        return self

    def __next__(self) -> dict[str, Any]:
        return dict(zip(self.columns, next(self.tuples), strict=True))


def iter_csv_tuples(
    rows: Iterable[Sequence[Any]], columns: Sequence[str], batch: int = 1000
) -> Iterator[str]:
    """:func:`iter_csv` for rows of store values (str, int, float, None) in ``columns`` order,
    byte for byte: a chunk is written as it is unless some field needs :func:`csv_value`."""
    import csv

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    yield out.getvalue()
    rows = iter(rows)
    conv = csv_value
    while chunk := list(islice(rows, batch)):
        out.seek(0)
        out.truncate()
        writer.writerows(chunk)
        text = out.getvalue()
        if re.search(_CSV_RISKY_RE, "\n" + text):  # every chunk ends with a line break
            out.seek(0)
            out.truncate()
            writer.writerows([[conv(v) for v in row] for row in chunk])
            text = out.getvalue()
        yield text


def to_csv(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None) -> str:
    return "".join(iter_csv(rows, columns_of(rows, columns)))


def _md_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def iter_markdown(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> Iterator[str]:
    yield "| " + " | ".join(_md_escape(c) for c in columns) + " |\n"
    yield "|" + "|".join("---" for _ in columns) + "|\n"
    for row in rows:
        yield "| " + " | ".join(_md_escape(c) for c in row_cells(row, columns)) + " |\n"


def to_markdown(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None) -> str:
    return "".join(iter_markdown(rows, columns_of(rows, columns)))


def _plain_line(line: Sequence[str], widths: Sequence[int]) -> str:
    return "  ".join(text.ljust(width) for text, width in zip(line, widths, strict=True)).rstrip() + "\n"


def iter_plain(
    rows: Iterable[Mapping[str, Any]], columns: Sequence[str], sample: int = PLAIN_SAMPLE
) -> Iterator[str]:
    """Aligned text for pipes and files (no colour, no box drawing), streamed: the column
    widths come from the first ``sample`` rows; later rows keep those widths (a longer
    value is written whole and only shifts its own line)."""
    return iter_plain_lines((row_cells(row, columns) for row in rows), columns, sample)


def tuple_cells(rows: Iterable[Sequence[Any]]) -> Iterator[list[str]]:
    """Rows of store values as table cells (:func:`cell` of each)."""
    conv = cell
    for row in rows:
        yield [v if type(v) is str else conv(v) for v in row]


def iter_plain_lines(
    lines: Iterable[list[str]], columns: Sequence[str], sample: int = PLAIN_SAMPLE
) -> Iterator[str]:
    """:func:`iter_plain` for rows already turned into cells."""
    lines = iter(lines)
    head = list(islice(lines, sample))
    if not head:
        yield "(none)\n"
        return
    widths = [max(len(col), *(len(line[i]) for line in head)) for i, col in enumerate(columns)]
    yield _plain_line(columns, widths)
    yield _plain_line(["-" * w for w in widths], widths)
    # One format call a line; ``{:<w}`` pads exactly as ``str.ljust(w)``.
    pattern = "  ".join(f"{{:<{w}}}" for w in widths).format
    for line in head:
        yield pattern(*line).rstrip() + "\n"
    del head
    for line in lines:
        yield pattern(*line).rstrip() + "\n"


def to_plain(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None) -> str:
    """Aligned text for pipes and files (no colour, no box drawing)."""
    return "".join(iter_plain(rows, columns_of(rows, columns)))


def record_rows(record: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One object shown as a two-column field/value table."""
    return [{"field": key, "value": _text(value)} for key, value in plain(record).items()]

"""Reports as JSON text, fast at any size: the C encoder does every record (issue 16).

``json.dumps(indent=2)`` runs the pure-Python encoder: 100,000 listed cases took
seconds. Here the report's outline (its dicts and lists of dicts) is indented
as before, and every record (a dict whose values are all scalars: a case, a
month of a zone) is one compact line through :data:`ops_cli.render._COMPACT`,
the C encoder made once. The text parses to exactly what ``json.dumps`` gives.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from ops_cli.render import _COMPACT, plain

_NESTED = (Mapping, list, tuple)
_SCALARS = frozenset((str, int, float, bool, type(None)))  # exact types: a record is decided in C


#: The list of records whose lines :func:`record_lines` gave, and the lines.
_LINES: ContextVar[tuple[list[Any], list[str]] | None] = ContextVar("record_lines", default=None)


@contextmanager
def record_lines(records: list[Any], lines: list[str]) -> Iterator[None]:
    """While the block runs, :func:`to_json` and :func:`iter_json` write ``records`` (that very
    list, with as many items as ``lines``) as ``lines``: each record's compact JSON text as the C
    encoder writes it, made by the records' maker with them (a report's 100,000 cases, issue 16:
    half the time of encoding them). The maker vouches for the texts; the block must not change
    the records. With no lines (or another count), the records are encoded as ever."""
    token = _LINES.set((records, lines) if lines and len(lines) == len(records) else None)
    try:
        yield
    finally:
        _LINES.reset(token)


def _is_record(value: Any) -> bool:
    if type(value) is dict and _SCALARS.issuperset(map(type, value.values())):
        return True  # the common case, decided in C
    return isinstance(value, Mapping) and not any(isinstance(v, _NESTED) for v in value.values())


def to_json(value: Any, indent: int = 2) -> str:
    """``value`` as JSON text: the outline indented, one record a line (no trailing newline)."""
    return "".join(iter_json(value, indent))


def iter_json(value: Any, indent: int = 2) -> Iterator[str]:
    """:func:`to_json` in pieces, for writing a big report without joining it first (each
    copy of 100,000 cases' text is tens of MB)."""
    return _outline(value, indent, 0)


def _outline(value: Any, indent: int, level: int) -> Iterator[str]:
    if isinstance(value, Mapping) and value and not _is_record(value) or level == 0 and _is_record(value):
        pad = " " * (indent * (level + 1))
        yield "{\n"
        for n, (key, item) in enumerate(value.items()):
            yield (",\n" if n else "") + pad + _COMPACT(str(key)) + ": "
            yield from _outline(item, indent, level + 1)
        yield "\n" + " " * (indent * level) + "}"
        return
    if isinstance(value, list | tuple) and value and any(isinstance(v, _NESTED) for v in value):
        pad = " " * (indent * (level + 1))
        yield "[\n"
        known = _LINES.get()
        if known is not None and known[0] is value and len(known[1]) == len(value):
            yield pad  # the records' own texts (record_lines), one a line
            yield (",\n" + pad).join(known[1])
            yield "\n" + " " * (indent * level) + "]"
            return
        if all(type(v) is dict for v in value):
            # A list of records (a report's cases): ONE call of the C encoder, then a line a
            # record. Sound only when no text holds "{" or "[": then the "{" are exactly the
            # records' own (no value nests) and each "}, {" is the seam between two of them.
            text = _COMPACT(value)
            if text.count("{") == len(value) and text.count("[") == 1:
                yield pad
                yield text.replace("}, {", "},\n" + pad + "{")[1:-1]
                yield "\n" + " " * (indent * level) + "]"
                return
        for n, item in enumerate(value):
            yield ",\n" + pad if n else pad
            if _is_record(item):
                yield _COMPACT(item)
            else:
                yield from _outline(item, indent, level + 1)
        yield "\n" + " " * (indent * level) + "]"
        return
    if isinstance(value, _NESTED) or isinstance(value, str | int | float | bool) or value is None:
        yield _COMPACT(value)  # a record, a list of scalars, a scalar: the C encoder
        return
    yield _COMPACT(plain(value))

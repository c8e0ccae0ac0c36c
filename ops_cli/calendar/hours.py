"""Parsing of opening-hour specs: ``{"mon": "08:00-17:00", "sat": ["09:00-12:00"], ...}``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import time

from ops_cli.calendar.times import (
    _FULL_WEEKDAYS,
    END_OF_DAY,
    WEEKDAYS,
    TimeOr24,
    _fmt_hm,
    _secs,
)

_TIME_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$")
_WINDOW_SPLIT_RE = re.compile(r"\s*[-\u2013\u2014]\s*")


def _weekday_index(key: object) -> int:
    if isinstance(key, bool):
        raise ValueError(f"opening hours: unknown weekday {key!r}")
    if isinstance(key, int):
        if 0 <= key <= 6:
            return key
        raise ValueError(f"opening hours: weekday number {key} out of range 0 (mon)..6 (sun)")
    if isinstance(key, str):
        k = key.strip().lower()
        if k in WEEKDAYS:
            return WEEKDAYS.index(k)
        if k in _FULL_WEEKDAYS:
            return _FULL_WEEKDAYS.index(k)
    raise ValueError(f"opening hours: unknown weekday {key!r} (use {', '.join(WEEKDAYS)})")


def _parse_clock(text: str, where: str, window: str, *, is_end: bool) -> TimeOr24:
    m = _TIME_RE.match(text)
    if not m:
        raise ValueError(
            f"opening hours for {where}: bad time {text.strip()!r} in window {window!r} "
            f"(expected HH:MM-HH:MM, e.g. 08:00-17:00)"
        )
    h, mi, s = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
    if h == 24 and mi == 0 and s == 0:
        if not is_end:
            raise ValueError(f"opening hours for {where}: window {window!r} cannot start at 24:00")
        return END_OF_DAY
    if h > 23 or mi > 59 or s > 59:
        raise ValueError(
            f"opening hours for {where}: time {text.strip()!r} in window {window!r} "
            f"is not a valid clock time (00:00..23:59, or 24:00 as an end)"
        )
    return time(h, mi, s)


def _coerce_clock(value: object, where: str, window: str, *, is_end: bool) -> TimeOr24:
    if value is END_OF_DAY:
        if not is_end:
            raise ValueError(f"opening hours for {where}: window {window!r} cannot start at 24:00")
        return END_OF_DAY
    if isinstance(value, time):
        if value.microsecond or value.tzinfo is not None:
            raise ValueError(
                f"opening hours for {where}: time {value!r} in window {window!r} must be "
                f"a naive wall-clock time with whole seconds"
            )
        return value
    if isinstance(value, str):
        return _parse_clock(value, where, window, is_end=is_end)
    raise ValueError(f"opening hours for {where}: bad time {value!r} in window {window!r}")


def _parse_window(item: object, where: str) -> tuple[TimeOr24, TimeOr24]:
    if isinstance(item, str):
        text = item.strip()
        parts = _WINDOW_SPLIT_RE.split(text)
        if len(parts) != 2 or not parts[0] or not parts[1]:
            raise ValueError(
                f"opening hours for {where}: bad window {item!r} (expected HH:MM-HH:MM, e.g. 08:00-17:00)"
            )
        start = _parse_clock(parts[0], where, text, is_end=False)
        end = _parse_clock(parts[1], where, text, is_end=True)
        label = text
    elif isinstance(item, (tuple, list)) and len(item) == 2:
        label = f"{item[0]}-{item[1]}"
        start = _coerce_clock(item[0], where, label, is_end=False)
        end = _coerce_clock(item[1], where, label, is_end=True)
    else:
        raise ValueError(
            f"opening hours for {where}: bad window {item!r} (expected a string like '08:00-17:00')"
        )
    if not start < end:
        raise ValueError(
            f"opening hours for {where}: window {label!r} ends at or before it starts "
            f"(a window cannot cross midnight: split it, e.g. '22:00-24:00' and "
            f"'00:00-06:00' on the next day)"
        )
    return start, end


def parse_hours(spec: Mapping) -> dict[int, list[tuple[TimeOr24, TimeOr24]]]:
    """Parse an opening-hours spec into ``{weekday: [(start, end), ...]}``.

    ``spec`` maps weekday names (``"mon"``..``"sun"``, full names and any
    case accepted) to ``"08:00-17:00"``, a list of such strings for split
    windows (a comma-separated string works too), or ``""``/``[]``/``None``
    for closed.  ``"24:00"`` is allowed as an end (``"00:00-24:00"`` is the
    whole day) and is returned as :data:`END_OF_DAY`; other times come back
    as ``datetime.time``.  Missing weekdays are closed.  The result has all
    seven keys 0 (Monday)..6 (Sunday), each with its windows sorted.

    A ``parse_hours`` result (integer keys, ``(start, end)`` tuples) is
    accepted as input too, so the function is idempotent.

    Raises ``ValueError`` naming the weekday and value for malformed text,
    a window that ends at or before its start, or overlapping windows.
    """
    if not isinstance(spec, Mapping):
        raise ValueError(f"opening hours must be a table of weekday -> hours, got {type(spec).__name__}")
    result: dict[int, list[tuple[TimeOr24, TimeOr24]]] = {i: [] for i in range(7)}
    seen: dict[int, object] = {}
    for key, value in spec.items():
        idx = _weekday_index(key)
        where = repr(key) if not isinstance(key, int) else repr(WEEKDAYS[idx])
        if idx in seen:
            raise ValueError(
                f"opening hours: weekday {WEEKDAYS[idx]!r} given twice ({seen[idx]!r} and {key!r})"
            )
        seen[idx] = key
        if value is None:
            items: list[object] = []
        elif isinstance(value, str):
            items = [p for p in value.split(",") if p.strip()]
        elif isinstance(value, (list, tuple)):
            items = list(value)
            if len(items) == 2 and not isinstance(items[0], (str, list, tuple)):
                # a single (start, end) pair of time objects
                items = [tuple(items)]
        else:
            raise ValueError(
                f"opening hours for {where}: expected a string like '08:00-17:00' or a "
                f"list of them, got {value!r}"
            )
        windows = sorted((_parse_window(item, where) for item in items), key=lambda w: _secs(w[0]))
        for (s1, e1), (s2, e2) in zip(windows, windows[1:], strict=False):
            if _secs(s2) < _secs(e1):
                raise ValueError(
                    f"opening hours for {where}: windows '{_fmt_hm(s1)}-{_fmt_hm(e1)}' and "
                    f"'{_fmt_hm(s2)}-{_fmt_hm(e2)}' overlap"
                )
        result[idx] = windows
    return result


def format_hours(hours: Mapping) -> dict[str, list[str]]:
    """The inverse of :func:`parse_hours`: ``{"mon": ["08:00-17:00"], ...}``.

    Every weekday is present; closed days map to ``[]``.
    """
    parsed = parse_hours(hours)
    return {WEEKDAYS[i]: [f"{_fmt_hm(s)}-{_fmt_hm(e)}" for s, e in parsed[i]] for i in range(7)}

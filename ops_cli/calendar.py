"""Working-day calendar and business-hours engine.

Pure library code: no printing, no CLI, no process exit.  The ``holidays``
package is imported lazily (inside :meth:`WorkCalendar._year_holidays`) so
that importing this module stays cheap for CLI start-up.

Two layers:

* :class:`WorkCalendar` answers date questions: is a day a holiday or a
  working day, what is the n-th working day after a date, and turns naive
  desk-local wall-clock times into aware datetimes.
* :class:`OpeningHours` adds wall-clock windows per weekday (support hours,
  office hours) and does time arithmetic inside them: "2 support hours after
  the report".  Time inside windows is measured as real elapsed time, so a
  00:00-24:00 window is 23 h or 25 h long on the night the clocks change.
  All arithmetic is done in UTC.

Window semantics: a window is half-open, ``[start, end)``.  A time exactly at
a window's end is closed (unless the next window starts there, e.g. 24:00 and
the next day's 00:00).  :meth:`OpeningHours.add` may return a window's end
when the duration runs out exactly there.

Comparing results: Python's ``==`` between aware datetimes in *different*
zones is always False when one of them is an ambiguous local time (PEP 495,
the repeated hour in autumn), and same-zone comparisons ignore ``fold``.
Compare ``.astimezone(timezone.utc)`` values when the hour may be ambiguous.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "END_OF_DAY",
    "WEEKDAYS",
    "Explanation",
    "OpeningHours",
    "Window",
    "WorkCalendar",
    "format_hours",
    "parse_hours",
]

_DAY = timedelta(days=1)
_ZERO = timedelta(0)

#: Weekday keys used in hour specs, index = ``date.weekday()``.
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

#: Default holiday categories per country (``holidays`` package category names).
DEFAULT_CATEGORIES: dict[str, tuple[str, ...]] = {
    "SE": ("public", "de_facto"),
    "DK": ("public", "optional"),
}

#: Give up looking for an open window after this many consecutive closed days.
_MAX_CLOSED_DAYS = 3700
#: Bounded per-date cache of concrete windows.
_WINDOW_CACHE_MAX = 50_000


# --------------------------------------------------------------------------
# 24:00 as a window end
# --------------------------------------------------------------------------


@functools.total_ordering
class _EndOfDay:
    """The end of a day, written ``24:00``; later than every ``datetime.time``.

    Has ``hour``/``minute``/``second``/``microsecond`` attributes
    (24, 0, 0, 0) so code reading a ``time`` duck-types with it.
    """

    __slots__ = ()
    hour = 24
    minute = 0
    second = 0
    microsecond = 0

    def __eq__(self, other: object) -> bool:
        return other is self

    def __lt__(self, other: object) -> bool:
        if isinstance(other, (time, _EndOfDay)):
            return False
        return NotImplemented

    def __hash__(self) -> int:
        return hash("24:00")

    def __str__(self) -> str:
        return "24:00"

    def __repr__(self) -> str:
        return "END_OF_DAY"

    def isoformat(self, timespec: str = "auto") -> str:
        return "24:00" if timespec == "minutes" else "24:00:00"

    def strftime(self, fmt: str) -> str:
        return fmt.replace("%H", "24").replace("%M", "00").replace("%S", "00")

    def __reduce__(self) -> str:
        return "END_OF_DAY"

    def __copy__(self) -> _EndOfDay:
        return self

    def __deepcopy__(self, memo: dict) -> _EndOfDay:
        return self


#: Sentinel for a window ending at midnight at the end of the day ("24:00").
END_OF_DAY = _EndOfDay()

TimeOr24 = time | _EndOfDay


def _secs(t: TimeOr24) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def _fmt_hm(t: TimeOr24) -> str:
    if t is END_OF_DAY:
        return "24:00"
    assert isinstance(t, time)
    return t.strftime("%H:%M:%S") if t.second else t.strftime("%H:%M")


# --------------------------------------------------------------------------
# Calendar
# --------------------------------------------------------------------------


class WorkCalendar:
    """Working days for a country and a time zone.

    Saturdays and Sundays are never working days; neither are the country's
    holidays in the chosen ``holidays`` categories.  Holidays are computed
    lazily, one year at a time, and cached.

    ``language`` selects the language of holiday names (English by default,
    falling back to the package's default when a country has no English
    names), so names do not depend on the process locale.
    """

    def __init__(
        self,
        country: str = "SE",
        timezone: str = "Europe/Stockholm",
        categories: tuple[str, ...] | None = None,
        language: str | None = "en_US",
    ) -> None:
        if not isinstance(country, str) or not country.strip():
            raise ValueError(f"country must be an ISO 3166 code such as 'SE', got {country!r}")
        self.country = country.strip().upper()
        try:
            self._tz = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {timezone!r}") from exc
        self.timezone = timezone
        if categories is None:
            categories = DEFAULT_CATEGORIES.get(self.country, ("public",))
        elif isinstance(categories, str):
            categories = (categories,)
        self.categories: tuple[str, ...] = tuple(c.lower() for c in categories)
        self.language = language
        self._years: dict[int, dict[date, str]] = {}
        self._language_ok: bool | None = None

    def __repr__(self) -> str:
        return (
            f"WorkCalendar(country={self.country!r}, timezone={self.timezone!r}, "
            f"categories={self.categories!r})"
        )

    @property
    def tz(self) -> ZoneInfo:
        return self._tz

    # -- holidays ----------------------------------------------------------

    def _year_holidays(self, year: int) -> dict[date, str]:
        cached = self._years.get(year)
        if cached is not None:
            return cached
        import holidays  # lazy: keeps CLI start-up fast

        kwargs: dict[str, Any] = {"years": year, "categories": self.categories}
        try:
            if self._language_ok is None:
                probe = holidays.country_holidays(self.country, categories=self.categories)
                self._language_ok = self.language in getattr(probe, "supported_languages", ())
            if self._language_ok:
                kwargs["language"] = self.language
            hols = holidays.country_holidays(self.country, **kwargs)
        except NotImplementedError as exc:
            raise ValueError(f"country {self.country!r} is not supported by the holidays package") from exc
        except ValueError as exc:
            raise ValueError(
                f"holiday categories {self.categories!r} are not valid for country {self.country!r}: {exc}"
            ) from exc
        table = {d: str(name) for d, name in hols.items() if d.year == year}
        self._years[year] = table
        return table

    def holidays_in(self, year: int) -> dict[date, str]:
        """All holidays of ``year`` as ``{date: name}`` (a copy)."""
        return dict(sorted(self._year_holidays(year).items()))

    def is_holiday(self, d: date) -> bool:
        d = _as_date(d)
        return d in self._year_holidays(d.year)

    def holiday_name(self, d: date) -> str | None:
        d = _as_date(d)
        return self._year_holidays(d.year).get(d)

    # -- working days ------------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        d = _as_date(d)
        return d.weekday() < 5 and not self.is_holiday(d)

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        d = _as_date(d) + _DAY
        while not self.is_working_day(d):
            d += _DAY
        return d

    def working_day_on_or_after(self, d: date) -> date:
        d = _as_date(d)
        return d if self.is_working_day(d) else self.next_working_day(d)

    def add_working_days(self, d: date, n: int) -> date:
        """The ``n``-th working day after ``d`` (``n == 0`` gives ``d`` itself).

        ``d`` need not be a working day: ``add_working_days(saturday, 1)`` is
        the Monday (if that is a working day).  Raises ``ValueError`` for
        ``n < 0``.
        """
        if n < 0:
            raise ValueError(f"number of working days must be >= 0, got {n}")
        d = _as_date(d)
        for _ in range(n):
            d = self.next_working_day(d)
        return d

    def due_date(self, received: date, working_days: int) -> date:
        """Promised date for an order received on ``received``.

        A non-working receipt day counts as received on the next working
        day; the result is ``working_days`` working days after that day.
        """
        return self.add_working_days(self.working_day_on_or_after(received), working_days)

    def working_days_between(self, a: date, b: date) -> int:
        """Number of working days in the half-open range ``(a, b]``.

        ``0`` when ``a == b``; when ``b < a`` the result is the negated count
        of working days in ``(b, a]``, so that
        ``working_days_between(a, b) == -working_days_between(b, a)``.
        For a working day ``a``, ``working_days_between(a, add_working_days(a, n)) == n``.
        """
        a, b = _as_date(a), _as_date(b)
        if b < a:
            return -self.working_days_between(b, a)
        count = 0
        d = a + _DAY
        while d <= b:
            if self.is_working_day(d):
                count += 1
            d += _DAY
        return count

    # -- time zone ---------------------------------------------------------

    def localize(self, naive: datetime) -> datetime:
        """Wall-clock ``naive`` as an aware datetime in the calendar's zone.

        A time in the spring-forward gap (which never shows on a clock) moves
        forward to the end of the gap, e.g. 02:30 on 2026-03-29 in Stockholm
        becomes 03:00 CEST.  An ambiguous autumn time takes its first
        occurrence (``fold=0``).  An already aware datetime is converted to
        the calendar's zone.
        """
        if naive.tzinfo is not None:
            return naive.astimezone(self._tz)
        naive = naive.replace(fold=0)
        dt = naive.replace(tzinfo=self._tz)
        back = dt.astimezone(UTC).astimezone(self._tz)
        if back.replace(tzinfo=None, fold=0) == naive:
            return dt
        # In a gap: fold=1 uses the post-transition offset (earlier instant),
        # fold=0 the pre-transition offset (later instant).  The transition
        # lies between them; find it to the second.
        lo = naive.replace(tzinfo=self._tz, fold=1).astimezone(UTC)
        hi = dt.astimezone(UTC)
        return self._find_transition(lo, hi).astimezone(self._tz)

    def _find_transition(self, lo: datetime, hi: datetime) -> datetime:
        """First instant in ``(lo, hi]`` with ``hi``'s UTC offset (UTC datetimes)."""
        tz = self._tz
        target = hi.astimezone(tz).utcoffset()
        lo_s = int(lo.timestamp())
        hi_s = int(hi.timestamp())
        if hi.microsecond:
            hi_s += 1
        while hi_s - lo_s > 1:
            mid = (lo_s + hi_s) // 2
            if datetime.fromtimestamp(mid, UTC).astimezone(tz).utcoffset() == target:
                hi_s = mid
            else:
                lo_s = mid
        return datetime.fromtimestamp(hi_s, UTC)

    def offset_changes(self, start: datetime, end: datetime) -> list[dict]:
        """UTC-offset changes ``at`` with ``start < at <= end``.

        Each item: ``{"at": aware local datetime (first instant with the new
        offset), "offset_before": timedelta, "offset_after": timedelta}``.
        """
        s = _to_utc(start, self)
        e = _to_utc(end, self)
        changes: list[dict] = []
        if e <= s:
            return changes
        step = timedelta(hours=6)
        tz = self._tz
        cur = s
        cur_off = cur.astimezone(tz).utcoffset()
        while cur < e:
            nxt = min(cur + step, e)
            nxt_off = nxt.astimezone(tz).utcoffset()
            if nxt_off != cur_off:
                at = self._find_transition(cur, nxt)
                changes.append(
                    {
                        "at": at.astimezone(tz),
                        "offset_before": cur_off,
                        "offset_after": nxt_off,
                    }
                )
            cur, cur_off = nxt, nxt_off
        return changes


def _as_date(d: date) -> date:
    if isinstance(d, datetime):
        return d.date()
    if not isinstance(d, date):
        raise TypeError(f"expected a date, got {type(d).__name__}")
    return d


def _to_utc(at: datetime, cal: WorkCalendar) -> datetime:
    if not isinstance(at, datetime):
        raise TypeError(f"expected a datetime, got {type(at).__name__}")
    if at.tzinfo is None:
        at = cal.localize(at)
    return at.astimezone(UTC)


# --------------------------------------------------------------------------
# Hour specs
# --------------------------------------------------------------------------

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


# --------------------------------------------------------------------------
# Opening hours
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """One concrete open window: ``[start, end)`` on calendar day ``day``.

    ``start``/``end`` are aware datetimes in the desk's time zone.
    """

    start: datetime
    end: datetime
    day: date

    @property
    def duration(self) -> timedelta:
        """Real elapsed length of the window."""
        return self.end.astimezone(UTC) - self.start.astimezone(UTC)

    def contains(self, at: datetime) -> bool:
        """``start <= at < end``, compared in UTC (``at`` must be aware)."""
        u = at.astimezone(UTC)
        return self.start.astimezone(UTC) <= u < self.end.astimezone(UTC)


@dataclass
class Explanation:
    """How :meth:`OpeningHours.add` got from ``start`` to ``result``.

    ``steps``: one dict per window used, in order, with ``window_start``,
    ``window_end`` (the window's bounds), ``used_from``/``used_to`` (the part
    of it consumed), ``used`` and ``remaining`` (timedelta, after this step).
    ``skipped_days``: ``{"date", "reason", "holiday"}`` for each day between
    start and result without open time; ``reason`` is the holiday name or
    ``"closed"``.  ``dst_changes``: ``{"at", "offset_before",
    "offset_after"}`` for UTC-offset changes crossed.
    """

    start: datetime
    duration: timedelta
    result: datetime
    steps: list[dict] = field(default_factory=list)
    skipped_days: list[dict] = field(default_factory=list)
    dst_changes: list[dict] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The explanation in plain English, one line per step, in time order."""
        out = [f"Start: {_fmt_dt(self.start)}. Add {_fmt_td(self.duration)} of open time."]
        first_used = self.steps[0]["used_from"] if self.steps else self.result
        if first_used.astimezone(UTC) != self.start.astimezone(UTC):
            out.append(f"Closed at the start; counting begins when it next opens, {_fmt_dt(first_used)}.")
        events: list[tuple[datetime, int, str]] = []
        for step in self.steps:
            ws, we = step["window_start"], step["window_end"]
            span = f"{_fmt_day(ws)}: open {_fmt_clock(ws, ws)}-{_fmt_clock(we, ws)}"
            used = (
                f"used {_fmt_clock(step['used_from'], ws)}-{_fmt_clock(step['used_to'], ws)}"
                f" ({_fmt_td(step['used'])})"
            )
            left = f"{_fmt_td(step['remaining'])} left" if step["remaining"] else "nothing left"
            events.append((step["used_from"], 1, f"{span}, {used}; {left}."))
        tz = self.result.tzinfo or UTC
        for skip in self.skipped_days:
            d = skip["date"]
            reason = f"holiday ({skip['reason']})" if skip.get("holiday") else "closed"
            when = datetime.combine(d, time(), tzinfo=tz)
            events.append((when, 0, f"{d.strftime('%a')} {d.isoformat()}: {reason}, skipped."))
        for ch in self.dst_changes:
            diff = ch["offset_after"] - ch["offset_before"]
            longer = "shorter" if diff > _ZERO else "longer"
            events.append(
                (
                    ch["at"],
                    2,
                    f"Clock change at {_fmt_dt(ch['at'])}: UTC offset {_fmt_off(ch['offset_before'])}"
                    f" -> {_fmt_off(ch['offset_after'])}, so that day is {_fmt_td(abs(diff))} "
                    f"{longer}; time is counted as real elapsed time.",
                )
            )
        events.sort(key=lambda e: (e[0].astimezone(UTC), e[1]))
        out.extend(text for _, _, text in events)
        out.append(f"Result: {_fmt_dt(self.result)}.")
        return out

    def to_dict(self) -> dict:
        """Plain JSON-ready data: ISO 8601 datetimes, durations in seconds."""

        def conv(v: object) -> object:
            if isinstance(v, (datetime, date)):
                return v.isoformat()
            if isinstance(v, timedelta):
                s = v.total_seconds()
                return int(s) if s == int(s) else s
            return v

        return {
            "start": conv(self.start),
            "duration_seconds": conv(self.duration),
            "result": conv(self.result),
            "steps": [{k: conv(v) for k, v in s.items()} for s in self.steps],
            "skipped_days": [{k: conv(v) for k, v in s.items()} for s in self.skipped_days],
            "dst_changes": [{k: conv(v) for k, v in s.items()} for s in self.dst_changes],
        }


def _fmt_dt(dt: datetime) -> str:
    fmt = "%a %Y-%m-%d %H:%M:%S %Z" if dt.second or dt.microsecond else "%a %Y-%m-%d %H:%M %Z"
    return dt.strftime(fmt)


def _fmt_day(dt: datetime) -> str:
    return dt.strftime("%a %Y-%m-%d")


def _fmt_clock(dt: datetime, day_of: datetime) -> str:
    """Clock time of ``dt``; midnight after ``day_of``'s date shows as 24:00."""
    if dt.date() > day_of.date() and dt.time() == time():
        return "24:00"
    return dt.strftime("%H:%M:%S") if dt.second else dt.strftime("%H:%M")


def _fmt_td(td: timedelta) -> str:
    total = int(td.total_seconds())
    if total == 0:
        return "0 min"
    h, rem = divmod(total, 3600)
    m, s = divmod(rem, 60)
    parts = []
    if h:
        parts.append(f"{h} h")
    if m:
        parts.append(f"{m} min")
    if s:
        parts.append(f"{s} s")
    return " ".join(parts)


def _fmt_off(off: timedelta | None) -> str:
    total = int((off or _ZERO).total_seconds())
    sign = "+" if total >= 0 else "-"
    h, rem = divmod(abs(total), 3600)
    return f"{sign}{h:02d}:{rem // 60:02d}"


class OpeningHours:
    """Wall-clock opening windows per weekday on a :class:`WorkCalendar`.

    ``hours`` is a :func:`parse_hours` result or a raw spec dict.  With
    ``closed_on_holidays`` (the default) a holiday of the calendar has no
    windows.  Naive datetimes passed to any method are desk-local wall time;
    aware ones may be in any zone.  Results are aware datetimes in the
    calendar's zone.
    """

    def __init__(
        self,
        calendar: WorkCalendar,
        hours: Mapping,
        closed_on_holidays: bool = True,
    ) -> None:
        self.calendar = calendar
        self.hours = parse_hours(hours)
        self.closed_on_holidays = closed_on_holidays
        self._secs: tuple[tuple[tuple[int, int], ...], ...] = tuple(
            tuple((_secs(s), _secs(e)) for s, e in self.hours[i]) for i in range(7)
        )
        self._cache: dict[date, tuple[tuple[datetime, datetime], ...]] = {}

    def __repr__(self) -> str:
        return (
            f"OpeningHours({self.calendar!r}, {format_hours(self.hours)!r}, "
            f"closed_on_holidays={self.closed_on_holidays!r})"
        )

    @property
    def has_open_time(self) -> bool:
        """False when no weekday has any window (such hours never open)."""
        return any(self._secs)

    # -- concrete windows --------------------------------------------------

    def _day_windows(self, d: date) -> tuple[tuple[datetime, datetime], ...]:
        """Concrete windows of day ``d`` as UTC ``(start, end)`` pairs, non-empty only."""
        cached = self._cache.get(d)
        if cached is not None:
            return cached
        spec = self._secs[d.weekday()]
        out: list[tuple[datetime, datetime]] = []
        if spec and not (self.closed_on_holidays and self.calendar.is_holiday(d)):
            midnight = datetime.combine(d, time())
            loc = self.calendar.localize
            for s, e in spec:
                ws = loc(midnight + timedelta(seconds=s)).astimezone(UTC)
                we = loc(midnight + timedelta(seconds=e)).astimezone(UTC)
                if we > ws:  # a window inside the spring-forward gap is empty
                    out.append((ws, we))
        result = tuple(out)
        if len(self._cache) >= _WINDOW_CACHE_MAX:
            self._cache.clear()
        self._cache[d] = result
        return result

    def _iter_windows(self, first: date) -> Iterator[tuple[date, datetime, datetime]]:
        """Concrete windows from day ``first`` onwards, forever.

        Raises ``ValueError`` when the hours have no open time at all, or
        when no window opens for ``_MAX_CLOSED_DAYS`` consecutive days.
        """
        if not self.has_open_time:
            raise ValueError("opening hours have no open time on any weekday")
        d = first
        closed_run = 0
        while True:
            wins = self._day_windows(d)
            if wins:
                closed_run = 0
                for ws, we in wins:
                    yield d, ws, we
            else:
                closed_run += 1
                if closed_run > _MAX_CLOSED_DAYS:
                    raise ValueError(f"opening hours never open in {_MAX_CLOSED_DAYS} days after {first}")
            d += _DAY

    def _local_date(self, utc_dt: datetime) -> date:
        return utc_dt.astimezone(self.calendar.tz).date()

    def _to_local(self, utc_dt: datetime) -> datetime:
        return utc_dt.astimezone(self.calendar.tz)

    # -- queries -----------------------------------------------------------

    def is_open(self, at: datetime) -> bool:
        """True when ``at`` lies inside an open window (``[start, end)``)."""
        u = _to_utc(at, self.calendar)
        d = self._local_date(u)
        for day in (d - _DAY, d):
            for ws, we in self._day_windows(day):
                if ws <= u < we:
                    return True
        return False

    def next_open(self, at: datetime) -> datetime:
        """``at`` itself (in the desk's zone) if open, else the next window's start."""
        u = _to_utc(at, self.calendar)
        for _day, ws, we in self._iter_windows(self._local_date(u) - _DAY):
            if we > u:
                return self._to_local(max(ws, u))
        raise AssertionError("unreachable")  # pragma: no cover

    def windows(self, start: datetime, end: datetime) -> list[Window]:
        """The concrete open windows overlapping ``[start, end)``, unclipped."""
        s = _to_utc(start, self.calendar)
        e = _to_utc(end, self.calendar)
        out: list[Window] = []
        if e <= s:
            return out
        d = self._local_date(s) - _DAY
        last = self._local_date(e)
        while d <= last:
            for ws, we in self._day_windows(d):
                if ws < e and we > s:
                    out.append(Window(self._to_local(ws), self._to_local(we), d))
            d += _DAY
        return out

    def open_duration(self, start: datetime, end: datetime) -> timedelta:
        """Open time inside ``[start, end)`` in real elapsed time (0 if ``end <= start``)."""
        s = _to_utc(start, self.calendar)
        e = _to_utc(end, self.calendar)
        total = _ZERO
        if e <= s:
            return total
        d = self._local_date(s) - _DAY
        last = self._local_date(e)
        while d <= last:
            for ws, we in self._day_windows(d):
                lo = max(ws, s)
                hi = min(we, e)
                if hi > lo:
                    total += hi - lo
            d += _DAY
        return total

    # -- arithmetic --------------------------------------------------------

    def _add(self, start: datetime, duration: timedelta, steps: list[dict] | None) -> datetime:
        if not isinstance(duration, timedelta):
            raise TypeError(f"duration must be a timedelta, got {type(duration).__name__}")
        if duration < _ZERO:
            raise ValueError(f"duration must not be negative, got {duration}")
        u = _to_utc(start, self.calendar)
        remaining = duration
        for _day, ws, we in self._iter_windows(self._local_date(u) - _DAY):
            if we <= u:
                continue
            seg = max(ws, u)
            avail = we - seg
            used = min(avail, remaining)
            remaining -= used
            if steps is not None and used > _ZERO:
                steps.append(
                    {
                        "window_start": self._to_local(ws),
                        "window_end": self._to_local(we),
                        "used_from": self._to_local(seg),
                        "used_to": self._to_local(seg + used),
                        "used": used,
                        "remaining": remaining,
                    }
                )
            if remaining == _ZERO:
                return self._to_local(seg + used)
        raise AssertionError("unreachable")  # pragma: no cover

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The moment ``duration`` of open time has passed after ``start``.

        Counting starts at :meth:`next_open` of ``start``; only time inside
        open windows counts, as real elapsed time.  When the duration runs
        out exactly at a window's end that end is returned.  ``duration``
        zero gives ``next_open(start)``.  Raises ``ValueError`` for a
        negative duration or hours that never open.
        """
        return self._add(start, duration, None)

    def explain_add(self, start: datetime, duration: timedelta) -> Explanation:
        """Like :meth:`add`, with the windows used, days skipped and clock changes."""
        steps: list[dict] = []
        result = self._add(start, duration, steps)
        start_local = self._to_local(_to_utc(start, self.calendar))
        skipped: list[dict] = []
        d = start_local.date()
        last = result.date()
        cal = self.calendar
        while d <= last:
            if not self._day_windows(d):
                name = cal.holiday_name(d) if self.closed_on_holidays else None
                skipped.append({"date": d, "reason": name or "closed", "holiday": name is not None})
            d += _DAY
        return Explanation(
            start=start_local,
            duration=duration,
            result=result,
            steps=steps,
            skipped_days=skipped,
            dst_changes=cal.offset_changes(start_local, result),
        )

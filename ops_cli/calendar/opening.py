"""Opening hours: wall-clock windows per weekday on a working-day calendar, and time arithmetic in them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from ops_cli.calendar.days import WorkCalendar, _to_utc
from ops_cli.calendar.hours import format_hours, parse_hours
from ops_cli.calendar.times import _DAY, _ZERO, _secs

if TYPE_CHECKING:  # imported where used: explanations are not needed at start-up
    from ops_cli.calendar.explain import Explanation, Window

#: Give up looking for an open window after this many consecutive closed days.
_MAX_CLOSED_DAYS = 3700
#: Bounded per-date cache of concrete windows.
_WINDOW_CACHE_MAX = 50_000


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

    def _windows_between(self, start: datetime, end: datetime) -> Iterator[tuple[date, datetime, datetime]]:
        """``(day, ws, we)`` of the concrete windows overlapping ``[start, end)`` (UTC), unclipped."""
        s = _to_utc(start, self.calendar)
        e = _to_utc(end, self.calendar)
        if e <= s:
            return
        d = self._local_date(s) - _DAY
        last = self._local_date(e)
        while d <= last:
            for ws, we in self._day_windows(d):
                if ws < e and we > s:
                    yield d, ws, we
            d += _DAY

    def windows(self, start: datetime, end: datetime) -> list[Window]:
        """The concrete open windows overlapping ``[start, end)``, unclipped."""
        from ops_cli.calendar.explain import Window  # not at start-up

        loc = self._to_local
        return [Window(loc(ws), loc(we), d) for d, ws, we in self._windows_between(start, end)]

    def open_duration(self, start: datetime, end: datetime) -> timedelta:
        """Open time inside ``[start, end)`` in real elapsed time (0 if ``end <= start``)."""
        s = _to_utc(start, self.calendar)
        e = _to_utc(end, self.calendar)
        total = _ZERO
        for _day, ws, we in self._windows_between(s, e):
            total += min(we, e) - max(ws, s)
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
        from ops_cli.calendar.explain import Explanation

        return Explanation(
            start=start_local,
            duration=duration,
            result=result,
            steps=steps,
            skipped_days=skipped,
            dst_changes=cal.offset_changes(start_local, result),
        )

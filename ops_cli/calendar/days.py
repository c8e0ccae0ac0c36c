"""Working days: a country's holidays (the ``holidays`` package, imported lazily) and a time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ops_cli.calendar.times import _DAY

#: Default holiday categories per country (``holidays`` package category names).
DEFAULT_CATEGORIES: dict[str, tuple[str, ...]] = {
    "SE": ("public", "de_facto"),
    "DK": ("public", "optional"),
}


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
        from ops_cli.calendar import cache  # a table kept on disk: no import of holidays (80 ms)

        entry = cache.key(self.country, self.categories, self.language, year)
        kept = cache.read(entry)
        if kept is not None:
            self._years[year] = kept
            return kept
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
        cache.write(entry, table)
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

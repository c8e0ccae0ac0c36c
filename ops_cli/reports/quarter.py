"""Quarters as reports take them: ``2026Q3``, ``2026-Q3``, ``last`` or ``current``.

A :class:`Quarter` knows its months, its first and last day, the moments it starts and ends
in the desk's time zone, and the send window of its report (days 5 to 20, config
``sla.report_send_from_day`` / ``sla.report_send_to_day``, of the month after the quarter).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ops_cli.errors import InvalidInput

_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*Q(\d)\s*$", re.IGNORECASE)
# The report of a quarter is sent in the month after it, so the last quarter is 9998Q4.
FIRST_YEAR, LAST_YEAR = 2000, 9998
RANGE = f"years {FIRST_YEAR}-{LAST_YEAR}, quarters 1-4"


@dataclass(frozen=True)
class Quarter:
    year: int
    q: int

    @property
    def label(self) -> str:
        return f"{self.year}Q{self.q}"

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * (self.q - 1) + 1, 1)

    @property
    def next_first_day(self) -> date:
        """The first day after the quarter (the 1st of the month after it)."""
        return date(self.year + (self.q == 4), (3 * self.q) % 12 + 1, 1)

    @property
    def last_day(self) -> date:
        return self.next_first_day - timedelta(days=1)

    @property
    def months(self) -> list[str]:
        first = 3 * (self.q - 1) + 1
        return [f"{self.year:04d}-{m:02d}" for m in range(first, first + 3)]

    def start(self, tz: ZoneInfo) -> datetime:
        return datetime.combine(self.first_day, time(0), tz)

    def end(self, tz: ZoneInfo) -> datetime:
        """The moment the quarter ends (exclusive): midnight starting the month after it."""
        return datetime.combine(self.next_first_day, time(0), tz)

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.q == 1 else Quarter(self.year, self.q - 1)


def quarter_of(day: date) -> Quarter:
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def parse_quarter(text: str | None, today: date | None = None) -> Quarter:
    """``2026Q3`` (also ``2026-Q3``, ``2026q3``), or ``current`` / ``last`` relative to ``today``.

    Out of range (``0000Q1``, ``2026Q5``): InvalidInput (exit 3) naming the allowed range.
    """
    word = (text or "").strip().lower()
    if word in ("current", "last") and today is not None:
        now = quarter_of(today)
        return now if word == "current" else now.previous()
    match = _QUARTER.match(text or "")
    if not match:
        raise InvalidInput(
            f"--quarter: {text!r} is not a quarter; use YYYYQn (e.g. 2026Q3), 'last' or 'current'"
        )
    year, q = int(match.group(1)), int(match.group(2))
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= q <= 4):
        raise InvalidInput(f"--quarter: {text!r} is out of range ({RANGE})")
    return Quarter(year, q)


def _day(month: date, day: int) -> date:
    """Day ``day`` of ``month``'s month, or its last day when the month is shorter
    (``sla.report_send_to_day = 31`` in April is the 30th)."""
    following = (month.replace(day=1) + timedelta(days=32)).replace(day=1)
    return month.replace(day=min(day, (following - timedelta(days=1)).day))


def send_window(quarter: Quarter, first_day: int, last_day: int) -> tuple[date, date]:
    """The days of the month after the quarter in which its report is sent (both included)."""
    month = quarter.next_first_day
    return _day(month, first_day), _day(month, last_day)


def report_date(quarter: Quarter, today: date, first_day: int, last_day: int) -> date:
    """The day a report of ``quarter`` asked for on ``today`` is dated (and sent).

    Reports go out on days ``first_day``..``last_day`` of a month, never before the window of
    the month after the quarter: ordered before that window -> its first day; inside it ->
    today; after the 20th (a late order) -> today when today is inside a later month's
    window, else the ``first_day`` of the next month.
    """
    earliest, _ = send_window(quarter, first_day, last_day)
    if today <= earliest:
        return earliest
    start, end = _day(today, first_day), _day(today, last_day)
    if start <= today <= end:
        return today
    if today < start:
        return start
    following = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    return _day(following, first_day)

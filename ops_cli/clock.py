"""The one clock of the toolkit, and the parsing of times typed by users.

``OPS_NOW`` (ISO 8601, with or without an offset; without one it is desk-local
time) replaces "now" everywhere, so that a replay, a script or a test sees the
same rules at a chosen moment. Times are stored as UTC ISO 8601 text and shown
in the desk's time zone.
"""

from __future__ import annotations

import calendar as _stdcal
import os
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from ops_cli.errors import InvalidInput


def _aware(moment: datetime, tz: ZoneInfo) -> datetime:
    if moment.tzinfo is None:
        # Wall-clock time in the desk's zone; a time in the spring-forward gap
        # is normalised forward through a round trip via UTC.
        return moment.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)
    return moment.astimezone(tz)


def parse_time(text: str, tz: ZoneInfo, what: str = "time") -> datetime:
    """Parse an ISO 8601 date or date-time typed by a user.

    A date alone means its midnight; no offset means desk-local wall-clock time.
    """
    value = text.strip()
    if not value:
        raise InvalidInput(f"{what}: empty; give an ISO 8601 time such as 2026-11-20T14:30")
    if value.lower() == "now":
        return now(tz)
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00") if value.endswith("Z") else value)
    except ValueError:
        raise InvalidInput(
            f"{what}: {text!r} is not an ISO 8601 time; use e.g. 2026-11-20T14:30 or 2026-11-20T14:30+01:00"
        ) from None
    return _aware(moment, tz)


def parse_date(text: str, what: str = "date") -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"{what}: {text!r} is not a date; use YYYY-MM-DD, e.g. 2026-11-20") from None


def parse_day(text: str, tz: ZoneInfo, what: str = "date") -> date:
    """A day typed by a user: ``YYYY-MM-DD``, or a time whose desk-local date is taken."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        pass
    try:
        return parse_time(text, tz, what).date()
    except InvalidInput:
        raise InvalidInput(f"{what}: {text!r} is not a date; use YYYY-MM-DD, e.g. 2026-11-20") from None


_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def parse_month(text: str | None, what: str = "month") -> tuple[int, int]:
    """``YYYY-MM`` typed by a user -> (year, month)."""
    match = _MONTH.match((text or "").strip())
    if not match:
        raise InvalidInput(f"{what}: {text!r} is not a month; use YYYY-MM, e.g. 2026-10")
    return int(match.group(1)), int(match.group(2))


def next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def month_end(year: int, month: int) -> date:
    return date(year, month, _stdcal.monthrange(year, month)[1])


def add_months(day: date, months: int) -> date:
    """``day`` plus calendar months; a day past the target month's end becomes its last day."""
    year, index = divmod(day.year * 12 + (day.month - 1) + months, 12)
    return date(year, index + 1, min(day.day, month_end(year, index + 1).day))


def now(tz: ZoneInfo) -> datetime:
    """Now in the desk's time zone, or the moment ``OPS_NOW`` names."""
    fixed = os.environ.get("OPS_NOW")
    if fixed:
        return parse_time(fixed, tz, what="OPS_NOW")
    return datetime.now(tz)


def to_db(moment: datetime) -> str:
    """UTC ISO 8601 text as stored: sorts as text in time order."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime cannot be stored; attach the desk's time zone first")
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def from_db(text: str | None, tz: ZoneInfo | None = None) -> datetime | None:
    if text is None:
        return None
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(tz) if tz else moment


def hours(value: float) -> timedelta:
    return timedelta(hours=value)

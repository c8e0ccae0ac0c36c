"""The one clock of the toolkit, and the parsing of times typed by users.

``OPS_NOW`` (ISO 8601, with or without an offset; without one it is desk-local
time) replaces "now" everywhere, so that a replay, a script or a test sees the
same rules at a chosen moment. Times are stored as UTC ISO 8601 text and shown
in the desk's time zone.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from ops_cli.errors import InvalidInput

#: The dates the toolkit accepts, for ``OPS_NOW``, ``--at`` and every typed date or month. The
#: top leaves a day of room so that "the next day" and a move to UTC always exist.
EARLIEST = date(2000, 1, 1)
LATEST = date(9999, 12, 30)
RANGE_TEXT = f"{EARLIEST.isoformat()} to {LATEST.isoformat()}"


def check_range(day: date, text: str, what: str) -> None:
    """Refuse a date outside :data:`EARLIEST` .. :data:`LATEST` (exit 3, naming the range)."""
    if not EARLIEST <= day <= LATEST:
        raise InvalidInput(f"{what}: {text.strip()!r} is out of range; give a date from {RANGE_TEXT}")


def _aware(moment: datetime, tz: ZoneInfo, text: str = "", what: str = "time") -> datetime:
    """Desk-local wall-clock time made aware.

    A time the clock skips (the spring-forward gap, 2026-03-29T02:30 in Stockholm) is
    refused (exit 3); a time the clock shows twice (autumn, 2026-10-25T02:30) is its first
    occurrence, still on summer time (+02:00 in Stockholm); an offset picks the other one.
    """
    if moment.tzinfo is not None:
        return moment.astimezone(tz)
    aware = moment.replace(tzinfo=tz, fold=0)
    if aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != moment:
        jump = abs((aware.utcoffset() - aware.replace(fold=1).utcoffset()).total_seconds()) / 3600
        raise InvalidInput(
            f"{what}: {(text or moment.isoformat()).strip()!r} does not exist on the {tz.key} clock: "
            f"it falls in the daylight-saving gap (the clocks go forward "
            f"{jump:g} hour{'' if jump == 1 else 's'} that night); give a time outside the gap "
            "or one with its UTC offset"
        )
    return aware


def parse_time(text: str, tz: ZoneInfo, what: str = "time", *, allow_now: bool = False) -> datetime:
    """Parse an ISO 8601 date or date-time typed by a user (``--at``, ``OPS_NOW``, ...).

    A date alone means its midnight; no offset means desk-local wall-clock time: a time
    the clock skips (DST gap) is refused, a time it shows twice is the first occurrence
    (see :func:`_aware`). Empty text and ``now`` are refused, as ``OPS_NOW`` refuses them
    (leave the option out for now), unless ``allow_now``. Dates outside
    :data:`EARLIEST` .. :data:`LATEST` are refused.
    """
    value = text.strip()
    if not value:
        raise InvalidInput(f"{what}: empty; give an ISO 8601 time such as 2026-11-20T14:30")
    if value.lower() == "now":
        if allow_now:
            return now(tz)
        raise InvalidInput(
            f"{what}: {value!r} is not a moment; give an ISO 8601 time such as 2026-11-20T14:30,"
            f" or leave {what} out for now"
        )
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00") if value.endswith("Z") else value)
    except ValueError:
        raise InvalidInput(
            f"{what}: {text!r} is not an ISO 8601 time; use e.g. 2026-11-20T14:30 or 2026-11-20T14:30+01:00"
        ) from None
    check_range(moment.date(), text, what)
    return _aware(moment, tz, text, what)


def parse_date(text: str, what: str = "date") -> date:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"{what}: {text!r} is not a date; use YYYY-MM-DD, e.g. 2026-11-20") from None
    check_range(day, text, what)
    return day


def parse_day(text: str, tz: ZoneInfo, what: str = "date") -> date:
    """A day typed by a user: ``YYYY-MM-DD``, or a time whose desk-local date is taken."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        pass
    else:
        check_range(day, text, what)
        return day
    try:
        return parse_time(text, tz, what).date()
    except InvalidInput as exc:
        if "out of range" in exc.message or "daylight-saving" in exc.message:
            raise

        raise InvalidInput(f"{what}: {text!r} is not a date; use YYYY-MM-DD, e.g. 2026-11-20") from None


_MONTH_RE = r"^(\d{4})-(0[1-9]|1[0-2])$"  # compiled on first use (re's cache)


def parse_month(text: str | None, what: str = "month") -> tuple[int, int]:
    """``YYYY-MM`` typed by a user -> (year, month)."""
    match = re.match(_MONTH_RE, (text or "").strip())
    if not match:
        raise InvalidInput(f"{what}: {text!r} is not a month; use YYYY-MM, e.g. 2026-10")
    year, month = int(match.group(1)), int(match.group(2))
    if not EARLIEST.year <= year <= LATEST.year:  # year 0 is no date at all
        raise InvalidInput(
            f"{what}: {(text or '').strip()!r} is out of range; give a month from {RANGE_TEXT}"
        )
    check_range(date(year, month, 1), text or "", what)
    return year, month


def next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def month_end(year: int, month: int) -> date:
    import calendar as _stdcal

    return date(year, month, _stdcal.monthrange(year, month)[1])


def add_months(day: date, months: int) -> date:
    """``day`` plus calendar months; a day past the target month's end becomes its last day."""
    year, index = divmod(day.year * 12 + (day.month - 1) + months, 12)
    return date(year, index + 1, min(day.day, month_end(year, index + 1).day))


def now(tz: ZoneInfo) -> datetime:
    """The business clock: now in the desk's time zone, or the moment ``OPS_NOW`` names.

    Deadlines, due dates and reports follow it. Security (the support-code lock-out) and
    the audit's recorded time follow :func:`real_now` instead.
    """
    fixed = os.environ.get("OPS_NOW")
    if fixed:
        if fixed.strip().lower() == "now":
            raise InvalidInput(
                f"OPS_NOW: 'now' is not a moment; give an ISO 8601 time from {RANGE_TEXT},"
                " e.g. 2026-11-20T14:30, or unset OPS_NOW for the real clock"
            )
        return parse_time(fixed, tz, what="OPS_NOW", allow_now=False)
    return datetime.now(tz)


def real_now(tz: ZoneInfo | None = None) -> datetime:
    """The real time, never moved by ``OPS_NOW`` (the security clock)."""
    return datetime.now(tz or UTC)


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

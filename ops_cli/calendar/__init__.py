"""Working-day calendar and business-hours engine (a package: one module per concern).

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

Modules: :mod:`.times` (weekday keys, ``24:00``), :mod:`.hours` (parsing hour specs),
:mod:`.days` (:class:`WorkCalendar`), :mod:`.opening` (:class:`OpeningHours`),
:mod:`.explain` (:class:`Explanation`, :class:`Window`).
"""

from __future__ import annotations

from ops_cli.calendar.days import DEFAULT_CATEGORIES, WorkCalendar
from ops_cli.calendar.hours import format_hours, parse_hours
from ops_cli.calendar.opening import OpeningHours
from ops_cli.calendar.times import END_OF_DAY, WEEKDAYS, TimeOr24

__all__ = [
    "DEFAULT_CATEGORIES",
    "END_OF_DAY",
    "WEEKDAYS",
    "Explanation",
    "OpeningHours",
    "TimeOr24",
    "Window",
    "WorkCalendar",
    "format_hours",
    "parse_hours",
]


def __getattr__(name: str):
    """``Explanation`` and ``Window`` on first use: their module is not needed at start-up."""
    if name in ("Explanation", "Window"):
        from ops_cli.calendar import explain

        return getattr(explain, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""Clock times of the hour specs: weekday keys and ``24:00`` as a window end."""

from __future__ import annotations

import functools
from datetime import time, timedelta

_DAY = timedelta(days=1)
_ZERO = timedelta(0)

#: Weekday keys used in hour specs, index = ``date.weekday()``.
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


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

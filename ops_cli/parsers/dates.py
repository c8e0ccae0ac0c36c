"""Dates in spreadsheet cells: date objects, Excel serial numbers and ISO text.

``cell_date`` is the one parser of a date cell (``sheets.cell_date`` is the
same function, kept for the reader's callers). ``period`` reads a KPI period:
a day or a whole month, from 2000-01 on.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

EXCEL_EPOCH = date(1899, 12, 30)  # serial 0 in the 1900 date system (with Lotus's leap-year bug)
_EXCEL_MAX = 2958466  # 9999-12-31 + 1
_SERIAL = re.compile(r"\d{1,7}(\.0+)?")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?")
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
FIRST_YEAR = 2000  # KPI periods start in 2000-01


def cell_date(value: object) -> date | None:
    """A date cell: date/datetime objects, Excel serial numbers (1900 system) or ISO ``YYYY-MM-DD`` text.

    Empty cells give None; anything else raises ``ValueError`` with a message for the user.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise ValueError(f"not a date: {value!r}")
    if isinstance(value, int | float):
        if not 1 <= value < _EXCEL_MAX:  # 1900-01-01 .. 9999-12-31
            raise ValueError(f"not a date: {value!r} is outside Excel's date range")
        return EXCEL_EPOCH + timedelta(days=int(value))
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if _SERIAL.fullmatch(text):
            return cell_date(float(text))
        try:
            if _ISO_DAY.fullmatch(text):
                return date.fromisoformat(text)
            if _ISO_TIME.fullmatch(text):
                return datetime.fromisoformat(text).date()
        except ValueError:
            pass
        raise ValueError(f"not a date: {text!r} (use YYYY-MM-DD)")
    raise ValueError(f"not a date: {value!r}")


def period(raw: object, text: str) -> str:
    """A KPI period from a cell: a day ``YYYY-MM-DD`` or a month ``YYYY-MM``, from 2000-01 on."""
    missing = "missing; give a day (YYYY-MM-DD) or a month (YYYY-MM)"
    if isinstance(raw, str) or raw is None:
        m = _MONTH.fullmatch(text)
        if m:
            year, month = int(m.group(1)), int(m.group(2))
            if not 1 <= month <= 12:
                raise ValueError(f"{text!r} is not a month (use YYYY-MM, e.g. 2026-07)")
            return _from_2000(f"{year:04d}-{month:02d}", text)
    if text == "":
        raise ValueError(missing)
    try:
        day = cell_date(raw if raw is not None else text)
    except ValueError:
        raise ValueError(f"{text!r} is not a day (YYYY-MM-DD) or a month (YYYY-MM)") from None
    if day is None:
        raise ValueError(missing)
    return _from_2000(day.isoformat(), text)


def _from_2000(key: str, text: str) -> str:
    if int(key[:4]) < FIRST_YEAR:
        raise ValueError(f"{text!r} is before {FIRST_YEAR}-01; KPI periods start in {FIRST_YEAR}-01")
    return key


__all__ = ["EXCEL_EPOCH", "FIRST_YEAR", "cell_date", "period"]

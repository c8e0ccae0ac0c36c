"""Numbers from cells and arguments: customer numbers and whole counts.

**Customer numbers** (one rule for every import and command): digits only, at
most 20. A whole number that Excel stored as a float (``1001.0``, or the float
1001.0 itself) is the number ``1001``. A leading zero is refused, never
silently dropped: ``02001`` could be customer 2001 or a typing error, so the
message says what to write (``customer number 02001 has a leading zero; write
2001``). The number ``0`` alone is accepted as written.
"""

from __future__ import annotations

import re

# [0-9], not \d: \d also matches other scripts' digits (２００１, ٢٠٠١), which would make
# look-alike customers.
_CUSTOMER = re.compile(r"[0-9]{1,20}")
_WHOLE_FLOAT = re.compile(r"([0-9]+)\.0+")
_COUNT = re.compile(r"\+?([0-9]+)(\.0+)?")

COUNT_MAX = 10**9  # default bound of a count (config ``kpi.max_count`` where there is one)


def customer_number(value: object) -> str:
    """A customer number as text: ``"1001"``; ``1001.0`` is 1001; ``02001`` is refused (ValueError)."""
    if isinstance(value, bool):
        raise ValueError(f"customer number {value!r} must be digits only (e.g. 1001)")
    if isinstance(value, float):
        if not value.is_integer() or value < 0:
            raise ValueError(f"customer number {value!r} must be digits only (e.g. 1001)")
        value = int(value)
    text = "" if value is None else str(value).strip()
    whole = _WHOLE_FLOAT.fullmatch(text)
    if whole:
        text = whole.group(1)
    if not text:
        raise ValueError("customer number is missing")
    if re.fullmatch(r"[0-9]{21,}", text):
        raise ValueError(f"customer number {text[:20]}... is too long (at most 20 digits)")
    if not _CUSTOMER.fullmatch(text):
        shown = text if len(text) <= 40 else text[:37] + "..."
        raise ValueError(f"customer number {shown!r} must be digits only (e.g. 1001)")
    if len(text) > 1 and text[0] == "0":
        raise ValueError(f"customer number {text} has a leading zero; write {text.lstrip('0') or '0'}")
    return text


def count(value: object, what: str = "number") -> int:
    """A whole number >= 0 ("250", "250.0", 250)."""
    text = str(value).strip()
    if re.fullmatch(r"[0-9]+(\.0+)?", text):
        return int(text.split(".", 1)[0])
    raise ValueError(f"{what} {text!r} must be a whole number of 0 or more")


def bounded_count(value: object, maximum: int = COUNT_MAX) -> int:
    """A count of events (KPI calls): whole, 0..maximum; ValueError with the allowed range."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a whole number")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"{value!r} is not a whole number (counts, not percentages)")
        value = int(value)
    text = "" if value is None else str(value).strip()
    if text == "":
        raise ValueError("missing; give a whole number of calls (0 or more)")
    match = _COUNT.fullmatch(text)
    if match is None:
        if text.startswith("-") and _COUNT.fullmatch(text[1:]):
            raise ValueError(f"{text} is negative; counts are 0 or more")
        raise ValueError(f"{text!r} is not a whole number (counts, not percentages)")
    digits = match.group(1)
    if len(digits) > len(str(maximum)) or int(digits) > maximum:
        shown = digits if len(digits) <= 25 else digits[:22] + "..."
        raise ValueError(f"{shown} is too large; counts are 0 to {maximum:,}")
    return int(digits)


__all__ = ["COUNT_MAX", "bounded_count", "count", "customer_number"]

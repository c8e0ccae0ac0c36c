"""TETRA identities: ISSI, TEI and MSISDN, validated and normalised in one place.

Every import and command goes through these functions, so a value is accepted
or refused the same way whether it comes from an .xlsx cell, a CSV field or
the command line.

- **ISSI** (individual short subscriber identity): an integer 1..16777214.
  16777215 (2^24 - 1, all ones) is the broadcast address and 0 is not an
  address. Leading zeros are not significant ("0000042" is 42) and an Excel
  number cell such as 12.0 is 12. Stored and printed as an integer.
- **TEI** (terminal equipment identity): 60 bits written as exactly 15 hex
  digits; stored upper-case.
- **MSISDN**: optional phone number, kept as text: digits with an optional
  leading ``+`` (spaces, hyphens, dots and brackets are dropped), 5 to 15 digits.

Each parser raises :class:`IdentityError` (a ``ValueError``) whose message is
meant for the user and names the rule that was broken.
"""

from __future__ import annotations

import re
from collections.abc import Callable

ISSI_MIN = 1
ISSI_MAX = 16_777_214
ISSI_BROADCAST = 16_777_215
TEI_DIGITS = 15

_DIGITS = re.compile(r"\d+(\.0*)?")  # "42", "0000042", "12.0" (a number cell saved as text)
_TEI = re.compile(r"[0-9A-Fa-f]{15}")
_MSISDN_SEPARATORS = re.compile(r"[\s\-.()/]")
_MSISDN = re.compile(r"\+?\d{5,15}")


class IdentityError(ValueError):
    """A value is not a valid ISSI, TEI or MSISDN; the message says why."""


def _shown(value: object) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def parse_issi(value: object) -> int:
    """An ISSI from a cell or an argument: int, integral float, or digit text (leading zeros allowed)."""
    if isinstance(value, bool) or value is None:
        raise IdentityError("ISSI is empty" if value is None else f"ISSI {value!r} is not a number")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise IdentityError(f"ISSI {value!r} is not a whole number")
        number = int(value)
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            raise IdentityError("ISSI is empty")
        if not _DIGITS.fullmatch(text):
            raise IdentityError(f"ISSI {_shown(text)} is not a whole number (digits only, e.g. 2011234)")
        number = int(text.split(".")[0])
    else:
        raise IdentityError(f"ISSI {_shown(value)} is not a number")
    if number == ISSI_BROADCAST:
        raise IdentityError(f"ISSI {number} is the broadcast address; use {ISSI_MIN}..{ISSI_MAX}")
    if not ISSI_MIN <= number <= ISSI_MAX:
        raise IdentityError(f"ISSI {number} is out of range; an ISSI is {ISSI_MIN}..{ISSI_MAX}")
    return number


def parse_tei(value: object) -> str:
    """A TEI: exactly 15 hex digits (any case), returned upper-case."""
    if value is None or isinstance(value, bool):
        raise IdentityError("TEI is empty" if value is None else f"TEI {value!r} is not 15 hex digits")
    if isinstance(value, float):
        if not value.is_integer():
            raise IdentityError(f"TEI {value!r} is not 15 hex digits")
        value = int(value)
    text = str(value).strip()
    if not text:
        raise IdentityError("TEI is empty")
    if not _TEI.fullmatch(text):
        if re.fullmatch(r"[0-9A-Fa-f]+", text):
            hint = ""
            if len(text) < TEI_DIGITS and not isinstance(value, str):
                hint = " (if the sheet dropped leading zeros, format the column as text)"
            raise IdentityError(
                f"TEI {_shown(text)} has {len(text)} digits; a TEI is exactly 15 hex digits{hint}"
            )
        bad = sorted({c for c in text if c not in "0123456789abcdefABCDEF"})
        raise IdentityError(
            f"TEI {_shown(text)} is not hexadecimal (found {''.join(bad)!r});"
            " a TEI is exactly 15 hex digits 0-9, A-F"
        )
    return text.upper()


def parse_msisdn(value: object) -> str | None:
    """An optional MSISDN: None when empty, else the number compacted to ``+`` and digits."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise IdentityError(f"MSISDN {value!r} is not a phone number")
    if isinstance(value, float):
        if not value.is_integer():
            raise IdentityError(f"MSISDN {value!r} is not a phone number")
        value = int(value)
    text = str(value).strip()
    if not text:
        return None
    compact = _MSISDN_SEPARATORS.sub("", text)
    if not _MSISDN.fullmatch(compact):
        raise IdentityError(
            f"MSISDN {_shown(text)} is not a phone number;"
            " use digits with an optional leading +, e.g. +46701234567"
        )
    return compact


def is_issi(value: object) -> bool:
    return _parses(parse_issi, value)


def is_tei(value: object) -> bool:
    return _parses(parse_tei, value)


def _parses(parse: Callable[[object], object], value: object) -> bool:
    try:
        parse(value)
    except IdentityError:
        return False
    return True


__all__ = [
    "ISSI_BROADCAST",
    "ISSI_MAX",
    "ISSI_MIN",
    "TEI_DIGITS",
    "IdentityError",
    "is_issi",
    "is_tei",
    "parse_issi",
    "parse_msisdn",
    "parse_tei",
]

"""Phone numbers typed by people or read from cells, stored as E.164.

Parsed with ``phonenumbers`` (region: config ``phone.region``, set by :func:`set_region`);
the damage a spreadsheet does to a number cell (a lost ``+`` or leading 0, a date, a float)
is refused with a hint. A number written with its ``+`` is checked on the library's own
metadata compiled into one pattern per country code (:func:`phone`, :func:`phone_column`),
without the full parse. The library loads on first use. The names are importable from
:mod:`ops_cli.parsers.contact` (and ``ops_cli.parsers``) too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import repeat
from operator import itemgetter
from typing import Any

# 3 to 20 digits, separated by spaces, hyphens, dots, slashes or parentheses, optionally after a "+".
# Written as digit-then-separators groups (possessive: a separator never gives way to a digit) so that
# the digit count needs no look-ahead over the whole text: 2-3x faster in an import's hot loop.
PHONE = re.compile(r"\+?[0-9][ ()./-]*+(?:[0-9][ ()./-]*+){2,19}")


def is_phone(text: str) -> bool:
    """Fast yes/no for already trimmed text (the hot loop of an import)."""
    return PHONE.fullmatch(text) is not None


_region = "SE"
_DATE_CELL = re.compile(
    r"\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?|\d{1,2}[./]\d{1,2}[./]\d{2,4}"
)
_NUMBER_CELL = re.compile(r"[0-9]+(?:\.[0-9]*)?[eE][+-]?[0-9]+|[0-9]+\.[0-9]+")
_SEPARATORS = str.maketrans("", "", " ()./-")
_TEXT_HINT = "format the column as text and type the number with its country code, e.g. +46 70 123 45 67"


def set_region(region: str | None) -> None:
    """The region of numbers written without a country code (config ``phone.region``)."""
    global _region
    _region = (region or "SE").strip().upper()


def phone(value: str | None, region: str | None = None) -> str | None:
    """A phone number in E.164 (``+46701234567``); None when empty.

    Written as people write them (``070-123 45 67``, ``+46 70-123 45 67``, ``0046...``). Refused
    with a hint: a spreadsheet's damage to a number cell (``46701234567`` that lost its ``+``,
    ``701234567`` that lost its leading 0, a date, ``4.67e10``) and numbers not valid for
    their country.
    """
    text = str(value if value is not None else "").strip()
    if not text:
        return None
    if text[0] == "+":
        # Written with its "+" (what our own exports write, and most sheets): no spreadsheet damage
        # is possible, so only validity is checked, on the library's own metadata compiled into one
        # pattern per country code, without the full parse (which dominated a 100k-row roster
        # import). Anything this does not accept for certain goes the full way below.
        fast = _plus_number(text)
        if fast is not None:
            return fast
    if _DATE_CELL.fullmatch(text):
        raise ValueError(
            f"{text!r} is a date, not a phone number (the spreadsheet made the cell a date); {_TEXT_HINT}"
        )
    if _NUMBER_CELL.fullmatch(text):
        raise ValueError(
            f"{text!r} is a number, not a phone number (the spreadsheet made the cell a number); {_TEXT_HINT}"
        )
    if not PHONE.fullmatch(text):
        raise ValueError(f"{text!r} is not a phone number (digits, spaces, +, -, parentheses)")
    import phonenumbers

    region = (region or _region).upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError(
            f"config phone.region {region!r} is not a region code; fix it with e.g."
            " `ops config set phone.region SE` (ISO 3166: SE, DK, NO, FI...)"
        )
    digits = text.translate(_SEPARATORS)
    try:
        number = phonenumbers.parse(text, region, keep_raw_input=True)
    except phonenumbers.NumberParseException:
        raise ValueError(f"{text!r} is not a phone number; {_TEXT_HINT}") from None
    source = phonenumbers.CountryCodeSource
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    prefix = metadata.national_prefix if metadata is not None else None
    if number.country_code_source == source.FROM_NUMBER_WITHOUT_PLUS_SIGN or (
        number.country_code_source == source.FROM_DEFAULT_COUNTRY and prefix and not digits.startswith(prefix)
    ):
        raise ValueError(_damaged(phonenumbers, text, digits, region, prefix or ""))
    if not phonenumbers.is_valid_number(number):
        raise ValueError(
            f"{text!r} is not a valid phone number (region {region} for numbers without a country code);"
            " write it with its country code, e.g. +46 70 123 45 67"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


_TYPE_DESCS = (  # any match makes a number valid: the common types first
    "mobile", "fixed_line", "toll_free", "premium_rate", "shared_cost",
    "voip", "personal_number", "pager", "uan", "voicemail",
)  # fmt: skip
_REGION_CHECKS: dict[int, tuple | None] = {}


def _region_check(phonenumbers, code: int) -> tuple | None:
    """The compiled (general, [per type]) (pattern, lengths) of a country code with one region."""
    if code not in _REGION_CHECKS:
        regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE[code]
        meta = phonenumbers.PhoneMetadata.metadata_for_region(regions[0]) if len(regions) == 1 else None

        def compiled(desc):
            if desc is None or desc.national_number_pattern is None:
                return None
            return re.compile(desc.national_number_pattern), frozenset(desc.possible_length or ())

        _REGION_CHECKS[code] = (
            None
            if meta is None
            else (compiled(meta.general_desc), [c for n in _TYPE_DESCS if (c := compiled(getattr(meta, n)))])
        )
    return _REGION_CHECKS[code]


_E164_DIGITS = re.compile(r"[1-9][0-9]{6,14}")
_DIGITS = frozenset("0123456789")
_PLUS_CHECKS: dict[str, re.Pattern[str] | None] = {}  # country code digits -> its one pattern
_NO_CODE = re.compile(r"(?!)")  # a prefix that is no country code: matches nothing
_UNSEEN: Any = object()


def _plus_number(text: str) -> str | None:
    """``+digits`` (E.164) when ``text`` is a valid number written with its "+", else None (not
    known for certain: the caller parses fully). The country code's pattern is the library's own
    rule (``is_valid_number``) on its metadata, compiled once: the full parse cost about 40 µs a
    number and dominated a big roster import (tests compare with phonenumbers on many numbers)."""
    # (what PHONE allows: a digit after the "+", then only digits and separators)
    digits = text[1:].translate(_SEPARATORS)
    if text[1:2] not in _DIGITS or not _E164_DIGITS.fullmatch(digits):
        return None
    size, check = _country(digits)
    if check is None:  # no code, or one shared by several regions (+1, +7, +44...): the full parse decides
        return None
    return "+" + digits if check.match(digits, size) else None


def _country(digits: str) -> tuple[int, re.Pattern[str] | None]:
    """(length, pattern) of the country code ``digits`` starts with (``_plus_check``); the
    pattern is None for a code shared by several regions, and for no code at all."""
    for size in (1, 2, 3):
        code = digits[:size]
        check = _PLUS_CHECKS.get(code, _UNSEEN)
        if check is _UNSEEN:
            check = _plus_check(code)
        if check is not _NO_CODE:
            return size, check
    return 0, None


def phone_column(texts: Sequence[str | None]) -> list[str] | None:
    """:func:`phone` of a whole column at once (in C, no call per cell) when every cell is a valid
    number written with its "+" under the first cell's country code (the usual sheet); None
    when any cell is not known for certain that way: then check them one by one."""
    if not texts or not all(texts):
        return None
    try:
        if set(map(itemgetter(0), texts)) != {"+"} or not _DIGITS.issuperset(map(itemgetter(1), texts)):
            return None
    except (IndexError, TypeError):  # a one-character cell, a cell that is not text
        return None
    numbers = _compact(texts)  # type: ignore[arg-type]
    whole = _whole_check(numbers[0][1:])
    if whole is None or not all(map(whole.match, numbers)):
        return None
    return numbers


def _compact(texts: Sequence[str]) -> list[str]:
    """Each text without the separators ``PHONE`` allows (``str.translate`` per cell, done on the
    column joined into one text: ~8x faster; a cell holding a line break goes cell by cell)."""
    joined = "\n".join(texts)
    if joined.count("\n") != len(texts) - 1:
        return list(map(str.translate, texts, repeat(_SEPARATORS)))
    for separator in " ()./-":
        if separator in joined:
            joined = joined.replace(separator, "")
    return joined.split("\n")


_WHOLE_CHECKS: dict[str, re.Pattern[str] | None] = {}


def _whole_check(digits: str) -> re.Pattern[str] | None:
    """The pattern of a whole ``+digits`` number under the country code ``digits`` starts with."""
    size, check = _country(digits)
    if check is None:
        return None
    code = digits[:size]
    if code not in _WHOLE_CHECKS:
        span = f"(?=[0-9]{{{7 - size},{15 - size}}}\\Z)"  # E.164: 7 to 15 digits in all
        _WHOLE_CHECKS[code] = re.compile(f"\\+{code}{span}{check.pattern}")
    return _WHOLE_CHECKS[code]


def _plus_check(code: str) -> re.Pattern[str] | None:
    """One pattern for the national part of ``+code...``: not starting with 0, the general
    pattern and lengths, and any number type's pattern and lengths (``is_valid_number``)."""
    import phonenumbers

    if int(code) not in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
        _PLUS_CHECKS[code] = _NO_CODE
        return _NO_CODE
    check = _region_check(phonenumbers, int(code))
    pattern = None
    if check is not None and check[0] is not None and check[1]:

        def part(one: tuple) -> str:
            regex, lengths = one
            size = "|".join(f"[0-9]{{{n}}}\\Z" for n in sorted(lengths))
            return (f"(?={size})" if size else "") + f"(?:{regex.pattern})\\Z"

        general, types = check
        try:
            pattern = re.compile(
                f"(?!0)(?={part(general)})(?:" + "|".join(f"(?={part(t)})" for t in types) + ")"
            )
        except re.error:
            pattern = None
    _PLUS_CHECKS[code] = pattern
    return pattern


def _damaged(phonenumbers, text: str, digits: str, region: str, prefix: str) -> str:
    """Why a number without ``+`` or a leading 0 is refused (a spreadsheet number cell drops them)."""
    candidates = [("+" + digits, "its '+'")] + (
        [(prefix + digits, f"its leading {prefix}")] if prefix else []
    )
    for candidate, what in candidates:
        try:
            number = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            return (
                f"{text!r} looks like {e164} without {what} (a spreadsheet number cell drops it);"
                f" write {e164} and format the column as text"
            )
    return f"{text!r} has neither a country code (+46...) nor a leading {prefix or 0}; {_TEXT_HINT}"


def phone_display(stored: str | None) -> str | None:
    """A stored phone as people read it: ``+46 70 123 45 67`` (text that does not parse: as stored)."""
    if not stored:
        return stored
    import phonenumbers

    try:
        number = phonenumbers.parse(stored, _region)
    except phonenumbers.NumberParseException:
        return stored
    if not phonenumbers.is_valid_number(number):
        return stored
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)

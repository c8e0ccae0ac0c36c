"""ops_cli.parsers: the one customer-number rule, bounded counts, names (NFC, hidden characters),
KPI periods, and the old module paths kept as re-export shims."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ops_cli.parsers import dates, numbers, text


# ------------------------------------------------------------------ customer numbers
@pytest.mark.parametrize(
    "value, expected",
    [
        ("1001", "1001"),
        (" 2001 ", "2001"),
        ("1001.0", "1001"),
        ("1001.00", "1001"),
        (1001.0, "1001"),
        (1001, "1001"),
        ("0", "0"),
    ],
)
def test_customer_number_accepts_whole_numbers_and_excel_floats(value, expected):
    assert numbers.customer_number(value) == expected


@pytest.mark.parametrize("value", ["02001", "02001.0", "007"])
def test_customer_number_refuses_leading_zeros_with_the_number_to_write(value):
    with pytest.raises(ValueError) as exc:
        numbers.customer_number(value)
    digits = str(value).split(".")[0]
    assert str(exc.value) == f"customer number {digits} has a leading zero; write {digits.lstrip('0')}"


@pytest.mark.parametrize("value", ["", None, "10a1", "-5", "1001.5", 1001.5, "12 34", True, "1" * 21])
def test_customer_number_refuses_the_rest(value):
    with pytest.raises(ValueError):
        numbers.customer_number(value)


@given(st.integers(min_value=1, max_value=10**15))
def test_customer_number_text_and_float_agree(n):
    assert numbers.customer_number(str(n)) == numbers.customer_number(float(n)) == str(n)


# ------------------------------------------------------------------ counts
@pytest.mark.parametrize(
    "value, expected", [("0", 0), ("+12", 12), ("250.0", 250), (7.0, 7), ("1000000000", 10**9)]
)
def test_bounded_count(value, expected):
    assert numbers.bounded_count(value) == expected


@pytest.mark.parametrize(
    "value, message",
    [
        ("1000000001", "1000000001 is too large; counts are 0 to 1,000,000,000"),
        ("9" * 40, "is too large; counts are 0 to 1,000,000,000"),
        ("-3", "-3 is negative; counts are 0 or more"),
        ("98.5%", "is not a whole number (counts, not percentages)"),
        ("", "missing; give a whole number of calls"),
    ],
)
def test_bounded_count_refuses(value, message):
    with pytest.raises(ValueError) as exc:
        numbers.bounded_count(value)
    assert message in str(exc.value)


def test_bounded_count_takes_the_configured_maximum():
    assert numbers.bounded_count("50", 50) == 50
    with pytest.raises(ValueError, match="counts are 0 to 49"):
        numbers.bounded_count("50", 49)


# ------------------------------------------------------------------ names
def test_name_is_nfc():
    nfd = unicodedata.normalize("NFD", "Göteborg")
    assert nfd != "Göteborg"
    assert text.name(nfd) == "Göteborg"
    assert text.zone(f"  {nfd}   C ") == "Göteborg C"


@pytest.mark.parametrize(
    "ch",
    [
        chr(c)
        for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF]
    ],
)
def test_name_refuses_bidi_and_zero_width_characters(ch):
    with pytest.raises(ValueError, match=f"U\\+{ord(ch):04X}"):
        text.name(f"Eva{ch}Lund")


def test_names_over_a_column():
    values, problems = text.names(["Anna", "", unicodedata.normalize("NFD", "Åsa"), "Bo\u200bB"])
    assert values[:3] == ["Anna", "", "Åsa"]
    assert problems == {1: "name is missing", 3: problems[3]}
    assert "U+200B ZERO WIDTH SPACE" in problems[3]


def test_names_ascii_fast_path_returns_the_column():
    column = ["Anna", "Bo"]
    assert text.names(column) == (column, {})


# ------------------------------------------------------------------ dates and periods
@pytest.mark.parametrize(
    "raw, shown, expected",
    [
        (None, "2026-07", "2026-07"),
        ("2026-7", "2026-7", "2026-07"),
        (None, "2000-01", "2000-01"),
        (date(2026, 7, 3), "2026-07-03", "2026-07-03"),
        (46206, "46206", "2026-07-03"),
    ],
)
def test_period(raw, shown, expected):
    assert dates.period(raw, shown) == expected


@pytest.mark.parametrize("shown", ["1999-12", "1999-12-31", "0000-01"])
def test_period_starts_in_2000(shown):
    with pytest.raises(ValueError, match="KPI periods start in 2000-01"):
        dates.period(None, shown)


def test_sheets_cell_date_still_works():
    from ops_cli.sheets import cell_date

    assert cell_date("2026-07-01") == dates.cell_date("2026-07-01") == date(2026, 7, 1)


def test_customer_numbers_take_ascii_digits_only():
    import pytest

    from ops_cli.parsers.numbers import customer_number

    for look_alike in ("２００１", "٢٠٠١"):
        with pytest.raises(ValueError, match="digits only"):
            customer_number(look_alike)
    with pytest.raises(ValueError, match="at most 20 digits"):
        customer_number("1" * 21)
    assert customer_number("1" * 20) == "1" * 20


def test_decomposed_swedish_role_names_are_read():
    import unicodedata

    from ops_cli.parsers.contact import roles

    assert roles(unicodedata.normalize("NFD", "beställare, telefoniansvarig")) == ["orderer", "telephony"]


def test_the_fast_international_check_agrees_with_phonenumbers():
    """A number written with its "+" is checked on the library's compiled metadata without the
    full parse; on thousands of numbers it must say exactly what phonenumbers says."""
    import random

    import phonenumbers
    import pytest

    from ops_cli.parsers.contact import phone

    rng = random.Random(2026)
    codes = (46, 45, 47, 358, 49, 44, 1, 39, 33, 34, 7, 31, 354, 298)
    samples = [f"+{c}{rng.randint(10**4, 10**12)}" for c in codes for _ in range(300)]
    samples += [
        f"+46 70-{rng.randint(10**6, 10**7)}",
        f"+46 (0)70 {rng.randint(10**6, 10**7)}",
        "+39 06 1234 5678",
    ]
    valid = 0
    for written in samples:
        number = phonenumbers.parse(written, None)
        if phonenumbers.is_valid_number(number):
            valid += 1
            assert phone(written) == phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        else:
            with pytest.raises(ValueError):
                phone(written)
    assert 100 < valid < len(samples)  # both kinds were tried


def test_the_fast_international_check_agrees_on_every_regions_example_numbers():
    """The per-country-code pattern accepts a number written with "+" only when phonenumbers
    calls it valid, and gives the same E.164 (the example number of every type of every region,
    and random digits under every country code)."""
    import random

    import phonenumbers

    from ops_cli.parsers.phones import _plus_number, phone

    rng = random.Random(16)
    samples = [
        phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        for region in sorted(phonenumbers.SUPPORTED_REGIONS)
        for kind in range(12)
        if (example := phonenumbers.example_number_for_type(region, kind)) is not None
    ]
    samples += [
        f"+{c}{rng.randint(10**4, 10**12)}"
        for c in phonenumbers.COUNTRY_CODE_TO_REGION_CODE
        for _ in range(5)
    ]
    fast = 0
    for written in samples:
        number = phonenumbers.parse(written, None)
        want = (
            phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            if phonenumbers.is_valid_number(number)
            else None
        )
        quick = _plus_number(written)
        if quick is not None:
            fast += 1
            assert quick == want, written
        try:
            got = phone(written)
        except ValueError:
            got = None
        assert got == want, written
    assert fast > 500  # the fast path answered most of the valid ones


def test_a_whole_phone_column_at_once_says_what_each_cell_says():
    """``phone_column`` gives exactly ``phone`` of every cell, or None (then each cell is checked
    one by one): one bad, empty, damaged or other-country cell anywhere and it does not answer."""
    import phonenumbers

    from ops_cli.parsers.contact import phone, phone_column

    for region in ("SE", "DK", "DE", "NL"):  # each its country code's only region
        column = [
            phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
            for kind in range(12)
            if (example := phonenumbers.example_number_for_type(region, kind)) is not None
            and phonenumbers.is_valid_number(example)
        ]
        assert phone_column(column) == [phone(cell) for cell in column], region
    assert phone_column(["+47 40 61 23 45"]) is None  # +47 is Norway and Svalbard: the full parse decides
    good = ["+46 70 123 45 67", "+46 (70) 765-43.21", "+46-8-123 456 78"]
    assert phone_column(good) == [phone(cell) for cell in good]
    for odd in ("", "+", "+ 46701234567", "+46 070 123 45 67", "+4670123", "+45 32 12 34 56", "0701234567"):
        assert phone_column([*good, odd]) is None, odd
    assert phone_column([]) is None

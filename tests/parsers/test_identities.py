"""ISSI, TEI and MSISDN: the one validator module every import and command uses."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ops_cli.parsers.identities import (
    ISSI_BROADCAST,
    ISSI_MAX,
    IdentityError,
    is_issi,
    is_tei,
    parse_issi,
    parse_msisdn,
    parse_tei,
)

HEX = "0123456789abcdefABCDEF"


# ------------------------------------------------------------------ ISSI: the edge values
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, 1),
        ("1", 1),
        (16777214, 16777214),
        ("16777214", 16777214),
        ("0000042", 42),
        (12.0, 12),  # an Excel number cell
        ("12.0", 12),  # the same cell saved as text
        (" 2010001 ", 2010001),
    ],
)
def test_issi_accepted(value, expected):
    assert parse_issi(value) == expected
    assert isinstance(parse_issi(value), int)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (0, "out of range; an ISSI is 1..16777214"),
        ("0", "out of range"),
        ("0000000", "out of range"),
        (16777215, "broadcast address"),
        ("16777215", "broadcast address"),
        (16777216, "out of range"),
        (-5, "out of range"),
        ("-5", "not a whole number"),
        (12.5, "not a whole number"),
        ("12.5", "not a whole number"),
        ("1e3", "not a whole number"),
        ("20A", "not a whole number"),
        ("", "empty"),
        ("   ", "empty"),
        (None, "empty"),
        (True, "not a number"),
    ],
)
def test_issi_refused(value, message):
    with pytest.raises(IdentityError, match=message.replace(".", r"\.")):
        parse_issi(value)
    assert not is_issi(value)


@given(st.integers(min_value=1, max_value=ISSI_MAX), st.integers(min_value=0, max_value=8))
def test_issi_round_trips_through_every_cell_form(n, zeros):
    assert parse_issi(n) == n
    assert parse_issi(str(n)) == n
    assert parse_issi("0" * zeros + str(n)) == n
    assert parse_issi(float(n)) == n
    assert parse_issi(str(parse_issi(n))) == n


@given(st.one_of(st.integers(max_value=0), st.integers(min_value=ISSI_BROADCAST)))
def test_issi_outside_the_range_is_refused(n):
    with pytest.raises(IdentityError):
        parse_issi(n)


@given(st.text())
def test_issi_parser_never_crashes_and_is_in_range(text):
    try:
        n = parse_issi(text)
    except IdentityError:
        return
    assert 1 <= n <= ISSI_MAX


# ------------------------------------------------------------------ TEI
def test_tei_stored_upper_case():
    assert parse_tei("3a1f0c00000beef") == "3A1F0C00000BEEF"
    assert parse_tei(" 3A1F0C00000BEEF ") == "3A1F0C00000BEEF"


def test_tei_from_an_all_digit_number_cell():
    assert parse_tei(123456789012345) == "123456789012345"
    assert parse_tei(123456789012345.0) == "123456789012345"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("3A1F0C00000BEE", "has 14 digits; a TEI is exactly 15 hex digits"),
        ("3A1F0C00000BEEF0", "has 16 digits"),
        ("3A1F0C00000BEEG", "is not hexadecimal (found 'G')"),
        ("3A1F-0C00000BEE", "is not hexadecimal"),
        ("", "empty"),
        (None, "empty"),
        (12345678901234, "leading zeros"),  # a number cell that lost its leading zero
    ],
)
def test_tei_refused(value, message):
    with pytest.raises(IdentityError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_tei(value)
    assert not is_tei(value)


@given(st.text(alphabet=HEX, min_size=15, max_size=15))
def test_any_15_hex_digits_are_a_tei(text):
    tei = parse_tei(text)
    assert tei == text.upper()
    assert len(tei) == 15
    assert parse_tei(tei.lower()) == tei


@given(st.text(alphabet=HEX, min_size=0, max_size=30).filter(lambda t: len(t) != 15))
def test_any_other_length_is_refused(text):
    with pytest.raises(IdentityError):
        parse_tei(text)


@given(
    st.text(min_size=15, max_size=15).filter(
        lambda t: any(c not in HEX for c in t.strip()) or len(t.strip()) != 15
    )
)
def test_non_hex_is_refused(text):
    with pytest.raises(IdentityError):
        parse_tei(text)


# ------------------------------------------------------------------ MSISDN
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("+46 70 123 45 67", "+46701234567"),
        ("070-123 45 67", "0701234567"),
        (46701234567, "46701234567"),
        (46701234567.0, "46701234567"),
        ("", None),
        (None, None),
    ],
)
def test_msisdn(value, expected):
    assert parse_msisdn(value) == expected


@pytest.mark.parametrize("value", ["abc", "+46 70 12x", "123", "+1234567890123456", "++46701234567"])
def test_msisdn_refused(value):
    with pytest.raises(IdentityError, match="not a phone number"):
        parse_msisdn(value)


@given(st.text(alphabet="0123456789", min_size=5, max_size=15), st.booleans())
def test_msisdn_digits_survive(digits, plus):
    text = ("+" if plus else "") + digits
    assert parse_msisdn(text) == text

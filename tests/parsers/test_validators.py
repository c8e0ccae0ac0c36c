"""ops_cli.parsers (was ops_cli.validators): customer numbers, emails, phones, roles, domains, flags."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ops_cli import parsers as v


@pytest.mark.parametrize("text, expected", [("1001", "1001"), (" 2001 ", "2001"), ("1001.0", "1001")])
def test_customer_number(text, expected):
    assert v.customer_number(text) == expected


@pytest.mark.parametrize("text", ["", "10a1", "-5", "1001.5", "12 34"])
def test_customer_number_rejects(text):
    with pytest.raises(ValueError):
        v.customer_number(text)


@given(st.integers(min_value=0, max_value=10**15))
def test_customer_number_any_integer_round_trips(n):
    assert v.customer_number(str(n)) == str(n)
    assert v.customer_number(f"{n}.0") == str(n)


@pytest.mark.parametrize(
    "text, expected",
    [(" Anna.Berg@Polisen.Example ", "anna.berg@polisen.example"), ("a+b@x.co", "a+b@x.co")],
)
def test_email(text, expected):
    assert v.email(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "anna",
        "anna@",
        "@x.example",
        "a b@x.example",
        "a@x",
        "a..b@x.example",
        "a@b@x.example",
        "a@-x.example",
        ".a@x.example",
        "a.@x.example",
    ],
)
def test_email_rejects(text):
    with pytest.raises(ValueError):
        v.email(text)


@given(st.from_regex(r"[a-z][a-z0-9._-]{0,10}[a-z0-9]@[a-z]{1,10}\.[a-z]{2,5}", fullmatch=True))
def test_email_valid_addresses_are_lowercased_and_kept(address):
    if ".." in address:
        return
    assert v.email(address.upper()) == address


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("+46701234567", "+46701234567"),
        ("070-123 45 67", "+46701234567"),
        ("+46 (0)8 555 010 00", "+46855501000"),
    ],
)
def test_phone_stored_as_e164(text, e164):
    assert v.phone(text) == e164


@pytest.mark.parametrize("text", ["abc", "12", "+46 70 x", "=1+2", "1" * 21, "++46 70", "112"])
def test_phone_rejects(text):
    with pytest.raises(ValueError):
        v.phone(text)


def test_phone_empty_is_none():
    assert v.phone("  ") is None and v.phone(None) is None


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("beställare", ["orderer"]),
        ("Beställare, Telefoniansvarig", ["orderer", "telephony"]),
        ("kontaktperson;orderer", ["contact", "orderer"]),
        ("telefoniansvarlig", ["telephony"]),
        ("ansvarig  medarbetare", ["viewer"]),
        (["viewer", "contact", "viewer"], ["contact", "viewer"]),
    ],
)
def test_roles(cell, expected):
    assert v.roles(cell) == expected


def test_roles_unknown_names_them_and_lists_allowed():
    with pytest.raises(
        ValueError, match=r"unknown role 'chef'; roles are orderer, contact, telephony, viewer"
    ):
        v.roles("beställare, chef")
    with pytest.raises(ValueError, match="at least one role"):
        v.roles(" , ")


def test_kind_flag_count_domains_text_cell():
    assert v.kind("Funktion") == "function" and v.kind("") == "person"
    with pytest.raises(ValueError):
        v.kind("robot")
    assert v.flag("Ja") is True and v.flag("") is False and v.flag("no") is False
    with pytest.raises(ValueError):
        v.flag("maybe")
    assert v.count("400") == 400 and v.count("13.0") == 13
    with pytest.raises(ValueError):
        v.count("-1")
    assert v.domains("Polisen.example; @rtj.example polisen.example") == ["polisen.example", "rtj.example"]
    with pytest.raises(ValueError):
        v.domains("not a domain!")
    assert v.text_cell("'=SUM(A1)") == "=SUM(A1)" and v.text_cell("'quoted") == "'quoted"

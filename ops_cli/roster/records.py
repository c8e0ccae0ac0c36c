"""Shared shapes of the roster package: a customer or entry as a dict, checked numbers and emails."""

from __future__ import annotations

import re
from typing import Any

from ops_cli import parsers as v
from ops_cli.errors import InvalidInput

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # C0 controls (tab, line breaks too), DEL, C1

ENTRY_COLUMNS = ["customer", "name", "email", "phone", "roles", "kind"]

CUSTOMER_LIST_COLUMNS = [
    "number",
    "name",
    "agreement",
    "binding_until",
    "sla_tier",
    "service_level",
    "fleet",
    "kam",
    "swap_policy",
    "department",
    "domains",
]


def _customer_dict(row: Any, domains: list[str]) -> dict[str, Any]:
    return {
        "number": row["number"],
        "name": row["name"],
        "agreement": row["agreement"],
        "binding_until": row["binding_until"],
        "sla_tier": row["sla_tier"],
        "service_level": row["service_level"],
        "fleet": row["fleet"],
        "kam": bool(row["kam"]),
        "swap_policy": row["swap_policy"],
        "department": row["department"],
        "domains": domains,
    }


def _entry_dict(row: Any) -> dict[str, Any]:
    return {
        "customer": row["customer"],
        "name": row["name"],
        "email": row["email"],
        "phone": row["phone"],
        "roles": [r for r in row["roles"].split(",") if r],
        "kind": row["kind"],
    }


def _customer_number(number: str) -> str:
    """A customer number typed on the command line: ASCII digits 0-9 only (``２００１`` or ``٢٠٠١``
    would otherwise become a second customer that looks like 2001)."""
    text = str(number).strip()
    if not text.isascii() and any(ch.isdigit() for ch in text):
        raise InvalidInput(f"customer number {text!r} must be written with the digits 0-9 (e.g. 1001)")
    try:
        return v.customer_number(number)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None


NAME_MAX = 200  # characters in a person's, function's or customer's name


def checked_name(value: object, what: str = "name") -> str:
    """A name typed on the command line or read from a customer sheet (``ValueError`` otherwise).

    On top of :func:`ops_cli.parsers.name` (trimmed, NFC, no bidi or zero-width characters): no
    control character (a tab, a line break, U+0001: they break tables, an .xlsx export refuses
    them and a .csv export could not be imported again) and at most :data:`NAME_MAX` characters.
    """
    text = v.name(value, what)
    bad = _CONTROL.search(text)
    if bad:
        raise ValueError(
            f"{what} contains the control character U+{ord(bad.group()):04X}; a {what} is one line of text"
        )
    if len(text) > NAME_MAX:
        raise ValueError(f"{what} is {len(text):,} characters long; write at most {NAME_MAX} characters")
    return text


def _email(text: str) -> str:
    try:
        return v.email(text)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None

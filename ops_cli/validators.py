"""Validators for values typed by people or read from spreadsheet cells.

Each returns the normalised value or raises ``ValueError`` with a message that
says what is wrong and what is expected; callers turn it into a ``Problem``
with the file, row and column. Identities of radio units (ISSI, TEI, MSISDN)
are in ``ops_cli/identities.py``.
"""

from __future__ import annotations

import re
from datetime import date

ROLES = ("orderer", "contact", "telephony", "viewer")
KINDS = ("person", "function")
SERVICE_LEVELS = ("none", "bas", "prof")
SWAP_POLICIES = ("loan", "exchange")

# Role names as customers write them on their roster sheets (English and Swedish).
ROLE_ALIASES: dict[str, str] = {
    "orderer": "orderer",
    "authorised orderer": "orderer",
    "authorized orderer": "orderer",
    "beställare": "orderer",
    "bestallare": "orderer",
    "behörig beställare": "orderer",
    "contact": "contact",
    "authorised contact": "contact",
    "authorized contact": "contact",
    "kontaktperson": "contact",
    "kontakt": "contact",
    "behörig kontaktperson": "contact",
    "telephony": "telephony",
    "telephony responsible": "telephony",
    "telefoniansvarig": "telephony",
    "telefoniansvarlig": "telephony",
    "viewer": "viewer",
    "läsare": "viewer",
    "ansvarig medarbetare": "viewer",
}
KIND_ALIASES = {"person": "person", "function": "function", "funktion": "function", "": "person"}

_CUSTOMER = re.compile(r"\d{1,20}")
# Pragmatic: one @, a local part without spaces, a domain of dot-separated labels with a TLD.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
EMAIL = re.compile(  # dot-separated atoms (no leading, trailing or double dot) @ labels . tld
    rf"{_ATOM}(?:\.{_ATOM})*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{{0,61}}[A-Za-z0-9])?\.)+[A-Za-z]{{2,63}}"
)
_DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
# 3 to 20 digits, separated by spaces, hyphens, dots, slashes or parentheses, optionally after a "+".
# Written as digit-then-separators groups (possessive: a separator never gives way to a digit) so that
# the digit count needs no look-ahead over the whole text: 2-3x faster in an import's hot loop.
PHONE = re.compile(r"\+?[0-9][ ()./-]*+(?:[0-9][ ()./-]*+){2,19}")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def customer_number(value: str) -> str:
    """Digits only ("1001"); an Excel float like "1001.0" is accepted as 1001."""
    text = str(value).strip()
    if re.fullmatch(r"\d+\.0+", text):
        text = text.split(".", 1)[0]
    if not text:
        raise ValueError("customer number is missing")
    if not _CUSTOMER.fullmatch(text):
        raise ValueError(f"customer number {text!r} must be digits only (e.g. 1001)")
    return text


def email(value: str) -> str:
    """Trimmed and lower-cased; must look like name@domain.tld."""
    text = str(value).strip().lower()
    if not text:
        raise ValueError("email is missing")
    if len(text) > 254 or not EMAIL.fullmatch(text):
        raise ValueError(f"{text!r} is not a valid email address")
    return text


def is_email(text: str) -> bool:
    """Fast yes/no for already trimmed, lower-case text (the hot loop of an import)."""
    return len(text) <= 254 and EMAIL.fullmatch(text) is not None


def is_phone(text: str) -> bool:
    """Fast yes/no for already trimmed text (the hot loop of an import)."""
    return PHONE.fullmatch(text) is not None


def domain(value: str) -> str:
    """An email domain, lower case, without a leading ``@``: ``polisen.example``."""
    text = str(value).strip().lower().lstrip("@")
    if not _DOMAIN.fullmatch(text):
        raise ValueError(f"{text!r} is not a valid domain (e.g. polisen.example)")
    return text


def domains(value: str | list[str] | tuple[str, ...]) -> list[str]:
    """Domains from a list or a comma/semicolon/space-separated cell; sorted, unique."""
    parts = value if isinstance(value, list | tuple) else re.split(r"[,;\s]+", str(value))
    return sorted({domain(p) for p in parts if p and p.strip()})


def phone(value: str | None) -> str | None:
    """Kept as text exactly as written (``+46 70-123 45 67``), trimmed; None when empty."""
    text = (value or "").strip()
    if not text:
        return None
    if not PHONE.fullmatch(text):
        raise ValueError(f"{text!r} is not a phone number (digits, spaces, +, -, parentheses)")
    return text


def roles(value: str | list[str] | tuple[str, ...]) -> list[str]:
    """Roles from a list or a cell ("beställare, telefoniansvarig"), sorted and unique."""
    parts = value if isinstance(value, list | tuple) else re.split(r"[,;/+\n]+", str(value))
    found: set[str] = set()
    unknown: list[str] = []
    for part in parts:
        key = " ".join(str(part).strip().lower().split())
        if not key:
            continue
        role = ROLE_ALIASES.get(key)
        if role is None:
            unknown.append(str(part).strip())
        else:
            found.add(role)
    if unknown:
        raise ValueError(
            f"unknown role{'s' if len(unknown) > 1 else ''} {', '.join(repr(u) for u in unknown)}; "
            f"roles are {', '.join(ROLES)} (Swedish: beställare, kontaktperson, telefoniansvarig)"
        )
    if not found:
        raise ValueError(f"at least one role is needed ({', '.join(ROLES)})")
    return sorted(found)


def kind(value: str | None) -> str:
    key = (value or "").strip().lower()
    if key not in KIND_ALIASES:
        raise ValueError(f"kind {value!r} must be person or function")
    return KIND_ALIASES[key]


def choice(value: str, allowed: tuple[str, ...] | list[str], what: str) -> str:
    key = str(value).strip().lower()
    if key not in allowed:
        raise ValueError(f"unknown {what} {value!r}; allowed: {', '.join(allowed)}")
    return key


def count(value: str | int, what: str = "number") -> int:
    """A whole number >= 0 ("250", "250.0", 250)."""
    text = str(value).strip()
    if re.fullmatch(r"\d+(\.0+)?", text):
        return int(text.split(".", 1)[0])
    raise ValueError(f"{what} {text!r} must be a whole number of 0 or more")


def flag(value: str | bool | None) -> bool:
    """yes/no cells: true/false, yes/no, ja/nej, 1/0, x, empty = no."""
    if isinstance(value, bool):
        return value
    key = (value or "").strip().lower()
    if key in ("1", "true", "yes", "y", "ja", "j", "x"):
        return True
    if key in ("", "0", "false", "no", "n", "nej"):
        return False
    raise ValueError(f"{value!r} is not yes or no")


def cell_date(value: object) -> date | None:
    """A date cell (date, Excel serial or YYYY-MM-DD); see ``sheets.cell_date``."""
    from ops_cli.sheets import cell_date as _cell_date

    return _cell_date(value)


def text_cell(value: str) -> str:
    """Free text from a cell, trimmed; undoes the leading ``'`` that CSV exports add before ``=+-@``."""
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(_FORMULA_START):
        return text[1:]
    return text

"""Contact data typed by people or read from cells: emails, phones, roles, kinds, domains, choices.

Each parser returns the normalised value or raises ``ValueError`` with a
message that says what is wrong and what is expected; callers turn it into a
``Problem`` with the file, row and column.

Phones live in :mod:`ops_cli.parsers.phones` (``phonenumbers``, stored as E.164); their
names are importable from here as before. Emails are checked with ``email-validator``
(syntax only, never the network), loaded on first use.
"""

from __future__ import annotations

import re
import unicodedata

# The phone parsers, importable from here as before (phone_column too, though not in __all__).
from ops_cli.parsers.phones import PHONE, is_phone, phone, phone_display, set_region
from ops_cli.parsers.phones import phone_column as phone_column

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

# Pragmatic: one @, a local part without spaces, a domain of dot-separated labels with a TLD.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
EMAIL = re.compile(  # dot-separated atoms (no leading, trailing or double dot) @ labels . tld
    rf"{_ATOM}(?:\.{_ATOM})*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{{0,61}}[A-Za-z0-9])?\.)+[A-Za-z]{{2,63}}"
)
_DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")


def email(value: str) -> str:
    """Trimmed and lower-cased; valid syntax (``email-validator``, no network) and name@domain.tld."""
    text = str(value).strip().lower()
    if not text:
        raise ValueError("email is missing")
    from email_validator import EmailNotValidError, validate_email

    try:
        # Syntax only: no DNS lookups (test_environment: no network, .test domains allowed).
        validate_email(text, check_deliverability=False, test_environment=True)
    except EmailNotValidError as exc:
        raise ValueError(f"{text!r} is not a valid email address ({str(exc).rstrip('.')})") from None
    if not text.isascii():
        raise ValueError(
            f"{text!r} is not a valid email address (non-ASCII characters); write the address as the"
            " mail system knows it, with an international domain in its xn-- form"
        )
    if len(text) > 254 or not EMAIL.fullmatch(text):
        raise ValueError(f"{text!r} is not a valid email address (expected name@domain.tld)")
    return text


def is_email(text: str) -> bool:
    """Fast yes/no for already trimmed, lower-case text (the hot loop of an import)."""
    return len(text) <= 254 and EMAIL.fullmatch(text) is not None


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


def roles(value: str | list[str] | tuple[str, ...]) -> list[str]:
    """Roles from a list or a cell ("beställare, telefoniansvarig"), sorted and unique."""
    parts = value if isinstance(value, list | tuple) else re.split(r"[,;/+\n]+", str(value))
    found: set[str] = set()
    unknown: list[str] = []
    for part in parts:
        # NFC: a macOS sheet or terminal writes "beställare" decomposed (a + U+0308).
        key = " ".join(unicodedata.normalize("NFC", str(part)).strip().lower().split())
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


__all__ = [
    "EMAIL",
    "KINDS",
    "KIND_ALIASES",
    "PHONE",
    "ROLES",
    "ROLE_ALIASES",
    "SERVICE_LEVELS",
    "SWAP_POLICIES",
    "choice",
    "domain",
    "domains",
    "email",
    "flag",
    "is_email",
    "is_phone",
    "kind",
    "phone",
    "phone_display",
    "roles",
    "set_region",
]

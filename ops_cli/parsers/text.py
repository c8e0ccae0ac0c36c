"""Free text and names from cells: trimmed, NFC-normalised, no hidden direction or width tricks.

A name (person, customer, function mailbox, SLA zone) is compared as written
in NFC, so ``Göteborg`` typed with a combining diaeresis (NFD, as macOS
writes it) is the same name as the precomposed one. Bidirectional overrides
and isolates (U+202A-U+202E, U+2066-U+2069) and zero-width characters
(U+200B-U+200D, U+2060, U+FEFF) are refused in names: they make two different
names look alike or reverse what is shown.
"""

from __future__ import annotations

import re
import unicodedata

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HIDDEN = re.compile("[\u202a-\u202e\u2066-\u2069\u200b-\u200d\u2060\ufeff]")
_HIDDEN_NAMES = {
    "\u202a": "LEFT-TO-RIGHT EMBEDDING",
    "\u202b": "RIGHT-TO-LEFT EMBEDDING",
    "\u202c": "POP DIRECTIONAL FORMATTING",
    "\u202d": "LEFT-TO-RIGHT OVERRIDE",
    "\u202e": "RIGHT-TO-LEFT OVERRIDE",
    "\u2066": "LEFT-TO-RIGHT ISOLATE",
    "\u2067": "RIGHT-TO-LEFT ISOLATE",
    "\u2068": "FIRST STRONG ISOLATE",
    "\u2069": "POP DIRECTIONAL ISOLATE",
    "\u200b": "ZERO WIDTH SPACE",
    "\u200c": "ZERO WIDTH NON-JOINER",
    "\u200d": "ZERO WIDTH JOINER",
    "\u2060": "WORD JOINER",
    "\ufeff": "ZERO WIDTH NO-BREAK SPACE",
}


def text_cell(value: object) -> str:
    """Free text from a cell, trimmed; undoes the leading ``'`` that CSV exports add before ``=+-@``."""
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(_FORMULA_START):
        return text[1:]
    return text


def hidden_character(text: str) -> str | None:
    """The message part naming the first bidi/zero-width character in ``text``, or None."""
    found = HIDDEN.search(text)
    if found is None:
        return None
    ch = found.group()
    return f"U+{ord(ch):04X} {_HIDDEN_NAMES[ch]}"


def name(value: object, what: str = "name", *, required: bool = True) -> str:
    """A name: trimmed, inner whitespace as written, NFC; bidi/zero-width characters refused."""
    text = text_cell("" if value is None else value)
    if not text:
        if required:
            raise ValueError(f"{what} is missing")
        return ""
    hidden = hidden_character(text)
    if hidden:
        raise ValueError(f"{what} contains the invisible character {hidden}; type the {what} again")
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def zone(value: object) -> str:
    """An SLA zone name: a name with runs of whitespace as one space (``Göteborg  C`` -> ``Göteborg C``)."""
    return name(" ".join(str(value or "").split()), "zone")


def names(texts: list[str], what: str = "name") -> tuple[list[str], dict[int, str]]:
    """``name`` over a column: (values, {index: problem}); ASCII text passes in one C-level check."""
    if all(map(str.isascii, texts)) and not any(map(str.startswith, texts, ("'",) * len(texts))):
        problems = {i: f"{what} is missing" for i, t in enumerate(texts) if not t} if not all(texts) else {}
        return texts, problems
    out: list[str] = []
    problems = {}
    for i, text in enumerate(texts):
        try:
            out.append(name(text, what))
        except ValueError as exc:
            out.append(text)
            problems[i] = str(exc)
    return out, problems


__all__ = ["HIDDEN", "hidden_character", "name", "names", "text_cell", "zone"]

"""Value parsers: every value read from a cell or typed on the command line is checked here.

- ``contact``: emails, roles, kinds, domains, yes/no flags, choices (and ``phones``' names)
- ``phones``: phone numbers (E.164; the damage a spreadsheet does refused with a hint)
- ``numbers``: customer numbers (one rule everywhere), counts
- ``identities``: ISSI, TEI, MSISDN
- ``dates``: date cells (Excel serials, ISO text), KPI periods
- ``text``: free text and names (NFC, no bidi/zero-width characters)

Each parser returns the normalised value or raises ``ValueError`` (a message
for the user); the import pipeline (``ops_cli.importing``) turns it into a
``Problem(message, file, row, column)``.

The names are loaded on first use (``parsers.email`` imports ``contact`` then), so a
module that needs one parser (``parsers.text``) does not load them all.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ops_cli.parsers.contact import *  # noqa: F403  (the names in contact.__all__)
    from ops_cli.parsers.dates import cell_date as cell_date
    from ops_cli.parsers.numbers import count as count
    from ops_cli.parsers.numbers import customer_number as customer_number
    from ops_cli.parsers.text import name as name
    from ops_cli.parsers.text import text_cell as text_cell

# The few parsers of the other modules; every other public name is contact's (contact.__all__).
_HOME = {
    "cell_date": "dates",
    "count": "numbers",
    "customer_number": "numbers",
    "name": "text",
    "text_cell": "text",
}


def __getattr__(name: str) -> Any:
    """A parser (or a submodule), imported when first asked for."""
    if name == "__all__":  # contact's public names plus the few of the other modules
        value: Any = [*importlib.import_module(f"{__name__}.contact").__all__, *_HOME]
    elif name in _HOME:
        value = getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
    else:
        try:
            return importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
        contact = importlib.import_module(f"{__name__}.contact")
        if name.startswith("__") or name not in contact.__all__:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
        value = getattr(contact, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__getattr__("__all__")})

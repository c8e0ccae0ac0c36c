"""Value parsers: every value read from a cell or typed on the command line is checked here.

- ``contact``: emails, phones, roles, kinds, domains, yes/no flags, choices
- ``numbers``: customer numbers (one rule everywhere), counts
- ``identities``: ISSI, TEI, MSISDN
- ``dates``: date cells (Excel serials, ISO text), KPI periods
- ``text``: free text and names (NFC, no bidi/zero-width characters)

Each parser returns the normalised value or raises ``ValueError`` (a message
for the user); the import pipeline (``ops_cli.importing``) turns it into a
``Problem(message, file, row, column)``.
"""

from __future__ import annotations

from ops_cli.parsers import contact
from ops_cli.parsers.contact import *  # noqa: F403  (the names in contact.__all__)
from ops_cli.parsers.dates import cell_date
from ops_cli.parsers.numbers import count, customer_number
from ops_cli.parsers.text import name, text_cell

# contact's public names plus the few parsers of the other modules (one list: contact.__all__).
__all__ = [*contact.__all__, "cell_date", "count", "customer_number", "name", "text_cell"]

"""Roster and customer imports, on the one import pipeline (:mod:`ops_cli.importing`).

- :mod:`.entries` — ``import_roster`` (roster entries on (customer, email))
- :mod:`.rows` — the roster sheet's column-wise row checks
- :mod:`.customers` — ``import_customers`` (customers by number)
"""

from __future__ import annotations

from ops_cli.importing import Progress
from ops_cli.roster.importing.customers import CUSTOMER_COLUMNS, import_customers
from ops_cli.roster.importing.entries import import_roster
from ops_cli.roster.importing.rows import ROSTER_COLUMNS

__all__ = ["CUSTOMER_COLUMNS", "ROSTER_COLUMNS", "Progress", "import_customers", "import_roster"]

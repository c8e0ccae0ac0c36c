"""Customers and their rosters: who may order, change, activate, report and see.

Core functions for ``ops roster ...``, split by concern:

- :mod:`.customers` — customers (add/set/show/list), their fields and email domains
- :mod:`.entries` — roster entries (add/set/remove/list/show/can)
- :mod:`.invariants` — rules every roster change keeps (last orderer/contact, functions)
- :mod:`.lookup` — whose user an email address is
- :mod:`.importing` — roster and customer imports (the import pipeline's)
- :mod:`.exports` — roster export
- :mod:`.demo` — the demo customers and rosters

Every change runs in one write transaction with audit records. The names
below are re-exported so ``from ops_cli import roster; roster.add_entry(...)``
keeps working.
"""

from __future__ import annotations

from ops_cli.roster.customers import (
    FLEET_MAX,
    add_customer,
    customer_value,
    get_customer,
    list_customers,
    set_customer,
    show_customer,
)
from ops_cli.roster.demo import load_demo
from ops_cli.roster.entries import add_entry, can, list_entries, remove_entry, set_entry, show_entry
from ops_cli.roster.exports import EXPORT_COLUMNS, export_roster
from ops_cli.roster.invariants import check_roster_invariants, kind_roles_problem
from ops_cli.roster.lookup import customer_of_email
from ops_cli.roster.records import CUSTOMER_LIST_COLUMNS, ENTRY_COLUMNS

#: Names of :mod:`.importing`, loaded on first use: the import pipeline (and the sheet readers
#: it needs) stay out of start-up (``ops --help`` lists the roster group).
_LAZY_IMPORTING = frozenset(
    {"CUSTOMER_COLUMNS", "ROSTER_COLUMNS", "Progress", "import_customers", "import_roster"}
)


def __getattr__(name: str):
    if name in _LAZY_IMPORTING:
        from ops_cli.roster import importing

        return getattr(importing, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CUSTOMER_COLUMNS",
    "CUSTOMER_LIST_COLUMNS",
    "ENTRY_COLUMNS",
    "EXPORT_COLUMNS",
    "FLEET_MAX",
    "ROSTER_COLUMNS",
    "Progress",
    "add_customer",
    "add_entry",
    "can",
    "check_roster_invariants",
    "customer_of_email",
    "customer_value",
    "export_roster",
    "get_customer",
    "import_customers",
    "import_roster",
    "kind_roles_problem",
    "list_customers",
    "list_entries",
    "load_demo",
    "remove_entry",
    "set_customer",
    "set_entry",
    "show_customer",
    "show_entry",
]

"""Subscriptions (ISSI/TEI): the register, status, orders and their delivery.

Modules: ``register`` (list/show/export), ``status`` (activate, deactivate,
terminate), ``changes`` + ``orders`` (ISSI/TEI change orders: register,
list, deliver), ``ordering`` (new subscriptions and add-ons), ``promises``
(promised dates, order cases), ``rules`` (checks shared with the importer),
``importing`` (``sub import``; the import pipeline's), ``demo``.

Rules (domain.md "Subscriptions"):

- an ISSI is unique across the store and never reused once given up in an ISSI
  change; a TEI is bound to at most one subscription that is not terminated;
- activate/deactivate: an orderer or contact of the owning customer; standby
  subscriptions also need the reference of form R30; both are done in desk
  office hours, an urgent one (``urgent=True``: e.g. a lost or stolen terminal)
  around the clock;
- an ISSI/TEI change order: only an orderer; registered pending, applied when
  the desk delivers it; promised within ``orders.small_order_days`` working
  days for up to ``orders.small_order_max`` changes, else
  ``orders.large_order_days``, counted from the receipt day (a non-working day
  counts as the next working day); urgent orders of at most
  ``orders.urgent_max`` changes are due the same day, inside desk office hours
  only, and may be applied during the call (``apply_now``);
- orders of new subscriptions and add-on services: only an orderer, each with
  its order case and promised date (the same rule);
- terminate (decommissioning): only an orderer, and only with the confirmation
  that programming and DMO frequencies were removed and the terminal reset;
  the TEI is then free for another subscription.

Every check that decides a write runs inside the write transaction. Errors
never name another customer. Every function takes the
:class:`~ops_cli.context.Ops` first, returns plain data and raises the typed
errors of :mod:`ops_cli.errors`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ops_cli import lazy

if TYPE_CHECKING:
    from ops_cli.subscriptions._common import (
        CHANGE_COLUMNS_SPEC,
        IMPORT_COLUMNS_SPEC,
        ISSI_COLUMN_SPEC,
        KINDS,
        STATUSES,
        parse_issi_args,
        sub_object,
    )
    from ops_cli.subscriptions.demo import DEMO_DELIVERED_AT, DEMO_ORDER_AT, DEMO_ORDERER, load_demo
    from ops_cli.subscriptions.importing import import_subscriptions
    from ops_cli.subscriptions.ordering import (
        DEFAULT_ADDONS,
        addon_services,
        order_addon,
        order_subscriptions,
    )
    from ops_cli.subscriptions.orders import ORDER_STATUSES, change_order, deliver, list_orders, order_changes
    from ops_cli.subscriptions.promises import check_urgent_time, promised_date
    from ops_cli.subscriptions.register import export_subscriptions, list_subscriptions, show_subscription
    from ops_cli.subscriptions.rules import (
        actor_may,
        check_actor_for_subscriptions,
        check_import_row_rules,
        load_retired_issis,
        require_known_actor,
    )
    from ops_cli.subscriptions.status import set_status, terminate

# Where each public name lives: loaded on first use, so a command imports only the modules it
# runs (``sub deactivate`` does not load the importer, the demo or the order rules).
_HOME = {
    "CHANGE_COLUMNS_SPEC": "_common",
    "IMPORT_COLUMNS_SPEC": "_common",
    "ISSI_COLUMN_SPEC": "_common",
    "KINDS": "_common",
    "STATUSES": "_common",
    "parse_issi_args": "_common",
    "sub_object": "_common",
    "DEMO_DELIVERED_AT": "demo",
    "DEMO_ORDER_AT": "demo",
    "DEMO_ORDERER": "demo",
    "load_demo": "demo",
    "import_subscriptions": "importing",
    "DEFAULT_ADDONS": "ordering",
    "addon_services": "ordering",
    "order_addon": "ordering",
    "order_subscriptions": "ordering",
    "ORDER_STATUSES": "orders",
    "change_order": "orders",
    "deliver": "orders",
    "list_orders": "orders",
    "order_changes": "orders",
    "check_urgent_time": "promises",
    "promised_date": "promises",
    "export_subscriptions": "register",
    "list_subscriptions": "register",
    "show_subscription": "register",
    "actor_may": "rules",
    "check_actor_for_subscriptions": "rules",
    "check_import_row_rules": "rules",
    "load_retired_issis": "rules",
    "require_known_actor": "rules",
    "set_status": "status",
    "terminate": "status",
}


# A public name (or a submodule) of the package, imported when first asked for.
__getattr__, __dir__ = lazy.package(__name__, _HOME)


__all__ = [
    "CHANGE_COLUMNS_SPEC",
    "DEFAULT_ADDONS",
    "ORDER_STATUSES",
    "actor_may",
    "addon_services",
    "check_actor_for_subscriptions",
    "check_import_row_rules",
    "load_retired_issis",
    "order_addon",
    "order_subscriptions",
    "DEMO_DELIVERED_AT",
    "DEMO_ORDERER",
    "DEMO_ORDER_AT",
    "IMPORT_COLUMNS_SPEC",
    "ISSI_COLUMN_SPEC",
    "KINDS",
    "STATUSES",
    "change_order",
    "check_urgent_time",
    "deliver",
    "export_subscriptions",
    "import_subscriptions",
    "list_orders",
    "list_subscriptions",
    "load_demo",
    "order_changes",
    "parse_issi_args",
    "promised_date",
    "require_known_actor",
    "set_status",
    "show_subscription",
    "sub_object",
    "terminate",
]

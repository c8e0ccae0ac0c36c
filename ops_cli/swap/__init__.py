"""Swap stock: the spare phones a prof customer owns and the desk keeps and ships.

Rules (domain.md "Swap stock", seed 003):

* the stock's target is ``ceil(rate x fleet)`` computed exactly (Decimal of the
  rate's text), at least 1 for a non-empty fleet: 400 phones -> 32, 401 -> 33;
* a unit is ``in_stock``, ``on_loan``, ``swapped_out``, ``in_repair`` or ``retired``;
* only ``prof`` customers get swap phones; a request registered before the
  cut-off (14:00) on a working day is delivered the next working day, a later
  or non-working-day request counts as registered on the next working day;
* the customer's policy decides returns: ``loan`` -> the spare comes back to
  stock (the user's own phone is repaired and goes back to the user);
  ``exchange`` -> the user keeps the spare and the broken phone goes to repair,
  then to stock;
* freight and packaging are billed monthly in arrears per customer, a month
  once; out-of-warranty shipments and repairs are billed to the customer directly.

The package: :mod:`.units`, :mod:`.stock`, :mod:`.shipping`, :mod:`.returns`,
:mod:`.freight`, :mod:`.importing` (``swap add --file``), :mod:`.demo`.
"""

from __future__ import annotations

from ops_cli.swap.demo import (
    load_demo,
)
from ops_cli.swap.freight import (
    FREIGHT_COLUMNS,
    billing_month,
    freight,
)
from ops_cli.swap.importing import (
    add_units_file,
    unit_columns,
)
from ops_cli.swap.returns import (
    repair,
    return_unit,
)
from ops_cli.swap.shipping import (
    SHIP_COLUMNS,
    delivered,
    delivery,
    list_shipments,
    ship,
    shipping_dates,
)
from ops_cli.swap.stock import (
    REFILL_COLUMNS,
    STOCK_COLUMNS,
    parse_rate,
    refill_request,
    set_target,
    size,
    stock,
    target_for,
)
from ops_cli.swap.units import (
    ACTOR_ACTIONS,
    DESTINATIONS,
    MAX_INT,
    MAX_MODEL,
    SERVICE_LEVELS,
    STATES,
    UNIT_COLUMNS,
    add_units,
    list_units,
    require_actor,
    retire,
    whole_number,
    write_sheet,
)

__all__ = [
    "DESTINATIONS",
    "FREIGHT_COLUMNS",
    "MAX_MODEL",
    "REFILL_COLUMNS",
    "SERVICE_LEVELS",
    "SHIP_COLUMNS",
    "STATES",
    "STOCK_COLUMNS",
    "UNIT_COLUMNS",
    "ACTOR_ACTIONS",
    "MAX_INT",
    "add_units",
    "billing_month",
    "add_units_file",
    "delivered",
    "delivery",
    "shipping_dates",
    "freight",
    "list_shipments",
    "list_units",
    "load_demo",
    "parse_rate",
    "refill_request",
    "repair",
    "require_actor",
    "retire",
    "whole_number",
    "write_sheet",
    "return_unit",
    "set_target",
    "ship",
    "size",
    "stock",
    "target_for",
    "unit_columns",
]

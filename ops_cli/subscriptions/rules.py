"""Subscription rules shared by the commands and the importer.

Every function here reads through the store it is given, so a caller runs it
inside its own ``with ops.store.write() as st:`` transaction (the check and
the write it decides see the same data).

For the importer (``sub import``), per row, inside its transaction::

    retired = load_retired_issis(st)          # once per import
    may_order = actor_may(st, ops.config, customer, by, "order")
    problem = check_import_row_rules(old, new, retired=retired,
                                     confirm_reset=..., may_order=may_order, form=...)
    # problem is None, or (column, message) for that row

Errors never name another customer: an ISSI of another customer is reported
as "ISSI N is not a subscription of customer C" (C = the asking customer).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ops_cli.errors import InvalidInput, NotPermitted
from ops_cli.permissions import decide, is_desk_agent, require_actor
from ops_cli.store import subscriptions as sql

ISSI_MIN, ISSI_MAX = 1, 16_777_214
R30 = "form R30 (Aktivera beredskapsabonnemang)"


def not_yours(issi: int, customers: Sequence[str] | set[str] | str) -> NotPermitted:
    """The refusal for an ISSI outside the asker's customers: names only the asker's side."""
    names = [customers] if isinstance(customers, str) else sorted(customers)
    return NotPermitted(f"ISSI {issi} is not a subscription of customer {', '.join(names)}")


def load_retired_issis(store) -> set[int]:
    """Every ISSI given up in an ISSI change; read once per bulk check."""
    return sql.retired_issis(store)


def retired_message(issi: int) -> str:
    return f"ISSI {issi} was given up in an ISSI change and is never reused"


def actor_may(store, config, customer: str, by: str | None, action: str) -> bool:
    """True when ``by`` may do ``action`` for ``customer`` (None = the desk's operator; desk agents)."""
    if by is None or is_desk_agent(config, by):
        return True
    return decide(store, customer, by.strip().lower(), action).allowed


def require_known_actor(store, config, by: str | None, *, desk_may: bool = True) -> set[str] | None:
    """Who asks, checked before any subscription is looked up (so a stranger learns nothing).

    Returns None for the desk (the operator, ``by=None``, or a desk agent when
    ``desk_may``), else the customers whose roster lists ``by``. An empty
    ``by`` is InvalidInput (exit 3); a desk agent where only the customer's
    orderer may act, or an address on no roster, is NotPermitted (exit 5).
    """
    if by is None:
        return None
    email = by.strip().lower()
    if not email:
        raise InvalidInput(
            "--by is empty: give the email address of who asks, or leave --by out to act as the operator"
        )
    if is_desk_agent(config, email):
        if desk_may:
            return None
        raise NotPermitted(
            f"{email} is one of the desk's agents: only an orderer of the customer may order this;"
            " give the orderer's address with --by"
        )
    own = sql.customers_of(store, email)
    if not own:
        raise NotPermitted(
            f"{email} is neither one of the desk's agents (config desk.agents) nor in a customer's roster"
        )
    return own


def check_actor_for_subscriptions(
    store, config, owners: Mapping[int, str], by: str | None, action: str, *, desk_may: bool = True
) -> None:
    """``by`` may do ``action`` on every subscription of ``owners`` (ISSI -> owning customer).

    A roster person asking about a subscription of a customer whose roster does
    not list them gets "ISSI N is not a subscription of customer C" (exit 5),
    C being their own customer: the owner is never named.
    """
    own = require_known_actor(store, config, by, desk_may=desk_may)
    if own is None:
        return
    email = by.strip().lower()
    for issi, owner in owners.items():
        if owner not in own:
            raise not_yours(issi, own)
    for customer in sorted(set(owners.values())):
        require_actor(store, config, customer, email, action, desk_may=desk_may)


def check_import_row_rules(
    old: Mapping[str, Any] | None,
    new: Mapping[str, Any],
    *,
    retired: set[int],
    confirm_reset: bool,
    may_order: bool,
    form: str | None = None,
) -> tuple[str, str] | None:
    """The subscription rules for one imported row; ``(column, message)`` or None when it may be written.

    - a new subscription never takes an ISSI given up in an ISSI change;
    - setting a subscription terminated needs ``confirm_reset`` (programming and
      DMO frequencies removed, terminal reset) and an orderer (``may_order``);
    - a standby subscription set active needs the reference of form R30 (``form``).
    ``old`` is the stored row (None for a new ISSI), ``new`` the row after the import.
    """
    issi = int(new["issi"])
    if old is None and issi in retired:
        return "issi", retired_message(issi)
    was = old["status"] if old is not None else None
    if new["status"] == "terminated" and was != "terminated":
        if not may_order:
            return "status", f"ISSI {issi}: only an orderer may terminate a subscription"
        if not confirm_reset:
            return "status", (
                f"ISSI {issi}: terminating needs --confirm-reset (programming and DMO frequencies removed,"
                " terminal reset to factory settings)"
            )
    activating = new["status"] == "active" and was != "active"
    if new["kind"] == "standby" and activating and not (form or "").strip():
        return "status", f"ISSI {issi} is a standby subscription: activating it needs the reference of {R30}"
    return None


def bounded_count(value: int, what: str, low: int = 1, high: int = 100_000) -> int:
    """A count typed by a user, inside ``low..high`` (exit 3 with the allowed range otherwise)."""
    if not low <= value <= high:
        raise InvalidInput(f"{what} must be between {low} and {high:,}; got {value}")
    return value

"""Roster rules that every change must keep (issue 13, item 7).

1. **Every customer keeps at least one orderer and one contact.** The rule
   protects removal: a change that leaves a customer that HAD an orderer (or a
   contact) without one is refused with :class:`Conflict` (exit 6) naming the
   customer. A customer that never had one (a brand-new customer from
   ``roster customer add``, or a demo customer without a contact) may still be
   changed; its roster is simply not complete yet.
2. **A function (a shared mailbox, kind ``function``) may only be a contact.**

:func:`check_roster_invariants` checks a *planned* state: call it inside the
caller's write transaction (``with ops.store.write() as st:``), after the plan
is made and before anything is written, so the check and the write see the same
roster; a ``--dry-run`` calls it the same way on its plan and is refused the same
way. Used by ``roster remove``, ``roster set`` and ``roster import`` (with or
without ``--replace``: an updated row that drops the last orderer counts too).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ops_cli.errors import Conflict, Problem
from ops_cli.store import Store
from ops_cli.store import roster as q

KEPT_ROLES = ("orderer", "contact")  # every customer that had one keeps one
FUNCTION_ROLES = frozenset({"contact"})  # the only role a function may hold

Roles = str | Iterable[str] | None  # "contact,orderer", ["contact"], or None for a removed entry


def _role_set(value: Any) -> set[str]:
    """Roles as a set from the roles text, a list, or a stored tuple whose last item is the text."""
    if value is None:
        return set()
    if isinstance(value, tuple):
        value = value[-1]
    if isinstance(value, str):
        return {r for r in value.split(",") if r}
    return set(value)


def kind_roles_problem(kind: str | None, roles: Iterable[str]) -> str | None:
    """The message when ``kind`` may not hold ``roles`` (a function with a role other than contact)."""
    if kind != "function":
        return None
    extra = sorted(set(roles) - FUNCTION_ROLES)
    if not extra:
        return None
    return (
        "a function (shared mailbox) may only have the role contact, "
        f"not {' or '.join(extra)}; give the person's own address for that role"
    )


def check_roster_invariants(
    store: Store,
    planned: Mapping[tuple[str, str], Roles],
    current: Mapping[tuple[str, str], Any] | None = None,
) -> None:
    """Refuse (``Conflict``, exit 6) a planned roster change that leaves a customer without a
    kept role (orderer, contact) it had.

    ``planned`` maps (customer, email) to the entry's roles after the change (text
    ``"contact,orderer"`` or a list), or ``None`` for an entry to be removed; entries not
    in it stay as they are. ``current`` is the roster as the caller has already read it in
    this transaction ((customer, email) -> roles text, or the ``(name, phone, kind, roles)``
    tuples of ``store.roster.entries_of_customers``); when None it is read from ``store``.
    Only customers whose planned change takes a kept role away from someone are looked at,
    so a plain upsert costs one pass over ``planned``.
    """
    losing = _customers_losing_a_role(store, planned, current)
    if not losing:
        return
    if current is None:
        current = q.entries_of_customers(store, losing)
    before: dict[str, dict[str, set[str]]] = {c: {} for c in losing}
    for (c, email), value in current.items():
        if c in before:
            before[c][email] = _role_set(value)
    after = {c: dict(entries) for c, entries in before.items()}
    for (c, email), value in planned.items():
        if c in after:
            if value is None:
                after[c].pop(email, None)
            else:
                after[c][email] = _role_set(value)
    problems = []
    for customer in sorted(losing, key=lambda c: (len(c), c)):
        message = _left_without(customer, before[customer], after[customer])
        if message:
            problems.append(Problem(message))
    if len(problems) == 1:
        raise Conflict(problems[0].message)
    if problems:
        raise Conflict(f"{len(problems)} customers would be left without an orderer or a contact", problems)


def _customers_losing_a_role(
    store: Store, planned: Mapping[tuple[str, str], Roles], current: Mapping[tuple[str, str], Any] | None
) -> set[str]:
    losing: set[str] = set()
    for key, roles in planned.items():
        if key[0] in losing:
            continue
        if current is not None:
            before = _role_set(current.get(key))
        else:
            before = set(q.roles_of(store, *key))
        if any(role in before and role not in _role_set(roles) for role in KEPT_ROLES):
            losing.add(key[0])
    return losing


def _left_without(customer: str, before: dict[str, set[str]], after: dict[str, set[str]]) -> str | None:
    """The refusal for one customer (entries email -> roles before and after), or None."""
    had = set().union(*before.values()) if before else set()
    keeps = set().union(*after.values()) if after else set()
    gone = [role for role in KEPT_ROLES if role in had and role not in keeps]
    if not gone:
        return None
    both = " and ".join(f"{'an' if r == 'orderer' else 'a'} {r}" for r in gone)
    losers = sorted(e for e, roles in before.items() if any(r in roles for r in gone))
    return (
        f"customer {customer} would be left without {both} (taken from {', '.join(losers)}); "
        f"every customer keeps at least one orderer and one contact: add another {gone[0]} first"
    )

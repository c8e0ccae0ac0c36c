"""Who may do what: the one table of restricted actions and the roles that allow them.

Every command that acts with ``--by`` checks through :func:`require_actor`
(the operator, a desk agent from config ``desk.agents``, or a customer person by
role), next to the rule it guards and inside the write transaction, so a Python
caller meets the same protection as the command line and a refused actor leaves
nothing behind, not even an audit row. The desk's own operator (no ``--by``)
acts for the desk and is not checked against a customer's roster; the audit
records who it was. :func:`decide` answers ``roster can``; :func:`require` is
the older check without desk agents.
"""

from __future__ import annotations

from dataclasses import dataclass

from ops_cli.errors import InvalidInput, NotPermitted
from ops_cli.store import Store
from ops_cli.store import roster as roster_sql

ANYONE = "anyone"

# action -> roles that allow it (domain.md "Customers and rosters").
ACTIONS: dict[str, frozenset[str]] = {
    "order": frozenset({"orderer"}),
    "change": frozenset({"orderer"}),
    "activate": frozenset({"orderer", "contact"}),
    "deactivate": frozenset({"orderer", "contact"}),
    "manage-roster": frozenset({"orderer"}),
    "report-fault": frozenset({ANYONE}),
    "report-sla": frozenset({"telephony"}),
    "grant-access": frozenset({"orderer", "contact"}),
    "view-cases": frozenset({"orderer", "contact", "viewer"}),
}

ROLES = ("orderer", "contact", "telephony", "viewer")


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str
    roles: tuple[str, ...] = ()


def decide(store: Store, customer: str, email: str, action: str) -> Decision:
    """May ``email`` do ``action`` for ``customer``? With the reason either way."""
    if action not in ACTIONS:
        raise InvalidInput(f"unknown action {action!r}; actions are: {', '.join(ACTIONS)}")
    needed = ACTIONS[action]
    email = email.strip().lower()
    roles = roster_sql.roles_of(store, customer, email)
    if ANYONE in needed:
        return Decision(True, f"anyone may {action}", tuple(roles))
    granted = sorted(set(roles) & needed)
    if granted:
        return Decision(True, f"{email} is {' and '.join(granted)} of customer {customer}", tuple(roles))
    if not roles:
        why = f"{email} is not in the roster of customer {customer}"
    else:
        why = f"{email} is {', '.join(roles)} of customer {customer}"
    return Decision(False, f"{why}; {action} needs the role {' or '.join(sorted(needed))}", tuple(roles))


def require(store: Store, customer: str, by: str | None, action: str) -> None:
    """Raise NotPermitted unless ``by`` may do ``action``; ``by=None`` is the desk itself."""
    if by is None:
        return
    decision = decide(store, customer, by, action)
    if not decision.allowed:
        raise NotPermitted(decision.reason)


def is_desk_agent(config, email: str) -> bool:
    """Is ``email`` one of the desk's own staff (config ``desk.agents``)?"""
    agents = {a.strip().lower() for a in config["desk"].get("agents", [])}
    return email.strip().lower() in agents


def require_actor(
    store: Store,
    config,
    customer: str | None,
    by: str | None,
    action: str | None,
    *,
    desk_may: bool = True,
) -> None:
    """The one actor check for every command that acts for a customer with ``--by``.

    - ``by=None``: the desk's configured operator acts; allowed (the audit names it).
    - ``by`` in ``desk.agents`` and ``desk_may``: desk staff; allowed.
    - otherwise ``by`` must be on ``customer``'s roster with a role that allows ``action``
      (``action=None``: any role of that customer will do, e.g. a customer writing on a case).

    An unknown or foreign actor raises ``NotPermitted`` (exit 5); the message never names
    another customer's data. A ``by`` that is empty or only blanks raises ``InvalidInput`` (exit 3).
    """
    if by is None:
        return
    email = by.strip().lower()
    if not email:
        raise InvalidInput(
            "--by is empty: give the email address of who asks, or leave --by out to act as the operator"
        )
    if desk_may and is_desk_agent(config, email):
        return
    if customer is None:
        raise NotPermitted(f"{email} is not one of the desk's agents (config desk.agents)")
    if action is None:
        if roster_sql.roles_of(store, customer, email):
            return
        raise NotPermitted(
            f"{email} is neither one of the desk's agents (config desk.agents) "
            f"nor in the roster of customer {customer}"
        )
    decision = decide(store, customer, email, action)
    if not decision.allowed:
        raise NotPermitted(decision.reason)

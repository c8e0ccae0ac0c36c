"""Roster entries: add, set, remove, list and show the people and functions of a customer."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from ops_cli import clock
from ops_cli import parsers as v
from ops_cli.context import Ops
from ops_cli.customers import require_customer
from ops_cli.errors import InvalidInput, NotFound, Problem
from ops_cli.permissions import ACTIONS, decide, require_actor
from ops_cli.roster.invariants import check_roster_invariants, kind_roles_problem
from ops_cli.roster.records import _customer_number, _email, _entry_dict, checked_name
from ops_cli.store import roster as q


def list_entries(ops: Ops, customer: str | None = None, role: str | None = None) -> Iterator[dict[str, Any]]:
    """Roster entries, of one customer and/or with a role (``"orderer,contact"``: either role).

    The filters are checked now; the entries come one at a time from the store cursor."""
    if customer is not None:
        customer = _customer_number(customer)
        require_customer(ops.store, customer)
    if role is None:
        return (_entry_dict(r) for r in q.entries(ops.store, customer))
    try:
        wanted = v.roles(_role_words(role))
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    if len(wanted) == 1:
        return (_entry_dict(r) for r in q.entries(ops.store, customer, wanted[0]))
    found = (_entry_dict(r) for r in q.entries(ops.store, customer))
    return (e for e in found if set(e["roles"]) & set(wanted))


def _entry_of(store: Any, email: str, customer: str | None) -> Any:
    if customer is not None:
        require_customer(store, customer)
        row = q.entry(store, customer, email)
        if row is None:
            raise NotFound(f"{email} is not in the roster of customer {customer}")
        return row
    rows = q.entries_of_email(store, email)
    if not rows:
        raise NotFound(f"{email} is not in any customer's roster")
    if len(rows) > 1:
        listed = ", ".join(r["customer"] for r in rows)
        raise InvalidInput(f"{email} is in the rosters of customers {listed}; choose one with --customer")
    return rows[0]


def show_entry(ops: Ops, email: str, customer: str | None = None) -> dict[str, Any]:
    """One roster entry with the actions its roles allow."""
    email = _email(email)
    customer = _customer_number(customer) if customer is not None else None
    row = _entry_of(ops.store, email, customer)
    record = _entry_dict(row)
    record["may"] = [a for a in ACTIONS if decide(ops.store, row["customer"], email, a).allowed]
    record["created_at"] = clock.from_db(row["created_at"], ops.tz)
    record["updated_at"] = clock.from_db(row["updated_at"], ops.tz)
    return record


def _parse(
    email: str, name: str | None, roles: Any, phone: str | None, kind: str | None, *, replace: bool
) -> dict[str, Any]:
    """The given fields, checked; a field left out (None) is not in the result.

    ``replace`` (``roster set``): an empty phone clears it. Otherwise (``roster add``) an
    empty phone or kind counts as not given: add never blanks a value.
    """
    checks: list[tuple[str, Any, Any]] = [("email", v.email, email)]
    if name is not None:
        checks.append(("name", checked_name, name))
    if roles is not None:
        checks.append(("roles", v.roles, _role_words(roles)))
    if phone is not None and (replace or phone.strip()):
        checks.append(("phone", v.phone, phone))
    if kind is not None and (replace or kind.strip()):
        checks.append(("kind", _kind, kind))
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for key, check, raw in checks:
        try:
            values[key] = check(raw)
        except ValueError as exc:
            problems.append(Problem(str(exc), column=key))
    if problems:
        raise InvalidInput("; ".join(p.message for p in problems))
    return values


def _kind(text: str) -> str:
    """``--kind`` as the roster sheet writes it: person or function (Swedish ``funktion``)."""
    kind = v.KIND_ALIASES.get(text.strip().lower()) if text.strip() else None
    if kind is None:
        raise ValueError(f"unknown kind {text!r}; allowed: {', '.join(v.KINDS)}")
    return kind


def _role_words(roles: Any) -> list[str]:
    """``--role`` values as typed: each may be a comma list as on a roster sheet
    (``"beställare, kontakt"``), and is compared in NFC (a terminal may send ``ä`` decomposed)."""
    values = roles if isinstance(roles, list | tuple) else [roles]
    return [unicodedata.normalize("NFC", part) for value in values for part in re.split(r"[,;]", str(value))]


def _merged(old: Any, given: dict[str, Any], *, replace: bool) -> tuple[str, str | None, str, str]:
    """(name, phone, kind, roles text) after the change: add merges roles, set replaces them."""
    if old is None:
        if "name" not in given:
            raise InvalidInput(
                f"{given['email']} is not in the roster yet: a new entry needs a name (--name)"
            )
        if "roles" not in given:
            raise InvalidInput(
                f"{given['email']} is not in the roster yet: a new entry needs a role (--role)"
            )
        return (given["name"], given.get("phone"), given.get("kind", "person"), ",".join(given["roles"]))
    roles = [r for r in old["roles"].split(",") if r]
    if "roles" in given:
        roles = given["roles"] if replace else sorted({*roles, *given["roles"]})
    return (
        given.get("name", old["name"]),
        given["phone"] if "phone" in given else old["phone"],
        given.get("kind", old["kind"]),
        ",".join(roles),
    )


def _save(ops: Ops, customer: str, given: dict[str, Any], by: str | None, *, replace: bool) -> dict[str, Any]:
    """The one write of ``roster add`` / ``roster set``: every check inside the transaction."""
    key = (customer, given["email"])
    now = ops.now()
    with ops.store.write() as st:
        require_customer(st, customer)
        require_actor(st, ops.config, customer, by, "manage-roster")
        old = q.entry(st, *key)
        rec = _merged(old, given, replace=replace)
        problem = kind_roles_problem(rec[2], rec[3].split(","))
        if problem:
            raise InvalidInput(f"{key[1]}: {problem}")
        if old is not None and replace:
            check_roster_invariants(st, {key: rec[3]})
        if old is None:
            q.insert_entries(st, [(*key, *rec)], clock.to_db(now))
            result = "created"
        elif (old["name"], old["phone"], old["kind"], old["roles"]) != rec:
            q.update_entries(st, [(*key, *rec)], clock.to_db(now))
            result = "updated"
        else:
            result = "unchanged"
        after = _entry_dict(q.entry(st, *key))
        if result != "unchanged":
            action = "add" if old is None else ("set" if replace else "update")
            before = _entry_dict(old) if old else None
            st.audit(ops.actor(by), f"roster.{action}", f"roster:{customer}:{key[1]}", before, after, at=now)
    return {**after, "result": result}


def add_entry(
    ops: Ops,
    customer: str,
    email: str,
    name: str | None = None,
    roles: list[str] | None = None,
    *,
    phone: str | None = None,
    kind: str | None = None,
    by: str | None = None,
) -> dict[str, Any]:
    """Add a person or function to a customer's roster; for an email already there, add the
    given roles and update only the fields given (never blanks the phone or the kind).

    A new entry needs ``name`` and ``roles`` (kind defaults to person). ``by`` must be desk
    staff or an orderer of the customer (``None`` = the desk's operator). A function may
    only be a contact (exit 3). Returns the entry plus ``result``: created, updated or
    unchanged.
    """
    customer = _customer_number(customer)
    given = _parse(email, name, roles if roles is not None else [], phone, kind, replace=False)
    return _save(ops, customer, given, by, replace=False)


def set_entry(
    ops: Ops,
    customer: str,
    email: str,
    *,
    name: str | None = None,
    roles: list[str] | None = None,
    phone: str | None = None,
    kind: str | None = None,
    by: str | None = None,
) -> dict[str, Any]:
    """Replace the given fields of a roster entry (roles as a whole; phone ``""`` clears it);
    fields left out (None) stay. Adds the entry when it is missing (then ``name`` and
    ``roles`` are needed).

    Refused with ``Conflict`` (exit 6) when it would take the last orderer or contact from
    the customer (:func:`~ops_cli.roster.invariants.check_roster_invariants`).
    """
    customer = _customer_number(customer)
    given = _parse(email, name, roles or None, phone, kind, replace=True)
    return _save(ops, customer, given, by, replace=True)


def remove_entry(ops: Ops, customer: str, email: str, *, by: str | None = None) -> dict[str, Any]:
    """Remove an entry from a customer's roster (``by``: desk staff or an orderer of that customer).

    Refused with ``Conflict`` (exit 6) when the entry is the customer's last orderer or
    last contact.
    """
    customer = _customer_number(customer)
    email = _email(email)
    now = ops.now()
    with ops.store.write() as st:
        require_customer(st, customer)
        require_actor(st, ops.config, customer, by, "manage-roster")
        old = q.entry(st, customer, email)
        if old is None:
            raise NotFound(f"{email} is not in the roster of customer {customer}")
        check_roster_invariants(st, {(customer, email): None})
        before = _entry_dict(old)
        q.delete_entries(st, [(customer, email)])
        st.audit(ops.actor(by), "roster.remove", f"roster:{customer}:{email}", before, None, at=now)
    return {**before, "result": "removed"}


def can(ops: Ops, email: str, action: str, customer: str) -> dict[str, Any]:
    """May ``email`` do ``action`` for ``customer``? ``allowed`` with the reason either way."""
    customer = _customer_number(customer)
    email = _email(email)
    action = str(action).strip().lower()
    if action not in ACTIONS:
        raise InvalidInput(f"unknown action {action!r}; actions are: {', '.join(ACTIONS)}")
    require_customer(ops.store, customer)
    decision = decide(ops.store, customer, email, action)
    return {
        "customer": customer,
        "email": email,
        "action": action,
        "allowed": decision.allowed,
        "roles": list(decision.roles),
        "reason": decision.reason,
    }

"""Customers: add, set, show and list, with their fields and email domains."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from ops_cli import clock
from ops_cli import parsers as v
from ops_cli.context import Ops
from ops_cli.customers import require_customer
from ops_cli.errors import Conflict, InvalidInput, NotFound, Problem
from ops_cli.permissions import require_actor
from ops_cli.roster.records import _customer_dict, _customer_number, _entry_dict, checked_name
from ops_cli.store import roster as q

FLEET_MAX = (
    1_000_000  # phones/terminals of one customer; far beyond any real fleet, well inside SQLite's range
)


def _tiers(ops: Ops) -> list[str]:
    return ["none", *ops.config["sla"]["tiers"]]


def customer_value(ops: Ops, key: str, value: Any) -> Any:
    """One customer attribute, checked and normalised (``ValueError`` with a message otherwise).

    Empty text clears the optional attributes (agreement, binding date,
    department, domains) and resets tier/service level to ``none``.
    """
    text = "" if value is None else value
    if key == "name":
        return checked_name(str(text))
    if key == "agreement":
        return checked_name(text, "agreement") if v.text_cell(str(text)) else None
    if key == "binding_until":
        from ops_cli.sheets import cell_date  # the sheet readers stay out of start-up

        day = cell_date(text)
        return day.isoformat() if day else None
    if key == "sla_tier":
        return v.choice(str(text) or "none", _tiers(ops), "SLA tier")
    if key == "service_level":
        return v.choice(str(text) or "none", v.SERVICE_LEVELS, "service level")
    if key == "fleet":
        return _fleet(text)
    if key == "kam":
        return 1 if v.flag(text) else 0
    if key == "swap_policy":
        return v.choice(str(text) or "loan", v.SWAP_POLICIES, "swap policy")
    if key == "department":
        dept = str(text).strip()
        if not dept:
            return None
        known = ops.config["departments"]
        if dept not in known:
            raise ValueError(f"unknown department {dept!r}; departments in the config: {', '.join(known)}")
        return dept
    if key == "domains":
        return v.domains(text if isinstance(text, list | tuple) else str(text))
    raise KeyError(key)


def _fleet(value: Any) -> int:
    """A fleet size: a whole number 0..FLEET_MAX (empty = 0); ValueError naming the allowed range."""
    text = str(value).strip() if value != "" else "0"
    allowed = f"a whole number from 0 to {FLEET_MAX:,}"
    try:
        if not text.isascii():  # "١٢" or "１２": digits, but not as the desk writes a fleet
            raise ValueError(text)
        fleet = v.count(text, "fleet size")
    except ValueError:
        shown = text if len(text) <= 25 else text[:22] + "..."
        raise ValueError(f"fleet size {shown!r} must be {allowed}") from None
    if fleet > FLEET_MAX:
        shown = text if len(text) <= 25 else text[:22] + "..."
        raise ValueError(f"fleet size {shown} is too large; it must be {allowed}")
    return fleet


BINDING_YEARS = (2000, 2099)  # a binding end date typed on the command line lies in these years


def _typed_date(value: Any) -> str | None:
    """``--binding-until`` as typed: YYYY-MM-DD in 2000-2099, '' clears it (ValueError otherwise).

    Stricter than a sheet cell: ``45000`` is not read as an Excel day number (2023-03-15),
    and ``0001-01-01`` or ``9999-12-31`` are typing errors, not binding dates.
    """
    text = str(value).strip()
    if not text:
        return None
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            raise ValueError(text)
        day = date.fromisoformat(text)
    except ValueError:
        shown = text if len(text) <= 25 else text[:22] + "..."
        raise ValueError(f"binding date {shown!r} must be written YYYY-MM-DD, e.g. 2027-12-31") from None
    low, high = BINDING_YEARS
    if not low <= day.year <= high:
        raise ValueError(f"binding date {text} is out of range: {low}-01-01 to {high}-12-31")
    return day.isoformat()


def _check_fields(ops: Ops, given: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    problems: list[Problem] = []
    for key, value in given.items():
        if value is None:
            continue
        try:
            out[key] = _typed_date(value) if key == "binding_until" else customer_value(ops, key, value)
        except ValueError as exc:
            problems.append(Problem(str(exc), column=key))
    if len(problems) == 1:
        raise InvalidInput(problems[0].message)
    if problems:
        options = ", ".join(
            "--" + ("domain" if p.column == "domains" else str(p.column).replace("_", "-")) for p in problems
        )
        raise InvalidInput(f"{len(problems)} invalid values ({options}); nothing was changed", problems)
    return out


def _check_domains_free(store: Any, number: str, domains: list[str]) -> None:
    for domain in domains:
        owner = q.domain_owner(store, domain)
        if owner is not None and owner != number:
            raise Conflict(f"the domain {domain} already belongs to customer {owner}")


def _eligibility_warnings(ops: Ops, number: str, tier: str | None) -> list[str]:
    if not tier or tier == "none":
        return []
    from ops_cli import sla

    result = sla.eligibility(ops, number, ops.now().date())
    if result["eligible"]:
        return []
    return [f"customer {number} is not eligible for an SLA: {reason}" for reason in result["reasons"]]


def get_customer(ops: Ops, number: str) -> dict[str, Any]:
    number = _customer_number(number)
    row = require_customer(ops.store, number)
    return _customer_dict(row, q.domains_of(ops.store, number))


def list_customers(ops: Ops) -> list[dict[str, Any]]:
    domains = q.all_domains(ops.store)
    return [_customer_dict(r, domains.get(r["number"], [])) for r in q.customers(ops.store)]


def show_customer(ops: Ops, number: str) -> dict[str, Any]:
    """A customer with its roster entries."""
    record = get_customer(ops, number)
    record["roster"] = [_entry_dict(r) for r in q.entries(ops.store, customer=record["number"])]
    return record


def add_customer(ops: Ops, number: str, *, by: str | None = None, **fields: Any) -> dict[str, Any]:
    """Create a customer; ``name`` is required. Returns the record plus ``warnings``.

    ``by`` must be one of the desk's agents (config ``desk.agents``; None = the operator):
    customers are the desk's records, not something a customer's own people change.
    """
    number = _customer_number(number)
    if not fields.get("name"):
        raise InvalidInput("a new customer needs a name (--name)")
    values = _check_fields(ops, fields)
    domains = values.pop("domains", [])
    now = ops.now()
    with ops.store.write() as st:
        require_actor(st, ops.config, None, by, None)
        if q.customer_row(st, number) is not None:
            raise Conflict(
                f"customer {number} already exists; change it with `ops roster customer set {number}`"
            )
        _check_domains_free(st, number, domains)
        q.insert_customer(st, number, values, clock.to_db(now))
        q.set_domains(st, number, domains)
        record = _customer_dict(q.customer_row(st, number), domains)
        st.audit(ops.actor(by), "customer.add", f"customer:{number}", None, record, at=now)
        warnings = _eligibility_warnings(ops, number, values.get("sla_tier"))
    return {**record, "warnings": warnings}


def set_customer(ops: Ops, number: str, *, by: str | None = None, **fields: Any) -> dict[str, Any]:
    """Change the given attributes (None = leave as is). Returns the record plus ``warnings``.

    ``by`` must be one of the desk's agents (config ``desk.agents``; None = the operator).

    Setting an SLA tier on a customer that is not eligible is allowed (the desk
    decides) but answered with the reasons as warnings.
    """
    number = _customer_number(number)
    values = _check_fields(ops, fields)
    domains = values.pop("domains", None)
    now = ops.now()
    with ops.store.write() as st:
        require_actor(st, ops.config, None, by, None)
        row = q.customer_row(st, number)
        if row is None:
            raise NotFound(
                f"customer {number} not found; add it with `ops roster customer add {number} --name ...`"
            )
        before = _customer_dict(row, q.domains_of(st, number))
        changed = {k: val for k, val in values.items() if row[k] != val}
        q.update_customer(st, number, changed, clock.to_db(now))
        if domains is not None and domains != before["domains"]:
            _check_domains_free(st, number, domains)
            q.set_domains(st, number, domains)
        after = _customer_dict(q.customer_row(st, number), q.domains_of(st, number))
        if after != before:
            st.audit(ops.actor(by), "customer.set", f"customer:{number}", before, after, at=now)
        warnings = _eligibility_warnings(ops, number, values.get("sla_tier"))
    return {**after, "warnings": warnings}

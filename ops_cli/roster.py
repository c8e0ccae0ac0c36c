"""Customers and their rosters: who may order, change, activate, report and see.

Core functions for ``ops roster ...``: customers (add/set/list/show/import),
roster entries (add/remove/list/show/can), and the Excel/CSV import and export
of rosters. Every change runs in one write transaction with audit records;
changes with ``by`` are checked against the roster (``manage-roster`` needs an
orderer of that customer), ``by=None`` is the desk's operator.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from itertools import groupby, repeat
from operator import itemgetter
from pathlib import Path
from typing import Any

from ops_cli import clock
from ops_cli import validators as v
from ops_cli.context import Ops
from ops_cli.customers import require_customer
from ops_cli.errors import Conflict, InvalidInput, NotFound, Problem
from ops_cli.permissions import ACTIONS, decide, require
from ops_cli.sheets import Column, Columns, SheetRow, cell_date, no_gc, read_columns, read_table, write_table
from ops_cli.store import roster as q

Progress = Callable[[int], None] | None

ROSTER_COLUMNS = (
    Column("customer", ("kundnummer", "kundnr", "customer_number", "kund_nr")),
    Column("customer_name", ("kund", "kundnamn", "company", "företag"), required=False),
    Column("name", ("namn", "full_name")),
    Column("email", ("e-post", "epost", "e-mail", "mail", "e-postadress")),
    Column("phone", ("telefon", "tel", "mobil", "mobile", "telefonnummer"), required=False),
    Column("role", ("roll", "roles", "roller", "behörighet")),
    Column("kind", ("typ", "type"), required=False),
)
EXPORT_COLUMNS = ["customer", "customer_name", "name", "email", "phone", "role", "kind"]
ENTRY_COLUMNS = ["customer", "name", "email", "phone", "roles", "kind"]

CUSTOMER_COLUMNS = (
    Column("number", ("kundnummer", "kundnr", "customer", "customer_number")),
    Column("name", ("kund", "namn", "kundnamn", "customer_name")),
    Column("agreement", ("avtal", "avtalstyp", "agreement_type"), required=False),
    Column("binding_until", ("bindningstid", "bindning", "binding", "binding_end"), required=False),
    Column("sla_tier", ("sla", "sla_nivå", "tier"), required=False),
    Column("service_level", ("servicenivå", "servicenivå", "service"), required=False),
    Column("fleet", ("antal", "flotta", "fleet_size", "antal_terminaler"), required=False),
    Column("kam", ("key_account",), required=False),
    Column("domains", ("domain", "domäner", "domän", "email_domains"), required=False),
    Column("department", ("avdelning", "account_department"), required=False),
    Column("swap_policy", ("bytespolicy", "swap"), required=False),
)
CUSTOMER_LIST_COLUMNS = [
    "number",
    "name",
    "agreement",
    "binding_until",
    "sla_tier",
    "service_level",
    "fleet",
    "kam",
    "swap_policy",
    "department",
    "domains",
]


# ================================================================== customers
def _customer_dict(row: Any, domains: list[str]) -> dict[str, Any]:
    return {
        "number": row["number"],
        "name": row["name"],
        "agreement": row["agreement"],
        "binding_until": row["binding_until"],
        "sla_tier": row["sla_tier"],
        "service_level": row["service_level"],
        "fleet": row["fleet"],
        "kam": bool(row["kam"]),
        "swap_policy": row["swap_policy"],
        "department": row["department"],
        "domains": domains,
    }


def _tiers(ops: Ops) -> list[str]:
    return ["none", *ops.config["sla"]["tiers"]]


def customer_value(ops: Ops, key: str, value: Any) -> Any:
    """One customer attribute, checked and normalised (``ValueError`` with a message otherwise).

    Empty text clears the optional attributes (agreement, binding date,
    department, domains) and resets tier/service level to ``none``.
    """
    text = "" if value is None else value
    if key == "name":
        name = v.text_cell(str(text))
        if not name:
            raise ValueError("name is missing")
        return name
    if key == "agreement":
        return v.text_cell(str(text)) or None
    if key == "binding_until":
        day = cell_date(text)
        return day.isoformat() if day else None
    if key == "sla_tier":
        return v.choice(str(text) or "none", _tiers(ops), "SLA tier")
    if key == "service_level":
        return v.choice(str(text) or "none", v.SERVICE_LEVELS, "service level")
    if key == "fleet":
        return v.count(text if text != "" else 0, "fleet size")
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


def _check_fields(ops: Ops, given: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    problems: list[Problem] = []
    for key, value in given.items():
        if value is None:
            continue
        try:
            out[key] = customer_value(ops, key, value)
        except ValueError as exc:
            problems.append(Problem(str(exc), column=key))
    if problems:
        raise InvalidInput(
            "; ".join(p.message for p in problems) if len(problems) == 1 else "invalid values",
            problems if len(problems) > 1 else [],
        )
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


def _customer_number(number: str) -> str:
    try:
        return v.customer_number(number)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None


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


def add_customer(ops: Ops, number: str, **fields: Any) -> dict[str, Any]:
    """Create a customer; ``name`` is required. Returns the record plus ``warnings``."""
    number = _customer_number(number)
    if not fields.get("name"):
        raise InvalidInput("a new customer needs a name (--name)")
    values = _check_fields(ops, fields)
    domains = values.pop("domains", [])
    now = ops.now()
    with ops.store.write() as st:
        if q.customer_row(st, number) is not None:
            raise Conflict(
                f"customer {number} already exists; change it with `ops roster customer set {number}`"
            )
        _check_domains_free(st, number, domains)
        q.insert_customer(st, number, values, clock.to_db(now))
        q.set_domains(st, number, domains)
        record = _customer_dict(q.customer_row(st, number), domains)
        st.audit(ops.actor(None), "customer.add", f"customer:{number}", None, record, at=now)
        warnings = _eligibility_warnings(ops, number, values.get("sla_tier"))
    return {**record, "warnings": warnings}


def set_customer(ops: Ops, number: str, **fields: Any) -> dict[str, Any]:
    """Change the given attributes (None = leave as is). Returns the record plus ``warnings``.

    Setting an SLA tier on a customer that is not eligible is allowed (the desk
    decides) but answered with the reasons as warnings.
    """
    number = _customer_number(number)
    values = _check_fields(ops, fields)
    domains = values.pop("domains", None)
    now = ops.now()
    with ops.store.write() as st:
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
            st.audit(ops.actor(None), "customer.set", f"customer:{number}", before, after, at=now)
        warnings = _eligibility_warnings(ops, number, values.get("sla_tier"))
    return {**after, "warnings": warnings}


def import_customers(
    ops: Ops,
    path: str | os.PathLike[str],
    *,
    dry_run: bool = False,
    progress: Progress = None,
) -> dict[str, Any]:
    """Upsert customers by number from a sheet. Columns left out of the sheet stay as they are.

    Every row is validated first; any problem raises ``InvalidInput`` listing
    every bad cell, and nothing is written.
    """
    table = read_table(path, CUSTOMER_COLUMNS, progress=progress)
    problems: list[Problem] = []
    parsed: dict[str, tuple[int, dict[str, Any]]] = {}
    for row in table.rows:
        number = None
        try:
            number = v.customer_number(row.values["number"])
        except ValueError as exc:
            problems.append(Problem(str(exc), table.file, row.row, "number"))
        values: dict[str, Any] = {}
        for key in row.values:
            if key == "number":
                continue
            cell = row.raw.get(key) if key == "binding_until" else row.values[key]
            try:
                values[key] = customer_value(ops, key, cell)
            except ValueError as exc:
                problems.append(Problem(str(exc), table.file, row.row, key))
        if number is None:
            continue
        if number in parsed and parsed[number][1] != values:
            problems.append(
                Problem(
                    f"customer {number} is listed twice with different data (also row {parsed[number][0]})",
                    table.file,
                    row.row,
                    "number",
                )
            )
        parsed.setdefault(number, (row.row, values))
    if problems:
        raise InvalidInput(
            f"{table.file}: {_count(problems, 'problem')} found; nothing was imported", problems
        )

    now = ops.now()
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    changes: list[dict[str, Any]] = []
    with ops.store.write() as st:
        for number, (rowno, values) in parsed.items():
            values = dict(values)
            domains = values.pop("domains", None)
            row = q.customer_row(st, number)
            if row is None:
                action, before = "created", None
            else:
                before = _customer_dict(row, q.domains_of(st, number))
                changed = {k: val for k, val in values.items() if row[k] != val}
                dom_changed = domains is not None and domains != before["domains"]
                action = "updated" if changed or dom_changed else "unchanged"
            counts[action] += 1
            if action == "unchanged":
                continue
            changes.append({"action": action, "number": number, "row": rowno})
            if dry_run:
                continue
            if domains:
                for domain in domains:
                    owner = q.domain_owner(st, domain)
                    if owner is not None and owner != number:
                        raise Conflict(
                            f"{table.file}:{rowno}: domains: {domain} already belongs to customer {owner}"
                        )
            if row is None:
                q.insert_customer(st, number, values, clock.to_db(now))
            else:
                q.update_customer(st, number, changed, clock.to_db(now))
            if domains is not None:
                q.set_domains(st, number, domains)
            after = _customer_dict(q.customer_row(st, number), q.domains_of(st, number))
            st.audit(ops.actor(None), "customer.import", f"customer:{number}", before, after, at=now)
    return {**counts, "dry_run": dry_run, "file": table.file, "changes": changes}


# ================================================================== entries
def _entry_dict(row: Any) -> dict[str, Any]:
    return {
        "customer": row["customer"],
        "name": row["name"],
        "email": row["email"],
        "phone": row["phone"],
        "roles": [r for r in row["roles"].split(",") if r],
        "kind": row["kind"],
    }


def _email(text: str) -> str:
    try:
        return v.email(text)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None


def list_entries(ops: Ops, customer: str | None = None, role: str | None = None) -> list[dict[str, Any]]:
    if customer is not None:
        customer = _customer_number(customer)
        require_customer(ops.store, customer)
    if role is not None:
        try:
            role = v.roles(role)[0]
        except ValueError as exc:
            raise InvalidInput(str(exc)) from None
    return [_entry_dict(r) for r in q.entries(ops.store, customer, role)]


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


def add_entry(
    ops: Ops,
    customer: str,
    email: str,
    name: str,
    roles: list[str],
    *,
    phone: str | None = None,
    kind: str = "person",
    by: str | None = None,
) -> dict[str, Any]:
    """Add a person or function to a customer's roster, or update the entry if the email is there.

    ``by`` must be an orderer of the customer (``None`` = the desk's operator).
    Returns the entry plus ``result``: created, updated or unchanged.
    """
    customer = _customer_number(customer)
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    for key, check, raw in (
        ("email", v.email, email),
        ("name", lambda t: v.text_cell(t) or _raise("name is missing"), name),
        ("roles", v.roles, roles),
        ("phone", v.phone, phone),
        ("kind", v.kind, kind),
    ):
        try:
            values[key] = check(raw)
        except ValueError as exc:
            problems.append(Problem(str(exc), column=key))
    if problems:
        raise InvalidInput("; ".join(p.message for p in problems))
    rec = (values["name"], values["phone"], values["kind"], ",".join(values["roles"]))
    key = (customer, values["email"])
    now = ops.now()
    with ops.store.write() as st:
        require_customer(st, customer)
        require(st, customer, by, "manage-roster")
        old = q.entry(st, *key)
        before = _entry_dict(old) if old else None
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
            st.audit(
                ops.actor(by),
                f"roster.{'add' if old is None else 'update'}",
                f"roster:{customer}:{key[1]}",
                before,
                after,
                at=now,
            )
    return {**after, "result": result}


def _raise(message: str) -> Any:
    raise ValueError(message)


def remove_entry(ops: Ops, customer: str, email: str, *, by: str | None = None) -> dict[str, Any]:
    """Remove an entry from a customer's roster (``by`` must be an orderer of that customer)."""
    customer = _customer_number(customer)
    email = _email(email)
    now = ops.now()
    with ops.store.write() as st:
        require_customer(st, customer)
        require(st, customer, by, "manage-roster")
        old = q.entry(st, customer, email)
        if old is None:
            raise NotFound(f"{email} is not in the roster of customer {customer}")
        before = _entry_dict(old)
        q.delete_entries(st, [(customer, email)])
        st.audit(ops.actor(by), "roster.remove", f"roster:{customer}:{email}", before, None, at=now)
    return {**before, "result": "removed"}


def can(ops: Ops, email: str, action: str, customer: str) -> dict[str, Any]:
    """May ``email`` do ``action`` for ``customer``? ``allowed`` with the reason either way."""
    customer = _customer_number(customer)
    email = _email(email)
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


# ================================================================== import / export
def _count(items: Any, word: str) -> str:
    n = items if isinstance(items, int) else len(items)
    return f"{n} {word}{'' if n == 1 else 's'}"


_CHECK_ORDER = {"customer": 0, "email": 1, "name": 2, "phone": 3, "role": 4, "kind": 5}


def _distinct(texts: list[str], fn: Callable[[str], Any]) -> dict[str, Any]:
    """Each distinct cell checked once: text -> value (lists joined with ",") or the ValueError."""
    out: dict[str, Any] = {}
    for text in set(texts):
        try:
            value = fn(text)
            out[text] = ",".join(value) if isinstance(value, list) else value
        except ValueError as exc:
            out[text] = exc
    return out


def _check_columns(cols: Columns) -> tuple[list[list[Any]], dict[int, list[tuple[str, str]]]]:
    """Check roster rows column by column (the hot path of a 100k-row import).

    Returns the checked columns [customers, emails, names, phones, kinds, roles]
    (one value per row) and, by row index, the (column, problem) list of the
    rows that are bad. Customer, role and kind cells repeat, so each distinct
    one is checked once; emails and phones are matched in one C-level pass and
    only looked at one by one when that pass finds a bad one.
    """
    vals = cols.values
    n = len(cols)
    errors: dict[int, list[tuple[str, str]]] = {}

    def mapped(column: str, fn: Callable[[str], Any], default: str | None = None) -> list[Any]:
        texts = vals[column] if default is None or column in vals else [default] * n
        table = _distinct(texts, fn)
        out = list(map(table.__getitem__, texts))
        if any(x.__class__ is ValueError for x in table.values()):
            for i, x in enumerate(out):
                if x.__class__ is ValueError:
                    errors.setdefault(i, []).append((column, str(x)))
        return out

    customers = mapped("customer", v.customer_number)
    roles = mapped("role", v.roles)
    kinds = mapped("kind", v.kind, "")
    emails = list(map(str.lower, vals["email"]))
    if not (all(map(v.EMAIL.fullmatch, emails)) and max(map(len, emails), default=0) <= 254):
        for i, e in enumerate(emails):
            if not v.is_email(e):
                try:
                    v.email(e)
                except ValueError as exc:
                    errors.setdefault(i, []).append(("email", str(exc)))
    names = vals["name"]
    if any(map(str.startswith, names, repeat("'"))):
        names = list(map(v.text_cell, names))
    if not all(names):
        for i, name in enumerate(names):
            if not name:
                errors.setdefault(i, []).append(("name", "name is missing"))
    if "phone" not in vals:
        phones: list[str | None] = [None] * n
    elif all(vals["phone"]):
        phones = vals["phone"]
    else:
        phones = [p or None for p in vals["phone"]]
    if not all(map(v.PHONE.fullmatch, filter(None, phones))):
        for i, p in enumerate(phones):
            if p and not v.is_phone(p):
                try:
                    v.phone(p)
                except ValueError as exc:
                    errors.setdefault(i, []).append(("phone", str(exc)))
    for problems in errors.values():
        problems.sort(key=lambda cp: _CHECK_ORDER[cp[0]])
    return [customers, emails, names, phones, kinds, roles], errors


def import_roster(
    ops: Ops,
    path: str | os.PathLike[str],
    *,
    replace: bool = False,
    dry_run: bool = False,
    skip_invalid: bool = False,
    by: str | None = None,
    progress: Progress = None,
) -> dict[str, Any]:
    """Upsert roster entries on (customer, email) from a .xlsx/.csv sheet, all in one transaction.

    Validates every row first: any problem raises ``InvalidInput`` naming every
    bad row (``file:row: column: problem``) and nothing is written, unless
    ``skip_invalid``: then the valid rows are written and the rejected ones go
    to ``FILE.rejected.csv`` with a reason column. Unknown customers are
    created when the sheet gives their name, else ``NotFound``. ``replace``
    removes the entries of the sheet's customers that it no longer lists.
    Returns counts: created, updated, unchanged, removed (and rejected).
    """
    with no_gc():
        return _import_roster(ops, path, replace, dry_run, skip_invalid, by, progress)


def _import_roster(
    ops: Ops,
    path: str | os.PathLike[str],
    replace: bool,
    dry_run: bool,
    skip_invalid: bool,
    by: str | None,
    progress: Progress,
) -> dict[str, Any]:
    cols = read_columns(path, ROSTER_COLUMNS, progress=progress)
    file = cols.file
    numbers_of = cols.numbers  # the sheet's row number of each data row
    n = len(cols)
    # (customer, email) -> index of its (first) row; every row index is also an index into records.
    valid: dict[tuple[str, str], int] = {}
    names: dict[str, str] = {}
    first_row: dict[str, int] = {}
    problems: list[Problem] = []
    rejected: list[tuple[SheetRow, str]] = []

    def reject(i: int, errors: list[tuple[str, str]]) -> None:
        for column, message in errors:
            problems.append(Problem(message, file, numbers_of[i], column))
        rejected.append((cols.row(i), "; ".join(f"{c}: {m}" for c, m in errors)))

    checked, bad = _check_columns(cols)
    customers, emails = checked[0], checked[1]
    keys = list(zip(customers, emails, strict=True))
    # (customer, email, name, phone, kind, roles) per row; data = record[2:]
    records = list(zip(*checked, strict=True))
    valid = dict(zip(keys, range(n), strict=True)) if not bad else {}
    if not bad and len(valid) == n:
        # The common case, every row good and listed once: build the maps without a Python loop.
        first_row = dict(zip(reversed(customers), reversed(numbers_of), strict=True))
    else:
        valid = {}
        for i, key in enumerate(keys):
            if bad and i in bad:
                reject(i, bad[i])
                continue
            seen = valid.get(key)
            if seen is not None:
                if records[seen][2:] != records[i][2:]:
                    reject(
                        i,
                        [
                            (
                                "email",
                                f"{key[1]} is listed twice for customer {key[0]} with different data "
                                f"(also row {numbers_of[seen]})",
                            )
                        ],
                    )
                continue
            valid[key] = i
            if key[0] not in first_row:
                first_row[key[0]] = numbers_of[i]
    if n and "customer_name" in cols.values:
        cnames = cols.values["customer_name"]
        if len(valid) == n:  # every row valid, in row order
            pairs = zip(customers, cnames, strict=True)
        else:
            pairs = ((key[0], cnames[i]) for key, i in valid.items())
        for number, cname in pairs:
            if cname and number not in names:
                names[number] = v.text_cell(cname)  # non-empty: the cell is trimmed already
    if problems and not skip_invalid:
        raise InvalidInput(
            f"{file}: {_count(len(rejected), 'bad row')} ({_count(problems, 'problem')});"
            " nothing was imported",
            problems,
        )

    present = set(cols.values) if n else set()
    keep_phone, keep_kind = "phone" not in present, "kind" not in present

    def plan(store: Any) -> dict[str, Any]:
        numbers = set(customers) if len(valid) == n else {c for c, _ in valid}
        existing = q.existing_numbers(store, numbers)
        unknown = numbers - existing
        missing = sorted(unknown - names.keys(), key=lambda c: first_row[c])
        if missing:
            if not skip_invalid:
                raise NotFound(
                    f"{file}: unknown customer{'s' if len(missing) > 1 else ''} {', '.join(missing)}; add "
                    "them with `ops roster customer add` or give their name in a customer_name (Kund) column",
                    [Problem(f"customer {c} not found", file, first_row[c], "customer") for c in missing],
                )
            gone = set(missing)
            for key in [k for k in valid if k[0] in gone]:
                i = valid.pop(key)
                rejected.append(
                    (cols.row(i), f"customer: customer {key[0]} not found (give customer_name to create it)")
                )
            numbers -= gone
        creating = {c: names[c] for c in sorted(unknown - set(missing))}
        if by is not None:
            for number in sorted(numbers):
                require(store, number, by, "manage-roster")
        old = q.entries_of_customers(store, numbers & existing)
        rows = records if len(valid) == n else list(map(records.__getitem__, valid.values()))
        created: list[tuple] = []
        updated: list[tuple] = []
        unchanged = 0
        if not old:
            created = rows
        else:
            for rec in rows:
                before = old.get(rec[:2])
                if before is None:
                    created.append(rec)
                    continue
                data = rec[2:]
                if keep_phone or keep_kind:  # a column the sheet does not have leaves that value as it is
                    data = (
                        data[0],
                        before[1] if keep_phone else data[1],
                        before[2] if keep_kind else data[2],
                        data[3],
                    )
                if before != data:
                    updated.append((*rec[:2], *data))
                else:
                    unchanged += 1
        removed = [k for k in old if k not in valid] if replace else []
        return {
            "creating": creating,
            "created": created,
            "updated": updated,
            "unchanged": unchanged,
            "removed": removed,
            "old": old,
        }

    now = ops.now()
    if dry_run:
        p = plan(ops.store)
    else:
        with ops.store.write() as st:
            p = plan(st)
            _write_import(ops, st, p, file, by, now)
    rejected_file = None
    if rejected and not dry_run:
        rejected_file = f"{file}.rejected.csv"
        _write_rejected(rejected_file, rejected)
    result = {
        "created": len(p["created"]),
        "updated": len(p["updated"]),
        "unchanged": p["unchanged"],
        "removed": len(p["removed"]),
        "rejected": len(rejected),
        "customers_created": list(p["creating"]),
        "dry_run": dry_run,
        "file": file,
        "rejected_file": rejected_file,
    }
    if dry_run:
        fields = ("customer", "email", "name", "phone", "kind", "roles")
        rows = [{"action": "create", **dict(zip(fields, r, strict=True))} for r in p["created"]]
        rows += [{"action": "update", **dict(zip(fields, r, strict=True))} for r in p["updated"]]
        rows += [{"action": "remove", "customer": c, "email": e} for c, e in p["removed"]]
        for row in rows:
            if "roles" in row:
                row["roles"] = row["roles"].split(",")
        result["rows"] = rows
    return result


def _write_import(ops: Ops, st: Any, p: dict[str, Any], file: str, by: str | None, now: Any) -> None:
    at = clock.to_db(now)
    actor = ops.actor(by)
    q.insert_customers(st, [(number, name) for number, name in p["creating"].items()], at)
    q.insert_entries(st, p["created"], at)
    q.update_entries(st, p["updated"], at)
    q.delete_entries(st, p["removed"])
    # One audit record per customer touched: which entries, and the old data of changed ones.
    fields = ("name", "phone", "kind", "roles")
    per: dict[str, dict[str, Any]] = {}

    def changes(number: str) -> dict[str, Any]:
        change = per.get(number)
        if change is None:
            change = per[number] = {"created": [], "updated": {}, "removed": []}
        return change

    # Rows of one customer usually stand together: one step per run of them, not per row.
    for number, run in groupby(p["created"], key=itemgetter(0)):
        changes(number)["created"].extend(map(itemgetter(1), run))
    for c, e, *data in p["updated"]:
        changes(c)["updated"][e] = dict(zip(fields, data, strict=True))
    for c, e in p["removed"]:
        changes(c)["removed"].append(e)
    old = p["old"]
    for number, change in per.items():
        before = {
            e: dict(zip(fields, old[(number, e)], strict=True))
            for e in [*change["updated"], *change["removed"]]
        }
        if number in p["creating"]:
            change["customer_created"] = {"number": number, "name": p["creating"][number]}
        st.audit(
            actor, "roster.import", f"customer:{number}", before or None, {"file": file, **change}, at=now
        )


def _write_rejected(path: str, rejected: list[tuple[SheetRow, str]]) -> None:
    cols = ["row", *(c.name for c in ROSTER_COLUMNS), "reason"]
    rows = [
        {"row": r.row, **r.values, "reason": reason} for r, reason in sorted(rejected, key=lambda x: x[0].row)
    ]
    write_table(path, rows, cols)


def export_roster(ops: Ops, path: str | os.PathLike[str], customer: str | None = None) -> dict[str, Any]:
    """Write the roster (or one customer's) to .xlsx or .csv in the columns ``roster import`` reads."""
    file = str(path)
    if Path(file).suffix.lower() not in (".xlsx", ".csv"):
        raise InvalidInput(f"{file}: export to .xlsx or .csv")
    if customer is not None:
        customer = _customer_number(customer)
        require_customer(ops.store, customer)
    names = {r["number"]: r["name"] for r in q.customers(ops.store)}
    rows = [
        {
            "customer": r["customer"],
            "customer_name": names.get(r["customer"], ""),
            "name": r["name"],
            "email": r["email"],
            "phone": r["phone"],
            "role": r["roles"],
            "kind": r["kind"],
        }
        for r in q.entries(ops.store, customer)
    ]
    write_table(file, rows, EXPORT_COLUMNS, sheet_title="Roster")
    return {"file": file, "rows": len(rows), "customer": customer}


# ================================================================== demo
def load_demo(ops: Ops) -> dict[str, Any]:
    """The demo customers and rosters, loaded through the same imports users run (idempotent)."""
    from ops_cli.demo import fixture

    customers = import_customers(ops, fixture("customers.csv"))
    roster = import_roster(ops, fixture("roster.xlsx"))
    return {
        "customers": {k: customers[k] for k in ("created", "updated", "unchanged")},
        "roster": {k: roster[k] for k in ("created", "updated", "unchanged", "removed")},
    }

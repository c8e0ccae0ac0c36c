"""Subscriptions (ISSI/TEI): import, listing, activation, decommissioning and ISSI/TEI change orders.

Rules (domain.md "Subscriptions"):

- an ISSI is unique across the store; a TEI is bound to at most one subscription
  that is not terminated;
- activate/deactivate: an orderer or contact of the owning customer; standby
  subscriptions also need the reference of form R30; an ordinary activation is
  done in desk office hours, an urgent one (``urgent=True``) around the clock;
- an ISSI/TEI change order: only an orderer; promised within
  ``orders.small_order_days`` working days for up to ``orders.small_order_max``
  changes, else ``orders.large_order_days``, counted from the receipt day (a
  non-working day counts as the next working day); urgent orders of at most
  ``orders.urgent_max`` changes are done the same day, inside desk office hours
  only;
- terminate (decommissioning): only an orderer, and only with the confirmation
  that programming and DMO frequencies were removed and the terminal reset;
  the TEI is then free for another subscription.

Every function takes the :class:`~ops_cli.context.Ops` first, returns plain
data and raises the typed errors of :mod:`ops_cli.errors`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from contextlib import nullcontext
from datetime import date, datetime
from typing import Any

from ops_cli import clock
from ops_cli.customers import require_customer
from ops_cli.errors import Conflict, InvalidInput, NotFound, Problem
from ops_cli.identities import IdentityError, parse_issi, parse_msisdn, parse_tei
from ops_cli.permissions import require
from ops_cli.render import plural
from ops_cli.store import subs as sql

KINDS = ("standard", "standby")
STATUSES = ("active", "inactive", "terminated")

_KIND_WORDS = {
    "standard": "standard",
    "normal": "standard",
    "standby": "standby",
    "beredskap": "standby",
    "beredskapsabonnemang": "standby",
}
_STATUS_WORDS = {
    "active": "active",
    "aktiv": "active",
    "activated": "active",
    "aktiverad": "active",
    "inactive": "inactive",
    "inaktiv": "inactive",
    "deactivated": "inactive",
    "avaktiverad": "inactive",
    "terminated": "terminated",
    "avslutad": "terminated",
    "uppsagd": "terminated",
}

# Columns accepted in files (English or Swedish headers, any case).
IMPORT_COLUMNS_SPEC = (
    ("customer", ("kundnummer", "kundnr", "kund", "customer_number"), True),
    ("issi", (), True),
    ("tei", (), True),
    ("msisdn", ("telefonnummer", "mobilnummer", "phone"), False),
    ("kind", ("typ", "abonnemangstyp", "type"), False),
    ("status", (), False),
)
CHANGE_COLUMNS_SPEC = (
    ("issi", ("nuvarande_issi", "current_issi", "old_issi"), True),
    ("new_tei", ("ny_tei",), False),
    ("new_issi", ("ny_issi",), False),
)
ISSI_COLUMN_SPEC = (("issi", (), True),)

DEMO_ORDERER = "anna.berg@polisen.example"
DEMO_ORDER_AT = "2026-11-16T09:30"
DEMO_DELIVERED_AT = "2026-11-19T14:00"


# ------------------------------------------------------------------ helpers
def _columns(spec: Iterable[tuple[str, tuple[str, ...], bool]]):
    from ops_cli.sheets import Column

    return [Column(name, aliases, required) for name, aliases, required in spec]


def _read(path: str | os.PathLike[str], spec, progress=None):
    from ops_cli.sheets import read_table

    return read_table(path, _columns(spec), progress=progress)


def _present(table, name: str, spec) -> bool:
    """Whether the file has a column for ``name`` (header or alias)."""
    from ops_cli.sheets import header_key

    for col, aliases, _ in spec:
        if col == name:
            keys = {header_key(n) for n in (col, *aliases)}
            return any(header_key(h) in keys for h in table.headers if h)
    return False


def _cell(r, name: str) -> object:
    """A cell as read (int/float/str/None), for the identity parsers."""
    value = r.raw.get(name)
    return None if value == "" else value


def sub_object(row: Any) -> dict[str, Any]:
    """A subscription as every command prints it (cli.md: issi, tei, customer, kind, status)."""
    return {
        "issi": int(row["issi"]),
        "tei": row["tei"],
        "customer": row["customer"],
        "kind": row["kind"],
        "status": row["status"],
        "msisdn": row["msisdn"],
    }


def parse_issi_args(values: Sequence[str]) -> list[int]:
    """ISSIs typed on the command line; all bad ones named in one error (exit 3)."""
    issis, problems = [], []
    for value in values:
        try:
            issis.append(parse_issi(value))
        except IdentityError as exc:
            problems.append(Problem(str(exc), column="ISSI"))
    if problems:
        raise InvalidInput(
            problems[0].message if len(problems) == 1 else f"{len(problems)} ISSIs are not valid",
            problems if len(problems) > 1 else None,
        )
    return issis


def _raise_row_problems(
    file: str, malformed: list[Problem], missing: list[Problem], conflicts: list[Problem], what: str
) -> None:
    """One error for every bad row: exit 3 if any row is malformed, else 4 for unknown ISSIs, else 6."""
    if not (malformed or missing or conflicts):
        return
    parts = []
    if malformed:
        parts.append(plural(len(malformed), "invalid value"))
    if missing:
        parts.append(plural(len(missing), "unknown or foreign ISSI"))
    if conflicts:
        parts.append(plural(len(conflicts), "conflict"))
    problems = sorted(malformed + missing + conflicts, key=lambda p: (p.row or 0, p.column or ""))
    message = f"{file}: {what} refused ({', '.join(parts)}); nothing was changed"
    if malformed:
        raise InvalidInput(message, problems)
    if missing:
        raise NotFound(message, problems)
    raise Conflict(message, problems)


# ------------------------------------------------------------------ reading
def list_subscriptions(
    ops, *, customer: str | None = None, status: str | None = None
) -> list[dict[str, Any]]:
    if status is not None and status not in STATUSES:
        raise InvalidInput(f"unknown status {status!r}; use one of: {', '.join(STATUSES)}")
    if customer is not None:
        require_customer(ops.store, customer)
    return [sub_object(r) for r in sql.select(ops.store, customer, status)]


def show_subscription(ops, issi: str | int) -> dict[str, Any]:
    number = parse_issi_args([str(issi)])[0]
    row = sql.get(ops.store, number)
    if row is None:
        raise NotFound(f"no subscription with ISSI {number}; see `ops sub list`")
    result = sub_object(row)
    result["addons"] = [a for a in (row["addons"] or "").split(",") if a]
    result["created_at"] = clock.from_db(row["created_at"], ops.tz)
    result["updated_at"] = clock.from_db(row["updated_at"], ops.tz)
    return result


def export_subscriptions(
    ops, path: str | os.PathLike[str], *, customer: str | None = None, status: str | None = None
) -> dict[str, Any]:
    """Write the subscriptions to .xlsx or .csv in the columns `sub import` reads back."""
    from ops_cli.sheets import write_table

    rows = list_subscriptions(ops, customer=customer, status=status)
    columns = ["customer", "issi", "tei", "msisdn", "kind", "status"]
    write_table(path, rows, columns, sheet_title="Subscriptions")
    return {"file": str(path), "rows": len(rows)}


# ------------------------------------------------------------------ import
def import_subscriptions(
    ops,
    path: str | os.PathLike[str],
    *,
    dry_run: bool = False,
    by: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Upsert subscriptions from a sheet (key: ISSI). All rows are validated first, then written at once.

    Empty optional cells keep what the store has (new rows: kind ``standard``,
    status ``inactive``). Exit 3 for invalid values or unknown customers, 6 for
    an ISSI of another customer or a TEI already bound to another live
    subscription; nothing is written then.
    """
    table = _read(path, IMPORT_COLUMNS_SPEC, progress)
    store = ops.store
    # Validated inside the write transaction: no other writer can bind a TEI in between.
    with nullcontext(store) if dry_run else store.write() as st:
        parsed, existing = _plan_import(st, table)

        at = ops.now()
        stamp = clock.to_db(at)
        created, updated, unchanged = [], [], []
        rows_out = []
        for row, new in parsed:
            old = existing.get(new["issi"])
            if old is None:
                created.append(new)
                rows_out.append({"row": row, "issi": new["issi"], "action": "create", "changes": {}})
                continue
            before = {k: old[k] for k in ("tei", "msisdn", "kind", "status")}
            after = {k: new[k] for k in before}
            diff = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
            if diff:
                updated.append((new, before))
                rows_out.append({"row": row, "issi": new["issi"], "action": "update", "changes": diff})
            else:
                unchanged.append(new)
        result: dict[str, Any] = {
            "created": len(created),
            "updated": len(updated),
            "unchanged": len(unchanged),
            "removed": 0,
            "dry_run": dry_run,
        }
        if dry_run:
            result["rows"] = rows_out
            return result
        actor = ops.actor(by)
        moving = [new["issi"] for new, before in updated if new["tei"] != before["tei"]]
        sql.clear_teis(st, moving, stamp)
        sql.update_many(st, ({**new, "at": stamp} for new, _ in updated))
        sql.insert_many(st, ({**new, "at": stamp} for new in created))
        for new, before in updated:
            after = {k: new[k] for k in before}
            st.audit(actor, "sub.update", f"sub:{new['issi']}", before, after, at=at)
        for new in created:
            st.audit(actor, "sub.create", f"sub:{new['issi']}", None, new, at=at)
    return result


def _plan_import(store, table) -> tuple[list[tuple[int, dict[str, Any]]], dict[int, Any]]:
    """Parse and check every row against the store; raises for every bad row."""
    file = table.file
    customers = sql.customer_numbers(store)
    existing = {int(r["issi"]): r for r in sql.index(store)}

    malformed: list[Problem] = []
    conflicts: list[Problem] = []
    seen: dict[int, int] = {}
    parsed: list[tuple[int, dict[str, Any]]] = []
    for r in table.rows:
        bad = False

        def problem(message: str, column: str, _row=r.row) -> None:
            nonlocal bad
            bad = True
            malformed.append(Problem(message, file, _row, column))

        customer = r.values.get("customer", "")
        if not customer:
            problem("customer is empty", "customer")
        elif not customer.isdigit():
            problem(f"customer {customer!r} is not a customer number (digits)", "customer")
        elif customer not in customers:
            problem(f"no customer {customer}; add it first with `ops roster customer add`", "customer")
        issi = tei = msisdn = None
        try:
            issi = parse_issi(_cell(r, "issi"))
        except IdentityError as exc:
            problem(str(exc), "issi")
        if r.values.get("tei"):
            try:
                tei = parse_tei(_cell(r, "tei"))
            except IdentityError as exc:
                problem(str(exc), "tei")
        try:
            msisdn = parse_msisdn(_cell(r, "msisdn"))
        except IdentityError as exc:
            problem(str(exc), "msisdn")
        kind_text = r.values.get("kind", "").lower()
        kind = _KIND_WORDS.get(kind_text) if kind_text else None
        if kind_text and kind is None:
            problem(f"kind {r.values['kind']!r} is not one of: {', '.join(KINDS)}", "kind")
        status_text = r.values.get("status", "").lower()
        status = _STATUS_WORDS.get(status_text) if status_text else None
        if status_text and status is None:
            problem(f"status {r.values['status']!r} is not one of: {', '.join(STATUSES)}", "status")
        if issi is not None:
            if issi in seen:
                problem(f"ISSI {issi} is also in row {seen[issi]}; an ISSI may appear once", "issi")
                continue
            seen[issi] = r.row
        if bad:
            continue
        old = existing.get(issi)
        if old is not None and old["customer"] != customer:
            conflicts.append(
                Problem(
                    f"ISSI {issi} belongs to customer {old['customer']}, not {customer}", file, r.row, "issi"
                )
            )
            continue
        new = {
            "issi": issi,
            "customer": customer,
            "tei": tei if tei is not None else (old["tei"] if old else None),
            "msisdn": msisdn if msisdn is not None else (old["msisdn"] if old else None),
            "kind": kind or (old["kind"] if old else "standard"),
            "status": status or (old["status"] if old else "inactive"),
        }
        parsed.append((r.row, new))

    # A TEI may be bound to one live subscription: check the state after the import.
    if not malformed:
        in_file = {new["issi"] for _, new in parsed}
        live_owner: dict[str, tuple[int, int | None]] = {}  # tei -> (issi, file row or None)
        for issi, old in existing.items():
            if issi not in in_file and old["tei"] and old["status"] != "terminated":
                live_owner[old["tei"]] = (issi, None)
        for row, new in parsed:
            if not new["tei"] or new["status"] == "terminated":
                continue
            holder = live_owner.get(new["tei"])
            if holder is None:
                live_owner[new["tei"]] = (new["issi"], row)
            elif holder[1] is None:
                conflicts.append(
                    Problem(
                        f"TEI {new['tei']} is bound to ISSI {holder[0]}, which is not terminated",
                        file,
                        row,
                        "tei",
                    )
                )
            else:
                conflicts.append(
                    Problem(
                        f"TEI {new['tei']} is also in row {holder[1]} (ISSI {holder[0]})", file, row, "tei"
                    )
                )
    _raise_row_problems(file, malformed, [], conflicts, "import")
    return parsed, existing


# ------------------------------------------------------------------ activation
def _collect_issis(ops, issis: Sequence[str | int], file: str | os.PathLike[str] | None) -> list[int]:
    numbers = parse_issi_args([str(i) for i in issis])
    if file is not None:
        table = _read(file, ISSI_COLUMN_SPEC)
        problems = []
        for r in table.rows:
            try:
                numbers.append(parse_issi(_cell(r, "issi")))
            except IdentityError as exc:
                problems.append(Problem(str(exc), table.file, r.row, "issi"))
        if problems:
            raise InvalidInput(
                f"{table.file}: {plural(len(problems), 'invalid ISSI')}; nothing was changed", problems
            )
    unique = list(dict.fromkeys(numbers))
    if not unique:
        raise InvalidInput("no ISSI given; name one or more ISSIs, or a file with --file")
    return unique


def _load(ops, numbers: list[int]) -> dict[int, Any]:
    rows = {int(r["issi"]): r for r in sql.get_many(ops.store, numbers)}
    missing = [n for n in numbers if n not in rows]
    if missing:
        shown = ", ".join(str(n) for n in missing[:20]) + (" ..." if len(missing) > 20 else "")
        raise NotFound(
            f"no subscription with ISSI {shown}; nothing was changed (see `ops sub list`)"
            if len(missing) == 1
            else f"{len(missing)} ISSIs have no subscription: {shown}; nothing was changed"
        )
    return rows


def _hours_text(ops, section: str) -> str:
    """``mon-fri 08:00-17:00`` for messages."""
    from ops_cli.calendar import WEEKDAYS

    hours = ops.config[section]["hours"]
    groups: list[tuple[list[str], str]] = []
    for day in WEEKDAYS:
        if day not in hours:
            continue
        spec = hours[day]
        spec = ", ".join(spec) if isinstance(spec, list) else spec
        if groups and groups[-1][1] == spec and WEEKDAYS.index(groups[-1][0][-1]) == WEEKDAYS.index(day) - 1:
            groups[-1][0].append(day)
        else:
            groups.append(([day], spec))
    text = "; ".join((d[0] if len(d) == 1 else f"{d[0]}-{d[-1]}") + " " + s for d, s in groups)
    if ops.config[section].get("closed_on_holidays"):
        text += ", working days only"
    return text or "never"


def _day_text(ops, day: date) -> str:
    name = ops.calendar.holiday_name(day)
    if name:
        return f"{day.isoformat()} is a holiday ({name})"
    return f"{day.isoformat()} is a {day.strftime('%A')}"


def set_status(
    ops,
    issis: Sequence[str | int],
    *,
    active: bool,
    by: str | None,
    form: str | None = None,
    urgent: bool = False,
    file: str | os.PathLike[str] | None = None,
    at: datetime | None = None,
) -> dict[str, Any]:
    """Activate or deactivate subscriptions: all of them in one transaction, or none.

    Refused (nothing changed) for an unknown ISSI (exit 4), a ``by`` who is not
    an orderer or contact of the owning customer (5), a standby subscription
    without the form R30 reference (3), a terminated subscription (6), and an
    activation outside desk office hours that is not urgent (6).
    """
    action = "activate" if active else "deactivate"
    target = "active" if active else "inactive"
    at = at or ops.now()
    numbers = _collect_issis(ops, issis, file)
    rows = _load(ops, numbers)
    for customer in sorted({rows[n]["customer"] for n in numbers}):
        require(ops.store, customer, by, action)
    terminated = [n for n in numbers if rows[n]["status"] == "terminated"]
    if terminated:
        raise Conflict(
            f"ISSI {', '.join(map(str, terminated))} {'is' if len(terminated) == 1 else 'are'} terminated and"
            f" cannot be {action}d; nothing was changed"
        )
    form = (form or "").strip() or None
    standby = [n for n in numbers if rows[n]["kind"] == "standby" and rows[n]["status"] != target]
    if standby and form is None:
        raise InvalidInput(
            f"ISSI {', '.join(map(str, standby))}"
            f" {'is a standby subscription' if len(standby) == 1 else 'are standby subscriptions'}:"
            f" to {action} it give the reference of form R30 (Aktivera beredskapsabonnemang) with --form;"
            " nothing was changed"
        )
    if active and not urgent and not ops.hours("desk").is_open(at):
        raise Conflict(
            f"activations are done in desk office hours ({_hours_text(ops, 'desk')});"
            f" {at.isoformat(timespec='minutes')} is outside them. An urgent activation is accepted"
            " around the clock: add --urgent. Nothing was changed"
        )
    changing = [n for n in numbers if rows[n]["status"] != target]
    unchanged = [n for n in numbers if rows[n]["status"] == target]
    if changing:
        actor = ops.actor(by)
        stamp = clock.to_db(at)
        with ops.store.write() as st:
            sql.set_status(st, changing, target, stamp)
            for n in changing:
                after: dict[str, Any] = {"status": target}
                if form and rows[n]["kind"] == "standby":
                    after["form_r30"] = form
                if urgent:
                    after["urgent"] = True
                st.audit(actor, f"sub.{action}", f"sub:{n}", {"status": rows[n]["status"]}, after, at=at)
    subs = [
        {**sub_object(rows[n]), "status": target, "was": rows[n]["status"], "changed": n in set(changing)}
        for n in numbers
    ]
    return {
        "action": action,
        "changed": len(changing),
        "unchanged": len(unchanged),
        "urgent": urgent,
        "form": form,
        "subscriptions": subs,
    }


def terminate(
    ops,
    issis: Sequence[str | int],
    *,
    by: str | None,
    confirm_reset: bool = False,
    at: datetime | None = None,
) -> dict[str, Any]:
    """Decommission subscriptions (only an orderer); the TEIs become free for other subscriptions.

    Refused without ``confirm_reset``: the customer must first remove operator
    and network programming and DMO frequencies and factory-reset the terminal.
    """
    at = at or ops.now()
    numbers = parse_issi_args([str(i) for i in issis])
    numbers = list(dict.fromkeys(numbers))
    if not numbers:
        raise InvalidInput("no ISSI given; name one or more ISSIs to terminate")
    rows = _load(ops, numbers)
    for customer in sorted({rows[n]["customer"] for n in numbers}):
        require(ops.store, customer, by, "order")
    if not confirm_reset:
        raise InvalidInput(
            "decommissioning needs --confirm-reset: confirm that all operator and network programming and"
            " DMO frequencies were removed from the terminal and it was reset to factory settings;"
            " nothing was changed"
        )
    changing = [n for n in numbers if rows[n]["status"] != "terminated"]
    if changing:
        actor = ops.actor(by)
        stamp = clock.to_db(at)
        with ops.store.write() as st:
            sql.set_status(st, changing, "terminated", stamp)
            for n in changing:
                st.audit(
                    actor,
                    "sub.terminate",
                    f"sub:{n}",
                    {"status": rows[n]["status"], "tei": rows[n]["tei"]},
                    {"status": "terminated", "reset_confirmed": True, "tei_released": rows[n]["tei"]},
                    at=at,
                )
    return {
        "action": "terminate",
        "changed": len(changing),
        "unchanged": len(numbers) - len(changing),
        "subscriptions": [
            {
                **sub_object(rows[n]),
                "status": "terminated",
                "was": rows[n]["status"],
                "changed": n in set(changing),
            }
            for n in numbers
        ],
    }


# ------------------------------------------------------------------ change orders
def promised_date(ops, received: datetime, changes: int, urgent: bool = False) -> dict[str, Any]:
    """The promised delivery of a change order received at ``received`` (desk-local).

    Returns ``receipt_day`` (the working day the order counts as received on),
    ``working_days`` (0 for urgent) and ``due``. Raises Conflict when an
    urgent order is not allowed (too many changes, outside desk office hours).
    """
    cfg = ops.config["orders"]
    cal = ops.calendar
    local = received.astimezone(ops.tz)
    day = local.date()
    receipt_day = cal.working_day_on_or_after(day)
    if urgent:
        if changes > cfg["urgent_max"]:
            raise Conflict(
                f"an urgent order takes at most {cfg['urgent_max']} changes; this one has {changes}."
                " Send it without --urgent (promised within"
                f" {_order_days(cfg, changes)}"
                " working days) or split it; nothing was changed"
            )
        check_urgent_time(ops, local)
        return {"receipt_day": day, "working_days": 0, "due": day}
    days = _order_days(cfg, changes)
    return {"receipt_day": receipt_day, "working_days": days, "due": cal.add_working_days(receipt_day, days)}


def _order_days(cfg: dict[str, Any], changes: int) -> int:
    return cfg["small_order_days"] if changes <= cfg["small_order_max"] else cfg["large_order_days"]


def check_urgent_time(ops, at: datetime) -> None:
    """Urgent changes only in desk office hours on a working day (Conflict with the reason otherwise)."""
    local = at.astimezone(ops.tz)
    when = local.isoformat(timespec="minutes")
    if not ops.calendar.is_working_day(local.date()):
        reason = f"{_day_text(ops, local.date())}, not a working day"
    elif not ops.hours("desk").is_open(local):
        reason = f"{when} is outside them"
    else:
        return
    raise Conflict(
        f"urgent changes are done only in desk office hours ({_hours_text(ops, 'desk')}); {reason}."
        " Send the order without --urgent to get a promised date; nothing was changed"
    )


def change_order(
    ops,
    path: str | os.PathLike[str],
    *,
    customer: str,
    by: str | None,
    urgent: bool = False,
    dry_run: bool = False,
    at: datetime | None = None,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Place a bulk ISSI/TEI change order from a sheet (columns issi, new_tei and/or new_issi).

    Every row is validated before anything is written. Then, in one
    transaction: an order case (topic ``order``) listing the changes, the
    change order with its promised date, the changes themselves, and one audit
    record per change. Returns ``{"case", "changes", "due", ...}``; with
    ``dry_run`` the per-row diff and the due date, writing nothing.
    """
    store = ops.store
    customer = str(customer).strip()
    at = at or ops.now()
    if not by:
        raise InvalidInput("a change order needs the orderer's e-mail address (--by EMAIL)")
    require_customer(store, customer)
    require(store, customer, by, "change")
    if urgent:
        check_urgent_time(ops, at)

    table = _read(path, CHANGE_COLUMNS_SPEC, progress)
    file = table.file
    has_tei = _present(table, "new_tei", CHANGE_COLUMNS_SPEC)
    has_issi = _present(table, "new_issi", CHANGE_COLUMNS_SPEC)
    if not (has_tei or has_issi):
        raise InvalidInput(
            f"{file}: the order needs a column new_tei and/or new_issi next to issi",
            [Problem("missing column new_tei (ny_tei) or new_issi (ny_issi)", file, 1)],
        )
    if not table.rows:
        raise InvalidInput(f"{file}: the order has no rows; list one change per row under the header")

    # Validated inside the write transaction, so no other writer can take a TEI or ISSI in between.
    with nullcontext(store) if dry_run else store.write() as st:
        items = _validate_changes(st, table, customer)
        n = len(items)
        promise = promised_date(ops, at, n, urgent)
        result: dict[str, Any] = {
            "case": None,
            "changes": n,
            "due": promise["due"],
            "urgent": urgent,
            "customer": customer,
            "received": at.astimezone(ops.tz),
            "receipt_day": promise["receipt_day"],
            "working_days": promise["working_days"],
            "dry_run": dry_run,
        }
        if dry_run:
            result["rows"] = [
                {
                    "row": i["row"],
                    "issi": i["issi"],
                    "new_issi": i["new_issi"],
                    "old_tei": i["old_tei"],
                    "new_tei": i["new_tei"],
                }
                for i in items
            ]
            return result

        result["case"] = _write_order(
            ops, st, items, customer=customer, by=by, urgent=urgent, at=at, promise=promise
        )
    return result


def _write_order(ops, st, items, *, customer, by, urgent, at, promise) -> str:
    """The order case, the order, its items, the changes and their audit records; returns the case number."""
    from ops_cli.cases import open_case

    n = len(items)
    actor = ops.actor(by)
    stamp = clock.to_db(at)
    due = promise["due"]
    subject = f"ISSI/TEI change order: {plural(n, 'subscription')}" + (" (urgent)" if urgent else "")
    lines = [
        f"{'Urgent ' if urgent else ''}ISSI/TEI change order for customer {customer}, {plural(n, 'change')},"
        f" received {at.astimezone(ops.tz).isoformat(timespec='minutes')}, promised by {due.isoformat()}.",
        "",
    ]
    lines.extend(_change_line(i) for i in items)
    case = open_case(
        ops,
        topic="order",
        reporter=by,
        subject=subject,
        customer=customer,
        channel="email",
        message="\n".join(lines),
        area="order" if "order" in ops.config["areas"] else None,
        at=at,
        actor=actor,
    )
    order_id = sql.insert_order(
        st,
        {
            "case_id": sql.case_id(st, case["number"]),
            "customer": customer,
            "received_at": stamp,
            "receipt_day": promise["receipt_day"].isoformat(),
            "due_date": due.isoformat(),
            "urgent": 1 if urgent else 0,
            "change_count": n,
            "created_by": actor,
        },
    )
    sql.insert_items(st, order_id, items)
    sql.clear_teis(st, (i["issi"] for i in items if i["new_tei"] is not None), stamp)
    sql.set_teis(st, ((i["new_tei"], i["issi"]) for i in items if i["new_tei"] is not None), stamp)
    sql.set_issis(st, ((i["new_issi"], i["issi"]) for i in items if i["new_issi"] is not None), stamp)
    obj_case = f"case:{case['number']}"
    st.audit(
        actor,
        "sub.order",
        obj_case,
        None,
        {"customer": customer, "changes": n, "due": due.isoformat(), "urgent": urgent},
        at=at,
    )
    for i in items:
        st.audit(
            actor,
            "sub.change",
            f"sub:{i['issi']}",
            {"issi": i["issi"], "tei": i["old_tei"]},
            {
                "issi": i["new_issi"] or i["issi"],
                "tei": i["new_tei"] or i["old_tei"],
                "order": case["number"],
            },
            at=at,
        )
    return case["number"]


def _validate_changes(store, table, customer: str) -> list[dict[str, Any]]:
    """Every row checked against the store (ONE query, then set lookups); raises for every bad row."""
    file = table.file
    # One query; every check below is a set or dict lookup.
    subs: dict[int, tuple[str, str | None, str]] = {}
    live_tei: dict[str, int] = {}
    for r in sql.index(store):
        issi = int(r["issi"])
        subs[issi] = (r["customer"], r["tei"], r["status"])
        if r["tei"] and r["status"] != "terminated":
            live_tei[r["tei"]] = issi

    malformed: list[Problem] = []
    missing: list[Problem] = []
    conflicts: list[Problem] = []
    seen_issi: dict[int, int] = {}
    items: list[dict[str, Any]] = []
    for r in table.rows:
        row = r.row
        try:
            issi = parse_issi(_cell(r, "issi"))
        except IdentityError as exc:
            malformed.append(Problem(str(exc), file, row, "issi"))
            issi = None
        new_tei = new_issi = None
        bad = issi is None
        if r.values.get("new_tei"):
            try:
                new_tei = parse_tei(_cell(r, "new_tei"))
            except IdentityError as exc:
                malformed.append(Problem(str(exc), file, row, "new_tei"))
                bad = True
        if r.values.get("new_issi"):
            try:
                new_issi = parse_issi(_cell(r, "new_issi"))
            except IdentityError as exc:
                malformed.append(Problem(str(exc), file, row, "new_issi"))
                bad = True
        if not bad and new_tei is None and new_issi is None:
            malformed.append(Problem("nothing to change: give new_tei and/or new_issi", file, row, None))
            bad = True
        if issi is not None:
            if issi in seen_issi:
                malformed.append(
                    Problem(
                        f"ISSI {issi} is also in row {seen_issi[issi]}; one row per subscription",
                        file,
                        row,
                        "issi",
                    )
                )
                continue
            seen_issi[issi] = row
        if bad:
            continue
        found = subs.get(issi)
        if found is None:
            missing.append(Problem(f"no subscription with ISSI {issi}", file, row, "issi"))
            continue
        owner, old_tei, status = found
        if owner != customer:
            missing.append(
                Problem(f"ISSI {issi} belongs to customer {owner}, not {customer}", file, row, "issi")
            )
            continue
        if status == "terminated":
            conflicts.append(Problem(f"ISSI {issi} is terminated and cannot be changed", file, row, "issi"))
            continue
        if new_tei is not None and new_tei == old_tei:
            malformed.append(Problem(f"{new_tei} is already the TEI of ISSI {issi}", file, row, "new_tei"))
            continue
        if new_issi is not None and new_issi == issi:
            malformed.append(
                Problem(f"new_issi {new_issi} is the subscription's own ISSI", file, row, "new_issi")
            )
            continue
        items.append({"row": row, "issi": issi, "old_tei": old_tei, "new_tei": new_tei, "new_issi": new_issi})

    # Conflicts between rows and with the store. A TEI is free when no live
    # subscription holds it, or when its holder is in this order and moves to
    # another TEI (terminals swapped between subscriptions).
    releasing = {i["issi"] for i in items if i["new_tei"] is not None}
    tei_rows: dict[str, int] = {}
    issi_rows: dict[int, int] = {}
    for item in items:
        row, tei, new_issi = item["row"], item["new_tei"], item["new_issi"]
        if tei is not None:
            holder = live_tei.get(tei)
            if tei in tei_rows:
                conflicts.append(
                    Problem(f"TEI {tei} is also the new TEI in row {tei_rows[tei]}", file, row, "new_tei")
                )
            elif holder is not None and holder != item["issi"] and holder not in releasing:
                conflicts.append(
                    Problem(
                        f"TEI {tei} is bound to ISSI {holder} (customer {subs[holder][0]}),"
                        " which is not terminated",
                        file,
                        row,
                        "new_tei",
                    )
                )
            tei_rows.setdefault(tei, row)
        if new_issi is not None:
            if new_issi in issi_rows:
                conflicts.append(
                    Problem(
                        f"ISSI {new_issi} is also the new ISSI in row {issi_rows[new_issi]}",
                        file,
                        row,
                        "new_issi",
                    )
                )
            elif new_issi in subs:
                conflicts.append(
                    Problem(
                        f"ISSI {new_issi} is in use (customer {subs[new_issi][0]}, {subs[new_issi][2]});"
                        " an ISSI is never reused",
                        file,
                        row,
                        "new_issi",
                    )
                )
            issi_rows.setdefault(new_issi, row)
    _raise_row_problems(file, malformed, missing, conflicts, "change order")
    return items


def _change_line(item: dict[str, Any]) -> str:
    parts = []
    if item["new_issi"] is not None:
        parts.append(f"ISSI {item['issi']} -> {item['new_issi']}")
    else:
        parts.append(f"ISSI {item['issi']}")
    if item["new_tei"] is not None:
        parts.append(f"TEI {item['old_tei'] or '(none)'} -> {item['new_tei']}")
    return ": ".join(parts)


# ------------------------------------------------------------------ orders and delivery
def _order_object(ops, row: Any, today: date | None = None) -> dict[str, Any]:
    due = date.fromisoformat(row["due_date"])
    delivered = clock.from_db(row["delivered_at"], ops.tz)
    on_time = None
    if row["delivered_on"]:
        on_time = date.fromisoformat(row["delivered_on"]) <= due
    today = today or ops.now().date()
    return {
        "case": row["case_number"],
        "customer": row["customer"],
        "changes": int(row["change_count"]),
        "urgent": bool(row["urgent"]),
        "received": clock.from_db(row["received_at"], ops.tz),
        "receipt_day": row["receipt_day"],
        "due": row["due_date"],
        "delivered": delivered,
        "on_time": on_time,
        "overdue": delivered is None and today > due,
        "ordered_by": row["created_by"],
    }


def list_orders(ops, *, customer: str | None = None, open_only: bool = False) -> list[dict[str, Any]]:
    """Change orders with their promised and delivered dates (``open_only``: not yet delivered)."""
    if customer is not None:
        require_customer(ops.store, customer)
    today = ops.now().date()
    return [_order_object(ops, r, today) for r in sql.orders(ops.store, customer, open_only)]


def deliver(ops, case_number: str, *, at: datetime | None = None, by: str | None = None) -> dict[str, Any]:
    """Mark the change order of a case delivered; on time when delivered on or before the due date."""
    case_number = case_number.strip()
    at = at or ops.now()
    row = sql.order_by_case(ops.store, case_number)
    if row is None:
        raise NotFound(f"no change order with case {case_number}; see `ops sub orders`")
    if row["delivered_at"]:
        when = clock.from_db(row["delivered_at"], ops.tz).isoformat(timespec="minutes")
        raise Conflict(f"the change order of case {case_number} was already delivered at {when}")
    received = clock.from_db(row["received_at"], ops.tz)
    if at < received:
        raise InvalidInput(
            f"delivery time {at.isoformat(timespec='minutes')} is before the order was received"
            f" ({received.isoformat(timespec='minutes')})"
        )
    actor = ops.actor(by)
    on = at.astimezone(ops.tz).date().isoformat()
    with ops.store.write() as st:
        sql.mark_delivered(st, row["id"], clock.to_db(at), on, actor)
        st.audit(
            actor,
            "sub.deliver",
            f"case:{case_number}",
            {"delivered_at": None},
            {"delivered_at": clock.to_db(at), "due": row["due_date"], "on_time": on <= row["due_date"]},
            at=at,
        )
    return _order_object(ops, sql.order_by_case(ops.store, case_number))


def order_changes(ops, case_number: str) -> list[dict[str, Any]]:
    row = sql.order_by_case(ops.store, case_number.strip())
    if row is None:
        raise NotFound(f"no change order with case {case_number}; see `ops sub orders`")
    return [
        {
            "row": i["row"],
            "issi": i["issi"],
            "new_issi": i["new_issi"],
            "old_tei": i["old_tei"],
            "new_tei": i["new_tei"],
        }
        for i in sql.order_items(ops.store, row["id"])
    ]


# ------------------------------------------------------------------ demo
def load_demo(ops) -> dict[str, Any]:
    """Demo subscriptions (fixtures/subscriptions.csv) and one delivered change order by Anna Berg.

    The order (fixtures/sub_demo_order.csv) leaves the rows of the example
    order fixtures/change_order.xlsx alone, so that one can be tried on the
    demo store.

    Idempotent: once the demo order is in the store, nothing is loaded again
    (re-importing the sheet would undo the order's changes).
    """
    from ops_cli.demo import fixture

    received = ops.at(DEMO_ORDER_AT)
    if sql.order_count(ops.store, "1001", DEMO_ORDERER, clock.to_db(received)):
        return {"subscriptions": "already loaded", "order": "already loaded"}
    imported = import_subscriptions(ops, fixture("subscriptions.csv"))
    order = change_order(ops, fixture("sub_demo_order.csv"), customer="1001", by=DEMO_ORDERER, at=received)
    deliver(ops, order["case"], at=ops.at(DEMO_DELIVERED_AT))
    return {
        "subscriptions": {k: imported[k] for k in ("created", "updated", "unchanged")},
        "order": {"case": order["case"], "changes": order["changes"], "due": order["due"].isoformat()},
    }

"""Subscription status: activate, deactivate, terminate (decommissioning).

Every check that decides a write (the subscriptions exist, who asks, not
terminated, the R30 form, office hours) runs inside the write transaction on
rows read there, so a concurrent ``sub terminate`` can never be undone by an
activation that read the rows before it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from ops_cli import clock
from ops_cli.errors import Conflict, InvalidInput, NotFound, Problem
from ops_cli.parsers.identities import ISSI_MAX, IdentityError, parse_issi
from ops_cli.render import plural
from ops_cli.store import subscriptions as sql
from ops_cli.store.audit import image_json
from ops_cli.subscriptions._common import (
    ISSI_COLUMN_SPEC,
    _cell,
    _hours_text,
    _read,
    _source,
    parse_issi_args,
    sub_object,
)
from ops_cli.subscriptions.rules import R30, check_actor_for_subscriptions, require_known_actor


def _collect_issis(
    ops, issis: Sequence[str | int], file: str | os.PathLike[str] | None, source: dict, **reader: Any
) -> list[int]:
    """The ISSIs typed and those of ``file``'s issi column (``source`` gets the sheet that was read)."""
    numbers = parse_issi_args([str(i) for i in issis])
    if file is not None:
        table = _read(file, ISSI_COLUMN_SPEC, **reader)
        source.update(_source(table))
        problems = []
        add = numbers.append
        for r in table.rows:
            value = r.raw.get("issi")
            # plain ASCII digits (a CSV cell, nearly every row): the same number parse_issi gives
            if (
                type(value) is str
                and len(value) < 16
                and value.isascii()
                and value.isdigit()
                and 0 < int(value) <= ISSI_MAX
            ):
                add(int(value))
                continue
            try:
                add(parse_issi(_cell(r, "issi")))
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


def _load(store, numbers: list[int]) -> tuple[dict[int, Any], str]:
    """The rows of ``numbers`` read through ``store`` in one statement (call it inside the write
    transaction), and the ISSI set parameter that names them (for the set-based writes)."""
    issis = sql.issi_set(numbers)
    rows = {r["issi"]: r for r in sql.get_set(store, issis)}
    if len(rows) < len(numbers):
        missing = [n for n in numbers if n not in rows]
        shown = ", ".join(str(n) for n in missing[:20]) + (" ..." if len(missing) > 20 else "")
        raise NotFound(
            f"no subscription with ISSI {shown}; nothing was changed (see `ops sub list`)"
            if len(missing) == 1
            else f"{len(missing)} ISSIs have no subscription: {shown}; nothing was changed"
        )
    return rows, issis


def _check_hours(ops, at: datetime, action: str, urgent: bool) -> None:
    """Activation and deactivation: desk office hours, or urgent around the clock (issue 13.13)."""
    if urgent or ops.hours("desk").is_open(at):
        return
    why = "" if action == "activate" else " (a lost or stolen terminal)"
    raise Conflict(
        f"{action[:-1]}ions are done in desk office hours ({_hours_text(ops, 'desk')});"
        f" {at.isoformat(timespec='minutes')} is outside them. An urgent {action[:-1]}ion{why} is accepted"
        " around the clock: add --urgent. Nothing was changed"
    )


def _check_status_rules(ops, rows, numbers, *, action, target, form, urgent, at) -> None:
    terminated = [n for n in numbers if rows[n]["status"] == "terminated"]
    if terminated:
        raise Conflict(
            f"ISSI {', '.join(map(str, terminated))} {'is' if len(terminated) == 1 else 'are'} terminated and"
            f" cannot be {action}d; nothing was changed"
        )
    standby = [n for n in numbers if rows[n]["kind"] == "standby" and rows[n]["status"] != target]
    if standby and form is None:
        raise InvalidInput(
            f"ISSI {', '.join(map(str, standby))}"
            f" {'is a standby subscription' if len(standby) == 1 else 'are standby subscriptions'}:"
            f" to {action} it give the reference of {R30} with --form; nothing was changed"
        )
    _check_hours(ops, at, action, urgent)


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
    **reader: Any,  # sheet=, delimiter=: for ``file``, passed to the import pipeline's reader
) -> dict[str, Any]:
    """Activate or deactivate subscriptions: all of them in one transaction, or none.

    Refused (nothing changed) for an unknown ISSI (exit 4), a ``by`` who is not
    an orderer or contact of the owning customer (5), a standby subscription
    without the form R30 reference (3), a terminated subscription (6), and a
    change outside desk office hours that is not urgent (6).
    """
    action = "activate" if active else "deactivate"
    target = "active" if active else "inactive"
    at = at or ops.now()
    source: dict[str, str] = {}
    numbers = _collect_issis(ops, issis, file, source, **reader)
    form = (form or "").strip() or None
    actor = ops.actor(by)
    stamp = clock.to_db(at)
    with ops.store.write() as st:
        require_known_actor(st, ops.config, by)
        rows, issis = _load(st, numbers)
        check_actor_for_subscriptions(st, ops.config, {n: rows[n]["customer"] for n in numbers}, by, action)
        _check_status_rules(ops, rows, numbers, action=action, target=target, form=form, urgent=urgent, at=at)
        changing = [n for n in numbers if rows[n]["status"] != target]
        if changing:
            # one audit record a subscription and one UPDATE, each ONE statement over the ISSI
            # set (the audit first: it reads the status before); the few images as JSON texts
            befores = {s: image_json({"status": s}) for s in ("active", "inactive")}
            afters = {}
            for kind in ("standard", "standby"):
                after: dict[str, Any] = {"status": target}
                if form and kind == "standby":
                    after["form_r30"] = form
                if urgent:
                    after["urgent"] = True
                afters[kind] = image_json(after)
            sql.audit_status(st, actor, at, f"sub.{action}", issis, target, befores, afters)
            sql.set_status_set(st, issis, target, stamp)
    changed = set(changing)  # built once: a 30,000-row --file stays linear
    subs = []
    add = subs.append
    for n in numbers:
        row = rows[n]
        was = row["status"]
        add(
            {
                "issi": n,
                "tei": row["tei"],
                "customer": row["customer"],
                "kind": row["kind"],
                "status": target,
                "msisdn": row["msisdn"],
                "was": was,
                "changed": n in changed,
            }
        )
    return {
        "action": action,
        "changed": len(changing),
        "unchanged": len(numbers) - len(changing),
        "urgent": urgent,
        "form": form,
        "subscriptions": subs,
        **source,
    }


def terminate(
    ops,
    issis: Sequence[str | int],
    *,
    by: str | None,
    confirm_reset: bool = False,
    at: datetime | None = None,
    file: str | os.PathLike[str] | None = None,
    **reader: Any,  # sheet=, delimiter=: for ``file``, passed to the import pipeline's reader
) -> dict[str, Any]:
    """Decommission subscriptions (only an orderer); the TEIs become free for other subscriptions.

    Refused without ``confirm_reset``: the customer must first remove operator
    and network programming and DMO frequencies and factory-reset the terminal.
    ``file``: also the ISSIs of that sheet's issi column (all in one transaction, or none).
    """
    at = at or ops.now()
    source: dict[str, str] = {}
    if file is None:
        numbers = list(dict.fromkeys(parse_issi_args([str(i) for i in issis])))
        if not numbers:
            raise InvalidInput("no ISSI given; name one or more ISSIs to terminate")
    else:
        numbers = _collect_issis(ops, issis, file, source, **reader)
    actor = ops.actor(by)
    stamp = clock.to_db(at)
    with ops.store.write() as st:
        require_known_actor(st, ops.config, by)
        rows, issis = _load(st, numbers)
        check_actor_for_subscriptions(st, ops.config, {n: rows[n]["customer"] for n in numbers}, by, "order")
        if not confirm_reset:
            raise InvalidInput(
                "decommissioning needs --confirm-reset: confirm that all operator and network programming"
                " and DMO frequencies were removed from the terminal and it was reset to factory settings;"
                " nothing was changed"
            )
        changing = [n for n in numbers if rows[n]["status"] != "terminated"]
        if changing:
            # the audit (status and TEI before, the TEI released) and the UPDATE, each ONE
            # statement over the ISSI set, the audit first: it reads the rows before
            sql.audit_terminate(st, actor, at, issis)
            sql.set_status_set(st, issis, "terminated", stamp)
    changed = set(changing)
    return {
        "action": "terminate",
        "changed": len(changing),
        "unchanged": len(numbers) - len(changing),
        "subscriptions": [
            {**sub_object(rows[n]), "status": "terminated", "was": rows[n]["status"], "changed": n in changed}
            for n in numbers
        ],
        **source,
    }

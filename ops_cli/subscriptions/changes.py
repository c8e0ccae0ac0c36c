"""ISSI/TEI changes: reading the order sheet's rows, checking them against the store, applying them.

The same store checks run when an order is registered (``sub change``) and
again when it is delivered (``sub deliver``), each time inside the write
transaction on data read there: the new TEI is still free, the new ISSI is
still unused and was never given up, the subscription is still the
customer's and not terminated, and no other pending order claims the same
ISSI, new ISSI or new TEI.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ops_cli.errors import Problem
from ops_cli.parsers.identities import IdentityError, parse_issi, parse_tei
from ops_cli.store import subscriptions as sql
from ops_cli.subscriptions._common import _cell
from ops_cli.subscriptions.rules import retired_message


@dataclass
class Found:
    """What a check found, by the exit code it leads to."""

    malformed: list[Problem] = field(default_factory=list)
    foreign: list[Problem] = field(default_factory=list)
    missing: list[Problem] = field(default_factory=list)
    conflicts: list[Problem] = field(default_factory=list)


@dataclass
class State:
    """The store facts the checks need, read in a few queries; every check is then a lookup."""

    subs: dict[int, tuple[str, str | None, str]]  # issi -> (customer, tei, status)
    live_tei: dict[str, int]  # tei -> issi of the live subscription holding it
    retired: set[int]
    claimed_issi: dict[int, str]  # ISSI -> case of the pending order changing it
    claimed_new_issi: dict[int, str]
    claimed_new_tei: dict[str, str]
    case_customer: dict[str, str] = field(default_factory=dict)  # pending order case -> its customer

    def claim(self, case: str, customer: str) -> str:
        """A pending order named in an error: its case only when it is the asking customer's own."""
        if self.case_customer.get(case) == customer:
            return f"pending change order {case}"
        return "another pending change order"


def load_state(store, items, *, except_case: str | None = None) -> State:
    """Read what the checks of ``items`` need, and only that: the subscriptions of their ISSIs and
    new ISSIs, the live holders of their new TEIs, which new ISSIs were given up, and the pending
    claims (leave out the order being delivered). Chunked ``IN`` queries on the file's keys, so
    the cost grows with the file, never with the fleet."""
    items = list(items)
    subs: dict[int, tuple[str, str | None, str]] = {}
    live_tei: dict[str, int] = {}
    new_issis = [i["new_issi"] for i in items if i.get("new_issi") is not None]
    holders = sql.live_by_tei(store, (i.get("new_tei") for i in items))
    for r in (*sql.facts_by_issi(store, [*(i["issi"] for i in items), *new_issis]), *holders):
        issi = int(r["issi"])
        subs[issi] = (r["customer"], r["tei"], r["status"])
        if r["tei"] and r["status"] != "terminated":
            live_tei[r["tei"]] = issi
    state = State(subs, live_tei, sql.retired_among(store, new_issis), {}, {}, {})
    for r in sql.pending_claims(store):
        case = r["case_number"]
        if case == except_case:
            continue
        state.case_customer[case] = r["customer"]
        state.claimed_issi.setdefault(int(r["issi"]), case)
        if r["new_issi"] is not None:
            state.claimed_new_issi.setdefault(int(r["new_issi"]), case)
        if r["new_tei"] is not None:
            state.claimed_new_tei.setdefault(r["new_tei"], case)
    return state


def _parse_row(r, file: str, found: Found) -> dict[str, Any] | None:
    """One sheet row as an item, or None (its problems added to ``found``)."""
    row, bad = r.row, False
    values: dict[str, Any] = {}
    for column, parse, required in (("issi", parse_issi, True), ("new_tei", parse_tei, False)):
        values[column] = None
        if required or r.values.get(column):
            try:
                values[column] = parse(_cell(r, column))
            except IdentityError as exc:
                found.malformed.append(Problem(str(exc), file, row, column))
                bad = True
    values["new_issi"] = None
    if r.values.get("new_issi"):
        try:
            values["new_issi"] = parse_issi(_cell(r, "new_issi"))
        except IdentityError as exc:
            found.malformed.append(Problem(str(exc), file, row, "new_issi"))
            bad = True
    if not bad and values["new_tei"] is None and values["new_issi"] is None:
        found.malformed.append(Problem("nothing to change: give new_tei and/or new_issi", file, row, None))
        bad = True
    return None if bad and values["issi"] is None else {"row": row, "bad": bad, **values}


def parse_rows(table) -> tuple[list[dict[str, Any]], Found]:
    """The rows as items ``{row, issi, new_tei, new_issi}``; malformed rows and repeats in ``Found``."""
    found = Found()
    seen: dict[int, int] = {}
    items = []
    for r in table.rows:
        item = _parse_row(r, table.file, found)
        if item is None:
            continue
        issi = item["issi"]
        if issi is not None and issi in seen:
            message = f"ISSI {issi} is also in row {seen[issi]}; one row per subscription"
            found.malformed.append(Problem(message, table.file, item["row"], "issi"))
            continue
        if issi is not None:
            seen[issi] = item["row"]
        if not item.pop("bad"):
            items.append(item)
    return items, found


def _check_subscription(state: State, item, customer: str, file: str, found: Found) -> bool:
    """The subscription of one item: exists, is the customer's, is live, has no other pending order."""
    issi, row = item["issi"], item["row"]
    sub = state.subs.get(issi)
    if sub is None:
        found.missing.append(Problem(f"no subscription with ISSI {issi}", file, row, "issi"))
        return False
    owner, tei, status = sub
    if owner != customer:
        message = f"ISSI {issi} is not a subscription of customer {customer}"
        found.foreign.append(Problem(message, file, row, "issi"))
        return False
    if status == "terminated":
        message = f"ISSI {issi} is terminated and cannot be changed"
        found.conflicts.append(Problem(message, file, row, "issi"))
        return False
    if issi in state.claimed_issi:
        case = state.claimed_issi[issi]
        own = state.case_customer.get(case) == customer
        message = f"ISSI {issi} already has a pending change order" + (f" (case {case})" if own else "")
        found.conflicts.append(Problem(message, file, row, "issi"))
        return False
    if item["new_tei"] is not None and item["new_tei"] == tei:
        found.malformed.append(Problem(f"{tei} is already the TEI of ISSI {issi}", file, row, "new_tei"))
        return False
    if item["new_issi"] is not None and item["new_issi"] == issi:
        message = f"new_issi {issi} is the subscription's own ISSI"
        found.malformed.append(Problem(message, file, row, "new_issi"))
        return False
    item["old_tei"] = tei
    return True


def _tei_problem(state: State, item, customer: str, releasing: set[int]) -> str | None:
    tei = item["new_tei"]
    holder = state.live_tei.get(tei)
    if holder is not None and holder != item["issi"] and holder not in releasing:
        if state.subs[holder][0] == customer:
            return f"TEI {tei} is bound to ISSI {holder}, which is not terminated"
        return f"TEI {tei} is bound to another live subscription"
    if tei in state.claimed_new_tei:
        return f"TEI {tei} is the new TEI of {state.claim(state.claimed_new_tei[tei], customer)}"
    return None


def _issi_problem(state: State, new_issi: int, customer: str) -> str | None:
    if new_issi in state.retired:
        return retired_message(new_issi)
    if new_issi in state.subs:
        return f"ISSI {new_issi} is in use; an ISSI is never reused"
    if new_issi in state.claimed_new_issi:
        return f"ISSI {new_issi} is the new ISSI of {state.claim(state.claimed_new_issi[new_issi], customer)}"
    return None


def check_items(state: State, items, customer: str, file: str, found: Found) -> list[dict[str, Any]]:
    """Check items against the store and each other; returns the good ones (problems in ``found``).

    A new TEI is free when no live subscription holds it, or when its holder is
    in this order and moves to another TEI (terminals swapped between subscriptions).
    """
    good = [i for i in items if _check_subscription(state, i, customer, file, found)]
    releasing = {i["issi"] for i in good if i["new_tei"] is not None}
    tei_rows: dict[str, int] = {}
    issi_rows: dict[int, int] = {}
    for item in good:
        row, tei, new_issi = item["row"], item["new_tei"], item["new_issi"]
        if tei is not None:
            problem = f"TEI {tei} is also the new TEI in row {tei_rows[tei]}" if tei in tei_rows else None
            problem = problem or _tei_problem(state, item, customer, releasing)
            if problem:
                found.conflicts.append(Problem(problem, file, row, "new_tei"))
            tei_rows.setdefault(tei, row)
        if new_issi is not None:
            problem = (
                f"ISSI {new_issi} is also the new ISSI in row {issi_rows[new_issi]}"
                if new_issi in issi_rows
                else _issi_problem(state, new_issi, customer)
            )
            if problem:
                found.conflicts.append(Problem(problem, file, row, "new_issi"))
            issi_rows.setdefault(new_issi, row)
    return good


def apply_changes(st, items, *, customer: str, order_id: int, stamp: str) -> None:
    """Make the changes: TEIs unbound first (swaps never collide), then bound, ISSIs moved and retired."""
    sql.clear_teis(st, (i["issi"] for i in items if i["new_tei"] is not None), stamp)
    sql.set_teis(st, ((i["new_tei"], i["issi"]) for i in items if i["new_tei"] is not None), stamp)
    moved = [i for i in items if i["new_issi"] is not None]
    sql.set_issis(st, ((i["new_issi"], i["issi"]) for i in moved), stamp)
    sql.retire_issis(st, ((i["issi"], customer, i["new_issi"], order_id) for i in moved), stamp)
    sql.mark_applied(st, order_id, stamp)


def change_line(item: dict[str, Any]) -> str:
    parts = [
        f"ISSI {item['issi']} -> {item['new_issi']}"
        if item["new_issi"] is not None
        else f"ISSI {item['issi']}"
    ]
    if item["new_tei"] is not None:
        parts.append(f"TEI {item['old_tei'] or '(none)'} -> {item['new_tei']}")
    return ": ".join(parts)

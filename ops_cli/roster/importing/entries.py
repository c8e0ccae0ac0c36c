"""Roster and customer imports from .xlsx/.csv sheets, on the one import pipeline.

``import_roster`` upserts roster entries on (customer, email); ``import_customers``
upserts customers by number. Both run through :func:`ops_cli.importing.run_import`:
read -> validate every row with the shared parsers -> plan inside the write
transaction (actor, unknown customers, roster invariants) -> write.
The roster's row checks are in :mod:`.rows`, the customer import in :mod:`.customers`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter
from typing import Any

from ops_cli import clock
from ops_cli.context import Ops
from ops_cli.errors import InvalidInput, NotFound, Problem
from ops_cli.importing import (
    Importer,
    Options,
    Outcome,
    Problems,
    Progress,
    read_by_column,
    run_import,
    run_stream,
)
from ops_cli.permissions import require_actor
from ops_cli.roster.importing.rows import ROSTER_COLUMNS, RosterBatch, validate_roster
from ops_cli.roster.importing.stream import StreamedRosterImporter
from ops_cli.roster.invariants import check_roster_invariants, kind_roles_problem
from ops_cli.store import roster as q

FIELDS = ("customer", "email", "name", "phone", "kind", "roles")


def import_roster(
    ops: Ops,
    path: str | os.PathLike[str],
    *,
    replace: bool = False,
    dry_run: bool = False,
    skip_invalid: bool = False,
    by: str | None = None,
    progress: Progress = None,
    sheet: str | None = None,
    delimiter: str | None = None,
    force: bool = False,
) -> dict[str, Any]:
    """Upsert roster entries on (customer, email) from a .xlsx/.csv sheet, all in one transaction.

    Every row is validated first: any problem raises ``InvalidInput`` naming every
    bad row (``file:row: column: problem``) and nothing is written, unless
    ``skip_invalid``: then the valid rows are written and the rejected ones go to
    ``FILE.rejected.csv`` with a reason column, written before the commit (if it
    cannot be written, nothing is committed). Unknown customers are created when
    the sheet gives their name, else ``NotFound``. ``replace`` removes the entries
    of the sheet's customers that it no longer lists; a rejected row never counts
    as "no longer listed" (the person stays), and the removals are listed by name
    (``removed_entries``). No change may leave a customer without the orderer or
    contact it had (``Conflict``, also in a dry run).
    """
    options = Options(dry_run, skip_invalid, by, sheet, delimiter, force, progress)
    if not (replace or dry_run or skip_invalid):  # the plain upsert streams (issue 16)
        return run_stream(StreamedRosterImporter(ops, options), path)
    return run_import(RosterImporter(ops, options, replace=replace), path)


@dataclass
class RosterPlan:
    creating: dict[str, str]  # new customer number -> name
    created: list[tuple] = field(default_factory=list)  # FIELDS
    updated: list[tuple] = field(default_factory=list)
    unchanged: int = 0
    removed: list[tuple[str, str]] = field(default_factory=list)
    held: list[str] = field(default_factory=list)  # customers whose removals a rejected row held back
    old: dict[tuple[str, str], tuple] = field(default_factory=dict)
    file: str = ""


class RosterImporter(Importer):
    columns = ROSTER_COLUMNS

    def __init__(self, ops: Ops, options: Options, *, replace: bool):
        super().__init__(ops, options)
        self.replace = replace

    def read(self, path: str | os.PathLike[str]) -> Any:
        return read_by_column(path, self.columns, self.options)

    def validate(self, source: Any, problems: Problems) -> RosterBatch:
        return validate_roster(source, problems)

    def refuse(self, problems: Problems) -> None:
        if problems and not self.options.skip_invalid:
            raise problems.invalid()

    def plan(self, store: Any, batch: RosterBatch, problems: Problems) -> RosterPlan:
        numbers = self._known_customers(store, batch, problems)
        for number in sorted(numbers, key=lambda c: (len(c), c)):
            require_actor(store, self.ops.config, number, self.options.by, "manage-roster")
        existing = q.existing_numbers(store, numbers)
        p = RosterPlan(creating={c: batch.names[c] for c in sorted(numbers - existing)}, file=batch.cols.file)
        p.old = q.entries_of_customers(store, numbers & existing) if existing else {}
        self._compare(batch, p)
        if self.replace:
            protected, held = _held_back(batch, p.old)
            p.held = sorted(held, key=lambda c: (len(c), c))
            everyone = "*" in held
            p.removed = [
                k
                for k in p.old
                if k not in batch.valid and k not in protected and not everyone and k[0] not in held
            ]
        self._check_rules(store, batch, p)
        return p

    def _known_customers(self, store: Any, batch: RosterBatch, problems: Problems) -> set[str]:
        """The sheet's customers that exist or can be created; unknown ones refused (or rejected)."""
        numbers = {c for c, _ in batch.valid}
        unknown = numbers - q.existing_numbers(store, numbers)
        missing = sorted(unknown - batch.names.keys(), key=lambda c: batch.first_row[c])
        if not missing:
            return numbers
        if not self.options.skip_invalid:
            raise NotFound(
                f"{problems.file}: unknown customer{'s' if len(missing) > 1 else ''} "
                f"{', '.join(missing)}; add them with `ops roster customer add` or give their name"
                " in a customer_name (Kund) column",
                [
                    Problem(f"customer {c} not found", problems.file, batch.first_row[c], "customer")
                    for c in missing
                ],
            )
        gone = set(missing)
        for key in [k for k in batch.valid if k[0] in gone]:
            i = batch.valid.pop(key)
            reason = f"customer {key[0]} not found (give customer_name to create it)"
            problems.reject(batch.numbers[i], batch.cols.row(i).values, [("customer", reason)])
        batch.all_valid = False
        return numbers - gone

    def _compare(self, batch: RosterBatch, p: RosterPlan) -> None:
        """Split the valid rows into created / updated / unchanged against the stored entries."""
        rows = (
            batch.records if batch.all_valid else list(map(batch.records.__getitem__, batch.valid.values()))
        )
        if not p.old:
            p.created = rows
            return
        keep_phone, keep_kind, old = batch.keep_phone, batch.keep_kind, p.old
        for rec in rows:
            before = old.get(rec[:2])
            if before is None:
                p.created.append(rec)
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
                p.updated.append((*rec[:2], *data))
            else:
                p.unchanged += 1

    def _check_rules(self, store: Any, batch: RosterBatch, p: RosterPlan) -> None:
        """A function holds only contact (stored kinds kept too); nobody loses their last orderer/contact."""
        if batch.keep_kind:
            file = batch.cols.file
            for c, e, _name, _phone, kind, roles in p.updated:
                problem = kind_roles_problem(kind, roles.split(","))
                if problem:
                    row = batch.numbers[batch.valid[(c, e)]]
                    raise InvalidInput(
                        f"{file}:{row}: role: {problem}", [Problem(problem, file, row, "role")]
                    )
        touched = {k[0] for k in p.removed} | {r[0] for r in p.updated}
        if not touched:
            return
        planned: dict[tuple[str, str], Any] = {k: None for k in p.removed}
        planned.update(((r[0], r[1]), r[5]) for r in p.updated)
        planned.update(((r[0], r[1]), r[5]) for r in p.created if r[0] in touched)
        check_roster_invariants(store, planned, p.old)

    def write(self, st: Any, plan: RosterPlan) -> None:
        _write(self.ops, st, plan, self.options.by)

    def result(self, plan: RosterPlan, outcome: Outcome) -> dict[str, Any]:
        return _result(plan, outcome)


def _held_back(
    batch: RosterBatch, old: dict[tuple[str, str], tuple]
) -> tuple[set[tuple[str, str]], set[str]]:
    """What rejected rows protect from ``--replace``: the entries they name, and customers whose
    rejected row names nobody we can tell (an unreadable email: every entry of that customer stays;
    an unreadable customer too: ``"*"``, nothing is removed)."""
    protected: set[tuple[str, str]] = set()
    held: set[str] = set()
    if not batch.rejected:
        return protected, held
    by_email: dict[str, list[tuple[str, str]]] = {}
    for key in old:
        by_email.setdefault(key[1], []).append(key)
    for customer, email, email_ok in batch.rejected:
        if customer is not None and (customer, email) in old:
            protected.add((customer, email))
        elif customer is None:
            matches = by_email.get(email, [])
            protected.update(matches)
            if not matches and not email_ok:
                held.add("*")
        elif not email_ok:
            held.add(customer)
    return protected, held


def _write(ops: Ops, st: Any, p: RosterPlan, by: str | None) -> None:
    at = clock.to_db(now := ops.now())
    q.insert_customers(st, list(p.creating.items()), at)
    q.insert_entries(st, p.created, at)
    q.update_entries(st, p.updated, at)
    q.delete_entries(st, p.removed)
    _audit(st, p, ops.actor(by), p.file, now)


def _audit(st: Any, p: RosterPlan, actor: str, file: str, now: Any) -> None:
    """One audit record per customer touched: which entries, and the old data of changed ones."""
    fields = FIELDS[2:]
    per: dict[str, dict[str, Any]] = {}

    def changes(number: str) -> dict[str, Any]:
        change = per.get(number)
        if change is None:
            change = per[number] = {"created": [], "updated": {}, "removed": []}
        return change

    # Rows of one customer usually stand together: one step per run of them, not per row.
    for number, run in groupby(p.created, key=itemgetter(0)):
        changes(number)["created"].extend(map(itemgetter(1), run))
    for c, e, *data in p.updated:
        changes(c)["updated"][e] = dict(zip(fields, data, strict=True))
    for c, e in p.removed:
        changes(c)["removed"].append(e)
    for number, change in per.items():
        keys: Iterable[str] = [*change["updated"], *change["removed"]]
        before = {e: dict(zip(fields, p.old[(number, e)], strict=True)) for e in keys}
        if number in p.creating:
            change["customer_created"] = {"number": number, "name": p.creating[number]}
        st.audit(
            actor, "roster.import", f"customer:{number}", before or None, {"file": file, **change}, at=now
        )


def _result(p: RosterPlan, outcome: Outcome) -> dict[str, Any]:
    result = {
        "created": len(p.created),
        "updated": len(p.updated),
        "unchanged": p.unchanged,
        "removed": len(p.removed),
        "removed_entries": [{"customer": c, "email": e, "name": p.old[(c, e)][0]} for c, e in p.removed],
        "rejected": outcome.rejected,
        "customers_created": list(p.creating),
        **outcome.fields(),
        "rejected_file": outcome.rejected_file,
    }
    if p.held:
        result["removals_held"] = p.held
    if outcome.dry_run:
        rows = [{"action": "create", **dict(zip(FIELDS, r, strict=True))} for r in p.created]
        rows += [{"action": "update", **dict(zip(FIELDS, r, strict=True))} for r in p.updated]
        rows += [
            {"action": "remove", "customer": c, "email": e, "name": p.old[(c, e)][0]} for c, e in p.removed
        ]
        for row in rows:
            if "roles" in row:
                row["roles"] = row["roles"].split(",")
        result["rows"] = rows
    return result

"""``roster import`` streamed (issue 16): the plain upsert of a sheet of any size in bounded memory.

Chunks of the sheet are checked column by column (:mod:`.rows`, the same checks and messages as
the whole-sheet path) and staged in a TEMP table (``store.imports_roster``); a (customer, email) listed
again in a later chunk is compared with its first row there. Inside the write transaction the
customers are checked (unknown ones without a name: ``NotFound``), the actor for each, then the
rows are compared with the stored entries in SQL (create / update / unchanged) and written
set-based, with one audit record per customer touched. An unchanged sheet writes nothing.

``--replace``, ``--dry-run`` and ``--skip-invalid`` keep the whole-sheet path (:mod:`.entries`).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from itertools import groupby
from operator import itemgetter
from typing import Any

from ops_cli import clock
from ops_cli.context import Ops
from ops_cli.errors import InvalidInput, NotFound, Problem
from ops_cli.importing import Options, Outcome, Problems, StreamImporter
from ops_cli.permissions import require_actor
from ops_cli.roster.importing.rows import ROSTER_COLUMNS, validate_roster
from ops_cli.roster.invariants import check_roster_invariants, kind_roles_problem
from ops_cli.store import imports_roster
from ops_cli.store import roster as q
from ops_cli.store.audit import audit_many

DATA = ("name", "phone", "kind", "roles")
AUDIT_BATCH = 500  # customers' audit records written at once


class StreamedRosterImporter(StreamImporter):
    columns = ROSTER_COLUMNS

    def __init__(self, ops: Ops, options: Options):
        super().__init__(ops, options)
        self.names: dict[str, str] = {}  # customer -> name (first non-empty customer_name)
        self.first_row: dict[str, int] = {}
        self.keep_phone = self.keep_kind = False
        self.creating: dict[str, str] = {}
        self.file = ""

    def begin(self, store: Any) -> None:
        imports_roster.roster_stage_create(store)

    def end(self, store: Any) -> None:
        imports_roster.roster_stage_drop(store)

    def stage(self, store: Any, chunk: Any, problems: Problems) -> None:
        batch = validate_roster(chunk, problems, records=False)
        self.keep_phone, self.keep_kind = "phone" not in chunk.values, "kind" not in chunk.values
        for number, name in batch.names.items():
            self.names.setdefault(number, name)
        for number, row in batch.first_row.items():
            self.first_row.setdefault(number, row)
        numbers = batch.numbers

        def rows() -> Iterator[tuple]:  # (customer, email, name, phone, kind, roles, row) per good row
            if batch.all_valid:  # straight from the columns, in C
                return zip(*batch.checked, numbers, strict=True)
            return ((*batch.records[i], numbers[i]) for i in batch.valid.values())

        if imports_roster.roster_stage_add(store, rows()) == len(batch.valid):
            return
        for c, e, *data, first in imports_roster.roster_stage_earlier(store, list(rows())):
            i = batch.valid[(c, e)]
            if tuple(data) != batch.record(i)[2:]:
                message = f"{e} is listed twice for customer {c} with different data (also row {first})"
                problems.reject(numbers[i], chunk.row(i).values, [("email", message)])

    def refuse(self, problems: Problems) -> None:
        if problems:
            raise problems.invalid()

    def authorize(self, store: Any, batch: Any) -> None:
        numbers = set(imports_roster.roster_stage_customers(store))
        existing = q.existing_numbers(store, numbers)
        missing = sorted(numbers - existing - self.names.keys(), key=lambda c: self.first_row[c])
        if missing:
            file = self.file
            raise NotFound(
                f"{file}: unknown customer{'s' if len(missing) > 1 else ''} "
                f"{', '.join(missing)}; add them with `ops roster customer add` or give their name"
                " in a customer_name (Kund) column",
                [Problem(f"customer {c} not found", file, self.first_row[c], "customer") for c in missing],
            )
        for number in sorted(numbers, key=lambda c: (len(c), c)):
            require_actor(store, self.ops.config, number, self.options.by, "manage-roster")
        self.creating = {c: self.names[c] for c in sorted(numbers - existing)}

    def finish(self, store: Any, problems: Problems) -> dict[str, int]:
        counts = imports_roster.roster_stage_merge(
            store, keep_phone=self.keep_phone, keep_kind=self.keep_kind
        )
        if not counts.get("update"):
            return counts
        if self.keep_kind:  # a function holds only contact (the stored kind kept too)
            for row, kind, roles in imports_roster.roster_stage_updated_functions(store):
                problem = kind_roles_problem(kind, roles.split(","))
                if problem:
                    file = problems.file
                    raise InvalidInput(
                        f"{file}:{row}: role: {problem}", [Problem(problem, file, row, "role")]
                    )
        planned = imports_roster.roster_stage_planned(store)
        touched = {c for c, _ in planned}
        check_roster_invariants(store, planned, q.entries_of_customers(store, touched))
        return counts

    def write(self, st: Any, plan: dict[str, int]) -> None:
        now = self.ops.now()
        at = clock.to_db(now)
        if self.creating:
            imports_roster.roster_insert_customers(st, list(self.creating.items()), at)
        if plan.get("create") or plan.get("update"):
            self._audit(st, self.ops.actor(self.options.by), now, plan)
            imports_roster.roster_stage_write(st, at, plan)

    def _audit(self, st: Any, actor: str, now: Any, plan: dict[str, int]) -> None:
        """One audit record per customer touched (as the whole-sheet path writes them), written in
        batches as the customers come (memory bounded by a batch, not by the file)."""
        created: Any = ()  # an action no row has is not looked for
        updated: Any = ()
        if plan.get("create"):
            created = ((c, 0, emails) for c, emails in imports_roster.roster_stage_created(st))
        if plan.get("update"):
            updated = ((c, 1, rows) for c, rows in imports_roster.roster_stage_updated(st))
        batch: list[tuple[str, str, str, Any, Any]] = []
        for number, group in groupby(heapq.merge(created, updated, key=itemgetter(0)), key=itemgetter(0)):
            found = {kind: value for _, kind, value in group}
            change: dict[str, Any] = {"created": found.get(0, []), "updated": {}, "removed": []}
            before: dict[str, Any] = {}
            for email, *values in found.get(1, ()):
                change["updated"][email] = dict(zip(DATA, values[:4], strict=True))
                before[email] = dict(zip(DATA, values[4:], strict=True))
            if number in self.creating:
                change["customer_created"] = {"number": number, "name": self.creating[number]}
            batch.append(
                (actor, "roster.import", f"customer:{number}", before or None, {"file": self.file, **change})
            )
            if len(batch) == AUDIT_BATCH:
                audit_many(st, batch, at=now)
                batch = []
        audit_many(st, batch, at=now)

    def result(self, plan: dict[str, int], outcome: Outcome) -> dict[str, Any]:
        return {
            "created": plan.get("create", 0),
            "updated": plan.get("update", 0),
            "unchanged": plan.get("same", 0),
            "removed": 0,
            "removed_entries": [],
            "rejected": 0,
            "customers_created": list(self.creating),
            **outcome.fields(),
            "rejected_file": None,
        }

    def read(self, path: Any) -> Any:
        self.file = str(path)
        return super().read(path)

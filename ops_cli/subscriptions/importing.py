"""``sub import``: subscriptions upserted by ISSI from a sheet, on the one import pipeline.

Rows are parsed with the shared parsers (customer numbers, ISSI/TEI/MSISDN). Inside
the write transaction: the actor (``--by``: an orderer of every customer in the file,
or desk staff), then the rows against the store as it is there: the customer exists,
an ISSI already in the store is the row's customer's (else ``ISSI N is not a
subscription of customer C``, exit 5, never naming the owner), the subscription rules
of :mod:`ops_cli.subscriptions.rules` (terminating needs ``--confirm-reset`` and an
orderer, a standby subscription set active needs the R30 form reference ``--form``,
an ISSI given up in an ISSI change is never reused) and one live subscription per TEI.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

from ops_cli import clock
from ops_cli.errors import InvalidInput, Problem
from ops_cli.importing import (
    Options,
    Outcome,
    Problems,
    Progress,
    StreamImporter,
    has_column,
    read_rows,
    run_stream,
    subscription_rows,
)
from ops_cli.permissions import require_actor
from ops_cli.sheets import Column
from ops_cli.store import imports
from ops_cli.subscriptions._common import (
    _KIND_WORDS,
    _STATUS_WORDS,
    CHANGE_COLUMNS_SPEC,
    IMPORT_COLUMNS_SPEC,
    KINDS,
    STATUSES,
    _raise_row_problems,
)
from ops_cli.subscriptions.rules import actor_may, check_import_row_rules, load_retired_issis

FIELDS = ("tei", "msisdn", "kind", "status")


def import_subscriptions(
    ops,
    path: str | os.PathLike[str],
    *,
    dry_run: bool = False,
    by: str | None = None,
    confirm_reset: bool = False,
    form: str | None = None,
    progress: Progress = None,
    sheet: str | None = None,
    delimiter: str | None = None,
) -> dict[str, Any]:
    """Upsert subscriptions from a sheet (key: ISSI). All rows are validated first, then written at once.

    Empty optional cells keep what the store has (new rows: kind ``standard``, status
    ``inactive``). Nothing is written when any row is refused: exit 3 for invalid values,
    unknown customers, a termination without ``confirm_reset`` or a standby activation
    without ``form``; 5 for an actor who is not an orderer, or an ISSI of another
    customer; 6 for a TEI bound to another live subscription or an ISSI given up earlier.
    """
    options = Options(dry_run=dry_run, by=by, sheet=sheet, delimiter=delimiter, progress=progress)
    importer = SubscriptionImporter(ops, options, confirm_reset=confirm_reset, form=form)
    return run_stream(importer, path)


@dataclass
class Buckets:
    """Problems by the exit code they lead to (see ``_raise_row_problems``)."""

    malformed: list[Problem]
    foreign: list[Problem] = field(default_factory=list)
    conflicts: list[Problem] = field(default_factory=list)


@dataclass
class SubPlan:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows_out: list[dict[str, Any]] = field(default_factory=list)  # dry run: the rows to write


class SubscriptionImporter(StreamImporter):
    """Rows staged chunk by chunk (``store.imports``: a TEMP table), then checked in SQL and written
    set-based inside the write transaction; memory does not grow with the file."""

    columns = tuple(Column(name, aliases, required) for name, aliases, required in IMPORT_COLUMNS_SPEC)

    def __init__(self, ops: Any, options: Options, *, confirm_reset: bool, form: str | None):
        super().__init__(ops, options)
        self.confirm_reset = confirm_reset
        self.form = (form or "").strip() or None
        self.repeats_tei = True  # until `prepare` knows better

    def begin(self, store: Any) -> None:
        imports.sub_stage_create(store)

    def end(self, store: Any) -> None:
        imports.sub_stage_drop(store)

    def stage(self, store: Any, chunk: Any, problems: Problems) -> None:
        """Check one chunk column by column; stage every row with an ISSI (bad ones marked), once each."""
        checked, bad = subscription_rows.check_columns(chunk, (_KIND_WORDS, KINDS), (_STATUS_WORDS, STATUSES))
        numbers, issis = chunk.numbers, checked[1]
        if not bad and len(set(issis)) == len(issis):  # the usual chunk: every row good, each ISSI once
            rows = list(zip(issis, numbers, *checked[:1], *checked[2:], repeat(1)))
            if imports.sub_stage_add(store, rows) < len(rows):  # some ISSIs were in an earlier chunk
                first = imports.sub_stage_seen(store, issis)
                for issi, row in zip(issis, numbers, strict=True):
                    if first[issi] != row:
                        message = f"ISSI {issi} is also in row {first[issi]}; an ISSI may appear once"
                        problems.add(message, row, "issi")
            return
        seen = imports.sub_stage_seen(store, [i for i in issis if i is not None])
        staged: list[tuple[Any, ...]] = []
        for i, rec in enumerate(zip(*checked, strict=True)):
            row, issi, errors = numbers[i], rec[1], bad.get(i, ())
            for column, message in errors:
                problems.add(message, row, column)
            if issi is None:
                continue
            first = seen.get(issi)
            if first is not None:
                message = f"ISSI {issi} is also in row {first}; an ISSI may appear once"
                problems.add(message, row, "issi")
                continue
            seen[issi] = row
            staged.append((issi, row, rec[0], *rec[2:], 0) if errors else (issi, row, rec[0], *rec[2:], 1))
        imports.sub_stage_add(store, staged)

    def refuse(self, problems: Problems) -> None:
        """Row problems are raised with the store's (in ``finish``): one error lists every bad row."""

    def prepare(self, store: Any) -> None:
        """Whether any TEI is in two rows, asked before the write lock (a sort of the whole file)."""
        self.repeats_tei = imports.sub_stage_repeats_tei(store)

    def authorize(self, store: Any, batch: Any) -> None:
        if self.options.by is None:
            return
        for customer in sorted(imports.sub_stage_customers(store), key=lambda c: (len(c), c)):
            require_actor(store, self.ops.config, customer, self.options.by, "order")

    def finish(self, store: Any, problems: Problems) -> SubPlan:
        file = problems.file
        found = Buckets(list(problems.items))
        if problems.unlisted:  # beyond MAX_LISTED the row problems are counted, not listed
            found.malformed.append(
                Problem(f"... and {problems.unlisted} more invalid values (not listed)", file)
            )
        for row, customer in imports.sub_stage_unknown_customers(store):
            message = f"no customer {customer}; add it first with `ops roster customer add`"
            found.malformed.append(Problem(message, file, row, "customer"))
        for row, issi, customer in imports.sub_stage_foreign(store):
            message = f"ISSI {issi} is not a subscription of customer {customer}"
            found.foreign.append(Problem(message, file, row, "issi"))
        imports.sub_stage_merge(store)
        self._check_rules(store, found, file)
        if not found.malformed:
            clashes = imports.sub_stage_tei_clashes(store, in_file=self.repeats_tei)
            for row, tei, issi, owner, holder_row, _ in clashes:
                if holder_row is not None:
                    message = f"TEI {tei} is also in row {holder_row} (ISSI {issi})"
                elif owner == _customer_of_row(store, row):
                    message = f"TEI {tei} is bound to ISSI {issi}, which is not terminated"
                else:
                    message = f"TEI {tei} is bound to a live subscription of another customer"
                found.conflicts.append(Problem(message, file, row, "tei"))
        _raise_row_problems(file, found.malformed, [], found.conflicts, "import", found.foreign)
        counts = imports.sub_stage_counts(store)
        plan = SubPlan(
            created=counts.get("create", 0), updated=counts.get("update", 0), unchanged=counts.get("same", 0)
        )
        if self.options.dry_run:
            plan.rows_out = [_row_out(r) for r in imports.sub_stage_changes(store)]
        return plan

    def _check_rules(self, store: Any, found: Buckets, file: str) -> None:
        """The subscription rules (``rules.check_import_row_rules``) for the rows they may refuse."""
        retired = None
        may: dict[str, bool] = {}
        refused: list[int] = []
        for r in imports.sub_stage_rule_candidates(store):
            if retired is None:
                retired = load_retired_issis(store)
            if r["customer"] not in may:  # once per customer, not per row
                may[r["customer"]] = actor_may(
                    store, self.ops.config, r["customer"], self.options.by, "order"
                )
            old = {"status": r["was"]} if r["existed"] else None
            new = {k: r[k] for k in ("issi", "customer", "tei", "msisdn", "kind", "status")}
            rule = check_import_row_rules(
                old,
                new,
                retired=retired,
                confirm_reset=self.confirm_reset,
                may_order=may[r["customer"]],
                form=self.form,
            )
            if rule is None:
                continue
            column, message = rule
            bucket = found.conflicts if column == "issi" else found.malformed
            bucket.append(Problem(message, file, r["row"], column))
            refused.append(r["issi"])
        imports.sub_stage_set_aside(store, refused)

    def write(self, st: Any, plan: SubPlan) -> None:
        at = self.ops.now()
        head = imports.audit_head(st, self.ops.actor(self.options.by), at)
        counts = {"create": plan.created, "update": plan.updated}
        imports.sub_stage_write(
            st, head, clock.to_db(at), form=self.form, confirm_reset=self.confirm_reset, counts=counts
        )

    def result(self, plan: SubPlan, outcome: Outcome) -> dict[str, Any]:
        result: dict[str, Any] = {
            "created": plan.created,
            "updated": plan.updated,
            "unchanged": plan.unchanged,
            "removed": 0,
            "dry_run": outcome.dry_run,
        }
        if outcome.sheet is not None:
            result["sheet"] = outcome.sheet
        if outcome.dry_run:
            result["rows"] = plan.rows_out
        return result


def _customer_of_row(store: Any, row: int) -> str | None:
    return imports.sub_stage_customer_of_row(store, row)


def _row_out(r: Any) -> dict[str, Any]:
    if r["act"] == "create":
        return {"row": r["row"], "issi": r["issi"], "action": "create", "changes": {}}
    diff = {k: [r[f"old_{k}"], r[k]] for k in FIELDS if r[f"old_{k}"] != r[k]}
    return {"row": r["row"], "issi": r["issi"], "action": "update", "changes": diff}


# ------------------------------------------------------------------ change orders (`sub change`)
CHANGE_COLUMNS = tuple(Column(name, aliases, required) for name, aliases, required in CHANGE_COLUMNS_SPEC)


def read_change_order(
    path: str | os.PathLike[str],
    progress: Progress = None,
    *,
    sheet: str | None = None,
    delimiter: str | None = None,
) -> Any:
    """The reading step of ``sub change``: the order sheet through the pipeline's reader.

    Refuses (exit 3) a sheet without a ``new_tei`` or ``new_issi`` column and one without
    rows; the rows are then validated by ``changes.parse_rows`` and checked against the
    store by the order logic (``ops_cli.subscriptions.orders``), inside its transaction.
    A drop-in for ``orders._read_order(path, progress)``.
    """
    table = read_rows(path, CHANGE_COLUMNS, Options(sheet=sheet, delimiter=delimiter, progress=progress))
    file = table.file
    if not (has_column(table, CHANGE_COLUMNS[1]) or has_column(table, CHANGE_COLUMNS[2])):
        raise InvalidInput(
            f"{file}: the order needs a column new_tei and/or new_issi next to issi",
            [Problem("missing column new_tei (ny_tei) or new_issi (ny_issi)", file, 1)],
        )
    if not table.rows:
        raise InvalidInput(f"{file}: the order has no rows; list one change per row under the header")
    return table

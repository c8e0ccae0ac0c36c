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
from ops_cli.store import imports_sub, imports_sub_write
from ops_cli.store.audit import audit_head
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
    fresh: bool = False  # every row new, none rewritten in the staging table (`sub_stage_merge`)
    moves: bool = True  # whether an updated row may take another TEI than its stored one
    ends: bool = True  # whether a row may terminate a subscription
    span: tuple[int, int] | None = None  # fresh: the ISSIs' range, when the store held none in it
    rows_out: list[dict[str, Any]] = field(default_factory=list)  # dry run: the rows to write


KEPT_CUSTOMERS = 50_000  # a file's distinct customers that `Staged` keeps, at most


@dataclass
class Staged:
    """What the staging learnt of the file's rows, chunk by chunk (a few figures, not the rows).

    It holds for the file only when every row was staged good (``whole``): then it lets the checks
    in the write transaction skip reading the staged rows where the store's answer is already
    known from it; each check still asks the store as it is there.
    """

    customers: set[str] | None = field(default_factory=set)  # the rows' customers (None: too many)
    low: int | None = None  # the lowest and highest ISSI
    high: int | None = None
    words: bool = False  # whether a row names the status `terminated` or the kind `standby`
    ends: bool = False  # whether a row names the status `terminated`
    rows: int = 0  # how many rows were staged (counted before the write lock)
    whole: bool = True

    def add(self, checked: list[list[Any]]) -> None:
        """One chunk of good rows, checked: [customers, issis, teis, msisdns, kinds, statuses]."""
        customers, issis, kinds, statuses = checked[0], checked[1], checked[4], checked[5]
        if not issis:
            return
        if self.customers is not None:
            self.customers.update(customers)
            if len(self.customers) > KEPT_CUSTOMERS:  # (memory bounded: the SQL reads the staged rows)
                self.customers = None
        low, high = min(issis), max(issis)
        self.low = low if self.low is None else min(self.low, low)
        self.high = high if self.high is None else max(self.high, high)
        self.ends = self.ends or "terminated" in statuses
        self.words = self.words or self.ends or "standby" in kinds


class SubscriptionImporter(StreamImporter):
    """Rows staged chunk by chunk (``store.imports_sub``: a TEMP table), then checked in SQL and written
    set-based inside the write transaction; memory does not grow with the file."""

    columns = tuple(Column(name, aliases, required) for name, aliases, required in IMPORT_COLUMNS_SPEC)

    def __init__(self, ops: Any, options: Options, *, confirm_reset: bool, form: str | None):
        super().__init__(ops, options)
        self.confirm_reset = confirm_reset
        self.form = (form or "").strip() or None
        self.repeats_tei = True  # until `prepare` knows better
        self.known = Staged()

    def begin(self, store: Any) -> None:
        imports_sub.sub_stage_create(store)

    def end(self, store: Any) -> None:
        imports_sub.sub_stage_drop(store)

    def stage(self, store: Any, chunk: Any, problems: Problems) -> None:
        """Check one chunk column by column; stage every row with an ISSI (bad ones marked), once each."""
        checked, bad = subscription_rows.check_columns(chunk, (_KIND_WORDS, KINDS), (_STATUS_WORDS, STATUSES))
        numbers, issis = chunk.numbers, checked[1]
        if not bad and len(set(issis)) == len(issis):  # the usual chunk: every row good, each ISSI once
            rows = list(zip(issis, numbers, *checked[:1], *checked[2:], repeat(1)))
            self.known.add(checked)
            if imports_sub.sub_stage_add(store, rows) < len(rows):  # some ISSIs were in an earlier chunk
                first = imports_sub.sub_stage_seen(store, issis)
                for issi, row in zip(issis, numbers, strict=True):
                    if first[issi] != row:
                        message = f"ISSI {issi} is also in row {first[issi]}; an ISSI may appear once"
                        problems.add(message, row, "issi")
            return
        self.known.whole = False  # (a chunk with a bad row: the file is refused, see `finish`)
        seen = imports_sub.sub_stage_seen(store, [i for i in issis if i is not None])
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
        imports_sub.sub_stage_add(store, staged)

    def prepare(self, store: Any) -> None:
        """Before the write lock, on the staged rows alone: whether any TEI is in two rows (a sort of
        the whole file), their index by sheet row, how many were staged (when every one is good)."""
        self.repeats_tei = imports_sub.sub_stage_repeats_tei(store)
        imports_sub.sub_stage_index(store)
        if self.known.whole:
            self.known.rows = imports_sub.sub_stage_count(store)

    def refuse(self, problems: Problems) -> None:
        """Row problems are raised with the store's (in ``finish``): one error lists every bad row."""
        if problems:  # the figures of `Staged` hold for a file whose every row was staged good
            self.known.whole = False

    def authorize(self, store: Any, batch: Any) -> None:
        if self.options.by is None:
            return
        known = self.known.customers if self.known.whole else None
        for customer in sorted(imports_sub.sub_stage_customers(store, known), key=lambda c: (len(c), c)):
            require_actor(store, self.ops.config, customer, self.options.by, "order")

    def finish(self, store: Any, problems: Problems) -> SubPlan:
        file = problems.file
        found = Buckets(list(problems.items))
        if problems.unlisted:  # beyond MAX_LISTED the row problems are counted, not listed
            found.malformed.append(
                Problem(f"... and {problems.unlisted} more invalid values (not listed)", file)
            )
        # Every check asks the store as it is now. What the staging learnt of a file whose every
        # row is good (`Staged`: its customers, its ISSIs' range...) and one pass over the staged
        # rows against the store (`sub_stage_survey`) only spare reading rows that cannot matter.
        known = self.known if self.known.whole else None
        unknown = imports_sub.sub_stage_unknown_customers(store, known.customers if known else None)
        for row, customer in unknown:
            message = f"no customer {customer}; add it first with `ops roster customer add`"
            found.malformed.append(Problem(message, file, row, "customer"))
        survey = imports_sub.sub_stage_survey(store, known.low, known.high) if known else None
        if survey is None or survey.foreign:
            for row, issi, customer in imports_sub.sub_stage_foreign(store):
                message = f"ISSI {issi} is not a subscription of customer {customer}"
                found.foreign.append(Problem(message, file, row, "issi"))
            survey = None  # rows were set aside: its figures no longer hold
        fresh = survey is not None and not survey.held  # every good row is new: none is rewritten
        if fresh:
            counts: dict[str, int] | None = {"create": self.known.rows, "update": 0}
        else:
            counts = imports_sub.sub_stage_merge(store, survey=survey, rows=self.known.rows)
        # A rule or a TEI clash needs a row created or changed: with none, nothing to check.
        writes = counts is None or counts["create"] + counts["update"] > 0
        if writes:
            self._check_rules(store, found, file, fresh=fresh)
        if writes and not found.malformed:
            # The merge gave a held row with an empty TEI cell its stored TEI: a TEI that a
            # terminated subscription set live again brings back may also be in another row.
            in_file = self.repeats_tei or (not fresh and imports_sub.sub_stage_repeats_tei(store))
            clashes = imports_sub.sub_stage_tei_clashes(store, in_file=in_file, fresh=fresh)
            for row, tei, issi, owner, holder_row, row_issi in clashes:
                if holder_row is not None:
                    message = f"TEI {tei} is also in row {holder_row} (ISSI {issi})"
                elif owner == imports_sub.sub_stage_customer_of(store, row_issi):
                    message = f"TEI {tei} is bound to ISSI {issi}, which is not terminated"
                else:
                    message = f"TEI {tei} is bound to a live subscription of another customer"
                found.conflicts.append(Problem(message, file, row, "tei"))
        _raise_row_problems(file, found.malformed, [], found.conflicts, "import", found.foreign)
        if counts is None:  # (nothing was refused: no row was set aside after the survey)
            counts = imports_sub.sub_stage_counts(store)
        plan = SubPlan(
            created=counts.get("create", 0),
            updated=counts.get("update", 0),
            unchanged=counts.get("same", 0),
            fresh=fresh,
            moves=counts.get("moved", 1) > 0,
            ends=known is None or known.ends,
            span=survey.span if survey is not None and fresh else None,
        )
        if self.options.dry_run:
            plan.rows_out = [_row_out(r) for r in imports_sub.sub_stage_changes(store, fresh=fresh)]
        return plan

    def _check_rules(self, store: Any, found: Buckets, file: str, *, fresh: bool) -> None:
        """The subscription rules (``rules.check_import_row_rules``) for the rows they may refuse."""
        retired = None
        may: dict[str, bool] = {}
        refused: list[int] = []
        k = self.known
        for r in imports_sub.sub_stage_rule_candidates(
            store, fresh=fresh, words=k.words, low=k.low, high=k.high
        ):
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
        imports_sub.sub_stage_set_aside(store, refused)

    def write(self, st: Any, plan: SubPlan) -> None:
        at = self.ops.now()
        head = audit_head(st, self.ops.actor(self.options.by), at)
        counts = {
            "create": plan.created,
            "update": plan.updated,
            "moved": int(plan.moves),
            "ends": int(plan.ends),
        }
        imports_sub_write.sub_stage_write(
            st,
            head,
            clock.to_db(at),
            form=self.form,
            confirm_reset=self.confirm_reset,
            counts=counts,
            fresh=plan.fresh,
            span=plan.span,
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

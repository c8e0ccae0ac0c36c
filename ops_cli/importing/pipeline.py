"""The one import pipeline: read -> map headers -> validate rows -> plan -> write in one transaction.

An importer (roster, customers, subscriptions, KPI, swap units...) is a subclass
of :class:`Importer` that gives its columns and four steps; :func:`run_import`
runs them in the same order for every import:

1. ``read``: the sheet through ``ops_cli.sheets`` (``--sheet``, ``--delimiter``);
2. ``validate``: every row through the shared value parsers (``ops_cli.parsers``),
   each problem a ``Problem(message, file, row, column)``; any problem refuses the
   whole file (exit 3) unless ``--skip-invalid``, which rejects the bad rows;
3. ``authorize`` + ``plan``: inside ``with ops.store.write()`` (``BEGIN IMMEDIATE``)
   the actor is checked and the plan (created/updated/unchanged/removed) is made
   from what the store holds *now*: every check that decides the write is re-done
   in the transaction that writes;
4. ``write``: the plan and its audit records; the rejected-rows file is written
   first, so if it cannot be written nothing is committed.

``--dry-run`` runs every step but the write (the plan is made outside a write
transaction).

Big imports stream (:class:`StreamImporter`, :func:`run_stream`; issue 16): the sheet is read in
chunks of 10,000 rows (``ops_cli.sheets.stream``), each chunk validated and staged in a TEMP table
outside the write lock; inside the write transaction the checks that decide the write run in SQL
against the store, and the write is set-based. Memory does not grow with the file, and a bad row
anywhere still refuses the whole file (nothing is written before every row was staged).
``sub import`` and the plain ``roster import`` (no ``--replace``/``--dry-run``/``--skip-invalid``)
stream; the other imports take the whole batch.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ops_cli.context import Ops
from ops_cli.importing.problems import Problems
from ops_cli.importing.rejected import rejected_path, write_rejected
from ops_cli.importing.source import CHUNK, Options, read_chunks, read_rows, sheet_name
from ops_cli.sheets import Column, no_gc


@dataclass
class Outcome:
    """What the pipeline knows of a finished (or dry) run, for the importer's result."""

    file: str
    sheet: str | None
    dry_run: bool
    rejected: int
    rejected_file: str | None

    def fields(self) -> dict[str, Any]:
        out: dict[str, Any] = {"file": self.file, "dry_run": self.dry_run}
        if self.sheet is not None:
            out["sheet"] = self.sheet
        return out


class Importer:
    """One kind of sheet import. Subclasses set ``columns`` and override the steps they need."""

    columns: Sequence[Column] = ()
    column_order: Sequence[str] = ()  # the order of problems within one row
    what = "imported"  # "nothing was <what>"

    def __init__(self, ops: Ops, options: Options):
        self.ops = ops
        self.options = options

    # ---------------------------------------------------------------- steps
    def read(self, path: str | os.PathLike[str]) -> Any:
        """The sheet (default: rows; big imports read column by column)."""
        return read_rows(path, self.columns, self.options)

    def validate(self, source: Any, problems: Problems) -> Any:
        """Parse every row with the shared parsers; report each bad cell in ``problems``."""
        raise NotImplementedError

    def refuse(self, problems: Problems) -> None:
        """Raise for the problems found by ``validate`` (unless ``--skip-invalid``)."""
        if problems and not self.options.skip_invalid:
            raise problems.invalid(self.column_order, what=self.what)

    def authorize(self, store: Any, batch: Any) -> None:
        """Check the actor (``--by``) before anything is written; runs inside the transaction."""

    def plan(self, store: Any, batch: Any, problems: Problems) -> Any:
        """Compare with the store and decide what to write; raises for conflicts."""
        raise NotImplementedError

    def write(self, st: Any, plan: Any) -> None:
        """Write the plan and its audit records (inside the transaction)."""
        raise NotImplementedError

    def result(self, plan: Any, outcome: Outcome) -> dict[str, Any]:
        raise NotImplementedError

    # ---------------------------------------------------------------- helpers
    def rejected_columns(self) -> list[str]:
        return [c.name for c in self.columns]


def run_import(importer: Importer, path: str | os.PathLike[str]) -> dict[str, Any]:
    """Run one import through every step (see the module's docstring); returns the importer's result."""
    ops, options = importer.ops, importer.options
    with no_gc():
        source = importer.read(path)
        problems = Problems(source.file)
        batch = importer.validate(source, problems)
        importer.refuse(problems)
        if options.dry_run:
            importer.authorize(ops.store, batch)
            plan = importer.plan(ops.store, batch, problems)
            return importer.result(plan, _outcome(source, problems, None, dry_run=True))
        written: str | None = None
        try:
            with ops.store.write() as st:
                importer.authorize(st, batch)
                plan = importer.plan(st, batch, problems)
                if problems.rejected:
                    target = rejected_path(source.file)
                    write_rejected(
                        target, problems.rejected, importer.rejected_columns(), force=options.force
                    )
                    written = target
                importer.write(st, plan)
        except BaseException:
            if written is not None:  # nothing was committed: the rejected rows were not rejected
                Path(written).unlink(missing_ok=True)
            raise
        return importer.result(plan, _outcome(source, problems, written, dry_run=False))


def _outcome(source: Any, problems: Problems, written: str | None, *, dry_run: bool) -> Outcome:
    return Outcome(
        file=source.file,
        sheet=sheet_name(source),
        dry_run=dry_run,
        rejected=len(problems.rejected),
        rejected_file=written,
    )


# ------------------------------------------------------------------ the streaming pipeline (issue 16)
class StreamImporter(Importer):
    """An import whose rows flow in chunks: memory does not grow with the file.

    ``read`` gives ``Columns`` chunks (``ops_cli.sheets.stream.iter_columns``); ``stage`` validates
    one chunk and stages its rows (a TEMP table: outside the write lock, nothing of the store's
    changed); then, inside ``with ops.store.write()``, ``authorize`` and ``finish`` run every check
    that decides the write in SQL against the store as it is there, and ``write`` writes set-based.
    A problem in any row refuses the whole file (all-or-nothing: nothing was written yet).
    """

    chunk = CHUNK

    def read(self, path: str | os.PathLike[str]) -> Iterator[Any]:
        return read_chunks(path, self.columns, self.options, self.chunk)

    def begin(self, store: Any) -> None:
        """Create the staging tables."""

    def stage(self, store: Any, chunk: Any, problems: Problems) -> None:
        raise NotImplementedError

    def prepare(self, store: Any) -> None:
        """Work on the staged rows alone, before the write lock is taken (nothing of the store's)."""

    def finish(self, store: Any, problems: Problems) -> Any:
        """Checks against the store (in the write transaction, or a dry run's read): the plan."""
        raise NotImplementedError

    def end(self, store: Any) -> None:
        """Drop the staging tables (always runs)."""


def run_stream(importer: StreamImporter, path: str | os.PathLike[str]) -> dict[str, Any]:
    """Run a :class:`StreamImporter`: chunks staged one by one, then checked and written at once."""
    ops, options = importer.ops, importer.options
    store = ops.store
    with no_gc():
        chunks = importer.read(path)
        first = next(chunks)  # the header: a file problem is raised before anything is staged
        problems = Problems(first.file)
        importer.begin(store)
        try:
            for cols in itertools.chain([first], chunks):
                importer.stage(store, cols, problems)
            importer.refuse(problems)
            importer.prepare(store)
            outcome = _outcome(first, problems, None, dry_run=options.dry_run)
            if options.dry_run:
                importer.authorize(store, None)
                return importer.result(importer.finish(store, problems), outcome)
            with store.write() as st:
                importer.authorize(st, None)
                plan = importer.finish(st, problems)
                importer.write(st, plan)
            return importer.result(plan, outcome)
        finally:
            importer.end(store)

"""``swap add --file``: the units of a sheet, on the one import pipeline.

Rows are read through the pipeline (``--sheet``, ``--delimiter``), customer cells
parsed with the one customer-number rule; inside the write transaction the units
are checked against the store (``swap.units._check_units``: prof customers, serials
unique store-wide) and the actor (``--by``: an orderer of every customer, or desk
staff), then the new units are written with one audit record each.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ops_cli import clock
from ops_cli.context import Ops
from ops_cli.errors import InvalidInput, Problem
from ops_cli.importing import Importer, Options, Outcome, Problems, run_import
from ops_cli.parsers.numbers import customer_number
from ops_cli.sheets import Column
from ops_cli.store import swap as sql
from ops_cli.swap.units import _check_units, _customer, require_actor


def unit_columns() -> list[Column]:
    return [
        Column("customer", ("kundnummer", "kund", "customer number")),
        Column("model", ("modell",)),
        Column("serial", ("serienummer", "imei", "serial number")),
    ]


def add_units_file(
    ops: Ops,
    path: str | Path,
    *,
    customer: str | None = None,
    model: str | None = None,
    by: str | None = None,
    dry_run: bool = False,
    sheet: str | None = None,
    delimiter: str | None = None,
) -> dict[str, Any]:
    """Add the units of a sheet (columns customer, model, serial; --customer/--model fill empty cells).

    Every row is validated first (rows named by the sheet's own numbers); then
    all new units are written in one transaction.
    """
    if customer:
        customer = _customer(ops, customer)["number"]
    options = Options(dry_run=dry_run, by=by, sheet=sheet, delimiter=delimiter)
    return run_import(UnitImporter(ops, options, customer=customer, model=model), path)


@dataclass
class UnitPlan:
    new: list[tuple[str, str, str]]  # (serial, customer, model)
    unchanged: list[tuple[str, str, str]]
    source: str


class UnitImporter(Importer):
    what = "added"

    def __init__(self, ops: Ops, options: Options, *, customer: str | None, model: str | None):
        super().__init__(ops, options)
        self.customer, self.model = customer, model
        self.columns = [
            Column(
                c.name,
                c.aliases,
                required=not ((c.name == "customer" and customer) or (c.name == "model" and model)),
            )
            for c in unit_columns()
        ]

    def validate(self, source: Any, problems: Problems) -> list[tuple[int, str, str, str]]:
        if not source.rows:
            raise InvalidInput(
                f"{source.file}: no units in the file", [Problem("no rows below the header", source.file)]
            )
        items = []
        for r in source.rows:
            cell = r.values.get("customer") or ""
            number = self.customer or ""
            if cell:
                try:
                    number = customer_number(cell)
                except ValueError as exc:
                    problems.add(str(exc), r.row, "customer")
                    continue
            items.append(
                (r.row, number, r.values.get("model") or (self.model or ""), r.values.get("serial", ""))
            )
        self.source = Path(source.file).name
        return items

    def refuse(self, problems: Problems) -> None:
        if problems:
            raise problems.invalid(headline=f"{len(problems)} problem(s) in the units; nothing was added")

    def plan(self, store: Any, batch: list[tuple[int, str, str, str]], problems: Problems) -> UnitPlan:
        new, unchanged = _check_units(self.ops, batch, problems.file)
        for customer in sorted({c for _, c, _ in new + unchanged}):
            require_actor(self.ops, customer, self.options.by, "add")
        return UnitPlan(new, unchanged, self.source)

    def write(self, st: Any, plan: UnitPlan) -> None:
        at = self.ops.now()
        now = clock.to_db(at)
        actor = self.ops.actor(self.options.by)
        sql.insert_units(st, [(s, c, m, "in_stock", "stock", now, now) for s, c, m in plan.new])
        for s, c, m in plan.new:
            after = {"customer": c, "model": m, "state": "in_stock", "source": plan.source}
            st.audit(actor, "swap.add", f"unit:{s}", None, after, at=at)

    def result(self, plan: UnitPlan, outcome: Outcome) -> dict[str, Any]:
        units = [{"serial": s, "customer": c, "model": m, "change": "created"} for s, c, m in plan.new]
        units += [
            {"serial": s, "customer": c, "model": m, "change": "unchanged"} for s, c, m in plan.unchanged
        ]
        out = {
            "created": len(plan.new),
            "unchanged": len(plan.unchanged),
            "dry_run": outcome.dry_run,
            "units": units,
        }
        if outcome.sheet is not None:
            out["sheet"] = outcome.sheet
        return out

"""``roster customer import``: customers upserted by number, on the one import pipeline."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from ops_cli import clock
from ops_cli.context import Ops
from ops_cli.errors import Conflict, Problem
from ops_cli.importing import Importer, Options, Outcome, Problems, Progress, run_import
from ops_cli.parsers.numbers import customer_number
from ops_cli.render import plural
from ops_cli.roster.customers import customer_value
from ops_cli.roster.records import _customer_dict
from ops_cli.sheets import Column
from ops_cli.store import roster as q

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


def import_customers(
    ops: Ops,
    path: str | os.PathLike[str],
    *,
    dry_run: bool = False,
    progress: Progress = None,
    sheet: str | None = None,
    delimiter: str | None = None,
) -> dict[str, Any]:
    """Upsert customers by number from a sheet. Columns left out of the sheet stay as they are.

    Every row is validated first; any problem raises ``InvalidInput`` listing every bad
    cell, and nothing is written. A domain that belongs to another customer is a
    ``Conflict`` (checked inside the write transaction, and in a dry run).
    """
    options = Options(dry_run=dry_run, sheet=sheet, delimiter=delimiter, progress=progress)
    return run_import(CustomerImporter(ops, options), path)


@dataclass
class CustomerPlan:
    file: str
    changes: list[dict[str, Any]] = field(default_factory=list)  # action, number, row
    counts: dict[str, int] = field(default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0})
    writes: list[tuple[str, Any, dict[str, Any], list[str] | None]] = field(default_factory=list)


class CustomerImporter(Importer):
    columns = CUSTOMER_COLUMNS

    def validate(self, source: Any, problems: Problems) -> dict[str, tuple[int, dict[str, Any]]]:
        parsed: dict[str, tuple[int, dict[str, Any]]] = {}
        for row in source.rows:
            number = None
            try:
                number = customer_number(row.raw.get("number", row.values["number"]))
            except ValueError as exc:
                problems.add(str(exc), row.row, "number")
            values: dict[str, Any] = {}
            for key in row.values:
                if key == "number":
                    continue
                cell = row.raw.get(key) if key == "binding_until" else row.values[key]
                try:
                    values[key] = customer_value(self.ops, key, cell)
                except ValueError as exc:
                    problems.add(str(exc), row.row, key)
            if number is None:
                continue
            if number in parsed and parsed[number][1] != values:
                message = (
                    f"customer {number} is listed twice with different data (also row {parsed[number][0]})"
                )
                problems.add(message, row.row, "number")
            parsed.setdefault(number, (row.row, values))
        return parsed

    def refuse(self, problems: Problems) -> None:
        if problems:
            raise problems.invalid(headline=f"{plural(len(problems), 'problem')} found; nothing was imported")

    def plan(
        self, store: Any, batch: dict[str, tuple[int, dict[str, Any]]], problems: Problems
    ) -> CustomerPlan:
        p = CustomerPlan(problems.file)
        for number, (rowno, values) in batch.items():
            values = dict(values)
            domains = values.pop("domains", None)
            row = q.customer_row(store, number)
            changed = values
            if row is None:
                action = "created"
            else:
                before = _customer_dict(row, q.domains_of(store, number))
                changed = {k: val for k, val in values.items() if row[k] != val}
                dom_changed = domains is not None and domains != before["domains"]
                action = "updated" if changed or dom_changed else "unchanged"
            p.counts[action] += 1
            if action == "unchanged":
                continue
            _check_domains(store, p.file, rowno, number, domains or [])
            p.changes.append({"action": action, "number": number, "row": rowno})
            p.writes.append((number, row, changed, domains))
        return p

    def write(self, st: Any, plan: CustomerPlan) -> None:
        now = self.ops.now()
        actor = self.ops.actor(None)
        for number, row, changed, domains in plan.writes:
            before = None if row is None else _customer_dict(row, q.domains_of(st, number))
            if row is None:
                q.insert_customer(st, number, changed, clock.to_db(now))
            else:
                q.update_customer(st, number, changed, clock.to_db(now))
            if domains is not None:
                q.set_domains(st, number, domains)
            after = _customer_dict(q.customer_row(st, number), q.domains_of(st, number))
            st.audit(actor, "customer.import", f"customer:{number}", before, after, at=now)

    def result(self, plan: CustomerPlan, outcome: Outcome) -> dict[str, Any]:
        return {**plan.counts, **outcome.fields(), "changes": plan.changes}


def _check_domains(store: Any, file: str, rowno: int, number: str, domains: list[str]) -> None:
    for domain in domains:
        owner = q.domain_owner(store, domain)
        if owner is not None and owner != number:
            message = f"{domain} already belongs to customer {owner}"
            raise Conflict(f"{file}:{rowno}: domains: {message}", [Problem(message, file, rowno, "domains")])

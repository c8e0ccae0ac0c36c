"""Seeding a store through the core: customers, roster entries and subscriptions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from helpers.sheets import write_csv
from ops_cli.roster import add_customer, add_entry
from ops_cli.subscriptions import import_subscriptions

SUB_HEADER = ("customer", "issi", "tei", "msisdn", "kind", "status")


def seed_customer(ops: Any, number: str, name: str | None = None, **fields: Any) -> dict[str, Any]:
    """A customer through ``roster.add_customer`` (name defaults to "Customer NUMBER")."""
    return add_customer(ops, str(number), name=name or f"Customer {number}", **fields)


def seed_person(
    ops: Any,
    customer: str,
    email: str,
    name: str | None = None,
    roles: Sequence[str] = ("orderer",),
    **fields: Any,
) -> dict[str, Any]:
    """A roster entry through ``roster.add_entry`` (by the desk's operator)."""
    display = name or email.split("@")[0].replace(".", " ").title()
    return add_entry(ops, str(customer), email, display, list(roles), **fields)


def seed_subscriptions(
    ops: Any, folder: Path, rows: Iterable[Sequence[Any]], **options: Any
) -> dict[str, Any]:
    """Subscriptions through the user's import: rows of (customer, issi, tei, msisdn, kind, status)."""
    path = write_csv(Path(folder) / "seed_subscriptions.csv", SUB_HEADER, rows)
    try:
        return import_subscriptions(ops, path, **options)
    finally:
        path.unlink()


def seed_world(ops: Any, folder: Path) -> dict[str, Any]:
    """A small world: customers 1001 (Rakel, 3 subscriptions) and 1002, an orderer each."""
    seed_customer(ops, "1001", "Polisregion Test", agreement="rakel", fleet=3, domains=["polis.example"])
    seed_customer(ops, "1002", "Räddning Test", agreement="rakel", fleet=1, domains=["rtj.example"])
    seed_person(ops, "1001", "anna@polis.example", "Anna Berg", ["orderer", "contact"])
    seed_person(ops, "1002", "olle@rtj.example", "Olle Ek", ["orderer", "contact"])
    subs = seed_subscriptions(
        ops,
        folder,
        [
            ("1001", 2010001, "42A2D8E4321F805", "", "standard", "active"),
            ("1001", 2010002, "CBE7C2B0C7802FB", "", "standard", "active"),
            ("1001", 2010003, "", "", "standard", "inactive"),
            ("1002", 2020001, "", "", "standard", "active"),
        ],
    )
    return {"subscriptions": subs}


def demo_store(env: Any, now: str) -> Any:
    """``env`` with the demo store (``ops init --demo``) and its business clock at ``now``."""
    env.now = now
    run = env.cli("init", "--demo")
    assert run.code == 0, run.stderr
    return env

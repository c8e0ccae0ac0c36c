"""Shared test helpers: seed a store through the core (never raw SQL) and write input sheets.

Import as ``from helpers import seed_customer, write_xlsx`` (``tests/`` is on ``sys.path``:
pytest puts the folder of the root ``conftest.py`` there).

Seeding goes through the same core functions the commands call, so a seeded store is one a
user could have made: audit rows, derived fields and invariants included.
"""

from __future__ import annotations

from helpers.refusals import refused
from helpers.seed import seed_customer, seed_person, seed_subscriptions, seed_world
from helpers.sheets import write_csv, write_xlsx

__all__ = [
    "refused",
    "seed_customer",
    "seed_person",
    "seed_subscriptions",
    "seed_world",
    "write_csv",
    "write_xlsx",
]

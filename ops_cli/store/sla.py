"""SQL for the SLA group: support codes, their tries, a case's callback facts (KPI SQL: store/kpi.py)."""

from __future__ import annotations

import sqlite3

from ops_cli.store import Store

# ------------------------------------------------------------------ customers / cases


def customer_row(store: Store, number: str) -> sqlite3.Row | None:
    return store.one(
        "SELECT number, name, agreement, binding_until, sla_tier FROM customers WHERE number = ?", (number,)
    )


def case_row(store: Store, number: str) -> sqlite3.Row | None:
    return store.one(
        "SELECT id, number, customer, topic, status, critical, sla_tier, feedback_hours, opened_at,"
        " next_callback_at FROM cases WHERE number = ?",
        (number,),
    )


def case_callbacks(store: Store, case_id: int) -> list[sqlite3.Row]:
    return store.query(
        "SELECT due_at, made_at, made_by FROM case_callbacks WHERE case_id = ? ORDER BY made_at, id",
        (case_id,),
    )


# ------------------------------------------------------------------ support codes


def code_row(store: Store, customer: str) -> sqlite3.Row | None:
    return store.one(
        "SELECT customer, kdf, salt, hash, set_at, set_by FROM sla_codes WHERE customer = ?", (customer,)
    )


def put_code(store: Store, customer: str, kdf: str, salt: str, hash_: str, set_at: str, set_by: str) -> None:
    store.execute(
        "INSERT INTO sla_codes (customer, kdf, salt, hash, set_at, set_by) VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (customer) DO UPDATE SET kdf = excluded.kdf, salt = excluded.salt,"
        " hash = excluded.hash,"
        " set_at = excluded.set_at, set_by = excluded.set_by",
        (customer, kdf, salt, hash_, set_at, set_by),
    )


def add_try(store: Store, customer: str, at: str, outcome: str) -> None:
    store.execute(
        "INSERT INTO sla_code_tries (customer, at, outcome) VALUES (?, ?, ?)", (customer, at, outcome)
    )


def recent_failures(store: Store, customer: str, since: str) -> list[str]:
    """UTC times of failed tries at or after ``since`` and after the last success or new code."""
    return [
        r[0]
        for r in store.query(
            "SELECT at FROM sla_code_tries WHERE customer = ? AND outcome = 'fail' AND at >= ?"
            " AND id > COALESCE((SELECT MAX(id) FROM sla_code_tries WHERE customer = ?"
            " AND outcome IN ('ok', 'set')), 0) ORDER BY at, id",
            (customer, since, customer),
        )
    ]

"""The list queries use an index, or a full scan chosen on purpose (EXPLAIN QUERY PLAN).

The SQL is captured from the real core calls (a trace on the store's connection), so the
test follows the store modules when they change.

Deliberate plans, documented here:
- `case list --overdue` finds the overdue cases by the due-time index and sorts only those
  (newest first): a temp B-tree over the overdue cases, never over the store.
- `roster list --customer` reads one customer's entries by the primary key and sorts those.
- `sub list` / `roster list` / `case list` without a filter read the whole table in the
  listing order from an index (a scan with no sort: the listing streams).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from helpers.seed import seed_customer

from ops_cli import cases, roster, subscriptions

pytestmark = pytest.mark.sqlite_only("SQLite's EXPLAIN QUERY PLAN and trace callback")


def captured(ops, call) -> list[str]:
    """The SELECTs a core call runs (bound values expanded by SQLite)."""
    seen: list[str] = []
    ops.store.conn.set_trace_callback(seen.append)
    try:
        result = call()
        if not isinstance(result, list | dict):
            list(result)  # a streamed listing runs its query when read
    finally:
        ops.store.conn.set_trace_callback(None)
    return [s for s in seen if s.lstrip().upper().startswith("SELECT")]


def plan(ops, sql: str) -> list[str]:
    return [row[3] for row in ops.store.conn.execute("EXPLAIN QUERY PLAN " + sql)]


def the_query(ops, call, table: str) -> list[str]:
    found = [s for s in captured(ops, call) if re.search(rf"\bFROM {table}\b", s)]
    assert found, f"no query on {table}"
    return plan(ops, found[0])


@pytest.fixture
def world(ops):
    seed_customer(ops, "1001", "Polisregion Test", agreement="rakel", fleet=3)
    return ops


AT = datetime(2026, 11, 20, 9, tzinfo=UTC)


def test_case_callbacks_uses_the_due_time_index_of_open_cases(world):
    steps = the_query(world, lambda: cases.due_callbacks(world, at=AT), "cases")
    assert steps[0] == "SEARCH cases USING INDEX cases_due_open (next_callback_at>? AND next_callback_at<?)"
    # Deliberate: rows come in due order from the index; only ties on the same due time are
    # sorted by case number (the "right part" of the ORDER BY), never the whole table.
    assert steps[1:] in ([], ["USE TEMP B-TREE FOR RIGHT PART OF ORDER BY"])


def test_case_list_overdue_uses_it_and_sorts_only_the_overdue(world):
    steps = the_query(world, lambda: cases.list_cases(world, overdue=True, at=AT), "cases")
    assert steps[0].startswith("SEARCH cases USING INDEX cases_due_open")
    assert steps[1:] == ["USE TEMP B-TREE FOR ORDER BY"]  # deliberate: only the overdue cases


def test_case_stale_uses_the_activity_index_of_open_cases(world):
    steps = the_query(world, lambda: cases.stale(world, at=AT), "cases")
    assert steps == ["SEARCH cases USING INDEX cases_active_open (last_activity_at<?)"]


def test_case_list_streams_newest_first_from_an_index(world):
    assert the_query(world, lambda: cases.list_cases(world), "cases") == [
        "SCAN cases USING INDEX cases_opened"
    ]
    by_customer = the_query(world, lambda: cases.list_cases(world, customer="1001"), "cases")
    assert by_customer == ["SEARCH cases USING INDEX cases_customer (customer=?)"]


def test_sub_list_by_customer_uses_the_customer_index(world):
    steps = the_query(
        world, lambda: subscriptions.list_subscriptions(world, customer="1001"), "subscriptions"
    )
    assert steps == ["SEARCH subscriptions USING INDEX subscriptions_customer (customer=?)"]
    every = the_query(world, lambda: subscriptions.list_subscriptions(world), "subscriptions")
    assert every == ["SCAN subscriptions USING INDEX subscriptions_customer"]  # listing order, no sort


def test_roster_list_uses_an_index(world):
    steps = the_query(world, lambda: roster.list_entries(world, "1001"), "roster_entries")
    assert steps[0] == "SEARCH roster_entries USING INDEX sqlite_autoindex_roster_entries_1 (customer=?)"
    assert steps[1:] in ([], ["USE TEMP B-TREE FOR ORDER BY"])  # deliberate: one customer's entries
    every = the_query(world, lambda: roster.list_entries(world), "roster_entries")
    assert every == ["SCAN roster_entries USING INDEX roster_entries_listing"]

"""The report's cases in opening order, then by number (issue 16): as the store gives them in
time order, only the runs opened in the same second are sorted; in any other order, all."""

from __future__ import annotations

import random
from operator import itemgetter

import pytest

from ops_cli.store.reports import _by_time_then_number


def _row(opened: str, number: str) -> tuple:
    return (1, number, "fault", 0, "normal", "closed", "s", "gold", opened, None)


@pytest.mark.parametrize("seed", range(6))
def test_equal_to_sorting_every_row(seed):
    rnd = random.Random(seed)
    stamps = [f"2026-01-01T10:00:{s:02d}+00:00" for s in range(rnd.randint(1, 30))]
    rows = [_row(rnd.choice(stamps), f"2026-{n:07d}") for n in rnd.sample(range(10**6), rnd.randint(0, 200))]
    expected = sorted(rows, key=itemgetter(8, 1))
    in_time_order = sorted(rows, key=itemgetter(8))  # as the store gives them: ties in any order
    _by_time_then_number(in_time_order)
    assert in_time_order == expected
    rnd.shuffle(rows)  # not in time order (another collation): sorted all
    _by_time_then_number(rows)
    assert rows == expected


def test_runs_at_the_ends_and_none():
    rows = [_row("a", "3"), _row("a", "1"), _row("b", "1"), _row("c", "2"), _row("c", "1")]
    _by_time_then_number(rows)
    assert [(r[8], r[1]) for r in rows] == [("a", "1"), ("a", "3"), ("b", "1"), ("c", "1"), ("c", "2")]
    empty: list[tuple] = []
    _by_time_then_number(empty)
    assert empty == []

"""The streaming renderers: valid JSON for any number of rows, CSV converted once and
formula-safe, plain tables aligned by a sample of the first rows."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from ops_cli import render


@pytest.mark.parametrize("n", [0, 1, 3])
@pytest.mark.parametrize("indent", [None, 2])
def test_streamed_json_array_is_valid_for_any_count(n, indent):
    rows = [{"n": i, "at": datetime(2026, 11, 20, tzinfo=UTC), "sum": Decimal("1.50")} for i in range(n)]
    text = "".join(render.iter_json(iter(rows), indent=indent))
    assert json.loads(text) == [{"n": i, "at": "2026-11-20T00:00:00+00:00", "sum": 1.5} for i in range(n)]
    if indent is None:
        assert len(text.splitlines()) == (1 if n == 0 else n + 2)


def test_jsonl_keeps_key_order_and_text_as_is():
    lines = list(render.iter_jsonl([{"b": "Räddning", "a": None, "c": {1, 2} and [1, 2]}]))
    assert lines == ['{"b": "Räddning", "a": null, "c": [1, 2]}\n']


def test_streamed_csv_is_formula_safe_and_keeps_numbers_and_phones():
    rows = [{"a": "=SUM(A1)", "b": "+46 70 123 45 67", "c": -5, "d": None, "e": True, "f": ["x", "y"]}]
    text = "".join(render.iter_csv(iter(rows), list("abcdef")))
    assert list(csv.reader(io.StringIO(text)))[1] == [
        "'=SUM(A1)",
        "+46 70 123 45 67",
        "-5",
        "",
        "yes",
        "x, y",
    ]


def test_csv_in_batches_is_the_same_text():
    rows = [{"n": i, "t": f"rad {i}"} for i in range(1234)]
    assert "".join(render.iter_csv(iter(rows), ["n", "t"], batch=100)) == render.to_csv(rows)


def test_plain_table_widths_from_a_sample_then_streamed():
    rows = [{"k": "a", "v": "1"}, {"k": "bb", "v": "22"}, {"k": "a much longer key", "v": "3"}]
    lines = "".join(render.iter_plain(iter(rows), ["k", "v"], sample=2)).splitlines()
    assert lines[:4] == ["k   v", "--  --", "a   1", "bb  22"]
    assert lines[4] == "a much longer key  3"  # written whole, after the sample fixed the widths
    assert "".join(render.iter_plain(iter([]), ["k"])) == "(none)\n"

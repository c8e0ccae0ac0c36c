"""Listings for scripts: `-f jsonl`, `--limit`, `--columns` on every list, and fast JSON.

Every list command takes the three options; bad values exit 3 naming what is allowed and
change nothing. JSON to a pipe is compact (one row a line), JSON Lines one object a line.
"""

from __future__ import annotations

import csv
import io
import json

import pytest

#: Every command that prints a list (the listing options apply to all of them).
LIST_COMMANDS = [
    ("case", "list"),
    ("case", "callbacks"),
    ("case", "stale"),
    ("case", "departments"),
    ("roster", "list"),
    ("roster", "customer", "list"),
    ("sub", "list"),
    ("sub", "orders"),
    ("swap", "list"),
    ("swap", "stock"),
    ("swap", "shipments"),
    ("swap", "freight"),
    ("sla", "kpi", "list"),
    ("report", "due"),
    ("report", "delivery"),
    ("db", "log"),
]

SUB_KEYS = ["issi", "tei", "customer", "kind", "status", "msisdn"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """One demo store for the read-only tests of this module."""
    from conftest import Env

    folder = tmp_path_factory.mktemp("demo")
    env = Env(tmp=folder, db=folder / "ops.db", config=folder / "config.toml", now="2026-11-20T10:00")
    run = env.run("-q", "init", "--demo")
    assert run.code == 0, run.stderr
    return env


@pytest.mark.parametrize("command", LIST_COMMANDS, ids=" ".join)
def test_every_list_command_has_the_listing_options(demo, command):
    run = demo.cli(*command, "--help")
    assert run.code == 0, run.stderr
    for option in ("--limit", "--columns", "--wide", "jsonl"):
        assert option in run.stdout, (command, option)


def test_sla_due_counts_with_count_not_limit(demo):
    """`sla due` lists a schedule of --count callbacks; --columns and jsonl apply."""
    run = demo.run(
        "sla",
        "due",
        "--tier",
        "gold",
        "--from",
        "2026-11-20T10:00",
        "--count",
        "2",
        "-f",
        "jsonl",
        "--columns",
        "due_at",
    )
    assert run.code == 0, run.stderr
    assert [list(json.loads(line)) for line in run.stdout.splitlines()] == [["due_at"], ["due_at"]]


def test_jsonl_is_one_object_a_line_in_the_json_order(demo):
    as_json = demo.run("sub", "list", "-f", "json")
    as_jsonl = demo.run("sub", "list", "-f", "jsonl")
    assert as_json.code == as_jsonl.code == 0
    lines = as_jsonl.stdout.splitlines()
    assert [json.loads(line) for line in lines] == as_json.json()
    assert len(lines) == len(as_json.json()) == 52  # the demo store's subscriptions
    assert list(json.loads(lines[0])) == SUB_KEYS  # key order kept


def test_json_to_a_pipe_is_compact_one_row_a_line(demo):
    run = demo.run("case", "list", "-f", "json")
    rows = run.json()
    lines = run.stdout.splitlines()
    assert lines[0] == "[" and lines[-1] == "]"
    assert len(lines) == len(rows) + 2  # the C encoder, no indentation
    assert json.loads(lines[1].rstrip(",")) == rows[0]
    one = demo.run("config", "get", "desk.hours", "-f", "json")
    assert one.stdout.count("\n") == 1 and one.json()["mon"] == "08:00-17:00"


def test_json_of_nothing_is_an_empty_array(demo):
    for fmt in ("json", "jsonl", "csv"):
        run = demo.run("case", "list", "--customer", "1001", "--since", "2030-01-01", "-f", fmt)
        assert run.code == 0, run.stderr
        assert {"json": "[]\n", "jsonl": "", "csv": None}[fmt] in (run.stdout, None)
    assert json.loads(demo.run("sub", "list", "--status", "terminated", "-f", "json").stdout) == []


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "md", "table"])
def test_limit_stops_after_n_rows_in_every_format(demo, fmt):
    run = demo.run("sub", "list", "--limit", "3", "-f", fmt)
    assert run.code == 0, run.stderr
    if fmt == "json":
        assert [r["issi"] for r in run.json()] == [2010001, 2010002, 2010003]
    elif fmt == "jsonl":
        assert len(run.stdout.splitlines()) == 3
    elif fmt == "csv":
        assert len(list(csv.DictReader(io.StringIO(run.stdout)))) == 3
    else:
        assert len(run.stdout.splitlines()) == 5  # header, rule, three rows


@pytest.mark.parametrize("value", ["0", "-1", "1e20", "x", "99999999999999999999", "9223372036854775808"])
@pytest.mark.parametrize("command", [("db", "log"), ("sub", "list"), ("roster", "list"), ("case", "list")])
def test_bad_limit_is_exit_3_with_the_range(demo, command, value):
    before = demo.snapshot()
    run = demo.cli(*command, "--limit", value)
    assert run.code == 3, (command, value, run.stderr)
    assert run.stderr.startswith("error: Invalid value for '--limit' / '-n': ")
    assert "1<=x<=9223372036854775807" in run.stderr
    assert "Traceback" not in run.stderr and len(run.stderr.splitlines()) == 1
    assert demo.snapshot() == before


def test_limit_at_the_largest_value_is_accepted(demo):
    run = demo.run("db", "log", "-n", "9223372036854775807", "-f", "jsonl")
    assert run.code == 0, run.stderr
    assert len(run.stdout.splitlines()) > 10


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "md", "table"])
def test_columns_choose_and_order_the_fields(demo, fmt):
    run = demo.run("sub", "list", "-n", "2", "--columns", "status,issi", "-f", fmt)
    assert run.code == 0, run.stderr
    if fmt == "json":
        assert run.json() == [{"status": "active", "issi": 2010001}, {"status": "active", "issi": 2010002}]
    elif fmt == "jsonl":
        assert [list(json.loads(line)) for line in run.stdout.splitlines()] == [["status", "issi"]] * 2
    elif fmt == "csv":
        assert run.stdout.splitlines() == ["status,issi", "active,2010001", "active,2010002"]
    elif fmt == "md":
        assert run.stdout.splitlines()[:3] == ["| status | issi |", "|---|---|", "| active | 2010001 |"]
    else:
        assert run.stdout.splitlines()[0].split() == ["status", "issi"]
        assert run.stdout.splitlines()[2].split() == ["active", "2010001"]


def test_columns_may_name_a_json_only_field(demo):
    """JSON rows carry more than the table shows; --columns may pick any of them."""
    run = demo.run("case", "list", "-n", "1", "--columns", "number,reporter_name", "-f", "csv")
    assert run.code == 0, run.stderr
    assert run.stdout.splitlines()[0] == "number,reporter_name"


@pytest.mark.parametrize("wanted", ["issi,nope", "", " , "])
def test_unknown_column_is_exit_3_naming_the_known_ones(demo, wanted):
    before = demo.snapshot()
    run = demo.cli("sub", "list", "--columns", wanted, "-f", "csv")
    assert run.code == 3, run.stderr
    assert run.stdout == ""
    assert run.stderr.startswith("error: ")
    assert "known columns: issi, tei, customer, kind, status, msisdn" in run.stderr
    if "nope" in wanted:
        assert "unknown column nope" in run.stderr
    assert demo.snapshot() == before


def test_listing_options_on_a_smaller_list(demo):
    run = demo.run("roster", "customer", "list", "-f", "jsonl", "-n", "2", "--columns", "number,name")
    assert run.code == 0, run.stderr
    assert [json.loads(line) for line in run.stdout.splitlines()] == [
        {"number": "1001", "name": "Polisregion Syd"},
        {"number": "1002", "name": "Räddningstjänsten Storstad"},
    ]

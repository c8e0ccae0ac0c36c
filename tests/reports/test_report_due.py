"""`ops report due`: reports to send (silver, gold), orders to fulfil (bronze), zones that missed."""

from __future__ import annotations

import pytest
from test_report_quarterly import LISA, add_customers, import_rows, mean_passes_ratio_fails

DUE = ("report", "due", "--quarter", "2026Q3")


@pytest.fixture
def world(env, ops):
    add_customers(ops)
    import_rows(ops, env.tmp, mean_passes_ratio_fails())
    import_rows(
        ops,
        env.tmp,
        [
            "2002,Centrum,2026-08,1000,969,969,969",  # bronze 96.9 < 97: notice
            "3001,Syd,2026-07-01,1000,979,979,979",  # silver 97.9 < 98: notice
            "3001,Norr,2026-07-01,1000,990,990,990",  # passes
        ],
        "more.csv",
    )
    env.now = "2026-10-08T09:00"
    return ops


def test_due_lists_reports_orders_and_missed_zones(env, world):
    assert env.cli("report", "quarterly", "-c", "2002", "--quarter", "2026Q3", "--ordered-by", LISA).code == 0
    run = env.cli(*DUE, "-f", "json")
    assert run.code == 0, run.stderr
    data = run.json()
    assert data["quarter"] == "2026Q3"
    assert [(s["customer"], s["tier"], s["send_from"], s["send_to"]) for s in data["send"]] == [
        ("2001", "gold", "2026-10-05", "2026-10-20"),
        ("3001", "silver", "2026-10-05", "2026-10-20"),
    ]
    assert [(o["customer"], o["ordered_by"], o["report_date"], o["fee"]) for o in data["fulfil"]] == [
        ("2002", LISA, "2026-10-08", 499.0)
    ]
    missed = [(m["customer"], m["zone"], m["action"], m["penalty"]) for m in data["zones_missed"]]
    assert missed == [
        ("2001", "Borås", "penalty", 10000.0),
        ("2002", "Centrum", "notice to sales/CoE", 0.0),
        ("3001", "Syd", "notice to sales/CoE", 0.0),
    ]


def test_due_table_and_exit_status(env, world):
    run = env.cli(*DUE, "-f", "csv", "--exit-status")
    assert run.code == 1  # something to do
    lines = run.stdout.splitlines()
    assert lines[0] == "action,customer,customer_name,tier,zone,date,detail"
    assert "send report,2001,Nordbygg AB,gold,,2026-10-05/2026-10-20,quarterly report on schedule" in lines
    assert 'penalty,2001,Nordbygg AB,gold,Borås,,"CSSR 95.09 / CTSR 100.00 < 98.00; pay 10,000 SEK"' in lines
    assert env.cli(*DUE, "-f", "csv").code == 0  # without --exit-status
    table = env.cli(*DUE)
    assert table.stdout.rstrip().endswith(
        "2026Q3: reports to send 2, ordered reports to fulfil 0, zones below target 3."
    )


def test_nothing_due_exits_0_with_exit_status(env, ops):
    env.now = "2026-10-08T09:00"
    assert env.cli("init").code == 0  # read commands never create a store
    run = env.cli(*DUE, "--exit-status", "-f", "json")
    assert run.code == 0, run.stderr
    assert run.json()["send"] == [] and run.json()["zones_missed"] == []


def test_quarter_words(env, world):
    run = env.cli("report", "due", "--quarter", "last", "-f", "json")
    assert run.code == 0 and run.json()["quarter"] == "2026Q3"
    run = env.cli("report", "due", "--quarter", "current", "-f", "json")
    assert run.code == 0 and run.json()["quarter"] == "2026Q4"


@pytest.mark.parametrize(
    ("quarter", "message"),
    [
        ("0000Q1", "error: --quarter: '0000Q1' is out of range (years 2000-9998, quarters 1-4)"),
        ("2026Q5", "error: --quarter: '2026Q5' is out of range (years 2000-9998, quarters 1-4)"),
        ("soon", "error: --quarter: 'soon' is not a quarter; use YYYYQn (e.g. 2026Q3), 'last' or 'current'"),
    ],
)
def test_bad_quarter_exit_3(env, world, quarter, message):
    before = env.snapshot()
    run = env.cli("report", "due", "--quarter", quarter)
    assert run.code == 3
    assert message in run.stderr
    assert env.snapshot() == before


def test_missing_quarter_is_a_usage_error(env, world):
    before = env.snapshot()
    run = env.cli("report", "due")
    assert run.code == 2
    assert "Missing option '--quarter'" in run.stderr
    assert env.snapshot() == before

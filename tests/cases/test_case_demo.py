"""The demo cases: every status, classified ones, a critical SLA fault in 2026Q3; idempotent."""

from __future__ import annotations

from test_case_helpers import seed_customers

from ops_cli import cases


def test_demo_cases_load_once_with_every_status(ops, env):
    seed_customers(ops)
    first = cases.load_demo(ops)
    assert first == {"cases": 11, "skipped": False}
    before = env.snapshot()
    assert cases.load_demo(ops) == {"cases": 0, "skipped": True}
    assert env.snapshot() == before

    rows = list(cases.list_cases(ops, include_classified=True))
    assert {r["status"] for r in rows} == {"open", "answered", "closed"}
    assert {r["classification"] for r in rows} == {"normal", "sensitive", "secret"}
    assert {r["customer"] for r in rows} == {"1001", "1002", "2001", "2002", None}
    # numbers follow the opening times
    assert [r["number"] for r in sorted(rows, key=lambda r: r["opened_at"])] == sorted(
        r["number"] for r in rows
    )

    sla = [r for r in rows if r["customer"] == "2001" and r["critical"]]
    assert len(sla) == 1
    shown = cases.show_case(ops, sla[0]["number"])
    assert shown["opened_at"].startswith("2026-08-12")  # 2026Q3
    assert (shown["status"], shown["sla_tier"], shown["channel"]) == ("closed", "gold", "sla")
    assert [c["due_at"] for c in shown["callbacks"]] == [
        "2026-08-12T08:10:00+02:00",
        "2026-08-12T12:10:00+02:00",
    ]
    assert all(c["made_at"] <= c["due_at"] for c in shown["callbacks"])
    assert shown["grants"][0]["granted_by"] == "maria.sund@nordbygg.example"


def test_demo_case_list_end_to_end(env, ops):
    seed_customers(ops)
    cases.load_demo(ops)
    env.now = "2026-11-22T10:00"
    run = env.run("case", "list", "--status", "open", "-f", "json")
    assert run.code == 0, run.stderr
    subjects = [r["subject"] for r in run.json()]
    assert "(classified)" in subjects
    assert "Inbrottslarmet når inte larmcentralen" in subjects
    due = env.run("case", "callbacks", "-f", "json").json()
    assert {d["customer"] for d in due} == {"1001", "1002", None}

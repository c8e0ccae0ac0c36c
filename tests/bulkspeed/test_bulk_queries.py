"""Issue 16, structurally (no timings): bulk commands read only what the file names, the due
callbacks come from the index of open cases' due times, and a report's JSON lists every case.

Queries are counted with ``sqlite3``'s ``set_trace_callback`` on the store's own connection.
"""

from __future__ import annotations

import json
import re
from datetime import datetime

import pytest
from helpers.sheets import write_csv

from ops_cli import roster
from ops_cli.render import to_json as indented_json
from ops_cli.reports.jsontext import to_json
from ops_cli.subscriptions import change_order, deliver, import_subscriptions, set_status

ORDERER = "anna.berg@polisen.example"
FIRST = 2_000_001
AT = datetime.fromisoformat("2026-11-18T10:00+01:00")  # a Wednesday, desk hours


#: The plan below is SQLite's EXPLAIN QUERY PLAN (the query counts run on both backends).
sqlite_trace = pytest.mark.sqlite_only("SQLite's EXPLAIN QUERY PLAN")


def tei(n: int, prefix: str = "A") -> str:
    return f"{prefix}{n:014X}"


def fleet(ops, tmp, size: int) -> None:
    roster.add_customer(ops, "1001", name="Polisregion Syd")
    roster.add_entry(ops, "1001", ORDERER, "Anna Berg", ["orderer"])
    rows = (["1001", FIRST + i, tei(FIRST + i), "active"] for i in range(size))
    import_subscriptions(ops, write_csv(tmp / "fleet.csv", ["customer", "issi", "tei", "status"], rows))


class Trace:
    """Every statement the store's connection runs while active."""

    def __init__(self, ops):
        self.conn, self.sql = ops.store.conn, []

    def __enter__(self):
        self.conn.set_trace_callback(self.sql.append)
        return self

    def __exit__(self, *exc):
        self.conn.set_trace_callback(None)

    def reads_of(self, table: str) -> list[str]:
        pattern = re.compile(rf"^\s*SELECT\b.*\bFROM\s+{table}\b", re.IGNORECASE | re.DOTALL)
        return [s for s in self.sql if pattern.search(s)]


def change_queries(ops, tmp, size: int, changes: int) -> list[str]:
    fleet(ops, tmp, size)
    rows = ([FIRST + i, tei(FIRST + i, "F")] for i in range(changes))
    path = write_csv(tmp / "change.csv", ["issi", "new_tei"], rows)
    with Trace(ops) as trace:
        result = change_order(ops, path, customer="1001", by=ORDERER, at=AT)
    assert result["changes"] == changes
    return trace.reads_of("subscriptions")


@pytest.mark.parametrize("size", [50, 1500])
def test_sub_change_reads_only_the_files_keys(ops, env, size):
    reads = change_queries(ops, env.tmp, size, 10)
    # the file's ISSIs (and new ISSIs) by key, the live holders of its new TEIs by key: two
    # queries whatever the fleet's size, each one naming keys; never the whole table
    assert len(reads) == 2, reads
    assert all(" IN (" in s for s in reads), reads
    by_issi, by_tei = sorted(reads, key=lambda s: "WHERE tei IN" in s)
    assert "WHERE issi IN" in by_issi and str(FIRST) in by_issi  # the trace shows the bound keys
    assert "WHERE tei IN" in by_tei and tei(FIRST, "F") in by_tei


def test_sub_change_chunks_the_keys(ops, env):
    reads = change_queries(ops, env.tmp, 1200, 1100)
    by_issi = [s for s in reads if "WHERE issi IN" in s]
    by_tei = [s for s in reads if "WHERE tei IN" in s]
    assert len(by_issi) == 3 and len(by_tei) == 3  # 1,100 keys in chunks of 500


def test_sub_deliver_rechecks_by_key(ops, env):
    fleet(ops, env.tmp, 1500)
    path = write_csv(env.tmp / "c.csv", ["issi", "new_tei"], [[FIRST, tei(FIRST, "F")]])
    case = change_order(ops, path, customer="1001", by=ORDERER, at=AT)["case"]
    with Trace(ops) as trace:
        deliver(ops, case, at=datetime.fromisoformat("2026-11-19T10:00+01:00"))
    reads = trace.reads_of("subscriptions")
    assert reads and all(" IN (" in s for s in reads), reads
    row = ops.store.one("SELECT tei FROM subscriptions WHERE issi = ?", (FIRST,))
    assert row["tei"] == tei(FIRST, "F")


def test_deactivate_file_writes_set_based(ops, env):
    fleet(ops, env.tmp, 1500)
    path = write_csv(env.tmp / "d.csv", ["issi"], ([FIRST + i] for i in range(1200)))
    with Trace(ops) as trace:
        result = set_status(ops, [], active=False, by=ORDERER, file=path, at=AT)
    assert result["changed"] == 1200 and all(s["changed"] for s in result["subscriptions"])
    # the file's ISSIs passed as ONE set (a JSON array): one read, one audit statement, one
    # UPDATE, whatever the number of ISSIs; never the whole table
    one_set = ("json_each(", "= ANY(")  # SQLite, PostgreSQL
    reads = trace.reads_of("subscriptions")
    assert len(reads) == 1 and any(w in reads[0] for w in one_set) and str(FIRST + 1199) in reads[0], reads
    updates = {s for s in trace.sql if s.lstrip().startswith("UPDATE subscriptions")}
    assert len(updates) == 1 and any(w in next(iter(updates)) for w in one_set)
    audits = {s for s in trace.sql if s.lstrip().startswith("INSERT INTO audit")}
    assert len(audits) == 1 and " SELECT " in next(iter(audits))
    assert ops.store.one("SELECT count(*) FROM subscriptions WHERE status = 'inactive'")[0] == 1200
    audit = ops.store.one("SELECT count(*) FROM audit WHERE action = 'sub.deactivate'")[0]
    assert audit == 1200  # still one audit record per ISSI


@sqlite_trace
def test_case_callbacks_query_uses_the_open_due_index(ops):
    from ops_cli.store import cases as sql

    plan = " ".join(
        r[3]
        for r in ops.store.query(
            "EXPLAIN QUERY PLAN SELECT * FROM cases WHERE status <> 'closed' AND next_callback_at IS NOT NULL"
            " AND next_callback_at <= ? ORDER BY next_callback_at, number",
            ("2026-11-18T09:00:00+00:00",),
        )
    )
    assert "cases_due_open" in plan
    with Trace(ops) as trace:
        assert sql.due_callbacks(ops.store, "2026-11-18T09:00:00+00:00") == []
    (query,) = trace.reads_of("cases")
    assert "next_callback_at IS NOT NULL AND next_callback_at <=" in query
    assert "ORDER BY next_callback_at, number" in query


# ------------------------------------------------------------------ report JSON
def test_report_json_parses_to_the_same_data():
    report = {
        "customer": "2001",
        "months": ["2026-01", "2026-02"],
        "empty": {},
        "none": [],
        "when": datetime(2026, 1, 2, 3, 4),
        "zones": [{"zone": "Norr", "months": [{"month": "2026-01", "cssr": 99.5}]}],
        "cases": {
            "count": 3,
            "list": [{"number": f"2026-{i:05d}", "subject": 'Fel på "RAKEL"å'} for i in range(3)],
        },
    }
    text = to_json(report)
    assert json.loads(text) == json.loads(indented_json(report))
    lines = text.splitlines()
    # the outline is indented; every case is one line (written by the C encoder)
    assert lines[0] == "{" and lines[1] == '  "customer": "2001",'
    assert '      {"number": "2026-00000", "subject": "Fel på \\"RAKEL\\"å"},' in lines
    assert sum(1 for line in lines if '"number"' in line) == 3


def test_report_json_lists_every_case_of_a_big_list():
    listed = [
        {"number": f"2026-{i:07d}", "repair_hours": i / 4, "critical": i % 2 == 0} for i in range(20_000)
    ]
    parsed = json.loads(to_json({"cases": {"count": len(listed), "list": listed}}))
    assert parsed["cases"]["list"] == listed


@pytest.mark.parametrize(
    "listed",
    [
        [{"n": 1, "s": "a}, {b"}, {"n": 2, "s": "q"}],  # a seam inside a text
        [{"n": 1, "s": "[x]"}, {"n": 2.5, "s": None}],
        [{"n": {"deep": 1}}, {"n": 2}],  # not a record: its own outline
        [{"n": [1, 2]}, {"n": 2}],
        [{}, {"n": 2}],
        [{"n": 1}, 5, "text"],
        [{"ö": "å\u2028", "t": True, "z": None, "f": 1e100}, {"k": -0.0}],
    ],
)
def test_a_list_of_records_is_one_line_a_record_whatever_its_texts_hold(listed):
    text = to_json({"cases": {"list": listed}})
    assert json.loads(text) == {"cases": {"list": listed}}
    lines = text.split("\n")  # not splitlines(): a text may hold U+2028
    for item in listed:
        if isinstance(item, dict) and not any(isinstance(v, dict | list) for v in item.values()):
            one = json.dumps(item, ensure_ascii=False)
            assert f"      {one}," in lines or f"      {one}" in lines, (one, lines)

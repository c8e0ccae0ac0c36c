"""`--dry-run` on every write command: the per-row diff (`field: before → after` in a table,
`"changes": [{table, key, op, object, fields: {f: [before, after]}}]` in JSON), nothing kept."""

from __future__ import annotations

import csv

import pytest

ANNA = "anna.berg@polisen.example"
OLLE = "olle.ek@polisen.example"
MARIA = "maria.sund@nordbygg.example"


@pytest.fixture
def demo(env):
    env.now = "2026-11-18T10:00"  # a Wednesday in desk office hours (09:00 UTC)
    assert env.cli("init", "--demo").code == 0
    return env


def dry(env, *args, input: str | None = None) -> dict:
    """The JSON of a dry run; the store must be exactly as before."""
    before = env.snapshot()
    result = env.cli(*args, "--dry-run", "-f", "json", input=input)
    assert result.code == 0, (args, result.stderr)
    assert env.snapshot() == before
    data = result.json()
    assert data["dry_run"] is True
    return data


def table(env, *args, input: str | None = None) -> str:
    before = env.snapshot()
    result = env.cli(*args, "--dry-run", input=input)
    assert result.code == 0, (args, result.stderr)
    assert "dry run" in result.stderr or "would" in result.stderr
    assert env.snapshot() == before
    return result.stdout


def change(data: dict, obj: str) -> dict:
    (found,) = [c for c in data["changes"] if c["object"] == obj]
    return found


# ------------------------------------------------------------------ roster
def test_roster_set_dry_run_diff(demo):
    data = dry(
        demo, "roster", "set", "-c", "1001", "-e", OLLE, "-r", "viewer", "-r", "contact", "--phone", ""
    )
    assert data["result"] == "updated"  # the command's own keys stay
    (row,) = data["changes"]
    assert row == {
        "table": "roster_entries",
        "key": {"customer": "1001", "email": OLLE},
        "op": "update",
        "object": f"roster 1001/{OLLE}",
        "fields": {"phone": ["+46701112233", None], "roles": ["viewer", "contact,viewer"]},
    }
    text = table(demo, "roster", "set", "-c", "1001", "-e", OLLE, "-r", "contact")
    assert f"roster 1001/{OLLE}" in text and "roles: viewer → contact" in text


def test_roster_add_dry_run_diff(demo):
    args = (
        "roster",
        "add",
        "-c",
        "2001",
        "-e",
        "eva.lund@nordbygg.example",
        "--name",
        "Eva Lund",
        "-r",
        "contact",
    )
    data = dry(demo, *args)
    row = change(data, "roster 2001/eva.lund@nordbygg.example")
    assert row["op"] == "insert" and row["key"] == {"customer": "2001", "email": "eva.lund@nordbygg.example"}
    assert row["fields"]["name"] == [None, "Eva Lund"] and row["fields"]["roles"] == [None, "contact"]
    assert "name: (none) → Eva Lund" in table(demo, *args)


def test_roster_remove_dry_run_diff(demo):
    data = dry(demo, "roster", "remove", "-c", "1001", "-e", "mats.holm@polisen.example")
    (row,) = data["changes"]
    assert row["op"] == "delete" and row["fields"]["name"] == ["Mats Holm", None]
    assert row["fields"]["roles"] == ["viewer", None]
    text = table(demo, "roster", "remove", "-c", "1001", "-e", "mats.holm@polisen.example", "-f", "md")
    assert "name: Mats Holm → (none)" in text


def test_a_refused_dry_run_is_refused_like_the_real_one(demo):
    before = demo.snapshot()
    result = demo.cli("roster", "remove", "-c", "1001", "-e", ANNA, "--dry-run")  # the last orderer
    assert result.code == 6, result.stderr
    assert result.stderr.startswith("error: ")
    assert demo.snapshot() == before


def test_roster_import_dry_run_keeps_its_counts_and_adds_the_diff(demo, tmp_path):
    path = tmp_path / "nordbygg.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(
            [
                ["customer", "name", "email", "phone", "role", "kind"],
                ["2001", "Maria Sund-Ek", MARIA, "", "orderer", "person"],
                ["2001", "Per Falk", "per.falk@nordbygg.example", "+46701234567", "telephony", "person"],
                ["2001", "Emma Strand", "emma.strand@nordbygg.example", "", "contact", "person"],
            ]
        )
    data = dry(demo, "roster", "import", str(path), "--replace")
    assert (data["created"], data["removed"]) == (0, 2)
    updates = [c for c in data["changes"] if c["table"] == "roster_entries" and c["op"] == "update"]
    assert len(updates) == data["updated"]
    assert "rows" in data and "removed_entries" in data  # the core dry run's contract keys
    assert change(data, f"roster 2001/{MARIA}")["fields"]["name"] == ["Maria Sund", "Maria Sund-Ek"]
    gone = [c for c in data["changes"] if c["op"] == "delete"]
    assert len(gone) == 2 and {c["table"] for c in gone} == {"roster_entries"}
    assert all(c["fields"]["customer"] == ["2001", None] for c in gone)
    text = table(demo, "roster", "import", str(path), "--replace")
    assert "name: Maria Sund → Maria Sund-Ek" in text


# ------------------------------------------------------------------ subscriptions
def test_sub_activate_dry_run_diff(demo):
    data = dry(demo, "sub", "activate", "2010018", "--by", ANNA)
    row = change(data, "subscription 2010018")
    assert row["table"] == "subscriptions" and row["op"] == "update"
    assert row["fields"]["status"] == ["inactive", "active"]
    assert "status: inactive → active" in table(demo, "sub", "activate", "2010018", "--by", ANNA)


def test_sub_terminate_dry_run_needs_no_yes(demo):
    args = ("sub", "terminate", "2010002", "--by", ANNA, "--confirm-reset")
    data = dry(demo, *args)
    assert change(data, "subscription 2010002")["fields"]["status"] == ["active", "terminated"]
    assert "status: active → terminated" in table(demo, *args)


def test_sub_deliver_dry_run_diff(demo, tmp_path):
    path = tmp_path / "order.csv"
    path.write_text("issi,new_tei\n2010001,ABCDE0123456789\n", encoding="utf-8")
    ordered = demo.cli("sub", "change", str(path), "-c", "1001", "--by", ANNA, "-f", "json")
    assert ordered.code == 0, ordered.stderr
    case = ordered.json()["case"]
    data = dry(demo, "sub", "deliver", case)
    assert "changes" in data  # the command's own key stays; the diff is `diff`
    diff = {"changes": data["diff"]}
    teis = [c["fields"]["tei"] for c in diff["changes"] if c["object"] == "subscription 2010001"]
    assert teis and teis[-1][1] == "ABCDE0123456789"
    assert change(diff, f"case {case}")["fields"]["status"][1] == "closed"
    assert "tei: " in table(demo, "sub", "deliver", case)


# ------------------------------------------------------------------ cases
def test_case_close_dry_run_diff(demo):
    data = dry(demo, "case", "close", "2026-00009", "--resolution", "Masten omstartad")
    row = change(data, "case 2026-00009")
    assert row["fields"]["status"] == ["open", "closed"]
    assert row["fields"]["resolution"] == [None, "Masten omstartad"]
    assert any(c["table"] == "case_events" and c["op"] == "insert" for c in data["changes"])
    assert "status: open → closed" in table(
        demo, "case", "close", "2026-00009", "--resolution", "Masten omstartad"
    )


def test_case_assign_dry_run_diff(demo):
    args = ("case", "assign", "2026-00009", "--agent", "tove@desk.example")
    data = dry(demo, *args)
    assert change(data, "case 2026-00009")["fields"]["agent"] == [
        "sara.south@desk.example",
        "tove@desk.example",
    ]
    assert "agent: sara.south@desk.example → tove@desk.example" in table(demo, *args)


def test_a_classified_case_keeps_its_text_out_of_the_diff(demo):
    opened = demo.cli(
        "case", "open", "-t", "question", "-c", "1001", "--reporter", ANNA, "--subject", "Hemlig fråga",
        "--classification", "secret", "-f", "json",
    )  # fmt: skip
    assert opened.code == 0, opened.stderr
    data = dry(demo, "case", "close", opened.json()["number"], "--resolution", "Hemligt svar")
    assert "Hemlig" not in str(data["changes"])
    row = change(data, f"case {opened.json()['number']}")
    assert row["fields"]["resolution"] == [None, "(classified)"]


# ------------------------------------------------------------------ swap and sla
def test_swap_target_dry_run_diff(demo):
    args = ("swap", "target", "-c", "2001", "--model", "Galaxy XCover7", "20")
    data = dry(demo, *args)
    (row,) = data["changes"]
    assert row["table"] == "swap_model_targets" and row["op"] == "insert"
    assert row["key"] == {"customer": "2001", "model": "Galaxy XCover7"}
    assert row["fields"]["target"] == [None, 20]
    assert "target: (none) → 20" in table(demo, *args)


def test_swap_ship_dry_run_diff(demo):
    opened = demo.cli(
        "case",
        "open",
        "-t",
        "terminal-fault",
        "-c",
        "2001",
        "--reporter",
        MARIA,
        "--subject",
        "Trasig skärm",
        "-f",
        "json",
    )
    assert opened.code == 0, opened.stderr
    args = ("swap", "ship", "-c", "2001", "--case", opened.json()["number"])
    data = dry(demo, *args)
    unit = change(data, f"unit {data['serial']}")
    assert unit["fields"]["state"] == ["in_stock", "swapped_out"]
    assert any(c["table"] == "swap_shipments" and c["op"] == "insert" for c in data["changes"])
    assert "state: in_stock → swapped_out" in table(demo, *args)


def test_sla_set_code_dry_run_never_shows_the_hash(demo):
    data = dry(demo, "sla", "set-code", "2001", input="493817\n")
    (row,) = [c for c in data["changes"] if c["table"] == "sla_codes"]
    assert row["op"] == "insert" and row["key"] == {"customer": "2001"}
    assert row["fields"]["hash"] == [None, "(secret)"] and row["fields"]["salt"] == [None, "(secret)"]
    assert "493817" not in str(data)
    text = table(demo, "sla", "set-code", "2001", input="493817\n")
    assert "hash: (none) → (secret)" in text and "493817" not in text


def test_sla_set_code_dry_run_over_an_existing_code_hides_both_hashes(demo):
    assert demo.cli("sla", "set-code", "2001", input="493817\n").code == 0
    ((old_hash, old_salt),) = _query(demo, "SELECT hash, salt FROM sla_codes WHERE customer = '2001'")
    data = dry(demo, "sla", "set-code", "2001", input="111222\n")
    (row,) = [c for c in data["changes"] if c["table"] == "sla_codes"]
    assert row["fields"]["hash"] == ["(secret)", "(secret)"]
    assert old_hash not in str(data) and old_salt not in str(data)


def test_jsonl_dry_run_is_one_change_a_line(demo):
    before = demo.snapshot()
    result = demo.cli("roster", "set", "-c", "1001", "-e", OLLE, "-r", "contact", "--dry-run", "-f", "jsonl")
    assert result.code == 0, result.stderr
    import json

    (line,) = [json.loads(x) for x in result.stdout.splitlines() if x.strip()]
    assert line["fields"] == {"roles": ["viewer", "contact"]}
    assert demo.snapshot() == before


def _query(env, sql: str) -> list[tuple]:
    from helpers import db as store_db

    conn = store_db.connect(env.db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


# ------------------------------------------------------------------ commands with their own dry run
def test_sub_change_dry_run_keeps_its_count_and_adds_the_diff(demo, tmp_path):
    path = tmp_path / "order.csv"
    path.write_text("issi,new_tei\n2010001,ABCDE0123456789\n", encoding="utf-8")
    args = ("sub", "change", str(path), "-c", "1001", "--by", ANNA)
    data = dry(demo, *args)
    assert data["changes"] == 1  # the contract: the number of changes
    tables = {c["table"] for c in data["diff"]}
    assert {"cases", "change_orders", "change_order_items"} <= tables
    (item,) = [c for c in data["diff"] if c["table"] == "change_order_items"]
    assert item["op"] == "insert" and item["fields"]["new_tei"] == [None, "ABCDE0123456789"]
    text = table(demo, *args)
    assert "42A2D8E4321F805 -> ABCDE0123456789" in text and "new_tei: (none) → ABCDE0123456789" in text


def test_swap_add_dry_run_diff(demo):
    args = ("swap", "add", "-c", "2001", "--model", "Galaxy XCover7", "R58W99991")
    data = dry(demo, *args)
    assert data["created"] == 1
    (unit,) = [c for c in data["changes"] if c["table"] == "swap_units"]
    assert unit["op"] == "insert" and unit["fields"]["serial"] == [None, "R58W99991"]
    assert "serial: (none) → R58W99991" in table(demo, *args)


def test_a_dry_run_case_open_takes_no_case_number(demo):
    args = ("case", "open", "-t", "question", "-c", "1001", "--reporter", ANNA, "--subject", "Fråga")
    data = dry(demo, *args)
    assert change(data, f"case {data['number']}")["fields"]["subject"] == [None, "Fråga"]
    opened = demo.cli(*args, "-f", "json")
    assert opened.code == 0, opened.stderr
    assert opened.json()["number"] == data["number"]  # the dry run used no number up


def test_report_order_dry_run_records_nothing_and_writes_no_file(demo, tmp_path):
    out = tmp_path / "q4.pdf"
    args = (
        "report",
        "quarterly",
        "-c",
        "2002",
        "--quarter",
        "2026Q4",
        "--ordered-by",
        "lisa.ek@bonan.example",
    )
    data = dry(demo, *args, "-o", str(out))
    (order,) = [c for c in data["changes"] if c["table"] == "report_orders"]
    assert order["op"] == "insert" and order["fields"]["quarter"] == [None, "2026Q4"]
    assert order["fields"]["fee"] == [None, 499.0]
    assert not out.exists()
    assert "fee: (none) → 499.0" in table(demo, *args)
    every = demo.cli("report", "quarterly", "--all", "--quarter", "2026Q3", "--dry-run")
    assert every.code == 3 and "--dry-run" in every.stderr

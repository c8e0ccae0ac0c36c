"""Issue 17: the per-row diffs made from the changesets' row images (`ops undo`, `--dry-run`) list
the fields in the table's column order on both backends (PostgreSQL's jsonb sorts its keys)."""

from __future__ import annotations

import pytest
from helpers import db as store_db
from helpers.changesets import last_changeset, ok
from helpers.seed import demo_store

ANNA = "anna.berg@polisen.example"
OLLE = "olle.ek@polisen.example"


@pytest.fixture
def demo(env):
    return demo_store(env, "2026-11-18T10:00")  # a Wednesday in desk office hours


def column_order(env, table: str) -> list[str]:
    """The table's columns as the schema has them (not the hidden row id of PostgreSQL)."""
    conn = store_db.connect(env.db)
    try:
        cursor = conn.execute(f"SELECT * FROM {table} LIMIT 0")
        return [col[0] for col in cursor.description if col[0] != "ops_rid"]
    finally:
        conn.close()


def assert_in_column_order(env, table: str, fields: dict, at_least: int) -> None:
    names = list(fields)
    assert len(names) >= at_least, names
    assert names == [c for c in column_order(env, table) if c in fields]


def undo_preview(env) -> dict:
    (change,) = ok(env, "undo", str(last_changeset(env)), "--dry-run", "-f", "json").json()["changes"]
    return change


#: Changes whose fields PostgreSQL's jsonb would list in another order (kind before name, phone).
SET = ("roster", "set", "-c", "1001", "-e", OLLE, "--name", "Olle Eklund", "--kind", "function")
SET += ("-r", "contact")
ADD = ("roster", "add", "-c", "1001", "-e", "ny@polisen.example", "--name", "Ny", "-r", "viewer")
REMOVE = ("roster", "remove", "-c", "1001", "-e", "mats.holm@polisen.example")


@pytest.mark.parametrize(
    ("args", "change", "at_least"),
    [
        (SET, "reverted", 3),  # an update: the stored before image
        (REMOVE, "restored", 6),  # a delete: every field of the stored before image
        (ADD, "removed", 6),  # an insert: every field of the row as it is now
        (("roster", "import", "{sheet}"), "reverted", 3),  # a set-based (bulk) update
    ],
    ids=["update", "delete", "insert", "bulk-update"],
)
def test_undo_diff_lists_fields_in_column_order(demo, tmp_path, args, change, at_least):
    sheet = tmp_path / "roster.csv"
    sheet.write_text(
        f"customer,name,email,phone,role,kind\n1001,Olle Ekström,{OLLE},+46 70 111 22 99,contact,function\n",
        encoding="utf-8",
    )
    ok(demo, *(a.format(sheet=sheet) for a in args))
    preview = undo_preview(demo)
    assert preview["table"] == "roster_entries" and preview["change"] == change
    assert_in_column_order(demo, "roster_entries", preview["fields"], at_least)


def test_dry_run_diff_lists_fields_in_column_order(demo):
    added = ok(
        demo, "roster", "add", "-c", "1001", "-e", "ny@polisen.example", "--name", "Ny", "-r", "viewer",
        "--phone", "070-123 45 67", "--dry-run", "-f", "json",
    ).json()  # fmt: skip
    (row,) = added["changes"]
    assert row["op"] == "insert"
    assert_in_column_order(demo, "roster_entries", row["fields"], 7)
    (row,) = ok(demo, *SET, "--dry-run", "-f", "json").json()["changes"]
    assert row["op"] == "update"
    assert_in_column_order(demo, "roster_entries", row["fields"], 3)


def test_db_log_lists_the_image_keys_sorted(demo, tmp_path):
    """The audit images a sub import builds in SQL read as every record is written: keys sorted."""
    sheet = tmp_path / "subs.csv"
    sheet.write_text(
        "customer,issi,tei,msisdn,kind,status\n1001,2010003,,+46701234599,,\n1001,2019999,ABCDEF012345678,,,\n",
        encoding="utf-8",
    )
    imported = ok(demo, "sub", "import", str(sheet), "--by", ANNA, "-f", "json").json()
    assert (imported["created"], imported["updated"]) == (1, 1)
    records = ok(demo, "db", "log", "--changeset", str(last_changeset(demo)), "-f", "json").json()
    images = [r[key] for r in records for key in ("before", "after") if r[key] is not None]
    assert {r["action"] for r in records} == {"sub.create", "sub.update"} and len(images) == 3
    for image in images:
        assert len(image) >= 4 and list(image) == sorted(image)


def test_undo_of_an_insert_shows_a_real_column_as_stored(env, ops, tmp_path):
    """The row as it is now (an insert undone) reads as the captured images do: a REAL's whole
    number a float, as SQLite writes it (PostgreSQL's jsonb writes 150.0 as 150)."""
    from ops_cli import roster

    lisa = "lisa.ek@bonan.example"
    roster.add_customer(
        ops, "2002", name="Café Bönan", sla_tier="bronze", agreement="business", binding_until="2028-12-31"
    )
    roster.add_entry(ops, "2002", lisa, "Lisa Ek", ["orderer", "telephony", "contact"])
    env.now = "2026-10-12T10:00"
    ok(env, "report", "quarterly", "-c", "2002", "--quarter", "2026Q3", "--ordered-by", lisa, "-f", "json")
    data = ok(env, "undo", str(last_changeset(env)), "--dry-run", "-f", "json").json()
    (order,) = [c for c in data["changes"] if c["table"] == "report_orders"]
    assert order["change"] == "removed"
    assert_in_column_order(env, "report_orders", order["fields"], 5)
    fee = order["fields"]["fee"]["before"]
    assert isinstance(fee, float) and fee > 0

"""The streamed roster import's three plans (issue 16): a sheet of new customers only (nothing in
the store overlaps: no staged row is rewritten), a sheet that overlaps the store (create / update /
same), and a sheet the store already holds (compared, nothing written). Each writes the exact row
images `ops undo` needs, and undo puts the store back as it was."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from helpers import db as store_db
from helpers.changesets import after_images, domain, last_changeset, ok

from ops_cli.roster.importing.stream import StreamedRosterImporter

HEADER = ["customer", "customer_name", "name", "email", "phone", "role", "kind"]


@pytest.fixture
def demo(env, monkeypatch):
    env.now = "2026-11-20T10:00"
    assert env.cli("init", "--demo").code == 0
    monkeypatch.setattr(StreamedRosterImporter, "chunk", 3)  # rows cross chunk boundaries
    return env


def write(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([header, *rows])
    return path


def query(env, sql, params=()):
    conn = store_db.connect(env.db)
    try:
        return [tuple(r) for r in conn.execute(sql, params).fetchall()]
    finally:
        conn.close()


def entries(env) -> dict[tuple[str, str], dict]:
    cols = ["customer", "email", "name", "phone", "kind", "roles", "created_at", "updated_at"]
    rows = query(env, f"SELECT {', '.join(cols)} FROM roster_entries")
    return {(r[0], r[1]): dict(zip(cols, r, strict=True)) for r in rows}


def new_customer_rows(n: int) -> list[list[str]]:
    return [
        [
            str(5000 + i // 4),
            f"Ny Kund {5000 + i // 4} AB",
            f"Person {i}",
            f"p{i}@kund{5000 + i // 4}.example",
            f"+46 70 555 {i:02d} {i:02d}",
            "orderer, contact" if i % 4 == 0 else "viewer",
            "person",
        ]
        for i in range(n)
    ]


def test_a_sheet_of_new_customers_records_exact_images_and_undoes(demo, tmp_path):
    before = domain(demo)
    path = write(tmp_path / "new.csv", new_customer_rows(10))
    r = ok(demo, "roster", "import", str(path), "-f", "json").json()
    assert (r["created"], r["updated"], r["unchanged"]) == (10, 0, 0)
    assert r["customers_created"] == ["5000", "5001", "5002"]
    number = last_changeset(demo)
    images = after_images(demo, number, "roster_entries")
    stored = entries(demo)
    assert len(images) == 10
    for image in images:  # each image is the row as stored, every column
        assert image == stored[(image["customer"], image["email"])]
    # one audit record per customer, the emails in sheet order
    audit = query(
        demo,
        "SELECT object, after FROM audit WHERE changeset_id = ? AND action = 'roster.import' ORDER BY id",
        (number,),
    )
    assert [o for o, _ in audit] == ["customer:5000", "customer:5001", "customer:5002"]
    first = json.loads(audit[0][1])
    assert first["created"] == [f"p{i}@kund5000.example" for i in range(4)]
    assert first["customer_created"] == {"number": "5000", "name": "Ny Kund 5000 AB"}
    result = ok(demo, "undo", str(number), "--yes", "-f", "json").json()
    assert result["removed"] == 13  # 10 entries and 3 customers
    assert domain(demo) == before


def test_a_sheet_that_overlaps_the_store_plans_each_row_and_undoes(demo, tmp_path):
    """Created, updated, unchanged side by side; no phone column: stored phones stay (and do
    not count as a change)."""
    ok(demo, "roster", "import", str(write(tmp_path / "first.csv", new_customer_rows(6))))
    kept = entries(demo)
    before = domain(demo)
    header = ["customer", "name", "email", "role", "kind"]
    rows = [r[:1] + r[2:4] + r[5:] for r in new_customer_rows(8)]
    rows[1][1] = "Person Ett Omdöpt"  # updated
    rows[2][3] = "contact"  # updated (roles)
    path = write(tmp_path / "second.csv", rows, header)
    r = ok(demo, "roster", "import", str(path), "-f", "json").json()
    assert (r["created"], r["updated"], r["unchanged"]) == (2, 2, 4)
    now = entries(demo)
    assert now[("5000", "p1@kund5000.example")]["name"] == "Person Ett Omdöpt"
    assert now[("5000", "p1@kund5000.example")]["phone"] == kept[("5000", "p1@kund5000.example")]["phone"]
    assert now[("5000", "p3@kund5000.example")] == kept[("5000", "p3@kund5000.example")]  # untouched
    number = last_changeset(demo)
    counts = query(
        demo, "SELECT op, count(*) FROM row_changes WHERE changeset_id = ? GROUP BY op ORDER BY op", (number,)
    )
    assert counts == [("insert", 2), ("update", 2)]
    result = ok(demo, "undo", str(number), "--yes", "-f", "json").json()
    assert (result["removed"], result["reverted"]) == (2, 2)
    assert domain(demo) == before


def test_a_sheet_the_store_already_holds_writes_nothing(demo, tmp_path):
    path = write(tmp_path / "new.csv", new_customer_rows(10))
    ok(demo, "roster", "import", str(path))
    before = demo.snapshot()
    r = ok(demo, "roster", "import", str(path), "-f", "json").json()
    assert (r["created"], r["updated"], r["unchanged"]) == (0, 0, 10)
    assert r["customers_created"] == []
    assert demo.snapshot() == before  # no row, no audit record, no changeset


def test_a_sheet_the_store_holds_but_for_one_row_writes_that_row(demo, tmp_path):
    rows = new_customer_rows(10)
    ok(demo, "roster", "import", str(write(tmp_path / "a.csv", rows)))
    changesets = query(demo, "SELECT count(*) FROM changesets")
    rows[9][4] = "+46 70 555 99 99"
    r = ok(demo, "roster", "import", str(write(tmp_path / "b.csv", rows)), "-f", "json").json()
    assert (r["created"], r["updated"], r["unchanged"]) == (0, 1, 9)
    assert entries(demo)[("5002", "p9@kund5002.example")]["phone"] == "+46705559999"
    assert query(demo, "SELECT count(*) FROM changesets")[0][0] == changesets[0][0] + 1


def test_a_held_sheet_without_phone_and_kind_columns_writes_nothing(demo, tmp_path):
    """The stored phone and kind stay and are not compared: the sheet is unchanged."""
    ok(demo, "roster", "import", str(write(tmp_path / "a.csv", new_customer_rows(6))))
    before = demo.snapshot()
    header = ["customer", "name", "email", "role"]
    rows = [[r[0], r[2], r[3], r[5]] for r in new_customer_rows(6)]
    r = ok(demo, "roster", "import", str(write(tmp_path / "b.csv", rows, header)), "-f", "json").json()
    assert (r["created"], r["updated"], r["unchanged"]) == (0, 0, 6)
    assert demo.snapshot() == before


def images_match_rows(env, number: int) -> None:
    """Every insert image of changeset ``number`` is its row as stored now, every column."""
    stored = entries(env)
    images = after_images(env, number, "roster_entries")
    assert images
    for image in images:
        assert image == stored[(image["customer"], image["email"])]


def test_a_person_added_between_staging_and_the_lock_is_updated(demo, tmp_path, monkeypatch):
    """The plan is made inside the write lock: a person another writer added after the sheet was
    staged (the store held none of its people then) is updated, not created, and undo puts the
    store back as that writer left it."""
    from ops_cli.context import Ops
    from ops_cli.roster import add_customer, add_entry

    prepare = StreamedRosterImporter.prepare

    def racing(self, store):
        prepare(self, store)
        other = Ops.open(config_path=demo.config, db_path=demo.db)  # another writer, meanwhile
        try:
            add_customer(other, "5000", name="Ny Kund 5000 AB")
            add_entry(other, "5000", "p0@kund5000.example", "Someone Else", ["orderer", "contact"])
        finally:
            other.close()

    monkeypatch.setattr(StreamedRosterImporter, "prepare", racing)
    path = write(tmp_path / "new.csv", new_customer_rows(10))
    r = ok(demo, "roster", "import", str(path), "-f", "json").json()
    assert (r["created"], r["updated"], r["unchanged"]) == (9, 1, 0)
    assert r["customers_created"] == ["5001", "5002"]
    assert entries(demo)[("5000", "p0@kund5000.example")]["name"] == "Person 0"
    number = last_changeset(demo)
    images_match_rows(demo, number)
    monkeypatch.undo()
    ok(demo, "undo", str(number), "--yes")  # back to the store as the other writer left it
    left = {k: v["name"] for k, v in entries(demo).items() if k[0] in ("5000", "5001", "5002")}
    assert left == {("5000", "p0@kund5000.example"): "Someone Else"}
    customers = query(demo, "SELECT number FROM customers WHERE number IN ('5000', '5001', '5002')")
    assert customers == [("5000",)]


@pytest.mark.parametrize("first", ["Första Namnet AB", ""])
def test_a_new_customer_gets_the_first_name_the_sheet_gives(demo, tmp_path, first):
    """Every row names the customer (or the first row leaves it empty): the first name given is
    the one created, whatever later rows say."""
    rows = new_customer_rows(8)
    for i, row in enumerate(rows):
        row[0], row[1] = "6000", f"Namn {i} AB"
    rows[0][1] = first
    r = ok(demo, "roster", "import", str(write(tmp_path / "n.csv", rows)), "-f", "json").json()
    assert r["customers_created"] == ["6000"]
    assert query(demo, "SELECT name FROM customers WHERE number = '6000'") == [(first or "Namn 1 AB",)]

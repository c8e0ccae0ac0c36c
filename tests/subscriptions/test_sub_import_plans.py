"""`sub import` when the store holds none, some or all of the file's ISSIs (issue 16).

A file whose every row is good is planned in the write transaction with what the staging learnt
of it (its customers, its ISSIs' range, whether a row names a termination or a standby kind), so
a first import of new subscriptions reads no staged row twice. These tests hold that path to the
same results, messages and exit codes as the rest: defaults of new rows, counts by action, the
dry-run listing, refusals for unknown customers, rules and TEIs bound in the store.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import db as store_db
from helpers.changesets import after_images, domain, last_changeset, ok
from helpers.refusals import refused as refusal
from helpers.seed import demo_store
from helpers.sheets import write_csv

HEADER = ["customer", "issi", "tei", "msisdn", "kind", "status"]
ORDERER = "anna.berg@polisen.example"  # orderer of 1001


@pytest.fixture
def demo(env):
    return demo_store(env, "2026-11-20T10:00")


def sheet(path: Path, *rows) -> Path:
    return write_csv(path, HEADER, rows)


def sub(env, issi):
    r = env.cli("sub", "show", str(issi), "-f", "json")
    return r.json() if r.code == 0 else None


def refused(env, args, code, message):
    return refusal(env, code, message, *args)


def audit_of(env, obj):
    conn = store_db.connect(env.db)
    try:
        return conn.execute(
            "SELECT action, before, after FROM audit WHERE object = ? ORDER BY id", (obj,)
        ).fetchall()
    finally:
        conn.close()


def test_new_rows_with_empty_cells_get_the_defaults_in_the_store_and_the_audit(demo, tmp_path):
    path = sheet(
        tmp_path / "s.csv",
        ["1001", "2019101", "00000000000F101", "", "", ""],
        ["1001", "2019102", "", "+46 70 123 45 67", "standby", ""],
    )
    r = demo.cli("sub", "import", str(path), "-f", "json")
    assert r.code == 0, r.stderr
    assert r.json() == {"created": 2, "updated": 0, "unchanged": 0, "removed": 0, "dry_run": False}
    first, second = sub(demo, 2019101), sub(demo, 2019102)
    assert (first["kind"], first["status"], first["tei"]) == ("standard", "inactive", "00000000000F101")
    assert (second["kind"], second["status"], second["msisdn"]) == ("standby", "inactive", "+46701234567")
    [(action, before, after)] = audit_of(demo, "sub:2019101")
    assert (action, before) == ("sub.create", None)
    assert json.loads(after) == {
        "customer": "1001",
        "issi": 2019101,
        "kind": "standard",
        "msisdn": None,
        "status": "inactive",
        "tei": "00000000000F101",
    }


def test_new_issis_around_stored_and_retired_ones_are_created_and_those_left_alone(demo, tmp_path):
    # 2010001..2010112 hold subscriptions, 2010012 was given up in an ISSI change (the demo's)
    stored = sub(demo, 2010112)
    assert stored is not None and sub(demo, 2010000) is None and sub(demo, 2010200) is None
    before = demo.snapshot()
    path = sheet(
        tmp_path / "s.csv",
        ["1001", "2010000", "", "", "", "active"],
        ["1001", "2010200", "", "", "", "active"],
    )
    r = demo.cli("sub", "import", str(path), "-f", "json")
    assert r.code == 0, r.stderr
    assert (r.json()["created"], r.json()["updated"], r.json()["unchanged"]) == (2, 0, 0)
    after = demo.snapshot()["subscriptions"]
    assert set(before["subscriptions"]) <= set(after) and len(after) == len(before["subscriptions"]) + 2
    assert sub(demo, 2010000)["status"] == sub(demo, 2010200)["status"] == "active"


@pytest.mark.parametrize("dry", [True, False])
def test_a_file_of_new_changed_and_unchanged_rows_counts_each(demo, tmp_path, dry):
    kept, changed = sub(demo, 2010001), sub(demo, 2010002)
    new_status = "inactive" if changed["status"] == "active" else "active"
    path = sheet(
        tmp_path / "s.csv",
        ["1001", "2019201", "", "", "", ""],
        ["1001", "2010002", "", "", "", new_status],
        ["1001", "2010001", kept["tei"] or "", kept["msisdn"] or "", kept["kind"], kept["status"]],
    )
    args = ["sub", "import", str(path), "-f", "json"] + (["--dry-run"] if dry else [])
    r = demo.cli(*args)
    assert r.code == 0, r.stderr
    data = r.json()
    assert (data["created"], data["updated"], data["unchanged"]) == (1, 1, 1)
    if dry:
        assert data["rows"] == [
            {"row": 2, "issi": 2019201, "action": "create", "changes": {}},
            {
                "row": 3,
                "issi": 2010002,
                "action": "update",
                "changes": {"status": [changed["status"], new_status]},
            },
        ]
        assert sub(demo, 2019201) is None
    else:
        assert sub(demo, 2019201)["status"] == "inactive"
        assert sub(demo, 2010002)["status"] == new_status
        assert sub(demo, 2010001) == kept


def test_a_dry_run_of_new_rows_lists_each_as_a_create(demo, tmp_path):
    path = sheet(
        tmp_path / "s.csv",
        ["1001", "2019302", "", "", "", ""],
        ["1002", "2019301", "", "", "standby", "inactive"],
    )
    before = demo.snapshot()
    r = demo.cli("sub", "import", str(path), "--dry-run", "-f", "json")
    assert r.code == 0, r.stderr
    assert r.json()["rows"] == [
        {"row": 2, "issi": 2019302, "action": "create", "changes": {}},
        {"row": 3, "issi": 2019301, "action": "create", "changes": {}},
    ]
    assert (r.json()["created"], r.json()["dry_run"]) == (2, True)
    assert demo.snapshot() == before


def test_a_good_file_naming_an_unknown_customer_is_refused(demo, tmp_path):
    path = sheet(
        tmp_path / "s.csv",
        ["1001", "2019401", "", "", "", ""],
        ["9999", "2019402", "", "", "", ""],
    )
    refused(
        demo,
        ["sub", "import", str(path)],
        3,
        f"{path}:3: customer: no customer 9999; add it first with `ops roster customer add`",
    )


def test_a_good_file_by_an_actor_of_another_customer_is_refused(demo, tmp_path):
    path = sheet(
        tmp_path / "s.csv",
        ["1001", "2019501", "", "", "", ""],
        ["1002", "2019502", "", "", "", ""],
    )
    refused(demo, ["sub", "import", str(path), "--by", ORDERER], 5, "is not in the roster of customer 1002")


def test_new_rows_meet_the_subscription_rules(demo, tmp_path):
    standby = sheet(tmp_path / "a.csv", ["1001", "2019601", "", "", "standby", "active"])
    refused(
        demo,
        ["sub", "import", str(standby)],
        3,
        f"{standby}:2: status: ISSI 2019601 is a standby subscription: activating it needs the reference",
    )
    terminated = sheet(tmp_path / "b.csv", ["1001", "2019602", "", "", "", "terminated"])
    refused(
        demo,
        ["sub", "import", str(terminated), "--by", ORDERER],
        3,
        f"{terminated}:2: status: ISSI 2019602: terminating needs --confirm-reset",
    )


def test_a_new_row_taking_a_tei_bound_in_the_store_is_refused(demo, tmp_path):
    held = sub(demo, 2010001)
    assert held["tei"] and held["status"] != "terminated"
    path = sheet(
        tmp_path / "s.csv",
        ["1001", "2019701", "", "", "", ""],
        ["1001", "2019702", held["tei"], "", "", ""],
    )
    refused(
        demo,
        ["sub", "import", str(path)],
        6,
        f"{path}:3: tei: TEI {held['tei']} is bound to ISSI 2010001, which is not terminated",
    )


@pytest.mark.parametrize("status", ["", "inactive"])
def test_a_held_row_with_an_empty_tei_cell_keeps_its_tei_against_the_file(demo, tmp_path, status):
    # (was exit 1, "UNIQUE constraint failed": a holder the file names was taken to give its TEI up)
    held = sub(demo, 2010001)
    path = sheet(
        tmp_path / "s.csv",
        ["1001", "2010001", "", "", "", status],
        ["1001", "2019801", held["tei"], "", "", ""],
    )
    refused(
        demo,
        ["sub", "import", str(path)],
        6,
        f"{path}:3: tei: TEI {held['tei']} is bound to ISSI 2010001, which is not terminated",
    )
    unchanged = sheet(tmp_path / "u.csv", ["1001", "2010001", "", "", "", ""])
    before = demo.snapshot()
    r = demo.cli("sub", "import", str(unchanged), "-f", "json")
    assert r.code == 0, r.stderr
    assert (r.json()["created"], r.json()["updated"], r.json()["unchanged"]) == (0, 0, 1)
    assert demo.snapshot() == before


@pytest.mark.parametrize(
    "issis",
    [
        ["2019901", "2019903"],  # the store holds no ISSI between them
        ["2010000", "2010200"],  # it holds some (2010001...), the file names none of them
    ],
)
def test_an_import_of_new_rows_records_each_insert_and_is_undone(demo, tmp_path, issis):
    before = domain(demo)
    path = sheet(tmp_path / "s.csv", *[["1001", issi, "", "", "", ""] for issi in issis])
    ok(demo, "sub", "import", str(path))
    number = last_changeset(demo)
    conn = store_db.connect(demo.db)
    try:
        changed = conn.execute(
            "SELECT tbl, op, rid FROM row_changes WHERE changeset_id = ? ORDER BY id", (number,)
        ).fetchall()
    finally:
        conn.close()
    assert [(tbl, op) for tbl, op, _ in changed] == [("subscriptions", "insert")] * len(issis)
    if not store_db.is_pg(demo.db):  # (PostgreSQL's row ids are its own, not the ISSIs)
        assert [rid for _, _, rid in changed] == [int(issi) for issi in issis]
    images = after_images(demo, number, "subscriptions")
    assert [(a["issi"], a["kind"], a["status"]) for a in images] == [
        (int(issi), "standard", "inactive") for issi in issis
    ]
    ok(demo, "undo", str(number), "--yes")
    assert domain(demo) == before


def test_rows_are_staged_in_blocks_across_chunks_and_a_late_repeat_is_found(demo, tmp_path, monkeypatch):
    from ops_cli.subscriptions.importing import SubscriptionImporter

    monkeypatch.setattr(SubscriptionImporter, "chunk", 250)  # blocks of 200 rows inside each chunk
    rows = [["1001", str(2100001 + i), f"0000000000{i:05X}", "", "", ""] for i in range(450)]
    repeat = ["1001", "2100002", "", "", "", ""]  # row 3's ISSI again, in the second chunk's second block
    path = sheet(tmp_path / "bad.csv", *rows, repeat)
    refused(demo, ["sub", "import", str(path)], 3, f"{path}:452: issi: ISSI 2100002 is also in row 3")
    r = demo.cli("sub", "import", str(sheet(tmp_path / "ok.csv", *rows)), "-f", "json")
    assert r.code == 0, r.stderr
    assert r.json()["created"] == 450
    assert sub(demo, 2100450)["tei"] == f"0000000000{449:05X}"


def test_a_termination_and_a_standby_activation_with_both_options_are_written(demo, tmp_path):
    # (was exit 1, "Incorrect number of bindings supplied": the form's value was bound once)
    path = sheet(
        tmp_path / "s.csv",
        ["1001", "2010021", "", "", "", "active"],  # a stored standby subscription, set active
        ["1001", "2010002", "", "", "", "terminated"],
        ["1001", "2019991", "", "", "standby", "active"],  # a new one
    )
    args = ["--by", ORDERER, "--confirm-reset", "--form", "R30-2026-118", "-f", "json"]
    r = demo.cli("sub", "import", str(path), *args)
    assert r.code == 0, r.stderr
    assert (r.json()["created"], r.json()["updated"]) == (1, 2)
    afters = {obj: json.loads(after) for obj, after in _afters(demo)}
    assert afters["sub:2010021"]["form_r30"] == afters["sub:2019991"]["form_r30"] == "R30-2026-118"
    assert afters["sub:2010002"]["reset_confirmed"] is True and "form_r30" not in afters["sub:2010002"]
    assert "reset_confirmed" not in afters["sub:2010021"]


def _afters(env):
    conn = store_db.connect(env.db)
    try:
        return conn.execute(
            "SELECT object, after FROM audit WHERE action IN ('sub.create', 'sub.update') ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


def test_a_tei_kept_by_another_customers_row_of_the_file_is_not_named(demo, tmp_path):
    held = sub(demo, 2020001)
    path = sheet(
        tmp_path / "s.csv",
        ["1002", "2020001", "", "", "", ""],
        ["1001", "2019811", held["tei"], "", "", ""],
    )
    r = refused(
        demo,
        ["sub", "import", str(path)],
        6,
        f"{path}:3: tei: TEI {held['tei']} is bound to a live subscription of another customer",
    )
    assert "2020001" not in r.stderr.split("\n", 1)[1]


def test_a_tei_given_up_by_a_termination_in_the_file_may_be_taken(demo, tmp_path):
    held = sub(demo, 2010005)
    path = sheet(
        tmp_path / "s.csv",
        ["1001", "2010005", "", "", "", "terminated"],
        ["1001", "2019821", held["tei"], "", "", "active"],
    )
    r = demo.cli("sub", "import", str(path), "--by", ORDERER, "--confirm-reset", "-f", "json")
    assert r.code == 0, r.stderr
    assert (r.json()["created"], r.json()["updated"]) == (1, 1)
    assert sub(demo, 2010005)["status"] == "terminated"
    assert sub(demo, 2019821)["tei"] == held["tei"]


def test_a_held_row_may_take_the_tei_of_one_the_file_terminates_and_undo_puts_both_back(demo, tmp_path):
    # (was exit 1, "UNIQUE constraint failed": both were changed by one statement, the taker first)
    before = domain(demo)
    ending = sub(demo, 2010017)
    path = sheet(
        tmp_path / "s.csv",
        ["1001", "2010007", ending["tei"], "", "", ""],
        ["1001", "2010017", "", "", "", "terminated"],
    )
    r = demo.cli("sub", "import", str(path), "--by", ORDERER, "--confirm-reset", "-f", "json")
    assert r.code == 0, r.stderr
    assert (r.json()["created"], r.json()["updated"]) == (0, 2)
    assert sub(demo, 2010007)["tei"] == ending["tei"] == sub(demo, 2010017)["tei"]
    assert sub(demo, 2010017)["status"] == "terminated"
    ok(demo, "undo", str(last_changeset(demo)), "--yes")
    assert domain(demo) == before


def test_a_file_of_more_customers_than_are_kept_is_checked_on_its_staged_rows(demo, tmp_path, monkeypatch):
    from ops_cli.subscriptions import importing

    monkeypatch.setattr(importing, "KEPT_CUSTOMERS", 1)
    bad = sheet(
        tmp_path / "bad.csv", ["1001", "2019931", "", "", "", ""], ["9999", "2019932", "", "", "", ""]
    )
    refused(demo, ["sub", "import", str(bad)], 3, f"{bad}:3: customer: no customer 9999")
    by = sheet(tmp_path / "by.csv", ["1001", "2019931", "", "", "", ""], ["1002", "2019932", "", "", "", ""])
    refused(demo, ["sub", "import", str(by), "--by", ORDERER], 5, "is not in the roster of customer 1002")
    r = demo.cli("sub", "import", str(by), "-f", "json")
    assert r.code == 0, r.stderr
    assert r.json()["created"] == 2

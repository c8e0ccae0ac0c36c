"""`sub activate/deactivate --file` on a big file (issue 16): set-based, with every guarantee of
a small one: undo images that `ops undo` restores exactly, one audit record per changed
subscription, all-or-nothing refusals that leave the store as it was, a dry run."""

from __future__ import annotations

import json

import pytest
from helpers.changesets import domain_of as domain
from helpers.changesets import undo_images
from helpers.db import query
from helpers.refusals import refused
from helpers.sheets import write_csv

from ops_cli import roster
from ops_cli.subscriptions import import_subscriptions

ORDERER = "anna.berg@polisen.example"
FIRST = 2_000_001
SIZE = 30_000


def tei(n: int) -> str:
    return f"A{n:014X}"


@pytest.fixture
def fleet(env, ops):
    """SIZE active subscriptions of customer 1001 (every 1000th one a standby one, every 997th
    inactive), desk office hours."""
    roster.add_customer(ops, "1001", name="Polisregion Syd")
    roster.add_entry(ops, "1001", ORDERER, "Anna Berg", ["orderer"])
    rows = (
        ["1001", FIRST + i, tei(FIRST + i), "standby" if i % 1000 == 0 else "standard",
         "inactive" if i % 997 == 0 else "active"]
        for i in range(SIZE)
    )  # fmt: skip
    path = write_csv(env.tmp / "fleet.csv", ["customer", "issi", "tei", "kind", "status"], rows)
    import_subscriptions(ops, path, form="R30-1")
    env.now = "2026-11-18T10:00"  # a Wednesday in desk office hours
    return env


def test_deactivate_30k_then_undo_restores_exactly(fleet):
    path = write_csv(fleet.tmp / "off.csv", ["issi"], ([FIRST + i] for i in reversed(range(SIZE))))
    before = fleet.snapshot()
    run = fleet.cli(
        "sub", "deactivate", "--file", str(path), "--form", "R30-9", "--by", ORDERER, "-f", "json"
    )
    assert run.code == 0, run.stderr
    data = run.json()
    inactive = len(range(0, SIZE, 997))
    assert (data["changed"], data["unchanged"]) == (SIZE - inactive, inactive)
    assert [s["issi"] for s in data["subscriptions"][:2]] == [
        FIRST + SIZE - 1,
        FIRST + SIZE - 2,
    ]  # file order
    assert all(s["status"] == "inactive" for s in data["subscriptions"])
    db = fleet.snapshot()
    subs = {r[0]: r for r in db["subscriptions"]}
    assert all(r[5] == "inactive" for r in subs.values())

    # one audit record per changed subscription, the images as audit_many writes them
    audit = query(
        fleet.db,
        "SELECT object, before, after, changeset_id FROM audit WHERE action = 'sub.deactivate' ORDER BY id",
    )
    assert len(audit) == SIZE - inactive
    assert audit[0][:3] == (f"sub:{FIRST + 1}", '{"status": "active"}', '{"status": "inactive"}')
    standby = [r for r in audit if r[0] == f"sub:{FIRST + 1000}"]
    assert standby[0][2] == '{"form_r30": "R30-9", "status": "inactive"}'
    (changeset,) = {r[3] for r in audit}

    # the undo images: every column before and after, for exactly the changed rows
    images = undo_images(fleet, changeset, "subscriptions")
    assert len(images) == SIZE - inactive and {r[0] for r in images} == {"update"}
    old = {r[0]: r for r in before["subscriptions"]}
    for _, was, now in images[:50] + images[-50:]:  # every column
        assert len(was) == len(now) == len(old[was["issi"]])
        stored = old[was["issi"]]
        assert (was["tei"], was["status"], was["updated_at"]) == (tei(was["issi"]), "active", stored[-1])
        assert sorted(map(str, now.values())) == sorted(map(str, subs[now["issi"]]))
        assert now["status"] == "inactive" and now["updated_at"] != was["updated_at"]

    undone = fleet.cli("undo", str(changeset), "--yes")
    assert undone.code == 0, undone.stderr
    assert domain(fleet.snapshot()) == domain(before)


def test_unknown_issis_in_a_big_file_change_nothing(fleet):
    numbers = [FIRST + i for i in range(SIZE)] + [2_999_001, 2_999_002]
    path = write_csv(fleet.tmp / "off.csv", ["issi"], ([n] for n in numbers))
    refused(
        fleet, 4, "2 ISSIs have no subscription: 2999001, 2999002; nothing was changed",
        "sub", "deactivate", "--file", str(path), "--by", ORDERER,
    )  # fmt: skip


def test_a_standby_without_the_form_changes_nothing(fleet):
    path = write_csv(fleet.tmp / "off.csv", ["issi"], ([FIRST + i] for i in range(1, 2500)))
    refused(
        fleet, 3, "ISSI 2001001, 2002001 are standby subscriptions",
        "sub", "deactivate", "--file", str(path), "--by", ORDERER,
    )  # fmt: skip


def test_dry_run_of_a_big_file_writes_nothing(fleet):
    path = write_csv(fleet.tmp / "off.csv", ["issi"], ([FIRST + i] for i in range(1, 1000)))
    before = fleet.snapshot()
    run = fleet.cli("sub", "deactivate", "--file", str(path), "--by", ORDERER, "--dry-run", "-f", "json")
    assert run.code == 0, run.stderr
    data = run.json()
    assert data["changed"] == 999 - 1  # FIRST + 997 is inactive already
    assert len(data["changes"]) == 998
    assert fleet.snapshot() == before


def test_activate_back_is_one_statement_set_too(fleet):
    path = write_csv(fleet.tmp / "on.csv", ["issi"], ([FIRST + i] for i in range(0, SIZE, 997)))
    run = fleet.cli("sub", "activate", "--file", str(path), "--form", "R30-2", "--by", ORDERER, "-f", "json")
    assert run.code == 0, run.stderr
    assert (run.json()["changed"], run.json()["unchanged"]) == (len(range(0, SIZE, 997)), 0)
    assert query(fleet.db, "SELECT count(*) FROM subscriptions WHERE status <> 'active'") == [(0,)]


def test_terminate_a_file_then_undo(fleet):
    path = write_csv(fleet.tmp / "gone.csv", ["issi"], ([FIRST + i] for i in range(3000)))
    before = fleet.snapshot()
    run = fleet.cli(
        "sub", "terminate", "--file", str(path), "--confirm-reset", "--by", ORDERER, "--yes", "-f", "json"
    )  # fmt: skip
    assert run.code == 0, run.stderr
    assert (run.json()["changed"], run.json()["unchanged"]) == (3000, 0)
    audit = query(
        fleet.db,
        "SELECT object, before, after, changeset_id FROM audit WHERE action = 'sub.terminate' ORDER BY id",
    )
    assert len(audit) == 3000
    assert audit[1][:3] == (
        f"sub:{FIRST + 1}",
        f'{{"status": "active", "tei": "{tei(FIRST + 1)}"}}',
        f'{{"reset_confirmed": true, "status": "terminated", "tei_released": "{tei(FIRST + 1)}"}}',
    )
    assert audit[0][1] == f'{{"status": "inactive", "tei": "{tei(FIRST)}"}}'  # FIRST was inactive
    assert query(fleet.db, "SELECT count(*) FROM subscriptions WHERE status = 'terminated'") == [(3000,)]
    undone = fleet.cli("undo", str(audit[0][3]), "--yes")
    assert undone.code == 0, undone.stderr
    assert domain(fleet.snapshot()) == domain(before)


@pytest.mark.parametrize(
    ("extra", "code", "message"),
    [
        ([], 3, "decommissioning needs --confirm-reset"),
        (["--confirm-reset", "2999999"], 4, "2 ISSIs have no subscription: 2999999, 2999001"),
    ],
)
def test_terminate_a_file_refused_changes_nothing(fleet, extra, code, message):
    path = write_csv(fleet.tmp / "gone.csv", ["issi"], [[FIRST], [2_999_001], [FIRST + 1]])
    if code == 3:
        path = write_csv(fleet.tmp / "gone.csv", ["issi"], [[FIRST], [FIRST + 1]])
    refused(fleet, code, message, "sub", "terminate", *extra, "--file", str(path), "--by", ORDERER, "--yes")


def test_terminate_without_any_issi_says_so(fleet):
    refused(fleet, 3, "no ISSI given; name one or more ISSIs", "sub", "terminate", "--by", ORDERER)


@pytest.mark.sqlite_only("the one-pass images are SQLite's; PostgreSQL takes the snapshot way")
def test_one_pass_images_are_the_texts_the_capture_triggers_write(fleet, ops):
    from ops_cli.store import changes

    path = write_csv(fleet.tmp / "off.csv", ["issi"], ([FIRST + i] for i in range(1, 400)))
    olds = {r[0]: r for r in query(fleet.db, "SELECT * FROM subscriptions WHERE issi < ?", (FIRST + 400,))}
    run = fleet.cli("sub", "deactivate", "--file", str(path), "--by", ORDERER)
    assert run.code == 0, run.stderr
    image = changes._image(changes.columns(ops.store.conn, "subscriptions"), "s")
    now = dict(query(fleet.db, f"SELECT s.rowid, {image} FROM subscriptions AS s"))
    updates = "SELECT rid, before, after FROM row_changes WHERE op = 'update' AND tbl = 'subscriptions'"
    rows = query(fleet.db, updates + " ORDER BY id")
    assert [r[0] for r in rows] == [FIRST + i for i in range(1, 400)]  # row-id order, each once
    (changeset,) = {r[0] for r in query(fleet.db, "SELECT changeset_id FROM row_changes WHERE op = 'update'")}
    read = undo_images(fleet, changeset, "subscriptions")
    for (rid, before, _), (_, was, after) in zip(rows, read, strict=True):
        assert after == json.loads(now[rid])  # the row as the deactivation left it, every column
        assert tuple(json.loads(before).values()) == olds[rid] == tuple(was.values())

"""Bulk status changes write their audit set-based (issue 16): ``audit_many`` keeps the records
``Store.audit`` would write, one per changed subscription, and ``ops undo`` still reverts them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from helpers.db import query
from test_sub_support import ORDERER, build_world, write_csv, write_xlsx

from ops_cli.store.audit import BUSINESS_CLOCK_SLACK, audit_many, audit_times

OFFICE = "2026-11-18T10:00"  # a Wednesday in desk office hours
COLUMNS = "actor, action, object, before, after, business_at, origin, changeset_id"


@pytest.fixture
def world(env, ops):
    build_world(ops, env.tmp)
    env.now = OFFICE
    return env


def test_audit_many_writes_what_audit_writes_one_by_one(ops):
    at = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    records = [
        ("anna@x.example", "sub.deactivate", "sub:1", {"status": "active"}, {"status": "inactive"}),
        ("anna@x.example", "sub.deactivate", "sub:2", None, {"ö": [1, 2], "a": "å"}),
    ]
    with ops.store.write() as st:
        for actor, action, obj, before, after in records:
            st.audit(actor, action, obj, before, after, at=at)
    with ops.store.write() as st:
        assert audit_many(st, records, at=at) == 2
        assert audit_many(st, [], at=at) == 0
    rows = ops.store.query(f"SELECT {COLUMNS} FROM audit ORDER BY id")[-4:]
    one_by_one, many = [tuple(r)[:-1] for r in rows[:2]], [tuple(r)[:-1] for r in rows[2:]]
    assert one_by_one == many
    assert many[0][5] == "2026-03-02T09:30:00+00:00"  # the business time kept beside the real one
    assert rows[0]["changeset_id"] == rows[1]["changeset_id"] != rows[2]["changeset_id"]
    assert rows[2]["changeset_id"] == rows[3]["changeset_id"]


def test_audit_many_refuses_outside_a_write_transaction(ops):
    with pytest.raises(RuntimeError):
        audit_many(ops.store, [("a", "b", "c", None, None)])


def test_business_time_only_when_it_differs_from_the_real_clock():
    now = datetime.now(UTC)
    assert audit_times(None)[1] is None
    assert audit_times(now + BUSINESS_CLOCK_SLACK / 2)[1] is None
    real, business = audit_times(now - timedelta(days=3))
    assert business == (now - timedelta(days=3)).isoformat(timespec="seconds")
    assert real >= now.isoformat(timespec="seconds")


@pytest.mark.parametrize("sheet", ["csv", "xlsx"])
def test_a_file_deactivation_audits_each_changed_subscription_once(world, sheet):
    issis = [2010001, 2010002, 2010025, 2010003]  # 2010025 is already inactive
    writer = write_csv if sheet == "csv" else write_xlsx
    path = writer(world.tmp / f"off.{sheet}", ["issi"], [[str(i) if sheet == "csv" else i] for i in issis])
    before = world.snapshot()
    result = world.cli("sub", "deactivate", "--file", str(path), "--by", ORDERER, "-f", "json")
    assert result.code == 0, result.stderr
    data = result.json()
    assert (data["changed"], data["unchanged"]) == (3, 1)
    assert [s["issi"] for s in data["subscriptions"]] == issis
    assert [s["changed"] for s in data["subscriptions"]] == [True, True, False, True]
    rows = query(
        world.db,
        "SELECT actor, action, object, before, after, changeset_id FROM audit"
        " WHERE action = 'sub.deactivate' ORDER BY id",
    )
    assert [r[:5] for r in rows] == [
        (ORDERER, "sub.deactivate", f"sub:{n}", '{"status": "active"}', '{"status": "inactive"}')
        for n in (2010001, 2010002, 2010003)
    ]
    (changeset,) = {r[5] for r in rows}
    assert changeset is not None
    captured = query(
        world.db,
        "SELECT count(*) FROM row_changes WHERE changeset_id = ? AND tbl = 'subscriptions'",
        (changeset,),
    )
    assert captured == [(3,)]
    undone = world.cli("undo", str(changeset), "--yes")
    assert undone.code == 0, undone.stderr
    after = world.snapshot()
    assert {t: r for t, r in after.items() if t not in ("audit", "changesets", "row_changes")} == {
        t: r for t, r in before.items() if t not in ("audit", "changesets", "row_changes")
    }


def test_standby_and_urgent_images(world):
    world.now = "2026-11-22T03:00"  # Sunday night: only urgent
    result = world.cli(
        "sub", "activate", "2010029", "2010026", "--form", "R30-7", "--urgent", "--by", ORDERER, "-f", "json"
    )
    assert result.code == 0, result.stderr
    rows = query(
        world.db, "SELECT object, before, after, business_at FROM audit WHERE action = 'sub.activate'"
    )
    assert sorted(rows) == [
        (
            "sub:2010026",
            '{"status": "inactive"}',
            '{"status": "active", "urgent": true}',
            "2026-11-22T02:00:00+00:00",
        ),
        (
            "sub:2010029",
            '{"status": "inactive"}',
            '{"form_r30": "R30-7", "status": "active", "urgent": true}',
            "2026-11-22T02:00:00+00:00",
        ),
    ]


def test_terminate_audits_status_and_tei(world):
    result = world.cli("sub", "terminate", "2010001", "2010002", "--confirm-reset", "--by", ORDERER, "--yes")
    assert result.code == 0, result.stderr
    rows = query(
        world.db, "SELECT object, before, after FROM audit WHERE action = 'sub.terminate' ORDER BY id"
    )
    assert [r[0] for r in rows] == ["sub:2010001", "sub:2010002"]
    assert rows[0][1] == f'{{"status": "active", "tei": "A{2010001:014X}"}}'
    assert (
        rows[0][2]
        == f'{{"reset_confirmed": true, "status": "terminated", "tei_released": "A{2010001:014X}"}}'
    )

"""Issue 12 for subscriptions: checks inside the write transaction, actors on every --by, and the
rule functions the importer calls."""

from __future__ import annotations

import subprocess
import time

import pytest
from conftest import OPS_BIN
from helpers import db as store_db
from test_sub_support import ORDERER, OTHER_ORDERER, VIEWER, build_world, write_csv

from ops_cli.subscriptions import actor_may, check_import_row_rules, load_retired_issis

OFFICE = "2026-11-18T10:00"
AGENT = "tove@desk.example"


@pytest.fixture
def world(env, ops):
    env.config.write_text(f'[desk]\nagents = ["{AGENT}"]\n')
    ops.config["desk"]["agents"] = [AGENT]
    build_world(ops, env.tmp)
    env.now = OFFICE
    return env


def status_of(env, issi):
    conn = store_db.connect(env.db)
    try:
        return conn.execute("SELECT status FROM subscriptions WHERE issi = ?", (issi,)).fetchone()[0]
    finally:
        conn.close()


def refused(env, code, *args, messages=()):
    before = env.snapshot()
    result = env.cli(*args)
    assert result.code == code, (result.code, result.stderr)
    assert result.stderr.startswith("error: ")
    for message in messages:
        assert message in result.stderr, result.stderr
    assert env.snapshot() == before
    return result


# ------------------------------------------------------------------ the race of issue 12
def test_activate_file_waiting_behind_terminate_never_revives_it(world):
    """`sub activate --file` starts while a terminate holds the write lock: it must see the terminate."""
    path = write_csv(world.tmp / "issis.csv", ["issi"], [[2010025], [2010026]])
    with store_db.write_lock(world.db) as conn:
        conn.execute("UPDATE subscriptions SET status = 'terminated' WHERE issi = 2010026")
        proc = subprocess.Popen(
            [str(OPS_BIN), "sub", "activate", "--file", str(path), "--by", ORDERER],
            env=world.environ(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(1.5)  # let it read (old code read the rows here, before waiting for the lock)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 6, err
    assert "error: ISSI 2010026 is terminated and cannot be activated; nothing was changed" in err
    assert status_of(world, 2010026) == "terminated"
    assert status_of(world, 2010025) == "inactive"


# ------------------------------------------------------------------ actors on every --by
def test_desk_agent_may_activate_and_terminate(world):
    result = world.cli("sub", "activate", "2010025", "--by", AGENT)
    assert result.code == 0, result.stderr
    result = world.cli("sub", "terminate", "2010025", "--by", AGENT, "--confirm-reset", "--yes")
    assert result.code == 0, result.stderr


@pytest.mark.parametrize("command", ["activate", "deactivate", "terminate"])
def test_unknown_actor_refused_and_not_audited(world, command):
    extra = ("--confirm-reset", "--yes") if command == "terminate" else ()
    result = refused(
        world,
        5,
        "sub",
        command,
        "2010001",
        "--by",
        "mallory@evil.example",
        *extra,
        messages=("mallory@evil.example is neither one of the desk's agents",),
    )
    assert "1001" not in result.stderr


def test_foreign_orderer_terminate_never_names_the_owner(world):
    result = refused(
        world,
        5,
        "sub",
        "terminate",
        "2010001",
        "--by",
        OTHER_ORDERER,
        "--confirm-reset",
        "--yes",
        messages=("error: ISSI 2010001 is not a subscription of customer 1002",),
    )
    assert "1001" not in result.stderr and "Polis" not in result.stderr


def test_viewer_may_not_terminate(world):
    refused(
        world,
        5,
        "sub",
        "terminate",
        "2010001",
        "--by",
        VIEWER,
        "--confirm-reset",
        "--yes",
        messages=("order needs the role orderer",),
    )


# ------------------------------------------------------------------ rules for the importer
OLD = {"issi": 2010001, "customer": "1001", "tei": None, "kind": "standard", "status": "active"}


def rule(old, new, **kw):
    args = {"retired": set(), "confirm_reset": False, "may_order": True, "form": None} | kw
    return check_import_row_rules(old, new, **args)


def test_import_rule_terminated_needs_confirm_reset_and_an_orderer():
    new = {**OLD, "status": "terminated"}
    assert rule(OLD, new, confirm_reset=True) is None
    column, message = rule(OLD, new)
    assert column == "status" and "needs --confirm-reset" in message
    column, message = rule(OLD, new, confirm_reset=True, may_order=False)
    assert message == "ISSI 2010001: only an orderer may terminate a subscription"
    assert rule({**OLD, "status": "terminated"}, new) is None  # already terminated: nothing to confirm
    assert rule(None, {**new, "issi": 2010999}, confirm_reset=True) is None


def test_import_rule_standby_set_active_needs_r30():
    old = {**OLD, "kind": "standby", "status": "inactive"}
    new = {**old, "status": "active"}
    column, message = rule(old, new)
    assert column == "status" and "form R30" in message
    assert rule(old, new, form="R30-2026-117") is None
    assert rule(new, new) is None  # already active


def test_import_rule_given_up_issi_never_reused():
    new = {**OLD, "issi": 2010002}
    assert rule(None, new, retired={2010002}) == (
        "issi",
        "ISSI 2010002 was given up in an ISSI change and is never reused",
    )
    assert rule(None, new) is None


def test_rule_helpers_read_the_store(world, ops):
    assert load_retired_issis(ops.store) == set()
    assert actor_may(ops.store, ops.config, "1001", ORDERER, "order") is True
    assert actor_may(ops.store, ops.config, "1001", VIEWER, "order") is False
    assert actor_may(ops.store, ops.config, "1001", AGENT, "order") is True
    assert actor_may(ops.store, ops.config, "1001", None, "order") is True

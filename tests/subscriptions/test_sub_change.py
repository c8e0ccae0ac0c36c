"""`ops sub change`: bulk ISSI/TEI change orders, their validation and the promised date."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from helpers import db as store_db
from hypothesis import given, settings
from hypothesis import strategies as st
from test_sub_support import (
    CONTACT,
    ORDERER,
    OTHER_ORDERER,
    build_world,
    change_file,
    new_tei,
    tei,
    tei_changes,
)

from ops_cli.context import Ops
from ops_cli.errors import Conflict
from ops_cli.subscriptions import promised_date


@pytest.fixture
def world(env, ops):
    build_world(ops, env.tmp)
    return env


def change(env, path, *args, at=None, customer="1001", by=ORDERER, fmt="json"):
    extra = ["--at", at] if at else []
    return env.cli("sub", "change", str(path), "--customer", customer, "--by", by, "-f", fmt, *extra, *args)


def deliver(env, case, at="2026-11-19T10:00"):
    result = env.cli("sub", "deliver", case, "--at", at, "-f", "json")
    assert result.code == 0, result.stderr
    return result.json()


def sub_row(env, issi):
    conn = store_db.connect(env.db)
    try:
        return conn.execute("SELECT issi, tei, status FROM subscriptions WHERE issi = ?", (issi,)).fetchone()
    finally:
        conn.close()


# ------------------------------------------------------------------ promised date (the seed's numbers)
@pytest.mark.parametrize(
    ("received", "changes", "due"),
    [
        # Wednesday: 10 changes -> 5 working days, 11 -> 10 working days
        ("2026-11-18T10:00", 10, "2026-11-25"),
        ("2026-11-18T10:00", 11, "2026-12-02"),
        ("2026-11-18T10:00", 1, "2026-11-25"),
        # Saturday counts as received on Monday 2026-11-23
        ("2026-11-21T10:00", 3, "2026-11-30"),
        ("2026-11-21T10:00", 11, "2026-12-07"),
        # Midsummer eve (Fri 2026-06-19) is not a working day: received Monday 06-22
        ("2026-06-19T09:00", 5, "2026-06-29"),
        ("2026-06-18T09:00", 5, "2026-06-26"),
        # Christmas: 24, 25 Dec and New Year's eve/day and Epiphany (6 Jan) are days off
        ("2026-12-23T10:00", 5, "2027-01-05"),
        ("2026-12-24T10:00", 5, "2027-01-07"),
        ("2026-12-31T10:00", 5, "2027-01-12"),
        # a weekday evening is still that day's receipt
        ("2026-11-18T23:30", 2, "2026-11-25"),
    ],
)
def test_promised_date(ops, received, changes, due):
    result = promised_date(ops, ops.at(received), changes)
    assert result["due"] == date.fromisoformat(due)


def test_receipt_day_of_a_saturday_order_is_monday(ops):
    result = promised_date(ops, ops.at("2026-11-21T10:00"), 3)
    assert result["receipt_day"] == date(2026, 11, 23)
    assert result["working_days"] == 5


def test_thresholds_come_from_config(env):
    env.config.write_text("[orders]\nsmall_order_max = 2\nsmall_order_days = 3\nlarge_order_days = 7\n")
    ops = Ops.open(config_path=env.config, db_path=env.db)
    try:
        assert promised_date(ops, ops.at("2026-11-18T10:00"), 2)["due"] == date(2026, 11, 23)
        assert promised_date(ops, ops.at("2026-11-18T10:00"), 3)["due"] == date(2026, 11, 27)
    finally:
        ops.close()


@pytest.mark.parametrize(
    ("at", "reason"),
    [
        ("2026-11-18T17:00", "outside them"),
        ("2026-11-18T07:59", "outside them"),
        ("2026-11-21T10:00", "2026-11-21 is a Saturday, not a working day"),
        ("2026-06-19T10:00", "2026-06-19 is a holiday (Midsummer Eve), not a working day"),
        ("2026-12-24T10:00", "is a holiday (Christmas Eve)"),
    ],
)
def test_urgent_refused_outside_desk_hours(ops, at, reason):
    with pytest.raises(Conflict, match=r"urgent changes are done only in desk office hours") as info:
        promised_date(ops, ops.at(at), 2, urgent=True)
    assert reason in info.value.message


def test_urgent_due_the_same_day(ops):
    result = promised_date(ops, ops.at("2026-11-18T16:59"), 3, urgent=True)
    assert result["due"] == date(2026, 11, 18)
    assert result["working_days"] == 0


# ------------------------------------------------------------------ the command: orders that go through
def test_ten_changes_promised_in_five_working_days(world):
    path = change_file(world.tmp, tei_changes(list(range(2010001, 2010011))))
    result = change(world, path, at="2026-11-18T10:00")
    assert result.code == 0, result.stderr
    data = result.json()
    assert {k: data[k] for k in ("case", "changes", "due")} == {
        "case": "2026-00001",
        "changes": 10,
        "due": "2026-11-25",
    }
    assert data["urgent"] is False
    assert data["status"] == "pending"
    assert "promised by Wed 2026-11-25 (5 working days after 2026-11-18)" in result.stderr
    # registered, not applied (issue 13.16): the subscriptions keep their TEIs until delivery
    for issi in range(2010001, 2010011):
        assert sub_row(world, issi)[1] == tei(issi)
    deliver(world, data["case"])
    for issi in range(2010001, 2010011):
        assert sub_row(world, issi)[1] == new_tei(issi)


def test_eleven_changes_promised_in_ten_working_days(world):
    path = change_file(world.tmp, tei_changes(list(range(2010001, 2010012))))
    result = change(world, path, at="2026-11-18T10:00")
    assert result.code == 0, result.stderr
    assert result.json()["changes"] == 11
    assert result.json()["due"] == "2026-12-02"


def test_saturday_order_via_ops_now(world):
    world.now = "2026-11-21T11:00"
    path = change_file(world.tmp, tei_changes([2010001]))
    result = change(world, path)
    assert result.code == 0, result.stderr
    assert result.json()["due"] == "2026-11-30"
    assert result.json()["receipt_day"] == "2026-11-23"


def test_order_case_lists_the_changes_and_everything_is_audited(world, ops):
    path = change_file(world.tmp, [[2010001, new_tei(2010001), None], [2010002, None, 2010500]])
    result = change(world, path, at="2026-11-18T10:00")
    assert result.code == 0, result.stderr
    number = result.json()["case"]
    shown = world.cli("case", "show", number, "-f", "json").json()
    assert shown["topic"] == "order"
    assert shown["customer"] == "1001"
    conn = store_db.connect(world.db)
    body = conn.execute(
        "SELECT e.body FROM case_entries e JOIN cases c ON c.id = e.case_id WHERE c.number = ?", (number,)
    ).fetchone()[0]
    assert f"ISSI 2010001: TEI {tei(2010001)} -> {new_tei(2010001)}" in body
    assert "ISSI 2010002 -> 2010500" in body
    assert "promised by 2026-11-25" in body
    query = (
        "SELECT action, object, actor FROM audit WHERE action LIKE 'sub.%' AND action <> 'sub.create'"
        " ORDER BY id"
    )
    assert conn.execute(query).fetchall() == [("sub.order", f"case:{number}", ORDERER)]
    order = conn.execute(
        "SELECT customer, received_at, receipt_day, due_date, urgent, change_count, delivered_at, created_by"
        " FROM change_orders"
    ).fetchone()
    assert order == ("1001", "2026-11-18T09:00:00+00:00", "2026-11-18", "2026-11-25", 0, 2, None, ORDERER)
    items = conn.execute(
        "SELECT row, issi, new_issi, old_tei, new_tei FROM change_order_items ORDER BY row"
    ).fetchall()
    assert items == [
        (2, 2010001, None, tei(2010001), new_tei(2010001)),
        (3, 2010002, 2010500, tei(2010002), None),
    ]
    assert sub_row(world, 2010002) == (2010002, tei(2010002), "active")  # pending: unchanged
    conn.close()
    deliver(world, number)
    conn = store_db.connect(world.db)
    assert [row[:2] for row in conn.execute(query).fetchall()] == [
        ("sub.order", f"case:{number}"),
        ("sub.change", "sub:2010001"),
        ("sub.change", "sub:2010002"),
        ("sub.deliver", f"case:{number}"),
    ]
    closed = conn.execute("SELECT status FROM cases WHERE number = ?", (number,)).fetchone()[0]
    assert closed == "closed"
    retired = conn.execute("SELECT issi, customer, replaced_by FROM retired_issis").fetchall()
    assert retired == [(2010002, "1001", 2010500)]
    conn.close()
    # the new ISSI replaced the old one; the TEI stayed with it
    assert sub_row(world, 2010002) is None
    assert sub_row(world, 2010500) == (2010500, tei(2010002), "active")


def test_terminals_swapped_between_two_subscriptions_of_one_order(world):
    path = change_file(world.tmp, [[2010001, tei(2010002), None], [2010002, tei(2010001), None]])
    result = change(world, path, at="2026-11-18T10:00")
    assert result.code == 0, result.stderr
    deliver(world, result.json()["case"])
    assert sub_row(world, 2010001)[1] == tei(2010002)
    assert sub_row(world, 2010002)[1] == tei(2010001)


def test_csv_with_swedish_headers_and_only_new_tei(world):
    path = change_file(
        world.tmp, [["0002010003", new_tei(2010003).lower()]], name="byte.csv", header=("ISSI", "Ny TEI")
    )
    result = change(world, path, at="2026-11-18T10:00")
    assert result.code == 0, result.stderr
    deliver(world, result.json()["case"])
    assert sub_row(world, 2010003)[1] == new_tei(2010003)


def test_issi_edge_values_in_a_sheet(world):
    # 12.0 from an Excel number cell and "0002010004" as text are both ISSIs
    path = change_file(
        world.tmp, [[2010004.0, new_tei(2010004), None], ["0002010005", new_tei(2010005), None]]
    )
    result = change(world, path, at="2026-11-18T10:00")
    assert result.code == 0, result.stderr
    deliver(world, result.json()["case"])
    assert sub_row(world, 2010004)[1] == new_tei(2010004)
    assert sub_row(world, 2010005)[1] == new_tei(2010005)


# ------------------------------------------------------------------ urgent
def test_urgent_with_three_rows_is_due_the_same_day(world):
    path = change_file(world.tmp, tei_changes([2010001, 2010002, 2010003]))
    result = change(world, path, "--urgent", at="2026-11-18T14:00")
    assert result.code == 0, result.stderr
    data = result.json()
    assert data["due"] == "2026-11-18"
    assert data["urgent"] is True
    assert "the same day" in result.stderr


def test_urgent_with_four_rows_is_refused(world):
    path = change_file(world.tmp, tei_changes([2010001, 2010002, 2010003, 2010004]))
    before = world.snapshot()
    result = change(world, path, "--urgent", at="2026-11-18T14:00")
    assert result.code == 6
    assert "an urgent order takes at most 3 changes; this one has 4" in result.stderr
    assert world.snapshot() == before


@pytest.mark.parametrize(
    ("at", "why"),
    [
        ("2026-11-18T18:30", "outside them"),
        ("2026-11-21T10:00", "Saturday"),
        ("2026-06-19T10:00", "Midsummer"),
    ],
)
def test_urgent_outside_office_hours_is_refused(world, at, why):
    path = change_file(world.tmp, tei_changes([2010001]))
    before = world.snapshot()
    result = change(world, path, "--urgent", at=at)
    assert result.code == 6
    assert (
        "urgent changes are done only in desk office hours (mon-fri 08:00-17:00, working days only)"
        in result.stderr
    )
    assert why in result.stderr
    assert world.snapshot() == before


# ------------------------------------------------------------------ refused orders: nothing written
def assert_refused(world, path, code, *messages, **kw):
    before = world.snapshot()
    result = change(world, path, **kw)
    assert result.code == code, (result.code, result.stderr)
    assert result.stdout == ""
    for message in messages:
        assert message in result.stderr
    assert world.snapshot() == before
    return result


def test_conflicting_tei_in_the_last_row_applies_no_row(world):
    rows = tei_changes(list(range(2010001, 2010010)))
    rows.append([2010010, tei(2020001), None])  # bound to 1002's live subscription
    result = assert_refused(
        world,
        change_file(world.tmp, rows),
        6,
        "change order refused (1 conflict); nothing was changed",
        f"order.xlsx:11: new_tei: TEI {tei(2020001)} is bound to another live subscription",
        at="2026-11-18T10:00",
    )
    assert result.stderr.startswith("error: ")


def test_a_contact_may_not_change(world):
    assert_refused(
        world,
        change_file(world.tmp, tei_changes([2010001])),
        5,
        f"{CONTACT} is contact of customer 1001; change needs the role orderer",
        by=CONTACT,
        at="2026-11-18T10:00",
    )


def test_an_orderer_of_another_customer_may_not_change(world):
    assert_refused(
        world,
        change_file(world.tmp, tei_changes([2010001])),
        5,
        "not in the roster of customer 1001",
        by=OTHER_ORDERER,
    )


def test_unknown_issis_exit_4_naming_them(world):
    rows = [[2010001, new_tei(2010001), None], [2099999, new_tei(2099999), None]]
    assert_refused(
        world,
        change_file(world.tmp, rows),
        4,
        "1 unknown or foreign ISSI",
        "order.xlsx:3: issi: no subscription with ISSI 2099999",
    )


def test_foreign_issi_exit_5_never_names_its_customer(world):
    # issue 12: police and rescue fleets: the owner of 2020001 (1002) is never named to 1001
    rows = [
        [2010001, new_tei(2010001), None],
        [2099999, new_tei(2099999), None],
        [2020001, new_tei(2020001), None],
    ]
    result = assert_refused(
        world,
        change_file(world.tmp, rows),
        5,
        "error: ",
        "1 ISSI of another customer",
        "order.xlsx:4: issi: ISSI 2020001 is not a subscription of customer 1001",
    )
    assert "1002" not in result.stderr and "Räddning" not in result.stderr


def test_unknown_customer_exit_4(world):
    assert_refused(
        world, change_file(world.tmp, tei_changes([2010001])), 4, "customer 9999 not found", customer="9999"
    )


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ([2010001, "A0000000001EAB", None], "order.xlsx:2: new_tei: TEI 'A0000000001EAB' has 14 digits"),
        ([2010001, "A0000000001EAB01", None], "has 16 digits"),
        ([2010001, "A0000000001EAXZ", None], "is not hexadecimal (found 'XZ')"),
        ([0, new_tei(1), None], "order.xlsx:2: issi: ISSI 0 is out of range"),
        ([16777215, new_tei(1), None], "ISSI 16777215 is the broadcast address"),
        ([2010001, None, 16777215], "order.xlsx:2: new_issi: ISSI 16777215 is the broadcast address"),
        ([2010001, None, 12.5], "ISSI 12.5 is not a whole number"),
        ([2010001, None, None], "order.xlsx:2: nothing to change: give new_tei and/or new_issi"),
        ([2010001, tei(2010001), None], "is already the TEI of ISSI 2010001"),
        ([2010001, None, 2010001], "new_issi 2010001 is the subscription's own ISSI"),
    ],
)
def test_malformed_rows_exit_3(world, row, message):
    assert_refused(world, change_file(world.tmp, [row]), 3, message)


def test_malformed_wins_over_conflicts_and_every_row_is_listed(world):
    rows = [[2010001, "XYZ", None], [2099999, new_tei(1), None], [2010003, tei(2020002), None]]
    result = assert_refused(
        world, change_file(world.tmp, rows), 3, "1 invalid value, 1 unknown or foreign ISSI, 1 conflict"
    )
    lines = [line.strip() for line in result.stderr.splitlines()[1:]]
    assert [line.split(":")[1] for line in lines] == ["2", "3", "4"]


def test_issi_twice_in_the_file(world):
    rows = [[2010001, new_tei(2010001), None], [2010002, new_tei(2010002), None], [2010001, new_tei(5), None]]
    assert_refused(
        world, change_file(world.tmp, rows), 3, "order.xlsx:4: issi: ISSI 2010001 is also in row 2"
    )


def test_one_new_tei_in_two_rows(world):
    rows = [[2010001, new_tei(7), None], [2010002, new_tei(7), None]]
    assert_refused(
        world,
        change_file(world.tmp, rows),
        6,
        f"order.xlsx:3: new_tei: TEI {new_tei(7)} is also the new TEI in row 2",
    )


def test_new_issi_in_use_or_twice(world):
    rows = [[2010001, None, 2020001], [2010002, None, 2010900], [2010003, None, 2010900]]
    assert_refused(
        world,
        change_file(world.tmp, rows),
        6,
        "order.xlsx:2: new_issi: ISSI 2020001 is in use; an ISSI is never reused",
        "order.xlsx:4: new_issi: ISSI 2010900 is also the new ISSI in row 3",
    )


def test_terminated_subscription_cannot_be_changed(world):
    assert world.cli("sub", "terminate", "2010001", "--by", ORDERER, "--confirm-reset", "--yes").code == 0
    assert_refused(world, change_file(world.tmp, tei_changes([2010001])), 6, "ISSI 2010001 is terminated")


def test_missing_columns_and_empty_files(world):
    assert_refused(
        world,
        change_file(world.tmp, [[2010001, "x"]], header=("issi", "tei")),
        3,
        "needs a column new_tei and/or new_issi",
    )
    assert_refused(
        world,
        change_file(world.tmp, [[new_tei(1)]], header=("new_tei",)),
        3,
        "missing required column(s): issi",
    )
    assert_refused(world, change_file(world.tmp, []), 3, "the order has no rows")
    not_a_sheet = world.tmp / "order.xlsx"
    not_a_sheet.write_text("hello")
    assert_refused(world, not_a_sheet, 3, "order.xlsx")


def test_by_is_required(world):
    result = world.cli(
        "sub", "change", str(change_file(world.tmp, tei_changes([2010001]))), "--customer", "1001"
    )
    assert result.code == 2
    assert "--by" in result.stderr


# ------------------------------------------------------------------ dry run
def test_dry_run_shows_the_diff_and_due_date_and_writes_nothing(world):
    path = change_file(world.tmp, [[2010001, new_tei(2010001), None], [2010002, None, 2010700]])
    before = world.snapshot()
    result = change(world, path, "--dry-run", at="2026-11-21T10:00")
    assert result.code == 0, result.stderr
    data = result.json()
    assert data["dry_run"] is True
    assert data["case"] is None
    assert data["due"] == "2026-11-30"
    assert data["rows"] == [
        {"row": 2, "issi": 2010001, "new_issi": None, "old_tei": tei(2010001), "new_tei": new_tei(2010001)},
        {"row": 3, "issi": 2010002, "new_issi": 2010700, "old_tei": tei(2010002), "new_tei": None},
    ]
    assert "dry run, nothing written" in result.stderr
    assert world.snapshot() == before
    table = change(world, path, "--dry-run", at="2026-11-21T10:00", fmt="table")
    assert f"{tei(2010001)} -> {new_tei(2010001)}" in table.stdout
    assert "2010700" in table.stdout
    assert world.snapshot() == before


def test_dry_run_still_checks_permission(world):
    assert_refused(
        world, change_file(world.tmp, tei_changes([2010001])), 5, "change needs the role orderer", by=CONTACT
    )


# ------------------------------------------------------------------ orders and delivery
def test_orders_and_delivery_on_time_and_late(world):
    first = change(
        world, change_file(world.tmp, tei_changes([2010001]), "a.xlsx"), at="2026-11-18T10:00"
    ).json()
    second = change(
        world, change_file(world.tmp, tei_changes([2010002]), "b.xlsx"), at="2026-11-18T11:00"
    ).json()
    world.now = "2026-11-26T09:00"
    orders = world.cli("sub", "orders", "--open", "-f", "json").json()
    assert [(o["case"], o["due"], o["overdue"], o["on_time"]) for o in orders] == [
        (first["case"], "2026-11-25", True, None),
        (second["case"], "2026-11-25", True, None),
    ]
    on_time = world.cli("sub", "deliver", first["case"], "--at", "2026-11-25T16:00", "-f", "json")
    assert on_time.code == 0, on_time.stderr
    assert on_time.json()["on_time"] is True
    late = world.cli("sub", "deliver", second["case"], "-f", "json")
    assert late.json()["on_time"] is False
    assert "LATE" in late.stderr
    assert world.cli("sub", "orders", "--open", "-f", "json").json() == []
    every = world.cli("sub", "orders", "--customer", "1001", "-f", "json").json()
    assert [o["on_time"] for o in every] == [True, False]
    assert every[0]["delivered"] == "2026-11-25T16:00:00+01:00"


def test_deliver_refusals(world):
    order = change(world, change_file(world.tmp, tei_changes([2010001])), at="2026-11-18T10:00").json()
    before = world.snapshot()
    missing = world.cli("sub", "deliver", "2026-99999")
    assert missing.code == 4 and "no order with case 2026-99999" in missing.stderr
    early = world.cli("sub", "deliver", order["case"], "--at", "2026-11-17T10:00")
    assert early.code == 3 and "before the order was received" in early.stderr
    assert world.snapshot() == before
    assert world.cli("sub", "deliver", order["case"], "--at", "2026-11-19T10:00").code == 0
    after = world.snapshot()
    again = world.cli("sub", "deliver", order["case"])
    assert again.code == 6 and "already delivered at 2026-11-19T10:00" in again.stderr
    assert world.snapshot() == after


# ------------------------------------------------------------------ end to end (the installed `ops`)
def test_end_to_end_change_json_is_the_contract(world):
    world.now = "2026-11-18T10:00"
    path = change_file(world.tmp, tei_changes([2010001, 2010002]), "order.csv")
    result = world.run("sub", "change", str(path), "--customer", "1001", "--by", ORDERER, "--format", "json")
    assert result.code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["case"] == "2026-00001" and data["changes"] == 2 and data["due"] == "2026-11-25"
    assert data["status"] == "pending"
    pending = world.run("sub", "change", str(path), "--customer", "1001", "--by", ORDERER)
    assert pending.code == 6 and "already has a pending change order (case 2026-00001)" in pending.stderr
    assert world.run("sub", "deliver", "2026-00001").code == 0
    refused = world.run("sub", "change", str(path), "--customer", "1001", "--by", ORDERER)
    assert refused.code == 3  # the TEIs are already these subscriptions' own now
    assert "Traceback" not in refused.stderr


def test_two_processes_ordering_the_same_tei_at_once(world):
    """Validation runs inside the write transaction: one order wins, the other is a clean conflict."""
    import subprocess

    from conftest import OPS_BIN

    world.now = "2026-11-18T10:00"
    paths = [
        change_file(world.tmp, [[2010001, new_tei(1), None]], "p1.csv"),
        change_file(world.tmp, [[2010002, new_tei(1), None]], "p2.csv"),
    ]
    procs = [
        subprocess.Popen(
            [str(OPS_BIN), "sub", "change", str(p), "-c", "1001", "--by", ORDERER, "-f", "json"],
            env=world.environ(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for p in paths
    ]
    outcomes = sorted((proc.wait(timeout=60), proc.stderr.read()) for proc in procs)
    for proc in procs:
        proc.stdout.close()
        proc.stderr.close()
    assert [code for code, _ in outcomes] == [0, 6]
    assert f"TEI {new_tei(1)} is the new TEI of pending change order" in outcomes[1][1]
    assert "locked" not in outcomes[1][1]
    assert len(world.cli("sub", "orders", "-f", "json").json()) == 1


@pytest.fixture(scope="module")
def plain_ops(tmp_path_factory):
    """A core Ops with the default config (for property tests; no store is opened)."""
    tmp = tmp_path_factory.mktemp("promise")
    instance = Ops.open(config_path=tmp / "config.toml", db_path=tmp / "ops.db")
    yield instance
    instance.close()


@settings(max_examples=200, deadline=None)
@given(
    day=st.dates(min_value=date(2026, 1, 1), max_value=date(2028, 12, 31)),
    minute=st.integers(min_value=0, max_value=24 * 60 - 1),
    changes=st.integers(min_value=1, max_value=40),
)
def test_promised_date_properties(plain_ops, day, minute, changes):
    ops = plain_ops
    cal = ops.calendar
    # desk-local wall time built directly: `ops.at` refuses a time in the spring DST gap
    received = datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=ops.tz)
    result = promised_date(ops, received, changes)
    receipt, due = result["receipt_day"], result["due"]
    days = 5 if changes <= 10 else 10
    assert result["working_days"] == days
    # the receipt day is the first working day on or after the day received
    assert cal.is_working_day(receipt) and receipt >= day
    assert cal.working_days_between(day, receipt) == (0 if receipt == day else 1)
    # due is a working day exactly `days` working days after the receipt day
    assert cal.is_working_day(due)
    assert cal.working_days_between(receipt, due) == days

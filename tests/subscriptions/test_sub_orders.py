"""Orders that are delivered (issue 13.16), orders of new subscriptions and add-ons (13.17),
given-up ISSIs never reused (13.14) and number ranges (issue 12)."""

from __future__ import annotations

import pytest
from helpers import db as store_db
from test_sub_support import (
    CONTACT,
    ORDERER,
    OTHER_ORDERER,
    build_world,
    change_file,
    new_tei,
    tei,
    tei_changes,
    write_csv,
)

HEADER = ["customer", "issi", "tei", "msisdn", "kind", "status"]
WED = "2026-11-18T10:00"  # a Wednesday in desk office hours; 5 working days -> Wed 2026-11-25


@pytest.fixture
def world(env, ops):
    build_world(ops, env.tmp)
    env.now = WED
    return env


def refused(env, code, *args, messages=()):
    before = env.snapshot()
    result = env.cli(*args)
    assert result.code == code, (result.code, result.stderr)
    assert result.stderr.startswith("error: "), result.stderr
    for message in messages:
        assert message in result.stderr, result.stderr
    assert env.snapshot() == before
    return result


def place(env, rows, name="order.xlsx", *extra):
    path = change_file(env.tmp, rows, name)
    result = env.cli("sub", "change", str(path), "-c", "1001", "--by", ORDERER, "-f", "json", *extra)
    assert result.code == 0, result.stderr
    return result.json()


def query(env, sql, *params):
    conn = store_db.connect(env.db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def tei_of(env, issi):
    rows = query(env, "SELECT tei FROM subscriptions WHERE issi = ?", issi)
    return rows[0][0] if rows else None


# ------------------------------------------------------------------ 13.16: registered, then delivered
def test_change_registers_pending_and_deliver_applies_and_closes_the_case(world):
    order = place(world, tei_changes([2010001, 2010002]))
    assert (order["case"], order["changes"], order["due"], order["status"]) == (
        "2026-00001",
        2,
        "2026-11-25",
        "pending",
    )
    assert tei_of(world, 2010001) == tei(2010001)
    assert world.cli("case", "show", order["case"], "-f", "json").json()["status"] != "closed"
    pending = world.cli("sub", "orders", "--status", "pending", "-f", "json").json()
    assert [(o["case"], o["type"], o["status"]) for o in pending] == [("2026-00001", "change", "pending")]
    done = world.cli("sub", "deliver", order["case"], "--at", "2026-11-24T15:00", "-f", "json")
    assert done.code == 0, done.stderr
    assert (done.json()["status"], done.json()["on_time"]) == ("delivered", True)
    assert tei_of(world, 2010001) == new_tei(2010001) and tei_of(world, 2010002) == new_tei(2010002)
    assert world.cli("case", "show", order["case"], "-f", "json").json()["status"] == "closed"
    assert world.cli("sub", "orders", "--status", "pending", "-f", "json").json() == []
    delivered = world.cli("sub", "orders", "--status", "delivered", "-f", "json").json()
    assert [o["case"] for o in delivered] == ["2026-00001"]


def test_delivery_report_reads_the_delivered_order(world):
    order = place(world, tei_changes([2010001]))
    world.cli("sub", "deliver", order["case"], "--at", "2026-11-26T10:00")  # due 11-25: late
    rows = query(
        world, "SELECT due_date, delivered_on, change_count, applied_at IS NOT NULL FROM change_orders"
    )
    assert rows == [("2026-11-25", "2026-11-26", 1, 1)]


def test_overdue_lists_pending_orders_past_their_due_date(world):
    first = place(world, tei_changes([2010001]), "a.xlsx")  # due Wed 2026-11-25
    world.now = "2026-11-24T10:00"  # Tuesday: 11 changes -> 10 working days -> 2026-12-08
    place(world, tei_changes(list(range(2010002, 2010013))), "b.xlsx")
    world.now = "2026-11-26T09:00"
    overdue = world.cli("sub", "orders", "--overdue", "-f", "json").json()
    assert [(o["case"], o["due"]) for o in overdue] == [(first["case"], "2026-11-25")]
    every = world.cli("sub", "orders", "-f", "json").json()
    assert [o["due"] for o in every] == ["2026-11-25", "2026-12-08"]
    refused(world, 3, "sub", "orders", "--status", "sleeping", messages=("use one of: pending, delivered",))


def test_delivery_checks_again_new_tei_taken_meanwhile(world):
    order = place(world, [[2010001, new_tei(1), None]])
    path = write_csv(world.tmp / "more.csv", HEADER, [["1001", 2010300, new_tei(1), "", "", "active"]])
    assert world.cli("sub", "import", str(path)).code == 0  # binds the TEI the order will need
    refused(
        world,
        6,
        "sub",
        "deliver",
        order["case"],
        messages=(
            f"order {order['case']} cannot be delivered: 1 change no longer possible; nothing was changed",
            f"TEI {new_tei(1)} is bound to ISSI 2010300, which is not terminated",
        ),
    )
    assert tei_of(world, 2010001) == tei(2010001)


def test_delivery_checks_again_new_issi_taken_meanwhile(world):
    order = place(world, [[2010004, None, 2010900]])
    path = write_csv(world.tmp / "more.csv", HEADER, [["1001", 2010900, "", "", "", ""]])
    assert world.cli("sub", "import", str(path)).code == 0
    refused(
        world,
        6,
        "sub",
        "deliver",
        order["case"],
        messages=("ISSI 2010900 is in use; an ISSI is never reused",),
    )


def test_only_the_desk_delivers(world):
    order = place(world, tei_changes([2010001]))
    refused(
        world,
        5,
        "sub",
        "deliver",
        order["case"],
        "--by",
        ORDERER,
        messages=("is not one of the desk's agents",),
    )


def test_apply_now_only_with_urgent_and_in_desk_hours(world):
    rows = tei_changes([2010001, 2010002, 2010003])
    path = change_file(world.tmp, rows)
    base = ("sub", "change", str(path), "-c", "1001", "--by", ORDERER)
    refused(world, 3, *base, "--apply-now", messages=("add --urgent",))
    refused(
        world, 6, *base, "--urgent", "--apply-now", "--at", "2026-11-18T17:30", messages=("outside them",)
    )
    world.now = "2026-11-18T14:00"
    result = world.cli(*base, "--urgent", "--apply-now", "-f", "json")
    assert result.code == 0, result.stderr
    data = result.json()
    assert (data["changes"], data["due"], data["status"]) == (3, "2026-11-18", "delivered")
    assert [tei_of(world, i) for i in (2010001, 2010002, 2010003)] == [
        new_tei(i) for i in (2010001, 2010002, 2010003)
    ]
    assert world.cli("case", "show", data["case"], "-f", "json").json()["status"] == "closed"
    orders = world.cli("sub", "orders", "-f", "json").json()
    assert [(o["status"], o["on_time"]) for o in orders] == [("delivered", True)]


def test_four_urgent_changes_refused_even_with_apply_now(world):
    path = change_file(world.tmp, tei_changes([2010001, 2010002, 2010003, 2010004]))
    refused(
        world,
        6,
        "sub",
        "change",
        str(path),
        "-c",
        "1001",
        "--by",
        ORDERER,
        "--urgent",
        "--apply-now",
        messages=("an urgent order takes at most 3 changes; this one has 4",),
    )


def test_a_pending_order_blocks_a_second_order_on_the_same_subscription(world):
    first = place(world, tei_changes([2010001]), "a.xlsx")
    path = change_file(world.tmp, [[2010001, None, 2010950]], "b.xlsx")
    refused(
        world,
        6,
        "sub",
        "change",
        str(path),
        "-c",
        "1001",
        "--by",
        ORDERER,
        messages=(f"ISSI 2010001 already has a pending change order (case {first['case']})",),
    )


# ------------------------------------------------------------------ 13.14: given-up ISSIs
def test_an_issi_given_up_in_a_change_is_never_reused(world):
    order = place(world, [[2010002, None, 2010800]], "a.xlsx")
    assert world.cli("sub", "deliver", order["case"]).code == 0
    assert query(world, "SELECT issi, replaced_by FROM retired_issis") == [(2010002, 2010800)]
    path = change_file(world.tmp, [[2010003, None, 2010002]], "b.xlsx")
    refused(
        world,
        6,
        "sub",
        "change",
        str(path),
        "-c",
        "1001",
        "--by",
        ORDERER,
        messages=("b.xlsx:2: new_issi: ISSI 2010002 was given up in an ISSI change and is never reused",),
    )


def test_retired_issis_backfilled_from_past_orders(tmp_path):
    """Migration 0110 on a store whose orders were applied at once (the old behaviour)."""
    import sqlite3  # an SQLite file an older ops-cli left

    from ops_cli.store import migration_files

    conn = sqlite3.connect(tmp_path / "old.db")
    for number, _name, script in migration_files():
        if number < 110:
            conn.executescript(script)
    conn.executescript(
        """
        INSERT INTO customers (number, name, created_at, updated_at) VALUES ('1001', 'P', 't', 't');
        INSERT INTO cases (id, number, customer, reporter, channel, topic, department, subject, opened_at,
                           last_activity_at) VALUES (1, '2026-00001', '1001', 'a@b.se', 'email', 'order',
                           'orders', 's', 't', 't');
        INSERT INTO change_orders (id, case_id, customer, received_at, receipt_day, due_date, change_count,
                                   created_by) VALUES (1, 1, '1001', '2026-01-05T09:00:00+00:00',
                                   '2026-01-05', '2026-01-12', 2, 'a@b.se');
        INSERT INTO change_order_items VALUES (1, 2, 2010002, 2010800, NULL, NULL);
        INSERT INTO change_order_items VALUES (1, 3, 2010003, NULL, NULL, 'F00000000000003');
        """
    )
    script = next(s for n, _, s in migration_files() if n == 110)
    conn.executescript(script)
    assert conn.execute("SELECT issi, customer, replaced_by, order_id FROM retired_issis").fetchall() == [
        (2010002, "1001", 2010800, 1)
    ]
    assert conn.execute("SELECT applied_at FROM change_orders").fetchall() == [("2026-01-05T09:00:00+00:00",)]
    conn.close()


# ------------------------------------------------------------------ 13.17: new subscriptions
def test_order_new_subscriptions_on_midsummer_eve(world):
    # Fri 2026-06-19 is Midsummer Eve (a Swedish holiday): received Mon 06-22, +5 working days = Mon 06-29
    world.now = "2026-06-19T11:00"
    result = world.cli(
        "sub", "order", "-c", "1001", "--count", "4", "--kind", "standby", "--by", ORDERER, "-f", "json"
    )
    assert result.code == 0, result.stderr
    data = result.json()
    assert (data["quantity"], data["due"], data["receipt_day"], data["status"]) == (
        4,
        "2026-06-29",
        "2026-06-22",
        "pending",
    )
    assert data["kinds"] == {"standby": 4}
    case = world.cli("case", "show", data["case"], "-f", "json").json()
    assert (case["topic"], case["customer"]) == ("order", "1001")
    audit = query(world, "SELECT action, actor FROM audit WHERE action LIKE 'sub.order%'")
    assert audit == [("sub.order-new", ORDERER)]
    # 11 subscriptions: 10 working days from Mon 06-22 = Mon 07-06
    eleven = world.cli("sub", "order", "-c", "1001", "--count", "11", "--by", ORDERER, "-f", "json").json()
    assert eleven["due"] == "2026-07-06"
    orders = world.cli("sub", "orders", "-f", "json").json()
    assert [(o["type"], o["changes"]) for o in orders] == [("new", 4), ("new", 11)]
    assert (
        world.cli("sub", "deliver", data["case"], "--at", "2026-06-29T10:00", "-f", "json").json()["on_time"]
        is True
    )
    assert world.cli("case", "show", data["case"], "-f", "json").json()["status"] == "closed"


def test_order_from_a_file(world):
    path = write_csv(
        world.tmp / "new.csv", ["kind", "tei"], [["standard", ""], ["beredskap", "abc000000000001"]]
    )
    result = world.cli("sub", "order", "-c", "1001", "--file", str(path), "--by", ORDERER, "-f", "json")
    assert result.code == 0, result.stderr
    assert result.json()["kinds"] == {"standard": 1, "standby": 1}
    assert result.json()["rows"][1] == {"kind": "standby", "tei": "ABC000000000001"}
    taken = write_csv(world.tmp / "taken.csv", ["tei"], [[tei(2010001)]])
    refused(
        world,
        6,
        "sub",
        "order",
        "-c",
        "1001",
        "--file",
        str(taken),
        "--by",
        ORDERER,
        messages=("bound to a live",),
    )


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("--count", "0"), 3, "--count must be between 1 and 10,000; got 0"),
        (("--count", str(2**63)), 3, "--count must be between 1 and 10,000; got 9223372036854775808"),
        (("--count", "-5"), 3, "between 1 and 10,000"),
        (("--count", "2", "--kind", "gold"), 3, "kind 'gold' is not one of: standard, standby"),
        ((), 3, "give either --count N or --file FILE"),
    ],
)
def test_order_refusals(world, args, code, message):
    refused(world, code, "sub", "order", "-c", "1001", "--by", ORDERER, *args, messages=(message,))


def test_order_only_by_an_orderer_of_the_customer(world):
    refused(
        world,
        5,
        "sub",
        "order",
        "-c",
        "1001",
        "--count",
        "1",
        "--by",
        CONTACT,
        messages=("needs the role orderer",),
    )
    refused(world, 5, "sub", "order", "-c", "1001", "--count", "1", "--by", OTHER_ORDERER)
    refused(world, 4, "sub", "order", "-c", "9999", "--count", "1", "--by", ORDERER)


# ------------------------------------------------------------------ 13.17: add-ons
def test_addon_add_then_delivered_then_removed(world):
    result = world.cli(
        "sub", "addon", "add", "2010001", "2010002", "--service", "gps", "--by", ORDERER, "-f", "json"
    )
    assert result.code == 0, result.stderr
    data = result.json()
    assert (data["type"], data["quantity"], data["due"], data["service"]) == (
        "addon-add",
        2,
        "2026-11-25",
        "gps",
    )
    assert world.cli("sub", "show", "2010001", "-f", "json").json()["addons"] == []
    assert world.cli("sub", "deliver", data["case"], "-f", "json").code == 0
    assert world.cli("sub", "show", "2010001", "-f", "json").json()["addons"] == ["gps"]
    again = ("sub", "addon", "add", "2010001", "--service", "gps", "--by", ORDERER)
    refused(world, 6, *again, messages=("ISSI 2010001 already has add-on gps",))
    removed = world.cli(
        "sub", "addon", "remove", "2010001", "--service", "gps", "--by", ORDERER, "-f", "json"
    )
    assert removed.code == 0, removed.stderr
    world.cli("sub", "deliver", removed.json()["case"])
    assert world.cli("sub", "show", "2010001", "-f", "json").json()["addons"] == []
    actions = [
        r[0]
        for r in query(world, "SELECT action FROM audit WHERE action LIKE 'sub.%' AND action <> 'sub.create'")
    ]
    assert actions == [
        "sub.order-addon-add",
        "sub.addons",
        "sub.addons",
        "sub.deliver",
        "sub.order-addon-remove",
        "sub.addons",
        "sub.deliver",
    ]


def test_addon_refusals(world):
    base = ("sub", "addon", "add")
    refused(
        world,
        3,
        *base,
        "2010001",
        "--service",
        "teleport",
        "--by",
        ORDERER,
        messages=("unknown add-on service 'teleport'; services are: group-call, dmo, status-messages, gps",),
    )
    refused(
        world, 5, *base, "2010001", "--service", "gps", "--by", CONTACT, messages=("needs the role orderer",)
    )
    foreign = refused(
        world,
        5,
        *base,
        "2020001",
        "--service",
        "gps",
        "--by",
        ORDERER,
        messages=("ISSI 2020001 is not a subscription of customer 1001",),
    )
    assert "1002" not in foreign.stderr
    refused(world, 4, *base, "2099999", "--service", "gps", "--by", ORDERER)


def test_deliver_leaves_an_already_closed_order_case_closed(world):
    order = place(world, tei_changes([2010001]))
    closed = world.cli("case", "close", order["case"], "--resolution", "Handled by phone")
    assert closed.code == 0, closed.stderr
    result = world.cli("sub", "deliver", order["case"], "-f", "json")
    assert result.code == 0, result.stderr
    assert tei_of(world, 2010001) == new_tei(2010001)
    shown = world.cli("case", "show", order["case"], "-f", "json").json()
    assert (shown["status"], shown["resolution"]) == ("closed", "Handled by phone")


def test_an_order_of_another_customer_is_listed_only_for_it(world):
    place(world, tei_changes([2010001]))
    assert world.cli("sub", "orders", "-c", "1002", "-f", "json").json() == []
    assert len(world.cli("sub", "orders", "-c", "1001", "-f", "json").json()) == 1


def test_delivering_an_order_placed_before_the_upgrade_changes_nothing_again(world):
    """Orders placed before migration 0110 were applied at once (applied_at backfilled): deliver marks."""
    order = place(world, tei_changes([2010001]))
    conn = store_db.connect(world.db)
    conn.execute("UPDATE change_orders SET applied_at = received_at")
    conn.commit()
    conn.close()
    result = world.cli("sub", "deliver", order["case"], "-f", "json")
    assert result.code == 0, result.stderr
    assert result.json()["status"] == "delivered"
    assert tei_of(world, 2010001) == tei(2010001)


def test_addon_services_come_from_config(world):
    world.config.write_text('[subscriptions]\naddons = ["encryption"]\n')
    ok = world.cli("sub", "addon", "add", "2010001", "--service", "encryption", "--by", ORDERER)
    assert ok.code == 0, ok.stderr
    refused(
        world,
        3,
        "sub",
        "addon",
        "add",
        "2010002",
        "--service",
        "gps",
        "--by",
        ORDERER,
        messages=("unknown add-on service 'gps'; services are: encryption",),
    )

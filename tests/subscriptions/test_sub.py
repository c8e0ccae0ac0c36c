"""`ops sub` import, list, show, export, activate/deactivate and terminate."""

from __future__ import annotations

import pytest
from helpers import db as store_db
from test_sub_support import (
    CONTACT,
    ORDERER,
    OTHER_ORDERER,
    VIEWER,
    build_world,
    tei,
    write_csv,
    write_xlsx,
)

HEADER = ["customer", "issi", "tei", "msisdn", "kind", "status"]
OFFICE = "2026-11-18T10:00"  # a Wednesday inside desk office hours
NIGHT = "2026-11-22T03:00"  # a Sunday night


@pytest.fixture
def world(env, ops):
    build_world(ops, env.tmp)
    env.now = OFFICE
    return env


def status_of(env, issi):
    conn = store_db.connect(env.db)
    try:
        row = conn.execute("SELECT status FROM subscriptions WHERE issi = ?", (issi,)).fetchone()
        return row[0] if row else None
    finally:
        conn.close()


def refused(env, code, *args, messages=()):
    before = env.snapshot()
    result = env.cli(*args)
    assert result.code == code, (result.code, result.stderr)
    assert result.stderr.startswith("error: "), result.stderr
    for message in messages:
        assert message in result.stderr
    assert env.snapshot() == before
    return result


# ------------------------------------------------------------------ import
def test_import_creates_then_is_idempotent(world):
    path = write_csv(world.tmp / "more.csv", HEADER, [["1001", 2010100, "abcdef0123456789"[:15], "", "", ""]])
    first = world.cli("sub", "import", str(path), "-f", "json")
    assert first.code == 0, first.stderr
    assert first.json() == {"created": 1, "updated": 0, "unchanged": 0, "removed": 0, "dry_run": False}
    again = world.cli("sub", "import", str(path), "-f", "json")
    assert again.json()["unchanged"] == 1 and again.json()["created"] == 0
    shown = world.cli("sub", "show", "2010100", "-f", "json").json()
    assert shown["tei"] == "ABCDEF012345678"
    assert (shown["kind"], shown["status"]) == ("standard", "inactive")


def test_import_updates_and_empty_cells_keep_values(world):
    path = write_csv(
        world.tmp / "upd.csv", HEADER, [["1001", 2010001, "", "+46 70 111 22 33", "", "inaktiv"]]
    )
    result = world.cli("sub", "import", str(path), "-f", "json")
    assert result.json()["updated"] == 1
    shown = world.cli("sub", "show", "2010001", "-f", "json").json()
    assert shown["tei"] == tei(2010001)
    assert shown["msisdn"] == "+46701112233"
    assert shown["status"] == "inactive"


def test_import_xlsx_with_number_cells_and_swedish_headers(world):
    path = write_xlsx(
        world.tmp / "subs.xlsx",
        ["Kundnummer", "ISSI", "TEI", "Typ"],
        [[1001, 2010200.0, "00000000000abcd", "beredskap"], [1002, "0002020200", "00000000000abce", ""]],
    )
    result = world.cli("sub", "import", str(path), "-f", "json")
    assert result.code == 0, result.stderr
    assert result.json()["created"] == 2
    assert world.cli("sub", "show", "2010200", "-f", "json").json()["kind"] == "standby"
    assert world.cli("sub", "show", "2020200", "-f", "json").json()["customer"] == "1002"


def test_import_dry_run_writes_nothing(world):
    path = write_csv(
        world.tmp / "dry.csv",
        HEADER,
        [
            ["1001", 2010300, "00000000000ABCF", "", "", ""],
            ["1001", 2010001, tei(2010001), "", "", "inactive"],
        ],
    )
    before = world.snapshot()
    result = world.cli("sub", "import", str(path), "--dry-run", "-f", "json")
    assert result.code == 0
    data = result.json()
    assert (data["created"], data["updated"], data["dry_run"]) == (1, 1, True)
    assert data["rows"][1] == {
        "row": 3,
        "issi": 2010001,
        "action": "update",
        "changes": {"status": ["active", "inactive"]},
    }
    assert world.snapshot() == before


def test_import_bad_rows_exit_3_with_row_numbers(world):
    rows = [
        ["1001", 2010400, "00000000000ABD0", "", "", ""],
        ["1001", "16777215", "00000000000ABD1", "", "", ""],
        ["9999", 2010401, "00000000000ABD2", "", "", ""],
        ["1001", 2010402, "00000000000ABD", "", "", ""],
        ["1001", 2010403, "00000000000ABD4", "", "gold", "on"],
        ["1001", 2010400, "00000000000ABD5", "", "", ""],
    ]
    result = refused(
        world,
        3,
        "sub",
        "import",
        str(write_csv(world.tmp / "bad.csv", HEADER, rows)),
        messages=(
            "import refused (6 invalid values); nothing was changed",
            "bad.csv:3: issi: ISSI 16777215 is the broadcast address",
            "bad.csv:4: customer: no customer 9999",
            "bad.csv:5: tei: TEI '00000000000ABD' has 14 digits",
            "bad.csv:6: kind: kind 'gold' is not one of: standard, standby",
            "bad.csv:6: status: status 'on' is not one of",
            "bad.csv:7: issi: ISSI 2010400 is also in row 2",
        ),
    )
    assert result.stdout == ""


def test_import_conflicts_and_foreign_issi_exit_5(world):
    rows = [
        ["1001", 2010500, tei(2020001), "", "", ""],  # TEI bound to a live 1002 subscription
        ["1002", 2010001, tei(2010001), "", "", ""],  # ISSI of customer 1001
        ["1001", 2010501, "00000000000ABE0", "", "", ""],
        ["1001", 2010502, "00000000000abe0", "", "", ""],  # same TEI as the row above
    ]
    refused(
        world,
        5,  # an ISSI of another customer: not permitted, and the owner is never named
        "sub",
        "import",
        str(write_csv(world.tmp / "c.csv", HEADER, rows)),
        messages=(
            f"c.csv:2: tei: TEI {tei(2020001)} is bound to a live subscription of another customer",
            "c.csv:3: issi: ISSI 2010001 is not a subscription of customer 1002",
            "c.csv:5: tei: TEI 00000000000ABE0 is also in row 4",
        ),
    )


def test_semicolon_windows_1252_csv(world):
    text = "kundnummer;issi;tei;status\r\n1001;2010600;00000000000ABF0;avslutad\r\n"
    path = world.tmp / "win.csv"
    path.write_bytes(text.encode("cp1252"))
    result = world.cli("sub", "import", str(path), "--confirm-reset", "-f", "json")
    assert result.code == 0, result.stderr
    assert status_of(world, 2010600) == "terminated"


# ------------------------------------------------------------------ list, show, export
def test_list_and_show(world):
    rows = world.cli("sub", "list", "--customer", "1002", "-f", "json").json()
    assert [r["issi"] for r in rows] == list(range(2020001, 2020006))
    assert set(rows[0]) >= {"issi", "tei", "customer", "kind", "status"}
    assert isinstance(rows[0]["issi"], int)
    inactive = world.cli("sub", "list", "--customer", "1001", "--status", "inactive", "-f", "json").json()
    assert [r["issi"] for r in inactive] == list(range(2010025, 2010031))
    shown = world.cli("sub", "show", "0002010001", "-f", "json").json()
    assert shown["issi"] == 2010001 and shown["tei"] == tei(2010001)
    table = world.cli("sub", "list", "-c", "1002")
    assert "2020001" in table.stdout and tei(2020001) in table.stdout


def test_list_and_show_refusals(world):
    assert world.cli("sub", "show", "2099999").code == 4
    bad = world.cli("sub", "show", "16777215")
    assert bad.code == 3 and "broadcast" in bad.stderr
    assert world.cli("sub", "list", "--status", "sleeping").code == 3
    assert world.cli("sub", "list", "--customer", "9999").code == 4


def test_export_round_trips(world):
    for name in ("out.csv", "out.xlsx"):
        path = world.tmp / name
        result = world.cli("sub", "export", str(path), "--customer", "1001")
        assert result.code == 0, result.stderr
        again = world.cli("sub", "import", str(path), "-f", "json").json()
        assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 30)


# ------------------------------------------------------------------ activate / deactivate
def test_contact_activates_several_in_one_call(world):
    result = world.cli("sub", "activate", "2010025", "2010026", "--by", CONTACT, "-f", "json")
    assert result.code == 0, result.stderr
    data = result.json()
    assert (data["changed"], data["unchanged"]) == (2, 0)
    assert status_of(world, 2010025) == "active" and status_of(world, 2010026) == "active"
    again = world.cli("sub", "activate", "2010025", "--by", ORDERER, "-f", "json").json()
    assert (again["changed"], again["unchanged"]) == (0, 1)


def test_deactivate_at_night_only_urgent_and_audit(world):
    # Issue 13.13: deactivation follows activation's hours; --urgent (lost/stolen terminal) at any hour.
    world.now = NIGHT  # Sunday 2026-11-22 03:00, outside desk office hours
    refused(
        world,
        6,
        "sub",
        "deactivate",
        "2010001",
        "--by",
        ORDERER,
        messages=("error: deactivations are done in desk office hours", "add --urgent"),
    )
    result = world.cli("sub", "deactivate", "2010001", "--urgent", "--by", ORDERER, "-f", "json")
    assert result.code == 0, result.stderr
    assert status_of(world, 2010001) == "inactive"
    log = world.cli("db", "log", "--limit", "1", "-f", "json").json()[0]
    assert (log["action"], log["object"], log["actor"]) == ("sub.deactivate", "sub:2010001", ORDERER)
    assert log["before"] == {"status": "active"} and log["after"] == {"status": "inactive", "urgent": True}


def test_deactivate_in_office_hours_needs_no_urgent(world):
    world.now = "2026-11-18T16:59"  # Wednesday, desk open 08:00-17:00
    result = world.cli("sub", "deactivate", "2010002", "--by", CONTACT, "-f", "json")
    assert result.code == 0, result.stderr
    world.now = "2026-11-18T17:00"
    refused(world, 6, "sub", "deactivate", "2010003", "--by", CONTACT, messages=("2026-11-18T17:00",))


def test_viewer_and_foreign_orderer_may_not_activate(world):
    refused(
        world,
        5,
        "sub",
        "activate",
        "2010025",
        "--by",
        VIEWER,
        messages=("activate needs the role contact or orderer",),
    )
    refused(
        world,
        5,
        "sub",
        "activate",
        "2010025",
        "2020001",
        "--by",
        OTHER_ORDERER,
        messages=("error: ISSI 2010025 is not a subscription of customer 1002",),
    )
    # the owner (customer 1001, Polisregion Syd) is never named to another customer's orderer
    result = world.cli("sub", "activate", "2010025", "--by", OTHER_ORDERER)
    assert "1001" not in result.stderr and "Polis" not in result.stderr


def test_all_or_none_with_an_unknown_issi(world):
    refused(
        world,
        4,
        "sub",
        "activate",
        "2010025",
        "2099999",
        "--by",
        CONTACT,
        messages=("no subscription with ISSI 2099999; nothing was changed",),
    )
    refused(
        world, 3, "sub", "activate", "2010025", "0", "--by", CONTACT, messages=("ISSI 0 is out of range",)
    )
    refused(world, 3, "sub", "activate", "--by", CONTACT, messages=("no ISSI given",))


def test_standby_needs_form_r30(world):
    refused(
        world,
        3,
        "sub",
        "activate",
        "2010025",
        "2010029",
        "--by",
        CONTACT,
        messages=("ISSI 2010029 is a standby subscription", "form R30", "--form"),
    )
    ok = world.cli("sub", "activate", "2010025", "2010029", "--by", CONTACT, "--form", "R30-2026-118")
    assert ok.code == 0, ok.stderr
    assert status_of(world, 2010029) == "active"
    log = world.cli("db", "log", "--limit", "2", "-f", "json").json()
    assert {entry["after"].get("form_r30") for entry in log} == {"R30-2026-118", None}
    refused(world, 3, "sub", "deactivate", "2010029", "--by", CONTACT, messages=("form R30",))


def test_activation_outside_office_hours_needs_urgent(world):
    world.now = NIGHT
    refused(
        world,
        6,
        "sub",
        "activate",
        "2010025",
        "--by",
        CONTACT,
        messages=("activations are done in desk office hours", "add --urgent"),
    )
    urgent = world.cli("sub", "activate", "2010025", "--by", CONTACT, "--urgent", "-f", "json")
    assert urgent.code == 0, urgent.stderr
    assert urgent.json()["urgent"] is True
    assert status_of(world, 2010025) == "active"
    midsummer = world.cli("sub", "activate", "2010026", "--by", CONTACT, "--at", "2026-06-19T10:00")
    assert midsummer.code == 6


def test_activate_from_a_file(world):
    path = write_xlsx(world.tmp / "act.xlsx", ["ISSI"], [[2010025], ["0002010026"], [2010027.0]])
    result = world.cli("sub", "activate", "2010028", "--file", str(path), "--by", CONTACT, "-f", "json")
    assert result.code == 0, result.stderr
    assert result.json()["changed"] == 4
    bad = write_xlsx(world.tmp / "bad.xlsx", ["issi"], [[2010025], ["abc"]])
    refused(
        world,
        3,
        "sub",
        "deactivate",
        "--file",
        str(bad),
        "--by",
        CONTACT,
        messages=("bad.xlsx:3: issi: ISSI 'abc' is not a whole number",),
    )


# ------------------------------------------------------------------ terminate
def test_terminate_needs_confirmation_and_an_orderer(world):
    refused(
        world,
        3,
        "sub",
        "terminate",
        "2010001",
        "--by",
        ORDERER,
        "--yes",
        messages=("--confirm-reset", "DMO frequencies", "factory settings"),
    )
    refused(
        world,
        5,
        "sub",
        "terminate",
        "2010001",
        "--by",
        CONTACT,
        "--confirm-reset",
        "--yes",
        messages=("order needs the role orderer",),
    )
    refused(world, 4, "sub", "terminate", "2099999", "--by", ORDERER, "--confirm-reset", "--yes")


def test_terminate_frees_the_tei(world):
    result = world.cli(
        "sub", "terminate", "2010001", "--by", ORDERER, "--confirm-reset", "--yes", "-f", "json"
    )
    assert result.code == 0, result.stderr
    assert result.json()["subscriptions"][0]["was"] == "active"
    assert status_of(world, 2010001) == "terminated"
    # the terminal can now serve another subscription
    path = write_csv(world.tmp / "reuse.csv", HEADER, [["1002", 2020100, tei(2010001), "", "", "active"]])
    assert world.cli("sub", "import", str(path)).code == 0
    # terminated subscriptions cannot be re-activated
    refused(world, 6, "sub", "activate", "2010001", "--by", ORDERER, messages=("terminated",))
    again = world.cli(
        "sub", "terminate", "2010001", "--by", ORDERER, "--confirm-reset", "--yes", "-f", "json"
    ).json()
    assert again["changed"] == 0


# ------------------------------------------------------------------ demo
def test_demo_loads_once(env, ops):
    from ops_cli import roster
    from ops_cli.subscriptions import load_demo

    roster.load_demo(ops)
    first = load_demo(ops)
    assert first["subscriptions"]["created"] >= 50
    assert first["order"]["due"] == "2026-11-23"
    snap = env.snapshot()
    assert load_demo(ops) == {"subscriptions": "already loaded", "order": "already loaded"}
    assert env.snapshot() == snap
    orders = env.cli("sub", "orders", "-f", "json").json()
    assert [(o["customer"], o["on_time"], o["ordered_by"]) for o in orders] == [("1001", True, ORDERER)]
    # the demo change order was registered, then delivered: its changes were made and its case closed
    assert orders[0]["status"] == "delivered" and orders[0]["delivered"] == "2026-11-19T14:00:00+01:00"
    assert env.cli("sub", "show", "2010012").code == 4
    assert env.cli("sub", "show", "2010112", "-f", "json").json()["customer"] == "1001"
    assert env.cli("case", "show", orders[0]["case"], "-f", "json").json()["status"] == "closed"
    customers = {r["customer"] for r in env.cli("sub", "list", "-f", "json").json()}
    assert customers == {"1001", "1002", "2001"}
    # the example order in fixtures/ is still valid on the demo store
    from ops_cli.demo import fixture

    env.now = OFFICE
    args = ("sub", "change", str(fixture("change_order.xlsx")), "-c", "1001", "--by", ORDERER, "-f", "json")
    dry = env.cli(*args, "--dry-run")
    assert dry.code == 0, dry.stderr
    assert (dry.json()["changes"], dry.json()["due"]) == (5, "2026-11-25")
    assert env.cli(*args).code == 0

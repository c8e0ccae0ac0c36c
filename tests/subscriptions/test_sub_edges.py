"""Edge cases found by outside testing of every `sub` command (issue 12 promises, issue 13.16/13.17):
an empty --by, desk staff placing a customer's order, add-on orders that could never be delivered,
`sub export --force`, and the sheet a change order was read from."""

from __future__ import annotations

import os

import pytest
from test_sub_support import ORDERER, build_world, change_file, new_tei, tei_changes

OFFICE = "2026-11-18T10:00"  # a Wednesday in desk office hours
AGENT = "tove@desk.example"


@pytest.fixture
def world(env, ops):
    env.config.write_text(f'[desk]\nagents = ["{AGENT}"]\n')
    ops.config["desk"]["agents"] = [AGENT]
    build_world(ops, env.tmp)
    env.now = OFFICE
    return env


def refused(env, code, *args, messages=(), absent=()):
    before = env.snapshot()
    result = env.cli(*args)
    assert result.code == code, (result.code, result.stderr)
    assert result.stderr.startswith("error: "), result.stderr
    assert result.stderr.count("error:") == 1, result.stderr
    assert "Traceback" not in result.stderr
    for message in messages:
        assert message in result.stderr, result.stderr
    for word in absent:
        assert word not in result.stderr, result.stderr
    assert env.snapshot() == before
    return result


# ------------------------------------------------------------------ --by
@pytest.mark.parametrize("blank", ["", "   "])
@pytest.mark.parametrize("verb", ["activate", "deactivate", "terminate"])
def test_an_empty_by_is_invalid_input_not_an_unknown_actor(world, verb, blank):
    extra = ["--confirm-reset", "--yes"] if verb == "terminate" else []
    issi = "2010025" if verb == "activate" else "2010001"
    refused(world, 3, "sub", verb, issi, "--by", blank, *extra, messages=("--by is empty",))


def test_an_empty_by_on_an_addon_order_is_invalid_input(world):
    refused(world, 3, "sub", "addon", "add", "2010001", "--service", "gps", "--by", " ", messages=("--by",))


def test_desk_staff_do_not_order_add_ons_and_are_told_so(world):
    result = refused(
        world,
        5,
        "sub",
        "addon",
        "add",
        "2010001",
        "--service",
        "gps",
        "--by",
        AGENT,
        messages=("only an orderer of the customer may order",),
        absent=("neither one of the desk's agents",),
    )
    assert AGENT in result.stderr


# ------------------------------------------------------------------ add-on orders
def addon(world, verb, *issis, by=ORDERER):
    return world.cli("sub", "addon", verb, *map(str, issis), "--service", "gps", "--by", by, "-f", "json")


def test_the_same_add_on_cannot_be_ordered_twice_while_pending(world):
    first = addon(world, "add", 2010001)
    assert first.code == 0, first.stderr
    case = first.json()["case"]
    refused(
        world,
        6,
        "sub",
        "addon",
        "add",
        "2010002",
        "2010001",
        "--service",
        "gps",
        "--by",
        ORDERER,
        messages=(f"ISSI 2010001 already has a pending order for add-on gps (case {case})",),
    )
    refused(
        world,
        6,
        "sub",
        "addon",
        "remove",
        "2010001",
        "--service",
        "gps",
        "--by",
        ORDERER,
        messages=(f"case {case}",),
    )
    # once delivered, removing it is a new order like any other
    assert world.cli("sub", "deliver", first.json()["case"]).code == 0
    again = addon(world, "remove", 2010001)
    assert again.code == 0, again.stderr


def test_another_add_on_for_the_same_subscription_may_be_pending_at_once(world):
    assert addon(world, "add", 2010001).code == 0
    other = world.cli("sub", "addon", "add", "2010001", "--service", "dmo", "--by", ORDERER)
    assert other.code == 0, other.stderr


# ------------------------------------------------------------------ export --force
def test_export_refuses_an_existing_file_without_force_and_replaces_it_with_force(world):
    path = world.tmp / "subs.csv"
    path.write_text("old\n")
    refused(world, 6, "sub", "export", str(path), messages=("already exists", "--force"))
    assert path.read_text() == "old\n"
    result = world.cli("sub", "export", str(path), "--customer", "1002", "--force")
    assert result.code == 0, result.stderr
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "customer,issi,tei,msisdn,kind,status"
    assert len(lines) == 1 + 5  # customer 1002 has ISSIs 2020001..2020005
    assert oct(os.stat(path).st_mode & 0o777) == oct(0o600)


def test_export_never_follows_a_symlink_even_with_force(world):
    target = world.tmp / "target.csv"
    target.write_text("keep\n")
    link = world.tmp / "link.csv"
    link.symlink_to(target)
    refused(world, 3, "sub", "export", str(link), "--force", messages=("symbolic link",))
    assert target.read_text() == "keep\n"


# ------------------------------------------------------------------ change orders
def test_a_change_order_says_which_sheet_it_read(world):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Notes"
    wb.active.append(["see the other sheet"])
    order = wb.create_sheet("Ändringar")
    order.append(["issi", "new_tei"])
    order.append([2010001, new_tei(2010001)])
    wb.active = 1
    path = world.tmp / "two_sheets.xlsx"
    wb.save(path)
    result = world.cli("sub", "change", str(path), "-c", "1001", "--by", ORDERER, "--dry-run", "-f", "json")
    assert result.code == 0, result.stderr
    assert "read sheet 'Ändringar'" in result.stderr
    assert result.json()["sheet"] == "Ändringar"


def test_one_change_is_one_change(world):
    path = change_file(world.tmp, tei_changes([2010001]))
    result = world.cli("sub", "change", str(path), "-c", "1001", "--by", ORDERER)
    assert result.code == 0, result.stderr
    assert "1 change for customer 1001" in result.stderr
    dry = world.cli("sub", "change", str(path), "-c", "1001", "--by", ORDERER, "--dry-run")
    assert dry.code == 6  # 2010001 now has a pending order


@pytest.mark.parametrize("order", ["change", "order"])
def test_a_promised_date_beyond_the_calendar_is_invalid_input(world, order):
    """Received 9999-12-29 (a Wednesday): 5 working days later is past 9999-12-31."""
    if order == "change":
        path = change_file(world.tmp, tei_changes([2010001]))
        args = ["sub", "change", str(path), "-c", "1001", "--by", ORDERER]
    else:
        args = ["sub", "order", "-c", "1001", "--count", "2", "--by", ORDERER]
    refused(
        world,
        3,
        *args,
        "--at",
        "9999-12-29T10:00",
        messages=("would be due after 9999-12-31",),
        absent=("±9223372036854775807",),
    )


def test_a_claim_by_another_customers_pending_order_does_not_name_its_case(world):
    """Customer 1002's pending order claims a TEI and an ISSI; 1001's orderer must not learn its case."""
    from test_sub_support import OTHER_ORDERER

    theirs = change_file(world.tmp, [[2020001, "ABCDEF012345678", 2029999]], "theirs.xlsx")
    placed = world.cli("sub", "change", str(theirs), "-c", "1002", "--by", OTHER_ORDERER, "-f", "json")
    assert placed.code == 0, placed.stderr
    case = placed.json()["case"]
    ours = change_file(world.tmp, [[2010001, "ABCDEF012345678", None], [2010002, None, 2029999]], "ours.xlsx")
    result = refused(
        world,
        6,
        "sub",
        "change",
        str(ours),
        "-c",
        "1001",
        "--by",
        ORDERER,
        messages=(
            "TEI ABCDEF012345678 is the new TEI of another pending change order",
            "ISSI 2029999 is the new ISSI of another pending change order",
        ),
        absent=(case, "1002", "2020001"),
    )
    assert result.code == 6
    # the customer's own pending order is named, so the orderer can find it
    mine = change_file(world.tmp, [[2010003, "ABCDEF01234567F", None]], "mine.xlsx")
    own = world.cli("sub", "change", str(mine), "-c", "1001", "--by", ORDERER, "-f", "json")
    assert own.code == 0, own.stderr
    again = change_file(world.tmp, [[2010004, "ABCDEF01234567F", None]], "again.xlsx")
    refused(
        world,
        6,
        "sub",
        "change",
        str(again),
        "-c",
        "1001",
        "--by",
        ORDERER,
        messages=(f"new TEI of pending change order {own.json()['case']}",),
    )


@pytest.mark.parametrize(
    "args",
    [
        ["activate", "{}"],
        ["deactivate", "{}"],
        ["terminate", "{}", "--confirm-reset", "--yes"],
        ["addon", "add", "{}", "--service", "gps"],
    ],
)
def test_a_stranger_learns_nothing_about_which_issis_exist(world, args):
    """An address on no roster is refused (exit 5) before any ISSI is looked up: no 4-vs-5 oracle."""
    stranger = "mallory@evil.example"
    errors = []
    for issi in ("2099999", "2020001"):  # unknown, and customer 1002's
        filled = [a.format(issi) for a in args]
        errors.append(refused(world, 5, "sub", *filled, "--by", stranger, messages=(stranger,)).stderr)
    assert errors[0] == errors[1]
    assert "2099999" not in errors[0] and "1002" not in errors[0]


# ------------------------------------------------------------------ sub order --file
def test_an_order_file_with_two_bad_teis_names_each_once_and_no_phantom_repeat(world):
    from test_sub_support import write_csv

    path = write_csv(
        world.tmp / "new.csv",
        ["kind", "tei"],
        [
            ["standard", "XYZ"],
            ["standby", "QQQ"],
            ["weird", ""],
            ["standard", "ABCDEF012345678"],
            ["standby", "abcdef012345678"],
        ],
    )
    result = refused(
        world,
        3,
        "sub",
        "order",
        "-c",
        "1001",
        "--by",
        ORDERER,
        "--file",
        str(path),
        messages=(
            "new.csv: 4 invalid values; nothing was ordered",
            "new.csv:2: tei: TEI 'XYZ'",
            "new.csv:3: tei: TEI 'QQQ'",
            "new.csv:4: kind: kind 'weird'",
            "new.csv:6: tei: TEI ABCDEF012345678 is also in row 5",
        ),
        absent=("None",),
    )
    assert result.code == 3


def test_an_order_of_new_subscriptions_never_takes_a_tei_a_pending_change_claims(world):
    from test_sub_support import OTHER_ORDERER, tei, write_csv

    theirs = change_file(world.tmp, [[2020001, "ABCDEF012345678", None]], "theirs.xlsx")
    placed = world.cli("sub", "change", str(theirs), "-c", "1002", "--by", OTHER_ORDERER, "-f", "json")
    assert placed.code == 0, placed.stderr
    mine = place_tei_change(world, 2010001, "ABCDEF01234567F")
    path = write_csv(
        world.tmp / "new.csv",
        ["kind", "tei"],
        [["standard", "ABCDEF012345678"], ["standard", "ABCDEF01234567F"], ["standard", tei(2020002)]],
    )
    result = refused(
        world,
        6,
        "sub",
        "order",
        "-c",
        "1001",
        "--by",
        ORDERER,
        "--file",
        str(path),
        messages=(
            "3 TEIs of the order are not free; nothing was ordered",
            "new.csv:2: tei: TEI ABCDEF012345678 is the new TEI of another pending change order",
            f"new.csv:3: tei: TEI ABCDEF01234567F is the new TEI of pending change order {mine}",
            f"new.csv:4: tei: TEI {tei(2020002)} is bound to a live subscription",
        ),
        absent=(placed.json()["case"], "1002"),
    )
    assert result.code == 6


def place_tei_change(world, issi, new):
    path = change_file(world.tmp, [[issi, new, None]], f"change_{issi}.xlsx")
    result = world.cli("sub", "change", str(path), "-c", "1001", "--by", ORDERER, "-f", "json")
    assert result.code == 0, result.stderr
    return result.json()["case"]


def test_orders_open_and_status_delivered_contradict(world):
    place_tei_change(world, 2010001, "ABCDEF01234567F")
    refused(world, 3, "sub", "orders", "--open", "--status", "delivered", messages=("--open",))
    listed = world.cli("sub", "orders", "--open", "--status", "pending", "-f", "json")
    assert listed.code == 0 and [o["status"] for o in listed.json()] == ["pending"]


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # Thu 2026-06-18 23:59 desk time counts that day: Mon 22, Tue 23, Wed 24, Thu 25, Fri 26
        ("2026-06-18T23:59", "2026-06-26"),
        # 23:59 UTC is 01:59 on midsummer eve (Fri 2026-06-19, a holiday): received Mon 22 -> Mon 29
        ("2026-06-18T23:59:00+00:00", "2026-06-29"),
    ],
)
def test_a_receipt_at_23_59_counts_in_desk_time(world, received, due):
    path = change_file(world.tmp, tei_changes(list(range(2010001, 2010011))))  # 10 changes
    world.now = received
    result = world.cli("sub", "change", str(path), "-c", "1001", "--by", ORDERER, "--dry-run", "-f", "json")
    assert result.code == 0, result.stderr
    assert (result.json()["changes"], result.json()["due"]) == (10, due)


def test_a_hidden_sheet_is_never_read_as_the_order(world):
    from openpyxl import Workbook

    wb = Workbook()
    visible = wb.active
    visible.title = "Order"
    visible.append(["issi", "new_tei"])
    visible.append([2010001, new_tei(2010001)])
    hidden = wb.create_sheet("Secret")
    hidden.append(["issi", "new_tei"])
    hidden.append([2020001, new_tei(2020001)])
    hidden.sheet_state = "hidden"
    wb.active = 1  # even when the hidden sheet is the active one
    path = world.tmp / "hidden.xlsx"
    wb.save(path)
    result = world.cli("sub", "change", str(path), "-c", "1001", "--by", ORDERER, "--dry-run", "-f", "json")
    assert result.code == 0, result.stderr
    out = result.json()
    assert (out["sheet"], out["changes"], [r["issi"] for r in out["rows"]]) == ("Order", 1, [2010001])


# ------------------------------------------------------------ --file through the import pipeline's reader
def two_sheet_book(path, header, rows):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Notes"
    wb.active.append(["nothing here"])
    sheet = wb.create_sheet("Rader")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    wb.save(path)
    return path


def test_order_file_takes_sheet_and_says_which_sheet_it_read(world):
    path = two_sheet_book(world.tmp / "new.xlsx", ["kind", "tei"], [["standby", "ABCDEF012345678"]])
    args = ["sub", "order", "-c", "1001", "--by", ORDERER, "--file", str(path), "-f", "json"]
    refused(world, 3, *args, messages=("header row missing",))  # the active sheet has no header
    result = world.cli(*args, "--sheet", "Rader")
    assert result.code == 0, result.stderr
    assert "read sheet 'Rader'" in result.stderr
    assert (result.json()["sheet"], result.json()["kinds"]) == ("Rader", {"standby": 1})


def test_activate_file_takes_sheet_and_delimiter(world):
    path = two_sheet_book(world.tmp / "issis.xlsx", ["issi"], [[2010025], [2010026]])
    result = world.cli(
        "sub", "activate", "--file", str(path), "--sheet", "Rader", "--by", ORDERER, "-f", "json"
    )
    assert result.code == 0, result.stderr
    assert result.json()["changed"] == 2 and "read sheet 'Rader'" in result.stderr
    tabbed = world.tmp / "issis.csv"
    tabbed.write_text("issi\tnote\n2010025\ta, b\n2010027\tc\n", encoding="utf-8")
    again = world.cli(
        "sub", "deactivate", "--file", str(tabbed), "--delimiter", "tab", "--by", ORDERER, "-f", "json"
    )
    assert again.code == 0, again.stderr
    assert [s["issi"] for s in again.json()["subscriptions"]] == [2010025, 2010027]

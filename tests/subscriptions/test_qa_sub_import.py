"""QA of `sub import` (and `roster import`) after the write-lock shortcuts of 2026-12-01.

The desk's scenarios run through the CLI in-process on the demo store, on SQLite or on the
PostgreSQL store of ``OPS_TEST_DB_URL``: the fresh path (no stored ISSI in the file's range),
ISSIs around stored and retired ones, foreign ISSIs, TEI swaps, terminations and standby
activations, duplicates at the 200-row block edges, dry runs against the real run, re-imports,
CSV with ``;`` and xlsx, and undo of each import. A refusal exits with its code, names
``file:row: column`` and leaves the store as it was.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import db as store_db
from helpers.changesets import domain, last_changeset, ok
from helpers.refusals import refused as refusal
from helpers.seed import demo_store
from helpers.sheets import write_csv, write_xlsx

HEADER = ["customer", "issi", "tei", "msisdn", "kind", "status"]
ORDERER = "anna.berg@polisen.example"  # orderer of 1001
CONTACT = "sara.lund@polisen.example"  # contact of 1001


@pytest.fixture
def demo(env):
    return demo_store(env, "2026-11-18T10:00")


def sheet(path: Path, *rows, delimiter: str = ",") -> Path:
    return write_csv(path, HEADER, rows, delimiter=delimiter)


def sub(env, issi):
    r = env.cli("sub", "show", str(issi), "-f", "json")
    return r.json() if r.code == 0 else None


def refused(env, args, code, message):
    return refusal(env, code, message, *args)


def imported(env, *args):
    r = env.cli("sub", "import", *args, "-f", "json")
    assert r.code == 0, r.stderr
    return r.json()


def audit_after(env, obj):
    conn = store_db.connect(env.db)
    try:
        rows = conn.execute("SELECT after FROM audit WHERE object = ? ORDER BY id", (obj,)).fetchall()
    finally:
        conn.close()
    return json.loads(rows[-1][0])


def tei(n: int) -> str:
    return f"{n:015X}"


# ------------------------------------------------------------------ defects


@pytest.mark.parametrize("taker", ["2019071", "2010001"], ids=["new-row", "held-row"])
@pytest.mark.parametrize("dry", [False, True], ids=["real", "dry-run"])
def test_a_reactivated_subscription_keeps_its_tei_against_another_row_of_the_file(demo, tmp_path, taker, dry):
    # A terminated subscription set active again with an empty TEI cell keeps its stored TEI;
    # another row of the same file taking that TEI must be refused (exit 6) like any TEI in two
    # rows. Seen: exit 1 "the store cannot be read (UNIQUE constraint failed: subscriptions.tei)"
    # on SQLite, "duplicate key value violates unique constraint" (dry run: "current transaction
    # is aborted") on PostgreSQL.
    kept = tei(0xAA01)
    imported(
        demo,
        str(sheet(tmp_path / "t.csv", ["1001", "2019070", kept, "", "", "terminated"])),
        "--confirm-reset",
    )
    path = sheet(
        tmp_path / "s.csv",
        ["1001", "2019070", "", "", "", "active"],  # keeps kept through the empty cell
        ["1001", taker, kept, "", "", ""],
    )
    args = ["sub", "import", str(path)] + (["--dry-run"] if dry else [])
    refused(demo, args, 6, f"{path}:3: tei: TEI {kept}")


def test_two_terminated_subscriptions_of_one_tei_both_set_live_are_refused(demo, tmp_path):
    # Two terminated subscriptions may share a TEI; a file that sets both live again (empty TEI
    # cells: each keeps the stored one) binds it twice. Seen: exit 1, "UNIQUE constraint failed".
    shared = tei(0xEE05)
    ended = sheet(
        tmp_path / "t.csv",
        ["1001", "2019090", shared, "", "", "terminated"],
        ["1001", "2019091", shared, "", "", "terminated"],
    )
    imported(demo, str(ended), "--confirm-reset")
    path = sheet(
        tmp_path / "s.csv",
        ["1001", "2019090", "", "", "", "active"],
        ["1001", "2019091", "", "", "", "inactive"],
    )
    refused(demo, ["sub", "import", str(path)], 6, f"{path}:3: tei: TEI {shared}")


def test_an_update_of_an_already_terminated_subscription_records_no_reset_confirmation(demo, tmp_path):
    # --confirm-reset is for the rows that terminate a subscription; a row that only changes the
    # MSISDN of a subscription terminated long ago must not be audited as "reset_confirmed".
    # Seen: its sub.update after-image carries "reset_confirmed": true.
    imported(
        demo,
        str(sheet(tmp_path / "t.csv", ["1001", "2019081", tei(0xBB02), "", "", "terminated"])),
        "--confirm-reset",
    )
    path = sheet(
        tmp_path / "s.csv",
        ["1001", "2019081", "", "+46701110000", "", ""],  # already terminated: MSISDN only
        ["1001", "2010003", "", "", "", "terminated"],  # the row the option is given for
    )
    assert imported(demo, str(path), "--confirm-reset")["updated"] == 2
    assert audit_after(demo, "sub:2010003")["reset_confirmed"] is True
    assert "reset_confirmed" not in audit_after(demo, "sub:2019081")


def test_a_dry_run_shows_one_tei_change_as_one_change(demo, tmp_path):
    # The per-row diff (field: before -> after) of a row that takes a new TEI. Seen: two entries
    # for the one subscription, "tei: 493BA85BBEE2751 -> (none)" then "(none) -> 00000000000CC01"
    # (the write's internal unbinding step), and `ops undo` of the import counts 2 rows for it.
    old = sub(demo, 2010004)["tei"]
    path = sheet(tmp_path / "s.csv", ["1001", "2010004", tei(0xCC01), "", "", ""])
    out = ok(demo, "sub", "import", str(path), "--dry-run", "-f", "json").json()
    assert out["rows"] == [
        {"row": 2, "issi": 2010004, "action": "update", "changes": {"tei": [old, tei(0xCC01)]}}
    ]
    mine = [c for c in out["changes"] if c["object"] == "subscription 2010004"]
    assert [c["fields"] for c in mine] == [{"tei": [old, tei(0xCC01)]}]


# ------------------------------------------------------------------ scenarios that hold


def test_new_issis_around_stored_and_retired_ones_dry_run_matches_and_undo_restores(demo, tmp_path):
    before = domain(demo)
    # 2010000..2010113 holds stored ISSIs and the retired 2010012; the file names none of them
    path = sheet(
        tmp_path / "s.csv",
        ["1001", "2010000", tei(0xB1), "", "", ""],
        ["1001", "2010050", tei(0xB2), "", "standby", ""],
        ["1002", "2010113", tei(0xB3), "", "", "active"],
    )
    dry = ok(demo, "sub", "import", str(path), "--dry-run", "-f", "json").json()
    assert domain(demo) == before
    real = imported(demo, str(path))
    assert {k: dry[k] for k in real if k != "dry_run"} == {k: v for k, v in real.items() if k != "dry_run"}
    assert [r["issi"] for r in dry["rows"]] == [2010000, 2010050, 2010113]
    assert (sub(demo, 2010050)["kind"], sub(demo, 2010113)["status"]) == ("standby", "active")
    again = imported(demo, str(path))
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)
    ok(demo, "undo", str(last_changeset(demo)), "--yes")
    assert domain(demo) == before
    retired = sheet(
        tmp_path / "r.csv", ["1001", "2010000", "", "", "", ""], ["1001", "2010012", "", "", "", ""]
    )
    refused(demo, ["sub", "import", str(retired)], 6, f"{retired}:3: issi: ISSI 2010012 was given up")


def test_an_issi_of_another_customer_among_new_ones_is_refused_without_naming_the_owner(demo, tmp_path):
    path = sheet(
        tmp_path / "s.csv",
        ["1001", "2019001", tei(0xC1), "", "", ""],
        ["1001", "2020005", "", "", "", ""],  # customer 1002's
        ["1001", "2019003", tei(0xC3), "", "", ""],
    )
    for extra in ([], ["--dry-run"]):
        r = refused(
            demo,
            ["sub", "import", str(path), *extra],
            5,
            f"{path}:3: issi: ISSI 2020005 is not a subscription of customer 1001",
        )
        assert "1002" not in r.stderr


def test_terminating_needs_an_orderer_and_the_confirmation(demo, tmp_path):
    path = sheet(tmp_path / "s.csv", ["1001", "2010001", "", "", "", "terminated"])
    refused(
        demo,
        ["sub", "import", str(path)],
        3,
        f"{path}:2: status: ISSI 2010001: terminating needs --confirm-reset",
    )
    refused(
        demo,
        ["sub", "import", str(path), "--confirm-reset", "--by", CONTACT],
        5,
        "order needs the role orderer",
    )
    before = domain(demo)
    assert imported(demo, str(path), "--confirm-reset", "--by", ORDERER)["updated"] == 1
    assert audit_after(demo, "sub:2010001")["reset_confirmed"] is True
    ok(demo, "undo", str(last_changeset(demo)), "--yes")
    assert domain(demo) == before


@pytest.mark.parametrize("rotate", [2, 3])
def test_teis_swapped_or_rotated_between_rows_are_written_and_undone(demo, tmp_path, rotate):
    issis = [2010001 + i for i in range(rotate)]
    teis = [sub(demo, i)["tei"] for i in issis]
    before = domain(demo)
    path = sheet(
        tmp_path / "s.csv",
        *[["1001", str(i), teis[(n + 1) % rotate], "", "", ""] for n, i in enumerate(issis)],
    )
    assert imported(demo, str(path))["updated"] == rotate
    assert [sub(demo, i)["tei"] for i in issis] == teis[1:] + teis[:1]
    ok(demo, "undo", str(last_changeset(demo)), "--yes")
    assert domain(demo) == before


def test_a_tei_kept_by_one_row_and_taken_by_another_is_refused(demo, tmp_path):
    kept = sub(demo, 2010001)["tei"]
    for rows in (
        [["1001", "2010001", kept, "", "", ""], ["1001", "2019030", kept, "", "", ""]],
        [["1001", "2019030", kept, "", "", ""], ["1001", "2010001", "", "", "", "inactive"]],
    ):
        path = sheet(tmp_path / "s.csv", *rows)
        line = 3 if rows[0][1] == "2010001" else 2
        refused(
            demo, ["sub", "import", str(path)], 6, f"{path}:{line}: tei: TEI {kept} is bound to ISSI 2010001"
        )


@pytest.mark.parametrize("n", [199, 200, 201])
def test_a_repeated_issi_at_the_block_edges_is_found(demo, tmp_path, n):
    rows = [["1001", str(4000001 + i), tei(0x100000 + i), "", "", ""] for i in range(n)]
    rows[-1] = ["1001", "4000001", tei(0x900000), "", "", ""]
    path = sheet(tmp_path / "s.csv", *rows)
    refused(demo, ["sub", "import", str(path)], 3, f"{path}:{n + 1}: issi: ISSI 4000001 is also in row 2")


def test_a_semicolon_csv_and_an_xlsx_give_the_same_plan(demo, tmp_path):
    rows = [["1001", "2019060", tei(0x311), "", "", ""], ["2001", "3010004", "", "+46701230099", "", ""]]
    csv_path = sheet(tmp_path / "s.csv", *rows, delimiter=";")
    xlsx_path = write_xlsx(
        tmp_path / "s.xlsx", HEADER, [[1001, 2019060, tei(0x311)], [2001, 3010004, None, "+46701230099"]]
    )
    a = ok(demo, "sub", "import", str(csv_path), "--dry-run", "-f", "json").json()
    b = ok(demo, "sub", "import", str(xlsx_path), "--dry-run", "-f", "json").json()
    assert (
        (a["created"], a["updated"], a["rows"])
        == (b["created"], b["updated"], b["rows"])
        == (1, 1, a["rows"])
    )
    before = domain(demo)
    imported(demo, str(xlsx_path))
    assert imported(demo, str(csv_path))["unchanged"] == 2
    ok(demo, "undo", str(last_changeset(demo)), "--yes")
    assert domain(demo) == before


def test_a_roster_import_creating_customers_across_blocks_is_undone(demo, tmp_path):
    header = ["customer", "customer_name", "name", "email", "phone", "role", "kind"]
    roles = ["orderer", "contact", "viewer"]
    rows = [
        [str(5000 + i // 3), f"Kund {i // 3}", f"P {i}", f"p{i}@k{i // 3}.example", "", roles[i % 3], ""]
        for i in range(603)
    ]
    path = write_csv(tmp_path / "r.csv", header, rows)
    before = domain(demo)
    r = ok(demo, "roster", "import", str(path), "-f", "json").json()
    assert (r["created"], len(r["customers_created"])) == (603, 201)
    again = ok(demo, "roster", "import", str(path), "-f", "json").json()
    assert (again["created"], again["unchanged"], again["customers_created"]) == (0, 603, [])
    ok(demo, "undo", str(last_changeset(demo)), "--yes")
    assert domain(demo) == before

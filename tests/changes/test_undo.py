"""`ops undo`: every write command is one changeset; undo restores the exact prior rows."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from helpers import db as store_db
from helpers.changesets import domain, last_changeset, ok
from helpers.seed import demo_store

ANNA = "anna.berg@polisen.example"
OLLE = "olle.ek@polisen.example"
# The audit and changeset records grow; the case-number counter never goes back (no number reused).


@pytest.fixture
def demo(env):
    return demo_store(env, "2026-11-18T10:00")  # a Wednesday in desk office hours


def undo(env, number, *args):
    return ok(env, "undo", str(number), "--yes", "-f", "json", *args).json()


def write_csv(path: Path, rows) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def query(env, sql, params=()):
    conn = store_db.connect(env.db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


# ------------------------------------------------------------------ each write command, undone
def test_undo_roster_import_with_replace_removals(demo, tmp_path):
    before = domain(demo)
    path = write_csv(
        tmp_path / "nordbygg.csv",
        [
            ["customer", "name", "email", "phone", "role", "kind"],
            ["2001", "Maria Sund-Ek", "maria.sund@nordbygg.example", "", "orderer", "person"],
            ["2001", "Per Falk", "per.falk@nordbygg.example", "+46701234567", "telephony", "person"],
            ["2001", "Emma Strand", "emma.strand@nordbygg.example", "", "contact", "person"],
            ["2001", "Ny Person", "ny.person@nordbygg.example", "", "viewer", "person"],
        ],
    )
    imported = ok(demo, "roster", "import", str(path), "--replace", "--yes", "-f", "json").json()
    assert imported["removed"] == 2 and imported["created"] == 1
    number = last_changeset(demo)
    result = undo(demo, number)
    assert (result["removed"], result["restored"]) == (1, 2)
    assert result["reverted"] >= 1
    assert domain(demo) == before


def test_undo_streamed_roster_import_that_inserted_and_updated(demo, tmp_path):
    """The plain roster import records its rows set-based (no per-row trigger): undo still
    restores exactly, and the changeset lists each row once."""
    before = domain(demo)
    path = write_csv(
        tmp_path / "polisen.csv",
        [
            ["customer", "name", "email", "phone", "role", "kind"],
            ["1001", "Olle Ekström", OLLE, "+46 70 111 22 99", "viewer", "person"],  # updated
            ["1001", "Mats Holm", "mats.holm@polisen.example", "+46701112244", "viewer", "person"],  # same
            ["1001", "Nils Ny", "nils.ny@polisen.example", "", "contact", "person"],  # created
            ["1001", "Nora Ny", "nora.ny@polisen.example", "+46701112255", "viewer", "person"],  # created
        ],
    )
    imported = ok(demo, "roster", "import", str(path), "-f", "json").json()
    assert (imported["created"], imported["updated"], imported["unchanged"]) == (2, 1, 1)
    number = last_changeset(demo)
    changes = query(
        demo, "SELECT tbl, op, count(*) FROM row_changes WHERE changeset_id = ? GROUP BY tbl, op", (number,)
    )
    assert sorted(changes) == [("roster_entries", "insert", 2), ("roster_entries", "update", 1)]
    assert query(demo, "SELECT count(*) FROM audit WHERE changeset_id IS NULL") == [(0,)]
    result = undo(demo, number)
    assert (result["removed"], result["reverted"]) == (2, 1)
    assert domain(demo) == before


def test_undo_of_an_import_whose_new_row_was_changed_later(demo, tmp_path):
    """A bulk import keeps no after image of the rows it adds (the row as it left it is the
    next change's before image): a later change of such a row still stops the undo, naming the
    row; undone newest first, the store is back as it was; --force removes the row anyway."""
    before = domain(demo)
    nils = "nils.ny@polisen.example"
    path = write_csv(
        tmp_path / "new.csv",
        [["customer", "name", "email", "role"], ["1001", "Nils Ny", nils, "contact"]],
    )
    ok(demo, "roster", "import", str(path))
    imported = last_changeset(demo)
    ok(demo, "roster", "set", "-c", "1001", "-e", nils, "--name", "Nils Nyman")
    renamed = last_changeset(demo)
    whole = demo.snapshot()
    refused = demo.cli("undo", str(imported), "--yes")
    assert refused.code == 6
    assert f"roster 1001/{nils}" in refused.stderr and f"changeset {renamed} " in refused.stderr
    assert demo.snapshot() == whole
    preview = ok(demo, "undo", str(renamed), "--dry-run", "-f", "json").json()
    assert preview["changes"][0]["fields"] == {"name": {"before": "Nils Nyman", "after": "Nils Ny"}}
    undo(demo, renamed)
    assert undo(demo, imported)["removed"] == 1
    assert domain(demo) == before

    ok(demo, "roster", "import", str(path))
    again = last_changeset(demo)
    ok(demo, "roster", "set", "-c", "1001", "-e", nils, "--name", "Nils Nyman")
    assert undo(demo, again, "--force")["forced"] is True
    assert query(demo, "SELECT count(*) FROM roster_entries WHERE email = ?", (nils,)) == [(0,)]


def test_undo_sub_import_that_created_updated_and_swapped_teis(demo, tmp_path):
    """Two subscriptions trade TEIs (the import unbinds them first), one is changed, one is new:
    undo puts every row back through states the store really had."""
    tei1, tei2 = query(demo, "SELECT tei FROM subscriptions WHERE issi IN (2010001, 2010002) ORDER BY issi")
    before = domain(demo)
    path = write_csv(
        tmp_path / "subs.csv",
        [
            ["customer", "issi", "tei", "msisdn", "kind", "status"],
            ["1001", "2010001", tei2[0], "", "", ""],
            ["1001", "2010002", tei1[0], "", "", ""],
            ["1001", "2010003", "", "+46701234599", "", ""],
            ["1001", "2019999", "ABCDEF012345678", "", "", ""],
        ],
    )
    imported = ok(demo, "sub", "import", str(path), "--by", ANNA, "-f", "json").json()
    assert (imported["created"], imported["updated"]) == (1, 3)
    number = last_changeset(demo)
    ops = query(demo, "SELECT op, rid FROM row_changes WHERE changeset_id = ? ORDER BY id", (number,))
    # unbind (2 rows), the update (3 rows), then the insert, as the statements ran
    assert ops == [("update", 2010001), ("update", 2010002)] + [
        ("update", i) for i in (2010001, 2010002, 2010003)
    ] + [("insert", 2019999)]
    assert query(demo, "SELECT count(*) FROM audit WHERE changeset_id = ?", (number,)) == [(4,)]
    result = undo(demo, number)
    assert (result["removed"], result["reverted"]) == (1, 5)
    assert domain(demo) == before


def test_undo_roster_remove_and_set(demo):
    before = domain(demo)
    ok(demo, "roster", "set", "-c", "1001", "-e", OLLE, "-r", "viewer", "-r", "contact", "--phone", "")
    after_set = domain(demo)
    set_cs = last_changeset(demo)
    ok(demo, "roster", "remove", "-c", "1001", "-e", "mats.holm@polisen.example")
    undo(demo, last_changeset(demo))
    assert domain(demo) == after_set
    undo(demo, set_cs)
    assert domain(demo) == before


def test_undo_sub_change_and_deliver(demo, tmp_path):
    before = domain(demo)
    path = write_csv(tmp_path / "order.csv", [["issi", "new_tei"], ["2010001", "ABCDE0123456789"]])
    case = ok(demo, "sub", "change", str(path), "-c", "1001", "--by", ANNA, "-f", "json").json()["case"]
    change_cs = last_changeset(demo)
    after_change = domain(demo)
    ok(demo, "sub", "deliver", case)
    deliver_cs = last_changeset(demo)
    assert query(demo, "SELECT tei FROM subscriptions WHERE issi = 2010001") == [("ABCDE0123456789",)]

    # the order's rows were changed again by the delivery: refused, naming them, nothing changed
    whole = demo.snapshot()
    refused = demo.cli("undo", str(change_cs), "--yes")
    assert refused.code == 6, refused.stderr
    assert refused.stderr.startswith("error: ")
    assert f"changeset {deliver_cs} changed the same rows later" in refused.stderr
    assert f"case {case}" in refused.stderr
    assert demo.snapshot() == whole

    undo(demo, deliver_cs)
    assert domain(demo) == after_change
    undo(demo, change_cs)
    assert domain(demo) == before


@pytest.mark.parametrize(
    "args",
    [
        ("sub", "activate", "2010018", "--by", ANNA),
        ("sub", "terminate", "2010002", "--by", ANNA, "--confirm-reset", "--yes"),
        ("case", "close", "2026-00009", "--resolution", "Masten omstartad"),
    ],
    ids=["sub-activate", "sub-terminate", "case-close"],
)
def test_undo_single_commands(demo, args):
    before = domain(demo)
    ok(demo, *args)
    assert domain(demo) != before
    undo(demo, last_changeset(demo))
    assert domain(demo) == before


def test_undo_swap_ship(demo):
    opened = ok(
        demo,
        "case",
        "open",
        "-t",
        "terminal-fault",
        "-c",
        "2001",
        "--reporter",
        "maria.sund@nordbygg.example",
        "--subject",
        "Trasig skärm",
        "-f",
        "json",
    ).json()
    before = domain(demo)
    shipped = ok(demo, "swap", "ship", "-c", "2001", "--case", opened["number"], "-f", "json").json()
    assert query(demo, "SELECT state FROM swap_units WHERE serial = ?", (shipped["serial"],)) == [
        ("swapped_out",)
    ]
    undo(demo, last_changeset(demo))
    assert domain(demo) == before


# ------------------------------------------------------------------ overlap, force, redo
def test_undo_refused_after_a_later_overlapping_change_then_forced(demo):
    before = domain(demo)
    ok(demo, "roster", "set", "-c", "1001", "-e", OLLE, "--name", "Olle Eklund")
    first = last_changeset(demo)
    ok(demo, "roster", "set", "-c", "1001", "-e", OLLE, "--phone", "070-999 99 99")
    second = last_changeset(demo)
    whole = demo.snapshot()
    refused = demo.cli("undo", str(first), "--yes")
    assert refused.code == 6
    assert refused.stderr.startswith("error: ")
    assert f"roster 1001/{OLLE}" in refused.stderr and f"changeset {second} " in refused.stderr
    assert "--force" in refused.stderr
    assert demo.snapshot() == whole
    forced = undo(demo, first, "--force")
    assert forced["forced"] is True
    assert domain(demo) == before


def test_undo_of_undo_redoes(demo):
    ok(demo, "roster", "set", "-c", "1001", "-e", OLLE, "-r", "contact")
    changed = domain(demo)
    first = last_changeset(demo)
    undone = undo(demo, first)
    assert domain(demo) != changed
    redo = undo(demo, undone["undone_by"])
    assert domain(demo) == changed
    listed = {c["id"]: c for c in ok(demo, "undo", "--list", "-f", "json").json()}
    assert listed[undone["undone_by"]]["undoes"] == first
    assert listed[first]["undone_by"] == undone["undone_by"]
    assert listed[redo["undone_by"]]["undoes"] == undone["undone_by"]


def test_undo_appends_audit_records_and_removes_none(demo):
    ok(demo, "roster", "set", "-c", "1001", "-e", OLLE, "-r", "contact")
    number = last_changeset(demo)
    audit_before = query(demo, "SELECT * FROM audit ORDER BY id")
    result = undo(demo, number)
    audit_after = query(demo, "SELECT * FROM audit ORDER BY id")
    assert audit_after[: len(audit_before)] == audit_before
    added = query(
        demo,
        "SELECT action, object, changeset_id FROM audit WHERE id > ? ORDER BY id",
        (audit_before[-1][0],),
    )
    new = result["undone_by"]
    assert added == [("undo", f"roster:1001:{OLLE}", new), ("changeset.undo", f"changeset:{number}", new)]
    assert query(demo, "SELECT count(*) FROM audit WHERE changeset_id = ?", (number,)) == [(1,)]


# ------------------------------------------------------------------ confirmation, dry run, errors
def test_undo_needs_yes_without_a_terminal(demo):
    ok(demo, "roster", "set", "-c", "1001", "-e", OLLE, "-r", "contact")
    number = last_changeset(demo)
    whole = demo.snapshot()
    result = demo.run("undo", str(number), input="")
    assert result.code == 2, result.stderr
    assert result.stderr.startswith("error: ") and "--yes" in result.stderr
    assert demo.snapshot() == whole


def test_undo_dry_run_shows_the_per_row_diff(demo):
    ((phone,),) = query(demo, "SELECT phone FROM roster_entries WHERE email = ?", (OLLE,))
    ok(demo, "roster", "set", "-c", "1001", "-e", OLLE, "-r", "viewer", "-r", "contact", "--phone", "")
    number = last_changeset(demo)
    whole = demo.snapshot()
    table = demo.run("undo", str(number), "--dry-run", input="")
    assert table.code == 0, table.stderr
    assert f"roster 1001/{OLLE}" in table.stdout
    assert f"phone: (none) → {phone}" in table.stdout
    assert "roles: contact,viewer → viewer" in table.stdout
    data = ok(demo, "undo", str(number), "--dry-run", "-f", "json").json()
    assert data["dry_run"] is True and data["undone_by"] is None
    (change,) = data["changes"]
    assert change["object"] == f"roster 1001/{OLLE}" and change["change"] == "reverted"
    assert change["fields"]["roles"] == {"before": "contact,viewer", "after": "viewer"}
    assert change["fields"]["phone"] == {"before": None, "after": phone}
    assert demo.snapshot() == whole


def test_undo_unknown_changeset_and_usage(demo):
    whole = demo.snapshot()
    missing = demo.cli("undo", "999", "--yes")
    assert missing.code == 4 and "no changeset 999" in missing.stderr
    bare = demo.run("undo", input="")
    assert bare.code == 2 and bare.stderr.startswith("error: ")
    assert demo.snapshot() == whole


# ------------------------------------------------------------------ what a changeset records
def test_changeset_records_command_actor_and_business_time(demo):
    count = query(demo, "SELECT count(*) FROM changesets")[0][0]
    ok(demo, "roster", "list", "-c", "1001")  # a read makes no changeset
    assert query(demo, "SELECT count(*) FROM changesets")[0][0] == count
    result = demo.run("roster", "set", "-c", "1001", "-e", OLLE, "-r", "contact", "--by", ANNA)
    assert result.code == 0, result.stderr
    (row,) = query(demo, "SELECT actor, command, business_at FROM changesets ORDER BY id DESC LIMIT 1")
    assert row[0] == ANNA
    assert row[1] == f"ops roster set -c 1001 -e {OLLE} -r contact --by {ANNA}"
    assert row[2] == "2026-11-18T09:00:00+00:00"
    audit = query(demo, "SELECT changeset_id FROM audit ORDER BY id DESC LIMIT 1")
    assert audit == [(last_changeset(demo),)]


def test_undo_twice_says_it_was_undone(demo):
    ok(demo, "roster", "set", "-c", "1001", "-e", OLLE, "-r", "contact")
    number = last_changeset(demo)
    new = undo(demo, number)["undone_by"]
    again = demo.cli("undo", str(number), "--yes")
    assert again.code == 6
    assert f"changeset {number} was undone already by changeset {new}; undo {new} to redo it" in again.stderr


def test_undo_remove_after_the_key_was_taken_again(demo):
    mats = "mats.holm@polisen.example"
    before = domain(demo)
    ok(demo, "roster", "remove", "-c", "1001", "-e", mats)
    removed = last_changeset(demo)
    ok(demo, "roster", "add", "-c", "1001", "-e", mats, "--name", "Mats Holm", "-r", "contact")
    whole = demo.snapshot()
    refused = demo.cli("undo", str(removed), "--yes")
    assert refused.code == 6
    assert f"putting back roster 1001/{mats} breaks a rule of the store" in refused.stderr
    assert demo.snapshot() == whole
    undo(demo, removed, "--force")
    assert domain(demo) == before


# ------------------------------------------------------------------ ops db log filters
def test_db_log_filters_by_object_changeset_action_actor(demo):
    ok(demo, "sub", "terminate", "2010002", "--by", ANNA, "--confirm-reset", "--yes")
    number = last_changeset(demo)
    by_issi = ok(demo, "db", "log", "--object", "issi:2010002", "-f", "json").json()
    assert [r["action"] for r in by_issi] == ["sub.terminate", "sub.create"]
    assert by_issi[0]["changeset"] == number
    assert by_issi[0]["business_at"] == "2026-11-18T10:00:00+01:00"  # desk-local
    assert ok(demo, "db", "log", "--changeset", str(number), "-f", "json").json() == by_issi[:1]
    roster = ok(demo, "db", "log", "--action", "roster", "--object", "customer:1001", "-f", "json").json()
    assert {r["action"] for r in roster} == {"roster.import"}
    annas = ok(demo, "db", "log", "--actor", ANNA, "-f", "json").json()
    assert annas[0] == by_issi[0] and {r["actor"] for r in annas} == {ANNA}
    assert ok(demo, "db", "log", "--since", "2000-01-01", "--until", "2000-01-02", "-f", "json").json() == []


def test_classified_case_text_stays_hidden(demo):
    opened = ok(
        demo,
        "case",
        "open",
        "-t",
        "question",
        "-c",
        "1001",
        "--reporter",
        ANNA,
        "--subject",
        "Hemlig fråga",
        "--classification",
        "secret",
        "-f",
        "json",
    ).json()
    before = domain(demo)
    result = demo.run("case", "close", opened["number"], "--resolution", "Hemligt svar")
    assert result.code == 0, result.stderr
    number = last_changeset(demo)
    listed = ok(demo, "undo", "--list", "-n", "1", "-f", "json").json()[0]
    assert "Hemligt" not in listed["command"] and listed["command"].endswith("--resolution ...")
    data = ok(demo, "undo", str(number), "--dry-run", "-f", "json").json()
    assert "Hemlig" not in str(data)
    (case_row,) = [c for c in data["changes"] if c["object"] == f"case {opened['number']}"]
    assert case_row["fields"]["resolution"] == {"before": "(classified)", "after": None}
    undo(demo, number)
    assert domain(demo) == before


def _on_a_terminal(env, answer: str, *args: str):
    """Run `ops` with its stdin on a pseudo-terminal, typing ``answer``."""
    import os
    import pty
    import subprocess
    import sys

    master, slave = pty.openpty()
    try:
        os.write(master, answer.encode())
        proc = subprocess.run(
            [str(Path(sys.executable).with_name("ops")), *args],
            stdin=slave,
            capture_output=True,
            text=True,
            env=env.environ(),
            timeout=60,
        )
    finally:
        os.close(master)
        os.close(slave)
    return proc


def test_undo_asks_on_a_terminal_showing_what_goes(demo):
    ok(demo, "roster", "set", "-c", "1001", "-e", OLLE, "-r", "contact")
    number = last_changeset(demo)
    whole = demo.snapshot()
    declined = _on_a_terminal(demo, "n\n", "undo", str(number))
    assert declined.returncode == 1, declined.stderr
    assert f"roster 1001/{OLLE}" in declined.stdout and "roles: contact → viewer" in declined.stdout
    assert f"Undo changeset {number}?" in declined.stderr and "nothing was changed" in declined.stderr
    assert demo.snapshot() == whole
    accepted = _on_a_terminal(demo, "y\n", "undo", str(number))
    assert accepted.returncode == 0, accepted.stderr
    assert f"undid changeset {number}: 1 reverted" in accepted.stderr
    assert query(demo, "SELECT roles FROM roster_entries WHERE email = ?", (OLLE,)) == [("viewer",)]


def test_an_undone_case_number_is_not_given_again(demo):
    first = ok(
        demo,
        "case",
        "open",
        "-t",
        "question",
        "-c",
        "1001",
        "--reporter",
        ANNA,
        "--subject",
        "Fråga",
        "-f",
        "json",
    )
    undo(demo, last_changeset(demo))
    second = ok(
        demo,
        "case",
        "open",
        "-t",
        "question",
        "-c",
        "1001",
        "--reporter",
        ANNA,
        "--subject",
        "Fråga",
        "-f",
        "json",
    )
    assert first.json()["number"] == "2026-00013" and second.json()["number"] == "2026-00014"

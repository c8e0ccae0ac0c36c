"""QA: `ops undo` and the `--dry-run` diffs around bulk writes that keep no after image
(`roster import`, `sub import`, `sub activate/deactivate/terminate --file`): the after image is
read from the row's next change, else the row as it is now. Used as the desk would: imports,
later changes of the imported rows, undo in every order, --force, redo."""

from __future__ import annotations

import pytest
from helpers.changesets import domain, dry_run_changes, last_changeset, ok
from helpers.refusals import refused
from helpers.sheets import write_csv

ANNA = "anna.berg@polisen.example"
NILS = "nils.ny@polisen.example"
OLLE = "olle.ek@polisen.example"
KARIN = "karin@nykund.example"
KALLE = "kalle@nykund.example"
ROSTER = ["customer", "customer_name", "name", "email", "phone", "role", "kind"]
SUBS = ["customer", "issi", "tei", "msisdn", "kind", "status"]


@pytest.fixture
def demo(env):
    env.now = "2026-11-18T10:00"  # a Wednesday in desk office hours
    assert env.cli("init", "--demo").code == 0
    return env


def at(hour: int) -> dict[str, str]:
    """A later business time the same day (each command its own `updated_at`)."""
    return {"OPS_NOW": f"2026-11-18T{hour:02d}:00"}


def run(env, *args, hour: int = 10):
    result = env.cli(*args, **at(hour))
    assert result.code == 0, (args, result.stderr)
    return last_changeset(env)


def undo(env, number, *args):
    return ok(env, "undo", str(number), "--yes", "-f", "json", *args).json()


def roster_sheet(tmp_path, name, rows):
    return str(write_csv(tmp_path / name, ROSTER, rows))


def first_sheet(tmp_path):
    """Two new customers (customer_name), a new entry of an existing one, one updated entry."""
    return roster_sheet(
        tmp_path,
        "first.csv",
        [
            ["1001", "", "Olle Ekström", OLLE, "+46 70 111 22 99", "viewer", "person"],
            ["1001", "", "Nils Ny", NILS, "", "contact", "person"],
            ["3001", "Ny Kund AB", "Karin Ny", KARIN, "+46701112200", "orderer", "person"],
            ["3001", "Ny Kund AB", "Kalle Ny", KALLE, "", "contact", "person"],
            ["3002", "Annan Kund", "Lisa", "lisa@annan.example", "", "orderer,contact", "person"],
        ],
    )


# ------------------------------------------------------------------ roster import
def test_qa_roster_import_with_new_customers_undone_exactly(demo, tmp_path):
    before = domain(demo)
    sheet = first_sheet(tmp_path)
    imported = ok(demo, "roster", "import", sheet, "-f", "json").json()
    assert (imported["created"], imported["updated"], imported["customers_created"]) == (
        4,
        1,
        ["3001", "3002"],
    )
    number = last_changeset(demo)
    whole = demo.snapshot()
    preview = ok(demo, "undo", str(number), "--dry-run", "-f", "json").json()
    assert (preview["removed"], preview["reverted"], preview["dry_run"]) == (6, 1, True)
    assert demo.snapshot() == whole
    by_object = {c["object"]: c for c in preview["changes"]}
    assert by_object["customer 3001"]["fields"]["name"] == {"before": "Ny Kund AB", "after": None}
    assert by_object[f"roster 3001/{KARIN}"]["fields"]["phone"] == {"before": "+46701112200", "after": None}
    assert by_object[f"roster 1001/{OLLE}"]["fields"]["name"] == {
        "before": "Olle Ekström",
        "after": "Olle Ek",
    }
    result = undo(demo, number)
    assert (result["removed"], result["reverted"], result["forced"]) == (6, 1, False)
    assert domain(demo) == before


def test_qa_roster_import_dry_run_diff_shows_the_rows_as_written(demo, tmp_path):
    changes = dry_run_changes(demo, "roster", "import", first_sheet(tmp_path))
    assert changes["customer 3002"]["op"] == "insert"
    assert changes["customer 3002"]["fields"]["name"] == [None, "Annan Kund"]
    assert changes[f"roster 1001/{NILS}"]["fields"]["roles"] == [None, "contact"]
    assert changes[f"roster 1001/{OLLE}"]["fields"]["phone"] == ["+46701112233", "+46701112299"]


def test_qa_later_set_and_remove_of_imported_rows_refuse_until_undone_newest_first(demo, tmp_path):
    before = domain(demo)
    imported = run(demo, "roster", "import", first_sheet(tmp_path))
    renamed = run(demo, "roster", "set", "-c", "3001", "-e", KALLE, "--name", "Kalle Nyman", hour=11)
    removed = run(demo, "roster", "remove", "-c", "1001", "-e", NILS, hour=12)
    run_ = refused(
        demo,
        6,
        f"changesets {renamed}, {removed} changed the same rows later",
        "undo",
        str(imported),
        "--yes",
    )
    assert f"roster 3001/{KALLE}" in run_.stderr and f"roster 1001/{NILS}" in run_.stderr
    undo(demo, renamed)
    run_ = refused(
        demo, 6, f"changeset {removed} changed the same rows later", "undo", str(imported), "--yes"
    )
    assert f"roster 1001/{NILS}" in run_.stderr and KALLE not in run_.stderr
    undo(demo, removed)
    result = undo(demo, imported)
    assert (result["removed"], result["reverted"]) == (6, 1)
    assert domain(demo) == before


def test_qa_forced_undo_of_an_import_whose_rows_changed_later(demo, tmp_path):
    before = domain(demo)
    imported = run(demo, "roster", "import", first_sheet(tmp_path))
    run(demo, "roster", "set", "-c", "1001", "-e", NILS, "--phone", "0701234567", hour=11)
    run(demo, "roster", "set", "-c", "1001", "-e", OLLE, "--name", "Olle Tredje", hour=12)
    preview = ok(demo, "undo", str(imported), "--force", "--dry-run", "-f", "json").json()
    changes = {c["object"]: c for c in preview["changes"]}
    assert changes[f"roster 1001/{NILS}"]["fields"]["phone"] == {"before": "+46701234567", "after": None}
    assert changes[f"roster 1001/{OLLE}"]["fields"]["name"] == {"before": "Olle Tredje", "after": "Olle Ek"}
    result = undo(demo, imported, "--force")
    assert result["forced"] is True and (result["removed"], result["reverted"]) == (6, 1)
    assert domain(demo) == before


def test_qa_refusal_names_a_row_that_a_later_import_added_and_a_later_remove_took(demo, tmp_path):
    """Import Nils, remove him, import him again (the same row id), remove him again: the undo of
    the first import is refused naming Nils, not `roster row N` (the later import kept no image
    and the row is gone: the name must come from the row's next change, its before image)."""
    sheet = roster_sheet(tmp_path, "nils.csv", [["1001", "", "Nils Ny", NILS, "", "viewer", "person"]])
    first = run(demo, "roster", "import", sheet)
    run(demo, "roster", "remove", "-c", "1001", "-e", NILS, hour=11)
    run(demo, "roster", "import", sheet, hour=12)
    run(demo, "roster", "remove", "-c", "1001", "-e", NILS, hour=13)
    run_ = refused(demo, 6, f"roster 1001/{NILS}", "undo", str(first), "--yes")
    assert "roster row" not in run_.stderr, run_.stderr


def test_qa_overlapping_roster_imports_undone_second_then_first(demo, tmp_path):
    before = domain(demo)
    a = roster_sheet(
        tmp_path,
        "a.csv",
        [
            ["1001", "", "Nils Ny", NILS, "", "contact", "person"],
            ["3001", "Ny Kund AB", "Karin Ny", KARIN, "", "orderer,contact", "person"],
            ["1001", "", "Olle Ekström", OLLE, "", "viewer", "person"],
        ],
    )
    b = roster_sheet(
        tmp_path,
        "b.csv",
        [
            ["1001", "", "Nils Nyberg", NILS, "+46701234567", "contact", "person"],
            ["3001", "Annat Namn", "Karin Ny", KARIN, "", "orderer,contact", "person"],
            ["3001", "", "Kalle Ny", KALLE, "", "viewer", "person"],
            ["1001", "", "Olle Ek", OLLE, "", "viewer", "person"],
        ],
    )
    first = run(demo, "roster", "import", a)
    after_first = domain(demo)
    second = demo.cli("roster", "import", b, "-f", "json", **at(11)).json()
    assert (second["created"], second["updated"], second["unchanged"]) == (1, 2, 1)
    second = last_changeset(demo)
    run_ = refused(demo, 6, f"changeset {second} changed the same rows later", "undo", str(first), "--yes")
    assert f"roster 1001/{NILS}" in run_.stderr and f"roster 1001/{OLLE}" in run_.stderr
    preview = ok(demo, "undo", str(second), "--dry-run", "-f", "json").json()
    changes = {c["object"]: c["fields"] for c in preview["changes"]}
    assert changes[f"roster 1001/{NILS}"]["name"] == {"before": "Nils Nyberg", "after": "Nils Ny"}
    undo(demo, second)
    assert domain(demo) == after_first
    undo(demo, first)
    assert domain(demo) == before


def test_qa_redo_of_an_import_then_undo_again(demo, tmp_path):
    before = domain(demo)
    imported = run(demo, "roster", "import", first_sheet(tmp_path))
    after_import = domain(demo)
    undo(demo, imported)
    undone = last_changeset(demo)
    redo = undo(demo, undone)
    assert (redo["restored"], redo["reverted"]) == (6, 1)
    assert domain(demo) == after_import
    redone = last_changeset(demo)
    run(demo, "roster", "set", "-c", "1001", "-e", NILS, "--name", "Nils Nyman", hour=11)
    renamed = last_changeset(demo)
    refused(demo, 6, f"changeset {renamed} changed the same rows later", "undo", str(redone), "--yes")
    undo(demo, renamed)
    undo(demo, redone)
    assert domain(demo) == before
    refused(demo, 6, "was undone already by changeset", "undo", str(imported), "--yes")


def test_qa_undo_list_and_db_log_after_a_bulk_import(demo, tmp_path):
    imported = run(demo, "roster", "import", first_sheet(tmp_path))
    listed = ok(demo, "undo", "--list", "-n", "1", "-f", "json").json()[0]
    assert listed["id"] == imported and listed["rows"] == 7
    log = ok(demo, "db", "log", "--changeset", str(imported), "-f", "json").json()
    assert {r["object"] for r in log} == {"customer:1001", "customer:3001", "customer:3002"}
    assert all(r["action"] == "roster.import" and r["changeset"] == imported for r in log)
    undo(demo, imported)
    listed = ok(demo, "undo", "--list", "-n", "2", "-f", "json").json()
    assert listed[0]["undoes"] == imported and listed[1]["undone_by"] == listed[0]["id"]
    assert listed[0]["rows"] == 7


def test_qa_customer_an_import_created_and_a_later_sub_import_uses_blocks_the_undo(demo, tmp_path):
    imported = run(demo, "roster", "import", first_sheet(tmp_path))
    subs = write_csv(tmp_path / "s.csv", SUBS, [["3001", "3100001", "BBBBBBBBBBBBBB1", "", "", ""]])
    run(demo, "sub", "import", str(subs), hour=11)
    refused(demo, 6, "removing customer 3001 breaks a rule of the store", "undo", str(imported), "--yes")
    refused(demo, 6, "removing customer 3001 breaks a rule", "undo", str(imported), "--yes", "--force")


# ------------------------------------------------------------------ sub import and --file
def sub_sheet(tmp_path):
    return str(
        write_csv(
            tmp_path / "subs.csv",
            SUBS,
            [
                ["1001", "2010001", "42A2D8E4321F805", "46701000001", "", ""],
                ["1001", "2010018", "12D6083E2BFC389", "", "", "active"],
                ["1001", "3000001", "AAAAAAAAAAAAAA1", "", "", "active"],
                ["1001", "3000002", "AAAAAAAAAAAAAA2", "", "", ""],
            ],
        )
    )


def issi_sheet(tmp_path, *issis):
    return str(write_csv(tmp_path / "issis.csv", ["issi"], [[i] for i in issis]))


def test_qa_sub_import_then_deactivate_file_undone_newest_first(demo, tmp_path):
    before = domain(demo)
    imported = run(demo, "sub", "import", sub_sheet(tmp_path))
    issis = issi_sheet(tmp_path, 3000001, 2010018, 2010001)
    preview = demo.cli(
        "sub", "deactivate", "--file", issis, "--by", ANNA, "--dry-run", "-f", "json", **at(11)
    )
    assert preview.code == 0, preview.stderr
    fields = {c["object"]: c["fields"] for c in preview.json()["changes"]}
    assert fields["subscription 3000001"]["status"] == ["active", "inactive"]
    deactivated = run(demo, "sub", "deactivate", "--file", issis, "--by", ANNA, hour=11)
    run_ = refused(
        demo, 6, f"changeset {deactivated} changed the same rows later", "undo", str(imported), "--yes"
    )
    assert "subscription 3000001" in run_.stderr
    shown = ok(demo, "undo", str(deactivated), "--dry-run", "-f", "json").json()
    assert {c["object"]: c["fields"]["status"] for c in shown["changes"]} == {
        f"subscription {i}": {"before": "inactive", "after": "active"} for i in (3000001, 2010018, 2010001)
    }
    assert undo(demo, deactivated)["reverted"] == 3
    result = undo(demo, imported)
    assert (result["removed"], result["reverted"]) == (2, 2)
    assert domain(demo) == before


def test_qa_sub_import_undone_by_force_over_a_deactivate_file(demo, tmp_path):
    before = domain(demo)
    imported = run(demo, "sub", "import", sub_sheet(tmp_path))
    deactivated = run(
        demo, "sub", "deactivate", "--file", issi_sheet(tmp_path, 3000001, 2010001), "--by", ANNA, hour=11
    )
    result = undo(demo, imported, "--force")
    assert result["forced"] is True and (result["removed"], result["reverted"]) == (2, 2)
    assert domain(demo) == before
    refused(
        demo,
        6,
        f"changeset {last_changeset(demo)} changed the same rows later",
        "undo",
        str(deactivated),
        "--yes",
    )


def test_qa_status_file_changes_chain_undone_newest_first(demo, tmp_path):
    before = domain(demo)
    issis = issi_sheet(tmp_path, 2010001, 2010002, 2010003)
    off = run(demo, "sub", "deactivate", "--file", issis, "--by", ANNA, hour=10)
    on = run(demo, "sub", "activate", "--file", issis, "--by", ANNA, hour=11)
    one = run(demo, "sub", "deactivate", "2010002", "--by", ANNA, hour=12)
    off_again = run(demo, "sub", "deactivate", "--file", issis, "--by", ANNA, hour=13)
    refused(
        demo, 6, f"changesets {on}, {one}, {off_again} changed the same rows later", "undo", str(off), "--yes"
    )
    refused(demo, 6, f"changesets {one}, {off_again} changed the same rows later", "undo", str(on), "--yes")
    for number in (off_again, one, on, off):
        undo(demo, number)
    assert domain(demo) == before


def test_qa_terminate_file_undone_after_its_freed_tei_was_taken_and_given_back(demo, tmp_path):
    before = domain(demo)
    imported = run(demo, "sub", "import", sub_sheet(tmp_path))
    issis = issi_sheet(tmp_path, 3000001, 2010018)
    refused(demo, 3, "--confirm-reset", "sub", "terminate", "--file", issis, "--by", ANNA, "--yes")
    ended = run(demo, "sub", "terminate", "--file", issis, "--by", ANNA, "--confirm-reset", "--yes", hour=11)
    taken = write_csv(tmp_path / "taken.csv", SUBS, [["1001", "3000009", "AAAAAAAAAAAAAA1", "", "", ""]])
    reuse = run(demo, "sub", "import", str(taken), hour=12)
    refused(
        demo, 6, "putting back subscription 3000001 breaks a rule of the store", "undo", str(ended), "--yes"
    )
    refused(demo, 6, "breaks a rule of the store", "undo", str(ended), "--yes", "--force")
    undo(demo, reuse)
    shown = ok(demo, "undo", str(ended), "--dry-run", "-f", "json").json()
    assert {c["object"]: c["fields"]["status"]["after"] for c in shown["changes"]} == {
        "subscription 3000001": "active",
        "subscription 2010018": "active",
    }
    undo(demo, ended)
    undo(demo, imported)
    assert domain(demo) == before


def test_qa_forced_undo_of_an_import_leaves_a_later_person_on_the_reused_row_id(demo, tmp_path):
    """SQLite gives a removed row's id (the highest) to the next row: Nils imported, removed, Zara
    imported (she gets Nils's old row id). Undoing Nils's import with --force must not delete
    Zara, a person that import never added (nor report her removal as Nils's)."""
    nils = roster_sheet(tmp_path, "nils.csv", [["1001", "", "Nils Ny", NILS, "", "viewer", "person"]])
    zara = roster_sheet(
        tmp_path, "zara.csv", [["1001", "", "Zara Zed", "zara@polisen.example", "", "viewer", "person"]]
    )
    first = run(demo, "roster", "import", nils)
    run(demo, "roster", "remove", "-c", "1001", "-e", NILS, hour=11)
    run(demo, "roster", "import", zara, hour=12)
    with_zara = domain(demo)
    undo(demo, first, "--force")
    assert domain(demo) == with_zara


def test_qa_imported_person_removed_and_added_again_then_undone_newest_first(demo, tmp_path):
    """(SQLite gives the re-added row the old row id, PostgreSQL a new one: the refusals word it
    differently, both name Nils.)"""
    before = domain(demo)
    sheet = roster_sheet(tmp_path, "nils.csv", [["1001", "", "Nils Ny", NILS, "", "viewer", "person"]])
    imported = run(demo, "roster", "import", sheet)
    removed = run(demo, "roster", "remove", "-c", "1001", "-e", NILS, hour=11)
    added = run(
        demo, "roster", "add", "-c", "1001", "-e", NILS, "--name", "Nils Åter", "-r", "contact", hour=12
    )
    refused(demo, 6, f"roster 1001/{NILS}", "undo", str(imported), "--yes")
    refused(demo, 6, f"roster 1001/{NILS}", "undo", str(removed), "--yes")
    undo(demo, added)
    undo(demo, removed)
    assert undo(demo, imported)["removed"] == 1
    assert domain(demo) == before


def test_qa_imported_subscription_given_a_new_issi_then_undone_newest_first(demo, tmp_path):
    before = domain(demo)
    imported = run(demo, "sub", "import", sub_sheet(tmp_path))
    change = write_csv(tmp_path / "change.csv", ["issi", "new_issi", "new_tei"], [["3000001", "3000050", ""]])
    args = ("sub", "change", str(change), "-c", "1001", "--by", ANNA, "--urgent", "--apply-now")
    changed = run(demo, *args, hour=11)
    refused(demo, 6, f"changeset {changed} changed the same rows later", "undo", str(imported), "--yes")
    undo(demo, changed)
    result = undo(demo, imported)
    assert (result["removed"], result["reverted"]) == (2, 2)
    assert domain(demo) == before


def test_qa_sub_import_dry_run_diff_shows_created_and_updated_rows(demo, tmp_path):
    changes = dry_run_changes(demo, "sub", "import", sub_sheet(tmp_path))
    created = changes["subscription 3000001"]
    assert created["op"] == "insert" and created["fields"]["status"] == [None, "active"]
    assert created["fields"]["tei"] == [None, "AAAAAAAAAAAAAA1"]
    assert changes["subscription 2010001"]["fields"]["msisdn"] == [None, "46701000001"]
    assert changes["subscription 2010018"]["fields"]["status"] == ["inactive", "active"]

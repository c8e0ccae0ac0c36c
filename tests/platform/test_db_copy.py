"""`ops db copy --to PATH_OR_URL`: a whole store to another, across backends, row counts checked.

On the SQLite run the copies go file to file; on the PostgreSQL run from the server to an
SQLite file and back into a new schema on the server (both directions of issue 17).
"""

from __future__ import annotations

import pytest
from helpers import db as store_db


def other_store(env):
    """A new, empty place on the run's backend (a file beside the store, or a fresh schema)."""
    return store_db.new_pg_store() if store_db.is_pg(env.db) else env.tmp / "other.db"


def content(db) -> dict[str, list]:
    """Every table's rows, sorted (the target keeps its own migration ledger)."""
    snap = store_db.snapshot(db)
    snap.pop("schema_migrations", None)
    snap.pop("sqlite_sequence", None)
    return {table: sorted(rows, key=repr) for table, rows in snap.items()}


@pytest.fixture
def demo(env):
    env.now = "2026-11-20T10:00"
    assert env.run("init", "--demo", "-q").code == 0
    return env


def test_copy_to_a_file_and_back_keeps_every_row(demo):
    file = demo.tmp / "copy.db"
    run = demo.run("db", "copy", "--to", str(file), "-f", "json")
    assert run.code == 0, run.stderr
    doc = run.json()
    assert doc["to"] == str(file) and doc["dry_run"] is False
    counts = {t["table"]: t["rows"] for t in doc["tables"]}
    assert counts["customers"] == 4 and counts["audit"] > 0 and doc["rows"] == sum(counts.values())
    assert content(file) == content(demo.db)
    assert oct(file.stat().st_mode & 0o777) == "0o600"
    back = other_store(demo)
    try:
        run = demo.run("--db", str(file), "db", "copy", "--to", str(back))
        assert run.code == 0, run.stderr
        assert content(back) == content(demo.db)
        assert demo.run("--db", str(back), "db", "check").code == 0
        listed = [demo.run("--db", str(db), "case", "list", "-f", "json").json() for db in (demo.db, back)]
        assert listed[0] == listed[1] and listed[0]
        # the copy is a working store: new rows get new ids and numbers after the copied ones
        opened = demo.run(
            "--db", str(back), "case", "open", "--topic", "question", "--customer", "1001",
            "--reporter", "anna.berg@polisen.example", "--subject", "after the copy", "-f", "json",
        )  # fmt: skip
        assert opened.code == 0, opened.stderr
        assert opened.json()["number"] not in {c["number"] for c in listed[0]}
    finally:
        store_db.drop_pg_store(back)


def test_a_target_holding_data_is_refused_unless_force(demo):
    target = other_store(demo)
    try:
        assert demo.run("--db", str(target), "roster", "customer", "add", "9001", "--name", "Mine").code == 0
        before = store_db.snapshot(target)
        run = demo.run("db", "copy", "--to", str(target))
        assert run.code == 6, run.stderr
        assert "already holds a store" in run.stderr and "--force" in run.stderr
        assert store_db.snapshot(target) == before
        forced = demo.run("db", "copy", "--to", str(target), "--force")
        assert forced.code == 0, forced.stderr
        assert content(target) == content(demo.db)
    finally:
        store_db.drop_pg_store(target)


def test_dry_run_counts_and_writes_nothing(demo):
    target = other_store(demo)
    try:
        run = demo.run("db", "copy", "--to", str(target), "--dry-run", "-f", "json")
        assert run.code == 0, run.stderr
        assert run.json()["dry_run"] is True and run.json()["rows"] > 0
        assert not store_db.exists(target)
        table = demo.run("db", "copy", "--to", str(target), "--dry-run")
        assert table.code == 0 and "would copy" in table.stderr and "customers" in table.stdout
    finally:
        store_db.drop_pg_store(target)


def test_copy_onto_the_store_itself_is_refused(demo):
    before = demo.snapshot()
    run = demo.run("db", "copy", "--to", str(demo.db), "--force")
    assert run.code == 3, run.stderr
    assert "onto itself" in run.stderr or "store's own file" in run.stderr
    assert demo.snapshot() == before


def test_a_missing_source_store_is_not_created(env):
    run = env.run("db", "copy", "--to", str(env.tmp / "x.db"))
    assert run.code == 4, run.stderr
    assert not env.db.exists() and not (env.tmp / "x.db").exists()


def test_a_symlink_folder_or_foreign_file_target_is_refused_and_left_alone(demo):
    from helpers.refusals import refused

    outside = demo.tmp / "precious.txt"
    outside.write_text("not a store\n")
    link = demo.tmp / "link.db"
    link.symlink_to(outside)
    refused(demo, 3, "symbolic link", "db", "copy", "--to", str(link))
    refused(demo, 3, "symbolic link", "db", "copy", "--to", str(link), "--force")
    refused(demo, 3, "it is a folder", "db", "copy", "--to", str(demo.tmp))
    refused(demo, 6, "is a file that is not a store; use --force", "db", "copy", "--to", str(outside))
    assert outside.read_text() == "not a store\n" and link.is_symlink()

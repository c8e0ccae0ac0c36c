"""The store: creation, migrations, transactions, the append-only audit table."""

from __future__ import annotations

import sqlite3
import stat
import threading
from pathlib import Path

import pytest
from helpers import db as store_db

from ops_cli.errors import Conflict, InvalidInput
from ops_cli.store import StoreUnreadable, _statements, latest_version, migration_files, open_store


@pytest.fixture
def db(env):
    """The test's store on the backend of the run (a path on SQLite, a URL on PostgreSQL)."""
    return env.db


@pytest.mark.sqlite_only("the store file's mode, WAL and PRAGMAs")
def test_new_store_is_private_wal_and_fully_migrated(tmp_path: Path):
    path = tmp_path / "deep" / "er" / "ops.db"  # a missing folder is created
    store = open_store(path)
    try:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert store.one("PRAGMA journal_mode")[0] == "wal"
        assert store.user_version() == migration_files()[-1][0]
        assert store.one("PRAGMA foreign_keys")[0] == 1
        assert store.one("PRAGMA busy_timeout")[0] == 5000
    finally:
        store.close()


def test_migrations_are_numbered_and_run_once(db):
    numbers = [m[0] for m in migration_files()]
    assert numbers == sorted(set(numbers)) and numbers[0] == 1
    open_store(db).close()
    store = open_store(db)  # second open: nothing pending, nothing re-run
    try:
        assert store.user_version() == numbers[-1]
        names = set(store_db.tables(db))
        assert {"audit", "meta", "customers", "roster_entries", "subscriptions", "cases"} <= names
        assert store_db.scalar(db, "SELECT count(*) FROM schema_migrations") == len(numbers)
    finally:
        store.close()


def test_statement_splitter_keeps_trigger_bodies_whole():
    script = (
        "CREATE TABLE t (a);\n"
        "CREATE TRIGGER x BEFORE DELETE ON t\nBEGIN\n SELECT 1;\n SELECT 2;\nEND;\n"
        "-- done\n"
    )
    parts = list(_statements(script))
    assert len(parts) == 2 and parts[1].startswith("CREATE TRIGGER") and parts[1].endswith("END;")


def test_audit_is_append_only(db):
    """A trigger refuses UPDATE and DELETE on the audit, on both backends."""
    store = open_store(db)
    try:
        with store.write():
            store.audit("anna@x.example", "test.add", "thing:1", None, {"a": 1})
        with pytest.raises(store_db.DatabaseError, match="append-only"):
            with store.write():
                store.execute("UPDATE audit SET actor = 'mallory'")
        with pytest.raises(store_db.DatabaseError, match="append-only"):
            with store.write():
                store.execute("DELETE FROM audit")
        with pytest.raises(store_db.DatabaseError, match="append-only"):  # not even from outside ops
            store_db.execute(db, "DELETE FROM audit")
        log = store.audit_log()
        assert [(r["actor"], r["action"], r["after"]) for r in log] == [
            ("anna@x.example", "test.add", {"a": 1})
        ]
    finally:
        store.close()


def test_audit_outside_a_transaction_is_a_programming_error(db):
    store = open_store(db)
    try:
        with pytest.raises(RuntimeError):
            store.audit("a", "b", "c")
    finally:
        store.close()


def test_write_rolls_back_everything_on_error(db):
    store = open_store(db)
    try:
        with pytest.raises(ValueError):
            with store.write():
                store.execute("INSERT INTO meta (key, value) VALUES ('a', '1')")
                with store.write():  # nested: joins the outer transaction
                    store.execute("INSERT INTO meta (key, value) VALUES ('b', '2')")
                raise ValueError("boom")
        assert store.query("SELECT * FROM meta WHERE key IN ('a', 'b')") == []
        assert not store.in_transaction
        assert store_db.query(db, "SELECT * FROM meta WHERE key IN ('a', 'b')") == []
    finally:
        store.close()


def test_second_writer_waits_instead_of_failing(db):
    first, second = open_store(db), open_store(db, busy_timeout=10)
    released = threading.Event()

    def hold_lock():
        with first.write():
            first.execute("INSERT INTO meta (key, value) VALUES ('first', '1')")
            released.wait(0.5)

    thread = threading.Thread(target=hold_lock)
    thread.start()
    try:
        with second.write():
            second.execute("INSERT INTO meta (key, value) VALUES ('second', '2')")
    finally:
        released.set()
        thread.join()
    assert {r["key"] for r in second.query("SELECT key FROM meta WHERE key <> 'ops_cli_version'")} == {
        "first",
        "second",
    }
    first.close()
    second.close()


def test_busy_past_the_timeout_is_a_conflict(db):
    holder, waiter = open_store(db), open_store(db, busy_timeout=0.1)
    try:
        with holder.write():
            with pytest.raises(Conflict, match="busy"):
                with waiter.write():
                    pass
    finally:
        holder.close()
        waiter.close()


def test_unwritable_location_is_invalid_input(tmp_path: Path):
    # A regular file where a folder should be: no one, root included, can create the store there.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(InvalidInput, match="cannot create the store at .*not-a-folder"):
        open_store(blocker / "sub" / "ops.db")
    assert blocker.read_text() == "x"


def test_store_path_that_is_a_folder_is_invalid_input(tmp_path: Path):
    with pytest.raises(InvalidInput, match="is a folder"):
        open_store(tmp_path)


def test_not_a_database_is_reported_not_crashed(tmp_path: Path):
    path = tmp_path / "ops.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreUnreadable, match="not a readable ops store"):
        open_store(path)


def test_backup_is_a_consistent_openable_copy(db, tmp_path: Path):
    """On both backends the backup is one SQLite file that opens as a store."""
    store = open_store(db)
    try:
        with store.write():
            store.execute("INSERT INTO meta (key, value) VALUES ('k', 'v')")
        target = tmp_path / "copies" / "b.db"
        with pytest.raises(InvalidInput, match="does not exist"):
            store.backup(target)  # the one writer: a missing folder is refused, not created
        target.parent.mkdir()
        store.backup(target)
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        copy = open_store(target)
        assert copy.check() == [] and copy.one("SELECT value FROM meta WHERE key = 'k'")[0] == "v"
        copy.close()
        with pytest.raises(Conflict, match="already exists"):
            store.backup(target)
        store.backup(target, force=True)
        assert sorted(p.name for p in target.parent.iterdir()) == ["b.db"]
    finally:
        store.close()


def _columns(store, table: str) -> set[str]:  # SQLite: the tests below build old store files
    return {row[1] for row in store.query(f"PRAGMA table_info({table})")}


def test_a_store_from_before_the_ledger_gets_every_later_migration(tmp_path: Path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    for number, _name, sql in migration_files():
        if number <= 7:
            for statement in _statements(sql):
                conn.execute(statement)
    conn.execute("PRAGMA user_version = 7")
    conn.commit()
    conn.close()
    store = open_store(path)
    try:
        ledger = {row[0] for row in store.query("SELECT number FROM schema_migrations")}
        assert ledger == {number for number, _, _ in migration_files()}
        assert {"business_at", "origin"} <= _columns(store, "audit")
        assert store.user_version() == latest_version()
    finally:
        store.close()


def test_a_migration_numbered_below_the_version_still_runs(tmp_path: Path):
    """Teams number in blocks: 0105 may ship after 0140 was applied; the ledger runs it."""
    path = tmp_path / "ops.db"
    store = open_store(path)
    store.conn.execute("DROP TRIGGER IF EXISTS audit_no_update")  # 0170's names the columns
    store.conn.execute("ALTER TABLE audit DROP COLUMN business_at")
    store.conn.execute("ALTER TABLE audit DROP COLUMN origin")
    store.conn.execute("DELETE FROM schema_migrations WHERE number = 160")
    version = store.user_version()
    store.close()
    store = open_store(path)
    try:
        assert {"business_at", "origin"} <= _columns(store, "audit")
        assert store.user_version() == version
    finally:
        store.close()


def test_a_store_holding_a_migration_this_program_lacks_is_refused(db):
    store = open_store(db)
    with store.write():
        store.execute("INSERT INTO schema_migrations VALUES (155, '0155_future.sql', 'x')")
    store.close()
    with pytest.raises(Conflict, match="made by ops-cli .*upgrade ops-cli"):
        open_store(db)

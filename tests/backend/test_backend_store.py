"""The store on either backend (the run's backend: SQLite, or PostgreSQL with OPS_TEST_DB_URL).

Same behaviour for the user whatever the store is: a read command finds no store (exit 4)
without making one, a URL's password never reaches a message, the audit stays append-only,
values come back as SQLite gives them.
"""

from __future__ import annotations

import pytest
from helpers import db as store_db

from ops_cli.errors import ExitStatus


def test_a_read_command_on_no_store_exits_4_and_makes_none(env) -> None:
    result = env.run("case", "list")
    assert result.code == ExitStatus.NOT_FOUND, result.stderr
    assert "ops init" in result.stderr
    assert not store_db.snapshot(env.db)


def test_values_come_back_as_from_sqlite(ops) -> None:
    from ops_cli.roster import add_customer

    add_customer(ops, "1001", name="Polisregion Syd")
    st = ops.store
    row = st.one(
        "SELECT count(*) AS n, SUM(fleet) AS fleet, 1 = 1 AS yes, 'x' || ? AS t FROM customers", ("y",)
    )
    assert (row["n"], row["fleet"], row["yes"], row["t"]) == (1, 0, 1, "xy")
    assert type(row["fleet"]) is int and type(row["yes"]) is int
    assert dict(row) == {"n": 1, "fleet": 0, "yes": 1, "t": "xy"}
    # an int compared with a text column, a LIKE in any case, a null-safe IS
    assert st.one("SELECT name FROM customers WHERE number = ?", (1001,))["name"] == "Polisregion Syd"
    assert st.one("SELECT count(*) FROM customers WHERE name LIKE ?", ("polis%",))[0] == 1
    assert st.one("SELECT count(*) FROM customers WHERE department IS ?", (None,))[0] == 1


def test_the_audit_refuses_update_and_delete(ops) -> None:
    import sqlite3

    from ops_cli.roster import add_customer

    add_customer(ops, "1001", name="Polisregion Syd")
    for statement in ("UPDATE audit SET actor = 'mallory'", "DELETE FROM audit"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            with ops.store.write() as st:
                st.execute(statement)
    assert ops.store.one("SELECT count(*) FROM audit WHERE actor = 'mallory'")[0] == 0


def test_a_new_id_comes_back_from_an_insert(ops) -> None:
    from ops_cli.roster import add_customer

    add_customer(ops, "1001", name="Polisregion Syd")
    sql = (
        "INSERT INTO report_orders (customer, quarter, ordered_by, send_to, ordered_at, report_date, fee,"
        " currency, recorded_by) VALUES ('1001', ?, 'a', 'a', 'x', '2031-04-07', 0, 'SEK', 'r')"
    )
    with ops.store.write() as st:
        first = st.execute(sql, ("2031Q1",)).lastrowid
        second = st.execute(sql + " RETURNING id", ("2031Q2",)).fetchone()[0]
    assert second == first + 1
    assert ops.store.one("SELECT quarter FROM report_orders WHERE id = ?", (first,))[0] == "2031Q1"


def test_a_password_in_the_url_never_shows(tmp_path) -> None:
    pytest.importorskip("psycopg")
    from conftest import Env

    url = "postgresql://ops:Sup3rSecret@/nodb?host=" + str(tmp_path / "nosocket")
    env = Env(tmp=tmp_path, db=url, config=tmp_path / "config.toml")
    for args in (("case", "list"), ("init",)):
        result = env.run(*args)
        assert result.code == ExitStatus.INVALID, result.stderr
        assert "Sup3rSecret" not in result.stderr + result.stdout
        assert "cannot connect to the store postgresql://ops:***@/nodb" in result.stderr


def test_postgresql_without_psycopg_says_how_to_get_it(tmp_path, monkeypatch) -> None:
    import sys

    from ops_cli.errors import InvalidInput
    from ops_cli.store import open_store

    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if not installed
    with pytest.raises(InvalidInput, match=r"ops-cli\[postgres\]") as refused:
        open_store("postgresql://ops:Sup3rSecret@/ops?host=" + str(tmp_path))
    assert "Sup3rSecret" not in str(refused.value)


@pytest.mark.skipif(
    store_db.backend_name() != "postgresql", reason="the audit triggers of a PostgreSQL store"
)
def test_db_check_finds_a_disabled_audit_trigger(env) -> None:
    assert env.run("init").code == ExitStatus.OK
    assert env.run("db", "check").code == ExitStatus.OK
    store_db.execute(env.db, f'ALTER TABLE "{env.db.schema}".audit DISABLE TRIGGER audit_no_delete')
    result = env.run("db", "check")
    assert result.code == ExitStatus.NO
    assert "audit_no_delete" in result.stdout + result.stderr


def _refused(ops, statement: str, params=()) -> str:
    import sqlite3

    with pytest.raises(sqlite3.IntegrityError) as refused:
        with ops.store.write() as st:
            st.execute(statement, params)
    return str(refused.value)


def test_foreign_keys_hold_for_bulk_written_tables(ops) -> None:
    """roster_entries.customer and row_changes.changeset_id (checked per statement on
    PostgreSQL, see ops_fk in 0002_core.pg.sql): a child naming no parent is refused, and so is
    removing or renumbering a parent that children still name; the store is left as it was."""
    from ops_cli.roster import add_customer

    add_customer(ops, "1001", name="Polisregion Syd")
    entry = (
        "INSERT INTO roster_entries (customer, email, name, kind, roles, created_at, updated_at)"
        " VALUES (?, ?, 'Eva', 'person', 'contact', 'x', 'x')"
    )
    with ops.store.write() as st:
        st.execute(entry, ("1001", "eva@polisen.example"))
    before = store_db.snapshot(ops.store.path)
    for statement, params in (
        (entry, ("1002", "olle@polisen.example")),  # no customer 1002
        ("UPDATE roster_entries SET customer = '1003'", ()),
        ("DELETE FROM customers WHERE number = '1001'", ()),
        ("UPDATE customers SET number = '1004' WHERE number = '1001'", ()),
        (
            "INSERT INTO row_changes (changeset_id, tbl, op, rid) VALUES (999999, 'customers', 'insert', 1)",
            (),
        ),
    ):
        assert "FOREIGN KEY" in _refused(ops, statement, params), statement
    assert store_db.snapshot(ops.store.path) == before
    # a parent nobody names goes, and a statement of many rows naming existing parents passes
    add_customer(ops, "1005", name="Kommun")
    with ops.store.write() as st:
        st.execute("UPDATE customers SET number = '1006' WHERE number = '1005'")
        st.execute("DELETE FROM customers WHERE number = '1006'")
        st.executemany(entry, [("1001", f"p{i}@polisen.example") for i in range(300)])
    assert ops.store.one("SELECT count(*) FROM roster_entries")[0] == 301


@pytest.mark.skipif(
    store_db.backend_name() != "postgresql", reason="the statement-level foreign keys of a PostgreSQL store"
)
def test_db_check_and_db_copy_know_the_statement_level_foreign_keys(env) -> None:
    from ops_cli.store import open_store

    assert env.run("init").code == ExitStatus.OK
    store = open_store(env.db)
    try:
        pairs = set(store.backend.foreign_keys(store.conn))
    finally:
        store.close()
    assert {("roster_entries", "customers"), ("row_changes", "changesets")} <= pairs
    store_db.execute(
        env.db, f'ALTER TABLE "{env.db.schema}".roster_entries DISABLE TRIGGER ops_fk_customer_ins'
    )
    result = env.run("db", "check")
    assert result.code == ExitStatus.NO
    assert "roster_entries: foreign key customer -> customers" in result.stdout + result.stderr

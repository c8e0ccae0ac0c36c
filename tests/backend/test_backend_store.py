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

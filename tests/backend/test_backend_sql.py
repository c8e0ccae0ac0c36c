"""The backend layer's pure parts: SQL translation for PostgreSQL, rows, URL masking.

These need no server: they check the text the PostgreSQL backend would send and the row and
URL objects it hands out.
"""

from __future__ import annotations

import sqlite3

import pytest

from ops_cli.store import backend
from ops_cli.store.backend import is_url, label, location, mask_url, pg_array, row_class, translate


@pytest.mark.parametrize(
    ("sqlite_sql", "pg_sql"),
    [
        ("SELECT * FROM cases WHERE number = ?", "SELECT * FROM cases WHERE number = %s"),
        ("SELECT '?' AS q, ? AS v", "SELECT '?' AS q, %s AS v"),
        ("SELECT 100 % 7 WHERE x LIKE 'a%'", "SELECT 100 %% 7 WHERE x ILIKE 'a%%'"),
        (
            "SELECT * FROM t WHERE a = :actor OR :actor IS NULL",
            "SELECT * FROM t WHERE a = %(actor)s OR %(actor)s IS NULL",
        ),
        (
            "DELETE FROM t WHERE k IS ? AND j IS NOT ?",
            "DELETE FROM t WHERE k IS NOT DISTINCT FROM %s AND j IS DISTINCT FROM %s",
        ),
        ("SELECT 1 WHERE a IS NULL AND b IS NOT NULL", "SELECT 1 WHERE a IS NULL AND b IS NOT NULL"),
        (
            "INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)",
            "INSERT INTO meta (key, value) VALUES (%s, %s) ON CONFLICT DO NOTHING",
        ),
        (
            'DELETE FROM main."roster_entries" WHERE rowid = ?',
            'DELETE FROM "roster_entries" WHERE ops_rid = %s',
        ),
        ("DROP TABLE IF EXISTS temp.import_sub", "DROP TABLE IF EXISTS pg_temp.import_sub"),
        ("SELECT 'main.x -- not a comment' AS t", "SELECT 'main.x -- not a comment' AS t"),
        (
            "CREATE TEMP TABLE s (a TEXT, PRIMARY KEY (a)) WITHOUT ROWID",
            "CREATE TEMP TABLE s (a TEXT, PRIMARY KEY (a))",
        ),
        ("SELECT n FROM (SELECT 1 AS n) ORDER BY n", "SELECT n FROM (SELECT 1 AS n) AS ops_sq1 ORDER BY n"),
        ("SELECT n FROM (SELECT 1 AS n) AS x", "SELECT n FROM (SELECT 1 AS n) AS x"),
        (
            "SELECT * FROM c ORDER BY CAST(number AS INTEGER)",
            "SELECT * FROM c ORDER BY CAST(number AS BIGINT)",
        ),
    ],
)
def test_sqlite_sql_becomes_postgresql(sqlite_sql: str, pg_sql: str) -> None:
    assert translate(sqlite_sql).sql == pg_sql


def test_an_insert_into_a_table_with_an_id_returns_it_for_lastrowid() -> None:
    assert translate("INSERT INTO cases (number) VALUES (?)").sql.endswith("RETURNING id")
    assert "RETURNING" not in translate("INSERT INTO customers (number) VALUES (?)").sql
    assert translate("INSERT INTO cases (number) VALUES (?) RETURNING id").sql.count("RETURNING") == 1


def test_numbered_and_json_set_parameters() -> None:
    numbered = translate("INSERT INTO x VALUES (?2, ?1, ?2)")
    assert numbered.sql == "INSERT INTO x VALUES (%s, %s, %s)"
    assert numbered.params(("a", "b")) == ["b", "a", "b"]
    in_set = translate("SELECT issi FROM s WHERE issi IN (SELECT value FROM json_each(?)) AND k = ?")
    assert in_set.sql == "SELECT issi FROM s WHERE issi = ANY(%s) AND k = %s"
    assert in_set.params(("[1, 2]", "x")) == ['{"1","2"}', "x"]
    assert "<> ALL(%s)" in translate("SELECT 1 WHERE a NOT IN (SELECT value FROM json_each(?))").sql
    assert pg_array('["a\\"b", null, 3]') == '{"a\\"b",NULL,"3"}'


def test_json_built_in_sql_stays_text() -> None:
    sql = translate("SELECT json_object('a', x) AS j FROM t").sql
    assert sql == "SELECT jsonb_build_object('a', x)::text AS j FROM t"


def test_translation_is_cached_per_statement_text() -> None:
    text = "SELECT number FROM customers WHERE name = ?"
    assert translate(text) is translate(text)


def test_rows_behave_as_sqlite_rows() -> None:
    conn = sqlite3.connect(":memory:")
    conn.row_factory = sqlite3.Row
    expected = conn.execute("SELECT 1 AS id, 'x' AS Name").fetchone()
    row = row_class(("id", "Name"))((1, "x"))
    assert (row[0], row["id"], row["name"], row["Name"]) == (
        expected[0],
        expected["id"],
        expected["name"],
        "x",
    )
    assert row.keys() == expected.keys()
    assert dict(row) == dict(expected)
    assert tuple(row) == tuple(expected)
    with pytest.raises(IndexError):
        row["missing"]


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://ops:s3cret@db.example/ops", "postgresql://ops:***@db.example/ops"),
        ("postgres://ops@db.example:5433/ops", "postgres://ops@db.example:5433/ops"),
        ("postgresql:///ops?host=/tmp/x&password=s3cret", "postgresql:///ops?host=/tmp/x&password=***"),
        ("postgresql://ops:p%40ss@h/ops", "postgresql://ops:***@h/ops"),
    ],
)
def test_a_url_is_shown_without_its_password(url: str, shown: str) -> None:
    assert mask_url(url) == shown
    assert label(url) == shown
    if "s3cret" in url:  # a driver message quoting the password is scrubbed too
        assert "s3cret" not in backend.scrub(f"failed (s3cret) for {url}", url)


def test_a_url_selects_postgresql_and_a_path_sqlite(tmp_path) -> None:
    assert is_url("postgresql://ops@/ops") and is_url("POSTGRES://ops@/ops")
    assert not is_url(str(tmp_path / "ops.db")) and not is_url(tmp_path / "ops.db")
    assert location("postgresql://ops@/ops") == "postgresql://ops@/ops"
    assert location(str(tmp_path / "ops.db")) == tmp_path / "ops.db"
    assert backend.backend_of("postgresql://ops@/ops").name == "postgresql"
    assert backend.backend_of(tmp_path / "ops.db").name == "sqlite"


def test_every_migration_has_its_postgresql_twin() -> None:
    """Both backends record the same migration numbers in their ledger (a store copied from one
    to the other keeps its version); the PostgreSQL files hold no SQLite-only statement."""
    from ops_cli.store.setup import migration_files

    sqlite_side = {(number, name) for number, name, _ in migration_files()}
    pg_side = migration_files(postgres=True)
    assert {(number, name) for number, name, _ in pg_side} == sqlite_side
    for _, name, sql in pg_side:
        code = "\n".join(line.split("--")[0] for line in sql.splitlines())
        for word in ("INSERT OR", "AUTOINCREMENT", "PRAGMA", "RAISE(ABORT", " REAL", "WITHOUT ROWID"):
            assert word not in code.upper(), (name, word)

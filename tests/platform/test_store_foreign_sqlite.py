"""A store path that names another program's SQLite database (an `OPS_DB` typo, a wrong
`--db`): refused (exit 3) before anything is written, never migrated into (outside testing)."""

from __future__ import annotations

import hashlib
import sqlite3


def _foreign(path):
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    conn.execute("INSERT INTO moz_places (url) VALUES ('https://example.org')")
    conn.commit()
    conn.close()
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_another_programs_database_is_refused_and_untouched(env):
    other = env.tmp / "places.sqlite"
    digest = _foreign(other)
    for args in (("case", "list"), ("db", "backup", str(env.tmp / "b.db")), ("init",)):
        result = env.run("--db", str(other), *args)
        assert result.code == 3, result.stderr
        assert result.stderr.splitlines() == [
            f"error: {other} is not an ops store but another program's SQLite database"
            " (it holds the table moz_places); give an ops store or a new file with --db or OPS_DB"
        ]
    assert hashlib.sha256(other.read_bytes()).hexdigest() == digest
    assert sorted(p.name for p in env.tmp.iterdir() if p.name.startswith("places")) == ["places.sqlite"]
    assert not (env.tmp / "b.db").exists()


def test_an_empty_database_file_still_becomes_a_store(env):
    empty = env.tmp / "empty.db"
    sqlite3.connect(empty).close()
    # A read command finds no store in an empty file (exit 4, nothing built); a write builds it.
    assert env.run("--db", str(empty), "case", "list").code == 4
    assert env.run("--db", str(empty), "roster", "customer", "add", "9001", "--name", "X").code == 0
    assert env.run("--db", str(empty), "case", "list").code == 0
    assert env.run("--db", str(empty), "db", "check").code == 0

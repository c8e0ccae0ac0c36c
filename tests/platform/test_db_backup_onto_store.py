"""`db backup` onto the store itself or its WAL/shared-memory files (outside testing, issue 12):
refused even with --force (exit 3), the store and its files unchanged."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.sqlite_only("the store's own file and its WAL/journal files")


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal"])
def test_backup_onto_the_store_or_its_files_is_refused(env, suffix):
    assert env.run("init", "--demo").code == 0
    target = env.tmp / f"{env.db.name}{suffix}"
    before = env.snapshot()
    existed = target.exists()
    content = target.read_bytes() if existed and suffix == "" else None
    for path in (str(target), str(env.tmp / "." / target.name)):
        result = env.run("db", "backup", path, "--force")
        assert result.code == 3, result.stderr
        assert result.stderr.splitlines() == [
            f"error: cannot back up the store {env.db} onto {path}: that is the store's own file;"
            " choose another path"
        ]
    assert target.exists() == existed
    if content is not None:
        assert env.db.read_bytes() == content
    assert env.snapshot() == before
    assert env.run("db", "check").code == 0


def test_backup_beside_the_store_still_works(env):
    assert env.run("init", "--demo").code == 0
    target = env.tmp / f"{env.db.name}.bak"
    assert env.run("db", "backup", str(target)).code == 0
    assert env.run("--db", str(target), "db", "check").code == 0

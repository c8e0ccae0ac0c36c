"""A folder that exists but takes no new file is named as such, never "does not exist"."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ops_cli import files
from ops_cli.errors import InvalidInput


@pytest.fixture
def store(env):
    assert env.run("init", "--demo").code == 0
    return env


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")
def test_export_into_proc_says_it_cannot_create_a_file(store):
    before = store.snapshot()
    run = store.run("roster", "export", "/proc/x.csv")
    assert run.code == 3, run.stderr
    assert run.stderr.splitlines() == ["error: cannot write /proc/x.csv: cannot create a file in /proc"]
    assert store.snapshot() == before
    assert not Path("/proc/x.csv").exists()


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")
def test_write_text_into_proc():
    with pytest.raises(InvalidInput) as caught:
        files.write_text("/proc/x.csv", "a\n")
    assert caught.value.message == "cannot write /proc/x.csv: cannot create a file in /proc"
    assert "does not exist" not in caught.value.message


def test_a_missing_folder_still_says_so(tmp_path):
    with pytest.raises(InvalidInput, match="the folder .* does not exist"):
        files.write_text(tmp_path / "nope" / "x.csv", "a\n")


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write in any folder")
def test_a_folder_without_write_permission_says_permission_denied(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(InvalidInput) as caught:
            files.write_text(folder / "x.csv", "a\n")
    finally:
        folder.chmod(0o755)
    assert (
        caught.value.message
        == f"cannot write {folder / 'x.csv'}: permission denied: cannot create a file in {folder}"
    )
    assert list(folder.iterdir()) == []

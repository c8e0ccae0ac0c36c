"""ops_cli.files: the one writer of output files (temp beside the target, 0600, rename; never a symlink)."""

from __future__ import annotations

import os
import stat

import pytest

from ops_cli import files
from ops_cli.errors import Conflict, ExitStatus, InvalidInput


def test_write_text_is_private_and_leaves_no_temp_file(tmp_path):
    path = files.write_text(tmp_path / "a.txt", "hello")
    assert path.read_text() == "hello"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert os.listdir(tmp_path) == ["a.txt"]


def test_existing_file_needs_force(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("old")
    with pytest.raises(Conflict) as e:
        files.write_text(target, "new")
    assert e.value.exit_code == ExitStatus.CONFLICT
    assert target.read_text() == "old"
    files.write_text(target, "new", force=True)
    assert target.read_text() == "new"
    assert sorted(os.listdir(tmp_path)) == ["a.txt"]


@pytest.mark.parametrize("force", [False, True])
def test_a_device_is_refused_even_with_force(tmp_path, force):
    link = tmp_path / "out.csv"
    link.symlink_to("/dev/full")
    with pytest.raises(InvalidInput, match="symbolic link"):
        files.write_text(link, "x", force=force)
    with pytest.raises(InvalidInput) as e:
        files.write_text("/dev/full", "x", force=force)
    assert e.value.message == "cannot write /dev/full: it is not a regular file"
    assert e.value.exit_code == ExitStatus.INVALID


def test_folder_and_missing_folder(tmp_path):
    with pytest.raises(InvalidInput, match="it is a folder"):
        files.write_text(tmp_path, "x", force=True)
    with pytest.raises(InvalidInput, match="the folder .* does not exist"):
        files.write_text(tmp_path / "no" / "a.txt", "x")


def test_an_error_inside_the_block_leaves_nothing(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError), files.open_output(target, force=True) as fh:
        fh.write("half")
        raise RuntimeError("boom")
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["a.txt"]

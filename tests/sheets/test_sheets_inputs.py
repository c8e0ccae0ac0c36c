"""OS problems with an input file: one clean error naming the path and the cause, never a hang."""

from __future__ import annotations

import os
import signal

import pytest

from ops_cli.errors import ExitStatus, InvalidInput
from ops_cli.sheets import Column, read_table

COLS = [Column("customer"), Column("email")]


@pytest.fixture
def alarm():
    """Fail instead of hanging (a FIFO opened for reading waits for a writer forever)."""

    def boom(*_):
        raise TimeoutError("the reader hung")

    old = signal.signal(signal.SIGALRM, boom)
    signal.alarm(10)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def message(path, **kw) -> str:
    with pytest.raises(InvalidInput) as e:
        read_table(path, COLS, **kw)
    assert e.value.exit_code == ExitStatus.INVALID
    assert len(e.value.problems) == 1
    return e.value.message


@pytest.mark.parametrize("name", ["in.csv", "in.xlsx"])
def test_fifo_is_refused_without_waiting(tmp_path, alarm, name):
    path = tmp_path / name
    os.mkfifo(path)
    assert message(path) == f"{path}: cannot read it: a pipe (FIFO); give a spreadsheet file"


@pytest.mark.parametrize("name", ["in.csv", "in.xlsx"])
def test_folder_is_refused(tmp_path, name):
    path = tmp_path / name
    path.mkdir()
    assert message(path) == f"{path}: cannot read it: it is a folder, not a file"


def test_missing_file_and_missing_folder(tmp_path):
    assert message(tmp_path / "nope.csv") == f"{tmp_path / 'nope.csv'}: no such file"
    assert message(tmp_path / "no" / "r.xlsx") == f"{tmp_path / 'no' / 'r.xlsx'}: no such file"


def test_symlink_loop_names_the_cause(tmp_path):
    path = tmp_path / "loop.csv"
    path.symlink_to(tmp_path / "loop.csv")
    assert message(path).startswith(f"{path}: cannot read it: too many levels of symbolic links")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
@pytest.mark.parametrize("name", ["in.csv", "in.xlsx"])
def test_unreadable_file(tmp_path, name):
    path = tmp_path / name
    path.write_text("customer,email\n")
    path.chmod(0)
    assert message(path) == f"{path}: cannot read it: permission denied"


def test_a_symlink_to_a_real_file_is_read(tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("customer,email\n1,a@b.example\n")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    assert read_table(link, COLS).rows[0].values["customer"] == "1"


@pytest.mark.parametrize("device", ["/dev/null", "/dev/zero"])
def test_devices_are_refused(tmp_path, alarm, device):
    link = tmp_path / "dev.csv"
    link.symlink_to(device)
    assert message(link) == f"{link}: cannot read it: not a regular file; give a spreadsheet file"

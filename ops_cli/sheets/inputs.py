"""Opening an input file safely: one ``error:`` line for every OS problem, never a hang on a FIFO."""

from __future__ import annotations

import os
import stat
from typing import IO

from ops_cli.files import os_cause
from ops_cli.sheets.cells import fail

READ_EXTENSIONS = (".xlsx", ".xlsm", ".csv", ".tsv", ".txt")
XLSX_EXTENSIONS = (".xlsx", ".xlsm")


def check_extension(file: str) -> str:
    """The file's extension (lower case), or ``InvalidInput`` naming the ones that can be read."""
    ext = os.path.splitext(file)[1].lower()
    if ext not in READ_EXTENSIONS:
        raise fail(file, f"unknown file type {ext or '(none)'!r}; use one of {', '.join(READ_EXTENSIONS)}")
    return ext


def open_input(file: str) -> IO[bytes]:
    """The file opened for reading (binary), after checking that it is a regular, non-empty file.

    A folder, FIFO, device or socket is refused *before* it is opened (``open`` on a FIFO would
    wait for a writer forever); the file is opened non-blocking and checked again on the open
    descriptor, so a FIFO swapped in meanwhile is refused too.
    """
    info = _stat(file, os.stat)
    _check_kind(file, info)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(file, flags)
    except OSError as exc:
        raise _cannot_read(file, exc) from None
    try:
        info = os.fstat(fd)
        _check_kind(file, info)
        if info.st_size == 0:
            raise fail(file, "the file is empty")
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


def read_bytes(file: str) -> bytes:
    """The whole file (see ``open_input``); read errors become one ``InvalidInput``."""
    with open_input(file) as fh:
        try:
            return fh.read()
        except OSError as exc:
            raise _cannot_read(file, exc) from None


def _stat(file: str, how) -> os.stat_result:
    try:
        return how(file)
    except FileNotFoundError:
        raise fail(file, "no such file") from None
    except OSError as exc:
        raise _cannot_read(file, exc) from None


def _check_kind(file: str, info: os.stat_result) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise fail(file, "cannot read it: it is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        kind = "a pipe (FIFO)" if stat.S_ISFIFO(info.st_mode) else "not a regular file"
        raise fail(file, f"cannot read it: {kind}; give a spreadsheet file")


def _cannot_read(file: str, exc: OSError):
    if isinstance(exc, FileNotFoundError):
        return fail(file, "no such file")
    return fail(file, f"cannot read it: {os_cause(exc)}")

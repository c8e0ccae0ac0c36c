"""The one writer of output files: exports, ``-o`` reports, rejected rows, refill requests,
freight lines, backups and the config.

Every file the program writes carries personal data or settings, so each is written the
same careful way:

- into a temp file in the target's own folder (same file system, so the rename is atomic),
  created ``0600`` (readable by its owner only, like the store);
- flushed and fsync'ed, then renamed over the target: a reader never sees half a file, and
  a full disk or a kill leaves the old file (or none) in place, never a partial one;
- a symlink at the target is never followed (it is refused, exit 3);
- an existing file is refused (``Conflict``, exit 6, nothing touched) unless ``force``;
- every OS error (missing folder, not writable, a folder at the path, disk full) becomes one
  ``InvalidInput`` (exit 3) naming the path and the cause, and the temp file is removed.

Use :func:`write_text` / :func:`write_bytes` for content in memory, :func:`open_output` for
a text or binary stream, and :func:`output_path` for a library that insists on writing to a
path itself (openpyxl's ``save``, ``sqlite3``'s backup): it hands out the temp path and
renames it into place when the block ends without an error.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from ops_cli.errors import Conflict, InvalidInput, Problem

FILE_MODE = 0o600

_CAUSES = {
    errno.ENOENT: "the folder does not exist",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the file system is read-only",
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EISDIR: "it is a folder",
    errno.ENAMETOOLONG: "the name is too long",
    errno.EFBIG: "the file is too large",
}


def os_cause(exc: OSError) -> str:
    """A short, human cause for an OS error ("permission denied", "no space left on the device")."""
    return _CAUSES.get(exc.errno or 0) or (exc.strerror or str(exc)).lower()


def write_failed(path: str | os.PathLike[str], exc: OSError) -> InvalidInput:
    """The one error for an output file that could not be written (exit 3)."""
    file = str(path)
    message = f"cannot write {file}: {os_cause(exc)}"
    return InvalidInput(message, [Problem(os_cause(exc), file)])


def _create_failed(path: str | os.PathLike[str], folder: Path, exc: OSError) -> InvalidInput:
    """A file could not be created in a folder that exists (``/proc``, a folder without write
    permission): say so, never "the folder does not exist"."""
    if exc.errno == errno.ENOENT and folder.is_dir():
        cause = f"cannot create a file in {folder}"
    elif exc.errno in (errno.EACCES, errno.EPERM):
        cause = f"permission denied: cannot create a file in {folder}"
    else:
        return write_failed(path, exc)
    return InvalidInput(f"cannot write {path}: {cause}", [Problem(cause, str(path))])


def check_target(path: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Refuse a target that is a symlink, a folder, or (without ``force``) an existing file.

    Called by every writer before it writes anything; a command that writes several files
    calls it for each first, so that one refused name leaves all of them untouched.
    """
    target = Path(path)
    file = str(path)
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise write_failed(file, exc) from None
    if info is not None:
        if stat.S_ISLNK(info.st_mode):
            raise InvalidInput(
                f"cannot write {file}: it is a symbolic link (not followed); give the real path",
                [Problem("symbolic link", file)],
            )
        if stat.S_ISDIR(info.st_mode):
            raise InvalidInput(f"cannot write {file}: it is a folder", [Problem("it is a folder", file)])
        # A device, FIFO or socket (``/dev/full``, a pipe) is never replaced: exit 3 with or without
        # --force, checked before the "already exists" conflict so that --force is not suggested.
        if not stat.S_ISREG(info.st_mode):
            raise InvalidInput(
                f"cannot write {file}: it is not a regular file", [Problem("not a regular file", file)]
            )
        if not force:
            raise Conflict(
                f"{file} already exists; use --force to replace it",
                [Problem("already exists", file)],
            )
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InvalidInput(
            f"cannot write {file}: the folder {folder} does not exist",
            [Problem("the folder does not exist", file)],
        )
    return target


@contextmanager
def output_path(path: str | os.PathLike[str], *, force: bool = False) -> Iterator[Path]:
    """A temp path beside ``path`` for a library that writes by name; renamed into place on success.

    The temp file exists (empty, 0600) when the block starts; the library may replace it.
    On any exception the temp file is removed and the target is left as it was.
    """
    import tempfile  # not at start-up: every command imports this module

    target = check_target(path, force=force)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise _create_failed(path, folder, exc) from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, FILE_MODE)
        _fsync_path(tmp)
        _replace(tmp, target, force=force)
    except OSError as exc:
        _remove(tmp)
        raise write_failed(path, exc) from None
    except BaseException:
        _remove(tmp)
        raise


@contextmanager
def open_output(
    path: str | os.PathLike[str],
    mode: str = "w",
    *,
    force: bool = False,
    encoding: str | None = "utf-8",
    newline: str | None = None,
) -> Iterator[IO]:
    """Open a stream on a temp file beside ``path``; on success it is fsync'ed and renamed into place."""
    binary = "b" in mode
    with output_path(path, force=force) as tmp:
        try:
            fh = open(  # noqa: SIM115 - closed below, before the rename
                tmp,
                "wb" if binary else "w",
                encoding=None if binary else encoding,
                newline=None if binary else newline,
            )
        except OSError as exc:
            raise write_failed(path, exc) from None
        try:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        finally:
            fh.close()


def write_bytes(path: str | os.PathLike[str], data: bytes, *, force: bool = False) -> Path:
    with open_output(path, "wb", force=force) as fh:
        fh.write(data)
    return Path(path)


def write_text(
    path: str | os.PathLike[str], text: str, *, force: bool = False, encoding: str = "utf-8"
) -> Path:
    with open_output(path, "w", force=force, encoding=encoding, newline="") as fh:
        fh.write(text)
    return Path(path)


def _replace(tmp: Path, target: Path, *, force: bool) -> None:
    if force:
        # Re-check just before the rename: a symlink planted meanwhile is replaced, never followed
        # (rename acts on the link itself), but a folder would make rename fail: say so.
        os.replace(tmp, target)
    else:
        # Without --force, never replace a file that appeared meanwhile: link() fails if it exists.
        try:
            os.link(tmp, target)
        except FileExistsError:
            message = f"{target} already exists; use --force to replace it"
            raise Conflict(message, [Problem("already exists", str(target))]) from None
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.EXDEV, errno.ENOTSUP, errno.EMLINK):
                raise
            # A file system without hard links: rename (the existence check above still holds).
            os.replace(tmp, target)
            return
        _remove(tmp)
    _fsync_dir(target.parent if str(target.parent) else Path("."))


def _fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot fsync a folder; the rename itself is still atomic
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


__all__ = [
    "FILE_MODE",
    "check_target",
    "open_output",
    "os_cause",
    "output_path",
    "write_bytes",
    "write_failed",
    "write_text",
]

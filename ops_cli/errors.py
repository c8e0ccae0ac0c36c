"""Typed errors raised by the core.

Each error carries the exit code that `cli.md` promises scripts; the command
layer maps them in one place (``commands/_runtime.py``) and never invents codes
of its own.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any


class ExitStatus(IntEnum):
    """The exit codes of ``cli.md``: the one list, carried by errors and mapped by the runtime."""

    OK = 0
    NO = 1  # a check answered no / found something (or an unexpected internal error)
    USAGE = 2
    INVALID = 3  # invalid input data (or an OS error on a file): nothing was written
    NOT_FOUND = 4
    NOT_PERMITTED = 5
    CONFLICT = 6  # the state does not allow it, the store stayed busy, a file exists


class Problem:
    """One problem in one row of an input file (or one field of a request).

    ``row`` is the spreadsheet's own row number (the header is row 1), or None
    when the problem is not tied to a row. Immutable and compared by value (written out
    rather than a frozen dataclass: every command imports this module, see test_startup.py).
    """

    __slots__ = ("message", "file", "row", "column")
    __match_args__ = __slots__

    message: str
    file: str | None
    row: int | None
    column: str | None

    def __init__(
        self, message: str, file: str | None = None, row: int | None = None, column: str | None = None
    ) -> None:
        for name, value in zip(self.__slots__, (message, file, row, column), strict=True):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"Problem is immutable: cannot set {name}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Problem is immutable: cannot delete {name}")

    def _key(self) -> tuple[Any, ...]:
        return (self.message, self.file, self.row, self.column)

    def __eq__(self, other: object) -> bool:
        return type(other) is Problem and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return "Problem({})".format(
            ", ".join(f"{n}={v!r}" for n, v in zip(self.__slots__, self._key(), strict=True))
        )

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.row is not None:
            where.append(str(self.row))
        prefix = ":".join(where)
        parts = [p for p in (prefix, self.column) if p]
        return ": ".join([*parts, self.message])


class OpsError(Exception):
    """Base of every error the core raises on purpose."""

    exit_code = ExitStatus.NO

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.message = message
        self.problems: list[Problem] = list(problems or [])


class CheckFailed(OpsError):
    """A yes/no check answered no (``roster can``, ``sla check``...)."""

    exit_code = ExitStatus.NO


class InvalidInput(OpsError):
    """Input data is invalid; nothing was written."""

    exit_code = ExitStatus.INVALID


class ConfigError(InvalidInput):
    """The configuration file is unreadable or holds an unknown key or a wrong type."""


class NotFound(OpsError):
    """A customer, case, subscription or unit does not exist."""

    exit_code = ExitStatus.NOT_FOUND


class NotPermitted(OpsError):
    """The roster does not allow this person to do this."""

    exit_code = ExitStatus.NOT_PERMITTED


class Conflict(OpsError):
    """The current state does not allow the change (or the store stayed busy)."""

    exit_code = ExitStatus.CONFLICT

"""Problems found in an input file, row by row, and the rows ``--skip-invalid`` leaves out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ops_cli.errors import InvalidInput, Problem
from ops_cli.render import plural

#: Problems listed one by one in the error; beyond it they are counted (a million bad rows must not
#: become a million objects and a million-line message).
MAX_LISTED = 1000


@dataclass(frozen=True)
class Rejected:
    """A row left out by ``--skip-invalid``: its sheet row number, its cells, why."""

    row: int
    values: Mapping[str, object]
    reason: str


class Problems:
    """Every ``Problem(message, file, row, column)`` of one import, and the rejected rows.

    Row validators call :meth:`add` (or :meth:`reject` with the row's cells when the
    row can be written to a rejected-rows file); the pipeline raises
    :meth:`invalid` when any problem is left and ``--skip-invalid`` was not given.
    """

    def __init__(self, file: str):
        self.file = file
        self.items: list[Problem] = []  # the first MAX_LISTED problems
        self.count = 0  # every problem
        self.rejected: list[Rejected] = []
        self._bad_rows: set[int] = set()

    def __bool__(self) -> bool:
        return self.count > 0

    def __len__(self) -> int:
        return self.count

    @property
    def unlisted(self) -> int:
        """Problems found beyond the ``MAX_LISTED`` kept one by one."""
        return self.count - len(self.items)

    def add(self, message: str, row: int | None = None, column: str | None = None) -> None:
        self.count += 1
        if len(self.items) < MAX_LISTED:
            self.items.append(Problem(message, self.file, row, column))
        if row is not None:
            self._bad_rows.add(row)

    def reject(
        self, row: int, values: Mapping[str, object], errors: Iterable[tuple[str | None, str]]
    ) -> None:
        """Record one bad row: a problem per (column, message), and the row for the rejected-rows file."""
        errors = list(errors)
        for column, message in errors:
            self.add(message, row, column)
        reason = "; ".join(f"{c}: {m}" if c else m for c, m in errors)
        self.rejected.append(Rejected(row, values, reason))

    def is_bad(self, row: int) -> bool:
        return row in self._bad_rows

    @property
    def bad_rows(self) -> int:
        return len(self._bad_rows)

    def sorted(self, order: Iterable[str] = ()) -> list[Problem]:
        """Problems in sheet order; within a row, columns in ``order`` (others after)."""
        rank = {name: i for i, name in enumerate(order)}
        return sorted(
            self.items, key=lambda p: (p.row or 0, rank.get(p.column or "", len(rank)), p.column or "")
        )

    def invalid(
        self, order: Iterable[str] = (), *, headline: str | None = None, what: str = "imported"
    ) -> InvalidInput:
        """The one error for a file with bad rows: exit 3, every problem listed, nothing written.

        The message is ``FILE: N bad rows (M problems); nothing was imported`` unless the
        importer gives its own ``headline`` (``FILE: headline``).
        """
        problems = self.sorted(order)
        if self.unlisted:
            problems.append(
                Problem(f"... and {plural(self.unlisted, 'more problem')} (not listed)", self.file)
            )
        if headline is None:
            counted = plural(self.count, "problem")
            headline = (
                f"{plural(self.bad_rows, 'bad row')} ({counted})" if self._bad_rows else counted
            ) + f"; nothing was {what}"
        return InvalidInput(f"{self.file}: {headline}", problems)

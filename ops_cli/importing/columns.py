"""Column-wise validation: a parser run over a whole column, each distinct cell once.

Big sheets repeat values (customer numbers, roles, kinds): checking each distinct
text once and mapping the column through the results keeps a 100k-row import
fast. Errors are collected per row index: ``{index: [(column, message), ...]}``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

RowErrors = dict[int, list[tuple[str, str]]]


def distinct(texts: Sequence[str], fn: Callable[[str], Any]) -> dict[str, Any]:
    """Each distinct cell parsed once: text -> value (lists joined with ",") or the ValueError."""
    out: dict[str, Any] = {}
    for text in set(texts):
        try:
            value = fn(text)
            out[text] = ",".join(value) if isinstance(value, list) else value
        except ValueError as exc:
            out[text] = exc
    return out


def parse_column(texts: Sequence[str], fn: Callable[[str], Any], column: str, errors: RowErrors) -> list[Any]:
    """``fn`` over a column (distinct cells once); a bad cell's ValueError is recorded in ``errors``."""
    table = distinct(texts, fn)
    out = list(map(table.__getitem__, texts))
    if any(x.__class__ is ValueError for x in table.values()):
        for i, x in enumerate(out):
            if x.__class__ is ValueError:
                errors.setdefault(i, []).append((column, str(x)))
    return out


def check_each(
    values: Sequence[Any], ok: Callable[[Any], bool], fn: Callable[[Any], Any], column: str, errors: RowErrors
) -> None:
    """For the cells that fail the fast ``ok`` test, record ``fn``'s ValueError (its message)."""
    for i, value in enumerate(values):
        if not ok(value):
            try:
                fn(value)
            except ValueError as exc:
                errors.setdefault(i, []).append((column, str(exc)))


def sort_errors(errors: RowErrors, order: Sequence[str]) -> None:
    """Each row's problems in the order of ``order`` (the sheet's usual column order)."""
    rank = {name: i for i, name in enumerate(order)}
    for problems in errors.values():
        problems.sort(key=lambda cp: rank.get(cp[0], len(rank)))

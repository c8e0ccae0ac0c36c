"""The subscription sheet's rows checked column by column (the hot path of ``sub import``).

Each column is first checked in one C-level pass (a regular expression mapped over the column,
``int`` over digit texts); only a column that fails it (or holds number cells from a workbook)
goes through the shared parsers (``ops_cli.parsers.identities``) cell by cell, which then give
each bad cell's message. The values are exactly the parsers': the fast pass accepts only texts
the parser would return unchanged (ISSI digits -> ``int``; TEI upper-cased; MSISDN compacted).
Customer, kind and status cells repeat: each distinct one is parsed once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from ops_cli.importing.columns import RowErrors, parse_column
from ops_cli.parsers.identities import (
    _MSISDN,
    _MSISDN_SEPARATORS,
    _TEI,
    ISSI_MAX,
    ISSI_MIN,
    parse_issi,
    parse_msisdn,
    parse_tei,
)
from ops_cli.parsers.numbers import customer_number
from ops_cli.sheets import Columns

_ASCII_DIGITS = re.compile(r"[0-9]{1,9}")
_drop_separators = partial(_MSISDN_SEPARATORS.sub, "")


def _customer(text: str) -> str:
    if not text:
        raise ValueError("customer is empty")
    return customer_number(text)


def _each(cells: Sequence[object], fn: Callable[[object], Any], column: str, errors: RowErrors) -> list[Any]:
    """``fn`` cell by cell; a bad cell's message recorded and None in its place."""
    out: list[Any] = []
    append = out.append
    for i, cell in enumerate(cells):
        try:
            append(fn(cell))
        except ValueError as exc:
            errors.setdefault(i, []).append((column, str(exc)))
            append(None)
    return out


def _all_str(cols: Columns, name: str) -> bool:
    return cols.text_only or all(c.__class__ is str for c in cols.cells[name])


def issis(cols: Columns, errors: RowErrors) -> list[int | None]:
    texts = cols.values["issi"]
    if _all_str(cols, "issi") and all(map(_ASCII_DIGITS.fullmatch, texts)):
        ints = list(map(int, texts))
        if ints and min(ints) >= ISSI_MIN and max(ints) <= ISSI_MAX:
            return ints  # (the broadcast ISSI is above ISSI_MAX)
    return _each(cols.raw("issi"), parse_issi, "issi", errors)


def teis(cols: Columns, errors: RowErrors) -> list[str | None]:
    texts = cols.values["tei"]
    if _all_str(cols, "tei") and all(map(_TEI.fullmatch, filter(None, texts))):
        return [t.upper() if t else None for t in texts]
    raw = cols.raw("tei")
    return _each([c if t else None for c, t in zip(raw, texts, strict=True)], _tei_or_none, "tei", errors)


def _tei_or_none(cell: object) -> str | None:
    return None if cell is None else parse_tei(cell)


def msisdns(cols: Columns, errors: RowErrors) -> list[str | None]:
    if "msisdn" not in cols.values:
        return [None] * len(cols)
    texts = cols.values["msisdn"]
    if _all_str(cols, "msisdn"):
        if all(map(_MSISDN.fullmatch, filter(None, texts))):  # compact already (no separator to drop)
            return [t or None for t in texts]
        compact = list(map(_drop_separators, texts))
        if all(map(_MSISDN.fullmatch, filter(None, compact))) and all(
            c or not t for c, t in zip(compact, texts, strict=True)
        ):
            return [c or None for c in compact]
    return _each(cols.raw("msisdn"), parse_msisdn, "msisdn", errors)


def words(
    cols: Columns, column: str, table: dict[str, str], allowed: Sequence[str], errors: RowErrors
) -> list[str | None]:
    """A kind/status column: empty -> None (keep the stored value), else one of the known words."""
    if column not in cols.values:
        return [None] * len(cols)

    def word(text: str) -> str | None:
        if not text:
            return None
        found = table.get(text.lower())
        if found is None:
            raise ValueError(f"{column} {text!r} is not one of: {', '.join(allowed)}")
        return found

    return _clean(parse_column(cols.values[column], word, column, errors), errors)


def customers(cols: Columns, errors: RowErrors) -> list[str | None]:
    return _clean(parse_column(cols.values["customer"], _customer, "customer", errors), errors)


def _clean(values: list[Any], errors: RowErrors) -> list[Any]:
    """``parse_column`` leaves a bad cell's ValueError in its place: None instead."""
    if not errors:
        return values
    return [None if x.__class__ is ValueError else x for x in values]


def check_columns(
    cols: Columns, kinds: tuple[dict[str, str], Sequence[str]], statuses: tuple[dict[str, str], Sequence[str]]
) -> tuple[list[list[Any]], RowErrors]:
    """[customers, issis, teis, msisdns, kinds, statuses] and the problems by row index."""
    errors: RowErrors = {}
    checked = [
        customers(cols, errors),
        issis(cols, errors),
        teis(cols, errors),
        msisdns(cols, errors),
        words(cols, "kind", *kinds, errors),
        words(cols, "status", *statuses, errors),
    ]
    return checked, errors

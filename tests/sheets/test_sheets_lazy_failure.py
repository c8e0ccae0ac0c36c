"""A lazy reader that fails while its rows are read (calamine raises a Rust panic, a
BaseException) gives the file's one error where the reading reached it, never a traceback."""

from __future__ import annotations

import pytest

from ops_cli.errors import InvalidInput
from ops_cli.sheets import Column
from ops_cli.sheets.model import Source
from ops_cli.sheets.stream import chunked_columns

COLUMNS = (Column("customer"), Column("name"))


class Panic(BaseException):
    """What pyo3 raises for a panic in the Rust reader."""


def rows(good: int):
    yield ["customer", "name"]
    for i in range(good):
        yield [str(1000 + i), f"Kund {i}"]
    raise Panic("index out of bounds")


def source(good: int) -> Source:
    found = Source(rows(good), 0, False, sheet="Blad1")
    found.fail = lambda exc: InvalidInput(
        f"book.xlsx: not a spreadsheet (could not read sheet 'Blad1': {exc})"
    )
    return found


@pytest.mark.parametrize("good", [0, 3, 25])
def test_a_reader_failure_is_the_files_error_after_the_rows_before_it(good):
    chunks = chunked_columns("book.xlsx", source(good), COLUMNS, None, 10)
    seen = 0
    with pytest.raises(InvalidInput, match="could not read sheet 'Blad1': index out of bounds"):
        for chunk in chunks:
            seen += len(chunk)
    assert seen <= good  # no row after the failure; a chunk that ends at it is not handed out


def test_without_a_translation_the_failure_is_raised_as_it_is():
    plain = Source(rows(2), 0, False)
    with pytest.raises(Panic):
        list(chunked_columns("book.xlsx", plain, COLUMNS, None, 10))

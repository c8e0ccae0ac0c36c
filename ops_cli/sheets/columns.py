"""From rows as read to the wanted columns: find the header, map it, assemble column by column."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from operator import itemgetter

from ops_cli.errors import InvalidInput, Problem
from ops_cli.sheets.cells import CONTROL, MAX_CELL, cell_text, column_letter, fail, header_key
from ops_cli.sheets.model import Column, Columns, Source

_PROGRESS_EVERY = 1000
_TITLE_ROWS = 10  # non-empty rows searched for the header row
# Cell types whose equal values always read as the same text (1 == 1.0 -> "1"; no bool: True == 1).
_SAME_TEXT_WHEN_EQUAL = frozenset({str, int, float, type(None)})


def wanted_keys(columns: Sequence[Column]) -> dict[str, Column]:
    """Every accepted header (as ``header_key`` compares it) -> its column."""
    wanted: dict[str, Column] = {}
    for col in columns:
        for name in (col.name, *col.aliases):
            wanted[header_key(name)] = col
    return wanted


def build_columns(
    file: str, source: Source, columns: Sequence[Column], progress: Callable[[int], None] | None
) -> Columns:
    """The wanted columns of ``source`` (every file problem raised as ``InvalidInput``)."""
    wanted = wanted_keys(columns)
    header_row, header = find_header(file, source, wanted)
    positions = map_header(file, header, header_row, source.col_offset, columns, wanted)
    data = source.rows[header_row:]  # the rows after the header
    source.rows = []
    indices = list(positions.values())
    cells, texts = pick_columns(data, indices, source.text_only)
    empty = empty_rows(data, texts, source.text_only)
    check_cells(file, texts, header_row, [header[i] for i in indices], source)
    if source.error is not None:  # the reader failed after the rows it gave
        raise source.error
    n = len(data)
    if progress:
        for _ in range(n // _PROGRESS_EVERY):
            progress(_PROGRESS_EVERY)
        if n % _PROGRESS_EVERY:
            progress(n % _PROGRESS_EVERY)
    return assemble(file, header, source, list(positions), header_row, n, texts, cells, empty)


def assemble(
    file: str,
    header: list[str],
    source: Source,
    names: list[str],
    offset: int,
    n: int,
    texts: list[list],
    cells: list[list],
    empty: Sequence[int],
) -> Columns:
    """The ``Columns`` of ``n`` data rows that follow sheet row ``offset``, without the ``empty`` ones."""
    numbers = list(range(offset + 1, offset + 1 + n))
    if empty:
        gone = set(empty)
        keep = [j for j in range(n) if j not in gone]
        numbers = [numbers[j] for j in keep]
        texts = [[t[j] for j in keep] for t in texts]
        cells = [[c[j] for j in keep] for c in cells]
    values = dict(zip(names, texts, strict=True))
    return Columns(
        file=file,
        headers=header,
        numbers=numbers,
        values=values,
        cells=values if source.text_only else dict(zip(names, cells, strict=True)),
        text_only=source.text_only,
        sheet=source.sheet,
    )


def find_header(file: str, source: Source, wanted: dict[str, Column]) -> tuple[int, list[str]]:
    """The header row: the first non-empty row, or a later one (up to the 10th non-empty row) when the
    sheet starts with a title line that names none of the columns."""
    header_row = 0
    header: list[str] = []
    seen = 0
    for number, cells in enumerate(source.rows, 1):
        texts = [cell_text(c) for c in cells]
        if not any(texts):
            continue
        seen += 1
        if not header_row:
            header_row, header = number, texts
        if any(header_key(t) in wanted for t in texts if t):
            header_row, header = number, texts
            break
        if seen >= _TITLE_ROWS:
            break
    else:
        if source.error is not None:  # the reader failed before the header search was done
            raise source.error
    if not header_row:
        raise fail(file, "the file is empty (no header row)")
    return header_row, header


def map_header(
    file: str,
    header: list[str],
    header_row: int,
    col_offset: int,
    columns: Sequence[Column],
    wanted: dict[str, Column],
) -> dict[str, int]:
    """Canonical column name -> its index in the row; every header problem at once."""
    last = max(i for i, h in enumerate(header) if h)
    positions: dict[str, int] = {}
    problems: list[Problem] = []
    for i, text in enumerate(header[: last + 1]):
        letter = column_letter(i + col_offset)
        if not text:
            problems.append(
                Problem(
                    f"blank header cell in column {letter} (merged or empty header cells are not allowed)",
                    file,
                    header_row,
                    letter,
                )
            )
        elif len(text) > MAX_CELL:
            problems.append(Problem("the header cell is over 1 MB", file, header_row, letter))
        elif CONTROL.search(text):
            problems.append(Problem("the header holds a control character", file, header_row, letter))
        elif (col := wanted.get(header_key(text))) is not None:
            if col.name in positions:
                first = header[positions[col.name]]
                message = f"duplicate header: {text!r} and {first!r} both mean {col.name!r}"
                problems.append(Problem(message, file, header_row, text))
            else:
                positions[col.name] = i
    if not positions and not problems:
        names = ", ".join(c.name for c in columns)
        raise fail(
            file, f"header row missing: row {header_row} names none of the columns ({names})", header_row
        )
    missing = [c for c in columns if c.required and c.name not in positions]
    if missing:
        listed = ", ".join(c.name + (f" (or {' / '.join(c.aliases)})" if c.aliases else "") for c in missing)
        problems.append(Problem(f"missing required column(s): {listed}", file, header_row))
    if problems:
        message = "; ".join(str(p) for p in problems) if len(problems) == 1 else f"{file}: bad header row"
        raise InvalidInput(message, problems)
    return positions


def pick_columns(
    data: list[list], indices: list[int], text_only: bool
) -> tuple[list[Sequence[object]], list[list[str]]]:
    """The cells and trimmed texts of the wanted columns, column by column (in C where possible)."""
    n = len(data)
    width = max(indices) + 1
    cells: list[Sequence[object]] = []
    texts: list[list[str]] = []
    if n and min(map(len, data)) >= width:
        # Every row reaches the last wanted column (the usual case): pick each column in C.
        for i in indices:
            col = list(map(itemgetter(i), data))
            if not text_only:
                cells.append(col)
            texts.append(_texts(col))
        return cells, texts
    # Short rows: transpose once, padded with empty cells (long rows cut to the wanted width).
    fill = "" if text_only else None
    if max(map(len, data), default=0) > width:
        picked_rows = map(itemgetter(slice(None, width)), data)
    else:
        picked_rows = iter(data)
    transposed = list(itertools.zip_longest(*picked_rows, fillvalue=fill)) if n else []
    for i in indices:
        col = transposed[i] if i < len(transposed) else (fill,) * n
        cells.append(col)
        texts.append(_texts(col))
    return cells, texts


def _texts(col: Sequence[object]) -> list[str]:
    """``cell_text`` of every cell of a column; in C when every cell is text."""
    try:
        return list(map(str.strip, col))
    except TypeError:
        pass
    if _SAME_TEXT_WHEN_EQUAL.issuperset(map(type, col)):
        table = {c: cell_text(c) for c in set(col)}  # each distinct value converted once
        return list(map(table.__getitem__, col))
    return [c.strip() if c.__class__ is str else cell_text(c) for c in col]


def empty_rows(data: list[list], texts: list[list[str]], text_only: bool) -> list[int]:
    """Rows with nothing in the wanted columns *and* nothing anywhere else: skipped."""
    if any(map(all, texts)):
        return []
    blank = [j for j, t in enumerate(zip(*texts, strict=True)) if not any(t)]
    if text_only:
        return [j for j in blank if not any(c.strip() for c in data[j])]
    return [j for j in blank if not any(cell_text(c) for c in data[j])]


# Bytes that are not a control character: ``bytes.translate`` deletes them, in C (control
# characters are ASCII, and UTF-8 encodes every other character with bytes >= 0x80).
_NOT_CONTROL = bytes(b for b in range(256) if not CONTROL.match(chr(b)))


def _has_control(text: str) -> bool:
    """``CONTROL.search(text)``, ~2x faster on a whole column."""
    return bool(text.encode("utf-8", "surrogatepass").translate(None, _NOT_CONTROL))


def check_cells(file: str, texts: list[list[str]], header_row: int, names: list[str], source: Source) -> None:
    """Refuse the first cell (in sheet order) over ``MAX_CELL`` or, from a workbook, holding a
    control character (calamine decodes ``_x0001_`` escapes; a CSV file was checked whole).

    Length: calamine reads a cell whole, however long (it does not cut at Excel's 32,767
    characters), so xlsx cells get the same limit as CSV cells and a cell of exactly 32,767
    characters is accepted: nothing says it was cut.
    """
    bound = source.longest_cell
    if bound is None or bound > MAX_CELL:
        hits = [
            (next(j for j, x in enumerate(t) if len(x) > MAX_CELL), k)
            for k, t in enumerate(texts)
            if len("".join(t)) > MAX_CELL and max(map(len, t), default=0) > MAX_CELL  # (join: in C)
        ]
        if hits:
            j, k = min(hits)
            size = f"{len(texts[k][j]):,}"
            raise fail(file, f"cell is over 1 MB ({size} characters)", header_row + 1 + j, names[k])
    if source.text_only:
        return
    hits = [
        (next(j for j, x in enumerate(t) if CONTROL.search(x)), k)
        for k, t in enumerate(texts)
        if _has_control("\n".join(t))
    ]
    if hits:
        j, k = min(hits)
        char = CONTROL.search(texts[k][j]).group()
        message = f"control character U+{ord(char):04X} in the cell (not allowed)"
        raise fail(file, message, header_row + 1 + j, names[k])

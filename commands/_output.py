"""The one output module: data to stdout in the chosen format, messages to stderr.

``table`` is a rich table on a terminal and plain aligned text otherwise
(pipes, files, cron mail); colour follows rich's rules, so ``NO_COLOR`` and a
non-terminal stdout turn it off. ``json`` prints exactly one document (indented
on a terminal, compact from the C encoder otherwise), ``jsonl`` one object a line.

Lists stream: :func:`emit` takes any iterable of rows (a core function may hand over
a generator reading a store cursor) and writes each row as it comes, so memory does
not grow with the list and ``ops roster list | head -3`` stops at once. A list
command's ``--limit``, ``--columns`` and ``--wide`` (``commands/_options.py``) reach
:func:`emit` through the click context and apply to every format; a terminal table
cuts values to the width with an ellipsis instead of wrapping them.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import chain, count, islice
from operator import itemgetter
from typing import Any

import click

from ops_cli import render
from ops_cli.errors import InvalidInput

from ._options import OutputFormat

# Set by the root command's --quiet for this invocation.
_quiet = False


def set_quiet(value: bool) -> None:
    global _quiet
    _quiet = value


def quiet() -> bool:
    return _quiet


def info(message: str) -> None:
    """A message for the person at the terminal (stderr; silenced by --quiet)."""
    if not quiet():
        sys.stderr.write(message + "\n")


def warn(message: str) -> None:
    sys.stderr.write(f"warning: {message}\n")


class StdoutError(OSError):
    """Standard output could not be written (closed, a full disk, ``/dev/full``)."""


@contextmanager
def _stdout() -> Iterator[Any]:
    """The stream data goes to; an OS error while writing it becomes a :class:`StdoutError`
    (a vanished reader, ``BrokenPipeError``, is left to the runtime: it stops quietly)."""
    if sys.stdout is None:  # started with stdout closed (`ops ... >&-`)
        raise StdoutError(errno.EBADF, "it is closed")
    try:
        yield sys.stdout
    except BrokenPipeError:
        raise
    except StdoutError:
        raise
    except OSError as exc:
        raise StdoutError(exc.errno, exc.strerror) from None


def _write(text: str) -> None:
    with _stdout() as out:
        out.write(text)


def _stdout_is_terminal() -> bool:
    return sys.stdout is not None and sys.stdout.isatty()


def _console():
    from rich.console import Console

    return Console(no_color="NO_COLOR" in os.environ or None)


def stdout_is_terminal() -> bool:
    return _stdout_is_terminal()


def emit_rich(renderables: Iterable[Any]) -> None:
    """Print rich renderables (a report's panels and tables) to the terminal."""
    with _stdout():
        console = _console()
        for item in renderables:
            # a renderable whose every line fits the terminal (a report's 100,000-case table)
            # is printed without rich cropping each line again
            fits = getattr(item, "fits", None)
            console.print(item, crop=not (callable(fits) and fits(console.width)))


def _listing() -> dict[str, Any]:
    """The listing options (--limit, --columns, --wide) of this invocation, if any."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return {}
    return {k[len("ops.output.") :]: v for k, v in ctx.meta.items() if k.startswith("ops.output.")}


def _select(wanted: str, known: Sequence[str]) -> list[str]:
    """``--columns a,b,c`` checked against the fields this listing has (exit 3 naming them)."""
    chosen = [c.strip() for c in wanted.split(",") if c.strip()]
    unknown = [c for c in chosen if c not in known]
    if not chosen or unknown:
        what = f"unknown column {', '.join(unknown)}" if unknown else "--columns names no column"
        raise InvalidInput(f"{what}; known columns: {', '.join(known)}")
    return chosen


def _project(rows: Iterator[Mapping[str, Any]], columns: Sequence[str]) -> Iterator[dict[str, Any]]:
    for row in rows:
        yield {c: row.get(c) for c in columns}


class _Counted:
    """The rows as plain dicts, counting those handed on."""

    def __init__(self, rows: Iterable[Any]):
        self._rows = iter(rows)
        self.count = 0

    def __iter__(self) -> Iterator[Any]:
        plain = render.plain
        for row in self._rows:
            self.count += 1
            yield row if type(row) is dict else plain(row)


def emit(
    data: Any,
    fmt: OutputFormat | str = OutputFormat.table,
    columns: Sequence[str] | None = None,
    title: str | None = None,
) -> int:
    """Print a list of objects (rows: any iterable of dicts, a generator streams) or one object
    in the chosen format; return how many rows were printed (1 for one object).

    Rows go out one at a time: json as a streamed array, jsonl, csv, md and plain tables to a
    pipe never hold the list; only a terminal table buffers a screenful. The listing options
    of the command (``--limit``, ``--columns``, ``--wide``) apply here."""
    fmt = OutputFormat(fmt)
    if isinstance(data, Mapping) or render.is_record(data):
        _emit_record(data, fmt, columns, title)
        return 1
    opts = _listing()
    if (
        type(data) is render.Rows
        and (data.json is not None or fmt not in (OutputFormat.json, OutputFormat.jsonl))
        and opts.get("columns") is None
        and (not columns or tuple(columns) == data.columns)
        and fmt is not OutputFormat.md
        and not (fmt in (OutputFormat.table, OutputFormat.json) and _stdout_is_terminal())
    ):
        return _emit_tuples(data, fmt, opts.get("limit"))
    counted = _Counted(data)
    rows: Iterator[Any] = iter(counted)
    if opts.get("limit"):
        rows = islice(rows, opts["limit"])
    first = next(rows, None)
    known = list(columns or ())
    # The fields: those named, then the first row's; a list already in memory adds every
    # row's (rows of a stream are not read ahead for that).
    for row in (first, *data) if isinstance(data, list | tuple) else (first,):
        if not isinstance(row, Mapping) and render.is_record(row):
            row = render.plain(row)
        if isinstance(row, Mapping):
            known += [k for k in row if k not in known]
    if first is not None:
        rows = chain((first,), rows)
    if opts.get("columns") is not None:
        columns = _select(opts["columns"], known)
        rows = _project(rows, columns)
    elif fmt in (OutputFormat.json, OutputFormat.jsonl) or not columns:
        columns = known
    _emit_rows(rows, fmt, list(columns), title, wide=bool(opts.get("wide")))
    return counted.count


#: Characters of text chunks (a row each for json, jsonl, md and tables) joined into one
#: write to stdout.
WRITE_BATCH = 1 << 16


def _write_chunks(chunks: Iterator[str]) -> None:
    """Write the chunks about :data:`WRITE_BATCH` characters at a time instead of one
    ``write`` a row (each call of the text stream costs more than the joining)."""
    with _stdout() as out:
        write = out.write
        pending: list[str] = []
        size = 0
        for chunk in chunks:
            pending.append(chunk)
            size += len(chunk)
            if size >= WRITE_BATCH:
                write("".join(pending))
                pending.clear()
                size = 0
        if pending:
            write("".join(pending))


def _emit_tuples(data: render.Rows, fmt: OutputFormat, limit: int | None) -> int:
    """A listing's value tuples written without a dict a row (csv, compact json/jsonl,
    a plain table to a pipe): the same bytes as the dict path."""
    # Counted without a Python call a row: zip takes from the counter first, so once the
    # rows are out the counter has gone two past their number.
    texts = fmt in (OutputFormat.json, OutputFormat.jsonl) and data.json is not None
    source = data.json() if texts else data.tuples
    tally = count(1)
    rows = map(itemgetter(1), zip(tally, islice(source, limit) if limit else source, strict=False))
    columns = list(data.columns)
    if texts:
        chunks = render.iter_json_texts(rows) if fmt is OutputFormat.json else render.iter_jsonl_texts(rows)
    elif fmt is OutputFormat.csv:
        chunks = render.iter_csv_tuples(rows, columns)
    elif fmt is OutputFormat.json or fmt is OutputFormat.jsonl:
        objects = (dict(zip(columns, row, strict=True)) for row in rows)
        chunks = render.iter_json(objects) if fmt is OutputFormat.json else render.iter_jsonl(objects)
    else:
        chunks = render.iter_plain_lines(render.tuple_cells(rows), columns)
    _write_chunks(chunks)
    return next(tally) - 2


def _emit_record(data: Any, fmt: OutputFormat, columns: Sequence[str] | None, title: str | None) -> None:
    if fmt is OutputFormat.json:
        _write(render.to_json(data, indent=2 if _stdout_is_terminal() else None) + "\n")
        return
    if fmt is OutputFormat.jsonl:
        _write(render.to_json(data, indent=None) + "\n")
        return
    data = render.plain(data)
    if fmt is OutputFormat.csv:
        _emit_rows(iter([data]), fmt, list(columns or data), title)
    else:
        _emit_rows(iter(render.record_rows(data)), fmt, ["field", "value"], title, record=True)


def _emit_rows(
    rows: Iterator[Mapping[str, Any]],
    fmt: OutputFormat,
    columns: list[str],
    title: str | None,
    wide: bool = False,
    record: bool = False,
) -> None:
    if fmt is OutputFormat.table and _stdout_is_terminal():
        _rich_tables(rows, columns, title, wide=wide or record, record=record)
        return
    if fmt is OutputFormat.json:
        chunks = render.iter_json(rows, indent=2 if _stdout_is_terminal() else None)
    elif fmt is OutputFormat.jsonl:
        chunks = render.iter_jsonl(rows)
    elif fmt is OutputFormat.csv:
        chunks = render.iter_csv(rows, columns)
    elif fmt is OutputFormat.md:
        chunks = render.iter_markdown(rows, columns)
    else:
        chunks = render.iter_plain(rows, columns)
    _write_chunks(chunks)


#: Rows a terminal table holds at once (one rich table per screenful-ish chunk).
TERMINAL_CHUNK = 500


def fit_widths(widths: Sequence[int], room: int) -> list[int]:
    """Column widths that fit ``room``: the widest columns are cut first, down to a common
    cap, so short columns (numbers, statuses) stay whole and a long subject takes the cut."""
    if sum(widths) <= room:
        return list(widths)
    cap = max(widths)
    while cap > 1 and sum(min(w, cap) for w in widths) > room:
        cap -= 1
    return [min(w, cap) for w in widths]


def _rich_tables(
    rows: Iterator[Mapping[str, Any]],
    columns: Sequence[str],
    title: str | None,
    wide: bool,
    record: bool = False,
) -> None:
    """Rich tables on a terminal: a value is never wrapped mid-way, it is cut to the
    terminal width with an ellipsis (``--wide``: every value whole). Rows come in chunks of
    :data:`TERMINAL_CHUNK`; every chunk uses the first chunk's column widths, so they line up.
    One object (``record``: a field/value table) shows its values whole, wrapped at words."""
    from rich.table import Table

    with _stdout():
        console = _console()
        widths: list[int | None] = []
        while chunk := [render.row_cells(row, columns) for row in islice(rows, TERMINAL_CHUNK)]:
            first = not widths
            if first:
                widths = [max(len(col), *(len(line[i]) for line in chunk)) for i, col in enumerate(columns)]
                if record:
                    widths = [widths[0], None]
                elif wide:
                    console.width = max(console.width, sum(widths) + 3 * len(widths) + 4)
                else:
                    widths = fit_widths(widths, console.width - 3 * len(widths) - 1)
            table = Table(title=title if first else None, header_style="bold", show_header=first)
            for col, width in zip(columns, widths, strict=True):
                table.add_column(
                    col, no_wrap=not record, overflow="fold" if record else "ellipsis", width=width
                )
            for line in chunk:
                table.add_row(*line)
            console.print(table, crop=not wide or record)
        if not widths:
            console.print("(none)")


def emit_text(text: str) -> None:
    _write(text if text.endswith("\n") else text + "\n")


@contextmanager
def progress(total: int | None, description: str) -> Iterator[Callable[[int], None]]:
    """A progress callback for long work: a bar on a terminal (stderr), silent otherwise.

    Core functions take ``progress: Callable[[int], None] | None`` and call it
    with the number of items just done.
    """
    if quiet() or not sys.stderr.isatty() or os.environ.get("CI"):
        yield lambda _n: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        transient=True,
        console=Console(stderr=True),
    ) as bar:
        task = bar.add_task(description, total=total)
        yield lambda n: bar.advance(task, n)

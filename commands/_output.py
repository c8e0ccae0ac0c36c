"""The one output module: data to stdout in the chosen format, messages to stderr.

``table`` is a rich table on a terminal and plain aligned text otherwise
(pipes, files, cron mail); colour follows rich's rules, so ``NO_COLOR`` and a
non-terminal stdout turn it off. ``json`` prints exactly one document.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from ops_cli import render

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


def _stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def _console():
    from rich.console import Console

    return Console(no_color="NO_COLOR" in os.environ or None)


def stdout_is_terminal() -> bool:
    return _stdout_is_terminal()


def emit_rich(renderables: Iterable[Any]) -> None:
    """Print rich renderables (a report's panels and tables) to the terminal."""
    console = _console()
    for item in renderables:
        console.print(item)


def _rich_table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], title: str | None) -> None:
    from rich.table import Table

    table = Table(title=title, show_lines=False, header_style="bold")
    for col in columns:
        table.add_column(col, overflow="fold")
    for line in render.cells(rows, columns):
        table.add_row(*line)
    console = _console()
    if rows:
        console.print(table)
    else:
        console.print("(none)")


def emit(
    data: Any,
    fmt: OutputFormat | str = OutputFormat.table,
    columns: Sequence[str] | None = None,
    title: str | None = None,
) -> None:
    """Print a list of objects (rows) or one object in the chosen format."""
    fmt = OutputFormat(fmt)
    if fmt is OutputFormat.json:
        sys.stdout.write(render.to_json(data) + "\n")
        return
    data = render.plain(data)
    if isinstance(data, Mapping):
        if fmt is OutputFormat.csv:
            rows, columns = [data], columns or list(data)
        else:
            rows, columns = render.record_rows(data), ["field", "value"]
    else:
        rows = list(data)
        columns = render.columns_of(rows, columns)
    if fmt is OutputFormat.csv:
        sys.stdout.write(render.to_csv(rows, columns))
    elif fmt is OutputFormat.md:
        sys.stdout.write(render.to_markdown(rows, columns))
    elif _stdout_is_terminal():
        _rich_table(rows, columns, title)
    else:
        sys.stdout.write(render.to_plain(rows, columns))


def emit_text(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


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

"""Scripting conventions shared by every group: read commands never create a store,
`--exit-status` on list-like checks, `-` as standard input, message bodies from a file.

Kept light (imported by `_common`): no project core, no third-party imports at the top.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

#: Commands that only read the store (path below `ops`): a missing store is refused (exit 4,
#: "no store at PATH; run `ops init`"), never created. Everything else may create it.
READ_COMMANDS = frozenset(
    {
        "case list", "case show", "case callbacks", "case stale", "case departments", "case export",
        "roster list", "roster show", "roster can", "roster export",
        "roster customer list", "roster customer show",
        "sub list", "sub show", "sub export", "sub orders",
        "sla tiers", "sla check", "sla explain", "sla kpi list",
        "swap list", "swap stock", "swap shipments", "swap freight", "swap refill-request",
        "report quarterly", "report due", "report quality", "report delivery",
        "db backup", "db copy", "db log", "db check",
        "sla verify-code",  # records tries, but only in a store that exists: none to check otherwise
        "undo",  # a missing store has no changeset to list or revert
    }
)  # fmt: skip


def command_words(ctx: Any) -> str:
    """The command's path below the root, e.g. ``case list`` (whatever the program is called)."""
    words = []
    while ctx is not None and ctx.parent is not None:
        words.append(ctx.info_name or "")
        ctx = ctx.parent
    return " ".join(reversed(words))


def reads_only(ctx: Any) -> bool:
    return command_words(ctx) in READ_COMMANDS


# ---------------------------------------------------------------- --exit-status
def show_listing(exit_status: bool) -> bool:
    """Whether to print the listing: `--exit-status -q` prints nothing (like `grep -q`)."""
    from ._output import quiet

    return not (exit_status and quiet())


def checking(ctx: Any) -> None:
    """Remember that this run answers with its exit status (the command has `--exit-status`)."""
    if ctx.params.get("exit_status"):
        ctx.find_root().obj.exit_status = True


def never_one(ctx: Any, code: int) -> int:
    """Under `--exit-status`, 1 means only "found something": an error that would be 1 (an
    unreadable store, an internal error) leaves with 3 instead, so a cron line can tell them apart."""
    from ops_cli.errors import ExitStatus

    if code == ExitStatus.NO and getattr(ctx.obj, "exit_status", False):
        return int(ExitStatus.INVALID)
    return code


def exit_if_found(rows: Sequence[Any] | int | bool, exit_status: bool) -> None:
    """The one "found something -> exit 1" rule of list-like checks (`--exit-status`).

    Called after the listing was printed; an error before it (no store, a bad option) has
    already left with its own code, so an unreadable store is never 1.
    """
    found = rows if isinstance(rows, bool | int) else len(rows)
    if exit_status and found:
        import typer

        from ops_cli.errors import ExitStatus

        raise typer.Exit(int(ExitStatus.NO))


# ---------------------------------------------------------------- `-` as standard input
STDIN_NAME = "<stdin>"
XLSX_MAGIC = b"PK\x03\x04"


def sniff_format(data: bytes, given: str | None = None) -> str:
    """``xlsx`` or ``csv``: as given (``--format-in``), else from the bytes (a zip is xlsx)."""
    if given:
        kind = str(getattr(given, "value", given)).lower()
        if kind not in ("csv", "xlsx"):
            from ops_cli.errors import InvalidInput

            raise InvalidInput(f"--format-in must be csv or xlsx, not {given!r}")
        return kind
    return "xlsx" if data.startswith(XLSX_MAGIC) else "csv"


_stdin_targets: list[Path] = []


def stdin_file(ctx: Any, path: Any, format_in: str | None = None, rejected: bool = False) -> Any:
    """A FILE argument where `-` is standard input: the temp copy lives until the command ends.

    ``rejected`` (`--skip-invalid`): refused for `-`, whose FILE.rejected.csv would have no folder.
    """
    if path is None or str(path) != "-":
        return path
    if rejected:
        from ops_cli.errors import InvalidInput

        raise InvalidInput("--skip-invalid needs a FILE (its rejected rows go to FILE.rejected.csv), not `-`")
    return ctx.with_resource(input_path(path, format_in))


def name_stdin(exc: BaseException) -> None:
    """An error about a standard-input copy names `<stdin>`, not the temp file (see app.py)."""
    for target in _stdin_targets:
        if isinstance(exc, Exception):
            _rename_in_error(exc, target)


@contextmanager
def input_path(path: str | os.PathLike[str] | None, format_in: str | None = None) -> Iterator[Any]:
    """A file argument where ``-`` means standard input.

    Standard input is copied into a file in a private temp folder (0700) named ``<stdin>.csv``
    or ``<stdin>.xlsx`` (so the importer's messages name ``<stdin>`` with row numbers), which
    is removed afterwards. Any other path is passed through unchanged.
    """
    if path is None or str(path) != "-":
        yield path
        return
    stream = getattr(sys.stdin, "buffer", None)
    data = stream.read() if stream is not None else sys.stdin.read().encode("utf-8")
    if not data:
        from ops_cli.errors import InvalidInput

        raise InvalidInput("standard input is empty; pipe a CSV or xlsx file into `-`")
    kind = sniff_format(data, format_in)
    import tempfile  # not at start-up: only for a file read from stdin

    with tempfile.TemporaryDirectory(prefix="ops-stdin-") as folder:
        os.chmod(folder, 0o700)
        target = Path(folder) / f"{STDIN_NAME}.{kind}"
        _stdin_targets.append(target)
        fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        try:
            yield type(path)(target) if isinstance(path, Path) else str(target)
        except Exception as exc:
            _rename_in_error(exc, target)
            raise


def stdin_named(result: Any) -> Any:
    """A command's result with the standard-input copy's path (``file``) shown as ``<stdin>``."""
    if isinstance(result, dict):
        for key, value in result.items():
            if isinstance(value, str):
                for target in _stdin_targets:
                    value = _named(value, target) or ""
                result[key] = value
    return result


def _named(text: str | None, target: Path) -> str | None:
    """The temp file's path (or name) in a message replaced by ``<stdin>``."""
    if text is None:
        return None
    return str(text).replace(str(target), STDIN_NAME).replace(target.name, STDIN_NAME)


def _rename_in_error(exc: Exception, target: Path) -> None:
    from ops_cli.errors import OpsError, Problem

    if not isinstance(exc, OpsError):
        return
    exc.message = _named(exc.message, target) or ""
    exc.args = (exc.message,)
    exc.problems = [
        Problem(_named(p.message, target) or "", _named(p.file, target), p.row, p.column)
        for p in exc.problems
    ]


# ---------------------------------------------------------------- message bodies
BodyFileOpt = Annotated[
    str | None,
    typer.Option(
        "--body-file", metavar="FILE", help="Read the text from FILE (UTF-8; `-` = standard input)."
    ),
]
FormatInOpt = Annotated[
    str | None,
    typer.Option(
        "--format-in",
        metavar="csv|xlsx",
        help="With FILE `-` (standard input): its format (default: sniffed, a zip is xlsx).",
    ),
]


def message_body(
    text: str | None, body_file: str | os.PathLike[str] | None, what: str = "-m", required: bool = True
) -> str | None:
    """A message body: ``-m TEXT``, ``-m -`` (standard input) or ``--body-file FILE``."""
    from ops_cli.errors import InvalidInput

    if text is not None and body_file is not None:
        raise InvalidInput(f"give either {what} or --body-file, not both")
    if text is None and body_file is None and required:
        import click

        raise click.UsageError(
            f"give the text with {what} TEXT, {what} - (standard input) or --body-file FILE"
        )
    if body_file is not None:
        if str(body_file) == "-":
            return _stdin_text()
        try:
            with open(body_file, encoding="utf-8") as handle:
                return handle.read()
        except UnicodeDecodeError:
            raise InvalidInput(f"{body_file}: not UTF-8 text") from None
        except FileNotFoundError:
            raise InvalidInput(f"{body_file}: no such file") from None
        except OSError as exc:
            from ops_cli.files import os_cause

            raise InvalidInput(f"{body_file}: {os_cause(exc)}") from None
    if text == "-":
        return _stdin_text()
    return text


def _stdin_text() -> str:
    from ops_cli.errors import InvalidInput

    try:
        return sys.stdin.read()
    except UnicodeDecodeError:
        raise InvalidInput(f"{STDIN_NAME}: not UTF-8 text") from None


# ---------------------------------------------------------------- global options anywhere
_GLOBAL_VALUE = ("--db", "--config")
_GLOBAL_FLAG = ("-q", "--quiet")


def hoist_globals(
    args: Sequence[str], groups: Sequence[str], value_options: Collection[str] = ()
) -> list[str]:
    """Move the root's options given after the group (`ops case --db X list -q`) in front of it,
    so they mean the same wherever they stand. Nothing after `--` moves, and neither does the
    value of a command's own option (`-m -q` is a message "-q"; ``value_options`` names them)."""
    args = list(args)
    start = next(
        (i for i, a in enumerate(args) if a in groups and (i == 0 or args[i - 1] not in _GLOBAL_VALUE)), None
    )
    if start is None:
        return args
    front, rest = args[:start], []
    i = start
    while i < len(args):
        token = args[i]
        if token == "--":
            rest.extend(args[i:])
            break
        if rest and rest[-1] in value_options:
            rest.append(token)  # the value of the command's own option, whatever it looks like
        elif token in _GLOBAL_FLAG or token.startswith(tuple(f"{o}=" for o in _GLOBAL_VALUE)):
            front.append(token)
        elif token in _GLOBAL_VALUE and i + 1 < len(args):
            front.extend(args[i : i + 2])
            i += 1
        else:
            rest.append(token)
        i += 1
    return front + rest


# ---------------------------------------------------------------- phones as people read them
def shown_phones(rows: Any, fmt: Any) -> Any:
    """Stored E.164 phones (``+46701234567``) formatted for reading (``+46 70 123 45 67``) in
    tables, CSV and Markdown; JSON keeps E.164. Rows stream through (a generator stays one)."""
    if str(getattr(fmt, "value", fmt)) in ("json", "jsonl"):
        return rows
    from ops_cli.parsers.contact import phone_display

    def one(row: Any) -> Any:
        if isinstance(row, dict) and row.get("phone"):
            return {**row, "phone": phone_display(row["phone"])}
        return row

    if isinstance(rows, dict):
        shown = one(rows)
        if isinstance(shown.get("roster"), list):
            shown["roster"] = [one(r) for r in shown["roster"]]
        return shown
    return map(one, rows)

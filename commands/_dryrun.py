"""`--dry-run` for any write command: run its ONE core call for real under
:func:`ops_cli.changes.preview` (every check, the same code path), roll it back, and show the
per-row diff: ``"changes": [{"table", "key", "op", "object", "fields": {f: [before, after]}}]``
in JSON (next to the command's own result keys; ``"diff"`` where the result already has a
``changes`` key), one ``field: before → after`` line a row in table/md/csv. Secret columns
(a support code's hash and salt) and a classified case's text never show.

A command uses it like this (the core call stays the one written for the real run)::

    result = dryrun.run(ctx, fmt, lambda: core.add_entry(get_ops(ctx), ...))
    if dryrun.active(ctx):  # the command's --dry-run (DryRunOpt)
        return

or, when all it does after is a line on stderr and the result, :func:`run_and_emit`.

Commands whose core has its own dry run (imports, `sub change`, `swap add`) keep its result
(a contract) and add the rows with :func:`imported`, then :func:`emit_imported` (or
:func:`with_changes` and :func:`show_rows`).
Asking before a write (`sub terminate`) is :func:`commands._confirm.confirm_changes`.
Only the store is rolled back: never route a call that also writes a file through here.
"""

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from ops_cli.render import is_record

from ._common import ops as get_ops
from ._options import OutputFormat
from ._output import emit, info

T = TypeVar("T")

_COLUMNS = ["object", "op", "change"]


def active(ctx: Any) -> bool:
    """Did the command get --dry-run?"""
    return bool(ctx.params.get("dry_run"))


def run(ctx: Any, fmt: OutputFormat, write: Callable[[], T]) -> T:
    """``write()`` without --dry-run; with it, ``write``'s result and per-row diff, shown, and
    everything rolled back."""
    if not active(ctx):
        return write()
    result, rows = diff(get_ops(ctx), write)
    say(rows)
    if OutputFormat(fmt) is OutputFormat.json:
        emit(attach(result, rows), fmt)
    else:
        show_rows(rows, fmt)
    return result


def run_and_emit(
    ctx: Any, fmt: OutputFormat, write: Callable[[], T], message: Callable[[T], str] | None = None
) -> None:
    """The usual write command: :func:`run` its one core call; without --dry-run, then
    ``message(result)`` on stderr (when given) and the result in ``fmt``."""
    result = run(ctx, fmt, write)
    if active(ctx):
        return
    if message is not None:
        info(message(result))
    emit(result, fmt)


def diff(ops: Any, write: Callable[[], T]) -> tuple[T, list[dict[str, Any]]]:
    """The result of ``write`` and the rows it would change (``changes`` entries), nothing kept."""
    from ops_cli import changes  # only when a dry run or a question needs it

    result, rows = changes.preview(ops, write)
    return result, [change(row) for row in rows]


def change(row: Mapping[str, Any]) -> dict[str, Any]:
    """One ``changes`` entry of the JSON output from a :func:`changes.preview` row."""
    return {
        "table": row["table"],
        "key": row["key"],
        "op": row["op"],
        "object": row["object"],
        "fields": {f: [v["before"], v["after"]] for f, v in row["fields"].items()},
    }


def attach(result: Any, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The command's result (its keys kept) with ``dry_run: true`` and the diff (:func:`key_for`)."""
    if is_record(result):
        from dataclasses import asdict  # loaded already: the result is a dataclass

        result = asdict(result)
    data = dict(result) if isinstance(result, Mapping) else {"result": result}
    data["dry_run"] = True
    data[key_for(data)] = rows
    return data


def key_for(result: Mapping[str, Any]) -> str:
    """``changes``, or ``diff`` where the command's result already has a ``changes`` key (a
    contract: `sub deliver`, `sub change`)."""
    return "diff" if "changes" in result else "changes"


def lines(rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    """One table row per changed field: ``{object, op, change: "field: before → after"}``."""
    from ops_cli.changes import objects

    out = []
    for row in rows:
        fields = row["fields"] or {"": None}
        for field, values in fields.items():
            text = "" if values is None else f"{field}: {objects.show(values[0])} → {objects.show(values[1])}"
            out.append({"object": row["object"], "op": row["op"], "change": text})
    return out


def show_rows(rows: list[dict[str, Any]] | None, fmt: OutputFormat) -> None:
    """The diff in a non-JSON format (jsonl: one ``changes`` entry a line); nothing for None or
    for json (one document: :func:`attach`/:func:`with_changes` put the rows in it)."""
    if rows is None or OutputFormat(fmt) is OutputFormat.json:
        return
    if OutputFormat(fmt) is OutputFormat.jsonl:
        emit(rows, fmt)
    else:
        emit(lines(rows), fmt, columns=_COLUMNS)


def say(rows: list[dict[str, Any]]) -> None:
    count = len(rows)
    info(f"dry run, nothing was written: {count} row{'' if count == 1 else 's'} would change")


def imported(ctx: Any, skip_invalid: bool, call: Callable[[bool], dict]) -> tuple[dict, list | None]:
    """An import with its own dry run: ``call(dry_run)``. With --dry-run the result is the core's
    own dry run (its keys are a contract) and the per-row diff comes from running the import for
    real under ``changes.preview`` (rolled back). Not with --skip-invalid: the real run would
    write the rejected-rows file. Returns (result, rows or None)."""
    if not active(ctx):
        return call(False), None
    result = call(True)
    if skip_invalid:
        return result, None
    return result, diff(get_ops(ctx), lambda: call(False))[1]


def with_changes(result: dict, rows: list | None) -> dict:
    """The import's result with the diff under :func:`key_for` (when there is one)."""
    return result if rows is None else {**result, key_for(result): rows}


def emit_imported(
    result: dict, rows: list | None, fmt: OutputFormat, shown: Any = None, columns: list[str] | None = None
) -> None:
    """An import's (or another own-dry-run command's) output: in JSON the whole result with the
    diff (:func:`with_changes`); in another format ``shown`` (default: the result) in
    ``columns``, then the diff's rows (:func:`show_rows`)."""
    if OutputFormat(fmt) is OutputFormat.json:
        emit(with_changes(result, rows), fmt)
        return
    emit(result if shown is None else shown, fmt, columns=columns)
    show_rows(rows, fmt)

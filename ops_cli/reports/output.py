"""Where a report goes: a format name to text, or a file whose extension picks the format.

Every file goes through :mod:`ops_cli.files` (temp file, fsync, rename; 0600; a symlink at the
target refused, exit 3; an existing file refused unless ``force``, exit 6; OS errors one line,
exit 3, no partial file).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ops_cli import files
from ops_cli.context import Ops
from ops_cli.errors import InvalidInput
from ops_cli.render import iter_jsonl

from .language import Lang, report_language
from .quarterly import quarterly

EXTENSIONS = (".pdf", ".md", ".csv", ".json", ".xlsx", ".html")
TABLE_EXTENSIONS = (".md", ".csv", ".json", ".xlsx", ".html", ".pdf")


TRANSLATED = ("table", "md", "html")  # the renderings --lang applies to (JSON and CSV are language-neutral)


def _text_renderers() -> dict[str, Callable[..., str]]:
    from . import text

    def to_html(report: dict[str, Any], lang: Lang | None = None) -> str:
        from . import html  # only for HTML: the page and its chart

        return html.to_html(report, lang)

    return {
        "table": text.to_text,
        "json": text.to_json,
        "jsonl": lambda report: "".join(iter_jsonl([report])),  # the report on one line
        "csv": text.to_csv,
        "md": text.to_markdown,
        "html": to_html,
    }


def render_report(report: dict[str, Any], fmt: str, lang: Lang | None = None) -> str:
    """The quarterly report as text: table (plain aligned), json, jsonl (one line), csv, md or html."""
    if fmt in TRANSLATED:
        return _text_renderers()[fmt](report, lang)
    return _text_renderers()[fmt](report)


render = render_report  # the name the commands used before


def check(
    path: str | Path,
    force: bool = False,
    extensions: tuple[str, ...] = EXTENSIONS,
    lang: Lang | None = None,
) -> Path:
    """Refuse an unknown extension (exit 3) or a target :func:`files.check_target` refuses."""
    target = Path(path)
    ext = target.suffix.lower()
    if ext not in extensions:
        raise InvalidInput(
            f"-o {target}: unknown report file type {ext or '(none)'!r}; use one of {', '.join(extensions)}"
        )
    return files.check_target(target, force=force)


def _done(target: Path, data: bytes) -> dict[str, Any]:
    return {"written": str(target), "format": target.suffix.lower()[1:], "bytes": len(data)}


def write(
    report: dict[str, Any], path: str | Path, force: bool = False, lang: Lang | None = None
) -> dict[str, Any]:
    """Write the quarterly report to ``path``; the extension (.pdf .xlsx .html .md .csv .json)
    picks the format. PDF, xlsx, HTML and Markdown are in ``lang``; CSV and JSON are neutral."""
    target = check(path, force, lang=lang)
    ext = target.suffix.lower()
    if ext == ".pdf":
        from .pdf import to_pdf

        data = to_pdf(report, lang)
    elif ext == ".xlsx":
        from .xlsx import to_xlsx

        data = to_xlsx(report, lang)
    elif ext == ".json":  # written a piece at a time: 100,000 cases are tens of MB of text
        from itertools import chain

        from .jsontext import iter_json

        size = 0
        with files.open_output(target, "wb", force=force) as handle:
            for piece in chain(iter_json(report), ("\n",)):
                data = piece.encode("utf-8")
                handle.write(data)
                size += len(data)
        return {"written": str(target), "format": "json", "bytes": size}
    else:
        fmt = {".md": "md", ".csv": "csv", ".html": "html"}[ext]
        # CSV files get a BOM so that Excel reads them as UTF-8 (as sheets.write_table does).
        data = render_report(report, fmt, lang).encode("utf-8-sig" if fmt == "csv" else "utf-8")
    files.write_bytes(target, data, force=force)
    return _done(target, data)


def write_table_report(
    report: dict[str, Any],
    rows: list[dict[str, Any]],
    path: str | Path,
    title: str,
    force: bool = False,
    columns: list[str] | None = None,
) -> dict[str, Any]:
    """Write a simple report (quality, delivery, due): .json is the whole report; .csv, .md and
    the printable .xlsx, .html and .pdf its rows (:mod:`.printed`)."""
    from ops_cli import render as renderers

    from . import jsontext

    target = check(path, force, TABLE_EXTENSIONS)
    ext = target.suffix.lower()
    if ext in (".xlsx", ".html", ".pdf"):
        from . import printed

        cols = columns or (list(rows[0]) if rows else [])
        meta = printed.meta_of(report, title)
        if ext == ".xlsx":
            data = printed.table_xlsx(meta, rows, cols)
        elif ext == ".pdf":
            data = printed.table_pdf(meta, rows, cols)
        else:
            data = printed.table_html(meta, rows, cols).encode("utf-8")
    elif ext == ".json":
        data = (jsontext.to_json(report) + "\n").encode("utf-8")  # the C encoder, any size
    elif ext == ".csv":
        data = renderers.to_csv(rows, columns).encode("utf-8-sig")
    else:
        body = renderers.to_markdown(rows, columns) if rows else "(none)\n"
        data = f"# {title}\n\n{body}\n_Generated {report['generated_at']} by ops-cli_\n".encode()
    files.write_bytes(target, data, force=force)
    return _done(target, data)


def quarterly_report(
    ops: Ops,
    customer: str,
    quarter: str,
    *,
    include_classified: bool = False,
    ordered_by: str | None = None,
    send_to: str | None = None,
    output: str | Path | None = None,
    force: bool = False,
    lang: str | None = None,
) -> dict[str, Any]:
    """``ops report quarterly``: the report, the ``-o`` file written (or None), the language.

    A refused ``-o`` target refuses before anything else; the file is written inside the
    transaction that records a bronze order, so a failed write records no order.
    """
    words = report_language(ops, lang)
    if output is not None:
        check(output, force, lang=words)
    written: list[dict[str, Any]] = []
    report = quarterly(
        ops,
        customer,
        quarter,
        include_classified,
        ordered_by=ordered_by,
        send_to=send_to,
        deliver=None if output is None else lambda r: written.append(write(r, output, force, words)),
        deliver_json=output is not None and Path(output).suffix.lower() == ".json",
    )
    return {"report": report, "written": written[0] if written else None, "lang": words}

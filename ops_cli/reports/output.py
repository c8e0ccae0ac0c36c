"""Where a report goes: a format name to text, or a file whose extension picks the format."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ops_cli.errors import InvalidInput

EXTENSIONS = (".md", ".csv", ".json", ".xlsx", ".html")


def _text_renderers() -> dict[str, Callable[[dict[str, Any]], str]]:
    from . import html, text

    return {
        "table": text.to_text,
        "json": text.to_json,
        "csv": text.to_csv,
        "md": text.to_markdown,
        "html": html.to_html,
    }


def render(report: dict[str, Any], fmt: str) -> str:
    """The report as text: table (plain aligned), json, csv, md or html."""
    return _text_renderers()[fmt](report)


def write(report: dict[str, Any], path: str | Path) -> dict[str, Any]:
    """Write the report to ``path``; the extension (.md .csv .json .xlsx .html) picks the format."""
    target = Path(path)
    ext = target.suffix.lower()
    if ext not in EXTENSIONS:
        raise InvalidInput(
            f"-o {target}: unknown report file type {ext or '(none)'!r}; use one of {', '.join(EXTENSIONS)}"
        )
    if target.parent and not target.parent.exists():
        raise InvalidInput(f"-o {target}: the folder {target.parent} does not exist")
    if ext == ".xlsx":
        from .xlsx import to_xlsx

        data = to_xlsx(report)
    else:
        fmt = {".md": "md", ".csv": "csv", ".json": "json", ".html": "html"}[ext]
        # CSV files get a BOM so that Excel reads them as UTF-8 (as sheets.write_table does).
        data = render(report, fmt).encode("utf-8-sig" if fmt == "csv" else "utf-8")
    try:
        target.write_bytes(data)
    except OSError as exc:
        raise InvalidInput(f"-o {target}: cannot write the file ({exc.strerror})") from None
    return {"written": str(target), "format": ext[1:], "bytes": len(data)}


def write_table_report(
    report: dict[str, Any], rows: list[dict[str, Any]], path: str | Path, title: str
) -> dict:
    """Write a simple report (quality, delivery): .json is the whole report, .csv and .md its rows."""
    from ops_cli import render

    target = Path(path)
    ext = target.suffix.lower()
    if ext not in (".json", ".csv", ".md"):
        raise InvalidInput(
            f"-o {target}: unknown report file type {ext or '(none)'!r}; use one of .md, .csv, .json"
        )
    if target.parent and not target.parent.exists():
        raise InvalidInput(f"-o {target}: the folder {target.parent} does not exist")
    if ext == ".json":
        data = (render.to_json(report) + "\n").encode("utf-8")
    elif ext == ".csv":
        data = render.to_csv(rows).encode("utf-8-sig")
    else:
        body = render.to_markdown(rows) if rows else "(none)\n"
        data = f"# {title}\n\n{body}\n_Generated {report['generated_at']} by ops-cli_\n".encode()
    try:
        target.write_bytes(data)
    except OSError as exc:
        raise InvalidInput(f"-o {target}: cannot write the file ({exc.strerror})") from None
    return {"written": str(target), "format": ext[1:], "bytes": len(data)}

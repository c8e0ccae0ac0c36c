"""Holiday tables kept on disk between runs (issue 16, start-up).

The ``holidays`` package takes about 80 ms to import (its ``countries`` package loads every
country), while a desk-hours check needs one year of one country. The tables it gives are kept
in the user's cache folder (``holidays.json``), keyed by country, categories, language, year
and the installed package (its ``__init__`` file's size and time: a new version is a new key).
A missing, unreadable or damaged cache is no error: the table is computed as before. The file
is written like every other (temp file, rename, ``0600``) and holds public data only.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

#: Entries kept (the newest): a few years of the desk's country, tests' other calendars.
LIMIT = 64


def _folder() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("ops-cli", appauthor=False))


def key(country: str, categories: tuple[str, ...], language: str | None, year: int) -> str | None:
    """The cache key of one year's table; None when the ``holidays`` package cannot be found."""
    import importlib.util

    try:
        spec = importlib.util.find_spec("holidays")
        info = os.stat(spec.origin) if spec is not None and spec.origin else None
    except (ImportError, ValueError, OSError):
        return None
    if info is None:
        return None
    return f"{country}|{','.join(categories)}|{language}|{year}|{info.st_size}:{info.st_mtime_ns}"


def _load() -> dict[str, list[list[str]]]:
    try:
        with open(_folder() / "holidays.json", encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def read(entry: str | None) -> dict | None:
    """The table ``{date: name}`` kept under ``entry``; None when there is none."""
    if entry is None:
        return None
    from datetime import date

    rows = _load().get(entry)
    if not isinstance(rows, list):
        return None
    try:
        return {date.fromisoformat(day): str(name) for day, name in rows}
    except (TypeError, ValueError):
        return None


def write(entry: str | None, table: dict) -> None:
    """Keep ``table`` under ``entry`` (the newest :data:`LIMIT` entries stay); never fails."""
    if entry is None:
        return
    data = _load()
    data.pop(entry, None)
    data[entry] = [[day.isoformat(), name] for day, name in sorted(table.items())]
    kept = dict(list(data.items())[-LIMIT:])
    try:
        from ops_cli.files import write_text

        folder = _folder()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_text(folder / "holidays.json", json.dumps(kept, ensure_ascii=False), force=True)
    except Exception:  # noqa: BLE001 - a cache that cannot be written is no error
        pass

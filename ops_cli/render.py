"""Turning plain data into text: JSON, CSV, Markdown and aligned plain tables.

Pure functions that return strings; the command layer decides where they go
(``commands/_output.py`` adds the rich table for terminals). Exports and
reports reuse :func:`safe_cell` so that no cell is ever evaluated as a formula
by a spreadsheet.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, is_dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

FORMATS = ("table", "json", "csv", "md")

# OWASP CSV injection: a text cell starting with one of these is prefixed
# with "'" ... unless it is a plain number or a phone number, which a
# spreadsheet shows as data anyway and which must survive a round trip.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_OR_PHONE = re.compile(r"^[+-]?(\d[\d\s().-]*\d|\d)(\.\d+)?$")


def plural(n: int, word: str) -> str:
    """``1 change``, ``2 changes``."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def safe_cell(text: str) -> str:
    if text and text.startswith(_FORMULA_START) and not _NUMBER_OR_PHONE.match(text):
        return "'" + text
    return text


def plain(value: Any) -> Any:
    """Data made JSON-friendly: dataclasses to dicts, times to ISO 8601, Decimals to numbers."""
    if is_dataclass(value) and not isinstance(value, type):
        return plain(asdict(value))
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def to_json(value: Any) -> str:
    return json.dumps(plain(value), ensure_ascii=False, indent=2)


def _text(value: Any) -> str:
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def columns_of(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None) -> list[str]:
    if columns:
        return list(columns)
    seen: dict[str, None] = {}
    for row in rows:
        for key in row:
            seen.setdefault(key, None)
    return list(seen)


def cells(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> list[list[str]]:
    return [[_text(row.get(col)) for col in columns] for row in rows]


def to_csv(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None) -> str:
    cols = columns_of(rows, columns)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(cols)
    for line in cells(rows, cols):
        writer.writerow([safe_cell(cell) for cell in line])
    return out.getvalue()


def _md_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def to_markdown(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None) -> str:
    cols = columns_of(rows, columns)
    lines = ["| " + " | ".join(_md_escape(c) for c in cols) + " |", "|" + "|".join("---" for _ in cols) + "|"]
    for line in cells(rows, cols):
        lines.append("| " + " | ".join(_md_escape(c) for c in line) + " |")
    return "\n".join(lines) + "\n"


def to_plain(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None) -> str:
    """Aligned text for pipes and files (no colour, no box drawing)."""
    from tabulate import tabulate

    cols = columns_of(rows, columns)
    if not rows:
        return "(none)\n"
    return tabulate(cells(rows, cols), headers=cols, tablefmt="simple", disable_numparse=True) + "\n"


def record_rows(record: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One object shown as a two-column field/value table."""
    return [{"field": key, "value": _text(value)} for key, value in plain(record).items()]

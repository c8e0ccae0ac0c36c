"""Shared pieces of the subscription modules: vocabularies, file columns, cell helpers, errors."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from ops_cli.errors import Conflict, InvalidInput, NotFound, NotPermitted, Problem
from ops_cli.parsers.identities import IdentityError, parse_issi
from ops_cli.render import plural

KINDS = ("standard", "standby")
STATUSES = ("active", "inactive", "terminated")

_KIND_WORDS = {
    "standard": "standard",
    "normal": "standard",
    "standby": "standby",
    "beredskap": "standby",
    "beredskapsabonnemang": "standby",
}
_STATUS_WORDS = {
    "active": "active",
    "aktiv": "active",
    "activated": "active",
    "aktiverad": "active",
    "inactive": "inactive",
    "inaktiv": "inactive",
    "deactivated": "inactive",
    "avaktiverad": "inactive",
    "terminated": "terminated",
    "avslutad": "terminated",
    "uppsagd": "terminated",
}

# Columns accepted in files (English or Swedish headers, any case).
IMPORT_COLUMNS_SPEC = (
    ("customer", ("kundnummer", "kundnr", "kund", "customer_number"), True),
    ("issi", (), True),
    ("tei", (), True),
    ("msisdn", ("telefonnummer", "mobilnummer", "phone"), False),
    ("kind", ("typ", "abonnemangstyp", "type"), False),
    ("status", (), False),
)
CHANGE_COLUMNS_SPEC = (
    ("issi", ("nuvarande_issi", "current_issi", "old_issi"), True),
    ("new_tei", ("ny_tei",), False),
    ("new_issi", ("ny_issi",), False),
)
ISSI_COLUMN_SPEC = (("issi", (), True),)


# ------------------------------------------------------------------ helpers
def _columns(spec: Iterable[tuple[str, tuple[str, ...], bool]]):
    from ops_cli.sheets import Column

    return [Column(name, aliases, required) for name, aliases, required in spec]


def _read(path: str | os.PathLike[str], spec, progress=None, **reader):
    """A sheet through the import pipeline's reading step (``reader``: ``sheet=``, ``delimiter=``)."""
    from ops_cli.importing import Options, read_rows

    return read_rows(path, _columns(spec), Options(progress=progress, **reader))


def _source(table) -> dict[str, str]:
    """``{"file", "sheet"}`` of a workbook that was read (empty for CSV), for the command's stderr line."""
    from ops_cli.importing import sheet_name

    sheet = sheet_name(table)
    return {} if sheet is None else {"file": table.file, "sheet": sheet}


def _present(table, name: str, spec) -> bool:
    """Whether the file has a column for ``name`` (header or alias)."""
    from ops_cli.sheets import header_key

    for col, aliases, _ in spec:
        if col == name:
            keys = {header_key(n) for n in (col, *aliases)}
            return any(header_key(h) in keys for h in table.headers if h)
    return False


def _cell(r, name: str) -> object:
    """A cell as read (int/float/str/None), for the identity parsers."""
    value = r.raw.get(name)
    return None if value == "" else value


def sub_object(row: Any) -> dict[str, Any]:
    """A subscription as every command prints it (cli.md: issi, tei, customer, kind, status)."""
    return {
        "issi": int(row["issi"]),
        "tei": row["tei"],
        "customer": row["customer"],
        "kind": row["kind"],
        "status": row["status"],
        "msisdn": row["msisdn"],
    }


def parse_issi_args(values: Sequence[str]) -> list[int]:
    """ISSIs typed on the command line; all bad ones named in one error (exit 3)."""
    issis, problems = [], []
    for value in values:
        try:
            issis.append(parse_issi(value))
        except IdentityError as exc:
            problems.append(Problem(str(exc), column="ISSI"))
    if problems:
        raise InvalidInput(
            problems[0].message if len(problems) == 1 else f"{len(problems)} ISSIs are not valid",
            problems if len(problems) > 1 else None,
        )
    return issis


def _raise_row_problems(
    file: str,
    malformed: list[Problem],
    missing: list[Problem],
    conflicts: list[Problem],
    what: str,
    foreign: list[Problem] | None = None,
) -> None:
    """One error for every bad row: exit 3 if any row is malformed, else 5 for another customer's
    ISSI, else 4 for unknown ISSIs, else 6."""
    foreign = foreign or []
    if not (malformed or missing or conflicts or foreign):
        return
    parts = []
    if malformed:
        parts.append(plural(len(malformed), "invalid value"))
    if foreign:
        parts.append(f"{len(foreign)} ISSI{'' if len(foreign) == 1 else 's'} of another customer")
    if missing:
        parts.append(plural(len(missing), "unknown ISSI" if foreign else "unknown or foreign ISSI"))
    if conflicts:
        parts.append(plural(len(conflicts), "conflict"))
    every = malformed + foreign + missing + conflicts
    problems = sorted(every, key=lambda p: (p.row or 0, p.column or ""))
    message = f"{file}: {what} refused ({', '.join(parts)}); nothing was changed"
    if malformed:
        raise InvalidInput(message, problems)
    if foreign:
        raise NotPermitted(message, problems)
    if missing:
        raise NotFound(message, problems)
    raise Conflict(message, problems)


def _hours_text(ops, section: str) -> str:
    """``mon-fri 08:00-17:00`` for messages."""
    from ops_cli.calendar import WEEKDAYS

    hours = ops.config[section]["hours"]
    groups: list[tuple[list[str], str]] = []
    for day in WEEKDAYS:
        if day not in hours:
            continue
        spec = hours[day]
        spec = ", ".join(spec) if isinstance(spec, list) else spec
        if groups and groups[-1][1] == spec and WEEKDAYS.index(groups[-1][0][-1]) == WEEKDAYS.index(day) - 1:
            groups[-1][0].append(day)
        else:
            groups.append(([day], spec))
    text = "; ".join((d[0] if len(d) == 1 else f"{d[0]}-{d[-1]}") + " " + s for d, s in groups)
    if ops.config[section].get("closed_on_holidays"):
        text += ", working days only"
    return text or "never"


def _day_text(ops, day: date) -> str:
    name = ops.calendar.holiday_name(day)
    if name:
        return f"{day.isoformat()} is a holiday ({name})"
    return f"{day.isoformat()} is a {day.strftime('%A')}"

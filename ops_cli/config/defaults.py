"""The built-in defaults, derived from the commented template (the one source).

``template.toml`` is the file ``ops init`` writes; what it parses to is ``DEFAULTS``. The
schema comes from it too: the kind of every key is the kind of its default, a table named
``hours`` is a weekday-hours table, and the records of the open tables (whose entry names the
user chooses: departments, topics, areas, SLA tiers) take their fields and kinds from the
template's entries. To add a setting, add it with a comment to ``template.toml``.
"""

from __future__ import annotations

import marshal
import os
import sys
from pathlib import Path
from typing import Any

TEMPLATE_PATH = Path(__file__).with_name("template.toml")
TEMPLATE: str = TEMPLATE_PATH.read_text(encoding="utf-8")
#: The parsed template, kept beside the bytecode (with the text it was parsed from) so that a
#: start-up needs no TOML parser when the user's file is the template `ops init` wrote.
_CACHE = TEMPLATE_PATH.parent / "__pycache__" / f"template.{sys.implementation.cache_tag}.marshal"


def _parse_template() -> dict[str, Any]:
    try:
        text, data = marshal.loads(_CACHE.read_bytes())
        if text == TEMPLATE and isinstance(data, dict):
            return data
    except (OSError, ValueError, EOFError, TypeError):
        pass
    import tomllib

    data = tomllib.loads(TEMPLATE)
    if not sys.dont_write_bytecode:
        try:  # like a .pyc: written when it can be, silently skipped when not
            _CACHE.parent.mkdir(exist_ok=True)
            tmp = _CACHE.with_name(f"{_CACHE.name}.{os.getpid()}.tmp")
            tmp.write_bytes(marshal.dumps((TEMPLATE, data)))
            os.replace(tmp, _CACHE)
        except (OSError, ValueError):
            pass
    return data


DEFAULTS: dict[str, Any] = _parse_template()


def plain_copy(value: Any) -> Any:
    """A copy of parsed TOML (tables and arrays copied, scalars shared): deepcopy's result, faster."""
    if isinstance(value, dict):
        return {key: plain_copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain_copy(item) for item in value]
    return value


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Hours:
    """Marker in the schema: a weekday -> "HH:MM-HH:MM" (or list of them) table."""


# Tables whose entry names the user chooses; each entry is a record like the template's.
OPEN_TABLE_PATHS = ("departments", "topics", "areas", "sla.tiers")
# Maps whose keys the user chooses; every value is of the kind of the template's values
# (e.g. an agreement -> the list of its other names). Listed here once the template has them.
OPEN_MAP_PATHS = ("sla.agreement_aliases",)

# What a user's new entry gets for a field it leaves out, where that is not the blank value
# of the field's kind ("", 0, 0.0, false, []). Fields and kinds come from the template.
ENTRY_DEFAULTS: dict[str, dict[str, Any]] = {
    "departments": {"level": "national"},
    "topics": {"department": "support"},
    "areas": {"department": "support"},
    "sla.tiers": {"target": 98.0, "quarterly_report": True},
}

_BLANK = {bool: False, int: 0, float: 0.0, str: "", list: []}


def at(dotted: str, root: dict[str, Any] | None = None) -> Any:
    """The value at a dotted key (KeyError if absent)."""
    node: Any = DEFAULTS if root is None else root
    for part in dotted.split("."):
        node = node[part]
    return node


def _is_hours(name: str, value: Any) -> bool:
    return name == "hours" and isinstance(value, dict) and set(value) <= set(WEEKDAYS)


def _prototype(path: str) -> dict[str, Any]:
    """The record every entry of an open table follows, from the template's entries."""
    proto: dict[str, Any] = {}
    for record in at(path).values():
        for key, value in record.items():
            if key not in proto:
                proto[key] = Hours if _is_hours(key, value) else _BLANK[type(value)]
    proto.update(ENTRY_DEFAULTS.get(path, {}))
    return proto


def _hours_tables(node: dict[str, Any], prefix: str = "") -> list[str]:
    found = []
    for key, value in node.items():
        path = f"{prefix}{key}"
        if path in OPEN_TABLE_PATHS or path in OPEN_MAP_PATHS or not isinstance(value, dict):
            continue
        found += [path] if _is_hours(key, value) else _hours_tables(value, f"{path}.")
    return found


def _has(dotted: str) -> bool:
    try:
        at(dotted)
    except (KeyError, TypeError):
        return False
    return True


def _map_prototype(path: str) -> Any:
    values = list(at(path).values())
    return _BLANK[type(values[0])] if values else ""


OPEN_TABLES: dict[str, dict[str, Any]] = {path: _prototype(path) for path in OPEN_TABLE_PATHS}
#: Open maps present in the template: path -> the prototype of every value.
OPEN_MAPS: dict[str, Any] = {path: _map_prototype(path) for path in OPEN_MAP_PATHS if _has(path)}
DEPARTMENT = OPEN_TABLES["departments"]
TOPIC = OPEN_TABLES["topics"]
AREA = OPEN_TABLES["areas"]
TIER = OPEN_TABLES["sla.tiers"]

# Tables holding opening hours: replaced whole by the file (a table that lists only Monday to
# Thursday means Friday is closed).
HOURS_TABLES: tuple[str, ...] = tuple(_hours_tables(DEFAULTS))

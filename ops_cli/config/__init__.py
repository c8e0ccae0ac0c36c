"""Configuration: every number of the domain rules, read from a TOML file.

The one source is the commented template ``template.toml`` (what ``ops init`` writes): the
built-in defaults are what it parses to, and the schema (the kind of every key, the records
of the open tables, the hours tables) is derived from it. The file is read with the standard
``tomllib`` and written back (``ops config set``) with tomlkit so that the user's comments and
layout survive.

- :mod:`.defaults`: the template, ``DEFAULTS`` and the derived schema;
- :mod:`.schema`: kinds and unknown keys; :mod:`.rules`: ranges and references;
  :mod:`.hours`: weekday-hours tables;
- :mod:`.loading`: :class:`Config`, :func:`load`, where the file lives;
- :mod:`.editing`: :func:`write_template`, :func:`set_value`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ops_cli.config.defaults import (
    AREA,
    DEFAULTS,
    DEPARTMENT,
    ENTRY_DEFAULTS,
    HOURS_TABLES,
    OPEN_MAPS,
    OPEN_TABLES,
    TEMPLATE,
    TEMPLATE_PATH,
    TIER,
    TOPIC,
    WEEKDAYS,
    Hours,
)
from ops_cli.config.loading import Config, default_config_path, load, read_toml, resolve_config_path

if TYPE_CHECKING:
    from ops_cli.config.editing import parse_cli_value, set_value, write_template
    from ops_cli.config.hours import check_hours
    from ops_cli.config.schema import check_value, merge, merge_open_table, validate

# Loaded when first asked for: the writing side (``ops init``, ``ops config set``) and the
# validation of an edited file. A read command with the template `ops init` wrote (or no file)
# imports neither the TOML editor nor the schema (start-up, issue 16).
_HOMES = {
    "parse_cli_value": ("editing", "parse_cli_value"),
    "set_value": ("editing", "set_value"),
    "write_template": ("editing", "write_template"),
    "check_hours": ("hours", "check_hours"),
    "_KNOWN_GOOD_HOURS": ("hours", "_KNOWN_GOOD_HOURS"),
    "check_value": ("schema", "check_value"),
    "merge": ("schema", "merge"),
    "merge_open_table": ("schema", "merge_open_table"),
    "validate": ("schema", "validate"),
    # Names of the flat module, kept for callers that used them.
    "_check_hours": ("hours", "check_hours"),
    "_check_value": ("schema", "check_value"),
    "_merge": ("schema", "merge"),
    "_merge_open_table": ("schema", "merge_open_table"),
}


def __getattr__(name: str) -> Any:
    import importlib

    home = _HOMES.get(name)
    if home is None:
        if name in ("editing", "hours", "schema", "rules"):
            return importlib.import_module(f"{__name__}.{name}")
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home[0]}"), home[1])
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})


__all__ = [
    "AREA",
    "DEFAULTS",
    "DEPARTMENT",
    "ENTRY_DEFAULTS",
    "HOURS_TABLES",
    "OPEN_MAPS",
    "OPEN_TABLES",
    "TEMPLATE",
    "TEMPLATE_PATH",
    "TIER",
    "TOPIC",
    "WEEKDAYS",
    "Config",
    "Hours",
    "check_hours",
    "check_value",
    "default_config_path",
    "load",
    "merge",
    "merge_open_table",
    "parse_cli_value",
    "read_toml",
    "resolve_config_path",
    "set_value",
    "validate",
    "write_template",
]

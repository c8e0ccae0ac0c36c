"""Validation of a config file against the schema derived from the template.

Unknown keys and wrong kinds are refused with an error that names the key and the file: a
typo in a config file must not silently fall back to a default. The value rules (ranges,
references between tables) are in :mod:`ops_cli.config.rules`.
"""

from __future__ import annotations

import math
from typing import Any

from ops_cli.config.defaults import DEFAULTS, HOURS_TABLES, OPEN_MAPS, OPEN_TABLES, Hours, plain_copy
from ops_cli.config.hours import check_hours
from ops_cli.config.rules import check_rules
from ops_cli.errors import ConfigError


def type_name(value: Any) -> str:
    if value is Hours:
        return "a table of weekday hours"
    return {
        bool: "true/false",
        int: "an integer",
        float: "a number",
        str: "text",
        list: "a list of text",
    }.get(type(value), type(value).__name__)


def check_value(key: str, value: Any, proto: Any, source: str) -> Any:
    """``value`` of the kind of ``proto`` (an int is taken for a float); NaN and inf refused."""
    if proto is Hours:
        return check_hours(key, value, source)
    if isinstance(proto, bool):
        ok = isinstance(value, bool)
    elif isinstance(proto, float):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if ok:
            value = float(value)
    elif isinstance(proto, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(proto, str):
        ok = isinstance(value, str)
    elif isinstance(proto, list):
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
    else:  # pragma: no cover - the template only holds the kinds above
        ok = False
    if not ok:
        raise ConfigError(f"{source}: {key} must be {type_name(proto)}, not {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ConfigError(f"{source}: {key} must be a finite number, not {value!r}")
    return value


def merge(defaults: dict[str, Any], data: dict[str, Any], prefix: str, source: str) -> dict[str, Any]:
    merged = dict(defaults)  # keeps the template's order; what the file leaves out is copied below
    for key, value in data.items():
        path = f"{prefix}{key}"
        if path in OPEN_TABLES:
            merged[key] = merge_open_table(defaults.get(key, {}), value, path, source)
            continue
        if path in OPEN_MAPS:
            merged[key] = merge_open_map(defaults.get(key, {}), value, path, source)
            continue
        if key not in defaults:
            raise ConfigError(f"{source}: unknown key {path}")
        proto = defaults[key]
        if path in HOURS_TABLES:
            merged[key] = check_hours(path, value, source)
        elif isinstance(proto, dict):
            if not isinstance(value, dict):
                raise ConfigError(f"{source}: {path} must be a table")
            merged[key] = merge(proto, value, f"{path}.", source)
        else:
            merged[key] = check_value(path, value, proto, source)
    for key in defaults.keys() - data.keys():
        merged[key] = plain_copy(defaults[key])
    return merged


def merge_open_table(defaults: dict[str, Any], data: Any, path: str, source: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: {path} must be a table")
    proto = OPEN_TABLES[path]
    merged = plain_copy(defaults)
    for name, record in data.items():
        where = f"{path}.{name}"
        if not isinstance(record, dict):
            raise ConfigError(f"{source}: {where} must be a table")
        base = plain_copy(defaults.get(name) or {k: v for k, v in proto.items() if v is not Hours})
        for key, value in record.items():
            if key not in proto:
                raise ConfigError(f"{source}: unknown key {where}.{key}")
            base[key] = check_value(f"{where}.{key}", value, proto[key], source)
        if "hours" in proto and "hours" not in base:
            raise ConfigError(f"{source}: {where}.hours is missing")
        merged[name] = base
    return merged


def merge_open_map(defaults: dict[str, Any], data: Any, path: str, source: str) -> dict[str, Any]:
    """A map whose keys the user chooses: each value of the template values' kind."""
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: {path} must be a table")
    merged = plain_copy(defaults)
    for name, value in data.items():
        merged[name] = check_value(f"{path}.{name}", value, OPEN_MAPS[path], source)
    return merged


def validate(data: dict[str, Any], source: str) -> dict[str, Any]:
    """Merge ``data`` over the defaults, refusing unknown keys, wrong kinds and bad values."""
    merged = merge(DEFAULTS, data, "", source)
    check_rules(merged, source)
    return merged

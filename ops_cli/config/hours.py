"""Weekday-hours tables in the config (``desk.hours``, ``sla.tiers.gold.hours``...)."""

from __future__ import annotations

from typing import Any

from ops_cli.config.defaults import DEFAULTS, WEEKDAYS
from ops_cli.errors import ConfigError


def default_hours() -> list[dict[str, Any]]:
    """Every hours table of the defaults (the template's own)."""
    found = [DEFAULTS["desk"]["hours"], DEFAULTS["customer_service"]["hours"]]
    found += [tier["hours"] for tier in DEFAULTS["sla"]["tiers"].values()]
    return found


_KNOWN_GOOD_HOURS = default_hours()


def check_hours(key: str, value: Any, source: str) -> dict[str, Any]:
    """A weekday-hours table: weekday keys, "HH:MM-HH:MM" (or a list of them) that parse."""
    if not isinstance(value, dict):
        raise ConfigError(f'{source}: {key} must be a table of weekday hours such as mon = "08:00-17:00"')
    for day, spec in value.items():
        if day not in WEEKDAYS:
            raise ConfigError(f"{source}: unknown key {key}.{day} (weekdays are {', '.join(WEEKDAYS)})")
        if not (isinstance(spec, str) or (isinstance(spec, list) and all(isinstance(s, str) for s in spec))):
            raise ConfigError(f'{source}: {key}.{day} must be "HH:MM-HH:MM" or a list of them')
    if value in _KNOWN_GOOD_HOURS:
        return dict(value)  # the template's own hours parse (a test checks it)
    from ops_cli.calendar import parse_hours  # not for the template's hours: a read command's start-up

    try:
        parse_hours(value)
    except ValueError as exc:
        raise ConfigError(f"{source}: {key}: {exc}") from None
    return dict(value)

"""Value rules of the config: ranges of the numbers and references between tables.

Every number must be finite (checked with the kinds) and, unless listed below, at least 0:
no setting of the desk is negative. Keys are dotted; ``*`` stands for any entry of an open
table. A new numeric key added to the template gets the ">= 0" rule; list it in POSITIVE
when 0 makes no sense (an interval, a limit).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

from ops_cli.config.defaults import DEFAULTS, OPEN_TABLE_PATHS
from ops_cli.errors import ConfigError

# Intervals, counts and limits: 0 would mean "never" or "nothing", so they must be above 0.
POSITIVE = frozenset(
    {
        "busy_timeout",
        "cases.stale_days",
        "orders.small_order_max",
        "orders.small_order_days",
        "orders.large_order_days",
        "orders.urgent_max",
        "sla.first_callback_hours",
        "sla.callback_every_hours",
        "sla.code_max_failures",
        "sla.code_window_minutes",
        "sla.code_lockout_minutes",
        "kpi.max_count",
        "import.max_rows",
        "import.max_columns",
    }
)
# Text keys with a fixed set of values.
CHOICES: dict[str, tuple[str, ...]] = {"report.lang": ("auto", "en", "sv", "da")}
# Percentages: 0 to 100.
PERCENT = frozenset({"sla.tiers.*.target"})
# Days of the month: 1 to 31.
DAY_OF_MONTH = frozenset({"sla.report_send_from_day", "sla.report_send_to_day"})
# Open tables: their entry names are replaced by ``*`` in the keys above.
_OPEN = OPEN_TABLE_PATHS


def _numbers(node: dict[str, Any], prefix: str = "", rule_prefix: str = "") -> Iterator[tuple[str, str, Any]]:
    """(rule key, real key, value) of every number in the merged config."""
    for key, value in node.items():
        path, rule = f"{prefix}{key}", f"{rule_prefix}{key}"
        if isinstance(value, dict) and path in _OPEN:
            for name, record in value.items():
                if isinstance(record, dict):
                    yield from _numbers(record, f"{path}.{name}.", f"{rule}.*.")
        elif isinstance(value, dict):
            yield from _numbers(value, f"{path}.", f"{rule}.")
        elif isinstance(value, int | float) and not isinstance(value, bool):
            yield rule, path, value


def check_ranges(data: dict[str, Any], source: str) -> None:
    for rule, key, value in _numbers(data):
        if rule in POSITIVE and not value > 0:
            raise ConfigError(f"{source}: {key} must be greater than 0, not {value!r}")
        if rule in PERCENT and not 0 <= value <= 100:
            raise ConfigError(f"{source}: {key} must be a percentage from 0 to 100, not {value!r}")
        if rule in DAY_OF_MONTH and not 1 <= value <= 31:
            raise ConfigError(f"{source}: {key} must be a day of the month from 1 to 31, not {value!r}")
        if value < 0:
            raise ConfigError(f"{source}: {key} must not be negative, not {value!r}")
    sla = data["sla"]
    if sla["report_send_from_day"] > sla["report_send_to_day"]:
        raise ConfigError(f"{source}: sla.report_send_from_day must not be after sla.report_send_to_day")
    if not 0 < data["swap"]["rate"] <= 1:
        raise ConfigError(f"{source}: swap.rate must be a fraction between 0 and 1, such as 0.08")


def check_choices(data: dict[str, Any], source: str) -> None:
    for key, allowed in CHOICES.items():
        section, name = key.split(".")
        value = data.get(section, {}).get(name)
        if value is not None and value not in allowed:
            raise ConfigError(f"{source}: {key} must be one of {', '.join(allowed)}, not {value!r}")


def check_references(data: dict[str, Any], source: str) -> None:
    """References between tables must resolve (a topic's department exists...)."""
    departments = data["departments"]
    for table in ("topics", "areas"):
        for name, record in data[table].items():
            if record["department"] not in departments:
                raise ConfigError(
                    f"{source}: {table}.{name}.department: unknown department {record['department']!r}"
                    f" (known: {', '.join(sorted(departments))})"
                )
    for name, record in departments.items():
        if record["level"] not in ("national", "local"):
            raise ConfigError(f'{source}: departments.{name}.level must be "national" or "local"')
    default_topic = data["cases"]["default_topic"]
    if default_topic not in data["topics"]:
        raise ConfigError(
            f"{source}: cases.default_topic: unknown topic {default_topic!r}"
            f" (known: {', '.join(sorted(data['topics']))})"
        )


def check_calendar(data: dict[str, Any], source: str) -> None:
    country = data["calendar"]["country"]
    if not country or country.upper() != country:
        raise ConfigError(f'{source}: calendar.country must be an upper-case country code such as "SE"')
    if country != DEFAULTS["calendar"]["country"] and country not in _supported_countries():
        raise ConfigError(
            f"{source}: calendar.country: unknown country code {country!r}"
            " (a code of the holidays package, such as SE or DK)"
        )
    try:
        ZoneInfo(data["calendar"]["timezone"])
    except Exception:
        raise ConfigError(
            f"{source}: calendar.timezone: unknown time zone {data['calendar']['timezone']!r}"
        ) from None


def check_categories(data: dict[str, Any], source: str) -> None:
    """Holiday categories the country has (checked only when set: the default is the country's)."""
    categories = data["calendar"]["categories"]
    if not categories:
        return
    import holidays  # heavy: only when categories are configured

    country = data["calendar"]["country"]
    try:
        known = tuple(holidays.country_holidays(country).supported_categories)
    except NotImplementedError:  # pragma: no cover - the country was checked before
        return
    for category in categories:
        if category.lower() not in known:
            raise ConfigError(
                f"{source}: calendar.categories: {category!r} is not a holiday category of {country}"
                f" (known: {', '.join(sorted(known))})"
            )


def _supported_countries() -> set[str]:
    import holidays  # heavy: only for a country other than the template's

    return set(holidays.list_supported_countries())


def check_clock_times(data: dict[str, Any], source: str) -> None:
    for key in ("swap.cutoff",):
        section, name = key.split(".")
        text = data[section][name]
        try:
            hour, minute = (int(part) for part in text.split(":"))
            if not (0 <= hour < 24 and 0 <= minute < 60):
                raise ValueError
        except ValueError:
            raise ConfigError(f'{source}: {key} must be a time "HH:MM", not {text!r}') from None


# Lists whose every element must be an email address.
EMAIL_LISTS = ("desk.agents",)


def check_email_lists(data: dict[str, Any], source: str) -> None:
    for key in EMAIL_LISTS:
        section, name = key.split(".")
        items = data[section][name]
        if not items:
            continue
        from ops_cli.parsers.contact import is_email  # only when the list has entries

        for item in items:
            if not is_email(item.strip().lower()):
                raise ConfigError(
                    f"{source}: {key}: {item!r} is not an email address; each entry must be"
                    " an email such as tove@desk.example"
                )


def check_rules(data: dict[str, Any], source: str) -> None:
    check_references(data, source)
    check_calendar(data, source)
    check_categories(data, source)
    check_clock_times(data, source)
    check_ranges(data, source)
    check_choices(data, source)
    check_email_lists(data, source)

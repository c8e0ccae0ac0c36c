"""Configuration: every number of the domain rules, read from a TOML file.

The file is read with the standard ``tomllib`` and written back (``ops config
set``) with tomlkit so that the user's comments and layout survive. The
built-in defaults are the values the source documents give; ``TEMPLATE`` is
the commented file that ``ops init`` writes and must parse to exactly
``DEFAULTS`` (a test checks it).

Unknown keys and wrong types are refused with an error that names the key and
the file: a typo in a config file must not silently fall back to a default.
"""

from __future__ import annotations

import copy
import getpass
import os
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ops_cli.errors import ConfigError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Hours:
    """Marker in the schema: a weekday -> "HH:MM-HH:MM" (or list of them) table."""


def _hours(**days: str | list[str]) -> dict[str, Any]:
    return dict(days)


def _weekdays(spec: str) -> dict[str, str]:
    return {d: spec for d in WEEKDAYS[:5]}


def _every_day(spec: str) -> dict[str, str]:
    return {d: spec for d in WEEKDAYS}


# Prototypes of the records in the open tables (users add their own entries).
DEPARTMENT = {"level": "national", "area": "", "responsible": ""}
TOPIC = {"department": "support", "feedback_hours": 0, "fault": False, "advice": ""}
AREA = {"department": "support"}
TIER = {
    "target": 98.0,
    "guaranteed": False,
    "penalty": 0.0,
    "quarterly_report": True,
    "closed_on_holidays": False,
    "hours": Hours,
}

DEFAULTS: dict[str, Any] = {
    "operator": "",
    "db": "",
    "busy_timeout": 5.0,
    "calendar": {"country": "SE", "categories": [], "timezone": "Europe/Stockholm"},
    "desk": {"closed_on_holidays": True, "agents": [], "hours": _weekdays("08:00-17:00")},
    "customer_service": {
        "closed_on_holidays": True,
        "hours": {**_weekdays("08:00-20:00"), "sat": "08:00-16:00"},
    },
    "cases": {"stale_days": 3, "default_topic": "fault"},
    "departments": {
        "support": {"level": "national", "area": "", "responsible": "support-lead@desk.example"},
        "operations": {"level": "national", "area": "fault", "responsible": "ops-lead@desk.example"},
        "orders": {"level": "national", "area": "order", "responsible": "order-lead@desk.example"},
        "fire-alarm": {"level": "national", "area": "fire-alarm", "responsible": "fire-lead@desk.example"},
        "intrusion-alarm": {
            "level": "national",
            "area": "intrusion-alarm",
            "responsible": "intrusion-lead@desk.example",
        },
        "access-control": {
            "level": "national",
            "area": "access-control",
            "responsible": "access-lead@desk.example",
        },
        "social-alarm": {
            "level": "national",
            "area": "social-alarm",
            "responsible": "social-lead@desk.example",
        },
        "sales": {"level": "national", "area": "sales", "responsible": "sales-lead@desk.example"},
        "kam": {"level": "national", "area": "", "responsible": "kam-lead@desk.example"},
        "local-north": {"level": "local", "area": "", "responsible": "north-lead@desk.example"},
        "local-south": {"level": "local", "area": "", "responsible": "south-lead@desk.example"},
    },
    "topics": {
        "fault": {"department": "operations", "feedback_hours": 24, "fault": True, "advice": ""},
        "disruption": {"department": "operations", "feedback_hours": 24, "fault": True, "advice": ""},
        "coverage": {"department": "operations", "feedback_hours": 24, "fault": True, "advice": ""},
        "order": {"department": "orders", "feedback_hours": 0, "fault": False, "advice": ""},
        "question": {"department": "support", "feedback_hours": 0, "fault": False, "advice": ""},
        "invoice": {"department": "support", "feedback_hours": 0, "fault": False, "advice": ""},
        "planned-event": {"department": "support", "feedback_hours": 0, "fault": False, "advice": ""},
        "terminal-fault": {
            "department": "support",
            "feedback_hours": 0,
            "fault": False,
            "advice": "Terminal faults are reported to your equipment supplier; please contact them.",
        },
    },
    "areas": {
        "fire-alarm": {"department": "fire-alarm"},
        "intrusion-alarm": {"department": "intrusion-alarm"},
        "access-control": {"department": "access-control"},
        "social-alarm": {"department": "social-alarm"},
        "order": {"department": "orders"},
        "sales": {"department": "sales"},
    },
    "orders": {"small_order_max": 10, "small_order_days": 5, "large_order_days": 10, "urgent_max": 3},
    "sla": {
        "eligible_agreements": ["business", "erhverv", "mobildeal", "forening"],
        "min_binding_months": 3,
        "first_callback_hours": 2.0,
        "callback_every_hours": 4.0,
        "code_max_failures": 5,
        "code_window_minutes": 15,
        "code_lockout_minutes": 15,
        "report_fee": 499.0,
        "report_send_from_day": 5,
        "report_send_to_day": 20,
        "currency": "SEK",
        "tiers": {
            "bronze": {
                "target": 97.0,
                "guaranteed": False,
                "penalty": 0.0,
                "quarterly_report": False,
                "closed_on_holidays": True,
                "hours": {**_weekdays("08:00-20:00"), "sat": "08:00-16:00"},
            },
            "silver": {
                "target": 98.0,
                "guaranteed": False,
                "penalty": 0.0,
                "quarterly_report": True,
                "closed_on_holidays": False,
                "hours": _every_day("07:00-22:00"),
            },
            "gold": {
                "target": 98.0,
                "guaranteed": True,
                "penalty": 10000.0,
                "quarterly_report": True,
                "closed_on_holidays": False,
                "hours": _every_day("00:00-24:00"),
            },
        },
    },
    "swap": {
        "rate": 0.08,
        "cutoff": "14:00",
        "freight_price": 120.0,
        "packaging_price": 45.0,
        "currency": "SEK",
    },
}

# Tables whose keys the user chooses; each entry follows the prototype record.
OPEN_TABLES: dict[str, dict[str, Any]] = {
    "departments": DEPARTMENT,
    "topics": TOPIC,
    "areas": AREA,
    "sla.tiers": TIER,
}

# Tables holding opening hours: replaced whole by the file (a table that lists
# only Monday to Thursday means Friday is closed).
HOURS_TABLES = ("desk.hours", "customer_service.hours")

TEMPLATE = """\
# ops-cli configuration
#
# Every number the desk works by lives here, with the source documents' value
# as the default. Delete a line to get the built-in default back.
# Precedence: command-line flag > environment variable > this file > default.
# Change a value from the shell with: ops config set KEY VALUE

# Who the audit log names when a command has no --by (empty: your OS user name).
operator = ""
# The store file (empty: --db, else $OPS_DB, else the platform's data folder).
db = ""
# Seconds a writer waits for another writer before giving up with exit 6.
busy_timeout = 5.0

[calendar]
# Country whose holidays close the desk, from the `holidays` package: "SE" or "DK".
country = "SE"
# Holiday categories; empty means the country's default
# (SE: public + de_facto, so midsummer, Christmas and New Year's eve are off;
#  DK: public + optional).
categories = []
# The desk's time zone: hours below are wall-clock times in it.
timezone = "Europe/Stockholm"

# Desk office hours (Rakel kundstöd: weekdays 08-17). Urgent ISSI/TEI changes
# are taken only inside them. A weekday left out is closed; "24:00" ends a day;
# a list such as ["08:00-12:00", "13:00-17:00"] gives split hours.
[desk]
closed_on_holidays = true
# The desk's own staff: emails that may act on any customer's cases and stock with --by
# (reply, note, assign, close, swap ship...). Anyone else acting with --by must be on the
# customer's roster with a role that allows it. Without --by the command acts as `operator`.
agents = []

[desk.hours]
mon = "08:00-17:00"
tue = "08:00-17:00"
wed = "08:00-17:00"
thu = "08:00-17:00"
fri = "08:00-17:00"

# Normal customer-service hours (weekdays 08-20, Saturday 08-16): outside them
# the SLA support line takes only critical faults.
[customer_service]
closed_on_holidays = true

[customer_service.hours]
mon = "08:00-20:00"
tue = "08:00-20:00"
wed = "08:00-20:00"
thu = "08:00-20:00"
fri = "08:00-20:00"
sat = "08:00-16:00"

[cases]
# Open cases without activity for this many days are listed as stale.
stale_days = 3
# Topic used when a case is opened without --topic.
default_topic = "fault"

# Departments: level "national" or "local", the business area or topic they
# serve, and the person responsible for keeping their cases from going stale.
[departments.support]
level = "national"
area = ""
responsible = "support-lead@desk.example"

[departments.operations]
level = "national"
area = "fault"
responsible = "ops-lead@desk.example"

[departments.orders]
level = "national"
area = "order"
responsible = "order-lead@desk.example"

[departments.fire-alarm]
level = "national"
area = "fire-alarm"
responsible = "fire-lead@desk.example"

[departments.intrusion-alarm]
level = "national"
area = "intrusion-alarm"
responsible = "intrusion-lead@desk.example"

[departments.access-control]
level = "national"
area = "access-control"
responsible = "access-lead@desk.example"

[departments.social-alarm]
level = "national"
area = "social-alarm"
responsible = "social-lead@desk.example"

[departments.sales]
level = "national"
area = "sales"
responsible = "sales-lead@desk.example"

[departments.kam]
level = "national"
area = ""
responsible = "kam-lead@desk.example"

[departments.local-north]
level = "local"
area = ""
responsible = "north-lead@desk.example"

[departments.local-south]
level = "local"
area = ""
responsible = "south-lead@desk.example"

# Topics: the department a case of the topic routes to, the feedback interval
# in hours (fault cases: once per 24 hours; 0 = no feedback schedule), whether
# it is a fault, and advice given to the reporter when the case is opened.
[topics.fault]
department = "operations"
feedback_hours = 24
fault = true
advice = ""

[topics.disruption]
department = "operations"
feedback_hours = 24
fault = true
advice = ""

[topics.coverage]
department = "operations"
feedback_hours = 24
fault = true
advice = ""

[topics.order]
department = "orders"
feedback_hours = 0
fault = false
advice = ""

[topics.question]
department = "support"
feedback_hours = 0
fault = false
advice = ""

[topics.invoice]
department = "support"
feedback_hours = 0
fault = false
advice = ""

[topics.planned-event]
department = "support"
feedback_hours = 0
fault = false
advice = ""

[topics.terminal-fault]
department = "support"
feedback_hours = 0
fault = false
advice = "Terminal faults are reported to your equipment supplier; please contact them."

# Business areas (the portal's required field for new customers) and the
# national department each routes to.
[areas.fire-alarm]
department = "fire-alarm"

[areas.intrusion-alarm]
department = "intrusion-alarm"

[areas.access-control]
department = "access-control"

[areas.social-alarm]
department = "social-alarm"

[areas.order]
department = "orders"

[areas.sales]
department = "sales"

# ISSI/TEI change orders: up to small_order_max subscriptions are promised
# within small_order_days working days, more within large_order_days; urgent
# orders of at most urgent_max changes are done the same day in office hours.
[orders]
small_order_max = 10
small_order_days = 5
large_order_days = 10
urgent_max = 3

[sla]
# Agreement types that make a customer eligible, and the binding it must have left.
eligible_agreements = ["business", "erhverv", "mobildeal", "forening"]
min_binding_months = 3
# Critical faults: first callback this many support hours after the report,
# then every callback_every_hours support hours while the repair goes on.
first_callback_hours = 2.0
callback_every_hours = 4.0
# SLA support code: after code_max_failures wrong codes within
# code_window_minutes, tries are refused for code_lockout_minutes.
code_max_failures = 5
code_window_minutes = 15
code_lockout_minutes = 15
# Bronze customers may order a zone or repair-time report: fee, and the days
# of the month between which it is sent.
report_fee = 499.0
report_send_from_day = 5
report_send_to_day = 20
currency = "SEK"

# Tiers: KPI target for CSSR and CTSR (percent), whether it is guaranteed and
# the penalty per missed zone and quarter, whether a quarterly report is sent,
# and the support hours in which callback timers run.
[sla.tiers.bronze]
target = 97.0
guaranteed = false
penalty = 0.0
quarterly_report = false
closed_on_holidays = true

[sla.tiers.bronze.hours]
mon = "08:00-20:00"
tue = "08:00-20:00"
wed = "08:00-20:00"
thu = "08:00-20:00"
fri = "08:00-20:00"
sat = "08:00-16:00"

[sla.tiers.silver]
target = 98.0
guaranteed = false
penalty = 0.0
quarterly_report = true
closed_on_holidays = false

[sla.tiers.silver.hours]
mon = "07:00-22:00"
tue = "07:00-22:00"
wed = "07:00-22:00"
thu = "07:00-22:00"
fri = "07:00-22:00"
sat = "07:00-22:00"
sun = "07:00-22:00"

[sla.tiers.gold]
target = 98.0
guaranteed = true
penalty = 10000.0
quarterly_report = true
closed_on_holidays = false

[sla.tiers.gold.hours]
mon = "00:00-24:00"
tue = "00:00-24:00"
wed = "00:00-24:00"
thu = "00:00-24:00"
fri = "00:00-24:00"
sat = "00:00-24:00"
sun = "00:00-24:00"

[swap]
# Spare-phone stock: target = ceil(rate x fleet), at least 1 for a non-empty fleet.
rate = 0.08
# Requests registered before the cut-off on a working day are delivered the
# next working day.
cutoff = "14:00"
# Billed monthly in arrears per shipment.
freight_price = 120.0
packaging_price = 45.0
currency = "SEK"
"""


# ---------------------------------------------------------------- validation


def _type_name(value: Any) -> str:
    if value is Hours:
        return "a table of weekday hours"
    return {bool: "true/false", int: "an integer", float: "a number", str: "text", list: "a list"}.get(
        type(value), type(value).__name__
    )


def _check_value(key: str, value: Any, proto: Any, source: str) -> Any:
    if proto is Hours:
        return _check_hours(key, value, source)
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
    else:  # pragma: no cover - the schema only holds the kinds above
        ok = False
    if not ok:
        raise ConfigError(f"{source}: {key} must be {_type_name(proto)}, not {value!r}")
    return value


def _default_hours() -> list[dict[str, Any]]:
    found = [DEFAULTS["desk"]["hours"], DEFAULTS["customer_service"]["hours"]]
    found += [tier["hours"] for tier in DEFAULTS["sla"]["tiers"].values()]
    return found


_KNOWN_GOOD_HOURS = _default_hours()


def _check_hours(key: str, value: Any, source: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f'{source}: {key} must be a table of weekday hours such as mon = "08:00-17:00"')
    for day, spec in value.items():
        if day not in WEEKDAYS:
            raise ConfigError(f"{source}: unknown key {key}.{day} (weekdays are {', '.join(WEEKDAYS)})")
        if not (isinstance(spec, str) or (isinstance(spec, list) and all(isinstance(s, str) for s in spec))):
            raise ConfigError(f'{source}: {key}.{day} must be "HH:MM-HH:MM" or a list of them')
    if value in _KNOWN_GOOD_HOURS:
        # The template's own hours (a test parses every default): skip loading
        # the calendar module on every command's start-up.
        return dict(value)
    from ops_cli.calendar import parse_hours

    try:
        parse_hours(value)
    except ValueError as exc:
        raise ConfigError(f"{source}: {key}: {exc}") from None
    return dict(value)


def _merge(defaults: dict[str, Any], data: dict[str, Any], prefix: str, source: str) -> dict[str, Any]:
    merged = copy.deepcopy(defaults)
    for key, value in data.items():
        path = f"{prefix}{key}"
        if path in OPEN_TABLES:
            merged[key] = _merge_open_table(defaults.get(key, {}), value, path, source)
            continue
        if key not in defaults:
            raise ConfigError(f"{source}: unknown key {path}")
        proto = defaults[key]
        if path in HOURS_TABLES:
            merged[key] = _check_hours(path, value, source)
        elif isinstance(proto, dict):
            if not isinstance(value, dict):
                raise ConfigError(f"{source}: {path} must be a table")
            merged[key] = _merge(proto, value, f"{path}.", source)
        else:
            merged[key] = _check_value(path, value, proto, source)
    return merged


def _merge_open_table(defaults: dict[str, Any], data: Any, path: str, source: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: {path} must be a table")
    proto = OPEN_TABLES[path]
    merged = copy.deepcopy(defaults)
    for name, record in data.items():
        where = f"{path}.{name}"
        if not isinstance(record, dict):
            raise ConfigError(f"{source}: {where} must be a table")
        base = copy.deepcopy(defaults.get(name) or {k: v for k, v in proto.items() if v is not Hours})
        for key, value in record.items():
            if key not in proto:
                raise ConfigError(f"{source}: unknown key {where}.{key}")
            base[key] = _check_value(f"{where}.{key}", value, proto[key], source)
        if "hours" in proto and "hours" not in base:
            raise ConfigError(f"{source}: {where}.hours is missing")
        merged[name] = base
    return merged


def _cross_check(data: dict[str, Any], source: str) -> None:
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
    if data["calendar"]["country"].upper() != data["calendar"]["country"] or not data["calendar"]["country"]:
        raise ConfigError(f'{source}: calendar.country must be an upper-case country code such as "SE"')
    try:
        from zoneinfo import ZoneInfo

        ZoneInfo(data["calendar"]["timezone"])
    except Exception:
        raise ConfigError(
            f"{source}: calendar.timezone: unknown time zone {data['calendar']['timezone']!r}"
        ) from None
    for key in ("swap.cutoff",):
        section, name = key.split(".")
        text = data[section][name]
        try:
            hour, minute = (int(part) for part in text.split(":"))
            if not (0 <= hour < 24 and 0 <= minute < 60):
                raise ValueError
        except ValueError:
            raise ConfigError(f'{source}: {key} must be a time "HH:MM", not {text!r}') from None
    if not 0 < data["swap"]["rate"] <= 1:
        raise ConfigError(f"{source}: swap.rate must be a fraction between 0 and 1, such as 0.08")


def validate(data: dict[str, Any], source: str) -> dict[str, Any]:
    """Merge ``data`` over the defaults, refusing unknown keys and wrong types."""
    merged = _merge(DEFAULTS, data, "", source)
    _cross_check(merged, source)
    return merged


# ---------------------------------------------------------------- locations


def default_config_path() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("ops-cli")) / "config.toml"


def resolve_config_path(flag: str | os.PathLike[str] | None = None) -> Path:
    """--config, else $OPS_CONFIG, else the platform's config folder."""
    if flag:
        return Path(flag).expanduser()
    env = os.environ.get("OPS_CONFIG")
    if env:
        return Path(env).expanduser()
    return default_config_path()


@dataclass
class Config:
    """The merged configuration and where it came from."""

    path: Path
    data: dict[str, Any] = field(default_factory=lambda: copy.deepcopy(DEFAULTS))
    exists: bool = False

    def get(self, dotted: str) -> Any:
        node: Any = self.data
        for part in dotted.split("."):
            if not isinstance(node, dict) or part not in node:
                raise ConfigError(f"unknown config key {dotted}")
            node = node[part]
        return node

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    # Typed views used across the core -----------------------------------
    @property
    def timezone(self) -> str:
        return self.data["calendar"]["timezone"]

    @property
    def swap_rate(self) -> Decimal:
        # Decimal of the text form keeps 0.08 exact (ceil(0.08 x 400) == 32, not 33).
        return Decimal(str(self.data["swap"]["rate"]))

    def operator(self) -> str:
        return self.data["operator"] or _os_user()

    def db_path(self, flag: str | os.PathLike[str] | None = None) -> Path:
        """--db, else $OPS_DB, else the config's ``db``, else the platform's data folder."""
        if flag:
            return Path(flag).expanduser()
        env = os.environ.get("OPS_DB")
        if env:
            return Path(env).expanduser()
        if self.data["db"]:
            return Path(self.data["db"]).expanduser()
        from platformdirs import user_data_dir

        return Path(user_data_dir("ops-cli")) / "ops.db"

    def work_calendar(self):
        from ops_cli.calendar import WorkCalendar

        cal = self.data["calendar"]
        return WorkCalendar(cal["country"], cal["timezone"], tuple(cal["categories"]) or None)

    def opening_hours(self, dotted: str):
        """Opening hours of a section holding ``hours`` and ``closed_on_holidays``
        (``desk``, ``customer_service``, ``sla.tiers.gold``...)."""
        from ops_cli.calendar import OpeningHours

        section = self.get(dotted)
        return OpeningHours(self.work_calendar(), section["hours"], section["closed_on_holidays"])


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in a bare container
        return "unknown"


def load(path: str | os.PathLike[str] | None = None) -> Config:
    """Read the config file (a missing file means the defaults)."""
    resolved = resolve_config_path(path)
    try:
        raw = resolved.read_bytes()
    except FileNotFoundError:
        return Config(path=resolved)
    except OSError as exc:
        raise ConfigError(f"cannot read config file {resolved}: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{resolved}: not UTF-8 text; save the config file as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{resolved}: not valid TOML: {exc}") from None
    return Config(path=resolved, data=validate(data, str(resolved)), exists=True)


def write_template(path: Path) -> bool:
    """Write the commented template unless a file is already there. True if written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(TEMPLATE)
    except FileExistsError:
        return False
    return True


def parse_cli_value(text: str) -> Any:
    """A value typed on the command line: TOML if it parses (5, true, [..]), else text."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def set_value(path: Path, dotted: str, text: str) -> Any:
    """Set one key in the file, keeping its comments and layout; returns the stored value.

    The whole file is validated with the new value before anything is written.
    """
    import tomlkit

    try:
        document = tomlkit.parse(path.read_text(encoding="utf-8")) if path.exists() else tomlkit.document()
    except Exception as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    parts = dotted.split(".")
    value = parse_cli_value(text)
    # Coerce to the default's type so `set busy_timeout 10` stays a float and
    # `set operator 123` stays text.
    try:
        proto = _proto_for(parts)
    except KeyError:
        raise ConfigError(f"unknown config key {dotted}") from None
    if isinstance(proto, float) and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if isinstance(proto, str) and not isinstance(value, str):
        value = text
    node = document
    for depth, part in enumerate(parts[:-1], start=1):
        if part not in node:
            prefix = ".".join(parts[:depth])
            # Hours tables are replaced whole by the file, so a new one starts
            # from the current defaults: setting `desk.hours.sat` must not
            # close Monday to Friday.
            node[part] = _defaults_at(prefix) if prefix in HOURS_TABLES else tomlkit.table()
        node = node[part]
    node[parts[-1]] = value
    validate(document.unwrap(), str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(tomlkit.dumps(document), encoding="utf-8")
    return value


def _proto_for(parts: list[str]) -> Any:
    node: Any = DEFAULTS
    i = 0
    while i < len(parts):
        joined = ".".join(parts[:i])
        if joined in OPEN_TABLES and i < len(parts):
            proto = OPEN_TABLES[joined]
            # parts[i] is the entry's name, parts[i+1:] its field
            rest = parts[i + 1 :]
            if not rest:
                raise KeyError(".".join(parts))
            value = proto[rest[0]]
            if value is Hours:
                return "" if len(rest) == 2 and rest[1] in WEEKDAYS else _raise(parts)
            if len(rest) != 1:
                raise KeyError(".".join(parts))
            return value
        if ".".join(parts[: i + 1]) in HOURS_TABLES:
            if len(parts) == i + 2 and parts[i + 1] in WEEKDAYS:
                return ""
            raise KeyError(".".join(parts))
        node = node[parts[i]]
        i += 1
    if isinstance(node, dict):
        raise KeyError(".".join(parts))
    return node


def _defaults_at(dotted: str) -> dict[str, Any]:
    node: Any = DEFAULTS
    for part in dotted.split("."):
        node = node[part]
    return copy.deepcopy(node)


def _raise(parts: list[str]) -> Any:
    raise KeyError(".".join(parts))

"""Where the config lives and reading it: :class:`Config` and :func:`load`."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ops_cli.config.defaults import DEFAULTS, TEMPLATE, plain_copy
from ops_cli.errors import ConfigError, InvalidInput

if TYPE_CHECKING:
    from decimal import Decimal

    from ops_cli.calendar import OpeningHours, WorkCalendar


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


class Config:
    """The merged configuration and where it came from.

    A plain class written like the dataclass it was (fields, ``repr``, ``==``): a read command
    then needs no ``dataclasses`` (start-up, issue 16)."""

    path: Path
    data: dict[str, Any]
    exists: bool

    def __init__(self, path: Path, data: dict[str, Any] | None = None, exists: bool = False) -> None:
        self.path = path
        self.data = plain_copy(DEFAULTS) if data is None else data
        self.exists = exists

    def __repr__(self) -> str:
        return f"Config(path={self.path!r}, data={self.data!r}, exists={self.exists!r})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return (self.path, self.data, self.exists) == (other.path, other.data, other.exists)  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value: like the dataclass

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
        from decimal import Decimal

        return Decimal(str(self.data["swap"]["rate"]))

    def operator(self) -> str:
        return self.data["operator"] or _os_user()

    def db_path(self, flag: str | os.PathLike[str] | None = None) -> Path | str:
        """--db, else $OPS_DB, else the config's ``db``, else the platform's data folder.

        A ``postgresql://`` (or ``postgres://``) URL selects PostgreSQL and stays text."""
        if flag:
            return _store_path(flag)
        env = os.environ.get("OPS_DB")
        if env:
            return _store_path(env)
        if self.data["db"]:
            return _store_path(self.data["db"])
        from platformdirs import user_data_dir

        return Path(user_data_dir("ops-cli")) / "ops.db"

    def work_calendar(self) -> WorkCalendar:
        from ops_cli.calendar import WorkCalendar  # loaded by the commands that count days

        cal = self.data["calendar"]
        return WorkCalendar(cal["country"], cal["timezone"], tuple(cal["categories"]) or None)

    def opening_hours(self, dotted: str) -> OpeningHours:
        """Opening hours of a section holding ``hours`` and ``closed_on_holidays``
        (``desk``, ``customer_service``, ``sla.tiers.gold``...)."""
        from ops_cli.calendar import OpeningHours

        section = self.get(dotted)
        return OpeningHours(self.work_calendar(), section["hours"], section["closed_on_holidays"])


def _store_path(given: str | os.PathLike[str]) -> Path | str:
    """The store path as given; one ending in a slash names a folder (Path would drop the slash).
    A PostgreSQL URL is returned as it is (text)."""
    text = os.fspath(given)
    if text.lower().startswith(("postgresql://", "postgres://")):
        return text
    if text.endswith(("/", os.sep)):
        raise InvalidInput(
            f"the store path {text} names a folder;"
            f" give a file name with --db or OPS_DB, such as {text}ops.db"
        )
    return Path(text).expanduser()


def _os_user() -> str:
    try:
        import getpass  # not at start-up: only when no operator is configured

        return getpass.getuser()
    except Exception:  # no user name in a bare container
        return "unknown"


def _read_text(path: Path) -> str | None:
    """The file's text (None when there is no file); every failure is one ConfigError."""
    try:
        info = path.stat()
        if stat.S_ISFIFO(info.st_mode) or stat.S_ISSOCK(info.st_mode):
            raise ConfigError(f"cannot read config file {path}: it is not a regular file")
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        from ops_cli.files import os_cause  # an error only: not at start-up

        raise ConfigError(f"cannot read config file {path}: {os_cause(exc)}") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text; save the config file as UTF-8") from None


def _parse(text: str, path: Path) -> dict[str, Any]:
    import tomllib  # not at start-up: an unedited template needs no parsing

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def read_toml(path: Path) -> dict[str, Any] | None:
    """The file's TOML (None when there is no file); every failure is one ConfigError."""
    text = _read_text(path)
    return None if text is None else _parse(text, path)


def load(path: str | os.PathLike[str] | None = None) -> Config:
    """Read the config file (a missing file means the defaults)."""
    resolved = resolve_config_path(path)
    text = _read_text(resolved)
    if text is None:
        return Config(path=resolved)
    if text == TEMPLATE:  # the file `ops init` wrote, unedited: its values are the defaults
        return Config(path=resolved, data=plain_copy(DEFAULTS), exists=True)
    from ops_cli.config.schema import validate  # an edited file only: not for the template

    return Config(path=resolved, data=validate(_parse(text, resolved), str(resolved)), exists=True)

"""`Ops`: the configuration, store and clock that every core function works with.

The command line builds one from ``--config``/``--db``; a script builds one with
:meth:`Ops.open`. Core functions take it as their first argument.
"""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ops_cli import clock
from ops_cli.config import Config, load
from ops_cli.store import Store, open_store

if TYPE_CHECKING:
    from datetime import datetime

    from ops_cli.calendar import OpeningHours, WorkCalendar


class Ops:
    """A plain class written like the dataclass it was (fields, ``repr``, ``==``): a read
    command then needs no ``dataclasses`` (start-up, issue 16)."""

    config: Config
    #: The store: an SQLite file's path, or a ``postgresql://`` URL (text).
    db_path: Path | str
    _store: Store | None
    #: Read commands set this: a missing store is refused (exit 4) instead of created.
    must_exist: bool

    def __init__(
        self, config: Config, db_path: Path | str, _store: Store | None = None, must_exist: bool = False
    ) -> None:
        self.config = config
        self.db_path = db_path
        self._store = _store
        self.must_exist = must_exist

    def __repr__(self) -> str:
        return f"Ops(config={self.config!r}, db_path={self.db_path!r}, must_exist={self.must_exist!r})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        mine = (self.config, self.db_path, self._store, self.must_exist)
        return mine == (other.config, other.db_path, other._store, other.must_exist)  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value: like the dataclass

    @classmethod
    def open(
        cls,
        config_path: str | os.PathLike[str] | None = None,
        db_path: str | os.PathLike[str] | None = None,
    ) -> Ops:
        """Resolve config and store as the command line does (flag > env > config > default)."""
        config = load(config_path)
        _set_phone_region(config.get("phone.region"))
        return cls(config=config, db_path=config.db_path(db_path))

    @property
    def store(self) -> Store:
        """The store, created and migrated on first use."""
        if self._store is None:
            self._store = open_store(self.db_path, self.config["busy_timeout"], must_exist=self.must_exist)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    # ------------------------------------------------------------ time
    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.config.timezone)

    def now(self) -> datetime:
        """The business clock: now in the desk's time zone (``OPS_NOW`` honoured)."""
        return clock.now(self.tz)

    def real_now(self) -> datetime:
        """The security clock: the real time in the desk's zone, never moved by ``OPS_NOW``
        (support-code lock-outs; the audit records it by itself)."""
        return clock.real_now(self.tz)

    def at(self, text: str | None, what: str = "--at") -> datetime:
        """The moment a user typed (``--at``), or now."""
        return clock.parse_time(text, self.tz, what) if text is not None else self.now()

    @cached_property
    def calendar(self) -> WorkCalendar:
        return self.config.work_calendar()

    def hours(self, section: str) -> OpeningHours:
        """Opening hours of a config section: ``desk``, ``customer_service``, ``sla.tiers.bronze``..."""
        return self.config.opening_hours(section)

    # ------------------------------------------------------------ actor
    def actor(self, by: str | None = None) -> str:
        """Who the audit names: ``--by``, else the config's operator, else the OS user."""
        return by.strip().lower() if by else self.config.operator()


def _set_phone_region(region: str | None) -> None:
    """The region of phone numbers without a country code (config ``phone.region``).

    The phone parsers load on first use (compiling their patterns is a good part of a read
    command's start-up): while they are not loaded and the region is their starting one
    (``SE``), there is nothing to set."""
    import sys

    if "ops_cli.parsers.phones" not in sys.modules and (region or "SE").strip().upper() == "SE":
        return
    from ops_cli.parsers.phones import set_region

    set_region(region)

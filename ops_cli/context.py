"""`Ops`: the configuration, store and clock that every core function works with.

The command line builds one from ``--config``/``--db``; a script builds one with
:meth:`Ops.open`. Core functions take it as their first argument.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ops_cli import clock
from ops_cli.config import Config, load
from ops_cli.store import Store, open_store

if TYPE_CHECKING:
    from ops_cli.calendar import OpeningHours, WorkCalendar


@dataclass
class Ops:
    config: Config
    db_path: Path
    _store: Store | None = field(default=None, repr=False)

    @classmethod
    def open(
        cls,
        config_path: str | os.PathLike[str] | None = None,
        db_path: str | os.PathLike[str] | None = None,
    ) -> Ops:
        """Resolve config and store as the command line does (flag > env > config > default)."""
        config = load(config_path)
        return cls(config=config, db_path=config.db_path(db_path))

    @property
    def store(self) -> Store:
        """The store, created and migrated on first use."""
        if self._store is None:
            self._store = open_store(self.db_path, self.config["busy_timeout"])
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
        """Now in the desk's time zone (``OPS_NOW`` honoured)."""
        return clock.now(self.tz)

    def at(self, text: str | None, what: str = "--at") -> datetime:
        """The moment a user typed (``--at``), or now."""
        return clock.parse_time(text, self.tz, what) if text else self.now()

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

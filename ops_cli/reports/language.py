"""The language of a printed report: words from one catalogue file per language
(``lang/en.toml``, ``lang/sv.toml``, ``lang/da.toml``), numbers, months and dates by Babel's
locale rules (``19 977`` and ``98,00`` in Swedish, ``19.977`` in Danish).

Used by the terminal and Markdown renderings of the quarterly report (``--lang``); the
machine formats (JSON, CSV) stay language-neutral. Babel is imported only when formatting.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from ops_cli.errors import InvalidInput

LANGUAGES = ("en", "sv", "da")

#: :meth:`Lang.hours` texts already made, by locale, format, type and value.
_HOURS: dict[tuple[str, str, type, float], str] = {}


@dataclass(frozen=True)
class Lang:
    code: str
    locale: str
    words: dict[str, str]
    formats: dict[str, str]

    def t(self, key: str, **values: Any) -> str:
        """The catalogue's text for ``key`` with its placeholders filled in."""
        return self.words[key].format(**values)

    def num(self, value: int | float | None) -> str:
        from babel.numbers import format_decimal

        if value is None:
            return "—"
        if isinstance(value, float) and not value.is_integer():
            return format_decimal(value, "#,##0.00", locale=self.locale)
        return format_decimal(int(value), "#,##0", locale=self.locale)

    def pct(self, value: float | None) -> str:
        """A percentage as a number with two decimals (no sign): ``95.09`` / ``95,09``."""
        from babel.numbers import format_decimal

        return "—" if value is None else format_decimal(value, "0.00", locale=self.locale)

    def percent(self, value: float) -> str:
        return self.formats["percent"].format(value=self.pct(value))

    def hours(self, value: float | None) -> str:
        if value is None:
            return "—"
        key = (self.locale, self.formats["hours"], type(value), value)
        text = _HOURS.get(key)
        if text is None:  # a report lists 100,000 cases: each distinct figure is formatted once
            from babel.numbers import format_decimal

            if len(_HOURS) > 100_000:
                _HOURS.clear()
            text = _HOURS[key] = self.formats["hours"].format(
                value=format_decimal(value, "0.0", locale=self.locale)
            )
        return text

    def money(self, value: float, currency: str) -> str:
        return self.formats["money"].format(value=self.num(value), currency=currency)

    def month(self, month: str) -> str:
        """'2026-07' as the catalogue wants it: kept ISO, or e.g. 'juli 2026'."""
        if not self.formats.get("month"):
            return month
        from babel.dates import format_date

        return format_date(date.fromisoformat(month + "-01"), self.formats["month"], locale=self.locale)

    def period(self, first: date, last: date) -> str:
        """'1 Jul – 30 Sep 2026' / '1 juli – 30 sep. 2026'."""
        from babel.dates import format_date

        a = format_date(first, "d MMM", locale=self.locale)
        return f"{a} – {format_date(last, 'd MMM y', locale=self.locale)}"


def language(code: str | None = None, what: str = "--lang") -> Lang:
    """The catalogue of ``code`` (default English); an unknown one is InvalidInput (exit 3)
    naming ``what`` (the option or config key it came from)."""
    code = (code or "en").strip().lower()
    if code not in LANGUAGES:
        also = ", or auto" if what.startswith("config") else ""
        raise InvalidInput(
            f"{what}: {code!r} is not a report language; use one of {', '.join(LANGUAGES)}{also}"
        )
    return _load(code)


#: The report language of a desk's country (config ``calendar.country``) under ``report.lang = "auto"``.
COUNTRY_LANGUAGES = {"SE": "sv", "DK": "da"}


def report_language(ops: Any, code: str | None) -> Lang:
    """``--lang`` if given, else config ``report.lang``; ``auto`` (the default) picks the
    language of the desk's country (``calendar.country``: SE -> sv, DK -> da, else en).

    Customers carry no country of their own; the desk that serves them does."""
    if code is not None:
        return language(code)
    configured = (ops.config.data.get("report") or {}).get("lang") or "auto"
    if str(configured).strip().lower() == "auto":
        country = str((ops.config.data.get("calendar") or {}).get("country") or "").strip().upper()
        return language(COUNTRY_LANGUAGES.get(country, "en"))
    return language(configured, "config report.lang")


@cache
def _load(code: str) -> Lang:
    text = resources.files("ops_cli.reports").joinpath("lang", f"{code}.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    return Lang(code, data["format"]["locale"], dict(data["text"]), dict(data["format"]))

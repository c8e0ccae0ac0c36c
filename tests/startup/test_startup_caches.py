"""Start-up (issue 16): a year's holiday table is kept in the user's cache folder, so a
desk-hours check after the first one needs no import of the ``holidays`` package (about 80 ms)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from ops_cli.calendar import cache
from ops_cli.calendar.days import WorkCalendar


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "ops-cli" / "holidays.json"


def test_holidays_come_from_the_cache_without_the_package(cache_home, monkeypatch):
    first = WorkCalendar("SE").holidays_in(2031)
    assert first[date(2031, 6, 6)] == "National Day"
    assert cache_home.exists() and oct(cache_home.stat().st_mode & 0o777) == "0o600"
    import holidays

    def computed(*args, **kwargs):
        raise RuntimeError("the holidays package was asked")

    monkeypatch.setattr(holidays, "country_holidays", computed)
    again = WorkCalendar("SE")
    assert again.holidays_in(2031) == first
    assert again.is_working_day(date(2031, 6, 5)) and not again.is_working_day(date(2031, 6, 6))
    with pytest.raises(RuntimeError, match="was asked"):
        WorkCalendar("SE").holidays_in(2032)  # a year not kept: the package is needed


def test_the_key_holds_everything_the_table_depends_on(cache_home):
    se = cache.key("SE", ("public", "de_facto"), "en_US", 2031)
    assert se is not None and se.startswith("SE|public,de_facto|en_US|2031|")
    assert cache.key("SE", ("public",), "en_US", 2031) != se
    assert cache.key("SE", ("public", "de_facto"), None, 2031) != se
    assert cache.key("DK", ("public", "de_facto"), "en_US", 2031) != se
    WorkCalendar("SE").holidays_in(2031)
    WorkCalendar("SE", categories=("public",)).holidays_in(2031)
    kept = json.loads(cache_home.read_text(encoding="utf-8"))
    assert len(kept) == 2  # the de-facto holidays (midsummer eve...) make another table
    assert len(kept[se]) > len(kept[cache.key("SE", ("public",), "en_US", 2031)])


def test_a_damaged_or_unwritable_cache_is_no_error(cache_home):
    cache_home.parent.mkdir(parents=True)
    cache_home.write_text("{not json", encoding="utf-8")
    assert WorkCalendar("SE").is_holiday(date(2031, 12, 25))
    cache_home.unlink()
    cache_home.mkdir()  # a folder where the file should be: nothing can be written
    assert WorkCalendar("SE").is_holiday(date(2031, 12, 25))


def test_only_the_newest_tables_are_kept(cache_home, monkeypatch):
    monkeypatch.setattr(cache, "LIMIT", 3)
    for year in range(2030, 2035):
        WorkCalendar("SE").holidays_in(year)
    kept = json.loads(cache_home.read_text(encoding="utf-8"))
    assert [k.split("|")[3] for k in kept] == ["2032", "2033", "2034"]

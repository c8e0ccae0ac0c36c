"""Config: defaults, the commented template, validation, precedence, `config set`."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from ops_cli import config as cfg
from ops_cli.errors import ConfigError


def test_template_parses_to_exactly_the_defaults():
    assert cfg.validate(tomllib.loads(cfg.TEMPLATE), "template") == cfg.DEFAULTS
    assert tomllib.loads(cfg.TEMPLATE) == cfg.DEFAULTS


def test_defaults_hold_the_seed_numbers():
    d = cfg.DEFAULTS
    assert d["swap"]["rate"] == 0.08 and d["swap"]["cutoff"] == "14:00"
    assert d["orders"] == {
        "small_order_max": 10,
        "small_order_days": 5,
        "large_order_days": 10,
        "urgent_max": 3,
    }
    assert d["sla"]["tiers"]["bronze"]["target"] == 97.0
    assert d["sla"]["tiers"]["silver"]["target"] == 98.0
    assert d["sla"]["first_callback_hours"] == 2.0 and d["sla"]["callback_every_hours"] == 4.0
    assert d["sla"]["min_binding_months"] == 3
    assert d["sla"]["eligible_agreements"] == ["business", "erhverv", "mobildeal", "forening"]
    assert d["topics"]["fault"]["feedback_hours"] == 24
    assert d["cases"]["stale_days"] == 3
    assert d["desk"]["hours"]["mon"] == "08:00-17:00" and "sat" not in d["desk"]["hours"]
    assert d["customer_service"]["hours"]["sat"] == "08:00-16:00"
    assert d["calendar"] == {"country": "SE", "categories": [], "timezone": "Europe/Stockholm"}


def test_missing_file_means_defaults(tmp_path: Path):
    loaded = cfg.load(tmp_path / "nope.toml")
    assert loaded.data == cfg.DEFAULTS and not loaded.exists


def test_file_values_override_defaults_and_keep_the_rest(tmp_path: Path):
    path = tmp_path / "c.toml"
    path.write_text('busy_timeout = 2\n[swap]\nrate = 0.1\n[departments.local-east]\nlevel = "local"\n')
    loaded = cfg.load(path)
    assert loaded["busy_timeout"] == 2.0 and isinstance(loaded["busy_timeout"], float)
    assert loaded["swap"]["rate"] == 0.1 and loaded["swap"]["cutoff"] == "14:00"
    assert loaded["departments"]["local-east"] == {"level": "local", "area": "", "responsible": ""}
    assert "support" in loaded["departments"]


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("bogus = 1\n", "unknown key bogus"),
        ("[swap]\nrat = 0.1\n", "unknown key swap.rat"),
        ('[swap]\nrate = "high"\n', "swap.rate must be a number"),
        ("busy_timeout = true\n", "busy_timeout must be a number"),
        ("[cases]\nstale_days = 2.5\n", "cases.stale_days must be an integer"),
        ('[topics.fault]\ndepartment = "nowhere"\n', "topics.fault.department: unknown department 'nowhere'"),
        ('[topics.fault]\ncolour = "red"\n', "unknown key topics.fault.colour"),
        ('[desk.hours]\nmon = "17:00-08:00"\n', "desk.hours"),
        ('[desk.hours]\nfunday = "08:00-17:00"\n', "unknown key desk.hours.funday"),
        ('[calendar]\ntimezone = "Mars/Olympus"\n', "unknown time zone"),
        ('[swap]\ncutoff = "25:00"\n', "swap.cutoff"),
        ("[swap\n", "not valid TOML"),
        ('[departments.x]\nlevel = "regional"\n', "departments.x.level"),
        ("[sla.tiers.platinum]\ntarget = 99.0\n", "sla.tiers.platinum.hours is missing"),
    ],
)
def test_bad_config_names_key_and_file(tmp_path: Path, text: str, needle: str):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as raised:
        cfg.load(path)
    assert needle in raised.value.message
    assert str(path) in raised.value.message
    assert raised.value.exit_code == 3


def test_precedence_flag_env_file_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("OPS_DB", raising=False)
    monkeypatch.delenv("OPS_CONFIG", raising=False)
    path = tmp_path / "c.toml"
    path.write_text(f'db = "{tmp_path / "from-file.db"}"\n')
    assert cfg.resolve_config_path(path) == path
    monkeypatch.setenv("OPS_CONFIG", str(tmp_path / "env.toml"))
    assert cfg.resolve_config_path(None) == tmp_path / "env.toml"
    assert cfg.resolve_config_path(path) == path
    loaded = cfg.load(path)
    assert loaded.db_path() == tmp_path / "from-file.db"
    monkeypatch.setenv("OPS_DB", str(tmp_path / "from-env.db"))
    assert loaded.db_path() == tmp_path / "from-env.db"
    assert loaded.db_path(tmp_path / "flag.db") == tmp_path / "flag.db"
    monkeypatch.delenv("OPS_DB")
    assert cfg.load(tmp_path / "none.toml").db_path().name == "ops.db"


def test_set_keeps_comments_and_layout(tmp_path: Path):
    path = tmp_path / "c.toml"
    cfg.write_template(path)
    before = path.read_text()
    cfg.set_value(path, "swap.rate", "0.1")
    cfg.set_value(path, "cases.stale_days", "5")
    after = path.read_text()
    assert "# Spare-phone stock: target = ceil(rate x fleet)" in after
    assert after.count("\n") == before.count("\n")
    assert "rate = 0.1\n" in after and "stale_days = 5\n" in after
    loaded = cfg.load(path)
    assert loaded["swap"]["rate"] == 0.1 and loaded["cases"]["stale_days"] == 5


def test_set_coerces_to_the_default_type(tmp_path: Path):
    path = tmp_path / "c.toml"
    assert cfg.set_value(path, "busy_timeout", "10") == 10.0
    assert cfg.set_value(path, "operator", "12345") == "12345"
    assert cfg.set_value(path, "sla.eligible_agreements", '["business"]') == ["business"]
    assert cfg.load(path)["operator"] == "12345"


def test_set_one_weekday_in_a_new_hours_table_keeps_the_others(tmp_path: Path):
    path = tmp_path / "c.toml"
    cfg.set_value(path, "desk.hours.sat", "09:00-13:00")
    hours = cfg.load(path)["desk"]["hours"]
    assert hours["sat"] == "09:00-13:00" and hours["mon"] == "08:00-17:00"


@pytest.mark.parametrize("key", ["nope", "swap.nope", "swap", "sla.tiers.gold", "desk.hours.funday"])
def test_set_unknown_key_is_refused_and_file_untouched(tmp_path: Path, key: str):
    path = tmp_path / "c.toml"
    cfg.write_template(path)
    before = path.read_bytes()
    with pytest.raises(ConfigError):
        cfg.set_value(path, key, "1")
    assert path.read_bytes() == before


def test_set_wrong_type_is_refused_and_file_untouched(tmp_path: Path):
    path = tmp_path / "c.toml"
    cfg.write_template(path)
    before = path.read_bytes()
    with pytest.raises(ConfigError, match="swap.rate must be a number"):
        cfg.set_value(path, "swap.rate", "lots")
    assert path.read_bytes() == before


def test_swap_rate_is_exact_decimal():
    from decimal import Decimal

    assert cfg.Config(path=Path("x")).swap_rate == Decimal("0.08")


def test_every_default_hours_table_parses():
    from ops_cli.calendar import parse_hours

    for hours in cfg._KNOWN_GOOD_HOURS:
        assert parse_hours(hours)

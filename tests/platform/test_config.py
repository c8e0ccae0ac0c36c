"""Config: defaults, the commented template, validation, precedence, `config set`."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from ops_cli import config as cfg
from ops_cli.errors import ConfigError


def test_defaults_are_derived_from_the_template_file():
    text = (Path(cfg.__file__).parent / "template.toml").read_text(encoding="utf-8")
    assert cfg.TEMPLATE == text
    assert cfg.DEFAULTS == tomllib.loads(text)
    assert cfg.validate(tomllib.loads(cfg.TEMPLATE), "template") == cfg.DEFAULTS


def test_schema_is_derived_from_the_template():
    assert cfg.HOURS_TABLES == ("desk.hours", "customer_service.hours")
    assert list(cfg.OPEN_TABLES) == ["departments", "topics", "areas", "sla.tiers"]
    # Fields of a record are those of the template's entries; a new entry's blanks.
    assert cfg.DEPARTMENT == {"level": "national", "area": "", "responsible": ""}
    assert cfg.TOPIC == {"department": "support", "feedback_hours": 0, "fault": False, "advice": ""}
    assert cfg.AREA == {"department": "support"}
    assert cfg.TIER == {
        "target": 98.0,
        "guaranteed": False,
        "penalty": 0.0,
        "quarterly_report": True,
        "closed_on_holidays": False,
        "hours": cfg.Hours,
    }
    for path, defaults in cfg.ENTRY_DEFAULTS.items():
        assert set(defaults) <= set(cfg.OPEN_TABLES[path])


def test_config_package_keeps_the_public_names():
    for name in ("Config", "load", "write_template", "set_value", "DEFAULTS", "TEMPLATE", "validate"):
        assert hasattr(cfg, name)
    for name in ("resolve_config_path", "default_config_path", "parse_cli_value", "OPEN_TABLES"):
        assert hasattr(cfg, name)


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

    for hours in cfg.hours.default_hours():
        assert parse_hours(hours)


# ------------------------------------------------------------ every key validated (issue 12)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("busy_timeout = nan\n", "busy_timeout must be a finite number"),
        ("[swap]\nfreight_price = inf\n", "swap.freight_price must be a finite number"),
        ("[sla.tiers.gold]\npenalty = -inf\n", "sla.tiers.gold.penalty must be a finite number"),
        ('[calendar]\ncountry = "XX"\n', "calendar.country: unknown country code 'XX'"),
        ("busy_timeout = 0\n", "busy_timeout must be greater than 0"),
        ("[sla]\ncallback_every_hours = 0\n", "sla.callback_every_hours must be greater than 0"),
        ("[sla]\nfirst_callback_hours = -2\n", "sla.first_callback_hours must be greater than 0"),
        ("[sla]\ncode_lockout_minutes = 0\n", "sla.code_lockout_minutes must be greater than 0"),
        ("[orders]\nsmall_order_max = -1\n", "orders.small_order_max must be greater than 0"),
        ("[cases]\nstale_days = 0\n", "cases.stale_days must be greater than 0"),
        ("[sla.tiers.gold]\ntarget = 101.0\n", "sla.tiers.gold.target must be a percentage from 0 to 100"),
        ("[sla.tiers.bronze]\ntarget = -1\n", "sla.tiers.bronze.target must be a percentage from 0 to 100"),
        ("[sla.tiers.gold]\npenalty = -5.0\n", "sla.tiers.gold.penalty must not be negative"),
        ("[swap]\npackaging_price = -1\n", "swap.packaging_price must not be negative"),
        ("[topics.fault]\nfeedback_hours = -24\n", "topics.fault.feedback_hours must not be negative"),
        ("[sla]\nreport_send_to_day = 32\n", "sla.report_send_to_day must be a day of the month"),
        ("[sla]\nreport_send_from_day = 21\n", "report_send_from_day must not be after"),
        ('[cases]\ndefault_topic = "nope"\n', "cases.default_topic: unknown topic 'nope'"),
    ],
)
def test_every_value_is_checked_naming_key_and_file(tmp_path: Path, text: str, needle: str):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as raised:
        cfg.load(path)
    assert needle in raised.value.message
    assert str(path) in raised.value.message
    assert raised.value.exit_code == 3


def test_zero_is_fine_where_it_means_none(tmp_path: Path):
    path = tmp_path / "ok.toml"
    path.write_text(
        '[topics.fault]\nfeedback_hours = 0\n[sla]\nreport_fee = 0.0\n[calendar]\ncountry = "DK"\n'
    )
    loaded = cfg.load(path)
    assert loaded["topics"]["fault"]["feedback_hours"] == 0 and loaded["calendar"]["country"] == "DK"


def test_bad_config_on_the_command_line_is_one_error_line_exit_3(env):
    env.config.write_text("[sla]\ncallback_every_hours = 0\n")
    result = env.run("case", "list")
    assert result.code == 3
    assert result.stderr.splitlines() == [
        f"error: {env.config}: sla.callback_every_hours must be greater than 0, not 0.0"
    ]
    assert not env.db.exists()


def test_config_set_negative_penalty_is_refused_file_untouched(env):
    assert env.run("init").code == 0
    before = env.config.read_bytes()
    result = env.run("config", "set", "--", "sla.tiers.gold.penalty", "-5")
    assert result.code == 3
    assert "sla.tiers.gold.penalty must not be negative" in result.stderr
    assert str(env.config) in result.stderr and len(result.stderr.splitlines()) == 1
    assert env.config.read_bytes() == before


# ------------------------------------------------------------ config set is atomic (issue 12)

_FULL_DISK = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
from ops_cli.commands.app import main
sys.argv = ["ops", *sys.argv[2:]]
main()
"""


def test_config_set_on_a_full_disk_keeps_the_old_file(env):
    """The disk 'fills' after 1 KB (RLIMIT_FSIZE, EFBIG like ENOSPC): the old config survives whole."""
    import subprocess
    import sys

    assert env.run("init").code == 0
    before = env.config.read_bytes()
    assert len(before) > 4096
    proc = subprocess.run(
        [sys.executable, "-c", _FULL_DISK, "1024", "config", "set", "swap.rate", "0.1"],
        capture_output=True,
        text=True,
        env=env.environ(),
    )
    assert proc.returncode == 3, proc.stderr
    assert proc.stderr.splitlines() == [f"error: cannot write {env.config}: the file is too large"]
    assert env.config.read_bytes() == before
    store_file = [] if isinstance(env.db, str) else ["ops.db"]  # PostgreSQL: no file
    assert sorted(p.name for p in env.tmp.iterdir()) == ["config.toml", *store_file]


def test_config_set_replaces_the_file_in_one_rename(tmp_path: Path):
    path = tmp_path / "c.toml"
    cfg.write_template(path)
    inode = path.stat().st_ino
    cfg.set_value(path, "swap.rate", "0.1")
    assert path.stat().st_ino != inode  # a new file renamed over the old one, not rewritten in place
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert [p.name for p in tmp_path.iterdir()] == ["c.toml"]


@pytest.mark.skipif("sla.agreement_aliases" not in cfg.OPEN_MAPS, reason="the template has no aliases yet")
def test_open_map_takes_new_keys_of_the_templates_kind(tmp_path: Path):
    path = tmp_path / "c.toml"
    path.write_text('[sla.agreement_aliases]\nklubb = ["Klubbavtal"]\n')
    assert cfg.load(path)["sla"]["agreement_aliases"]["klubb"] == ["Klubbavtal"]
    path.write_text("[sla.agreement_aliases]\nklubb = 5\n")
    with pytest.raises(ConfigError, match="sla.agreement_aliases.klubb must be a list"):
        cfg.load(path)
    other = tmp_path / "d.toml"
    cfg.set_value(other, "sla.agreement_aliases.klubb", '["Klubb"]')
    assert cfg.load(other)["sla"]["agreement_aliases"]["klubb"] == ["Klubb"]

"""Config values found by outside testing (issue 12, "Config validation covers every key"):
limits of 0, an unknown report language and unknown holiday categories are refused when the
config is read (exit 3 naming the key and the file), never later as an internal error."""

from __future__ import annotations

from pathlib import Path

import pytest

from ops_cli import config as cfg
from ops_cli.errors import ConfigError


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("[kpi]\nmax_count = 0\n", "kpi.max_count must be greater than 0, not 0"),
        ("[import]\nmax_rows = 0\n", "import.max_rows must be greater than 0, not 0"),
        ("[import]\nmax_columns = 0\n", "import.max_columns must be greater than 0, not 0"),
        ('[report]\nlang = "xx"\n', "report.lang must be one of"),
        ('[calendar]\ncategories = ["nonsense"]\n', "calendar.categories: 'nonsense' is not a holiday"),
        (
            '[calendar]\ncountry = "DK"\ncategories = ["bank"]\n',
            "calendar.categories: 'bank' is not a holiday category of DK",
        ),
    ],
)
def test_value_is_refused_naming_key_and_file(tmp_path: Path, text: str, needle: str):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        cfg.load(path)
    assert needle in str(info.value) and str(path) in str(info.value)


@pytest.mark.parametrize(
    "text",
    [
        '[report]\nlang = "auto"\n',
        '[report]\nlang = "da"\n',
        '[calendar]\ncategories = ["public", "de_facto"]\n',
        '[calendar]\ncountry = "DK"\ncategories = ["public"]\n',
    ],
)
def test_good_values_load(tmp_path: Path, text: str):
    path = tmp_path / "ok.toml"
    path.write_text(text, encoding="utf-8")
    cfg.load(path)


def test_bad_categories_on_the_command_line_exit_3_store_untouched(env):
    assert env.run("init").code == 0
    before = env.snapshot()
    env.config.write_text('[calendar]\ncategories = ["nonsense"]\n', encoding="utf-8")
    result = env.run("case", "list", "-f", "json")
    assert result.code == 3, result.stderr
    assert result.stderr.splitlines() == [
        f"error: {env.config}: calendar.categories: 'nonsense' is not a holiday category of SE"
        " (known: bank, de_facto, optional, public)"
    ]
    assert env.snapshot() == before


def test_config_set_zero_limit_is_refused_file_untouched(env):
    assert env.run("init").code == 0
    before = env.config.read_bytes()
    result = env.run("config", "set", "kpi.max_count", "0")
    assert result.code == 3
    assert result.stderr.splitlines() == [f"error: {env.config}: kpi.max_count must be greater than 0, not 0"]
    assert env.config.read_bytes() == before

"""`config set` replaces the file atomically but keeps what the user set on it (outside testing,
issue 12): a read-only config is refused (exit 3, file untouched), a shared 0640 config stays
0640 (a team's other members can still read it)."""

from __future__ import annotations

import stat


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_config_set_refuses_a_read_only_config(env):
    assert env.run("init").code == 0
    before = env.config.read_bytes()
    env.config.chmod(0o444)
    try:
        result = env.run("config", "set", "swap.rate", "0.1")
        assert result.code == 3, result.stderr
        assert result.stderr.splitlines() == [
            f"error: cannot write {env.config}: it is read-only; allow writing it (chmod u+w) first"
        ]
        assert env.config.read_bytes() == before and _mode(env.config) == 0o444
    finally:
        env.config.chmod(0o600)


def test_config_set_keeps_the_files_mode(env):
    assert env.run("init").code == 0
    env.config.chmod(0o640)
    result = env.run("config", "set", "swap.rate", "0.1")
    assert result.code == 0, result.stderr
    assert _mode(env.config) == 0o640
    assert env.run("config", "get", "swap.rate").stdout.strip() == "0.1"

"""`ops config set --dry-run` checks the value and shows the change, writing nothing."""


def test_config_set_dry_run_shows_the_change_and_writes_nothing(env):
    assert env.run("init").code == 0
    before = env.config.read_bytes()
    r = env.run("config", "set", "cases.stale_days", "7", "--dry-run")
    assert r.code == 0, r.stderr
    assert "cases.stale_days: 3 → 7" in r.stderr
    assert env.config.read_bytes() == before


def test_config_set_dry_run_still_refuses_a_bad_value(env):
    assert env.run("init").code == 0
    before = env.config.read_bytes()
    r = env.run("config", "set", "cases.stale_days", "0", "--dry-run")
    assert r.code == 3, r.stderr
    assert r.stderr.startswith("error: ")
    assert env.config.read_bytes() == before

"""What `ops sub import` says on stderr: a dry run counts what it would do, in the same words."""

from __future__ import annotations

import pytest
from helpers.seed import demo_store
from helpers.sheets import write_csv

ANNA = "anna.berg@polisen.example"


@pytest.fixture
def demo(env):
    return demo_store(env, "2026-11-18T10:00")


def test_a_dry_run_says_what_it_would_create_and_update_and_writes_nothing(demo, tmp_path):
    path = write_csv(
        tmp_path / "subs.csv",
        ["customer", "issi", "tei", "msisdn", "kind", "status"],
        [["1001", "2010001", "", "+46701234599", "", ""], ["1001", "2019999", "", "", "", ""]],
    )
    before = demo.snapshot()
    run = demo.cli("sub", "import", str(path), "--by", ANNA, "--dry-run")
    assert run.code == 0, run.stderr
    assert "dry run, nothing written: would create 1, update 1, unchanged 0" in run.stderr
    assert demo.snapshot() == before
    run = demo.cli("sub", "import", str(path), "--by", ANNA)
    assert run.code == 0, run.stderr
    assert "created 1, updated 1, unchanged 0" in run.stderr

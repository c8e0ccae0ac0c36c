"""Issue 12 import items for `sla kpi import`: the overlap check inside the write transaction,
the actor check, bounded counts, months from 2000-01, NFC zones, one customer-number rule."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest
from helpers import db as store_db

OPS_BIN = Path(sys.executable).with_name("ops")
HEADER = "customer,zone,date,attempts,setups_ok,established,terminated_ok\n"


@pytest.fixture
def shop(env):
    """Customers and rosters of the demo (2001: orderer maria.sund, telephony per.falk, viewer johan.dahl)."""
    from ops_cli.demo import fixture

    env.now = "2026-11-20T10:00"
    assert env.cli("roster", "customer", "import", str(fixture("customers.csv"))).code == 0
    assert env.cli("roster", "import", str(fixture("roster.xlsx"))).code == 0
    return env


def kpi_csv(path: Path, *lines: str) -> Path:
    path.write_text(HEADER + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def refused(env, args, code, message, before):
    r = env.cli(*args)
    assert r.code == code, r.stderr
    assert r.stderr.startswith("error: ")
    assert message in r.stderr, r.stderr
    assert env.snapshot() == before


# ------------------------------------------------------------------ race: month row vs day rows
def test_month_row_and_day_rows_racing_cannot_both_succeed(shop, tmp_path):
    days = kpi_csv(
        tmp_path / "days.csv", "2001,Testzon,2026-10-01,100,99,98,97", "2001,Testzon,2026-10-02,10,9,9,9"
    )
    month = kpi_csv(tmp_path / "month.csv", "2001,Testzon,2026-10,3000,2990,2980,2970")
    shop.config.write_text("busy_timeout = 60.0\n", encoding="utf-8")  # waiting is the point here
    with store_db.write_lock(shop.db):  # every writer now queues behind this one
        procs = []
        for file in (days, month):
            procs.append(
                subprocess.Popen(
                    [str(OPS_BIN), "sla", "kpi", "import", str(file)],
                    env=shop.environ(),
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
            )
            time.sleep(1.0)  # let it read and validate its file (today: outside the lock)
    results = [(p.wait(timeout=60), p.stderr.read()) for p in procs]
    codes = sorted(code for code, _ in results)
    assert codes == [0, 3], results
    loser = next(err for code, err in results if code == 3)
    assert "give either day rows or one month row, not both" in loser
    periods = {row[2] for row in shop.snapshot()["kpi"] if row[0] == "2001" and row[1] == "Testzon"}
    assert periods in ({"2026-10"}, {"2026-10-01", "2026-10-02"})


# ------------------------------------------------------------------ actor
@pytest.mark.parametrize(
    "by, message",
    [
        ("nobody@example.org", "nobody@example.org may not import KPI counts for customer 2001"),
        (
            "johan.dahl@nordbygg.example",
            "johan.dahl@nordbygg.example may not import KPI counts for customer 2001",
        ),
        (
            "anna.berg@polisen.example",
            "anna.berg@polisen.example may not import KPI counts for customer 2001",
        ),
    ],
)
def test_unknown_viewer_or_foreign_actor_refused(shop, tmp_path, by, message):
    path = kpi_csv(tmp_path / "k.csv", "2001,Testzon,2026-10-01,100,99,98,97")
    before = shop.snapshot()
    refused(shop, ["sla", "kpi", "import", str(path), "--by", by], 5, message, before)


@pytest.mark.parametrize("by", ["maria.sund@nordbygg.example", "per.falk@nordbygg.example"])
def test_orderer_or_telephony_may_import(shop, tmp_path, by):
    path = kpi_csv(tmp_path / "k.csv", "2001,Testzon,2026-10-01,100,99,98,97")
    r = shop.cli("sla", "kpi", "import", str(path), "--by", by, "-f", "json")
    assert r.code == 0, r.stderr
    assert r.json()["created"] == 1
    audit = shop.snapshot()["audit"][-1]
    assert by in audit


def test_desk_agent_may_import(shop, tmp_path):
    shop.config.write_text('[desk]\nagents = ["kim.desk@operator.example"]\n', encoding="utf-8")
    path = kpi_csv(tmp_path / "k.csv", "2001,Testzon,2026-10-01,100,99,98,97")
    r = shop.cli("sla", "kpi", "import", str(path), "--by", "kim.desk@operator.example")
    assert r.code == 0, r.stderr


# ------------------------------------------------------------------ bounds
@pytest.mark.parametrize(
    "line, message",
    [
        ("2001,Testzon,2026-10-01,9223372036854775808,1,1,1", "attempts: 9223372036854775808 is too large"),
        (
            "2001,Testzon,2026-10-01,1000000001,1,1,1",
            "attempts: 1000000001 is too large; counts are 0 to 1,000,000,000",
        ),
        ("2001,Testzon,1999-12,10,9,9,9", "date: '1999-12' is before 2000-01"),
        ("2001,Testzon,1999-12-31,10,9,9,9", "date: '1999-12-31' is before 2000-01"),
        (
            "02001,Testzon,2026-10-01,10,9,9,9",
            "customer: customer number 02001 has a leading zero; write 2001",
        ),
    ],
)
def test_out_of_range_values_exit_3(shop, tmp_path, line, message):
    path = kpi_csv(tmp_path / "k.csv", line)
    before = shop.snapshot()
    refused(shop, ["sla", "kpi", "import", str(path)], 3, f"{path}:2: {message}", before)


def test_largest_count_accepted(shop, tmp_path):
    path = kpi_csv(tmp_path / "k.csv", "2001,Testzon,2000-01,1000000000,1000000000,0,0")
    r = shop.cli("sla", "kpi", "import", str(path))
    assert r.code == 0, r.stderr


# ------------------------------------------------------------------ zones
def test_nfd_zone_is_the_same_zone(shop, tmp_path):
    nfc = kpi_csv(tmp_path / "nfc.csv", "2001,Göteborg,2026-10-01,100,99,98,97")
    assert shop.cli("sla", "kpi", "import", str(nfc)).code == 0
    nfd_name = unicodedata.normalize("NFD", "Göteborg")
    nfd = kpi_csv(tmp_path / "nfd.csv", f"2001,{nfd_name},2026-10-01,100,99,98,97")
    r = shop.cli("sla", "kpi", "import", str(nfd), "-f", "json")
    assert r.code == 0, r.stderr
    assert (r.json()["created"], r.json()["unchanged"]) == (0, 1)
    zones = {row[1] for row in shop.snapshot()["kpi"]}
    assert zones == {"Göteborg"}


def test_zone_with_bidi_override_refused(shop, tmp_path):
    path = kpi_csv(tmp_path / "k.csv", "2001,Göte\u202eborg,2026-10-01,100,99,98,97")
    before = shop.snapshot()
    refused(
        shop, ["sla", "kpi", "import", str(path)], 3, f"{path}:2: zone: zone contains the invisible", before
    )


def test_the_maximum_count_comes_from_the_config(shop, tmp_path):
    shop.config.write_text("[kpi]\nmax_count = 100\n", encoding="utf-8")
    path = kpi_csv(tmp_path / "k.csv", "2001,Testzon,2026-10-01,101,100,100,100")
    before = shop.snapshot()
    message = f"{path}:2: attempts: 101 is too large; counts are 0 to 100"
    refused(shop, ["sla", "kpi", "import", str(path)], 3, message, before)
    ok = kpi_csv(tmp_path / "ok.csv", "2001,Testzon,2026-10-01,100,100,100,100")
    assert shop.cli("sla", "kpi", "import", str(ok)).code == 0


def test_a_zone_stored_in_nfd_by_an_older_version_is_renamed_on_every_period(shop, tmp_path):
    nfd = unicodedata.normalize("NFD", "Göteborg")
    conn = store_db.connect(shop.db)  # the state an earlier ops-cli left: zone names as typed
    with conn:
        conn.executemany(
            "INSERT INTO kpi VALUES ('2001', ?, ?, 100, 99, 98, 97, '2026-10-31T00:00:00+00:00')",
            [(nfd, "2026-10-01"), (nfd, "2026-10-02")],
        )
    conn.close()
    path = kpi_csv(tmp_path / "k.csv", "2001,Göteborg,2026-10-01,100,99,98,97")
    r = shop.cli("sla", "kpi", "import", str(path), "-f", "json")
    assert r.code == 0, r.stderr
    assert (r.json()["created"], r.json()["unchanged"]) == (0, 1)
    zones = sorted((row[1], row[2]) for row in shop.snapshot()["kpi"])
    assert zones == [("Göteborg", "2026-10-01"), ("Göteborg", "2026-10-02")]
    audit = json.loads(shop.snapshot()["audit"][-1][6])
    assert audit["zones_normalised"] == [["2001", nfd, "Göteborg"]]

"""Issue 12/13 import items for `sub import`: the actor, the subscription rules (terminate needs
--confirm-reset and an orderer, standby active needs the R30 form, a given-up ISSI is never reused),
another customer's ISSI never named, one customer-number rule."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

HEADER = ["customer", "issi", "tei", "msisdn", "kind", "status"]
ORDERER = "anna.berg@polisen.example"  # orderer of 1001
CONTACT = "sara.lund@polisen.example"  # contact of 1001
RETIRED = "2010012"  # given up in the demo's delivered ISSI change (2010012 -> 2010112)


@pytest.fixture
def demo(env):
    env.now = "2026-11-20T10:00"
    r = env.cli("init", "--demo")
    assert r.code == 0, r.stderr
    return env


def sheet(path: Path, *rows) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([HEADER, *rows])
    return path


def refused(env, args, code, message, before):
    r = env.cli(*args)
    assert r.code == code, r.stderr
    assert r.stderr.startswith("error: ")
    assert message in r.stderr, r.stderr
    assert env.snapshot() == before
    return r


def sub(env, issi):
    return env.cli("sub", "show", str(issi), "-f", "json").json()


# ------------------------------------------------------------------ actor
@pytest.mark.parametrize(
    "by, message",
    [
        ("nobody@example.org", "nobody@example.org is not in the roster of customer 1001"),
        (CONTACT, f"{CONTACT} is contact of customer 1001; order needs the role orderer"),
        ("maria.sund@nordbygg.example", "maria.sund@nordbygg.example is not in the roster of customer 1001"),
    ],
)
def test_sub_import_checks_the_actor(demo, tmp_path, by, message):
    path = sheet(tmp_path / "s.csv", ["1001", "2019001", "00000000000F001", "", "", ""])
    before = demo.snapshot()
    refused(demo, ["sub", "import", str(path), "--by", by], 5, message, before)


def test_sub_import_by_an_orderer_is_audited_with_the_orderer(demo, tmp_path):
    path = sheet(tmp_path / "s.csv", ["1001", "2019001", "00000000000F001", "", "", ""])
    r = demo.cli("sub", "import", str(path), "--by", ORDERER, "-f", "json")
    assert r.code == 0, r.stderr
    audit = demo.snapshot()["audit"][-1]
    assert (audit[2], audit[3], audit[4]) == (ORDERER, "sub.create", "sub:2019001")


# ------------------------------------------------------------------ subscription rules
def test_terminating_row_needs_confirm_reset(demo, tmp_path):
    path = sheet(tmp_path / "s.csv", ["1001", "2010001", "", "", "", "terminated"])
    before = demo.snapshot()
    refused(
        demo,
        ["sub", "import", str(path), "--by", ORDERER],
        3,
        f"{path}:2: status: ISSI 2010001: terminating needs --confirm-reset",
        before,
    )
    r = demo.cli("sub", "import", str(path), "--by", ORDERER, "--confirm-reset", "-f", "json")
    assert r.code == 0, r.stderr
    assert sub(demo, 2010001)["status"] == "terminated"
    assert json.loads(demo.snapshot()["audit"][-1][6])["reset_confirmed"] is True


def test_standby_set_active_needs_the_r30_form(demo, tmp_path):
    path = sheet(tmp_path / "s.csv", ["1001", "2010021", "", "", "", "active"])
    before = demo.snapshot()
    refused(
        demo,
        ["sub", "import", str(path)],
        3,
        f"{path}:2: status: ISSI 2010021 is a standby subscription: activating it needs the reference"
        " of form R30",
        before,
    )
    r = demo.cli("sub", "import", str(path), "--form", "R30-2026-117", "-f", "json")
    assert r.code == 0, r.stderr
    assert sub(demo, 2010021)["status"] == "active"
    assert json.loads(demo.snapshot()["audit"][-1][6])["form_r30"] == "R30-2026-117"


def test_an_issi_given_up_is_never_reused(demo, tmp_path):
    path = sheet(tmp_path / "s.csv", ["1001", RETIRED, "00000000000F002", "", "", ""])
    before = demo.snapshot()
    refused(
        demo,
        ["sub", "import", str(path)],
        6,
        f"{path}:2: issi: ISSI {RETIRED} was given up in an ISSI change and is never reused",
        before,
    )


def test_another_customers_issi_is_not_named(demo, tmp_path):
    path = sheet(tmp_path / "s.csv", ["1002", "2010001", "", "", "", "inactive"])
    before = demo.snapshot()
    r = refused(
        demo,
        ["sub", "import", str(path)],
        5,
        f"{path}:2: issi: ISSI 2010001 is not a subscription of customer 1002",
        before,
    )
    assert "1001" not in r.stderr


def test_another_customers_tei_is_not_named(demo, tmp_path):
    owner_tei = sub(demo, 2010001)["tei"]
    path = sheet(tmp_path / "s.csv", ["1002", "2019002", owner_tei, "", "", "active"])
    before = demo.snapshot()
    r = refused(
        demo,
        ["sub", "import", str(path)],
        6,
        f"TEI {owner_tei} is bound to a live subscription of another customer",
        before,
    )
    assert "1001" not in r.stderr and "2010001" not in r.stderr


# ------------------------------------------------------------------ one customer-number rule
def test_excel_float_customer_number_accepted_like_roster_import(demo, tmp_path):
    path = sheet(tmp_path / "s.csv", ["1001.0", "2019003", "00000000000F003", "", "", ""])
    r = demo.cli("sub", "import", str(path), "-f", "json")
    assert r.code == 0, r.stderr
    assert sub(demo, 2019003)["customer"] == "1001"


def test_leading_zero_customer_number_refused_like_roster_import(demo, tmp_path):
    path = sheet(tmp_path / "s.csv", ["02001", "2019004", "00000000000F004", "", "", ""])
    before = demo.snapshot()
    refused(
        demo,
        ["sub", "import", str(path)],
        3,
        f"{path}:2: customer: customer number 02001 has a leading zero; write 2001",
        before,
    )

"""Issue 12/13 import items for `roster import`: --replace with --skip-invalid, the rejected-rows
file before the commit, roster invariants, names (NFC, bidi) and the one customer-number rule."""

from __future__ import annotations

import csv
import os
import unicodedata
from pathlib import Path

import pytest

HEADER = ["customer", "name", "email", "phone", "role", "kind"]


@pytest.fixture
def demo(env):
    from ops_cli.demo import fixture

    env.now = "2026-11-20T10:00"
    assert env.cli("roster", "customer", "import", str(fixture("customers.csv"))).code == 0
    assert env.cli("roster", "import", str(fixture("roster.xlsx"))).code == 0
    return env


def write_csv(path: Path, rows) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def emails(env, customer):
    return sorted(e["email"] for e in env.cli("roster", "list", "-c", customer, "-f", "json").json())


def refused(env, args, code, message, before):
    r = env.cli(*args)
    assert r.code == code, r.stderr
    assert r.stderr.startswith("error: ")
    assert message in r.stderr, r.stderr
    assert env.snapshot() == before
    return r


NORDBYGG_KEEP = [
    ["2001", "Maria Sund", "maria.sund@nordbygg.example", "", "orderer", "person"],
    ["2001", "Per Falk", "per.falk@nordbygg.example", "+46701234567", "telephony", "person"],
    ["2001", "Emma Strand", "emma.strand@nordbygg.example", "", "contact", "person"],
]


# ------------------------------------------------------------------ --replace with --skip-invalid
def test_replace_skip_invalid_keeps_the_person_whose_row_is_rejected(demo, tmp_path):
    path = write_csv(
        tmp_path / "r.csv",
        [
            HEADER,
            ["2002", "Lisa Ek", "lisa.ek@bonan.example", "070-987 65 43", "orderer,telephony", "person"],
            ["2002", "Oskar Ek", "oskar.ek@bonan.example", "not a phone", "contact", "person"],
        ],
    )
    r = demo.cli("roster", "import", str(path), "--replace", "--yes", "--skip-invalid", "-f", "json")
    assert r.code == 0, r.stderr
    data = r.json()
    assert (data["removed"], data["rejected"], data["removed_entries"]) == (0, 1, [])
    assert emails(demo, "2002") == ["lisa.ek@bonan.example", "oskar.ek@bonan.example"]


def test_replace_skip_invalid_unreadable_email_holds_that_customers_removals(demo, tmp_path):
    path = write_csv(
        tmp_path / "r.csv",
        [HEADER, *NORDBYGG_KEEP, ["2001", "Johan Dahl", "johan.dahl@@nordbygg", "", "viewer", "person"]],
    )
    r = demo.cli("roster", "import", str(path), "--replace", "--yes", "--skip-invalid", "-f", "json")
    assert r.code == 0, r.stderr
    data = r.json()
    assert (data["removed"], data["removals_held"]) == (0, ["2001"])
    assert "johan.dahl@nordbygg.example" in emails(demo, "2001")
    assert "vaxel@nordbygg.example" in emails(demo, "2001")


def test_replace_lists_removed_entries_by_name(demo, tmp_path):
    path = write_csv(tmp_path / "r.csv", [HEADER, *NORDBYGG_KEEP])
    r = demo.cli("roster", "import", str(path), "--replace", "--yes", "-f", "json")
    assert r.code == 0, r.stderr
    data = r.json()
    assert data["removed"] == 2
    assert data["removed_entries"] == [
        {"customer": "2001", "email": "johan.dahl@nordbygg.example", "name": "Johan Dahl"},
        {"customer": "2001", "email": "vaxel@nordbygg.example", "name": "Växeln Nordbygg"},
    ]


# ------------------------------------------------------------------ rejected-rows file before the commit
def test_rejected_file_that_cannot_be_written_commits_nothing(demo, tmp_path):
    path = write_csv(
        tmp_path / "r.csv",
        [
            HEADER,
            ["2001", "Good", "good@nordbygg.example", "", "viewer", ""],
            ["2001", "Bad", "bad", "", "viewer", ""],
        ],
    )
    os.mkdir(f"{path}.rejected.csv")  # a folder where the file would go
    before = demo.snapshot()
    refused(
        demo,
        ["roster", "import", str(path), "--skip-invalid"],
        3,
        f"cannot write {path}.rejected.csv",
        before,
    )


def test_existing_rejected_file_needs_force_and_commits_nothing(demo, tmp_path):
    path = write_csv(
        tmp_path / "r.csv",
        [
            HEADER,
            ["2001", "Good", "good@nordbygg.example", "", "viewer", ""],
            ["2001", "Bad", "bad", "", "viewer", ""],
        ],
    )
    Path(f"{path}.rejected.csv").write_text("old\n")
    before = demo.snapshot()
    refused(demo, ["roster", "import", str(path), "--skip-invalid"], 6, f"{path}.rejected.csv", before)
    assert Path(f"{path}.rejected.csv").read_text() == "old\n"
    r = demo.cli("roster", "import", str(path), "--skip-invalid", "--force")
    assert r.code == 0, r.stderr
    assert "bad" in Path(f"{path}.rejected.csv").read_text(encoding="utf-8-sig")
    assert oct(Path(f"{path}.rejected.csv").stat().st_mode & 0o777) == "0o600"


# ------------------------------------------------------------------ roster invariants
@pytest.mark.parametrize("dry_run", [False, True])
def test_replace_may_not_take_the_last_contact(demo, tmp_path, dry_run):
    path = write_csv(
        tmp_path / "r.csv",
        [HEADER, ["2002", "Lisa Ek", "lisa.ek@bonan.example", "", "orderer,telephony", ""]],
    )
    before = demo.snapshot()
    args = ["roster", "import", str(path), "--replace", "--yes", *(["--dry-run"] if dry_run else [])]
    refused(demo, args, 6, "customer 2002 would be left without a contact", before)


def test_update_may_not_take_the_last_orderer(demo, tmp_path):
    path = write_csv(
        tmp_path / "r.csv", [HEADER, ["2001", "Maria Sund", "maria.sund@nordbygg.example", "", "viewer", ""]]
    )
    before = demo.snapshot()
    refused(
        demo, ["roster", "import", str(path)], 6, "customer 2001 would be left without an orderer", before
    )


def test_a_function_may_only_be_a_contact(demo, tmp_path):
    path = write_csv(
        tmp_path / "r.csv", [HEADER, ["2001", "Växel", "vx@nordbygg.example", "", "orderer", "function"]]
    )
    before = demo.snapshot()
    refused(demo, ["roster", "import", str(path)], 3, f"{path}:2: role: a function (shared mailbox)", before)


# ------------------------------------------------------------------ names
def test_nfd_name_is_stored_nfc_and_the_same_name(demo, tmp_path):
    nfd = unicodedata.normalize("NFD", "Åsa Öberg")
    assert nfd != "Åsa Öberg"
    path = write_csv(tmp_path / "r.csv", [HEADER, ["2001", nfd, "asa@nordbygg.example", "", "viewer", ""]])
    assert demo.cli("roster", "import", str(path)).code == 0
    entry = demo.cli("roster", "show", "asa@nordbygg.example", "-f", "json").json()
    assert entry["name"] == "Åsa Öberg"
    path = write_csv(
        tmp_path / "r2.csv", [HEADER, ["2001", "Åsa Öberg", "asa@nordbygg.example", "", "viewer", ""]]
    )
    r = demo.cli("roster", "import", str(path), "-f", "json")
    assert (r.json()["unchanged"], r.json()["updated"]) == (1, 0)


@pytest.mark.parametrize("hidden", ["\u202e", "\u2066", "\u200b", "\u200d", "\u2060", "\ufeff"])
def test_bidi_and_zero_width_characters_refused_in_names(demo, tmp_path, hidden):
    path = write_csv(
        tmp_path / "r.csv", [HEADER, ["2001", f"Eva{hidden}Lund", "eva@nordbygg.example", "", "viewer", ""]]
    )
    before = demo.snapshot()
    refused(
        demo,
        ["roster", "import", str(path)],
        3,
        f"{path}:2: name: name contains the invisible character",
        before,
    )


def test_bidi_in_customer_name_refused(demo, tmp_path):
    path = write_csv(
        tmp_path / "r.csv",
        [
            ["customer", "customer_name", "name", "email", "role"],
            ["7001", "Evil\u202eBA", "Kim", "k@e.example", "orderer"],
        ],
    )
    before = demo.snapshot()
    refused(demo, ["roster", "import", str(path)], 3, f"{path}:2: customer_name:", before)


# ------------------------------------------------------------------ one customer-number rule
def test_customer_number_with_leading_zero_refused(demo, tmp_path):
    path = write_csv(tmp_path / "r.csv", [HEADER, ["02001", "Eva", "eva@nordbygg.example", "", "viewer", ""]])
    before = demo.snapshot()
    message = f"{path}:2: customer: customer number 02001 has a leading zero; write 2001"
    refused(demo, ["roster", "import", str(path)], 3, message, before)


def test_customer_number_excel_float_accepted(demo, tmp_path):
    path = write_csv(
        tmp_path / "r.csv", [HEADER, ["2001.0", "Eva", "eva@nordbygg.example", "", "viewer", ""]]
    )
    assert demo.cli("roster", "import", str(path)).code == 0
    assert "eva@nordbygg.example" in emails(demo, "2001")


def test_replace_skip_invalid_row_naming_nobody_holds_every_removal(demo, tmp_path):
    path = write_csv(
        tmp_path / "r.csv",
        [HEADER, *NORDBYGG_KEEP, ["20x1", "Johan Dahl", "johan.dahl@@nordbygg", "", "viewer", "person"]],
    )
    r = demo.cli(
        "roster", "import", str(path), "--replace", "--yes", "--skip-invalid", "--dry-run", "-f", "json"
    )
    assert r.code == 0, r.stderr
    assert (r.json()["removed"], r.json()["removals_held"]) == (0, ["*"])
    assert "--replace removed nobody of every customer" in r.stderr


def test_dry_run_lists_the_removals_by_name(demo, tmp_path):
    path = write_csv(tmp_path / "r.csv", [HEADER, *NORDBYGG_KEEP])
    before = demo.snapshot()
    r = demo.cli("roster", "import", str(path), "--replace", "--yes", "--dry-run")
    assert r.code == 0, r.stderr
    assert "would remove Johan Dahl <johan.dahl@nordbygg.example> (customer 2001)" in r.stderr
    assert "would remove Växeln Nordbygg <vaxel@nordbygg.example> (customer 2001)" in r.stderr
    assert demo.snapshot() == before


# ------------------------------------------------------------------ customer import (same parsers)
def test_customer_import_same_number_rule_and_names(demo, tmp_path):
    path = write_csv(tmp_path / "c.csv", [["number", "name"], ["02001", "Nordbygg AB"]])
    before = demo.snapshot()
    message = f"{path}:2: number: customer number 02001 has a leading zero; write 2001"
    refused(demo, ["roster", "customer", "import", str(path)], 3, message, before)
    path = write_csv(tmp_path / "c2.csv", [["number", "name"], ["7001", "Ny\u200bKund"]])
    refused(demo, ["roster", "customer", "import", str(path)], 3, f"{path}:2: name:", before)
    nfd = unicodedata.normalize("NFD", "Kök & Bröd AB")
    path = write_csv(tmp_path / "c3.csv", [["number", "name"], ["7002.0", nfd]])
    r = demo.cli("roster", "customer", "import", str(path), "-f", "json")
    assert r.code == 0, r.stderr
    shown = demo.cli("roster", "customer", "show", "7002", "-f", "json").json()
    assert shown["name"] == "Kök & Bröd AB"


def test_customer_import_domain_of_another_customer_refused_in_dry_run_too(demo, tmp_path):
    path = write_csv(
        tmp_path / "c.csv", [["number", "name", "domains"], ["7003", "Ny AB", "nordbygg.example"]]
    )
    before = demo.snapshot()
    message = f"{path}:2: domains: nordbygg.example already belongs to customer 2001"
    refused(demo, ["roster", "customer", "import", str(path), "--dry-run"], 6, message, before)

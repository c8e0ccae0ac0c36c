"""--sheet and --delimiter reach every import command; stderr says which sheet was read."""

from __future__ import annotations

import openpyxl
import pytest


@pytest.fixture
def shop(env):
    from ops_cli.demo import fixture

    env.now = "2026-11-20T10:00"
    assert env.cli("roster", "customer", "import", str(fixture("customers.csv"))).code == 0
    assert env.cli("roster", "import", str(fixture("roster.xlsx"))).code == 0
    return env


def workbook(path, sheets):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


NOTES = [["Read me first"], ["nothing to import here"]]


def test_roster_import_reads_the_named_sheet_and_says_so(shop, tmp_path):
    rows = [["customer", "name", "email", "role"], [2001, "Eva Lund", "eva@nordbygg.example", "viewer"]]
    path = workbook(tmp_path / "r.xlsx", {"Notes": NOTES, "Roster": rows})
    r = shop.cli("roster", "import", str(path), "--sheet", "Roster", "-f", "json")
    assert r.code == 0, r.stderr
    assert r.json()["sheet"] == "Roster"
    assert f"read sheet 'Roster' of {path}" in r.stderr


def test_kpi_import_reads_the_named_sheet(shop, tmp_path):
    header = ["customer", "zone", "date", "attempts", "setups_ok", "established", "terminated_ok"]
    path = workbook(
        tmp_path / "k.xlsx", {"Notes": NOTES, "KPI": [header, [2001, "Testzon", "2026-10", 10, 9, 9, 9]]}
    )
    r = shop.cli("sla", "kpi", "import", str(path), "--sheet", "KPI", "-f", "json")
    assert r.code == 0, r.stderr
    assert r.json()["created"] == 1
    assert "read sheet 'KPI'" in r.stderr


def test_sub_import_reads_the_named_sheet(shop, tmp_path):
    rows = [["customer", "issi", "tei"], [1001, 2019100, "00000000000F100"]]
    path = workbook(tmp_path / "s.xlsx", {"Notes": NOTES, "Subs": rows})
    r = shop.cli("sub", "import", str(path), "--sheet", "Subs", "-f", "json")
    assert r.code == 0, r.stderr
    assert (r.json()["created"], r.json()["sheet"]) == (1, "Subs")


def test_customer_import_and_swap_add_take_the_sheet(shop, tmp_path):
    customers = [["number", "name"], [7001, "Ny Kund AB"]]
    path = workbook(tmp_path / "c.xlsx", {"Notes": NOTES, "Kunder": customers})
    r = shop.cli("roster", "customer", "import", str(path), "--sheet", "Kunder", "-f", "json")
    assert r.code == 0, r.stderr
    assert r.json()["created"] == 1
    units = [["customer", "model", "serial"], [2001, "Nokia XR21", "353912110000099"]]
    path = workbook(tmp_path / "u.xlsx", {"Notes": NOTES, "Units": units})
    r = shop.cli("swap", "add", "--file", str(path), "--sheet", "Units", "-f", "json")
    assert r.code == 0, r.stderr
    assert "read sheet 'Units'" in r.stderr


def test_unknown_sheet_exit_3_nothing_written(shop, tmp_path):
    rows = [["customer", "name", "email", "role"], [2001, "Eva Lund", "eva@nordbygg.example", "viewer"]]
    path = workbook(tmp_path / "r.xlsx", {"Roster": rows})
    before = shop.snapshot()
    r = shop.cli("roster", "import", str(path), "--sheet", "Nope")
    assert r.code == 3 and r.stderr.startswith("error: ")
    assert "Nope" in r.stderr
    assert shop.snapshot() == before


def test_delimiter_forced_for_semicolon_csv_with_commas_in_cells(shop, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(
        "customer;name;email;role\n2001;Dahl, Johan;jd@nordbygg.example;viewer\n", encoding="utf-8"
    )
    r = shop.cli("roster", "import", str(path), "--delimiter", ";", "-f", "json")
    assert r.code == 0, r.stderr
    entry = shop.cli("roster", "show", "jd@nordbygg.example", "-f", "json").json()
    assert entry["name"] == "Dahl, Johan"


def test_sub_change_reads_the_named_sheet(env, tmp_path):
    env.now = "2026-11-20T10:00"
    assert env.cli("init", "--demo").code == 0
    rows = [["issi", "new_tei"], [2010003, "00000000000F200"]]
    path = workbook(tmp_path / "o.xlsx", {"Notes": NOTES, "Order": rows})
    before = env.snapshot()
    args = ["sub", "change", str(path), "-c", "1001", "--by", "anna.berg@polisen.example", "--dry-run"]
    r = env.cli(*args, "--sheet", "Order", "-f", "json")
    assert r.code == 0, r.stderr
    assert r.json()["changes"] == 1
    assert env.snapshot() == before

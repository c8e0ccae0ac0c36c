"""KPI counts: import with row-level validation, list, and rates as a ratio of sums."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from ops_cli.demo import fixture
from ops_cli.sla import kpi
from ops_cli.sla.demo import load_demo
from ops_cli.sla.importing import import_kpi

HEADER = "customer,zone,date,attempts,setups_ok,established,terminated_ok\n"


@pytest.fixture
def store(ops):
    with ops.store.write() as st:
        for number, name, tier in (("2001", "Nordbygg AB", "gold"), ("2002", "Café Bönan", "bronze")):
            st.execute(
                "INSERT INTO customers (number, name, agreement, binding_until, sla_tier, created_at,"
                " updated_at)"
                " VALUES (?, ?, 'business', '2027-12-31', ?, '2026-01-01T00:00:00+00:00',"
                " '2026-01-01T00:00:00+00:00')",
                (number, name, tier),
            )
    return ops


def write_csv(tmp: Path, name: str, body: str, header: str = HEADER) -> Path:
    path = tmp / name
    path.write_text(header + body, encoding="utf-8")
    return path


def kpi_rows(env):
    return env.snapshot().get("kpi", [])


# ------------------------------------------------------------------ rates


def test_rates_are_percent_and_none_without_calls():
    assert kpi.rates(1000, 980, 950, 931) == {
        "attempts": 1000,
        "setups_ok": 980,
        "established": 950,
        "terminated_ok": 931,
        "cssr": 98.0,
        "ctsr": 98.0,
    }
    zero = kpi.rates(0, 0, 0, 0)
    assert zero["cssr"] is None and zero["ctsr"] is None


def test_summarize_is_a_ratio_of_sums_never_a_mean_of_percentages(store, env):
    # Day 1: 90 of 100 (90 %); day 2: 990 of 1000 (99 %). Mean of percentages 94.5 %,
    # ratio of sums 1080 / 1100 = 98.18 %.
    path = write_csv(
        env.tmp,
        "k.csv",
        "2001,Borås,2026-07-01,100,90,90,90\n2001,Borås,2026-07-02,1000,990,900,880\n",
    )
    import_kpi(store, path)
    rows = kpi.summarize(store, "2001", date(2026, 7, 1), date(2026, 9, 30))
    july, whole = rows
    assert july["month"] == "2026-07" and whole["month"] is None
    assert whole["period"] == "2026-07-01/2026-09-30"
    assert whole["attempts"] == 1100 and whole["setups_ok"] == 1080
    assert whole["cssr"] == pytest.approx(1080 / 1100 * 100)
    assert whole["cssr"] != pytest.approx((90.0 + 99.0) / 2)
    assert whole["ctsr"] == pytest.approx(970 / 990 * 100)


def test_summarize_months_zones_and_month_rows(store, env):
    path = write_csv(
        env.tmp,
        "k.csv",
        "2001,Göteborg,2026-07,50000,49500,49000,48900\n"
        "2001,Göteborg,2026-08-15,1000,990,980,975\n"
        "2001,Göteborg,2026-08-16,1000,970,960,950\n"
        "2001,Borås,2026-09-30,200,196,190,189\n"
        "2001,Borås,2026-10-01,999,1,1,1\n"
        "2002,Malmö,2026-07,1850,1811,1793,1768\n",
    )
    import_kpi(store, path)
    rows = kpi.summarize(store, "2001", date(2026, 7, 1), date(2026, 9, 30))
    got = [(r["zone"], r["month"], r["attempts"], r["setups_ok"]) for r in rows]
    assert got == [
        ("Borås", "2026-09", 200, 196),
        ("Borås", None, 200, 196),  # 2026-10-01 is outside the range
        ("Göteborg", "2026-07", 50000, 49500),
        ("Göteborg", "2026-08", 2000, 1960),
        ("Göteborg", None, 52000, 51460),
    ]
    # A range that covers only part of July leaves July's month row out, keeps day rows.
    part = kpi.summarize(store, "2001", date(2026, 7, 15), date(2026, 8, 15))
    assert [(r["zone"], r["month"], r["attempts"]) for r in part] == [
        ("Göteborg", "2026-08", 1000),
        ("Göteborg", None, 1000),
    ]
    assert kpi.summarize(store, "2001", date(2026, 9, 30), date(2026, 7, 1)) == []
    assert kpi.summarize(store, "9999", date(2026, 7, 1), date(2026, 9, 30)) == []


# ------------------------------------------------------------------ import


def test_import_the_demo_fixture_and_reimport_replaces_not_duplicates(store, env):
    r = env.cli("sla", "kpi", "import", str(fixture("kpi_2026q3.csv")), "-f", "json")
    assert r.code == 0, r.stderr
    first = r.json()
    assert (first["created"], first["updated"], first["unchanged"]) == (187, 0, 0)
    assert len(kpi_rows(env)) == 187
    again = env.cli("sla", "kpi", "import", str(fixture("kpi_2026q3.csv")), "-f", "json").json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 187)
    # A corrected delivery of one day replaces its counts.
    path = write_csv(env.tmp, "fix.csv", "2001,Borås,2026-08-15,500,499,498,497\n")
    fixed = env.cli("sla", "kpi", "import", str(path), "-f", "json").json()
    assert (fixed["created"], fixed["updated"], fixed["unchanged"]) == (0, 1, 0)
    assert fixed["rows"][0]["action"] == "updated"
    rows = [r for r in kpi_rows(env) if r[:3] == ("2001", "Borås", "2026-08-15")]
    assert len(rows) == 1 and rows[0][3:7] == (500, 499, 498, 497)
    assert len(kpi_rows(env)) == 187
    log = store.store.audit_log(5)
    assert log[0]["action"] == "kpi.import" and log[0]["after"]["updated"] == 1
    assert log[0]["before"]["updated"][0]["key"] == ["2001", "Borås", "2026-08-15"]


def test_demo_data_makes_boras_miss_gold_in_august_and_over_the_quarter(store):
    load_demo(store)
    assert load_demo(store)["unchanged"] == 187  # idempotent
    rows = {
        (r["zone"], r["month"]): r for r in kpi.summarize(store, "2001", date(2026, 7, 1), date(2026, 9, 30))
    }
    assert rows[("Borås", "2026-08")]["cssr"] < 98 and rows[("Borås", None)]["cssr"] < 98
    assert rows[("Borås", "2026-07")]["cssr"] >= 98 and rows[("Borås", "2026-09")]["cssr"] >= 98
    assert all(
        rows[("Göteborg", m)]["cssr"] >= 98 and rows[("Göteborg", m)]["ctsr"] >= 98
        for m in ("2026-07", "2026-08", "2026-09", None)
    )
    bronze = kpi.summarize(store, "2002", date(2026, 7, 1), date(2026, 9, 30))
    assert [r["month"] for r in bronze] == ["2026-07", "2026-08", "2026-09", None]
    assert all(r["cssr"] >= 97 and r["attempts"] >= 1000 for r in bronze)


def test_dry_run_writes_nothing(store, env):
    before = env.snapshot()
    r = env.cli("sla", "kpi", "import", str(fixture("kpi_2026q3.csv")), "--dry-run", "-f", "json")
    assert r.code == 0, r.stderr
    assert r.json()["created"] == 187 and r.json()["dry_run"] is True
    assert "nothing was written" in r.stderr
    assert env.snapshot() == before


def test_every_bad_row_is_reported_with_its_row_and_nothing_is_written(store, env):
    import_kpi(store, write_csv(env.tmp, "old.csv", "2001,Göteborg,2026-07-01,10,9,9,9\n"))
    path = write_csv(
        env.tmp,
        "bad.csv",
        "2001,Borås,2026-07-01,1000,990,980,970\n"  # row 2: fine
        "2001,Borås,2026-07-02,-5,0,0,0\n"  # 3
        "9999,Borås,2026-07-02,10,9,9,9\n"  # 4
        "2001,,2026-07-02,10,9,9,9\n"  # 5
        "2001,Borås,2026-13,10,9,9,9\n"  # 6
        "2001,Borås,yesterday,10,9,9,9\n"  # 7
        "2001,Borås,2026-07-03,10,11,9,9\n"  # 8
        "2001,Borås,2026-07-04,10,9,10,9\n"  # 9
        "2001,Borås,2026-07-05,10,9,8,9\n"  # 10
        "2001,Borås,2026-07-06,98.5%,9,8,7\n"  # 11
        "2001,Borås,2026-07-07,10.5,9,8,7\n"  # 12
        "2001,Borås,2026-07-01,10,9,8,7\n"  # 13: same key as row 2
        "2001,Göteborg,2026-07,10,9,8,7\n"  # 14: month row where day rows are stored
        "2001,Borås,2026-07-08,,9,8,7\n",  # 15
    )
    before = env.snapshot()
    r = env.cli("sla", "kpi", "import", str(path))
    assert r.code == 3
    lines = r.stderr.splitlines()
    assert lines[0] == f"error: {path}: 13 of 14 rows have problems; nothing was imported"
    expected = [
        f"  {path}:3: attempts: -5 is negative; counts are 0 or more",
        f"  {path}:4: customer: unknown customer 9999; add it first (`ops roster customer add`)",
        f"  {path}:5: zone: missing; give the SLA zone's name",
        f"  {path}:6: date: '2026-13' is not a month (use YYYY-MM, e.g. 2026-07)",
        f"  {path}:7: date: 'yesterday' is not a day (YYYY-MM-DD) or a month (YYYY-MM)",
        f"  {path}:8: setups_ok: 11 is more than attempts (10)",
        f"  {path}:9: established: 10 is more than setups_ok (9)",
        f"  {path}:10: terminated_ok: 9 is more than established (8)",
        f"  {path}:11: attempts: '98.5%' is not a whole number (counts, not percentages)",
        f"  {path}:12: attempts: '10.5' is not a whole number (counts, not percentages)",
        f"  {path}:13: date: 2001 / Borås / 2026-07-01 is already in row 2",
        f"  {path}:14: date: 2001 / Göteborg has day rows in 2026-07; give either day rows or one month row,"
        " not both",
        f"  {path}:15: attempts: missing; give a whole number of calls (0 or more)",
    ]
    assert lines[1:] == expected
    assert env.snapshot() == before
    dry = env.cli("sla", "kpi", "import", str(path), "--dry-run")
    assert dry.code == 3 and env.snapshot() == before


def test_file_level_problems(store, env):
    before = env.snapshot()
    missing = env.cli("sla", "kpi", "import", str(env.tmp / "nope.csv"))
    assert missing.code == 3 and "nope.csv" in missing.stderr
    no_col = write_csv(
        env.tmp,
        "cols.csv",
        "2001,Borås,2026-07-01,10,9,8\n",
        header="customer,zone,date,attempts,setups_ok,established\n",
    )
    r = env.cli("sla", "kpi", "import", str(no_col))
    assert r.code == 3 and "terminated_ok" in r.stderr
    assert env.snapshot() == before


def test_xlsx_with_excel_dates_serials_swedish_headers_and_month_rows(store, env):
    from openpyxl import Workbook

    path = env.tmp / "kpi.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["Kundnummer", "Zon", "Datum", "Attempts", "Setups OK", "Established", "Terminated OK"])
    ws.append([2001, "Göteborg", datetime(2026, 7, 1), 2600, 2580, 2560, 2550])  # a date cell
    ws.append([2001, "Göteborg", 46205, 2500, 2490, 2480, 2470])  # Excel serial 46205 = 2026-07-02
    ws.append(["2002", "Malmö", "2026-08", 2630, 2567, 2541, 2500])  # a month as text
    ws.append([2001, "Borås", "2026-07-03", 1000.0, 990.0, 980, 975])  # numbers read as floats
    wb.save(path)
    r = env.cli("sla", "kpi", "import", str(path), "-f", "json")
    assert r.code == 0, r.stderr
    assert [(x["customer"], x["period"]) for x in r.json()["rows"]] == [
        ("2001", "2026-07-01"),
        ("2001", "2026-07-02"),
        ("2002", "2026-08"),
        ("2001", "2026-07-03"),
    ]
    assert r.json()["rows"][3]["attempts"] == 1000


def test_xlsx_errors_use_the_sheet_row_numbers(store, env):
    from openpyxl import Workbook

    path = env.tmp / "bad.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["customer", "zone", "date", "attempts", "setups_ok", "established", "terminated_ok"])
    ws.append([2001, "Göteborg", datetime(2026, 7, 1), 100, 99, 98, 97])
    ws.append([2001, "Göteborg", datetime(2026, 7, 2), 100, 101, 98, 97])
    wb.save(path)
    before = env.snapshot()
    r = env.cli("sla", "kpi", "import", str(path))
    assert r.code == 3
    assert f"{path}:3: setups_ok: 101 is more than attempts (100)" in r.stderr
    assert env.snapshot() == before


# ------------------------------------------------------------------ list


def test_list_filters_and_rates(store, env):
    load_demo(store)
    r = env.cli(
        "sla",
        "kpi",
        "list",
        "--customer",
        "2001",
        "--zone",
        "Borås",
        "--from",
        "2026-08-30",
        "--to",
        "2026-09-01",
        "-f",
        "json",
    )
    assert r.code == 0, r.stderr
    rows = r.json()
    assert [x["period"] for x in rows] == ["2026-08-30", "2026-08-31", "2026-09-01"]
    first = rows[0]
    assert set(first) == {
        "customer",
        "zone",
        "period",
        "attempts",
        "setups_ok",
        "established",
        "terminated_ok",
        "cssr",
        "ctsr",
        "imported_at",
    }
    assert first["cssr"] == round(first["setups_ok"] / first["attempts"] * 100, 2)
    months = env.cli(
        "sla", "kpi", "list", "-c", "2002", "--from", "2026-08-01", "--to", "2026-09-30", "-f", "json"
    )
    assert [x["period"] for x in months.json()] == ["2026-08", "2026-09"]
    assert len(env.cli("sla", "kpi", "list", "-f", "json").json()) == 187
    table = env.cli("sla", "kpi", "list", "-c", "2002")
    assert table.code == 0 and "Malmö" in table.stdout


def test_list_bad_dates(store, env):
    r = env.cli("sla", "kpi", "list", "--from", "2026-09-30", "--to", "2026-07-01")
    assert r.code == 3 and "--to 2026-07-01 is before --from 2026-09-30" in r.stderr
    r = env.cli("sla", "kpi", "list", "--from", "july")
    assert r.code == 3 and "--from: 'july' is not a date" in r.stderr


def test_import_end_to_end(store, env):
    r = env.run("sla", "kpi", "import", str(fixture("kpi_2026q3.csv")))
    assert r.code == 0, r.stderr
    assert "imported" in r.stderr and "187 created" in r.stderr
    assert len(kpi_rows(env)) == 187

"""`ops report quarterly`: the rules with the seed's numbers, every output format, the edges."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from ops_cli import cases as case_core
from ops_cli import roster
from ops_cli.reports.quarterly import quarterly
from ops_cli.sla.importing import import_kpi

TZ = ZoneInfo("Europe/Stockholm")
FORMATS = (".json", ".csv", ".md", ".html", ".xlsx")
LISA = "lisa.ek@bonan.example"
HEADER = "customer,zone,date,attempts,setups_ok,established,terminated_ok\n"


def add_customers(ops) -> None:
    """Customers with each tier, and the bronze customer's people (through the roster core)."""
    for number, name, tier in (
        ("2001", "Nordbygg AB", "gold"),
        ("2002", "Café Bönan", "bronze"),
        ("3001", "Silver & Co", "silver"),
        ("1001", "Polisregion Syd", "none"),
    ):
        extra = {"agreement": "business", "binding_until": "2028-12-31"} if tier != "none" else {}
        roster.add_customer(ops, number, name=name, sla_tier=tier, **extra)
    roster.add_entry(ops, "2002", LISA, "Lisa Ek", ["orderer", "telephony", "contact"])
    roster.add_entry(ops, "2002", "kim.viewer@bonan.example", "Kim Ek", ["viewer"])
    roster.add_entry(ops, "2001", "per.falk@nordbygg.example", "Per Falk", ["telephony", "contact"])


def english(env) -> None:
    """The report in English: the default follows the desk's country (SE: Swedish)."""
    env.config.write_text('[report]\nlang = "en"\n', encoding="utf-8")


def import_rows(ops, tmp: Path, lines: list[str], name: str = "kpi.csv") -> None:
    path = tmp / name
    path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    import_kpi(ops, path)


def mean_passes_ratio_fails() -> list[str]:
    """Zone Borås: 100 % and 100 % in two small months, 95 % in a big one.

    Mean of the monthly CSSR = (100 + 100 + 95) / 3 = 98.33 % >= 98 (would pass);
    ratio of sums = (100 + 100 + 9500) / (100 + 100 + 10000) = 95.098 % (fails).
    Zone Göteborg passes every month and the quarter.
    """
    return [
        "2001,Borås,2026-07-10,100,100,100,100",
        "2001,Borås,2026-08-10,100,100,100,100",
        "2001,Borås,2026-09-10,10000,9500,9500,9500",
        "2001,Göteborg,2026-07,5000,4950,4950,4940",
        "2001,Göteborg,2026-08,5000,4960,4960,4950",
        "2001,Göteborg,2026-09,5000,4970,4970,4960",
    ]


@pytest.fixture
def seeded(env, ops):
    add_customers(ops)
    import_rows(ops, env.tmp, mean_passes_ratio_fails())
    env.now = "2026-10-05T09:00"
    english(env)
    return ops


# ------------------------------------------------------------------ the rules


def test_ratio_of_sums_fails_where_the_mean_of_months_would_pass(seeded):
    report = quarterly(seeded, "2001", "2026Q3")
    boras = next(z for z in report["zones"] if z["zone"] == "Borås")
    months = [m["cssr"] for m in boras["months"]]
    assert months == [100.0, 100.0, 95.0]
    assert sum(months) / 3 > 98.0  # the wrong method would pass
    assert boras["cssr"] == 95.09  # 9700 / 10200 = 95.098..., cut to two decimals
    assert boras["pass"] is False
    assert [m["pass"] for m in boras["months"]] == [True, True, False]
    assert boras["attempts"] == 10200
    gbg = next(z for z in report["zones"] if z["zone"] == "Göteborg")
    assert gbg["pass"] is True and gbg["cssr"] == 99.2  # 14880 / 15000
    assert report["zones_missed"] == ["Borås"]
    assert report["penalty"] == 10000.0  # gold: config penalty x 1 missed zone-quarter
    assert report["tier"] == "gold" and report["target"] == 98.0


def test_kpi_rows_outside_the_quarter_are_ignored(env, seeded):
    before = quarterly(seeded, "2001", "2026Q3")
    import_rows(
        seeded,
        env.tmp,
        [
            "2001,Borås,2026-06-30,100000,1,1,1",
            "2001,Borås,2026-10-01,100000,1,1,1",
            "2001,Göteborg,2026-06,100000,1,1,1",
            "2001,Göteborg,2025-08,100000,1,1,1",
            "2002,Borås,2026-08-01,100000,1,1,1",  # another customer
        ],
        "outside.csv",
    )
    after = quarterly(seeded, "2001", "2026Q3")
    assert after["zones"] == before["zones"]
    assert after["all_zones"]["attempts"] == 10200 + 15000


def test_bronze_has_no_penalty_and_its_own_target(env, seeded):
    import_rows(seeded, env.tmp, ["2002,Centrum,2026-08,1000,969,969,969"], "bronze.csv")
    report = quarterly(seeded, "2002", "2026Q3", ordered_by=LISA)
    assert report["target"] == 97.0
    assert report["zones"][0]["pass"] is False  # 96.9 < 97
    assert report["zones_missed"] == ["Centrum"]
    assert report["penalty"] == 0


def test_silver_at_exactly_the_target_passes(env, seeded):
    import_rows(seeded, env.tmp, ["3001,Syd,2026-07-01,1000,980,980,980"], "silver.csv")
    zone = quarterly(seeded, "3001", "2026Q3")["zones"][0]
    assert zone["cssr"] == 98.0 and zone["pass"] is True
    assert zone["months_without_data"] == ["2026-08", "2026-09"]


def test_a_quarter_without_kpi_rows_is_a_valid_report(env, seeded):
    run = env.cli("report", "quarterly", "--customer", "2001", "--quarter", "2026Q1", "--format", "json")
    assert run.code == 0, run.stderr
    data = run.json()
    assert data["zones"] == [] and data["penalty"] == 0
    assert data["note"] == "no KPI rows for customer 2001 in 2026Q1"
    text = env.cli("report", "quarterly", "--customer", "2001", "--quarter", "2026Q1")
    assert "Note: no KPI rows for customer 2001 in 2026Q1." in text.stdout
    for ext in FORMATS:
        out = env.tmp / f"empty{ext}"
        assert env.cli("report", "quarterly", "-c", "2001", "--quarter", "2026Q1", "-o", str(out)).code == 0
        assert out.stat().st_size > 0


# ------------------------------------------------------------------ fault cases


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def open_case(ops, customer: str, at: str, **kw):
    kw.setdefault("topic", "fault")
    kw.setdefault("subject", "Radio dead in zone")
    kw.setdefault("channel", "phone")
    return case_core.open_case(ops, customer=customer, reporter="per.falk@nordbygg.example", at=_at(at), **kw)


def test_case_figures_callbacks_and_repair_times(seeded):
    ops = seeded
    # Gold, critical: first callback due 2 support hours after the report (gold: around the clock).
    c1 = open_case(ops, "2001", "2026-08-03T10:00", critical=True, channel="sla")
    case_core.record_callback(ops, c1["number"], at=_at("2026-08-03T11:30"))  # due 12:00: on time
    case_core.record_callback(ops, c1["number"], at=_at("2026-08-03T16:10"))  # due 16:00: late
    case_core.close(ops, c1["number"], "replaced the base station card", at=_at("2026-08-03T16:30"))
    c2 = open_case(ops, "2001", "2026-09-01T08:00")
    case_core.close(ops, c2["number"], "fixed", at=_at("2026-09-01T12:00"))  # 4 h
    c3 = open_case(ops, "2001", "2026-09-10T08:00")
    case_core.close(ops, c3["number"], "fixed", at=_at("2026-09-11T08:00"))  # 24 h
    open_case(ops, "2001", "2026-09-20T08:00")  # still open
    open_case(ops, "2001", "2026-09-21T08:00", topic="invoice")  # not a fault case
    open_case(ops, "2001", "2026-10-01T08:00")  # next quarter

    cases = quarterly(ops, "2001", "2026Q3")["cases"]
    assert (cases["count"], cases["critical"], cases["closed"], cases["open"]) == (4, 1, 3, 1)
    assert cases["callbacks_due"] == 2 and cases["callbacks_on_time"] == 1
    assert cases["first_callback_on_time_pct"] == 100.0
    assert cases["all_callbacks_on_time_pct"] == 50.0
    assert cases["repair_hours_median"] == 6.5  # of 4, 6.5, 24
    assert cases["repair_hours_p90"] == 24.0
    assert [c["number"] for c in cases["list"]] == [
        c1["number"],
        c2["number"],
        c3["number"],
        cases["list"][3]["number"],
    ]


def test_repair_time_counts_only_the_tiers_support_hours(seeded):
    ops = seeded
    # Bronze: Mon-Fri 08-20, Sat 08-16. Friday 19:00 -> Monday 09:00 = 1 h + 8 h + 1 h.
    c = open_case(ops, "2002", "2026-09-04T19:00", subject="No calls")
    case_core.close(ops, c["number"], "fixed", at=_at("2026-09-07T09:00"))
    cases = quarterly(ops, "2002", "2026Q3", ordered_by=LISA)["cases"]
    assert cases["repair_hours_median"] == 10.0
    assert cases["hours"] == "support hours of tier bronze"


SENSITIVE = "Sensitive-subject-KESTREL"
SECRET = "Secret-subject-OSPREY"


def test_classified_case_text_is_absent_from_every_format(env, seeded):
    open_case(seeded, "2001", "2026-08-05T10:00", subject=SENSITIVE, classification="sensitive")
    open_case(seeded, "2001", "2026-08-06T10:00", subject=SECRET, classification="secret")
    open_case(seeded, "2001", "2026-08-07T10:00", subject="Plain subject")
    for fmt in ("table", "json", "csv", "md"):
        run = env.cli("report", "quarterly", "-c", "2001", "--quarter", "2026Q3", "-f", fmt)
        assert run.code == 0
        assert SENSITIVE not in run.stdout and SECRET not in run.stdout
    for ext in FORMATS:
        out = env.tmp / f"r{ext}"
        assert env.cli("report", "quarterly", "-c", "2001", "--quarter", "2026Q3", "-o", str(out)).code == 0
        body = _all_text(out)
        assert SENSITIVE not in body and SECRET not in body, ext
    report = quarterly(seeded, "2001", "2026Q3")
    assert report["cases"]["count"] == 3  # counted, not shown
    assert report["cases"]["secret_not_listed"] == 1
    assert [c["subject"] for c in report["cases"]["list"]] == ["(sensitive)", "Plain subject"]
    shown = env.cli(
        "report", "quarterly", "-c", "2001", "--quarter", "2026Q3", "-f", "md", "--include-classified"
    )
    assert SENSITIVE in shown.stdout and SECRET in shown.stdout


def _all_text(path: Path) -> str:
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    return path.read_text(encoding="utf-8-sig")


# ------------------------------------------------------------------ formats


CONTRACT = {"customer", "quarter", "tier", "target", "zones", "cases", "penalty"}


def test_json_has_the_contract_keys(env, seeded):
    run = env.cli("report", "quarterly", "--customer", "2001", "--quarter", "2026Q3", "--format", "json")
    assert run.code == 0, run.stderr
    data = run.json()
    assert CONTRACT <= set(data)
    assert (data["customer"], data["quarter"], data["tier"], data["target"]) == (
        "2001",
        "2026Q3",
        "gold",
        98.0,
    )
    for zone in data["zones"]:
        assert {"zone", "cssr", "ctsr", "pass", "months"} <= set(zone)
        assert isinstance(zone["pass"], bool)
        for month in zone["months"]:
            assert {"month", "cssr", "ctsr", "pass"} <= set(month)
    assert isinstance(data["cases"], dict) and data["penalty"] == 10000.0


def test_every_file_format_is_written_and_reads_back(env, seeded):
    paths = {}
    for ext in FORMATS:
        paths[ext] = env.tmp / f"report{ext}"
        run = env.cli("report", "quarterly", "-c", "2001", "--quarter", "2026Q3", "-o", str(paths[ext]))
        assert run.code == 0, run.stderr
        assert run.stdout == ""
        assert f"wrote {paths[ext]}" in run.stderr

    data = json.loads(paths[".json"].read_text(encoding="utf-8"))
    assert CONTRACT <= set(data) and data["zones_missed"] == ["Borås"]

    rows = list(csv.DictReader(io.StringIO(paths[".csv"].read_text(encoding="utf-8-sig"))))
    assert len(rows) == 8  # 2 zones x (3 months + the quarter)
    boras_q = next(r for r in rows if r["zone"] == "Borås" and r["period"] == "2026Q3")
    assert (boras_q["attempts"], boras_q["cssr"], boras_q["pass"]) == ("10200", "95.09", "no")

    md = paths[".md"].read_text(encoding="utf-8")
    assert md.startswith("# SLA report 2026Q3 · Nordbygg AB (2001)")
    assert "| Zone | Period | Attempts | CSSR % | CTSR % | Result |" in md
    assert "| **Q3 total** | **10,200** | **95.09** | **100.00** | **FAIL** |" in md

    html = paths[".html"].read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.count("<svg") == 2
    assert "http://" not in html and "https://" not in html
    assert "@media print" in html and "<script" not in html and "<link" not in html

    from openpyxl import load_workbook

    wb = load_workbook(paths[".xlsx"])
    assert wb.sheetnames == ["Summary", "Borås", "Göteborg"]
    summary = wb["Summary"]
    assert summary["A1"].value == "SLA report 2026Q3 · Nordbygg AB (2001)"
    assert summary.freeze_panes == "A5"
    assert summary.page_setup.orientation == "portrait"  # as the PDF
    assert summary.page_setup.fitToWidth == 1 and summary.sheet_properties.pageSetUpPr.fitToPage
    assert "&P" in summary.oddFooter.right.text
    assert summary._charts, "the summary sheet has a chart"
    boras = wb["Borås"]
    assert boras._charts and boras.freeze_panes == "A5"
    assert [c.value for c in boras[4]][:7] == [
        "Month",
        "Attempts",
        "Setups OK",
        "Established",
        "Terminated OK",
        "CSSR %",
        "CTSR %",
    ]
    assert boras["B7"].value == 10000 and boras["B7"].number_format == "#,##0"
    assert boras["F7"].value == 95.0 and boras["F7"].number_format == "0.00"
    assert boras["F8"].value == 95.09 and boras["I8"].value == "FAIL"


def test_written_twice_the_same_bytes_apart_from_the_generated_line(env, seeded):
    for ext in FORMATS:
        first, second, later = (env.tmp / f"{n}{ext}" for n in ("a", "b", "c"))
        for path, now in (
            (first, "2026-10-05T09:00"),
            (second, "2026-10-05T09:00"),
            (later, "2026-10-06T15:30"),
        ):
            assert (
                env.cli(
                    "report", "quarterly", "-c", "2001", "--quarter", "2026Q3", "-o", str(path), OPS_NOW=now
                ).code
                == 0
            )
        assert first.read_bytes() == second.read_bytes(), ext
        if ext == ".xlsx":
            a, c = zipfile.ZipFile(first), zipfile.ZipFile(later)
            differ = [n for n in a.namelist() if a.read(n) != c.read(n)]
            assert differ == ["xl/worksheets/sheet1.xml"]  # the summary's generated-at cell
            name = differ[0]
            stamp_a, stamp_c = b"2026-10-05T09:00:00+02:00", b"2026-10-06T15:30:00+02:00"
            assert a.read(name).replace(stamp_a, stamp_c) == c.read(name)
            assert [i.date_time for i in a.infolist()] == [i.date_time for i in c.infolist()]
        else:
            a_lines = first.read_text(encoding="utf-8-sig").splitlines()
            c_lines = later.read_text(encoding="utf-8-sig").splitlines()
            assert len(a_lines) == len(c_lines)
            changed = [(x, y) for x, y in zip(a_lines, c_lines, strict=True) if x != y]
            assert len(changed) <= 1, ext
            assert all("generated" in x.lower() for x, _ in changed)


def test_plain_text_when_piped_fits_80_columns(env, seeded):
    run = env.run("report", "quarterly", "--customer", "2001", "--quarter", "2026Q3")
    assert run.code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "SLA report 2026Q3 · Nordbygg AB (2001)"
    assert "\x1b[" not in run.stdout  # no colour codes in a pipe
    assert max(len(line) for line in lines) <= 80
    assert any(line.split()[:3] == ["Borås", "2026-07", "100"] for line in lines)
    assert "Penalty: 10,000 SEK — 1 zone missed the guaranteed level (Borås) × 10,000 SEK." in run.stdout


def test_csv_cells_are_formula_safe(env, ops):
    add_customers(ops)
    english(env)
    import_rows(ops, env.tmp, ["2001,=HYPERLINK(1),2026-08,100,99,99,99"])
    run = env.cli("report", "quarterly", "-c", "2001", "--quarter", "2026Q3", "-f", "csv")
    assert "'=HYPERLINK(1)" in run.stdout
    out = env.tmp / "f.xlsx"
    env.cli("report", "quarterly", "-c", "2001", "--quarter", "2026Q3", "-o", str(out))
    from openpyxl import load_workbook

    cell = load_workbook(out)["Summary"]["A5"]
    assert cell.value == "=HYPERLINK(1)" and cell.data_type == "s"


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("-c", "9999", "--quarter", "2026Q3"), 4, "error: customer 9999 not found"),
        (("-c", "1001", "--quarter", "2026Q3"), 6, "error: customer 1001 (Polisregion Syd) has no SLA tier"),
        (("-c", "2001", "--quarter", "2026-3"), 3, "error: --quarter: '2026-3' is not a quarter; use YYYYQn"),
        (
            ("-c", "2001", "--quarter", "2026Q5"),
            3,
            "error: --quarter: '2026Q5' is out of range (years 2000-9998",
        ),
        (
            ("-c", "2001", "--quarter", "9999Q1"),
            3,
            "error: --quarter: '9999Q1' is out of range (years 2000-9998",
        ),
        (
            ("-c", "2001", "--quarter", "0000Q1"),
            3,
            "error: --quarter: '0000Q1' is out of range (years 2000-9998",
        ),
        (("-c", "2001", "--quarter", "2026Q3", "-o", "report.docx"), 3, "unknown report file type '.docx'"),
        (("-c", "2001", "--quarter", "2026Q3", "-o", "nowhere/r.md"), 3, "the folder nowhere does not exist"),
    ],
)
def test_bad_input_exits_with_the_code_and_changes_nothing(env, seeded, args, code, message):
    before = env.snapshot()
    run = env.cli("report", "quarterly", *args)
    assert run.code == code
    assert message in run.stderr
    assert env.snapshot() == before
    assert not (env.tmp / "report.docx").exists()


def test_quarter_last_and_current(env, seeded):
    last = env.cli("report", "quarterly", "-c", "2001", "--quarter", "last", "-f", "json")  # now 2026-10-05
    assert last.code == 0 and last.json()["quarter"] == "2026Q3" and last.json()["zones_missed"] == ["Borås"]
    current = env.cli("report", "quarterly", "-c", "2001", "--quarter", "current", "-f", "json")
    assert current.code == 0 and current.json()["quarter"] == "2026Q4"


def test_missing_options_are_usage_errors(env, seeded):
    before = env.snapshot()
    run = env.cli("report", "quarterly", "--customer", "2001")
    assert run.code == 2
    assert "Missing option '--quarter'" in run.stderr
    assert env.snapshot() == before


def test_tier_not_in_config_is_refused(env, seeded):
    with seeded.store.write() as st:
        st.execute("UPDATE customers SET sla_tier = 'platinum' WHERE number = '3001'")
    run = env.cli("report", "quarterly", "-c", "3001", "--quarter", "2026Q3")
    assert run.code == 6
    assert "SLA tier 'platinum', which the config does not define" in run.stderr


def test_rich_terminal_rendering_fits_80_columns(seeded):
    from rich.console import Console

    from ops_cli.reports.terminal import renderables

    open_case(seeded, "2001", "2026-08-05T10:00", subject="A rather long subject line " * 4)
    console = Console(file=io.StringIO(), width=80, no_color=True, force_terminal=False)
    for item in renderables(quarterly(seeded, "2001", "2026Q3")):
        console.print(item)
    text = console.file.getvalue()
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "SLA report 2026Q3 · Nordbygg AB (2001)" in text
    assert "Q3 total" in text and "FAIL" in text and "PASS" in text
    assert "Penalty: 10,000 SEK" in text


def test_the_readme_command_on_the_demo_store(env):
    assert env.run("init", "--demo").code == 0
    run = env.run("report", "quarterly", "--customer", "2001", "--quarter", "2026Q3")
    assert run.code == 0, run.stderr
    # The demo desk is Swedish (calendar.country = "SE"), so the report is in Swedish.
    assert run.stdout.startswith("SLA-rapport 2026Q3 · Nordbygg AB (2001)\n")
    english = env.run("report", "quarterly", "--customer", "2001", "--quarter", "2026Q3", "--lang", "en")
    assert english.stdout.startswith("SLA report 2026Q3 · Nordbygg AB (2001)\n")
    bronze = ("report", "quarterly", "--customer", "2002", "--quarter", "2026Q3", "-f", "json")
    data = env.run(*bronze, "--ordered-by", "lisa.ek@bonan.example").json()
    assert data["tier"] == "bronze" and data["zones"] and data["penalty"] == 0
    assert data["order"]["ordered_by"] == "lisa.ek@bonan.example"

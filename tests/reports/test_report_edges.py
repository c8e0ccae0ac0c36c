"""Edges found by using `ops report quarterly` as a desk manager would (reports-qa pass):
a report without KPI data, long zone and customer names in the PDF, many zones in the bar
chart, and the case list's status in the report's language."""

from __future__ import annotations

from importlib import resources

import pytest
from test_report_pdf import pages_of
from test_report_quarterly import add_customers, import_rows, mean_passes_ratio_fails

from ops_cli import roster

Q3 = ("report", "quarterly", "-c", "2001", "--quarter", "2026Q3")
LONG_ZONE = "Västra Götalandsregionens Norra Skärgård och Inland Öster"
LONG_NAME = (
    "Kommunalförbundet Räddningstjänsten Storgöteborg och Västra Ålands Skärgårdsområde"
    " med Nordöstra Distriktet AB"
)


@pytest.fixture
def customers(env, ops):
    add_customers(ops)
    env.now = "2026-10-05T09:00"
    return ops


def pieces(path, page: int = 0) -> list[tuple[str, float, float, float]]:
    """The PDF page's text pieces: (text, x mm, baseline y pt, font size pt)."""
    from pypdf import PdfReader

    found: list[tuple[str, float, float, float]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            scale = tm[0] * cm[0] or 1.0
            found.append(
                (
                    text.strip(),
                    (tm[4] * cm[0] + cm[4]) * 25.4 / 72,
                    round(tm[5] * cm[3] + cm[5], 1),
                    size * scale,
                )
            )

    PdfReader(str(path)).pages[page].extract_text(visitor_text=visit)
    return found


def width_mm(text: str, size_pt: float, bold: bool = False) -> float:
    """The printed width of ``text`` in the report's own font (DejaVu Sans)."""
    from fpdf import FPDF

    pdf = FPDF()
    font = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    pdf.add_font("D", "", str(resources.files("ops_cli.reports").joinpath("fonts", font)))
    pdf.set_font("D", "", size_pt)
    return pdf.get_string_width(text)


# ------------------------------------------------------------------ no KPI data


def test_a_gold_report_without_kpi_data_does_not_claim_every_zone_met_the_guarantee(env, customers):
    """No KPI rows: there is no zone to assess, so "every zone met the guaranteed level" (and
    "1 of 0 zones") would mislead the customer; the penalty line says there was no data."""
    run = env.cli(*Q3, "--lang", "en")
    assert run.code == 0, run.stderr
    text = " ".join(run.stdout.split())
    assert "every zone met" not in text
    assert "Penalty: 0 SEK — no KPI data for the quarter: no zone could be assessed." in text
    sv = " ".join(env.cli(*Q3, "--lang", "sv").stdout.split())
    assert "Vite: 0 SEK — inga KPI-data för kvartalet: ingen zon kunde bedömas." in sv
    assert env.cli(*Q3, "-f", "json").json()["penalty"] == 0


def test_a_silver_report_without_kpi_data_says_so(env, customers):
    run = env.cli("report", "quarterly", "-c", "3001", "--quarter", "2026Q3", "--lang", "en")
    assert run.code == 0, run.stderr
    text = " ".join(run.stdout.split())
    assert "Every zone met the target" not in text
    assert "No KPI data for the quarter: no zone could be assessed (tier silver carries no penalty)." in text


# ------------------------------------------------------------------ the PDF's geometry


def test_a_long_zone_name_wraps_inside_its_column(env, customers):
    """A 56-character zone name printed over the Period column; it now wraps onto the zone's
    next rows, every piece inside the zone column (44 mm from the left margin, 15 mm)."""
    import_rows(customers, env.tmp, [f"2001,{LONG_ZONE},2026-07,1000,990,990,990"])
    out = env.tmp / "r.pdf"
    assert env.cli(*Q3, "--lang", "sv", "-o", str(out)).code == 0
    every = "\n".join(pages_of(out))
    assert "juli 2026 1 000 99,00 100,00 godkänd" in every
    words = set(LONG_ZONE.split())
    page = next(i for i, p in enumerate(pages_of(out)) if "KPI per zon" in p)
    zone_pieces = [p for p in pieces(out, page) if set(p[0].split()) <= words and p[1] < 20]
    assert " ".join(p[0] for p in zone_pieces).endswith(LONG_ZONE)  # the table's cells, in order
    for text, x, _y, size in zone_pieces:
        assert x + width_mm(text, size) <= 15 + 44, text


def test_a_long_customer_name_never_runs_into_the_running_header(env, customers):
    roster.add_customer(
        customers, "3005", name=LONG_NAME, sla_tier="gold", agreement="business", binding_until="2028-12-31"
    )
    out = env.tmp / "r.pdf"
    run = env.cli("report", "quarterly", "-c", "3005", "--quarter", "2026Q3", "--lang", "sv", "-o", str(out))
    assert run.code == 0, run.stderr
    top = max(p[2] for p in pieces(out))
    head = sorted((p for p in pieces(out) if p[2] == top), key=lambda p: p[1])
    left, right = head[0], head[-1]
    assert right[0] == "SLA-rapport 2026Q3"
    assert left[1] + width_mm(left[0], left[3]) < right[1]
    assert left[0].endswith("(3005)")  # the number is kept when the name is shortened


def test_thirty_zones_keep_their_names_under_the_bars(env, customers):
    """With 30 zones a slot is 5.6 mm: the names were cut to "Z…"; now they stand upright."""
    lines = [
        f"2001,Zon {i:02d},2026-{m:02d},1000,{970 if i % 3 == 0 else 990},960,960"
        for i in range(1, 31)
        for m in (7, 8, 9)
    ]
    import_rows(customers, env.tmp, lines)
    out = env.tmp / "r.pdf"
    assert env.cli(*Q3, "--lang", "sv", "-o", str(out)).code == 0
    first = pages_of(out)[0]
    assert "Z…" not in first
    for i in range(1, 31):
        assert f"Zon {i:02d}" in first  # panels show only zones 1-6 on page 1: the rest are bar labels
    assert "Sida 1 av" in first


def test_few_zones_keep_their_labels_level(env, customers):
    import_rows(customers, env.tmp, mean_passes_ratio_fails())
    out = env.tmp / "r.pdf"
    assert env.cli(*Q3, "--lang", "sv", "-o", str(out)).code == 0
    labels = [p for p in pieces(out) if p[0] in ("Borås", "Göteborg")]
    assert labels and all(p[3] > 0 for p in labels)


# ------------------------------------------------------------------ words


def test_the_case_status_is_in_the_reports_language(env, customers):
    import_rows(customers, env.tmp, mean_passes_ratio_fails())
    opened = env.cli(
        "case",
        "open",
        "-c",
        "2001",
        "--reporter",
        "per.falk@nordbygg.example",
        "-t",
        "fault",
        "--subject",
        "Basstation nere",
        "--at",
        "2026-08-03T10:00",
    )
    assert opened.code == 0, opened.stderr
    out = env.tmp / "r.pdf"
    assert env.cli(*Q3, "--lang", "sv", "-o", str(out)).code == 0
    every = "\n".join(pages_of(out))
    assert "Basstation nere" in every
    # case, opened, crit (no), status, repair time (still open), subject
    assert "2026-00001 2026-08-03 10:00 öppet öppet Basstation nere" in every
    assert " open " not in every
    da = env.tmp / "r.da.pdf"
    assert env.cli(*Q3, "--lang", "da", "-o", str(da)).code == 0
    assert "2026-00001 2026-08-03 10:00 åben åben Basstation nere" in "\n".join(pages_of(da))
    en = env.tmp / "r.en.pdf"
    assert env.cli(*Q3, "--lang", "en", "-o", str(en)).code == 0
    assert "2026-00001 2026-08-03 10:00 open open Basstation nere" in "\n".join(pages_of(en))


# ------------------------------------------------------------------ xlsx sheet names


def test_zone_sheet_names_are_valid_for_excel(env, customers):
    """Sheet names: at most 31 characters, none of []:*?/\\, unique ignoring case, and never
    "History" (Excel reserves it and 'repairs' the workbook); read back with calamine."""
    from python_calamine import CalamineWorkbook

    long = "L" * 40
    import_rows(
        customers,
        env.tmp,
        [
            f"2001,{zone},2026-07,100,99,99,99"
            for zone in ("A/B:C?*[x]", "History", "Summary", f"{long}1", f"{long}2")
        ],
    )
    out = env.tmp / "r.xlsx"
    assert env.cli(*Q3, "--lang", "en", "-o", str(out)).code == 0
    names = CalamineWorkbook.from_path(str(out)).sheet_names
    assert names[0] == "Summary"
    assert "History" not in names and "History (2)" in names
    assert "A-B-C---x-" in names and "Summary (2)" in names
    assert f"{'L' * 31}" in names and f"{'L' * 27} (2)" in names
    assert all(len(n) <= 31 for n in names)
    assert len({n.lower() for n in names}) == len(names)


# ------------------------------------------------------------------ due, quality as PDF


def test_the_due_pdf_shows_each_penalty_whole(env, customers):
    """`report due -o due.pdf` cut the detail column to "CSSR 95.09 / CTSR 10…": the amount to
    pay was lost. Cells now wrap. Borås: 9700 / 10200 = 95.09 %, gold penalty 10,000 SEK."""
    import_rows(customers, env.tmp, mean_passes_ratio_fails())
    out = env.tmp / "due.pdf"
    run = env.cli("report", "due", "--quarter", "2026Q3", "-o", str(out))
    assert run.code == 0, run.stderr
    text = " ".join(" ".join(pages_of(out)).split())
    assert "…" not in text
    assert "CSSR 95.09 / CTSR 100.00 < 98.00; pay 10,000 SEK" in text
    assert "Page 1 of 1" in text


def test_a_long_customer_name_wraps_in_the_quality_pdf_title(env, customers):
    roster.add_customer(
        customers, "3005", name=LONG_NAME, sla_tier="gold", agreement="business", binding_until="2028-12-31"
    )
    out = env.tmp / "q.pdf"
    run = env.cli(
        "report", "quality", "-c", "3005", "--from", "2026-07-01", "--to", "2026-09-30", "-o", str(out)
    )
    assert run.code == 0, run.stderr
    assert LONG_NAME in " ".join(" ".join(pages_of(out)).split())
    for text, x, _y, size in pieces(out):
        assert x + width_mm(text, size, bold=size > 11) <= 210 - 15 + 0.5, text


# ------------------------------------------------------------------ the README picture


def test_the_page1_script_still_runs(tmp_path):
    """docs/render_page1.py called `report quarterly -q 2026Q3`; `-q` is now the global --quiet,
    so the script failed with exit 2. It uses --quarter."""
    import subprocess
    import sys
    from pathlib import Path

    pytest.importorskip("pypdfium2")
    script = Path(__file__).resolve().parents[2] / "docs" / "render_page1.py"
    png = tmp_path / "page1.png"
    run = subprocess.run([sys.executable, str(script), "--png", str(png)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert png.read_bytes().startswith(b"\x89PNG")


# ------------------------------------------------------------------ the send window's last day


def test_a_send_window_to_day_31_ends_on_a_short_months_last_day(env, customers):
    """sla.report_send_to_day = 31 is a valid setting, but April has 30 days: the 2026Q1 report
    crashed with an internal error (exit 1). The window now ends on the month's last day."""
    env.config.write_text('[sla]\nreport_send_to_day = 31\n[report]\nlang = "en"\n', encoding="utf-8")
    q1 = ("report", "quarterly", "--quarter", "2026Q1")
    run = env.cli(*q1, "-c", "2001", "-f", "json")
    assert run.code == 0, run.stderr
    assert run.json()["send_window"] == ["2026-04-05", "2026-04-30"]
    due = env.cli("report", "due", "--quarter", "2026Q1", "-f", "json")
    assert due.code == 0, due.stderr
    assert due.json()["send"][0]["send_to"] == "2026-04-30"
    env.now = "2026-06-30T10:00"  # inside June's window (5th to 30th)
    order = env.cli(*q1, "-c", "2002", "--ordered-by", "lisa.ek@bonan.example", "-f", "json")
    assert order.code == 0, order.stderr
    assert order.json()["report_date"] == "2026-06-30"


def test_a_send_window_from_day_31_starts_on_a_short_months_last_day(env, customers):
    env.config.write_text("[sla]\nreport_send_from_day = 31\nreport_send_to_day = 31\n", encoding="utf-8")
    env.now = "2026-05-02T10:00"  # a late 2026Q1 order: May's window is the 31st
    order = env.cli(
        "report",
        "quarterly",
        "--quarter",
        "2026Q1",
        "-c",
        "2002",
        "--ordered-by",
        "lisa.ek@bonan.example",
        "-f",
        "json",
    )
    assert order.code == 0, order.stderr
    assert order.json()["send_window"] == ["2026-04-30", "2026-04-30"]
    assert order.json()["report_date"] == "2026-05-31"
    env.now = "2026-06-30T10:00"  # June has no 31st: its window is the 30th
    assert (
        env.cli(
            "report",
            "quarterly",
            "--quarter",
            "2026Q2",
            "-c",
            "2002",
            "--ordered-by",
            "lisa.ek@bonan.example",
            "-f",
            "json",
        ).json()["report_date"]
        == "2026-07-31"
    )


# ------------------------------------------------------------------ -f jsonl


def test_jsonl_is_the_report_on_one_line(env, customers):
    """`-f jsonl` is offered by the option's help; `report quarterly -f jsonl` was an internal
    error (exit 1, KeyError). It is the JSON report as one compact line."""
    import json

    import_rows(customers, env.tmp, mean_passes_ratio_fails())
    run = env.cli(*Q3, "-f", "jsonl")
    assert run.code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0]) == env.cli(*Q3, "-f", "json").json()
    assert "internal error" not in run.stderr


def test_jsonl_of_quality_and_delivery_is_json_lines_only(env, customers):
    """`report quality -f jsonl` printed its title line first and `report delivery -f jsonl`
    its summary line last, on stdout: a script reading JSON Lines failed on them."""
    import json

    for args in (
        ("report", "quality", "-c", "2001", "--from", "2026-07-01", "--to", "2026-09-30"),
        ("report", "delivery", "--from", "2026-01-01", "--to", "2026-12-31"),
        ("report", "due", "--quarter", "2026Q3"),
    ):
        run = env.cli(*args, "-f", "jsonl")
        assert run.code == 0, run.stderr
        for line in run.stdout.splitlines():
            assert isinstance(json.loads(line), dict), (args, line)
    quality = env.cli(
        "report", "quality", "-c", "2001", "--from", "2026-07-01", "--to", "2026-09-30", "-f", "jsonl"
    )
    assert json.loads(quality.stdout.splitlines()[0]) == {"section": "cases", "item": "opened", "value": 0}


def test_a_zone_name_longer_than_its_month_rows_ends_in_an_ellipsis(env, customers):
    """The bold quarter line keeps its zone cell empty (bold text was wider than the cut)."""
    name = " ".join(["Långtnamn"] * 30)
    import_rows(customers, env.tmp, [f"2001,{name},2026-07,1000,990,990,990"])
    out = env.tmp / "r.pdf"
    assert env.cli(*Q3, "--lang", "sv", "-o", str(out)).code == 0
    page = next(i for i, p in enumerate(pages_of(out)) if "KPI per zon" in p)
    found = pieces(out, page)
    total_y = next(p[2] for p in found if p[0].startswith("Q3 totalt"))
    zone = [p for p in found if p[1] < 20 and p[0].startswith("Långtnamn")]
    assert len(zone) == 3 and zone[-1][0].endswith("…")
    assert all(p[2] != total_y for p in zone)
    for text, x, _y, size in zone:
        assert x + width_mm(text, size) <= 15 + 44, text


# ------------------------------------------------------------------ characters the font lacks


def test_characters_the_pdf_font_lacks_print_as_a_visible_mark(env, customers):
    """An emoji or a CJK character in a case subject or zone name was dropped from the PDF
    without a trace (fpdf2 logged "Font ... is missing the following glyphs" on stderr).
    They now print as U+FFFD, so the reader sees that something was there."""
    import_rows(customers, env.tmp, ["2001,Zon 📡,2026-07,1000,990,990,990"])
    opened = env.cli(
        "case", "open", "-c", "2001", "--reporter", "per.falk@nordbygg.example", "-t", "fault",
        "--subject", "Telefon 📞 trasig 東京", "--at", "2026-08-03T10:00",
    )  # fmt: skip
    assert opened.code == 0, opened.stderr
    out = env.tmp / "r.pdf"
    run = env.run(*Q3, "--lang", "sv", "-o", str(out))
    assert run.code == 0, run.stderr
    assert "missing the following glyphs" not in run.stderr
    every = "\n".join(pages_of(out))
    assert "Telefon \ufffd trasig \ufffd\ufffd" in every
    assert "Zon \ufffd" in every

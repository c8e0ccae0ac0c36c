"""`ops report quarterly -o report.pdf` (issue 15): a print-ready A4 PDF. Read back with pypdf:
every page's text (running header, "page n of m"), zone blocks never split, the penalty with
the summary, Swedish words and numbers, embedded fonts."""

from __future__ import annotations

import re

import pytest
from test_report_quarterly import add_customers, import_rows, mean_passes_ratio_fails

Q3 = ("report", "quarterly", "-c", "2001", "--quarter", "2026Q3")
NBSP = "\u00a0"


def pages_of(path) -> list[str]:
    from pypdf import PdfReader

    return [p.extract_text().replace(NBSP, " ") for p in PdfReader(str(path)).pages]


@pytest.fixture
def seeded(env, ops):
    add_customers(ops)
    import_rows(ops, env.tmp, mean_passes_ratio_fails())
    env.now = "2026-10-05T09:00"
    return ops


def many_zones(count: int = 16) -> list[str]:
    """Zone Z01..Z16, each month with attempts 1000*i + month (unique per zone): the table runs
    over pages. Zone i's quarter total of attempts is 3000*i + 7+8+9."""
    lines = []
    for i in range(1, count + 1):
        for month in (7, 8, 9):
            n = 1000 * i + month
            lines.append(f"2001,Z{i:02d},2026-{month:02d},{n},{n},{n},{n}")
    return lines


def test_swedish_pdf_every_page_has_the_customer_and_page_n_of_m(env, seeded):
    out = env.tmp / "report.pdf"
    run = env.cli(*Q3, "--lang", "sv", "-o", str(out))
    assert run.code == 0, run.stderr
    assert f"wrote {out} (pdf," in run.stderr and run.stdout == ""
    assert out.read_bytes().startswith(b"%PDF-")
    pages = pages_of(out)
    assert len(pages) >= 2
    for n, text in enumerate(pages, start=1):
        assert "Nordbygg AB (2001)" in text and "SLA-rapport 2026Q3" in text
        assert f"Sida {n} av {len(pages)}" in text
    every = "\n".join(pages)
    assert "1 juli – 30 sep. 2026 · nivå gold · garanterat 98,00 % för CSSR och CTSR" in every
    assert "sep. 2026 10 000 95,00 100,00 EJ GODKÄND" in every  # month names, decimal commas
    assert "Q3 totalt 10 200 95,09 100,00 EJ GODKÄND" in every
    assert "juli aug. sep." in every  # the monthly chart's axis
    assert "95.09" not in every and "10,200" not in every


def test_the_penalty_is_on_the_page_with_the_summary(env, seeded):
    out = env.tmp / "report.pdf"
    assert env.cli(*Q3, "--lang", "en", "-o", str(out)).code == 0
    first = " ".join(pages_of(out)[0].split())  # a wrapped line reads as one
    assert "Summary" in first
    assert "Penalty 10,000 SEK — 1 zone missed the guaranteed level (Borås) × 10,000 SEK." in first
    assert "Page 1 of" in first


def test_a_zone_is_never_split_from_its_total_nor_a_header_left_alone(env, seeded):
    import_rows(seeded, env.tmp, many_zones(), name="zones.csv")
    out = env.tmp / "zones.pdf"
    run = env.cli(*Q3, "--lang", "sv", "-o", str(out))
    assert run.code == 0, run.stderr
    pages = pages_of(out)
    assert len(pages) >= 3
    header = "Zon Period Försök CSSR % CTSR % Resultat"
    table_pages = [i for i, p in enumerate(pages) if header in p]
    assert len(table_pages) >= 2, "the KPI table runs over pages and repeats its header"
    for i in range(1, 17):
        first_month = f"Z{i:02d} juli 2026 {1000 * i + 7:,}".replace(",", " ")
        total = f"Q3 totalt {3000 * i + 24:,}".replace(",", " ")
        where = [n for n, p in enumerate(pages) if first_month in p]
        assert len(where) == 1, first_month
        assert total in pages[where[0]], f"zone Z{i:02d} split from its total"
        assert f"sep. 2026 {1000 * i + 9:,}".replace(",", " ") in pages[where[0]]
    for n in table_pages:  # a header is always followed by a zone's rows on the same page
        after = pages[n].split(header)[-1]
        assert re.search(r"Z\d\d juli 2026", after), f"header alone on page {n + 1}"


def test_fonts_are_embedded_and_the_text_is_selectable(env, seeded):
    from pypdf import PdfReader

    out = env.tmp / "report.pdf"
    assert env.cli(*Q3, "--lang", "da", "-o", str(out)).code == 0
    reader = PdfReader(str(out))
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert "DejaVu" in font["/BaseFont"]
            descendant = font["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in descendant["/FontDescriptor"]  # the TrueType program is in the file
    every = "\n".join(pages_of(out))
    assert "IKKE BESTÅET" in every and "Side 1 af" in every and "Sammenfatning" in every
    assert reader.metadata["/Title"] == "SLA-rapport 2026Q3 · Nordbygg AB (2001)"


def test_a_quarter_without_kpi_data_is_a_valid_pdf(env, seeded):
    out = env.tmp / "empty.pdf"
    run = env.cli("report", "quarterly", "-c", "3001", "--quarter", "2026Q3", "--lang", "en", "-o", str(out))
    assert run.code == 0, run.stderr
    pages = pages_of(out)
    assert "Note: no KPI rows for customer 3001 in 2026Q3." in pages[0]
    assert "Silver & Co (3001)" in pages[0] and f"Page 1 of {len(pages)}" in pages[0]


def test_the_same_report_gives_the_same_pdf_bytes(env, seeded):
    a, b = env.tmp / "a.pdf", env.tmp / "b.pdf"
    assert env.cli(*Q3, "-o", str(a)).code == 0
    assert env.cli(*Q3, "-o", str(b)).code == 0
    assert a.read_bytes() == b.read_bytes()


def test_the_readme_picture_script_renders_page_1(env, seeded):
    """docs/render_page1.py (dev-only, pypdfium2) turns a report's first page into a PNG."""
    import subprocess
    import sys
    from pathlib import Path

    pytest.importorskip("pypdfium2")
    pdf, png = env.tmp / "report.pdf", env.tmp / "page1.png"
    assert env.cli(*Q3, "-o", str(pdf)).code == 0
    script = Path(__file__).resolve().parents[2] / "docs" / "render_page1.py"
    run = subprocess.run(
        [sys.executable, str(script), "--pdf", str(pdf), "--png", str(png)], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert png.read_bytes().startswith(b"\x89PNG")

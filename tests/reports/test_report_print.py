"""The printed report (issue 15): --lang for xlsx and HTML, the xlsx print settings (read back
with openpyxl), the HTML print CSS, and quality/delivery/due as .xlsx, .html and .pdf."""

from __future__ import annotations

import pytest
from test_report_pdf import pages_of
from test_report_quarterly import add_customers, english, import_rows, mean_passes_ratio_fails

Q3 = ("report", "quarterly", "-c", "2001", "--quarter", "2026Q3")
NBSP = "\u00a0"


@pytest.fixture
def seeded(env, ops):
    add_customers(ops)
    import_rows(ops, env.tmp, mean_passes_ratio_fails())
    env.now = "2026-10-05T09:00"
    return ops


def test_swedish_xlsx_words_months_and_print_setup(env, seeded):
    from openpyxl import load_workbook

    out = env.tmp / "rapport.xlsx"
    run = env.cli(*Q3, "--lang", "sv", "-o", str(out))
    assert run.code == 0, run.stderr
    wb = load_workbook(out)
    assert wb.sheetnames == ["Sammanfattning", "Borås", "Göteborg"]
    summary = wb["Sammanfattning"]
    assert summary["A1"].value == "SLA-rapport 2026Q3 · Nordbygg AB (2001)"
    assert [c.value for c in summary[4]] == [
        "Zon",
        "Försök",
        "Uppkopplade",
        "Etablerade",
        "Avslutade OK",
        "CSSR %",
        "CTSR %",
        "Mål %",
        "Resultat",
    ]
    assert summary["A7"].value == "Alla zoner" and summary["I5"].value == "EJ GODKÄND"
    # The penalty right under the table (row 7 = all zones), on the summary's page.
    assert summary["A8"].value is None
    assert summary["A9"].value.startswith(f"Vite: 10{NBSP}000 SEK — 1 zon nådde inte")
    boras = wb["Borås"]
    assert [boras[f"A{r}"].value for r in range(5, 9)] == [
        "juli 2026",
        "aug. 2026",
        "sep. 2026",
        "2026Q3 totalt",
    ]
    assert boras["B7"].value == 10000 and boras["B7"].number_format == "#,##0"  # numbers stay numbers
    for ws in wb.worksheets:
        setup = ws.page_setup
        assert setup.orientation == "portrait" and int(setup.paperSize) == int(ws.PAPERSIZE_A4)
        assert setup.fitToWidth == 1 and setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$4:$4"  # the header row repeats on every printed page
        assert ws.oddHeader.left.text == "Nordbygg AB (2001)"
        assert ws.oddHeader.right.text == "SLA-rapport 2026Q3"
        assert ws.oddFooter.right.text == "Sida &P av &N"
        for part in (ws.oddHeader.left, ws.oddHeader.center, ws.oddHeader.right, ws.oddFooter.right):
            assert part.font is None  # no font codes (Gnumeric prints them literally)


def test_xlsx_column_widths_come_from_the_content(env, seeded):
    from openpyxl import load_workbook

    out = env.tmp / "r.xlsx"
    assert env.cli(*Q3, "--lang", "en", "-o", str(out)).code == 0
    summary = load_workbook(out)["Summary"]
    width = {c: summary.column_dimensions[c].width for c in "ABCDEFGHI"}
    # Column A holds the zones and the fault-case labels; not the title above the header row,
    # nor the notes below (they run over the empty cells to their right).
    assert width["A"] == len("Repair time, 90th percentile") + 3
    assert width["E"] == len("Terminated OK") + 3
    assert width["F"] == len("100.00") + 3


def test_swedish_html_and_its_print_css(env, seeded):
    out = env.tmp / "rapport.html"
    run = env.cli(*Q3, "--lang", "sv", "-o", str(out))
    assert run.code == 0, run.stderr
    html = out.read_text(encoding="utf-8")
    assert '<html lang="sv">' in html and "<h1>SLA-rapport 2026Q3 · Nordbygg AB (2001)</h1>" in html
    assert "<td>Mål</td><td>98,00 %</td>" in html
    assert f'<td class="n">10{NBSP}200</td><td class="n">95,09</td>' in html
    assert "juli 2026" in html and ">EJ GODKÄND<" in html
    # Printed like the PDF: A4 portrait, running header, page n of m, repeated table header.
    assert "@page { size: A4 portrait" in html
    assert '@top-left { content: "Nordbygg AB (2001)"' in html
    assert '@bottom-right { content: "Sida " counter(page) " av " counter(pages) ""' in html
    assert "thead { display: table-header-group; }" in html
    assert html.count('<tbody class="zone">') == 2  # each zone's months kept with its total
    # The penalty is in the summary, before the KPI table.
    assert html.index("Vite</td>") < html.index("<h2>KPI per zon och månad</h2>")
    assert "landscape" not in html and "<script" not in html


def test_the_running_header_cannot_break_out_of_the_css(env, ops):
    from ops_cli import roster

    roster.add_customer(
        ops,
        "2005",
        name='Evil "</style><script>x',
        sla_tier="gold",
        agreement="business",
        binding_until="2028-12-31",
    )
    env.now = "2026-10-05T09:00"
    out = env.tmp / "e.html"
    assert env.cli("report", "quarterly", "-c", "2005", "--quarter", "2026Q3", "-o", str(out)).code == 0
    html = out.read_text(encoding="utf-8")
    assert "<script" not in html and html.count("</style>") == 1


SIMPLE = {
    "quality": ("report", "quality", "-c", "2001", "--from", "2026-07-01", "--to", "2026-09-30"),
    "delivery": ("report", "delivery", "--from", "2026-07-01", "--to", "2026-09-30"),
    "due": ("report", "due", "--quarter", "2026Q3"),
}


@pytest.mark.parametrize("name", sorted(SIMPLE))
def test_quality_delivery_and_due_write_pdf_xlsx_and_html(env, seeded, name):
    from openpyxl import load_workbook

    english(env)
    for ext in (".pdf", ".xlsx", ".html"):
        out = env.tmp / f"{name}{ext}"
        run = env.cli(*SIMPLE[name], "-o", str(out))
        assert run.code == 0, run.stderr
        assert f"wrote {out}" in run.stderr
    pages = pages_of(env.tmp / f"{name}.pdf")
    for n, text in enumerate(pages, start=1):
        assert f"Page {n} of {len(pages)}" in text
    if name == "quality":
        assert "Nordbygg AB (2001)" in pages[0] and "2026-07-01 – 2026-09-30" in pages[0]
    ws = load_workbook(env.tmp / f"{name}.xlsx").active
    assert ws.page_setup.fitToWidth == 1 and ws.print_title_rows == "$3:$3"
    assert ws.oddFooter.right.text == "Page &P of &N"
    html = (env.tmp / f"{name}.html").read_text(encoding="utf-8")
    assert "@page { size: A4 portrait" in html and "counter(pages)" in html


def test_help_loads_no_pdf_excel_or_locale_library():
    """fpdf2, Babel, openpyxl (and pypdf, fontTools) load only when a report is written."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from ops_cli.commands.app import app\n"
        "for args in (['--help'], ['report', 'quarterly', '--help'], ['report', '--help']):\n"
        "    assert CliRunner().invoke(app, args).exit_code == 0\n"
        "heavy = ('fpdf', 'babel', 'openpyxl', 'pypdf', 'fontTools', 'PIL')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(heavy)))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"

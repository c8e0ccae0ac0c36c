"""The printable HTML page of the quarterly report: one self-contained file.

Inline CSS (screen and print), inline SVG charts drawn by :mod:`.chart`, no
script, font or image from anywhere else. Every text from the store is escaped.
"""

from __future__ import annotations

from html import escape
from typing import Any

from . import chart
from . import text as t

CSS = """
:root { --ink: #1d2430; --muted: #5b6472; --line: #d5d9e0; --pass: #1e7b34; --fail: #b3261e;
        --band: #f4f6f9; }
* { box-sizing: border-box; }
body { font-family: "Helvetica Neue", Helvetica, Arial, sans-serif; color: var(--ink); margin: 0;
       background: #fff; font-size: 14px; line-height: 1.4; }
main { max-width: 1000px; margin: 0 auto; padding: 28px 32px 40px; }
header { border-bottom: 3px solid var(--ink); padding-bottom: 10px; margin-bottom: 18px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 26px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.sub { color: var(--muted); margin: 0; }
.cards { display: flex; gap: 12px; flex-wrap: wrap; margin: 14px 0 4px; }
.card { flex: 1 1 160px; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px;
        background: var(--band); }
.card .k { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card .v { font-size: 20px; font-weight: bold; margin-top: 2px; }
.card.bad .v { color: var(--fail); } .card.good .v { color: var(--pass); }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; }
th, td { padding: 5px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { background: var(--ink); color: #fff; font-weight: 600; font-size: 13px; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: bold; background: var(--band); border-bottom: 2px solid var(--ink); }
.pass { color: var(--pass); font-weight: 600; } .fail { color: var(--fail); font-weight: 700; }
.nodata { color: var(--muted); font-style: italic; }
table.facts { width: auto; min-width: 55%; }
.charts { display: flex; flex-wrap: wrap; gap: 14px; }
.charts figure { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 6px; }
.note { border-left: 4px solid #e0a800; background: #fff8e1; padding: 8px 12px; }
.penalty { font-size: 15px; }
footer { margin-top: 28px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line);
         padding-top: 6px; }
@page { size: A4 portrait; margin: 14mm 12mm 16mm; }
@media print {
  body { font-size: 11px; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  table, figure, .cards { break-inside: avoid; }
  tr { break-inside: avoid; }
  th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  tr.total td, .card { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
""".strip()


def _e(value: Any) -> str:
    return escape(str(value), quote=True)


def _result_cell(result: str) -> str:
    cls = "pass" if result.lower() == "pass" else "nodata" if result == "no data" else "fail"
    return f'<td class="{cls}">{_e(result)}</td>'


def _cards(report: dict[str, Any]) -> str:
    zones = report["zones"]
    missed = report["zones_missed"]
    c = report["cases"]
    items = [
        ("Target", f"{report['target']:.2f} %", ""),
        ("Zones passing", f"{len(zones) - len(missed)} of {len(zones)}", "bad" if missed else "good"),
        ("Fault cases", f"{c['count']} ({c['critical']} critical)", ""),
    ]
    if report["guaranteed"]:
        items.append(
            (
                "Penalty",
                t.money(report["penalty"], report["currency"]),
                "bad" if report["penalty"] else "good",
            )
        )
    return (
        '<div class="cards">'
        + "".join(
            f'<div class="card {cls}"><div class="k">{_e(k)}</div><div class="v">{_e(v)}</div></div>'
            for k, v, cls in items
        )
        + "</div>"
    )


def to_html(report: dict[str, Any]) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(t.title(report))}</title>",
        f"<style>\n{CSS}\n</style>",
        "</head>",
        "<body>",
        "<main>",
        "<header>",
        f"<h1>{_e(t.title(report))}</h1>",
        f'<p class="sub">{_e(t.subtitle(report))}</p>',
        "</header>",
    ]
    if report["note"]:
        parts.append(f'<p class="note"><strong>Note:</strong> {_e(report["note"])}.</p>')
    parts.append(_cards(report))
    if report["zones"]:
        parts.append("<h2>KPI per zone and month</h2>")
        parts.append("<table>")
        heads = "".join(
            f'<th class="{"n" if k in ("attempts", "cssr", "ctsr") else ""}">{_e(v)}</th>'
            for k, v in t.KPI_HEADERS.items()
        )
        parts.append(f"<thead><tr>{heads}</tr></thead><tbody>")
        for r in t.kpi_rows(report):
            cls = ' class="total"' if r["total"] else ""
            parts.append(
                f"<tr{cls}><td>{_e(r['zone'])}</td><td>{_e(r['period'])}</td>"
                f'<td class="n">{_e(r["attempts"])}</td><td class="n">{_e(r["cssr"])}</td>'
                f'<td class="n">{_e(r["ctsr"])}</td>{_result_cell(r["result"])}</tr>'
            )
        parts.append("</tbody></table>")
        parts.append(f'<p class="sub">{_e(t.RATES_NOTE)}</p>')
        parts.append("<h2>Monthly CSSR and CTSR against the target</h2>")
        parts.append('<div class="charts">')
        for zone in report["zones"]:
            parts.append(
                "<figure>" + chart.zone_chart(zone, report["months"], report["target"]) + "</figure>"
            )
        parts.append("</div>")
    parts.append("<h2>Fault cases opened in the quarter</h2>")
    parts.append('<table class="facts"><tbody>')
    for k, v in t.case_facts(report):
        parts.append(f'<tr><td>{_e(k)}</td><td class="n">{_e(v)}</td></tr>')
    parts.append("</tbody></table>")
    parts.append(f'<p class="sub">Repair times in {_e(report["cases"]["hours"])}.</p>')
    rows = t.case_rows(report)
    if rows:
        parts.append(
            "<table><thead><tr>"
            + "".join(f"<th>{_e(h)}</th>" for h in t.CASE_HEADERS.values())
            + "</tr></thead><tbody>"
        )
        for r in rows:
            parts.append("<tr>" + "".join(f"<td>{_e(r[k])}</td>" for k in t.CASE_HEADERS) + "</tr>")
        parts.append("</tbody></table>")
    note = t.secret_note(report)
    if note:
        parts.append(f'<p class="sub">{_e(note)}</p>')
    parts.append("<h2>Penalty</h2>")
    parts.append(f'<p class="penalty">{_e(t.penalty_text(report))}</p>')
    parts.append(f"<footer>{_e(t.generated_line(report))}</footer>")
    parts += ["</main>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"

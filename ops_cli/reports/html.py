"""The printable HTML page of the quarterly report: one self-contained file, in the report's
language.

Inline CSS (screen and print), inline SVG charts drawn by :mod:`.chart` (every zone's
monthly chart on one shared y-scale), no script, font or image from anywhere else. Every
text from the store is escaped. Printed it matches the PDF: A4 portrait, a running header
(customer, quarter) and "page n of m" in the page margins (CSS ``@page`` margin boxes), the
table header repeated on every page, a zone's months kept with its quarter line, the
penalty inside the summary at the top of page 1.
"""

from __future__ import annotations

from html import escape
from typing import Any

from . import chart
from . import wording as t
from .language import Lang, language

CSS = """
:root { --ink: #1d2430; --muted: #5b6472; --line: #d5d9e0; --pass: #1e7b34; --fail: #b3261e;
        --band: #f4f6f9; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Helvetica Neue", Helvetica, Arial, sans-serif; color: var(--ink);
       margin: 0; background: #fff; font-size: 14px; line-height: 1.4; }
main { max-width: 1000px; margin: 0 auto; padding: 28px 32px 40px; }
header { border-bottom: 3px solid var(--ink); padding-bottom: 10px; margin-bottom: 18px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 26px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.sub { color: var(--muted); margin: 0; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; }
th, td { padding: 5px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { background: var(--ink); color: #fff; font-weight: 600; font-size: 13px; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.total td { font-weight: bold; background: var(--band); border-bottom: 2px solid var(--ink); }
.pass { color: var(--pass); font-weight: 600; } .fail { color: var(--fail); font-weight: 700; }
.nodata { color: var(--muted); font-style: italic; }
table.facts { width: auto; min-width: 55%; }
table.summary td:first-child { color: var(--muted); width: 12em; }
table.summary td.bad { color: var(--fail); font-weight: bold; }
.charts { display: flex; flex-wrap: wrap; gap: 10px; }
.charts figure { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 4px;
                 flex: 1 1 300px; max-width: 420px; }
.charts svg { width: 100%; height: auto; }
.note { border-left: 4px solid #e0a800; background: #fff8e1; padding: 8px 12px; }
footer { margin-top: 28px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line);
         padding-top: 6px; }
@media print {
  body { font-size: 10.5px; }
  main { max-width: none; padding: 0; }
  header { margin-bottom: 8px; }
  h2 { break-after: avoid; page-break-after: avoid; margin-top: 14px; }
  thead { display: table-header-group; }
  tbody.zone, tr, figure, .summary-block { break-inside: avoid; page-break-inside: avoid; }
  .charts figure { max-width: 32%; flex-basis: 32%; }
  th, tr.total td { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
""".strip()


def page_css(report: dict[str, Any], lg: Lang) -> str:
    """The printed page: A4 portrait like the PDF, the running header and "page n of m"."""
    page = lg.t("page_of", n='" counter(page) "', m='" counter(pages) "')
    who = _css_string(f"{report['customer_name']} ({report['customer']})")
    head = _css_string(lg.t("running_head", quarter=report["quarter"]))
    return (
        "@page { size: A4 portrait; margin: 18mm 14mm 16mm;\n"
        f"  @top-left {{ content: {who}; font-size: 9px; color: #5b6472; }}\n"
        f"  @top-right {{ content: {head}; font-size: 9px; color: #5b6472; }}\n"
        f'  @bottom-right {{ content: "{page}"; font-size: 9px; color: #5b6472; }} }}'
    )


def _css_string(text: str) -> str:
    """A CSS string literal that cannot end the string, the rule or the <style> element."""
    out = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return '"' + out.replace("<", "\\3c ").replace(">", "\\3e ") + '"'


def _e(value: Any) -> str:
    return escape(str(value), quote=True)


def _result_cell(result: str, lg: Lang) -> str:
    cls = (
        "pass"
        if result.lower() == lg.t("pass").lower()
        else "nodata"
        if result == lg.t("no_data")
        else "fail"
    )
    return f'<td class="{cls}">{_e(result)}</td>'


def _summary(report: dict[str, Any], lg: Lang) -> list[str]:
    """The summary with the penalty, one block (as on the PDF's first page)."""
    bad_cell = '<td class="bad">'
    rows = "".join(
        f"<tr><td>{_e(k)}</td>{bad_cell if bad else '<td>'}{_e(v)}</td></tr>"
        for k, v, bad in t.summary_rows(report, lg)
    )
    return [
        '<section class="summary-block">',
        f"<h2>{_e(lg.t('summary_heading'))}</h2>",
        f'<table class="summary"><tbody>{rows}</tbody></table>',
        "</section>",
    ]


def _head(report: dict[str, Any], lg: Lang) -> list[str]:
    return [
        "<!DOCTYPE html>",
        f'<html lang="{_e(lg.code)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(t.title(report, lg))}</title>",
        f"<style>\n{CSS}\n{page_css(report, lg)}\n</style>",
        "</head>",
        "<body>",
        "<main>",
        "<header>",
        f"<h1>{_e(t.title(report, lg))}</h1>",
        f'<p class="sub">{_e(t.subtitle(report, lg))}</p>',
        "</header>",
    ]


def _kpi(report: dict[str, Any], lg: Lang) -> list[str]:
    heads = "".join(
        f'<th class="{"n" if k in ("attempts", "cssr", "ctsr") else ""}">{_e(v)}</th>'
        for k, v in t.kpi_headers(lg).items()
    )
    parts = [f"<h2>{_e(lg.t('kpi_heading'))}</h2>", "<table>", f"<thead><tr>{heads}</tr></thead>"]
    parts.append('<tbody class="zone">')
    rows = t.kpi_rows(report, lg)
    for i, r in enumerate(rows):
        cls = ' class="total"' if r["total"] else ""
        parts.append(
            f"<tr{cls}><td>{_e(r['zone'])}</td><td>{_e(r['period'])}</td>"
            f'<td class="n">{_e(r["attempts"])}</td><td class="n">{_e(r["cssr"])}</td>'
            f'<td class="n">{_e(r["ctsr"])}</td>{_result_cell(r["result"], lg)}</tr>'
        )
        if r["total"] and i < len(rows) - 1:
            parts.append('</tbody><tbody class="zone">')
    parts += ["</tbody></table>", f'<p class="sub">{_e(t.rates_note(lg))}</p>']
    return parts


def _charts(report: dict[str, Any], lg: Lang) -> list[str]:
    scale = chart.shared_scale(report["zones"], report["target"])
    parts = [f"<h2>{_e(lg.t('chart_months'))}</h2>", '<div class="charts">']
    for zone in report["zones"]:
        svg = chart.zone_chart(zone, report["months"], report["target"], lang=lg, scale=scale)
        parts.append("<figure>" + svg + "</figure>")
    parts.append("</div>")
    return parts


def _cases(report: dict[str, Any], lg: Lang) -> list[str]:
    parts = [f"<h2>{_e(lg.t('cases_heading'))}</h2>", '<table class="facts"><tbody>']
    for k, v in t.case_facts(report, lg):
        parts.append(f'<tr><td>{_e(k)}</td><td class="n">{_e(v)}</td></tr>')
    parts.append("</tbody></table>")
    repair = lg.t("repair_note_md", hours=t.repair_hours_text(report, lg))
    parts.append(f'<p class="sub">{_e(repair)} {_e(t.callbacks_note(lg))}</p>')
    rows = t.case_rows(report, lg)
    if rows:
        parts.append(
            "<table><thead><tr>"
            + "".join(f"<th>{_e(h)}</th>" for h in t.case_headers(lg).values())
            + "</tr></thead><tbody>"
        )
        for r in rows:
            parts.append("<tr>" + "".join(f"<td>{_e(r[k])}</td>" for k in t.CASE_KEYS) + "</tr>")
        parts.append("</tbody></table>")
    note = t.secret_note(report, lg)
    if note:
        parts.append(f'<p class="sub">{_e(note)}</p>')
    return parts


def to_html(report: dict[str, Any], lang: Lang | None = None) -> str:
    lg = lang or language("en")
    parts = _head(report, lg)
    if t.order_text(report, lg):
        parts.append(f'<p class="sub">{_e(t.order_text(report, lg))}</p>')
    if report["note"]:
        parts.append(f'<p class="note">{_e(lg.t("note", note=t.note_text(report, lg)))}</p>')
    parts += _summary(report, lg)
    if report["zones"]:
        parts += _kpi(report, lg)
        parts += _charts(report, lg)
    parts += _cases(report, lg)
    parts.append(f"<footer>{_e(t.generated_line(report, lg))}</footer>")
    parts += ["</main>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"

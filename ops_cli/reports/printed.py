"""The simple reports (quality, delivery, due) as printable files: PDF, HTML and xlsx.

One heading, one table, the generated line; printed like the quarterly report: A4 portrait,
a running header (who the report is about, the period) and "page n of m" on every page, the
table header repeated on each page and never left alone at a page's foot, the xlsx one page
wide with its header row repeated and widths from the content. Numbers stay numbers in
xlsx. These reports are in English (they take no ``--lang``).
"""

from __future__ import annotations

import io
from html import escape
from typing import Any

from .language import language

CHAR_MM = 1.75  # about one 8 pt DejaVu Sans character


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _widths(rows: list[dict[str, Any]], columns: list[str], total: float) -> dict[str, float]:
    """Each column as wide as its content; when they do not fit, the widest ones are cut to one
    common cap (short columns keep their width), the rest of the line goes to the last column."""
    chars = {c: (max([len(c), *(len(_cell(r.get(c))) for r in rows)]) + 2) * CHAR_MM for c in columns}
    lo, hi = 0.0, max(chars.values())
    while hi - lo > 0.1:
        cap = (lo + hi) / 2
        lo, hi = (cap, hi) if sum(min(w, cap) for w in chars.values()) <= total else (lo, cap)
    widths = {c: min(w, lo) for c, w in chars.items()}
    widths[columns[-1]] += max(total - sum(widths.values()), 0)
    return widths


def table_pdf(meta: dict[str, str], rows: list[dict[str, Any]], columns: list[str]) -> bytes:
    """``meta``: title, who (running header, left), period (right), generated, created (ISO)."""
    from .pdf import ROW, heading, keep, new_document, table_header

    lg = language("en")
    pdf = new_document(meta["who"], meta["period"], meta["generated"], meta["title"], lg, meta["created"])
    pdf.add_page()
    heading(pdf, meta["title"])
    widths = _widths(rows, columns, pdf.epw)
    numeric = {c for c in columns if rows and all(isinstance(r.get(c), int | float) for r in rows)}
    if not rows:
        pdf.set_font("DejaVu", "", 9)
        pdf.cell(0, ROW, "(none)")
        return bytes(pdf.output())
    heads = {c: c.replace("_", " ") for c in columns}
    pdf.set_font("DejaVu", "", 8)
    keep(pdf, ROW + 0.6 + _row_height(pdf, rows[0], columns, widths))  # the header with a row
    table_header(pdf, heads, widths)
    for r in rows:
        pdf.set_font("DejaVu", "", 8)
        if keep(pdf, _row_height(pdf, r, columns, widths)):
            table_header(pdf, heads, widths)
        _row(pdf, r, columns, widths, numeric)
    return bytes(pdf.output())


LINE = 4.2  # one line of a table cell; a one-line row is LINE + PAD = pdf.ROW high
PAD = 1.4


def _lines(pdf: Any, text: str, width: float) -> list[str]:
    return pdf.multi_cell(width, LINE, text, dry_run=True, output="LINES") or [""]


def _row_height(pdf: Any, r: dict[str, Any], columns: list[str], widths: dict[str, float]) -> float:
    n = max(len(_lines(pdf, _cell(r.get(c)), widths[c])) for c in columns)
    return n * LINE + PAD


def _row(
    pdf: Any, r: dict[str, Any], columns: list[str], widths: dict[str, float], numeric: set[str]
) -> None:
    """One table row; a value wider than its column wraps onto more lines (never cut off)."""
    height = _row_height(pdf, r, columns, widths)
    x, y = pdf.l_margin, pdf.get_y()
    for c in columns:
        pdf.set_xy(x, y + PAD / 2)
        pdf.multi_cell(widths[c], LINE, _cell(r.get(c)), align="R" if c in numeric else "L")
        x += widths[c]
    pdf.set_draw_color(200, 205, 212)
    pdf.set_line_width(0.2)
    pdf.line(pdf.l_margin, y + height, x, y + height)
    pdf.set_xy(pdf.l_margin, y + height)


def table_html(meta: dict[str, str], rows: list[dict[str, Any]], columns: list[str]) -> str:
    from .html import CSS, _css_string

    page = '"Page " counter(page) " of " counter(pages)'
    style = (
        f"{CSS}\n@page {{ size: A4 portrait; margin: 18mm 14mm 16mm;\n"
        f"  @top-left {{ content: {_css_string(meta['who'])}; font-size: 9px; color: #5b6472; }}\n"
        f"  @top-right {{ content: {_css_string(meta['period'])}; font-size: 9px; color: #5b6472; }}\n"
        f"  @bottom-right {{ content: {page}; font-size: 9px; color: #5b6472; }} }}"
    )
    head = "".join(f"<th>{escape(c.replace('_', ' '))}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(_cell(r.get(c)))}</td>" for c in columns) + "</tr>" for r in rows
    )
    table = f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>" if rows else "<p>(none)</p>"
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(meta['title'])}</title>\n<style>\n{style}\n</style>\n</head>\n<body>\n<main>\n"
        f"<header><h1>{escape(meta['title'])}</h1></header>\n{table}\n"
        f"<footer>{escape(meta['generated'])}</footer>\n</main>\n</body>\n</html>\n"
    )


def table_xlsx(meta: dict[str, str], rows: list[dict[str, Any]], columns: list[str]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING
    from openpyxl.styles import Font, PatternFill

    from .xlsx import HEAD_FILL, _fixed_bytes, _widths_from_content

    wb = Workbook()
    ws = wb.active
    ws.title = "Report"
    ws.cell(row=1, column=1, value=meta["title"]).font = Font(bold=True, size=13)
    for i, c in enumerate(columns, start=1):
        cell = ws.cell(row=3, column=i, value=c.replace("_", " "))
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor=HEAD_FILL)
    for n, r in enumerate(rows, start=4):
        for i, c in enumerate(columns, start=1):
            value = r.get(c)
            cell = ws.cell(row=n, column=i, value=value if isinstance(value, int | float) else _cell(value))
            if isinstance(cell.value, str):
                cell.data_type = TYPE_STRING  # never a formula
    ws.cell(row=len(rows) + 5, column=1, value=meta["generated"])
    ws.freeze_panes = "A4"
    _print_setup(ws, meta, 3)
    _widths_from_content(ws, 3)
    wb.properties.title, wb.properties.creator = meta["title"], "ops-cli"
    buf = io.BytesIO()
    wb.save(buf)
    return _fixed_bytes(buf.getvalue(), meta["created"][:10])


def _print_setup(ws: Any, meta: dict[str, str], header_row: int) -> None:
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.oddHeader.left.text = meta["who"].replace("&", "&&")
    ws.oddHeader.right.text = meta["period"].replace("&", "&&")
    ws.oddFooter.right.text = "Page &P of &N"


def meta_of(report: dict[str, Any], title: str) -> dict[str, str]:
    """The running header and metadata of a simple report."""
    if report.get("customer_name"):
        who = f"{report['customer_name']} ({report['customer']})"
    elif report.get("customer"):
        who = f"customer {report['customer']}"
    else:
        who = "all customers"
    period = f"{report['from']} – {report['to']}" if report.get("from") else str(report.get("quarter", ""))
    generated = f"Generated {report['generated_at']} by ops-cli"
    return {
        "title": title,
        "who": who,
        "period": period,
        "generated": generated,
        "created": report["generated_at"],
    }

"""The quarterly report as a print-ready A4 PDF (fpdf2, pure Python; imported only here).

Same content as the terminal report, in the report's language: a running header (customer,
quarter) and a "page n of m" footer on every page; on page 1 the summary with the penalty
(never split from it), then the charts (:mod:`.pdfchart`); the KPI table keeps each zone's
months with the zone's quarter line on one page and never leaves a table header alone at a
page's foot (the header is repeated on every page the table runs on). The font (DejaVu Sans,
shipped in ``fonts/`` with its licence) is embedded as a subset, so Å Ä Ö Æ Ø print and the
text stays selectable.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any

from . import pdfchart
from . import wording as t
from .language import Lang, language

INK = (29, 36, 48)
MUTED = (91, 100, 114)
BAND = (236, 240, 245)
FAIL = (179, 38, 30)
PASS = (30, 123, 52)
ROW = 5.6
KPI_WIDTHS = {"zone": 44, "period": 30, "attempts": 26, "cssr": 24, "ctsr": 24, "result": 32}
CASE_WIDTHS = {"number": 26, "opened": 30, "crit": 12, "status": 18, "repair": 18, "subject": 76}
RIGHT = ("attempts", "cssr", "ctsr", "repair")
MISSING = "\ufffd"  # printed for a character DejaVu Sans has no glyph for


def _font(name: str) -> str:
    return str(resources.files("ops_cli.reports").joinpath("fonts", name))


@cache
def _document_class() -> type:
    from fpdf import FPDF

    class ReportPDF(FPDF):
        """A4 portrait; the header and footer fpdf2 draws on every page."""

        head_left = ""
        head_right = ""
        foot = ""
        foot_left = ""

        def normalize_text(self, text: str) -> str:
            """A character the font has no glyph for (an emoji, CJK) prints as U+FFFD, never
            vanishes without a trace; fpdf2 passes every text (and width) through here."""
            cmap = getattr(self.current_font, "cmap", None)
            if cmap and not all(ord(c) in cmap or c in "\n\r\t" for c in text):
                text = "".join(c if ord(c) in cmap or c in "\n\r\t" else MISSING for c in text)
            return super().normalize_text(text)

        def header(self) -> None:
            self.set_font("DejaVu", "", 8)
            self.set_text_color(*MUTED)
            self.set_xy(self.l_margin, 8)
            right = self.get_string_width(self.head_right) + 2 * self.c_margin + 4
            self.cell(self.epw - right, 4, _fit_head(self, self.head_left, self.epw - right))
            self.cell(right, 4, self.head_right, align="R")
            self.set_draw_color(*INK)
            self.set_line_width(0.3)
            self.line(self.l_margin, 13, self.w - self.r_margin, 13)
            self.set_xy(self.l_margin, 17)
            self.set_text_color(0, 0, 0)

        def footer(self) -> None:
            self.set_font("DejaVu", "", 8)
            self.set_text_color(*MUTED)
            self.set_xy(self.l_margin, self.h - 11)
            self.cell(self.epw * 0.7, 4, self.foot_left)
            page = self.foot.format(n=self.page_no(), m=self.str_alias_nb_pages)
            self.cell(self.epw * 0.3, 4, page, align="R")

    return ReportPDF


def _fit_head(pdf: Any, text: str, width: float) -> str:
    """The running header's left text cut to ``width`` with "…"; a trailing "(number)" is kept."""
    room = width - 2 * pdf.c_margin
    if pdf.get_string_width(text) <= room:
        return text
    name, sep, number = text.rpartition(" (")
    if not sep:
        return pdfchart._clip(pdf, text, room)
    tail = f" ({number}"
    return pdfchart._clip(pdf, name + "…", room - pdf.get_string_width(tail)) + tail


def new_document(head_left: str, head_right: str, foot_left: str, title: str, lg: Lang, created: str) -> Any:
    """An A4 portrait document with the running header and the "page n of m" footer, the
    DejaVu fonts added, the metadata set (``created``: ISO time, so equal data gives equal bytes)."""
    pdf = _document_class()(orientation="P", unit="mm", format="A4")
    pdf.add_font("DejaVu", "", _font("DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", _font("DejaVuSans-Bold.ttf"))
    pdf.set_margins(15, 17, 15)
    pdf.set_auto_page_break(True, margin=16)
    pdf.head_left, pdf.head_right, pdf.foot_left = head_left, head_right, foot_left
    pdf.foot = lg.t("page_of", n="{n}", m="{m}")
    pdf.set_title(title)
    pdf.set_author("ops-cli")
    pdf.set_lang(lg.locale)
    pdf.set_creation_date(datetime.fromisoformat(created))
    pdf.set_draw_color(200, 205, 212)
    return pdf


def _new_pdf(report: dict[str, Any], lg: Lang) -> Any:
    return new_document(
        f"{report['customer_name']} ({report['customer']})",
        lg.t("running_head", quarter=report["quarter"]),
        t.generated_line(report, lg),
        t.title(report, lg),
        lg,
        report["generated_at"],
    )


def _fits(pdf: Any, height: float) -> bool:
    return pdf.get_y() + height <= pdf.page_break_trigger


def keep(pdf: Any, height: float) -> bool:
    """Start a new page unless ``height`` fits on this one; True when a page was added."""
    if _fits(pdf, height):
        return False
    pdf.add_page()
    return True


def heading(pdf: Any, text: str) -> None:
    pdf.ln(3)
    pdf.set_font("DejaVu", "B", 11.5)
    pdf.set_text_color(*INK)
    pdf.multi_cell(0, 6.5, text, align="L", new_x="LMARGIN", new_y="NEXT")  # a long one wraps
    pdf.set_draw_color(200, 205, 212)
    pdf.set_line_width(0.2)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(1.5)
    pdf.set_text_color(0, 0, 0)


def _para(
    pdf: Any, text: str, size: float = 8.5, colour: tuple[int, int, int] = MUTED, bold: bool = False
) -> None:
    pdf.set_font("DejaVu", "B" if bold else "", size)
    pdf.set_text_color(*colour)
    pdf.multi_cell(0, size * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)


def _title(pdf: Any, report: dict[str, Any], lg: Lang) -> None:
    pdf.set_font("DejaVu", "B", 16)
    pdf.set_text_color(*INK)
    pdf.multi_cell(0, 7.5, t.title(report, lg), align="L", new_x="LMARGIN", new_y="NEXT")
    _para(pdf, t.subtitle(report, lg), 9.5)
    if t.order_text(report, lg):
        pdf.ln(1)
        _para(pdf, t.order_text(report, lg), 9, (0, 0, 0))


def _summary(pdf: Any, report: dict[str, Any], lg: Lang) -> None:
    """The summary block with the penalty: one unit, never split over two pages."""
    rows = t.summary_rows(report, lg)
    keep(pdf, 12 + ROW * (len(rows) + 2))
    heading(pdf, lg.t("summary_heading"))
    if report["note"]:
        _para(pdf, lg.t("note", note=t.note_text(report, lg)), 9, (150, 100, 0))
    money = f" {report['currency']}"
    for label, value, bad in rows:
        value = value.replace(money, "\u00a0" + report["currency"])  # keep "10 000 SEK" on one line
        pdf.set_font("DejaVu", "", 9)
        pdf.set_text_color(*MUTED)
        pdf.cell(42, ROW, label)
        pdf.set_font("DejaVu", "B", 9.5)
        pdf.set_text_color(*(FAIL if bad else (0, 0, 0)))
        pdf.multi_cell(0, ROW, value, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)


def _charts(pdf: Any, report: dict[str, Any], lg: Lang) -> None:
    """The bar chart, then the monthly panels row by row: a row never splits over two pages
    (the heading stays with the first row). Drawn with the automatic page break off, so that
    no label near a page's foot starts a page of its own."""
    height = 52 + pdfchart.label_room(pdf, report, pdf.epw)
    keep(pdf, 14 + height)
    heading(pdf, lg.t("chart_quarter"))
    pdfchart.legend(pdf, pdf.l_margin, pdf.get_y(), lg)
    y = pdf.get_y() + 5
    pdf.set_auto_page_break(False, margin=16)
    pdfchart.bars(pdf, report, pdf.l_margin, y, pdf.epw, height, lg)
    pdf.set_y(y + height)
    for i, zones in enumerate(pdfchart.monthly_rows(report)):
        if i == 0:
            keep(pdf, 18 + pdfchart.ROW_H)
            heading(pdf, lg.t("chart_months"))
            pdfchart.legend(pdf, pdf.l_margin, pdf.get_y(), lg)
            pdf.set_y(pdf.get_y() + 4)
        else:
            keep(pdf, pdfchart.ROW_H)
        y = pdf.get_y()
        pdfchart.monthly_row(pdf, report, zones, pdf.l_margin, y, pdf.epw, lg)
        pdf.set_y(y + pdfchart.ROW_H)
    pdf.set_auto_page_break(True, margin=16)


def table_header(pdf: Any, heads: dict[str, str], widths: dict[str, float]) -> None:
    pdf.set_font("DejaVu", "B", 8.5)
    pdf.set_fill_color(*INK)
    pdf.set_text_color(255, 255, 255)
    for key, width in widths.items():
        pdf.cell(width, ROW + 0.6, heads[key], fill=True, align="R" if key in RIGHT else "L")
    pdf.ln(ROW + 0.6)
    pdf.set_text_color(0, 0, 0)


def _kpi_line(pdf: Any, row: dict[str, Any], lg: Lang) -> None:
    pdf.set_font("DejaVu", "B" if row["total"] else "", 8.5)
    pdf.set_fill_color(*BAND)
    for key, width in KPI_WIDTHS.items():
        colour = (0, 0, 0)
        if key == "result":
            passed = row["result"].lower() == lg.t("pass").lower()
            colour = MUTED if row["result"] == lg.t("no_data") else PASS if passed else FAIL
        pdf.set_text_color(*colour)
        border = "B" if row["total"] else 0
        if key == "result":  # a gap after the right-aligned numbers
            pdf.cell(4, ROW, "", fill=row["total"], border=border)
            width -= 4
        pdf.cell(width, ROW, row[key], fill=row["total"], border=border, align="R" if key in RIGHT else "L")
    pdf.ln(ROW)
    pdf.set_text_color(0, 0, 0)


def zone_blocks(report: dict[str, Any], lg: Lang) -> list[list[dict[str, Any]]]:
    """The KPI rows cut into blocks: each zone's months followed by its quarter line."""
    blocks: list[list[dict[str, Any]]] = [[]]
    for row in t.kpi_rows(report, lg):
        blocks[-1].append(row)
        if row["total"]:
            blocks.append([])
    return [b for b in blocks if b]


def _wrap_zone(pdf: Any, block: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A zone name wider than its column goes on over the zone's month rows (their zone cells
    are empty; the bold quarter line keeps its own); what still does not fit ends in "…"."""
    pdf.set_font("DejaVu", "", 8.5)
    width = KPI_WIDTHS["zone"] - 2 * pdf.c_margin
    name = block[0]["zone"]
    if pdf.get_string_width(name) <= width:
        return block
    room = max(sum(1 for row in block if not row["total"]), 1)
    lines = pdf.multi_cell(width, ROW, name, dry_run=True, output="LINES")
    if len(lines) > room:
        lines[room - 1] = pdfchart._clip(pdf, " ".join(lines[room - 1 :]) + "…", width)
    return [{**row, "zone": lines[i] if i < min(len(lines), room) else ""} for i, row in enumerate(block)]


def _kpi_table(pdf: Any, report: dict[str, Any], lg: Lang) -> None:
    heads = t.kpi_headers(lg)
    blocks = [_wrap_zone(pdf, b) for b in zone_blocks(report, lg)]
    header_h = ROW + 0.6
    keep(pdf, 12 + header_h + ROW * len(blocks[0]))  # the heading, the header and a whole zone
    heading(pdf, lg.t("kpi_heading"))
    table_header(pdf, heads, KPI_WIDTHS)
    for block in blocks:
        if keep(pdf, ROW * len(block)):
            table_header(pdf, heads, KPI_WIDTHS)
        for row in block:
            _kpi_line(pdf, row, lg)
    pdf.ln(1.5)
    _para(pdf, t.rates_note(lg), 7.5)


def _facts(pdf: Any, report: dict[str, Any], lg: Lang) -> None:
    facts = t.case_facts(report, lg)
    keep(pdf, 12 + ROW * len(facts) + 14)
    heading(pdf, lg.t("cases_heading"))
    for label, value in facts:
        pdf.set_font("DejaVu", "", 8.5)
        pdf.set_text_color(*MUTED)
        pdf.cell(62, ROW, label)
        pdf.set_text_color(0, 0, 0)
        pdf.multi_cell(0, ROW, value, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    _para(
        pdf, lg.t("repair_note_md", hours=t.repair_hours_text(report, lg)) + " " + t.callbacks_note(lg), 7.5
    )


def _case_list(pdf: Any, report: dict[str, Any], lg: Lang) -> None:
    rows = t.case_rows(report, lg)
    if not rows:
        return
    heads = t.case_headers(lg)
    pdf.ln(2)
    keep(pdf, 2 * ROW + 1)  # the header never alone at a page's foot
    table_header(pdf, heads, CASE_WIDTHS)
    pdf.set_font("DejaVu", "", 8)
    for r in rows:
        if keep(pdf, ROW):
            table_header(pdf, heads, CASE_WIDTHS)
            pdf.set_font("DejaVu", "", 8)
        for key, width in CASE_WIDTHS.items():
            text = pdfchart._clip(pdf, r[key], width) if key == "subject" else r[key]
            pdf.cell(width, ROW, text, border="B", align="R" if key in RIGHT else "L")
        pdf.ln(ROW)


def to_pdf(report: dict[str, Any], lang: Lang | None = None) -> bytes:
    """The PDF file's bytes (A4 portrait)."""
    lg = lang or language("en")
    pdf = _new_pdf(report, lg)
    pdf.add_page()
    _title(pdf, report, lg)
    _summary(pdf, report, lg)
    if report["zones"]:
        _charts(pdf, report, lg)
        _kpi_table(pdf, report, lg)
    _facts(pdf, report, lg)
    _case_list(pdf, report, lg)
    note = t.secret_note(report, lg)
    if note:
        pdf.ln(1)
        _para(pdf, note, 8)
    return bytes(pdf.output())

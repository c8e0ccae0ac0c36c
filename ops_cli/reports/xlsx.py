"""The quarterly report as an Excel workbook (openpyxl), in the report's language.

A summary sheet (the zones' quarter figures, the penalty right below them, a bar chart
against the target, the fault-case figures) and one sheet per zone (its months, with a
line chart of monthly CSSR and CTSR against the target), and the case list. Numbers are
numbers with number formats (the spreadsheet shows them by its own locale), words and
months come from the language's catalogue. Print setup: A4 portrait like the PDF, one page
wide, the header row repeated on every page, column widths from the content, a running
header and "page n of m" footer set through openpyxl's header/footer API (plain text and
the &P/&N fields only: no font codes, which Gnumeric prints literally).

Text from the store is always written as a string cell, never as a formula.
Written twice from the same data, the file has the same bytes apart from the
generated-at cell: the document properties and the zip entry times are fixed
to the quarter's last day.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from . import wording as t
from .language import Lang, language

PCT = "0.00"
COUNT = "#,##0"
HEAD_FILL = "1D2430"
BAND_FILL = "F4F6F9"
PASS_FONT = "1E7B34"
FAIL_FONT = "B3261E"


def _sheet_title(name: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "-", name).strip("'") or "zone"
    base = base[:31]
    title, n = base, 2
    while title.lower() in used:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(title.lower())
    return title


class _Writer:
    def __init__(self, report: dict[str, Any], lang: Lang):
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font, PatternFill

        self.report = report
        self.lg = lang
        self.wb = Workbook()
        self.Font, self.Fill, self.Alignment = Font, PatternFill, Alignment

    # ------------------------------------------------------------ cells
    def put(
        self,
        ws,
        row: int,
        col: int,
        value: Any,
        fmt: str | None = None,
        bold: bool = False,
        colour: str | None = None,
        size: float | None = None,
    ):
        from openpyxl.cell.cell import TYPE_STRING

        cell = ws.cell(row=row, column=col)
        if isinstance(value, str):
            cell.value = value
            cell.data_type = TYPE_STRING  # never a formula, even for "=..."
        else:
            cell.value = value
        if fmt:
            cell.number_format = fmt
        if bold or colour or size:
            cell.font = self.Font(bold=bold, color=colour, size=size)
        return cell

    def header(self, ws, row: int, headers: list[str], right: range = range(0)) -> None:
        for i, h in enumerate(headers, start=1):
            cell = self.put(ws, row, i, h)
            cell.font = self.Font(bold=True, color="FFFFFF")
            cell.fill = self.Fill("solid", fgColor=HEAD_FILL)
            cell.alignment = self.Alignment(
                horizontal="right" if i in right else "left", vertical="center", indent=0 if i in right else 1
            )

    def result(self, ws, row: int, col: int, passed: bool, total: bool = False) -> None:
        text = t.result_text(passed, total, self.lg)
        cell = self.put(ws, row, col, text, bold=True, colour=PASS_FONT if passed else FAIL_FONT)
        cell.alignment = self.Alignment(horizontal="left", indent=1)

    def page_setup(self, ws, header_row: int) -> None:
        ws.page_setup.orientation = "portrait"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.5
        r = self.report
        ws.oddHeader.left.text = f"{r['customer_name']} ({r['customer']})".replace("&", "&&")
        ws.oddHeader.right.text = self.lg.t("running_head", quarter=r["quarter"]).replace("&", "&&")
        ws.oddFooter.left.text = f"{r['customer']} · {r['quarter']}"
        ws.oddFooter.right.text = self.lg.t("page_of", n="&P", m="&N")
        ws.print_title_rows = f"{header_row}:{header_row}"
        _widths_from_content(ws, header_row)

    def titles(self, ws, heading: str) -> None:
        self.put(ws, 1, 1, heading, bold=True, size=15)
        self.put(ws, 2, 1, t.subtitle(self.report, self.lg), colour="5B6472")

    # ------------------------------------------------------------ sheets
    KPI_KEYS = ("zone", "attempts", "setups_ok", "established", "terminated_ok", "cssr", "ctsr", "target_pct")

    @property
    def kpi_head(self) -> list[str]:
        return [*(self.lg.t(k) for k in self.KPI_KEYS), self.lg.t("result")]

    def kpi_line(self, ws, row: int, label: str, item: dict[str, Any], total: bool = False) -> None:
        self.put(ws, row, 1, label, bold=total)
        for col, key in enumerate(("attempts", "setups_ok", "established", "terminated_ok"), start=2):
            self.put(ws, row, col, item[key], COUNT, bold=total)
        self.put(ws, row, 6, item["cssr"], PCT, bold=total)
        self.put(ws, row, 7, item["ctsr"], PCT, bold=total)
        self.put(ws, row, 8, self.report["target"], PCT)
        self.result(ws, row, 9, item["pass"], total)
        if total:
            for col in range(1, 10):
                ws.cell(row=row, column=col).fill = self.Fill("solid", fgColor=BAND_FILL)

    def summary_chart(self, ws, head: int, first: int, last: int, row: int) -> None:
        """Bars of each zone's CSSR and CTSR over the quarter with the target as a dashed line."""
        from openpyxl.chart import BarChart, LineChart, Reference

        r = self.report
        bars = BarChart()
        bars.type = "col"
        _title(bars, self.lg.t("chart_quarter"))
        values = [v for z in r["zones"] for v in (z["cssr"], z["ctsr"]) if v is not None]
        _y_axis(bars, values, r["target"])
        bars.add_data(Reference(ws, min_col=6, max_col=7, min_row=head, max_row=last), titles_from_data=True)
        bars.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
        target = LineChart()
        target.add_data(Reference(ws, min_col=8, min_row=head, max_row=last), titles_from_data=True)
        target.series[0].graphicalProperties.line.solidFill = FAIL_FONT
        target.series[0].graphicalProperties.line.dashStyle = "dash"
        bars += target
        bars.height, bars.width = 7.5, 16
        ws.add_chart(bars, f"A{row}")

    def summary_cases(self, ws, row: int) -> None:
        """The fault-case figures and the notes below the chart."""
        r, lg = self.report, self.lg
        self.put(ws, row, 1, lg.t("cases_heading"), bold=True, size=12)
        row += 1
        for k, v in t.case_facts(r, lg):
            self.put(ws, row, 1, k)
            self.put(ws, row, 3, v)
            row += 1
        repair = lg.t("repair_note_md", hours=t.repair_hours_text(r, lg))
        self.put(ws, row, 1, f"{repair} {t.callbacks_note(lg)}", colour="5B6472")
        row += 2
        notes = [t.secret_note(r, lg)]
        if t.case_rows(r, lg):
            notes.insert(0, lg.t("cases_on_sheet", sheet=self.cases_name))
        for note in filter(None, notes):
            self.put(ws, row, 1, note, colour="5B6472")
            row += 1
        self.put(ws, row + 1, 1, t.generated_line(r, lg), colour="5B6472")

    def summary(self) -> None:
        r, lg = self.report, self.lg
        ws = self.wb.active
        ws.title = self.summary_name
        self.titles(ws, t.title(r, lg))
        if t.order_text(r, lg):
            self.put(ws, 3, 1, t.order_text(r, lg), colour="5B6472")
        head = 4
        self.header(ws, head, self.kpi_head, right=range(2, 9))
        ws.freeze_panes = ws.cell(row=head + 1, column=1)
        row = first = head + 1
        if not r["zones"]:
            self.put(ws, row, 1, lg.t("note", note=t.note_text(r, lg)), bold=True, colour="8A6D00")
            row += 1
        for zone in r["zones"]:
            self.kpi_line(ws, row, zone["zone"], zone)
            row += 1
        last = row - 1
        if r["all_zones"]:
            self.kpi_line(ws, row, lg.t("all_zones"), r["all_zones"], total=True)
            row += 1
        # The penalty right under the summary table: printed on the same page, never alone.
        self.put(ws, row + 1, 1, t.penalty_text(r, lg), bold=True, colour=FAIL_FONT if r["penalty"] else None)
        row += 3
        if r["zones"]:
            self.summary_chart(ws, head, first, last, row)
            row += 16
        self.summary_cases(ws, row)
        self.page_setup(ws, head)

    def zone_sheet(self, zone: dict[str, Any], name: str) -> None:
        from openpyxl.chart import LineChart, Reference

        r, lg = self.report, self.lg
        ws = self.wb.create_sheet(name)
        self.titles(ws, lg.t("zone_heading", zone=zone["zone"], quarter=r["quarter"]))
        head = 4
        headers = [lg.t("month"), *self.kpi_head[1:]]
        self.header(ws, head, headers, right=range(2, 9))
        ws.freeze_panes = ws.cell(row=head + 1, column=1)
        data = {m["month"]: m for m in zone["months"]}
        row = head + 1
        for month in r["months"]:
            if month in data:
                self.kpi_line(ws, row, lg.month(month), data[month])
            else:
                self.put(ws, row, 1, lg.month(month))
                self.put(ws, row, 8, r["target"], PCT)
                self.put(ws, row, 9, lg.t("no_data"), colour="5B6472")
            row += 1
        last = row - 1
        self.kpi_line(ws, row, lg.t("quarter_total", q=r["quarter"]), zone, total=True)

        chart = LineChart()
        _title(chart, lg.t("zone_chart", zone=zone["zone"]))
        values = [v for m in zone["months"] for v in (m["cssr"], m["ctsr"]) if v is not None]
        _y_axis(chart, values, r["target"])
        chart.add_data(Reference(ws, min_col=6, max_col=8, min_row=head, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=head + 1, max_row=last))
        for s, colour in zip(chart.series, ("1F5FA8", "D9822B", FAIL_FONT), strict=True):
            s.graphicalProperties.line.solidFill = colour
            s.graphicalProperties.line.width = 28575
            s.smooth = False
        chart.series[2].graphicalProperties.line.dashStyle = "dash"
        chart.height, chart.width = 7.5, 16
        ws.add_chart(chart, f"A{row + 3}")
        self.page_setup(ws, head)

    def cases_sheet(self, name: str) -> None:
        r, lg = self.report, self.lg
        ws = self.wb.create_sheet(name)
        self.titles(ws, lg.t("cases_sheet_heading", quarter=r["quarter"]))
        head = 4
        self.header(ws, head, list(t.case_headers(lg).values()))
        ws.freeze_panes = ws.cell(row=head + 1, column=1)
        row = head + 1
        for c in t.case_rows(r, lg):
            for col, key in enumerate(t.CASE_KEYS, start=1):
                self.put(ws, row, col, c[key])
            row += 1
        note = t.secret_note(r, lg)
        if note:
            self.put(ws, row + 1, 1, note, colour="5B6472")
        self.page_setup(ws, head)

    def build(self) -> bytes:
        used: set[str] = {"history"}  # a name Excel reserves (it repairs a file that uses it)
        self.summary_name = _sheet_title(self.lg.t("summary_sheet"), used)
        zone_names = [_sheet_title(z["zone"], used) for z in self.report["zones"]]
        self.cases_name = _sheet_title(self.lg.t("cases_sheet"), used)
        self.summary()
        for zone, name in zip(self.report["zones"], zone_names, strict=True):
            self.zone_sheet(zone, name)
        if t.case_rows(self.report, self.lg):
            self.cases_sheet(self.cases_name)
        self.wb.properties.title = t.title(self.report, self.lg)
        self.wb.properties.creator = "ops-cli"
        buf = io.BytesIO()
        self.wb.save(buf)
        return _fixed_bytes(buf.getvalue(), self.report["to"])


def _y_axis(chart, values: list[float], target: float) -> None:
    """Percent axis from a little under the lowest value (or the target) to 100, legend below."""
    lowest = min([*values, target])
    lo = float(max(0, int(lowest) - 1))
    span = 100 - lo
    chart.y_axis.scaling.min = lo
    chart.y_axis.scaling.max = 100
    chart.y_axis.majorUnit = 0.5 if span <= 4 else 1 if span <= 10 else 5 if span <= 40 else 10
    chart.y_axis.number_format = "0.0"
    chart.y_axis.title = "%"
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    chart.legend.position = "b"


def _title(chart, text: str) -> None:
    """A chart title in 11 pt bold (openpyxl's default is too large for a half-page chart)."""
    from openpyxl.chart.text import RichText, Text
    from openpyxl.chart.title import Title
    from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties, RegularTextRun

    props = CharacterProperties(sz=1100, b=True)
    para = Paragraph(pPr=ParagraphProperties(defRPr=props), r=[RegularTextRun(rPr=props, t=text)])
    chart.title = Title(tx=Text(rich=RichText(p=[para])), overlay=False)


def _widths_from_content(ws, header_row: int) -> None:
    """Each column as wide as its longest cell from the header row down (long free text such
    as notes and the case subject capped at 60 characters); the title rows above the header
    and text that spills into empty cells to its right do not widen a column."""
    from openpyxl.utils import get_column_letter

    widths: dict[int, int] = {}
    for row in ws.iter_rows(min_row=header_row):
        for cell in row:
            if cell.value is None:
                continue
            text = cell.value if isinstance(cell.value, str) else _shown(cell.value, cell.number_format)
            if isinstance(cell.value, str) and _spills(ws, cell):
                continue
            widths[cell.column] = max(widths.get(cell.column, 0), min(len(text), 60))
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = max(8, width + 3)


def _spills(ws, cell) -> bool:
    """A text with the next two cells to its right empty (a note, a heading, a fact's value)
    runs over them when printed, so it does not widen its column."""
    if cell.row == ws.max_row and cell.column == 1 and ws.max_column == 1:
        return False
    return all(ws.cell(row=cell.row, column=c).value is None for c in (cell.column + 1, cell.column + 2))


def _shown(value: Any, fmt: str) -> str:
    if fmt == COUNT and isinstance(value, int | float):
        return f"{value:,.0f}"
    if fmt == PCT and isinstance(value, int | float):
        return f"{value:.2f}"
    return str(value)


_STAMP = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def _fixed_bytes(data: bytes, day: str) -> bytes:
    """Rewrite the zip with fixed entry times and document dates, so equal data gives equal bytes."""
    y, m, d = (int(x) for x in day.split("-"))
    stamp = f"{day}T00:00:00Z".encode()
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _STAMP.sub(lambda mt: mt.group(1) + stamp + mt.group(3), body)
            entry = zipfile.ZipInfo(info.filename, date_time=(y, m, d, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, body)
    return out.getvalue()


def to_xlsx(report: dict[str, Any], lang: Lang | None = None) -> bytes:
    return _Writer(report, lang or language("en")).build()

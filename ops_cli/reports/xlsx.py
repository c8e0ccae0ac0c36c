"""The quarterly report as an Excel workbook (openpyxl).

A summary sheet (the zones' quarter figures, a bar chart of them against the
target, the fault-case figures and the case list) and one sheet per zone (its
months, with a line chart of monthly CSSR and CTSR against the target). Numbers
are numbers with number formats, headers are frozen, every sheet prints
landscape, one page wide, with a title header and page numbers in the footer.

Text from the store is always written as a string cell, never as a formula.
Written twice from the same data, the file has the same bytes apart from the
generated-at cell: the document properties and the zip entry times are fixed
to the quarter's last day.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

from . import text as t

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
    while title.lower() in used or title.lower() == "summary":
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(title.lower())
    return title


class _Writer:
    def __init__(self, report: dict[str, Any]):
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font, PatternFill

        self.report = report
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
        text = t.RESULT[passed].upper() if total else t.RESULT[passed]
        cell = self.put(ws, row, col, text, bold=True, colour=PASS_FONT if passed else FAIL_FONT)
        cell.alignment = self.Alignment(horizontal="left", indent=1)

    def page_setup(self, ws, header_row: int) -> None:
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.oddHeader.center.text = t.title(self.report).replace("&", "&&")
        ws.oddHeader.center.font = "Helvetica,Bold"
        ws.oddFooter.left.text = f"{self.report['customer']} · {self.report['quarter']}"
        ws.oddFooter.right.text = "Page &P of &N"
        ws.print_title_rows = f"{header_row}:{header_row}"

    def titles(self, ws, heading: str) -> None:
        self.put(ws, 1, 1, heading, bold=True, size=15)
        self.put(ws, 2, 1, t.subtitle(self.report), colour="5B6472")

    # ------------------------------------------------------------ sheets
    KPI_HEAD = [
        "Zone",
        "Attempts",
        "Setups OK",
        "Established",
        "Terminated OK",
        "CSSR %",
        "CTSR %",
        "Target %",
        "Result",
    ]

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

    def summary(self) -> None:
        from openpyxl.chart import BarChart, LineChart, Reference

        r = self.report
        ws = self.wb.active
        ws.title = "Summary"
        self.titles(ws, t.title(r))
        head = 4
        self.header(ws, head, self.KPI_HEAD, right=range(2, 9))
        ws.freeze_panes = ws.cell(row=head + 1, column=1)
        row = head + 1
        first = row
        if not r["zones"]:
            self.put(ws, row, 1, f"Note: {r['note']}.", bold=True, colour="8A6D00")
            row += 1
        for zone in r["zones"]:
            self.kpi_line(ws, row, zone["zone"], zone)
            row += 1
        last = row - 1
        if r["all_zones"]:
            self.kpi_line(ws, row, "All zones", r["all_zones"], total=True)
            row += 1
        row += 1
        if r["zones"]:
            bars = BarChart()
            bars.type = "col"
            _title(bars, "CSSR and CTSR per zone over the quarter, against the target")
            values = [v for z in r["zones"] for v in (z["cssr"], z["ctsr"]) if v is not None]
            _y_axis(bars, values, r["target"])
            bars.add_data(
                Reference(ws, min_col=6, max_col=7, min_row=head, max_row=last), titles_from_data=True
            )
            bars.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
            target = LineChart()
            target.add_data(Reference(ws, min_col=8, min_row=head, max_row=last), titles_from_data=True)
            target.series[0].graphicalProperties.line.solidFill = FAIL_FONT
            target.series[0].graphicalProperties.line.dashStyle = "dash"
            bars += target
            bars.height, bars.width = 7.5, 16
            ws.add_chart(bars, f"A{row}")
            row += 16
        self.put(ws, row, 1, "Fault cases opened in the quarter", bold=True, size=12)
        row += 1
        for k, v in t.case_facts(r):
            self.put(ws, row, 1, k)
            self.put(ws, row, 3, v)
            row += 1
        self.put(ws, row, 1, f"Repair times in {r['cases']['hours']}.", colour="5B6472")
        row += 2
        self.put(ws, row, 1, t.penalty_text(r), bold=True)
        row += 1
        if t.case_rows(r):
            self.put(ws, row, 1, "The cases are listed on the sheet Cases.", colour="5B6472")
            row += 1
        note = t.secret_note(r)
        if note:
            self.put(ws, row, 1, note, colour="5B6472")
            row += 1
        row += 1
        self.put(ws, row, 1, t.generated_line(r), colour="5B6472")
        _widths(ws, [26, 12, 12, 13, 15, 10, 10, 10, 10])
        self.page_setup(ws, head)

    def zone_sheet(self, zone: dict[str, Any], name: str) -> None:
        from openpyxl.chart import LineChart, Reference

        r = self.report
        ws = self.wb.create_sheet(name)
        self.titles(ws, f"Zone {zone['zone']} · {r['quarter']}")
        head = 4
        headers = ["Month", *self.KPI_HEAD[1:]]
        self.header(ws, head, headers, right=range(2, 9))
        ws.freeze_panes = ws.cell(row=head + 1, column=1)
        data = {m["month"]: m for m in zone["months"]}
        row = head + 1
        for month in r["months"]:
            if month in data:
                self.kpi_line(ws, row, month, data[month])
            else:
                self.put(ws, row, 1, month)
                self.put(ws, row, 8, r["target"], PCT)
                self.put(ws, row, 9, "no data", colour="5B6472")
            row += 1
        last = row - 1
        self.kpi_line(ws, row, f"{r['quarter']} total", zone, total=True)

        chart = LineChart()
        _title(chart, f"{zone['zone']}: monthly CSSR and CTSR against the target")
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
        _widths(ws, [16, 12, 12, 13, 15, 10, 10, 10, 10])
        self.page_setup(ws, head)

    def cases_sheet(self, name: str) -> None:
        r = self.report
        ws = self.wb.create_sheet(name)
        self.titles(ws, f"Fault cases opened in {r['quarter']}")
        head = 4
        self.header(ws, head, list(t.CASE_HEADERS.values()))
        ws.freeze_panes = ws.cell(row=head + 1, column=1)
        row = head + 1
        for c in t.case_rows(r):
            for col, key in enumerate(t.CASE_HEADERS, start=1):
                self.put(ws, row, col, c[key])
            row += 1
        note = t.secret_note(r)
        if note:
            self.put(ws, row + 1, 1, note, colour="5B6472")
        _widths(ws, [12, 17, 6, 9, 9, 15, 60])
        self.page_setup(ws, head)

    def build(self) -> bytes:
        self.summary()
        used: set[str] = set()
        for zone in self.report["zones"]:
            self.zone_sheet(zone, _sheet_title(zone["zone"], used))
        if t.case_rows(self.report):
            self.cases_sheet(_sheet_title("Cases", used))
        self.wb.properties.title = t.title(self.report)
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


def _widths(ws, widths: list[int]) -> None:
    from openpyxl.utils import get_column_letter

    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


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


def to_xlsx(report: dict[str, Any]) -> bytes:
    return _Writer(report).build()


def write_xlsx(report: dict[str, Any], path: Path) -> None:
    path.write_bytes(to_xlsx(report))

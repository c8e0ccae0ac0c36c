"""The two charts of the PDF report, drawn with fpdf2's own lines and rectangles (vector,
no image library): bars per zone (quarter CSSR and CTSR) with the dashed target line, and
one small monthly line chart per zone, every panel on the same y-scale.

Every function takes the document (an ``fpdf.FPDF``), a box in millimetres and the
report's language (tick labels and months by Babel's locale rules).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .chart import _scale
from .language import Lang

CSSR = (31, 95, 168)
CTSR = (217, 130, 43)
TARGET = (192, 57, 43)
GRID = (225, 225, 225)
INK = (60, 60, 60)


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float
    lo: float
    hi: float

    def yv(self, v: float) -> float:
        """The page y of value ``v`` (clamped into the box)."""
        v = min(max(v, self.lo), self.hi)
        return self.y + self.h * (self.hi - v) / (self.hi - self.lo)


def scale_of(report: dict[str, Any], monthly: bool) -> tuple[float, float, float]:
    """One y range for the whole chart: every zone (and month) and the target fit in it."""
    items = [m for z in report["zones"] for m in z["months"]] if monthly else report["zones"]
    values = [v for i in items for v in (i["cssr"], i["ctsr"]) if v is not None]
    return _scale(values, report["target"])


def _tick(v: float, lg: Lang) -> str:
    from babel.numbers import format_decimal

    return format_decimal(v, "0.##", locale=lg.locale)


def _axes(pdf: Any, box: Box, step: float, target: float, lg: Lang) -> None:
    pdf.set_font("DejaVu", "", 6.5)
    pdf.set_line_width(0.15)
    k = 0
    while box.lo + k * step <= box.hi + 1e-9:
        v = box.lo + k * step
        pdf.set_draw_color(*GRID)
        pdf.line(box.x, box.yv(v), box.x + box.w, box.yv(v))
        pdf.set_text_color(*INK)
        pdf.set_xy(box.x - 11, box.yv(v) - 1.5)
        pdf.cell(10, 3, _tick(v, lg), align="R")
        k += 1
    pdf.set_draw_color(150, 150, 150)
    pdf.line(box.x, box.y, box.x, box.y + box.h)
    pdf.line(box.x, box.y + box.h, box.x + box.w, box.y + box.h)
    pdf.set_draw_color(*TARGET)
    pdf.set_line_width(0.4)
    pdf.set_dash_pattern(dash=1.5, gap=1)
    pdf.line(box.x, box.yv(target), box.x + box.w, box.yv(target))
    pdf.set_dash_pattern()


def legend(pdf: Any, x: float, y: float, lg: Lang) -> None:
    pdf.set_font("DejaVu", "", 7)
    for i, (name, colour) in enumerate((("CSSR", CSSR), ("CTSR", CTSR), (lg.t("target_line"), TARGET))):
        gx = x + i * 20
        pdf.set_fill_color(*colour)
        pdf.rect(gx, y + 0.6, 5, 1.8, style="F")
        pdf.set_text_color(*INK)
        pdf.set_xy(gx + 6, y)
        pdf.cell(13, 3, name)


LABEL_MAX = 32.0  # mm: the longest upright zone name under the bars
UPRIGHT_SLOT = 16.0  # mm: narrower slots get upright names when one does not fit across


def _label_width(pdf: Any, z: dict[str, Any]) -> float:
    pdf.set_font("DejaVu", "B" if not z["pass"] else "", 7)
    return pdf.get_string_width(z["zone"])


def label_room(pdf: Any, report: dict[str, Any], w: float) -> float:
    """Extra height (mm) under the bars when the slots are narrow and a zone name does not fit
    across its slot: then every name stands upright (cut at LABEL_MAX), never cut to "Z…".
    0 when all fit, or when the slots are wide (a long name is then cut with "…": the KPI
    table has it whole)."""
    zones = report["zones"]
    slot = (w - 12) / max(len(zones), 1)
    widest = max((_label_width(pdf, z) for z in zones), default=0.0)
    if widest <= slot - 1 or slot >= UPRIGHT_SLOT:
        return 0.0
    return min(widest, LABEL_MAX) + 1


def _zone_label(pdf: Any, z: dict[str, Any], cx: float, top: float, slot: float, upright: bool) -> None:
    pdf.set_font("DejaVu", "B" if not z["pass"] else "", 7)
    pdf.set_text_color(*(TARGET if not z["pass"] else INK))
    if not upright:
        pdf.set_xy(cx - slot / 2, top)
        pdf.cell(slot, 3.5, _clip(pdf, z["zone"], slot), align="C")
        return
    label = _clip(pdf, z["zone"], LABEL_MAX + 1)
    px, py = cx + 0.9, top + pdf.get_string_width(label)
    with pdf.rotation(90, px, py):  # reads upwards, ending just under the axis
        pdf.text(px, py, label)


def bars(pdf: Any, report: dict[str, Any], x: float, y: float, w: float, h: float, lg: Lang) -> None:
    """Quarter CSSR and CTSR of each zone as two bars; the dashed line is the target. ``h``
    includes :func:`label_room` (upright zone names when they do not fit across)."""
    lo, hi, step = scale_of(report, monthly=False)
    room = label_room(pdf, report, w)
    box = Box(x + 12, y + 4, w - 12, h - 12 - room, lo, hi)
    _axes(pdf, box, step, report["target"], lg)
    zones = report["zones"]
    slot = box.w / max(len(zones), 1)
    bar = min(slot * 0.32, 9)
    for i, z in enumerate(zones):
        left = box.x + slot * i + slot / 2 - bar
        for j, (key, colour) in enumerate((("cssr", CSSR), ("ctsr", CTSR))):
            if z[key] is None:
                continue
            top = box.yv(z[key])
            pdf.set_fill_color(*colour)
            pdf.rect(left + j * bar, top, bar * 0.92, box.y + box.h - top, style="F")
            if bar >= 6:  # room for the value over the bar
                pdf.set_font("DejaVu", "", 6.5)
                pdf.set_text_color(*colour)
                pdf.set_xy(left + j * bar - 3, top - 3.5)
                pdf.cell(bar + 6, 3, lg.pct(z[key]), align="C")
        _zone_label(pdf, z, box.x + slot * (i + 0.5), box.y + box.h + 1, slot, room > 0)
    pdf.set_text_color(0, 0, 0)


def _clip(pdf: Any, text: str, width: float) -> str:
    while len(text) > 1 and pdf.get_string_width(text) > width - 1:
        text = text[:-2] + "…"
    return text


def _month_label(month: str, lg: Lang) -> str:
    from babel.dates import format_date

    return format_date(date.fromisoformat(month + "-01"), "LLL", locale=lg.locale)


def _panel(pdf: Any, zone: dict[str, Any], report: dict[str, Any], box: Box, step: float, lg: Lang) -> None:
    _axes(pdf, box, step, report["target"], lg)
    months = report["months"]
    data = {m["month"]: m for m in zone["months"]}
    dx = box.w / len(months)
    pdf.set_font("DejaVu", "B", 7.5)
    pdf.set_text_color(0, 0, 0)
    pdf.set_xy(box.x, box.y - 4.5)
    pdf.cell(box.w, 3.5, _clip(pdf, zone["zone"], box.w))
    for key, colour in (("cssr", CSSR), ("ctsr", CTSR)):
        pts = [
            (box.x + dx * (i + 0.5), box.yv(data[m][key]))
            for i, m in enumerate(months)
            if m in data and data[m][key] is not None
        ]
        pdf.set_draw_color(*colour)
        pdf.set_fill_color(*colour)
        pdf.set_line_width(0.5)
        for (x1, y1), (x2, y2) in zip(pts, pts[1:], strict=False):
            pdf.line(x1, y1, x2, y2)
        for px, py in pts:
            pdf.circle(px, py, 0.9, style="F")
    pdf.set_font("DejaVu", "", 6.5)
    pdf.set_text_color(*INK)
    for i, m in enumerate(months):
        pdf.set_xy(box.x + dx * i, box.y + box.h + 0.8)
        pdf.cell(dx, 3, _month_label(m, lg), align="C")


PER_ROW, PANEL_H, GAP = 3, 34.0, 4.0
ROW_H = PANEL_H + GAP + 5  # one row of panels with its zone titles


def monthly_rows(report: dict[str, Any]) -> list[list[dict[str, Any]]]:
    """The zones three to a row of panels."""
    zones = report["zones"]
    return [zones[i : i + PER_ROW] for i in range(0, len(zones), PER_ROW)]


def monthly_row(
    pdf: Any, report: dict[str, Any], zones: list[dict[str, Any]], x: float, y: float, w: float, lg: Lang
) -> None:
    """One row of monthly panels (a zone each) from ``y``, on the chart's one y-scale."""
    lo, hi, step = scale_of(report, monthly=True)
    pw = (w - GAP * (PER_ROW - 1)) / PER_ROW
    for col, zone in enumerate(zones):
        box = Box(x + col * (pw + GAP) + 11, y + 5, pw - 11, PANEL_H - 5, lo, hi)
        _panel(pdf, zone, report, box, step, lg)

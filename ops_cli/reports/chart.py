"""A small line chart drawn as inline SVG: monthly CSSR and CTSR of one zone against the target.

No library and no external asset: the HTML report embeds the returned text as is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Any

from .language import Lang, language

CSSR_COLOUR = "#1f5fa8"
CTSR_COLOUR = "#d9822b"
TARGET_COLOUR = "#c0392b"


def _f(x: float) -> str:
    return f"{x:.1f}"


def _scale(values: list[float], target: float) -> tuple[float, float, float]:
    """The y range (lo, hi) and tick step: from a little under the lowest value or target to 100."""
    lowest = min([*values, target])
    span = max(100.0 - lowest, 0.5)
    for step in (0.25, 0.5, 1, 2, 5, 10, 20, 25):
        if span / step <= 5:
            break
    lo = max(0.0, math.floor((lowest - step * 0.5) / step) * step)
    return lo, 100.0, step


@dataclass(frozen=True)
class _Frame:
    """The plot area of one chart and its scales."""

    width: int
    height: int
    months: int
    lo: float
    hi: float
    step: float
    left: int = 46
    right: int = 14
    top: int = 34
    bottom: int = 30

    @property
    def pw(self) -> float:
        return self.width - self.left - self.right

    @property
    def ph(self) -> float:
        return self.height - self.top - self.bottom

    def x(self, i: int) -> float:
        return self.left + self.pw * (i + 0.5) / self.months

    def y(self, v: float) -> float:
        return self.top + self.ph * (self.hi - v) / (self.hi - self.lo)


def _legend(f: _Frame, lg: Lang) -> list[str]:
    out = []
    lx = f.width - f.right - 190
    for i, (name, colour, dash) in enumerate(
        (
            ("CSSR", CSSR_COLOUR, ""),
            ("CTSR", CTSR_COLOUR, ""),
            (escape(lg.t("target_line")), TARGET_COLOUR, ' stroke-dasharray="5 3"'),
        )
    ):
        gx = lx + i * 64
        out.append(
            f'<line x1="{gx}" y1="10" x2="{gx + 16}" y2="10" stroke="{colour}" stroke-width="2.5"{dash}/>'
        )
        out.append(f'<text x="{gx + 20}" y="14" fill="#333">{name}</text>')
    return out


def _axes(f: _Frame, months: list[str], target: float, lg: Lang) -> list[str]:
    """Grid lines with y ticks, the axes, the month labels and the dashed target line."""
    out = []
    left, top, pw, ph = f.left, f.top, f.pw, f.ph
    for k in range(round((f.hi - f.lo) / f.step) + 1):
        v = f.lo + k * f.step
        yy = _f(f.y(v))
        out.append(
            f'<line x1="{left}" y1="{yy}" x2="{left + pw}" y2="{yy}" stroke="#e3e3e3" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{left - 6}" y="{_f(f.y(v) + 4)}" text-anchor="end" fill="#555">{_tick(v, lg)}</text>'
        )
    out.append(
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + ph}" stroke="#999" stroke-width="1"/>'
        f'<line x1="{left}" y1="{top + ph}" x2="{left + pw}" y2="{top + ph}" stroke="#999" stroke-width="1"/>'
    )
    out.append(
        f'<text x="12" y="{_f(top + ph / 2)}" transform="rotate(-90 12 {_f(top + ph / 2)})" '
        'text-anchor="middle" fill="#555">%</text>'
    )
    for i, m in enumerate(months):
        out.append(
            f'<text x="{_f(f.x(i))}" y="{f.height - 10}" text-anchor="middle" fill="#333">'
            f"{escape(_month(m, lg))}</text>"
        )
    ty = _f(f.y(target))
    out.append(
        f'<line x1="{left}" y1="{ty}" x2="{left + pw}" y2="{ty}" stroke="{TARGET_COLOUR}" '
        'stroke-width="1.5" stroke-dasharray="5 3"/>'
    )
    return out


def _label_dy(data: dict[str, Any], m: str, key: str) -> int:
    """At each month the higher value is labelled above its point, the lower one below."""
    other = data[m]["ctsr" if key == "cssr" else "cssr"]
    mine = data[m][key]
    if other is None or mine > other or (mine == other and key == "cssr"):
        return -9
    return 16


def _tick(v: float, lg: Lang) -> str:
    from babel.numbers import format_decimal

    return format_decimal(v, "0.##", locale=lg.locale)


def _month(month: str, lg: Lang) -> str:
    from babel.dates import format_date

    return format_date(date.fromisoformat(month + "-01"), "LLL y", locale=lg.locale)


def _series(f: _Frame, data: dict[str, Any], months: list[str], target: float, lg: Lang) -> list[str]:
    out = []
    for key, colour in (("cssr", CSSR_COLOUR), ("ctsr", CTSR_COLOUR)):
        points = [
            (f.x(i), f.y(data[m][key]), data[m][key], _label_dy(data, m, key))
            for i, m in enumerate(months)
            if m in data and data[m][key] is not None
        ]
        if len(points) > 1:
            path = " ".join(f"{_f(px)},{_f(py)}" for px, py, _, _ in points)
            out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        for px, py, v, dy in points:
            fill = colour if v >= target else "#fff"
            out.append(
                f'<circle cx="{_f(px)}" cy="{_f(py)}" r="4" fill="{fill}" '
                f'stroke="{colour}" stroke-width="2"/>'
            )
            out.append(
                f'<text x="{_f(px)}" y="{_f(py + dy)}" text-anchor="middle" fill="{colour}" '
                'font-size="10" font-weight="bold" stroke="#fff" stroke-width="3" paint-order="stroke">'
                f"{lg.pct(v)}</text>"
            )
    return out


def shared_scale(zones: list[dict[str, Any]], target: float) -> tuple[float, float, float]:
    """One y range for every zone's monthly chart, so that the panels compare at a glance."""
    values = [v for z in zones for m in z["months"] for v in (m["cssr"], m["ctsr"]) if v is not None]
    return _scale(values, target)


def zone_chart(
    zone: dict[str, Any],
    months: list[str],
    target: float,
    width: int = 420,
    height: int = 230,
    lang: Lang | None = None,
    scale: tuple[float, float, float] | None = None,
) -> str:
    """SVG text: x = the quarter's months, y = percent; CSSR and CTSR lines, dashed target line.
    ``scale`` (lo, hi, step) shares one y-scale between the zones (default: this zone's own)."""
    lg = lang or language("en")
    data = {m["month"]: m for m in zone["months"]}
    frame = _Frame(width, height, len(months), *(scale or shared_scale([zone], target)))
    label = escape(f"{lg.t('zone_chart', zone=zone['zone'])} ({lg.percent(target)})")
    out = [
        f'<svg viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{label}" font-family="Helvetica, Arial, sans-serif" '
        'font-size="11">',
        f"<title>{label}</title>",
        f'<text x="{frame.left}" y="14" font-size="13" font-weight="bold" fill="#222">'
        f"{escape(zone['zone'])}</text>",
        *_legend(frame, lg),
        *_axes(frame, months, target, lg),
        *_series(frame, data, months, target, lg),
        "</svg>",
    ]
    return "\n".join(out)

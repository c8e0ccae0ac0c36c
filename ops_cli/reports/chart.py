"""A small line chart drawn as inline SVG: monthly CSSR and CTSR of one zone against the target.

No library and no external asset: the HTML report embeds the returned text as is.
"""

from __future__ import annotations

import math
from datetime import date
from html import escape
from typing import Any

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


def zone_chart(
    zone: dict[str, Any], months: list[str], target: float, width: int = 420, height: int = 230
) -> str:
    """SVG text: x = the quarter's months, y = percent; CSSR and CTSR lines, dashed target line."""
    data = {m["month"]: m for m in zone["months"]}
    values = [v for m in zone["months"] for v in (m["cssr"], m["ctsr"]) if v is not None]
    lo, hi, step = _scale(values, target)
    left, right, top, bottom = 46, 14, 34, 30
    pw, ph = width - left - right, height - top - bottom

    def x(i: int) -> float:
        return left + pw * (i + 0.5) / len(months)

    def y(v: float) -> float:
        return top + ph * (hi - v) / (hi - lo)

    label = escape(f"Zone {zone['zone']}: monthly CSSR and CTSR against the target {target:.2f} %")
    out = [
        f'<svg viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{label}" font-family="Helvetica, Arial, sans-serif" '
        'font-size="11">',
        f"<title>{label}</title>",
        f'<text x="{left}" y="14" font-size="13" font-weight="bold" fill="#222">'
        f"{escape(zone['zone'])}</text>",
    ]
    # legend
    lx = width - right - 190
    for i, (name, colour, dash) in enumerate(
        (
            ("CSSR", CSSR_COLOUR, ""),
            ("CTSR", CTSR_COLOUR, ""),
            ("target", TARGET_COLOUR, ' stroke-dasharray="5 3"'),
        )
    ):
        gx = lx + i * 64
        out.append(
            f'<line x1="{gx}" y1="10" x2="{gx + 16}" y2="10" stroke="{colour}" stroke-width="2.5"{dash}/>'
        )
        out.append(f'<text x="{gx + 20}" y="14" fill="#333">{name}</text>')
    # grid and y ticks
    n = round((hi - lo) / step)
    for k in range(n + 1):
        v = lo + k * step
        yy = _f(y(v))
        out.append(
            f'<line x1="{left}" y1="{yy}" x2="{left + pw}" y2="{yy}" stroke="#e3e3e3" stroke-width="1"/>'
        )
        text = f"{v:g}"
        out.append(f'<text x="{left - 6}" y="{_f(y(v) + 4)}" text-anchor="end" fill="#555">{text}</text>')
    out.append(
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + ph}" stroke="#999" stroke-width="1"/>'
        f'<line x1="{left}" y1="{top + ph}" x2="{left + pw}" y2="{top + ph}" stroke="#999" stroke-width="1"/>'
    )
    out.append(
        f'<text x="12" y="{_f(top + ph / 2)}" transform="rotate(-90 12 {_f(top + ph / 2)})" '
        'text-anchor="middle" fill="#555">%</text>'
    )
    # x labels
    for i, m in enumerate(months):
        d = date.fromisoformat(m + "-01")
        out.append(
            f'<text x="{_f(x(i))}" y="{height - 10}" text-anchor="middle" fill="#333">{d:%b %Y}</text>'
        )
    # target
    ty = _f(y(target))
    out.append(
        f'<line x1="{left}" y1="{ty}" x2="{left + pw}" y2="{ty}" stroke="{TARGET_COLOUR}" '
        'stroke-width="1.5" stroke-dasharray="5 3"/>'
    )

    # series; at each month the higher value is labelled above its point, the lower one below
    def label_dy(m: str, key: str) -> int:
        other = data[m]["ctsr" if key == "cssr" else "cssr"]
        mine = data[m][key]
        if other is None or mine > other or (mine == other and key == "cssr"):
            return -9
        return 16

    for key, colour in (("cssr", CSSR_COLOUR), ("ctsr", CTSR_COLOUR)):
        points = [
            (x(i), y(data[m][key]), data[m][key], label_dy(m, key))
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
                f"{v:.2f}</text>"
            )
    out.append("</svg>")
    return "\n".join(out)
